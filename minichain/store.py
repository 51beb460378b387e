"""SQLite persistence: a node's data directory survives a crash at any moment.

Each change of the chain (a block added, a reorg; or a whole sync batch of them) is written in
ONE SQLite transaction: the blocks, the best-chain index, the accounts they touched, their undo
records, the mempool. SQLite's write-ahead log (WAL) makes that transaction all or nothing, so a
process killed mid-write reopens at the previous block, never at half a block. On open, the saved
accounts must hash to the tip's state root, or the store refuses to start (StoreError) rather
than serve wrong balances.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from minichain.blocks import Block
from minichain.chain import Chain, ChainUpdate, make_genesis_block
from minichain.crypto import Suite, get_suite
from minichain.encoding import canonical_json, parse_json
from minichain.errors import MinichainError, StoreError
from minichain.genesis import Genesis
from minichain.mempool import Mempool
from minichain.state import Account, Undo
from minichain.transactions import Transaction

DB_NAME = "chain.db"
SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blocks (
    hash BLOB PRIMARY KEY, height INTEGER NOT NULL, parent BLOB NOT NULL, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS main (height INTEGER PRIMARY KEY, hash BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    address TEXT PRIMARY KEY, balance INTEGER NOT NULL, nonce INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS undo (hash BLOB PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS mempool (txid BLOB PRIMARY KEY, seq INTEGER NOT NULL, data BLOB NOT NULL);
"""


