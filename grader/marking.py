"""`grader mark`: the instructor reads each written answer and gives it a mark, at the terminal.

The answers come from the submissions themselves (the same folder or zip as `autograde`), rebuilt around
the course's cells exactly as grading does, so the answer marked is the answer graded. For each one the
instructor sees the question as handed out, the model answer, any earlier mark and the learner's text,
and types a mark with an optional comment (`1.5 clear, but no example`). Marks go to the course's
marks.sqlite (marks.py); `--csv` folds them into a results CSV at once, and the next `autograde` or
`feedback` run carries them (feedback then shows the mark and the comment).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from grader import marks
from grader.course import Course, nbgrader_meta, normalize, read_notebook_text
from grader.errors import MarkError
from grader.integrity import canonicalize
from grader.marks import Mark, MarkBook
from grader.results import read_cells, read_results, write_rows
from grader.submissions import open_submissions, read_notebook_bytes
from labkit import answers as recorded

QUIT = ("q", "quit", "exit")


@dataclass(frozen=True)
class Answer:
    """One written answer (or task) of one learner, as it will be graded."""

    student: str
    notebook: str
    cell: str
    points: float
    text: str          # the learner's answer (a task: where to look)
    digest: str        # marks.digest of it: a mark fits this text only
    question: str      # the cell as handed out
    model: str         # the solution's text (instructors only)
    answered: bool     # False: left as handed out, scored 0 without marking

    def fits(self, mark: Mark | None) -> bool:
        return mark is not None and mark.digest == self.digest


def collect(course: Course, lab: str, submissions: Path | str) -> list[Answer]:
    """Every written answer and task in the class's submissions of lab, by student, notebook, cell."""
    refs = course.references(lab)
    found: list[Answer] = []
    with open_submissions(submissions, lab) as learners:
        for learner in learners:
            for ref in refs:
                path = learner.folder / f"{ref.name}.ipynb" if learner.folder else None
                if path is None or not path.is_file() or path.is_symlink():
                    continue
                try:
                    submitted = read_notebook_text(read_notebook_bytes(path).decode("utf-8"))
                    canon = canonicalize(submitted, ref)
                except Exception:   # unreadable: its row is an error, there is nothing to mark
                    continue
                essays = _essays(submitted, path.parent, ref.name) if ref.essays else {}
                cells = {str(m.get("grade_id")): c for c in canon.nb.cells if (m := nbgrader_meta(c))}
                solution = {str(m.get("grade_id")): c for c in ref.solution.cells if (m := nbgrader_meta(c))}
                for rc in ref.cells:
                    if not rc.is_manual:
                        continue
                    if rc.kind[3] and rc.grade_id in ref.essays:   # typed into an essay box (labkit)
                        text = essays.get(rc.grade_id, "").strip()
                        digest, answered = marks.digest(text), bool(text)
                    elif rc.kind[3]:   # a task: the work is the whole notebook
                        text, answered = f"(a task: open {path} to see the work)", True
                        digest = marks.digest(rc.source)
                    else:
                        text = str(cells[rc.grade_id].source) if rc.grade_id in cells else rc.release_source
                        digest, answered = marks.digest(text), normalize(text) != normalize(rc.release_source)
                    model = str(solution[rc.grade_id].source) if rc.grade_id in solution else ""
                    found.append(Answer(learner.student, ref.name, rc.grade_id, rc.points, text, digest,
                                        rc.release_source, model, answered))
    return found


def _essays(submitted: Any, folder: Path, name: str) -> dict[str, str]:
    """The texts typed into essay boxes: in the notebook's outputs and the answers file beside it,
    newest first, exactly as grading reads them (grader.grading.written_answers)."""
    from grader.grading import written_answers

    records = recorded.merge(recorded.from_file(recorded.sidecar_path(folder, name)),
                             recorded.from_notebook(submitted))
    return written_answers(records)


def select(answers: list[Answer], *, student: str | None = None, notebook: str | None = None,
           cell: str | None = None) -> list[Answer]:
    return [a for a in answers if (student is None or a.student == student)
            and (notebook is None or a.notebook == notebook) and (cell is None or a.cell == cell)]


def describe(answer: Answer, mark: Mark | None) -> str:
    if not answer.answered:
        return "not answered (scored 0)"
    if mark is None:
        return "awaiting marking"
    if mark.digest != answer.digest:
        return f"awaiting marking (changed since marked {mark.score:g})"
    said = f": {mark.comment}" if mark.comment else ""
    return f"marked {mark.score:g}/{mark.max_score:g} by {mark.marker}{said}"


