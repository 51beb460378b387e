"""The load generator's summary and the HTTP tuning of `node run`, on the in-memory network."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from minichain.net.load import commit_summary
from minichain.net.memory import MemoryNetwork
from minichain.node.core import NodeConfig
from minichain.testing import make_genesis, make_wallet


def test_commit_summary_counts_each_nodes_view() -> None:
    submitted = {"a": 0.0, "b": 0.0, "c": 0.5, "d": 0.5}
    committed = {"a": 1.0, "b": 1.0, "c": 2.0, "d": 2.0, "x": 2.0}  # x: not from this load
    summary = commit_summary(submitted, committed)
    assert summary["committed"] == 4
    assert summary["tps"] == 2.0  # 4 transfers from the first submission (0.0) to the last commit (2.0)
    assert summary["commit_tps"] == 2.0  # c and d, committed one second after the first block
    assert summary["p50_commit_s"] == 1.25
    assert summary["p95_commit_s"] == 1.5
    single_block = commit_summary(submitted, {"a": 1.0, "b": 1.0})
    assert single_block["commit_tps"] == 0.0 and single_block["tps"] == 2.0
    assert commit_summary(submitted, {}) == {"committed": 0, "tps": 0.0, "commit_tps": 0.0,
                                             "p50_commit_s": 0.0, "p95_commit_s": 0.0}


def _network(**config: Any) -> MemoryNetwork:
    authorities = [make_wallet(f"authority-{i}") for i in range(4)]
    genesis = make_genesis("poa", authorities=authorities, block_time=2)
    configs = [NodeConfig(f"node{i}", authority=authorities[i], **config) for i in range(4)]
    return MemoryNetwork(genesis, configs, seed=5)


def test_http_tuning_keeps_the_network_converging_with_fewer_messages() -> None:
    """What `node run` sets for HTTP: new blocks and transactions pushed whole (no inv/getdata),
    transactions sent every 0.2 s. Same chain and balances, fewer messages than the defaults."""
    default = _network()
    tuned = _network(push_new_blocks=True, push_transactions=True, announce_interval=0.2)
    for net in (default, tuned):
        net.run_for(6)
        for nonce in range(20):
            net.submit(0, make_wallet(0).transfer(net.genesis.chain_id, make_wallet(1).address, 5, nonce))
        net.run_for(10)
        assert net.converged()
        assert [c.chain.state.balance(make_wallet(1).address) for c in net.cores] == [1_000_100] * 4
    sent = [Counter(e.message for e in net.log if e.kind == "send") for net in (default, tuned)]
    assert sent[0]["getdata"] > 0 and sent[1]["getdata"] == 0  # nothing is asked for: it comes
    assert sent[1]["inventory"] == 0  # ... nor announced
    # a block reaches a peer at most once from each neighbour (3 here), not only once
    assert sent[0]["blocks"] < sent[1]["blocks"] <= 3 * sent[0]["blocks"]
    assert sent[1].total() < sent[0].total()


def test_pushed_relays_stay_announcements_for_big_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """A relayed block bigger than RELAY_PUSH_MAX_BYTES is announced, not pushed: its peers may
    have it already, and a second copy would cost more than a GetData round trip."""
    from minichain.node import gossip

    for limit, relayed_as in ((gossip.RELAY_PUSH_MAX_BYTES, "blocks"), (100, "inventory")):
        monkeypatch.setattr(gossip, "RELAY_PUSH_MAX_BYTES", limit)
        net = _network(push_new_blocks=True)
        net.run_for(5)
        producers = {e.source for e in net.log if e.kind == "produced"}
        relays = Counter(e.message for e in net.log if e.kind == "send" and e.source not in producers
                         and e.message in ("blocks", "inventory"))
        assert relays[relayed_as] > 0 and sum(relays.values()) == relays[relayed_as], relays


def test_pushed_transactions_are_encoded_once_for_the_peers_that_get_the_same() -> None:
    """A gateway passes the same transactions to most of its peers: one encoding serves them all."""
    from minichain.crypto import get_suite
    from minichain.node.effects import Send
    from minichain.node.gossip import Gossip
    from minichain.node.peers import PeerPhase, PeerState

    peers = {name: PeerState(name, phase=PeerPhase.READY) for name in ("a", "b", "c")}
    txs = {tx.txid: tx for tx in (make_wallet(0).transfer("minichain-test", make_wallet(1).address, 1, n)
                                  for n in range(3))}
    gossip = Gossip(peers, get_suite("sha256-ed25519"), push_from=txs.get)
    for txid in txs:
        gossip.announce_tx(txid, origin="c")  # c sent them: a and b get the same three
    sends = [effect for effect in gossip.flush_tx_announcements() if isinstance(effect, Send)]
    assert sorted(s.peer for s in sends) == ["a", "b"] and {s.kind for s in sends} == {"transactions"}
    assert sends[0].data is sends[1].data  # one bytes object, not two copies
