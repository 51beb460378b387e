"""The block tree: every valid block a node knows, the best branch, and the state at its tip.

Theory of operation. Blocks form a tree rooted at genesis; the *best chain* is the branch with the
greatest total weight (PoW: total work; PoA: number of blocks; ties keep the tip seen first).
A block whose parent is the tip extends the best chain: its transactions are applied and the
state root checked. A block on another branch is checked (header, seal, body) and kept; if its
branch becomes heavier, the chain *reorganises*: it rolls the state back block by block with undo
records to the fork point, then applies the new branch. If any block of that branch turns out
invalid, the reorg is undone completely and the bad block and its descendants are remembered as
invalid, so a fake "longer" chain can never replace a valid one. Engines with final blocks (BFT)
add two rules: a block connects only with a commit certificate the engine verifies, and no block
may fork off below a final block, so a final block is never reorganised away.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from minichain.blocks import BLOCK_VERSION, Block, Header, transactions_root
from minichain.checkcache import CheckCache
from minichain.consensus import ConsensusEngine, make_engine
from minichain.contract_block import (
    MAX_PREV_HASHES,
    BlockRun,
    ContractLedger,
    carries_contracts,
    check_presence,
)
from minichain.contract_tx import ContractTransaction
from minichain.crypto import Suite, get_suite
from minichain.encoding import short
from minichain.errors import (
    BlockTooLarge,
    BlockTransactionInvalid,
    FinalBlockConflict,
    InvalidBlock,
    InvalidTransaction,
    KnownInvalidAncestor,
    MerkleRootMismatch,
    StateRootMismatch,
    UnknownParent,
)
from minichain.genesis import ZERO_ADDRESS, Genesis
from minichain.state import Account, State, Undo
from minichain.transactions import Transaction

if TYPE_CHECKING:
    from minichain.contracts.receipts import Receipt
from minichain.validation import validate_body, validate_header, validate_transaction


def genesis_state(genesis: Genesis) -> State:
    """The state before block 1: each allocated address holds its amount, with nonce 0.
    The one definition: block 0 commits to its root, and every Chain starts from a fresh copy."""
    return State(get_suite(genesis.suite).hash,
                 {address: Account(amount, 0) for address, amount in genesis.allocations})


def make_genesis_block(genesis: Genesis, state: State | None = None) -> Block:
    """Block 0: no transactions, the allocations as its state, the config hash as its parent.
    `state`, if given, is genesis_state(genesis), already built by the caller."""
    suite = get_suite(genesis.suite)
    if state is None:
        state = genesis_state(genesis)
    header = Header(
        version=BLOCK_VERSION,
        parent_hash=suite.hash(genesis.config_bytes()),
        height=0,
        timestamp=genesis.timestamp,
        merkle_root=transactions_root((), suite),
        state_root=state.root(),
        beneficiary=ZERO_ADDRESS,
        seal=make_engine(genesis).genesis_seal(),
    )
    return Block(header, ())


@dataclass
class BlockEntry:
    block: Block
    hash: bytes
    total_weight: int  # sum of weights from genesis to this block

    @property
    def header(self) -> Header:
        return self.block.header

    @property
    def height(self) -> int:
        return self.block.header.height


@dataclass(frozen=True)
class ChainUpdate:
    """What one add_block did, for the store, the mempool and the explorer."""

    block_hash: bytes
    status: str  # "extended" | "reorg" | "side" | "known"
    connected: tuple[Block, ...] = ()  # joined the best chain, oldest first
    disconnected: tuple[Block, ...] = ()  # left the best chain, newest first
    undo: dict[bytes, Undo] = field(default_factory=dict)  # for each connected block


def fork_choice(candidate_weight: int, best_weight: int) -> bool:
    """Whether a branch of total weight `candidate_weight` replaces the best branch: only if it is
    strictly heavier (most cumulative work for PoW, most blocks for PoA); on a tie the branch
    seen first stays, so nodes do not flip between equal forks (Nakamoto 2008, section 4)."""
    return candidate_weight > best_weight


class Chain:
    """Add blocks with `add_block`; read the best chain with `tip`, `height`, `block_at`."""

    def __init__(self, genesis: Genesis, contract_db: sqlite3.Connection | None = None) -> None:
        """`contract_db`: where the EVM's state lives (a Store passes chain.db's connection);
        None keeps it in memory."""
        self.genesis = genesis
        self.suite: Suite = get_suite(genesis.suite)
        self.contracts = ContractLedger(genesis.chain_id, self.suite, contract_db, genesis.block_gas_limit)
        self.engine: ConsensusEngine = make_engine(genesis)
        self.state = genesis_state(genesis)
        genesis_block = make_genesis_block(genesis, self.state)
        self.genesis_hash = genesis_block.hash(self.suite)
        self._entries: dict[bytes, BlockEntry] = {
            self.genesis_hash: BlockEntry(genesis_block, self.genesis_hash, 0)
        }
        self._children: dict[bytes, list[bytes]] = {}
        self._invalid: dict[bytes, str] = {}  # block hash -> rule it broke
        self._main: list[bytes] = [self.genesis_hash]
        self._undo: dict[bytes, Undo] = {}
        # what this chain already checked (signatures by txid, addresses): a block's transactions
        # seen in the mempool are not verified twice; owned here, so two chains share nothing
        self.verified = CheckCache()
        # the last block build_block made and its EVM run, so add_block need not run it again
        self._built: tuple[tuple[object, ...], BlockRun] | None = None

    @classmethod
    def restore(
        cls,
        genesis: Genesis,
        blocks: Sequence[Block],
        main_hashes: Sequence[bytes],
        accounts: dict[str, Account],
        undo: dict[bytes, Undo],
        receipts: dict[bytes, tuple[tuple[bytes, Receipt], ...]] | None = None,
        contract_db: sqlite3.Connection | None = None,
    ) -> Chain:
        """Rebuild a Chain from what a store saved, trusting the disk for signatures but checking
        that the pieces fit: the best chain links parent to child from genesis, and the saved
        accounts hash to the tip's state root. StoreError otherwise."""
        from minichain.errors import StoreError

        chain = cls(genesis, contract_db)
        if not main_hashes or main_hashes[0] != chain.genesis_hash:
            raise StoreError("stored chain does not start at this genesis block")
        for block in sorted(blocks, key=lambda b: b.height):
            block_hash = block.hash(chain.suite)
            if block_hash in chain._entries:
                continue
            parent = chain._entries.get(block.header.parent_hash)
            if parent is None:
                continue  # an orphan saved by an older version: not part of the tree
            weight = parent.total_weight + chain.engine.weight(block.header)
            chain._entries[block_hash] = BlockEntry(block, block_hash, weight)
            chain._children.setdefault(block.header.parent_hash, []).append(block_hash)
        for height, block_hash in enumerate(main_hashes):
            entry = chain._entries.get(block_hash)
            if entry is None or entry.height != height or (
                height and entry.header.parent_hash != main_hashes[height - 1]
            ):
                raise StoreError(f"stored best chain is broken at height {height}")
        chain._main = list(main_hashes)
        chain.state = State(chain.suite.hash, accounts)
        if chain.state.root() != chain.tip.state_root:
            raise StoreError(
                f"stored accounts hash to {short(chain.state.root())}, the tip at height "
                f"{chain.height} says {short(chain.tip.state_root)}"
            )
        chain._undo = {h: undo[h] for h in main_hashes[1:] if h in undo}
        if chain.tip.contract_root and not chain.contracts.engine.has_root(chain.tip.contract_root):
            raise StoreError(f"the tip's contract state root {short(chain.tip.contract_root)} is "
                             "not in the stored contract state")
        for block_hash, block_receipts in (receipts or {}).items():
            chain.contracts.remember(block_hash, block_receipts)
        return chain

    # --- reading --------------------------------------------------------------------------------

    @property
    def height(self) -> int:
        return len(self._main) - 1

    @property
    def tip_hash(self) -> bytes:
        return self._main[-1]

    @property
    def tip(self) -> Header:
        return self._entries[self._main[-1]].header

    @property
    def tip_weight(self) -> int:
        return self._entries[self._main[-1]].total_weight

    def block_at(self, height: int) -> Block:
        if not 0 <= height <= self.height:
            raise IndexError(f"no block at height {height}; the chain's height is {self.height}")
        return self._entries[self._main[height]].block

    def hash_at(self, height: int) -> bytes:
        return self._main[height]

    def get(self, block_hash: bytes) -> Block | None:
        entry = self._entries.get(block_hash)
        return entry.block if entry else None

    def entry(self, block_hash: bytes) -> BlockEntry | None:
        return self._entries.get(block_hash)

    def __contains__(self, block_hash: object) -> bool:
        return block_hash in self._entries

    def is_main(self, block_hash: bytes) -> bool:
        entry = self._entries.get(block_hash)
        return (
            entry is not None and entry.height <= self.height and self._main[entry.height] == block_hash
        )

    def invalid_rule(self, block_hash: bytes) -> str | None:
        return self._invalid.get(block_hash)

    def main_chain(self) -> Iterator[Block]:
        return (self._entries[h].block for h in self._main)

    def all_entries(self) -> Iterator[BlockEntry]:
        return iter(self._entries.values())

    def children(self, block_hash: bytes) -> list[bytes]:
        return list(self._children.get(block_hash, ()))

    def ancestor(self, header: Header, height: int) -> Header:
        """The header at `height` on the branch ending in `header` (AncestorLookup)."""
        if height > header.height or height < 0:
            raise IndexError(f"no ancestor at height {height} below height {header.height}")
        current = header
        while current.height > height:
            current_hash = current.hash(self.suite)
            if self.is_main(current_hash):
                return self._entries[self._main[height]].header
            current = self._entries[current.parent_hash].header
        return current

    def undo_record(self, block_hash: bytes) -> Undo | None:
        return self._undo.get(block_hash)

    def receipt(self, txid: bytes) -> tuple[bytes, Receipt] | None:
        """The receipt of a contract transaction on the best chain, and its block's hash."""
        return self.contracts.find(txid, self.is_main)

    def contract_root(self) -> bytes:
        """The EVM state root at the tip (the empty state's root before any contract)."""
        from minichain.contract_block import parent_contract_root

        return parent_contract_root(self.tip)

    def _prev_hashes(self, parent_hash: bytes) -> tuple[bytes, ...]:
        """The parent's hash, then its ancestors', at most 256 (what BLOCKHASH may see)."""
        hashes: list[bytes] = []
        cursor: bytes | None = parent_hash
        while cursor is not None and len(hashes) < MAX_PREV_HASHES:
            entry = self._entries.get(cursor)
            if entry is None:
                break
            hashes.append(cursor)
            cursor = entry.header.parent_hash if entry.height else None
        return tuple(hashes)

    @staticmethod
    def _built_key(header: Header) -> tuple[object, ...]:
        """What a sealed block shares with the template it was built from (all but the seal)."""
        return (header.parent_hash, header.height, header.timestamp, header.beneficiary,
                header.merkle_root, header.state_root, header.contract_root, header.receipts_root)

    def _take_built(self, header: Header) -> BlockRun | None:
        """The run of the block this chain last built, if `header` seals that very block."""
        built, self._built = self._built, None
        if built is not None and built[0] == self._built_key(header):
            return built[1]
        return None

    def _contract_run(self, header: Header, transactions: Sequence[Transaction]) -> BlockRun | None:
        parent = self._entries[header.parent_hash].header
        if not carries_contracts(parent, transactions):
            return None
        return self.contracts.begin(header, parent, self._prev_hashes(header.parent_hash))

    # --- adding ---------------------------------------------------------------------------------

    def add_block(self, block: Block, now: int | None = None) -> ChainUpdate:
        """Check `block` and add it to the tree, switching branch if it makes one heavier.
        On any error the chain is exactly as it was.

        Raises:
            UnknownParent or BlockFromFuture (NotYetConnectable: not invalid, only early; never
            remembered), KnownInvalidAncestor, or the InvalidBlock that validate_header,
            validate_body or applying the block (StateRootMismatch, BlockTransactionInvalid) raised.
        """
        block_hash = block.hash(self.suite)
        if block_hash in self._entries:
            return ChainUpdate(block_hash, "known")
        known_rule = self._invalid.get(block_hash)
        if known_rule is not None:
            raise KnownInvalidAncestor(f"block {short(block_hash)} was already rejected ({known_rule})",
                                       check="rejected", block_hash=block_hash, earlier_rule=known_rule)
        parent_hash = block.header.parent_hash
        if parent_hash in self._invalid:
            self._invalid[block_hash] = KnownInvalidAncestor.rule
            raise KnownInvalidAncestor(
                f"block {short(block_hash)}: its parent {short(parent_hash)} is invalid "
                f"({self._invalid[parent_hash]})",
                check="parent", block_hash=block_hash, parent_hash=parent_hash,
                earlier_rule=self._invalid[parent_hash],
            )
        parent = self._entries.get(parent_hash)
        if parent is None:
            raise UnknownParent(
                f"block {short(block_hash)} at height {block.height}: parent {short(parent_hash)} "
                "is not known yet",
                block_hash=block_hash, height=block.height, parent_hash=parent_hash,
            )
        self._check_finality(block, block_hash, parent)
        try:
            validate_header(block.header, parent.header, self, self.engine, now)
            validate_body(block, self.genesis, self.verified)
        except (MerkleRootMismatch, BlockTooLarge):
            # The block hash covers the header, not the body: a copy with a stripped or stuffed
            # body says nothing about the header, whose real block must stay acceptable.
            raise
        except InvalidBlock as error:
            self._invalid[block_hash] = error.rule
            raise
        entry = BlockEntry(block, block_hash, parent.total_weight + self.engine.weight(block.header))
        self._entries[block_hash] = entry
        self._children.setdefault(parent_hash, []).append(block_hash)
        if parent_hash == self.tip_hash:
            try:
                undo = self._connect(entry)
            except InvalidBlock as error:
                self._forget(block_hash, error.rule)
                raise
            return ChainUpdate(block_hash, "extended", (block,), (), {block_hash: undo})
        if fork_choice(entry.total_weight, self.tip_weight):
            return self._reorganise(entry)
        return ChainUpdate(block_hash, "side")

    def _check_finality(self, block: Block, block_hash: bytes, parent: BlockEntry) -> None:
        """The rules of final blocks, before any other check (neither remembers the block as
        invalid: the certificate is outside the block hash, so a stripped copy says nothing about
        the real block). Under BFT the best chain is all final: a block whose parent is not the tip
        would fork below a final block.

        Raises:
            FinalBlockConflict (chain-final), and what the engine's check_commit raises.
        """
        next_height = parent.height + 1
        if next_height <= self.height and self.is_main(parent.hash):
            rival = self._entries[self._main[next_height]]
            if self.engine.is_final(rival.header):
                raise FinalBlockConflict(
                    f"block {next_height} {short(block_hash)} would fork the chain below the final "
                    f"block {short(rival.hash)}", height=next_height, block_hash=block_hash,
                    final_hash=rival.hash)
        self.engine.check_commit(block.header, block.commit)

    def check_candidate(self, block: Block, now: int | None = None) -> None:
        """None if `block` would extend the tip as the chain stands: every check of add_block but
        the commit certificate (a BFT validator asks before it prevotes a proposed block, Algorithm
        1's valid(v)). The chain is left exactly as it was.

        Raises:
            UnknownParent (its parent is not the tip: not invalid, only not for now), or the
            InvalidBlock that validate_header, validate_body or applying the block raised.
        """
        tip = self._entries[self.tip_hash]
        block_hash = block.hash(self.suite)
        if block.header.parent_hash != tip.hash:
            raise UnknownParent(
                f"block {short(block_hash)} at height {block.height}: parent "
                f"{short(block.header.parent_hash)} is not this node's tip {short(tip.hash)}",
                block_hash=block_hash, height=block.height, parent_hash=block.header.parent_hash)
        validate_header(block.header, tip.header, self, self.engine, now)
        validate_body(block, self.genesis, self.verified)
        undo, run = self._apply_checked(block, block_hash)
        self.state.revert(undo)
        # Kept, as build_block keeps its template's: when this block commits, its EVM run is done.
        self._built = (self._built_key(block.header), run) if run is not None else None

    def _connect(self, entry: BlockEntry) -> Undo:
        """Apply a block on top of the tip; StateRootMismatch or BlockTransactionInvalid if not."""
        undo, run = self._apply_checked(entry.block, entry.hash, reuse_built=True)
        if run is not None:
            self.contracts.remember(entry.hash, run.commit())
        self._undo[entry.hash] = undo
        self._main.append(entry.hash)
        return undo

    def _apply_checked(self, block: Block, block_hash: bytes,
                       reuse_built: bool = False) -> tuple[Undo, BlockRun | None]:
        """Apply a child of the tip to the state and check the roots it claims; if one is wrong,
        the state is reverted and the error raised. `reuse_built` (connecting, not only checking):
        the block this chain built and sealed is not run on the EVM again (see build_block)."""
        header = block.header
        check_presence(header, self._entries[header.parent_hash].header, block.transactions)
        built = self._take_built(header) if reuse_built else None
        run = built or self._contract_run(header, block.transactions)
        runner = (built.replayed() if built else run.run) if run else None
        undo = self.state.apply_block(
            block.transactions, header.beneficiary, self.engine.block_reward,
            label=f"block {header.height} ({short(block_hash)})", height=header.height,
            sender_of=self.verified.sender, run_contract=runner,
        )
        computed = self.state.root()
        if run is not None:
            try:
                run.check(header)
            except InvalidBlock:
                self.state.revert(undo)
                raise
        if computed != header.state_root:
            self.state.revert(undo)
            raise StateRootMismatch(
                f"block {header.height}: header says state root {short(header.state_root)}, "
                f"applying its transactions gives {short(computed)}",
                height=header.height, block_hash=block_hash, claimed=header.state_root, computed=computed,
            )
        return undo, run

    def _disconnect_tip(self) -> Block:
        block_hash = self._main.pop()
        self.state.revert(self._undo.pop(block_hash))
        return self._entries[block_hash].block

    def _reorganise(self, new_tip: BlockEntry) -> ChainUpdate:
        branch: list[BlockEntry] = []
        cursor = new_tip
        while not self.is_main(cursor.hash):
            branch.append(cursor)
            cursor = self._entries[cursor.header.parent_hash]
        branch.reverse()
        fork_height = cursor.height
        disconnected: list[Block] = []
        while self.height > fork_height:
            disconnected.append(self._disconnect_tip())
        undos: dict[bytes, Undo] = {}
        for entry in branch:
            try:
                undos[entry.hash] = self._connect(entry)
            except InvalidBlock as error:
                while self.height > fork_height:  # back to the fork point ...
                    self._disconnect_tip()
                for block in reversed(disconnected):  # ... and forward on the old branch
                    self._connect(self._entries[block.hash(self.suite)])
                self._forget(entry.hash, error.rule)
                raise
        return ChainUpdate(new_tip.hash, "reorg", tuple(e.block for e in branch),
                           tuple(disconnected), undos)

    def _forget(self, block_hash: bytes, rule: str) -> None:
        """Drop an invalid block and all its descendants from the tree, remembering why."""
        stack = [block_hash]
        while stack:
            current = stack.pop()
            entry = self._entries.pop(current, None)
            self._invalid[current] = rule if current == block_hash else KnownInvalidAncestor.rule
            if entry is not None:
                siblings = self._children.get(entry.header.parent_hash, [])
                if current in siblings:
                    siblings.remove(current)
            stack.extend(self._children.pop(current, []))

    # --- producing ------------------------------------------------------------------------------

    def build_block(
        self, transactions: Sequence[Transaction], beneficiary: str, timestamp: int
    ) -> tuple[Block, list[tuple[Transaction, InvalidTransaction]]]:
        """An unsealed block on the tip holding every transaction that applies, in order, and the
        ones left out with the reason. PoW: mine it with engine.mine; PoA: engine.seal.
        Contract transactions fill the block's gas (genesis.block_gas_limit) counting each one's
        whole gas limit, so the block can never run out; one that no longer fits, and its
        sender's later ones, wait for a next block (they are not invalid)."""
        included: list[Transaction] = []
        dropped: list[tuple[Transaction, InvalidTransaction]] = []
        seen: set[bytes] = set()
        gas_left = self.genesis.block_gas_limit
        waiting: set[str] = set()  # senders with a transaction left for a later block
        for tx in transactions:
            if tx.txid in seen or len(included) >= self.genesis.max_block_transactions:
                continue
            try:
                validate_transaction(tx, self.genesis, self.verified)
            except InvalidTransaction as error:
                dropped.append((tx, error))
                continue
            gas = cast(ContractTransaction, tx).gas_limit if tx.is_contract else 0
            if gas > gas_left or (waiting and self.verified.sender(tx) in waiting):
                waiting.add(self.verified.sender(tx))
                continue
            gas_left -= gas
            included.append(tx)
            seen.add(tx.txid)
        header = Header(
            version=BLOCK_VERSION,
            parent_hash=self.tip_hash,
            height=self.height + 1,
            timestamp=max(timestamp, self.tip.timestamp),
            merkle_root=b"",
            state_root=b"",
            beneficiary=beneficiary,
            seal=self.engine.template_seal(self.tip, self),
        )
        while True:  # apply the whole block; drop the first transaction that fails, and retry
            run = self._contract_run(header, included)  # a fresh EVM state on every try
            try:
                undo = self.state.apply_block(included, beneficiary, self.engine.block_reward,
                                              sender_of=self.verified.sender,
                                              run_contract=run.run if run else None)
                break
            except BlockTransactionInvalid as error:
                index = error.index
                dropped.append((included.pop(index), error.cause))
        state_root = self.state.root()
        self.state.revert(undo)
        contract_root, receipts = run.roots() if run is not None else (b"", b"")
        header = dataclasses.replace(
            header, merkle_root=transactions_root(tuple(included), self.suite),
            state_root=state_root, contract_root=contract_root, receipts_root=receipts)
        # Kept for add_block: the sealed block differs only in its seal, so its run is this one
        # (a producer's own block is executed once, as geth writes the state it mined).
        self._built = (self._built_key(header), run) if run is not None else None
        return Block(header, tuple(included)), dropped
