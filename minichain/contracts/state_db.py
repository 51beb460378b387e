"""Contract state on disk: the EVM's Merkle Patricia tries, kept in one SQLite table.

Ethereum's world state (Yellow Paper, section 4.1 and appendix D) is a trie of accounts, each
with a trie of storage slots; every node is stored under its keccak256 hash, so a state is named
by one 32-byte root and two states share every node they have in common. py-evm reads and writes
those nodes through a key-value interface (`BaseDB`); here it is a table
`evm_kv(k BLOB PRIMARY KEY, v BLOB)`. py-evm never deletes a node when it persists (it applies
writes only), so every root ever committed stays readable: reopening at a parent's root is how a
reorg rolls contract state back, exactly. (Pruning would be a mark-and-sweep from live roots.)

The tries store slots under keccak256(slot), which cannot be listed back. For a readable storage
view we also note, in `evm_slots`, every slot ever written; a view at any root reads each noted
slot's value *at that root* and shows the non-zero ones.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Iterable

from eth.db.backends.base import BaseDB

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS evm_kv (k BLOB PRIMARY KEY, v BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS evm_slots (address BLOB NOT NULL, slot BLOB NOT NULL, "
    "PRIMARY KEY (address, slot)) WITHOUT ROWID",
)


READ_CACHE_BYTES = 32 << 20  # values kept in memory after a read: 32 MiB


class SQLiteKV(BaseDB):
    """py-evm's key-value store over the evm_kv table of an open SQLite connection.

    Every key py-evm writes is the keccak256 of its value (trie nodes, code), so a value once
    read can never change: reads are cached (least recently used first out, bounded in bytes).
    Whether a key exists is always asked of the database itself, so a rolled-back write is gone.
    """

    def __init__(self, db: sqlite3.Connection, cache_bytes: int = READ_CACHE_BYTES) -> None:
        self.db = db
        for statement in SCHEMA:  # not executescript, which would commit a caller's transaction
            db.execute(statement)
        self._cache: OrderedDict[bytes, bytes] = OrderedDict()
        self._cache_bytes = 0
        self._cache_limit = cache_bytes

    def __getitem__(self, key: bytes) -> bytes:
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        row = self.db.execute("SELECT v FROM evm_kv WHERE k = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        value: bytes = row[0]
        self._remember(key, value)
        return value

    def _remember(self, key: bytes, value: bytes) -> None:
        size = len(key) + len(value)
        if size > self._cache_limit:
            return
        self._cache[key] = value
        self._cache_bytes += size
        while self._cache_bytes > self._cache_limit:
            old_key, old_value = self._cache.popitem(last=False)
            self._cache_bytes -= len(old_key) + len(old_value)

    def __setitem__(self, key: bytes, value: bytes) -> None:
        self.db.execute("INSERT OR REPLACE INTO evm_kv (k, v) VALUES (?, ?)", (key, value))

    def __delitem__(self, key: bytes) -> None:
        dropped = self._cache.pop(key, None)
        if dropped is not None:
            self._cache_bytes -= len(key) + len(dropped)
        if self.db.execute("DELETE FROM evm_kv WHERE k = ?", (key,)).rowcount == 0:
            raise KeyError(key)

    def _exists(self, key: bytes) -> bool:
        return self.db.execute("SELECT 1 FROM evm_kv WHERE k = ?", (key,)).fetchone() is not None

    # --- the slot index for storage views ------------------------------------------------------

    def note_slots(self, slots: Iterable[tuple[bytes, int]]) -> None:
        rows = sorted((address, slot.to_bytes(32, "big")) for address, slot in slots)
        self.db.executemany("INSERT OR IGNORE INTO evm_slots (address, slot) VALUES (?, ?)", rows)

    def noted_slots(self, address: bytes, limit: int) -> list[int]:
        rows = self.db.execute(
            "SELECT slot FROM evm_slots WHERE address = ? ORDER BY slot LIMIT ?", (address, limit))
        return [int.from_bytes(row[0], "big") for row in rows]
