"""The HTTP node's public API, in-process: exact endpoints, typed 4xx for bad input, and a
hypothesis fuzz that never gets a 5xx and never changes the node's state."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minichain.net import http as http_module
from minichain.net.channel import HANDSHAKE_PATH, Channels, Outgoing
from minichain.net.http import HttpNode
from minichain.net.p2p_routes import MAX_P2P_LINES
from minichain.net.peering import AUTH_HEADER, HandshakeLimiter
from minichain.node.core import NodeConfig
from minichain.node.effects import Send
from minichain.store import Store
from minichain.testing import make_genesis, make_wallet
from minichain.wallet import Wallet

ALICE, BOB = make_wallet(0), make_wallet(1)
AUTHORITIES = [make_wallet(f"authority-{i}") for i in range(3)]


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, HttpNode]]:
    genesis = make_genesis("poa", authorities=AUTHORITIES)
    store = Store.create(tmp_path_factory.mktemp("node") / "data", genesis)
    store.close()
    http_node = HttpNode(Store.open(store.data_dir), NodeConfig("n0"), "http://127.0.0.1:1", [],
                         allow_private_peers=True)
    with TestClient(http_node.app) as client:
        yield client, http_node


Link = Callable[[bytes], httpx.Response]
_links = itertools.count()


def link(client: TestClient, http_node: HttpNode, monkeypatch: pytest.MonkeyPatch) -> tuple[Link, str]:
    """Open an authenticated channel to the node from a new peer (its handshake messages to us are
    captured instead of POSTed); returns a function that POSTs a sealed /p2p frame, and the peer URL."""
    sent: list[Outgoing] = []

    async def capture(message: Outgoing) -> None:
        sent.append(message)

    monkeypatch.setattr(http_node, "post_handshake", capture)
    number = next(_links)
    url = f"http://127.0.0.1:{20_000 + number}"
    peer = Channels(make_wallet(f"peer-{number}"), http_node.core.genesis.chain_id,
                    http_node.core.chain.genesis_hash, url, os.urandom, allow_private=True)
    http_node.handshakes = HandshakeLimiter()  # earlier tests (the fuzz) used this address's budget
    init = peer.open(http_node.public_url, time.time())
    assert client.post(HANDSHAKE_PATH, content=init.body).status_code == 202
    deadline = time.time() + 5
    while not sent and time.time() < deadline:  # the accept is POSTed by a task of the node
        time.sleep(0.01)
    confirm = peer.on_handshake(sent.pop().body, None, time.time()).replies[0]
    answer = client.post(HANDSHAKE_PATH, content=confirm.body, headers={AUTH_HEADER: confirm.auth or ""})
    assert answer.status_code == 202, answer.text

    def send(body: bytes) -> httpx.Response:
        auth = peer.seal(http_node.public_url, body) or ""
        return client.post("/p2p", content=body, headers={AUTH_HEADER: auth})

    return send, url


def snapshot(http_node: HttpNode) -> tuple[bytes, int, int]:
    core = http_node.core
    return core.chain.tip_hash, core.chain.height, len(core.mempool)


def tx_json(
    sender: Wallet = ALICE, nonce: int = 0, chain_id: str = "minichain-test", **changes: Any
) -> Any:
    value = sender.transfer(chain_id, BOB.address, 5, nonce, fee=1).to_json()
    value.update(changes)
    return value


def test_status_has_exactly_the_documented_fields(node: tuple[TestClient, HttpNode]) -> None:
    client, _ = node
    body = client.get("/status").json()
    assert set(body) == {"node_id", "chain_id", "consensus", "height", "tip", "peers", "mempool_size"}
    assert body["chain_id"] == "minichain-test" and body["consensus"] == "poa"


def test_submit_then_read_mempool_and_account(node: tuple[TestClient, HttpNode]) -> None:
    client, _ = node
    tx = tx_json(nonce=0)
    response = client.post("/transactions", json=tx)
    assert response.status_code == 202 and response.json() == {"txid": tx["txid"]}
    assert client.get("/mempool").json()["transactions"][0]["txid"] == tx["txid"]
    account = client.get(f"/accounts/{ALICE.address}").json()
    assert account == {"balance": 1_000_000, "nonce": 0, "pending_nonce": 1}
    again = client.post("/transactions", json=tx)
    assert again.status_code == 409 and again.json()["rule"] == "mempool-known"


@pytest.mark.parametrize(("body", "status", "rule"), [
    (b"{not json", 400, "encoding"),
    (json.dumps({"amount": 1}).encode(), 400, "encoding"),
    (json.dumps(tx_json(chain_id="another-chain")).encode(), 422, "tx-chain-id"),
    (json.dumps(tx_json(txid=None)).encode(), 400, "encoding"),
    (json.dumps({k: v for k, v in tx_json(amount=6).items() if k not in ("txid",)}).encode(), 422,
     "tx-signature"),
    (json.dumps(tx_json(nonce=500)).encode(), 409, "mempool-nonce-gap"),
    (json.dumps(tx_json(amount=True)).encode(), 400, "encoding"),
    (b"x" * 140_000, 413, "request-size"),
])
def test_invalid_requests_get_a_4xx_with_the_rule(
    node: tuple[TestClient, HttpNode], body: bytes, status: int, rule: str
) -> None:
    client, http_node = node
    before = snapshot(http_node)
    response = client.post("/transactions", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == status, response.text
    assert response.json()["rule"] == rule and response.json()["detail"]
    assert snapshot(http_node) == before


def test_chunked_body_over_the_limit_is_refused(node: tuple[TestClient, HttpNode]) -> None:
    client, _ = node
    response = client.post("/transactions", content=iter([b"x" * 70_000, b"y" * 70_000]))
    assert response.status_code == 413 and response.json()["rule"] == "request-size"


def test_reads_of_missing_things_are_404_or_400(node: tuple[TestClient, HttpNode]) -> None:
    client, _ = node
    assert client.get("/blocks/0").status_code == 200
    assert client.get("/blocks/99").json()["rule"] == "not-found"
    assert client.get("/blocks/hash/zz").status_code == 400
    assert client.get(f"/blocks/hash/{'00' * 32}").status_code == 404
    assert client.get("/accounts/Mnot-an-address").status_code == 400
    assert client.get("/blocks/minus").status_code == 400
    assert client.get("/docs").status_code == 200 and "/transactions" in client.get("/openapi.json").text


def test_a_claimed_peer_url_proves_nothing_and_costs_that_peer_nothing(
    node: tuple[TestClient, HttpNode], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, http_node = node
    send, victim = link(client, http_node, monkeypatch)
    headers = {"X-Minichain-Peer": victim}  # what an impostor used to be believed for
    statuses = [client.post("/p2p", content=b"junk", headers=headers).status_code for _ in range(6)]
    assert statuses == [401] * 6
    assert not http_node.core.is_banned(victim, time.time())
    assert send(b"").status_code == 202  # the real peer's channel still works


def test_junk_on_a_real_channel_gets_its_sender_banned_and_its_key_refused(
    node: tuple[TestClient, HttpNode], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, http_node = node
    send, url = link(client, http_node, monkeypatch)
    statuses = [send(b"junk").status_code for _ in range(6)]
    assert statuses[:5] == [400] * 5 and statuses[5] in (401, 403)
    assert http_node.core.is_banned(url, time.time())
    assert not http_node.core.is_banned(url, time.time() + 3600)  # bans expire
    assert http_node.channels.channel_to(url) is None  # and its channel is closed


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.text(max_size=20),
    lambda children: (st.lists(children, max_size=4)
                      | st.dictionaries(st.text(max_size=12), children, max_size=6)),
    max_leaves=20,
)
FIELDS = ["chain_id", "suite", "sender_key", "recipient", "amount", "fee", "nonce", "memo", "signature"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(
    JSON.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=300),
    st.tuples(st.sampled_from(FIELDS), JSON).map(
        lambda pair: json.dumps(tx_json(nonce=1) | {pair[0]: pair[1]}).encode()),
))
def test_fuzzed_transactions_never_5xx_and_change_nothing(
    node: tuple[TestClient, HttpNode], body: bytes
) -> None:
    client, http_node = node
    before = snapshot(http_node)
    response = client.post("/transactions", content=body, headers={"Content-Type": "application/json"})
    if response.status_code == 202:  # hypothesis rebuilt a valid transfer: fine, it was valid
        return
    assert 400 <= response.status_code < 500, response.text
    assert set(response.json()) == {"rule", "detail"}
    assert snapshot(http_node) == before


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(JSON.map(lambda v: json.dumps(v).encode()), st.binary(max_size=300)),
       st.integers(0, 10**6))
def test_fuzzed_peer_messages_never_5xx(node: tuple[TestClient, HttpNode], body: bytes, sender: int) -> None:
    client, http_node = node
    before = snapshot(http_node)
    auth = f"{sender:032x}.{sender}.{'00' * 32}"
    response = client.post("/p2p", content=body, headers={AUTH_HEADER: auth})
    assert response.status_code == 401, response.text
    response = client.post(HANDSHAKE_PATH, content=body)
    assert response.status_code in (400, 401, 413, 429), response.text
    assert snapshot(http_node)[:2] == before[:2]
    assert client.get("/status").status_code == 200


def test_a_p2p_request_with_too_many_messages_is_refused_and_the_node_carries_on(
    node: tuple[TestClient, HttpNode], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, http_node = node
    send, _ = link(client, http_node, monkeypatch)
    before = snapshot(http_node)
    lines = b"\n".join([b'{"type":"status","height":0,"tip":"' + b"00" * 32 + b'","weight":0}']
                       * (MAX_P2P_LINES + 1))
    response = send(lines)
    assert response.status_code == 413 and response.json()["rule"] == "request-lines"
    assert client.get("/status").status_code == 200 and snapshot(http_node) == before


def test_outgoing_queues_are_bounded_in_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http_module, "MAX_OUTBOX_BYTES", 10_000)
    monkeypatch.setattr(http_module, "MAX_OUTBOXES_BYTES", 25_000)
    store = Store.create(tmp_path / "data", make_genesis("poa", authorities=AUTHORITIES))
    http_node = HttpNode(store, NodeConfig("n1"), "http://127.0.0.1:1", [])

    async def flood() -> tuple[dict[str, int], int, int]:
        http_node.client = httpx.AsyncClient(timeout=0.1)
        for peer in ("http://127.0.0.1:3", "http://127.0.0.1:4", "http://127.0.0.1:5"):
            for _ in range(50):
                http_node._enqueue(Send(peer, b"x" * 1000, "inventory"))
        queued = {peer: box.queued_bytes for peer, box in http_node.outboxes.items()}
        for box in http_node.outboxes.values():
            if box.task is not None:
                box.task.cancel()
        await http_node.client.aclose()
        return queued, http_node.outbox_bytes, http_node.dropped_sends

    queued, total, dropped = asyncio.run(flood())
    store.close()
    assert all(size <= 10_000 for size in queued.values()) and total <= 25_000, (queued, total)
    assert dropped == 150 - total // 1000


def test_strangers_cannot_make_the_node_handshake_without_limit(node: tuple[TestClient, HttpNode]) -> None:
    client, http_node = node
    http_node.handshakes = HandshakeLimiter(limit=5)
    statuses = [client.post(HANDSHAKE_PATH, content=b"{}").status_code for _ in range(8)]
    assert statuses == [401] * 5 + [429] * 3
    http_node.handshakes = HandshakeLimiter()


def test_invalid_store_write_stops_the_node_and_keeps_every_202(tmp_path: Path) -> None:
    """The disk fills while transfers arrive: each 202 was saved first; the first failed write
    gets 503 store-write, and from then on the node answers nothing but that and produces no block."""
    genesis = make_genesis("poa", authorities=AUTHORITIES)
    Store.create(tmp_path / "data", genesis).close()
    http_node = HttpNode(Store.open(tmp_path / "data"), NodeConfig("n0"), "http://127.0.0.1:1", [])
    pages = http_node.store.db.execute("PRAGMA page_count").fetchone()[0]
    http_node.store.db.execute(f"PRAGMA max_page_count = {pages + 2}")  # room for a few rows
    acknowledged: list[str] = []
    with TestClient(http_node.app) as client:
        for nonce in range(200):
            tx = ALICE.transfer(genesis.chain_id, BOB.address, 1, nonce, memo="m" * 128)
            response = client.post("/transactions", content=tx.json_bytes)
            if response.status_code != 202:
                break
            acknowledged.append(response.json()["txid"])
        assert response.status_code == 503 and response.json()["rule"] == "store-write", response.text
        assert 0 < len(acknowledged) < 200
        for path in ("/status", "/mempool", "/blocks/0"):
            stopped = client.get(path)
            assert stopped.status_code == 503 and stopped.json()["rule"] == "store-write"
        assert http_node.failure is not None and http_node.failure.check == "disk-full"
    _, mempool = Store.open(tmp_path / "data").load()
    assert [tx.txid.hex() for tx in mempool.transactions()] == acknowledged
