"""Run one notebook in its own kernel, cell by cell, with a per-cell timeout that hostile cells cannot beat.

nbgrader's Execute preprocessor (an nbclient NotebookClient) interrupts a cell that runs past the timeout
and goes on. A cell that ignores the interrupt, or kills its kernel (os._exit, a memory bomb under the
worker's rlimit), would end the whole notebook there. Here such a cell is marked failed, a fresh kernel
replays the cells that had completed, and the rest of the notebook still runs and is graded.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import zmq
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Integer

from grader.nbio import new_output

MAX_RESTARTS = 3          # fresh kernels per notebook after a hung or dead one
OUTPUT_LIMIT = 2_000_000  # characters of output kept per cell (an output bomb fills the worker otherwise)
MESSAGE_LIMIT = 32 * 2**20  # bytes of one message from a kernel; zmq drops a larger one before it is read
IOPUB_GRACE = 5           # seconds an interrupted cell gets to stop before its kernel is replaced


@dataclass
class RunReport:
    """What happened while running, by index in the run notebook."""

    timed_out: list[int] = field(default_factory=list)        # ran past the limit, then stopped
    ignored_interrupt: list[int] = field(default_factory=list)  # ran past the limit and kept running
    died: list[int] = field(default_factory=list)             # the kernel died during the cell
    not_run: list[int] = field(default_factory=list)          # never run: no kernel could be recovered
    restarts: int = 0
    startup_error: str | None = None


class GuardedExecute(Execute):  # type: ignore[misc]  # nbgrader ships no type information
    """nbgrader's Execute preprocessor with a cap on each cell's output and a record of timeouts."""

    max_output_chars = Integer(OUTPUT_LIMIT).tag(config=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timed_out = False
        self._sizes: dict[int, int] = {}

    async def _async_handle_timeout(self, timeout: int, cell: NotebookNode | None = None) -> Any:
        self.timed_out = True
        return await super()._async_handle_timeout(timeout, cell)

    def output(self, outs: list[NotebookNode], msg: dict[str, Any], display_id: str | None,
               cell_index: int) -> NotebookNode | None:
        content = msg.get("content", {})
        if msg.get("msg_type") != "error":  # errors are what grading reads: always keep them
            data = content.get("data", {})
            size = len(str(content.get("text", ""))) + sum(len(str(v)) for v in data.values())
            used = self._sizes.get(cell_index, 0)
            self._sizes[cell_index] = used + size
            if used + size > self.max_output_chars:
                if used <= self.max_output_chars:
                    outs.append(new_output("stream", name="stdout",
                                           text="\n[grader: further output of this cell was dropped]\n"))
                return None
        result: NotebookNode | None = super().output(outs, msg, display_id, cell_index)
        return result


class KernelFolders:
    """A fresh folder per kernel for its ipc sockets and connection file (no ports to race for, no stray
    tmp*.json in the system's temporary folder). The sandbox's version also locks a started one."""

    def __init__(self, ipc: Path) -> None:
        self.ipc = ipc

    def make(self, number: int) -> Path:
        folder = self.ipc / f"k{number}"
        folder.mkdir(mode=0o700)
        return folder

    def started(self, folder: Path) -> None:
        """The kernel has bound its sockets and answered."""


class BoundedKernelManager(AsyncKernelManager):
    """A kernel manager whose clients refuse messages over MESSAGE_LIMIT (ZMQ_MAXMSGSIZE): a kernel that
    sends one 600 MB message took 1.9 GB of the grader's worker to receive and decode (measured)."""

    def client(self, **kwargs: Any) -> Any:
        self.context.setsockopt(zmq.MAXMSGSIZE, MESSAGE_LIMIT)
        return super().client(context=self.context, **kwargs)


class SandboxedSpecs(KernelSpecManager):
    """Every kernel name means the one sandboxed Python kernel (see sandbox.kernel_argv). Interrupts are
    sent as messages: a SIGINT to the process group would reach bwrap, which dies of it."""

    def __init__(self, argv: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.argv = argv

    def get_kernel_spec(self, kernel_name: str, *args: Any, **kwargs: Any) -> KernelSpec:
        return KernelSpec(argv=self.argv, display_name="Python 3 (grader sandbox)", language="python",
                          interrupt_mode="message", metadata={})


def _error_output(ename: str, evalue: str) -> NotebookNode:
    return new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def _code_cells(nb: NotebookNode) -> list[int]:
    return [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code" and cell.source.strip()]


async def _run(nb: NotebookNode, workdir: Path, folders: KernelFolders, *, timeout: int, env: dict[str, str],
               config: Any, on_kernel: Callable[[int], None], kernel_argv: list[str] | None) -> RunReport:
    report = RunReport()
    todo = _code_cells(nb)
    done: list[int] = []
    count = 0
    while todo:
        specs = {"kernel_spec_manager": SandboxedSpecs(kernel_argv)} if kernel_argv else {}
        folder = folders.make(report.restarts)
        km = BoundedKernelManager(kernel_name=nb.metadata.get("kernelspec", {}).get("name") or "python3",
                                transport="ipc", ip=str(folder / "s"),
                                connection_file=str(folder / "kernel.json"), **specs)
        settings: dict[str, Any] = dict(timeout=timeout, iopub_timeout=IOPUB_GRACE, startup_timeout=60,
                                        shutdown_kernel="immediate",
                                        extra_arguments=["--HistoryManager.hist_file=:memory:"])
        client = GuardedExecute(config=config, **settings)
        # as nbconvert's ExecutePreprocessor.preprocess does; this re-initialisation reloads the config,
        # so the settings are given again (else the course's Execute.timeout replaces the one asked for)
        NotebookClient.__init__(client, nb, km, **settings)
        restart = False
        try:
            async with client.async_setup_kernel(env=env, cwd=str(workdir), stdout=subprocess.DEVNULL,
                                                 stderr=subprocess.DEVNULL):
                folders.started(folder)
                pid = getattr(km.provisioner, "pid", None)
                if isinstance(pid, int):
                    on_kernel(pid)
                for index in done:  # replay what had completed before the kernel was replaced
                    client.timed_out = False
                    await client.async_execute_cell(nb.cells[index], index, execution_count=index + 1)
                    if client.timed_out:
                        raise CellTimeoutError("a replayed cell ran past the limit")
                while todo:
                    index = todo.pop(0)
                    cell = nb.cells[index]
                    client.timed_out = False
                    count += 1
                    try:
                        await client.async_execute_cell(cell, index, execution_count=count)
                    except CellTimeoutError:
                        report.ignored_interrupt.append(index)
                        cell.outputs.append(_error_output(
                            "CellTimeoutError", f"ran past {timeout} s and ignored the interrupt"))
                        restart = True
                        break
                    except DeadKernelError:
                        report.died.append(index)
                        cell.outputs.append(_error_output("DeadKernelError", "the kernel died in this cell"))
                        restart = True
                        break
                    if client.timed_out:   # interrupted: its half-done work is not replayed later
                        report.timed_out.append(index)
                    else:
                        done.append(index)
        except (CellTimeoutError, DeadKernelError):
            restart = True  # a replayed cell hung or died this time
        except Exception as exc:  # the kernel did not start: nothing can run
            report.startup_error = f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
            report.not_run.extend(todo)
            return report
        if restart:
            report.restarts += 1
            if report.restarts > MAX_RESTARTS:
                break
    for index in todo:
        report.not_run.append(index)
        nb.cells[index].outputs = [_error_output("NotRun", "no kernel could be recovered to run this cell")]
    return report


def run_notebook(nb: NotebookNode, workdir: Path, *, timeout: int, config: Any = None,
                 env: dict[str, str] | None = None, folders: KernelFolders | None = None,
                 kernel_argv: list[str] | None = None,
                 on_kernel: Callable[[int], None] = lambda pid: None) -> RunReport:
    """Execute nb in place in a fresh kernel started in workdir (by kernel_argv, the sandbox's command,
    if given); its sockets are made in folders (default: ipc/ beside workdir); outputs land in the cells."""
    if folders is None:
        (workdir.parent / "ipc").mkdir(exist_ok=True)
        folders = KernelFolders(workdir.parent / "ipc")
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    env = dict(env if env is not None else os.environ)
    return asyncio.run(_run(nb, workdir, folders, timeout=timeout, env=env, config=config,
                            on_kernel=on_kernel, kernel_argv=kernel_argv))
