"""Benchmark: `python -m grader autograde --jobs 2` against plain sequential `nbgrader autograde`, same run.

Makes a class of 30 learners who all hand in one lab (grader.sample's quiz by default, or the solution of
a real lab with --course labs --lab LAB), then times both tools end to end as an instructor runs them,
CLI start included, and prints each one's seconds per notebook and the ratio against the goal (>= 1.7x).
The grader runs every notebook in its bwrap sandbox, as it always does; plain nbgrader has none.

    python bench/grader_bench.py [--students 30] [--jobs 2] [--course labs --lab lab01_...]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import grader
from grader import nbio, sample
from grader.course import Course

GOAL = 1.7


def make_class(course: Course, lab: str, students: int, submitted: Path) -> int:
    """students copies of each notebook's solution (the sample: its release answered); notebooks each."""
    refs = course.references(lab)
    for number in range(students):
        folder = submitted / f"learner{number:02d}" / lab
        folder.mkdir(parents=True)
        for ref in refs:
            is_sample = lab == sample.LAB and ref.name == sample.NOTEBOOK
            nb = sample.answered(course.root) if is_sample else ref.solution
            nbio.write(nb, folder / f"{ref.name}.ipynb")
    return len(refs)


def timed(command: list[str], cwd: Path) -> tuple[float, str]:
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    env = dict(os.environ, PATH=path)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return seconds, done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--course", help="a course root (default: grader.sample's, built in a temp folder)")
    parser.add_argument("--lab", help="the lab to grade (default: the course's first)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="grader-bench-") as tmp:
        base = Path(tmp)
        root = (Path(args.course).resolve() if args.course
                else sample.make_course(base / "sample", release=False))
        # nbgrader's autograde writes into its course (gradebook, autograded/): give it a copy
        plain = base / "nbgrader-course"
        plain.mkdir()
        for name in ("nbgrader_config.py", "source"):
            if (root / name).is_dir():
                shutil.copytree(root / name, plain / name)
            elif (root / name).exists():
                shutil.copy(root / name, plain / name)
        course = Course(plain)
        lab = args.lab or course.labs()[0]
        course.release(lab)
        per_learner = make_class(course, lab, args.students, plain / "submitted")
        notebooks = args.students * per_learner
        print(f"{notebooks} notebooks: {args.students} learners x {per_learner} of {lab} "
              f"(grader {grader.__version__}, {os.cpu_count()} cores)")

        out = base / "grades.csv"
        ours, said = timed([sys.executable, "-m", "grader", "autograde", str(plain / "submitted"),
                            "--course", str(plain), "--assignment", lab, "--jobs", str(args.jobs),
                            "--csv", str(out), "--no-progress"], plain)
        with open(out, newline="") as handle:
            statuses = [row["status"] for row in csv.DictReader(handle)]
        theirs, _ = timed([str(Path(sys.executable).parent / "nbgrader"), "autograde", lab, "--force"], plain)
    sandboxed = next((line for line in said.splitlines() if "sandbox" in line), "no sandbox reported")

    print(f"  nbgrader autograde (sequential): {theirs:7.1f} s  {theirs / notebooks:5.2f} s/notebook")
    print(f"  grader autograde --jobs {args.jobs}:       {ours:7.1f} s  {ours / notebooks:5.2f} s/notebook"
          f"  ({statuses.count('ok')}/{len(statuses)} ok)")
    print(f"  {sandboxed}")
    ratio = theirs / ours
    print(f"  speed-up {ratio:.2f}x (goal >= {GOAL}x): {'PASS' if ratio >= GOAL else 'MISS'}")
    honest = statuses.count("ok") == len(statuses) and "ran in the bwrap sandbox" in sandboxed
    return 0 if ratio >= GOAL and honest else 1


if __name__ == "__main__":
    raise SystemExit(main())
