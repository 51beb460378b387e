"""Sync: catching up with a peer whose chain is heavier, in batches.

A node that learns a peer has more weight (its Hello or Status, or a block whose parent is
missing) sends GetBlocks with a *locator*: hashes of its own main chain, dense near the tip and
then doubling the step back to genesis (Bitcoin's block locator). The peer answers with the blocks
after the highest locator hash on its own main chain, so the two find their fork point in one
round trip however far they diverged; `more` asks the node to request the next batch.
A claim is believed only as far as blocks back it: a peer whose replies stop short of the weight
it claimed (or that does not answer within SYNC_TIMEOUT, or whose `more` brings nothing new) is
penalised, its claim cut to what it showed, and another peer is asked.
"""

from __future__ import annotations

from minichain.blocks import Block
from minichain.chain import Chain
from minichain.node.messages import MAX_BATCH_BLOCKS

SYNC_TIMEOUT = 5.0  # seconds without a sync reply before asking another peer
DOUBT_SECONDS = 60.0  # a peer whose claim went unbacked is not synced from for this long
MAX_SYNC_REPLY_BYTES = 8 * 1024 * 1024  # estimated wire bytes of one reply, at most
LOCATOR_DENSE = 10  # the locator's first hashes step back one block at a time
LOCATOR_MAX = 60  # hashes in a locator at most, before genesis (2^50 blocks back: enough)


def locator(chain: Chain) -> tuple[bytes, ...]:
    """Hashes of the main chain at the tip, tip-1, ... (LOCATOR_DENSE of them), then steps of
    2, 4, 8, ... blocks back, ending with genesis."""
    heights: list[int] = []
    step, height = 1, chain.height
    while height > 0 and len(heights) < LOCATOR_MAX:
        heights.append(height)
        if len(heights) >= LOCATOR_DENSE:
            step *= 2
        height -= step
    heights.append(0)
    return tuple(chain.hash_at(h) for h in heights)


def blocks_after(chain: Chain, locator_hashes: tuple[bytes, ...], limit: int) -> tuple[list[Block], bool]:
    """The main-chain blocks after the first locator hash we share (genesis if none), at most
    `limit` of them and MAX_SYNC_REPLY_BYTES of estimated wire size; and whether more follow."""
    start = 0
    for block_hash in locator_hashes:
        if chain.is_main(block_hash):
            entry = chain.entry(block_hash)
            start = entry.height if entry is not None else 0
            break
    blocks: list[Block] = []
    size, height = 0, start + 1
    limit = min(limit, MAX_BATCH_BLOCKS)
    while height <= chain.height and len(blocks) < limit and size < MAX_SYNC_REPLY_BYTES:
        block = chain.block_at(height)
        blocks.append(block)
        size += 300 + 400 * len(block.transactions)  # a rough wire size: header, then each tx
        height += 1
    return blocks, height <= chain.height
