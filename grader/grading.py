"""Grade one submitted notebook, start to finish, in a private temporary folder: one row of the CSV.

Read it (unreadable: `error`), rebuild it around the course's tests (changed tests: `tampered`), run it
in its own sandboxed kernel (a cell past the limit: `timeout`; a dead kernel: `error`), score every graded
cell with nbgrader's own rule (utils.determine_grade: an error or stderr output is 0, else full or partial
points), and optionally render feedback. The kernel can write only to its scratch copy in the temporary
folder, which is then deleted.
"""

from __future__ import annotations

import contextlib
import copy
import fnmatch
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbformat import NotebookNode

from grader import judging, marks, sandbox
from grader.cgroups import Group, Stats
from grader.course import Reference, nbgrader_meta, normalize, read_notebook_text
from grader.errors import SandboxUnavailable
from grader.integrity import Canonical, canonicalize
from grader.judging import Verdict
from grader.marks import Mark
from grader.runner import KernelFolders, RunReport, run_notebook
from grader.sandbox import Policy
from labkit import answers

MAX_FILE_BYTES = 100 * 2**20   # nbgrader's default CourseDirectory.max_file_size
NOT_ANSWERED = "Not answered: the cell is as it was handed out."
NOT_WRITTEN = "Not answered: nothing was written in the answer box."
log = logging.getLogger("grader")


@dataclass(frozen=True)
class GradeJob:
    """Everything a worker needs to grade one learner's notebook (picklable)."""

    student: str
    lab: str
    name: str                     # notebook id (file name without .ipynb)
    notebook: bytes               # the submitted file, read once by the parent before any kernel runs
    reference: Reference
    student_dir: str | None       # the learner's lab folder: its other files sit beside the notebook
    source_dir: str | None        # course source/<lab>: its data files win over the learner's (nbgrader)
    timeout: int = 30
    config: Any = None            # the course's traitlets Config (Execute, LimitOutput, IgnorePattern ...)
    ignore: tuple[str, ...] = (".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback")
    feedback: bool = False
    policy: Policy | None = None  # how learner code runs (sandbox.choose); None refuses to run it
    marks: dict[str, Mark] = field(default_factory=dict)   # marks given by hand, by cell (marks.py)
    judges: str | None = None     # the lab's labs/judges/LAB.py: verdicts computed outside the kernel

    @property
    def code_cells(self) -> int:
        """An upper bound on the cells to run, for the parent's overall deadline."""
        return self.notebook.count(b'"code"') + len(self.reference.cells)


@dataclass(frozen=True)
class CellScore:
    """One graded cell: autograded (a test) or manual (a written answer or task, None until graded)."""

    grade_id: str
    kind: str               # "auto" or "manual"
    score: float | None     # None: awaiting marking
    max_score: float
    digest: str = ""        # manual: SHA-256 of the answer (marks.py), so a mark fits this answer only
    comment: str = ""       # manual: the marker's comment
    message: str = ""       # judged: why it did not pass, and a hint (what the learner reads)


@dataclass(frozen=True)
class GradeResult:
    """One row of the results: student x notebook."""

    student: str
    lab: str
    name: str
    status: str             # ok | missing | error | timeout | tampered
    score: float | None     # None: not graded (unreadable); see detail
    max_score: float
    detail: str = ""
    cells: tuple[CellScore, ...] = field(default=())
    seconds: float = 0.0
    feedback_html: str | None = None
    errors: tuple[str, ...] = ()   # "cell 7 (setup): NameError: …": cells other than tests that raised


MAX_ERRORS_KEPT = 20   # error lines kept per notebook (a notebook can raise in every cell)


def cell_errors(nb: NotebookNode) -> tuple[str, ...]:
    """One line per cell that raised, in cell order; not the tests (a failing test is a score)."""
    found = []
    for index, cell in enumerate(nb.cells, start=1):
        meta = nbgrader_meta(cell) or {}
        if meta.get("grade") and not meta.get("solution"):
            continue
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            if output.get("output_type") == "error":
                grade_id = meta.get("grade_id")
                where = f"cell {index}" + (f" ({grade_id})" if grade_id else "")
                found.append(_one_line(f"{where}: {output.get('ename')}: {output.get('evalue')}", 160))
                break
    return tuple(found[:MAX_ERRORS_KEPT])


