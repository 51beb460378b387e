"""The `minichain` CLI end to end: all three suites, both consensus kinds, errors as one line."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from minichain.cli import main

SUITES = ["sha256-ed25519", "sha256-secp256k1", "sm3-sm2"]


@pytest.fixture(autouse=True)
def in_tmp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def run(capsys: pytest.CaptureFixture[str], *argv: str, code: int = 0) -> str:
    result = main(list(argv))
    captured = capsys.readouterr()
    assert result == code, captured.err
    if code:
        assert captured.err.startswith("error ["), captured.err
        assert "Traceback" not in captured.err
        return captured.err.strip()
    return captured.out.strip()


@pytest.mark.parametrize("suite", SUITES)
@pytest.mark.parametrize("consensus", ["pow", "poa"])
def test_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str], suite: str, consensus: str) -> None:
    alice = run(capsys, "keygen", "--out", "alice.key", "--suite", suite)
    bob = run(capsys, "keygen", "--out", "bob.key", "--suite", suite)
    assert stat.S_IMODE(os.stat("alice.key").st_mode) == 0o600
    producer = run(capsys, "keygen", "--out", "producer.key", "--suite", suite)
    extra = (["--authority", producer, "--block-time", "1"] if consensus == "poa"
             else ["--difficulty-bits", "8"])
    run(capsys, "genesis", "--out", "g.json", "--consensus", consensus, "--suite", suite,
        "--alloc", f"{alice}=1000", "--chain-id", "cli-test", *extra)
    run(capsys, "chain", "init", "--data", "d", "--genesis", "g.json")
    tx = run(capsys, "tx", "sign", "--key", "alice.key", "--to", bob, "--amount", "30", "--fee", "2",
             "--chain-id", "cli-test")
    Path("tx.json").write_text(tx)
    assert "accepted" in run(capsys, "chain", "submit", "--data", "d", "tx.json")
    assert "mempool-known" in run(capsys, "chain", "submit", "--data", "d", "tx.json", code=1)
    if consensus == "pow":
        run(capsys, "chain", "mine", "--data", "d", "--miner", producer, "--blocks", "2")
        reward = 100
    else:
        run(capsys, "chain", "seal", "--data", "d", "--key", "producer.key", "--blocks", "2")
        reward = 0
    assert run(capsys, "balance", "--data", "d", bob) == "30"
    assert json.loads(run(capsys, "balance", "--data", "d", alice, "--json")) == {"balance": 968, "nonce": 1}
    assert run(capsys, "balance", "--data", "d", producer) == str(reward + 2)
    assert "tx-nonce" in run(capsys, "chain", "submit", "--data", "d", "tx.json", code=1)  # a replay
    assert "height     2" in run(capsys, "chain", "show", "--data", "d")
    assert json.loads(run(capsys, "chain", "show", "--data", "d", "--height", "1"))["header"]["height"] == 1
    run(capsys, "chain", "export", "--data", "d", "--out", "chain.json")
    assert run(capsys, "chain", "verify", "--file", "chain.json").startswith("valid: 3 blocks")
    assert run(capsys, "chain", "verify", "--data", "d").startswith("valid: 3 blocks")
    Path("bad.json").write_text(Path("chain.json").read_text().replace('"amount": 30', '"amount": 31'))
    assert "block-merkle-root" in run(capsys, "chain", "verify", "--file", "bad.json", code=1)


def test_cross_chain_replay_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    alice = run(capsys, "keygen", "--out", "a.key")
    run(capsys, "genesis", "--out", "g.json", "--consensus", "pow", "--alloc", f"{alice}=10",
        "--chain-id", "one")
    run(capsys, "chain", "init", "--data", "d", "--genesis", "g.json")
    Path("tx.json").write_text(run(capsys, "tx", "sign", "--key", "a.key", "--to", alice, "--amount", "1",
                                   "--chain-id", "two"))
    assert "tx-chain-id" in run(capsys, "chain", "submit", "--data", "d", "tx.json", code=1)


def test_errors_are_one_line_with_a_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    zero = "M7uAERuQW2AotfyLDyewFGcLUDtAYu9v5V"
    assert "store" in run(capsys, "balance", "--data", "nowhere", zero, code=1)
    assert "[address]" in run(capsys, "balance", "--data", "d", "Mnotanaddress", code=1)
    run(capsys, "keygen", "--out", "k.key")
    assert "refusing to overwrite" in run(capsys, "keygen", "--out", "k.key", code=1)
    Path("broken.json").write_text("{not json")
    assert "[encoding]" in run(capsys, "chain", "verify", "--file", "broken.json", code=1)
    assert "[genesis]" in run(capsys, "chain", "init", "--data", "d", "--genesis", "missing.json", code=1)


def test_console_script_runs_without_traceback(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "minichain", "chain", "verify", "--file", "missing.json"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.startswith("error [usage]: cannot read missing.json")
    assert "Traceback" not in result.stderr
