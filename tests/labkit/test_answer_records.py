"""labkit.answers: answers read back from files a learner's machine wrote, strictly and newest first."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from labkit import answers
from labkit.answers import MIME, AnswerSheet, Record, parse_record


def test_a_record_round_trips() -> None:
    record = Record("q1", "b", 1.5, 3)
    assert parse_record(record.to_json()) == record
    written = {"qid": "w1", "value": "写下的回答", "time": 2, "seq": 0}
    assert parse_record(written) == Record("w1", "写下的回答", 2.0, 0)


@pytest.mark.parametrize("data", [
    None, [], "q1", {"qid": "q1", "value": "b", "time": 1.0},                       # not a record
    {"qid": "q1", "value": "b", "time": 1.0, "seq": 0, "extra": 1},                  # more than a record
    {"qid": "q 1", "value": "b", "time": 1.0, "seq": 0},                              # not an id
    {"qid": "q" * 65, "value": "b", "time": 1.0, "seq": 0},
    {"qid": "q1", "value": True, "time": 1.0, "seq": 0},                              # bool is not a number
    {"qid": "q1", "value": [1], "time": 1.0, "seq": 0},
    {"qid": "q1", "value": {"__eq__": 1}, "time": 1.0, "seq": 0},
    {"qid": "q1", "value": 10**16, "time": 1.0, "seq": 0},
    {"qid": "q1", "value": math.nan, "time": 1.0, "seq": 0},
    {"qid": "q1", "value": "x" * 4001, "time": 1.0, "seq": 0},
    {"qid": "q1", "value": "b", "time": math.inf, "seq": 0},
    {"qid": "q1", "value": "b", "time": "now", "seq": 0},
    {"qid": "q1", "value": "b", "time": 1.0, "seq": -1},
])
def test_invalid_records_are_not_answers(data: object) -> None:
    assert parse_record(data) is None


@given(st.lists(st.tuples(st.sampled_from(["q1", "q2", "w1"]), st.integers(0, 9), st.floats(0, 100),
                          st.integers(0, 50)), max_size=30))
def test_merge_keeps_the_newest_answer_of_each_question(items: list[tuple[str, int, float, int]]) -> None:
    records = [Record(q, v, t, s) for q, v, t, s in items]
    half = len(records) // 2
    merged = answers.merge(records[:half], records[half:])
    for qid in {r.qid for r in records}:
        newest = max((r for r in records if r.qid == qid), key=lambda r: (r.time, r.seq))
        assert (merged[qid].time, merged[qid].seq) == (newest.time, newest.seq)
    assert set(merged) == {r.qid for r in records}


def test_answers_are_read_from_a_notebook_s_outputs_and_nothing_else() -> None:
    good = Record("q2", 125, 5.0, 1).to_json()
    nb = {"cells": [
        {"cell_type": "markdown", "source": json.dumps(good)},                     # text is not an answer
        {"cell_type": "code", "outputs": [{"output_type": "display_data", "data": {MIME: good}}]},
        {"cell_type": "code", "outputs": [{"output_type": "display_data", "data": {MIME: {"qid": "q3"}}}]},
        {"cell_type": "code", "outputs": "not a list"}, "not a cell",
    ]}
    assert answers.from_notebook(nb) == [Record("q2", 125, 5.0, 1)]
    assert answers.from_notebook({"cells": {"x": 1}}) == []


def test_the_answers_file_is_replaced_whole(tmp_path: Path) -> None:
    path = tmp_path / "explore.answers.json"
    answers.write_file(path, [Record("q1", "a", 1.0, 1)])
    answers.write_file(path, [Record("q1", "b", 2.0, 2), Record("q2", 3, 2.0, 3)])
    assert {r.qid: r.value for r in answers.from_file(path)} == {"q1": "b", "q2": 3}
    assert [p.name for p in tmp_path.iterdir()] == ["explore.answers.json"]   # no temporary left behind
    path.write_text("{not json", encoding="utf-8")
    assert answers.from_file(path) == []
    path.write_bytes(b"[" + b" " * answers.MAX_FILE_BYTES + b"]")
    assert answers.from_file(path) == []                                       # too large to be answers


def test_a_sheet_restores_the_newest_answers_from_file_and_notebook(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    answers.write_file(tmp_path / "explore.answers.json",
                       [Record("q1", "a", 10.0, 1), Record("q2", 5, 1.0, 1)])
    notebook = {"cells": [{"cell_type": "code", "outputs": [
        {"output_type": "display_data", "data": {MIME: Record("q1", "b", 5.0, 9).to_json()}},
        {"output_type": "display_data", "data": {MIME: Record("q2", 6, 2.0, 1).to_json()}}]}]}
    (tmp_path / "explore.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    sheet = AnswerSheet("lab01_hashing", "explore", "zh-CN")
    assert (sheet.get("q1"), sheet.get("q2")) == ("a", 6)
    sheet.record("q3", "c")
    assert {r.qid for r in answers.from_file(tmp_path / "explore.answers.json")} == {"q1", "q2", "q3"}
    with pytest.raises(ValueError, match="not an answer"):
        sheet.record("q4", True)


def test_judging_never_reveals_the_expected_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    sheet = AnswerSheet("lab01_hashing", "explore", "zh-CN")
    with pytest.raises(AssertionError, match="没有作答"):
        sheet.expect("q1", "secret-key")
    sheet.record("q1", "b")
    with pytest.raises(AssertionError) as failure:
        sheet.expect("q1", "secret-key")
    assert "secret-key" not in str(failure.value)
    sheet.record("q2", 125)
    sheet.expect("q2", 125)
    with pytest.raises(AssertionError):
        sheet.expect("q2", 125.0)   # a number of another type is another answer
    with pytest.raises(ValueError, match="unknown language"):
        AnswerSheet("lab01_hashing", "explore", "fr")
