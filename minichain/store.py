"""SQLite persistence: a node's data directory survives a crash at any moment.

Each change of the chain (a block added, a reorg; or a whole sync batch of them) is written in
ONE SQLite transaction: the blocks, the best-chain index, the accounts they touched, their undo
records, the mempool. SQLite's write-ahead log (WAL) makes that transaction all or nothing, so a
process killed mid-write reopens at the previous block, never at half a block. On open, the saved
accounts must hash to the tip's state root and every best-chain block must have its undo record,
or the store refuses to start (StoreError) rather than serve wrong balances or fail half-way
through a reorg.

Failing loudly: every SQLite error becomes one typed error naming its rule. On open it is
`store-open` (not a database, damaged, a directory, read-only) or `store-undo`; on a write it is
`store-write` (disk full, read-only, I/O), and a node that gets one stops (minichain.net.http):
a block or a transaction it could not save is never shown, gossiped or acknowledged.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from minichain.blocks import Block, CommitCertificate
from minichain.chain import Chain, ChainUpdate, make_genesis_block
from minichain.consensus.bft import Message as ConsensusMessage
from minichain.consensus.bft import message_from_json
from minichain.consensus.bft.signlog import sign_key
from minichain.crypto import Suite, get_suite
from minichain.encoding import canonical_json, parse_json
from minichain.errors import (
    MinichainError,
    StoreError,
    StoreOpenError,
    StoreUndoMissing,
    StoreWriteError,
)
from minichain.genesis import Genesis
from minichain.invocation import cli_command
from minichain.mempool import Mempool
from minichain.state import Account, Undo
from minichain.transactions import Transaction

if TYPE_CHECKING:
    from minichain.contracts.receipts import Receipt

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
# What this BFT validator signed (consensus/bft/signlog.py): one row per height, round and step,
# written and fsynced before the message is sent, never replaced.
SIGNED_VOTES_SCHEMA = ("CREATE TABLE IF NOT EXISTS signed_votes (height INTEGER NOT NULL, round INTEGER "
                       "NOT NULL, step TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (height, round, step))")
SIGNED_VOTES_KEPT = 2  # heights below the chain's height minus this are forgotten: they are decided
# Tables created on open too, so an older data dir gains them: contract receipts, by block (a txid
# may sit in blocks of two branches; the EVM's own tables, evm_kv and evm_slots, are added by its
# engine, minichain.contracts.state_db); commit certificates of BFT blocks, by block hash (outside
# the block's hash, so outside its row: blocks from before BFT simply have none); signed votes.
_RECEIPTS_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS receipts (block_hash BLOB NOT NULL, idx INTEGER NOT NULL, "
    "txid BLOB NOT NULL, data BLOB NOT NULL, PRIMARY KEY (block_hash, idx))",
    "CREATE TABLE IF NOT EXISTS commits (hash BLOB PRIMARY KEY, data BLOB NOT NULL)",
    SIGNED_VOTES_SCHEMA,
)


class Store:
    """One data directory. `Store.create(dir, genesis)` once, then `Store.open(dir)`."""

    def __init__(self, data_dir: Path, db: sqlite3.Connection, genesis: Genesis) -> None:
        self.data_dir = data_dir
        self.db = db
        self.genesis = genesis
        self.suite: Suite = get_suite(genesis.suite)
        self._saved_mempool: set[bytes] = set()
        self._next_seq = 0  # mempool rows are read back in the order they were written

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
        db_path = path / DB_NAME
        if db_path.exists():
            raise StoreError(f"{path} already holds a chain; refusing to overwrite it")
        try:
            path.mkdir(parents=True, exist_ok=True)
            db = cls._connect(db_path)
            store = cls(path, db, genesis)
            genesis_block = make_genesis_block(genesis)
            db.executescript(_SCHEMA)  # executescript commits on its own: keep it outside
            for statement in _RECEIPTS_SCHEMA:
                db.execute(statement)
            with store._transaction():
                db.execute("INSERT INTO meta VALUES ('schema', ?), ('genesis', ?)",
                           (SCHEMA_VERSION, canonical_json(genesis.to_json()).decode()))
                store._insert_block(genesis_block)
                db.execute("INSERT INTO main VALUES (0, ?)", (genesis_block.hash(store.suite),))
                db.executemany("INSERT INTO accounts VALUES (?, ?, 0)", genesis.allocations)
            (path / "genesis.json").write_text(json.dumps(genesis.to_json(), indent=2) + "\n")
        except (sqlite3.Error, OSError) as error:
            raise open_error(db_path, error) from None
        return store

    @classmethod
    def open(cls, data_dir: str | Path) -> Store:
        """The data directory as last committed; StoreOpenError (one line, with its rule) if its
        database is not one, is damaged, or may not be written (a node must be able to save)."""
        path = Path(data_dir)
        db_path = path / DB_NAME
        if db_path.is_dir():
            raise StoreOpenError(f"{db_path} is a directory, not a database file",
                                 check="directory", path=str(db_path))
        if not db_path.exists():
            raise StoreError(
                f"{path} holds no chain (no {DB_NAME}); run `{cli_command()} chain init "
                f"--data {path} --genesis GENESIS.json` first"
            )
        for needed in (path, db_path):  # SQLite would only fail on the first write, deep inside
            if not os.access(needed, os.W_OK):
                raise StoreOpenError(f"{needed} is read-only: a node must be able to save its chain",
                                     check="read-only", path=str(db_path))
        try:
            db = cls._connect(db_path)
            row = db.execute("SELECT value FROM meta WHERE key = 'genesis'").fetchone()
        except sqlite3.Error as error:
            if "no such table" in str(error):
                raise StoreOpenError(f"{db_path} is not a minichain database (it has no meta table)",
                                     check="not-a-database", path=str(db_path)) from None
            raise open_error(db_path, error) from None
        if row is None:
            raise StoreOpenError(f"{db_path} has no genesis", check="damaged", path=str(db_path))
        try:
            genesis = Genesis.from_json(parse_json(row[0], "stored genesis"))
        except MinichainError as error:
            raise StoreOpenError(f"{db_path}: the stored genesis is damaged: {error}",
                                 check="damaged", path=str(db_path)) from None
        return cls(path, db, genesis)

    def load(self, mempool_size: int = 20_000) -> tuple[Chain, Mempool]:
        """The chain and mempool as last committed."""
        db_path = self.data_dir / DB_NAME
        try:
            for statement in _RECEIPTS_SCHEMA:
                self.db.execute(statement)
            rows_with_commits = self.db.execute(
                "SELECT b.data, c.data FROM blocks b LEFT JOIN commits c ON c.hash = b.hash")
            blocks = [self._decode_block(data, commit) for data, commit in rows_with_commits]
            main = [bytes(h) for (h,) in self.db.execute("SELECT hash FROM main ORDER BY height")]
            accounts = {a: Account(b, n) for a, b, n in self.db.execute("SELECT * FROM accounts")}
            undo = {bytes(h): _decode_undo(d)
                    for h, d in self.db.execute("SELECT hash, data FROM undo")}
            rows = self.db.execute("SELECT txid, data, seq FROM mempool ORDER BY seq").fetchall()
            receipts = self._load_receipts()
        except sqlite3.Error as error:
            raise open_error(db_path, error) from None
        except StoreError:
            raise
        except MinichainError as error:  # a row that does not decode: written by no minichain
            raise StoreOpenError(f"{db_path}: a stored row is damaged: {error}",
                                 check="damaged", path=str(db_path)) from None
        for height, block_hash in enumerate(main[1:], start=1):
            if block_hash not in undo:
                raise StoreUndoMissing(
                    f"{db_path}: block {block_hash.hex()[:16]} at height {height} has no undo "
                    "record, so a reorg past it could not be rolled back; restore the data dir "
                    "from a copy, or sync a fresh one from peers",
                    height=height, block_hash=block_hash)
        chain = Chain.restore(self.genesis, blocks, main, accounts, undo, receipts, self.db)
        mempool = Mempool(self.genesis, max_size=mempool_size, verified=chain.verified)
        self._next_seq = rows[-1][2] + 1 if rows else 0
        for txid, data, _ in rows:
            try:
                mempool.add(Transaction.from_json(parse_json(data, "stored tx")), chain.state)
            except MinichainError:
                continue  # became invalid (e.g. its nonce was used, or it was replaced); dropped on next save
            self._saved_mempool.add(bytes(txid))
        return chain, mempool

    def close(self) -> None:
        self.db.close()

    def _load_receipts(self) -> dict[bytes, tuple[tuple[bytes, Receipt], ...]]:
        rows = self.db.execute("SELECT block_hash, txid, data FROM receipts ORDER BY block_hash, idx")
        by_block: dict[bytes, list[tuple[bytes, Receipt]]] = {}
        for block_hash, txid, data in rows:
            from minichain.contracts.receipts import Receipt

            receipt = Receipt.from_json(parse_json(data, "stored receipt"))
            by_block.setdefault(bytes(block_hash), []).append((bytes(txid), receipt))
        return {block_hash: tuple(found) for block_hash, found in by_block.items()}

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
            for index, (txid, receipt) in enumerate(chain.contracts.receipts.get(block_hash, ())):
                self.db.execute("INSERT OR REPLACE INTO receipts VALUES (?, ?, ?, ?)",
                                (block_hash, index, txid, canonical_json(receipt.to_json())))
            touched.update(block_undo)

    def save_signed(self, messages: Sequence[ConsensusMessage], height: int) -> None:
        """Make what this validator just signed durable before it is sent: one transaction, and
        fsynced (synchronous=FULL for it: a vote must survive a power cut too, or a restarted
        validator could sign a second value). Rows below `height` - SIGNED_VOTES_KEPT go."""
        try:
            self.db.execute("PRAGMA synchronous=FULL")
            with self._transaction():
                for message in messages:
                    height_, round_, step = sign_key(message)
                    self.db.execute("INSERT OR IGNORE INTO signed_votes VALUES (?, ?, ?, ?)",
                                    (height_, round_, step, canonical_json(message.to_json())))
                self.db.execute("DELETE FROM signed_votes WHERE height < ?", (height - SIGNED_VOTES_KEPT,))
        finally:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("PRAGMA synchronous=NORMAL")

    def load_signed(self) -> list[ConsensusMessage]:
        """What this validator signed, as save_signed kept it, in signing order."""
        try:
            self.db.execute(SIGNED_VOTES_SCHEMA)
            rows = self.db.execute("SELECT data FROM signed_votes ORDER BY rowid").fetchall()
            return [message_from_json(parse_json(data, "stored vote")) for (data,) in rows]
        except sqlite3.Error as error:
            raise open_error(self.data_dir / DB_NAME, error) from None
        except MinichainError as error:
            raise StoreOpenError(f"{self.data_dir / DB_NAME}: a stored vote is damaged: {error}",
                                 check="damaged", path=str(self.data_dir / DB_NAME)) from None

    def save_mempool(self, mempool: Mempool) -> None:
        """Make the saved mempool equal `mempool`: new transactions written, gone ones deleted."""
        with self._transaction():
            self._sync_mempool(mempool)

    def save_transactions(self, txs: Sequence[Transaction]) -> None:
        """Write transactions just admitted to the mempool, in one commit, before the node answers
        202 for them: an acknowledged transaction is on disk. (Removals wait for the next
        save_mempool: a transaction already in a block is dropped again on load.)"""
        fresh = [tx for tx in txs if tx.txid not in self._saved_mempool]
        if not fresh:
            return
        with self._transaction():
            for tx in fresh:
                self._insert_mempool_row(tx)
        self._saved_mempool.update(tx.txid for tx in fresh)

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
        for txid, tx in current.items():
            if txid not in self._saved_mempool:
                self._insert_mempool_row(tx)
        self._saved_mempool = set(current)

    def _insert_mempool_row(self, tx: Transaction) -> None:
        self.db.execute("INSERT OR REPLACE INTO mempool VALUES (?, ?, ?)",
                        (tx.txid, self._next_seq, tx.json_bytes))
        self._next_seq += 1

    def _insert_block(self, block: Block) -> None:
        block_hash = block.hash(self.suite)
        self.db.execute(
            "INSERT OR IGNORE INTO blocks VALUES (?, ?, ?, ?)",
            (block_hash, block.height, block.header.parent_hash,
             block.json_bytes(self.suite, with_commit=False)),
        )
        if block.commit is not None:
            self.db.execute("INSERT OR REPLACE INTO commits VALUES (?, ?)",
                            (block_hash, canonical_json(block.commit.to_json(self.suite))))

    def _decode_block(self, data: bytes, commit: bytes | None = None) -> Block:
        block = Block.from_json(parse_json(data, "stored block"), self.suite)
        if commit is None:
            return block
        return block.with_commit(CommitCertificate.from_json(parse_json(commit, "stored commit")))

    def _transaction(self) -> _Transaction:
        # No copy needed: inside a transaction the saved set is replaced, never changed in place.
        saved, seq = self._saved_mempool, self._next_seq

        def forget() -> None:  # nothing was written: what we believe is saved is as before
            self._saved_mempool, self._next_seq = saved, seq

        return _Transaction(self.db, self.data_dir / DB_NAME, forget)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK if anything inside raises. A failed write (the disk
    is full, say) comes out as StoreWriteError with nothing of it committed."""

    def __init__(self, db: sqlite3.Connection, path: Path, on_rollback: Callable[[], None]) -> None:
        self.db = db
        self.path = path
        self.on_rollback = on_rollback

    def __enter__(self) -> None:
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise write_error(self.path, error) from None

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: object) -> None:
        if kind is None:
            try:
                self.db.execute("COMMIT")
                return
            except sqlite3.Error as error:
                value = error
        # SQLite may have rolled back on its own (it does on SQLITE_FULL): only roll back what
        # is still open, and never let a failed ROLLBACK hide the error that caused it.
        if self.db.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
        self.on_rollback()
        if isinstance(value, sqlite3.Error):
            raise write_error(self.path, value) from None


