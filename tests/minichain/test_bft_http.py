"""A BFT validator behind HTTP, in-process: GET /consensus shows its round, a PoA node has none
(404 with the reason), and a signed vote is written to the store before anything is sent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from minichain.consensus.bft import SigningDomain, Vote, VoteKind
from minichain.crypto import get_suite
from minichain.net.http import HttpNode
from minichain.node.core import NodeConfig
from minichain.node.effects import PersistSigned, Send
from minichain.store import Store
from minichain.testing import make_genesis, validator_wallets

GENESIS = make_genesis("bft")
VALIDATORS = validator_wallets(GENESIS)


@pytest.fixture
def validator(tmp_path: Path) -> Iterator[tuple[TestClient, HttpNode]]:
    Store.create(tmp_path / "data", GENESIS).close()
    node = HttpNode(Store.open(tmp_path / "data"), NodeConfig("v0", authority=VALIDATORS[0]),
                    "http://127.0.0.1:1", [], allow_private_peers=True)
    with TestClient(node.app) as client:
        yield client, node


def test_get_consensus_shows_the_validators_round_and_blocks_carry_no_commit_at_genesis(
        validator: tuple[TestClient, HttpNode]) -> None:
    client, _ = validator
    body = client.get("/consensus").json()
    assert body["validator"] == VALIDATORS[0].address and body["quorum"] == 3
    assert body["height"] == 1 and body["chain_height"] == 0 and body["step"] in ("propose", "prevote")
    assert "commit" not in client.get("/blocks/0").json()


def test_invalid_consensus_on_a_poa_node_is_404_with_the_reason(tmp_path: Path) -> None:
    Store.create(tmp_path / "poa", make_genesis("poa")).close()
    node = HttpNode(Store.open(tmp_path / "poa"), NodeConfig("p0"), "http://127.0.0.1:1", [])
    with TestClient(node.app) as client:
        response = client.get("/consensus")
    assert response.status_code == 404 and "not BFT" in response.json()["detail"]


def test_a_signed_vote_is_saved_before_any_message_is_sent(validator: tuple[TestClient, HttpNode],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    _, node = validator
    order: list[str] = []
    monkeypatch.setattr(node, "_enqueue", lambda send: order.append(f"send {send.kind}"))
    saved = node.store.save_signed
    monkeypatch.setattr(node.store, "save_signed", lambda messages, height: (order.append("save"),
                                                                             saved(messages, height)))
    domain = SigningDomain.of(GENESIS, get_suite(GENESIS.suite))
    vote = Vote(VoteKind.PREVOTE, 7, 0, None, VALIDATORS[0].public_key).signed(domain,
                                                                             VALIDATORS[0].private_key)
    node.execute([Send("http://peer", b"{}", "bftvote"), PersistSigned(vote)])
    assert order == ["save", "send bftvote"]
    assert vote in node.store.load_signed()


def test_net_up_bft_makes_every_node_a_validator_and_needs_4_to_7(tmp_path: Path) -> None:
    from minichain.genesis import BftParams
    from minichain.net.launcher import LaunchError, prepare_network

    genesis = prepare_network(tmp_path / "net", 4, "bft", 9390, GENESIS.suite)
    assert isinstance(genesis.consensus, BftParams) and len(genesis.consensus.validators) == 4
    with pytest.raises(LaunchError, match="needs 4 to 7 --nodes"):
        prepare_network(tmp_path / "small", 3, "bft", 9390, GENESIS.suite)
