"""Two tracks, a roster and a late learner: rows for the absent, totals per track, merged CSVs."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
from graderkit import read_rows, run_cli

from grader import nbio, sample
from grader.nbio import new_code_cell
from grader.results import cells_path, read_results

ROSTER = "student,track\nana,explore\nben,build\ncat,explore\ndan,\nfay,build\n"


def two_track_course(root: Path) -> Path:
    """grader.sample's quiz twice: explore (with a form check worth 0 points) and build."""
    sample.make_course(root, release=False)
    lab = root / "source" / sample.LAB
    (lab / f"{sample.NOTEBOOK}.ipynb").unlink()
    explore = sample.source_notebook()
    check = new_code_cell("assert True, 'the form is filled in'", metadata={"nbgrader": {
        "grade": True, "grade_id": "form_check", "locked": True, "points": 0, "schema_version": 3,
        "solution": False, "task": False}})
    explore.cells.insert(2, check)
    nbio.write(explore, lab / "explore.ipynb")
    nbio.write(copy.deepcopy(sample.source_notebook()), lab / "build.ipynb")
    from grader.course import Course

    Course(root).release(sample.LAB)
    return root


def answered(course: Path, name: str) -> object:
    nb = nbio.read(course / "release" / sample.LAB / f"{name}.ipynb")
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in sample.CORRECT:
            cell.source = sample.CORRECT[grade_id]
    return nb


@pytest.fixture(scope="module")
def tracks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("tracks")
    course = two_track_course(base / "course")
    (course / "roster.csv").write_text(ROSTER)
    subs = base / "submitted"
    for student, name in (("ana", "explore"), ("ben", "build"), ("dan", "explore"), ("eve", "build")):
        sample.write_submission(subs, student, answered(course, name), name=name)   # type: ignore[arg-type]
    out = base / "grades.csv"
    assert run_cli("autograde", str(subs), "--course", str(course), "--assignment", sample.LAB, "--jobs", "2",
                   "--timeout", "10", "--csv", str(out)) == 0
    return {"course": course, "subs": subs, "csv": out, "base": base}


def table(path: Path) -> dict[tuple[str, str], tuple[str, str, str]]:
    return {(r.student, r.notebook): (r.status, "" if r.score is None else f"{r.score:g}", r.detail)
            for r in read_results(path)}


def test_roster_gives_the_absent_a_row_and_each_learner_only_their_track(tracks: dict[str, Path]) -> None:
    rows = table(tracks["csv"])
    assert sorted(rows) == [("ana", "explore"), ("ben", "build"), ("cat", "explore"), ("dan", "build"),
                            ("dan", "explore"), ("eve", "build"), ("eve", "explore"), ("fay", "build")]
    assert rows[("ana", "explore")][:2] == ("ok", "3")
    assert rows[("cat", "explore")] == ("missing", "0", "no lab01/ folder")
    assert rows[("dan", "build")][:2] == ("missing", "0")         # no track: every notebook expected
    assert rows[("eve", "build")][0] == "ok" and "not on the roster" in rows[("eve", "build")][2]
    assert rows[("fay", "build")] == ("missing", "0", "no lab01/ folder")


def test_report_keeps_tracks_apart_and_skips_checks_worth_nothing(tracks: dict[str, Path],
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run_cli("report", str(tracks["csv"])) == 0
    out = capsys.readouterr().out
    build, explore = out.split("lab01 · explore")
    assert "lab01 · build: 4 learners, 2 handed it in" in build
    assert "score (of 5): mean 3.00 · median 3 · min 3 · max 3" in build
    assert ": 4 learners, 2 handed it in" in explore
    assert "score (of 5): mean 3.00" in explore
    assert "form_check" not in explore.split("checks worth 0 points")[0]     # not among the pass rates
    assert "checks worth 0 points (not scored, no pass rate): form_check" in explore
    assert "explore/test_add" in explore and "build/test_add" in build


def test_a_late_learner_is_merged_into_the_class_csv(tracks: dict[str, Path],
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    csv = tracks["base"] / "late.csv"
    shutil.copy(tracks["csv"], csv)
    shutil.copy(cells_path(tracks["csv"]), cells_path(csv))
    before = table(csv)
    late = tracks["base"] / "late"
    sample.write_submission(late, "fay", answered(tracks["course"], "build"), name="build")  # type: ignore[arg-type]
    capsys.readouterr()
    assert run_cli("autograde", str(late), "--course", str(tracks["course"]), "--assignment", sample.LAB,
                   "--timeout", "10", "--csv", str(csv)) == 0
    said = capsys.readouterr().out
    assert "(merged: 1 row written, 7 earlier rows kept, 5 of them for work absent from this batch)" in said
    after = table(csv)
    assert after[("fay", "build")][:2] == ("ok", "3")
    assert {k: v for k, v in after.items() if k != ("fay", "build")} == {
        k: v for k, v in before.items() if k != ("fay", "build")}      # nobody else's row changed
    assert "ana,lab01,explore,test_square,auto,2,2" in cells_path(csv).read_text()
    assert "fay,lab01,build,test_square,auto,2,2" in cells_path(csv).read_text()


def test_replace_writes_only_this_run(tracks: dict[str, Path]) -> None:
    csv = tracks["base"] / "replaced.csv"
    shutil.copy(tracks["csv"], csv)
    shutil.copy(cells_path(tracks["csv"]), cells_path(csv))
    late = tracks["base"] / "late-replace"
    sample.write_submission(late, "fay", answered(tracks["course"], "build"), name="build")  # type: ignore[arg-type]
    assert run_cli("autograde", str(late), "--course", str(tracks["course"]), "--assignment", sample.LAB,
                   "--timeout", "10", "--replace", "--roster", str(tracks["base"] / "fay-only.csv"),
                   "--csv", str(csv)) == 2   # no such roster yet
    (tracks["base"] / "fay-only.csv").write_text("id,first_name\nfay,Fay\n")   # nbgrader's import format
    assert run_cli("autograde", str(late), "--course", str(tracks["course"]), "--assignment", sample.LAB,
                   "--timeout", "10", "--replace", "--roster", str(tracks["base"] / "fay-only.csv"),
                   "--csv", str(csv)) == 0
    assert sorted(read_rows(csv)) == ["fay"]
    assert sorted(table(csv)) == [("fay", "build"), ("fay", "explore")]


@pytest.mark.parametrize(("roster", "message"), [
    ("name,track\nana,explore\n", "has no `student` (or `id`) column"),
    ("student,track\nana,officials\n", "roster.csv:2: track 'officials' of 'ana' is not a notebook"),
    ("student\nana\nben\nana\n", "roster.csv:4: 'ana' is listed twice"),
])
def test_bad_roster_is_refused_before_grading(tracks: dict[str, Path], tmp_path: Path, roster: str,
                                              message: str, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "roster.csv").write_text(roster)
    out = tmp_path / "grades.csv"
    capsys.readouterr()
    assert run_cli("autograde", str(tracks["subs"]), "--course", str(tracks["course"]), "--assignment",
                   sample.LAB, "--roster", str(tmp_path / "roster.csv"), "--csv", str(out)) == 2
    err = capsys.readouterr().err
    assert err.startswith("grader: error: ") and message in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
