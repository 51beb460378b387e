"""The classroom benchmark: 4 PoA authorities, 1 gateway and 30 learner nodes, each a real
`minichain node run` process on this machine, as in a class where every learner runs a node.

Learners peer with the gateway and their two neighbours (a ring), and each learner sends a transfer
to a neighbour every second for the run. Printed against the goals:
- RSS per node (VmRSS from /proc/PID/status, the peak of each node): max and median, goal <= 80 MB;
- the time for a new block to reach EVERY learner (the authority's `produced` log line to the last
  learner's `tip` line at that height or above; one machine, one clock): p50 and p95, goal p95 < 2 s;
- every transfer committed: on every node, each learner's committed nonce equals the transfers it
  had accepted (202), and every node on one tip at the end.

    python bench/classroom.py [--learners 30] [--seconds 60] [--learner-nice 10]

Every process it starts is stopped by PID at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.network import BenchError
from minichain import DEFAULT_SUITE, Genesis, PoaParams, Store, Wallet
from minichain.net.launcher import SETTINGS, start_node_process, wait_until_up

BASE_PORT = 9100
RSS_GOAL_MB = 80.0
PROPAGATION_GOAL_S = 2.0
CHAIN_ID = "minichain-classroom"
IDLE_SECONDS = 5.0  # measured before the transfers start: what the nodes cost doing nothing
DRAIN_SECONDS = 5.0  # after the last transfer, before the CPU the load cost is read


@dataclass
class Classroom:
    """The nodes of one classroom network: data dirs and URLs, authorities first, then the
    gateway, then the learners; and each learner's wallet (the key its transfers are signed with)."""

    dirs: list[Path]
    urls: list[str]
    authorities: int
    wallets: list[Wallet]  # one per learner

    @property
    def learner_urls(self) -> list[str]:
        return self.urls[self.authorities + 1:]

    @property
    def learner_dirs(self) -> list[Path]:
        return self.dirs[self.authorities + 1:]


