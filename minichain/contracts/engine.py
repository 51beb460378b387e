"""The contract engine: Ethereum's state transition for one block of contract transactions.

Theory of operation. The chain hands the engine a parent's contract-state root and the block's
context (number, timestamp, chain id, producer, previous hashes: all from headers, never a
clock), then its deploys and calls in order, then asks for the new root. Each transaction runs
as the Yellow Paper's section 6 says, minus the parts minichain's own ledger keeps (signature,
nonce, the coin to buy gas and pay the producer):
  1. check the intrinsic gas g0 (21,000 + 4 or 16 per data byte + 32,000 to create): py-evm's
     own EIP-2028/2930 rule, never hand-rolled; a gas limit below it is not a valid transaction;
  2. warm the sender and the target (EIP-2929), run the message: py-evm's London computation;
  3. a failure undoes the message's state changes but its gas is still used (REVERT returns what
     is left; any other failure spends it all), and the receipt says why;
  4. refund at most a fifth of the gas used (EIP-3529), delete self-destructed and touched-empty
     accounts (EIP-161), lock the changes (the next transaction must not undo this one).
The fee is gas used times gas price, paid in the chain's coin by its ledger; the base fee of
EIP-1559 is 0 here (BASEFEE reads 0, nothing is burnt): the producer earns the whole fee.
Contracts hold no coin: every message carries value 0 (CALLVALUE and BALANCE read 0).

py-evm (0.12.1b1, pinned exactly) looks archived upstream: that is why all of it stays behind
this module's small interface, so another EVM could replace it without touching the chain.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth import exceptions as evm_errors
from eth.abc import ComputationAPI
from eth.constants import BLANK_ROOT_HASH, CREATE_CONTRACT_ADDRESS
from eth.db.atomic import AtomicDB
from eth.vm.execution_context import ExecutionContext
from eth.vm.forks.frontier.transaction_context import FrontierTransactionContext
from eth.vm.forks.london.computation import LondonComputation
from eth.vm.forks.london.state import LondonState, LondonTransactionExecutor
from eth.vm.forks.london.transactions import UnsignedDynamicFeeTransaction
from eth.vm.forks.spurious_dragon._utils import collect_touched_accounts
from eth.vm.forks.spurious_dragon.constants import EIP170_CODE_SIZE_LIMIT
from eth.vm.message import Message
from eth_typing import Address, BlockNumber, Hash32

from minichain.contracts.abi import decode_revert
from minichain.contracts.addresses import ZERO_ADDRESS, contract_address, to_hex_address
from minichain.contracts.errors import (
    AddressCollision,
    CodeTooLarge,
    ExecutionFailed,
    GasLimitOutOfRange,
    InitcodeTooLarge,
    IntrinsicGasTooLow,
    NoContractCode,
    OutOfGas,
    Reverted,
    UnknownStateRoot,
    VmError,
)
from minichain.contracts.receipts import FAILURE, SUCCESS, Log, Receipt
from minichain.contracts.state_db import SQLiteKV
from minichain.contracts.storage import StorageView, read_storage

EMPTY_ROOT: bytes = BLANK_ROOT_HASH  # the root of a state with no contracts (keccak256 of rlp(b""))
BLOCK_GAS_LIMIT = 30_000_000  # gas units per block, Ethereum mainnet's London-era limit
VIEW_GAS_LIMIT = 10_000_000  # gas a read-only call may burn: bounds the time a query can take
MAX_INITCODE_SIZE = 49_152  # bytes of deploy code (EIP-3860's limit, enforced here as a rule)
MAX_CODE_SIZE = EIP170_CODE_SIZE_LIMIT  # 24,576 bytes of deployed code (EIP-170)
MAX_PREV_HASHES = 256  # BLOCKHASH sees at most the 256 previous blocks


@dataclass(frozen=True)
class BlockContext:
    """What the EVM may know of the block it runs in; all of it comes from the block's header."""

    number: int  # the block's height
    timestamp: int  # seconds since the Unix epoch, from the header (TIMESTAMP)
    chain_id: int  # CHAINID: see addresses.evm_chain_id for a minichain chain id
    coinbase: bytes = ZERO_ADDRESS  # 20 bytes: the producer's EVM address (COINBASE)
    gas_limit: int = BLOCK_GAS_LIMIT  # gas units all of the block's transactions may use
    prev_hashes: tuple[bytes, ...] = ()  # 32-byte hashes, the parent's first (BLOCKHASH)
    difficulty: int = 0  # DIFFICULTY; 0 unless the chain has a meaningful number for it

    def execution_context(self) -> ExecutionContext:
        return ExecutionContext(
            coinbase=Address(self.coinbase), timestamp=self.timestamp,
            block_number=BlockNumber(self.number), difficulty=self.difficulty,
            mix_hash=Hash32(bytes(32)), gas_limit=self.gas_limit,
            prev_hashes=[Hash32(h) for h in self.prev_hashes[:MAX_PREV_HASHES]],
            chain_id=self.chain_id, base_fee_per_gas=0,
        )


