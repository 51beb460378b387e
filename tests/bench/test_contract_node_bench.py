"""The contract node benchmark runs, its producer and follower agree on the contract state (the
run refuses to report otherwise), and each ratio is its figure over the bare floor. Speed goals
are printed, never asserted."""

from __future__ import annotations

import math

import pytest

from bench.contract_node import measure, report


@pytest.fixture(scope="module")
def results() -> dict[str, float]:
    return measure(quick=True)


def test_bench_reports_every_figure(results: dict[str, float]) -> None:
    for key in ("follower_calls_per_s", "producer_calls_per_s", "bare_calls_per_s",
                "follower_vs_bare", "producer_vs_bare"):
        assert math.isfinite(results[key]) and results[key] > 0, key
    assert results["follower_vs_bare"] == pytest.approx(
        results["follower_calls_per_s"] / results["bare_calls_per_s"], rel=1e-12)
    assert results["producer_vs_bare"] == pytest.approx(
        results["producer_calls_per_s"] / results["bare_calls_per_s"], rel=1e-12)


def test_bench_report_names_the_goal(results: dict[str, float]) -> None:
    text = report(results)
    assert "follower_vs_bare" in text and "goal >= 0.5" in text
    assert ("PASS" in text) != ("MISS" in text)
