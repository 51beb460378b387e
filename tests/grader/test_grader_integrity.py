"""The tamper check without kernels: every way of changing a course cell is found and undone."""

from __future__ import annotations

import shutil
from pathlib import Path

from graderkit import edited, grade_id, repointed, without

from grader import nbio, sample
from grader.course import Course
from grader.integrity import canonicalize


def ids(nb: object) -> list[str | None]:
    return [grade_id(c) for c in nb.cells]  # type: ignore[attr-defined]


def test_untouched_submission_has_no_findings(course: Path) -> None:
    ref = Course(course).references(sample.LAB)[0]
    out = canonicalize(sample.answered(course), ref)
    assert out.findings == [] and out.notes == []
    assert ids(out.nb) == ids(ref.instructor)


def test_hidden_tests_are_put_back_for_grading(course: Path) -> None:
    ref = Course(course).references(sample.LAB)[0]
    out = canonicalize(sample.answered(course), ref)
    test = next(c for c in out.nb.cells if grade_id(c) == "test_square")
    assert sample.HIDDEN_MARK in test.source


def test_deleted_test_is_restored_in_place(course: Path) -> None:
    ref = Course(course).references(sample.LAB)[0]
    out = canonicalize(without(sample.answered(course), "test_square"), ref)
    assert ids(out.nb) == ids(ref.instructor)
    assert out.findings == ["test cell 'test_square' is missing: deleted or stripped of its nbgrader "
                            "metadata (restored)"]


def test_edited_test_gets_its_source_back(course: Path) -> None:
    ref = Course(course).references(sample.LAB)[0]
    out = canonicalize(edited(sample.answered(course), "test_add", "assert True"), ref)
    assert next(c for c in out.nb.cells if grade_id(c) == "test_add").source.startswith("assert add(2, 3)")
    assert out.findings == ["test cell 'test_add' (cell 6) was edited (original restored)"]


def test_changed_points_are_tampering(course: Path) -> None:
    ref = Course(course).references(sample.LAB)[0]
    nb = sample.answered(course)
    next(c for c in nb.cells if grade_id(c) == "test_add").metadata["nbgrader"]["points"] = 100
    out = canonicalize(nb, ref)
    assert out.findings == ["test cell 'test_add' (cell 6) was re-pointed: type or points changed (restored)"]
    assert next(c for c in out.nb.cells if grade_id(c) == "test_add").metadata["nbgrader"]["points"] == 1


def test_repointed_test_is_ignored_and_the_original_restored(course: Path) -> None:
    ref = Course(course).references(sample.LAB)[0]
    out = canonicalize(repointed(sample.answered(course), "test_add", "test_square"), ref)
    # a second cell claiming test_square runs as the learner's own; test_add comes back
    assert "test_add" in ids(out.nb)
    assert any("test_add" in f for f in out.findings)


def test_whitespace_is_not_an_edit(course: Path) -> None:
    ref = Course(course).references(sample.LAB)[0]
    nb = sample.answered(course)
    cell = next(c for c in nb.cells if grade_id(c) == "test_add")
    cell.source = cell.source.replace("\n", "  \r\n") + "\n\n"
    assert canonicalize(nb, ref).findings == []


def test_learners_own_cells_are_kept_in_order(course: Path) -> None:
    ref = Course(course).references(sample.LAB)[0]
    nb = sample.answered(course)
    nb.cells.insert(3, nbio.new_code_cell("helper = 1"))
    out = canonicalize(nb, ref)
    assert out.nb.cells[3].source == "helper = 1" and out.origin[3] == 4
    assert out.findings == []


def test_copied_answer_cell_is_a_note_not_tampering(course: Path) -> None:
    ref = Course(course).references(sample.LAB)[0]
    nb = sample.answered(course)
    nb.cells.append(nbio.reads(nbio.writes(nb)).cells[2])  # Jupyter copies the metadata with the cell
    out = canonicalize(nb, ref)
    assert out.findings == []
    assert out.notes == ["cell 8 repeats grade id 'answer_square' (run as an ordinary cell)"]


def test_a_fix_made_after_release_is_not_the_learners_tampering(course: Path, tmp_path: Path) -> None:
    later = shutil.copytree(course, tmp_path / "course")
    path = later / "source" / sample.LAB / f"{sample.NOTEBOOK}.ipynb"
    nb = nbio.read(path)
    next(c for c in nb.cells if grade_id(c) == "setup").source = "import math\nimport os"
    nbio.write(nb, path)                              # source changed, release/ not regenerated
    out = canonicalize(sample.answered(course), Course(later).references(sample.LAB)[0])
    assert out.findings == []
    assert next(c for c in out.nb.cells if grade_id(c) == "setup").source == "import math\nimport os"
