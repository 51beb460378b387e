"""The load generator's summary and the HTTP tuning of `node run`, on the in-memory network."""

from __future__ import annotations

from collections import Counter
from typing import Any

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
    """What `node run` sets for HTTP: new blocks pushed whole (no inv/getdata), transactions
    announced every 0.2 s. Same chain and balances, fewer messages than the defaults."""
    default, tuned = _network(), _network(push_new_blocks=True, announce_interval=0.2)
    for net in (default, tuned):
        net.run_for(6)
        for nonce in range(20):
            net.submit(0, make_wallet(0).transfer(net.genesis.chain_id, make_wallet(1).address, 5, nonce))
        net.run_for(10)
        assert net.converged()
        assert [c.chain.state.balance(make_wallet(1).address) for c in net.cores] == [1_000_100] * 4
    sent = [Counter(e.message for e in net.log if e.kind == "send") for net in (default, tuned)]
    assert sent[1]["blocks"] == sent[0]["blocks"]  # each block still reaches each peer once
    assert sent[1]["getdata"] < sent[0]["getdata"]  # ... without being asked for
    assert sent[1].total() < sent[0].total()
