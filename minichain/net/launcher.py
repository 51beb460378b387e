"""Starting real nodes: one node from its data directory, or a whole local network.

`net up` writes everything a network needs into one folder: the genesis, a funded faucet key,
one authority key per node (PoA; BFT: a validator key), and per node a data dir with `node.json`
(its port, peers and key), so `minichain node run --data-dir DIR/nodeI` alone restarts that node
into the same network. Each node is its own process (its own Python, its own GIL), like machines
in a classroom.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from minichain.crypto import DEFAULT_SUITE
from minichain.errors import MinichainError, StoreError, StoreOpenError
from minichain.genesis import BftParams, Genesis, PoaParams, PowParams
from minichain.invocation import cli_command
from minichain.node.core import NodeConfig
from minichain.node.messages import MAX_BATCH_BLOCKS
from minichain.store import DB_NAME, Store
from minichain.wallet import Wallet

DEFAULT_BASE_PORT = 8700
FAUCET_FUNDS = 10**15
SETTINGS = "node.json"
ALL_INTERFACES = ("0.0.0.0", "::")  # --host values that listen on every network interface
OUTPUT_FILE = "node.out"  # what a node started by `net up` printed outside its log: why it exited

log = logging.getLogger("minichain.node")


class LaunchError(MinichainError):
    """Thrown when a local network of nodes cannot be started."""

    rule = "launch"


def public_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in (*ALL_INTERFACES, "localhost") else host
    return f"http://{shown}:{port}"



def port_holder(host: str, port: int, data_dir: Path | None = None) -> str | None:
    """Why `port` on `host` cannot be listened on, or None if it can: a minichain node still
    running from `data_dir` (its node.pid names a live process), or another program."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
            probe.bind((host, port))
        return None
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            return f"cannot listen on {host}:{port}: {error.strerror}"
    pid = _live_pid(data_dir / "node.pid") if data_dir is not None else None
    if pid is not None:
        return (f"port {port} is in use: the node of {data_dir} is still running (pid {pid}, "
                f"started earlier or by hand); stop it with `kill {pid}`")
    return f"port {port} on {host} is in use by another program"


def _live_pid(pid_file: Path) -> int | None:
    try:
        pid = int(pid_file.read_text().strip())
        os.kill(pid, 0)  # signal 0: does the process exist?
    except (OSError, ValueError):
        return None
    return pid


def run_node(
    data_dir: Path,
    host: str | None,
    port: int | None,
    peers: list[str],
    genesis_file: str | None,
    key_file: str | None,
    url: str | None = None,
    allow_private_peers: bool = False,
    echo: bool = True,
) -> None:
    """Run one node in the foreground until SIGINT/SIGTERM. Options given here are saved to
    DIR/node.json, so a restart needs only --data-dir. It logs to DIR/node.log (rotated) and, if
    `echo`, to stdout too."""
    from minichain.net.http import HttpNode, serve
    from minichain.net.logs import node_logging
    from minichain.net.peering import load_node_key

    settings_path = data_dir / SETTINGS
    settings = _read_settings(settings_path)
    settings["host"] = host or settings.get("host", "127.0.0.1")
    settings["port"] = port or settings.get("port", DEFAULT_BASE_PORT)
    settings["peers"] = peers or settings.get("peers", [])
    if key_file:
        settings["key"] = str(Path(key_file).resolve())
    if url:
        settings["url"] = url
    if allow_private_peers:
        settings["allow_private_peers"] = True
    if not (data_dir / DB_NAME).exists():
        if not genesis_file:
            raise StoreError(f"{data_dir} holds no chain yet: pass --genesis FILE to create it")
        Store.create(data_dir, Genesis.load(genesis_file)).close()
    store = Store.open(data_dir)  # first: a damaged or read-only data dir says so in one line
    holder = port_holder(settings["host"], int(settings["port"]), data_dir)
    if holder is not None:
        store.close()
        raise LaunchError(f"{holder}, or pass --port to use another")
    _write_text(settings_path, json.dumps(settings, indent=2) + "\n")
    wallet = Wallet.load(settings["key"]) if settings.get("key") else None
    signs = isinstance(store.genesis.consensus, PoaParams | BftParams)  # an authority or validator
    config = NodeConfig(
        node_id=settings.get("name", data_dir.resolve().name),
        authority=wallet if signs else None,
        miner=wallet.address if (wallet is not None and not signs) else None,
        seed=int(settings["port"]),
        # Over HTTP a message costs a request (~2 ms of CPU, client and server, on the bench
        # machine): pass transactions on every 0.5 s (at 0.2 s a learner with 3 peers made ~30
        # requests a second for them), sync in the largest batches allowed, and push new blocks
        # and transactions rather than announce them (each hop also waits behind other requests).
        announce_interval=0.5,
        sync_batch=MAX_BATCH_BLOCKS,
        push_new_blocks=True,
        push_transactions=True,
        idle_tick_interval=1.0,  # no 20 ticks a second for nothing (2 % of a core per node)
    )
    with node_logging(data_dir, echo):
        # The node key: an authority's is its authority key; any other node has its own, made once.
        node_key = config.authority or load_node_key(data_dir, store.genesis.suite)
        node = HttpNode(store, config, settings.get("url") or public_url(settings["host"], settings["port"]),
                        settings["peers"], node_key=node_key,
                        allow_private_peers=bool(settings.get("allow_private_peers", False)))
        pid_file = data_dir / "node.pid"
        _write_text(pid_file, f"{os.getpid()}\n")
        node.pid_file = pid_file
        try:
            if not serve(node, settings["host"], int(settings["port"])):
                raise LaunchError(f"could not listen on {settings['host']}:{settings['port']} (see above)")
        except MinichainError as error:
            log.error("error [%s]: %s", error.rule, error)  # node.log, too, says why the node stopped
            raise
        finally:
            pid_file.unlink(missing_ok=True)


