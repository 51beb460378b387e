"""The contract engine: Ethereum's state transition for one block of contract transactions.

Theory of operation. The chain hands the engine a parent's contract-state root and the block's
context (number, timestamp, chain id, producer, previous hashes: all from headers, never a
clock), then its deploys and calls in order (each run by execution.py, Yellow Paper section 6),
then asks for the new root: one write of the block's new trie nodes, in the chain's own SQLite
transaction if it has one open. A root names a whole state, so a reorg is only a matter of
beginning the next block at the other branch's root: old states are never deleted.

py-evm (0.12.1b1, pinned exactly) looks archived upstream: that is why all of it stays behind
this module's small interface, so another EVM could replace it without touching the chain.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from eth.constants import BLANK_ROOT_HASH, CREATE_CONTRACT_ADDRESS
from eth.db.atomic import AtomicDB
from eth_typing import Address

from minichain.contracts.addresses import ZERO_ADDRESS
from minichain.contracts.errors import (
    BlockCommitted,
    GasLimitOutOfRange,
    InitcodeTooLarge,
    InvalidEvmAddress,
    UnknownStateRoot,
)
from minichain.contracts.execution import (
    BLOCK_GAS_LIMIT,
    MAX_CODE_SIZE,
    BlockContext,
    EvmState,
    intrinsic_gas,
    run_message,
)
from minichain.contracts.receipts import Receipt
from minichain.contracts.state_db import SQLiteKV
from minichain.contracts.storage import StorageView, read_storage

EMPTY_ROOT: bytes = BLANK_ROOT_HASH  # the root of a state with no contracts (keccak256 of rlp(b""))
# Gas bounds time: py-evm runs a tight loop at ~3 M gas per CPU-second on this machine kind
# (bench/contracts_bench.py measures it), so a read-only call gets 3 M gas, about a second, far
# above any real read (balanceOf: ~24 k). A block's limit is the chain's to choose from its block
# time (BlockContext.gas_limit).
VIEW_GAS_LIMIT = 3_000_000
MAX_INITCODE_SIZE = 49_152  # bytes of deploy code (EIP-3860's limit, enforced here as a rule)


@dataclass(frozen=True)
class CallResult:
    """A read-only call's answer."""

    output: bytes  # ABI-encoded return values
    gas_used: int  # what the same call would use as a transaction (an estimate of its gas)


# --- the engine ---------------------------------------------------------------------------------


class ContractEngine:
    """The contract state of one chain, in one SQLite database (a file or a shared connection).

    `begin(root, context)` opens the state at a root for one block; `view` and `storage` read a
    root without changing it. Any root ever committed can be reopened: reorgs need nothing else.
    Not thread-safe: use it from one thread at a time, as the node's core does.
    """

    def __init__(self, db: sqlite3.Connection) -> None:
        """`db`: an open connection in autocommit mode (isolation_level=None), as minichain's
        Store opens it. The engine adds its tables (evm_kv, evm_slots) if they are missing."""
        self.db = db
        self._kv = SQLiteKV(db)
        self._atomic = AtomicDB(self._kv)
        self._view_state: tuple[bytes, EvmState] | None = None  # reused: a view undoes its changes

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
        if self._view_state is not None and self._view_state[0] == root:
            state = self._view_state[1]
            state.execution_context = context.execution_context()
        else:
            state = self._open(root, context)
            self._view_state = (root, state)
        receipt = run_message(state, sender, to, data, gas_limit, 0, None, keep=False)
        receipt.raise_for_status()
        return CallResult(receipt.output, receipt.gas_used)

    def code(self, root: bytes, address: bytes) -> bytes:
        """The code stored at `address` in the state at `root` (b"" if none)."""
        _check_address(address)
        return bytes(self._open(root, _READ_CONTEXT).get_code(Address(address)))

    def storage(self, root: bytes, address: bytes, limit: int = 1000) -> StorageView:
        """The contract's non-zero storage slots at `root` (at most `limit` noted slots read)."""
        _check_address(address)
        state = self._open(root, _READ_CONTEXT)
        slots = self._kv.noted_slots(address, limit)
        return read_storage(address, state.get_code_hash(Address(address)),
                            {slot: state.get_storage(Address(address), slot) for slot in slots})

    def _open(self, root: bytes, context: BlockContext) -> EvmState:
        if not self.has_root(root):
            raise UnknownStateRoot(f"contract state root {root.hex()[:16]}... is not in this "
                                   "database (never committed here)")
        return EvmState(self._atomic, context.execution_context(), root)

    def _persist(self, state: EvmState) -> bytes:
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


def _check_address(address: bytes) -> None:
    if not isinstance(address, bytes) or len(address) != 20:
        raise InvalidEvmAddress(f"an EVM address is 20 bytes, found {address!r:.60}")


_READ_CONTEXT = BlockContext(number=0, timestamp=0, chain_id=0)  # reads run no code


class BlockExecution:
    """One block's contract transactions, applied in order to the state at the parent's root.
    Nothing reaches the database until commit(); dropping the object discards the block."""

    def __init__(self, engine: ContractEngine, state: EvmState, context: BlockContext) -> None:
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
        if isinstance(init_code, bytes) and len(init_code) > MAX_INITCODE_SIZE:
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
        receipt = run_message(self._state, sender, to, data, gas_limit, 0, None, keep=False)
        receipt.raise_for_status()
        return CallResult(receipt.output, receipt.gas_used)

    @property
    def state_root(self) -> bytes:
        """The root after the transactions so far (computed, not yet written)."""
        return bytes(self._state.make_state_root())

    def commit(self) -> bytes:
        """Write this block's contract state to the database; returns the new state root."""
        self._check_open()
        self._committed = True
        return self._engine._persist(self._state)

    def _check_open(self) -> None:
        if self._committed:
            raise BlockCommitted("this block's contract state was already committed; begin the "
                                 "next block at the root commit() returned")

    def _apply(self, sender: bytes, to: bytes, data: bytes, gas_limit: int, gas_price: int,
               create_nonce: int | None) -> Receipt:
        self._check_open()
        available = self.context.gas_limit - self.gas_used
        if isinstance(gas_limit, int) and gas_limit > available:
            raise GasLimitOutOfRange(
                f"gas limit {gas_limit} exceeds what is left of the block's: {available} of "
                f"{self.context.gas_limit}")
        receipt = run_message(self._state, sender, to, data, gas_limit, gas_price, create_nonce, keep=True)
        self.gas_used += receipt.gas_used
        self.receipts.append(receipt)
        return receipt


__all__: Sequence[str] = (
    "BLOCK_GAS_LIMIT", "EMPTY_ROOT", "MAX_CODE_SIZE", "MAX_INITCODE_SIZE", "VIEW_GAS_LIMIT",
    "BlockContext", "BlockExecution", "CallResult", "ContractEngine", "intrinsic_gas",
)
