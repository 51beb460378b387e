"""The kernel's end of the grader's channel: run the learner's function on the grader's inputs and
show what came back, as data.

A hidden test in a build notebook is a probe, not a verdict:

    probe.each("ex1_hidden", lambda pair: count_changed_bits(*pair))

The grader chose the inputs when it started grading (labs/judges/LAB.py makes them from a fresh
seed) and put them in the file $MINICHAIN_PROBE_INPUTS names; the probe calls the function on each,
catches what it raises, and displays the results with the MIME type below. The grader reads that
output of that cell and judges it in its own process with a pristine minichain: nothing the kernel
does (a hook, a patched module, an object whose == is always true) can change the verdict, only the
data it sends. In the learner's own runs there are no inputs, and the probe says so.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from IPython.display import display

from labkit import wire

MIME = "application/vnd.minichain.probe+json"
INPUTS_ENV = "MINICHAIN_PROBE_INPUTS"


class Probe:
    """Inputs for this grading run, read once (an empty probe outside grading)."""

    def __init__(self) -> None:
        self.inputs: dict[str, Any] = {}
        named = os.environ.get(INPUTS_ENV)
        if named and Path(named).is_file():
            text = Path(named).read_text(encoding="utf-8")
            data = wire.loads(text)
            if isinstance(data, dict):
                self.inputs = {str(key): value for key, value in data.items()}

    def _show(self, test: str, results: Any) -> None:
        display({MIME: {"test": test, "results": wire.encode(results)},
                 "text/plain": f"[{test}: results sent to the grader]"}, raw=True)

    def each(self, test: str, function: Callable[[Any], Any]) -> None:
        """function(case) for every input case of `test`; each raise is kept as that case's result."""
        cases = self.inputs.get(test)
        if not isinstance(cases, list):
            print(f"[{test}: runs when the lab is graded]")
            return
        results = []
        for case in cases:
            try:
                results.append(function(case))
            except Exception as error:  # a learner's function that raises: that is its answer
                results.append(wire.Raised.of(error))
        self._show(test, results)

    def once(self, test: str, function: Callable[[Any], Any]) -> None:
        """function(inputs) once, for a test whose inputs are one value."""
        if test not in self.inputs:
            print(f"[{test}: runs when the lab is graded]")
            return
        try:
            result = function(self.inputs[test])
        except Exception as error:
            result = wire.Raised.of(error)
        self._show(test, result)
