"""Gossip: new transactions and blocks spread by announcing their ids, or by pushing them whole.

A node announces ids (Inventory); a peer that lacks one asks for it (GetData) and gets the data
(Transactions, Blocks). Each peer's known ids are remembered, so nothing is announced or sent to
a peer that has it, and an id asked for is not asked for again for REQUEST_RETRY seconds, from
anyone. Transaction announcements wait for the next tick and go out in one Inventory per peer,
however many arrived (Bitcoin Core trickles them the same way); a block we produce goes out at
once.

Announcing costs three messages per hop (Inventory, GetData, the data) to save sending data a
peer already has. Where a message is expensive and the data small, pushing it whole is cheaper:
over HTTP every message is a request, and a transfer (~400 bytes) is not much bigger than the
request that would announce it. So a node may push new transactions whole (NodeConfig
`push_transactions`) and new blocks whole, its own and those it relays (`push_new_blocks`, as
BIP 152's high-bandwidth peers do): one message per hop, at the price of a peer sometimes
receiving from two neighbours at once what it then finds it has.
"""

from __future__ import annotations

from collections.abc import Callable

from minichain.blocks import Block
from minichain.crypto import Suite
from minichain.node.effects import Effect, PeerId, Send
from minichain.node.messages import Blocks, GetData, Inventory, Message, Transactions, encode_message
from minichain.node.peers import PeerState
from minichain.transactions import Transaction

REQUEST_RETRY = 5.0  # seconds before the same id may be requested again (from anyone)
MAX_REQUESTS_REMEMBERED = 200_000  # ids asked for, before the old ones are forgotten
INVENTORY_BATCH = 10_000  # ids per Inventory message when announcing many transactions
PUSH_BATCH = 1_000  # transactions per Transactions message when pushing them (~0.5 MB)
RELAY_PUSH_MAX_BYTES = 256 * 1024  # a relayed block bigger than this is announced: peers may have it

Lookup = Callable[[bytes], Transaction | None]  # a pending transaction by id (the mempool's get)


def send(peer: PeerId, message: Message, suite: Suite) -> Send:
    """The effect that sends `message` to `peer`, as wire bytes."""
    return Send(peer, encode_message(message, suite), type(message).__name__.lower())


class Gossip:
    """What each ready peer should hear about next, and which ids we have asked for."""

    def __init__(self, peers: dict[PeerId, PeerState], suite: Suite, push_from: Lookup | None = None,
                 push_blocks: bool = False) -> None:
        self.peers = peers  # the node's own peer table, shared
        self.suite = suite
        self.push_from = push_from  # set: transactions are pushed whole, found here; None: announced
        self.push_blocks = push_blocks  # relayed blocks up to RELAY_PUSH_MAX_BYTES go whole
        self.requested: dict[bytes, float] = {}  # id -> when we asked for it

    def request(self, state: PeerState, inv: Inventory, now: float, needs_tx: Callable[[bytes], bool],
                needs_block: Callable[[bytes], bool]) -> GetData | None:
        """What to ask `state`'s peer for, of what it announced: ids we need and have not asked
        anyone for lately."""
        want_txs, want_blocks = [], []
        for txid in inv.txs:
            state.known_txs.add(txid)
            if needs_tx(txid) and self.requested.get(txid, -1e9) < now - REQUEST_RETRY:
                want_txs.append(txid)
                self.requested[txid] = now
        for block_hash in inv.blocks:
            state.known_blocks.add(block_hash)
            if needs_block(block_hash) and self.requested.get(block_hash, -1e9) < now - REQUEST_RETRY:
                want_blocks.append(block_hash)
                self.requested[block_hash] = now
        if len(self.requested) > MAX_REQUESTS_REMEMBERED:
            self.requested = {k: t for k, t in self.requested.items() if t > now - REQUEST_RETRY}
        return GetData(tuple(want_txs), tuple(want_blocks)) if want_txs or want_blocks else None

    def received(self, item_id: bytes) -> None:
        """An id we may have asked for arrived."""
        self.requested.pop(item_id, None)

    def announce_tx(self, txid: bytes, origin: PeerId | None) -> None:
        """Queue `txid` for every ready peer but its origin, until the next flush."""
        for peer, state in self.peers.items():
            if state.handshaken and peer != origin and txid not in state.known_txs:
                state.known_txs.add(txid)
                state.pending_txs.append(txid)

    def flush_tx_announcements(self) -> list[Effect]:
        """What the queued transactions become: one Inventory per peer (or, when pushing, one
        Transactions message of those still pending)."""
        effects: list[Effect] = []
        encoded: dict[tuple[bytes, ...], list[bytes]] = {}  # most peers are sent the same: encode once
        for peer, state in self.peers.items():
            if state.pending_txs:
                pending, state.pending_txs = state.pending_txs, []
                if self.push_from is not None:
                    key = tuple(pending)
                    if key not in encoded:
                        encoded[key] = self._push_txs(pending, self.push_from)
                    effects += [Send(peer, data, "transactions") for data in encoded[key]]
                    continue
                for start in range(0, len(pending), INVENTORY_BATCH):
                    effects.append(send(peer, Inventory(tuple(pending[start:start + INVENTORY_BATCH]), ()),
                                        self.suite))
        return effects

    def _push_txs(self, txids: list[bytes], lookup: Lookup) -> list[bytes]:
        txs = [tx for tx in map(lookup, txids) if tx is not None]  # gone since: mined or evicted
        return [encode_message(Transactions(tuple(txs[start:start + PUSH_BATCH])), self.suite)
                for start in range(0, len(txs), PUSH_BATCH)]

    def announce_block(self, block_hash: bytes, origin: PeerId | None) -> list[Effect]:
        effects: list[Effect] = []
        for peer, state in self.peers.items():
            if state.handshaken and peer != origin and block_hash not in state.known_blocks:
                state.known_blocks.add(block_hash)
                effects.append(send(peer, Inventory((), (block_hash,)), self.suite))
        return effects

    def relay_block(self, block_hash: bytes, block: Block | None, origin: PeerId) -> list[Effect]:
        """Pass on a block that came from `origin`: whole when pushing blocks and it is small
        (a peer that got it from another neighbour meanwhile pays one decode, as it would have
        paid one message for the Inventory), else announced."""
        if not any(state.handshaken and peer != origin and block_hash not in state.known_blocks
                   for peer, state in self.peers.items()):
            return []
        if self.push_blocks and block is not None:
            data = encode_message(Blocks((block,), False), self.suite)
            if len(data) <= RELAY_PUSH_MAX_BYTES:
                return self._push(block_hash, data)
        return self.announce_block(block_hash, origin)

    def push_block(self, block: Block) -> list[Effect]:
        """Send a block we just produced to every peer: none of them can have it yet, so an
        Inventory would only add a GetData round trip (BIP 152's high-bandwidth mode does this)."""
        data = encode_message(Blocks((block,), False), self.suite)  # once, for every peer
        return self._push(block.hash(self.suite), data)

    def _push(self, block_hash: bytes, data: bytes) -> list[Effect]:
        effects: list[Effect] = []
        for peer, state in self.peers.items():
            if state.handshaken and block_hash not in state.known_blocks:
                state.known_blocks.add(block_hash)
                effects.append(Send(peer, data, "blocks"))
        return effects
