"""The per-cell timeout asked for is the one applied, even when the course's nbgrader_config.py sets its
own Execute.timeout (the labs' course does: 60 s). The runner re-initialises nbclient's client the way
nbconvert does, which reloads the course config; the limit given must survive that.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

pytest.importorskip("nbgrader")

from graderkit import with_cell

from grader import sample
from grader.autograde import grade_submissions
from grader.course import Course

COURSE_LIMIT = 60   # seconds per cell in the course's own config
ASKED = 2           # seconds per cell asked of the grader


def test_the_timeout_asked_for_beats_the_courses_execute_timeout(tmp_path: Path) -> None:
    course = sample.make_course(tmp_path / "course")
    with (course / "nbgrader_config.py").open("a") as config:
        config.write(f"c.Execute.timeout = {COURSE_LIMIT}\n")
    submissions = tmp_path / "submitted"
    sample.write_submission(submissions, "erin", with_cell(course, "while True:\n    pass"))
    started = time.monotonic()
    results = grade_submissions(Course(course), sample.LAB, submissions, jobs=1, timeout=ASKED,
                                progress=False)
    seconds = time.monotonic() - started
    (erin,) = [r for r in results if r.student == "erin"]
    assert erin.status == "timeout", erin.detail
    assert f"ran past {ASKED} s (interrupted)" in erin.detail, erin.detail
    assert seconds < COURSE_LIMIT, f"graded in {seconds:.0f} s: the course's {COURSE_LIMIT} s limit applied"
