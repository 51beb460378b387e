"""Hostile learners against lab 1, through `python -m grader autograde`: no submission without the work
gets a point, whatever its kernel does, and an honest one still scores in full.

Build notebook: the learner's kernel runs the learner's code, but the points of a hidden test come from
its judge (labs/judges/), outside the kernel, judging the data the probe sent for inputs drawn at grading
time. Explore notebook: only the course's own cells run, with the clicked answers as data.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from harness import LABS, ROOT

from grader.autograde import grade_submissions
from grader.course import Course
from grader.grading import GradeResult

LAB = "lab01_hashing"

# Each learner hands in the untouched release plus one cell of the attack, placed first.
BUILD_ATTACKS = {
    # rewrites every later cell (tests included) into `pass`
    "input_transformer": "get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])",
    # every later cell runs inside try/except BaseException: no test can fail
    "ast_wrapper": """
import ast
class Wrap(ast.NodeTransformer):
    def visit_Module(self, node):
        handler = ast.ExceptHandler(type=ast.Name('BaseException', ast.Load()), name=None, body=[ast.Pass()])
        return ast.fix_missing_locations(ast.Module(body=[ast.Try(body=node.body, handlers=[handler],
                                                               orelse=[], finalbody=[])], type_ignores=[]))
get_ipython().ast_transformers.append(Wrap())
""",
    # the functions return objects that equal anything
    "always_equal": """
class Yes(int):
    def __eq__(self, other): return True
    __hash__ = int.__hash__
class YesBytes(bytes):
    def __eq__(self, other): return True
    __hash__ = bytes.__hash__
def count_changed_bits(a, b): return Yes(0)
def transaction_id(tx): return YesBytes(32)
def first_bad_block(blocks, suite): return Yes(0)
get_ipython().input_transformers_post.append(
    lambda lines: ['pass\\n'] if any('raise NotImplementedError' in l for l in lines) else lines)
""",
    # minichain and the builtins patched so that whatever the tests compute agrees with anything; len
    # and sorted lie only to the notebook's own code, so the kernel keeps answering and every patch
    # stays in force for every later cell (tests included)
    "monkeypatch": """
import builtins, sys, minichain.viz, minichain.transactions
class Any_:
    changed = 0
    def __eq__(self, other): return True
minichain.viz.avalanche = lambda a, b: Any_()
minichain.transactions.Transaction.txid = property(lambda self: b'')
real_len, real_sorted = len, sorted
def mine():
    return sys._getframe(2).f_globals.get('__name__') == '__main__'
builtins.len = lambda x: 0 if mine() else real_len(x)
builtins.sorted = lambda *a, **k: [] if mine() else real_sorted(*a, **k)
""",
    # len broken for the kernel itself: it can no longer reply, so the cell runs into the per-cell
    # timeout (TIMEOUT below), is interrupted in vain and the kernel replaced; the rest runs unpatched
    "deaf_kernel": """
import builtins
builtins.len = lambda x: 0
""",
    # a forged "results" output in the probe's own MIME type, for tests it cannot have run
    "forged_results": """
from IPython.display import display
for test in ('ex1_hidden', 'ex2_hidden', 'ex3_hidden'):
    display({'application/vnd.minichain.probe+json': {'test': test, 'results': {'list': []}}}, raw=True)
