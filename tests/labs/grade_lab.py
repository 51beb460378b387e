"""Grade one lab through nbgrader, the way an instructor would, in a throw-away course copy.

    python tests/labs/grade_lab.py [--solution-only] BASE LAB [LAB ...]

BASE/LAB is a course copy holding nbgrader_config.py and source/LAB (made by the caller). For each
lab this script runs
`generate_assignment`, then autogrades two submissions: the source notebooks as student
"solution" (must score full marks) and the freshly generated release as student "blank" (must
score 0). It writes what the tests need to BASE/LAB/report.json: every grade per notebook and
student, the error outputs of each autograded notebook, and how long each notebook's cells ran.
A separate process, so that labs grade on both cores and the test process never pays nbgrader's
import (one import per worker, not per lab).
"""

from __future__ import annotations

import json
import shutil
import sys
import time
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any

SOLUTION, BLANK = "solution", "blank"


def _run_seconds(nb: Any) -> float:
    """Wall time from the first cell's start to the last cell's reply (nbclient's timings)."""
    starts, ends = [], []
    for cell in nb.cells:
        timing = cell.get("metadata", {}).get("execution", {})
        if "iopub.status.busy" in timing:
            starts.append(datetime.fromisoformat(timing["iopub.status.busy"].replace("Z", "+00:00")))
        if "shell.execute_reply" in timing:
            ends.append(datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00")))
    return (max(ends) - min(starts)).total_seconds() if starts and ends else -1.0


def _errors(nb: Any) -> list[str]:
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
                found.append(f"cell {index} {grade_id}: {output.get('ename')}: {output.get('evalue')}")
    return found


def _alembic_head_in_process() -> None:
    """A new gradebook asks `alembic heads` for the schema version in a subprocess: 2-20 s on a
    busy 2-core machine, more than the rest of grading. Read the same value in-process."""
    import nbgrader.api
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    head = ScriptDirectory(ALEMBIC_DIR).get_current_head()
    if head:
        nbgrader.api.get_alembic_version = lambda: head  # type: ignore[attr-defined]


def grade(course: Path, lab: str, out: Path, students: tuple[str, ...]) -> None:
    import nbformat
    from nbgrader.api import Gradebook
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    report: dict[str, Any] = {"lab": lab, "steps": {}, "notebooks": {}}

    def step(name: str, result: dict[str, Any], started: float) -> bool:
        report["steps"][name] = {"success": bool(result.get("success")),
                                 "seconds": time.monotonic() - started,
                                 "error": result.get("error", ""), "log": result.get("log", "")[-4000:]}
        return bool(result.get("success"))

    started = time.monotonic()
    if not step("generate_assignment", api.generate_assignment(lab, force=True, create=True), started):
        out.write_text(json.dumps(report, indent=1))
        return
    origins = {SOLUTION: course / "source" / lab, BLANK: course / "release" / lab}
    for student in students:
        origin = origins[student]
        shutil.copytree(origin, course / "submitted" / student / lab)
        started = time.monotonic()
        step(f"autograde {student}", api.autograde(lab, student, force=True, create=True), started)

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for notebook in sorted((course / "source" / lab).glob("*.ipynb")):
            name = notebook.stem
            entry: dict[str, Any] = {}
            for student in students:
                graded = course / "autograded" / student / lab / notebook.name
                result: dict[str, Any] = {"grades": {}, "errors": [], "seconds": -1.0, "graded": False}
                if graded.exists():
                    nb = nbformat.read(graded, as_version=4)
                    result.update(errors=_errors(nb), seconds=_run_seconds(nb), graded=True)
                    submission = gradebook.find_submission_notebook(name, lab, student)
                    for grade in submission.grades:
                        result["grades"][grade.name] = {
                            "auto_score": grade.auto_score, "max_score": grade.max_score,
                            "cell_type": grade.cell.cell_type,
                        }
                entry[student] = result
            report["notebooks"][name] = entry
    out.write_text(json.dumps(report, indent=1))


def main(base: Path, labs: list[str], students: tuple[str, ...]) -> int:
    _alembic_head_in_process()
    failed = 0
    for lab in labs:
        course, out = base / lab, base / lab / "report.json"
        try:
            grade(course, lab, out, students)
        except Exception:  # one broken lab must not hide the others' results
            failed += 1
            out.write_text(json.dumps({"lab": lab, "crash": traceback.format_exc(), "steps": {},
                                       "notebooks": {}}))
    return 1 if failed else 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    solution_only = "--solution-only" in arguments
    arguments = [a for a in arguments if a != "--solution-only"]
    sys.exit(main(Path(arguments[0]), arguments[1:], (SOLUTION,) if solution_only else (SOLUTION, BLANK)))
