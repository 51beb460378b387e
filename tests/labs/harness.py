"""Shared machinery for the lab tests: find every notebook, grade and run the labs once, keep the verdicts.

Every lab is written once as text (labs/text/LAB/*.py) and built into a Chinese and an English notebook.
One session-wide run (prepare) looks at all of them at once, the way an instructor and a learner would:
* `python -m grader validate --json` in both languages: solution full marks, release 0, the committed
  release current, click-answered notebooks raising nowhere;
* `python -m grader release --lang L` in throw-away course copies: the release nbgrader makes today,
  compared with the committed labs/release/ (Chinese) and checked for leaks (both languages);
* every release notebook run top to bottom (*Run All*, tests/labs/run_notebooks.py) with its widgets'
  state kept, so the tests can read what an official sees: errors, tracebacks, English words.

The judge tests of labs 2-8 share the rest: a learner's build notebook made from the release (or the
instructor's notebook) with one solution changed, handed in, graded by the course's own grader, and
read back from the CSVs it writes (judged).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat

if TYPE_CHECKING:   # grader.results imports nbgrader: loaded when a class is graded, not on import
    from grader.results import CellRow, Row

ROOT = Path(__file__).resolve().parents[2]
LABS = ROOT / "labs"
TEXT = LABS / "text"
RUN_NOTEBOOKS = Path(__file__).with_name("run_notebooks.py")
LANGS = ("zh-CN", "en")
SOURCES = {"zh-CN": "source", "en": "source_en"}
WORKERS = max(1, min(2, os.cpu_count() or 1))


def notebook_ids() -> list[str]:
    """'lab01_hashing/explore' for every text source under labs/text/*/."""
    return sorted(f"{path.parent.name}/{path.stem}" for path in TEXT.glob("*/*.py")
                  if not path.parent.name.startswith(("_", ".")))


def lab_names() -> list[str]:
    return sorted({notebook.split("/")[0] for notebook in notebook_ids()})


def source_path(lang: str, notebook: str) -> Path:
    return LABS / SOURCES[lang] / f"{notebook}.ipynb"


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def env() -> dict[str, str]:
    # nbgrader may run `alembic` from PATH: put this Python's bin directory first.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return {**os.environ, "PATH": path, "PYTHONDONTWRITEBYTECODE": "1"}


def run(args: list[str], cwd: Path, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env())


@dataclass
class Prepared:
    """What one session-wide run found."""

    checks: dict[tuple[str, str, str], dict[str, Any]]   # (lang, lab, notebook) -> validate's verdict
    validate_output: str
    releases: dict[str, Path]                            # lang -> freshly generated release/ folder
    release_output: dict[str, str]
    runs: dict[tuple[str, str], dict[str, Any]]          # (lang, "lab/notebook") -> Run All report
    run_output: dict[str, str]


