"""The contract commands end to end on a data dir: compile, deploy, call, read, receipt, for all
three suites and both consensus kinds; an outside contract written here (not in contracts/);
revert, out of gas, bad arguments and compiler errors each as one line naming its rule."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from minichain.cli import main
from minichain.contracts.compiler import SOLC_DIR

SUITES = ["sha256-ed25519", "sha256-secp256k1", "sm3-sm2"]
CHAIN = "contract-cli"
NOBODY = "0x00000000000000000000000000000000000000b0"

# An outside contract: written by the test, compiled from a temporary directory.
ESCROW = """\
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

contract Escrow {
    struct Deal { address buyer; uint256 amount; bool released; }
    mapping(uint256 => Deal) public deals;
    uint256 public count;
    string public title;

    event Opened(uint256 indexed id, address indexed buyer, uint256 amount);
    event Released(uint256 indexed id);
    error AlreadyReleased(uint256 id);

    constructor(string memory title_) { title = title_; }

    function open(uint256 amount) external returns (uint256 id) {
        require(amount > 0, "amount must be positive");
        id = ++count;
        deals[id] = Deal(msg.sender, amount, false);
        emit Opened(id, msg.sender, amount);
    }

    function release(uint256 id) external {
        Deal storage deal = deals[id];
        require(deal.buyer == msg.sender, "only the buyer releases");
        if (deal.released) revert AlreadyReleased(id);
        deal.released = true;
        emit Released(id);
    }

    function spin(uint256 rounds) external pure returns (uint256 total) {
        for (uint256 i = 0; i < rounds; i++) { total += i; }
    }
}
"""


@pytest.fixture(autouse=True)
def in_tmp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def run(capsys: pytest.CaptureFixture[str], *argv: str, code: int = 0) -> str:
    result = main(list(argv))
    captured = capsys.readouterr()
    assert result == code, captured.err
    if code:
        lines = captured.err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error ["), captured.err
        assert "Traceback" not in captured.err
        return lines[0]
    return captured.out.strip()


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    return json.loads(run(capsys, *argv))


class Cli:
    """A data dir with one funded key (alice) and one producer, driven only through `minichain`."""

    def __init__(self, capsys: pytest.CaptureFixture[str], suite: str, consensus: str = "poa") -> None:
        self.capsys = capsys
        self.consensus = consensus
        self.alice = run(capsys, "keygen", "--out", "alice.key", "--suite", suite)
        self.producer = run(capsys, "keygen", "--out", "producer.key", "--suite", suite)
        extra = (["--authority", self.producer, "--block-time", "1"] if consensus == "poa"
                 else ["--difficulty-bits", "4"])
        run(capsys, "genesis", "--out", "g.json", "--consensus", consensus, "--suite", suite,
            "--alloc", f"{self.alice}=10000000", "--chain-id", CHAIN, *extra)
        run(capsys, "chain", "init", "--data", "d", "--genesis", "g.json")
        self.sender = run(capsys, "contract", "address", "--key", "alice.key")

    def __call__(self, *argv: str, code: int = 0) -> str:
        return run(self.capsys, *argv, code=code)

    def submit(self, *argv: str) -> str:
        """Sign (tx deploy/call ARGV), submit to the data dir's mempool; returns the txid."""
        tx = json.loads(self("tx", *argv, "--key", "alice.key", "--chain-id", CHAIN, "--data", "d"))
        Path("tx.json").write_text(json.dumps(tx))
        assert "accepted" in self("chain", "submit", "--data", "d", "tx.json")
        return str(tx["txid"])

    def block(self) -> None:
        if self.consensus == "poa":
            self("chain", "seal", "--data", "d", "--key", "producer.key")
        else:
            self("chain", "mine", "--data", "d", "--miner", self.producer)

    def receipt(self, txid: str, artifact: str) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self("receipt", "--data", "d", txid, "--artifact", artifact))
        return value

    def read(self, to: str, artifact: str, fn: str, *args: Any, code: int = 0, **options: str) -> Any:
        extra = [item for key, value in options.items() for item in (f"--{key}", value)]
        text = self("contract", "read", "--data", "d", "--to", to, "--artifact", artifact,
                    "--fn", fn, "--args", json.dumps(list(args)), *extra, code=code)
        return text if code else json.loads(text)

    def balance(self, address: str) -> int:
        return int(json.loads(self("balance", "--data", "d", address, "--json"))["balance"])


