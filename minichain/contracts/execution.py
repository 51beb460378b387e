"""One contract transaction, run as the Yellow Paper's section 6 runs it, on the EVM of London.

Theory of operation. Each deploy or call goes through four steps, minus the parts minichain's own
ledger keeps (the signature, the nonce, the coin that buys the gas and pays the producer):
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
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, NamedTuple

from eth import EVM_RECURSION_LIMIT
from eth import exceptions as evm_errors
from eth.abc import ComputationAPI
from eth.constants import CREATE_CONTRACT_ADDRESS
from eth.db.atomic import AtomicDB
from eth.vm.execution_context import ExecutionContext
from eth.vm.forks.berlin.transactions import calculate_txn_intrinsic_gas_berlin
from eth.vm.forks.frontier.transaction_context import FrontierTransactionContext
from eth.vm.forks.london.computation import LondonComputation
from eth.vm.forks.london.state import LondonState, LondonTransactionExecutor
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
    IntrinsicGasTooLow,
    InvalidContractTransaction,
    InvalidEvmAddress,
    NoContractCode,
    OutOfGas,
    Reverted,
    VmError,
)
from minichain.contracts.receipts import FAILURE, SUCCESS, Log, Receipt
from minichain.errors import MalformedData

# py-evm raises Python's recursion limit to 12,288: a CALL chain 1,024 deep (the EVM's limit)
# is a RecursionError under Python's default of 1,000 (tests/contracts runs one). py_ecc, which
# py-evm imports for its elliptic-curve precompiles, raises it to 100,000: deep enough for C code
# (json.loads on a hostile "[[[[...") to overflow the C stack and kill the process. Back to 12,288:
sys.setrecursionlimit(EVM_RECURSION_LIMIT)

BLOCK_GAS_LIMIT = 30_000_000  # gas units per block by default, Ethereum's London-era limit
# (at ~3 M gas per CPU-second, a block of tight loops this full runs ~10 s: pick it per chain)
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

    def __post_init__(self) -> None:
        for name in ("number", "timestamp", "chain_id", "gas_limit", "difficulty"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**256:
                raise MalformedData(f"block context: {name} must be an integer from 0 to 2^256-1, "
                                    f"found {value!r:.40}")
        if not isinstance(self.coinbase, bytes) or len(self.coinbase) != 20:
            raise MalformedData("block context: coinbase is a 20-byte EVM address, "
                                f"found {self.coinbase!r:.60}")
        if not all(isinstance(h, bytes) and len(h) == 32 for h in self.prev_hashes):
            raise MalformedData("block context: previous hashes are 32 bytes each")

    def execution_context(self) -> ExecutionContext:
        return ExecutionContext(
            coinbase=Address(self.coinbase), timestamp=self.timestamp,
            block_number=BlockNumber(self.number), difficulty=self.difficulty,
            mix_hash=Hash32(bytes(32)), gas_limit=self.gas_limit,
            prev_hashes=[Hash32(h) for h in self.prev_hashes[:MAX_PREV_HASHES]],
            chain_id=self.chain_id, base_fee_per_gas=0,
        )


class _Intrinsic(NamedTuple):
    """The three fields py-evm's intrinsic-gas rule reads from a transaction."""

    to: bytes
    data: bytes
    access_list: tuple[()] = ()  # EIP-2930 access lists: minichain transactions carry none


def intrinsic_gas(data: bytes, is_create: bool) -> int:
    """g0 of a London transaction carrying `data` (call data, or init code for a deploy): py-evm's
    own rule for EIP-1559 transactions (21,000; 4 per zero byte and 16 per other byte, EIP-2028;
    32,000 more to create; EIP-2930's access-list costs, nil here)."""
    return int(calculate_txn_intrinsic_gas_berlin(
        _Intrinsic(CREATE_CONTRACT_ADDRESS if is_create else ZERO_ADDRESS, data)))  # type: ignore[arg-type]


# --- py-evm, configured for minichain -----------------------------------------------------------


class _CodeSizeExceeded(evm_errors.OutOfGas):
    """EIP-170's refusal, as py-evm makes it (an out-of-gas) but recognisable by its class."""


