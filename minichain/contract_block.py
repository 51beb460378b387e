"""Contracts inside blocks: running a block's deploys and calls, and committing what they did.

Theory of operation. A block's transactions apply in order; a transfer changes balances, a
contract transaction is run by the EVM (minichain.contracts.ContractEngine) on the contract state
the parent left, with a BlockContext taken from OUR header (height, timestamp, chain id, the
beneficiary's 20 address bytes as COINBASE, the parents' hashes for BLOCKHASH): never a clock.
Its receipt says what it did; the sender pays gas_used * gas_price to the producer, success or not.

The header commits to both results: `contract_root` (the EVM state root after the block) and
`receipts_root` (a Merkle root over receipt_bytes of each contract transaction, in block order).
Which headers carry them: every block from the first one holding a contract transaction on
(once a chain has contract state, each header must say which). A header without them is the
exact header of before contracts, so a transfers-only chain keeps its bytes and block hashes;
we chose optional fields over a new header version because version 1 readers then still parse
every old block, and the rule "commitments continue once started" needs no flag day.
A root names a whole state and states are never deleted, so a reorg needs nothing here: the
next block simply starts from its own parent's contract_root (the Yellow Paper's section 4.3).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

from minichain.blocks import Header
from minichain.contract_tx import DEPLOY, ContractTransaction
from minichain.crypto import Suite, decode_address
from minichain.encoding import short
from minichain.errors import ContractRootMismatch
from minichain.genesis import DEFAULT_BLOCK_GAS_LIMIT
from minichain.merkle import merkle_root
from minichain.transactions import Transaction

if TYPE_CHECKING:
    from minichain.contracts.engine import BlockExecution, ContractEngine
    from minichain.contracts.receipts import Receipt

EMPTY_CONTRACT_ROOT = bytes.fromhex(  # keccak256(rlp(b"")): the EVM state with no accounts
    "56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421")
MAX_PREV_HASHES = 256  # BLOCKHASH sees at most the 256 previous blocks


def carries_contracts(parent: Header, transactions: Sequence[Transaction]) -> bool:
    """Whether a block on `parent` must commit to contract state (see the module docstring)."""
    return bool(parent.contract_root) or any(tx.is_contract for tx in transactions)


def parent_contract_root(parent: Header) -> bytes:
    return parent.contract_root or EMPTY_CONTRACT_ROOT


def receipts_root(receipts: Sequence[Receipt], suite: Suite) -> bytes:
    from minichain.contracts.receipts import receipt_bytes

    return merkle_root([receipt_bytes(receipt) for receipt in receipts], suite.hash)


class ContractLedger:
    """The contract side of one Chain: its engine (opened on first use, since py-evm takes about
    a second to import) and the receipts of every block it connected. Owned by the Chain."""

    def __init__(self, chain_id: str, suite: Suite, db: sqlite3.Connection | None = None,
                 block_gas_limit: int = DEFAULT_BLOCK_GAS_LIMIT) -> None:
        self.chain_id = chain_id
        self.suite = suite
        self.block_gas_limit = block_gas_limit  # gas units a block's contract transactions may use
        self._db = db  # the store's connection (evm_kv lives in chain.db), or None: in memory
        self._engine: ContractEngine | None = None
        self.receipts: dict[bytes, tuple[tuple[bytes, Receipt], ...]] = {}  # block hash -> (txid, r)
        self._by_txid: dict[bytes, list[bytes]] = {}  # txid -> hashes of blocks holding it

    @property
    def engine(self) -> ContractEngine:
        if self._engine is None:
            from minichain.contracts.engine import ContractEngine

            db = self._db if self._db is not None else sqlite3.connect(
                ":memory:", isolation_level=None, check_same_thread=False)
            self._engine = ContractEngine(db)
        return self._engine

    def begin(self, header: Header, parent: Header, prev_hashes: Sequence[bytes]) -> BlockRun:
        """The run of the block `header` heads, on its parent's contract state."""
        from minichain.contracts.addresses import evm_chain_id
        from minichain.contracts.execution import BlockContext

        context = BlockContext(
            number=header.height, timestamp=header.timestamp, chain_id=evm_chain_id(self.chain_id),
            coinbase=decode_address(header.beneficiary), gas_limit=self.block_gas_limit,
            prev_hashes=tuple(prev_hashes[:MAX_PREV_HASHES]))
        return BlockRun(self.engine.begin(parent_contract_root(parent), context), self.suite)

    def remember(self, block_hash: bytes, receipts: tuple[tuple[bytes, Receipt], ...]) -> None:
        self.receipts[block_hash] = receipts
        for txid, _ in receipts:
            holders = self._by_txid.setdefault(txid, [])
            if block_hash not in holders:
                holders.append(block_hash)

    def damaged_node(self) -> bytes | None:
        """The key of a stored EVM node whose bytes no longer hash to it, if any: every node is
        kept under the keccak256 of its bytes, so an edited storage value cannot hide."""
        if self._engine is None and self._db is None:
            return None
        from eth_hash.auto import keccak

        for key, value in self.engine.db.execute("SELECT k, v FROM evm_kv"):
            if keccak(bytes(value)) != bytes(key):
                return bytes(key)
        return None

    def find(self, txid: bytes, is_main: Callable[[bytes], bool]) -> tuple[bytes, Receipt] | None:
        """The receipt of `txid` in the best chain's block that holds it, and that block's hash."""
        for block_hash in self._by_txid.get(txid, ()):
            if is_main(block_hash):
                for found, receipt in self.receipts[block_hash]:
                    if found == txid:
                        return block_hash, receipt
        return None


