"""Network benchmarks: what real node processes on this machine do, measured in one run.

Committed tx/s on every node of a 4-node PoA network under `minichain load` (with submit-to-commit
latency), the same for a 4-validator BFT network (where commit is finality: a block is final once
decided, so its p95 is the time to finality) beside PoA's figures of the same run, and blocks/s of
a fresh node syncing a long chain from one peer: each beside a limit measured in the same run (the
rate the load was offered at; PoA's figures; the same blocks imported in-process, no network, no
disk) and its goal. The processes share the cores: each figure is a best of two.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.ledger import quiet_gc
from minichain import (
    Block,
    Chain,
    ChainUpdate,
    Genesis,
    MinichainError,
    Producer,
    Store,
    Wallet,
)
from minichain.net.launcher import SETTINGS, start_node_process
from minichain.net.load import run_load
from minichain.testing import make_genesis, make_wallet

DEFAULT_BASE_PORT = 9100  # the load network uses BASE..BASE+3, the sync pair BASE+4 and BASE+5
LOAD_NODES = 4

# figure -> (comparison, goal): the goals; a miss is reported, never raised
GOALS: dict[str, tuple[str, float]] = {
    "net_tps_min": (">=", 1000.0),
    "net_p95_commit_s": ("<=", 2.0),
    "bft_tps_min": (">=", 1000.0),
    "bft_p95_commit_s": ("<=", 2.0),  # submit to final (decided with 2f+1 precommits)
    "sync_blocks_per_s": (">=", 2000.0),
}
# ratio -> (figure, limit measured in the same run)
LIMIT_RATIOS: dict[str, tuple[str, str]] = {
    "net_tps_vs_offered": ("net_tps_min", "net_offered_tps"),
    "bft_tps_vs_offered": ("bft_tps_min", "bft_offered_tps"),
    "bft_tps_vs_poa": ("bft_tps_min", "net_tps_min"),
    "bft_p95_vs_poa": ("bft_p95_commit_s", "net_p95_commit_s"),
    "sync_vs_import": ("sync_blocks_per_s", "import_blocks_per_s"),
}


class BenchError(MinichainError):
    """Thrown when a benchmark cannot run or finish (a network that does not start, a step never done)."""

    rule = "bench"


@dataclass(frozen=True)
class Sizes:
    load_tx: int  # transfers the load generator submits
    load_rate: float  # transfers per second it offers
    sync_blocks: int  # length of the chain a fresh node syncs
    rounds: int  # runs of each; the best is reported (as timeit: the others were disturbed)


QUICK = Sizes(load_tx=3000, load_rate=1200.0, sync_blocks=2000, rounds=2)
FULL = Sizes(load_tx=6000, load_rate=1200.0, sync_blocks=10_000, rounds=2)


# --- processes ------------------------------------------------------------------------------------


def _url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def ports_in_use(ports: range) -> list[int]:
    """Those of `ports` that a server on 127.0.0.1 could not listen on now."""
    busy = []
    for port in ports:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                busy.append(port)
    return busy


def _stop(process: subprocess.Popen[bytes], pid_files: Sequence[Path] = ()) -> None:
    """SIGTERM, then SIGKILL for the whole process group; then any node a pid file still names."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    for pid_file in pid_files:  # a node left running (its parent was killed): stop it too
        with suppress(OSError, ValueError):
            pid = int(pid_file.read_text())
            # The file may outlive its process (uvicorn re-raises SIGTERM after shutting down, so
            # the node's `finally` never removes it) and the pid be reused: check whose it is.
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
            if str(pid_file.parent).encode() in command and b"minichain" in command:
                os.killpg(pid, signal.SIGKILL)


def _log_tail(path: Path, lines: int = 15) -> str:
    with suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return "(no log)"


