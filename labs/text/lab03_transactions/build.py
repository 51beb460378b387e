# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   minichain:
#     lab: lab03_transactions
#     notebook: build
#     title:
#       zh-CN: 实验三 · 交易（动手实现）
#       en: Lab 3 · Transactions (build)
# ---

# %% [markdown] lang="zh-CN"
# # 实验三 · 交易：动手实现
#
# *企业工程师课程。* 你将根据链的状态构造一笔转账；写出账户模型执行一笔交易的规则；再从一个交易池里挑出
# 能进入下一个区块的交易，池里混有重放、跳号、透支和一次双花。每个结果都交给 minichain 自己的状态转换和区块校验来评判。
# %% [markdown] lang="en"
# # Lab 3 · Transactions: build it
#
# *Enterprise track.* You will build a transfer from the chain's state, write the account model's rule
# for applying one transaction, and fill a block from a pool of pending transactions that holds
# replays, gaps, overdrafts and a double spend. Each result is handed to minichain's own state
# transition and block validation.
# %% [markdown] lang="zh-CN"
# **使用方法**
#
# 每个练习是一个函数，注释里按步骤编好了号。把 `# 在这里写你的代码` 和 `raise NotImplementedError()`
# 换成你的代码，运行该单元格，再运行下面的测试单元格。测试失败时会说明**检查了什么、应当是什么、实际得到了什么**；
# 测试把你的函数的结果交给真正的 `minichain`，所以失败信息里会带上节点拒绝时的规则编号（方括号中），
# 例如 `[tx-balance]`。交卷评分时还会运行更多测试：请把函数写对，而不只是让眼前的例子通过。
# %% [markdown] lang="en"
# **How this notebook works**
#
# Each exercise is a function with its steps numbered in comments. Replace `# YOUR CODE HERE` and
# `raise NotImplementedError()` with your code, run the cell, then run the test cell below it. A
# failing test says **what it checked, what it expected and what it found**; the tests hand what your
# function produces to the real `minichain`, so a failure carries the rule id a node would give, in
# brackets, e.g. `[tx-balance]`. More tests run when your lab is graded: make your function right, not
# just the visible example.
# %% nbgrader={"grade_id": "setup", "locked": true}
# zh: 准备工作（只读）：minichain、四个各有 100 的账户，以及评判函数（它们只用 minichain，不用你的代码）。
# en: Set-up (read-only): the library, four accounts of 100, and the judges (they use minichain, never your code).
from labkit import tr
from labkit.checks import Checks
from minichain import Account, Chain, MinichainError, State, Transaction, get_suite, sign_transaction, testing

check = Checks(tr("zh-CN", "en"))
alice, bob, carol, dave = (testing.make_wallet(i) for i in range(4))
MINER = testing.make_wallet("miner")
genesis = testing.make_genesis(funded=[alice, bob, carol, dave], amount=100)
WHO = {alice.address: "alice", bob.address: "bob", carol.address: "carol", dave.address: "dave",
       MINER.address: "MINER"}


class Rejected(Exception):
    """Raised by your apply_transaction; .rule is the id of the rule broken."""

    def __init__(self, rule, message=""):
        super().__init__(f"[{rule}] {message}")
        self.rule = rule


def minichain_verdict(chain, transactions):
    """minichain's verdict on a block holding exactly `transactions`, in this order, on top of `chain`:
    None if it takes them all, else '[rule] transaction #i: reason' for the first it refuses.
    The chain is not changed."""
    _, refused = chain.build_block(transactions, MINER.address, chain.tip.timestamp + 10)
    if refused:
        tx, error = refused[0]
        return f"[{error.rule}] transaction #{transactions.index(tx)}: {error}"
    return None


def mine(chain, transactions):
    """minichain's verdict; when it takes them all, the block is mined and added to `chain`."""
    verdict = minichain_verdict(chain, transactions)
    if verdict is None:
        testing.produce_block(chain, transactions, producer=MINER)
    return verdict


