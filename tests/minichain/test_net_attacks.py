"""Memory and connection attacks against a real `minichain node run` process over loopback, with
the node's resident memory read from /proc/PID/status (VmRSS) while it is attacked.

Slow headers ("slowloris"): many clients open a TCP connection and trickle a request head a byte
at a time. Each must be answered 408 `request-timeout` and closed within HEADER_SECONDS (+ slack),
the node must keep answering others meanwhile, and its RSS must stay within a small budget.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from minichain.net.connections import HEADER_SECONDS
from minichain.testing import make_genesis, make_wallet

PORT = 9010  # this helper's range: 9000-9199
URL = f"http://127.0.0.1:{PORT}"
SLOW_CLIENTS = 200
RSS_BUDGET_BYTES = 30 * 1024 * 1024  # growth allowed under attack: 200 sockets and parsers are small


def rss(pid: int) -> int:
    """Resident memory of process `pid` in bytes (VmRSS in /proc/PID/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmRSS for {pid}")


@pytest.fixture
def node(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    authority = make_wallet("authority-0")
    genesis_file, key_file = tmp_path / "genesis.json", tmp_path / "authority.key"
    genesis_file.write_text(json.dumps(make_genesis("poa", authorities=[authority], block_time=1).to_json()))
    authority.save(key_file)
    process = subprocess.Popen(
        [sys.executable, "-m", "minichain", "node", "run", "--data-dir", str(tmp_path / "data"),
         "--port", str(PORT), "--genesis", str(genesis_file), "--key", str(key_file), "--quiet"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.time() + 30
        while True:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{URL}/status", timeout=1).status_code == 200:
                    break
            assert time.time() < deadline, "node did not answer /status"
            time.sleep(0.1)
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def test_slow_headers_are_cut_off_and_the_node_keeps_serving(node: subprocess.Popen[str]) -> None:
    before = rss(node.pid)
    head = b"GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 10_000
    sockets = [socket.create_connection(("127.0.0.1", PORT), timeout=5) for _ in range(SLOW_CLIENTS)]
    answers: dict[int, bytes] = {}
    closed_at: dict[int, float] = {}
    status_latencies: list[float] = []
    peak = before
    started = time.monotonic()
    try:
        for sock in sockets:
            sock.setblocking(False)
        sent = 0
        while len(closed_at) < SLOW_CLIENTS and time.monotonic() - started < HEADER_SECONDS + 10:
            for n, sock in enumerate(sockets):  # every client trickles one more byte of its head
                if n in closed_at:
                    continue
                with contextlib.suppress(BlockingIOError, BrokenPipeError, ConnectionResetError):
                    if sent < len(head):
                        sock.send(head[sent:sent + 1])
                try:
                    data = sock.recv(4096)
                    answers[n] = answers.get(n, b"") + data
                    if not data:
                        closed_at[n] = time.monotonic() - started
                except BlockingIOError:
                    pass
                except ConnectionResetError:
                    closed_at[n] = time.monotonic() - started
            sent += 1
            asked = time.monotonic()  # meanwhile, an honest client is served
            assert httpx.get(f"{URL}/status", timeout=5).status_code == 200
            status_latencies.append(time.monotonic() - asked)
            peak = max(peak, rss(node.pid))
            time.sleep(0.2)
    finally:
        for sock in sockets:
            sock.close()
    assert len(closed_at) == SLOW_CLIENTS, f"{SLOW_CLIENTS - len(closed_at)} slow clients still open"
    assert max(closed_at.values()) < HEADER_SECONDS + 5, max(closed_at.values())
    assert min(closed_at.values()) > HEADER_SECONDS - 1  # cut off by the head deadline, not before
    refused = [a for a in answers.values() if a.startswith(b"HTTP/1.1 408")]
    assert len(refused) == SLOW_CLIENTS
    assert json.loads(refused[0].partition(b"\r\n\r\n")[2])["rule"] == "request-timeout"
    assert peak - before < RSS_BUDGET_BYTES, (before, peak)
    status_latencies.sort()
    print(f"slow headers: {SLOW_CLIENTS} clients closed in {min(closed_at.values()):.1f}-"
          f"{max(closed_at.values()):.1f} s (deadline {HEADER_SECONDS:g} s); RSS {before / 2**20:.1f} -> "
          f"{peak / 2**20:.1f} MB; /status p50 {status_latencies[len(status_latencies) // 2] * 1000:.0f} ms,"
          f" max {status_latencies[-1] * 1000:.0f} ms during the attack")
    assert node.poll() is None


def test_one_source_flooding_the_public_api_gets_429_and_others_are_served(
    node: subprocess.Popen[str],
) -> None:
    """A script hammering GET /blocks/0 and POST /transactions from 127.0.0.1: past its bucket it
    gets 429 `rate-limit`, while a client from another address (127.0.0.2) is served every time."""
    from minichain.net.guards import SOURCE_BURST

    honest = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"), timeout=5)
    flooder = httpx.Client(timeout=5)
    tx = make_wallet(0).transfer("minichain-test", make_wallet(1).address, 5, 0, fee=1).json_bytes
    codes: dict[int, int] = {}
    rules: set[str] = set()
    honest_codes: list[int] = []
    before = rss(node.pid)
    try:
        for n in range(int(SOURCE_BURST) * 3):
            if n % 2:
                response = flooder.get(f"{URL}/blocks/0")
            else:
                response = flooder.post(f"{URL}/transactions", content=tx,
                                        headers={"Content-Type": "application/json"})
            codes[response.status_code] = codes.get(response.status_code, 0) + 1
            if response.status_code == 429:
                rules.add(response.json()["rule"])
                assert response.headers["Retry-After"] == "1"
            if n % 20 == 0:
                honest_codes.append(honest.get(f"{URL}/status").status_code)
    finally:
        honest.close()
        flooder.close()
    print(f"flood from one address: {codes}; the other address: {len(honest_codes)} x 200 expected, "
          f"got {set(honest_codes)}; RSS {before / 2**20:.1f} -> {rss(node.pid) / 2**20:.1f} MB")
    assert codes.get(429, 0) > 0 and rules == {"rate-limit"}, codes
    assert sum(c for status, c in codes.items() if status != 429) >= SOURCE_BURST  # a full bucket first
    assert honest_codes and set(honest_codes) == {200}
    assert node.poll() is None
