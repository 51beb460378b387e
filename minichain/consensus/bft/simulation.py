"""A seeded network of Tendermint validators in virtual time: every message and timeout recorded.

Tests, labs and the explorer run whole rounds here without sockets or clocks: messages take a
seeded random latency, may be dropped, are held while a partition separates their ends (and
delivered when it heals, as gossip would retry), validators crash and restart from their signing
log, and a Byzantine validator's outgoing messages pass through a function that may rewrite them.
`timeline` lists what happened with its virtual time, for a message-sequence picture.
"""

from __future__ import annotations

import dataclasses
import hashlib
import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from minichain.consensus.bft.effects import Broadcast, Decide, Effect, RecordSigned, ScheduleTimeout
from minichain.consensus.bft.engine import BftEngine
from minichain.consensus.bft.machine import Tendermint
from minichain.consensus.bft.messages import Message, Proposal, Vote, VoteKind
from minichain.crypto import get_suite
from minichain.errors import ValidationError
from minichain.genesis import BftParams, Genesis

Outgoing = Callable[["Simulation", int, Message], list[tuple[int, Message]]]  # byzantine rewrite


@dataclass(frozen=True)
class TimelineEvent:
    time: float  # virtual seconds
    kind: str  # send, deliver, drop, hold, timeout, decide, crash, restart, reject
    node: int  # who acted (sender for send/drop/hold, receiver for deliver/reject)
    peer: int | None  # the other end of a message
    height: int
    round: int
    detail: str  # message type and value, timeout step, or the rule of a rejection


@dataclass
class SimApp:
    """Values are hashes naming (height, round, proposer); `invalid` ones are refused (L23)."""

    node: int
    invalid: set[bytes] = field(default_factory=set)
    invalid_proposers: set[int] = field(default_factory=set)  # these propose a value nobody accepts

    def propose_value(self, height: int, round: int) -> bytes:
        value = hashlib.sha256(f"block {height}/{round} by {self.node}".encode()).digest()
        if self.node in self.invalid_proposers:
            self.invalid.add(value)
        return value

    def is_valid(self, height: int, value: bytes) -> bool:
        return value not in self.invalid


def describe(message: Message) -> str:
    kind = "proposal" if isinstance(message, Proposal) else message.kind.value
    return f"{kind} {'nil' if message.block_hash is None else message.block_hash.hex()[:8]}"


