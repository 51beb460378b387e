"""One node's protocol logic, without I/O: messages and the time go in, effects come out.

Theory of operation. A node keeps a chain and a mempool and talks to peers:
- handshake: both sides send Hello; a peer on another chain (chain id or genesis hash) is refused
  with the reason;
- gossip: new transactions and blocks are announced by id (Inventory); a peer requests what it
  lacks (GetData). Each peer's known ids are remembered, so nothing is sent to a peer twice.
  Transaction announcements are batched until the next tick (or `announce_interval`);
- sync: a node that learns a peer has a heavier chain (Hello, Status, or a block whose parent it
  lacks) asks for the blocks after its locator, in batches, until it has caught up;
- production: on tick, in this node's turn (the engine says when: a PoA authority's own slot,
  any moment for a PoW miner), the engine seals a block, doing a bounded amount of work per tick
  so the host stays responsive;
- misbehaviour: malformed messages, invalid blocks and invalid transactions add to a peer's score;
  past BAN_THRESHOLD the peer is banned. The chain itself never accepts an invalid block, so a fake
  "longer" chain costs its sender the connection and changes nothing.
It never opens a socket, reads a clock or draws global randomness: the host passes `now` and the
seed. A handler that rejects its input leaves the core as it was.
"""

from __future__ import annotations

import random
from collections import OrderedDict
from dataclasses import dataclass, field

from minichain.blocks import Block
from minichain.chain import Chain, ChainUpdate
from minichain.consensus import Producer
from minichain.encoding import short
from minichain.errors import (
    BlockFromFuture,
    InvalidBlock,
    InvalidTransaction,
    MalformedData,
    MempoolRejection,
    UnknownParent,
    ValidationError,
)
from minichain.genesis import Genesis
from minichain.mempool import Mempool
from minichain.node.effects import Ban, Disconnect, Effect, Event, PeerId, Persist, Send, WakeAt
from minichain.node.messages import (
    MAX_BATCH_BLOCKS,
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
    encode_message,
)
from minichain.transactions import Transaction
from minichain.wallet import Wallet

BAN_THRESHOLD = 100
PENALTY_MALFORMED = 20
PENALTY_INVALID_TX = 10
PENALTY_INVALID_BLOCK = 100
PENALTY_PROTOCOL = 10
SYNC_TIMEOUT = 10.0  # seconds without a sync reply before asking someone else
MAX_SYNC_REPLY_BYTES = 8 * 1024 * 1024
STATELESS_TX_RULES = {"tx-chain-id", "tx-signature", "tx-amount", "tx-memo", "tx-recipient"}


@dataclass(frozen=True)
class NodeConfig:
    node_id: str
    authority: Wallet | None = None  # produce signed blocks (PoA) with this authority's key
    miner: str | None = None  # or produce blocks by work (PoW), paying this address
    mining_attempts_per_tick: int = 20_000
    tick_interval: float = 0.05  # seconds between ticks the core asks for
    announce_interval: float = 0.0  # seconds between transaction announcements (0: every tick)
    sync_batch: int = 500  # blocks per sync reply
    push_new_blocks: bool = False  # send blocks we produce whole, not announce them (saves 2 hops)
    seed: int = 0  # for the miner's starting nonces (no global randomness)
    mempool_size: int = 20_000
    ban_seconds: float = 600.0
    max_orphans: int = 512


    @property
    def producer(self) -> Producer | None:
        """Who this node produces blocks as; None: it only relays and validates."""
        if self.authority is not None:
            return Producer(self.authority.address, self.authority.private_key)
        return None if self.miner is None else Producer(self.miner)


class BoundedSet:
    """The most recent `limit` ids: what a peer is known to have."""

    def __init__(self, limit: int = 100_000) -> None:
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
    hello_sent: bool = False
    hello_at: float = -1e9  # when we last greeted this peer
    handshaken: bool = False
    score: int = 0
    height: int = 0
    weight: int = 0
    tip: bytes = b""
    known_txs: BoundedSet = field(default_factory=BoundedSet)
    known_blocks: BoundedSet = field(default_factory=lambda: BoundedSet(20_000))
    pending_txs: list[bytes] = field(default_factory=list)  # to announce at the next tick


@dataclass
class BlockOutcome:
    """What adding one block (and the orphans it unlocked) did."""

    effects: list[Effect] = field(default_factory=list)
    added: list[bytes] = field(default_factory=list)  # hashes newly in the tree
    orphaned: bool = False  # a block's parent is missing: sync needed
    banned: bool = False  # the sender was banned for it


