"""Verdicts computed outside the learner's kernel: the trusted half of a hidden test.

A build notebook's hidden test is split in two. Its notebook cell is a probe (labkit.probe): in the
sandboxed kernel it calls the learner's function on inputs and shows the results as data. Its judge
lives in labs/judges/LAB.py, which never enters the sandbox: before the run it makes the inputs from a
seed drawn for this grading run, and after the run it checks the results the probe sent, in the
grader's own process, with a pristine minichain. Its failure message and hint are the feedback.

    @judge("ex1_hidden")
    def count_changed_bits(rng, say):
        pairs = [(rng.randbytes(32), rng.randbytes(32)) for _ in range(50)]

        def check(results):
            for (a, b), found in zip(pairs, results, strict=True):
                expect(found == avalanche(a, b).changed, say("…", "…"), hint=say("…", "…"))
        return pairs, check
"""

from __future__ import annotations

import importlib.util
import random
import secrets
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from labkit import wire
from labkit.i18n import pick
from labkit.probe import INPUTS_ENV, MIME

Say = Callable[[str, str], str]
Check = Callable[[Any], None]
Maker = Callable[[random.Random, Say], tuple[Any, Check]]
INPUTS_FILE = ".minichain-probe-inputs.json"   # in the scratch copy, outside the notebook's folder
MAX_MESSAGE = 600   # characters of a verdict's message or hint kept for feedback and the CSV


class Failed(Exception):
    """A judge's check that does not hold; its message and hint are what the learner reads."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


def expect(condition: bool, message: str, hint: str = "") -> None:
    """The judge's one assertion: a message that says what was expected and found, and a hint."""
    if not condition:
        raise Failed(message, hint)


@dataclass(frozen=True)
class Verdict:
    """A judged test: passed or not, and why (never the expected answer's code)."""

    passed: bool
    message: str = ""
    hint: str = ""


@dataclass(frozen=True)
class Judge:
    test: str       # the grade id of the hidden test cell it scores
    make: Maker

    def inputs(self, seed: int, lang: str) -> tuple[Any, Check]:
        return self.make(random.Random(seed), lambda zh, en: pick(lang, zh, en))


_JUDGES: dict[str, Judge] = {}   # filled while a judges module is being loaded, then handed over


def judge(test: str) -> Callable[[Maker], Maker]:
    """Register a judge for the hidden test cell with grade id `test` (in a labs/judges/LAB.py)."""
    def register(make: Maker) -> Maker:
        if test in _JUDGES:
            raise ValueError(f"two judges for {test!r}")
        _JUDGES[test] = Judge(test, make)
        return make
    return register


def judges_path(course_root: Path, lab: str) -> Path:
    return course_root / "judges" / f"{lab}.py"


def load_judges(course_root: Path, lab: str) -> dict[str, Judge]:
    """The judges of a lab (none if the lab has no judges file), loaded afresh from the course."""
    return load_judges_file(judges_path(course_root, lab))


def load_judges_file(path: Path) -> dict[str, Judge]:
    """The judges a labs/judges/LAB.py registers (none if there is no such file)."""
    if not path.is_file():
        return {}
    name = f"_minichain_judges_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module: ModuleType = importlib.util.module_from_spec(spec)
    _JUDGES.clear()
    try:
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return dict(_JUDGES)
    finally:
        sys.modules.pop(name, None)
        _JUDGES.clear()


def probe_results(outputs: Sequence[Any], test: str) -> tuple[bool, Any]:
    """(found, decoded results) from a cell's outputs: the last probe output naming `test`."""
    for output in reversed(list(outputs)):
        data = output.get("data") if isinstance(output, dict) else None
        sent = data.get(MIME) if isinstance(data, dict) else None
        if isinstance(sent, dict) and sent.get("test") == test:
            return True, wire.decode(sent.get("results"))
    return False, None


def run_check(check: Check, results: Any, say: Say) -> Verdict:
    """Apply a judge's check to decoded results; anything but a pass is a failure with a reason."""
    try:
        check(results)
    except Failed as failed:
        return Verdict(False, failed.message[:MAX_MESSAGE], failed.hint[:MAX_MESSAGE])
    except Exception as error:   # results of the wrong shape (a list too short, a str for an int …)
        reason = f"{type(error).__name__}: {error}"
        message = say(f"结果的形式不对：{reason}", f"the results have the wrong shape: {reason}")
        return Verdict(False, message[:MAX_MESSAGE])
    return Verdict(True)


@dataclass
class Probes:
    """One grading run's judged tests: the inputs handed to the kernel, and how to judge what comes back."""

    env: dict[str, str]                         # tells the kernel's probes where the inputs are
    pending: dict[str, tuple[Check, Say]]       # grade id -> its check, in the notebook's language

    def verdicts(self, nb: Any) -> dict[str, Verdict]:
        """Every judged test's verdict, from the outputs of its cell in the run notebook."""
        cells: dict[str, Any] = {}
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader") if isinstance(cell, dict) else None
            if isinstance(meta, dict) and isinstance(meta.get("grade_id"), str):
                cells.setdefault(meta["grade_id"], cell)
        found: dict[str, Verdict] = {}
        for test, (check, say) in self.pending.items():
            cell = cells.get(test)
            try:
                got, results = probe_results(cell.get("outputs", []) if cell else [], test)
            except wire.WireError as error:
                found[test] = Verdict(False, say(f"这个测试送回的结果无法读取：{error}",
                                                 f"the results this test sent back cannot be read: {error}"))
                continue
            if not got:
                found[test] = Verdict(False, say(
                    "没有收到这个测试的结果：单元格没有运行完，或者被改写了。",
                    "no results came back from this test: its cell did not finish, or it was rewritten."))
                continue
            found[test] = run_check(check, results, say)
        return found


def prepare(job: Any, scratch: Path, nb: Any) -> Probes:
    """Make this run's inputs for every judged test of the notebook from a fresh seed, and write them
    where the kernel's probes read them (never the judges themselves: they stay in this process)."""
    from grader.course import notebook_language
    from grader.languages import DEFAULT_LANG

    if not getattr(job, "judges", None):
        return Probes({}, {})
    judges = load_judges_file(Path(job.judges))
    lang = notebook_language(job.reference.instructor) or DEFAULT_LANG
    present = {cell.grade_id for cell in job.reference.cells}
    seed = secrets.randbits(64)
    inputs: dict[str, Any] = {}
    pending: dict[str, tuple[Check, Say]] = {}
    for test, one in judges.items():
        if test not in present:
            continue
        data, check = one.make(random.Random(f"{seed}:{test}"), lambda zh, en: pick(lang, zh, en))
        inputs[test] = data
        pending[test] = (check, lambda zh, en: pick(lang, zh, en))
    if not pending:
        return Probes({}, {})
    path = scratch / INPUTS_FILE
    path.write_text(wire.dumps(inputs), encoding="utf-8")
    path.chmod(0o644)
    return Probes({INPUTS_ENV: str(path)}, pending)
