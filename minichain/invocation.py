"""How to run this minichain from a shell, for hints printed to a person ("restart it with: ...").

A bare `minichain` works only where the virtual environment's bin folder is on PATH; in a classroom
it often is not. So a hint names the command this very Python installed (`.venv/bin/minichain`),
or, when there is none, `python -m minichain` with this interpreter's path: either works as printed.
"""

from __future__ import annotations

import sys
from pathlib import Path


def cli_command(cwd: Path | None = None) -> str:
    """The shell words that run the minichain CLI with this interpreter, as short as still works:
    relative to `cwd` (default: the current directory) when the script lies below it."""
    here = Path.cwd() if cwd is None else cwd
    script = Path(sys.executable).parent / "minichain"
    if script.is_file():
        return _shorten(script, here)
    return f"{_shorten(Path(sys.executable), here)} -m minichain"


def _shorten(path: Path, cwd: Path) -> str:
    try:
        return str(path.relative_to(cwd))
    except ValueError:
        return str(path)
