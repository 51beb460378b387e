"""Find each learner's folder for a lab in a class's submissions, which are only ever read.

Three layouts: a folder `<student>/<LAB>/*.ipynb` (nbgrader's submitted/), a .zip of the same (perhaps
wrapped in one top folder; extracted, regular files only, into a private temporary folder), or nbgrader's
exchange inbound `<student>+<LAB>+<timestamp>[+<random>]/*.ipynb` (the latest submission counts). Every
student folder found is a learner: one without this lab still gets a `missing` row per notebook.
"""

from __future__ import annotations

import contextlib
import re
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from grader.errors import OutputPathError, SubmissionsError

ZIP_LIMIT = 4 * 2**30   # bytes a submissions zip may expand to
INBOUND = re.compile(r"^(?P<student>[^+]+)\+(?P<lab>[^+]+)\+(?P<timestamp>[^+]+)(\+.*)?$")


@dataclass(frozen=True)
class Learner:
    """One learner of the class and their folder for the lab (None: they handed nothing in)."""

    student: str
    folder: Path | None
    note: str = ""


def _dirs(path: Path) -> list[Path]:
    return sorted(p for p in path.iterdir()
                  if p.is_dir() and not p.is_symlink() and not p.name.startswith((".", "__MACOSX")))


def _has_lab(path: Path, lab: str) -> bool:
    return any((d / lab).is_dir() for d in _dirs(path))


def _from_folders(root: Path, lab: str, origin: Path) -> list[Learner]:
    base = root
    for _ in range(3):  # a zip of "submitted/" wraps the students in one more folder
        children = _dirs(base)
        if _has_lab(base, lab) or len(children) != 1:
            break
        base = children[0]
    if not _has_lab(base, lab):
        base = root
    learners = [Learner(d.name, d / lab if (d / lab).is_dir() else None) for d in _dirs(base)]
    if not learners:
        raise SubmissionsError(f"no student folders in {origin} (expected <student>/{lab}/*.ipynb, a .zip of "
                               "them, or an nbgrader exchange inbound)")
    if all(learner.folder is None for learner in learners):
        raise SubmissionsError(f"none of the {len(learners)} student folders in {origin} has a {lab}/ folder "
                               "(is --assignment right?)")
    return learners


def _timestamp_key(text: str) -> tuple[int, str]:
    from nbgrader.utils import parse_utc

    try:
        return (1, parse_utc(text.replace("_", " ")).isoformat())
    except Exception:
        return (0, text)


def _from_inbound(inbound: Path, lab: str) -> list[Learner]:
    found: dict[str, list[tuple[tuple[int, str], Path]]] = {}
    for folder in _dirs(inbound):
        match = INBOUND.match(folder.name)
        if not match:
            continue
        entries = found.setdefault(match["student"], [])
        if match["lab"] == lab:
            entries.append((_timestamp_key(match["timestamp"]), folder))
    learners = []
    for student, entries in sorted(found.items()):
        if not entries:
            learners.append(Learner(student, None))
            continue
        entries.sort(key=lambda entry: entry[0])
        note = f"graded the latest of {len(entries)} submissions" if len(entries) > 1 else ""
        learners.append(Learner(student, entries[-1][1], note))
    if not any(learner.folder for learner in learners):
        raise SubmissionsError(f"no submission of {lab} in {inbound} (is --assignment right?)")
    return learners


def _discover(root: Path, lab: str, origin: Path) -> list[Learner]:
    inbound = root / "inbound" if (root / "inbound").is_dir() else root
    if any(INBOUND.match(d.name) for d in _dirs(inbound)):
        return _from_inbound(inbound, lab)
    return _from_folders(root, lab, origin)


def _extract(archive: Path, dest: Path) -> None:
    """Regular files only, never outside dest, never past ZIP_LIMIT bytes."""
    total = 0
    try:
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                name = info.filename.replace("\\", "/")
                parts = [p for p in PurePosixPath(name).parts if p not in ("", ".", "/")]
                if (not parts or name.startswith("/") or ".." in parts or parts[0] == "__MACOSX"
                        or stat.S_ISLNK(info.external_attr >> 16)):
                    continue
                target = dest.joinpath(*parts)
                if info.is_dir():   # an empty student folder still names a learner
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as out:
                    while chunk := src.read(1 << 20):
                        total += len(chunk)
                        if total > ZIP_LIMIT:
                            raise SubmissionsError(f"{archive} expands past {ZIP_LIMIT >> 30} GB")
                        out.write(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError) as exc:
        raise SubmissionsError(f"{archive}: not a readable zip: {' '.join(str(exc).split())}") from None


@contextlib.contextmanager
def open_submissions(path: Path | str, lab: str) -> Iterator[list[Learner]]:
    """The class's learners for lab; a zip is extracted to a private folder deleted on exit."""
    path = Path(path)
    if not path.exists():
        raise SubmissionsError(f"submissions {path} not found")
    if path.is_dir():
        yield _discover(path, lab, path)
        return
    if not zipfile.is_zipfile(path):
        raise SubmissionsError(f"{path} is neither a folder nor a .zip of <student>/{lab}/*.ipynb")
    with tempfile.TemporaryDirectory(prefix="grader-zip-") as tmp:
        _extract(path, Path(tmp))
        yield _discover(Path(tmp), lab, path)


def guard_output(output: Path | str, submissions: Path | str, what: str) -> Path:
    """Refuse an output path inside the submissions (or the zip itself): they are never modified."""
    out, sub = Path(output).resolve(), Path(submissions).resolve()
    if out == sub or (sub.is_dir() and out.is_relative_to(sub)):
        raise OutputPathError(f"{what} {output} would be written into the submissions {submissions}, "
                              "which are never modified: choose a path outside them")
    return out


def read_notebook_bytes(path: Path, limit: int = 64 * 2**20) -> bytes:
    """The submitted file as it is (size-capped); decoding is the worker's job."""
    if path.is_symlink():
        raise OSError("a symbolic link, not a file")
    size = path.stat().st_size
    if size > limit:
        raise OSError(f"{size >> 20} MB, over the {limit >> 20} MB limit")
    return path.read_bytes()

