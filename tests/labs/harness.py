"""Shared machinery for the lab tests: find every notebook, grade the labs, collect the verdicts.

Two graders look at every lab, in parallel:
* the course's own grader (`python -m grader validate`, /work/main/grader), when it exists: the
  verdict instructors rely on (solution full marks, release 0, release up to date);
* nbgrader itself (tests/labs/grade_lab.py, in throw-away course copies, so labs/ never gets a
  gradebook or submissions): it generates the release (compared with the committed labs/release/),
  autogrades the source notebooks (errors, run time, nbgrader's own score) and, when there is no
  course grader, the release too.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
LABS = ROOT / "labs"
GRADE_LAB = Path(__file__).with_name("grade_lab.py")
WORKERS = max(1, min(2, os.cpu_count() or 1))
HAVE_NBGRADER = importlib.util.find_spec("nbgrader") is not None
# LABS_NBGRADER_ONLY=1 grades with nbgrader alone (the release too), as in a checkout without grader/.
HAVE_GRADER = (ROOT / "grader" / "__main__.py").exists() and not os.environ.get("LABS_NBGRADER_ONLY")
VERDICT = re.compile(r"^(ok  |FAIL) ([\w.-]+)/([\w.*-]+): (.*)$")


def notebook_ids() -> list[str]:
    """'lab01_hashing/explore' for every notebook under labs/source/*/."""
    return sorted(
        f"{path.parent.name}/{path.stem}"
        for path in (LABS / "source").glob("*/*.ipynb")
        if ".ipynb_checkpoints" not in path.parts
    )


@dataclass
class GradedLab:
    lab: str
    course: Path  # the throw-away course copy (its release/ is freshly generated)
    report: dict[str, Any]  # what grade_lab.py wrote
    grader: dict[str, tuple[bool, str]] | None = None  # notebook -> (ok, message); None: no grader
    grader_output: str = ""
    students: tuple[str, ...] = field(default=("solution", "blank"))


def _env() -> dict[str, str]:
    # nbgrader may run `alembic` from PATH: put this Python's bin directory first.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return {**os.environ, "PATH": path, "PYTHONDONTWRITEBYTECODE": "1"}


def _prepare(lab: str, base: Path) -> None:
    course = base / lab
    (course / "source").mkdir(parents=True)
    shutil.copy2(LABS / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(LABS / "source" / lab, course / "source" / lab,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))


def _run_worker(labs: list[str], base: Path, solution_only: bool) -> str:
    flags = ["--solution-only"] if solution_only else []
    proc = subprocess.run([sys.executable, str(GRADE_LAB), *flags, str(base), *labs], cwd=base,
                          capture_output=True, text=True, timeout=1800, env=_env())
    return proc.stdout[-3000:] + proc.stderr[-3000:]


def run_grader(labs: list[str], jobs: int = WORKERS) -> tuple[dict[tuple[str, str], tuple[bool, str]], str]:
    """`python -m grader validate LAB...` on the real course: {(lab, notebook): (ok, message)}."""
    proc = subprocess.run([sys.executable, "-m", "grader", "validate", "--no-progress", "--jobs", str(jobs),
                           *labs], cwd=ROOT, capture_output=True, text=True, timeout=1800, env=_env())
    verdicts = {}
    for line in proc.stdout.splitlines():
        found = VERDICT.match(line)
        if found:
            verdicts[(found[2], found[3])] = (found[1] == "ok  ", found[4])
    return verdicts, (proc.stdout + proc.stderr)[-6000:]


def grade_labs(labs: list[str], base: Path, workers: int = WORKERS) -> dict[str, GradedLab]:
    """Grade `labs`: nbgrader in course copies under `base` (split over `workers` processes) and,
    at the same time, the course grader on labs/ itself."""
    for lab in labs:
        _prepare(lab, base)
    groups = [labs[i::workers] for i in range(workers) if labs[i::workers]]
    with ThreadPoolExecutor(len(groups) + 1) as pool:
        grader = pool.submit(run_grader, labs) if HAVE_GRADER else None
        runs = {tuple(group): pool.submit(_run_worker, group, base, HAVE_GRADER) for group in groups}
        outputs = {group: future.result() for group, future in runs.items()}
        verdicts, grader_output = grader.result() if grader else ({}, "")
    graded = {}
    for group, output in outputs.items():
        for lab in group:
            out = base / lab / "report.json"
            report: dict[str, Any] = (json.loads(out.read_text()) if out.exists() else
                                      {"lab": lab, "crash": output, "steps": {}, "notebooks": {}})
            mine = None
            if HAVE_GRADER:
                mine = {nb: verdict for (name, nb), verdict in verdicts.items() if name == lab}
            students = ("solution",) if HAVE_GRADER else ("solution", "blank")
            graded[lab] = GradedLab(lab, base / lab, report, mine, grader_output, students)
    return graded
