"""Lab 10's judges bite, through `python -m grader autograde` and its cells CSV: a build notebook that
breaks one rule the text states (a quorum of 2f + 1 whatever n, exactly two thirds, f = n // 3, the last
vote counted, an earlier proof opening a later lock) loses exactly that exercise's hidden test, with the
judge's hint in the learner's language, and keeps every other point; the model solution scores in full
and the blank release scores nothing.

Without the judges the hidden cells would run a probe that cannot fail, so each 0 asserted below fails
if the judge were removed; the words asserted are the hints that name the slip.
"""

from __future__ import annotations

import pytest
from harness import (
    Judged,
    assert_blank_scores_nothing,
    assert_only_hidden_lost,
    autograde,
    filled_release,
    hand_in,
    release,
)

LAB = "lab10_bft"

SLIPS = {
    # 2f + 1 votes, right only when n = 3f + 1 (5 validators would decide on 3)
    "two_f_plus_one": ("ex2_quorum_size", '''
def quorum_size(n):
    return 2 * faults_tolerated(n) + 1
''', "ex2_hidden", ("2f + 1 只在 n = 3f + 1 时",)),
    # exactly two thirds (6 validators would decide on 4)
    "two_thirds": ("ex2_quorum_size", '''
def quorum_size(n):
    return -(-2 * n // 3)
''', "ex2_hidden", ("恰好三分之二不够",)),
    # n // 3: one too many when n is a multiple of 3
    "n_over_3": ("ex1_faults_tolerated", '''
def faults_tolerated(n):
    return n // 3
''', "ex1_hidden", ("n // 3 在 n 是 3 的倍数时多算了一个",)),
    # a validator's last vote replaces its first: an equivocator chooses which block it counts for
    "last_vote": ("ex3_count_votes", '''
def count_votes(votes, validators, domain, block_hash):
    latest = {}
    for each in votes:
        address = domain.suite.address(each.validator)
        if address in validators and each.verifies(domain):
            latest[address] = each
    return sum(1 for each in latest.values() if each.block_hash == block_hash)
''', "ex3_hidden", ("只算第一张",)),
    # any proof of lock change unlocks, even one older than the lock
    "earlier_unlocks": ("ex4_prevote_for", '''
def prevote_for(proposal, locked_value, locked_round, pol_prevotes, quorum, valid):
    value = proposal.block_hash
    if not valid:
        return None
    if proposal.valid_round == -1:
        return value if locked_round == -1 or locked_value == value else None
    return value if pol_prevotes >= quorum else None
''', "ex4_hidden", ("更早轮次的证明不能解开更晚的锁",)),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Judged:
    base = tmp_path_factory.mktemp("judged10")
    for student, (grade_id, code, _, _) in SLIPS.items():
        hand_in(base / "in", student, LAB, filled_release(LAB, {grade_id: code}))
    hand_in(base / "in", "honest", LAB, filled_release(LAB, {}))
    hand_in(base / "in", "blank", LAB, release(LAB))
    return autograde(base / "in", LAB, base / "results.csv")


@pytest.mark.parametrize("student", sorted(SLIPS))
def test_a_broken_rule_loses_its_hidden_test_and_says_what_was_wrong(student: str, graded: Judged) -> None:
    assert student in graded.cells, graded.output
    _, _, hidden, words = SLIPS[student]
    assert_only_hidden_lost(graded, student, hidden, words)
    assert "minichain" in graded.cells[student][hidden].message   # what the real engine says


def test_the_model_solution_scores_in_full(graded: Judged) -> None:
    row = graded.rows["honest"]
    assert row.status == "ok" and row.score == row.max_score == 14, (row.score, row.detail)


def test_the_blank_release_scores_nothing(graded: Judged) -> None:
    assert_blank_scores_nothing(graded)
    todo = [row.message for row in graded.cells["blank"].values() if row.max_score > 0]
    assert all("NotImplementedError" in message for message in todo), todo
