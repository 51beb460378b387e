"""`grader mark`: written answers await marking until an instructor marks them; marks survive regrading,
fit only the answer they were given to, and reach the CSV, the report and the feedback page."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from graderkit import read_rows, run_cli

from grader import sample
from grader.feedback import visible_text
from grader.marks import MARKS_FILE, MarkBook
from grader.results import cells_path

EXPLAIN = "A negative times a negative is positive, so x * x >= 0 for every x."


@pytest.fixture(scope="module")
def graded(course: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the course (marks are written into it) and a class of three, graded once."""
    base = tmp_path_factory.mktemp("marks")
    own = shutil.copytree(course, base / "course")
    subs = base / "submitted"
    sample.write_submission(subs, "alice", sample.answered(own, {**sample.CORRECT, "explain": EXPLAIN}))
    sample.write_submission(subs, "bob", sample.answered(own))
    sample.write_submission(subs, "carl", sample.answered(own, {k: v for k, v in sample.CORRECT.items()
                                                                 if k != "explain"}))   # left the stub
    assert run_cli("autograde", str(subs), "--course", str(own), "--assignment", sample.LAB, "--jobs", "2",
                   "--timeout", "10", "--csv", str(base / "grades.csv")) == 0
    return base


@pytest.fixture()
def marked_class(graded: Path, tmp_path: Path) -> dict[str, Path]:
    """This test's own copy of the graded class: course (and its marks), submissions, CSV."""
    base = shutil.copytree(graded, tmp_path / "class")
    return {"course": base / "course", "subs": base / "submitted", "csv": base / "grades.csv", "base": base}


def mark(paths: dict[str, Path], *args: str) -> int:
    return run_cli("mark", str(paths["subs"]), "--course", str(paths["course"]), "--assignment", sample.LAB,
                   "--marker", "teacher", *args)


def test_unmarked_answers_await_marking_and_blanks_score_0(marked_class: dict[str, Path],
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    rows = read_rows(marked_class["csv"])
    assert (rows["alice"]["score"], rows["alice"]["detail"]) == ("3", "2 points awaiting marking")
    assert (rows["carl"]["score"], rows["carl"]["detail"]) == ("3", "")   # nothing to mark: scored 0
    capsys.readouterr()
    assert mark(marked_class, "--list") == 0
    out = capsys.readouterr().out
    assert "lab01: 3 written answers: 2 awaiting marking, 0 marked, 1 not answered" in out
    assert "alice  quiz/explain  2 pts  awaiting marking" in out
    assert "carl   quiz/explain  2 pts  not answered (scored 0)" in out
    assert not (marked_class["course"] / MARKS_FILE).exists() or MarkBook(marked_class["course"]).marks(
        sample.LAB) == {}


def test_marking_at_the_terminal_reaches_csv_report_and_feedback(marked_class: dict[str, Path],
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    # alice: a typo, then a mark out of range, then 2 with a comment; bob: skipped for now
    monkeypatch.setattr("sys.stdin", io.StringIO("two\n3\n2 Clear, with the reason.\n\n"))
    assert mark(marked_class, "--csv", str(marked_class["csv"])) == 0
    out = capsys.readouterr().out
    assert "[1/2] alice · quiz · explain (2 points; awaiting marking)" in out
    assert EXPLAIN in out and "A product of two numbers of the same sign is positive." in out  # the model
    assert "'two' is not a mark" in out and "3 is outside 0..2" in out
    assert "marked 1 answer; 1 of 3 selected still await marking" in out
    rows = read_rows(marked_class["csv"])
    assert (rows["alice"]["score"], rows["alice"]["detail"]) == ("5", "")
    assert (rows["bob"]["score"], rows["bob"]["detail"]) == ("3", "2 points awaiting marking")
    assert "alice,lab01,quiz,explain,manual,2,2" in cells_path(marked_class["csv"]).read_text()
    assert run_cli("report", str(marked_class["csv"])) == 0
    assert "written answers: 1 awaiting marking, 2 marked" in capsys.readouterr().out
    pages = marked_class["base"] / "pages"
    assert run_cli("feedback", str(marked_class["subs"]), "--course", str(marked_class["course"]),
                   "--assignment", sample.LAB, "--timeout", "10", "--out", str(pages)) == 0
    alice = visible_text((pages / "alice" / sample.LAB / f"{sample.NOTEBOOK}.html").read_text())
    assert "quiz (Score: 5.0 / 5.0)" in alice and "Written response (Score: 2.0 / 2.0)" in alice
    assert "Comments: Clear, with the reason." in alice
    carl = visible_text((pages / "carl" / sample.LAB / f"{sample.NOTEBOOK}.html").read_text())
    assert "Comments: Not answered: the cell is as it was handed out." in carl


def test_a_mark_fits_only_the_answer_it_was_given_to(marked_class: dict[str, Path],
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert mark(marked_class, "--student", "alice", "--cell", "explain", "--score", "1.5",
                "--comment", "Say why.") == 0
    alone = marked_class["base"] / "alice-only"          # alice graded again, alone, into the class CSV
    shutil.copytree(marked_class["subs"] / "alice", alone / "alice")
    regrade = ["autograde", str(alone), "--course", str(marked_class["course"]),
               "--assignment", sample.LAB, "--timeout", "10", "--csv", str(marked_class["csv"])]
    assert run_cli(*regrade) == 0
    assert read_rows(marked_class["csv"])["alice"]["score"] == "4.5"     # the mark survives regrading
    sample.write_submission(alone, "alice", sample.answered(
        marked_class["course"], {**sample.CORRECT, "explain": EXPLAIN + " Also 0 * 0 = 0."}))
    assert run_cli(*regrade) == 0
    rows = read_rows(marked_class["csv"])
    assert sorted(rows) == ["alice", "bob", "carl"]
    alice = rows["alice"]
    assert alice["score"] == "3"
    assert "answer 'explain' changed since it was marked 1.5/2: awaiting marking again" in alice["detail"]
    with MarkBook(marked_class["course"]) as book:
        history = book.history(sample.LAB, sample.NOTEBOOK, "alice", "explain")
    assert [(m.score, m.comment, m.marker) for m in history] == [(1.5, "Say why.", "teacher")]


@pytest.mark.parametrize(("args", "message"), [
    (["--student", "alice", "--cell", "explain", "--score", "2.5"], "mark 2.5 for alice/quiz/explain is "
                                                                    "outside 0..2"),
    (["--cell", "explain", "--score", "1"], "--score needs exactly one answer, the selection has 3"),
    (["--student", "zoe"], "no written answers of lab01"),
])
def test_bad_marks_are_refused_in_one_line(marked_class: dict[str, Path], capsys: pytest.CaptureFixture[str],
                                           args: list[str], message: str) -> None:
    capsys.readouterr()
    assert mark(marked_class, *args) == 2
    err = capsys.readouterr().err
    assert err.startswith("grader: error: ") and message in err and len(err.strip().splitlines()) == 1
    path = marked_class["course"] / MARKS_FILE
    assert not path.exists() or MarkBook(marked_class["course"]).marks(sample.LAB) == {}