class Simulation:
    def __init__(self, n: int = 4, seed: int = 0, latency: tuple[float, float] = (0.01, 0.1),
                 drop: float = 0.0, block_time_ms: int = 500, base_timeout_ms: int = 3000,
                 timeout_delta_ms: int = 500, suite: str = "sha256-ed25519") -> None:
        self.rng = random.Random(seed)
        self.latency, self.drop = latency, drop
        self.suite = get_suite(suite)
        self.keys = [self.suite.private_key_from_seed(f"bft-validator-{i}".encode()) for i in range(n)]
        addresses = tuple(self.suite.address(self.suite.public_key(k)) for k in self.keys)
        self.genesis = Genesis(chain_id="minichain-bft-sim", suite=suite, consensus=BftParams(
            addresses, block_time_ms=block_time_ms, base_timeout_ms=base_timeout_ms,
            timeout_delta_ms=timeout_delta_ms))
        self.engine = BftEngine(self.genesis)
        self.apps = [SimApp(i) for i in range(n)]
        self.records: list[list[Message]] = [[] for _ in range(n)]  # what each would have persisted
        self.machines = [self._machine(i) for i in range(n)]
        self.decisions: list[dict[int, Decide]] = [{} for _ in range(n)]
        self.timeline: list[TimelineEvent] = []
        self.byzantine: dict[int, Outgoing] = {}
        self.crashed: set[int] = set()
        self.groups: list[set[int]] | None = None  # a partition: messages between groups are held
        self.held: list[tuple[int, int, Message]] = []
        self.now = 0.0
        self._queue: list[tuple[float, int, int, object]] = []  # (time, seq, node, Message | Timeout)
        self._seq = 0
        self._epoch = [0] * n  # a restarted node ignores the timers of its previous life

    def _machine(self, i: int) -> Tendermint:
        return Tendermint(self.engine.validators, self.engine.domain, self.keys[i], self.apps[i],
                          self.engine.timeouts, self.records[i])

    # --- driving ------------------------------------------------------------------------------------

    def start(self, height: int = 1) -> Simulation:
        for i, machine in enumerate(self.machines):
            if i not in self.crashed:
                self._handle(i, machine.start_height(height))
        return self

    def run(self, until: float = 600.0, heights: int | None = None, max_events: int = 200_000) -> None:
        """Deliver events in time order until `until` (virtual seconds), or until every running
        validator has decided `heights` heights."""
        for _ in range(max_events):
            if heights is not None and all(len(self.decisions[i]) >= heights for i in self.running()):
                return
            if not self._queue or self._queue[0][0] > until:
                self.now = max(self.now, min(until, self._queue[0][0] if self._queue else until))
                return
            time, _, node, item = heapq.heappop(self._queue)
            self.now = time
            if node in self.crashed:
                continue
            if isinstance(item, tuple):  # (epoch, Timeout)
                epoch, timeout = item
                if epoch == self._epoch[node]:
                    self._log("timeout", node, None, timeout.height, timeout.round, timeout.step.name.lower())
                    self._handle(node, self.machines[node].on_timeout(timeout))
                continue
            assert isinstance(item, Proposal | Vote)
            self._deliver(node, item)
        raise RuntimeError(f"simulation: more than {max_events} events")

    def running(self) -> list[int]:
        return [i for i in range(len(self.machines)) if i not in self.crashed]

    def _deliver(self, node: int, message: Message) -> None:
        self._log("deliver", node, self._sender(message), message.height, message.round, describe(message))
        machine = self.machines[node]
        try:
            effects = (machine.on_proposal(message) if isinstance(message, Proposal)
                       else machine.on_vote(message))
        except ValidationError as error:
            self._log("reject", node, self._sender(message), message.height, message.round, error.rule)
            return
        self._handle(node, effects)

    def _sender(self, message: Message) -> int:
        key = message.proposer if isinstance(message, Proposal) else message.validator
        publics = [self.suite.public_key(k) for k in self.keys]
        return publics.index(key) if key in publics else -1

    def _handle(self, node: int, effects: list[Effect]) -> None:
        for effect in effects:
            match effect:
                case RecordSigned(message):
                    self.records[node].append(message)
                case Broadcast(message):
                    self._broadcast(node, message)
                case ScheduleTimeout(timeout, delay):
                    self._push(self.now + delay, node, (self._epoch[node], timeout))
                case Decide(height, round, value, _):
                    self.decisions[node][height] = effect
                    self._log("decide", node, None, height, round, value.hex()[:8])
                case _:
                    raise TypeError(f"unknown effect {effect!r}")

    def _broadcast(self, node: int, message: Message) -> None:
        rewrite = self.byzantine.get(node)
        targets = [(peer, message) for peer in range(len(self.machines)) if peer != node]
        for peer, sent in (rewrite(self, node, message) if rewrite else targets):
            self.send(node, peer, sent)

    def send(self, node: int, peer: int, message: Message) -> None:
        """One message on the wire: dropped, held by a partition, or delivered after a latency."""
        h, r, what = message.height, message.round, describe(message)
        if self.drop and self.rng.random() < self.drop:
            self._log("drop", node, peer, h, r, what)
        elif self.groups is not None and not any(node in g and peer in g for g in self.groups):
            self._log("hold", node, peer, h, r, what)
            self.held.append((node, peer, message))
        else:
            self._log("send", node, peer, h, r, what)
            self._push(self.now + self.rng.uniform(*self.latency), peer, message)

    def _push(self, time: float, node: int, item: object) -> None:
        self._seq += 1
        heapq.heappush(self._queue, (time, self._seq, node, item))

    def _log(self, kind: str, node: int, peer: int | None, height: int, round: int, detail: str) -> None:
        self.timeline.append(TimelineEvent(self.now, kind, node, peer, height, round, detail))

    # --- faults -------------------------------------------------------------------------------------

    def partition(self, *groups: set[int]) -> None:
        self.groups = list(groups)

    def heal(self) -> None:
        self.groups, held, self.held = None, self.held, []
        for node, peer, message in held:
            self.send(node, peer, message)

    def crash(self, node: int) -> None:
        self.crashed.add(node)
        self._log("crash", node, None, self.machines[node].height, self.machines[node].round, "")

    def restart(self, node: int) -> None:
        """A new process: its memory is gone, its signing log (records) survives."""
        self.crashed.discard(node)
        self._epoch[node] += 1
        self.machines[node] = self._machine(node)
        height = max(self.decisions[node], default=0) + 1
        self._log("restart", node, None, height, 0, f"{len(self.records[node])} records")
        self._handle(node, self.machines[node].start_height(height))
        for other in self.running():  # gossip: peers send the returning node what it missed
            for effect in self.machines[other].resend() if other != node else []:
                self.send(other, node, effect.message)  # resend() gives Broadcasts only

    def certified(self) -> dict[int, set[bytes]]:
        """Every value decided at each height, by any validator: safety means one per height."""
        values: dict[int, set[bytes]] = {}
        for decisions in self.decisions:
            for height, decision in decisions.items():
                values.setdefault(height, set()).add(decision.block_hash)
        return values

    def sign_as(self, node: int, message: Message) -> Message:
        """`message` signed with `node`'s key, bypassing its log: what a Byzantine node can do."""
        return message.signed(self.engine.domain, self.keys[node])


