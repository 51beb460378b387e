"""Building and measuring in-memory networks for the network, consensus and stage pages."""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from minichain import Chain, Genesis, MemoryNetwork, NodeConfig, Transaction, Wallet
from minichain.testing import make_genesis, make_wallet
from minichain.viz import TreeBlock

FAUCET = make_wallet("explorer-faucet")


def network(
    nodes: int,
    consensus: str,
    seed: int = 1,
    latency: tuple[float, float] = (0.05, 0.3),
    pow_bits: int = 10,
    attempts_per_tick: int = 8,
    chains: Sequence[Chain] | None = None,
    start_time: float | None = None,
) -> MemoryNetwork:
    """`nodes` fully connected nodes; every node produces (PoA authority or PoW miner).
    PoW runs in virtual time, so a small difficulty with few attempts per tick gives the same
    block interval as real mining (nodes x 20 ticks/s x attempts vs 2**bits hashes a block)
    at a fraction of the CPU: about 1.6 s between blocks with 4 miners."""
    wallets = authorities(nodes)
    genesis: Genesis
    if consensus == "poa":
        genesis = make_genesis(
            "poa", authorities=wallets, funded=[FAUCET], block_time=2, chain_id="explorer-net"
        )
        configs = [NodeConfig(f"node{i}", authority=w, seed=seed) for i, w in enumerate(wallets)]
    else:
        genesis = make_genesis(
            "pow", funded=[FAUCET], difficulty_bits=pow_bits, chain_id="explorer-net", target_block_time=2
        )
        configs = [
            NodeConfig(f"node{i}", miner=w.address, mining_attempts_per_tick=attempts_per_tick, seed=seed)
            for i, w in enumerate(wallets)
        ]
    return MemoryNetwork(genesis, configs, seed=seed, latency=latency, chains=chains, start_time=start_time)


def genesis_for(nodes: int, consensus: str, pow_bits: int = 10) -> Genesis:
    """The genesis `network` uses (to build long chains for it ahead of time)."""
    return network(nodes, consensus, pow_bits=pow_bits).genesis


def authorities(nodes: int) -> list[Wallet]:
    return [make_wallet(f"explorer-node-{i}") for i in range(nodes)]


def next_transfer(net: MemoryNetwork, amount: int = 10) -> Transaction:
    core = net.cores[0]
    nonce = core.mempool.next_nonce(FAUCET.address, core.chain.state)
    recipient = make_wallet(f"explorer-recipient-{nonce % 8}")
    return FAUCET.transfer(net.genesis.chain_id, recipient.address, amount, nonce, fee=1)


def run_until_converged(net: MemoryNetwork, limit: float, step: float = 0.25) -> float | None:
    """Run `net` until every node follows the same tip, for at most `limit` seconds of network time:
    the seconds it took, or None. After a heal the halves reconnect, sync, and the next block breaks
    any tie between equally long branches, so agreement takes a few block times, not a fixed wait."""
    started = net.elapsed
    while not net.converged():
        if net.elapsed - started >= limit:
            return None
        net.run_for(step)
    return net.elapsed - started


def tree_blocks(net: MemoryNetwork, heights: int = 45) -> list[TreeBlock]:
    """Every node's blocks in the last `heights` heights (what a fork tree can show)."""
    low = max(core.chain.height for core in net.cores) - heights
    seen: dict[bytes, TreeBlock] = {}
    for core in net.cores:
        for entry in core.chain.all_entries():
            if entry.height >= low and entry.hash not in seen:
                seen[entry.hash] = TreeBlock(entry.hash, entry.header.parent_hash, entry.height)
    return list(seen.values())


@dataclass(frozen=True)
class ConsensusFigures:
    blocks: int  # on the final best chain
    mean_interval_s: float
    stdev_interval_s: float
    side_blocks: int  # blocks produced that ended up off the best chain (forks)
    reorgs: int
    deepest_reorg: int  # blocks undone by the deepest reorg seen on any node
    committed_txs: int
    txs_per_s: float


def measure(net: MemoryNetwork, seconds: float, tx_rate: float = 2.0) -> ConsensusFigures:
    """Run `net` for `seconds` of virtual time, submitting `tx_rate` transfers per second."""
    step = 1.0 / tx_rate
    elapsed = 0.0
    while elapsed < seconds:
        net.submit(0, next_transfer(net))
        net.run_for(step)
        elapsed += step
    net.run_for(4)
    chain = net.cores[0].chain
    main = list(chain.main_chain())
    times = [b.header.timestamp for b in main[1:]]
    intervals = [b - a for a, b in itertools.pairwise(times)]
    produced = {e.hash for core in net.cores for e in core.chain.all_entries()}
    reorg_depths = [int(e.message.split("-")[1].split(" ")[0]) for e in net.log if e.kind == "reorg"]
    committed = sum(len(b.transactions) for b in main)
    return ConsensusFigures(
        blocks=chain.height,
        mean_interval_s=statistics.fmean(intervals) if intervals else 0.0,
        stdev_interval_s=statistics.pstdev(intervals) if len(intervals) > 1 else 0.0,
        side_blocks=len(produced) - len(main),
        reorgs=len(reorg_depths),
        deepest_reorg=max(reorg_depths, default=0),
        committed_txs=committed,
        txs_per_s=committed / max(net.elapsed, 1e-9),
    )
