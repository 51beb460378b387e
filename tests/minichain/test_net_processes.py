"""Real processes on loopback: `minichain net up` with 4 PoA nodes, 200 transfers through
`minichain load`, one node killed with SIGKILL mid-load and restarted from its data dir. Every
node must end on the same tip with the same balances, and no committed transfer may be lost."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from minichain.net.channel import HANDSHAKE_PATH, Channels
from minichain.testing import make_wallet
from minichain.wallet import Wallet

BASE_PORT = 8750
NODES = 4
URLS = [f"http://127.0.0.1:{BASE_PORT + i}" for i in range(NODES)]


def minichain(*args: str, stdout: int | None = None, stderr: int | None = None) -> subprocess.Popen[str]:
    """Start `minichain ARGS` in its own process group, so stop() can end it and its children."""
    return subprocess.Popen([sys.executable, "-m", "minichain", *args], text=True,
                            start_new_session=True, stdout=stdout, stderr=stderr)


def status(url: str) -> dict[str, object] | None:
    try:
        body: dict[str, object] = httpx.get(f"{url}/status", timeout=2).json()
        return body
    except httpx.HTTPError:
        return None


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def network(tmp_path: Path) -> Iterator[Path]:
    data = tmp_path / "net"
    launcher = minichain("net", "up", "--nodes", str(NODES), "--consensus", "poa",
                         "--base-port", str(BASE_PORT), "--data-dir", str(data),
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: all(status(u) for u in URLS), 40, "4 nodes to answer /status")
        yield data
    finally:
        stop(launcher)
        for i in range(NODES):  # a node restarted by the test is not the launcher's child
            pid_file = data / f"node{i}" / "node.pid"
            if pid_file.exists():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(pid_file.read_text()), signal.SIGTERM)
        wait_for(lambda: not any(status(u) for u in URLS), 20, "every node to stop")


def test_four_nodes_agree_survive_kill_9_and_lose_nothing(network: Path) -> None:
    faucet_key = network / "keys" / "faucet.key"
    faucet = Wallet.load(faucet_key)
    def connected_on_one_tip() -> bool:
        states = [status(u) for u in URLS]
        return (all(states) and len({s["tip"] for s in states if s}) == 1
                and all(len(s["peers"]) == NODES - 1 for s in states if s))  # type: ignore[arg-type]

    wait_for(connected_on_one_tip, 30, "all nodes connected on one tip")
    load = minichain("load", "--node", URLS[0], "--key", str(faucet_key), "--tx", "200",
                     "--rate", "100", "--json", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.8)
    victim = network / "node2"
    os.kill(int((victim / "node.pid").read_text()), signal.SIGKILL)  # mid-load, mid-whatever
    output, errors = load.communicate(timeout=120)
    result = json.loads(output)
    assert result["sent"] == 200 and result["committed"] == 200, (result, errors)
    assert status(URLS[2]) is None
    restarted = minichain("node", "run", "--data-dir", str(victim),
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: status(URLS[2]) is not None, 30, "node2 to restart")
        wait_for(lambda: len({s["tip"] for s in map(status, URLS) if s}) == 1
                 and all(status(u) for u in URLS), 60, "node2 to catch up to the same tip")
        recipients = [Wallet.from_seed(f"load-recipient-{i}").address for i in range(64)]
        for url in URLS:
            accounts = [httpx.get(f"{url}/accounts/{a}", timeout=5).json() for a in recipients]
            assert sum(a["balance"] for a in accounts) == 200, url
            assert httpx.get(f"{url}/accounts/{faucet.address}", timeout=5).json()["nonce"] == 200
        verify = subprocess.run(
            [sys.executable, "-m", "minichain", "chain", "verify", "--data", str(victim)],
            capture_output=True, text=True, timeout=60)
        # The live node holds the database open; verify reads a consistent WAL snapshot.
        assert verify.returncode == 0 and verify.stdout.startswith("valid:"), verify.stderr
    finally:
        stop(restarted)


def test_impostors_cannot_ban_split_or_redirect_a_real_network(network: Path) -> None:
    """The attacks that header identity allowed, on real nodes: spoofing node1's URL to get it
    banned, a handshake that would make node0 POST to an admin URL, and a stranger's handshake
    with a key pretending to be node1's. node0 stays connected to everyone and nobody is banned."""
    def all_connected() -> bool:
        states = [status(u) for u in URLS]
        return all(states) and all(len(s["peers"]) == NODES - 1 for s in states if s)  # type: ignore[arg-type]

    wait_for(all_connected, 30, "all nodes connected")
    impostor = {"X-Minichain-Peer": URLS[1]}  # the header that used to be believed
    spoofed = [httpx.post(f"{URLS[0]}/p2p", content=b"junk", headers=impostor).status_code for _ in range(6)]
    assert spoofed == [401] * 6
    genesis = json.loads((network / "genesis.json").read_text())
    chain_id = genesis["chain_id"]
    genesis_hash = bytes.fromhex(str(httpx.get(f"{URLS[0]}/blocks/0", timeout=5).json()["hash"]))
    stranger = Channels(make_wallet("mallory"), chain_id, genesis_hash, f"http://127.0.0.1:{BASE_PORT + 9}",
                        os.urandom, allow_private=True)
    redirect = stranger.open(URLS[0], time.time()).body.replace(
        f"http://127.0.0.1:{BASE_PORT + 9}".encode(), f"{URLS[2]}/admin/reset?token=".encode())
    answer = httpx.post(f"{URLS[0]}{HANDSHAKE_PATH}", content=redirect)
    assert answer.status_code == 401 and answer.json()["rule"] == "peer-auth", answer.text
    pretend = stranger.open(URLS[0], time.time()).body.replace(
        f"http://127.0.0.1:{BASE_PORT + 9}".encode(), URLS[1].encode())  # node1's URL, mallory's key
    assert httpx.post(f"{URLS[0]}{HANDSHAKE_PATH}", content=pretend).status_code == 202  # it answers node1
    time.sleep(3)  # a reconnect round: node1 ignored the accept it never asked for
    wait_for(all_connected, 10, "all nodes still connected")
    logs = "".join((network / f"node{i}" / "node.log").read_text() for i in range(NODES))
    assert "banned" not in logs, logs[-2000:]
