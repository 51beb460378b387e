"""`grader report`: a class summary of a results CSV, as text and optionally as one HTML page.

Per assignment and track (its notebook: `explore` for officials, `build` for engineers, never added
together): how many rows of each status, the distribution of the totals of the learners who handed it
in (an ungraded notebook counting 0), the written answers still awaiting marking, and per autograded
question (a test cell worth points, from the CSV's cells sidecar) the share of graded notebooks that
earned its full points. Checks worth 0 points prove nothing about a learner and are only counted.
"""

from __future__ import annotations

import html
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from grader import STATUSES
from grader.results import CellRow, Row, number, read_cells, read_results

BUCKETS = ("0-20%", "20-40%", "40-60%", "60-80%", "80-100%")


@dataclass
class Question:
    """One autograded test cell across the class."""

    notebook: str
    cell: str
    points: float
    graded: int = 0
    passed: int = 0
    earned: float = 0.0

    @property
    def rate(self) -> float:
        return self.passed / self.graded if self.graded else 0.0


@dataclass
class Summary:
    """The class summary of one track (notebook) of one assignment."""

    assignment: str
    notebook: str
    statuses: Counter[str]
    totals: dict[str, float]          # learner who handed it in -> score
    max_total: float
    questions: list[Question] = field(default_factory=list)
    unscored: list[str] = field(default_factory=list)   # 0-point checks: not pass rates
    awaiting: int = 0                 # written answers not marked yet
    marked: int = 0

    @property
    def learners(self) -> int:
        return sum(self.statuses.values())

    @property
    def buckets(self) -> list[int]:
        counts = [0] * len(BUCKETS)
        for total in self.totals.values():
            share = total / self.max_total if self.max_total else 0.0
            counts[min(int(share * len(BUCKETS)), len(BUCKETS) - 1)] += 1
        return counts


def summarize(rows: list[Row], cells: list[CellRow]) -> list[Summary]:
    """One Summary per assignment and notebook in the CSV."""
    summaries = []
    for assignment, notebook in sorted({(r.assignment, r.notebook) for r in rows}):
        mine = [r for r in rows if (r.assignment, r.notebook) == (assignment, notebook)]
        totals = {r.student: r.score or 0.0 for r in mine if r.status != "missing"}
        questions: dict[str, Question] = {}
        unscored: set[str] = set()
        summary = Summary(assignment, notebook, Counter(r.status for r in mine), totals,
                          max(r.max_score for r in mine))
        for c in cells:
            if (c.assignment, c.notebook) != (assignment, notebook):
                continue
            if c.kind == "manual":
                summary.awaiting += c.score is None
                summary.marked += c.score is not None
                continue
            if c.max_score <= 0:
                unscored.add(c.cell)
                continue
            q = questions.setdefault(c.cell, Question(c.notebook, c.cell, c.max_score))
            q.graded += 1
            q.passed += (c.score or 0.0) >= c.max_score
            q.earned += c.score or 0.0
        summary.questions = sorted(questions.values(), key=lambda q: q.cell)
        summary.unscored = sorted(unscored)
        summaries.append(summary)
    return summaries


def _stats(values: list[float]) -> str:
    if not values:
        return "no learners"
    return (f"mean {statistics.fmean(values):.2f} · median {number(statistics.median(values))} · "
            f"min {number(min(values))} · max {number(max(values))}")


def _marking(s: Summary) -> str:
    if not (s.awaiting or s.marked):
        return ""
    return f"written answers: {s.awaiting} awaiting marking, {s.marked} marked"


def render_text(summaries: list[Summary]) -> str:
    lines = []
    for s in summaries:
        lines.append(f"{s.assignment} · {s.notebook}: {s.learners} learners, {len(s.totals)} handed it in")
        lines.append("  status: " + " · ".join(f"{st} {s.statuses[st]}" for st in STATUSES))
        lines.append(f"  score (of {number(s.max_total)}): {_stats(list(s.totals.values()))}")
        if _marking(s):
            lines.append(f"  {_marking(s)}")
        top = max(s.buckets) or 1
        for label, count in zip(BUCKETS, s.buckets, strict=True):
            lines.append(f"  {label:>8} {'#' * round(20 * count / top):<20} {count}")
        if s.questions:
            lines.append("  per question (autograded; pass = full points):")
            for q in s.questions:
                lines.append(f"    {q.notebook}/{q.cell:<24} {number(q.points):>4} pts  "
                             f"{q.passed}/{q.graded} passed"
                             f"  {q.rate:4.0%}")
        if s.unscored:
            lines.append(f"  checks worth 0 points (not scored, no pass rate): {', '.join(s.unscored)}")
        lines.append("")
    return "\n".join(lines)


def render_html(summaries: list[Summary], title: str) -> str:
    esc = html.escape
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{esc(title)}</title><style>"
             "body{font-family:sans-serif;margin:2em;max-width:60em}"
             "table{border-collapse:collapse;margin:1em 0}"
             "td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}"
             ".bar{background:#4a7;height:1em;display:inline-block}</style></head><body>",
             f"<h1>{esc(title)}</h1>"]
    for s in summaries:
        parts.append(f"<h2>{esc(s.assignment)} · {esc(s.notebook)}</h2><p>{s.learners} learners, "
                     f"{len(s.totals)} handed it in; score of {number(s.max_total)}: "
                     f"{esc(_stats(list(s.totals.values())))}</p>")
        if _marking(s):
            parts.append(f"<p>{esc(_marking(s))}</p>")
        parts.append("<table><tr>" + "".join(f"<th>{st}</th>" for st in STATUSES) + "</tr><tr>"
                     + "".join(f"<td>{s.statuses[st]}</td>" for st in STATUSES) + "</tr></table>")
        top = max(s.buckets) or 1
        parts.append("<h3>Score distribution</h3><table>")
        for label, count in zip(BUCKETS, s.buckets, strict=True):
            parts.append(f"<tr><td>{label}</td><td><span class='bar' style='width:{12 * count / top:.2f}em'>"
                         f"</span> {count}</td></tr>")
        parts.append("</table>")
        if s.questions:
            parts.append("<h3>Per question</h3><table><tr><th>notebook</th><th>cell</th><th>points</th>"
                         "<th>passed</th><th>pass rate</th></tr>")
            for q in s.questions:
                parts.append(f"<tr><td>{esc(q.notebook)}</td><td>{esc(q.cell)}</td><td>{number(q.points)}</td>"
                             f"<td>{q.passed}/{q.graded}</td><td>{q.rate:.0%}</td></tr>")
            parts.append("</table>")
        if s.unscored:
            parts.append("<p>Checks worth 0 points (not scored, no pass rate): "
                         f"{esc(', '.join(s.unscored))}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def report(csv_path: Path | str, html_path: Path | str | None = None) -> str:
    """The text summary of a results CSV; also writes the HTML page when html_path is given."""
    summaries = summarize(read_results(csv_path), read_cells(csv_path))
    if html_path is not None:
        page = render_html(summaries, f"Class report: {Path(csv_path).name}")
        Path(html_path).write_text(page, encoding="utf-8")
    return render_text(summaries)
