"""The network benchmark runs real nodes and reports consistent figures; its pieces work alone.
Speed goals are printed, never asserted: a test checks only that each ratio is its figure over its
limit or goal, that every figure is there and positive, and that the speed work kept the bytes."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from bench.network import (
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
from minichain.store import Store

TEST_BASE_PORT = 9150  # ports 9150-9155; the default 9100 may be in use by someone's own run
FIGURES = (
    "net_tps_node0", "net_tps_node1", "net_tps_node2", "net_tps_node3", "net_tps_min",
    "net_e2e_tps_min", "net_p50_commit_s", "net_p95_commit_s", "net_sent", "net_committed_min",
    "net_offered_tps", "net_load_s", "sync_build_s", "sync_source_startup_s", "sync_startup_s",
    "sync_blocks", "sync_s", "sync_blocks_per_s", "import_blocks_per_s", "rounds",
    "bft_tps_node0", "bft_tps_node1", "bft_tps_node2", "bft_tps_node3", "bft_tps_min", "bft_e2e_tps_min",
    "bft_p50_commit_s", "bft_p95_commit_s", "bft_sent", "bft_committed_min", "bft_offered_tps", "bft_load_s",
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


# --- the whole benchmark --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def results() -> dict[str, float]:
    busy = ports_in_use(range(TEST_BASE_PORT, TEST_BASE_PORT + 6))
    if busy:
        pytest.skip(f"ports {busy} are in use")
    return run_network_benchmarks(quick=True, base_port=TEST_BASE_PORT)  # 40-80 s


@pytest.mark.timeout(180)  # the run: PoA and BFT load, then sync
def test_network_bench_reports_every_figure(results: dict[str, float]) -> None:
    for key in (*FIGURES, *LIMIT_RATIOS, *(f"{figure}_vs_goal" for figure in GOALS)):
        assert key in results, f"missing {key}"
        assert math.isfinite(results[key]) and results[key] > 0, f"{key} = {results[key]}"
    assert results["net_committed_min"] == results["net_sent"]  # every node committed every transfer
    assert results["bft_committed_min"] == results["bft_sent"]  # and every BFT validator finalised it
    assert results["machine_load_1m"] >= 0  # context: may be 0.0 on an idle machine


@pytest.mark.timeout(180)  # the run: PoA and BFT load, then sync
def test_network_bench_ratios_are_their_parts(results: dict[str, float]) -> None:
    for ratio, (figure, limit) in LIMIT_RATIOS.items():
        assert results[ratio] == pytest.approx(results[figure] / results[limit], rel=1e-12)
    for figure, (_, goal) in GOALS.items():
        assert results[f"{figure}_vs_goal"] == pytest.approx(results[figure] / goal, rel=1e-12)
    assert results["sync_blocks_per_s"] == pytest.approx(results["sync_blocks"] / results["sync_s"])
    assert results["net_tps_min"] == min(results[f"net_tps_node{i}"] for i in range(4))
    assert results["bft_tps_min"] == min(results[f"bft_tps_node{i}"] for i in range(4))


@pytest.mark.timeout(180)  # the run: PoA and BFT load, then sync
def test_network_report_gives_each_goal_a_verdict(results: dict[str, float]) -> None:
    report = format_network_report(results)
    for figure in GOALS:
        line = next(line for line in report.splitlines() if line.strip().startswith(f"{figure}_vs_goal"))
        assert "goal" in line and ("PASS" in line or "MISS" in line), line
