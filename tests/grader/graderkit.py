"""Helpers shared by the grader's tests: learners' notebooks broken on purpose, digests, CSV rows.

Learners' notebooks are grader.sample's release filled in, then changed in the way each test needs.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from nbformat import NotebookNode

from grader import cli, nbio, sample

TIMEOUT = "3"     # seconds per cell: the loops below are cut short quickly
MEMORY = "512"    # MB per kernel: the memory bomb below hits it at once
WRONG_ADD = "def add(a, b):\n    return 0"
OUTSIDE = "grader_test_pwned"   # a file name the hostile learner tries to plant outside her folder


def grade_id(cell: NotebookNode) -> str | None:
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta.get("grade_id") if isinstance(meta, dict) else None


def with_cell(root: Path, source: str, answers: dict[str, str] | None = None) -> NotebookNode:
    """The correct answers, then one more cell of the learner's own."""
    nb = sample.answered(root, answers)
    nb.cells.append(nbio.new_code_cell(source))
    return nb


def without(nb: NotebookNode, cell_id: str) -> NotebookNode:
    nb.cells = [c for c in nb.cells if grade_id(c) != cell_id]
    return nb


def edited(nb: NotebookNode, cell_id: str, source: str) -> NotebookNode:
    for cell in nb.cells:
        if grade_id(cell) == cell_id:
            cell.source = source
    return nb


def repointed(nb: NotebookNode, cell_id: str, new_id: str) -> NotebookNode:
    for cell in nb.cells:
        if grade_id(cell) == cell_id:
            cell.metadata["nbgrader"]["grade_id"] = new_id
            cell.source = "pass"
    return nb


def tree_digest(path: Path) -> str:
    """One hash over every file's path and bytes: any change under path changes it."""
    digest = hashlib.sha256()
    for item in sorted(path.rglob("*")):
        digest.update(str(item.relative_to(path)).encode())
        if item.is_file():
            digest.update(item.read_bytes())
    return digest.hexdigest()


def read_rows(path: Path) -> dict[str, dict[str, str]]:
    with open(path, newline="") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


def run_cli(*args: str) -> int:
    return cli.main(list(args))