def _primary_code(error: sqlite3.Error) -> int | None:
    """SQLite's primary result code (SQLITE_FULL is 13, ...), None for errors from Python's side."""
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


SQLITE_PERM, SQLITE_READONLY, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = (
    3, 8, 11, 13, 14, 26)  # https://www.sqlite.org/rescode.html


def write_error(path: Path, error: sqlite3.Error) -> StoreWriteError:
    """The typed error for a failed write: which check, in words, with SQLite's own message."""
    code, text = _primary_code(error), str(error)
    if code == SQLITE_FULL or "disk is full" in text:
        return StoreWriteError(f"{path}: the disk is full ({text}); nothing of this write was saved",
                               check="disk-full", path=str(path))
    if code in (SQLITE_READONLY, SQLITE_PERM) or "readonly" in text:
        return StoreWriteError(f"{path} is read-only ({text}); nothing of this write was saved",
                               check="read-only", path=str(path))
    return StoreWriteError(f"{path}: a write failed ({text}); nothing of this write was saved",
                           check="io", path=str(path))


def open_error(path: Path, error: sqlite3.Error | OSError) -> StoreOpenError:
    """The typed error for a database that cannot be opened or read."""
    if isinstance(error, OSError):
        check = "read-only" if isinstance(error, PermissionError) else "unreadable"
        return StoreOpenError(f"{path}: {error.strerror or error}", check=check, path=str(path))
    code, text = _primary_code(error), str(error)
    if code == SQLITE_NOTADB:
        return StoreOpenError(f"{path} is not a minichain database ({text})",
                              check="not-a-database", path=str(path))
    if code in (SQLITE_READONLY, SQLITE_PERM):
        return StoreOpenError(f"{path} is read-only ({text}): a node must be able to save its chain",
                              check="read-only", path=str(path))
    if code == SQLITE_CANTOPEN:
        return StoreOpenError(f"{path} cannot be opened ({text})", check="unreadable", path=str(path))
    return StoreOpenError(f"{path} is damaged or cut short ({text}); restore it from a copy, or "
                          "sync a fresh data dir from peers", check="damaged", path=str(path))


def _encode_undo(undo: Undo) -> bytes:
    return canonical_json({a: None if acct is None else [acct.balance, acct.nonce]
                           for a, acct in undo.items()})


def _decode_undo(data: bytes) -> Undo:
    raw = parse_json(data, "stored undo record")
    return {a: None if v is None else Account(v[0], v[1]) for a, v in raw.items()}
