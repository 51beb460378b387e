"""Bounded logs: a peer must not be able to fill a node's disk, or its terminal, through its log.

Lines of one kind (logger, level, message template, and a `rate_key` where one template serves
many kinds) pass at most LINES_PER_WINDOW times per window; the rest are counted and reported in
one line, "… N similar lines suppressed". A node run from its data dir writes DATA/node.log
itself, rotated by size (logging.handlers.RotatingFileHandler, as syslog's logrotate would), so
the log never takes more than LOG_BYTES × (1 + LOG_BACKUPS) of disk; stdout is limited the same way.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from minichain.errors import StoreOpenError

RATE_KEY = "rate_key"  # log.info(..., extra={RATE_KEY: kind}): count this kind on its own
LINES_PER_WINDOW = 20  # lines of one kind shown per window at most
WINDOW_SECONDS = 1.0
MAX_KINDS = 1000  # kinds counted at once; lines of any further kind share one budget
LOG_FILE = "node.log"
LOG_BYTES = 10 * 1024 * 1024  # node.log is rotated (to node.log.1, .2) when it reaches this size
LOG_BACKUPS = 2  # rotated files kept
LOG_FORMAT = "%(asctime)s %(levelname)s %(message)s"
SHOWN_CHARS = 200  # of the last suppressed line, quoted in the summary

Kind = tuple[str, int, str, object]


@dataclass
class _Window:
    start: float  # when this kind's current window began (the handler's clock)
    shown: int = 0  # lines passed on in this window
    suppressed: int = 0  # lines dropped in this window
    last: logging.LogRecord | None = None  # the last line dropped


class RateLimited(logging.Handler):
    """Passes at most `lines` records of each kind per `window` seconds on to `target`; when a
    window in which some were dropped is over, passes one line saying how many (with the next
    record of any kind, or when the handler is flushed or closed)."""

    def __init__(self, target: logging.Handler, lines: int = LINES_PER_WINDOW,
                 window: float = WINDOW_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.target, self.lines, self.window, self.clock = target, lines, window, clock
        self._windows: dict[Kind, _Window] = {}
        self._swept = clock()

    def emit(self, record: logging.LogRecord) -> None:
        now = self.clock()
        if now - self._swept >= self.window:
            self._sweep(now)
        kind: Kind = (record.name, record.levelno, str(record.msg), getattr(record, RATE_KEY, None))
        if kind not in self._windows and len(self._windows) >= MAX_KINDS:
            kind = ("", record.levelno, "(too many kinds of line)", None)
        window = self._windows.get(kind)
        if window is None or now - window.start >= self.window:
            if window is not None:
                self._report(window)
            window = self._windows[kind] = _Window(start=now)
        if window.shown < self.lines:
            window.shown += 1
            self.target.handle(record)
        else:
            window.suppressed += 1
            window.last = record

    def _sweep(self, now: float) -> None:
        """Report and forget every window that is over (so the table holds only recent kinds)."""
        for kind, window in list(self._windows.items()):
            if now - window.start >= self.window:
                self._report(window)
                del self._windows[kind]
        self._swept = now

    def _report(self, window: _Window) -> None:
        last = window.last
        if window.suppressed and last is not None:
            self.target.handle(logging.makeLogRecord({
                "name": last.name, "levelno": last.levelno, "levelname": last.levelname,
                "msg": "… %d similar lines suppressed in %g s; the last: %s",
                "args": (window.suppressed, self.window, last.getMessage()[:SHOWN_CHARS])}))
        window.suppressed, window.last = 0, None

    def flush(self) -> None:
        self.acquire()
        try:
            for window in self._windows.values():
                self._report(window)
        finally:
            self.release()
        self.target.flush()

    def close(self) -> None:
        self.flush()
        self.target.close()
        super().close()


@contextlib.contextmanager
def node_logging(data_dir: Path, echo: bool, level: int = logging.INFO) -> Iterator[Path]:
    """While inside: log lines at `level` and up go to DATA/node.log (rotated) and, if `echo`, to
    stdout, each rate-limited. Yields the log file's path.

    Raises:
        StoreOpenError: the log file cannot be opened (check "read-only" or "unreadable").
    """
    path = data_dir / LOG_FILE
    try:
        file = logging.handlers.RotatingFileHandler(path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS,
                                                    encoding="utf-8")
    except OSError as error:
        check = "read-only" if isinstance(error, PermissionError) else "unreadable"
        raise StoreOpenError(f"cannot write {path}: {error.strerror}", check=check, path=str(path)) from None
    targets: list[logging.Handler] = [file]
    if echo:
        targets.append(logging.StreamHandler(sys.stdout))
    handlers = []
    for target in targets:
        target.setFormatter(logging.Formatter(LOG_FORMAT))
        handlers.append(RateLimited(target))
    root = logging.getLogger()
    previous = root.level
    root.setLevel(level)
    quiet = logging.getLogger("httpx")
    quiet_before = quiet.level
    quiet.setLevel(logging.WARNING)  # not one line per peer request
    for handler in handlers:
        root.addHandler(handler)
    try:
        yield path
    finally:
        for handler in handlers:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(previous)
        quiet.setLevel(quiet_before)