@pytest.mark.parametrize("suite", SUITES)
def test_token_round_trip_on_a_data_dir(capsys: pytest.CaptureFixture[str], suite: str) -> None:
    cli = Cli(capsys, suite)
    assert "wrote build/Token.json" in cli("contract", "compile", str(SOLC_DIR / "Token.sol"),
                                           "--out", "build")
    token_json = "build/Token.json"
    deploy = cli.submit("deploy", "--artifact", token_json, "--args", '["Coin", "C", 1000]',
                        "--gas-price", "2")
    cli.block()
    receipt = cli.receipt(deploy, token_json)
    token = receipt["contract_address"]
    assert receipt["status"] == 1 and receipt["height"] == 1
    assert token == cli("contract", "address", "--key", "alice.key", "--nonce", "0")
    assert receipt["logs"][0]["event"] == "Transfer"
    assert receipt["logs"][0]["args"]["to"] == cli.sender and receipt["logs"][0]["args"]["value"] == 1000
    assert cli.read(token, token_json, "balanceOf", cli.sender) == 1000
    assert cli.read(token, token_json, "symbol") == "C"

    move = cli.submit("call", "--to", token, "--artifact", token_json, "--fn", "transfer",
                      "--args", json.dumps([NOBODY, 40]), "--gas", "100000", "--gas-price", "2")
    cli.block()
    moved = cli.receipt(move, token_json)
    event = moved["logs"][0]["args"]
    assert moved["status"] == 1 and event["from"] == cli.sender and event["value"] == 40
    assert event["to"].lower() == NOBODY
    assert cli.read(token, token_json, "balanceOf", NOBODY) == 40
    assert cli.read(token, token_json, "balanceOf", cli.sender) == 960
    storage = json.loads(cli("contract", "storage", "--data", "d", "--to", token, "--artifact", token_json))
    named = {slot["label"]: slot for slot in storage["slots"]}
    assert named["name"]["text"] == "Coin" and int(named["totalSupply"]["value"], 16) == 1000
    assert storage["code_hash"].startswith("0x") and storage["height"] == 2
    fees = receipt["fee"] + moved["fee"]
    assert receipt["fee"] == 2 * receipt["gas_used"] and fees > 0
    assert cli.balance(cli.alice) == 10_000_000 - fees
    assert cli.balance(cli.producer) == fees  # PoA: no block reward, the producer earns the fees

    cli("chain", "export", "--data", "d", "--out", "chain.json")
    assert cli("chain", "verify", "--file", "chain.json").startswith("valid: 3 blocks")
    assert cli("chain", "verify", "--data", "d").startswith("valid: 3 blocks")


def test_proof_of_work_chain_mines_contract_transactions(capsys: pytest.CaptureFixture[str]) -> None:
    cli = Cli(capsys, "sha256-ed25519", consensus="pow")
    cli("contract", "compile", str(SOLC_DIR / "Voting.sol"), "--out", "build")
    voting = json.loads(Path("build/Voting.json").read_text())
    constructor = next(e for e in voting["abi"] if e["type"] == "constructor")
    assert [p["type"] for p in constructor["inputs"]] == ["string[]"]
    deploy = cli.submit("deploy", "--artifact", "build/Voting.json", "--args", '[["tea", "coffee"]]')
    cli.block()
    address = cli.receipt(deploy, "build/Voting.json")["contract_address"]
    assert address and cli("chain", "verify", "--data", "d").startswith("valid: 2 blocks")