def missing_result(student: str, ref: Reference, detail: str) -> GradeResult:
    """A learner who did not hand this notebook in: 0 points, and said so."""
    return GradeResult(student, ref.lab, ref.name, "missing", 0.0, ref.max_score, detail)


def error_result(job: GradeJob, detail: str, seconds: float = 0.0) -> GradeResult:
    """A notebook that could not be graded: no score, the reason instead."""
    return GradeResult(job.student, job.lab, job.name, "error", None, job.reference.max_score, detail,
                       seconds=seconds)


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _copy_tree(src: Path, dest: Path, ignore: tuple[str, ...], *, notebooks: bool) -> None:
    """Regular files only (a symlink could point into another submission), small enough, not ignored."""
    for folder, dirs, files in os.walk(src, followlinks=False):
        dirs[:] = [d for d in dirs if not any(fnmatch.fnmatch(d, g) for g in ignore)
                   and not os.path.islink(os.path.join(folder, d))]
        for name in files:
            path = Path(folder) / name
            if any(fnmatch.fnmatch(name, g) for g in ignore) or (not notebooks and name.endswith(".ipynb")):
                continue
            if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
                continue
            target = dest / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                target.unlink()
            shutil.copyfile(path, target)


def _unsandboxed_env(root: Path) -> dict[str, str]:
    """--unsafe-no-sandbox: the grader's environment, with home and temporary folder in the workspace."""
    home, tmp = root / "home", root / "tmp"
    home.mkdir()
    tmp.mkdir()
    env = dict(os.environ)
    env.update(HOME=str(home), TMPDIR=str(tmp), NBGRADER_EXECUTION="autograde", MPLBACKEND="Agg",
               PYTHONDONTWRITEBYTECODE="1")
    env.pop("JPY_SESSION_NAME", None)   # a grader started from a notebook must not point labkit at it
    return env


def hand_over_answers(submitted: NotebookNode, student_dir: str | None, workdir: Path,
                      name: str) -> dict[str, answers.Record]:
    """Put the answers a learner clicked (recorded in the submitted notebook's outputs and in the answers
    file handed in beside it) into the answers file the grading kernel reads, and return them. The
    run notebook's locked cells are the course's own, without the learner's outputs, so this is how
    the answers reach the kernel. Both sources are untrusted data, parsed strictly (labkit.answers)."""
    handed = answers.from_file(answers.sidecar_path(Path(student_dir), name)) if student_dir else []
    records = answers.merge(handed, answers.from_notebook(submitted))
    sidecar = answers.sidecar_path(workdir, name)
    sidecar.unlink(missing_ok=True)
    if records:
        answers.write_file(sidecar, records.values())
    return records


def written_answers(records: Mapping[str, answers.Record]) -> dict[str, str]:
    """The written answers among the recorded ones (text typed into a labkit essay box), by question id."""
    return {qid: record.value for qid, record in records.items() if isinstance(record.value, str)}


def _run(canon: Canonical, job: GradeJob, root: Path, workdir: Path, cgroup: Group | None,
         on_kernel: Callable[[int], None], env: Mapping[str, str]) -> RunReport:
    policy = job.policy
    if policy is None:
        raise SandboxUnavailable("no sandbox policy for this job: learner code is not run")
    ipc = root / "ipc"
    ipc.mkdir(mode=0o755)
    if not policy.sandboxed:
        return run_notebook(canon.nb, workdir, timeout=job.timeout, config=job.config,
                            folders=KernelFolders(ipc), env={**_unsandboxed_env(root), **env},
                            on_kernel=on_kernel)
    etc = sandbox.prepare_workspace(policy, root, root / "sub")
    argv = sandbox.kernel_argv(policy, scratch=root / "sub", cwd=workdir, ipc=ipc, etc=etc,
                               join=cgroup.procs_files() if cgroup else [], env=env)
    return run_notebook(canon.nb, workdir, timeout=job.timeout, config=job.config, kernel_argv=argv,
                        folders=sandbox.SealedKernelFolders(ipc, policy), on_kernel=on_kernel)


