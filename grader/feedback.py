"""Feedback HTML for one graded notebook: the scores and the learner's own output, never the hidden tests.

nbgrader's feedback shows hidden tests, and even with ClearHiddenTests a failing hidden test's traceback
quotes them (shared/FACTS.md). Here ClearHiddenTests cuts the hidden regions, cells that held
hidden tests show their score instead of their output, any other output quoting a hidden line is
withheld, and the page (nbgrader's own "feedback" template) is searched once more before it is kept.
"""

from __future__ import annotations

import copy
import html
import os
import re
from typing import TYPE_CHECKING, Any

from nbformat import NotebookNode

from grader.course import Reference, nbgrader_meta, notebook_language
from grader.nbio import css_header, html_exporter, new_output

if TYPE_CHECKING:
    from grader.grading import CellScore

WITHHELD = "[output withheld: it quotes hidden tests]"
TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")   # grader_feedback/: nbgrader's + marks
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _text_of(output: Any) -> str:
    parts = [str(output.get("text", "")), str(output.get("evalue", ""))]
    parts += [str(line) for line in output.get("traceback", [])]
    parts += [str(value) for value in output.get("data", {}).values()]
    return ANSI.sub("", "\n".join(parts))   # tracebacks colour each token: match the plain text


def _quotes_hidden(text: str, hidden: tuple[str, ...]) -> bool:
    return any(line in text for line in hidden)


def _verdict_line(lang: str, passed: bool, got: float, points: float) -> str:
    """What a hidden test's cell says in feedback, in the notebook's language."""
    if lang == "zh-CN":
        return (f"本单元的测试（部分隐藏）{'通过' if passed else '未通过'}：{points:g} 分中得 {got:g} 分。\n")
    return (f"The tests in this cell, some of them hidden, {'passed' if passed else 'did not pass'}: "
            f"{got:g} of {points:g} points.\n")


def redact(nb: NotebookNode, ref: Reference, scores: dict[str, CellScore]) -> NotebookNode:
    """A copy of the run notebook that is safe to show the learner."""
    from nbgrader.preprocessors import ClearHiddenTests

    nb = copy.deepcopy(nb)
    lang = notebook_language(ref.instructor) or "en"   # a course's own notebooks without labkit metadata
    hidden = ref.hidden_lines
    refs = ref.by_id
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        grade_id = str(meta.get("grade_id")) if meta else None
        rc = refs.get(grade_id) if grade_id else None
        if rc is not None and meta is not None and (rc.kind[0] or rc.kind[3]):
            score = scores.get(rc.grade_id)
            # None for an answer awaiting marking: the page says so instead of showing 0
            meta["score"] = score.score if score else 0.0
            meta["points"] = rc.points
            meta["comment"] = score.comment if score else ""
        if rc is not None and rc.has_hidden_tests:
            cell.source = rc.release_source
            score = scores.get(rc.grade_id)
            got = score.score if score and score.score is not None else 0.0
            passed = bool(score) and got >= rc.points
            text = _verdict_line(lang, passed, got, rc.points)
            if score and score.message and not passed:
                text += score.message + "\n"
            cell.outputs = [new_output("stream", name="stdout", text=text)]
            continue
        if cell.cell_type == "code":
            cell.outputs = [new_output("stream", name="stdout", text=WITHHELD + "\n")
                            if _quotes_hidden(_text_of(o), hidden) else o for o in cell.outputs]
    # Whatever else carries a hidden region (a copy pasted by the learner) loses it too.
    ClearHiddenTests(enforce_metadata=False).preprocess(nb, {})
    return nb


def render_feedback(nb: NotebookNode, ref: Reference, cells: tuple[CellScore, ...], *, student: str,
                    config: Any = None) -> str:
    """nbgrader's feedback page for one run notebook, without hidden tests."""
    from nbgrader import converters

    scores = {c.grade_id: c for c in cells}
    safe = redact(nb, ref, scores)
    formgrader = os.path.join(os.path.dirname(converters.__file__), "..", "server_extensions", "formgrader")
    css = os.path.join(formgrader, "static", "node_modules", "bootstrap", "dist", "css")
    nbgrader_templates = os.path.join(formgrader, "templates")
    exporter = html_exporter(config=config, template_name="grader_feedback",
                            extra_template_basedirs=[TEMPLATES, nbgrader_templates],
                            extra_template_paths=[nbgrader_templates, css])
    resources: dict[str, Any] = {"nbgrader": {
        "student": student, "assignment": ref.lab, "notebook": ref.name, "late_penalty": 0,
        "score": sum(c.score for c in cells if c.score is not None), "max_score": ref.max_score,
        "pending": sum(c.max_score for c in cells if c.score is None)}}
    safe, resources = css_header(safe, resources)
    page, _ = exporter.from_notebook_node(safe, resources=resources)
    if _quotes_hidden(visible_text(page), ref.hidden_lines):
        for cell in safe.cells:   # last line of defence: drop every output rather than leak a test
            if cell.cell_type == "code":
                cell.outputs = [new_output("stream", name="stdout", text=WITHHELD + "\n")]
        page, _ = exporter.from_notebook_node(safe, resources=resources)
    return str(page)


def visible_text(page: str) -> str:
    """The text a reader sees in an HTML page: tags dropped (highlighting splits code into spans)."""
    return html.unescape(re.sub(r"<[^>]*>", "", page))