@dataclass(frozen=True)
class CallResult:
    """A read-only call's answer."""

    output: bytes  # ABI-encoded return values
    gas_used: int  # what the same call would use as a transaction (an estimate of its gas)


def intrinsic_gas(data: bytes, is_create: bool) -> int:
    """g0 of a London transaction carrying `data` (call data, or init code for a deploy)."""
    transaction = UnsignedDynamicFeeTransaction(
        chain_id=1, nonce=0, max_priority_fee_per_gas=0, max_fee_per_gas=0, gas=0,
        to=CREATE_CONTRACT_ADDRESS if is_create else ZERO_ADDRESS, value=0, data=data,
        access_list=[],
    )
    gas: int = transaction.intrinsic_gas
    return gas


# --- py-evm, configured for minichain -----------------------------------------------------------


class _CodeSizeExceeded(evm_errors.OutOfGas):
    """EIP-170's refusal, as py-evm makes it (an out-of-gas) but recognisable by its class."""


class _Computation(LondonComputation):
    @classmethod
    def validate_contract_code(cls, contract_code: bytes) -> None:
        if len(contract_code) > MAX_CODE_SIZE:
            raise _CodeSizeExceeded(f"deployed code would be {len(contract_code)} bytes; "
                                    f"EIP-170 allows {MAX_CODE_SIZE}")
        super().validate_contract_code(contract_code)


class _State(LondonState):
    """London rules; remembers which storage slots it wrote, for the readable storage view."""

    computation_class = _Computation

    def __init__(self, db: AtomicDB, context: ExecutionContext, root: bytes) -> None:
        super().__init__(db, context, Hash32(root))
        self.written_slots: set[tuple[bytes, int]] = set()

    def set_storage(self, address: Address, slot: int, value: int) -> None:
        self.written_slots.add((bytes(address), slot))
        super().set_storage(address, slot, value)


# --- the engine ---------------------------------------------------------------------------------


class ContractEngine:
    """The contract state of one chain, in one SQLite database (a file or a shared connection).

    `begin(root, context)` opens the state at a root for one block; `view` and `storage` read a
    root without changing it. Any root ever committed can be reopened: reorgs need nothing else.
    """

    def __init__(self, db: sqlite3.Connection) -> None:
        """`db`: an open connection in autocommit mode (isolation_level=None), as minichain's
        Store opens it. The engine adds its tables (evm_kv, evm_slots) if they are missing."""
        self.db = db
        self._kv = SQLiteKV(db)
        self._atomic = AtomicDB(self._kv)

    @classmethod
    def open(cls, path: str | Path) -> ContractEngine:
        """An engine with its own database file (write-ahead log, as minichain's Store)."""
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        return cls(db)

    def close(self) -> None:
        self.db.close()

    def has_root(self, root: bytes) -> bool:
        return root == EMPTY_ROOT or root in self._kv

    def begin(self, root: bytes, context: BlockContext) -> BlockExecution:
        """The state at `root`, ready to run one block's transactions. Raises UnknownStateRoot."""
        return BlockExecution(self, self._open(root, context), context)

    def view(self, root: bytes, to: bytes, data: bytes, context: BlockContext,
             sender: bytes = ZERO_ADDRESS, gas_limit: int = VIEW_GAS_LIMIT) -> CallResult:
        """Run a call against the state at `root` and forget its changes (eth_call). Raises
        NoContractCode, IntrinsicGasTooLow, or the ExecutionFailed the call ended in."""
        state = self._open(root, context)
        receipt = _run(state, sender, to, data, gas_limit, 0, None, keep=False)
        receipt.raise_for_status()
        return CallResult(receipt.output, receipt.gas_used)

    def code(self, root: bytes, address: bytes) -> bytes:
        """The code stored at `address` in the state at `root` (b"" if none)."""
        return bytes(self._open(root, _READ_CONTEXT).get_code(Address(address)))

    def storage(self, root: bytes, address: bytes, limit: int = 1000) -> StorageView:
        """The contract's non-zero storage slots at `root` (at most `limit` noted slots read)."""
        state = self._open(root, _READ_CONTEXT)
        slots = self._kv.noted_slots(address, limit)
        return read_storage(address, state.get_code_hash(Address(address)),
                            {slot: state.get_storage(Address(address), slot) for slot in slots})

    def _open(self, root: bytes, context: BlockContext) -> _State:
        if not self.has_root(root):
            raise UnknownStateRoot(f"contract state root {root.hex()[:16]}... is not in this "
                                   "database (never committed here)")
        return _State(self._atomic, context.execution_context(), root)

    def _persist(self, state: _State) -> bytes:
        """Write the block's new trie nodes, code and slot notes; one SQLite transaction unless
        the caller has one open (then the chain commits its block and this state together)."""
        own_transaction = not self.db.in_transaction
        if own_transaction:
            self.db.execute("BEGIN IMMEDIATE")
        try:
            state.persist()
            self._kv.note_slots(state.written_slots)
        except BaseException:
            if own_transaction:
                self.db.execute("ROLLBACK")
            raise
        if own_transaction:
            self.db.execute("COMMIT")
        return bytes(state.state_root)