@dataclass
class Report:
    nodes: int
    rss_mb: list[float]  # peak per node
    delays: list[float]  # per block: produced -> the last learner has it (seconds)
    sent: int  # transfers answered 202
    committed_everywhere: bool  # every node holds every accepted transfer in a block
    one_tip: bool
    refused: dict[str, int] = field(default_factory=dict)  # rule -> count of transfers not accepted
    idle_cpu: list[float] = field(default_factory=list)  # per node, % of one core before any transfer
    load_cpu: list[float] = field(default_factory=list)  # per node, CPU seconds from the first transfer
    # until DRAIN_SECONDS after the last: the work the load cost, whatever share of the cores it got
    gateway: int = 0  # the gateway's index in the lists above
    machine_load: float = 0.0  # 1-minute load average at the end: other work on the machine shows here

    @property
    def cpu_ms_per_transfer(self) -> float:
        return 1000 * sum(self.load_cpu) / self.sent if self.sent else 0.0

    def percentile(self, fraction: float) -> float:
        delays = sorted(self.delays)
        return delays[min(len(delays) - 1, int(fraction * len(delays)))] if delays else float("nan")

    def figures(self) -> dict[str, object]:
        return {"nodes": self.nodes, "rss_max_mb": max(self.rss_mb),
                "rss_median_mb": statistics.median(self.rss_mb),
                "propagation_p50_s": self.percentile(0.5), "propagation_p95_s": self.percentile(0.95),
                "blocks_measured": len(self.delays), "transfers_accepted": self.sent,
                "committed_everywhere": self.committed_everywhere, "one_tip": self.one_tip,
                "refused": self.refused, "rss_gateway_mb": self.rss_mb[self.gateway],
                "idle_cpu_median_pct": _median(self.idle_cpu),
                "idle_cpu_max_pct": max(self.idle_cpu, default=0.0),
                "cpu_ms_per_transfer": self.cpu_ms_per_transfer,
                "load_cpu_gateway_s": self.load_cpu[self.gateway] if self.load_cpu else 0.0,
                "machine_load": self.machine_load}

    def lines(self) -> list[str]:
        rss = sorted(self.rss_mb)
        p50, p95 = self.percentile(0.5), self.percentile(0.95)
        return [
            f"classroom: {self.nodes} node processes",
            f"RSS per node: max {rss[-1]:.1f} MB, median {statistics.median(rss):.1f} MB "
            f"(goal <= {RSS_GOAL_MB:g} MB: max at {rss[-1] / RSS_GOAL_MB:.2f} of it)",
            f"new block to every learner: p50 {p50:.2f} s, p95 {p95:.2f} s over {len(self.delays)} blocks "
            f"(goal p95 < {PROPAGATION_GOAL_S:g} s: {p95 / PROPAGATION_GOAL_S:.2f} of it)",
            f"gateway: RSS {self.rss_mb[self.gateway]:.1f} MB, CPU for the load "
            f"{self.load_cpu[self.gateway] if self.load_cpu else 0.0:.1f} s",
            f"CPU per node idle, % of one core: median {_median(self.idle_cpu):.1f} "
            f"(max {max(self.idle_cpu, default=0.0):.1f}); the load cost all nodes "
            f"{self.cpu_ms_per_transfer:.1f} ms of CPU per transfer",
            f"machine load average (1 min) at the end: {self.machine_load:.1f} on {os.cpu_count()} cores",
            f"transfers: {self.sent} accepted, committed on every node: {self.committed_everywhere}; "
            f"one tip: {self.one_tip}" + (f"; refused {self.refused}" if self.refused else ""),
        ]


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def prepare(root: Path, authorities: int, learners: int, base_port: int) -> Classroom:
    """Write the genesis (learners funded), keys and every node's data dir and node.json."""
    suite = DEFAULT_SUITE
    authority_keys = [Wallet.generate(suite) for _ in range(authorities)]
    wallets = [Wallet.generate(suite) for _ in range(learners)]
    poa = PoaParams(tuple(w.address for w in authority_keys), block_time=1)
    genesis = Genesis(chain_id=CHAIN_ID, consensus=poa, suite=suite, timestamp=int(time.time()),
                      allocations=tuple(sorted((w.address, 10**9) for w in wallets)))
    count = authorities + 1 + learners
    urls = [f"http://127.0.0.1:{base_port + i}" for i in range(count)]
    gateway = urls[authorities]
    dirs = []
    for i in range(count):
        data = root / f"node{i}"
        Store.create(data, genesis).close()
        settings: dict[str, object] = {"host": "127.0.0.1", "port": base_port + i,
                                       "allow_private_peers": True}
        if i < authorities:  # the authorities: each other and the gateway
            key = root / f"authority{i}.key"
            authority_keys[i].save(key)
            name, peers = f"authority{i}", urls[:authorities + 1]
            settings["key"] = str(key)
        elif i == authorities:  # the gateway: the authorities (learners come to it)
            name, peers = "gateway", urls[:authorities]
        else:  # a learner: the gateway and its left and right neighbours
            j = i - authorities - 1
            ring = [urls[authorities + 1 + (j + step) % learners] for step in (-1, 1)] if learners > 2 else []
            name, peers = f"learner{j}", [gateway, *dict.fromkeys(ring)]
        settings |= {"name": name, "peers": [p for p in peers if p != urls[i]]}
        (data / SETTINGS).write_text(json.dumps(settings, indent=2) + "\n")
        dirs.append(data)
    return Classroom(dirs, urls, authorities, wallets)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (from /proc/PID/stat)."""
    with contextlib.suppress(OSError, IndexError, ValueError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


def cpu_percent(processes: list[subprocess.Popen[bytes]], before: list[float], since: float) -> list[float]:
    """Per process: CPU time used since `since` (when it had used `before`), in % of one core."""
    elapsed = max(1e-6, time.time() - since)
    return [100 * (cpu_seconds(proc.pid) - used) / elapsed
            for proc, used in zip(processes, before, strict=True)]


def rss_mb(pid: int) -> float:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def send_load(room: Classroom, seconds: float, sent: list[int], refused: dict[str, int]) -> None:
    """Each learner sends 1 transfer a second to its right-hand neighbour, through its own node."""
    learners = len(room.wallets)
    with httpx.Client(timeout=10.0) as client:
        started = time.time()
        for second in range(int(seconds)):
            for j, wallet in enumerate(room.wallets):
                to = room.wallets[(j + 1) % learners].address
                tx = wallet.transfer(CHAIN_ID, to, 1, sent[j], fee=1)
                try:
                    response = client.post(f"{room.learner_urls[j]}/transactions", content=tx.json_bytes,
                                           headers={"Content-Type": "application/json"})
                except httpx.HTTPError as error:
                    refused[type(error).__name__] = refused.get(type(error).__name__, 0) + 1
                    continue
                if response.status_code == 202:
                    sent[j] += 1
                else:
                    rule = str(response.json().get("rule", response.status_code))
                    refused[rule] = refused.get(rule, 0) + 1
            time.sleep(max(0.0, started + second + 1 - time.time()))


def log_times(data: Path, word: str) -> list[tuple[float, int]]:
    """(time, height) of each `produced` or `tip` line of a node's log."""
    found = []
    for path in sorted(data.glob("node.log*"), reverse=True):  # oldest rotated file first
        for line in path.read_text(errors="replace").splitlines():
            parts = line.split()
            if len(parts) > 4 and parts[3] == word + ":":
                stamp = datetime.datetime.strptime(f"{parts[0]} {parts[1]}", "%Y-%m-%d %H:%M:%S,%f")
                when = stamp.timestamp()
                found.append((when, int(parts[5])))  # "produced: block H ..." or "tip: height H ..."
    return found


