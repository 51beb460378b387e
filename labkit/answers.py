"""Answers given by clicking, kept where nothing loses them.

An official answers a question by clicking a widget (labkit.ask). The answer is recorded at once in
three places:
1. the kernel's memory, so a question cell run again shows it again;
2. a small JSON file beside the notebook, `<notebook>.answers.json`, written atomically at the click:
   it outlives a kernel restart before the notebook was saved, and it is handed in with the folder;
3. the notebook itself: the question cell's output carries the answer as data of its own MIME type,
   updated in place through its display id (Jupyter's update_display_data), so JupyterLab saves it
   with the notebook, and `nbgrader submit`, a zip or a download carry it.
Reading back (a restarted kernel, the grader) merges every source: per question, the newest record wins.

Everything read back was written by a learner's machine: records are parsed strictly and bounded.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labkit.i18n import pick

MIME = "application/vnd.minichain.answer+json"
QID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
MAX_TEXT = 4000            # characters in a written answer (a few paragraphs)
MAX_FILE_BYTES = 1 << 20   # an answers file or notebook larger than this is not read for answers
MAX_NUMBER = 10**15        # a number answer beyond this is not an answer

Answer = str | int | float


@dataclass(frozen=True)
class Record:
    """One answer as given: which question, what value, and when (newest wins)."""

    qid: str      # the question's id, as in the notebook's grade ids ("q1")
    value: Answer  # a choice's key ("b"), a number, or a written answer
    time: float   # seconds since the Unix epoch, when the learner gave it
    seq: int      # order of answers within one kernel session (breaks ties in time)

    def to_json(self) -> dict[str, Any]:
        return {"qid": self.qid, "value": self.value, "time": self.time, "seq": self.seq}


def _answer(value: Any) -> Answer | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if abs(value) <= MAX_NUMBER else None
    if isinstance(value, float):
        return value if math.isfinite(value) and abs(value) <= MAX_NUMBER else None
    if isinstance(value, str):
        return value if len(value) <= MAX_TEXT else None
    return None


def parse_record(data: Any) -> Record | None:
    """A Record from untrusted JSON data, or None if it is not exactly one."""
    if not isinstance(data, dict) or set(data) != {"qid", "value", "time", "seq"}:
        return None
    qid, when, seq = data["qid"], data["time"], data["seq"]
    value = _answer(data["value"])
    if not (isinstance(qid, str) and QID.match(qid)) or value is None:
        return None
    if isinstance(when, bool) or not isinstance(when, (int, float)) or not math.isfinite(when):
        return None
    if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq <= MAX_NUMBER:
        return None
    return Record(qid, value, float(when), seq)


def merge(*sources: Iterable[Record]) -> dict[str, Record]:
    """Per question, the newest record of all sources (later time, then later seq)."""
    best: dict[str, Record] = {}
    for source in sources:
        for record in source:
            held = best.get(record.qid)
            if held is None or (record.time, record.seq) > (held.time, held.seq):
                best[record.qid] = record
    return best


def from_notebook(nb: Mapping[str, Any]) -> list[Record]:
    """The records a saved notebook carries in its cells' outputs."""
    found = []
    cells = nb.get("cells")
    for cell in cells if isinstance(cells, list) else []:
        outputs = cell.get("outputs") if isinstance(cell, dict) else None
        for output in outputs if isinstance(outputs, list) else []:
            data = output.get("data") if isinstance(output, dict) else None
            record = parse_record(data.get(MIME)) if isinstance(data, dict) else None
            if record is not None:
                found.append(record)
    return found


def _read_json(path: Path) -> Any:
    try:
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            return None
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def from_file(path: Path) -> list[Record]:
    """The records of an answers file (a JSON list); nothing if it is missing or malformed."""
    data = _read_json(path)
    records = (parse_record(item) for item in (data if isinstance(data, list) else []))
    return [record for record in records if record is not None]


def from_notebook_file(path: Path) -> list[Record]:
    data = _read_json(path)
    return from_notebook(data) if isinstance(data, dict) else []


