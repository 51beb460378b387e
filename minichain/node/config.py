"""A node's settings: who it produces blocks as, and the limits it keeps."""

from __future__ import annotations

from dataclasses import dataclass

from minichain.consensus import Producer
from minichain.wallet import Wallet


@dataclass(frozen=True)
class NodeConfig:
    node_id: str
    authority: Wallet | None = None  # produce signed blocks (PoA) with this authority's key
    miner: str | None = None  # or produce blocks by work (PoW), paying this address
    mining_attempts_per_tick: int = 20_000  # work per tick, so one tick stays short
    tick_interval: float = 0.05  # seconds between ticks the core asks for
    idle_tick_interval: float | None = None  # set: ask for a tick only when one has work, or this
    # many seconds on (None: every tick_interval). A host that sleeps until then spends nothing idle
    announce_interval: float = 0.0  # seconds between transaction announcements (0: every tick)
    sync_batch: int = 500  # blocks per sync reply
    push_new_blocks: bool = False  # send new blocks (ours, relayed) whole, not announced (saves 2 hops)
    push_transactions: bool = False  # send new transactions whole, not announced (saves 2 hops)
    seed: int = 0  # for the miner's starting nonces (no global randomness)
    mempool_size: int = 20_000
    ban_seconds: float = 600.0
    max_orphans: int = 512  # blocks held that cannot connect yet (orphans and early blocks)
    # and their size on the wire at most: decoded, a block takes ~6x that in memory (two held
    # orphans of 15 MB cost a node ~210 MB of RSS), so 8 MB of them cost ~50 MB
    max_waiting_bytes: int = 8 * 1024 * 1024
    max_peers: int = 64  # peers in the table at most; a classroom's gateway has ~35

    @property
    def producer(self) -> Producer | None:
        """Who this node produces blocks as; None: it only relays and validates."""
        if self.authority is not None:
            return Producer(self.authority.address, self.authority.private_key)
        return None if self.miner is None else Producer(self.miner)
