"""A node's contract routes in-process: GET /receipts/{txid}, POST /call, GET /contracts/{address}
and contract transactions through POST /transactions; bad input gets a 4xx naming its rule and
leaves the node unchanged; all of them are in the OpenAPI document behind /docs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from eth_hash.auto import keccak
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minichain.contract_reads import NODE_VIEW_GAS
from minichain.contract_tx import contract_transaction
from minichain.contracts.abi import ContractAbi
from minichain.contracts.addresses import contract_address, evm_address, to_hex_address
from minichain.contracts.compiler import Artifact
from minichain.net.contract_api import MAX_CALL_BODY
from minichain.net.http import HttpNode
from minichain.node.core import NodeConfig
from minichain.store import Store
from minichain.testing import make_genesis, make_wallet, produce_block
from minichain.wallet import Wallet

AUTHORITY = make_wallet("authority-0")
ALICE = make_wallet(0)
STRANGER = "0x00000000000000000000000000000000000000c1"


class Deployed:
    def __init__(self, client: TestClient, node: HttpNode, token: Artifact, address: bytes,
                 txids: dict[str, bytes]) -> None:
        self.client, self.node, self.token, self.address, self.txids = client, node, token, address, txids
        self.abi = ContractAbi(token.abi)
        self.hex = to_hex_address(address)

    def call(self, fn: str, *args: Any, **body: Any) -> Any:
        return self.client.post("/call", json={"to": self.hex, "data": "0x" + self.abi.encode_call(
            fn, list(args)).hex(), **body})


def sign(wallet: Wallet, nonce: int, kind: str, data: bytes, to: bytes = b"",
         gas: int = 2_000_000) -> Any:
    return contract_transaction(wallet.private_key, suite=wallet.suite_name, chain_id="minichain-test",
                                kind=kind, data=data, nonce=nonce, gas_limit=gas, gas_price=1, to=to)


@pytest.fixture(scope="module")
def deployed(samples: dict[str, Artifact],
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployed]:
    token = samples["Token"]
    abi = ContractAbi(token.abi)
    genesis = make_genesis("poa", authorities=[AUTHORITY], amount=10**9)
    store = Store.create(tmp_path_factory.mktemp("api") / "data", genesis)
    chain, mempool = store.load()
    deploy = sign(ALICE, 0, "deploy", abi.deploy_code(token.bytecode, ["Coin", "C", 1000]))
    store.save(chain, produce_block(chain, [deploy], producer=AUTHORITY), mempool)
    address = contract_address(evm_address(ALICE.suite_name, ALICE.public_key), 0)
    move = sign(ALICE, 1, "call", abi.encode_call("transfer", [STRANGER, 30]), address)
    refused = sign(ALICE, 2, "call", abi.encode_call("transfer", [STRANGER, 5000]), address)
    store.save(chain, produce_block(chain, [move, refused], producer=AUTHORITY), mempool)
    store.close()
    node = HttpNode(Store.open(store.data_dir), NodeConfig("n0"), "http://127.0.0.1:1", [])
    with TestClient(node.app) as client:
        yield Deployed(client, node, token, address,
                       {"deploy": deploy.txid, "move": move.txid, "refused": refused.txid})


def snapshot(node: HttpNode) -> tuple[bytes, int, bytes]:
    return node.core.chain.tip_hash, len(node.core.mempool), node.core.chain.contract_root()


def test_receipts_of_a_deploy_a_call_and_a_refusal(deployed: Deployed) -> None:
    client = deployed.client
    made = client.get(f"/receipts/{deployed.txids['deploy'].hex()}").json()
    assert made["status"] == 1 and made["height"] == 1 and made["contract_address"] == deployed.hex
    moved = client.get(f"/receipts/{deployed.txids['move'].hex()}").json()
    assert moved["status"] == 1 and moved["fee"] == moved["gas_used"] and moved["height"] == 2
    (log,) = moved["logs"]
    event = deployed.abi.decode_event([bytes.fromhex(t[2:]) for t in log["topics"]],
                                      bytes.fromhex(log["data"][2:]))
    assert event is not None and event.name == "Transfer" and event.args["value"] == 30
    refused = client.get(f"/receipts/{deployed.txids['refused'].hex()}").json()
    assert refused["status"] == 0 and refused["error"]["rule"] == "contract-revert"
    reason = deployed.abi.decode_revert(bytes.fromhex(refused["output"][2:]))
    assert reason == "InsufficientBalance(available=970, required=5000)"


def test_view_call_reads_the_tip_and_changes_nothing(deployed: Deployed) -> None:
    before = snapshot(deployed.node)
    answer = deployed.call("balanceOf", STRANGER)
    assert answer.status_code == 200, answer.text
    output = bytes.fromhex(answer.json()["output"][2:])
    assert deployed.abi.decode_output("balanceOf", output) == [30]
    assert 0 < answer.json()["gas_used"] < 30_000
    sender = to_hex_address(evm_address(ALICE.suite_name, ALICE.public_key))
    moved = deployed.call("transfer", STRANGER, 1, **{"from": sender})
    assert moved.status_code == 200 and deployed.abi.decode_output(
        "transfer", bytes.fromhex(moved.json()["output"][2:])) == [True]
    assert snapshot(deployed.node) == before
    again = deployed.call("balanceOf", STRANGER).json()["output"]
    assert deployed.abi.decode_output("balanceOf", bytes.fromhex(again[2:])) == [30]


def test_contract_view_shows_code_hash_and_storage(deployed: Deployed) -> None:
    body = deployed.client.get(f"/contracts/{deployed.hex}").json()
    assert body["code_hash"] == "0x" + keccak(deployed.token.deployed_bytecode).hex()
    assert body["code_size"] == len(deployed.token.deployed_bytecode) and body["height"] == 2
    values = {int(slot["value"], 16) for slot in body["slots"]}
    assert {1000, 970, 30} <= values  # totalSupply and the two balances
    assert body["contract_root"] == deployed.node.core.chain.contract_root().hex()


@pytest.mark.parametrize(("body", "status", "rule"), [
    (b"{not json", 400, "encoding"),
    (json.dumps({"to": STRANGER}).encode(), 400, "encoding"),  # no data
    (json.dumps({"to": STRANGER, "data": "0x", "value": 1}).encode(), 400, "encoding"),
    (json.dumps({"to": "0x12", "data": "0x"}).encode(), 400, "contract-address"),
    (json.dumps({"to": STRANGER, "data": "beef"}).encode(), 400, "encoding"),
    (json.dumps({"to": STRANGER, "data": "0xzz"}).encode(), 400, "encoding"),
    (json.dumps({"to": STRANGER, "data": "0x", "gas": True}).encode(), 400, "encoding"),
    (json.dumps({"to": STRANGER, "data": "0x"}).encode(), 404, "contract-no-code"),
    (json.dumps([1, 2]).encode(), 400, "encoding"),
])
def test_invalid_calls_get_a_4xx_with_the_rule(deployed: Deployed, body: bytes, status: int,
                                              rule: str) -> None:
    before = snapshot(deployed.node)
    answer = deployed.client.post("/call", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == status, answer.text
    assert answer.json()["rule"] == rule and answer.json()["detail"]
    assert snapshot(deployed.node) == before


def test_invalid_call_revert_out_of_gas_and_gas_cap(deployed: Deployed) -> None:
    reverted = deployed.call("transfer", STRANGER, 5)  # from the zero address, which holds nothing
    assert reverted.status_code == 422 and reverted.json()["rule"] == "contract-revert"
    data = bytes.fromhex(reverted.json()["data"][2:])
    assert deployed.abi.decode_revert(data) == "InsufficientBalance(available=0, required=5)"
    assert reverted.json()["gas_used"] > 0
    starved = deployed.call("balanceOf", STRANGER, gas=22_000)
    assert starved.status_code == 422 and starved.json()["rule"] == "contract-out-of-gas"
    capped = deployed.call("balanceOf", STRANGER, gas=NODE_VIEW_GAS + 1)
    assert capped.status_code == 422 and capped.json()["rule"] == "contract-gas-limit"
    assert str(NODE_VIEW_GAS) in capped.json()["detail"]
    big = deployed.client.post("/call", content=b"x" * (MAX_CALL_BODY + 1))
    assert big.status_code == 413 and big.json()["rule"] == "request-size"


def test_invalid_receipt_and_contract_requests(deployed: Deployed) -> None:
    client = deployed.client
    assert client.get("/receipts/zz").json()["rule"] == "encoding"
    missing = client.get(f"/receipts/{'00' * 32}")
    assert missing.status_code == 404 and missing.json()["rule"] == "contract-receipt"
    assert client.get("/contracts/0x12").status_code == 400
    nothing = client.get(f"/contracts/{STRANGER}")
    assert nothing.status_code == 404 and nothing.json()["rule"] == "contract-no-code"


def test_contract_transactions_enter_the_mempool_through_post_transactions(deployed: Deployed) -> None:
    client = deployed.client
    call = sign(ALICE, 3, "call", deployed.abi.encode_call("transfer", [STRANGER, 1]), deployed.address)
    accepted = client.post("/transactions", content=call.json_bytes)
    assert accepted.status_code == 202 and accepted.json()["txid"] == call.txid.hex()
    pending = client.get(f"/receipts/{call.txid.hex()}")
    assert pending.status_code == 404 and "waiting in the mempool" in pending.json()["detail"]
    low = sign(ALICE, 4, "call", deployed.abi.encode_call("transfer", [STRANGER, 1]), deployed.address,
               gas=21_000)
    refused = client.post("/transactions", content=low.json_bytes)
    assert refused.status_code == 422 and refused.json()["rule"] == "contract-intrinsic-gas"


def test_the_contract_routes_are_documented(deployed: Deployed) -> None:
    paths = deployed.client.get("/openapi.json").json()["paths"]
    assert {"/receipts/{txid}", "/call", "/contracts/{address}"} <= set(paths)
    assert "gas" in paths["/call"]["post"]["description"]
    body = paths["/call"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["required"] == ["to", "data"] and body["example"]["data"] == "0x18160ddd"
    assert deployed.client.get("/docs").status_code == 200


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=50),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                max_size=4),
                    max_leaves=12)
CALL_BODIES = st.fixed_dictionaries(
    {"to": st.sampled_from([STRANGER, "0x12", "", None]) | JSON,
     "data": st.sampled_from(["0x", "0x70a08231", "0x70a08231" + "00" * 32, "zz"]) | JSON},
    optional={"from": st.sampled_from([STRANGER, "0xZZ"]) | JSON,
              "gas": st.integers(min_value=-2, max_value=2 * NODE_VIEW_GAS) | JSON})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=CALL_BODIES | JSON)
def test_fuzzed_calls_never_get_a_5xx_nor_change_the_node(deployed: Deployed, body: Any) -> None:
    if isinstance(body, dict) and body.get("to") == STRANGER and "0x" in str(body.get("data")):
        body = {**body, "to": deployed.hex}  # often at the real contract, so its code runs
    before = snapshot(deployed.node)
    answer = deployed.client.post("/call", json=body)
    assert answer.status_code in (200, 400, 404, 413, 422, 429), answer.text
    if answer.status_code != 200:
        assert answer.json()["rule"] and answer.json()["detail"]
    assert snapshot(deployed.node) == before
