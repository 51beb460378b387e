"""The benchmark runs and reports consistent figures. Speed goals are printed, never asserted:
timing depends on the machine, so a test only checks that each ratio is its figure over its limit."""

from __future__ import annotations

import math

import pytest

from bench.ledger import RATIOS, format_report, run_benchmarks

FIGURES = (
    "miner_hash_rate",
    "hashlib_hash_rate",
    "verify_rate",
    "fastest_verify_rate",
    "block1000_validation_s",
    "block1000_signature_s",
)
RATIO_PARTS = {
    "miner_vs_hashlib": ("miner_hash_rate", "hashlib_hash_rate"),
    "verify_vs_fastest": ("verify_rate", "fastest_verify_rate"),
    "block_validation_overhead": ("block1000_validation_s", "block1000_signature_s"),
}


@pytest.fixture(scope="module")
def results() -> dict[str, float]:
    return run_benchmarks(quick=True)  # once for the module: a few seconds


def test_bench_reports_every_figure_and_ratio(results: dict[str, float]) -> None:
    for key in (*FIGURES, *RATIO_PARTS):
        assert key in results, f"missing {key}"
        assert math.isfinite(results[key]) and results[key] > 0, f"{key} = {results[key]}"


def test_bench_ratio_is_figure_over_limit(results: dict[str, float]) -> None:
    for ratio, (figure, limit) in RATIO_PARTS.items():
        assert results[ratio] == pytest.approx(results[figure] / results[limit], rel=1e-12)


def test_bench_report_shows_each_ratio_with_its_goal(results: dict[str, float]) -> None:
    assert set(RATIOS) == set(RATIO_PARTS)
    report = format_report(results)
    for ratio in RATIO_PARTS:
        line = next(line for line in report.splitlines() if line.strip().startswith(ratio))
        assert "goal" in line and ("PASS" in line or "MISS" in line), line
