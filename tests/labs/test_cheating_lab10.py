"""Hostile learners against lab 10's build notebook, through the course's grader: no submission without
the work gets a point, whatever its kernel does; one that rewrites a hidden test cell is graded with the
cell restored and gets its own status, `tampered`, naming the cell; the model solution scores in full.

The points come from the judges (labs/judges/lab10_bft.py), which drive a pristine Tendermint state
machine outside the kernel: a kernel whose ValidatorSet says anything, whose checks pass everything, or
whose functions return objects equal to anything sends data that is simply wrong.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from harness import LABS, ROOT, by_grade_id, filled_release

from grader.autograde import grade_submissions
from grader.course import Course
from grader.grading import GradeResult

LAB = "lab10_bft"
# The release's stubs raise NotImplementedError: skipping those cells keeps the attack's own functions.
SKIP_STUBS = """
get_ipython().input_transformers_post.append(
    lambda lines: ['pass\\n'] if any('raise NotImplementedError' in line for line in lines) else lines)
"""

# Each learner hands in the untouched release plus one cell of the attack, placed first.
ATTACKS = {
    # rewrites every later cell (tests included) into `pass`
    "input_transformer": "get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])",
    # the kernel's quorum sizes, signature checks and visible checks say what the learner likes; the
    # functions are lazy
    "monkeypatch": """
import labkit.checks, minichain.consensus.bft.quorum as quorum, minichain.consensus.bft.messages as messages
quorum.ValidatorSet.quorum = property(lambda self: 1)
quorum.ValidatorSet.f = property(lambda self: 0)
messages.Vote.verifies = lambda self, domain: True
for name in [n for n in vars(labkit.checks.Checks) if not n.startswith('_')]:
    setattr(labkit.checks.Checks, name, lambda self, *args, **kwargs: None)
def faults_tolerated(n): return 0
def quorum_size(n): return 1
def count_votes(votes, validators, domain, block_hash): return len(votes)
def prevote_for(proposal, locked_value, locked_round, pol_prevotes, quorum, valid): return proposal.block_hash
""" + SKIP_STUBS,
    # the functions return objects that equal anything
    "always_equal": """
def yes(base):
    always = {'__eq__': lambda self, other: True, '__ne__': lambda self, other: False,
              '__hash__': base.__hash__}
    return type('Yes' + base.__name__, (base,), always)
YesInt, YesBytes = yes(int), yes(bytes)
def faults_tolerated(n): return YesInt(0)
def quorum_size(n): return YesInt(0)
def count_votes(votes, validators, domain, block_hash): return YesInt(0)
def prevote_for(proposal, locked_value, locked_round, pol_prevotes, quorum, valid): return YesBytes(32)
""" + SKIP_STUBS,
    # the kernel's probe sends what the learner likes instead of what the functions return
    "probe_patch": """
import labkit.probe
labkit.probe.Probe.each = lambda self, test, function: self._show(test, [1] * len(self.inputs[test]))
""" + SKIP_STUBS,
    # a forged "results" output in the probe's own MIME type, in a cell that is not the test's
    "forged_results": """
from IPython.display import display
for n in range(1, 5):
    forged = {'test': f'ex{n}_hidden', 'results': {'list': []}}
    display({'application/vnd.minichain.probe+json': forged}, raw=True)
get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])
""",
}
# A learner with a wrong quorum who rewrites the hidden test to probe a right one instead.
WRONG_QUORUM = "def quorum_size(n):\n    return 2 * faults_tolerated(n) + 1\n"
REWRITTEN = 'from labkit.probe import Probe\n\nProbe().each("ex2_hidden", lambda n: 2 * n // 3 + 1)\n'


def _with_attack(base: Path, student: str, first: str) -> None:
    folder = base / student / LAB
    folder.mkdir(parents=True)
    nb = nbformat.read(LABS / "release" / LAB / "build.ipynb", as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(first.strip()))
    nbformat.write(nb, folder / "build.ipynb")


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, GradeResult]:
    base = tmp_path_factory.mktemp("cheats10")
    for student, attack in ATTACKS.items():
        _with_attack(base, student, attack)
    edited = filled_release(LAB, {"ex2_quorum_size": WRONG_QUORUM})
    by_grade_id(edited)["ex2_hidden"].source = REWRITTEN
    for student, nb in (("edited_hidden", edited), ("honest", filled_release(LAB, {}))):
        (base / student / LAB).mkdir(parents=True)
        nbformat.write(nb, base / student / LAB / "build.ipynb")
    results = grade_submissions(Course(ROOT / "labs"), LAB, base, jobs=2, timeout=60, progress=False)
    return {r.student: r for r in results if r.name == "build"}


@pytest.mark.parametrize("student", sorted(ATTACKS))
def test_a_hostile_build_notebook_without_the_work_scores_nothing(
        student: str, graded: dict[str, GradeResult]) -> None:
    result = graded[student]
    assert result.score == 0, f"{student}: {result.score}/{result.max_score} ({result.detail})"
    judged = [c for c in result.cells if c.grade_id.endswith("_hidden")]
    assert len(judged) == 4 and all(c.score == 0 and c.max_score > 0 and c.message for c in judged), \
        f"{student}: every judged test fails with a reason: {[(c.grade_id, c.message) for c in judged]}"


def test_a_rewritten_hidden_test_is_restored_and_the_notebook_marked_tampered(
        graded: dict[str, GradeResult]) -> None:
    result = graded["edited_hidden"]
    assert result.status == "tampered", (result.status, result.detail)
    assert "ex2_hidden" in result.detail and "restored" in result.detail, result.detail
    cells = {c.grade_id: c for c in result.cells}
    assert cells["ex2_hidden"].score == 0 and "2f + 1" in cells["ex2_hidden"].message, cells["ex2_hidden"]
    others = [c for c in result.cells if c.grade_id.endswith("_hidden") and c.grade_id != "ex2_hidden"]
    assert others and all(c.score == c.max_score for c in others), others


def test_the_model_solution_still_scores_in_full(graded: dict[str, GradeResult]) -> None:
    result = graded["honest"]
    assert result.status == "ok" and result.score == result.max_score == 14, (result.score, result.detail)
    statuses = {student: (r.status, r.detail) for student, r in graded.items() if student in ATTACKS}
    assert all(status == "ok" for status, _ in statuses.values()), statuses