class BlockRun:
    """One block's contract transactions on the EVM, and the roots they give. Pass `run` to
    State.apply_block; nothing reaches the database until `commit`."""

    def __init__(self, execution: BlockExecution, suite: Suite) -> None:
        self.execution = execution
        self.suite = suite
        self.receipts: list[tuple[bytes, Receipt]] = []

    def run(self, tx: Transaction, sender: str) -> int:
        """Run one contract transaction (a ContractRunner): returns its fee, gas used * gas price.
        Raises the InvalidContractTransaction (an InvalidTransaction) of one that cannot run."""
        from minichain.contracts.addresses import evm_address

        contract = cast(ContractTransaction, tx)
        origin = evm_address(tx.suite, tx.sender_key)
        if contract.kind == DEPLOY:
            receipt = self.execution.deploy(origin, tx.nonce, contract.data, contract.gas_limit,
                                            contract.gas_price)
        else:
            receipt = self.execution.call(origin, contract.to, contract.data, contract.gas_limit,
                                          contract.gas_price)
        self.receipts.append((tx.txid, receipt))
        return receipt.fee

    def replayed(self) -> Callable[[Transaction, str], int]:
        """A ContractRunner that gives back this run's fees, in order, for the same transactions:
        a producer connecting the block it has just built need not run the EVM a second time
        (its roots are still checked against the header). Raises InvalidContractTransaction for
        a transaction this run did not run, in that place."""
        done = iter(self.receipts)

        def run(tx: Transaction, sender: str) -> int:
            from minichain.contracts.errors import InvalidContractTransaction

            txid, receipt = next(done, (b"", None))
            if receipt is None or txid != tx.txid:
                raise InvalidContractTransaction(f"tx {short(tx.txid)} is not the one this block "
                                                 "was built with in that place")
            return receipt.fee

        return run

    def roots(self) -> tuple[bytes, bytes]:
        """(contract state root, receipts root) after the transactions run so far."""
        return (self.execution.state_root,
                receipts_root([receipt for _, receipt in self.receipts], self.suite))

    def check(self, header: Header) -> None:
        """The header's commitments against what running its block gave.

        Raises:
            ContractRootMismatch (block-contract-root/state, /receipts).
        """
        state_root, computed_receipts = self.roots()
        if header.contract_root != state_root:
            raise ContractRootMismatch(
                f"block {header.height}: header says contract state root "
                f"{short(header.contract_root)}, running its contract transactions gives "
                f"{short(state_root)}", check="state", height=header.height,
                claimed=header.contract_root, computed=state_root)
        if header.receipts_root != computed_receipts:
            raise ContractRootMismatch(
                f"block {header.height}: header says receipts root {short(header.receipts_root)}, "
                f"running its contract transactions gives {short(computed_receipts)}",
                check="receipts", height=header.height, claimed=header.receipts_root,
                computed=computed_receipts)

    def commit(self) -> tuple[tuple[bytes, Receipt], ...]:
        """Write the block's new trie nodes (content-addressed: harmless if the block is later
        abandoned); returns its receipts, each with its txid."""
        self.execution.commit()
        return tuple(self.receipts)


def check_presence(header: Header, parent: Header, transactions: Sequence[Transaction]) -> None:
    """Whether the header carries contract commitments exactly when it must.

    Raises:
        ContractRootMismatch (block-contract-root/missing, /unexpected).
    """
    needed = carries_contracts(parent, transactions)
    if needed and not header.contract_root:
        raise ContractRootMismatch(
            f"block {header.height}: the chain has contract state, but the header commits to none",
            check="missing", height=header.height)
    if not needed and (header.contract_root or header.receipts_root):
        raise ContractRootMismatch(
            f"block {header.height}: the header commits to contract state the chain does not have",
            check="unexpected", height=header.height)
