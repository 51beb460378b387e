"""Fixtures for the grader's tests: the sample course, and a class with one learner per status, graded.

The course is grader.sample's (one lab, one notebook: two autograded answers, a test cell with hidden
tests, a written answer graded by hand). The class is graded once per session, by the real CLI, in
parallel; each test then reads its learner's row.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

pytest.importorskip("nbgrader")

from graderkit import (
    MEMORY,
    OUTSIDE,
    TIMEOUT,
    WRONG_ADD,
    edited,
    read_rows,
    repointed,
    run_cli,
    tree_digest,
    with_cell,
    without,
)

from grader import sample


@pytest.fixture(scope="session")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample.make_course(tmp_path_factory.mktemp("course"))


@pytest.fixture(scope="session")
def klass(course: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A class with one learner per status, graded once by `python -m grader autograde --jobs 2`."""
    subs = tmp_path_factory.mktemp("class") / "submitted"
    write = sample.write_submission
    alice = with_cell(course, "print('hello from alice')")
    write(subs, "alice", alice)
    write(subs, "bob", sample.answered(course, {**sample.CORRECT,
                                                 "answer_square": "def square(x):\n    return abs(x) * x"}))
    (subs / "carol" / sample.LAB).mkdir(parents=True)
    (subs / "carol" / sample.LAB / "Quiz (1).ipynb").write_text("{}")
    (subs / "trent").mkdir()
    write(subs, "dave", b'{"cells": [')
    write(subs, "erin", with_cell(course, "while True:\n    pass"))
    write(subs, "frank", with_cell(course, "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                                           "while True:\n    pass"))
    wrong = {**sample.CORRECT, "answer_add": WRONG_ADD}
    write(subs, "grace", without(sample.answered(course, wrong), "test_add"))
    write(subs, "heidi", edited(sample.answered(course, wrong), "test_add", "pass"))
    write(subs, "ivan", repointed(sample.answered(course, wrong), "test_add", "test_mine"))
    write(subs, "mallory", with_cell(course, "import os\nos._exit(1)"))
    write(subs, "victor", with_cell(course, "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)"))
    write(subs, "oscar", with_cell(course, "hog = []\nwhile True:\n    hog.append(bytearray(64 * 2**20))"))
    write(subs, "peggy", with_cell(course, (
        "import os, pathlib\n"
        f"targets = ['../../alice/{sample.LAB}/quiz.ipynb', '../alice/{sample.LAB}/quiz.ipynb',\n"
        f"           os.path.expanduser('~/{OUTSIDE}')]\n"
        "for target in targets:\n"
        "    pathlib.Path(target).parent.mkdir(parents=True, exist_ok=True)\n"
        "    pathlib.Path(target).write_text('overwritten')\n")))
    before = tree_digest(subs)
    out = subs.parent / "results" / "grades.csv"
    scratch = tmp_path_factory.mktemp("scratch")   # the grader's private folders go here, and must go
    saved, tempfile.tempdir = tempfile.tempdir, str(scratch)
    try:
        code = run_cli("autograde", str(subs), "--course", str(course), "--assignment", sample.LAB,
                       "--jobs", "2", "--timeout", TIMEOUT, "--memory", MEMORY, "--csv", str(out))
    finally:
        tempfile.tempdir = saved
    return {"code": code, "subs": subs, "before": before, "csv": out, "rows": read_rows(out),
            "scratch": scratch}