def expect_accepted(verdict, what, hints=None):
    """minichain must take it; if not, say what it refused and the usual mistake behind that rule."""
    if verdict is not None:
        rule = verdict[1:verdict.index("]")]
        hint = (hints or {}).get(rule, "")
        check.fail(tr(f"{what}：minichain 拒绝了它：{verdict}", f"{what}: minichain refuses it: {verdict}")
                   + (f"\n{hint}" if hint else ""))


def minichain_applies(accounts, tx, producer):
    """minichain's own state transition (State.apply_block, no block reward) on a copy of `accounts`:
    (the accounts after, None), or (None, the error) when it refuses the transaction."""
    state = State(get_suite(genesis.suite).hash, accounts)
    try:
        state.apply_block([tx], producer, 0)
    except MinichainError as error:
        return None, error
    return dict(state.items()), None


# %% [markdown] lang="zh-CN"
# ## 练习 1：构造一笔转账
#
# 客户端根据链的**状态**构造转账：付款人的下一个序号（nonce）就是它已经发出的交易数，`state.nonce(address)`。
# 细心的客户端还会在签名**之前**拒绝付款人付不起的转账：`state.balance(address)` 小于**金额 + 手续费**时，
# 抛出 `ValueError`。构造 `Transaction`，再用 `sign_transaction(tx, private_key)` 签名。

# %% [markdown] lang="en"
# ## Exercise 1: build a transfer
#
# A client builds a transfer from the chain's **state**: the sender's next nonce is the number of
# transactions it has already sent, `state.nonce(address)`. A careful client also refuses, **before**
# signing, a transfer the sender cannot pay for: when `state.balance(address)` is below **amount +
# fee**, raise `ValueError`. Build the `Transaction` and sign it with `sign_transaction(tx, private_key)`.

# %% nbgrader={"grade_id": "ex1_build_transfer", "solution": true}
def build_transfer(wallet, state, chain_id, recipient, amount, fee):
    """A signed transfer from `wallet` with the next nonce; ValueError if it cannot be paid."""
    # zh: 1. nonce = state.nonce(wallet.address)
    # zh: 2. 如果 state.balance(wallet.address) < amount + fee：raise ValueError(...)
    # zh: 3. tx = Transaction(chain_id=chain_id, suite=wallet.suite_name, sender_key=wallet.public_key,
    # zh:                     recipient=recipient, amount=amount, fee=fee, nonce=nonce)
    # zh: 4. return sign_transaction(tx, wallet.private_key)
    # en: 1. nonce = state.nonce(wallet.address)
    # en: 2. if state.balance(wallet.address) < amount + fee: raise ValueError(...)
    # en: 3. tx = Transaction(chain_id=chain_id, suite=wallet.suite_name, sender_key=wallet.public_key,
    # en:                     recipient=recipient, amount=amount, fee=fee, nonce=nonce)
    # en: 4. return sign_transaction(tx, wallet.private_key)
    ### BEGIN SOLUTION
    nonce = state.nonce(wallet.address)
    if state.balance(wallet.address) < amount + fee:
        raise ValueError(f"{wallet.address} holds {state.balance(wallet.address)}, needs {amount + fee}")
    tx = Transaction(chain_id=chain_id, suite=wallet.suite_name, sender_key=wallet.public_key,
                     recipient=recipient, amount=amount, fee=fee, nonce=nonce)
    return sign_transaction(tx, wallet.private_key)
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex1_visible", "grade": true, "points": 0}
TRANSFER_HINTS = {
    "tx-nonce": tr("序号要取自状态：state.nonce(wallet.address)，也就是已经发出的交易数",
                   "take the nonce from the state: state.nonce(wallet.address), the transactions already sent"),
    "tx-balance": tr("付不起的转账不要签名：抛出 ValueError", "do not sign a transfer the sender cannot pay: raise ValueError"),
    "tx-signature": tr("用 sign_transaction(tx, wallet.private_key) 签名", "sign with sign_transaction(tx, wallet.private_key)"),
    "tx-chain-id": tr("chain_id 用传入的参数", "use the chain_id given"),
    "tx-suite": tr("suite 用 wallet.suite_name", "use suite=wallet.suite_name"),
}