def propagation(room: Classroom, since: float, until: float) -> list[float]:
    """Per block produced in [since, until]: seconds until the last learner had it (or a later one)."""
    produced: dict[int, float] = {}
    for data in room.dirs[:room.authorities]:
        for when, height in log_times(data, "produced"):
            if since <= when <= until:
                produced[height] = min(when, produced.get(height, when))
    tips = [log_times(data, "tip") for data in room.learner_dirs]
    delays = []
    for height, born in sorted(produced.items()):
        # a learner that synced past `height` in a batch logs only its new tip: the first tip at
        # or above it is when it had the block
        arrivals = [min((when for when, h in node if h >= height and when >= born - 1), default=None)
                    for node in tips]
        if all(a is not None for a in arrivals):
            delays.append(max(0.0, max(a for a in arrivals if a is not None) - born))
    return delays


def settle(room: Classroom, sent: list[int], timeout: float) -> tuple[bool, bool]:
    """Wait until every node holds every accepted transfer and all share one tip."""
    deadline = time.time() + timeout
    committed = one_tip = False
    with httpx.Client(timeout=10.0) as client:
        while time.time() < deadline:
            tips = {client.get(f"{url}/status").json()["tip"] for url in room.urls}
            one_tip = len(tips) == 1
            committed = all(client.get(f"{url}/accounts/{w.address}").json()["nonce"] == sent[j]
                            for url in room.urls for j, w in enumerate(room.wallets))
            if committed and one_tip:
                break
            time.sleep(1.0)
    return committed, one_tip


def run(authorities: int = 4, learners: int = 30, seconds: float = 60, base_port: int = BASE_PORT,
        root: Path | None = None, learner_nice: int = 0) -> Report:
    """Run the class. `learner_nice` > 0 starts the learners' nodes at that lower CPU priority, as
    if they ran on the learners' own machines and left the authorities and the gateway the CPU
    they need (on one shared machine the kernel splits it evenly, and the gateway, which talks to
    all 34 others, gets 1/35 of it)."""
    with contextlib.ExitStack() as stack:
        if root is None:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="classroom-")))
        room = prepare(root, authorities, learners, base_port)
        processes: list[subprocess.Popen[bytes]] = []
        try:
            for data in room.dirs:
                processes.append(start_node_process(data))
                if learner_nice and data in room.learner_dirs:
                    os.setpriority(os.PRIO_PROCESS, processes[-1].pid, learner_nice)
            wait_until_up(room.urls, timeout=30 + 3 * len(room.urls))  # LaunchError names who did not
            peaks = [0.0] * len(processes)
            sent = [0] * learners
            refused: dict[str, int] = {}
            time.sleep(3)  # let the handshakes settle
            idle_from = [cpu_seconds(proc.pid) for proc in processes], time.time()
            time.sleep(IDLE_SECONDS)  # no transfers yet: only blocks (PoA) and the nodes' clocks
            idle_cpu = cpu_percent(processes, *idle_from)
            load_from = [cpu_seconds(proc.pid) for proc in processes], time.time()
            since = time.time()
            sender = threading.Thread(target=send_load, args=(room, seconds, sent, refused), daemon=True)
            sender.start()
            while sender.is_alive():
                peaks = [max(p, rss_mb(proc.pid)) for p, proc in zip(peaks, processes, strict=True)]
                sender.join(2.0)
            until = time.time()
            time.sleep(DRAIN_SECONDS)  # what is still queued gets sent, before settle's queries cost too
            load_cpu = [cpu_seconds(proc.pid) - used for proc, used in zip(processes, load_from[0],
                                                                             strict=True)]
            committed, one_tip = settle(room, sent, timeout=60)
            peaks = [max(p, rss_mb(proc.pid)) for p, proc in zip(peaks, processes, strict=True)]
            dead = [room.urls[i] for i, proc in enumerate(processes) if proc.poll() is not None]
            if dead:
                raise BenchError(f"nodes exited during the run: {dead} (see their node.out and node.log)")
            return Report(len(processes), peaks, propagation(room, since, until), sum(sent),
                          committed, one_tip, refused, idle_cpu, load_cpu, authorities, os.getloadavg()[0])
        finally:
            for proc in processes:
                if proc.poll() is None:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proc.pid, signal.SIGTERM)
            deadline = time.time() + 15
            for proc in processes:
                try:
                    proc.wait(timeout=max(0.1, deadline - time.time()))
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--authorities", type=int, default=4)
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--base-port", type=int, default=BASE_PORT)
    parser.add_argument("--learner-nice", type=int, default=0,
                        help="run the learners' nodes at this lower CPU priority (0-19), as if on "
                             "their own machines")
    args = parser.parse_args(argv)
    report = run(args.authorities, args.learners, args.seconds, args.base_port,
                 learner_nice=args.learner_nice)
    print("\n".join(report.lines()), flush=True)
    print(json.dumps(report.figures()), flush=True)
    return 0 if report.committed_everywhere and report.one_tip else 1


if __name__ == "__main__":
    sys.exit(main())
