"""Effects: what the node core asks its host to do. The core never does I/O itself.

The in-memory network carries them out in virtual time; the HTTP host with sockets, SQLite and
the wall clock. Timeouts are effects too (WakeAt), so a consensus that needs round timers (BFT)
plugs in without anyone calling sleep().
"""

from __future__ import annotations

from dataclasses import dataclass

from minichain.chain import ChainUpdate
from minichain.consensus.bft.messages import Proposal, Vote

PeerId = str


@dataclass(frozen=True)
class Send:
    peer: PeerId
    data: bytes  # wire bytes of one message
    kind: str  # the message type, for logs and pictures


@dataclass(frozen=True)
class Disconnect:
    peer: PeerId
    reason: str


@dataclass(frozen=True)
class Ban:
    """The peer misbehaved past the threshold; ignore it until `until` (seconds)."""

    peer: PeerId
    reason: str
    until: float


@dataclass(frozen=True)
class Persist:
    """Save this chain change (and the mempool) before acting on it further."""

    update: ChainUpdate


@dataclass(frozen=True)
class PersistSigned:
    """Make this consensus message this validator signed durable (fsync) before sending anything:
    a validator restarted after kill -9 must never sign another value for its height and round."""

    message: Proposal | Vote


@dataclass(frozen=True)
class WakeAt:
    """Call tick() again at this time (seconds) or earlier."""

    time: float


@dataclass(frozen=True)
class Event:
    """Something worth showing: block produced/accepted, reorg, tx accepted, peer banned..."""

    kind: str
    detail: str


Effect = Send | Disconnect | Ban | Persist | PersistSigned | WakeAt | Event
