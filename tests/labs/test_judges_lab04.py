"""Lab 4's judges bite: a learner whose Merkle root follows Bitcoin's rule (an odd last hash paired with a
copy of itself) loses exactly the points of exercise 1's hidden test, with the judge's message and hint,
and keeps every other exercise's points. Graded by the real grader (`python -m grader autograde`'s
grade_submissions), so the test fails if the judge were gone.
"""

from __future__ import annotations

from pathlib import Path

from harness import autograde, filled_release, hand_in

LAB = "lab04_merkle"
BITCOIN_ROOT = '''def merkle_root_of(items, hash_fn=sha256) -> bytes:
    """RFC 6962 Merkle root of a list of byte strings."""
    if not items:
        return hash_fn(b"")
    level = [hash_fn(b"\\x00" + item) for item in items]
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])
        level = [hash_fn(b"\\x01" + level[i] + level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]
'''


def test_a_bitcoin_style_root_loses_exercise_1_and_only_it(tmp_path: Path) -> None:
    hand_in(tmp_path / "in", "bitcoin", LAB, filled_release(LAB, {"ex1_root": BITCOIN_ROOT}))
    hand_in(tmp_path / "in", "honest", LAB, filled_release(LAB, {}))
    graded = autograde(tmp_path / "in", LAB, tmp_path / "results.csv", cli=False)
    honest, bitcoin = graded.rows["honest"], graded.rows["bitcoin"]
    assert honest.status == "ok" and honest.score == honest.max_score == 21, (honest.score, honest.detail)
    cells = graded.cells["bitcoin"]
    assert cells["ex1_hidden"].score == 0 and cells["ex1_hidden"].max_score == 5, cells["ex1_hidden"]
    message = cells["ex1_hidden"].message
    assert "minichain 的根是" in message, message
    assert "你把它和自己的副本配对了（那是比特币的规则）" in message, message
    for other in ("ex2_hidden", "ex3_hidden", "ex4_hidden"):
        assert cells[other].score == cells[other].max_score > 0, cells[other]
    assert bitcoin.score == 16, bitcoin.detail