_READ_CONTEXT = BlockContext(number=0, timestamp=0, chain_id=0)  # reads run no code


class BlockExecution:
    """One block's contract transactions, applied in order to the state at the parent's root.
    Nothing reaches the database until commit(); dropping the object discards the block."""

    def __init__(self, engine: ContractEngine, state: _State, context: BlockContext) -> None:
        self._engine = engine
        self._state = state
        self.context = context
        self.gas_used = 0  # by this block's transactions so far
        self.receipts: list[Receipt] = []
        self._committed = False

    def deploy(self, sender: bytes, nonce: int, init_code: bytes, gas_limit: int,
               gas_price: int) -> Receipt:
        """Create a contract: run `init_code` (the compiled bytecode + ABI-encoded constructor
        arguments) from `sender`, whose minichain nonce for this transaction is `nonce`; the code
        it returns is stored at contract_address(sender, nonce). Raises InvalidContractTransaction
        subclasses for a transaction that cannot run; a failed run is a receipt with status 0."""
        if len(init_code) > MAX_INITCODE_SIZE:
            raise InitcodeTooLarge(f"deploy code is {len(init_code)} bytes; at most "
                                   f"{MAX_INITCODE_SIZE} (EIP-3860)", len(init_code), MAX_INITCODE_SIZE)
        return self._apply(sender, CREATE_CONTRACT_ADDRESS, init_code, gas_limit, gas_price, nonce)

    def call(self, sender: bytes, to: bytes, data: bytes, gas_limit: int, gas_price: int) -> Receipt:
        """Call the contract at `to` with ABI-encoded `data` (selector + arguments) from `sender`.
        Raises NoContractCode if `to` holds no code; a failed run is a receipt with status 0."""
        return self._apply(sender, to, data, gas_limit, gas_price, None)

    def view(self, to: bytes, data: bytes, sender: bytes = ZERO_ADDRESS,
             gas_limit: int = VIEW_GAS_LIMIT) -> CallResult:
        """A read-only call against this block's state so far; its changes are undone."""
        receipt = _run(self._state, sender, to, data, gas_limit, 0, None, keep=False)
        receipt.raise_for_status()
        return CallResult(receipt.output, receipt.gas_used)

    @property
    def state_root(self) -> bytes:
        """The root after the transactions so far (computed, not yet written)."""
        return bytes(self._state.make_state_root())

    def commit(self) -> bytes:
        """Write this block's contract state to the database; returns the new state root."""
        if self._committed:
            raise RuntimeError("this block's contract state was already committed")
        self._committed = True
        return self._engine._persist(self._state)

    def _apply(self, sender: bytes, to: bytes, data: bytes, gas_limit: int, gas_price: int,
               create_nonce: int | None) -> Receipt:
        if self._committed:
            raise RuntimeError("this block's contract state was already committed")
        if not 0 <= gas_price < 2**64:
            raise GasLimitOutOfRange(f"gas price must be 0 to 2^64-1, found {gas_price}")
        available = self.context.gas_limit - self.gas_used
        if gas_limit > available:
            raise GasLimitOutOfRange(
                f"gas limit {gas_limit} exceeds what is left of the block's: {available} of "
                f"{self.context.gas_limit}")
        receipt = _run(self._state, sender, to, data, gas_limit, gas_price, create_nonce, keep=True)
        self.gas_used += receipt.gas_used
        self.receipts.append(receipt)
        return receipt


# --- one transaction ----------------------------------------------------------------------------