def _course_copy(base: Path, lang: str, labs: list[str]) -> Path:
    course = base / lang
    course.mkdir(parents=True)
    shutil.copy2(LABS / "nbgrader_config.py", course / "nbgrader_config.py")
    for lab in labs:
        shutil.copytree(LABS / SOURCES[lang] / lab, course / SOURCES[lang] / lab,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return course


def _release(course: Path, lang: str, labs: list[str]) -> str:
    proc = run([sys.executable, "-m", "grader", "release", "--course", str(course), "--lang", lang, *labs],
               cwd=course)
    return proc.stdout[-3000:] + proc.stderr[-3000:]


def _validate(labs: list[str], out: Path) -> str:
    proc = run([sys.executable, "-m", "grader", "validate", "--no-progress", "--jobs", str(WORKERS),
                "--json", str(out), *labs], cwd=ROOT)
    return (proc.stdout + proc.stderr)[-8000:]


def _run_notebooks(paths: list[Path], out: Path) -> str:
    proc = run([sys.executable, str(RUN_NOTEBOOKS), str(out), *map(str, paths)], cwd=ROOT)
    return (proc.stdout + proc.stderr)[-4000:]


def prepare(base: Path, labs: list[str]) -> Prepared:
    """Validate, release and run every notebook of `labs`, two things at a time."""
    with ThreadPoolExecutor(3) as pool:
        validated = pool.submit(_validate, labs, base / "validate.json")
        courses = {lang: _course_copy(base, lang, labs) for lang in LANGS}
        released: dict[str, Future[str]] = {lang: pool.submit(_release, courses[lang], lang, labs)
                                            for lang in LANGS}
        release_output = {lang: future.result() for lang, future in released.items()}
        runs: dict[str, Future[str]] = {}
        for lang in LANGS:
            paths = sorted((courses[lang] / "release").glob("*/*.ipynb"))
            runs[lang] = pool.submit(_run_notebooks, paths, base / f"runs-{lang}.json")
        run_output = {lang: future.result() for lang, future in runs.items()}
        validate_output = validated.result()
    checks = {}
    if (base / "validate.json").exists():
        for check in json.loads((base / "validate.json").read_text(encoding="utf-8")):
            checks[(check["lang"], check["lab"], check["notebook"])] = check
    results: dict[tuple[str, str], dict[str, Any]] = {}
    for lang in LANGS:
        report = base / f"runs-{lang}.json"
        for path, entry in (load(report).items() if report.exists() else []):
            notebook = f"{Path(path).parent.name}/{Path(path).stem}"
            results[(lang, notebook)] = entry
    return Prepared(checks, validate_output, {lang: courses[lang] / "release" for lang in LANGS},
                    release_output, results, run_output)


# --- judged classes: a build notebook with one rule broken, graded by the course's grader ----------

MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\n", re.M)


def by_grade_id(nb: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    return {cell.metadata["nbgrader"]["grade_id"]: cell for cell in nb.cells
            if "grade_id" in cell.metadata.get("nbgrader", {})}


def model_solutions(lab: str) -> dict[str, str]:
    """The model solution of every exercise of `lab`'s build notebook, as a learner would type it
    (the instructor's notebook, solution markers removed)."""
    nb = nbformat.read(LABS / "source" / lab / "build.ipynb", as_version=4)
    return {grade_id: MARKER.sub("", cell.source) for grade_id, cell in by_grade_id(nb).items()
            if cell.metadata["nbgrader"].get("solution") and cell.cell_type == "code"}


def release(lab: str) -> nbformat.NotebookNode:
    """The Chinese build notebook as handed out (the committed labs/release)."""
    return nbformat.read(LABS / "release" / lab / "build.ipynb", as_version=4)


def filled_release(lab: str, changed: Mapping[str, str]) -> nbformat.NotebookNode:
    """The Chinese release with every exercise filled in: the model solution, or changed[grade_id]."""
    model = model_solutions(lab)
    nb = release(lab)
    for grade_id, cell in by_grade_id(nb).items():
        if grade_id in model:
            cell.source = changed[grade_id].strip() if grade_id in changed else model[grade_id]
    return nb


def source_with(lab: str, grade_id: str, code: str) -> nbformat.NotebookNode:
    """The instructor's build notebook with one solution cell rewritten."""
    nb = nbformat.read(LABS / "source" / lab / "build.ipynb", as_version=4)
    by_grade_id(nb)[grade_id].source = code.strip()
    return nb


def hand_in(submissions: Path, student: str, lab: str, nb: nbformat.NotebookNode) -> None:
    """submissions/<student>/<lab>/build.ipynb, as collected from a class."""
    folder = submissions / student / lab
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / "build.ipynb")


@dataclass(frozen=True)
class Judged:
    """A graded class as its CSVs say: the build notebook's row and cell rows of each learner."""

    rows: dict[str, Row]                     # student -> the build notebook's row
    cells: dict[str, dict[str, CellRow]]     # student -> grade id -> its cell row (message included)
    output: str = ""                         # what `python -m grader autograde` printed

    def points(self, student: str) -> float:
        return sum(cell.score or 0.0 for cell in self.cells[student].values())


def autograde(submissions: Path, lab: str, out: Path, *, cli: bool = True) -> Judged:
    """Grade the class into out (and its cells CSV) by `python -m grader autograde` in a process of its
    own (cli), or by the same grade_submissions in this one, and read both CSVs back."""
    from grader.results import read_cells, read_results

    output = ""
    if cli:
        proc = run([sys.executable, "-m", "grader", "autograde", str(submissions), "--assignment", lab,
                    "--csv", str(out), "--jobs", "2", "--no-progress"], cwd=ROOT, timeout=600)
        output = proc.stdout[-2000:] + proc.stderr[-2000:]
        if proc.returncode != 0:
            raise AssertionError(f"grader autograde exited {proc.returncode}: {output}")
    else:
        from grader.autograde import grade_submissions
        from grader.course import Course
        from grader.results import write_results

        write_results(grade_submissions(Course(ROOT / "labs"), lab, submissions, jobs=2, timeout=60,
                                        progress=False), out)
    rows = {row.student: row for row in read_results(out) if row.notebook == "build"}
    cells: dict[str, dict[str, CellRow]] = {}
    for cell in read_cells(out):   # the cells CSV beside out
        if cell.notebook == "build":
            cells.setdefault(cell.student, {})[cell.cell] = cell
    return Judged(rows, cells, output)


def assert_only_hidden_lost(graded: Judged, student: str, hidden: str, words: Sequence[str]) -> None:
    """`student` broke one rule: its hidden test scores 0 with the judge's words, every other
    judged cell full marks."""
    row = graded.cells[student][hidden]
    assert row.score == 0 < row.max_score, row
    assert all(word in row.message for word in words), row.message
    for cell, other in graded.cells[student].items():
        if cell != hidden and other.max_score > 0:
            assert other.score == other.max_score, (cell, other.message)


def assert_blank_scores_nothing(graded: Judged) -> None:
    """The blank release: every judged cell 0 points, each with a message."""
    rows = [row for row in graded.cells["blank"].values() if row.max_score > 0]
    assert rows and all(row.score == 0 and row.message for row in rows), rows
