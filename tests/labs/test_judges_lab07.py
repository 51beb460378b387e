"""Lab 7's judges bite, through `python -m grader autograde` and its cells CSV: a solution that breaks one
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

LAB = "lab07_attacks"

# Each learner hands in the model solution with one exercise broken, in the way the text warns about.
BROKEN = {
    # λ = z q instead of z q / p
    "lambda_zq": ("ex1_catch_up_probability", """
def catch_up_probability(q, z):
    if q >= 0.5:
        return 1.0
    p = 1 - q
    lam = z * q
    total = 1.0
    for k in range(z + 1):
        total -= math.exp(-lam) * lam ** k / math.factorial(k) * (1 - (q / p) ** (z - k))
    return total
""", "ex1_hidden", ("攻击者追上的概率是", "λ = z * q / p")),
    # signs the theft with ALICE's own wallet: the forged chain is then no forgery at all
    "alice_signs": ("ex3_forge_chain", """
def forge_chain():
    chain = Chain(GENESIS)
    for _ in range(3):
        produce_block(chain, producer=ATTACKER)
    theft = ALICE.transfer(GENESIS.chain_id, ATTACKER.address, 500_000, 0)
    template, _ = chain.build_block([], ATTACKER.address, chain.tip.timestamp + 10)
    header = dataclasses.replace(template.header, merkle_root=transactions_root((theft,), chain.suite))
    return [*list(chain.main_chain())[1:], Block(chain.engine.mine(header).header, (theft,))]
""", "ex3_hidden", ("[tx-signature]", "不要用 ALICE 的钱包签名")),
    # counts the blocks still kept secret at the end
    "counts_secret": ("ex4_selfish_mining", """
def selfish_mining(alpha, gamma, rounds, rng):
    pool = others = lead = 0
    tie = False
    for _ in range(rounds):
        if rng.random() < alpha:
            if tie:
                pool, tie = pool + 2, False
            else:
                lead += 1
        elif tie:
            if rng.random() < gamma:
                pool, others = pool + 1, others + 1
            else:
                others += 2
            tie = False
        elif lead == 0:
            others += 1
        elif lead == 1:
            lead, tie = 0, True
        elif lead == 2:
            pool, lead = pool + 2, 0
        else:
            pool, lead = pool + 1, lead - 1
    return pool + lead, others
""", "ex4_hidden", ("按表应得 (pool, others)", "还藏着的区块不计")),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Judged:
    base = tmp_path_factory.mktemp("judges07")
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