def score_cells(nb: NotebookNode, ref: Reference, written: Mapping[str, str] | None = None,
                verdicts: Mapping[str, Verdict] | None = None) -> tuple[CellScore, ...]:
    """Each graded cell's score: a judged test by its judge's verdict (computed outside the kernel),
    any other test by nbgrader's rule (utils.determine_grade). A task answered in an essay box
    (labkit) waits for its mark if the learner wrote something, else scores 0 as not answered."""
    from nbgrader.utils import determine_grade

    run = {str(meta.get("grade_id")): cell for cell in nb.cells if (meta := nbgrader_meta(cell))}
    scores = []
    for rc in ref.cells:
        if not (rc.kind[0] or rc.kind[3]):
            continue
        kind = "manual" if rc.is_manual else "auto"
        cell = run.get(rc.grade_id)
        verdict = (verdicts or {}).get(rc.grade_id)
        if verdict is not None:
            said = "\n".join(part for part in (verdict.message, verdict.hint) if part)
            scores.append(CellScore(rc.grade_id, kind, rc.points if verdict.passed else 0.0, rc.points,
                                    message=said))
            continue
        if rc.kind[3] and rc.grade_id in ref.essays:   # written in an essay box: the recorded text
            text = (written or {}).get(rc.grade_id, "").strip()
            scores.append(CellScore(rc.grade_id, kind, None if text else 0.0, rc.points,
                                    digest=marks.digest(text), comment="" if text else NOT_WRITTEN))
            continue
        if rc.kind[3]:   # a task: the whole notebook is the answer; it waits for its mark
            scores.append(CellScore(rc.grade_id, kind, None, rc.points, digest=marks.digest(rc.source)))
            continue
        if cell is None:
            scores.append(CellScore(rc.grade_id, kind, 0.0, rc.points))
            continue
        if rc.is_manual:   # a written answer: 0 if left as handed out (as nbgrader does), else marked by hand
            unanswered = normalize(cell.source) == normalize(rc.release_source)
            scores.append(CellScore(rc.grade_id, kind, 0.0 if unanswered else None, rc.points,
                                    digest=marks.digest(cell.source),
                                    comment=NOT_ANSWERED if unanswered else ""))
            continue
        try:
            points, _ = determine_grade(cell, log)
        except Exception:   # e.g. a partial-credit value above the cell's points
            points = 0.0
        scores.append(CellScore(rc.grade_id, kind, None if points is None else float(points), rc.points))
    return tuple(scores)


def _where(canon: Canonical, index: int) -> str:
    number = canon.origin[index] if index < len(canon.origin) else None
    if number is not None:
        return f"cell {number}"
    meta = nbgrader_meta(canon.nb.cells[index]) or {}
    return f"restored cell {meta.get('grade_id')!r}"


def _limits_hit(stats: Stats, job: GradeJob) -> list[str]:
    """What the sandbox's cgroups stopped, in words (the kernel's death alone does not say why)."""
    notes = []
    memory = job.policy.memory_mb if job.policy else 0
    if stats.oom_kills:
        notes.append(f"the memory limit of {memory} MB stopped {stats.oom_kills} process"
                     f"{'es' if stats.oom_kills > 1 else ''} (peak {(stats.memory_peak or 0) >> 20} MB)")
    if stats.pids_refused:
        notes.append(f"the sandbox's limit of {job.policy.tasks if job.policy else 0} processes and threads "
                     "refused new ones")
    return notes


