"""`python -m grader` (console script `minichain-grader`): thin argument parsing over the grader's library.

Commands: release, validate, autograde, feedback, mark, report; each takes --course (default labs/). Errors an
instructor can cause print one line `grader: error: ...` and exit non-zero, never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from grader import STATUSES
from grader.errors import GraderError, ValidationFailed
from grader.languages import DEFAULT_LANG, LANGS

if TYPE_CHECKING:
    from grader.course import Course
    from grader.sandbox import Policy


def _default_course() -> str:
    """labs/ in the current folder, else the labs/ beside this package (the repository's)."""
    here = Path("labs")
    if here.is_dir():
        return str(here)
    return str(Path(__file__).resolve().parent.parent / "labs")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    from grader.pool import default_jobs

    parser = argparse.ArgumentParser(prog="python -m grader", description=(
        "The instructors' grading toolchain over nbgrader for the minichain labs."))
    parser.add_argument("--debug", action="store_true", help="show tracebacks of unexpected failures")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument("--course", default=_default_course(), metavar="DIR",
                         help="nbgrader course root (default: labs/)")
        return sub

    def running(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--jobs", type=_positive, default=default_jobs(), metavar="N",
                         help=f"notebooks graded at once (default: cores, {default_jobs()})")
        sub.add_argument("--timeout", type=_positive, metavar="S",
                         help="seconds per cell (default: the course's Execute.timeout, else 30)")
        sub.add_argument("--memory", type=_positive, default=2048, metavar="MB",
                         help="memory limit of each notebook's kernel (default 2048)")
        sub.add_argument("--no-progress", dest="progress", action="store_false", default=None,
                         help="no progress bar")
        sub.add_argument("--unsafe-no-sandbox", action="store_true",
                         help="run learner code WITHOUT the bwrap sandbox, with the grader's rights "
                              "(only where bubblewrap cannot run; every CSV row says so)")

    def language(sub: argparse.ArgumentParser, text: str) -> None:
        sub.add_argument("--lang", choices=LANGS, metavar="|".join(LANGS), help=text)

    sub = command("release", "nbgrader generate_assignment: write release/LAB for learners")
    sub.add_argument("labs", nargs="*", metavar="LAB", help="labs to release (default: all)")
    language(sub, f"the learners' language (default {DEFAULT_LANG}, a Chinese class)")
    sub = command("validate", "prove each source notebook gradable: solution full marks, release 0")
    sub.add_argument("labs", nargs="*", metavar="LAB", help="labs to check (default: all)")
    language(sub, "check one language only (default: every language the course has)")
    sub.add_argument("--json", metavar="FILE", help="also write every verdict as JSON (for CI and tests)")
    running(sub)
    for name, text in (("autograde", "grade a class's submissions of one lab into a CSV"),
                       ("feedback", "grade a class's submissions and write feedback HTML per notebook")):
        sub = command(name, text)
        sub.add_argument("submissions", metavar="SUBMISSIONS",
                         help="folder <student>/<LAB>/*.ipynb, a .zip of it, or an nbgrader exchange inbound")
        sub.add_argument("--assignment", required=True, metavar="LAB", help="the lab to grade")
        if name == "autograde":
            sub.add_argument("--csv", required=True, metavar="OUT.csv",
                             help="results, one row per notebook, merged into an existing CSV")
        else:
            sub.add_argument("--out", required=True, metavar="DIR",
                             help="writes DIR/<student>/<LAB>/<nb>.html")
            sub.add_argument("--csv", metavar="OUT.csv", help="also write (merge) the results CSV")
        sub.add_argument("--replace", action="store_true",
                         help="replace the CSV with this run's rows instead of merging them in")
        sub.add_argument("--roster", metavar="FILE", help="CSV of the class (columns student or id, optional "
                         "track): absent learners get missing rows (default: COURSE/roster.csv if present)")
        language(sub, f"the language of notebooks that do not say (default {DEFAULT_LANG}); "
                      "each notebook is graded against the source in its own language")
        running(sub)
    sub = command("mark", "mark written answers by hand: list them, read each, give a mark and a comment")
    sub.add_argument("submissions", metavar="SUBMISSIONS", help="the same submissions as for autograde")
    sub.add_argument("--assignment", required=True, metavar="LAB", help="the lab whose answers to mark")
    sub.add_argument("--student", metavar="ID", help="only this learner's answers")
    sub.add_argument("--notebook", metavar="NB", help="only this notebook's (explore, build, ...)")
    sub.add_argument("--cell", metavar="GRADE_ID", help="only this answer cell's")
    sub.add_argument("--list", action="store_true", help="list the answers and their marks; change nothing")
    sub.add_argument("--again", action="store_true", help="also go through answers already marked")
    sub.add_argument("--score", type=float, metavar="N",
                     help="give this mark to the one answer selected (with --student, --cell), no questions")
    sub.add_argument("--comment", default="", metavar="TEXT", help="the comment that goes with --score")
    sub.add_argument("--marker", default=_whoami(), metavar="NAME", help="who marks (default: your login)")
    sub.add_argument("--csv", metavar="OUT.csv", help="also fold the marks into this results CSV now")
    sub = command("report", "class summary of a results CSV: statuses, score distribution, pass rates")
    sub.add_argument("csv", metavar="OUT.csv")
    sub.add_argument("--html", metavar="FILE", help="also write the summary as an HTML page")
    return parser


def _tally(statuses: Sequence[str]) -> str:
    counts = Counter(statuses)
    return ", ".join(f"{s} {counts[s]}" for s in STATUSES if counts[s]) or "nothing"


def _timeout(args: argparse.Namespace, course: Course) -> int:
    """--timeout, else the course's own nbgrader setting, else nbgrader's default of 30 s."""
    if args.timeout:
        return int(args.timeout)
    for section in ("Execute", "ExecutePreprocessor"):
        value = course.config[section].get("timeout") if section in course.config else None
        if isinstance(value, int) and value > 0:
            return value
    return 30


def _policy(args: argparse.Namespace) -> Policy:
    """The sandbox learner code runs in, proven on this machine before anything is graded."""
    from grader.sandbox import choose

    return choose(unsafe=args.unsafe_no_sandbox, memory_mb=args.memory)


def _sandbox_line(policy: Policy) -> str:
    return ("WARNING: " if not policy.sandboxed else "learner code ran in the ") + policy.describe()


def _release(args: argparse.Namespace) -> int:
    from grader.course import Course

    course = Course(args.course, args.lang)
    said = f" ({course.lang})" if len(course.languages()) > 1 else ""
    for lab in args.labs or course.labs():
        folder = course.release(lab)
        print(f"released {lab}{said}: {len(list(folder.glob('*.ipynb')))} notebooks in {folder}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from grader.course import Course
    from grader.validate import validate

    course = Course(args.course, args.lang)
    labs = args.labs or course.labs()
    courses = [course] if args.lang else [course.in_language(lang) for lang in course.languages()]
    policy = _policy(args)
    checks = []
    for each in courses:
        for lab in labs:
            each.check_lab(lab)
        checks += validate(each, labs, jobs=args.jobs, timeout=_timeout(args, each), memory_mb=args.memory,
                           progress=args.progress, policy=policy)
    print(_sandbox_line(policy))
    for check in checks:
        print(f"{'ok  ' if check.ok else 'FAIL'} {check.lab}/{check.notebook}{check.suffix}: {check.message}")
    if args.json:
        Path(args.json).write_text(json.dumps([dataclasses.asdict(c) for c in checks], ensure_ascii=False,
                                              indent=1), encoding="utf-8")
    failed = [c for c in checks if not c.ok]
    if failed:
        raise ValidationFailed(f"{len(failed)} of {len(checks)} notebooks are not gradable as they stand")
    languages = ", ".join(each.lang for each in courses)
    print(f"validated {len(labs)} labs in {languages}, {len(checks)} notebooks: all gradable")
    return 0


def _grade(args: argparse.Namespace) -> int:
    from grader.autograde import grade_submissions, write_feedback
    from grader.course import Course
    from grader.results import read_results, write_results
    from grader.roster import default_roster, read_roster
    from grader.submissions import guard_output

    feedback = args.command == "feedback"
    csv_path = guard_output(args.csv, args.submissions, "--csv") if args.csv else None
    out = guard_output(args.out, args.submissions, "--out") if feedback else None
    if csv_path is not None and csv_path.exists() and not args.replace:
        read_results(csv_path)   # a file that is not a results CSV is refused before anything is graded
    course = Course(args.course, args.lang)
    course.check_lab(args.assignment)
    roster_file = args.roster or default_roster(course.root)
    roster = read_roster(roster_file, course.notebook_names(args.assignment)) if roster_file else None
    policy = _policy(args)
    results = grade_submissions(course, args.assignment, args.submissions, jobs=args.jobs,
                                timeout=_timeout(args, course), memory_mb=args.memory, feedback=feedback,
                                progress=args.progress, policy=policy, roster=roster)
    summary = f"{len(results)} notebooks of {len({r.student for r in results})} learners: " + _tally(
        [r.status for r in results])
    if csv_path is not None:
        summary += f" -> {write_results(results, csv_path, replace=args.replace).describe()}"
    if out is not None:
        written = write_feedback(results, out)
        summary += f"; {written} feedback pages in {out}"
    print(f"graded {summary}")
    if roster is not None:
        print(f"roster: {len(roster)} learners from {roster_file}")
    print(_sandbox_line(policy))
    return 0


def _whoami() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:   # no login name (a container without a passwd entry)
        return f"uid {os.getuid()}"


def _mark(args: argparse.Namespace) -> int:
    from grader import marking
    from grader.course import Course
    from grader.errors import MarkError
    from grader.marks import MarkBook
    from grader.results import read_results

    course = Course(args.course)
    course.check_lab(args.assignment)
    if args.csv:
        read_results(args.csv)   # refuse a file that is not a results CSV before anything is marked
    answers = marking.select(marking.collect(course, args.assignment, args.submissions), student=args.student,
                             notebook=args.notebook, cell=args.cell)
    if not answers:
        raise MarkError(f"no written answers of {args.assignment} in {args.submissions} match the selection")
    with MarkBook(course.root) as book:
        if args.list:
            print(marking.listing(answers, book.marks(args.assignment), args.assignment))
            return 0
        if args.score is not None:
            if len(answers) != 1:
                raise MarkError(f"--score needs exactly one answer, the selection has {len(answers)}: "
                                "add --student, --notebook and --cell")
            answer = answers[0]
            book.give(args.assignment, answer.notebook, answer.student, answer.cell, score=args.score,
                      max_score=answer.points, comment=args.comment, answer_digest=answer.digest,
                      marker=args.marker)
            count = 1
        else:
            count = marking.interact(answers, book, args.assignment, marker=args.marker, again=args.again,
                                     ask=input, say=print)
        given = book.marks(args.assignment)
    waiting = sum(a.answered and not a.fits(given.get((a.student, a.notebook, a.cell))) for a in answers)
    print(f"marked {count} answer{'s' if count != 1 else ''}; {waiting} of {len(answers)} selected still "
          f"await marking; marks are kept in {book.path}")
    if args.csv:
        changed = marking.fold(args.csv, answers, given, args.assignment)
        print(f"folded into {args.csv}: {changed} rows changed")
    return 0


def _report(args: argparse.Namespace) -> int:
    from grader.report import report

    print(report(args.csv, args.html), end="")
    if args.html:
        print(f"wrote {args.html}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the exit status."""
    args = build_parser().parse_args(argv)
    handlers = {"release": _release, "validate": _validate, "autograde": _grade, "feedback": _grade,
                "mark": _mark, "report": _report}
    try:
        return handlers[args.command](args)
    except GraderError as exc:
        print(f"grader: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("grader: interrupted; no results written", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug or os.environ.get("GRADER_DEBUG"):
            raise
        print(f"grader: internal error: {type(exc).__name__}: {' '.join(str(exc).split())[:300]} "
              "(run with --debug for the traceback)", file=sys.stderr)
        return 3
