"""A tiny self-contained nbgrader course, and learners' answers to it, for the grader's tests and benchmark.

One lab (`lab01`) with one notebook (`quiz`): a read-only setup cell, two autograded answers, their test
cells (one with hidden tests), and a manually graded written answer. `make_submission` fills the release
notebook in like a learner would, so tests and the benchmark never depend on the real labs in labs/.
"""

from __future__ import annotations

import copy
from pathlib import Path

from nbformat import NotebookNode

from grader import nbio
from grader.nbio import new_code_cell, new_markdown_cell, new_notebook

LAB = "lab01"
NOTEBOOK = "quiz"
HIDDEN_MARK = "SECRET_NEGATIVE_SQUARE"   # text that only exists inside the hidden tests
CONFIG = 'c = get_config()  # noqa: F821\nc.CourseDirectory.course_id = "sample"\n'

CORRECT = {"answer_square": "def square(x):\n    return x * x",
           "answer_add": "def add(a, b):\n    return a + b",
           "explain": "Minus times minus is plus."}
MAX_SCORE = 5.0       # 2 (test_square) + 1 (test_add) + 2 (explain, graded by hand)
AUTO_MAX_SCORE = 3.0


def _meta(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False,
          points: float = 0) -> dict[str, object]:
    meta: dict[str, object] = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
                               "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def source_notebook() -> NotebookNode:
    """The instructor's source notebook, with solutions and hidden tests."""
    nb = new_notebook(cells=[
        new_markdown_cell("# Quiz\nAnswer each question, then run the tests.",
                          metadata=_meta("intro", locked=True)),
        new_code_cell("import math", metadata=_meta("setup", locked=True)),
        new_code_cell("def square(x):\n    ### BEGIN SOLUTION\n    return x * x\n    ### END SOLUTION",
                      metadata=_meta("answer_square", solution=True)),
        new_code_cell("assert square(3) == 9, 'square(3) should be 9'\n"
                      "### BEGIN HIDDEN TESTS\n"
                      f"assert square(-4) == 16, '{HIDDEN_MARK}: negative numbers square to positives'\n"
                      "### END HIDDEN TESTS",
                      metadata=_meta("test_square", grade=True, locked=True, points=2)),
        new_code_cell("def add(a, b):\n    ### BEGIN SOLUTION\n    return a + b\n    ### END SOLUTION",
                      metadata=_meta("answer_add", solution=True)),
        new_code_cell("assert add(2, 3) == 5, 'add(2, 3) should be 5'",
                      metadata=_meta("test_add", grade=True, locked=True, points=1)),
        new_markdown_cell("Why is squaring never negative?\n\n### BEGIN SOLUTION\nA product of two numbers "
                          "of the same sign is positive.\n### END SOLUTION",
                          metadata=_meta("explain", grade=True, solution=True, points=2)),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def make_course(root: Path, *, release: bool = True) -> Path:
    """Write the sample course under root (nbgrader_config.py, source/lab01/quiz.ipynb); release it."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(CONFIG)
    lab = root / "source" / LAB
    lab.mkdir(parents=True, exist_ok=True)
    nbio.write(source_notebook(), lab / f"{NOTEBOOK}.ipynb")
    (lab / "data.txt").write_text("42\n")
    if release:
        from grader.course import Course

        Course(root).release(LAB)
    return root


def released(root: Path) -> NotebookNode:
    """The release notebook a learner starts from."""
    return nbio.read(root / "release" / LAB / f"{NOTEBOOK}.ipynb")


def answered(root: Path, answers: dict[str, str] | None = None) -> NotebookNode:
    """The release notebook with the given answer cells filled in (default: all correct)."""
    nb = copy.deepcopy(released(root))
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in (answers if answers is not None else CORRECT):
            cell.source = (answers if answers is not None else CORRECT)[grade_id]
    return nb


def write_submission(folder: Path, student: str, nb: NotebookNode | bytes, name: str = NOTEBOOK) -> Path:
    """Place a notebook at folder/<student>/lab01/<name>.ipynb, as collected from a class."""
    target = folder / student / LAB
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{name}.ipynb"
    if isinstance(nb, bytes):
        path.write_bytes(nb)
    else:
        nbio.write(nb, path)
    return path
