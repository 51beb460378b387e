"""One learner per status, graded in one parallel batch: each row's exact status, score and reason."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from graderkit import OUTSIDE, tree_digest

from grader import sample
from grader.results import CELL_COLUMNS, COLUMNS, cells_path


def row(klass: dict[str, object], student: str) -> dict[str, str]:
    rows = klass["rows"]
    assert isinstance(rows, dict)
    return rows[student]


def test_batch_exits_cleanly_with_one_row_per_learner(klass: dict[str, object]) -> None:
    assert klass["code"] == 0
    rows = klass["rows"]
    assert isinstance(rows, dict)
    assert sorted(rows) == [
        "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "mallory", "oscar",
        "peggy", "trent", "victor"]


def test_csv_has_the_documented_columns(klass: dict[str, object]) -> None:
    csv_path = klass["csv"]
    assert isinstance(csv_path, Path)
    assert csv_path.read_text().splitlines()[0] == ",".join(COLUMNS)
    assert cells_path(csv_path).read_text().splitlines()[0] == ",".join([*CELL_COLUMNS, "message"])


@pytest.mark.parametrize(("student", "status", "score", "detail"), [
    ("alice", "ok", "3", "2 points awaiting marking"),
    ("bob", "ok", "1", "2 points awaiting marking"),            # fails the hidden test only
    ("carol", "missing", "0", "no quiz.ipynb (found: Quiz (1).ipynb)"),
    ("trent", "missing", "0", "no lab01/ folder"),
    ("dave", "error", "", "unreadable notebook: Notebook does not appear to be JSON"),
    ("erin", "timeout", "3", "cell 8 ran past 3 s (interrupted)"),
    ("frank", "timeout", "3", "cell 8 ran past 3 s and ignored the interrupt (kernel restarted)"),
    ("grace", "tampered", "2", "test cell 'test_add' is missing"),    # the restored test ran and failed
    ("heidi", "tampered", "2", "test cell 'test_add' (cell 6) was edited (original restored)"),
    ("ivan", "tampered", "2", "cell 6 claims unknown grade id 'test_mine' (ignored)"),
    ("mallory", "error", "3", "the kernel died in cell 8 (restarted; later cells graded)"),
    ("oscar", "ok", "3", "2 points awaiting marking"),          # MemoryError stays in its kernel
    ("peggy", "ok", "3", "2 points awaiting marking"),
    ("victor", "ok", "3", "2 points awaiting marking"),   # its kernel's parent is out of its reach
])
def test_status_score_and_reason(klass: dict[str, object], student: str, status: str, score: str,
                                 detail: str) -> None:
    got = row(klass, student)
    assert (got["status"], got["score"], got["max_score"]) == (status, score, "5")
    assert detail in got["detail"]
    assert got["assignment"] == sample.LAB and got["notebook"] == sample.NOTEBOOK


def test_repointed_cell_also_reports_the_original_missing(klass: dict[str, object]) -> None:
    assert "test cell 'test_add' is missing" in row(klass, "ivan")["detail"]


def test_hostile_notebooks_touch_no_submission(klass: dict[str, object]) -> None:
    subs = klass["subs"]
    assert isinstance(subs, Path)
    assert tree_digest(subs) == klass["before"]
    assert not (Path.home() / OUTSIDE).exists()
    assert not (Path(tempfile.gettempdir()) / OUTSIDE).exists()


def test_no_private_folders_are_left_behind(klass: dict[str, object]) -> None:
    scratch = klass["scratch"]
    assert isinstance(scratch, Path)
    # pymp-*: multiprocessing's own socket folder for the fork server, kept until the process exits.
    leftovers = [p for p in scratch.iterdir() if not p.name.startswith("pymp-")]
    assert leftovers == [], [sorted(str(q) for q in p.rglob("*"))[:20] for p in leftovers]
