"""Lab 7's judges bite, through `python -m grader autograde` and its cells CSV: a solution that breaks one
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


def _cells(csv_path: Path) -> dict[tuple[str, str], dict[str, str]]:
    side = csv_path.with_name(f"{csv_path.stem}.cells.csv")
    with open(side, newline="", encoding="utf-8") as handle:
        return {(row["student"], row["cell"]): row for row in csv.DictReader(handle)
                if row["notebook"] == "build"}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], dict[str, str]]:
    base = tmp_path_factory.mktemp("judges07")
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