def expect_value_error(make, chain, what, hint):
    """make() must raise ValueError; a transaction it returns instead is shown to minichain."""
    try:
        made = make()
    except ValueError:
        return
    except Exception as error:
        check.fail(tr(f"{what}：应抛出 ValueError，实际抛出 {type(error).__name__}: {error}",
                      f"{what}: expected ValueError, but {type(error).__name__} was raised: {error}"))
    if isinstance(made, Transaction):
        verdict = minichain_verdict(chain, [made])
        if verdict is None:
            check.fail(tr(f"{what}：应抛出 ValueError，你却签出了这笔转账\n{hint}",
                          f"{what}: expected ValueError, but you sign the transfer\n{hint}"))
        check.fail(tr(f"{what}：你签出了这笔转账，minichain 拒绝它 {verdict}\n应当在签名之前抛出 ValueError。{hint}",
                      f"{what}: you sign it, minichain refuses it {verdict}\nRaise ValueError before signing. {hint}"))
    check.fail(tr(f"{what}：应抛出 ValueError，你的函数返回了 {made!r}",
                  f"{what}: expected ValueError, your function returned {made!r}"))


_chain = Chain(genesis)
_tx = build_transfer(alice, _chain.state, genesis.chain_id, bob.address, 30, 2)
check.instance(_tx, Transaction, tr("build_transfer 的返回值", "what build_transfer returns"))
check.equal((_tx.sender, _tx.recipient, _tx.amount, _tx.fee), (alice.address, bob.address, 30, 2),
            tr("alice 付给 bob 30、手续费 2：（付款人, 收款人, 金额, 手续费）",
               "alice pays bob 30, fee 2: (sender, recipient, amount, fee)"))
expect_accepted(mine(_chain, [_tx]), tr("alice 付给 bob 30、手续费 2", "alice pays bob 30, fee 2"), TRANSFER_HINTS)
check.equal(_chain.state.balance(alice.address), 68, tr("出块后 alice 的余额（minichain 算出）",
                                                        "alice's balance after the block (as minichain applies it)"))
_second = build_transfer(alice, _chain.state, genesis.chain_id, carol.address, 10, 1)
expect_accepted(mine(_chain, [_second]), tr("alice 的第二笔转账（她已经发出 1 笔）",
                                            "alice's second transfer (she has sent 1 already)"), TRANSFER_HINTS)
expect_value_error(lambda: build_transfer(dave, _chain.state, genesis.chain_id, alice.address, 150, 0), _chain,
                   tr("透支：dave 只有 100，却要转 150", "an overdraft: dave holds 100 and sends 150"),
                   tr("比较 state.balance(wallet.address) 与 amount + fee", "compare state.balance(wallet.address) "
                                                                           "with amount + fee"))
expect_value_error(lambda: build_transfer(dave, _chain.state, genesis.chain_id, alice.address, 100, 1), _chain,
                   tr("手续费让它超出余额：dave 有 100，金额 100 + 手续费 1 = 101",
                      "fee tips it over: dave holds 100, amount 100 + fee 1 = 101"),
                   tr("余额要够付金额加手续费：你是不是只比较了金额？", "the balance must cover amount + fee: do you "
                                                                  "compare it with the amount alone?"))
_exact = build_transfer(dave, _chain.state, genesis.chain_id, alice.address, 99, 1)
expect_accepted(mine(_chain, [_exact]), tr("正好付得起：dave 有 100，金额 99 + 手续费 1",
                                           "exactly affordable: dave holds 100, amount 99 + fee 1"),
                {"tx-balance": tr("余额等于金额加手续费时是付得起的", "a balance equal to amount + fee is enough")})
