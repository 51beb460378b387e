"""Lab 9's judges bite, through `python -m grader autograde`: each learner's Solidity is compiled and run
on the EVM by the judge, in the grader's process. The model solution scores full marks; a contract that
leaves out one rule the text states loses that exercise's points, with the judge's reason naming the
refused transaction and the step to fix; Solidity that does not compile scores 0 with the compiler's
message at the line of the learner's own function, never a traceback; the other exercise keeps its
points (the judge puts the model function beside the learner's).

Each slip below passes its exercise's visible test (fixed people and invoice numbers, a check the slip
leaves alone), so only the judge catches it: without one, the hidden cell would score full marks.
"""

from __future__ import annotations

import importlib.util
import re
import sys

import nbformat
import pytest
from harness import LABS, Judged, autograde, by_grade_id, filled_release, hand_in, model_solutions, release

LAB = "lab09_contracts"


def _judges() -> object:
    spec = importlib.util.spec_from_file_location("lab09_judges_under_test", LABS / "judges" / f"{LAB}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _edit(grade_id: str, old: str, new: str) -> str:
    solution = model_solutions(LAB)[grade_id]
    assert old in solution, (grade_id, old)
    return solution.replace(old, new)


# The slips, each a solution cell's new source.
SLIPS = {
    # the tax bureau, which admits issuers, may issue too: the text says only admitted issuers may
    "no_admission": ("ex1_issue", "require(isIssuer[msg.sender], ",
                     "require(isIssuer[msg.sender] || msg.sender == authority, "),
    # issuedCount is set to 1, not added to: right after the first invoice only
    "count_set": ("ex1_issue", "issuedCount += 1;", "issuedCount = 1;"),
    # the double-redemption rule holds only while at most one invoice was ever redeemed
    "redeem_twice": ("ex2_redeem", "require(invoice.status != Status.Redeemed, ",
                     "require(invoice.status != Status.Redeemed || redeemedCount > 1, "),
    # does not compile: a semicolon missing on line 7 (solc names line 8, where it meets `emit`)
    "no_semicolon": ("ex2_redeem", "redeemedCount += 1;", "redeemedCount += 1"),
}
STUDENTS = {"model": [], "slips_a": ["no_admission", "redeem_twice"], "slips_b": ["count_set"],
            "broken": ["no_semicolon"]}
# The words the Chinese feedback must carry, by slip: what was refused or expected, and the step.
WORDS = {"no_admission": ["not an admitted issuer", "第 1 步"],
         "count_set": ["issuedCount", "第 4 步"],
         "redeem_twice": ["invoice already redeemed", "第 3 步"],
         "no_semicolon": ["编译不通过", "你的 redeem 第 8 行", "ParserError: Expected ';'"]}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Judged:
    base = tmp_path_factory.mktemp("lab09")
    for student, slips in STUDENTS.items():
        changed: dict[str, str] = {}
        for slip in slips:
            grade_id, old, new = SLIPS[slip]
            changed[grade_id] = _edit(grade_id, old, new) if grade_id not in changed else \
                changed[grade_id].replace(old, new)
        hand_in(base / "in", student, LAB, filled_release(LAB, changed))
    hand_in(base / "in", "blank", LAB, release(LAB))
    return autograde(base / "in", LAB, base / "results.csv")


def test_the_model_solution_scores_full_marks(graded: Judged) -> None:
    rows = graded.cells.get("model")
    assert rows, graded.output
    for test in ("ex1_hidden", "ex2_hidden"):
        assert rows[test].score == rows[test].max_score == 4, rows[test]
        assert not rows[test].message, rows[test].message


@pytest.mark.parametrize("student", ["slips_a", "slips_b", "broken"])
def test_a_missing_rule_costs_its_exercise_with_the_reason(student: str, graded: Judged) -> None:
    rows = graded.cells[student]
    broken = {SLIPS[slip][0].split("_")[0] + "_hidden": slip for slip in STUDENTS[student]}
    for test in ("ex1_hidden", "ex2_hidden"):
        row = rows[test]
        if test in broken:
            assert row.score == 0 < row.max_score, (student, test, row)
            assert all(word in row.message for word in WORDS[broken[test]]), (student, row)
            assert "Traceback" not in row.message
        else:
            assert row.score == row.max_score > 0, (student, test, row)


def test_the_blank_release_scores_nothing_and_says_not_written(graded: Judged) -> None:
    for test in ("ex1_hidden", "ex2_hidden"):
        row = graded.cells["blank"][test]
        assert row.score == 0 < row.max_score, row
        assert "还没有写" in row.message, row.message


def test_each_slip_passes_its_visible_test() -> None:
    """So that only the judge can catch it: the visible tests run on the slipped source, outside grading."""
    nb = nbformat.read(LABS / "source" / LAB / "build.ipynb", as_version=4)
    cells = by_grade_id(nb)
    setup = cells["setup"].source
    for slip, (grade_id, old, new) in SLIPS.items():
        if slip == "no_semicolon":
            continue
        scope: dict[str, object] = {}
        exec(compile(setup, "setup", "exec"), scope)   # the course's own set-up cell
        for solution in ("ex1_issue", "ex2_redeem"):
            code = _edit(solution, old, new) if solution == grade_id else model_solutions(LAB)[solution]
            exec(compile(code, solution, "exec"), scope)
        test = grade_id.split("_")[0] + "_visible"
        exec(compile(cells[test].source, test, "exec"), scope)   # raises CheckFailed if it catches the slip
        scope["SOLC"].close()  # type: ignore[attr-defined]


def test_the_judge_builds_the_notebooks_contract() -> None:
    """The judge's copy of the contract and its model functions are the notebook's."""
    judges = _judges()
    nb = nbformat.read(LABS / "source" / LAB / "build.ipynb", as_version=4)
    setup = by_grade_id(nb)["setup"].source
    template = re.search(r'TEMPLATE = """\\\n(.*?)"""', setup, re.S)
    assert template is not None
    assert template.group(1) == judges.TEMPLATE  # type: ignore[attr-defined]
    for grade_id, name in (("ex1_issue", "issue"), ("ex2_redeem", "redeem")):
        text = re.search(r'"""\n(.*?)"""', model_solutions(LAB)[grade_id], re.S)
        assert text is not None
        assert judges.function_text(text.group(1)) == judges.MODEL[name]  # type: ignore[attr-defined]


def _verdict(test: str, sent: object) -> tuple[bool, str]:
    """One judge's verdict on what a hidden cell sent, in Chinese, without a notebook run."""
    import random

    from grader.judging import load_judges_file, run_check
    from labkit.i18n import pick

    def say(zh: str, en: str) -> str:
        return pick("zh-CN", zh, en)

    _, check = load_judges_file(LABS / "judges" / f"{LAB}.py")[test].make(random.Random(9), say)
    verdict = run_check(check, sent, say)
    return verdict.passed, verdict.message + verdict.hint


def test_an_import_in_the_learners_source_reads_no_file_of_the_grader(tmp_path: object) -> None:
    secret = LABS / "source" / LAB / "build.ipynb"   # the solutions, readable by the grader
    sent = (f'}}\nimport "{secret}";\ncontract Other {{\n'
            "function issue(string calldata number, address holder, uint256 amount) external {}")
    passed, said = _verdict("ex1_hidden", sent)
    assert not passed
    assert "编译不通过" in said and "BEGIN SOLUTION" not in said and "not found" in said, said


def test_a_loop_that_burns_all_gas_is_a_refusal_not_a_hang() -> None:
    sent = ("function redeem(string calldata number) external {\n"
            "    uint256 i = 0;\n    while (true) { i += 1; }\n}")
    passed, said = _verdict("ex2_hidden", sent)
    assert not passed
    assert "contract-out-of-gas" in said and "停不下来的循环" in said, said
