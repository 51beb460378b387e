"""The capstone, end to end: an e-invoice registry on a four-organisation consortium.

Run by an instructor (or a team, to check its own work) from the repository's virtual environment:

    .venv/bin/python course/capstone/run_capstone.py [--base-port 9010] [--dir capstone-run]

It does what course/capstone.md asks a team to build, with the `minichain` commands a team would
type (each is printed before it runs, so the output doubles as a worked example):
  1. keys and a genesis: four PoA authorities (tax bureau, bank, port authority, audit firm) on
     the sm3-sm2 suite, and two accounts (a supplier and a buyer);
  2. four nodes, one per organisation, each peering with the three others;
  3. the InvoiceRegistry contract compiled offline (solc-js 0.8.11) and deployed by the tax bureau;
  4. the supplier admitted, an invoice issued with the SM3 fingerprint of its file, read back from
     another organisation's node, and a one-byte-altered copy told apart;
  5. the buyer redeems it; a second redemption is refused by the contract on every node;
  6. the operations drill: kill -9 one node, keep issuing through the others, restart it alone
     (`node run --data-dir DIR`), and see it catch up;
  7. every node holds the same chain, block by block.
Exit status 0 when every check held; otherwise 1, naming the check that failed. The nodes are
stopped (by PID) whatever happens; their data and logs stay in --dir for a look afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
ORGS = ("tax", "bank", "port", "audit")  # one authority node each
NAMES = {"tax": "tax bureau 税务局", "bank": "bank 银行", "port": "port authority 港务局",
         "audit": "audit firm 审计事务所", "supplier": "supplier 供应商", "buyer": "buyer 采购方"}
CHAIN_ID = "einvoice-capstone"
INVOICE = "INV-2026-0001"
SECOND = "INV-2026-0002"
SHOWN_LINES = 14  # of each command's output
WAIT = 60.0  # seconds a receipt or a catch-up may take (block time 1 s; a dead authority's turn waits)


class CheckFailed(Exception):
    """One of the capstone's checks did not hold."""


