"""release, validate and report on a course root; typed one-line errors from the CLI."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from graderkit import run_cli

from grader import nbio, sample
from grader.progress import Progress


def test_release_has_no_solutions_and_no_hidden_tests(course: Path) -> None:
    text = (course / "release" / sample.LAB / f"{sample.NOTEBOOK}.ipynb").read_text()
    assert "return x * x" not in text and sample.HIDDEN_MARK not in text
    assert "YOUR CODE HERE" in text and "assert square(3) == 9" in text


def test_release_command(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("release", sample.LAB, "--course", str(course)) == 0
    assert capsys.readouterr().out.startswith(f"released {sample.LAB}: 1 notebooks in ")


def test_progress_bar_counts_statuses() -> None:
    stream = io.StringIO()
    bar = Progress(4, "grading lab01", stream=stream, enabled=True, width=8)
    for status in ("ok", "ok", "tampered"):
        bar.advance(status)
    bar.close()
    line = stream.getvalue().split("\r")[-1].removeprefix("\x1b[2K")
    assert line.startswith("grading lab01 [######--] 3/4  75%") and line.rstrip().endswith("ok 2 tampered 1")


def test_validate_proves_the_sample_lab_gradable(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("validate", "--course", str(course), "--jobs", "2", "--timeout", "10") == 0
    out = capsys.readouterr().out
    assert "ok   lab01/quiz: solution 3/3, release 0/3 (+2 points graded by hand)" in out
    assert "all gradable" in out


def test_validate_catches_a_free_test_and_a_stale_release(course: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    broken = shutil.copytree(course, tmp_path / "course")
    path = broken / "source" / sample.LAB / f"{sample.NOTEBOOK}.ipynb"
    nb = nbio.read(path)
    next(c for c in nb.cells if c.metadata["nbgrader"]["grade_id"] == "test_add").source = "assert True"
    nbio.write(nb, path)
    assert run_cli("validate", "--course", str(broken), "--jobs", "2", "--timeout", "10") == 1
    captured = capsys.readouterr()
    assert "the release scores 1/3 without answers: test_add give points for nothing" in captured.out
    assert "release/lab01/quiz.ipynb is out of date with source/" in captured.out
    assert captured.err.startswith("grader: error: 1 of 1 notebooks are not gradable")


def test_report_summarizes_the_class(klass: dict[str, object], tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "report.html"
    assert run_cli("report", str(klass["csv"]), "--html", str(page)) == 0
    out = capsys.readouterr().out
    assert "lab01 · quiz: 14 learners, 12 handed it in" in out
    assert "written answers: 11 awaiting marking, 0 marked" in out
    assert "status: ok 5 · missing 2 · error 2 · timeout 2 · tampered 3" in out
    assert "quiz/test_add" in out and "8/11 passed   73%" in out and "10/11 passed   91%" in out
    assert "<h3>Per question</h3>" in page.read_text()


@pytest.mark.parametrize(("args", "message"), [
    (["autograde", "SUBS", "--assignment", "lab99", "--csv", "OUT"], "no lab 'lab99'"),
    (["autograde", "nowhere", "--assignment", "lab01", "--csv", "OUT"], "submissions nowhere not found"),
    (["autograde", "SUBS", "--assignment", "lab01", "--csv", "SUBS/grades.csv"], "never modified"),
    (["report", "COURSE/nbgrader_config.py"], "is not a grader results CSV"),
    (["validate", "lab99"], "no lab 'lab99'"),
])
def test_errors_are_one_line(course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             args: list[str], message: str) -> None:
    subs = tmp_path / "subs"
    sample.write_submission(subs, "alice", sample.answered(course))
    names = {"SUBS": str(subs), "COURSE": str(course), "OUT": str(tmp_path / "o.csv")}
    argv = [a.replace("SUBS", names["SUBS"]).replace("COURSE", names["COURSE"]).replace("OUT", names["OUT"])
            for a in args]
    if argv[0] != "report":
        argv += ["--course", str(course)]
    assert run_cli(*argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("grader: error: ") and message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o.csv").exists()


def test_missing_course_root(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("release", "--course", str(tmp_path / "labs")) == 2
    assert "course root" in capsys.readouterr().err