def _read_settings(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        settings = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise LaunchError(f"{path} cannot be read as JSON ({error}); fix it or delete it") from None
    if not isinstance(settings, dict):
        raise LaunchError(f"{path} must hold a JSON object; fix it or delete it")
    return settings


def _write_text(path: Path, text: str) -> None:
    try:
        path.write_text(text)
    except OSError as error:
        check = "read-only" if isinstance(error, PermissionError) else "unreadable"
        raise StoreOpenError(f"cannot write {path}: {error.strerror}", check=check,
                             path=str(path)) from None


def prepare_network(root: Path, nodes: int, consensus: str, base_port: int, suite: str,
                    host: str = "127.0.0.1") -> Genesis:
    """Create (or reuse) the files of an N-node local network under `root`, its nodes listening
    on `host` (every interface for 0.0.0.0, so other machines of a classroom can connect)."""
    genesis_path = root / "genesis.json"
    keys = root / "keys"
    if genesis_path.exists():
        genesis = Genesis.load(genesis_path)
        if genesis.consensus.kind != consensus:
            raise LaunchError(f"{root} holds a {genesis.consensus.kind} network; use another --data-dir")
    else:
        keys.mkdir(parents=True, exist_ok=True)
        faucet = _key(keys / "faucet.key", suite)
        node_keys = [_key(keys / f"node{i}.key", suite) for i in range(nodes)]
        params: PoaParams | PowParams | BftParams
        if consensus == "poa":
            params = PoaParams(tuple(w.address for w in node_keys), block_time=1)
        elif consensus == "bft":
            if not BftParams.MIN_VALIDATORS <= nodes <= BftParams.MAX_VALIDATORS:
                raise LaunchError(f"--consensus bft needs {BftParams.MIN_VALIDATORS} to "
                                  f"{BftParams.MAX_VALIDATORS} --nodes (every node is a validator)")
            params = BftParams(tuple(w.address for w in node_keys))
        else:
            params = PowParams(difficulty_bits=18, target_block_time=5, retarget_window=10)
        genesis = Genesis(chain_id="minichain-local", consensus=params, suite=suite,
                          timestamp=int(time.time()), allocations=((faucet.address, FAUCET_FUNDS),),
                          max_block_transactions=5000)
        genesis_path.write_text(json.dumps(genesis.to_json(), indent=2) + "\n")
    urls = [public_url(host, base_port + i) for i in range(nodes)]
    for i in range(nodes):
        data = root / f"node{i}"
        key = keys / f"node{i}.key"
        if not key.exists():
            raise LaunchError(f"{key} is missing; this network was made with fewer nodes")
        if not (data / DB_NAME).exists():
            Store.create(data, genesis).close()
        settings = {"name": f"node{i}", "host": host, "port": base_port + i,
                    "peers": [u for j, u in enumerate(urls) if j != i], "key": str(key.resolve()),
                    "allow_private_peers": True}  # a local network: every peer is private
        (data / SETTINGS).write_text(json.dumps(settings, indent=2) + "\n")
    return genesis


def _key(path: Path, suite: str) -> Wallet:
    if path.exists():
        return Wallet.load(path)
    wallet = Wallet.generate(suite)
    wallet.save(path)
    return wallet


def last_line(path: Path) -> str:
    """The last line of a text file (a node's log: why it exited), or "" if there is none."""
    try:
        with path.open("rb") as file:
            file.seek(max(0, file.seek(0, os.SEEK_END) - 4096))
            lines = file.read().decode("utf-8", "replace").strip().splitlines()
    except OSError:
        return ""
    return lines[-1] if lines else ""


def start_node_process(data: Path) -> subprocess.Popen[bytes]:
    """Start `node run --quiet` on `data`: it writes its own (rotated) node.log; whatever it prints
    besides (the one line saying why it exited, a traceback) goes to node.out, fresh each start."""
    output = open(data / OUTPUT_FILE, "wb")  # noqa: SIM115 - owned by the child process
    return subprocess.Popen(
        [sys.executable, "-m", "minichain", "node", "run", "--data-dir", str(data), "--quiet"],
        stdout=output, stderr=subprocess.STDOUT, start_new_session=True)


def wait_until_up(urls: list[str], timeout: float = 30.0) -> None:
    deadline = time.time() + timeout
    pending = list(urls)
    while pending and time.time() < deadline:
        for url in list(pending):
            try:
                if httpx.get(f"{url}/status", timeout=1.0).status_code == 200:
                    pending.remove(url)
            except httpx.HTTPError:
                pass
        time.sleep(0.2)
    if pending:
        raise LaunchError(f"nodes did not answer within {timeout:.0f} s: {', '.join(pending)}")


def net_up(nodes: int, consensus: str, base_port: int, data_dir: Path,
           suite: str = DEFAULT_SUITE, host: str = "127.0.0.1") -> None:
    """Start N node processes and keep them running until Ctrl-C, then stop them all. Refuses to
    start if a port is taken (a node left running from an earlier start, say), naming what holds it."""
    if not 1 <= nodes <= 32:
        raise LaunchError("--nodes must be between 1 and 32")
    taken = [why for i in range(nodes)
             if (why := port_holder(host, base_port + i, data_dir / f"node{i}")) is not None]
    if taken:
        raise LaunchError("; ".join(taken) + "; or pick another --base-port")
    genesis = prepare_network(data_dir, nodes, consensus, base_port, suite, host)
    processes = [start_node_process(data_dir / f"node{i}") for i in range(nodes)]
    urls = [public_url(host, base_port + i) for i in range(nodes)]
    command = cli_command()
    stopping = False

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        wait_until_up(urls)
        faucet = Wallet.load(data_dir / "keys" / "faucet.key")
        print(f"{nodes} {genesis.consensus.kind} nodes of chain {genesis.chain_id} are up "
              f"(logs: {data_dir}/nodeI/node.log):", flush=True)
        for i, url in enumerate(urls):
            print(f"  node{i}  {url}   pid {processes[i].pid}", flush=True)
        if host in ALL_INTERFACES:
            print(f"listening on every interface ({host}): other machines use this machine's "
                  f"address with ports {base_port}-{base_port + nodes - 1}", flush=True)
        print(f"faucet {faucet.address}  key {data_dir}/keys/faucet.key", flush=True)
        print(f"try:   {command} tx send --node {urls[0]} --key {data_dir}/keys/faucet.key "
              f"--to ADDR --amount 10", flush=True)
        print("Ctrl-C stops every node.", flush=True)
        reported: set[int] = set()
        while True:
            for i, process in enumerate(processes):
                if process.poll() is not None and i not in reported:
                    reported.add(i)
                    node_dir = data_dir / f"node{i}"
                    why = last_line(node_dir / OUTPUT_FILE) or last_line(node_dir / "node.log") or "(no log)"
                    print(f"node{i} exited with code {process.returncode}: {why}", flush=True)
                    print(f"  (log: {node_dir / 'node.log'}); restart it with: {command} node run "
                          f"--data-dir {data_dir}/node{i}", flush=True)
            time.sleep(0.5)
    except KeyboardInterrupt:
        stopping = True
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.time() + 10
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if stopping:
            print("all nodes stopped", flush=True)
