"""What one chain has already checked, kept so that the same check is not run twice. Not on the
reading path: validation.py works the same without it (every check is then simply done again).
"""

from __future__ import annotations

from typing import TypeVar

from minichain.crypto import is_address
from minichain.transactions import Transaction

_Key = TypeVar("_Key")
_Value = TypeVar("_Value")


class CheckCache:
    """What one chain has already checked, so that the same check is not run twice.

    A txid hashes the signed bytes *including* the signature, so the same id means the same
    signature check with the same answer: a transaction verified on mempool admission is not
    verified again inside a block (Bitcoin Core keeps the same cache). Likewise an address string
    that decoded once always decodes, and a public key always has the same address, which matters
    because a block repeats its senders and recipients. Each Chain owns one and lends it to its
    mempool; two chains share nothing. Each table keeps at most `limit` entries, oldest out first.
    """

    def __init__(self, limit: int = 200_000) -> None:
        self.limit = limit
        self._signatures: dict[bytes, None] = {}  # txids whose signature verified
        self._addresses: dict[str, None] = {}  # address strings that decoded
        self._senders: dict[tuple[str, bytes], str] = {}  # (suite, public key) -> its address

    def knows_signature(self, txid: bytes) -> bool:
        return txid in self._signatures

    def learn_signature(self, txid: bytes) -> None:
        self._remember(self._signatures, txid, None)

    def is_address(self, text: object) -> bool:
        """crypto.is_address(text), remembered for the addresses that pass."""
        if isinstance(text, str) and text in self._addresses:
            return True
        if not (isinstance(text, str) and is_address(text)):
            return False
        self._remember(self._addresses, text, None)
        return True

    def sender(self, tx: Transaction) -> str:
        """tx.sender, derived once per public key."""
        key = (tx.suite, tx.sender_key)
        address = self._senders.get(key)
        if address is None:
            address = tx.sender
            self._remember(self._senders, key, address)
        return address

    def clear(self) -> None:
        for table in (self._signatures, self._addresses, self._senders):
            table.clear()

    def _remember(self, table: dict[_Key, _Value], key: _Key, value: _Value) -> None:
        table[key] = value
        if len(table) > self.limit:
            del table[next(iter(table))]  # oldest first (dicts keep insertion order)
