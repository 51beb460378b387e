"""`grader autograde` and `grader feedback`: grade a class's submissions of one lab, every row honest.

Each learner x notebook of the lab becomes a row: `missing` when not handed in, otherwise a job for the
worker pool (pool.py), which grades it in its own sandboxed kernel and private folder. The learners are
those with a folder in the submissions and those on the roster (roster.py: only their track's notebook
is expected of them). The submitted files are read here, once, before any learner code runs; marks
entered by hand (marks.py) are then folded in, and results.py merges the rows into the class's CSV.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from grader.course import Course, submitted_language
from grader.grading import GradeJob, GradeResult, error_result, missing_result
from grader.marks import course_marks
from grader.pool import run_jobs
from grader.progress import Progress
from grader.roster import Entry
from grader.sandbox import Policy, choose
from grader.submissions import Learner, open_submissions, read_notebook_bytes


def with_roster(learners: list[Learner], roster: list[Entry] | None) -> list[tuple[Learner, Entry | None]]:
    """The class: everyone who handed something in, and everyone on the roster who did not."""
    if roster is None:
        return [(learner, None) for learner in learners]
    entries = {entry.student: entry for entry in roster}
    found = {learner.student for learner in learners}
    known = [(learner if learner.student in entries else
              dataclasses.replace(learner, note="; ".join(filter(None, [learner.note, "not on the roster"]))),
              entries.get(learner.student)) for learner in learners]
    return known + [(Learner(entry.student, None), entry) for entry in roster if entry.student not in found]


def plan(course: Course, lab: str, learners: list[Learner], *, timeout: int, policy: Policy,
         feedback: bool = False, roster: list[Entry] | None = None,
         ) -> tuple[list[GradeResult], list[GradeJob]]:
    """Rows known without running anything (missing, unreadable files), and the jobs to run."""
    refs = course.references(lab)
    given = course_marks(course.root, lab)
    names = {ref.name for ref in refs}
    ignore = tuple(course.config.CourseDirectory.get("ignore", (".ipynb_checkpoints", "*.pyc", "__pycache__",
                                                                  "feedback")))
    known: list[GradeResult] = []
    jobs: list[GradeJob] = []
    for learner, entry in with_roster(learners, roster):
        for ref in refs:
            handed_in = learner.folder is not None and (learner.folder / f"{ref.name}.ipynb").is_file()
            if entry is not None and not entry.expects(ref.name) and not handed_in:
                continue   # the other track's notebook: not expected of this learner
            if learner.folder is None:
                known.append(missing_result(learner.student, ref, f"no {lab}/ folder"))
                continue
            path = learner.folder / f"{ref.name}.ipynb"
            if not path.is_file() or path.is_symlink():
                others = sorted(p.name for p in learner.folder.glob("*.ipynb") if p.stem not in names)
                found = f" (found: {', '.join(others)})" if others else ""
                known.append(missing_result(learner.student, ref, f"no {ref.name}.ipynb{found}"))
                continue
            job = GradeJob(learner.student, lab, ref.name, b"", ref, str(learner.folder),
                           str(course.source_dir / lab), timeout=timeout, config=course.config,
                           ignore=ignore, feedback=feedback, policy=policy, judges=course.judges_file(lab),
                           marks={cell: mark for (who, name, cell), mark in given.items()
                                  if (who, name) == (learner.student, ref.name)})
            try:
                job = dataclasses.replace(job, notebook=read_notebook_bytes(path))
            except OSError as exc:
                known.append(error_result(job, f"cannot read {path.name}: {exc.strerror or exc}"))
                continue
            jobs.append(_in_its_language(job, course))
    return known, jobs


def _in_its_language(job: GradeJob, course: Course) -> GradeJob:
    """Grade a notebook against the source in the language it says it is in (zh-CN and en variants of
    a lab share their grade ids and points); one that does not say is in the course's language."""
    lang = submitted_language(job.notebook)
    if lang is None or lang == course.lang or lang not in course.languages():
        return job
    other = course.in_language(lang)
    ref = next((r for r in other.references(job.lab) if r.name == job.name), None)
    if ref is None:
        return job
    return dataclasses.replace(job, reference=ref, source_dir=str(other.source_dir / job.lab),
                               config=other.config, judges=other.judges_file(job.lab))


def grade_submissions(course: Course, lab: str, submissions: Path | str, *, jobs: int, timeout: int = 60,
                      memory_mb: int = 2048, feedback: bool = False, progress: bool | None = None,
                      policy: Policy | None = None, roster: list[Entry] | None = None,
                      on_result: Callable[[GradeResult], None] = lambda r: None) -> list[GradeResult]:
    """Every row of the class for one lab (missing ones included), in student, notebook order. Learner
    code runs under policy (default: the sandbox, SandboxUnavailable where there is none)."""
    course.check_lab(lab)
    policy = policy or choose(unsafe=False, memory_mb=memory_mb)
    with open_submissions(submissions, lab) as found:
        learners = [learner for learner, _ in with_roster(found, roster)]
        known, work = plan(course, lab, found, timeout=timeout, policy=policy, feedback=feedback,
                           roster=roster)
        notes = {learner.student: learner.note for learner in learners if learner.note}
        bar = Progress(len(known) + len(work), f"grading {lab}", enabled=progress)
        for result in known:
            bar.advance(result.status)

        def done(result: GradeResult) -> None:
            bar.advance(result.status)
            on_result(result)

        try:
            results = known + run_jobs(work, workers=jobs, memory_mb=memory_mb, on_result=done)
        finally:
            bar.close()
    results = [dataclasses.replace(r, detail="; ".join(filter(None, [r.detail, notes[r.student]])))
               if r.student in notes else r for r in results]
    return sorted(results, key=lambda r: (r.student, r.name))


def write_feedback(results: list[GradeResult], out: Path) -> int:
    """Write <out>/<student>/<lab>/<notebook>.html for every graded notebook; return how many."""
    written = 0
    for result in results:
        if result.feedback_html is None:
            continue
        target = out / result.student / result.lab / f"{result.name}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(result.feedback_html, encoding="utf-8")
        written += 1
    return written
