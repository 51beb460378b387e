"""Classroom set-up: a port held by a stale node is named (with its pid) before anything starts,
`net up --host` writes the address nodes listen on, and hints name a command that works as printed."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from minichain.cli import main
from minichain.invocation import cli_command
from minichain.net.launcher import (
    OUTPUT_FILE,
    SETTINGS,
    last_line,
    port_holder,
    prepare_network,
    start_node_process,
)

PORT = 8795


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """Something listening on 127.0.0.1:PORT, as a node left running would be."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", PORT))
        sock.listen()
        yield sock


def test_a_free_port_has_no_holder() -> None:
    assert port_holder("127.0.0.1", PORT + 1) is None


def test_invalid_launch_port_held_by_a_stale_node_names_its_pid(
    tmp_path: Path, listener: socket.socket, capsys: pytest.CaptureFixture[str]
) -> None:
    node0 = tmp_path / "net" / "node0"
    node0.mkdir(parents=True)
    (node0 / "node.pid").write_text(f"{os.getpid()}\n")  # a live process claims the node
    assert f"kill {os.getpid()}" in (port_holder("127.0.0.1", PORT, node0) or "")
    assert main(["net", "up", "--nodes", "2", "--base-port", str(PORT),
                 "--data-dir", str(tmp_path / "net")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error [launch]: port 8795 is in use: the node of ")
    assert f"pid {os.getpid()}" in err and not (tmp_path / "net" / "genesis.json").exists()


def test_invalid_launch_port_held_by_another_program(tmp_path: Path, listener: socket.socket) -> None:
    assert port_holder("127.0.0.1", PORT, tmp_path) == "port 8795 on 127.0.0.1 is in use by another program"


def test_node_run_on_a_taken_port_is_one_line(tmp_path: Path, listener: socket.socket) -> None:
    genesis = tmp_path / "genesis.json"
    assert main(["genesis", "--out", str(genesis), "--consensus", "pow"]) == 0
    result = subprocess.run(
        [sys.executable, "-m", "minichain", "node", "run", "--data-dir", str(tmp_path / "d"),
         "--genesis", str(genesis), "--port", str(PORT)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr == ("error [launch]: port 8795 on 127.0.0.1 is in use by another program, "
                             "or pass --port to use another\n")


def test_net_up_host_is_written_for_every_node(tmp_path: Path) -> None:
    prepare_network(tmp_path, 2, "poa", PORT, "sha256-ed25519", host="0.0.0.0")
    settings = [json.loads((tmp_path / f"node{i}" / SETTINGS).read_text()) for i in range(2)]
    assert [s["host"] for s in settings] == ["0.0.0.0", "0.0.0.0"]
    assert settings[0]["peers"] == [f"http://127.0.0.1:{PORT + 1}"]  # same machine: loopback
    prepare_network(tmp_path, 2, "poa", PORT, "sha256-ed25519", host="10.0.0.5")
    again = json.loads((tmp_path / "node1" / SETTINGS).read_text())
    assert again["host"] == "10.0.0.5" and again["peers"] == [f"http://10.0.0.5:{PORT}"]


def test_hints_name_a_command_that_runs_as_printed(tmp_path: Path) -> None:
    command = cli_command()
    words = command.split()
    assert words[0] != "minichain" and Path(words[0]).exists()
    result = subprocess.run([*words, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "net" in result.stdout
    below = cli_command(cwd=Path(sys.executable).parent.parent)
    assert not Path(below.split()[0]).is_absolute()


def test_last_line_of_a_log(tmp_path: Path) -> None:
    log = tmp_path / "node.log"
    log.write_text("started\n" + "x" * 10_000 + "\nerror [store-write]: the disk is full\n")
    assert last_line(log) == "error [store-write]: the disk is full"
    assert last_line(tmp_path / "missing.log") == ""


def test_a_node_started_by_net_up_logs_to_its_own_file_and_says_why_it_exited(
    tmp_path: Path, listener: socket.socket
) -> None:
    """`net up` starts `node run --quiet`: log lines go only to the rotated node.log, and node.out
    (fresh each start) holds what the process printed besides: the line saying why it exited."""
    prepare_network(tmp_path, 2, "poa", PORT, "sha256-ed25519")
    held = start_node_process(tmp_path / "node0")  # PORT is taken by `listener`
    assert held.wait(60) == 1
    assert last_line(tmp_path / "node0" / OUTPUT_FILE).startswith("error [launch]: port 8795 on 127.0.0.1")
    running = start_node_process(tmp_path / "node1")
    try:
        deadline = time.time() + 30
        log = tmp_path / "node1" / "node.log"
        while time.time() < deadline and "node node1 on http://127.0.0.1" not in (
                log.read_text() if log.exists() else ""):
            time.sleep(0.1)
    finally:
        running.send_signal(signal.SIGTERM)
        running.wait(30)
    assert "node node1 on http://127.0.0.1:8796" in log.read_text()
    assert "node node1" not in (tmp_path / "node1" / OUTPUT_FILE).read_text()
