"""Lab 3's judges bite, through the grader's own autograde: a learner who fills the release notebook with
the model solution but breaks one rule the text states loses that exercise's hidden points, with the
judge's message in the cells CSV, and keeps every other exercise's points. (Without its judge a hidden
cell is only a probe and would score in full, so these tests fail.) A learner who did no work but
hands back objects that equal anything scores nothing.
"""

from __future__ import annotations

import nbformat
import pytest
from harness import Judged, autograde, filled_release, hand_in, release

LAB = "lab03_transactions"

# learner -> (the solution cell rewritten, the hidden test it must fail, words its message must hold)
BROKEN = {
    # the brief's own example: the balance compared with the amount alone
    "forgets_the_fee": ("ex1_build_transfer", '''
def build_transfer(wallet, state, chain_id, recipient, amount, fee):
    nonce = state.nonce(wallet.address)
    if state.balance(wallet.address) < amount:
        raise ValueError("cannot pay")
    tx = Transaction(chain_id=chain_id, suite=wallet.suite_name, sender_key=wallet.public_key,
                     recipient=recipient, amount=amount, fee=fee, nonce=nonce)
    return sign_transaction(tx, wallet.private_key)
''', "ex1_hidden", ("[tx-balance]", "应当在签名之前抛出 ValueError", "手续费也要付")),
    # the recipient read before the sender is updated: paying oneself creates coins
    "pays_itself_twice": ("ex2_apply", '''
def apply_transaction(accounts, tx, producer):
    new = dict(accounts)
    sender = new.get(tx.sender, Account(0, 0))
    receiver = new.get(tx.recipient, Account(0, 0))
    if tx.nonce != sender.nonce:
        raise Rejected("tx-nonce")
    if sender.balance < tx.amount + tx.fee:
        raise Rejected("tx-balance")
    new[tx.sender] = Account(sender.balance - tx.amount - tx.fee, sender.nonce + 1)
    new[tx.recipient] = Account(receiver.balance + tx.amount, receiver.nonce)
    paid = new.get(producer, Account(0, 0))
    new[producer] = Account(paid.balance + tx.fee, paid.nonce)
    return new
''', "ex2_hidden", ("付给自己", "minichain 算出", "在更新付款人之后再读取收款人")),
    # a double spend settled by arrival, not by the highest fee
    "first_come_first_served": ("ex3_fill_block", '''
def fill_block(pending, state):
    best, chosen = {}, []
    for tx in pending:
        best.setdefault((tx.sender, tx.nonce), tx)
    for sender in dict.fromkeys(tx.sender for tx in pending):
        nonce, balance = state.nonce(sender), state.balance(sender)
        while (sender, nonce) in best and best[(sender, nonce)].cost <= balance:
            balance -= best[(sender, nonce)].cost
            chosen.append(best[(sender, nonce)])
            nonce += 1
    return chosen
''', "ex3_hidden", ("本文的交易池", "按本文的规则不应收录", "手续费最高")),
}
POINTS = {"ex1_hidden": 5, "ex2_hidden": 6, "ex3_hidden": 6}

# a learner who did no work: every function returns an int that equals anything, the stubs are skipped
HOSTILE = """
class Yes(int):
    def __eq__(self, other): return True
    __hash__ = int.__hash__
for name in ('build_transfer', 'apply_transaction', 'fill_block'):
    globals()[name] = lambda *args, **kwargs: Yes(1)
get_ipython().input_transformers_post.append(
    lambda lines: ['pass\\n'] if any('raise NotImplementedError' in line for line in lines) else lines)
"""


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Judged:
    base = tmp_path_factory.mktemp("lab03_broken")
    for student, (solution, code, _, _) in BROKEN.items():
        hand_in(base / "in", student, LAB, filled_release(LAB, {solution: code}))
    hostile = release(LAB)
    hostile.cells.insert(0, nbformat.v4.new_code_cell(HOSTILE.strip()))
    hand_in(base / "in", "hostile", LAB, hostile)
    return autograde(base / "in", LAB, base / "results.csv", cli=False)


@pytest.mark.parametrize("student", sorted(BROKEN))
def test_a_broken_rule_loses_its_hidden_points_and_says_why(student: str, graded: Judged) -> None:
    graded_ok = sorted(student for student, row in graded.rows.items() if row.status == "ok")
    assert graded_ok == sorted([*BROKEN, "hostile"]), graded_ok
    _, _, failing, words = BROKEN[student]
    cells = graded.cells[student]
    score, max_score, message = cells[failing].score, cells[failing].max_score, cells[failing].message
    assert max_score == POINTS[failing] and score == 0, (student, failing, score, message)
    for word in words:
        assert word in message, (student, word, message)
    for grade_id, cell in cells.items():
        score, max_score, message = cell.score, cell.max_score, cell.message
        if grade_id.endswith("_hidden") and grade_id != failing:
            assert score == max_score == POINTS[grade_id] and not message, (student, grade_id, score, message)
    assert graded.points(student) == 17 - POINTS[failing]


def test_objects_that_equal_anything_score_nothing(graded: Judged) -> None:
    """The kernel's objects never decide: what crosses is plain data, judged here."""
    cells = graded.cells["hostile"]
    assert graded.points("hostile") == 0, cells
    hidden = [cell.message for grade_id, cell in cells.items() if grade_id.endswith("_hidden")]
    assert hidden and all(hidden), cells
