"""Every lab notebook, graded for real: the solution earns full marks, the release earns nothing and
reveals nothing, every notebook runs headless without an error in under a minute, and the committed
release/ is what `nbgrader generate_assignment` makes of source/ today.

New labs are picked up by themselves: the tests are parametrized over labs/source/*/*.ipynb.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from labkit import LABS, GradedLab, notebook_ids

NOTEBOOKS = notebook_ids()
MAX_SECONDS = 60
SOLUTION_RE = re.compile(r"^[ \t]*#+ BEGIN SOLUTION.*?^[ \t]*#+ END SOLUTION[^\n]*", re.S | re.M)
HIDDEN_RE = re.compile(r"^[ \t]*#+ BEGIN HIDDEN TESTS.*?^[ \t]*#+ END HIDDEN TESTS[^\n]*", re.S | re.M)
graded = pytest.mark.timeout(1800)  # the first graded test waits for the whole grading run


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _meta(cell: dict[str, Any]) -> dict[str, Any]:
    meta: dict[str, Any] = cell.get("metadata", {}).get("nbgrader", {})
    return meta


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _lab_result(graded_labs: dict[str, GradedLab], notebook: str) -> tuple[GradedLab, dict[str, Any]]:
    lab, name = notebook.split("/")
    result = graded_labs[lab]
    report = result.report
    assert "crash" not in report, f"grading {lab} crashed:\n{report['crash']}"
    for step, outcome in report["steps"].items():
        assert outcome["success"], f"nbgrader {step} failed for {lab}:\n{outcome['error'] or outcome['log']}"
    assert name in report["notebooks"], f"{notebook} was not graded"
    return result, report["notebooks"][name]


def _autograded_ids(notebook: str) -> list[str]:
    """grade_ids of the test cells nbgrader scores by itself (grade, not solution)."""
    nb = _load(LABS / "source" / f"{notebook}.ipynb")
    metas = [_meta(cell) for cell in nb["cells"]]
    return [meta["grade_id"] for meta in metas if meta.get("grade") and not meta.get("solution")]


# --- structure: cheap, no kernel ---------------------------------------------------------------


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_cell_metadata_is_gradable(notebook: str) -> None:
    """Unique ids, points on every graded cell, hidden tests alone in their own cells, answers
    locked away from tests, and the shape each track promises."""
    nb = _load(LABS / "source" / f"{notebook}.ipynb")
    ids: list[str] = []
    autograded = manual = hidden = solutions = 0
    for index, cell in enumerate(nb["cells"]):
        meta, source = _meta(cell), _source(cell)
        where = f"{notebook} cell {index}"
        if not meta:
            assert "BEGIN SOLUTION" not in source and "BEGIN HIDDEN TESTS" not in source, where
            continue
        ids.append(meta["grade_id"])
        if meta.get("grade"):
            assert float(meta.get("points", -1)) >= 0, f"{where}: a graded cell needs points"
        if meta.get("solution"):
            solutions += 1
        if meta.get("grade") and not meta.get("solution"):
            autograded += float(meta["points"]) > 0
            assert meta.get("locked"), f"{where}: test cells must be locked"
            assert "BEGIN SOLUTION" not in source, f"{where}: a solution inside a test cell"
        if meta.get("grade") and meta.get("solution"):
            manual += 1
        if "BEGIN HIDDEN TESTS" in source:
            hidden += 1
            assert meta.get("grade") and not meta.get("solution"), f"{where}: hidden tests outside tests"
            outside = HIDDEN_RE.sub("", source).splitlines()
            code = [line for line in outside if line.strip() and not line.lstrip().startswith("#")]
            assert not code, f"{where}: hidden tests must have their own cell; visible code: {code}"
    assert len(ids) == len(set(ids)), f"{notebook}: duplicate grade_id in {sorted(ids)}"
    assert nb["metadata"].get("kernelspec", {}).get("name") == "python3", notebook
    assert autograded >= 2 and solutions >= 2 and hidden >= 1, (notebook, autograded, solutions, hidden)
    if notebook.endswith("/explore"):
        assert manual >= 1, f"{notebook}: the officials' track has a written answer graded by hand"


# --- grading, through nbgrader ------------------------------------------------------------------


@graded
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_source_runs_headless_without_error(notebook: str, graded_labs: dict[str, GradedLab]) -> None:
    _, entry = _lab_result(graded_labs, notebook)
    solution = entry["solution"]
    assert solution["graded"], f"{notebook}: no autograded notebook"
    assert not solution["errors"], f"{notebook} raised:\n" + "\n".join(solution["errors"])
    assert 0 < solution["seconds"] < MAX_SECONDS, f"{notebook} ran {solution['seconds']:.1f} s"


@graded
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_source_scores_full_marks(notebook: str, graded_labs: dict[str, GradedLab]) -> None:
    _, entry = _lab_result(graded_labs, notebook)
    grades = entry["solution"]["grades"]
    ids = _autograded_ids(notebook)
    missing = [g for g in ids if g not in grades]
    assert not missing, f"{notebook}: nbgrader did not grade {missing}"
    short = {g: (grades[g]["auto_score"], grades[g]["max_score"]) for g in ids
             if grades[g]["auto_score"] != grades[g]["max_score"]}
    assert not short, f"{notebook}: the solution loses marks on {short}:\n" + "\n".join(
        entry["solution"]["errors"])
    assert sum(grades[g]["max_score"] for g in ids) > 0


@graded
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_release_scores_zero(notebook: str, graded_labs: dict[str, GradedLab]) -> None:
    result, entry = _lab_result(graded_labs, notebook)
    if result.grader is not None:  # the course grader graded the release
        verdict = _grader_verdict(result, notebook)
        assert "release scores" not in verdict[1], f"{notebook}: {verdict[1]}"
        assert verdict[0] or "release" not in verdict[1], f"{notebook}: {verdict[1]}"
        return
    blank = entry["blank"]
    assert blank["graded"], f"{notebook}: the release was not autograded"
    earned = {g: grade["auto_score"] for g, grade in blank["grades"].items() if grade["auto_score"]}
    assert not earned, f"{notebook}: an untouched release earns points on {earned}"


def _grader_verdict(result: GradedLab, notebook: str) -> tuple[bool, str]:
    assert result.grader is not None
    name = notebook.split("/")[1]
    verdict = result.grader.get(name) or result.grader.get("*")
    assert verdict is not None, \
        f"python -m grader validate said nothing about {notebook}:\n{result.grader_output}"
    return verdict


@graded
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_course_grader_validates(notebook: str, graded_labs: dict[str, GradedLab]) -> None:
    """`python -m grader validate`: the check instructors run before a release."""
    result = graded_labs[notebook.split("/")[0]]
    if result.grader is None:
        pytest.skip("no course grader (grader/) in this checkout: nbgrader's verdicts stand alone")
    ok, message = _grader_verdict(result, notebook)
    assert ok, f"python -m grader validate: {notebook}: {message}"


def _secret_lines(source_nb: dict[str, Any]) -> tuple[set[str], str]:
    """Lines only the instructor may see (solution regions, model answers, hidden tests) and the
    rest of the source text, to skip secret lines that also appear in the open."""
    secret: set[str] = set()
    public: list[str] = []
    for cell in source_nb["cells"]:
        source, meta = _source(cell), _meta(cell)
        if meta.get("solution") and "BEGIN SOLUTION" not in source:
            secret.update(source.splitlines())  # a whole model answer, replaced by the stub
            continue
        for pattern in (SOLUTION_RE, HIDDEN_RE):
            for region in pattern.findall(source):
                secret.update(region.splitlines()[1:-1])
            source = pattern.sub("", source)
        public.append(source)
    return {line.strip() for line in secret if len(line.strip()) >= 12}, "\n".join(public)


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_release_reveals_no_solution_or_hidden_test(notebook: str) -> None:
    released = LABS / "release" / f"{notebook}.ipynb"
    assert released.exists(), f"{released} missing: run nbgrader generate_assignment"
    text = "\n".join(_source(c) for c in _load(released)["cells"])
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text, f"{released}: {marker} left in the release"
    secret, public = _secret_lines(_load(LABS / "source" / f"{notebook}.ipynb"))
    leaked = sorted(line for line in secret if line in text and line not in public)
    assert not leaked, f"{released} reveals: {leaked[:5]}"
    outputs = [c for c in _load(released)["cells"] if c.get("outputs")]  # (nbgrader clears them)
    assert not outputs, f"{released}: a release carries no outputs"


def _comparable(path: Path) -> list[tuple[str, str, dict[str, Any]]]:
    """Cells as a learner gets them, without the metadata noise an editor adds."""
    return [(c["cell_type"], _source(c), _meta(c)) for c in _load(path)["cells"]]


@graded
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_release_is_up_to_date(notebook: str, graded_labs: dict[str, GradedLab]) -> None:
    result, _ = _lab_result(graded_labs, notebook)
    lab, name = notebook.split("/")
    fresh, committed = result.course / "release" / lab, LABS / "release" / lab
    fresh_files = sorted(p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file())
    committed_files = sorted(p.relative_to(committed).as_posix() for p in committed.rglob("*")
                             if p.is_file() and ".ipynb_checkpoints" not in p.parts)
    hint = f"regenerate: cd labs && nbgrader generate_assignment {lab} --force"
    assert committed_files == fresh_files, f"{lab}: release files differ ({hint})"
    assert _comparable(committed / f"{name}.ipynb") == _comparable(fresh / f"{name}.ipynb"), \
        f"{notebook}: labs/release is stale ({hint})"
