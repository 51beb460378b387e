"""Answers given by clicking reach the grade: recorded at the click, kept by the saved notebook and by
the answers file beside it, restored by a restarted kernel, graded by `python -m grader`; and the
Chinese and English notebooks of a lab give the same answers the same score.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest
from harness import LABS, ROOT, lab_names, load, source_path
from nbclient import NotebookClient

from grader import marking
from grader.autograde import grade_submissions
from grader.course import Course
from grader.grading import GradeResult
from labkit import answers

LAB = "lab01_hashing"
ESSAY = "每个区块记下前一个区块的哈希，改动会让链接断开。"
EXPLORE_LABS = [lab for lab in lab_names() if (LABS / "text" / lab / "explore.py").exists()]


def model_answers(lang: str, lab: str) -> dict[str, answers.Answer]:
    """The answers the source notebook carries (what a learner who gets everything right clicks)."""
    records = answers.from_notebook(load(source_path(lang, f"{lab}/explore")))
    return {record.qid: record.value for record in records}


def a_wrong(value: answers.Answer) -> answers.Answer:
    """Another answer: the next number, or another option (every choice has options a and b)."""
    if isinstance(value, int):
        return value + 1
    return "a" if value != "a" else "b"


def release_for(lang: str, lab: str, folder: Path) -> Path:
    """The learner's copy: the release of `lang` (generated now for English, committed for Chinese)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "explore.ipynb"
    if lang == "zh-CN":
        shutil.copy2(LABS / "release" / lab / "explore.ipynb", target)
    else:
        course = Course(ROOT / "labs", lang)
        from grader import nbio

        ref = next(r for r in course.references(lab) if r.name == "explore")
        nbio.write(ref.release, target)
    return target


def execute(path: Path, extra: str = "") -> nbformat.NotebookNode:
    """Run the notebook in its folder as Run All does; `extra` runs last in the same kernel (clicks)."""
    nb = nbformat.read(path, as_version=4)
    if extra:
        nb.cells.append(nbformat.v4.new_code_cell(extra))
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    if extra:
        nb.cells.pop()
    return nb


def grade(course_lang: str, submissions: Path, lab: str) -> dict[str, GradeResult]:
    results = grade_submissions(Course(ROOT / "labs", course_lang), lab, submissions, jobs=2, timeout=60,
                                progress=False)
    return {r.student: r for r in results if r.name == "explore"}


def statuses(nb: nbformat.NotebookNode) -> dict[str, Any]:
    """qid -> recorded value, read from the notebook's outputs as the grader reads them."""
    return {r.qid: r.value for r in answers.from_notebook(nb)}