check.passed(tr("练习 1 的公开测试通过", "Exercise 1 visible tests pass"))

# %% nbgrader={"grade_id": "ex1_hidden", "grade": true, "points": 5}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
import dataclasses

from labkit.probe import Probe


def _fields(tx):
    """A Transaction as its fields (the grader rebuilds it from them), anything else as its type's name."""
    return ["Transaction", dataclasses.asdict(tx)] if type(tx) is Transaction else [type(tx).__name__, None]


Probe().each("ex1_hidden", lambda case: _fields(build_transfer(
    testing.make_wallet(case[0], case[1]), State(get_suite(case[1]).hash, case[2]), *case[3:])))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 2：账户模型的规则
#
# 写出 `apply_transaction(accounts, tx, producer)`。`accounts` 把地址映射到 `Account(balance, nonce)`
# （一个不可变的 dataclass）；不在其中的地址就是 `Account(0, 0)`。返回执行这笔交易之后的**新**字典，
# 不要修改传入的 `accounts`。交易无法执行时，抛出带 minichain 规则编号的 `Rejected(rule)`：序号不等于付款人的序号时为
# `"tx-nonce"`，付款人持有的少于金额 + 手续费时为 `"tx-balance"`。签名已经检查过了，不必理会。
# 手续费归 `producer`（出块者）。

# %% [markdown] lang="en"
# ## Exercise 2: the account model's rule
#
# Write `apply_transaction(accounts, tx, producer)`. `accounts` maps an address to an
# `Account(balance, nonce)` (a frozen dataclass); a missing address is `Account(0, 0)`. Return a
# **new** dict with the transaction applied; do not modify `accounts`. If the transaction cannot
# apply, raise `Rejected(rule)` with minichain's rule id: `"tx-nonce"` when its nonce is not the
# sender's nonce, `"tx-balance"` when the sender holds less than amount + fee. Signatures are already
# checked: ignore them. The fee goes to `producer`.

