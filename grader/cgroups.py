"""Control groups (cgroup v1 `memory` and `pids`) that bound a whole sandbox, not one of its processes.

An rlimit is per process: a notebook that forks ten children has ten address-space budgets, and a
shared anonymous mmap or a tmpfs file is charged to nobody's data segment. A cgroup counts every page
(anonymous, shared, tmpfs) and every task of all the processes in it, and the kernel stops or kills them
at its limit. Each pool of workers gets one parent group nested in the grader's own (so whatever limits
the grader lives under still apply), each notebook one child; the launcher joins it before any learner
code exists. See the kernel's Documentation/admin-guide/cgroup-v1/{memory,pids}.rst.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

MOUNT = Path("/sys/fs/cgroup")
CONTROLLERS = ("memory", "pids")


def own_group(controller: str, mount: Path = MOUNT) -> Path | None:
    """The folder of this process's own cgroup for a v1 controller, or None where there is none."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, names, path = line.split(":", 2)
        if controller in names.split(","):
            folder = mount / controller / path.lstrip("/")
            return folder if (folder / "cgroup.procs").is_file() else None
    return None


@dataclass(frozen=True)
class Stats:
    """What a notebook's sandbox used, read from its cgroup after the run."""

    memory_peak: int | None = None   # bytes: memory.max_usage_in_bytes (RSS, page cache, tmpfs, shm)
    memory_hits: int = 0             # times an allocation hit the limit (memory.failcnt)
    oom_kills: int = 0               # processes the kernel's OOM killer stopped (memory.oom_control)
    pids_refused: int = 0            # forks refused at the task limit (pids.events "max")


@dataclass(frozen=True)
class Group:
    """One notebook's cgroups: a folder per controller that was writable (None: not limited by it)."""

    memory: str | None = None
    pids: str | None = None

    @property
    def folders(self) -> tuple[str, ...]:
        return tuple(f for f in (self.memory, self.pids) if f)

    def procs_files(self) -> list[str]:
        """The files the launcher writes its pid into to join."""
        return [str(Path(f) / "cgroup.procs") for f in self.folders]

    def stats(self) -> Stats:
        memory = Path(self.memory) if self.memory else None
        peak = _read_int(memory / "memory.max_usage_in_bytes") if memory else None
        hits = _read_int(memory / "memory.failcnt") if memory else None
        oom = _field(memory / "memory.oom_control", "oom_kill") if memory else 0
        refused = _field(Path(self.pids) / "pids.events", "max") if self.pids else 0
        return Stats(peak, hits or 0, oom, refused)

    def kill(self) -> None:
        """SIGKILL every task in the group until none is left (a fork racing the kill is caught next)."""
        for folder in self.folders:
            _kill_all(Path(folder))

    def remove(self) -> None:
        """Kill what is left and delete the folders."""
        self.kill()
        for folder in self.folders:
            _rmdir(Path(folder))


class Hierarchy:
    """A pool's parent cgroups, one per writable controller; children are created per notebook."""

    def __init__(self, folders: dict[str, str]) -> None:
        self.folders = {controller: Path(folder) for controller, folder in folders.items()}

    @classmethod
    def create(cls, name: str, mount: Path = MOUNT) -> Hierarchy:
        """Parents named name inside this process's own groups, for every controller that lets us."""
        folders: dict[str, str] = {}
        for controller in CONTROLLERS:
            base = own_group(controller, mount)
            if base is None:
                continue
            folder = base / name
            try:
                folder.mkdir(exist_ok=True)
                if controller == "memory":   # v1: the children's charges count against the parents'
                    _write(folder / "memory.use_hierarchy", "1", strict=False)
            except OSError:
                continue
            folders[controller] = str(folder)
        return cls(folders)

    @property
    def paths(self) -> dict[str, str]:
        """Picklable form, for the workers."""
        return {controller: str(folder) for controller, folder in self.folders.items()}

    @property
    def controllers(self) -> tuple[str, ...]:
        return tuple(self.folders)

    def child(self, name: str, *, memory_bytes: int, tasks: int) -> Group:
        """A fresh group for one notebook with its limits set (controllers that refuse are left out)."""
        made: dict[str, str] = {}
        for controller, parent in self.folders.items():
            folder = parent / name
            try:
                if folder.exists():
                    _kill_all(folder)
                    _rmdir(folder)
                folder.mkdir()
                if controller == "memory":
                    _write(folder / "memory.limit_in_bytes", str(memory_bytes))
                    # no swap on this machine; where there is, memory+swap gets the same limit
                    _write(folder / "memory.memsw.limit_in_bytes", str(memory_bytes), strict=False)
                    _write(folder / "memory.swappiness", "0", strict=False)
                else:
                    _write(folder / "pids.max", str(tasks))
            except OSError:
                _rmdir(folder)
                continue
            made[controller] = str(folder)
        return Group(memory=made.get("memory"), pids=made.get("pids"))

    def remove(self) -> None:
        """Kill and delete every child, then the parents."""
        for parent in self.folders.values():
            with contextlib.suppress(OSError):
                for child in parent.iterdir():
                    if child.is_dir():
                        _kill_all(child)
                        _rmdir(child)
            _kill_all(parent)
            _rmdir(parent)


def _read_int(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _field(path: Path, key: str) -> int:
    """The value of `key value` line in a cgroup's flat-keyed file (0 if absent)."""
    try:
        for line in path.read_text().splitlines():
            name, _, value = line.partition(" ")
            if name == key:
                return int(value)
    except (OSError, ValueError):
        pass
    return 0


def _write(path: Path, value: str, *, strict: bool = True) -> None:
    try:
        path.write_text(value)
    except OSError:
        if strict:
            raise


def _tasks(folder: Path) -> list[int]:
    try:
        return [int(line) for line in (folder / "cgroup.procs").read_text().split()]
    except (OSError, ValueError):
        return []


def _kill_all(folder: Path, patience: float = 5.0) -> None:
    deadline = time.monotonic() + patience
    while (tasks := _tasks(folder)) and time.monotonic() < deadline:
        for pid in tasks:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.02)


def _rmdir(folder: Path, patience: float = 5.0) -> None:
    """rmdir a cgroup; it refuses while a dying task is still being reaped, so retry briefly."""
    deadline = time.monotonic() + patience
    while folder.exists():
        try:
            folder.rmdir()
            return
        except OSError:
            if time.monotonic() > deadline:
                return
            time.sleep(0.02)
