"""A node whose disk fills up, as a real process: `minichain node run` with a file-size limit
(RLIMIT_FSIZE: writes past it fail, as on a full disk, with no root and no real disk filled).
It must exit non-zero with one line `error [store-write]: ...`, and after a restart every block it
served and every transaction it answered 202 for must be there. Also: `node run` and `net up`
refuse, in one line, a port a stale node still holds."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from minichain.store import Store
from minichain.testing import make_genesis, make_wallet

PORT = 8790
URL = f"http://127.0.0.1:{PORT}"
FILE_LIMIT = 2 * 1024 * 1024  # bytes any file of the node may grow to: its "disk"
ALICE, BOB = make_wallet(0), make_wallet(1)


def limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))


def start_node(data: Path, *extra: str, full_disk: bool = False) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "minichain", "node", "run", "--data-dir", str(data), *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
        preexec_fn=limit_file_size if full_disk else None)  # the limit is the child's "disk"


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_up(process: subprocess.Popen[str], timeout: float = 20) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{URL}/status", timeout=1).status_code == 200:
                return
        time.sleep(0.1)
    raise AssertionError("node did not answer /status")


@pytest.fixture
def authority_node(tmp_path: Path) -> Iterator[tuple[Path, Path, Path]]:
    authority = make_wallet("authority-0")
    genesis = make_genesis("poa", authorities=[authority], block_time=1)
    genesis_file, key_file = tmp_path / "genesis.json", tmp_path / "authority.key"
    genesis_file.write_text(json.dumps(genesis.to_json()))
    authority.save(key_file)
    yield tmp_path / "data", genesis_file, key_file


def test_a_full_disk_stops_the_node_loudly_and_loses_nothing_acknowledged(
    authority_node: tuple[Path, Path, Path],
) -> None:
    data, genesis_file, key_file = authority_node
    node = start_node(data, "--genesis", str(genesis_file), "--key", str(key_file),
                      "--port", str(PORT), full_disk=True)
    acknowledged: list[str] = []
    served: dict[int, str] = {}  # height -> block hash, as the API showed it
    try:
        wait_up(node)
        with httpx.Client(base_url=URL, timeout=5) as client:
            nonce, deadline = 0, time.time() + 40
            while node.poll() is None and time.time() < deadline:
                tx = ALICE.transfer("minichain-test", BOB.address, 1, nonce, memo="m" * 128)
                try:
                    answer = client.post("/transactions", content=tx.json_bytes)
                    if answer.status_code == 429:  # a polite client: this one asks as fast as it can
                        assert answer.json()["rule"] == "rate-limit"
                        time.sleep(0.2)
                        continue
                    if answer.status_code == 202:
                        acknowledged.append(answer.json()["txid"])
                        nonce += 1
                    else:
                        assert answer.status_code == 503, answer.text
                        assert answer.json()["rule"] == "store-write"
                    status = client.get("/status")
                    if status.status_code == 429:
                        time.sleep(0.2)
                        continue
                    if status.status_code == 503:  # stopped: it shows nothing any more
                        assert status.json()["rule"] == "store-write"
                        continue
                    for h in range(max(served, default=0) + 1, status.json()["height"] + 1):
                        block = client.get(f"/blocks/{h}")
                        if block.status_code == 200:
                            served[h] = block.json()["hash"]
                except httpx.HTTPError:
                    time.sleep(0.05)  # the node is going away
        assert node.wait(timeout=15) == 1
    finally:
        stop(node)
    stderr = node.stderr.read() if node.stderr else ""
    lines = stderr.strip().splitlines()
    assert "Traceback" not in stderr and lines, stderr
    assert lines[-1].startswith("error [store-write]: "), stderr
    assert acknowledged and served, (len(acknowledged), served)

    store = Store.open(data)  # no limit now: the restarted node's view of its disk
    chain, mempool = store.load()
    store.close()
    for height, block_hash in served.items():
        assert chain.height >= height and chain.block_at(height).hash(chain.suite).hex() == block_hash
    kept = {tx.txid.hex() for tx in mempool.transactions()}
    kept |= {tx.txid.hex() for h in range(1, chain.height + 1) for tx in chain.block_at(h).transactions}
    assert set(acknowledged) <= kept, f"{len(set(acknowledged) - kept)} acknowledged transfers lost"