class _Computation(LondonComputation):
    @classmethod
    def validate_contract_code(cls, contract_code: bytes) -> None:
        """py-evm's check of the code a deploy returns, with EIP-170's size refusal made recognisable.

        Raises:
            _CodeSizeExceeded (an OutOfGas; the engine turns it into CodeTooLarge), and py-evm's
            ReservedBytesInCode (EIP-3541: code that starts with 0xEF).
        """
        if len(contract_code) > MAX_CODE_SIZE:
            raise _CodeSizeExceeded(f"deployed code would be {len(contract_code)} bytes; "
                                    f"EIP-170 allows {MAX_CODE_SIZE}")
        super().validate_contract_code(contract_code)


class EvmState(LondonState):
    """London rules; remembers which storage slots it wrote, for the readable storage view."""

    computation_class = _Computation

    def __init__(self, db: AtomicDB, context: ExecutionContext, root: bytes) -> None:
        super().__init__(db, context, Hash32(root))
        self.written_slots: set[tuple[bytes, int]] = set()

    def set_storage(self, address: Address, slot: int, value: int) -> None:
        self.written_slots.add((bytes(address), slot))
        super().set_storage(address, slot, value)


# --- one transaction ----------------------------------------------------------------------------


def run_message(state: EvmState, sender: bytes, to: bytes, data: bytes, gas_limit: int,
                gas_price: int, create_nonce: int | None, keep: bool) -> Receipt:
    """Steps 1-4 of the module docstring on `state`: a deploy when `create_nonce` is given (the
    sender's minichain nonce), else a call of `to`. With keep=False (a view call) every change is
    undone afterwards; with keep=True it is locked in, so a later transaction cannot undo it.
    Raises IntrinsicGasTooLow or NoContractCode for a transaction that cannot run at all."""
    _check_inputs(sender, to, data, gas_limit, gas_price, create_nonce)
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
        if not code and Address(to) not in _Computation.get_precompiles():
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
        gas_used = _finalize(state, computation, gas_limit, keep)
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


MAX_NONCE = 2**64 - 2  # EIP-2681: a nonce stays below 2^64 - 1
MAX_GAS = 2**63 - 1  # gas limits and prices fit SQLite's INTEGER, as minichain's amounts do


def _check_inputs(sender: bytes, to: bytes, data: bytes, gas_limit: int, gas_price: int,
                  create_nonce: int | None) -> None:
    """The interface's own types and ranges, so a caller's mistake is named, not a py-evm trace."""
    for name, raw in (("sender", sender), ("to", to)):
        if not isinstance(raw, bytes) or (len(raw) != 20 and not (name == "to" and create_nonce is not None)):
            raise InvalidEvmAddress(f"{name}: an EVM address is 20 bytes, found {raw!r:.60}")
    if not isinstance(data, bytes):
        raise InvalidContractTransaction(f"data must be bytes, found {type(data).__name__}")
    for name, number in (("gas limit", gas_limit), ("gas price", gas_price)):
        if not isinstance(number, int) or isinstance(number, bool) or not 0 <= number <= MAX_GAS:
            raise GasLimitOutOfRange(f"{name} must be an integer from 0 to 2^63-1, found {number!r}")
    if create_nonce is not None and (not isinstance(create_nonce, int) or isinstance(create_nonce, bool)
                                     or not 0 <= create_nonce <= MAX_NONCE):
        raise InvalidContractTransaction(f"nonce must be an integer from 0 to 2^64-2 (EIP-2681), "
                                         f"found {create_nonce!r}")


def _settle(state: EvmState, snapshot: Any, keep: bool,
            written_before: set[tuple[bytes, int]] | None) -> None:
    if keep:
        state.commit(snapshot)
        state.lock_changes()  # also forgets this transaction's warm addresses (EIP-2929)
    else:
        state.revert(snapshot)
        if written_before is not None:
            state.written_slots = written_before


def _finalize(state: EvmState, computation: ComputationAPI, gas_limit: int, keep: bool) -> int:
    """Refund (EIP-3529), self-destructs and touched-empty accounts (EIP-161); the gas used.
    A view's changes are all undone afterwards, so it skips the deletions."""
    before_refund = gas_limit - computation.get_gas_remaining()
    refund: int = LondonTransactionExecutor.calculate_gas_refund(computation, before_refund)
    if not keep:
        return before_refund - refund
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