def test_outside_contract_compiled_deployed_and_exercised(capsys: pytest.CaptureFixture[str],
                                                          tmp_path: Path) -> None:
    cli = Cli(capsys, "sm3-sm2")
    source = tmp_path / "outside" / "Escrow.sol"
    source.parent.mkdir()
    source.write_text(ESCROW)
    assert SOLC_DIR not in source.parents
    cli("contract", "compile", str(source), "--out", "build")
    escrow_json = "build/Escrow.json"
    artifact = json.loads(Path(escrow_json).read_text())
    assert artifact["source_name"] == "Escrow.sol" and artifact["compiler"].startswith("0.8.11+")

    deploy = cli.submit("deploy", "--artifact", escrow_json, "--args", '["market day"]')
    cli.block()
    escrow = cli.receipt(deploy, escrow_json)["contract_address"]
    assert cli.read(escrow, escrow_json, "title") == "market day"

    opened = cli.submit("call", "--to", escrow, "--artifact", escrow_json, "--fn", "open",
                        "--args", "[250]")
    cli.block()
    receipt = cli.receipt(opened, escrow_json)
    assert receipt["status"] == 1
    assert [(log["event"], log["args"]) for log in receipt["logs"]] == [
        ("Opened", {"id": 1, "buyer": cli.sender, "amount": 250})]
    assert cli.read(escrow, escrow_json, "deals", 1) == [cli.sender, 250, False]
    assert cli.read(escrow, escrow_json, "count") == 1

    released = cli.submit("call", "--to", escrow, "--artifact", escrow_json, "--fn", "release",
                          "--args", "[1]")
    again = cli.submit("call", "--to", escrow, "--artifact", escrow_json, "--fn", "release",
                       "--args", "[1]")
    cli.block()
    assert cli.receipt(released, escrow_json)["logs"][0]["event"] == "Released"
    refused = cli.receipt(again, escrow_json)
    assert refused["status"] == 0 and refused["logs"] == [] and refused["gas_used"] > 21_000
    assert refused["error"]["rule"] == "contract-revert"
    assert refused["error"]["reason"] == "AlreadyReleased(id=1)"  # the custom error, by its ABI
    assert cli.read(escrow, escrow_json, "deals", 1) == [cli.sender, 250, True]

    # Refusals, each one line naming its rule; the data dir is unchanged by any of them.
    assert "amount must be positive" in cli.read(escrow, escrow_json, "open", 0, code=1)
    assert "contract-revert" in cli.read(escrow, escrow_json, "open", 0, code=1)
    line = cli.read(escrow, escrow_json, "release", 1, code=1, **{"from": cli.sender})
    assert line.startswith("error [contract-revert]") and "AlreadyReleased(id=1)" in line
    assert "only the buyer releases" in cli.read(escrow, escrow_json, "release", 1, code=1)
    assert cli.read(escrow, escrow_json, "spin", 10) == 45
    line = cli.read(escrow, escrow_json, "spin", 10**6, code=1, gas="200000")
    assert line.startswith("error [contract-out-of-gas]")
    assert cli.read(escrow, escrow_json, "open", "many", code=1).startswith("error [contract-args]")
    assert cli.read(escrow, escrow_json, "open", code=1).startswith("error [contract-args]")
    assert cli.read(escrow, escrow_json, "close", 1, code=1).startswith("error [contract-function]")
    assert cli.read(NOBODY, escrow_json, "count", code=1).startswith("error [contract-no-code]")
    assert cli("chain", "verify", "--data", "d").startswith("valid: 4 blocks")


def test_out_of_gas_in_a_block_still_pays_and_uses_the_nonce(capsys: pytest.CaptureFixture[str],
                                                             tmp_path: Path) -> None:
    cli = Cli(capsys, "sha256-secp256k1")
    (tmp_path / "Escrow.sol").write_text(ESCROW)
    cli("contract", "compile", "Escrow.sol", "--out", "build")
    deploy = cli.submit("deploy", "--artifact", "build/Escrow.json", "--args", '["x"]')
    cli.block()
    escrow = cli.receipt(deploy, "build/Escrow.json")["contract_address"]
    starved = cli.submit("call", "--to", escrow, "--artifact", "build/Escrow.json", "--fn", "open",
                         "--args", "[5]", "--gas", "30000", "--gas-price", "3")
    cli.block()
    receipt = cli.receipt(starved, "build/Escrow.json")
    assert receipt["status"] == 0 and receipt["error"]["rule"] == "contract-out-of-gas"
    assert receipt["gas_used"] == 30_000 and receipt["fee"] == 90_000
    assert json.loads(cli("balance", "--data", "d", cli.alice, "--json"))["nonce"] == 2
    assert cli.read(escrow, "build/Escrow.json", "count") == 0


