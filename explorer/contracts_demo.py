"""Smart contracts on four nodes: each node runs the same transaction in its own EVM, on its own
copy of the contract state, and they must all reach the same result (the same storage, the same
events, the same refusal and the same state root). No Streamlit here: the contracts page and the
stage draw what this module computes.

Every node is a real minichain.contracts.ContractEngine (py-evm, London rules) over its own SQLite
database in memory; the contracts are the repo's samples (contracts/*.sol) compiled by solc-js
0.8.11 once per process. One action is one block of one transaction, applied on every node; a view
call (a `view` function) runs on every node too and changes nothing. The accounts are the capstone's
organisations, with sm3-sm2 keys; each one's EVM address comes from its public key, as on the chain.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from minichain import MinichainError, Wallet
from minichain.contracts import (
    EMPTY_ROOT,
    Artifact,
    BlockContext,
    BlockExecution,
    ContractAbi,
    ContractEngine,
    DecodedEvent,
    ExecutionFailed,
    NoContractCode,
    Receipt,
    StorageView,
    compile_samples,
    evm_address,
    evm_chain_id,
    to_hex_address,
)

SUITE = "sm3-sm2"  # the capstone's suite: SM2 keys, SM3 hashes
NODES = 4
CHAIN_ID = "explorer-contracts"
START_TIME = 1_764_000_000  # the first block's timestamp (2025-11-24); each block 2 s later
GAS = 3_000_000  # every transaction's gas limit: plenty for the samples, a bound for the rest
GAS_PRICE = 1  # coin units per gas unit: the fee a transaction pays is its gas used
ACCOUNTS = ("tax", "supplier", "buyer", "bank")  # the authority, an issuer, a holder, a financier
SAMPLES = ("InvoiceRegistry", "Token", "Voting")
INVOICE = "INV-2026-0001"
INVOICE_AMOUNT = 1_280_000  # fen: 12,800.00 yuan
INVOICE_TEXT = "e-invoice INV-2026-0001 · 12,800.00 CNY"  # the document stays off-chain, its hash goes on


_COMPILING = threading.Lock()
_COMPILED: dict[str, Artifact] = {}


def samples() -> dict[str, Artifact]:
    """The sample contracts, compiled once per process (about 1.2 s cold). Raises
    CompilerUnavailable when Node.js or solc-js is missing (a machine without `make setup`)."""
    with _COMPILING:  # one compile, whichever session (or the warm-up) asks first
        if not _COMPILED:
            _COMPILED.update(compile_samples())
        return dict(_COMPILED)


def warm_up() -> None:
    """Compile in the background now, so that a stage step never waits for the compiler."""
    def compile_quietly() -> None:
        with contextlib.suppress(MinichainError):  # the page that needs them says so, in words
            samples()

    threading.Thread(target=compile_quietly, name="contracts-warm-up", daemon=True).start()


@functools.cache
def wallet(account: str) -> Wallet:
    return Wallet.from_seed(f"explorer-contracts-{account}", SUITE)


def address(account: str) -> str:
    """An account's EVM address: the checksummed hex of its public key's 20 bytes."""
    return to_hex_address(evm_address(SUITE, wallet(account).public_key))


def account_of(hex_address: str) -> str | None:
    """Which named account an address is (None: none of them)."""
    wanted = hex_address.lower()
    return next((name for name in ACCOUNTS if address(name).lower() == wanted), None)


def content_hash(text: str) -> str:
    """A document's fingerprint as a bytes32 argument: what a registry stores instead of the file."""
    return "0x" + hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Action:
    """One transaction (or view call) of a named account: deploy `contract` when `function` is
    empty, else call `function` of the deployed `contract` with JSON-ready `args`."""

    who: str
    contract: str
    function: str = ""
    args: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What one action did on every node. `refused` is set when the arguments never made a
    transaction (bad arguments, no such function, contract not deployed): nothing ran anywhere."""

    action: Action
    height: int  # the block it was in (0 for a view call or a refusal before any block)
    receipts: tuple[Receipt, ...] = ()  # one per node, in node order
    roots: tuple[bytes, ...] = ()  # each node's contract state root after the action
    events: tuple[DecodedEvent, ...] = ()  # decoded from node 0's receipt (the others are equal)
    result: tuple[Any, ...] | None = None  # a view call's return values (node 0's)
    results_agree: bool = True  # a view call returned the same on every node
    refused: MinichainError | None = None

    @property
    def receipt(self) -> Receipt | None:
        return self.receipts[0] if self.receipts else None

    @property
    def succeeded(self) -> bool:
        return self.refused is None and all(receipt.succeeded for receipt in self.receipts)

    @property
    def agree(self) -> bool:
        """Every node reached the same state root and the same receipt (or view result)."""
        same_receipts = len({(r.status, r.gas_used, r.output, r.logs) for r in self.receipts}) <= 1
        return len(set(self.roots)) <= 1 and same_receipts and self.results_agree

    @property
    def failure(self) -> ExecutionFailed | None:
        """The typed failure every node's execution ended in (None on success)."""
        receipt = self.receipt
        return None if receipt is None else receipt.error()


