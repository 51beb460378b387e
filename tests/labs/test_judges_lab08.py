"""Lab 8's judges bite, through `python -m grader autograde`: a build notebook that breaks one rule the
text states in an exercise scores 0 on that exercise's hidden test, with the judge's reason in the cells
CSV, while the other exercises keep their points.

Each slip passes the exercise's visible tests (they only use the four members, a 2-second block and
timestamps at a slot's start), so only the judges, with their inputs drawn at grading time, can catch
it: without a judge the hidden cell would run nothing and keep its points, and these tests would fail.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys

import nbformat
import pytest
from harness import LABS, ROOT, env

LAB = "lab08_consortium"

# The slips, one function each: the solution cell's new source.
SLIPS = {
    # allocations for the notebook's four members, whatever `members` holds
    "ex1_consortium_genesis": '''
def consortium_genesis(members, block_time=2):
    authorities = tuple(member.address for member in members)
    return Genesis(chain_id="trade-consortium", timestamp=GENESIS_TIME,
                   consensus=PoaParams(authorities, block_time=block_time),
                   allocations=tuple(sorted((m.address, 1_000_000) for m in MEMBERS)))
''',
    # float division: wrong far from 1970
    "ex2_slot_owner": '''
def slot_owner(genesis, timestamp):
    authorities = genesis.consensus.authorities
    return authorities[int(timestamp / genesis.consensus.block_time) % len(authorities)]
''',
    # the block's timestamp moved to its slot's start
    "ex3_seal_block": '''
def seal_block(chain, member, transactions, timestamp):
    every = chain.genesis.consensus.block_time
    block, _ = chain.build_block(transactions, member.address, timestamp // every * every)
    message = poa_signing_bytes(block.header.content_hash(chain.suite))
    signature = chain.suite.sign(member.private_key, message)
    return Block(block.header.with_seal(AuthoritySeal(member.public_key, signature)), block.transactions)
''',
    # a 2-second slot, whatever the chain's block time
    "ex4_next_block_time": '''
def next_block_time(chain, online):
    authorities = chain.genesis.consensus.authorities
    online_addresses = {wallet.address for wallet in online}
    slot = chain.tip.timestamp // 2
    for candidate in range(slot + 1, slot + 1 + len(authorities)):
        if authorities[candidate % len(authorities)] in online_addresses:
            return candidate * 2
    return None
''',
    # four members, whatever the chain's list
    "ex5_is_final": '''
def is_final(chain, height):
    if height == 0:
        return True
    sealers = {chain.block_at(h).header.seal.signer for h in range(height, chain.height + 1)}
    return 2 * len(sealers) > 4
''',
}
# Who slips where (two notebooks, so that every exercise is once broken and once right), and the
# words of the judge's hint that the learner must read (the notebooks are Chinese).
STUDENTS = {"slips_a": ["ex1_consortium_genesis", "ex3_seal_block", "ex5_is_final"],
            "slips_b": ["ex2_slot_owner", "ex4_next_block_time"]}
HINTS = {"ex1_hidden": "只给参数 members 里的成员", "ex2_hidden": "整数除法",
         "ex3_hidden": "用给定的时间戳", "ex4_hidden": "chain.genesis.consensus.block_time",
         "ex5_hidden": "不要写死 4"}


def _hidden(solution: str) -> str:
    return solution.split("_")[0] + "_hidden"


def _solutions() -> dict[str, str]:
    """The model solution of every exercise, from the instructor's notebook, markers removed."""
    nb = nbformat.read(LABS / "source" / LAB / "build.ipynb", as_version=4)
    found = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            found[meta["grade_id"]] = re.sub(r"^\s*### (BEGIN|END) SOLUTION\n", "", cell.source, flags=re.M)
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, dict[str, dict[str, str]]], str]:
    """cells CSV rows, by student and grade id, of the slipping notebooks graded by the course's grader."""
    base = tmp_path_factory.mktemp("slips")
    model = _solutions()
    assert set(SLIPS) <= set(model), sorted(model)
    for student, slips in STUDENTS.items():
        folder = base / "in" / student / LAB
        folder.mkdir(parents=True)
        nb = nbformat.read(LABS / "release" / LAB / "build.ipynb", as_version=4)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in model:
                cell.source = SLIPS[grade_id].strip() if grade_id in slips else model[grade_id]
        nbformat.write(nb, folder / "build.ipynb")
    out = base / "results.csv"
    proc = subprocess.run([sys.executable, "-m", "grader", "autograde", str(base / "in"), "--assignment", LAB,
                           "--csv", str(out), "--jobs", "2", "--no-progress"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600, env=env())
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    cells: dict[str, dict[str, dict[str, str]]] = {}
    with out.with_name("results.cells.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["notebook"] == "build":
                cells.setdefault(row["student"], {})[row["cell"]] = row
    return cells, proc.stdout


@pytest.mark.parametrize("student", sorted(STUDENTS))
def test_a_slip_costs_its_exercise_and_only_that(
        student: str, graded: tuple[dict[str, dict[str, dict[str, str]]], str]) -> None:
    cells, output = graded
    rows = cells.get(student)
    assert rows, output
    broken = {_hidden(solution) for solution in STUDENTS[student]}
    for test in (f"ex{n}_hidden" for n in range(1, 6)):
        row = rows[test]
        if test in broken:
            assert float(row["score"]) == 0, (student, test, row)
            assert HINTS[test] in row["message"], (student, test, row["message"])
        else:
            assert float(row["score"]) == float(row["max_score"]) > 0, (student, test, row)
            assert not row["message"], (student, test, row["message"])
    visible = [row for test, row in rows.items() if test.endswith("_visible")]
    assert visible and all(float(row["max_score"]) == 0 for row in visible), json.dumps(visible)[:500]