# %% nbgrader={"grade_id": "ex2_apply", "solution": true}
def apply_transaction(accounts, tx, producer):
    """New accounts after `tx`, its fee paid to `producer`; Rejected(rule) if it can't apply."""
    # zh: 1. new = dict(accounts)；sender = new.get(tx.sender, Account(0, 0))
    # zh: 2. tx.nonce 必须等于 sender.nonce，否则 raise Rejected("tx-nonce")
    # zh: 3. sender.balance 必须 >= tx.amount + tx.fee，否则 raise Rejected("tx-balance")
    # zh: 4. 付款人：余额减去金额和手续费，序号加 1
    # zh: 5. 收款人（在更新付款人**之后**再读取：可能是同一个账户）：余额加上金额
    # zh: 6. 出块者：余额加上手续费
    # en: 1. new = dict(accounts); sender = new.get(tx.sender, Account(0, 0))
    # en: 2. tx.nonce must equal sender.nonce, else raise Rejected("tx-nonce")
    # en: 3. sender.balance must be >= tx.amount + tx.fee, else raise Rejected("tx-balance")
    # en: 4. sender: balance - amount - fee, nonce + 1
    # en: 5. recipient (read it AFTER updating the sender: it may be the same account): balance + amount
    # en: 6. producer: balance + fee
    ### BEGIN SOLUTION
    new = dict(accounts)
    sender = new.get(tx.sender, Account(0, 0))
    if tx.nonce != sender.nonce:
        raise Rejected("tx-nonce", f"account at nonce {sender.nonce}, transaction has {tx.nonce}")
    if sender.balance < tx.amount + tx.fee:
        raise Rejected("tx-balance", f"holds {sender.balance}, needs {tx.amount + tx.fee}")
    new[tx.sender] = Account(sender.balance - tx.amount - tx.fee, sender.nonce + 1)
    receiver = new.get(tx.recipient, Account(0, 0))
    new[tx.recipient] = Account(receiver.balance + tx.amount, receiver.nonce)
    paid = new.get(producer, Account(0, 0))
    new[producer] = Account(paid.balance + tx.fee, paid.nonce)
    return new
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex2_visible", "grade": true, "points": 0}
def judge_steps(steps, accounts, producer=MINER.address):
    """Apply each (name, tx, hint) in turn with your apply_transaction and with minichain's own state
    transition; stop at the first difference, naming the step. Returns minichain's accounts at the end."""
    for name, tx, hint in steps:
        expected, error = minichain_applies(accounts, tx, producer)
        given = dict(accounts)
        note = f"\n{hint}" if hint else ""
        try:
            yours = apply_transaction(given, tx, producer)
        except Rejected as rejection:
            if error is None:
                check.fail(tr(f"{name}：你拒绝了它 [{rejection.rule}]，minichain 执行了它{note}",
                              f"{name}: you refuse it [{rejection.rule}], minichain applies it{note}"))
            check.equal(rejection.rule, error.rule, tr(f"{name}：规则编号（minichain：{error.cause}）",
                                                       f"{name}: the rule id (minichain: {error.cause})"), hint=hint)
            continue
        except Exception as exc:
            check.fail(tr(f"{name}：apply_transaction 抛出了 {type(exc).__name__}: {exc}\n"
                          "不在 accounts 里的地址是 Account(0, 0)；规则不满足时抛出 Rejected(rule)",
                          f"{name}: apply_transaction raised {type(exc).__name__}: {exc}\n"
                          "a missing address is Account(0, 0); a broken rule raises Rejected(rule)"))
        check.true(given == accounts, tr(f"{name}：你修改了传入的 accounts：请返回一个新字典",
                                         f"{name}: you changed the accounts you were given: return a new dict"))
        if error is not None:
            check.fail(tr(f"{name}：你执行了它，minichain 拒绝 [{error.rule}] {error.cause}{note}",
                          f"{name}: you apply it, minichain refuses [{error.rule}] {error.cause}{note}"))
        check.instance(yours, dict, tr(f"{name}：apply_transaction 的返回值", f"{name}: what apply_transaction returns"))
        for address in sorted(set(yours) | set(expected), key=lambda a: WHO.get(a, a)):
            check.equal(yours.get(address, Account(0, 0)), expected.get(address, Account(0, 0)),
                        tr(f"{name}：{WHO.get(address, address)} 的账户（minichain 算出）",
                           f"{name}: {WHO.get(address, address)}'s account (as minichain applies it)"), hint=hint)
        accounts = expected
    return accounts


_c = genesis.chain_id
_to_self_hint = tr("收款人可能就是付款人：在更新付款人之后再读取收款人",
                   "the recipient may be the sender: read the recipient after updating the sender")
judge_steps([
    (tr("付款", "pay"), alice.transfer(_c, bob.address, 30, nonce=0, fee=2),
     tr("付款人：余额减去金额和手续费，序号加 1；收款人：加上金额；出块者：加上手续费",
        "sender: balance - amount - fee, nonce + 1; recipient: + amount; producer: + fee")),
    (tr("重放", "replay"), alice.transfer(_c, bob.address, 30, nonce=0, fee=2),
     tr("序号已经用过：Rejected(\"tx-nonce\")", "the nonce is used already: Rejected(\"tx-nonce\")")),
    (tr("跳号", "gap"), alice.transfer(_c, bob.address, 1, nonce=5),
     tr("序号必须正好等于付款人的序号", "the nonce must be exactly the sender's")),
    (tr("透支", "overdraft"), bob.transfer(_c, carol.address, 100, nonce=0), ""),
    (tr("手续费让它超出余额", "fee tips it over"), bob.transfer(_c, carol.address, 35, nonce=0, fee=1),
     tr("bob 有 35：金额 35 + 手续费 1 = 36，付款人必须持有金额加手续费",
        "bob holds 35: amount 35 + fee 1 = 36; the sender must hold amount + fee")),
    (tr("正好付得起", "exact balance"), bob.transfer(_c, carol.address, 34, nonce=0, fee=1),
     tr("余额等于金额加手续费时是付得起的（>=）", "a balance equal to amount + fee is enough (>=)")),
    (tr("付给自己", "to self"), carol.transfer(_c, carol.address, 20, nonce=0, fee=3), _to_self_hint),
    (tr("付给一个新账户", "to a new account"), alice.transfer(_c, testing.make_wallet(42).address, 7, nonce=1),
     tr("不在 accounts 里的地址是 Account(0, 0)", "a missing address is Account(0, 0)")),
], {alice.address: Account(100, 0), bob.address: Account(5, 0), carol.address: Account(50, 0)})
check.passed(tr("练习 2 的公开测试通过", "Exercise 2 visible tests pass"))

