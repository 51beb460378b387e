"""Lab 5's judges bite, through `python -m grader autograde` and its cells CSV: a solution that breaks one
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

LAB = "lab05_mining"

# Each learner hands in the model solution with one exercise broken, in the way the text warns about.
BROKEN = {
    # "at most": a hash equal to the target is refused
    "strict_less": ("ex2_meets", """
def meets_target(block_hash, target):
    return int.from_bytes(block_hash, "big") < target
""", "ex2_hidden", ("minichain 说合格", "等于目标值也合格")),
    # the search starts at the nonce the header holds, not at 0
    "starts_at_held_nonce": ("ex3_mine", """
def mine(header, suite, max_attempts=1_000_000):
    target = header.seal.target
    start = header.seal.nonce
    for nonce in range(start, start + max_attempts):
        candidate = header.with_seal(PowSeal(target, nonce))
        if int.from_bytes(candidate.hash(suite), "big") <= target:
            return candidate
    return None
""", "ex3_hidden", ("从 0 数起第一个可行的随机数是", "从随机数 0 开始")),
    # the transactions handed in, not the template's: an invalid payment slips into the block
    "own_transactions": ("ex4_block", """
def mine_block(chain, transactions, timestamp):
    block, _ = chain.build_block(transactions, MINER.address, timestamp)
    return Block(mine(block.header, chain.suite), tuple(transactions))
""", "ex4_hidden", ("笔被剔", "用模板里的交易")),
    # the window has `window` gaps instead of window - 1
    "window_gaps": ("ex5_retarget", """
def next_target(chain):
    params, parent = chain.genesis.consensus, chain.tip
    height = parent.height + 1
    if height % params.retarget_window != 0:
        return parent.seal.target
    first = chain.block_at(height - params.retarget_window).header
    expected = params.retarget_window * params.target_block_time
    actual = min(max(parent.timestamp - first.timestamp, -(-expected // 4)), expected * 4)
    return max(1, min(MAX_TARGET, parent.seal.target * actual // expected))
""", "ex5_hidden", ("必须携带的目标值是", "[pow-target]")),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Judged:
    base = tmp_path_factory.mktemp("judges05")
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
