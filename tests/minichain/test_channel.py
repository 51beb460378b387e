"""Authenticated channels (minichain/net/channel.py), sans-IO: a channel proves both node keys by
signature and both URLs by reachability; a frame proves its channel; nobody can take a channel over
by claiming a URL, replay a frame, or join a consortium whose genesis does not admit its key."""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from minichain.cli import main
from minichain.errors import InvalidGenesis, PeerAuthError
from minichain.genesis import Genesis
from minichain.net.channel import Channels, Outgoing, check_peer_url
from minichain.net.http import HttpNode
from minichain.node.config import NodeConfig
from minichain.store import Store
from minichain.testing import make_genesis, make_wallet
from minichain.wallet import Wallet

GENESIS_HASH = bytes(range(32))
A_URL, B_URL, C_URL = "http://10.0.0.1:8700", "http://10.0.0.2:8700", "http://10.0.0.3:8700"


def _entropy(seed: str) -> Callable[[int], bytes]:
    rng = random.Random(seed)
    return lambda size: rng.randbytes(size)


def _node(name: str, url: str, suite: str = "sha256-ed25519", **options: object) -> Channels:
    return Channels(make_wallet(name, suite), "minichain-test", GENESIS_HASH, url, _entropy(name),
                    allow_private=True, **options)  # type: ignore[arg-type]


def _handshake(a: Channels, b: Channels, a_url: str = A_URL, b_url: str = B_URL) -> None:
    """Run a's channel to b, delivering each message to the node at its URL."""
    nodes = {a_url: a, b_url: b}
    queue: list[Outgoing] = [a.open(b_url, 0.0)]
    while queue:
        message = queue.pop(0)
        queue += nodes[message.url].on_handshake(message.body, message.auth, 0.0).replies


@pytest.mark.parametrize("suite", ["sha256-ed25519", "sha256-secp256k1", "sm3-sm2"])
def test_a_channel_proves_both_keys_and_frames_prove_their_channel(suite: str) -> None:
    a, b = _node("a", A_URL, suite), _node("b", B_URL, suite)
    _handshake(a, b)
    to_b, to_a = a.channel_to(B_URL), b.channel_to(A_URL)
    assert to_b is not None and to_a is not None and to_b.ready and to_a.ready
    assert to_b.peer_address == make_wallet("b", suite).address
    assert to_a.peer_address == make_wallet("a", suite).address
    body = b'{"type":"status"}'
    auth = a.seal(B_URL, body)
    assert auth is not None
    assert b.open_frame(auth, body).peer_url == A_URL
    with pytest.raises(PeerAuthError) as replay:
        b.open_frame(auth, body)
    assert replay.value.check == "counter"
    auth2 = a.seal(B_URL, body)
    with pytest.raises(PeerAuthError) as tampered:
        b.open_frame(auth2, body + b" ")
    assert tampered.value.check == "mac"
    back = b.seal(A_URL, b"pong")
    assert back is not None and a.open_frame(back, b"pong").peer_url == B_URL


def test_claiming_a_url_does_not_take_its_channel() -> None:
    a, b, mallory = _node("a", A_URL), _node("b", B_URL), _node("mallory", C_URL)
    _handshake(a, b)
    # Mallory sends an init claiming to be at A's URL: B's accept goes to A's URL, which ignores it.
    init = mallory.open(B_URL, 1.0)
    forged = init.body.replace(C_URL.encode(), A_URL.encode())
    accept = b.on_handshake(forged, None, 1.0).replies[0]
    assert accept.url == A_URL
    with pytest.raises(PeerAuthError) as unsolicited:
        a.on_handshake(accept.body, None, 1.0)
    assert unsolicited.value.check == "pending"
    # Without B's ephemeral secret Mallory cannot confirm, nor send a frame on A's channel.
    with pytest.raises(PeerAuthError):
        b.on_handshake(b'{"type":"confirm","signature":"00"}', "00" * 16 + ".1." + "00" * 32, 1.0)
    channel = b.channel_to(A_URL)
    assert channel is not None and channel.peer_address == make_wallet("a").address
    with pytest.raises(PeerAuthError) as spoofed:
        b.open_frame(channel.id.hex() + ".99." + "00" * 32, b"junk")
    assert spoofed.value.check == "mac"
    assert b.open_frame(a.seal(B_URL, b"ok"), b"ok").peer_url == A_URL  # A's channel still works


def test_an_accept_signed_by_another_key_is_refused() -> None:
    a, b, mallory = _node("a", A_URL), _node("b", B_URL), _node("mallory", C_URL)
    init = a.open(B_URL, 0.0)
    accept = b.on_handshake(init.body, None, 0.0).replies[0]
    other = mallory.on_handshake(init.body, None, 0.0).replies[0]  # a real accept, from another key
    mixed = accept.body.replace(b.key.public_key.hex().encode(), mallory.key.public_key.hex().encode())
    with pytest.raises(PeerAuthError) as forged:
        a.on_handshake(mixed, None, 0.0)
    assert forged.value.check == "signature"
    assert a.on_handshake(other.body, None, 0.0).ready is not None  # mallory's own accept is honest