# %% nbgrader={"grade_id": "ex2_hidden", "grade": true, "points": 6}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe

# zh: 送回你的结果，以及调用之后传入的 accounts（它不应被修改）
# en: your result, and the accounts you were given as they are after the call (they must not change)
Probe().each("ex2_hidden", lambda case: [apply_transaction(*case), case[0]])
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 3：填满一个区块
#
# 出块者手里有一个交易池，交易按到达的先后排列。有些交易不能进入区块：重放（序号已经用过）、跳号（前面缺了一个序号）、
# 透支，以及一次**双花**：同一付款人、同一序号的两笔交易，至多只能收录一笔。返回要收录的交易，**排成能依次执行的顺序**：
#
# 1. 按付款人分组；对每个付款人，从 `state.nonce(sender)` 开始逐个序号往上走，遇到第一个缺失的序号就停下；
# 2. 同一付款人有几笔序号相同的交易时，保留**手续费最高**的那一笔（出块者靠手续费获得报酬）；
# 3. 记下每个付款人的余额：遇到第一笔付不起的交易（金额 + 手续费）就停下，这个付款人之后的交易都不收录
#    （为简单起见，同一区块里收到的款不计入）；
# 4. 返回所有保留的交易（不同付款人之间的先后随意；同一付款人的按序号排列）。
#
# 用你的列表构造的区块会交给 minichain 校验。

# %% [markdown] lang="en"
# ## Exercise 3: fill a block
#
# A block producer holds a pool of pending transactions, in the order they arrived. Some cannot go in:
# replays (nonce already used), gaps (a missing nonce before them), overdrafts, and a **double spend**:
# two transactions from one sender with the same nonce, of which at most one may go in. Return the
# transactions to include, **in an order that applies**:
#
# 1. group the pool by sender; within a sender, go through nonces from `state.nonce(sender)` upwards
#    and stop at the first missing nonce;
# 2. when a sender has several transactions with the same nonce, keep the one with the **highest
#    fee** (producers are paid by fees);
# 3. keep track of each sender's balance: stop a sender at the first transaction it cannot pay
#    (amount + fee), and take nothing of that sender after it (to keep it simple, payments received in
#    the same block do not count);
# 4. return every kept transaction (any order between senders; nonce order within one).
#
# The block built from your list is validated by minichain.

