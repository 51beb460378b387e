"""Blocks that cannot connect yet: orphans (their parent has not arrived) and early blocks (their
timestamp is still ahead of this node's clock).

Neither is invalid, so neither costs its sender anything; but each is held in memory on the
sender's word, so each is first checked as far as it can be alone (its seal: work done, or an
authority's signature, see ConsensusEngine.check_seal_alone) and the room is bounded in blocks
and in bytes: when it is full the oldest block leaves. An orphan leaves when its parent connects;
an early block when its time comes (then it is added like any other block).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from minichain.blocks import Block
from minichain.node.effects import PeerId

MAX_WAITING_BLOCKS = 512  # blocks held at most (orphans and early blocks together)
MAX_WAITING_BYTES = 32 * 1024 * 1024  # their estimated size at most
BLOCK_OVERHEAD_BYTES = 400  # a header and its framing, beside the transactions' own bytes


def block_size(block: Block) -> int:
    """The block's size on the wire, near enough: the header and each transaction's JSON."""
    return BLOCK_OVERHEAD_BYTES + sum(len(tx.json_bytes) + 1 for tx in block.transactions)


@dataclass(frozen=True)
class Waiting:
    block: Block
    origin: PeerId | None  # who sent it (None: we made it)
    size: int  # block_size(block)
    due: float | None  # early blocks: when it may connect; orphans: None


class WaitingRoom:
    """Orphans and early blocks, oldest first, within a count and a bytes budget."""

    def __init__(self, max_blocks: int = MAX_WAITING_BLOCKS, max_bytes: int = MAX_WAITING_BYTES) -> None:
        self.max_blocks = max_blocks
        self.max_bytes = max_bytes
        self._held: OrderedDict[bytes, Waiting] = OrderedDict()
        self.bytes = 0

    def __contains__(self, block_hash: object) -> bool:
        return block_hash in self._held

    def __len__(self) -> int:
        return len(self._held)

    def hold(self, block_hash: bytes, block: Block, origin: PeerId | None, due: float | None = None) -> bool:
        """Keep a block until it can connect (`due`: not before then); False if it alone is
        larger than the whole budget. Older blocks leave to make room."""
        size = block_size(block)
        if size > self.max_bytes or block_hash in self._held:
            return block_hash in self._held
        self._held[block_hash] = Waiting(block, origin, size, due)
        self.bytes += size
        while len(self._held) > self.max_blocks or self.bytes > self.max_bytes:
            _, oldest = self._held.popitem(last=False)
            self.bytes -= oldest.size
        return True

    def children_of(self, parent_hash: bytes) -> list[Waiting]:
        """The orphans waiting for `parent_hash`, taken out of the room."""
        found = [h for h, w in self._held.items()
                 if w.due is None and w.block.header.parent_hash == parent_hash]
        return [self._take(h) for h in found]

    def due(self, now: float) -> list[Waiting]:
        """The early blocks whose time has come, taken out of the room."""
        found = [h for h, w in self._held.items() if w.due is not None and w.due <= now]
        return [self._take(h) for h in found]

    def next_due(self) -> float | None:
        """When the earliest early block may connect; None if none waits for a time."""
        return min((w.due for w in self._held.values() if w.due is not None), default=None)

    def _take(self, block_hash: bytes) -> Waiting:
        waiting = self._held.pop(block_hash)
        self.bytes -= waiting.size
        return waiting
