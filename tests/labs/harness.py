"""Shared machinery for the lab tests: find every notebook, grade and run the labs once, keep the verdicts.

Every lab is written once as text (labs/text/LAB/*.py) and built into a Chinese and an English notebook.
One session-wide run (prepare) looks at all of them at once, the way an instructor and a learner would:
* `python -m grader validate --json` in both languages: solution full marks, release 0, the committed
  release current, click-answered notebooks raising nowhere;
* `python -m grader release --lang L` in throw-away course copies: the release nbgrader makes today,
  compared with the committed labs/release/ (Chinese) and checked for leaks (both languages);
* every release notebook run top to bottom (*Run All*, tests/labs/run_notebooks.py) with its widgets'
  state kept, so the tests can read what an official sees: errors, tracebacks, English words.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