# %% nbgrader={"grade_id": "pool", "locked": true}
# zh: 交易池（只读）：所在的链上 alice 已经发出过一笔付款。另有评判函数：它只用 minichain 和本文的规则。
# en: The pool (read-only), on a chain where alice has already sent one payment; and the judge, which uses
# en: only minichain and the rules above.
pool_chain = Chain(genesis)
mine(pool_chain, [alice.transfer(genesis.chain_id, bob.address, 10, nonce=0)])
c = genesis.chain_id
POOL = {
    "alice replay": alice.transfer(c, bob.address, 10, nonce=0),
    "alice 1": alice.transfer(c, carol.address, 20, nonce=1, fee=1),
    "alice 2, low fee": alice.transfer(c, dave.address, 50, nonce=2, fee=1),
    "alice 2, high fee": alice.transfer(c, bob.address, 40, nonce=2, fee=5),
    "alice 3": alice.transfer(c, bob.address, 20, nonce=3, fee=1),
    "bob 0": bob.transfer(c, alice.address, 60, nonce=0, fee=2),
    "bob 1, overdraft": bob.transfer(c, alice.address, 200, nonce=1, fee=2),
    "bob 2": bob.transfer(c, alice.address, 1, nonce=2),
    "carol 1, gap": carol.transfer(c, dave.address, 5, nonce=1),
    "dave 0": dave.transfer(c, carol.address, 100, nonce=0),
}


def judge_block(chosen, pool, chain, want, hints=None):
    """Your block against the text's rules (`want`: the names the best block holds) and minichain's own
    validation of a block holding exactly your list, in your order. `pool` maps names to transactions."""
    hints = hints or {}
    names = {tx.txid: name for name, tx in pool.items()}
    check.instance(chosen, list, tr("fill_block 的返回值", "what fill_block returns"))
    for tx in chosen:
        check.true(getattr(tx, "txid", None) in names, tr(f"你返回了池中没有的东西：{tx!r:.80}",
                                                          f"you return something not in the pool: {tx!r:.80}"))
    listed = [names[tx.txid] for tx in chosen]
    for name in listed:
        check.true(listed.count(name) == 1, tr(f"{name} 在你的列表中出现了 {listed.count(name)} 次",
                                               f"{name} appears {listed.count(name)} times in your list"))
    _, refused = chain.build_block(chosen, MINER.address, chain.tip.timestamp + 10)
    problems, blamed = [], set()
    for tx, error in refused:
        name = names[tx.txid]
        blamed.add(name)
        problems.append(tr(f"{name}：你收录了它，minichain 拒绝 [{error.rule}] {error}",
                           f"{name}: you include it, minichain refuses [{error.rule}] {error}")
                        + (f"\n    {hints[name]}" if name in hints else ""))
    for name in sorted(set(listed) - set(want) - blamed):
        problems.append(tr(f"{name}：minichain 会接受它，但按本文的规则不应收录",
                           f"{name}: minichain would take it, but the rules above leave it out")
                        + (f"\n    {hints[name]}" if name in hints else ""))
    for name in sorted(set(want) - set(listed)):
        problems.append(tr(f"{name}：你漏掉了它，它可以进入区块", f"{name}: you leave it out, but it can go in")
                        + (f"\n    {hints[name]}" if name in hints else ""))
    if problems:
        check.fail(tr(f"你的区块：{listed}\n应当收录：{sorted(want)}\n", f"your block: {listed}\nthe rules keep: "
                                                                   f"{sorted(want)}\n") + "\n".join(problems))