get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])
""",
}


def _submission(base: Path, student: str, lang: str, name: str, first: str | None) -> None:
    folder = base / student / LAB
    folder.mkdir(parents=True)
    if lang == "zh-CN":
        shutil.copy2(LABS / "release" / LAB / f"{name}.ipynb", folder / f"{name}.ipynb")
    else:
        from grader import nbio
        ref = next(r for r in Course(ROOT / "labs", lang).references(LAB) if r.name == name)
        nbio.write(ref.release, folder / f"{name}.ipynb")
    if first is not None:
        nb = nbformat.read(folder / f"{name}.ipynb", as_version=4)
        nb.cells.insert(0, nbformat.v4.new_code_cell(first.strip()))
        nbformat.write(nb, folder / f"{name}.ipynb")


# Seconds per cell. The deaf kernel's first cell runs to this limit (plus the grader's grace to stop),
# so it sets this fixture's time; the honest solution's slowest cell takes about a second.
TIMEOUT = 15


def _grade(submissions: Path) -> dict[tuple[str, str], GradeResult]:
    results = grade_submissions(Course(ROOT / "labs"), LAB, submissions, jobs=2, timeout=TIMEOUT,
                                progress=False)
    return {(r.student, r.name): r for r in results}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], GradeResult]:
    base = tmp_path_factory.mktemp("cheats")
    for student, attack in BUILD_ATTACKS.items():
        _submission(base, student, "zh-CN", "build", attack)
    honest = base / "honest" / LAB
    honest.mkdir(parents=True)
    shutil.copy2(LABS / "source" / LAB / "build.ipynb", honest / "build.ipynb")   # the model solution
    # explore: a learner who answered nothing but patches the judge, plants a module named like the
    # course's toolkit beside the notebook, and hands in a forged answers file of the wrong types
    _submission(base, "explore_patch", "zh-CN", "explore", "Sheet.expect = lambda *args, **kw: None")
    planted = base / "explore_plant" / LAB
    _submission(base, "explore_plant", "zh-CN", "explore", None)
    (planted / "labkit").mkdir()
    (planted / "labkit" / "__init__.py").write_text("raise SystemExit('planted')\n")
    forged = [{"qid": f"q{i}", "value": True, "time": 1e12, "seq": 1} for i in range(1, 7)]
    forged += [{"qid": "q1", "value": ["b"], "time": 1e12, "seq": 2}]
    (planted / "explore.answers.json").write_text(json.dumps(forged))
    return _grade(base)


@pytest.mark.parametrize("student", sorted(BUILD_ATTACKS))
def test_a_hostile_build_notebook_without_the_work_scores_nothing(
        student: str, graded: dict[tuple[str, str], GradeResult]) -> None:
    result = graded[(student, "build")]
    assert result.score == 0, f"{student}: {result.score}/{result.max_score} ({result.detail})"
    judged = [c for c in result.cells if c.grade_id.endswith("_hidden")]
    assert judged and all(c.score == 0 and c.message for c in judged), \
        f"{student}: every judged test fails with a reason: {[(c.grade_id, c.message) for c in judged]}"


def test_the_patches_stay_in_force_and_a_deaf_kernel_is_stopped_at_the_cell_limit(
        graded: dict[tuple[str, str], GradeResult]) -> None:
    """The monkeypatching kernel answers to the end, so its tests ran patched (the judges, not a fresh
    kernel, kept its score at 0); the kernel that cannot reply is cut off at the limit asked for."""
    patched = graded[("monkeypatch", "build")]
    assert patched.status == "ok", patched.detail
    deaf = graded[("deaf_kernel", "build")]
    assert deaf.status == "timeout", deaf.detail
    assert f"cell 1 ran past {TIMEOUT} s and ignored the interrupt" in deaf.detail, deaf.detail


def test_the_model_solution_still_scores_in_full(graded: dict[tuple[str, str], GradeResult]) -> None:
    result = graded[("honest", "build")]
    assert result.status == "ok" and result.score == result.max_score, (result.score, result.detail)


@pytest.mark.parametrize("student", ["explore_patch", "explore_plant"])
def test_an_explore_notebook_scores_only_the_answers_clicked(
        student: str, graded: dict[tuple[str, str], GradeResult]) -> None:
    result = graded[(student, "explore")]
    assert result.score == 0, f"{student}: {result.score}/{result.max_score} ({result.detail})"
    assert result.status in ("ok", "tampered"), result.detail


def test_feedback_teaches_without_showing_the_judge(graded: dict[tuple[str, str], GradeResult]) -> None:
    """A failed judged test says what was expected and found, with its hint, in the notebook's language,
    and never quotes the judge's code."""
    judges = (LABS / "judges" / f"{LAB}.py").read_text(encoding="utf-8")
    code_lines = {line.strip() for line in judges.splitlines() if len(line.strip()) > 25
                  and not line.strip().startswith(("say(", "f\"", "\"", "#"))}
    for result in graded.values():
        for cell in result.cells:
            assert not any(line in cell.message for line in code_lines), (cell.grade_id, cell.message)
    messages = [c.message for c in graded[("always_equal", "build")].cells if c.message]
    assert any("没有收到" in m or "你的函数" in m for m in messages), messages
