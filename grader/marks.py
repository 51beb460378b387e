"""Marks given by hand to written answers and tasks, kept with the course in marks.sqlite (SQLite).

A mark belongs to one answer, (assignment, notebook, student, cell), and to the SHA-256 of that answer's
text as the marker read it: an answer changed since (a later submission) is awaiting marking again, and
its earlier mark stays in the history. Every mark ever entered is kept there with who entered it, when
and the comment, so a disputed grade can be traced. Until a mark exists, the answer's points are
"awaiting marking", never 0. SQLite's default rollback journal leaves no side files behind, so a root
grader reading the marks never leaves files the instructor could not write later (sqlite.org/lockingv3).
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from grader.course import normalize
from grader.errors import MarkError

if TYPE_CHECKING:
    from grader.grading import CellScore

MARKS_FILE = "marks.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS marks (
    assignment TEXT NOT NULL, notebook TEXT NOT NULL, student TEXT NOT NULL, cell TEXT NOT NULL,
    score REAL NOT NULL, max_score REAL NOT NULL, comment TEXT NOT NULL, digest TEXT NOT NULL,
    marker TEXT NOT NULL, marked_at TEXT NOT NULL,
    PRIMARY KEY (assignment, notebook, student, cell));
CREATE TABLE IF NOT EXISTS history (
    assignment TEXT NOT NULL, notebook TEXT NOT NULL, student TEXT NOT NULL, cell TEXT NOT NULL,
    score REAL NOT NULL, max_score REAL NOT NULL, comment TEXT NOT NULL, digest TEXT NOT NULL,
    marker TEXT NOT NULL, marked_at TEXT NOT NULL);
"""
COLUMNS = "score, max_score, comment, digest, marker, marked_at"


def digest(answer: str) -> str:
    """The SHA-256 (hex) of an answer's text; line endings and trailing spaces are not changes."""
    return hashlib.sha256(normalize(answer).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Mark:
    """One mark as entered."""

    score: float
    max_score: float
    comment: str
    digest: str          # of the answer that was marked
    marker: str          # who entered it
    marked_at: str       # ISO 8601, UTC


class MarkBook:
    """The course's marks database (created on first use)."""

    def __init__(self, course_root: Path) -> None:
        self.path = Path(course_root) / MARKS_FILE
        try:
            self.db = sqlite3.connect(self.path, timeout=30)
            self.db.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise MarkError(f"cannot open the marks database {self.path}: {exc}") from None

    def __enter__(self) -> MarkBook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    def give(self, assignment: str, notebook: str, student: str, cell: str, *, score: float, max_score: float,
             comment: str, answer_digest: str, marker: str) -> Mark:
        """Record a mark (replacing the current one; the history keeps both). MarkError if out of range."""
        if not math.isfinite(score) or not 0 <= score <= max_score:
            raise MarkError(f"mark {score:g} for {student}/{notebook}/{cell} is outside 0..{max_score:g} "
                            "(the cell's points)")
        mark = Mark(float(score), float(max_score), comment.strip(), answer_digest, marker,
                    datetime.now(UTC).isoformat(timespec="seconds"))
        key = (assignment, notebook, student, cell)
        values = (*key, *dataclasses.astuple(mark))
        with self.db:   # one transaction: the mark and its history line, or neither
            self.db.execute(f"INSERT OR REPLACE INTO marks (assignment, notebook, student, cell, {COLUMNS}) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
            self.db.execute(f"INSERT INTO history (assignment, notebook, student, cell, {COLUMNS}) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
        return mark

    def marks(self, assignment: str) -> dict[tuple[str, str, str], Mark]:
        """Current marks of an assignment by (student, notebook, cell)."""
        rows = self.db.execute(f"SELECT student, notebook, cell, {COLUMNS} FROM marks WHERE assignment = ?",
                               (assignment,))
        return {(r[0], r[1], r[2]): Mark(*r[3:]) for r in rows}

    def history(self, assignment: str, notebook: str, student: str, cell: str) -> list[Mark]:
        """Every mark ever given to this answer, oldest first."""
        rows = self.db.execute(f"SELECT {COLUMNS} FROM history WHERE assignment = ? AND notebook = ? "
                               "AND student = ? AND cell = ? ORDER BY rowid",
                               (assignment, notebook, student, cell))
        return [Mark(*r) for r in rows]


def course_marks(course_root: Path, assignment: str) -> dict[tuple[str, str, str], Mark]:
    """The current marks of an assignment ({} when nobody has marked anything in this course yet)."""
    path = Path(course_root) / MARKS_FILE
    if not path.is_file():
        return {}
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            rows = db.execute(f"SELECT student, notebook, cell, {COLUMNS} FROM marks WHERE assignment = ?",
                              (assignment,)).fetchall()
        finally:
            db.close()
    except sqlite3.Error as exc:
        raise MarkError(f"cannot read the marks database {path}: {exc}") from None
    return {(r[0], r[1], r[2]): Mark(*r[3:]) for r in rows}


def apply_marks(cells: tuple[CellScore, ...], marks: dict[str, Mark],
                ) -> tuple[tuple[CellScore, ...], list[str]]:
    """The cells with the marks of their current answers filled in, and a note per stale mark."""
    out = []
    notes = []
    for cell in cells:
        mark = marks.get(cell.grade_id)
        if cell.kind != "manual" or mark is None or cell.score is not None:
            out.append(cell)
        elif mark.digest != cell.digest:
            notes.append(f"answer {cell.grade_id!r} changed since it was marked {mark.score:g}/"
                         f"{mark.max_score:g}: awaiting marking again")
            out.append(cell)
        else:
            out.append(dataclasses.replace(cell, score=min(mark.score, cell.max_score), comment=mark.comment))
    return tuple(out), notes


def pending_note(cells: tuple[CellScore, ...]) -> str:
    """`N points awaiting marking`, or "" when every graded cell has a score."""
    pending = sum(c.max_score for c in cells if c.score is None)
    return f"{pending:g} points awaiting marking" if pending else ""
