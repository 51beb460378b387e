"""An in-memory network of node cores in virtual time: deterministic, seeded, no sockets.

Messages are real wire bytes, delivered after a seeded random latency, possibly dropped, or cut
by a partition. Time only moves when events are processed, so a lab can run an hour of network
life in a second and get the same result on every machine. Every send, delivery and drop goes into
`log`, which labs and the explorer draw as message timelines. A node can be stopped (`crash`) and
started again (`restart`) from what it had saved: its chain and, on a BFT chain, its signed votes.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Sequence
from dataclasses import dataclass

from minichain.chain import Chain
from minichain.consensus.bft import Message as ConsensusMessage
from minichain.genesis import Genesis
from minichain.node.core import NodeConfig, NodeCore
from minichain.node.effects import Ban, Disconnect, Effect, Event, PersistSigned, Send, WakeAt
from minichain.transactions import Transaction


@dataclass(frozen=True)
class NetEvent:
    """One line of the network's log."""

    time: float  # virtual seconds since the network started
    kind: str  # "send", "deliver", "drop", or a node event ("produced", "reorg", "misbehaviour"...)
    source: str  # node id
    target: str  # node id ("" for node events)
    message: str  # message type, or the event's detail
    size: int = 0  # bytes on the wire
    sent: float = 0.0  # deliveries and drops: when the message was sent (virtual seconds)


