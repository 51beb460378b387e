"""Gossip: new transactions and blocks spread by announcing their ids.

A node announces ids (Inventory); a peer that lacks one asks for it (GetData) and gets the data
(Transactions, Blocks). Each peer's known ids are remembered, so nothing is announced or sent to
a peer that has it, and an id asked for is not asked for again for REQUEST_RETRY seconds, from
anyone. Transaction announcements wait for the next tick and go out in one Inventory per peer,
however many arrived (Bitcoin Core trickles them the same way); a block we produce goes out at
once.
"""

from __future__ import annotations

from collections.abc import Callable

from minichain.blocks import Block
from minichain.crypto import Suite
from minichain.node.effects import Effect, PeerId, Send
from minichain.node.messages import Blocks, GetData, Inventory, Message, encode_message
from minichain.node.peers import PeerState

REQUEST_RETRY = 5.0  # seconds before the same id may be requested again (from anyone)
MAX_REQUESTS_REMEMBERED = 200_000  # ids asked for, before the old ones are forgotten
INVENTORY_BATCH = 10_000  # ids per Inventory message when announcing many transactions


def send(peer: PeerId, message: Message, suite: Suite) -> Send:
    """The effect that sends `message` to `peer`, as wire bytes."""
    return Send(peer, encode_message(message, suite), type(message).__name__.lower())


class Gossip:
    """What each ready peer should hear about next, and which ids we have asked for."""

    def __init__(self, peers: dict[PeerId, PeerState], suite: Suite) -> None:
        self.peers = peers  # the node's own peer table, shared
        self.suite = suite
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
        effects: list[Effect] = []
        for peer, state in self.peers.items():
            if state.pending_txs:
                pending, state.pending_txs = state.pending_txs, []
                for start in range(0, len(pending), INVENTORY_BATCH):
                    effects.append(send(peer, Inventory(tuple(pending[start:start + INVENTORY_BATCH]), ()),
                                        self.suite))
        return effects

    def announce_block(self, block_hash: bytes, origin: PeerId | None) -> list[Effect]:
        effects: list[Effect] = []
        for peer, state in self.peers.items():
            if state.handshaken and peer != origin and block_hash not in state.known_blocks:
                state.known_blocks.add(block_hash)
                effects.append(send(peer, Inventory((), (block_hash,)), self.suite))
        return effects

    def push_block(self, block: Block) -> list[Effect]:
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