def test_invalid_inputs_each_name_their_rule(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    cli = Cli(capsys, "sha256-ed25519")
    (tmp_path / "Broken.sol").write_text(
        "pragma solidity ^0.8.0;\ncontract Broken {\n    function f() public { x = 1; y = 2; }\n}\n")
    line = cli("contract", "compile", "Broken.sol", "--out", "build", code=1)
    assert line.startswith("error [contract-compile]: Broken.sol:3:") and "(and 1 more)" in line
    assert cli("contract", "compile", "missing.sol", "--out", "b", code=1).startswith(
        "error [contract-compile]")
    cli("contract", "compile", str(SOLC_DIR / "Token.sol"), "--out", "build")
    sign = ("tx", "deploy", "--key", "alice.key", "--artifact", "build/Token.json")
    assert cli(*sign, "--args", '["a"]', "--chain-id", CHAIN, code=1).startswith("error [contract-args]")
    assert cli(*sign, "--args", "{", "--chain-id", CHAIN, code=1).startswith("error [contract-args]")
    assert cli(*sign, "--args", '["a", "b", 1]', code=1).startswith("error [usage]")  # no chain id
    assert cli(*sign, "--args", '["a", "b", -1]', "--chain-id", CHAIN, code=1).startswith(
        "error [contract-args]")  # uint256 cannot be negative
    call = ("tx", "call", "--key", "alice.key", "--artifact", "build/Token.json", "--chain-id", CHAIN)
    assert cli(*call, "--to", "0x12", "--fn", "name", code=1).startswith("error [contract-address]")
    assert cli(*call, "--to", NOBODY, "--fn", "mint", code=1).startswith("error [contract-function]")
    assert cli("tx", "deploy", "--key", "alice.key", "--artifact", "g.json", "--chain-id", CHAIN,
               code=1).startswith("error [contract-compile]")  # not an artifact
    assert cli("receipt", "--data", "d", "abc", code=1).startswith("error [encoding]")
    pending = cli.submit("deploy", "--artifact", "build/Token.json", "--args", '["a", "b", 1]')
    line = cli("receipt", "--data", "d", pending, code=1)
    assert line.startswith("error [contract-receipt]") and "waiting in the mempool" in line
    assert cli(*sign, "--args", '["a", "b", 1]', "--gas", "21000", "--chain-id", CHAIN,
               code=1).startswith("error [contract-intrinsic-gas]")  # refused before it is signed
    assert cli(*sign, "--args", '["a", "b", 1]', "--gas", "-1", "--chain-id", CHAIN,
               code=1).startswith("error [contract-gas-limit]")
    rich = json.loads(cli(*sign, "--args", '["a", "b", 1]', "--nonce", "1", "--gas-price", "100",
                          "--chain-id", CHAIN))
    Path("rich.json").write_text(json.dumps(rich))
    assert cli("chain", "submit", "--data", "d", "rich.json", code=1).startswith("error [tx-balance]")


def test_chain_verify_catches_a_tampered_log_or_storage_value(capsys: pytest.CaptureFixture[str],
                                                              tmp_path: Path) -> None:
    cli = Cli(capsys, "sha256-ed25519")
    cli("contract", "compile", str(SOLC_DIR / "Token.sol"), "--out", "build")
    cli.submit("deploy", "--artifact", "build/Token.json", "--args", '["Coin", "C", 1000]')
    cli.block()
    token = cli("contract", "address", "--key", "alice.key", "--nonce", "0")
    move = cli.submit("call", "--to", token, "--artifact", "build/Token.json", "--fn", "transfer",
                      "--args", json.dumps([NOBODY, 7]))
    cli.block()
    assert cli("chain", "verify", "--data", "d").startswith("valid: 3 blocks")
    db = sqlite3.connect(tmp_path / "d" / "chain.db")
    (stored,) = db.execute("SELECT data FROM receipts WHERE txid = ?", (bytes.fromhex(move),)).fetchone()
    seven, eight = (f"0x{value:064x}".encode() for value in (7, 8))
    assert seven in stored
    db.execute("UPDATE receipts SET data = ? WHERE txid = ?", (stored.replace(seven, eight),
                                                             bytes.fromhex(move)))
    db.commit()
    line = cli("chain", "verify", "--data", "d", code=1)
    assert line.startswith("error [block]") and "receipt differs" in line
    db.execute("UPDATE receipts SET data = ? WHERE txid = ?", (stored, bytes.fromhex(move)))
    key, value = db.execute("SELECT k, v FROM evm_kv ORDER BY k LIMIT 1").fetchone()
    db.execute("UPDATE evm_kv SET v = ? WHERE k = ?", (value + b"\x00", key))
    db.commit()
    db.close()
    line = cli("chain", "verify", "--data", "d", code=1)
    assert line.startswith("error [block]") and "contract state is damaged" in line
