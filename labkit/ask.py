"""The questions officials answer by clicking: choices, number boxes, sliders and a text area.

Each question shows a widget and, under it, one line that says what is recorded. A click records the
answer at once (labkit.answers: kernel memory, the answers file beside the notebook, and that line's
output in the notebook, updated in place through its display id). Nothing here is Python the learner
has to write or read: the notebook's code cells are folded away.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
from IPython.display import display, update_display

from labkit.answers import MIME, Answer, AnswerSheet

STYLE = """<style>
.minichain-option button, button.minichain-option { white-space: normal; height: auto; min-height: 36px;
  text-align: left; padding: 6px 12px; line-height: 1.4; font-size: 15px; }
.minichain-status { font-size: 15px; margin: 4px 0 12px 0; }
.minichain-status.done { color: #1b5e20; font-weight: 600; }
.minichain-status.todo { color: #616161; }
.minichain-status.warn { color: #b71c1c; }
.minichain-question textarea { font-size: 15px; line-height: 1.5; }
.minichain-question input { font-size: 15px; }
</style>"""


def _letter(index: int) -> str:
    return "ABCDEFGHIJ"[index] if index < 10 else str(index + 1)


class Sheet(AnswerSheet):
    """An answer sheet that draws its questions as widgets (one notebook: one Sheet)."""

    def __init__(self, lab: str, notebook: str, lang: str = "zh-CN") -> None:
        super().__init__(lab, notebook, lang)
        self._shown: dict[str, str] = {}   # qid -> how the recorded value reads (a choice's letter)
        self.controls: dict[str, list[widgets.Widget]] = {}   # qid -> its widgets (tests click them)
        self._summary = widgets.HTML()
        display(widgets.HTML(STYLE))

    # --- the recorded line under each question --------------------------------------------------

    def _display_id(self, qid: str) -> str:
        return f"minichain-answer-{self.lab}-{self.notebook}-{qid}"

    def _bundle(self, qid: str) -> dict[str, Any]:
        record = self.records.get(qid)
        text = self.status_text(qid, self._shown.get(qid))
        css = "done" if record else "todo"
        if record and self.save_error:
            text += self.said("（答案文件未能写入，请按 Ctrl+S 保存笔记本）",
                              " (the answers file could not be written: save the notebook with Ctrl+S)")
            css = "warn"
        shown = f'<div class="minichain-status {css}">{html.escape(text)}</div>'
        bundle: dict[str, Any] = {"text/plain": text, "text/html": shown}
        if record:
            bundle[MIME] = record.to_json()
        return bundle

    def _show_status(self, qid: str) -> None:
        if qid not in self.asked:
            self.asked.append(qid)
        display(self._bundle(qid), raw=True, display_id=self._display_id(qid))

    def _keep(self, qid: str, value: Answer, shown: str | None = None) -> None:
        if shown is not None:
            self._shown[qid] = shown
        self.record(qid, value)
        update_display(self._bundle(qid), raw=True, display_id=self._display_id(qid))
        self._refresh_summary()

    # --- the questions ---------------------------------------------------------------------------

    def choice(self, qid: str, options: Sequence[tuple[str, str]]) -> None:
        """One answer out of several: a button per option, the chosen one marked."""
        keys = [key for key, _ in options]
        if len(set(keys)) != len(keys) or not keys:
            raise ValueError(f"{qid}: options need distinct keys")
        buttons = []
        for index, (_, label) in enumerate(options):
            button = widgets.Button(description=f"{_letter(index)}. {label}",
                                    layout=widgets.Layout(width="95%"))
            button.add_class("minichain-option")
            buttons.append(button)

        def mark(chosen: str | None) -> None:
            for key, button in zip(keys, buttons, strict=True):
                button.button_style = "success" if key == chosen else ""
                button.icon = "check" if key == chosen else ""

        def choose(key: str, index: int) -> None:
            mark(key)
            self._keep(qid, key, _letter(index))

        for index, (key, button) in enumerate(zip(keys, buttons, strict=True)):
            button.on_click(lambda _b, key=key, index=index: choose(key, index))
        held = self.get(qid)
        if held in keys:
            self._shown[qid] = _letter(keys.index(str(held)))
            mark(str(held))
        box = widgets.VBox(buttons)
        box.add_class("minichain-question")
        self.controls[qid] = list(buttons)
        display(box)
        self._show_status(qid)

    def number(self, qid: str, low: int, high: int, unit: str = "") -> None:
        """A whole number typed into a box, kept with a click on the button (or Enter)."""
        held = self.get(qid)
        box = widgets.Text(value="" if held is None else str(held), placeholder=f"{low} – {high}",
                           layout=widgets.Layout(width="160px"), continuous_update=False)
        button = widgets.Button(description=self.said("确认答案", "Confirm answer"), button_style="primary")
        problem = widgets.HTML()

        def confirm(_: Any = None) -> None:
            text = box.value.strip().replace(",", "").replace("，", "")
            try:
                value = int(text)
            except ValueError:
                problem.value = self._problem(self.said(f"请输入一个整数（{low} 到 {high}）",
                                                        f"Type a whole number ({low} to {high})"))
                return
            if not low <= value <= high:
                problem.value = self._problem(self.said(f"{value} 不在 {low} 到 {high} 之间",
                                                        f"{value} is not between {low} and {high}"))
                return
            problem.value = ""
            self._keep(qid, value)

        button.on_click(confirm)
        box.observe(confirm, names="value")   # Enter or leaving the box also keeps it
        parts: list[widgets.Widget] = [box, widgets.Label(unit)] if unit else [box]
        row = widgets.HBox([*parts, button])
        row.add_class("minichain-question")
        self.controls[qid] = [box, button]
        display(widgets.VBox([row, problem]))
        self._show_status(qid)

    def slider(self, qid: str, low: int, high: int, step: int = 1, start: int | None = None,
               unit: str = "") -> None:
        """A value picked on a slider, kept with a click on the button."""
        held = self.get(qid)
        first = held if isinstance(held, int) else (start if start is not None else low)
        slide = widgets.IntSlider(value=first, min=low, max=high, step=step, continuous_update=False,
                                  layout=widgets.Layout(width="60%"), readout=True)
        button = widgets.Button(description=self.said("确认答案", "Confirm answer"), button_style="primary")
        button.on_click(lambda _: self._keep(qid, int(slide.value)))
        parts: list[widgets.Widget] = [slide, widgets.Label(unit)] if unit else [slide]
        row = widgets.HBox([*parts, button])
        row.add_class("minichain-question")
        self.controls[qid] = [slide, button]
        display(row)
        self._show_status(qid)

    def essay(self, qid: str, rows: int = 6) -> None:
        """A written answer (marked by the instructor), kept when the box loses focus or on the button."""
        held = self.get(qid)
        area = widgets.Textarea(value=held if isinstance(held, str) else "",
                                placeholder=self.said("在这里写下你的回答……", "Write your answer here…"),
                                layout=widgets.Layout(width="95%", height=f"{rows * 1.6 + 1:.0f}em"),
                                continuous_update=False)
        button = widgets.Button(description=self.said("保存回答", "Save answer"), button_style="primary")

        def save(_: Any = None) -> None:
            text = area.value.strip()
            if text:
                self._keep(qid, text[:4000], self.said(f"{len(text)} 个字", f"{len(text)} characters"))

        area.observe(save, names="value")
        button.on_click(save)
        if isinstance(held, str):
            self._shown[qid] = self.said(f"{len(held)} 个字", f"{len(held)} characters")
        box = widgets.VBox([area, button])
        box.add_class("minichain-question")
        self.controls[qid] = [area, button]
        display(box)
        self._show_status(qid)

    def _problem(self, text: str) -> str:
        return f'<div class="minichain-status warn">{html.escape(text)}</div>'

    def name(self, qid: str) -> str:
        """How a question is called in the summary: "第 3 题" for q3, "书面回答 1" for w1."""
        if qid[:1] in "qw" and qid[1:].isdigit():
            number = int(qid[1:])
            if qid[0] == "q":
                return self.said(f"第 {number} 题", f"question {number}")
            return self.said(f"书面回答 {number}", f"written answer {number}")
        return qid

    def _refresh_summary(self) -> None:
        answered, missing = self.progress()
        total = len(self.asked)
        if missing:
            names = [self.name(q) for q in missing]
            text = self.said(f"你已回答 {len(answered)} / {total} 题。还没有回答：{'、'.join(names)}。",
                             f"You have answered {len(answered)} of {total}. Not answered yet: "
                             f"{', '.join(names)}.")
        else:
            text = self.said(f"全部 {total} 题都已作答。", f"All {total} questions are answered.")
        text += self.said("请按 Ctrl+S 保存笔记本，然后交卷。",
                          " Save the notebook (Ctrl+S), then hand it in.")
        self._summary.value = (f'<div class="minichain-status {"todo" if missing else "done"}">'
                               f"{html.escape(text)}</div>")

    def summary(self) -> None:
        """The last cell: what is answered, what is not, and how to hand in (kept up to date)."""
        self._refresh_summary()
        display(self._summary)