class MemoryNetwork:
    """N node cores, fully connected, in virtual time. Build with `MemoryNetwork(genesis, configs)`."""

    def __init__(
        self,
        genesis: Genesis,
        configs: Sequence[NodeConfig],
        *,
        seed: int = 0,
        latency: tuple[float, float] = (0.05, 0.2),
        drop_rate: float = 0.0,
        connect: bool = True,
        chains: Sequence[Chain] | None = None,
        start_time: float | None = None,
    ) -> None:
        """`chains`: one Chain per node to start from (default: each starts at genesis), with
        `start_time` the virtual clock's start (default: the genesis timestamp)."""
        self.genesis = genesis
        self.start_time = float(genesis.timestamp if start_time is None else start_time)
        self.now = self.start_time
        self.latency = latency
        self.drop_rate = drop_rate
        self._rng = random.Random(seed)
        if chains is not None and len(chains) != len(configs):
            raise ValueError(f"{len(chains)} chains for {len(configs)} nodes")
        self.cores: list[NodeCore] = [
            NodeCore(genesis, config, chains[i] if chains is not None else None)
            for i, config in enumerate(configs)
        ]
        self.by_id = {core.node_id: core for core in self.cores}
        self.configs = {config.node_id: config for config in configs}
        self.signed: dict[str, list[ConsensusMessage]] = {c.node_id: [] for c in configs}  # "on disk"
        self.down: set[str] = set()  # crashed nodes: they hear nothing and do nothing
        self.log: list[NetEvent] = []
        self._queue: list[tuple[float, int, str, str, str, bytes, str, float]] = []
        self._seq = 0
        self._in_flight = 0
        self._groups: list[set[str]] | None = None
        self._wake: dict[str, float] = {}
        for core in self.cores:
            self._schedule_tick(core.node_id, self.now)
        if connect:
            self.connect_all()

    # --- topology -------------------------------------------------------------------------------

    def connect_all(self) -> None:
        for i, a in enumerate(self.cores):
            for b in self.cores[i + 1:]:
                self.connect(a.node_id, b.node_id)

    def connect(self, a: str, b: str) -> None:
        self._apply(a, self.by_id[a].connect(b, self.now))
        self._apply(b, self.by_id[b].connect(a, self.now))

    def partition(self, groups: Sequence[Sequence[int | str]]) -> None:
        """Cut the network into `groups` (node indexes or ids); messages between groups drop."""
        self._groups = [{self._id(n) for n in group} for group in groups]

    def heal(self) -> None:
        """Remove the partition; nodes that were apart reconnect (a new handshake, then sync)."""
        groups, self._groups = self._groups, None
        if not groups:
            return
        for i, a in enumerate(self.cores):
            for b in self.cores[i + 1:]:
                if not any(a.node_id in g and b.node_id in g for g in groups):
                    self.connect(a.node_id, b.node_id)

    def crash(self, node: int | str) -> None:
        """Stop `node` at once (kill -9): messages to and from it are lost, its timers stop."""
        node_id = self._id(node)
        self.down.add(node_id)
        self._record("crash", node_id, "", "")

    def restart(self, node: int | str) -> None:
        """Start `node` again as a new process: a fresh core over the chain it had saved and the
        votes it had signed (the store's signed_votes), greeting every peer."""
        node_id = self._id(node)
        old = self.by_id[node_id]
        core = NodeCore(self.genesis, self.configs[node_id], old.chain, signed=list(self.signed[node_id]))
        self.cores[self.cores.index(old)] = self.by_id[node_id] = core
        self.down.discard(node_id)
        self._record("restart", node_id, "", f"{len(self.signed[node_id])} signed messages kept")
        self._schedule_tick(node_id, self.now)
        for other in self.cores:
            if other.node_id != node_id and other.node_id not in self.down:
                other.disconnected(node_id)
                self.connect(node_id, other.node_id)

    def _id(self, node: int | str) -> str:
        return self.cores[node].node_id if isinstance(node, int) else node

    def _reachable(self, a: str, b: str) -> bool:
        return self._groups is None or any(a in g and b in g for g in self._groups)

    # --- actions --------------------------------------------------------------------------------

    def submit(self, node: int | str, tx: Transaction) -> None:
        """A client sends `tx` to one node; raises the typed error if that node refuses it."""
        node_id = self._id(node)
        self._apply(node_id, self.by_id[node_id].submit(tx, self.now))

    def produce(self, node: int | str) -> bool:
        """Make `node` produce a block now (PoW: mine it; PoA: only in its slot). True if it did."""
        node_id = self._id(node)
        core = self.by_id[node_id]
        height = core.chain.height
        self._apply(node_id, core.produce(self.now))
        return core.chain.height > height or any(
            e.kind == "produced" and e.source == node_id and e.time == self.now for e in self.log[-5:])

    # --- running --------------------------------------------------------------------------------

    def step(self) -> bool:
        """Process the next event (a delivery or a tick). False if nothing is scheduled."""
        if not self._queue:
            return False
        time, _, kind, source, target, data, message_kind, sent = heapq.heappop(self._queue)
        self.now = max(self.now, time)
        if kind == "tick":
            if self._wake.get(source) == time:
                del self._wake[source]
                if source not in self.down:
                    self._apply(source, self.by_id[source].tick(self.now))
            return True
        self._in_flight -= 1
        if target in self.down or source in self.down:
            self._record("drop", source, target, f"{message_kind} (node down)", len(data), sent)
            return True
        if not self._reachable(source, target):
            self._record("drop", source, target, f"{message_kind} (partition)", len(data), sent)
            return True
        self._record("deliver", source, target, message_kind, len(data), sent)
        self._apply(target, self.by_id[target].receive(source, data, self.now))
        return True

    def run_for(self, seconds: float) -> None:
        """Advance virtual time by `seconds`, processing everything due meanwhile."""
        end = self.now + seconds
        while self._queue and self._queue[0][0] <= end:
            self.step()
        self.now = end

    def run_until_idle(self, max_seconds: float = 60.0) -> bool:
        """Run until no message is in flight or waiting to be announced (or `max_seconds` of
        virtual time pass). True if the network went idle."""
        end = self.now + max_seconds
        while self._queue and self._queue[0][0] <= end:
            if self._in_flight == 0 and not any(c.has_pending_output() for c in self.cores):
                return True
            self.step()
        return self._in_flight == 0

    @property
    def elapsed(self) -> float:
        return self.now - self.start_time

    def converged(self) -> bool:
        return len({core.chain.tip_hash for core in self.cores}) == 1

    # --- effects --------------------------------------------------------------------------------

    def _apply(self, node_id: str, effects: list[Effect]) -> None:
        for effect in effects:
            if isinstance(effect, Send):
                self._send(node_id, effect)
            elif isinstance(effect, WakeAt):
                self._schedule_tick(node_id, effect.time)
            elif isinstance(effect, Event):
                self._record(effect.kind, node_id, "", effect.detail)
            elif isinstance(effect, Ban):
                self._record("ban", node_id, effect.peer, effect.reason)
            elif isinstance(effect, Disconnect):
                self._record("disconnect", node_id, effect.peer, effect.reason)
            elif isinstance(effect, PersistSigned):
                self.signed[node_id].append(effect.message)
            # Persist: an in-memory network keeps everything in memory already.

    def _send(self, source: str, effect: Send) -> None:
        if effect.peer not in self.by_id:
            return
        self._record("send", source, effect.peer, effect.kind, len(effect.data))
        if self.drop_rate and self._rng.random() < self.drop_rate:
            elapsed = self.now - self.start_time
            self._record("drop", source, effect.peer, f"{effect.kind} (random loss)", len(effect.data),
                         elapsed)
            return
        delay = self._rng.uniform(*self.latency)
        self._seq += 1
        self._in_flight += 1
        heapq.heappush(self._queue, (self.now + delay, self._seq, "deliver", source, effect.peer,
                                     effect.data, effect.kind, self.now - self.start_time))

    def _schedule_tick(self, node_id: str, time: float) -> None:
        current = self._wake.get(node_id)
        if current is not None and current <= time:
            return
        self._wake[node_id] = time
        self._seq += 1
        heapq.heappush(self._queue, (time, self._seq, "tick", node_id, "", b"", "tick", 0.0))

    def _record(
        self, kind: str, source: str, target: str, message: str, size: int = 0, sent: float = 0.0
    ) -> None:
        elapsed = round(self.now - self.start_time, 6)
        self.log.append(NetEvent(elapsed, kind, source, target, message, size, round(sent, 6)))
