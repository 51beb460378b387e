"""Lab 6's judges bite, through `python -m grader autograde` and its cells CSV: a solution that breaks one
rule the text states loses exactly that hidden test, with the judge's message, and keeps every other
point; the blank release scores nothing. Without the judge the broken solution would score in full (its
probe cell runs cleanly), so each assertion on a 0 below fails if the judge were removed.
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from harness import LABS, ROOT, run

LAB = "lab06_network"

# Each learner hands in the model solution with one exercise broken, in the way the text warns about.
BROKEN = {
    # counts blocks instead of adding each block's work
    "counts_blocks": ("ex1_total_work", """
def total_work(chain, block_hash):
    return chain.entry(block_hash).height
""", "ex1_hidden", ("minichain 记下的累计工作量", "你数的是区块个数")),
    # forgets to mark the log: an earlier partition's reorganisations are counted again
    "no_log_mark": ("ex4_heal_and_measure", """
def heal_and_measure(net, limit=30):
    start = net.elapsed
    net.heal()
    for _ in range(round(limit / 0.1)):
        if net.converged():
            break
        net.run_for(0.1)
    return round(net.elapsed - start, 1), sorted({e.source for e in net.log if e.kind == "reorg"})
""", "ex4_hidden", ("只算 heal 之后", "minichain 的网络里重组的节点是")),
}


def _cells(csv_path: Path) -> dict[tuple[str, str], dict[str, str]]:
    side = csv_path.with_name(f"{csv_path.stem}.cells.csv")
    with open(side, newline="", encoding="utf-8") as handle:
        return {(row["student"], row["cell"]): row for row in csv.DictReader(handle)
                if row["notebook"] == "build"}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], dict[str, str]]:
    base = tmp_path_factory.mktemp("judges06")
    submissions = base / "submitted"
    for student, (cell_id, code, _, _) in BROKEN.items():
        nb = nbformat.read(LABS / "source" / LAB / "build.ipynb", as_version=4)
        cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == cell_id)
        cell.source = code.strip()
        (submissions / student / LAB).mkdir(parents=True)
        nbformat.write(nb, submissions / student / LAB / "build.ipynb")
    (submissions / "blank" / LAB).mkdir(parents=True)
    shutil.copy2(LABS / "release" / LAB / "build.ipynb", submissions / "blank" / LAB / "build.ipynb")
    out = base / "results.csv"
    proc = run([sys.executable, "-m", "grader", "autograde", str(submissions), "--assignment", LAB,
                "--csv", str(out), "--jobs", "2"], cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return _cells(out)


@pytest.mark.parametrize("student", sorted(BROKEN))
def test_a_broken_rule_loses_its_hidden_test_with_the_judges_message(
        student: str, graded: dict[tuple[str, str], dict[str, str]]) -> None:
    _, _, hidden, words = BROKEN[student]
    row = graded[(student, hidden)]
    assert float(row["score"]) == 0 < float(row["max_score"]), row
    assert all(word in row["message"] for word in words), row["message"]
    for (who, cell), other in graded.items():
        if who == student and cell != hidden and float(other["max_score"]) > 0:
            assert float(other["score"]) == float(other["max_score"]), (cell, other["message"])


def test_the_blank_release_scores_nothing(graded: dict[tuple[str, str], dict[str, str]]) -> None:
    rows = [row for (who, _), row in graded.items() if who == "blank" and float(row["max_score"]) > 0]
    assert rows and all(float(row["score"]) == 0 and row["message"] for row in rows), rows
