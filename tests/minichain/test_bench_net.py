"""The network benchmark runs real nodes and reports consistent figures; its pieces work alone.
Speed goals are printed, never asserted: a test checks only that each ratio is its figure over its
limit or goal, that every figure is there and positive, and that the speed work kept the bytes."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from minichain.bench_net import (
    GOALS,
    LIMIT_RATIOS,
    build_sync_chain,
    format_network_report,
    import_rate,
    load_figures,
    ports_in_use,
    run_network_benchmarks,
    sync_genesis,
    write_sync_chain,
)
from minichain.encoding import canonical_json
from minichain.net.load import commit_summary
from minichain.net.memory import MemoryNetwork
from minichain.node.core import NodeConfig
from minichain.node.messages import Blocks, Transactions, decode_message, encode_message, message_to_json
from minichain.store import Store
from minichain.testing import make_genesis, make_wallet

TEST_BASE_PORT = 9150  # ports 9150-9155; the default 9100 may be in use by someone's own run
FIGURES = (
    "net_tps_node0", "net_tps_node1", "net_tps_node2", "net_tps_node3", "net_tps_min",
    "net_e2e_tps_min", "net_p50_commit_s", "net_p95_commit_s", "net_sent", "net_committed_min",
    "net_offered_tps", "net_load_s", "sync_build_s", "sync_source_startup_s", "sync_startup_s",
    "sync_blocks", "sync_s", "sync_blocks_per_s", "import_blocks_per_s", "rounds",
)


# --- the pieces -----------------------------------------------------------------------------------


def test_sync_chain_has_one_block_per_slot_and_transfers_every_tenth_block() -> None:
    chain = build_sync_chain(25)
    blocks = list(chain.main_chain())
    assert chain.height == 25
    slots = [block.header.timestamp for block in blocks[1:]]
    assert slots == list(range(slots[0], slots[0] + 25))  # 1-second slots, none skipped
    assert [b.height for b in blocks if b.transactions] == [10, 20]
    assert all(len(b.transactions) == 8 for b in blocks if b.transactions)
    assert build_sync_chain(25).tip_hash == chain.tip_hash  # the same chain every run


def test_written_sync_chain_reopens_as_built(tmp_path: Path) -> None:
    built = write_sync_chain(tmp_path / "d", 25, batch=10)  # three store transactions
    store = Store.open(tmp_path / "d")
    chain, _ = store.load()
    store.close()
    assert chain.tip_hash == built.tip_hash
    assert chain.state.root() == built.state.root()
    assert store.genesis == sync_genesis()


def test_import_rate_rebuilds_the_chain() -> None:
    assert import_rate(build_sync_chain(12)) > 0


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


def test_load_figures_take_the_slowest_node() -> None:
    nodes = {f"http://n{i}": {"committed": 100 - i, "tps": 90.0 + i, "commit_tps": 100.0 - i,
                              "p50_commit_s": 0.5 + i / 10, "p95_commit_s": 1.0 + i / 10}
             for i in range(4)}
    result = {"sent": 100, "submit_s": 0.5, "rejected": {}, "nodes": nodes}
    figures = load_figures(result, 2.0)
    assert [figures[f"net_tps_node{i}"] for i in range(4)] == [100.0, 99.0, 98.0, 97.0]
    assert figures["net_tps_min"] == 97.0
    assert figures["net_e2e_tps_min"] == 90.0
    assert figures["net_p95_commit_s"] == pytest.approx(1.3)
    assert figures["net_committed_min"] == 97.0
    assert figures["net_offered_tps"] == 200.0


def test_gossip_and_store_bytes_are_the_canonical_json() -> None:
    """Messages join each transaction's remembered bytes instead of encoding it per peer: the
    result must be exactly what canonical_json gives, and decode back to the same message."""
    chain = build_sync_chain(20)
    suite = chain.suite
    blocks = tuple(chain.main_chain())
    txs = tuple(tx for block in blocks for tx in block.transactions)
    messages = [Blocks(blocks, True), Blocks(blocks[:1], False), Blocks((), False),
                Transactions(txs), Transactions(())]
    for message in messages:
        data = encode_message(message, suite)
        assert data == canonical_json(message_to_json(message, suite))
        assert encode_message(decode_message(data, suite), suite) == data
    for block in blocks:
        assert block.json_bytes(suite) == canonical_json(block.to_json(suite))


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


# --- the whole benchmark --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def results() -> dict[str, float]:
    busy = ports_in_use(range(TEST_BASE_PORT, TEST_BASE_PORT + 6))
    if busy:
        pytest.skip(f"ports {busy} are in use")
    return run_network_benchmarks(quick=True, base_port=TEST_BASE_PORT)  # 20-40 s


@pytest.mark.timeout(90)
def test_network_bench_reports_every_figure(results: dict[str, float]) -> None:
    for key in (*FIGURES, *LIMIT_RATIOS, *(f"{figure}_vs_goal" for figure in GOALS)):
        assert key in results, f"missing {key}"
        assert math.isfinite(results[key]) and results[key] > 0, f"{key} = {results[key]}"
    assert results["net_committed_min"] == results["net_sent"]  # every node committed every transfer
    assert results["machine_load_1m"] >= 0  # context: may be 0.0 on an idle machine


@pytest.mark.timeout(90)
def test_network_bench_ratios_are_their_parts(results: dict[str, float]) -> None:
    for ratio, (figure, limit) in LIMIT_RATIOS.items():
        assert results[ratio] == pytest.approx(results[figure] / results[limit], rel=1e-12)
    for figure, (_, goal) in GOALS.items():
        assert results[f"{figure}_vs_goal"] == pytest.approx(results[figure] / goal, rel=1e-12)
    assert results["sync_blocks_per_s"] == pytest.approx(results["sync_blocks"] / results["sync_s"])
    assert results["net_tps_min"] == min(results[f"net_tps_node{i}"] for i in range(4))


@pytest.mark.timeout(90)
def test_network_report_gives_each_goal_a_verdict(results: dict[str, float]) -> None:
    report = format_network_report(results)
    for figure in GOALS:
        line = next(line for line in report.splitlines() if line.strip().startswith(f"{figure}_vs_goal"))
        assert "goal" in line and ("PASS" in line or "MISS" in line), line
