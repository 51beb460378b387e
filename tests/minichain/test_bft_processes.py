"""Real processes on loopback: `minichain net up --consensus bft` with 4 validators. Blocks are
final with verified certificates; kill -9 of one validator under load does not stop commits; kill
-9 of a second stops new blocks without a fork; restarting them resumes, and every node ends with
the same block at every height. The tests run in order on one network (ports 9300-9303)."""

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

from minichain.blocks import Block
from minichain.consensus.bft import BftEngine
from minichain.crypto import get_suite
from minichain.genesis import Genesis
from minichain.net.launcher import start_node_process

BASE_PORT = 9300
NODES = 4
URLS = [f"http://127.0.0.1:{BASE_PORT + i}" for i in range(NODES)]
started: list[subprocess.Popen[bytes]] = []  # nodes this module restarted: stopped at the end
CLIENT = httpx.Client(timeout=5)  # kept-alive connections: a new one per request is slow on a busy machine


def status(url: str) -> dict[str, object] | None:
    try:
        body: dict[str, object] = CLIENT.get(f"{url}/status", timeout=2).json()
        return body
    except httpx.HTTPError:
        return None


def height(url: str) -> int:
    found = status(url)
    return -1 if found is None else int(str(found["height"]))


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def kill_9(data: Path, node: int) -> None:
    pid = int((data / f"node{node}" / "node.pid").read_text())
    os.kill(pid, signal.SIGKILL)
    wait_for(lambda: status(URLS[node]) is None, 10, f"node{node} to die")


def block(url: str, at: int) -> dict[str, object]:
    body: dict[str, object] = CLIENT.get(f"{url}/blocks/{at}").json()
    return body


def assert_one_chain(data: Path, urls: list[str]) -> None:
    """Every node has the same block at every height they share, each with a certificate that
    verifies against the genesis validators."""
    genesis = Genesis.load(data / "genesis.json")
    engine, suite = BftEngine(genesis), get_suite(genesis.suite)
    top = min(height(url) for url in urls)
    assert top > 0
    for at in range(1, top + 1):
        hashes = {str(block(url, at)["hash"]) for url in urls}
        assert len(hashes) == 1, f"a fork at height {at}: {hashes}"
    for at in range(1, top + 1, max(1, top // 10)):
        parsed = Block.from_json(block(urls[at % len(urls)], at), suite)
        engine.check_commit(parsed.header, parsed.commit)


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    data = tmp_path_factory.mktemp("bft") / "net"
    launcher = subprocess.Popen(
        [sys.executable, "-m", "minichain", "net", "up", "--nodes", str(NODES), "--consensus", "bft",
         "--base-port", str(BASE_PORT), "--data-dir", str(data)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(lambda: all(status(u) for u in URLS), 40, "4 nodes to answer /status")
        yield data
    finally:
        CLIENT.close()
        if launcher.poll() is None:
            os.killpg(launcher.pid, signal.SIGTERM)
            launcher.wait(timeout=30)
        for process in started:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        for i in range(NODES):  # anything left behind: the pid its node wrote
            pid_file = data / f"node{i}" / "node.pid"
            if pid_file.exists():
                with contextlib.suppress(ProcessLookupError, ValueError):
                    os.kill(int(pid_file.read_text()), signal.SIGTERM)


def test_four_validators_commit_final_blocks(network: Path) -> None:
    wait_for(lambda: all(height(u) >= 3 for u in URLS), 40, "height 3 on every node")
    consensus = CLIENT.get(f"{URLS[0]}/consensus").json()
    assert consensus["quorum"] == 3 and len(consensus["validators"]) == NODES
    assert consensus["height"] > consensus["chain_height"] >= 3
    assert {"round", "step", "locked_value", "valid_value", "votes", "proposals"} <= consensus.keys()
    commit = block(URLS[1], 1)["commit"]
    assert isinstance(commit, dict) and len(commit["signatures"]) >= 3
    assert {s["validator"] for s in commit["signatures"]} <= set(consensus["validators"])
    assert_one_chain(network, URLS)


def test_kill_9_of_one_validator_under_load_and_commits_go_on(network: Path) -> None:
    load = subprocess.Popen(
        [sys.executable, "-m", "minichain", "load", "--node", URLS[0], "--key",
         str(network / "keys" / "faucet.key"), "--tx", "1500", "--rate", "150", "--timeout", "40", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        time.sleep(3)
        kill_9(network, 3)
        after_kill = max(height(u) for u in URLS[:3])
        output, _ = load.communicate(timeout=55)
    finally:
        if load.poll() is None:
            os.killpg(load.pid, signal.SIGKILL)
            load.wait()
    result = json.loads(output.strip().splitlines()[-1])
    assert result["sent"] == 1500 and result["committed"] == 1500, result
    assert all(height(u) > after_kill + 2 for u in URLS[:3])
    assert_one_chain(network, URLS[:3])


def test_kill_9_of_a_second_stops_new_blocks_and_never_forks(network: Path) -> None:
    kill_9(network, 2)
    time.sleep(3)  # a decision already under way may still land
    stuck = [height(u) for u in URLS[:2]]
    time.sleep(10)
    assert [height(u) for u in URLS[:2]] == stuck  # 2 of 4 validators: no quorum, no block
    consensus = CLIENT.get(f"{URLS[0]}/consensus").json()
    assert consensus["chain_height"] == stuck[0] and consensus["height"] == stuck[0] + 1  # waiting there
    assert_one_chain(network, URLS[:2])


def test_restarting_them_resumes_and_every_node_has_the_same_chain(network: Path) -> None:
    before = max(height(u) for u in URLS[:2])
    started.append(start_node_process(network / "node2"))
    wait_for(lambda: all(height(u) > before + 2 for u in URLS[:3]), 45, "3 validators to commit again")
    started.append(start_node_process(network / "node3"))
    target = max(height(u) for u in URLS[:3]) + 2
    wait_for(lambda: all(height(u) >= target for u in URLS), 45, "node3 to catch up and commit")
    assert_one_chain(network, URLS)
    # Nodes 0 and 1 ran throughout and kept every conflicting pair of votes they saw as evidence:
    # the validators restarted after kill -9 never signed two values for one height and round.
    assert [CLIENT.get(f"{u}/consensus").json()["evidence"] for u in URLS[:2]] == [0, 0]