def _wait(condition: Callable[[], bool], timeout: float, what: str, step: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with suppress(httpx.HTTPError, ValueError, KeyError):
            if condition():
                return
        time.sleep(step)
    raise BenchError(f"{what} did not happen within {timeout:.0f} s")


@functools.cache
def _poller() -> httpx.Client:
    """One client for all polling: a new one per request costs ~5 ms of CPU the nodes need."""
    return httpx.Client(timeout=2.0)


def _status(url: str) -> dict[str, Any]:
    response = _poller().get(f"{url}/status")
    response.raise_for_status()
    value: dict[str, Any] = response.json()
    return value


# --- committed tx/s on every node of a 4-node network ---------------------------------------------


@contextmanager
def _network(root: Path, base_port: int, consensus: str = "poa") -> Iterator[list[str]]:
    """`minichain net up --nodes 4 --consensus CONSENSUS` as a child process, until every node
    greets its three peers; stopped (with every node) on exit."""
    urls = [_url(base_port + i) for i in range(LOAD_NODES)]
    root.mkdir(parents=True, exist_ok=True)
    log = open(root / "net-up.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "minichain", "net", "up", "--nodes", str(LOAD_NODES), "--consensus",
         consensus, "--base-port", str(base_port), "--data-dir", str(root / "net")],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    pid_files = [root / "net" / f"node{i}" / "node.pid" for i in range(LOAD_NODES)]
    try:
        def connected() -> bool:
            if process.poll() is not None:
                raise BenchError(f"net up exited:\n{_log_tail(root / 'net-up.log')}")
            return all(len(_status(url)["peers"]) == LOAD_NODES - 1 for url in urls)

        try:
            _wait(connected, 60, "the 4-node network coming up", step=0.2)
        except BenchError as error:
            node0_log = _log_tail(root / "net" / "node0" / "node.log")
            raise BenchError(f"{error}\nnode0 log:\n{node0_log}") from None
        yield urls
    finally:
        _stop(process, pid_files)
        log.close()


def _load_figures(root: Path, sizes: Sizes, base_port: int, consensus: str = "poa") -> dict[str, float]:
    """`sizes.rounds` load runs on one network; the figures of the run whose slowest node
    committed fastest (named net_* for PoA, bft_* for BFT)."""
    runs = []
    with _network(root, base_port, consensus) as urls:
        faucet = Wallet.load(root / "net" / "keys" / "faucet.key")
        for _ in range(sizes.rounds):
            started = time.perf_counter()
            result = run_load(urls[0], faucet, sizes.load_tx, sizes.load_rate, watch=urls[1:])
            runs.append(load_figures(result, time.perf_counter() - started))
    best = max(runs, key=lambda figures: figures["net_tps_min"])
    return best if consensus == "poa" else {f"{consensus}_{k[4:]}": v for k, v in best.items()}


def load_figures(result: dict[str, Any], elapsed: float) -> dict[str, float]:
    """The bench figures from a run_load(..., watch=...) result: every node's committed tx/s
    (its blocks' commit rate, and the slowest node's; also end to end: from the first submission
    to the last commit), the worst node's latency percentiles, and the rate actually offered."""
    nodes = list(result["nodes"].values())
    if result["sent"] == 0 or result["submit_s"] <= 0:
        raise BenchError(f"the load generator submitted nothing: rejected {result['rejected']}")
    figures = {f"net_tps_node{i}": float(node["commit_tps"]) for i, node in enumerate(nodes)}
    figures["net_tps_min"] = min(float(node["commit_tps"]) for node in nodes)
    figures["net_e2e_tps_min"] = min(float(node["tps"]) for node in nodes)
    figures["net_p50_commit_s"] = max(float(node["p50_commit_s"]) for node in nodes)
    figures["net_p95_commit_s"] = max(float(node["p95_commit_s"]) for node in nodes)
    figures["net_sent"] = float(result["sent"])
    figures["net_committed_min"] = float(min(node["committed"] for node in nodes))
    figures["net_offered_tps"] = result["sent"] / result["submit_s"]
    figures["net_load_s"] = elapsed
    return figures


# --- blocks/s of a fresh node joining a long chain ------------------------------------------------


SYNC_CHAIN_ID = "minichain-bench-sync"
SYNC_AUTHORITIES = 4
SYNC_PAYERS = 4
TX_EVERY = 10  # every 10th block carries a few transfers, so the state root changes
TX_PER_BLOCK = 8


def sync_genesis() -> Genesis:
    """A PoA genesis with 1-second slots starting at testing.GENESIS_TIME, long past: a chain
    of one block per slot stays behind the clock for months, so the same chain every run."""
    authorities = [make_wallet(f"sync-authority-{i}") for i in range(SYNC_AUTHORITIES)]
    payers = [make_wallet(f"sync-payer-{i}") for i in range(SYNC_PAYERS)]
    return make_genesis("poa", funded=payers, authorities=authorities, block_time=1,
                        chain_id=SYNC_CHAIN_ID)


def build_sync_chain(blocks: int, on_update: Callable[[Chain, ChainUpdate], None] | None = None) -> Chain:
    """`blocks` PoA blocks, one per slot, sealed by their slot's authority; every TX_EVERY-th
    block holds TX_PER_BLOCK transfers between the funded payers. Each block goes through
    Chain.add_block (so it is checked), then to `on_update`."""
    genesis = sync_genesis()
    chain = Chain(genesis)
    engine = chain.engine
    signers = [make_wallet(f"sync-authority-{i}") for i in range(SYNC_AUTHORITIES)]
    producers = [Producer(w.address, w.private_key) for w in signers]
    payers = [make_wallet(f"sync-payer-{i}") for i in range(SYNC_PAYERS)]
    for number in range(1, blocks + 1):
        not_before = chain.tip.timestamp + engine.block_interval  # one block per slot
        turn, producer = min(((t, p) for p in producers
                              if (t := engine.next_turn(p, chain.tip, not_before)) is not None),
                             key=lambda pair: pair[0])
        transfers = []
        if number % TX_EVERY == 0:
            payer = payers[number // TX_EVERY % SYNC_PAYERS]
            payee = payers[(number // TX_EVERY + 1) % SYNC_PAYERS]
            nonce = chain.state.nonce(payer.address)
            transfers = [payer.transfer(genesis.chain_id, payee.address, 1 + k, nonce + k, fee=1)
                         for k in range(TX_PER_BLOCK)]
        template, dropped = chain.build_block(transfers, producer.address, turn)
        if dropped:
            raise BenchError(f"sync chain: a transfer did not apply: {dropped[0][1]}")
        sealed = engine.produce(template.header, producer)
        assert sealed.header is not None  # one signature always seals
        update = chain.add_block(Block(sealed.header, template.transactions))
        if on_update is not None:
            on_update(chain, update)
    return chain


def write_sync_chain(data_dir: Path, blocks: int, batch: int = 1000) -> Chain:
    """Build the sync chain into a new data dir, `batch` blocks per store transaction."""
    store = Store.create(data_dir, sync_genesis())
    pending: list[ChainUpdate] = []

    def save(chain: Chain, update: ChainUpdate) -> None:
        pending.append(update)
        if len(pending) >= batch:
            store.save_many(chain, pending)
            pending.clear()

    try:
        chain = build_sync_chain(blocks, save)
        store.save_many(chain, pending)
    finally:
        store.close()
    return chain


def import_rate(chain: Chain, repeat: int = 1) -> float:
    """Blocks/s for one core to parse the chain's blocks from JSON and add them to a new Chain
    (best of `repeat`): validation without network or disk, the ceiling for a syncing node."""
    texts = [json.dumps(block.to_json(chain.suite)) for block in list(chain.main_chain())[1:]]
    best = float("inf")
    for _ in range(repeat):
        target = Chain(chain.genesis)  # cold: a fresh chain has checked nothing yet, as a fresh node
        with quiet_gc():
            started = time.perf_counter()
            for text in texts:
                target.add_block(Block.from_json(json.loads(text), target.suite))
            best = min(best, time.perf_counter() - started)
        if target.tip_hash != chain.tip_hash:
            raise BenchError("import: the rebuilt chain differs from the original")
    return len(texts) / best


def _node_dir(data_dir: Path, name: str, port: int, peers: list[str]) -> None:
    settings = {"name": name, "host": "127.0.0.1", "port": port, "peers": peers,
                "allow_private_peers": True}
    (data_dir / SETTINGS).write_text(json.dumps(settings, indent=2) + "\n")


def _sync_figures(root: Path, sizes: Sizes, base_port: int) -> dict[str, float]:
    source_dir = root / "sync-source"
    started = time.perf_counter()
    chain = write_sync_chain(source_dir, sizes.sync_blocks)
    build_s = time.perf_counter() - started
    source_url = _url(base_port + 4)
    _node_dir(source_dir, "sync-source", base_port + 4, [])

    figures: dict[str, float] = {"sync_build_s": build_s}
    source = start_node_process(source_dir)
    try:
        started = time.perf_counter()
        _wait(lambda: _status(source_url)["height"] == sizes.sync_blocks, 60,
              "the sync source node starting", step=0.02)
        figures["sync_source_startup_s"] = time.perf_counter() - started
        runs = [_join(root / f"sync-fresh{i}", chain, base_port + 5, source_url)
                for i in range(sizes.rounds)]
    except BenchError as error:
        raise BenchError(f"{error}\nsource log:\n{_log_tail(source_dir / 'node.log')}") from None
    finally:
        _stop(source, [source_dir / "node.pid"])
    figures.update(max(runs, key=lambda run: run["sync_blocks_per_s"]))
    figures["import_blocks_per_s"] = import_rate(chain, sizes.rounds)
    return figures


def _join(fresh_dir: Path, chain: Chain, port: int, source_url: str) -> dict[str, float]:
    """Start a node with an empty chain and `source_url` as its peer; time it catching up."""
    Store.create(fresh_dir, chain.genesis).close()
    _node_dir(fresh_dir, "sync-fresh", port, [source_url])
    fresh_url, first = _url(port), dict[str, Any]()
    started = time.perf_counter()
    fresh = start_node_process(fresh_dir)
    try:
        def answering() -> bool:
            first.update(_status(fresh_url))
            return True

        _wait(answering, 30, "the fresh node starting", step=0.02)
        up_at = time.perf_counter()
        _wait(lambda: _status(fresh_url)["height"] >= chain.height, 300,
              f"the fresh node syncing {chain.height} blocks", step=0.02)
        done_at = time.perf_counter()
        if _status(fresh_url)["tip"] != chain.tip_hash.hex():
            raise BenchError("the fresh node synced to another tip")
    except BenchError as error:
        raise BenchError(f"{error}\nfresh log:\n{_log_tail(fresh_dir / 'node.log')}") from None
    finally:
        _stop(fresh, [fresh_dir / "node.pid"])
    blocks = float(chain.height - first["height"])
    return {"sync_startup_s": up_at - started, "sync_blocks": blocks, "sync_s": done_at - up_at,
            "sync_blocks_per_s": blocks / (done_at - up_at)}


# --- the run and the report -----------------------------------------------------------------------


def run_network_benchmarks(quick: bool = False, base_port: int = DEFAULT_BASE_PORT) -> dict[str, float]:
    """Start real node processes on 127.0.0.1 ports base_port..base_port+5, measure, stop them.
    `quick`: 3000 transfers and a 2000-block chain (under a minute); else 6000 transfers and
    10,000 blocks (under three minutes). Each figure is the best of two runs."""
    sizes = QUICK if quick else FULL
    busy = ports_in_use(range(base_port, base_port + 6))
    if busy:
        raise BenchError(f"port(s) {busy} are in use on 127.0.0.1; pass another --base-port")
    # Context, not a figure: every node shares this machine's cores with whatever else runs.
    results: dict[str, float] = {"machine_load_1m": os.getloadavg()[0], "rounds": float(sizes.rounds)}
    with tempfile.TemporaryDirectory(prefix="minichain-bench-net-") as work:
        root = Path(work)
        results.update(_load_figures(root, sizes, base_port))
        results.update(_load_figures(root / "bft", sizes, base_port, "bft"))  # the same ports, after
        results.update(_sync_figures(root, sizes, base_port))
    for ratio, (figure, limit) in LIMIT_RATIOS.items():
        results[ratio] = results[figure] / results[limit]
    for figure, (_, goal) in GOALS.items():
        results[f"{figure}_vs_goal"] = results[figure] / goal
    return results


def meets_goal(figure: str, value: float) -> bool:
    comparison, goal = GOALS[figure]
    return value >= goal if comparison == ">=" else value <= goal


_LABELS: dict[str, tuple[str, str]] = {  # key -> (unit, description)
    "machine_load_1m": ("", f"load average when the run started ({os.cpu_count()} cores)"),
    "rounds": ("", "runs of the load and of the sync; each figure is from the best run"),
    "net_offered_tps": ("tx/s", "rate the load generator submitted at (node0)"),
    "net_p50_commit_s": ("s", "submit-to-commit p50, slowest node"),
    "net_p95_commit_s": ("s", "submit-to-commit p95, slowest node"),
    "net_committed_min": ("tx", "committed on the node that committed fewest"),
    "net_sent": ("tx", "accepted by node0"),
    "net_load_s": ("s", "load run, from signing to the last commit seen"),
    "net_e2e_tps_min": ("tx/s", "slowest node, first submission to last commit"),
    "net_tps_min": ("tx/s", "committed tx/s (its blocks' rate) on the slowest node"),
    "bft_offered_tps": ("tx/s", "BFT, 4 validators: rate the load generator submitted at (node0)"),
    "bft_p50_commit_s": ("s", "BFT: submit-to-final p50, slowest node"),
    "bft_p95_commit_s": ("s", "BFT: submit-to-final p95 (time to finality), slowest node"),
    "bft_committed_min": ("tx", "BFT: final on the node that committed fewest"),
    "bft_sent": ("tx", "BFT: accepted by node0"),
    "bft_e2e_tps_min": ("tx/s", "BFT: slowest node, first submission to last commit"),
    "bft_tps_min": ("tx/s", "BFT: committed (final) tx/s, its blocks' rate, on the slowest node"),
    "sync_build_s": ("s", "building the chain in-process into the source's store"),
    "sync_source_startup_s": ("s", "source node: process start to serving the whole chain"),
    "sync_startup_s": ("s", "fresh node: process start to its first /status answer"),
    "sync_blocks": ("blocks", "synced after that first answer"),
    "sync_s": ("s", "first answer to height reached"),
    "sync_blocks_per_s": ("blocks/s", "fresh node joining over HTTP"),
    "import_blocks_per_s": ("blocks/s", "same blocks: JSON parse + Chain.add_block, one core"),
}


def format_network_report(results: dict[str, float]) -> str:
    """A table for people: each figure, the limits measured with it, and each goal's verdict."""
    lines = ["minichain network benchmarks (real processes on 127.0.0.1; limits measured in this run)", ""]
    for prefix in ("net", "bft"):
        nodes = sorted(k for k in results if k.startswith(f"{prefix}_tps_node"))
        per_node = "  ".join(f"{results[k]:.0f}" for k in nodes)
        lines.append(f"  {prefix + '_tps_per_node':<26} {per_node} tx/s (node0..node{len(nodes) - 1})")
    for key, (unit, description) in _LABELS.items():
        if key in results:
            lines.append(f"  {key:<26} {results[key]:>10.3f} {unit:<9} {description}")
    lines.append("")
    for ratio, (figure, limit) in LIMIT_RATIOS.items():
        lines.append(f"  {ratio:<26} {results[ratio]:>10.3f}  = {figure} / {limit}")
    for figure, (comparison, goal) in GOALS.items():
        verdict = "PASS" if meets_goal(figure, results[figure]) else "MISS"
        lines.append(f"  {figure + '_vs_goal':<26} {results[figure + '_vs_goal']:>10.3f}  "
                     f"= {figure} / {goal:g}  goal {comparison} {goal:g}  {verdict}")
    return "\n".join(lines)