class NodeCore:
    """All protocol logic of one node: given messages and the time, it returns effects."""

    def __init__(self, genesis: Genesis, config: NodeConfig, chain: Chain | None = None,
                 mempool: Mempool | None = None) -> None:
        self.genesis = genesis
        self.config = config
        self.chain = chain or Chain(genesis)
        self.mempool = mempool or Mempool(genesis, max_size=config.mempool_size,
                                          verified=self.chain.verified_signatures)
        self.suite = self.chain.suite
        self.node_id = config.node_id
        self.peers: dict[PeerId, PeerState] = {}
        self.banned: dict[PeerId, float] = {}
        self._orphans: OrderedDict[bytes, tuple[Block, PeerId]] = OrderedDict()
        self._requested: dict[bytes, float] = {}  # id -> when we asked for it
        self._sync_peer: PeerId | None = None
        self._sync_asked_at = 0.0
        self._rng = random.Random(f"{config.seed}/{config.node_id}")
        self._template: Block | None = None
        self._template_made_at = 0.0
        self._next_nonce = 0  # where the next search begins (PoW: a nonce, from the seeded rng)
        self._last_turn: tuple[bytes, int] | None = None  # (parent, turn) we last produced in
        self.hashes_tried = 0  # work done producing: hashes (PoW) or signatures (PoA)
        self._announced_at = -1e9

    # --- host API -------------------------------------------------------------------------------

    def connect(self, peer: PeerId, now: float) -> list[Effect]:
        """A connection to `peer` is open (either side opened it): say Hello."""
        if self.banned.get(peer, 0.0) > now:
            return [Disconnect(peer, "banned")]
        state = self.peers.setdefault(peer, PeerState(peer))
        state.hello_sent, state.hello_at = True, now
        return [self._send(peer, self._hello())]

    def disconnected(self, peer: PeerId) -> None:
        self.peers.pop(peer, None)
        if self._sync_peer == peer:
            self._sync_peer = None

    def receive(self, peer: PeerId, message: Message | bytes, now: float) -> list[Effect]:
        """Handle one message from `peer` (wire bytes are decoded here, with limits)."""
        if self.banned.get(peer, 0.0) > now:
            return [Disconnect(peer, "banned")]
        state = self.peers.setdefault(peer, PeerState(peer))
        if isinstance(message, bytes):
            try:
                message = decode_message(message, self.suite)
            except MalformedData as error:
                return self._penalise(state, PENALTY_MALFORMED, f"malformed message: {error}", now)
        if isinstance(message, Hello):
            return self._on_hello(state, message, now)
        if isinstance(message, Reject):
            self.peers.pop(peer, None)
            return [Event("peer-refused-us", f"{peer}: {message.reason}"), Disconnect(peer, message.reason)]
        if not state.handshaken:
            # Our Hello or theirs may have been lost (a restart, a failed request): greet again
            # and drop the message; it is not misbehaviour.
            if now - state.hello_at < 2.0:
                return []
            state.hello_sent, state.hello_at = True, now
            return [self._send(peer, self._hello())]
        if isinstance(message, Status):
            state.height, state.tip, state.weight = message.height, message.tip, message.weight
            return self._maybe_sync(now)
        if isinstance(message, Inventory):
            return self._on_inventory(state, message, now)
        if isinstance(message, GetData):
            return self._on_getdata(state, message)
        if isinstance(message, Transactions):
            return self._on_transactions(state, message, now)
        if isinstance(message, GetBlocks):
            return self._on_getblocks(state, message)
        return self._on_blocks(state, message, now)

    def penalise_malformed(self, peer: PeerId, reason: str, now: float) -> list[Effect]:
        """The host could not decode a message from `peer` (too big, not JSON, wrong fields)."""
        if self.banned.get(peer, 0.0) > now:
            return [Disconnect(peer, "banned")]
        state = self.peers.setdefault(peer, PeerState(peer))
        return self._penalise(state, PENALTY_MALFORMED, f"malformed message: {reason}", now)

    def is_banned(self, peer: PeerId, now: float) -> bool:
        return self.banned.get(peer, 0.0) > now

    def submit(self, tx: Transaction, now: float) -> list[Effect]:
        """A transaction from a local client. Raises the typed error if it is refused."""
        self.mempool.add(tx, self.chain.state)
        self._announce_tx(tx.txid, origin=None)
        return [Event("tx-accepted", f"{short(tx.txid)} from {tx.sender} (local)")]

    def tick(self, now: float) -> list[Effect]:
        """Time passes: flush announcements, produce blocks, retry a stalled sync."""
        effects: list[Effect] = []
        if now - self._announced_at >= self.config.announce_interval:
            # Batch what we gossip: one Inventory per peer per interval, however many arrived.
            self._announced_at = now
            effects += self._flush_tx_announcements()
        effects += self._produce(now, self.config.mining_attempts_per_tick)
        if self._sync_peer is not None and now - self._sync_asked_at > SYNC_TIMEOUT:
            stalled = self.peers.get(self._sync_peer)
            self._sync_peer = None
            if stalled is not None:
                effects += self._penalise(stalled, PENALTY_PROTOCOL, "sync request timed out", now)
            effects += self._maybe_sync(now)
        for expired in [p for p, until in self.banned.items() if until <= now]:
            del self.banned[expired]
        effects.append(WakeAt(now + self.config.tick_interval))
        return effects

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

    def _hello(self, ack: bool = False) -> Hello:
        return Hello(self.genesis.chain_id, self.chain.genesis_hash, self.node_id,
                     self.chain.height, self.chain.tip_hash, self.chain.tip_weight, ack)

    def _send(self, peer: PeerId, message: Message) -> Send:
        kind = type(message).__name__.lower()
        return Send(peer, encode_message(message, self.suite), kind)

    def _on_hello(self, state: PeerState, hello: Hello, now: float) -> list[Effect]:
        if hello.chain_id != self.genesis.chain_id or hello.genesis_hash != self.chain.genesis_hash:
            reason = (f"different chain: you follow {hello.chain_id!r} genesis {short(hello.genesis_hash)}, "
                      f"I follow {self.genesis.chain_id!r} genesis {short(self.chain.genesis_hash)}")
            self.peers.pop(state.peer, None)
            return [self._send(state.peer, Reject(reason)), Disconnect(state.peer, reason),
                    Event("peer-refused", f"{state.peer}: {reason}")]
        effects: list[Effect] = []
        if not hello.ack:  # always answer a greeting: the peer may have restarted and forgotten us
            state.hello_sent, state.hello_at = True, now
            effects.append(self._send(state.peer, self._hello(ack=True)))
        first = not state.handshaken
        state.handshaken = True
        state.height, state.tip, state.weight = hello.height, hello.tip, hello.weight
        if first:
            effects.append(Event("peer-connected", f"{state.peer} at height {hello.height}"))
            for tx in list(self.mempool.transactions())[:5000]:  # let a newcomer catch up on txs
                if tx.txid not in state.known_txs:
                    state.pending_txs.append(tx.txid)
        effects += self._maybe_sync(now)
        return effects

    def _locator(self) -> tuple[bytes, ...]:
        heights: list[int] = []
        step, height = 1, self.chain.height
        while height > 0 and len(heights) < 60:
            heights.append(height)
            if len(heights) >= 10:
                step *= 2
            height -= step
        heights.append(0)
        return tuple(self.chain.hash_at(h) for h in heights)

    def _maybe_sync(self, now: float) -> list[Effect]:
        if self._sync_peer is not None:
            return []
        ahead = [s for s in self.peers.values() if s.handshaken and s.weight > self.chain.tip_weight]
        if not ahead:
            return []
        best = max(ahead, key=lambda s: (s.weight, s.peer))
        return self._request_sync(best, now)

    def _request_sync(self, state: PeerState, now: float) -> list[Effect]:
        self._sync_peer, self._sync_asked_at = state.peer, now
        request = GetBlocks(self._locator(), self.config.sync_batch)
        return [self._send(state.peer, request)]

    def _on_getblocks(self, state: PeerState, request: GetBlocks) -> list[Effect]:
        start = 0
        for block_hash in request.locator:
            if self.chain.is_main(block_hash):
                entry = self.chain.entry(block_hash)
                start = entry.height if entry is not None else 0
                break
        blocks: list[Block] = []
        size, height = 0, start + 1
        limit = min(request.limit, MAX_BATCH_BLOCKS)
        while height <= self.chain.height and len(blocks) < limit and size < MAX_SYNC_REPLY_BYTES:
            block = self.chain.block_at(height)
            blocks.append(block)
            size += 300 + 400 * len(block.transactions)  # rough wire size, to bound replies
            height += 1
        for block in blocks:
            state.known_blocks.add(block.hash(self.suite))
        return [self._send(state.peer, Blocks(tuple(blocks), height <= self.chain.height))]

    # --- gossip ---------------------------------------------------------------------------------

    def _on_inventory(self, state: PeerState, inv: Inventory, now: float) -> list[Effect]:
        want_txs, want_blocks = [], []
        for txid in inv.txs:
            state.known_txs.add(txid)
            if txid not in self.mempool and self._requested.get(txid, -1e9) < now - 5:
                want_txs.append(txid)
                self._requested[txid] = now
        for block_hash in inv.blocks:
            state.known_blocks.add(block_hash)
            if (block_hash not in self.chain and block_hash not in self._orphans
                    and self.chain.invalid_rule(block_hash) is None
                    and self._requested.get(block_hash, -1e9) < now - 5):
                want_blocks.append(block_hash)
                self._requested[block_hash] = now
        if len(self._requested) > 200_000:
            self._requested = {k: t for k, t in self._requested.items() if t > now - 5}
        if not want_txs and not want_blocks:
            return []
        return [self._send(state.peer, GetData(tuple(want_txs), tuple(want_blocks)))]

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
            self._requested.pop(tx.txid, None)
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
            self._announce_tx(tx.txid, origin=state.peer)
        if accepted:
            effects.append(Event("tx-accepted", f"{accepted} from {state.peer}"))
        return effects

    def _announce_tx(self, txid: bytes, origin: PeerId | None) -> None:
        for peer, state in self.peers.items():
            if state.handshaken and peer != origin and txid not in state.known_txs:
                state.known_txs.add(txid)
                state.pending_txs.append(txid)

    def _flush_tx_announcements(self) -> list[Effect]:
        effects: list[Effect] = []
        for peer, state in self.peers.items():
            if state.pending_txs:
                pending, state.pending_txs = state.pending_txs, []
                for start in range(0, len(pending), 10_000):
                    inv = Inventory(tuple(pending[start:start + 10_000]), ())
                    effects.append(self._send(peer, inv))
        return effects

    def _announce_block(self, block_hash: bytes, origin: PeerId | None) -> list[Effect]:
        effects: list[Effect] = []
        for peer, state in self.peers.items():
            if state.handshaken and peer != origin and block_hash not in state.known_blocks:
                state.known_blocks.add(block_hash)
                effects.append(self._send(peer, Inventory((), (block_hash,))))
        return effects

    # --- blocks ---------------------------------------------------------------------------------

    def _on_blocks(self, state: PeerState, message: Blocks, now: float) -> list[Effect]:
        effects: list[Effect] = []
        tip_before = self.chain.tip_hash
        added: list[bytes] = []
        for block in message.blocks:
            block_hash = block.hash(self.suite)
            state.known_blocks.add(block_hash)
            self._requested.pop(block_hash, None)
            outcome = self._add_block(block, state.peer, now)
            effects += outcome.effects
            if outcome.banned:
                if self._sync_peer == state.peer:
                    self._sync_peer = None
                return effects + self._maybe_sync(now)
            added += outcome.added
            if outcome.orphaned and self._sync_peer is None:
                effects += self._request_sync(state, now)
        if self._sync_peer == state.peer:
            if message.more and message.blocks:
                effects += self._request_sync(state, now)
            else:
                self._sync_peer = None
                effects += self._maybe_sync(now)
        # Relay: in a big sync batch, only the new tip is worth announcing.
        relay = added if len(added) <= 3 else ([self.chain.tip_hash] if self.chain.tip_hash in added else [])
        for block_hash in relay:
            effects += self._announce_block(block_hash, state.peer)
        if self.chain.tip_hash != tip_before:
            effects.append(Event("tip", f"height {self.chain.height} {short(self.chain.tip_hash)}"))
        return effects

    def _add_block(self, block: Block, source: PeerId | None, now: float) -> BlockOutcome:
        """Add a block and then any orphans waiting for it."""
        outcome = BlockOutcome()
        queue: list[tuple[Block, PeerId | None]] = [(block, source)]
        while queue:
            current, origin = queue.pop(0)
            block_hash = current.hash(self.suite)
            try:
                update = self.chain.add_block(current, now=int(now))
            except UnknownParent:
                self._orphans[block_hash] = (current, origin or "")
                while len(self._orphans) > self.config.max_orphans:
                    self._orphans.popitem(last=False)
                outcome.orphaned = True
                continue
            except BlockFromFuture:
                continue  # not invalid; it will be announced again
            except InvalidBlock as error:
                outcome.effects.append(
                    Event("block-rejected", f"{short(block_hash)}: [{error.rule}] {error}"))
                peer_state = self.peers.get(origin) if origin else None
                if peer_state is not None:
                    outcome.effects += self._penalise(peer_state, PENALTY_INVALID_BLOCK,
                                                      f"invalid block [{error.rule}]: {error}", now)
                    outcome.banned = peer_state.peer not in self.peers
                continue
            if update.status == "known":
                continue
            outcome.effects += self._committed(update)
            outcome.added.append(block_hash)
            for orphan_hash, (orphan, orphan_origin) in list(self._orphans.items()):
                if orphan.header.parent_hash == block_hash:
                    del self._orphans[orphan_hash]
                    queue.append((orphan, orphan_origin or None))
        return outcome

    def _committed(self, update: ChainUpdate) -> list[Effect]:
        effects: list[Effect] = [Persist(update)]
        if update.status in ("extended", "reorg"):
            self.mempool.on_chain_update(update, self.chain.state)
        if update.status == "reorg":
            effects.append(Event("reorg", f"to height {self.chain.height} {short(self.chain.tip_hash)}: "
                                          f"-{len(update.disconnected)} +{len(update.connected)} blocks"))
        elif update.status == "side":
            effects.append(Event("fork", f"side block {short(update.block_hash)}"))
        return effects

    # --- production -----------------------------------------------------------------------------

    def _produce(self, now: float, attempts: int) -> list[Effect]:
        """In this producer's turn, seal a block on the tip: the engine says when the turn is and
        does the sealing, in at most `attempts` units of work per call (a search goes on next
        tick, from where it stopped, on the same template while the tip stays)."""
        producer = self.config.producer
        if producer is None:
            return []
        engine, tip_hash = self.chain.engine, self.chain.tip_hash
        turn = engine.next_turn(producer, self.chain.tip, int(now))
        if turn is None or turn > now or (tip_hash, turn) == self._last_turn:
            return []
        template = self._template
        if (template is None or template.header.parent_hash != tip_hash
                or now - self._template_made_at > 1.0):
            txs = self.mempool.select(self.chain.state, self.genesis.max_block_transactions)
            template, _ = self.chain.build_block(txs, producer.address, int(now))
            self._template, self._template_made_at = template, now
            self._next_nonce = self._rng.getrandbits(63)
        result = engine.produce(template.header, producer, attempts, self._next_nonce)
        self.hashes_tried += result.attempts
        self._next_nonce += result.attempts
        if result.header is None:
            return []
        self._template, self._last_turn = None, (tip_hash, turn)
        return self._publish(Block(result.header, template.transactions), now)

    def produce(self, now: float, max_attempts: int = 50_000_000) -> list[Effect]:
        """Produce a block now if this node may (its turn has come): a search runs to the end."""
        self._template = None
        return self._produce(now, max_attempts)

    def _publish(self, block: Block, now: float) -> list[Effect]:
        outcome = self._add_block(block, None, now)
        effects = outcome.effects
        if outcome.added:
            effects.append(Event("produced", f"block {block.height} {short(block.hash(self.suite))} "
                                             f"with {len(block.transactions)} txs"))
            if self.config.push_new_blocks:
                effects += self._push_block(block)
            else:
                effects += self._announce_block(block.hash(self.suite), None)
        return effects

    def _push_block(self, block: Block) -> list[Effect]:
        """Send a block we just produced to every peer: none of them can have it yet, so an
        Inventory would only add a GetData round trip (BIP 152's high-bandwidth mode does this)."""
        block_hash = block.hash(self.suite)
        data = encode_message(Blocks((block,), False), self.suite)  # once, for every peer
        effects: list[Effect] = []
        for peer, state in self.peers.items():
            if state.handshaken and block_hash not in state.known_blocks:
                state.known_blocks.add(block_hash)
                effects.append(Send(peer, data, "blocks"))
        return effects

    # --- misbehaviour ---------------------------------------------------------------------------

    def _penalise(self, state: PeerState, points: int, reason: str, now: float) -> list[Effect]:
        state.score += points
        detail = f"{state.peer} +{points} (score {state.score}): {reason}"
        effects: list[Effect] = [Event("misbehaviour", detail)]
        if state.score >= BAN_THRESHOLD:
            until = now + self.config.ban_seconds
            self.banned[state.peer] = until
            self.disconnected(state.peer)
            effects += [Ban(state.peer, reason, until), Disconnect(state.peer, f"banned: {reason}")]
        return effects
