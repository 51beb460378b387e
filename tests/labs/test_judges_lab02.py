"""Lab 2's judges bite, through the grader's own autograde: a learner who fills the release notebook with
the model solution but breaks one rule the text states loses that exercise's hidden points, with the
judge's message in the cells CSV, and keeps every other exercise's points. (Without its judge a hidden
cell is only a probe and would score in full, so these tests fail.) A learner who did no work but
hands back objects that equal anything scores nothing.
"""

from __future__ import annotations

import nbformat
import pytest
from harness import Judged, autograde, filled_release, hand_in, release

LAB = "lab02_keys"

# learner -> (the solution cell rewritten, the hidden test it must fail, words its message must hold)
BROKEN = {
    "no_version_check": ("ex2_checksum", '''
def checksum_ok(text: str) -> bool:
    try:
        raw = base58.b58decode(text)
    except ValueError:
        return False
    payload, checksum = raw[:-4], raw[-4:]
    return hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] == checksum
''', "ex2_hidden", ("checksum_ok(", "minichain 拒绝它", "应为 False")),
    "verifies_encoded": ("ex4_forgeries", '''
def find_forgeries(transactions) -> list:
    return [index for index, tx in enumerate(transactions)
            if not get_suite(tx.suite).verify(tx.sender_key, tx.encoded, tx.signature)]
''', "ex4_hidden", ("minichain 接受它，你却标出了它", "tx.signing_bytes")),
}

# a learner who did no work: every function returns an int that equals anything, the stubs are skipped
HOSTILE = """
class Yes(int):
    def __eq__(self, other): return True
    __hash__ = int.__hash__
for name in ('address_from_public_key', 'checksum_ok', 'sign_transfer', 'find_forgeries'):
    globals()[name] = lambda *args, **kwargs: Yes(1)
get_ipython().input_transformers_post.append(
    lambda lines: ['pass\\n'] if any('raise NotImplementedError' in line for line in lines) else lines)
"""


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Judged:
    base = tmp_path_factory.mktemp("lab02_broken")
    for student, (solution, code, _, _) in BROKEN.items():
        hand_in(base / "in", student, LAB, filled_release(LAB, {solution: code}))
    hostile = release(LAB)
    hostile.cells.insert(0, nbformat.v4.new_code_cell(HOSTILE.strip()))
    hand_in(base / "in", "hostile", LAB, hostile)
    return autograde(base / "in", LAB, base / "results.csv", cli=False)


@pytest.mark.parametrize("student", sorted(BROKEN))
def test_a_broken_rule_loses_its_hidden_points_and_says_why(student: str, graded: Judged) -> None:
    graded_ok = sorted(student for student, row in graded.rows.items() if row.status == "ok")
    assert graded_ok == sorted([*BROKEN, "hostile"]), graded_ok
    _, _, failing, words = BROKEN[student]
    cells = graded.cells[student]
    score, max_score, message = cells[failing].score, cells[failing].max_score, cells[failing].message
    assert max_score == 5 and score == 0, (student, failing, score, message)
    for word in words:
        assert word in message, (student, word, message)
    for grade_id, cell in cells.items():
        score, max_score, message = cell.score, cell.max_score, cell.message
        if grade_id.endswith("_hidden") and grade_id != failing:
            assert score == max_score == 5 and not message, (student, grade_id, score, message)
    assert graded.points(student) == 15


def test_objects_that_equal_anything_score_nothing(graded: Judged) -> None:
    """The kernel's objects never decide: what crosses is plain data, judged here."""
    cells = graded.cells["hostile"]
    assert graded.points("hostile") == 0, cells
    hidden = [cell.message for grade_id, cell in cells.items() if grade_id.endswith("_hidden")]
    assert hidden and all(hidden), cells
