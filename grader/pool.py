"""Grade many notebooks in parallel worker processes that a hostile notebook cannot take down together.

Each worker is a process of its own session with rlimits (memory, file size, no core dumps) and a child
subreaper, so whatever a notebook spawns is killed when it is done. Its kernels run in the sandbox
(sandbox.py), each notebook in a fresh cgroup under the pool's (cgroups.py); a root worker also has its
own mount namespace, where each notebook's workspace is a size-bounded tmpfs. The parent hands out one
notebook at a time, watches each against an overall deadline, and replaces a worker that dies or hangs:
that notebook gets an `error` or `timeout` row, the batch goes on. At the end every cgroup is emptied
(SIGKILL to each task) and removed.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import resource
import shutil
import signal
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path

from grader import sandbox
from grader.cgroups import Hierarchy
from grader.grading import GradeJob, GradeResult, error_result, grade_job
from grader.runner import IOPUB_GRACE, MAX_RESTARTS

PR_SET_CHILD_SUBREAPER = 36
KERNEL_START_ALLOWANCE = 60   # seconds per kernel start in the overall deadline


def default_jobs() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def deadline_for(job: GradeJob) -> float:
    """Seconds a whole notebook may take: every cell at its limit, every kernel replaced. A safety net."""
    per_kernel = KERNEL_START_ALLOWANCE + job.code_cells * (job.timeout + IOPUB_GRACE + 2)
    return 30.0 + (MAX_RESTARTS + 1) * per_kernel


def _become_subreaper() -> None:
    """Orphans of this worker's kernels (double-forked daemons) become its children, so it can kill them."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _limit_resources(memory_mb: int) -> None:
    """Limits inherited by every kernel this worker starts; soft and hard, so a notebook cannot lift them."""
    limit = memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))        # heap and anonymous mmap
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))       # no single file larger than that
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _kill_descendants() -> None:
    """Kill what a notebook left running (its kernel, anything it spawned) and reap it."""
    import psutil

    with contextlib.suppress(psutil.Error):
        children = psutil.Process().children(recursive=True)
        for child in children:
            with contextlib.suppress(psutil.Error):
                child.kill()
        psutil.wait_procs(children, timeout=5)
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def _worker_main(conn: Connection, memory_mb: int, cgroups: dict[str, str]) -> None:
    os.setsid()   # Ctrl-C at the terminal is the parent's to handle; it stops the workers itself
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _become_subreaper()
    _limit_resources(memory_mb)
    hierarchy = Hierarchy(cgroups)
    private = sandbox.private_mounts()   # still single-threaded here, as unshare(CLONE_NEWNS) wants
    number = 0
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):   # the parent is gone
            return
        if job is None:
            return
        number += 1
        workspace = Path(tempfile.mkdtemp(prefix="grader-"))
        mounted = private and job.policy is not None and job.policy.sandboxed and sandbox.mount_scratch(
            workspace, job.policy.memory_mb + sandbox.SCRATCH_EXTRA_MB)
        group = hierarchy.child(f"{os.getpid()}-{number}", memory_bytes=memory_mb * 2**20,
                                tasks=job.policy.tasks if job.policy else sandbox.TASKS)
        conn.send(("workspace", str(workspace)))
        try:
            result = grade_job(job, on_kernel=lambda pid: conn.send(("kernel", pid)), workspace=workspace,
                               cgroup=group)
        except BaseException as exc:  # a grader bug must still give an honest row, not a lost batch
            reason = " ".join(str(exc).split())[:160]
            result = error_result(job, f"grader failure: {type(exc).__name__}: {reason}")
        finally:
            group.remove()        # first, so nothing can write into the workspace while it is removed
            _kill_descendants()
            if mounted:
                sandbox.unmount_scratch(workspace)
            shutil.rmtree(workspace, ignore_errors=True)
        try:
            conn.send(("done", result))
        except (BrokenPipeError, OSError):
            return


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    job: GradeJob | None = None
    deadline: float = 0.0
    kernels: set[int] = field(default_factory=set)
    workspace: str | None = None

    def kill(self) -> None:
        for pid in self.kernels:  # kernels run in their own sessions: their process group is their pid
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()
        self.process.join(5)
        self.conn.close()
        if self.workspace:
            shutil.rmtree(self.workspace, ignore_errors=True)


