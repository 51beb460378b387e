"""Building blocks for lab notebooks with correct nbgrader metadata (schema 3).

A lab is written as a list of cells in Python (see make_notebooks.py), so the notebooks are
reproducible and every graded cell gets a unique grade_id, points and the right locks:
  md / code          plain cells (locked with locked=True: read-only for the learner)
  solution           a code cell the learner fills in: "### BEGIN SOLUTION" ... "### END SOLUTION"
  tests              autograder tests: locked, points; runs after the learner's answer
  hidden_tests       autograder tests in their own cell, body removed from the release
  written            a markdown answer graded by hand (the model answer is replaced in the release)
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import nbformat
from nbformat.notebooknode import NotebookNode

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python", "version": "3.11"}


def _clean(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


def _nbgrader(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False,
              points: float | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"grade": grade, "grade_id": grade_id, "locked": locked,
                            "schema_version": 3, "solution": solution, "task": False}
    if grade:
        meta["points"] = points if points is not None else 0
    return meta


def md(text: str, grade_id: str | None = None) -> NotebookNode:
    cell = nbformat.v4.new_markdown_cell(_clean(text))
    if grade_id:  # a read-only explanation
        cell.metadata["nbgrader"] = _nbgrader(grade_id, locked=True)
        cell.metadata["deletable"] = False
        cell.metadata["editable"] = False
    return cell


def code(*parts: str, grade_id: str | None = None) -> NotebookNode:
    """A plain code cell (parts joined by a blank line); with a grade_id it is locked (set-up code
    the tests rely on)."""
    cell = nbformat.v4.new_code_cell("\n\n\n".join(_clean(part) for part in parts))
    if grade_id:
        cell.metadata["nbgrader"] = _nbgrader(grade_id, locked=True)
        cell.metadata["deletable"] = False
        cell.metadata["editable"] = False
    return cell


def solution(grade_id: str, text: str) -> NotebookNode:
    body = _clean(text)
    if "### BEGIN SOLUTION" not in body:
        raise ValueError(f"{grade_id}: a solution cell needs a ### BEGIN SOLUTION region")
    cell = nbformat.v4.new_code_cell(body)
    cell.metadata["nbgrader"] = _nbgrader(grade_id, solution=True)
    return cell


def tests(grade_id: str, points: float, text: str) -> NotebookNode:
    body = _clean(text)
    if "BEGIN HIDDEN TESTS" in body:
        raise ValueError(f"{grade_id}: hidden tests go in their own cell (hidden_tests)")
    cell = nbformat.v4.new_code_cell(body)
    cell.metadata["nbgrader"] = _nbgrader(grade_id, grade=True, locked=True, points=points)
    cell.metadata["deletable"] = False
    cell.metadata["editable"] = False
    return cell


def hidden_tests(grade_id: str, points: float, text: str,
                 note: str = "# Hidden tests: they run when your lab is graded.") -> NotebookNode:
    body = f"{note}\n### BEGIN HIDDEN TESTS\n{_clean(text)}\n### END HIDDEN TESTS"
    cell = nbformat.v4.new_code_cell(body)
    cell.metadata["nbgrader"] = _nbgrader(grade_id, grade=True, locked=True, points=points)
    cell.metadata["deletable"] = False
    cell.metadata["editable"] = False
    return cell


def written(grade_id: str, points: float, model_answer: str) -> NotebookNode:
    """A free-text answer graded by hand; the release shows "YOUR ANSWER HERE"."""
    cell = nbformat.v4.new_markdown_cell(_clean(model_answer))
    cell.metadata["nbgrader"] = _nbgrader(grade_id, grade=True, solution=True, points=points)
    return cell


def hide_plain_code(cells: list[NotebookNode]) -> list[NotebookNode]:
    """Collapse the code of cells that are not answers or tests (set-up, widgets): the officials'
    track sees the controls and pictures, not the Python behind them (JupyterLab shows "…")."""
    for cell in cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and not meta.get("grade") and not meta.get("solution"):
            cell.metadata["jupyter"] = {"source_hidden": True}
    return cells


def notebook(cells: list[NotebookNode], title: str) -> NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata["language_info"] = LANGUAGE_INFO
    nb.metadata["title"] = title
    ids = [c.metadata["nbgrader"]["grade_id"] for c in cells if "nbgrader" in c.metadata]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"{title}: duplicate grade_id {duplicates}")
    for index, cell in enumerate(cells):
        if cell.cell_type == "markdown":  # a wrapped line starting "#5" would become a heading
            stray = [line for line in cell.source.splitlines() if re.match(r"#+[^#\s]", line)]
            if stray:
                raise ValueError(f"{title}: cell {index}: a line starts with '#': {stray[0]!r}")
    for index, cell in enumerate(cells):  # stable cell ids: regenerating gives identical files
        cell["id"] = f"c{index:03d}"
    nbformat.validate(nb)
    return nb


def write(nb: NotebookNode, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