def write_file(path: Path, records: Iterable[Record]) -> None:
    """Replace the answers file atomically: a crash leaves the old file or the new one, never half."""
    text = json.dumps([r.to_json() for r in sorted(records, key=lambda r: r.qid)], ensure_ascii=False,
                      indent=1)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text + "\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def sidecar_path(folder: Path, notebook: str) -> Path:
    """Where a notebook's answers file lives: beside it, named after the notebook."""
    return folder / f"{notebook}.answers.json"


def notebook_path(notebook: str) -> Path:
    """The running notebook's file: Jupyter tells its kernels ($JPY_SESSION_NAME), the grader too;
    else `<notebook>.ipynb` in the working folder."""
    named = os.environ.get("JPY_SESSION_NAME", "")
    if named.endswith(".ipynb") and Path(named).is_file():
        return Path(named)
    return Path.cwd() / f"{notebook}.ipynb"


class AnswerSheet:
    """The answers of one notebook: restored when the kernel starts, recorded at every click."""

    def __init__(self, lab: str, notebook: str, lang: str = "zh-CN", folder: Path | None = None) -> None:
        pick(lang, "", "")  # refuses an unknown language
        self.lab, self.notebook, self.lang = lab, notebook, lang
        here = notebook_path(notebook)
        self.folder = folder if folder is not None else here.parent
        self.sidecar = sidecar_path(self.folder, notebook)
        self.records = merge(from_file(self.sidecar), from_notebook_file(here))
        self.asked: list[str] = []      # question ids in the order the notebook shows them
        self.save_error: str | None = None
        self._seq = max((r.seq for r in self.records.values()), default=0)

    def get(self, qid: str) -> Answer | None:
        record = self.records.get(qid)
        return record.value if record else None

    def record(self, qid: str, value: Answer) -> Record:
        """Keep an answer now: in memory and in the answers file (the caller updates the display)."""
        checked = _answer(value)
        if not QID.match(qid) or checked is None:
            raise ValueError(f"not an answer: {qid!r} = {value!r}")
        self._seq += 1
        record = Record(qid, checked, time.time(), self._seq)
        self.records[qid] = record
        try:
            write_file(self.sidecar, self.records.values())
            self.save_error = None
        except OSError as error:  # a read-only folder: the notebook output still carries the answer
            self.save_error = str(error)
        return record

    # --- what the learner reads -----------------------------------------------------------------

    def said(self, zh: str, en: str) -> str:
        return pick(self.lang, zh, en)

    def status_text(self, qid: str, shown: str | None = None) -> str:
        """One line under a question: the recorded answer, or that there is none yet."""
        value = self.get(qid)
        if value is None:
            return self.said("尚未作答。", "Not answered yet.")
        text = shown if shown is not None else str(value)
        return self.said(f"✓ 已记录你的答案：{text}", f"✓ Your answer is recorded: {text}")

    def progress(self) -> tuple[list[str], list[str]]:
        """(answered, unanswered) question ids, in the notebook's order."""
        answered = [q for q in self.asked if q in self.records]
        return answered, [q for q in self.asked if q not in self.records]

    # --- judging, in the hidden tests -----------------------------------------------------------

    def _given(self, qid: str) -> Answer:
        value = self.get(qid)
        if value is None:
            raise AssertionError(self.said(f"{qid}：没有作答", f"{qid}: not answered"))
        return value

    def expect(self, qid: str, answer: Answer) -> None:
        """The answer must be exactly this (a choice's key or a whole number). The message never
        shows the expected answer: feedback is read by the whole class."""
        if self._given(qid) != answer or type(self._given(qid)) is not type(answer):
            raise AssertionError(self.said(f"{qid}：答案不对", f"{qid}: not the right answer"))

    def expect_between(self, qid: str, low: float, high: float) -> None:
        """A number answer within [low, high] (for readings off a picture or a slider)."""
        value = self._given(qid)
        if isinstance(value, str) or not low <= value <= high:
            raise AssertionError(self.said(f"{qid}：答案不对", f"{qid}: not the right answer"))

    def expect_written(self, qid: str, min_chars: int = 10) -> None:
        """A written answer of some substance exists (the instructor marks it by hand)."""
        value = self._given(qid)
        if not isinstance(value, str) or len(value.strip()) < min_chars:
            raise AssertionError(self.said(f"{qid}：书面回答太短", f"{qid}: the written answer is too short"))
