"""Lab 8's judges bite, through `python -m grader autograde`: a build notebook that breaks one rule the
text states in an exercise scores 0 on that exercise's hidden test, with the judge's reason in the cells
CSV, while the other exercises keep their points.

Each slip passes the exercise's visible tests (they only use the four members, a 2-second block and
timestamps at a slot's start), so only the judges, with their inputs drawn at grading time, can catch
it: without a judge the hidden cell would run nothing and keep its points, and these tests would fail.
"""

from __future__ import annotations

import pytest
from harness import Judged, autograde, filled_release, hand_in, model_solutions

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


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Judged:
    """The slipping notebooks graded by the course's grader, as its CSVs say."""
    base = tmp_path_factory.mktemp("slips")
    assert set(SLIPS) <= set(model_solutions(LAB)), sorted(model_solutions(LAB))
    for student, slips in STUDENTS.items():
        slipped = filled_release(LAB, {grade_id: SLIPS[grade_id] for grade_id in slips})
        hand_in(base / "in", student, LAB, slipped)
    return autograde(base / "in", LAB, base / "results.csv")


@pytest.mark.parametrize("student", sorted(STUDENTS))
def test_a_slip_costs_its_exercise_and_only_that(student: str, graded: Judged) -> None:
    rows = graded.cells.get(student)
    assert rows, graded.output
    broken = {_hidden(solution) for solution in STUDENTS[student]}
    for test in (f"ex{n}_hidden" for n in range(1, 6)):
        row = rows[test]
        if test in broken:
            assert row.score == 0, (student, test, row)
            assert HINTS[test] in row.message, (student, test, row.message)
        else:
            assert row.score == row.max_score > 0, (student, test, row)
            assert not row.message, (student, test, row.message)
    visible = [row for test, row in rows.items() if test.endswith("_visible")]
    assert visible and all(row.max_score == 0 for row in visible), visible
