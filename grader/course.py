"""The course root (nbgrader layout: nbgrader_config.py, source/, release/) and what each notebook must be.

From a source notebook, nbgrader's own generate_assignment preprocessors give three versions: the
solution (answers kept), the instructor version (answers cleared, hidden tests kept: what nbgrader's
gradebook stores and autograde runs) and the release (hidden tests removed: what learners receive).
Grading compares a submission with these versions, never with the learner's own metadata.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbformat import NotebookNode
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from grader import nbio
from grader.errors import CourseError, LabError
from grader.languages import DEFAULT_LANG, LANGS

CONFIG_FILE = "nbgrader_config.py"
TRACKED_FLAGS = ("grade", "solution", "locked", "task")
ESSAY_CALL = re.compile(r"""\.essay\(\s*["']([\w.-]+)["']""")   # labkit.ask.Sheet.essay("w1")
HIDDEN_LINE_MIN = 12   # shorter hidden lines (")", "else:") are too common to recognise in an output


def nbgrader_meta(cell: Any) -> dict[str, Any] | None:
    """The cell's nbgrader metadata if it is a dict, else None (learners can put anything there)."""
    metadata = cell.get("metadata") if isinstance(cell, dict) else None
    meta = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    return meta if isinstance(meta, dict) else None


def is_tracked(cell: Any) -> bool:
    """True for the cells nbgrader records in its gradebook: answers, tests, read-only cells, tasks."""
    meta = nbgrader_meta(cell)
    return bool(meta and any(meta.get(flag) for flag in TRACKED_FLAGS) and meta.get("grade_id"))


def cell_kind(cell: Any) -> tuple[bool, bool, bool, bool, float | None]:
    """(grade, solution, locked, task, points): what nbgrader's checksum covers besides the source."""
    meta = nbgrader_meta(cell) or {}
    graded = bool(meta.get("grade")) or bool(meta.get("task"))
    try:
        points = float(meta.get("points", 0)) if graded else None
    except (TypeError, ValueError):
        points = float("nan")
    return (bool(meta.get("grade")), bool(meta.get("solution")), bool(meta.get("locked")),
            bool(meta.get("task")), points)


@dataclass(frozen=True)
class RefCell:
    """One tracked cell of the reference, by grade id."""

    grade_id: str
    index: int              # position in the instructor version
    cell_type: str          # "code" or "markdown"
    kind: tuple[bool, bool, bool, bool, float | None]
    source: str             # instructor source (hidden tests included)
    release_source: str     # the release generated from source/ now (hidden tests removed)
    metadata: dict[str, Any]  # the release's nbgrader metadata (its checksum marks an unanswered answer)
    received: tuple[str, str, tuple[bool, bool, bool, bool, float | None]] | None = None
    # (source, cell type, kind) in the committed release/ notebook: what learners were handed, if it differs

    @property
    def is_test(self) -> bool:
        """An autograder test cell: graded, not an answer."""
        return self.kind[0] and not self.kind[1]

    @property
    def is_answer(self) -> bool:
        return self.kind[1]

    @property
    def is_manual(self) -> bool:
        """Scored by a person: a manually graded answer or a task."""
        return (self.kind[0] and self.kind[1]) or self.kind[3]

    @property
    def points(self) -> float:
        return self.kind[4] or 0.0

    @property
    def has_hidden_tests(self) -> bool:
        return self.source != self.release_source


@dataclass(frozen=True)
class Reference:
    """What one notebook of a lab must look like, derived from source/ by nbgrader's preprocessors."""

    lab: str
    name: str                    # notebook id: the file name without .ipynb
    instructor: NotebookNode     # answers cleared, hidden tests kept
    release: NotebookNode        # hidden tests removed: what learners received
    solution: NotebookNode       # answers kept (for `grader validate`)
    cells: tuple[RefCell, ...] = field(default=())

    @property
    def by_id(self) -> dict[str, RefCell]:
        return {cell.grade_id: cell for cell in self.cells}

    @property
    def clicked(self) -> bool:
        """A notebook answered by clicking alone (labkit widgets): no cell for the learner to write in."""
        return not any(cell.is_answer for cell in self.cells)

    @property
    def essays(self) -> frozenset[str]:
        """Ids of the written questions answered in a labkit essay box (`sheet.essay("w1")`): their
        answer is the recorded text, not a cell of the notebook."""
        found: set[str] = set()
        for cell in self.instructor.cells:
            if cell.get("cell_type") == "code":
                found.update(ESSAY_CALL.findall(str(cell.get("source", ""))))
        return frozenset(found)

    @property
    def max_score(self) -> float:
        return sum(cell.points for cell in self.cells if cell.kind[0] or cell.kind[3])

    @property
    def auto_max_score(self) -> float:
        return sum(cell.points for cell in self.cells if cell.is_test)

    @property
    def hidden_lines(self) -> tuple[str, ...]:
        """Lines that only exist in hidden test regions (nowhere in the release): never shown to a learner."""
        visible = "\n".join(str(cell.source) for cell in self.release.cells)
        lines: set[str] = set()
        for cell in self.cells:
            if cell.has_hidden_tests:
                lines.update(line.strip() for line in cell.source.splitlines()
                             if len(line.strip()) >= HIDDEN_LINE_MIN and line.strip() not in visible
                             and "HIDDEN TESTS" not in line)
        return tuple(sorted(lines))


def notebook_language(nb: Any) -> str | None:
    """The language a lab notebook says it is in (its metadata, written by labs/tools/build.py)."""
    metadata = nb.get("metadata") if isinstance(nb, dict) else None
    info = metadata.get("minichain") if isinstance(metadata, dict) else None
    lang = info.get("lang") if isinstance(info, dict) else None
    return lang if lang in LANGS else None


def submitted_language(data: bytes) -> str | None:
    """The language a submitted notebook file says it is in; None if it is unreadable or does not say.
    (The file was read with a size limit; a notebook that lies about its language is graded against
    the other language's source and shows as tampered.)"""
    try:
        return notebook_language(json.loads(data.decode("utf-8")))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


@contextlib.contextmanager
def _language(lang: str) -> Iterator[None]:
    """$MINICHAIN_LANG while the course's config file is read (it picks the source folder from it)."""
    old = os.environ.get("MINICHAIN_LANG")
    os.environ["MINICHAIN_LANG"] = lang
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("MINICHAIN_LANG", None)
        else:
            os.environ["MINICHAIN_LANG"] = old


@contextlib.contextmanager
def _chdir(path: Path) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 240 else text[:237] + "..."


class Course:
    """An nbgrader course root: its configuration, its labs and their reference notebooks."""

    def __init__(self, root: Path | str, lang: str | None = None) -> None:
        self.root = Path(root).resolve()
        self.lang = lang or os.environ.get("MINICHAIN_LANG") or DEFAULT_LANG
        if self.lang not in LANGS:
            raise CourseError(f"no language {self.lang!r}: the labs exist in {', '.join(LANGS)}")
        if not self.root.is_dir():
            raise CourseError(f"course root {root} not found (expected {CONFIG_FILE} and source/ in it)")
        self.config = self._load_config()
        if not self.source_dir.is_dir():
            raise CourseError(f"course root {root} has no {self.source_dir.name}/ folder "
                              f"(nbgrader: {self.source_dir.name}/<LAB>/*.ipynb)")
        self._references: dict[str, list[Reference]] = {}
        self._siblings: dict[str, Course] = {self.lang: self}

    def in_language(self, lang: str) -> Course:
        """The same course in another of its languages (its own source folder and references)."""
        if lang not in self._siblings:
            sibling = Course(self.root, lang)
            sibling._siblings = self._siblings
            self._siblings[lang] = sibling
        return self._siblings[lang]

    def languages(self) -> list[str]:
        """The languages this course has source folders of their own for (a course whose config maps no
        language to a folder of its own has one language)."""
        found = []
        for lang in LANGS:
            if lang == self.lang:
                found.append(lang)
                continue
            other = _source_of(self.root, lang)
            if other is not None and other != self.source_dir and other.is_dir():
                found.append(lang)
        return found

    def _load_config(self) -> Config:
        config = Config()
        if (self.root / CONFIG_FILE).is_file():
            try:
                with _chdir(self.root), _language(self.lang):
                    config = PyFileConfigLoader(CONFIG_FILE, path=str(self.root)).load_config()
            except Exception as exc:  # a broken config is the instructor's to fix: name it
                raise CourseError(f"cannot load {self.root / CONFIG_FILE}: {_one_line(exc)}") from None
        config.CourseDirectory.root = str(self.root)
        return config

    @property
    def source_dir(self) -> Path:
        """source/ for the course's default language; the config file names the others' folders."""
        return self.root / str(self.config.CourseDirectory.get("source_directory", "source"))

    def judges_file(self, lab: str) -> str | None:
        """The lab's judges (labs/judges/LAB.py): hidden tests judged outside the learner's kernel."""
        path = self.root / "judges" / f"{lab}.py"
        return str(path) if path.is_file() else None

    @property
    def release_dir(self) -> Path:
        return self.root / "release"

    def labs(self) -> list[str]:
        """Every lab (nbgrader assignment) in source/, sorted."""
        return sorted(p.name for p in self.source_dir.iterdir()
                      if p.is_dir() and not p.name.startswith((".", "_")))

    def check_lab(self, lab: str) -> None:
        if lab not in self.labs():
            known = ", ".join(self.labs()) or "none"
            raise LabError(f"no lab {lab!r} in {self.source_dir} (labs: {known})")

    def notebook_names(self, lab: str) -> list[str]:
        """Notebook ids of a lab (file names without .ipynb), sorted."""
        self.check_lab(lab)
        names = sorted(p.stem for p in (self.source_dir / lab).glob("*.ipynb") if not p.name.startswith("."))
        if not names:
            raise LabError(f"lab {lab!r} has no notebooks in {self.source_dir / lab}")
        return names

    def references(self, lab: str) -> list[Reference]:
        """The reference versions of every notebook of a lab (cached)."""
        if lab not in self._references:
            self._references[lab] = [self._reference(lab, name) for name in self.notebook_names(lab)]
        return self._references[lab]

    def _resources(self, lab: str, name: str) -> dict[str, Any]:
        return {
            "unique_key": name,
            "metadata": {"path": str(self.source_dir / lab), "name": name},
            "nbgrader": {"notebook": name, "assignment": lab, "course_id": "",
                         "db_url": f"sqlite:///{self.root / 'gradebook.db'}"},
        }

    def _run(self, classes: list[Any], nb: NotebookNode, lab: str, name: str) -> NotebookNode:
        resources = self._resources(lab, name)
        for cls in classes:
            preprocessor = cls(config=self.config)
            nb, resources = preprocessor(nb, resources)
        return nb

    def _reference(self, lab: str, name: str) -> Reference:
        from nbgrader.preprocessors import (
            CheckCellMetadata,
            ClearHiddenTests,
            ClearMarkScheme,
            ClearOutput,
            ClearSolutions,
            ComputeChecksums,
            IncludeHeaderFooter,
            InstantiateTests,
            LockCells,
        )

        path = self.source_dir / lab / f"{name}.ipynb"
        try:
            source = nbio.read(path)
        except Exception as exc:
            raise LabError(f"{path}: not a readable notebook: {_one_line(exc)}") from None
        # The same steps, in the same order, as nbgrader's GenerateAssignment converter; SaveCells (the
        # gradebook write) is where the instructor version ends and the release begins.
        head = [IncludeHeaderFooter, InstantiateTests, LockCells]
        try:
            with _chdir(self.root), _quiet_nbgrader():
                # the solution keeps its outputs: a question answered by clicking carries its model
                # answer there, as a learner's saved notebook does (labs/tools/build.py, answer=)
                solution = self._run([*head, CheckCellMetadata, ComputeChecksums],
                                     copy.deepcopy(source), lab, name)
                instructor = self._run([*head, ClearSolutions, ClearOutput, CheckCellMetadata,
                                        ComputeChecksums],
                                       copy.deepcopy(source), lab, name)
                release = self._run([ClearHiddenTests, ClearMarkScheme, ComputeChecksums, CheckCellMetadata],
                                    copy.deepcopy(instructor), lab, name)
        except Exception as exc:
            raise LabError(f"{path}: nbgrader cannot generate it: {_one_line(exc)}") from None
        return Reference(lab=lab, name=name, instructor=instructor, release=release, solution=solution,
                         cells=_ref_cells(instructor, release, path, self._handed_out(lab, name)))

    def _handed_out(self, lab: str, name: str) -> NotebookNode | None:
        """The committed release/ notebook in this language, if readable: learners who got an older one
        did not tamper."""
        try:
            nb = nbio.read(self.release_dir / lab / f"{name}.ipynb")
        except Exception:
            return None
        return nb if (notebook_language(nb) or DEFAULT_LANG) == self.lang else None

    def release(self, lab: str) -> Path:
        """Run nbgrader's generate_assignment for one lab (release/ is overwritten); return its folder."""
        from nbgrader.converters import GenerateAssignment
        from nbgrader.coursedir import CourseDirectory
        from nbgrader.utils import capture_log

        self.check_lab(lab)
        with _chdir(self.root), _quiet_nbgrader(), _tools_on_path(), _language(self.lang):
            coursedir = CourseDirectory(config=self.config)
            coursedir.root = str(self.root)
            coursedir.assignment_id = lab
            converter = GenerateAssignment(coursedir=coursedir, config=self.config)
            converter.force = True
            converter.create_assignment = True
            result = capture_log(converter)
        if not result["success"]:
            lines = [line for line in (result.get("log", "") + result.get("error", "")).splitlines()
                     if line.strip()]
            reason = next((line for line in reversed(lines) if "[ERROR]" in line), lines[-1] if lines else "")
            raise LabError(f"nbgrader generate_assignment {lab} failed: {reason.strip()}")
        return self.release_dir / lab

    def stale_release(self, ref: Reference) -> str | None:
        """Why release/<lab>/<name>.ipynb differs from what source/ generates now, or None if current."""
        path = self.release_dir / ref.lab / f"{ref.name}.ipynb"
        if not path.is_file():
            return f"{path.relative_to(self.root)} is missing: run `python -m grader release {ref.lab}`"
        try:
            committed = nbio.read(path)
        except Exception as exc:
            return f"{path.relative_to(self.root)} is not a readable notebook: {_one_line(exc)}"
        if (notebook_language(committed) or DEFAULT_LANG) != self.lang:
            return None   # release/ holds the other language: it is checked in that language
        fresh = [(c.cell_type, normalize(c.source), cell_kind(c), (nbgrader_meta(c) or {}).get("grade_id"))
                 for c in ref.release.cells]
        old = [(c.cell_type, normalize(c.source), cell_kind(c), (nbgrader_meta(c) or {}).get("grade_id"))
               for c in committed.cells]
        if fresh == old:
            return None
        where = next((i for i, (a, b) in enumerate(zip(fresh, old, strict=False)) if a != b),
                     min(len(fresh), len(old)))
        return (f"{path.relative_to(self.root)} is out of date with source/ (first difference at cell "
                f"{where + 1}): run `python -m grader release {ref.lab}`")


def _source_of(root: Path, lang: str) -> Path | None:
    try:
        return Course(root, lang).source_dir
    except CourseError:
        return None


def normalize(source: str) -> str:
    """Source compared for edits: line endings and trailing spaces are not edits."""
    lines = [line.rstrip() for line in source.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _tracked(nb: NotebookNode | None) -> dict[str, Any]:
    return {str(meta["grade_id"]): cell for cell in (nb.cells if nb else [])
            if (meta := nbgrader_meta(cell)) and is_tracked(cell)}


def _ref_cells(instructor: NotebookNode, release: NotebookNode, path: Path,
               handed_out: NotebookNode | None) -> tuple[RefCell, ...]:
    released, committed = _tracked(release), _tracked(handed_out)
    cells = []
    for index, cell in enumerate(instructor.cells):
        if not is_tracked(cell):
            continue
        meta = nbgrader_meta(cell) or {}
        grade_id = str(meta["grade_id"])
        twin = released.get(grade_id)
        if twin is None:
            raise LabError(f"{path}: cell {grade_id!r} vanished from the release version")
        old = committed.get(grade_id)
        cells.append(RefCell(grade_id=grade_id, index=index, cell_type=cell.cell_type, kind=cell_kind(cell),
                             source=cell.source, release_source=twin.source,
                             metadata=copy.deepcopy(dict(nbgrader_meta(twin) or {})),
                             received=(str(old.source), str(old.cell_type), cell_kind(old)) if old else None))
    return tuple(cells)


@contextlib.contextmanager
def _tools_on_path() -> Iterator[None]:
    """nbgrader runs the `alembic` script of its own environment to create a gradebook: put the running
    interpreter's bin/ first on PATH, so a venv works without being activated."""
    old = os.environ.get("PATH", "")
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), old])
    try:
        yield
    finally:
        os.environ["PATH"] = old


@contextlib.contextmanager
def _quiet_nbgrader() -> Iterator[None]:
    """nbgrader's converters log INFO lines to the terminal; the grader prints its own summary."""
    logger = logging.getLogger("traitlets")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def read_notebook_text(text: str) -> NotebookNode:
    """Parse a notebook as nbformat v4 (raises on anything that is not one)."""
    nb = nbio.reads(text)
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ValueError("no list of cells")
    return nb
