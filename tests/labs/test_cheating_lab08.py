"""Hostile learners against lab 8's build notebook, through the course's grader: no submission without the
work gets a point, whatever its kernel does, and the model solution still scores in full.

Lab 8 is stateful: its probes build chains in the learner's kernel and send back the blocks, times and
verdicts the learner's functions gave. The points come from the judges (labs/judges/lab08_consortium.py),
which rebuild every chain with a pristine minichain outside the kernel: a kernel whose minichain accepts
any block, whose checks pass everything, or whose functions return objects equal to anything, sends
data that is simply wrong. Without the judges these attacks would score, so the tests can fail.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from harness import LABS, ROOT

from grader.autograde import grade_submissions
from grader.course import Course
from grader.grading import GradeResult

LAB = "lab08_consortium"
# The release's stubs raise NotImplementedError: skipping those cells keeps the attack's own functions.
SKIP_STUBS = """
get_ipython().input_transformers_post.append(
    lambda lines: ['pass\\n'] if any('raise NotImplementedError' in line for line in lines) else lines)
"""

# Each learner hands in the untouched release plus one cell of the attack, placed first.
ATTACKS = {
    # rewrites every later cell (tests included) into `pass`
    "input_transformer": "get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])",
    # every later cell runs inside try/except BaseException: no test can fail
    "ast_wrapper": """
import ast
class Wrap(ast.NodeTransformer):
    def visit_Module(self, node):
        handler = ast.ExceptHandler(type=ast.Name('BaseException', ast.Load()), name=None, body=[ast.Pass()])
        return ast.fix_missing_locations(ast.Module(body=[ast.Try(body=node.body, handlers=[handler],
                                                               orelse=[], finalbody=[])], type_ignores=[]))
get_ipython().ast_transformers.append(Wrap())
""",
    # the kernel's minichain accepts every block and every seal, every slot is the first member's,
    # a genesis writes nothing, the visible checks pass everything; the functions are lazy
    "monkeypatch": """
import labkit.checks, minichain.chain, minichain.consensus.poa, minichain.genesis
minichain.consensus.poa.PoaEngine.check_seal = lambda self, header, parent, ancestry: None
minichain.consensus.poa.PoaEngine.authority_for_slot = lambda self, slot: self.authorities[0]
minichain.chain.Chain.add_block = lambda self, block, now=None: None
minichain.genesis.Genesis.to_json = lambda self: {}
for name in [n for n in vars(labkit.checks.Checks) if not n.startswith('_')]:
    setattr(labkit.checks.Checks, name, lambda self, *args, **kwargs: None)
def consortium_genesis(members, block_time=2):
    return minichain.genesis.Genesis('x', minichain.genesis.PoaParams((members[0].address,)))
def slot_owner(genesis, timestamp): return genesis.consensus.authorities[0]
def seal_block(chain, member, transactions, timestamp):
    return chain.build_block(transactions, member.address, timestamp)[0]
def next_block_time(chain, online): return chain.tip.timestamp + 2
def is_final(chain, height): return True
""" + SKIP_STUBS,
    # the functions return objects that equal anything (str, int, dict, tuple and Block subclasses)
    "always_equal": """
from minichain.blocks import Block
def yes(base):
    always = {'__eq__': lambda self, other: True, '__ne__': lambda self, other: False,
              '__hash__': base.__hash__}
    return type('Yes' + base.__name__, (base,), always)
YesStr, YesInt, YesDict, YesTuple, YesBlock = map(yes, (str, int, dict, tuple, Block))
class YesGenesis:
    class consensus:
        authorities, block_time, block_reward = YesTuple(), YesInt(2), YesInt(0)
    allocations = YesTuple()
    def to_json(self): return YesDict()
    def __eq__(self, other): return True
def consortium_genesis(members, block_time=2): return YesGenesis()
def slot_owner(genesis, timestamp): return YesStr('')
def seal_block(chain, member, transactions, timestamp):
    block, _ = chain.build_block(transactions, member.address, timestamp)
    return YesBlock(block.header, block.transactions)
def next_block_time(chain, online): return YesInt(0)
def is_final(chain, height): return YesInt(1)
""" + SKIP_STUBS,
    # the kernel's probe sends what the learner likes instead of what the functions return
    "probe_patch": """
import labkit.probe
labkit.probe.Probe.each = lambda self, test, function: self._show(test, [True] * len(self.inputs[test]))
labkit.probe.Probe.once = lambda self, test, function: self._show(test, True)
""" + SKIP_STUBS,
    # a forged "results" output in the probe's own MIME type, in a cell that is not the test's
    "forged_results": """
from IPython.display import display
for n in range(1, 6):
    forged = {'test': f'ex{n}_hidden', 'results': {'list': []}}
    display({'application/vnd.minichain.probe+json': forged}, raw=True)
get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])
""",
}


def _submission(base: Path, student: str, first: str) -> None:
    folder = base / student / LAB
    folder.mkdir(parents=True)
    nb = nbformat.read(LABS / "release" / LAB / "build.ipynb", as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(first.strip()))
    nbformat.write(nb, folder / "build.ipynb")


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, GradeResult]:
    base = tmp_path_factory.mktemp("cheats08")
    for student, attack in ATTACKS.items():
        _submission(base, student, attack)
    honest = base / "honest" / LAB
    honest.mkdir(parents=True)
    shutil.copy2(LABS / "source" / LAB / "build.ipynb", honest / "build.ipynb")   # the model solution
    results = grade_submissions(Course(ROOT / "labs"), LAB, base, jobs=2, timeout=60, progress=False)
    return {r.student: r for r in results if r.name == "build"}


@pytest.mark.parametrize("student", sorted(ATTACKS))
def test_a_hostile_build_notebook_without_the_work_scores_nothing(
        student: str, graded: dict[str, GradeResult]) -> None:
    result = graded[student]
    assert result.score == 0, f"{student}: {result.score}/{result.max_score} ({result.detail})"
    judged = [c for c in result.cells if c.grade_id.endswith("_hidden")]
    assert len(judged) == 5 and all(c.score == 0 and c.max_score > 0 and c.message for c in judged), \
        f"{student}: every judged test fails with a reason: {[(c.grade_id, c.message) for c in judged]}"


def test_the_model_solution_still_scores_in_full(graded: dict[str, GradeResult]) -> None:
    result = graded["honest"]
    assert result.status == "ok" and result.score == result.max_score == 16, (result.score, result.detail)


def test_the_feedback_names_what_came_back_without_showing_the_judge(graded: dict[str, GradeResult]) -> None:
    """A failed judged test says what minichain says and what the function gave, in the notebook's
    language, and never quotes the judge's code."""
    judges = (LABS / "judges" / f"{LAB}.py").read_text(encoding="utf-8")
    code_lines = {line.strip() for line in judges.splitlines() if len(line.strip()) > 25
                  and not line.strip().startswith(("say(", "f\"", "\"", "#", "(\"", "return say("))}
    for result in graded.values():
        for cell in result.cells:
            assert not any(line in cell.message for line in code_lines), (cell.grade_id, cell.message)
    equal = {c.grade_id: c.message for c in graded["always_equal"].cells if c.grade_id.endswith("_hidden")}
    assert all("你的" in message or "没有收到" in message for message in equal.values()), equal
    patched = {c.grade_id: c.message for c in graded["monkeypatch"].cells if c.grade_id.endswith("_hidden")}
    assert "minichain" in patched["ex3_hidden"] or "封装" in patched["ex3_hidden"], patched
