"""The results CSV: one row per student and notebook, written whole or not at all, merged by default.

Columns: student, assignment, notebook, score, max_score, status, detail. A sidecar `<name>.cells.csv`
holds one row per graded cell (for per-question pass rates). Both are written to a temporary file and
renamed into place, so a failed or interrupted run never leaves a half-written file. Grading into an
existing CSV merges: the rows (and cells) of the learners and notebooks graded now replace theirs, every
other row is kept, so grading one late learner does not erase the class. A `missing` row never replaces
an earlier row (the learner's work is simply not in this batch); `--replace` writes only this run's rows.
"""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from grader import STATUSES
from grader.errors import ReportError
from grader.grading import GradeResult

COLUMNS = ("student", "assignment", "notebook", "score", "max_score", "status", "detail")
CELL_COLUMNS = ("student", "assignment", "notebook", "cell", "kind", "score", "max_score")
MESSAGE = "message"   # the sidecar's last column; older sidecars do not have it


@dataclass(frozen=True)
class Row:
    """One CSV row read back."""

    student: str
    assignment: str
    notebook: str
    score: float | None
    max_score: float
    status: str
    detail: str


@dataclass(frozen=True)
class CellRow:
    """One graded cell of one notebook read back."""

    student: str
    assignment: str
    notebook: str
    cell: str
    kind: str
    score: float | None
    max_score: float
    message: str = ""   # a judged test's reason for failing, with its hint (what the learner's feedback says)


def number(value: float | None) -> str:
    """3.0 -> "3", 2.5 -> "2.5", None -> "" (not graded)."""
    return "" if value is None else format(round(value, 4), "g")


def cells_path(path: Path | str) -> Path:
    """Where the per-cell sidecar of a results CSV lives."""
    path = Path(path)
    return path.with_name(f"{path.stem}.cells.csv")


@contextlib.contextmanager
def _atomic(path: Path) -> Iterator[csv.DictWriter[str]]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
            yield csv.DictWriter(handle, fieldnames=[], lineterminator="\n")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def ordered(results: Iterable[GradeResult]) -> list[GradeResult]:
    return sorted(results, key=lambda r: (r.student, r.lab, r.name))


Key = tuple[str, str, str]   # (student, assignment, notebook): one row


@dataclass(frozen=True)
class Merge:
    """What writing results did to the CSV."""

    path: Path
    written: int        # rows of this run now in the CSV
    kept: int           # earlier rows kept as they were (other learners, notebooks, labs)
    absent: int         # of those: rows this run had only as `missing` (not in this batch)

    def describe(self) -> str:
        if not self.kept:
            return str(self.path)
        extra = f", {self.absent} of them for work absent from this batch" if self.absent else ""
        rows = f"{self.written} row{'' if self.written == 1 else 's'}"
        return f"{self.path} (merged: {rows} written, {self.kept} earlier rows kept{extra})"


def as_rows(results: Iterable[GradeResult]) -> tuple[list[Row], list[CellRow]]:
    """Results as the CSV's rows and cell rows."""
    rows: list[Row] = []
    cells: list[CellRow] = []
    for r in ordered(results):
        rows.append(Row(r.student, r.lab, r.name, r.score, r.max_score, r.status, r.detail))
        cells += [CellRow(r.student, r.lab, r.name, c.grade_id, c.kind, c.score, c.max_score, c.message)
                  for c in r.cells]
    return rows, cells


def write_results(results: Iterable[GradeResult], path: Path | str, *, replace: bool = False) -> Merge:
    """Write this run's rows into the CSV and its sidecar, merged into earlier ones unless replace."""
    rows, cells = as_rows(results)
    return write_rows(rows, cells, path, replace=replace)


def write_rows(rows: list[Row], cells: list[CellRow], path: Path | str, *, replace: bool = False) -> Merge:
    """Merge rows (and their cells) into the CSV at path (see the module's rules) and write both files."""
    path = Path(path)
    old_rows = [] if replace or not path.exists() else read_results(path)
    old_cells = [] if replace or not path.exists() else read_cells(path)
    new = {_key(r): r for r in rows}
    old = {_key(r): r for r in old_rows}
    absent = {k for k, r in new.items() if r.status == "missing" and k in old}
    taken = set(new) - absent
    merged = [r for k, r in new.items() if k in taken] + [r for k, r in old.items() if k not in taken]
    merged_cells = [c for c in cells if _key(c) in taken] + [c for c in old_cells if _key(c) not in taken]
    merged.sort(key=_key)
    merged_cells.sort(key=_key)
    with _atomic(cells_path(path)) as writer:
        writer.fieldnames = [*CELL_COLUMNS, MESSAGE]
        writer.writeheader()
        for c in merged_cells:
            writer.writerow({"student": c.student, "assignment": c.assignment, "notebook": c.notebook,
                             "cell": c.cell, "kind": c.kind, "score": number(c.score),
                             "max_score": number(c.max_score), MESSAGE: c.message})
    with _atomic(path) as writer:
        writer.fieldnames = list(COLUMNS)
        writer.writeheader()
        for r in merged:
            writer.writerow({"student": r.student, "assignment": r.assignment, "notebook": r.notebook,
                             "score": number(r.score), "max_score": number(r.max_score),
                             "status": r.status, "detail": r.detail})
    return Merge(path, len(taken), len(set(old) - taken), len(absent))


def _key(row: Row | CellRow) -> Key:
    return (row.student, row.assignment, row.notebook)


def _float(text: str, where: str) -> float | None:
    if text.strip() == "":
        return None
    try:
        return float(text)
    except ValueError:
        raise ReportError(f"{where}: {text!r} is not a number") from None


def read_results(path: Path | str) -> list[Row]:
    """Rows of a results CSV written by `grader autograde`."""
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise ReportError(f"{path} is not a grader results CSV: no column {', '.join(missing)}")
            rows = []
            for line, raw in enumerate(reader, start=2):
                where = f"{path}:{line}"
                if raw["status"] not in STATUSES:
                    raise ReportError(f"{where}: unknown status {raw['status']!r} "
                                      f"(one of {', '.join(STATUSES)})")
                max_score = _float(raw["max_score"], where)
                rows.append(Row(raw["student"], raw["assignment"], raw["notebook"],
                                _float(raw["score"], where), max_score or 0.0, raw["status"],
                                raw["detail"] or ""))
            return rows
    except FileNotFoundError:
        raise ReportError(f"results {path} not found") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ReportError(f"cannot read {path}: {' '.join(str(exc).split())}") from None


def read_cells(path: Path | str) -> list[CellRow]:
    """The per-cell sidecar of a results CSV ([] if it is absent)."""
    side = cells_path(path)
    if not side.is_file():
        return []
    try:
        with open(side, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if any(c not in (reader.fieldnames or []) for c in CELL_COLUMNS):
                raise ReportError(f"{side} is not a grader cells CSV")
            return [CellRow(r["student"], r["assignment"], r["notebook"], r["cell"], r["kind"],
                            _float(r["score"], str(side)), _float(r["max_score"], str(side)) or 0.0,
                            r.get(MESSAGE) or "")
                    for r in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ReportError(f"cannot read {side}: {' '.join(str(exc).split())}") from None
