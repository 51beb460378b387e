"""One node's protocol logic, without I/O: messages and the time go in, effects come out.

Theory of operation. A node keeps a chain and a mempool and talks to peers; each concern has
its own module, and this one routes messages and the time to them:
- handshake (handshake.py, peers.py): both sides say Hello; another chain is refused with the
  reason; a peer is GREETING until its Hello arrives, then READY;
- gossip (gossip.py): transactions and blocks are announced by id and fetched by who lacks them;
- sync (sync.py): a node that learns a peer is heavier asks for the blocks after its locator;
- production (production.py): in this node's turn, its engine seals a block, a bounded amount
  of work per tick;
- misbehaviour (misbehaviour.py): malformed messages, invalid blocks and transactions cost a
  peer points, and enough points a ban; the chain never accepts an invalid block anyway.
It never opens a socket, reads a clock or draws global randomness: the host passes `now` and the
seed. A handler that rejects its input leaves the core as it was.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from minichain.blocks import Block
from minichain.chain import Chain
from minichain.consensus.bft import Message as ConsensusMessage
from minichain.encoding import short
from minichain.errors import (
    InvalidTransaction,
    MalformedData,
    MempoolRejection,
    ValidationError,
)
from minichain.genesis import Genesis
from minichain.mempool import Mempool
from minichain.node import handshake, sync
from minichain.node.bft_driver import BftDriver
from minichain.node.config import NodeConfig
from minichain.node.effects import Ban, Disconnect, Effect, Event, PeerId, Send, WakeAt
from minichain.node.gossip import Gossip, send
from minichain.node.handshake import HELLO_RETRY, MEMPOOL_CATCH_UP
from minichain.node.intake import BlockIntake
from minichain.node.messages import (
    BftProposal,
    BftVote,
    Blocks,
    GetBlocks,
    GetData,
    Hello,
    Inventory,
    Message,
    Reject,
    Status,
    Transactions,
    decode_message,
)
from minichain.node.misbehaviour import (
    BAN_THRESHOLD,
    PENALTY_INVALID_TX,
    PENALTY_MALFORMED,
    PENALTY_PROTOCOL,
    STATELESS_TX_RULES,
    BanList,
)
from minichain.node.peers import PeerPhase, PeerState
from minichain.node.production import BlockProduction
from minichain.node.sync import SYNC_TIMEOUT
from minichain.node.waiting import WaitingRoom
from minichain.transactions import Transaction

TOO_MANY_PEERS = "too many peers"  # the reason given when the peer table is full

__all__ = ["BAN_THRESHOLD", "NodeConfig", "NodeCore"]


class NodeCore:
    """All protocol logic of one node: given messages and the time, it returns effects."""

    def __init__(self, genesis: Genesis, config: NodeConfig, chain: Chain | None = None,
                 mempool: Mempool | None = None, signed: Sequence[ConsensusMessage] = ()) -> None:
        """`signed`: what this validator signed before (BFT), as its store kept it."""
        self.genesis = genesis
        self.config = config
        self.chain = chain or Chain(genesis)
        self.mempool = mempool or Mempool(genesis, max_size=config.mempool_size,
                                          verified=self.chain.verified)
        self.suite = self.chain.suite
        self.node_id = config.node_id
        self.peers: dict[PeerId, PeerState] = {}
        self.bans = BanList()
        self.waiting = WaitingRoom(config.max_orphans, config.max_waiting_bytes)
        self.intake = BlockIntake(self.chain, self.mempool, self.waiting, self._penalise_peer,
                                  lambda peer: peer in self.peers)
        self.gossip = Gossip(self.peers, self.suite, self.mempool.get if config.push_transactions else None,
                             config.push_new_blocks)
        self._sync_peer: PeerId | None = None
        self._sync_asked_at = 0.0
        # BFT: blocks are proposed and decided by rounds of votes (bft_driver.py), not produced in turns
        self.bft = (BftDriver(self.chain, self.mempool, self.intake, self.gossip, self.peers,
                              self._penalise_peer, config.authority, signed)
                    if self.chain.engine.decides_by_votes else None)
        producer = None if self.bft is not None else config.producer
        self.production = (None if producer is None else
                           BlockProduction(producer, random.Random(f"{config.seed}/{config.node_id}")))
        self._announced_at = -1e9

    # --- host API -------------------------------------------------------------------------------

    def connect(self, peer: PeerId, now: float) -> list[Effect]:
        """A connection to `peer` is open (either side opened it): say Hello."""
        if self.bans.is_banned(peer, now):
            return [Disconnect(peer, "banned")]
        state = self._peer_state(peer)
        return [Disconnect(peer, TOO_MANY_PEERS)] if state is None else [self._greet(state, now)]

    def disconnected(self, peer: PeerId) -> None:
        self.peers.pop(peer, None)
        if self._sync_peer == peer:
            self._sync_peer = None

    def receive(self, peer: PeerId, message: Message | bytes, now: float) -> list[Effect]:
        """Handle one message from `peer` (wire bytes are decoded here, with limits)."""
        if self.bans.is_banned(peer, now):
            return [Disconnect(peer, "banned")]
        state = self._peer_state(peer)
        if state is None:
            return [Disconnect(peer, TOO_MANY_PEERS)]
        if isinstance(message, bytes):
            try:
                message = decode_message(message, self.suite)
            except MalformedData as error:
                return self._penalise(state, PENALTY_MALFORMED, f"malformed message: {error}", now)
        match message:
            case Hello():
                return self._on_hello(state, message, now)
            case Reject():
                self.peers.pop(peer, None)
                return [Event("peer-refused-us", f"{peer}: {message.reason}"),
                        Disconnect(peer, message.reason)]
            case _ if state.phase is not PeerPhase.READY:
                # Our Hello or theirs may have been lost (a restart, a failed request): greet again
                # and drop the message; it is not misbehaviour.
                return [] if now - state.hello_at < HELLO_RETRY else [self._greet(state, now)]
            case Status():
                state.height, state.tip, state.weight = message.height, message.tip, message.weight
                return self._maybe_sync(now)
            case Inventory():
                return self._on_inventory(state, message, now)
            case GetData():
                return self._on_getdata(state, message)
            case Transactions():
                return self._on_transactions(state, message, now)
            case GetBlocks():
                return self._on_getblocks(state, message)
            case Blocks():
                return self._on_blocks(state, message, now)
            case BftProposal() | BftVote():
                return [] if self.bft is None else self.bft.receive(state.peer, message, now)
            case _:
                raise TypeError(f"no handler for message type {type(message).__name__}")

    def penalise_malformed(self, peer: PeerId, reason: str, now: float) -> list[Effect]:
        """The host could not decode a message from `peer` (too big, not JSON, wrong fields)."""
        if self.bans.is_banned(peer, now):
            return [Disconnect(peer, "banned")]
        state = self._peer_state(peer)
        if state is None:
            return [Disconnect(peer, TOO_MANY_PEERS)]
        return self._penalise(state, PENALTY_MALFORMED, f"malformed message: {reason}", now)

    def is_banned(self, peer: PeerId, now: float) -> bool:
        return self.bans.is_banned(peer, now)

    def submit(self, tx: Transaction, now: float) -> list[Effect]:
        """A transaction from a local client. Raises the typed error if it is refused."""
        self.mempool.add(tx, self.chain.state)
        self.gossip.announce_tx(tx.txid, origin=None)
        return [Event("tx-accepted", f"{short(tx.txid)} from {tx.sender} (local)")]

    def tick(self, now: float) -> list[Effect]:
        """Time passes: flush announcements, produce blocks, retry a stalled sync."""
        effects: list[Effect] = []
        if now - self._announced_at >= self.config.announce_interval:
            # Batch what we gossip: one Inventory per peer per interval, however many arrived.
            self._announced_at = now
            effects += self.gossip.flush_tx_announcements()
        for early in self.waiting.due(now):  # their time has come: add them like any block
            effects += self.intake.add(early.block, early.origin, now).effects
        effects += self._produce(now, self.config.mining_attempts_per_tick)
        if self.bft is not None:
            effects += self.bft.tick(now)
        if self._sync_peer is not None and now - self._sync_asked_at > SYNC_TIMEOUT:
            stalled = self.peers.get(self._sync_peer)
            self._sync_peer = None
            if stalled is not None:
                effects += self._unbacked(stalled, "sync request timed out", now)
            effects += self._maybe_sync(now)
        self.bans.expire(now)
        effects.append(WakeAt(self.next_tick(now)))
        return effects

    def next_tick(self, now: float) -> float:
        """When a tick next has work: every tick_interval, or with config.idle_tick_interval set,
        the earliest of a transaction flush, a production turn, an early block's time, a sync
        timeout, and idle_tick_interval from now."""
        step, idle = self.config.tick_interval, self.config.idle_tick_interval
        if idle is None:
            return now + step
        due = [now + idle, self.waiting.next_due(),
               None if self.production is None else self.production.next_turn(self.chain, now),
               self._announced_at + self.config.announce_interval if self.has_pending_output() else None,
               None if self._sync_peer is None else self._sync_asked_at + SYNC_TIMEOUT]
        return max(now + step, min(t for t in due if t is not None))

    def has_pending_output(self) -> bool:
        return any(state.pending_txs for state in self.peers.values())

    def status(self) -> dict[str, object]:
        return {
            "node_id": self.node_id,
            "chain_id": self.genesis.chain_id,
            "consensus": self.genesis.consensus.kind,
            "height": self.chain.height,
            "tip": self.chain.tip_hash.hex(),
            "peers": sorted(p for p, s in self.peers.items() if s.handshaken),
            "mempool_size": len(self.mempool),
        }

    # --- handshake and sync ---------------------------------------------------------------------

    def _peer_state(self, peer: PeerId) -> PeerState | None:
        """The peer's entry, made on first contact while the table has room (None: it is full)."""
        state = self.peers.get(peer)
        if state is None and len(self.peers) < self.config.max_peers:
            state = self.peers[peer] = PeerState(peer)
        return state

    def _greet(self, state: PeerState, now: float, ack: bool = False) -> Send:
        state.hello_at = now
        return self._send(state.peer, handshake.hello(self.chain, self.node_id, ack))

    def _send(self, peer: PeerId, message: Message) -> Send:
        return send(peer, message, self.suite)

    def _on_hello(self, state: PeerState, hello: Hello, now: float) -> list[Effect]:
        reason = handshake.refusal(self.chain, hello)
        if reason is not None:
            self.peers.pop(state.peer, None)
            return [self._send(state.peer, Reject(reason)), Disconnect(state.peer, reason),
                    Event("peer-refused", f"{state.peer}: {reason}")]
        effects: list[Effect] = []
        if not hello.ack:  # always answer a greeting: the peer may have restarted and forgotten us
            effects.append(self._greet(state, now, ack=True))
        first = state.phase is not PeerPhase.READY
        state.phase = PeerPhase.READY
        state.height, state.tip, state.weight = hello.height, hello.tip, hello.weight
        if first:
            effects.append(Event("peer-connected", f"{state.peer} at height {hello.height}"))
            for tx in list(self.mempool.transactions())[:MEMPOOL_CATCH_UP]:  # a newcomer catches up
                if tx.txid not in state.known_txs:
                    state.pending_txs.append(tx.txid)
            if self.bft is not None:  # what it missed of this height's votes while away
                effects += self.bft.resend(state.peer)
        effects += self._maybe_sync(now)
        return effects

    def _maybe_sync(self, now: float) -> list[Effect]:
        if self._sync_peer is not None:
            return []
        ahead = [s for s in self.peers.values() if s.handshaken and s.weight > self.chain.tip_weight
                 and s.doubted_until <= now]
        if not ahead:
            return []
        best = max(ahead, key=lambda s: (s.weight, s.peer))
        return self._request_sync(best, now)

    def _unbacked(self, state: PeerState, reason: str, now: float) -> list[Effect]:
        """A peer's claim (a heavier chain) was not backed by the blocks it sent: believe only
        what it showed, do not sync from it for a while, and let another peer be asked."""
        claimed = state.weight
        state.weight = min(state.weight, self.chain.tip_weight)
        state.doubted_until = now + sync.DOUBT_SECONDS
        return self._penalise(state, PENALTY_PROTOCOL,
                              f"{reason}: claimed weight {claimed}, delivered {self.chain.tip_weight}", now)

    def _request_sync(self, state: PeerState, now: float) -> list[Effect]:
        self._sync_peer, self._sync_asked_at = state.peer, now
        request = GetBlocks(sync.locator(self.chain), self.config.sync_batch)
        return [self._send(state.peer, request)]

    def _on_getblocks(self, state: PeerState, request: GetBlocks) -> list[Effect]:
        blocks, more = sync.blocks_after(self.chain, request.locator, request.limit)
        for block in blocks:
            state.known_blocks.add(block.hash(self.suite))
        return [self._send(state.peer, Blocks(tuple(blocks), more))]

    # --- gossip ---------------------------------------------------------------------------------

    def _on_inventory(self, state: PeerState, inv: Inventory, now: float) -> list[Effect]:
        request = self.gossip.request(state, inv, now, lambda txid: txid not in self.mempool,
                                      self._needs_block)
        return [] if request is None else [self._send(state.peer, request)]

    def _needs_block(self, block_hash: bytes) -> bool:
        return (block_hash not in self.chain and block_hash not in self.waiting
                and self.chain.invalid_rule(block_hash) is None)

    def _on_getdata(self, state: PeerState, request: GetData) -> list[Effect]:
        effects: list[Effect] = []
        txs = [tx for tx in (self.mempool.get(t) for t in request.txs) if tx is not None]
        if txs:
            for tx in txs:
                state.known_txs.add(tx.txid)
            effects.append(self._send(state.peer, Transactions(tuple(txs))))
        blocks = [b for b in (self.chain.get(h) for h in request.blocks) if b is not None]
        if blocks:
            for block_hash in request.blocks:
                state.known_blocks.add(block_hash)
            effects.append(self._send(state.peer, Blocks(tuple(blocks), False)))
        return effects

    def _on_transactions(self, state: PeerState, message: Transactions, now: float) -> list[Effect]:
        effects: list[Effect] = []
        accepted = 0
        for tx in message.txs:
            state.known_txs.add(tx.txid)
            self.gossip.received(tx.txid)
            if tx.txid in self.mempool:
                continue
            try:
                self.mempool.add(tx, self.chain.state)
            except InvalidTransaction as error:
                if error.rule in STATELESS_TX_RULES:  # no honest node relays these
                    effects += self._penalise(state, PENALTY_INVALID_TX, f"invalid tx: {error}", now)
                    if state.peer not in self.peers:
                        return effects
                continue
            except (ValidationError, MempoolRejection):
                continue  # a race with a block, or local policy: not the peer's fault
            accepted += 1
            self.gossip.announce_tx(tx.txid, origin=state.peer)
        if accepted:
            effects.append(Event("tx-accepted", f"{accepted} from {state.peer}"))
        return effects

    # --- blocks ---------------------------------------------------------------------------------

    def _on_blocks(self, state: PeerState, message: Blocks, now: float) -> list[Effect]:
        effects: list[Effect] = []
        tip_before = self.chain.tip_hash
        added: list[bytes] = []
        held = False
        for block in message.blocks:
            block_hash = block.hash(self.suite)
            state.known_blocks.add(block_hash)
            self.gossip.received(block_hash)
            outcome = self.intake.add(block, state.peer, now)
            effects += outcome.effects
            if outcome.banned:
                if self._sync_peer == state.peer:
                    self._sync_peer = None
                return effects + self._maybe_sync(now)
            added += outcome.added
            held = held or outcome.held
            if outcome.orphaned and self._sync_peer is None:
                effects += self._request_sync(state, now)
        if self._sync_peer == state.peer:
            behind = state.weight > self.chain.tip_weight
            if added and (message.more or behind):  # progress, and more to come (or it grew)
                effects += self._request_sync(state, now)
            else:
                self._sync_peer = None
                if behind and not held:  # nothing new, yet it claims more than we have now
                    effects += self._unbacked(state, "its sync reply brought nothing new", now)
                effects += self._maybe_sync(now)
        # Relay: in a big sync batch, only the new tip is worth announcing.
        relay = added if len(added) <= 3 else ([self.chain.tip_hash] if self.chain.tip_hash in added else [])
        for block_hash in relay:
            effects += self.gossip.relay_block(block_hash, self.chain.get(block_hash), state.peer)
        if self.chain.tip_hash != tip_before:
            effects.append(Event("tip", f"height {self.chain.height} {short(self.chain.tip_hash)}"))
        return effects

    # --- production -----------------------------------------------------------------------------

    def _produce(self, now: float, attempts: int) -> list[Effect]:
        if self.production is None:
            return []
        block = self.production.step(self.chain, self.mempool, now, attempts)
        return [] if block is None else self._publish(block, now)

    def produce(self, now: float, max_attempts: int = 50_000_000) -> list[Effect]:
        """Produce a block now if this node may (its turn has come): a search runs to the end."""
        if self.production is not None:
            self.production.restart()
        return self._produce(now, max_attempts)

    @property
    def hashes_tried(self) -> int:
        """Work this node has done producing: hashes (PoW) or signatures (PoA)."""
        return 0 if self.production is None else self.production.work_done

    def _publish(self, block: Block, now: float) -> list[Effect]:
        outcome = self.intake.add(block, None, now)
        effects = outcome.effects
        if outcome.added:
            effects.append(Event("produced", f"block {block.height} {short(block.hash(self.suite))} "
                                             f"with {len(block.transactions)} txs"))
            if self.config.push_new_blocks:
                effects += self.gossip.push_block(block)
            else:
                effects += self.gossip.announce_block(block.hash(self.suite), None)
        return effects

    # --- misbehaviour ---------------------------------------------------------------------------

    def _penalise_peer(self, peer: PeerId, points: int, reason: str, now: float) -> list[Effect]:
        state = self.peers.get(peer)
        return [] if state is None else self._penalise(state, points, reason, now)

    def _penalise(self, state: PeerState, points: int, reason: str, now: float) -> list[Effect]:
        state.score += points
        detail = f"{state.peer} +{points} (score {state.score}): {reason}"
        effects: list[Effect] = [Event("misbehaviour", detail)]
        if state.score >= BAN_THRESHOLD:
            until = now + self.config.ban_seconds
            self.bans.ban(state.peer, until)
            self.disconnected(state.peer)
            effects += [Ban(state.peer, reason, until), Disconnect(state.peer, f"banned: {reason}")]
        return effects