class Pool:
    """N worker processes grading one notebook each at a time."""

    def __init__(self, jobs: int, memory_mb: int = 2048) -> None:
        self.size = max(1, jobs)
        self.memory_mb = memory_mb
        self.cgroups: Hierarchy | None = None
        methods = multiprocessing.get_all_start_methods()
        # forkserver: workers are forked from a small clean server that preloaded the grader (fast
        # starts), never from the caller, whose address space may be large (a test run, a notebook
        # server) and would count against the workers' memory limit.
        if "forkserver" in methods:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["grader.pool"])
            self._context: multiprocessing.context.BaseContext = context
        else:
            self._context = multiprocessing.get_context("spawn")

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(  # type: ignore[attr-defined]  # typeshed: BaseContext
            target=_worker_main, args=(child, self.memory_mb, self.cgroups.paths if self.cgroups else {}),
            daemon=True, name="grader-worker")
        process.start()
        child.close()
        return _Worker(process, parent)

    def run(self, jobs: Iterable[GradeJob], on_result: Callable[[GradeResult], None] = lambda r: None,
            ) -> list[GradeResult]:
        """Grade every job; results in completion order (each also passed to on_result)."""
        pending = deque(jobs)
        workers: list[_Worker] = []
        results: list[GradeResult] = []
        self.cgroups = Hierarchy.create(f"minichain-grader-{os.getpid()}")

        def finish(worker: _Worker, result: GradeResult) -> None:
            worker.job, worker.kernels, worker.workspace = None, set(), None
            results.append(result)
            on_result(result)

        try:
            while pending or any(w.job for w in workers):
                while pending and (len(workers) < self.size or any(w.job is None for w in workers)):
                    idle = next((w for w in workers if w.job is None), None) or self._spawn_into(workers)
                    job = pending.popleft()
                    idle.job, idle.deadline = job, time.monotonic() + deadline_for(job)
                    idle.conn.send(job)
                busy = [w for w in workers if w.job]
                ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=0.5)
                for worker in busy:
                    if worker.job is None:
                        continue
                    if worker.conn in ready:
                        self._receive(worker, finish, workers)
                    elif worker.process.sentinel in ready or not worker.process.is_alive():
                        died = error_result(worker.job, _death(worker.process))
                        self._replace(worker, workers, finish, died)
                    elif time.monotonic() > worker.deadline:
                        job = worker.job
                        limit = deadline_for(job)
                        self._replace(worker, workers, finish, GradeResult(
                            job.student, job.lab, job.name, "timeout", None, job.reference.max_score,
                            f"the notebook ran past the overall limit of {limit:.0f} s; not graded",
                            seconds=limit))
        finally:
            for worker in workers:
                if worker.job is None:
                    with contextlib.suppress(OSError):
                        worker.conn.send(None)
                    worker.process.join(2)
                worker.kill()
            self.cgroups.remove()   # whatever a killed worker's notebook left running goes now
        return results

    def _spawn_into(self, workers: list[_Worker]) -> _Worker:
        worker = self._start()
        workers.append(worker)
        return worker

    def _receive(self, worker: _Worker, finish: Callable[[_Worker, GradeResult], None],
                 workers: list[_Worker]) -> None:
        job = worker.job
        if job is None:
            return
        try:
            while worker.conn.poll():
                kind, payload = worker.conn.recv()
                if kind == "kernel":
                    worker.kernels.add(int(payload))
                elif kind == "workspace":
                    worker.workspace = str(payload)
                elif kind == "done":
                    finish(worker, payload)
                    return
        except (EOFError, OSError):
            worker.process.join(10)
            self._replace(worker, workers, finish, error_result(job, _death(worker.process)))

    def _replace(self, worker: _Worker, workers: list[_Worker],
                 finish: Callable[[_Worker, GradeResult], None], result: GradeResult) -> None:
        worker.kill()
        workers.remove(worker)
        finish(worker, result)


def _death(process: BaseProcess) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        return f"the grading worker died (killed by signal {-code})"
    return "the grading worker died" + (f" (exit code {code})" if code is not None else "")


def run_jobs(jobs: list[GradeJob], *, workers: int, memory_mb: int,
             on_result: Callable[[GradeResult], None] = lambda r: None) -> list[GradeResult]:
    """Grade jobs on a fresh pool; never more workers than jobs."""
    if not jobs:
        return []
    return Pool(min(workers, len(jobs)), memory_mb).run(jobs, on_result)
