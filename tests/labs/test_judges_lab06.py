"""Lab 6's judges bite, through `python -m grader autograde` and its cells CSV: a solution that breaks one
rule the text states loses exactly that hidden test, with the judge's message, and keeps every other
point; the blank release scores nothing. Without the judge the broken solution would score in full (its
probe cell runs cleanly), so each assertion on a 0 below fails if the judge were removed.
"""

from __future__ import annotations

import pytest
from harness import (
    Judged,
    assert_blank_scores_nothing,
    assert_only_hidden_lost,
    autograde,
    hand_in,
    release,
    source_with,
)

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


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Judged:
    base = tmp_path_factory.mktemp("judges06")
    for student, (cell_id, code, _, _) in BROKEN.items():
        hand_in(base / "submitted", student, LAB, source_with(LAB, cell_id, code))
    hand_in(base / "submitted", "blank", LAB, release(LAB))
    return autograde(base / "submitted", LAB, base / "results.csv")


@pytest.mark.parametrize("student", sorted(BROKEN))
def test_a_broken_rule_loses_its_hidden_test_with_the_judges_message(student: str, graded: Judged) -> None:
    _, _, hidden, words = BROKEN[student]
    assert_only_hidden_lost(graded, student, hidden, words)


def test_the_blank_release_scores_nothing(graded: Judged) -> None:
    assert_blank_scores_nothing(graded)
