"""The results CSV: one row per student and notebook, written whole or not at all.

Columns: student, assignment, notebook, score, max_score, status, detail. A sidecar `<name>.cells.csv`
holds one row per graded cell (for per-question pass rates). Both are written to a temporary file and
renamed into place, so a failed or interrupted run never leaves a mix of old and new scores.
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


def write_results(results: Iterable[GradeResult], path: Path | str) -> Path:
    """Write the CSV and its cells sidecar, replacing any earlier ones completely."""
    path = Path(path)
    rows = ordered(results)
    with _atomic(cells_path(path)) as writer:
        writer.fieldnames = list(CELL_COLUMNS)
        writer.writeheader()
        for r in rows:
            for c in r.cells:
                writer.writerow({"student": r.student, "assignment": r.lab, "notebook": r.name,
                                 "cell": c.grade_id, "kind": c.kind, "score": number(c.score),
                                 "max_score": number(c.max_score)})
    with _atomic(path) as writer:
        writer.fieldnames = list(COLUMNS)
        writer.writeheader()
        for r in rows:
            writer.writerow({"student": r.student, "assignment": r.lab, "notebook": r.name,
                             "score": number(r.score), "max_score": number(r.max_score),
                             "status": r.status, "detail": r.detail})
    return path


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
                            _float(r["score"], str(side)), _float(r["max_score"], str(side)) or 0.0)
                    for r in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ReportError(f"cannot read {side}: {' '.join(str(exc).split())}") from None