def test_clicks_are_recorded_saved_restored_and_graded(tmp_path: Path) -> None:
    """Click through lab 1 in a real kernel: the widgets' own handlers record each answer in the
    notebook's outputs (update_display) and in the answers file; the saved notebook alone, or the file
    alone, grades the same; a fresh kernel shows every answer again."""
    right = model_answers("zh-CN", LAB)
    wrong_q = sorted(right)[2]
    clicked = {**right, wrong_q: a_wrong(right[wrong_q])}
    clicks = []
    for qid, value in clicked.items():
        if isinstance(value, str):
            clicks.append(f"sheet.controls[{qid!r}]['abcdefgh'.index({value!r})].click()")
        else:
            clicks.append(f"sheet.controls[{qid!r}][0].value = {str(value)!r}")
            clicks.append(f"sheet.controls[{qid!r}][1].click()")
    clicks.append(f"sheet.controls['w1'][0].value = {ESSAY!r}")
    folder = tmp_path / "learner" / LAB
    path = release_for("zh-CN", LAB, folder)
    nb = execute(path, "\n".join(clicks))
    nbformat.write(nb, path)   # what Ctrl+S saves
    saved = statuses(nbformat.read(path, as_version=4))
    assert {q: saved[q] for q in clicked} == clicked, "the saved notebook does not carry every click"
    assert "w1" in saved and len(str(saved["w1"])) > 10
    on_disk = {r.qid: r.value for r in answers.from_file(answers.sidecar_path(folder, "explore"))}
    assert on_disk == saved, "the answers file beside the notebook disagrees with the notebook"

    restarted = execute(path)    # a fresh kernel: Run All again, no clicks
    assert statuses(restarted) == saved, "a restarted kernel lost answers"

    expected = sum(points for qid, points in points_of(LAB).items() if qid != f"{wrong_q}_check")
    sidecar = answers.sidecar_path(folder, "explore")
    for case in ("both", "notebook only", "file only"):
        submissions = tmp_path / case.replace(" ", "-")
        learner = submissions / "learner" / LAB
        shutil.copytree(folder, learner)
        if case == "notebook only":
            answers.sidecar_path(learner, "explore").unlink()
        if case == "file only":
            stripped = nbformat.read(learner / "explore.ipynb", as_version=4)
            for cell in stripped.cells:
                if cell.cell_type == "code":
                    cell.outputs = []
            nbformat.write(stripped, learner / "explore.ipynb")
            assert sidecar.exists()
        result = grade("zh-CN", submissions, LAB)["learner"]
        assert result.status == "ok", (case, result.detail)
        assert result.score == expected, f"{case}: {result.score} / {result.max_score}, expected {expected}"
        essay = next(c for c in result.cells if c.grade_id == "w1")
        assert essay.score is None and essay.kind == "manual", f"{case}: the essay does not await marking"
        waiting = marking.collect(Course(ROOT / "labs", "zh-CN"), LAB, submissions)
        assert [(a.cell, a.text, a.answered) for a in waiting] == [("w1", ESSAY, True)], case


def points_of(lab: str) -> dict[str, float]:
    nb = load(source_path("zh-CN", f"{lab}/explore"))
    return {m["grade_id"]: float(m["points"]) for c in nb["cells"]
            if (m := c.get("metadata", {}).get("nbgrader", {})) and m.get("grade") and not m.get("solution")}


@pytest.mark.timeout(900)
def test_chinese_and_english_notebooks_give_the_same_answers_the_same_score(tmp_path: Path) -> None:
    """For every lab: a learner with every answer right but one, and a learner who answered nothing,
    each handed in the zh-CN notebook in one class and the en notebook in another: the same scores,
    cell by cell, and the expected totals."""
    assert EXPLORE_LABS, "no explore notebooks written as text yet"
    for lab in EXPLORE_LABS:
        right = model_answers("zh-CN", lab)
        assert right == model_answers("en", lab), f"{lab}: the languages' model answers differ"
        first = sorted(right)[0]
        given = {**right, first: a_wrong(right[first])}
        scores = {}
        for lang in ("zh-CN", "en"):
            submissions = tmp_path / lab / lang
            one = release_for(lang, lab, submissions / "almost" / lab)
            answers.write_file(answers.sidecar_path(one.parent, "explore"),
                               [answers.Record(q, v, 1.0, i) for i, (q, v) in enumerate(given.items())])
            release_for(lang, lab, submissions / "blank" / lab)
            graded = grade(lang, submissions, lab)
            scores[lang] = {student: (r.status, r.score, [(c.grade_id, c.score) for c in r.cells])
                            for student, r in graded.items()}
        assert scores["zh-CN"] == scores["en"], f"{lab}: {json.dumps(scores, ensure_ascii=False)}"
        total = sum(points_of(lab).values())
        assert scores["zh-CN"]["almost"][1] == total - points_of(lab)[f"{first}_check"], (lab, scores)
        assert scores["zh-CN"]["blank"][1] == 0, (lab, scores)
        blank_essays = [score for grade_id, score in scores["zh-CN"]["blank"][2] if grade_id.startswith("w")]
        assert blank_essays and all(score == 0.0 for score in blank_essays), (lab, "an empty essay scores 0")