class Store:
    """One data directory. `Store.create(dir, genesis)` once, then `Store.open(dir)`."""

    def __init__(self, data_dir: Path, db: sqlite3.Connection, genesis: Genesis) -> None:
        self.data_dir = data_dir
        self.db = db
        self.genesis = genesis
        self.suite: Suite = get_suite(genesis.suite)
        self._saved_mempool: set[bytes] = set()

    # --- opening --------------------------------------------------------------------------------

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode: a crashed *process* loses nothing committed; a power cut may lose
        # the last commits but never leaves a half-written one.
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        return db

    @classmethod
    def create(cls, data_dir: str | Path, genesis: Genesis) -> Store:
        """Initialise a data directory with `genesis`; refuses to touch an existing chain."""
        path = Path(data_dir)
        if (path / DB_NAME).exists():
            raise StoreError(f"{path} already holds a chain; refusing to overwrite it")
        path.mkdir(parents=True, exist_ok=True)
        db = cls._connect(path / DB_NAME)
        store = cls(path, db, genesis)
        genesis_block = make_genesis_block(genesis)
        db.executescript(_SCHEMA)  # executescript commits on its own: keep it outside
        with store._transaction():
            db.execute("INSERT INTO meta VALUES ('schema', ?), ('genesis', ?)",
                       (SCHEMA_VERSION, canonical_json(genesis.to_json()).decode()))
            store._insert_block(genesis_block)
            db.execute("INSERT INTO main VALUES (0, ?)", (genesis_block.hash(store.suite),))
            db.executemany("INSERT INTO accounts VALUES (?, ?, 0)", genesis.allocations)
        (path / "genesis.json").write_text(json.dumps(genesis.to_json(), indent=2) + "\n")
        return store

    @classmethod
    def open(cls, data_dir: str | Path) -> Store:
        path = Path(data_dir)
        if not (path / DB_NAME).exists():
            raise StoreError(
                f"{path} holds no chain (no {DB_NAME}); run `minichain chain init --data {path} "
                "--genesis GENESIS.json` first"
            )
        db = cls._connect(path / DB_NAME)
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'genesis'").fetchone()
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{path / DB_NAME} is not a minichain database: {error}") from None
        if row is None:
            raise StoreError(f"{path / DB_NAME} has no genesis")
        return cls(path, db, Genesis.from_json(parse_json(row[0], "stored genesis")))

    def load(self, mempool_size: int = 20_000) -> tuple[Chain, Mempool]:
        """The chain and mempool as last committed."""
        try:
            blocks = [self._decode_block(data) for (data,) in self.db.execute("SELECT data FROM blocks")]
            main = [h for (h,) in self.db.execute("SELECT hash FROM main ORDER BY height")]
            accounts = {a: Account(b, n) for a, b, n in self.db.execute("SELECT * FROM accounts")}
            undo = {h: _decode_undo(d) for h, d in self.db.execute("SELECT hash, data FROM undo")}
            chain = Chain.restore(self.genesis, blocks, main, accounts, undo)
            mempool = Mempool(self.genesis, max_size=mempool_size, verified=chain.verified_signatures)
            rows = self.db.execute("SELECT txid, data FROM mempool ORDER BY seq").fetchall()
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.data_dir}: the database is damaged: {error}") from None
        for txid, data in rows:
            try:
                mempool.add(Transaction.from_json(parse_json(data, "stored tx")), chain.state)
            except MinichainError:
                continue  # became invalid (e.g. its nonce was used); dropped on next save
            self._saved_mempool.add(bytes(txid))
        return chain, mempool

    def close(self) -> None:
        self.db.close()

    # --- saving ---------------------------------------------------------------------------------

    def save(self, chain: Chain, update: ChainUpdate, mempool: Mempool | None = None) -> None:
        """Persist one add_block result (and the mempool) in a single transaction."""
        self.save_many(chain, [update], mempool)

    def save_many(
        self, chain: Chain, updates: Sequence[ChainUpdate], mempool: Mempool | None = None
    ) -> None:
        """Persist several add_block results, oldest first, in ONE transaction: a sync batch of
        500 blocks costs one commit, not 500. `chain` must be the chain after the last of them
        (its accounts are written as they are now), so the store moves from one whole-block
        state to another, never to half a batch."""
        changed = [update for update in updates if update.status != "known"]
        if not changed and mempool is None:
            return
        with self._transaction():
            touched: set[str] = set()
            for update in changed:
                self._save_update(chain, update, touched)
            self._write_accounts(chain, touched)
            if mempool is not None:
                self._sync_mempool(mempool)

    def _save_update(self, chain: Chain, update: ChainUpdate, touched: set[str]) -> None:
        """One add_block result; adds the addresses whose accounts it changed to `touched`."""
        if all(block.hash(self.suite) != update.block_hash for block in update.connected):
            block = chain.get(update.block_hash)  # a side block: stored, not on the best chain
            if block is not None:
                self._insert_block(block)
        for block in update.disconnected:
            block_hash = block.hash(self.suite)
            self.db.execute("DELETE FROM main WHERE height = ?", (block.height,))
            undo_row = self.db.execute("SELECT data FROM undo WHERE hash = ?", (block_hash,)).fetchone()
            if undo_row is not None:
                touched.update(_decode_undo(undo_row[0]))
            self.db.execute("DELETE FROM undo WHERE hash = ?", (block_hash,))
        for block in update.connected:
            block_hash = block.hash(self.suite)
            self._insert_block(block)
            self.db.execute("INSERT OR REPLACE INTO main VALUES (?, ?)", (block.height, block_hash))
            block_undo = update.undo.get(block_hash, {})
            self.db.execute("INSERT OR REPLACE INTO undo VALUES (?, ?)",
                            (block_hash, _encode_undo(block_undo)))
            touched.update(block_undo)

    def save_mempool(self, mempool: Mempool) -> None:
        with self._transaction():
            self._sync_mempool(mempool)

    def _write_accounts(self, chain: Chain, addresses: Iterable[str]) -> None:
        for address in addresses:
            if address in chain.state:
                account = chain.state.account(address)
                self.db.execute("INSERT OR REPLACE INTO accounts VALUES (?, ?, ?)",
                                (address, account.balance, account.nonce))
            else:
                self.db.execute("DELETE FROM accounts WHERE address = ?", (address,))

    def _sync_mempool(self, mempool: Mempool) -> None:
        current = {tx.txid: tx for tx in mempool.transactions()}
        gone = self._saved_mempool - current.keys()
        self.db.executemany("DELETE FROM mempool WHERE txid = ?", [(t,) for t in gone])
        for seq, (txid, tx) in enumerate(current.items()):
            if txid not in self._saved_mempool:
                self.db.execute("INSERT OR REPLACE INTO mempool VALUES (?, ?, ?)",
                                (txid, seq, tx.json_bytes))
        self._saved_mempool = set(current)

    def _insert_block(self, block: Block) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO blocks VALUES (?, ?, ?, ?)",
            (block.hash(self.suite), block.height, block.header.parent_hash,
             block.json_bytes(self.suite)),
        )

    def _decode_block(self, data: bytes) -> Block:
        return Block.from_json(parse_json(data, "stored block"), self.suite)

    def _transaction(self) -> _Transaction:
        return _Transaction(self.db)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK if anything inside raises."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        if kind is None:
            self.db.execute("COMMIT")
        else:
            self.db.execute("ROLLBACK")


def _encode_undo(undo: Undo) -> bytes:
    return canonical_json({a: None if acct is None else [acct.balance, acct.nonce]
                           for a, acct in undo.items()})


def _decode_undo(data: bytes) -> Undo:
    raw = parse_json(data, "stored undo record")
    return {a: None if v is None else Account(v[0], v[1]) for a, v in raw.items()}
