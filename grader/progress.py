"""A one-line progress bar on the terminal for long grading batches (no dependency; silent when piped).

Redrawn in place with a carriage return on stderr: done/total, percent, elapsed, an estimate of the time
left, and the statuses so far, so an instructor sees a `tampered` or `error` before the batch ends.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from typing import TextIO

from grader import STATUSES


def _clock(seconds: float) -> str:
    seconds = int(max(0, seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class Progress:
    """Call .advance(status) per finished notebook, then .close()."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None, enabled: bool | None = None,
                 width: int = 24) -> None:
        self.total, self.label, self.width = total, label, width
        self.stream = stream if stream is not None else sys.stderr
        tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = tty if enabled is None else enabled
        self.done = 0
        self.counts: Counter[str] = Counter()
        self.started = time.monotonic()
        self._draw()

    def advance(self, status: str) -> None:
        self.done += 1
        self.counts[status] += 1
        self._draw()

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        fraction = self.done / self.total if self.total else 1.0
        filled = int(self.width * fraction)
        bar = "#" * filled + "-" * (self.width - filled)
        left = (f" ~{_clock(elapsed / self.done * (self.total - self.done))} left"
                if 0 < self.done < self.total else "")
        tally = " ".join(f"{s} {self.counts[s]}" for s in STATUSES if self.counts[s])
        return (f"{self.label} [{bar}] {self.done}/{self.total} {fraction:4.0%} {_clock(elapsed)}{left}"
                f"{'  ' + tally if tally else ''}")

    def _draw(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[2K" + self.line())
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