# --- Byzantine behaviours (outgoing rewrites) --------------------------------------------------------


def equivocating_proposer(first: set[int]) -> Outgoing:
    """Proposals: its real block to `first`, another block to everyone else."""
    def rewrite(sim: Simulation, node: int, message: Message) -> list[tuple[int, Message]]:
        peers = [p for p in range(len(sim.machines)) if p != node]
        if not isinstance(message, Proposal):
            return [(p, message) for p in peers]
        other = sim.sign_as(node, dataclasses.replace(message, block_hash=hashlib.sha256(
            b"other" + message.block_hash).digest()))
        return [(p, message if p in first else other) for p in peers]
    return rewrite


def double_voter(kind: VoteKind) -> Outgoing:
    """Each vote of `kind` goes out with a second, conflicting one (another block) to every peer."""
    def rewrite(sim: Simulation, node: int, message: Message) -> list[tuple[int, Message]]:
        peers = [p for p in range(len(sim.machines)) if p != node]
        out: list[tuple[int, Message]] = [(p, message) for p in peers]
        if isinstance(message, Vote) and message.kind is kind:
            twin = sim.sign_as(node, dataclasses.replace(message, block_hash=sim.rng.randbytes(32)))
            out += [(p, twin) for p in peers]
        return out
    return rewrite


def random_precommits() -> Outgoing:
    """Its precommits are replaced by precommits for random blocks (or nil), one per peer."""
    def rewrite(sim: Simulation, node: int, message: Message) -> list[tuple[int, Message]]:
        peers = [p for p in range(len(sim.machines)) if p != node]
        if not (isinstance(message, Vote) and message.kind is VoteKind.PRECOMMIT):
            return [(p, message) for p in peers]
        return [(p, sim.sign_as(node, dataclasses.replace(
            message, block_hash=sim.rng.choice([None, sim.rng.randbytes(32)])))) for p in peers]
    return rewrite
