"""The class roster: who is expected to hand in which notebook, so the absent get a row too.

A CSV with a `student` column (or `id`, as in nbgrader's `nbgrader db student import` files) and an
optional `track` column naming the notebook that learner does (`explore` for officials, `build` for
engineers; empty: every notebook of the lab). A learner on the roster with nothing handed in gets a
`missing` row per expected notebook; one who handed in work but is not on the roster is graded and
named in the row's detail, so a typo in a folder name is seen rather than silently graded apart.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from grader.errors import RosterError

ROSTER_FILE = "roster.csv"   # looked for in the course root when no --roster is given


@dataclass(frozen=True)
class Entry:
    """One learner of the roster."""

    student: str
    track: str | None = None   # the one notebook expected of this learner, or None: all of them

    def expects(self, notebook: str) -> bool:
        return self.track is None or self.track == notebook


def default_roster(course_root: Path) -> Path | None:
    """The course's roster.csv, if it has one."""
    path = course_root / ROSTER_FILE
    return path if path.is_file() else None


def read_roster(path: Path | str, notebooks: list[str]) -> list[Entry]:
    """The roster's learners; RosterError naming the line of any problem."""
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            fields = [f.strip().lower() for f in reader.fieldnames or []]
            column = "student" if "student" in fields else "id" if "id" in fields else None
            if column is None:
                raise RosterError(f"roster {path} has no `student` (or `id`) column in its header line "
                                  f"(found: {', '.join(fields) or 'nothing'})")
            entries: dict[str, Entry] = {}
            for line, raw in enumerate(reader, start=2):
                row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
                student, track = row.get(column, ""), row.get("track", "") or None
                if not student:
                    raise RosterError(f"{path}:{line}: empty student id")
                if "/" in student or student.startswith("."):
                    raise RosterError(f"{path}:{line}: {student!r} is not a student id "
                                      "(no '/', no leading '.')")
                if student in entries:
                    raise RosterError(f"{path}:{line}: {student!r} is listed twice")
                if track is not None and track not in notebooks:
                    raise RosterError(f"{path}:{line}: track {track!r} of {student!r} is not a notebook of "
                                      f"the lab (one of {', '.join(notebooks)}, or empty for all)")
                entries[student] = Entry(student, track)
            return list(entries.values())
    except FileNotFoundError:
        raise RosterError(f"roster {path} not found") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise RosterError(f"cannot read roster {path}: {' '.join(str(exc).split())}") from None