@dataclass
class ContractNetwork:
    """Four nodes' contract states, kept in step one block at a time."""

    nodes: int = NODES
    engines: list[ContractEngine] = field(init=False)
    roots: list[bytes] = field(init=False)
    height: int = 0
    deployed: dict[str, bytes] = field(default_factory=dict)  # sample name -> contract address
    nonces: dict[str, int] = field(default_factory=dict)  # account -> transactions sent
    history: list[Outcome] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.engines = [ContractEngine(_memory_db()) for _ in range(self.nodes)]
        self.roots = [EMPTY_ROOT] * self.nodes

    def close(self) -> None:
        for engine in self.engines:
            engine.close()

    def abi(self, contract: str) -> ContractAbi:
        return ContractAbi(samples()[contract].abi)

    def send(self, action: Action) -> Outcome:
        """Run `action` on every node; a view call changes nothing, anything else is one block."""
        try:
            outcome = self._view(action) if self._is_view(action) else self._transact(action)
        except MinichainError as error:  # bad arguments, unknown function, not deployed
            outcome = Outcome(action, 0, refused=error)
        self.history.append(outcome)
        return outcome

    def storage(self, contract: str) -> StorageView | None:
        """The deployed contract's non-zero storage slots, named from the compiler's layout."""
        where = self.deployed.get(contract)
        if where is None:
            return None
        view = self.engines[0].storage(self.roots[0], where)
        return view.labelled(samples()[contract].storage_layout)

    def _is_view(self, action: Action) -> bool:
        return bool(action.function) and self.abi(action.contract).is_view(action.function, len(action.args))

    def _context(self, number: int) -> BlockContext:
        return BlockContext(number=number, timestamp=START_TIME + 2 * number, chain_id=evm_chain_id(CHAIN_ID))

    def _where(self, contract: str) -> bytes:
        where = self.deployed.get(contract)
        if where is None:
            raise NoContractCode(f"{contract} is not deployed yet: deploy it first", address=contract)
        return where

    def _view(self, action: Action) -> Outcome:
        abi, where = self.abi(action.contract), self._where(action.contract)
        data = abi.encode_call(action.function, list(action.args))
        sender = evm_address(SUITE, wallet(action.who).public_key)
        context = self._context(self.height)
        results = [tuple(abi.decode_output(action.function,
                                           engine.view(root, where, data, context, sender).output,
                                           len(action.args)))
                   for engine, root in zip(self.engines, self.roots, strict=True)]
        return Outcome(action, 0, roots=tuple(self.roots), result=results[0],
                       results_agree=len(set(map(repr, results))) == 1)

    def _transact(self, action: Action) -> Outcome:
        abi = self.abi(action.contract)
        sender = evm_address(SUITE, wallet(action.who).public_key)
        nonce, height = self.nonces.get(action.who, 0), self.height + 1
        if action.function:  # encode first: bad arguments refuse before any node runs anything
            where, data = self._where(action.contract), abi.encode_call(action.function, list(action.args))

            def run(block: BlockExecution) -> Receipt:
                return block.call(sender, where, data, GAS, GAS_PRICE)
        else:
            code = abi.deploy_code(samples()[action.contract].bytecode, list(action.args))

            def run(block: BlockExecution) -> Receipt:
                return block.deploy(sender, nonce, code, GAS, GAS_PRICE)
        receipts, roots = [], []
        for index, engine in enumerate(self.engines):
            block = engine.begin(self.roots[index], self._context(height))
            receipts.append(run(block))
            roots.append(block.commit())
        self.roots, self.height, self.nonces[action.who] = roots, height, nonce + 1
        first = receipts[0]
        if not action.function and first.succeeded and first.contract_address is not None:
            self.deployed[action.contract] = first.contract_address
        decoded = [abi.decode_event(log.topics, log.data) for log in first.logs]
        return Outcome(action, height, tuple(receipts), tuple(roots),
                       tuple(event for event in decoded if event is not None))


def _memory_db() -> sqlite3.Connection:
    # Streamlit may run a session's reruns on different threads, one at a time.
    return sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)


# --- the invoice story: the capstone's registry, and the double redemption it refuses ----------

def invoice_story() -> tuple[Action, ...]:
    """The e-invoice registry's life, one transaction a step: the tax bureau deploys it and admits
    a supplier; the supplier issues an invoice to the buyer; the buyer redeems it, then tries again."""
    registry = "InvoiceRegistry"
    return (
        Action("tax", registry),
        Action("tax", registry, "addIssuer", (address("supplier"),)),
        Action("supplier", registry, "issue",
               (INVOICE, address("buyer"), INVOICE_AMOUNT, content_hash(INVOICE_TEXT))),
        Action("buyer", registry, "redeem", (INVOICE,)),
        Action("buyer", registry, "redeem", (INVOICE,)),  # refused on every node
    )


def play(actions: Sequence[Action]) -> ContractNetwork:
    """A fresh network with `actions` applied in order (deterministic: same roots every time)."""
    network = ContractNetwork()
    for action in actions:
        network.send(action)
    return network


def readable(value: Any, names: Mapping[str, str]) -> str:
    """An argument or result as the room reads it: a known address as its account's name."""
    if isinstance(value, str) and value.startswith("0x") and len(value) == 42:
        account = account_of(value)
        return names.get(account, value) if account else value
    if isinstance(value, list | tuple):
        return "[" + ", ".join(readable(item, names) for item in value) + "]"
    return str(value)
