"""What goes into the BFT state machine besides messages (timeouts, the application's answers) and
what comes out of it (effects for the host to carry out). No clock, no socket, no randomness: the
host fires a `Timeout` when its `ScheduleTimeout` delay has passed, in real or virtual time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from minichain.consensus.bft.certificate import CommitCertificate
from minichain.consensus.bft.messages import Message, Step
from minichain.genesis import BftParams


class Application(Protocol):
    """The chain, as consensus sees it: it builds values and judges them."""

    def propose_value(self, height: int, round: int) -> bytes:
        """A new block for `height` (its 32-byte hash), when this validator is the proposer."""
        ...

    def is_valid(self, height: int, value: bytes) -> bool:
        """True if the block with hash `value` is known, valid and not oversized (Algorithm 1's
        valid(v)); an invalid or unknown block gets a nil prevote."""
        ...


@dataclass(frozen=True)
class Timeout:
    """A timer of one height, round and step (NEW_HEIGHT: the pause after a decision)."""

    height: int
    round: int
    step: Step


@dataclass(frozen=True)
class TimeoutConfig:
    """Timeouts grow with the round (base + round * delta), so after the network settles (GST) the
    honest validators eventually wait long enough to hear each other: liveness under partial synchrony."""

    block_time: float  # seconds from a decision to the next height's round 0
    base: float  # seconds: timeoutPropose(0) = timeoutPrevote(0) = timeoutPrecommit(0)
    delta: float  # seconds added per round

    @classmethod
    def of(cls, params: BftParams) -> TimeoutConfig:
        return cls(params.block_time_ms / 1000, params.base_timeout_ms / 1000, params.timeout_delta_ms / 1000)

    def duration(self, round: int) -> float:
        return self.base + round * self.delta


@dataclass(frozen=True)
class Broadcast:
    """Send this signed message to every other validator."""

    message: Message


@dataclass(frozen=True)
class RecordSigned:
    """Persist this message this validator signed before carrying out any later effect (signlog.py)."""

    message: Message


@dataclass(frozen=True)
class ScheduleTimeout:
    """Call on_timeout(timeout) after `delay` seconds."""

    timeout: Timeout
    delay: float  # seconds


@dataclass(frozen=True)
class Decide:
    """The block with hash `block_hash` is final at `height`; `certificate` proves it to anyone."""

    height: int
    round: int
    block_hash: bytes
    certificate: CommitCertificate


Effect = Broadcast | RecordSigned | ScheduleTimeout | Decide
