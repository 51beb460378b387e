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
from collections.abc import Iterable

from eth.db.backends.base import BaseDB

SCHEMA = """
CREATE TABLE IF NOT EXISTS evm_kv (k BLOB PRIMARY KEY, v BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS evm_slots (
    address BLOB NOT NULL, slot BLOB NOT NULL, PRIMARY KEY (address, slot)) WITHOUT ROWID;
"""


class SQLiteKV(BaseDB):
    """py-evm's key-value store over the evm_kv table of an open SQLite connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        db.executescript(SCHEMA)

    def __getitem__(self, key: bytes) -> bytes:
        row = self.db.execute("SELECT v FROM evm_kv WHERE k = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        value: bytes = row[0]
        return value

    def __setitem__(self, key: bytes, value: bytes) -> None:
        self.db.execute("INSERT OR REPLACE INTO evm_kv (k, v) VALUES (?, ?)", (key, value))

    def __delitem__(self, key: bytes) -> None:
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