class Capstone:
    def __init__(self, base_port: int, workdir: Path) -> None:
        self.base_port = base_port
        self.dir = workdir
        self.nodes: dict[str, subprocess.Popen[bytes]] = {}
        self.evm: dict[str, str] = {}  # account -> 0x EVM address (msg.sender)

    # --- helpers ---------------------------------------------------------------------------------

    def url(self, org: str) -> str:
        return f"http://127.0.0.1:{self.base_port + ORGS.index(org)}"

    def say(self, text: str) -> None:
        print(f"\n== {text}", flush=True)

    def run(self, *args: str, ok: bool = True) -> str:
        """`minichain ARGS`, printed first; its output (stdout) returned. `ok`: exit 0 required."""
        print("$ minichain " + " ".join(_quote(arg) for arg in args), flush=True)
        done = subprocess.run([sys.executable, "-m", "minichain", *args], cwd=self.dir,
                              capture_output=True, text=True, timeout=120)
        lines = (done.stdout + done.stderr).strip().splitlines()
        if len(lines) > SHOWN_LINES:  # a receipt's raw topics and data: the start says enough
            lines = [*lines[:SHOWN_LINES], f"… ({len(lines) - SHOWN_LINES} more lines)"]
        for line in lines:
            print("  " + line, flush=True)
        if ok and done.returncode != 0:
            raise CheckFailed(f"`minichain {args[0]} {args[1] if len(args) > 1 else ''}` failed "
                              f"(exit {done.returncode})")
        return done.stdout

    def check(self, condition: bool, what: str) -> None:
        if not condition:
            raise CheckFailed(what)
        print(f"  ✓ {what}", flush=True)

    def get(self, org: str, path: str) -> Any:
        with urllib.request.urlopen(self.url(org) + path, timeout=5) as answer:
            return json.loads(answer.read())

    def wait_for(self, what: str, test: Any, seconds: float = WAIT) -> Any:
        deadline = time.monotonic() + seconds
        while True:
            try:
                value = test()
                if value:
                    return value
            except (OSError, urllib.error.URLError, ValueError):
                pass
            if time.monotonic() > deadline:
                raise CheckFailed(f"{what}: not after {seconds:.0f} s")
            time.sleep(0.25)

    # --- the steps -------------------------------------------------------------------------------

    def keys_and_genesis(self) -> None:
        self.say("1. Keys (sm3-sm2) and a genesis with four authorities · 密钥与创世区块")
        addresses = {}
        for who in (*ORGS, "supplier", "buyer"):
            said = self.run("keygen", "--suite", "sm3-sm2", "--out", f"{who}.key")
            addresses[who] = said.strip().split()[-1]
            self.evm[who] = self.run("contract", "address", "--key", f"{who}.key").strip()
        self.run("genesis", "--out", "genesis.json", "--consensus", "poa", "--suite", "sm3-sm2",
                 "--chain-id", CHAIN_ID, "--block-time", "1",
                 "--alloc", f"{addresses['supplier']}=1000000", "--alloc", f"{addresses['buyer']}=1000000",
                 *[arg for org in ORGS for arg in ("--authority", addresses[org])])

    def start(self, org: str, first: bool) -> None:
        port = str(self.base_port + ORGS.index(org))
        if first:
            peers = [arg for other in ORGS if other != org for arg in ("--peer", self.url(other))]
            args = ["node", "run", "--data-dir", org, "--genesis", "genesis.json", "--key", f"{org}.key",
                    "--port", port, "--quiet", *peers]
        else:  # a restart: the options saved in DIR/node.json
            args = ["node", "run", "--data-dir", org]
        print("$ minichain " + " ".join(args) + " &", flush=True)
        self.nodes[org] = subprocess.Popen([sys.executable, "-m", "minichain", *args], cwd=self.dir,
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def network(self) -> None:
        self.say("2. Four nodes, one per organisation · 四个节点，每个机构一个")
        for org in ORGS:
            self.start(org, first=True)
        for org in ORGS:
            self.wait_for(f"{NAMES[org]}'s node answers",
                          lambda org=org: self.alive(org) and self.get(org, "/status"))
        self.wait_for("every node has sealed blocks and agrees on a tip", self.agree_on_a_tip)
        self.check(True, "four nodes agree on the tip: " + self.agree_on_a_tip())

    def alive(self, org: str) -> bool:
        """True while the node's process runs; CheckFailed, pointing at its log, once it has exited."""
        code = self.nodes[org].poll()
        if code is not None:
            log = self.dir / org / "node.log"
            raise CheckFailed(f"{NAMES[org]}'s node exited with status {code} (see {log})")
        return True

    def agree_on_a_tip(self) -> str:
        tips = {self.get(org, f"/blocks/{2}")["hash"] for org in ORGS}
        return next(iter(tips)) if len(tips) == 1 else ""

    def deploy(self) -> str:
        self.say("3. Compile the registry offline and deploy it (the tax bureau) · 编译并部署合约")
        self.run("contract", "compile", str(ROOT / "contracts" / "InvoiceRegistry.sol"), "--out", "build")
        said = self.run("tx", "deploy", "--key", "tax.key", "--artifact", "build/InvoiceRegistry.json",
                        "--node", self.url("tax"), "--wait", str(WAIT))
        receipt = _last_json(said)
        self.check(receipt["status"] == 1, "the deploy succeeded (receipt status 1)")
        address = str(receipt["contract_address"])
        authority = self.read("audit", address, "authority")
        self.check(authority[0].lower() == self.evm["tax"].lower(),
                   "the audit firm's node sees the tax bureau as the registry's authority")
        return address

    def call(self, who: str, org: str, address: str, fn: str, args: list[Any]) -> dict[str, Any]:
        said = self.run("tx", "call", "--key", f"{who}.key", "--to", address,
                        "--artifact", "build/InvoiceRegistry.json", "--fn", fn, "--args", json.dumps(args),
                        "--node", self.url(org), "--wait", str(WAIT), ok=False)
        return _last_json(said)

    def read(self, org: str, address: str, fn: str, args: list[Any] | None = None) -> list[Any]:
        said = self.run("contract", "read", "--node", self.url(org), "--to", address,
                        "--artifact", "build/InvoiceRegistry.json", "--fn", fn,
                        "--args", json.dumps(args or []))
        value = json.loads(said)
        return value if isinstance(value, list) else [value]

    def issue(self, address: str) -> str:
        self.say("4. Admit the supplier, issue an invoice with its file's SM3 fingerprint · 开具发票")
        admitted = self.call("tax", "tax", address, "addIssuer", [self.evm["supplier"]])
        self.check(admitted["status"] == 1, "the tax bureau admitted the supplier")
        invoice = self.dir / f"{INVOICE}.xml"
        invoice.write_text(f"<invoice number='{INVOICE}' amount='12800.00' currency='CNY'/>\n",
                           encoding="utf-8")
        fingerprint = _sm3_hex(invoice.read_bytes())
        issued = self.call("supplier", "bank", address, "issue",
                           [INVOICE, self.evm["buyer"], 1_280_000, "0x" + fingerprint])
        self.check(issued["status"] == 1 and [log.get("event") for log in issued["logs"]] == ["Issued"],
                   "the supplier issued it through the bank's node; the receipt holds the Issued event")
        stored = self.read("audit", address, "get", [INVOICE])
        self.check(stored[1].lower() == self.evm["buyer"].lower() and stored[4] == 1,
                   "the audit firm's node: held by the buyer, status Issued")
        self.check(stored[3] == "0x" + fingerprint, "the registered fingerprint is the file's SM3")
        altered = bytearray(invoice.read_bytes())
        altered[-3] ^= 0x01
        self.check(_sm3_hex(bytes(altered)) != fingerprint, "a copy with one byte changed does not match")
        return fingerprint

    def redeem(self, address: str) -> None:
        self.say("5. Redeem once; a second redemption is refused on every node · 报销一次，重复报销被拒绝")
        first = self.call("buyer", "port", address, "redeem", [INVOICE])
        self.check(first["status"] == 1, "the buyer redeemed the invoice through the port authority's node")
        again = self.call("buyer", "audit", address, "redeem", [INVOICE])
        self.check(again["status"] == 0, "the second redemption is in a block, with status 0")
        for org in ORGS:
            said = self.run("receipt", "--node", self.url(org), again["txid"],
                            "--artifact", "build/InvoiceRegistry.json")
            receipt = _last_json(said)
            reason = (receipt.get("error") or {}).get("reason", "")
            self.check(receipt["status"] == 0 and reason == "invoice already redeemed",
                       f"{NAMES[org]}'s node: refused, reason “{reason}”")
        self.check(self.read("tax", address, "redeemedCount")[0] == 1, "redeemed once, not twice")

    def drill(self, address: str) -> None:
        self.say("6. Operations drill: kill -9 one node, keep going, restart it · 运维演练")
        victim = "audit"
        self.nodes[victim].send_signal(signal.SIGKILL)
        self.nodes[victim].wait(timeout=10)
        print(f"$ kill -9 {self.nodes[victim].pid}   # {NAMES[victim]}'s node", flush=True)
        issued = self.call("supplier", "tax", address, "issue",
                           [SECOND, self.evm["buyer"], 50_000, "0x" + "11" * 32])
        self.check(issued["status"] == 1, "with one authority dead, the three others still commit")
        self.start(victim, first=False)
        target = self.get("tax", "/status")["height"]
        self.wait_for(f"{NAMES[victim]}'s node catches up to height {target}",
                      lambda: self.get(victim, "/status")["height"] >= target)
        stored = self.read(victim, address, "get", [SECOND])
        self.check(stored[2] == 50_000, f"{NAMES[victim]}'s node caught up and sees {SECOND}")

    def same_chain(self) -> None:
        self.say("7. Every node holds the same chain · 每个节点的链都相同")
        height = min(self.get(org, "/status")["height"] for org in ORGS)
        for h in range(height + 1):
            hashes = {self.get(org, f"/blocks/{h}")["hash"] for org in ORGS}
            if len(hashes) != 1:
                raise CheckFailed(f"the nodes disagree at height {h}: {sorted(hashes)}")
        self.check(True, f"blocks 0 to {height} are the same on all four nodes")

    def stop(self) -> None:
        for process in self.nodes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.nodes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _quote(arg: str) -> str:
    if arg and all(c.isalnum() or c in "-_./:=@" for c in arg):
        return arg
    return "'" + arg.replace("'", "'\\''") + "'"


def _last_json(text: str) -> dict[str, Any]:
    """The JSON object a command printed last (after its one-line notes)."""
    start = text.find("{")
    if start < 0:
        raise CheckFailed(f"expected JSON, found: {text.strip()[:200]}")
    value = json.loads(text[start:])
    if not isinstance(value, dict):
        raise CheckFailed("expected a JSON object")
    return value


def _sm3_hex(data: bytes) -> str:
    from minichain import sm3

    return sm3(data).hex()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-port", type=int, default=9010, help="ports BASE to BASE+3 (default 9010)")
    parser.add_argument("--dir", default="capstone-run", help="work directory (emptied first)")
    options = parser.parse_args()
    workdir = Path(options.dir).resolve()
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    capstone = Capstone(options.base_port, workdir)
    started = time.monotonic()
    try:
        capstone.keys_and_genesis()
        capstone.network()
        address = capstone.deploy()
        capstone.issue(address)
        capstone.redeem(address)
        capstone.drill(address)
        capstone.same_chain()
    except CheckFailed as failure:
        print(f"\n✗ capstone check failed: {failure}\n  logs: {workdir}/*/node.log", file=sys.stderr)
        return 1
    finally:
        capstone.stop()
    seconds = time.monotonic() - started
    print(f"\n✓ the capstone ran end to end in {seconds:.0f} s; data and logs in {workdir}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