# %% nbgrader={"grade_id": "ex3_fill_block", "solution": true}
def fill_block(pending, state):
    """The transactions of `pending` that can go in the next block, in an order that applies."""
    # zh: 1. 分组：by_sender = {地址: [交易, ...]}（tx.sender 就是地址）
    # zh: 2. 对每个付款人，best = {序号: 该序号下手续费最高的交易}
    # zh: 3. nonce, balance = state.nonce(sender), state.balance(sender)
    # zh:    当 nonce 在 best 中且 best[nonce] 付得起：收录它，扣掉金额和手续费，nonce += 1
    # zh: 4. 返回收录的交易
    # en: 1. group: by_sender = {address: [transactions]} (tx.sender is the address)
    # en: 2. per sender, best = {nonce: the transaction with the highest fee for that nonce}
    # en: 3. nonce, balance = state.nonce(sender), state.balance(sender)
    # en:    while nonce in best and best[nonce] is affordable: keep it, pay for it, nonce += 1
    # en: 4. return the kept transactions
    ### BEGIN SOLUTION
    by_sender = {}
    for tx in pending:
        by_sender.setdefault(tx.sender, []).append(tx)
    chosen = []
    for sender, txs in by_sender.items():
        best = {}
        for tx in txs:
            if tx.nonce not in best or tx.fee > best[tx.nonce].fee:
                best[tx.nonce] = tx
        nonce, balance = state.nonce(sender), state.balance(sender)
        while nonce in best and best[nonce].amount + best[nonce].fee <= balance:
            balance -= best[nonce].amount + best[nonce].fee
            chosen.append(best[nonce])
            nonce += 1
    return chosen
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex3_visible", "grade": true, "points": 0}
_chain = Chain(genesis)
mine(_chain, [alice.transfer(c, bob.address, 10, nonce=0)])
_pool = {
    "alice 0, replay": alice.transfer(c, bob.address, 10, nonce=0),
    "bob 1": bob.transfer(c, alice.address, 5, nonce=1, fee=3),
    "bob 0": bob.transfer(c, alice.address, 5, nonce=0, fee=1),
    "alice 1": alice.transfer(c, carol.address, 20, nonce=1, fee=1),
    "carol 0, low fee": carol.transfer(c, bob.address, 10, nonce=0, fee=1),
    "carol 0, high fee": carol.transfer(c, bob.address, 12, nonce=0, fee=4),
    "carol 2, gap": carol.transfer(c, bob.address, 1, nonce=2),
    "dave 0": dave.transfer(c, bob.address, 60, nonce=0),
    "dave 1, fee tips it over": dave.transfer(c, bob.address, 40, nonce=1, fee=1),
    "dave 2": dave.transfer(c, bob.address, 1, nonce=2),
}
_double = tr("carol 有两笔序号 0 的交易（双花）：只保留手续费最高的一笔",
             "carol has two transactions with nonce 0 (a double spend): keep only the highest fee")
judge_block(fill_block(list(_pool.values()), _chain.state), _pool, _chain,
            ["alice 1", "bob 0", "bob 1", "carol 0, high fee", "dave 0"], {
    "alice 0, replay": tr("序号 0 已经用过（state.nonce(alice) 是 1）：这是重放；只按序号排序是不够的",
                          "nonce 0 is used already (state.nonce(alice) is 1): a replay; sorting by nonce alone "
                          "is not enough"),
    "bob 1": tr("同一付款人的交易要按序号排列：bob 0 在 bob 1 之前", "one sender's transactions go in nonce order: "
                                                                "bob 0 before bob 1"),
    "carol 0, low fee": _double,
    "carol 0, high fee": _double,
    "carol 2, gap": tr("池里没有 carol 的序号 1：在第一个缺失的序号处停下", "the pool has no nonce 1 of carol: stop at "
                                                                     "the first missing nonce"),
    "dave 1, fee tips it over": tr("收录 dave 0 之后 dave 只剩 40：金额 40 + 手续费 1 = 41，手续费也要算进去",
                                   "after dave 0, dave holds 40: amount 40 + fee 1 = 41 (count the fee)"),
    "dave 2": tr("dave 停在付不起的 dave 1：之后的交易都不收录", "dave stops at dave 1, which he cannot pay: nothing "
                                                           "of his after it"),
})
check.passed(tr("练习 3 的公开测试通过", "Exercise 3 visible tests pass"))

# %% nbgrader={"grade_id": "ex3_hidden", "grade": true, "points": 6}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe


def _txids(chosen):
    """Your list with each transaction as its id (the grader looks it up in the pool it sent)."""
    if type(chosen) is not list:
        return chosen
    return [tx.txid if type(tx) is Transaction else tx for tx in chosen]


Probe().each("ex3_hidden", lambda case: _txids(fill_block(case[0], State(get_suite(genesis.suite).hash, case[1]))))
### END HIDDEN TESTS
