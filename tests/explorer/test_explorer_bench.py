"""The explorer benchmark keeps working (timings are printed by the bench, never asserted here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_explorer_bench_runs_on_a_small_chain() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "explorer_bench.py"), "--blocks", "60", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    summary = json.loads(result.stdout)
    assert summary["blocks"] == 60 and summary["goal_ms"] == 300.0
    pages = ("blocks_page_short", "blocks_page_long", "network_page_short", "network_page_long",
             "coinbase_page_short", "coinbase_page_long", "stage")
    for page in pages:
        assert summary[page] and all(ms > 0 for ms in summary[page].values()), page
    assert {"slowest press", "phone refresh", "peers re-mine", "keys sign sm2"} <= set(summary["stage"])
    long = ("blocks_page_long", "network_page_long", "coinbase_page_long", "stage")
    worst = max(ms for page in long for ms in summary[page].values())
    assert summary["worst_long_ms"] == round(worst, 1)