def _status(canon: Canonical, run: RunReport, job: GradeJob) -> tuple[str, list[str]]:
    details = list(canon.findings)
    if run.startup_error:
        details.append(f"the kernel did not start: {run.startup_error}")
    details += [f"the kernel died in {_where(canon, i)} (restarted; later cells graded)" for i in run.died]
    details += [f"{_where(canon, i)} ran past {job.timeout} s and ignored the interrupt (kernel restarted)"
                for i in run.ignored_interrupt]
    details += [f"{_where(canon, i)} ran past {job.timeout} s (interrupted)" for i in run.timed_out]
    if run.not_run and not run.startup_error:
        details.append(f"{len(run.not_run)} cells not run: no kernel could be recovered")
    details += canon.notes
    if canon.findings:
        return "tampered", details
    if run.startup_error or run.died or run.not_run:
        return "error", details
    if run.timed_out or run.ignored_interrupt:
        return "timeout", details
    return "ok", details


def grade_job(job: GradeJob, on_kernel: Callable[[int], None] = lambda pid: None,
              workspace: Path | None = None, cgroup: Group | None = None) -> GradeResult:
    """Grade one notebook in a private folder: workspace if given (the caller deletes it), else a
    temporary one deleted on return; its sandbox joins cgroup, if given."""
    started = time.monotonic()
    try:
        text = job.notebook.decode("utf-8")
        student_nb = read_notebook_text(text)
    except Exception as exc:
        reason = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else _one_line(str(exc) or repr(exc))
        return error_result(job, f"unreadable notebook: {reason}", time.monotonic() - started)
    try:
        canon = canonicalize(student_nb, job.reference)
    except Exception as exc:
        return error_result(job, f"malformed notebook: {_one_line(str(exc))}", time.monotonic() - started)

    with contextlib.ExitStack() as stack:
        root = workspace or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="grader-")))
        workdir = root / "sub" / job.lab
        workdir.mkdir(parents=True)
        clicked = job.reference.clicked
        if clicked:
            # Nothing of the learner's runs: the course's own notebook, with the clicked answers as data.
            # Its kernel runs instructor code alone, so no hook of the learner's can touch its verdicts.
            canon.nb = copy.deepcopy(job.reference.instructor)
            canon.origin = [None] * len(canon.nb.cells)
        elif job.student_dir:
            _copy_tree(Path(job.student_dir), workdir, job.ignore, notebooks=True)
        if job.source_dir:
            _copy_tree(Path(job.source_dir), workdir, job.ignore, notebooks=False)
        # the run notebook holds the hidden tests: it stays in this process, never in the scratch copy;
        # the answers a learner clicked reach the kernel as data, in the answers file
        written = written_answers(hand_over_answers(student_nb, job.student_dir, workdir, job.name))
        probes = judging.prepare(job, root / "sub", canon.nb)
        run = _run(canon, job, root, workdir, cgroup, on_kernel, probes.env)
        stats = cgroup.stats() if cgroup else Stats()
    verdicts = probes.verdicts(canon.nb)
    _limit_outputs(canon.nb, job.config)
    cells, stale = marks.apply_marks(score_cells(canon.nb, job.reference, written, verdicts), job.marks)
    status, details = _status(canon, run, job)
    details += _limits_hit(stats, job) + stale
    if job.policy is not None and not job.policy.sandboxed:
        details.append(job.policy.describe())
    details.append(marks.pending_note(cells))
    details = [d for d in details if d]
    score = sum(c.score for c in cells if c.score is not None)
    html = None
    if job.feedback:
        from grader.feedback import render_feedback

        html = render_feedback(canon.nb, job.reference, cells, student=job.student, config=job.config)
    return GradeResult(job.student, job.lab, job.name, status, score, job.reference.max_score,
                       "; ".join(details), cells, time.monotonic() - started, html, cell_errors(canon.nb))


def _limit_outputs(nb: NotebookNode, config: Any) -> None:
    """nbgrader's autograde steps after Execute: drop ignored stderr, shorten long outputs."""
    from nbgrader.preprocessors import IgnorePattern, LimitOutput

    resources: dict[str, Any] = {}
    for cls in (IgnorePattern, LimitOutput):
        cls(config=config)(nb, resources)
