"""course/capstone/run_capstone.py, run as an instructor runs it: four sm3-sm2 PoA node processes
(ports 9180-9183), the registry deployed and exercised through the CLI, the kill -9 drill, every
node's chain compared. The script checks each step itself and exits 1 naming the one that failed;
here its exit status and its summary lines are checked, and no node is left running."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "course" / "capstone" / "run_capstone.py"
BASE_PORT = 9180


@pytest.mark.timeout(600)
def test_the_capstone_runs_end_to_end_on_four_sm2_nodes(tmp_path: Path) -> None:
    workdir = tmp_path / "run"
    done = subprocess.run([sys.executable, str(SCRIPT), "--base-port", str(BASE_PORT), "--dir", str(workdir)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=580,
                          env={**os.environ, "PYTHONUNBUFFERED": "1"})
    said = done.stdout + done.stderr
    assert done.returncode == 0, said[-4000:]
    for line in ("the deploy succeeded", "the registered fingerprint is the file's SM3",
                 "a copy with one byte changed does not match",
                 "audit firm 审计事务所's node: refused, reason “invoice already redeemed”",
                 "redeemed once, not twice", "with one authority dead, the three others still commit",
                 "caught up and sees INV-2026-0002", "are the same on all four nodes",
                 "the capstone ran end to end"):
        assert line in said, line
    genesis = json.loads((workdir / "genesis.json").read_text())
    assert genesis["suite"] == "sm3-sm2" and len(genesis["consensus"]["authorities"]) == 4
    assert not _processes_in(workdir), "the script left nodes running"


def _processes_in(workdir: Path) -> list[int]:
    """PIDs of live processes whose command line names `workdir` (the nodes run with cwd there)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if str(workdir) in (proc / "cwd").resolve().as_posix() and \
                        "State:\tZ" not in (proc / "status").read_text():
                    found.append(int(proc.name))
            except OSError:
                continue
    return found


def test_a_failed_check_exits_1_and_names_it(tmp_path: Path) -> None:
    """A port taken by something that is not a minichain node: the script says which check failed."""
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", BASE_PORT + 10))
        taken.listen()
        done = subprocess.run([sys.executable, str(SCRIPT), "--base-port", str(BASE_PORT + 10),
                               "--dir", str(tmp_path / "run")], cwd=tmp_path, capture_output=True,
                              text=True, timeout=300)
    assert done.returncode == 1, done.stdout[-2000:]
    assert "capstone check failed: tax bureau 税务局's node exited" in done.stderr, done.stderr