def listing(answers: list[Answer], given: dict[tuple[str, str, str], Mark], lab: str) -> str:
    """What awaits marking, one line per answer."""
    states = [describe(a, given.get((a.student, a.notebook, a.cell))) for a in answers]
    waiting = sum(s.startswith("awaiting") for s in states)
    marked = sum(s.startswith("marked") for s in states)
    lines = [f"{lab}: {len(answers)} written answers: {waiting} awaiting marking, {marked} marked, "
             f"{len(answers) - waiting - marked} not answered"]
    width = max((len(a.student) for a in answers), default=0)
    lines += [f"  {a.student:<{width}}  {a.notebook}/{a.cell}  {a.points:g} pts  {s}"
              for a, s in zip(answers, states, strict=True)]
    return "\n".join(lines)


def parse(line: str, points: float) -> tuple[float, str]:
    """`1.5 good, but no example` -> (1.5, "good, but no example"); MarkError naming the rule."""
    head, _, comment = line.strip().partition(" ")
    try:
        score = float(head.replace(",", "."))
    except ValueError:
        raise MarkError(f"{head!r} is not a mark: type a number from 0 to {points:g}, "
                        "then a comment") from None
    if not 0 <= score <= points:
        raise MarkError(f"{score:g} is outside 0..{points:g} (the answer's points)")
    return score, comment.strip()


def _indent(text: str) -> str:
    return textwrap.indent(text.strip() or "(empty)", "    ")


def interact(answers: list[Answer], book: MarkBook, lab: str, *, marker: str, again: bool,
             ask: Callable[[str], str], say: Callable[[str], None]) -> int:
    """Show each answer awaiting marking (all answered ones if again), take marks; how many were given."""
    given = book.marks(lab)
    todo = [a for a in answers
            if a.answered and (again or not a.fits(given.get((a.student, a.notebook, a.cell))))]
    if not todo:
        say("nothing awaits marking")
        return 0
    count = 0
    for number, answer in enumerate(todo, start=1):
        earlier = given.get((answer.student, answer.notebook, answer.cell))
        say(f"\n[{number}/{len(todo)}] {answer.student} · {answer.notebook} · {answer.cell} "
            f"({answer.points:g} points; {describe(answer, earlier)})")
        say("Question, as handed out:\n" + _indent(answer.question))
        if answer.model:
            say("Model answer:\n" + _indent(answer.model))
        say("Answer:\n" + _indent(answer.text))
        while True:
            try:
                line = ask(f"mark 0-{answer.points:g} and a comment (Enter: skip, q: stop): ")
            except EOFError:
                return count
            if line.strip().lower() in QUIT:
                return count
            if not line.strip():
                break
            try:
                score, comment = parse(line, answer.points)
            except MarkError as exc:
                say(f"  {exc}")
                continue
            book.give(lab, answer.notebook, answer.student, answer.cell, score=score,
                      max_score=answer.points, comment=comment, answer_digest=answer.digest, marker=marker)
            count += 1
            break
    return count


def fold(csv_path: Path | str, answers: list[Answer], given: dict[tuple[str, str, str], Mark],
         lab: str) -> int:
    """Put the marks that fit the current answers into a results CSV (rows, cells, details); how many
    rows changed. Answers marked since grading get their points; changed ones await marking again."""
    rows, cells = read_results(csv_path), read_cells(csv_path)
    current = {(a.student, a.notebook, a.cell): a for a in answers}
    new_cells = []
    for c in cells:
        key = (c.student, c.notebook, c.cell)
        answer = current.get(key)
        if c.assignment != lab or c.kind != "manual" or answer is None or not answer.answered:
            new_cells.append(c)
            continue
        mark = given.get(key)
        new_cells.append(replace(c, score=mark.score if answer.fits(mark) and mark else None))
    changed = 0
    new_rows = []
    for r in rows:
        key = (r.student, r.assignment, r.notebook)
        mine = tuple(c for c in new_cells if (c.student, c.assignment, c.notebook) == key)
        if r.assignment != lab or r.score is None or not mine:
            new_rows.append(r)
            continue
        score = sum(c.score for c in mine if c.score is not None)
        kept = [part for part in r.detail.split("; ") if part and not part.rstrip().endswith(
            ("awaiting marking", "awaiting marking again"))]
        pending = sum(c.max_score for c in mine if c.score is None)
        detail = "; ".join(kept + ([f"{pending:g} points awaiting marking"] if pending else []))
        updated = replace(r, score=score, detail=detail)
        changed += updated != r
        new_rows.append(updated)
    write_rows(new_rows, new_cells, csv_path, replace=True)
    return changed
