"""Feedback pages: scores and the learner's own output, never the hidden tests, even when snooped on."""

from __future__ import annotations

from pathlib import Path

import pytest
from graderkit import run_cli, with_cell

from grader import sample
from grader.feedback import WITHHELD, visible_text

HIDDEN = (sample.HIDDEN_MARK, "square(-4)")


@pytest.fixture(scope="module")
def pages(course: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    base = tmp_path_factory.mktemp("feedback")
    subs = base / "submitted"
    sample.write_submission(subs, "alice", with_cell(course, "print('hello from alice')"))
    negative = {**sample.CORRECT, "answer_square": "def square(x):\n    return -x * x"}
    sample.write_submission(subs, "bob", sample.answered(course, negative))
    sample.write_submission(subs, "eve", with_cell(course, "print(_ih)\nprint(In)"))   # prints past inputs
    sample.write_submission(subs, "zed", with_cell(course, "raise RuntimeError('\\n'.join(_ih))"))
    out = base / "pages"
    assert run_cli("feedback", str(subs), "--course", str(course), "--assignment", sample.LAB, "--jobs", "2",
                   "--timeout", "10", "--out", str(out)) == 0
    return {p.parts[-3]: p.read_text() for p in out.glob(f"*/{sample.LAB}/{sample.NOTEBOOK}.html")}


def test_one_page_per_learner(pages: dict[str, str]) -> None:
    assert sorted(pages) == ["alice", "bob", "eve", "zed"]


def test_no_page_shows_hidden_tests(pages: dict[str, str]) -> None:
    for student, page in pages.items():
        for text in HIDDEN:
            assert text not in page, student
            assert text not in visible_text(page), student


def test_page_shows_scores_and_own_output(pages: dict[str, str]) -> None:
    text = visible_text(pages["alice"])
    assert "quiz (Score: 3.0 / 5.0; 2.0 points awaiting marking)" in text
    assert "hello from alice" in text


def test_written_answer_awaits_marking_rather_than_scoring_0(pages: dict[str, str]) -> None:
    text = visible_text(pages["alice"])
    assert "Written response (awaiting marking, 2.0 points)" in text
    assert "Student's answerawaiting marking, 2.0 points" in text
    assert "0.0 / 2.0" not in text


def test_failing_hidden_test_reports_its_score_not_its_traceback(pages: dict[str, str]) -> None:
    text = visible_text(pages["bob"])
    assert "quiz (Score: 1.0 / 5.0; 2.0 points awaiting marking)" in text
    assert "some of them hidden, did not pass: 0 of 2 points" in text
    assert "AssertionError" not in text


@pytest.mark.parametrize("student", ["eve", "zed"])   # printed, or raised in a coloured traceback
def test_snooped_output_is_withheld(pages: dict[str, str], student: str) -> None:
    assert WITHHELD in visible_text(pages[student])
