"""`grader validate`: prove every notebook of a lab is gradable before learners ever see it.

For each source notebook: nbgrader can generate it; release/ holds what source/ generates now; the
solution, graded exactly as a submission would be, scores full autograded marks and raises nowhere;
the release as handed out scores 0 (a test that passes without an answer gives points for nothing) and
runs without timeouts; a notebook answered by clicking (no code to write) runs its release without a
single error, as an official's *Run All* must.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader import nbio
from grader.course import Course, Reference
from grader.errors import LabError
from grader.grading import GradeJob, GradeResult
from grader.languages import DEFAULT_LANG
from grader.pool import run_jobs
from grader.progress import Progress
from grader.results import number
from grader.sandbox import Policy, choose

SOLUTION, RELEASE = "(solution)", "(release)"


@dataclass(frozen=True)
class Check:
    """The verdict on one notebook (or on a lab that could not be processed at all)."""

    lab: str
    notebook: str
    ok: bool
    message: str
    lang: str = ""       # the notebook's language, when the course has more than one
    seconds: float = 0.0  # how long the solution took to grade

    @property
    def suffix(self) -> str:
        """How the verdict line names the language: "lab01/explore [en]" (the default says nothing)."""
        return f" [{self.lang}]" if self.lang and self.lang != DEFAULT_LANG else ""


def _auto(result: GradeResult) -> tuple[float, float]:
    cells = [c for c in result.cells if c.kind == "auto"]
    return sum(c.score or 0.0 for c in cells), sum(c.max_score for c in cells)


def _clicked(ref: Reference) -> bool:
    """A notebook answered by clicking: nothing for the learner to write (no answer cells)."""
    return not any(cell.is_answer for cell in ref.cells)


def _unjudged(course: Course, ref: Reference) -> list[str]:
    """In a lab with judges, a notebook the learner writes code in scores only through them: a test
    worth points that the learner's own kernel would decide is a hole (an input hook passes it)."""
    from grader.judging import load_judges_file

    path = course.judges_file(ref.lab)
    if path is None or _clicked(ref):
        return []
    judged = set(load_judges_file(Path(path)))
    open_tests = [c.grade_id for c in ref.cells if c.is_test and c.points > 0 and c.grade_id not in judged]
    problems = []
    if open_tests:
        problems.append(f"tests worth points without a judge in {Path(path).name} (the learner's kernel "
                        f"would decide them): {', '.join(open_tests)}")
    return problems


def _problems(result: GradeResult, *, want_full: bool, clean_release: bool = False) -> list[str]:
    kind = "solution" if want_full else "release"
    problems = []
    if result.status != "ok":
        problems.append(f"the {kind} is {result.status}: {result.detail}")
    if want_full and result.errors:
        problems.append(f"the solution raises: {'; '.join(result.errors[:3])}")
    if clean_release and result.errors:
        problems.append(f"Run All on the release raises (nothing to write, so nothing may fail): "
                        f"{'; '.join(result.errors[:3])}")
    got, top = _auto(result)
    if want_full and got < top:
        failing = [c.grade_id for c in result.cells if c.kind == "auto" and (c.score or 0.0) < c.max_score]
        problems.append(f"the solution scores {number(got)}/{number(top)}: failing {', '.join(failing)}")
    if not want_full and got > 0:
        passing = [c.grade_id for c in result.cells if c.kind == "auto" and (c.score or 0.0) > 0]
        problems.append(f"the release scores {number(got)}/{number(top)} without answers: "
                        f"{', '.join(passing)} give points for nothing")
    return problems


def _job(ref: Reference, course: Course, who: str, timeout: int, policy: Policy) -> GradeJob:
    nb = ref.solution if who == SOLUTION else ref.release
    return GradeJob(who, ref.lab, ref.name, nbio.writes(nb).encode("utf-8"), ref, None,
                    str(course.source_dir / ref.lab), timeout=timeout, config=course.config, policy=policy,
                    judges=course.judges_file(ref.lab))


def validate(course: Course, labs: list[str], *, jobs: int, timeout: int = 60, memory_mb: int = 2048,
             progress: bool | None = None, policy: Policy | None = None) -> list[Check]:
    """One Check per notebook of each lab (or per lab nbgrader cannot process); notebooks run under
    policy (default: the sandbox), exactly as a learner's would."""
    policy = policy or choose(unsafe=False, memory_mb=memory_mb)
    checks: list[Check] = []
    refs: list[Reference] = []
    for lab in labs:
        try:
            refs.extend(course.references(lab))
        except LabError as exc:
            checks.append(Check(lab, "*", False, str(exc), course.lang))
    work = [_job(ref, course, who, timeout, policy) for ref in refs for who in (SOLUTION, RELEASE)]
    bar = Progress(len(work), "validating", enabled=progress)
    try:
        results = run_jobs(work, workers=jobs, memory_mb=memory_mb, on_result=lambda r: bar.advance(r.status))
    finally:
        bar.close()
    by_key = {(r.lab, r.name, r.student): r for r in results}
    for ref in refs:
        solution, release = by_key[(ref.lab, ref.name, SOLUTION)], by_key[(ref.lab, ref.name, RELEASE)]
        problems = (_problems(solution, want_full=True)
                    + _problems(release, want_full=False, clean_release=_clicked(ref))
                    + _unjudged(course, ref))
        stale = course.stale_release(ref)
        if stale:
            problems.append(stale)
        got, top = _auto(solution)
        if problems:
            checks.append(Check(ref.lab, ref.name, False, "; ".join(problems), course.lang, solution.seconds))
            continue
        manual = ref.max_score - ref.auto_max_score
        extra = f" (+{number(manual)} points graded by hand)" if manual else ""
        tests = (f"solution {number(got)}/{number(top)}, release 0/{number(top)}" if top
                 else "no autograded tests")
        checks.append(Check(ref.lab, ref.name, True, tests + extra, course.lang, solution.seconds))
    return sorted(checks, key=lambda c: (c.lab, c.notebook))