def _run(state: _State, sender: bytes, to: bytes, data: bytes, gas_limit: int, gas_price: int,
         create_nonce: int | None, keep: bool) -> Receipt:
    """Steps 1-4 of the module docstring, on `state`. With keep=False (a view call) every change
    is undone afterwards; with keep=True it is locked in, so a later transaction cannot undo it."""
    is_create = create_nonce is not None
    g0 = intrinsic_gas(data, is_create)
    if gas_limit < g0:
        raise IntrinsicGasTooLow(f"gas limit {gas_limit} is below the intrinsic gas {g0} "
                                 f"({'deploy' if is_create else 'call'} with {len(data)} bytes)",
                                 gas_limit, g0)
    if create_nonce is not None:
        target = contract_address(sender, create_nonce)
        message = Message(gas=gas_limit - g0, to=CREATE_CONTRACT_ADDRESS, sender=Address(sender),
                          value=0, data=b"", code=data, create_address=Address(target))
    else:
        target = to
        code = state.get_code(Address(to))
        if not code:
            raise NoContractCode(f"no contract at {to_hex_address(to)}", to_hex_address(to))
        message = Message(gas=gas_limit - g0, to=Address(to), sender=Address(sender), value=0,
                          data=data, code=code)
    context = FrontierTransactionContext(gas_price=gas_price, origin=Address(sender))
    written_before = None if keep else set(state.written_slots)  # a view notes no slots
    snapshot = state.snapshot()
    try:
        state.mark_address_warm(Address(sender))
        state.mark_address_warm(Address(target))
        if is_create and state.has_code_or_nonce(Address(target)):
            _settle(state, snapshot, keep, written_before)
            return _failed(gas_limit, gas_price, target, b"", AddressCollision(
                f"{to_hex_address(target)} already holds a contract", gas_limit))
        if is_create:
            computation = _Computation.apply_create_message(state, message, context)
        else:
            computation = _Computation.apply_message(state, message, context)
        gas_used = _finalize(state, computation, gas_limit)
    except BaseException:
        _settle(state, snapshot, False, written_before)  # an engine fault, not an EVM failure
        raise
    _settle(state, snapshot, keep, written_before)
    created = target if is_create else None
    if computation.is_success:
        logs = tuple(Log(bytes(address), tuple(t.to_bytes(32, "big") for t in topics), bytes(blob))
                     for address, topics, blob in computation.get_log_entries())
        return Receipt(SUCCESS, gas_used, gas_price, created, bytes(computation.output), logs)
    return _failed(gas_used, gas_price, created, bytes(computation.output),
                   _failure(computation.error, gas_used, bytes(computation.output)))


def _settle(state: _State, snapshot: Any, keep: bool,
            written_before: set[tuple[bytes, int]] | None) -> None:
    if keep:
        state.commit(snapshot)
        state.lock_changes()  # also forgets this transaction's warm addresses (EIP-2929)
    else:
        state.revert(snapshot)
        if written_before is not None:
            state.written_slots = written_before


def _finalize(state: _State, computation: ComputationAPI, gas_limit: int) -> int:
    """Refund (EIP-3529), self-destructs and touched-empty accounts (EIP-161); the gas used."""
    before_refund = gas_limit - computation.get_gas_remaining()
    refund: int = LondonTransactionExecutor.calculate_gas_refund(computation, before_refund)
    for account in computation.get_accounts_for_deletion():
        state.delete_account(account)
    for account in sorted(collect_touched_accounts(computation)):
        if state.account_exists(account) and state.account_is_empty(account):
            state.delete_account(account)
    return before_refund - refund


def _failure(error: Any, gas_used: int, output: bytes) -> ExecutionFailed:
    if isinstance(error, evm_errors.Revert):
        reason = decode_revert(output)
        return Reverted(f"the contract reverted: {reason}", gas_used, reason, output)
    if isinstance(error, _CodeSizeExceeded):
        return CodeTooLarge(str(error), gas_used)
    detail = _first_text(error.args) if isinstance(error, Exception) else ""
    if isinstance(error, evm_errors.OutOfGas):
        return OutOfGas(f"out of gas: all {gas_used} gas units were used"
                        + (f" ({detail})" if detail else ""), gas_used)
    return VmError(f"the EVM stopped: {type(error).__name__}" + (f": {detail}" if detail else ""),
                   gas_used)


def _first_text(args: Any) -> str:
    """py-evm's error text, which it sometimes nests in tuples beside numbers."""
    for arg in args:
        if isinstance(arg, str):
            return arg
        if isinstance(arg, tuple):
            text = _first_text(arg)
            if text:
                return text
    return ""


def _failed(gas_used: int, gas_price: int, created: bytes | None, output: bytes,
            failure: ExecutionFailed) -> Receipt:
    reason = failure.reason if isinstance(failure, Reverted) else ""
    return Receipt(FAILURE, gas_used, gas_price, created, output, (), failure.rule,
                   str(failure), reason)


__all__: Sequence[str] = (
    "BLOCK_GAS_LIMIT", "EMPTY_ROOT", "MAX_CODE_SIZE", "MAX_INITCODE_SIZE", "VIEW_GAS_LIMIT",
    "BlockContext", "BlockExecution", "CallResult", "ContractEngine", "intrinsic_gas",
)
