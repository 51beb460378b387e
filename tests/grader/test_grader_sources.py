"""Submissions as a zip or as nbgrader's exchange inbound, and re-grading that leaves no stale score."""

from __future__ import annotations

import zipfile
from pathlib import Path

from graderkit import WRONG_ADD, read_rows, run_cli, tree_digest

from grader import sample
from grader.results import cells_path


def grade(course: Path, submissions: Path, out: Path) -> dict[str, dict[str, str]]:
    assert run_cli("autograde", str(submissions), "--course", str(course), "--assignment", sample.LAB,
                   "--jobs", "2", "--timeout", "10", "--csv", str(out)) == 0
    return read_rows(out)


def test_zip_of_a_submitted_folder(course: Path, tmp_path: Path) -> None:
    folder = tmp_path / "submitted"
    sample.write_submission(folder, "alice", sample.answered(course))
    wrong = {**sample.CORRECT, "answer_add": WRONG_ADD}
    sample.write_submission(folder, "bob", sample.answered(course, wrong))
    (folder / "carol").mkdir()
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(folder.rglob("*")):
            zf.write(path, path.relative_to(tmp_path))     # wrapped in submitted/, as zipped by hand
        zf.writestr("../escape.ipynb", "{}")              # never extracted outside its folder
        zf.writestr("__MACOSX/alice/._quiz.ipynb", "junk")
    digest = tree_digest(tmp_path)
    rows = grade(course, archive, tmp_path.parent / f"{tmp_path.name}-zip.csv")
    assert {s: (r["status"], r["score"]) for s, r in rows.items()} == {
        "alice": ("ok", "3"), "bob": ("ok", "2"), "carol": ("missing", "0")}
    assert tree_digest(tmp_path) == digest
    assert not (tmp_path.parent / "escape.ipynb").exists()


def test_exchange_inbound_grades_each_learners_latest(course: Path, tmp_path: Path) -> None:
    inbound = tmp_path / "exchange" / "sample" / "inbound"
    early = inbound / f"alice+{sample.LAB}+2026-01-01 09:00:00.000000 UTC"
    late = inbound / f"alice+{sample.LAB}+2026-01-02 09:00:00.000000 UTC+a1b2c3"
    for folder, answers in ((early, {**sample.CORRECT, "answer_add": WRONG_ADD}), (late, sample.CORRECT)):
        folder.mkdir(parents=True)
        sample.write_submission(folder.parent, folder.name, sample.answered(course, answers))
        # write_submission nests <student>/<lab>/: flatten it to the inbound layout
        nested = folder / sample.LAB / f"{sample.NOTEBOOK}.ipynb"
        nested.rename(folder / f"{sample.NOTEBOOK}.ipynb")
        nested.parent.rmdir()
    (inbound / "bob+lab99+2026-01-01 09:00:00.000000 UTC").mkdir()
    rows = grade(course, tmp_path / "exchange" / "sample", tmp_path / "inbound.csv")
    assert (rows["alice"]["status"], rows["alice"]["score"]) == ("ok", "3")
    assert "graded the latest of 2 submissions" in rows["alice"]["detail"]
    assert (rows["bob"]["status"], rows["bob"]["score"]) == ("missing", "0")


def test_regrade_after_a_failure_keeps_no_stale_score(course: Path, tmp_path: Path) -> None:
    folder = tmp_path / "submitted"
    path = sample.write_submission(folder, "alice", sample.answered(course))
    out = tmp_path / "grades.csv"
    assert grade(course, folder, out)["alice"]["score"] == "3"
    path.write_text('{"cells": [')                          # the file is damaged, then graded again
    row = grade(course, folder, out)["alice"]
    assert (row["status"], row["score"]) == ("error", "")
    assert "alice" not in cells_path(out).read_text()        # no per-question score survives either
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".grades")] == []
