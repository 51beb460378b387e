"""`grader report`: a class summary of a results CSV, as text and optionally as one HTML page.

Per assignment: how many rows of each status, the distribution of learners' totals (all notebooks of the
assignment, an ungraded notebook counting 0), and per autograded question (a test cell, from the CSV's
cells sidecar) the share of graded notebooks that earned its full points.
"""

from __future__ import annotations

import html
import statistics
from collections import Counter, defaultdict
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
    """The class summary of one assignment."""

    assignment: str
    notebooks: list[str]
    statuses: Counter[str]
    totals: dict[str, float]          # learner -> total score over the assignment's notebooks
    max_total: float
    questions: list[Question] = field(default_factory=list)

    @property
    def buckets(self) -> list[int]:
        counts = [0] * len(BUCKETS)
        for total in self.totals.values():
            share = total / self.max_total if self.max_total else 0.0
            counts[min(int(share * len(BUCKETS)), len(BUCKETS) - 1)] += 1
        return counts


def summarize(rows: list[Row], cells: list[CellRow]) -> list[Summary]:
    """One Summary per assignment in the CSV."""
    summaries = []
    for assignment in sorted({r.assignment for r in rows}):
        mine = [r for r in rows if r.assignment == assignment]
        notebooks = sorted({r.notebook for r in mine})
        totals: dict[str, float] = defaultdict(float)
        for r in mine:
            totals[r.student] += r.score or 0.0
        max_total = sum(max(r.max_score for r in mine if r.notebook == nb) for nb in notebooks)
        questions: dict[tuple[str, str], Question] = {}
        for c in cells:
            if c.assignment != assignment or c.kind != "auto":
                continue
            q = questions.setdefault((c.notebook, c.cell), Question(c.notebook, c.cell, c.max_score))
            q.graded += 1
            q.passed += (c.score or 0.0) >= c.max_score
            q.earned += c.score or 0.0
        summaries.append(Summary(assignment, notebooks, Counter(r.status for r in mine), dict(totals),
                                 max_total,
                                 sorted(questions.values(), key=lambda q: (q.notebook, q.cell))))
    return summaries


def _stats(values: list[float]) -> str:
    if not values:
        return "no learners"
    return (f"mean {statistics.fmean(values):.2f} · median {number(statistics.median(values))} · "
            f"min {number(min(values))} · max {number(max(values))}")


def render_text(summaries: list[Summary]) -> str:
    lines = []
    for s in summaries:
        lines.append(f"{s.assignment}: {len(s.totals)} learners, notebooks {', '.join(s.notebooks)}")
        lines.append("  status: " + " · ".join(f"{st} {s.statuses[st]}" for st in STATUSES))
        lines.append(f"  total (of {number(s.max_total)}): {_stats(list(s.totals.values()))}")
        top = max(s.buckets) or 1
        for label, count in zip(BUCKETS, s.buckets, strict=True):
            lines.append(f"  {label:>8} {'#' * round(20 * count / top):<20} {count}")
        if s.questions:
            lines.append("  per question (autograded; pass = full points):")
            for q in s.questions:
                lines.append(f"    {q.notebook}/{q.cell:<24} {number(q.points):>4} pts  "
                             f"{q.passed}/{q.graded} passed"
                             f"  {q.rate:4.0%}")
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
        parts.append(f"<h2>{esc(s.assignment)}</h2><p>{len(s.totals)} learners; notebooks "
                     f"{esc(', '.join(s.notebooks))}; total of {number(s.max_total)}: "
                     f"{esc(_stats(list(s.totals.values())))}</p>")
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
    parts.append("</body></html>")
    return "\n".join(parts)


def report(csv_path: Path | str, html_path: Path | str | None = None) -> str:
    """The text summary of a results CSV; also writes the HTML page when html_path is given."""
    summaries = summarize(read_results(csv_path), read_cells(csv_path))
    if html_path is not None:
        page = render_html(summaries, f"Class report: {Path(csv_path).name}")
        Path(html_path).write_text(page, encoding="utf-8")
    return render_text(summaries)