def test_a_consortium_admits_only_the_node_keys_it_lists() -> None:
    members = [make_wallet("a").address, make_wallet("b").address]
    a, b = _node("a", A_URL), _node("b", B_URL, admitted=members)
    _handshake(a, b)
    assert b.channel_to(A_URL) is not None
    outsider = _node("outsider", C_URL)
    with pytest.raises(PeerAuthError) as refused:
        b.on_handshake(outsider.open(B_URL, 0.0).body, None, 0.0)
    assert refused.value.check == "admission" and refused.value.peer == make_wallet("outsider").address


def test_another_chain_and_a_banned_key_are_refused() -> None:
    b = _node("b", B_URL)
    other = Channels(make_wallet("a"), "another-chain", GENESIS_HASH, A_URL, _entropy("x"),
                     allow_private=True)
    with pytest.raises(PeerAuthError) as chain:
        b.on_handshake(other.open(B_URL, 0.0).body, None, 0.0)
    assert chain.value.check == "chain"
    a = _node("a", A_URL)
    _handshake(a, b)
    b.close(A_URL, refuse_until=100.0)
    assert b.channel_to(A_URL) is None
    with pytest.raises(PeerAuthError) as banned:
        b.on_handshake(a.open(B_URL, 1.0).body, None, 1.0)
    assert banned.value.check == "admission"


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/admin/reset?token=", "http://10.0.0.1", "ftp://10.0.0.1:21", "http://u:p@10.0.0.1:1",
    "http://10.0.0.1:1/#x", "not a url", "http://[::1:1", "http://" + "a" * 300 + ":1",
])
def test_peer_urls_are_base_urls_only(url: str) -> None:
    with pytest.raises(PeerAuthError) as refused:
        check_peer_url(url, allow_private=True)
    assert refused.value.check == "url"


def test_strangers_private_and_loopback_urls_are_not_contacted_unless_configured() -> None:
    for url in ("http://127.0.0.1:8700", "http://10.1.2.3:80", "http://192.168.1.9:1", "http://localhost:1",
                "http://[::1]:1", "http://169.254.169.254:80"):
        with pytest.raises(PeerAuthError):
            check_peer_url(url, allow_private=False)
        assert check_peer_url(url + "/", allow_private=True) == url
    assert check_peer_url("http://8.8.8.8:8700", allow_private=False) == "http://8.8.8.8:8700"
    public_b = Channels(make_wallet("b"), "minichain-test", GENESIS_HASH, "http://8.8.4.4:1", _entropy("b"))
    with pytest.raises(PeerAuthError) as refused:
        public_b.on_handshake(_node("a", A_URL).open("http://8.8.4.4:1", 0.0).body, None, 0.0)
    assert refused.value.check == "url"


def test_handshakes_under_way_are_bounded_and_forgotten() -> None:
    b = _node("b", B_URL)
    strangers: list[Wallet] = [make_wallet(f"s{i}") for i in range(40)]
    refused = 0
    for i, wallet in enumerate(strangers):
        stranger = Channels(wallet, "minichain-test", GENESIS_HASH, f"http://10.9.0.{i}:1", _entropy(str(i)),
                            allow_private=True)
        try:
            b.on_handshake(stranger.open(B_URL, 0.0).body, None, 0.0)
        except PeerAuthError as error:
            assert error.check == "pending"
            refused += 1
    assert refused == 40 - 32
    late = _node("a", A_URL)
    _handshake_at = late.open(B_URL, 20.0)  # the stale ones are forgotten after PENDING_SECONDS
    assert b.on_handshake(_handshake_at.body, None, 20.0).replies


def test_a_consortium_genesis_lists_its_admitted_node_keys(tmp_path: Path) -> None:
    authorities = [make_wallet(f"authority-{i}") for i in range(2)]
    member = make_wallet("member")
    open_genesis = make_genesis("poa", authorities=authorities)
    closed = dataclasses.replace(open_genesis, consensus=dataclasses.replace(open_genesis.consensus,
                                                                              nodes=(member.address,)))
    assert "nodes" not in open_genesis.to_json()["consensus"]  # an open genesis keeps its bytes
    assert Genesis.from_json(json.loads(json.dumps(closed.to_json()))) == closed
    assert open_genesis.consensus.admitted_nodes() is None
    assert closed.consensus.admitted_nodes() == {member.address, *(a.address for a in authorities)}
    Store.create(tmp_path / "data", closed).close()
    node = HttpNode(Store.open(tmp_path / "data"), NodeConfig("n0"), B_URL, [], allow_private_peers=True)
    assert node.channels.admitted == closed.consensus.admitted_nodes()
    with pytest.raises(InvalidGenesis) as twice:
        dataclasses.replace(closed, consensus=dataclasses.replace(closed.consensus,
                                                                  nodes=(member.address, member.address)))
    assert twice.value.check == "node-twice"
    node.store.close()


def test_the_genesis_command_admits_node_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    authority, member = make_wallet("authority-0").address, make_wallet("member").address
    out = tmp_path / "genesis.json"
    assert main(["genesis", "--out", str(out), "--consensus", "poa", "--authority", authority,
                 "--admit", member, "--timestamp", "1"]) == 0
    assert Genesis.load(out).consensus.admitted_nodes() == {authority, member}
    pow_out = str(tmp_path / "pow.json")
    assert main(["genesis", "--out", pow_out, "--consensus", "pow", "--admit", member]) == 1
    assert "--admit are for --consensus poa" in capsys.readouterr().err
