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
from dataclasses import dataclass, field

from minichain.node.effects import PeerId

KNOWN_TXS_REMEMBERED = 10_000  # tx ids remembered per peer: at least the last 5,000 (~0.4 MB at most)
KNOWN_BLOCKS_REMEMBERED = 4_096  # block hashes remembered per peer, likewise


class PeerPhase(enum.Enum):
    GREETING = "greeting"  # our Hello is sent; the peer's has not arrived
    READY = "ready"  # both sides said Hello for the same chain


class BoundedSet:
    """Recent ids: what a peer is known to have. Two generations of plain sets, as Bitcoin Core's
    rolling filter has: when the newer holds limit/2 ids, the older is dropped and the newer
    becomes the older. So at least the last limit/2 ids are remembered and at most `limit`, in
    ~30 bytes an id. A gateway has a set per peer: a most-recently-used OrderedDict of 100,000
    took 10.5 MB a peer, 350 MB for a classroom's 34 peers after an hour of transfers."""

    def __init__(self, limit: int = KNOWN_TXS_REMEMBERED) -> None:
        self.limit = limit
        self._newer: set[bytes] = set()
        self._older: set[bytes] = set()

    def add(self, item: bytes) -> None:
        if item in self._newer:
            return
        self._newer.add(item)
        if len(self._newer) >= max(1, self.limit // 2):
            self._older, self._newer = self._newer, set()

    def __contains__(self, item: object) -> bool:
        return item in self._newer or item in self._older


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
