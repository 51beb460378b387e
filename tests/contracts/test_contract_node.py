"""One real node process (`minichain node run`, PoA, stopped by its PID) and the contract commands
through `--node`: deploy, call, read and receipt, and the node's own contract routes."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from minichain.cli import main
from minichain.contracts.compiler import SOLC_DIR

PORT = 9400  # this module's port (helpers own 9400-9499)
URL = f"http://127.0.0.1:{PORT}"
WAIT = "30"  # seconds a command waits for its receipt (blocks come every second)
FRIEND = "0x00000000000000000000000000000000000000f1"


def run(capsys: pytest.CaptureFixture[str], *argv: str, code: int = 0) -> str:
    result = main(list(argv))
    captured = capsys.readouterr()
    assert result == code, captured.err
    if code:
        assert captured.err.startswith("error [") and "Traceback" not in captured.err, captured.err
        return captured.err.strip()
    return captured.out.strip()


def wait_up(process: subprocess.Popen[str], timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{URL}/status", timeout=1).status_code == 200:
                return
        time.sleep(0.1)
    raise AssertionError("the node did not answer /status")


@pytest.fixture
def node(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
         capsys: pytest.CaptureFixture[str]) -> Iterator[subprocess.Popen[str]]:
    monkeypatch.chdir(tmp_path)
    alice = run(capsys, "keygen", "--out", "alice.key", "--suite", "sm3-sm2")
    Path("alice.address").write_text(alice)
    authority = run(capsys, "keygen", "--out", "authority.key", "--suite", "sm3-sm2")
    run(capsys, "genesis", "--out", "g.json", "--consensus", "poa", "--suite", "sm3-sm2",
        "--authority", authority, "--alloc", f"{alice}=100000000", "--block-time", "1",
        "--chain-id", "contract-node")
    process = subprocess.Popen(
        [sys.executable, "-m", "minichain", "node", "run", "--data-dir", "data", "--genesis", "g.json",
         "--key", "authority.key", "--port", str(PORT), "--quiet"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        wait_up(process)
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # its own session: the node and nothing else
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def receipt_of(text: str) -> dict[str, Any]:
    """The receipt JSON printed after the `submitted ...` line of a --wait command."""
    first, _, rest = text.partition("\n")
    assert first.startswith("submitted "), text
    value: dict[str, Any] = json.loads(rest)
    return value


def test_deploy_call_read_receipt_through_a_real_node(node: subprocess.Popen[str],
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "contract", "compile", str(SOLC_DIR / "Token.sol"), "--out", "build")
    sender = run(capsys, "contract", "address", "--key", "alice.key")
    deployed = receipt_of(run(capsys, "tx", "deploy", "--node", URL, "--key", "alice.key",
                              "--artifact", "build/Token.json", "--args", '["Node coin", "NC", 500]',
                              "--gas-price", "1", "--wait", WAIT))
    token = deployed["contract_address"]
    assert deployed["status"] == 1 and deployed["logs"][0]["event"] == "Transfer"
    assert token == run(capsys, "contract", "address", "--key", "alice.key", "--nonce", "0")

    moved = receipt_of(run(capsys, "tx", "call", "--node", URL, "--key", "alice.key", "--to", token,
                           "--artifact", "build/Token.json", "--fn", "transfer",
                           "--args", json.dumps([FRIEND, 120]), "--gas", "80000", "--wait", WAIT))
    assert moved["status"] == 1 and moved["logs"][0]["args"]["value"] == 120
    read = ("contract", "read", "--node", URL, "--to", token, "--artifact", "build/Token.json")
    assert json.loads(run(capsys, *read, "--fn", "balanceOf", "--args", json.dumps([FRIEND]))) == 120
    assert json.loads(run(capsys, *read, "--fn", "balanceOf", "--args", json.dumps([sender]))) == 380
    line = run(capsys, *read, "--fn", "transfer", "--args", json.dumps([FRIEND, 1]), code=1)
    assert line == ("error [contract-revert]: Token.transfer reverted: "
                    "InsufficientBalance(available=0, required=1)")  # decoded with the artifact's ABI
    assert run(capsys, *read, "--fn", "balanceOf", "--args", "[1]", code=1).startswith(
        "error [contract-args]")

    refused = receipt_of(run(capsys, "tx", "call", "--node", URL, "--key", "alice.key", "--to", token,
                             "--artifact", "build/Token.json", "--fn", "transfer",
                             "--args", json.dumps([FRIEND, 10**6]), "--wait", WAIT))
    assert refused["status"] == 0
    assert refused["error"]["reason"] == "InsufficientBalance(available=380, required=1000000)"
    again = json.loads(run(capsys, "receipt", "--node", URL, refused["txid"], "--artifact",
                           "build/Token.json"))
    assert again == refused
    raw = json.loads(run(capsys, "receipt", "--node", URL, moved["txid"]))
    assert "event" not in raw["logs"][0] and raw["gas_used"] == moved["gas_used"]
    assert run(capsys, "receipt", "--node", URL, "ab" * 32, code=1).startswith("error [contract-receipt]")

    view = httpx.get(f"{URL}/contracts/{token}", timeout=5).json()
    assert {500, 380, 120} <= {int(slot["value"], 16) for slot in view["slots"]}
    named = json.loads(run(capsys, "contract", "storage", "--node", URL, "--to", token,
                           "--artifact", "build/Token.json"))
    assert [slot["text"] for slot in named["slots"] if slot["label"] == "symbol"] == ["NC"]
    alice = Path("alice.address").read_text()
    account = httpx.get(f"{URL}/accounts/{alice}", timeout=5).json()
    fees = deployed["fee"] + moved["fee"] + refused["fee"]  # price 0 for the calls: deploy's only
    assert account["nonce"] == 3 and account["balance"] == 100_000_000 - fees
    assert node.poll() is None  # every refusal left the node running
