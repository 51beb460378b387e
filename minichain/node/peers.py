"""What a node knows about each peer: where the handshake stands, the peer's claimed tip, its
misbehaviour score and which ids it already has (so nothing is sent to it twice).

A peer goes through three phases, as h11 makes its connection states visible:
  GREETING  we know of the peer (a connection opened, or it wrote first); our Hello is out
  READY     a Hello on the same chain came back: gossip, sync and blocks flow
  (gone)    refused, disconnected or banned: the peer is dropped from the table
Messages other than Hello and Reject are only handled in READY.
"""

from __future__ import annotations

import enum
from collections import OrderedDict
from dataclasses import dataclass, field

from minichain.node.effects import PeerId

KNOWN_TXS_REMEMBERED = 100_000  # transaction ids remembered per peer (about 3 MB of set entries)
KNOWN_BLOCKS_REMEMBERED = 20_000  # block hashes remembered per peer


class PeerPhase(enum.Enum):
    GREETING = "greeting"  # our Hello is sent; the peer's has not arrived
    READY = "ready"  # both sides said Hello for the same chain


class BoundedSet:
    """The most recent `limit` ids: what a peer is known to have."""

    def __init__(self, limit: int = KNOWN_TXS_REMEMBERED) -> None:
        self.limit = limit
        self._items: OrderedDict[bytes, None] = OrderedDict()

    def add(self, item: bytes) -> None:
        self._items[item] = None
        self._items.move_to_end(item)
        if len(self._items) > self.limit:
            self._items.popitem(last=False)

    def __contains__(self, item: object) -> bool:
        return item in self._items


@dataclass
class PeerState:
    peer: PeerId
    phase: PeerPhase = PeerPhase.GREETING
    hello_at: float = -1e9  # when we last greeted this peer
    score: int = 0  # misbehaviour points; see misbehaviour.py
    height: int = 0  # what the peer last claimed about its chain
    weight: int = 0
    tip: bytes = b""
    doubted_until: float = 0.0  # its claims went unbacked: not synced from before then
    known_txs: BoundedSet = field(default_factory=BoundedSet)
    known_blocks: BoundedSet = field(default_factory=lambda: BoundedSet(KNOWN_BLOCKS_REMEMBERED))
    pending_txs: list[bytes] = field(default_factory=list)  # to announce at the next tick

    @property
    def handshaken(self) -> bool:
        return self.phase is PeerPhase.READY
