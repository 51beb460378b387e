"""labs/tools/build.py: one text source becomes a Chinese and an English notebook, or a clear error."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from harness import LABS

sys.path.insert(0, str(LABS / "tools"))
import build

HERE = build.Place(LABS / "text" / "lab01_hashing" / "explore.py", 1)


def test_tr_becomes_the_string_of_the_notebook_language() -> None:
    source = 'label = tr("第 1 题：选项", "question 1: options"); note = tr(f"{n} 位", f"{n} bits")  # 中文'
    assert build.substitute_tr(source, "zh-CN", HERE) == 'label = "第 1 题：选项"; note = f"{n} 位"  # 中文'
    english = 'label = "question 1: options"; note = f"{n} bits"  # 中文'
    assert build.substitute_tr(source, "en", HERE) == english
    nested = 'x = [tr("甲", "a"),\n     tr("乙乙乙", "bb")]'
    assert build.substitute_tr(nested, "en", HERE) == 'x = ["a",\n     "bb"]'
    joined = ('def f():\n    return tr("第一句，"\n              "第二句", "one, "\n'
              '                        "two")')
    zh = 'def f():\n    return ("第一句，"\n              "第二句")'
    assert build.substitute_tr(joined, "zh-CN", HERE) == zh
    compile(build.substitute_tr(joined, "en", HERE), "cell", "exec")


@pytest.mark.parametrize(("source", "problem"), [
    ('tr("只有中文")', "two strings"),
    ('tr("甲", "a", "b")', "two strings"),
    ('tr("甲", tr("乙", "b"))', "inside another"),
    ("x = (", "not valid Python"),
])
def test_invalid_tr_calls_are_named(source: str, problem: str) -> None:
    with pytest.raises(build.TextError, match=problem):
        build.substitute_tr(source, "zh-CN", HERE)


def test_language_comments_stay_in_their_language() -> None:
    source = "def f():\n    # zh: 第一步\n    # en: step 1\n    return 1\nfrom labkit import tr"
    assert build.keep_language_comments(source, "zh-CN", HERE) == "def f():\n    # 第一步\n    return 1"
    assert build.keep_language_comments(source, "en", HERE) == "def f():\n    # step 1\n    return 1"
    with pytest.raises(build.TextError, match="line of its own"):
        build.keep_language_comments("x = 1  # zh: 一", "zh-CN", HERE)


def test_wrapped_chinese_lines_join_without_a_space() -> None:
    text = "第一行的末尾\n接着第二行。\n\n* 列表项\n* 另一项\nEnglish line\n继续"
    assert build.join_cjk_lines(text) == "第一行的末尾接着第二行。\n\n* 列表项\n* 另一项\nEnglish line\n继续"
    assert build.join_cjk_lines("**SM3**\n（GB/T 32905）") == "**SM3**（GB/T 32905）"


def test_nbgrader_metadata_is_completed_and_checked() -> None:
    meta = build.nbgrader_metadata({"grade_id": "q1_check", "grade": True, "points": 1}, HERE)
    assert meta == {"grade": True, "solution": False, "locked": True, "task": False, "grade_id": "q1_check",
                    "schema_version": 3, "points": 1}
    with pytest.raises(build.TextError, match="needs points"):
        build.nbgrader_metadata({"grade_id": "q1_check", "grade": True}, HERE)
    with pytest.raises(build.TextError, match="unknown nbgrader keys"):
        build.nbgrader_metadata({"grade_id": "x", "pionts": 1}, HERE)


def test_a_text_source_builds_both_languages_with_one_shape(tmp_path: Path) -> None:
    files = build.build_lab("lab01_hashing")
    zh, en = (files[build.OUTPUT[lang] / "lab01_hashing" / "explore.ipynb"] for lang in ("zh-CN", "en"))
    assert '"lang": "zh-CN"' in zh and '"lang": "en"' in en
    assert "tr(" not in zh and "# zh:" not in zh and "# en:" not in zh
    assert "区块链" in zh and "blockchain" in en
