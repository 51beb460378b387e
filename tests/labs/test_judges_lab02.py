"""Lab 2's judges bite, through the grader's own autograde: a learner who fills the release notebook with
the model solution but breaks one rule the text states loses that exercise's hidden points, with the
judge's message in the cells CSV, and keeps every other exercise's points. (Without its judge a hidden
cell is only a probe and would score in full, so these tests fail.) A learner who did no work but
hands back objects that equal anything scores nothing.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from harness import LABS, ROOT

from grader.autograde import grade_submissions
from grader.course import Course
from grader.results import read_cells, write_results

LAB = "lab02_keys"
Graded = tuple[dict[str, dict[str, tuple[float, float, str]]], list[str]]   # cells by learner; graded ok

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


def _cells(nb: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    return {cell.metadata["nbgrader"]["grade_id"]: cell for cell in nb.cells
            if "grade_id" in cell.metadata.get("nbgrader", {})}


def _submission(base: Path, student: str, solution: str, code: str) -> None:
    """The Chinese release, every exercise filled in with the model solution, one of them broken."""
    nb = nbformat.read(LABS / "release" / LAB / "build.ipynb", as_version=4)
    model = _cells(nbformat.read(LABS / "source" / LAB / "build.ipynb", as_version=4))
    for grade_id, cell in _cells(nb).items():
        if cell.metadata["nbgrader"].get("solution"):
            cell.source = code.strip() if grade_id == solution else model[grade_id].source
    _write(nb, base, student)


def _write(nb: nbformat.NotebookNode, base: Path, student: str) -> None:
    folder = base / student / LAB
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / "build.ipynb")


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Graded:
    base = tmp_path_factory.mktemp("lab02_broken")
    for student, (solution, code, _, _) in BROKEN.items():
        _submission(base / "in", student, solution, code)
    hostile = nbformat.read(LABS / "release" / LAB / "build.ipynb", as_version=4)
    hostile.cells.insert(0, nbformat.v4.new_code_cell(HOSTILE.strip()))
    _write(hostile, base / "in", "hostile")
    results = grade_submissions(Course(ROOT / "labs"), LAB, base / "in", jobs=2, timeout=60, progress=False)
    csv = base / "results.csv"
    write_results(results, csv)
    cells: dict[str, dict[str, tuple[float, float, str]]] = {}
    for row in read_cells(csv):
        cells.setdefault(row.student, {})[row.cell] = (row.score or 0.0, row.max_score, row.message)
    graded_ok = sorted(r.student for r in results if r.name == "build" and r.status == "ok")
    return cells, graded_ok


@pytest.mark.parametrize("student", sorted(BROKEN))
def test_a_broken_rule_loses_its_hidden_points_and_says_why(student: str, graded: Graded) -> None:
    cells, graded_ok = graded
    assert graded_ok == sorted([*BROKEN, "hostile"]), graded_ok
    _, _, failing, words = BROKEN[student]
    score, max_score, message = cells[student][failing]
    assert max_score == 5 and score == 0, (student, failing, score, message)
    for word in words:
        assert word in message, (student, word, message)
    for grade_id, (score, max_score, message) in cells[student].items():
        if grade_id.endswith("_hidden") and grade_id != failing:
            assert score == max_score == 5 and not message, (student, grade_id, score, message)
    assert sum(score for score, _, _ in cells[student].values()) == 15


def test_objects_that_equal_anything_score_nothing(graded: Graded) -> None:
    """The kernel's objects never decide: what crosses is plain data, judged here."""
    cells, _ = graded
    assert sum(score for score, _, _ in cells["hostile"].values()) == 0, cells["hostile"]
    hidden = [message for cell, (_, _, message) in cells["hostile"].items() if cell.endswith("_hidden")]
    assert hidden and all(hidden), cells["hostile"]
