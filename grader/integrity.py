"""Rebuild a submission around the course's own tests before grading it: the tamper check.

nbgrader restores an edited test cell from its gradebook, but a deleted test cell, or one stripped of its
metadata or given another grade id, silently scores 0. Here every tracked cell (tests, read-only code,
graded answers, tasks) is matched by grade id against the reference: an edited one gets its source back,
a deleted one is put back where it stood, each a one-line finding that makes the row `tampered`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, cast

from nbformat import NotebookNode

from grader.course import RefCell, Reference, cell_kind, is_tracked, nbgrader_meta, normalize
from grader.nbio import new_code_cell, new_markdown_cell


@dataclass
class Canonical:
    """The notebook that is run, with where each cell came from and what was found on the way."""

    nb: NotebookNode
    origin: list[int | None]                         # learner's 1-based cell number; None if restored
    findings: list[str] = field(default_factory=list)  # tampering: each makes the row `tampered`
    notes: list[str] = field(default_factory=list)     # harmless oddities worth a word in the detail


def _describe(ref: RefCell) -> str:
    if ref.is_test:
        return f"test cell {ref.grade_id!r}"
    if ref.is_manual:
        return f"graded cell {ref.grade_id!r}"
    if ref.is_answer:
        return f"answer cell {ref.grade_id!r}"
    return f"read-only cell {ref.grade_id!r}"


def _guarded(ref: RefCell) -> bool:
    """Cells whose change is tampering: tests, graded answers, tasks and read-only code."""
    return ref.is_test or ref.is_manual or (ref.cell_type == "code" and not ref.is_answer)


def _fresh_cell(ref: RefCell) -> NotebookNode:
    metadata = {"nbgrader": copy.deepcopy(ref.metadata)}
    if ref.cell_type == "code":
        return new_code_cell(ref.source, metadata=metadata)
    return new_markdown_cell(ref.source, metadata=metadata)


def _anchor(cell: Any, ref: RefCell, number: int, out: Canonical) -> NotebookNode:
    """The learner's cell for a known grade id, with the reference's metadata (and source, if locked)."""
    what = _describe(ref)
    shape = (cell.get("cell_type"), cell_kind(cell))
    changed_kind = shape != (ref.cell_type, ref.kind) and (ref.received is None or shape != ref.received[1:])
    if ref.is_answer:
        # The learner's text is the answer; the cell's type, markers and points are the course's.
        new = _fresh_cell(ref)
        new.source = str(cell.get("source", ""))
        if new.cell_type == "markdown" and isinstance(cell.get("attachments"), dict):
            new["attachments"] = copy.deepcopy(cell["attachments"])
        if changed_kind and ref.is_manual:
            out.findings.append(f"{what} (cell {number}) was re-pointed: type or points changed (restored)")
        elif changed_kind:
            out.notes.append(f"cell {number} ({what}) had its nbgrader metadata changed (restored)")
        return new
    new = _fresh_cell(ref)
    source = normalize(str(cell.get("source", "")))
    handed = [ref.received[0]] if ref.received else []
    edited = source not in {normalize(text) for text in (ref.release_source, ref.source, *handed)}
    if _guarded(ref) and changed_kind:
        out.findings.append(f"{what} (cell {number}) was re-pointed: type or points changed (restored)")
    elif _guarded(ref) and edited:
        out.findings.append(f"{what} (cell {number}) was edited (original restored)")
    return new


def canonicalize(student: NotebookNode, ref: Reference) -> Canonical:
    """The notebook to run: learner's cells in their order, the course's tests in their places."""
    refs = ref.by_id
    order = [cell.grade_id for cell in ref.cells]
    out = Canonical(nb=copy.deepcopy(ref.instructor), origin=[])
    cells: list[NotebookNode] = []
    anchored: dict[str, int] = {}
    for number, cell in enumerate(student.cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            raise ValueError(f"cell {number} is not a notebook cell")
        meta = nbgrader_meta(cell)
        grade_id = meta.get("grade_id") if meta else None
        if isinstance(grade_id, str) and grade_id in refs and grade_id not in anchored:
            anchored[grade_id] = len(cells)
            cells.append(_anchor(cell, refs[grade_id], number, out))
            out.origin.append(number)
            continue
        plain = cast(NotebookNode, copy.deepcopy(cell))
        if meta is not None:
            del plain["metadata"]["nbgrader"]
            if is_tracked(cell) and isinstance(grade_id, str) and grade_id in refs:
                out.notes.append(f"cell {number} repeats grade id {grade_id!r} (run as an ordinary cell)")
            elif is_tracked(cell):
                out.findings.append(f"cell {number} claims unknown grade id {grade_id!r} (ignored)")
        cells.append(plain)
        out.origin.append(number)

    # Put back what was deleted, before the next course cell still present (after the learner's own
    # cells that follow its predecessor, which usually belong to the previous question).
    for position, grade_id in enumerate(order):
        if grade_id in anchored:
            continue
        missing = refs[grade_id]
        if missing.is_answer and not missing.is_manual:
            out.notes.append(f"answer cell {grade_id!r} was deleted (tests still run)")
            continue
        if _guarded(missing):
            out.findings.append(f"{_describe(missing)} is missing: deleted or stripped of its nbgrader "
                                "metadata (restored)")
        following = [anchored[g] for g in order[position + 1:] if g in anchored]
        at = min(following) if following else len(cells)
        cells.insert(at, _fresh_cell(missing))
        out.origin.insert(at, None)
        for key, index in anchored.items():
            if index >= at:
                anchored[key] = index + 1
        anchored[grade_id] = at
    out.nb.cells = cells
    return out
