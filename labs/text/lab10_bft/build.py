# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   minichain:
#     lab: lab10_bft
#     notebook: build
#     title:
#       zh-CN: 实验十 · 拜占庭容错共识（动手实现）
#       en: Lab 10 · Byzantine fault tolerant consensus (build)
# ---

# %% [markdown] lang="zh-CN"
# # 实验十 · 拜占庭容错共识：动手实现法定人数规则和锁定规则
#
# *企业工程师课程。* FISCO BCOS 的 PBFT、长安链的 TBFT、Fabric 3 的 SmartBFT 都是**拜占庭容错**共识：
# n 个验证节点中最多 f 个出故障或作恶（n ≥ 3f + 1）时，区块一经确定就不会被撤销。minichain 实现的是 `Tendermint`
# 算法（Buchman、Kwon、Milosevic，arXiv:1807.04938 的算法 1，代码在 `minichain/consensus/bft/`）：每一轮有
# **提议**（PBFT 的 PrepareReq）、**预投票**（SignReq）、**预提交**（CommitReq）三步，超时则进入下一轮（视图切换）。
#
# 你将实现其中最要紧的两条规则：
#
# 1. n 个验证节点能容忍几个故障节点；
# 2. **法定人数**：一个区块要几票；
# 3. **计票**：哪些票算数（名单外的、签名不对的、一个节点投的第二张票都不算）；
# 4. **锁定规则**：一个已经锁定在某个区块上的验证节点，收到新一轮的提议时，预投票投给谁。
#
# 你的函数由 minichain 真正的共识状态机来评判：测试把同样的情形交给 `Tendermint`，比较它的做法和你的函数的答案。

# %% [markdown] lang="en"
# # Lab 10 · Byzantine fault tolerance: build the quorum and lock rules
#
# *Enterprise track.* FISCO BCOS's PBFT, ChainMaker's TBFT and Fabric 3's SmartBFT are **Byzantine fault
# tolerant** consensus: with at most f of n validators crashed or lying (n ≥ 3f + 1), a decided block is
# never undone. minichain runs the `Tendermint` algorithm (Buchman, Kwon, Milosevic, Algorithm 1 of
# arXiv:1807.04938; the code is in `minichain/consensus/bft/`): each round has a **proposal** (PBFT's
# PrepareReq), a **prevote** (SignReq) and a **precommit** (CommitReq) step, and a timeout moves on to the
# next round (a view change).
#
# You will write its two most important rules:
#
# 1. how many faulty validators n validators tolerate;
# 2. the **quorum**: how many votes a block needs;
# 3. **counting votes**: which votes count (not an outsider's, not a bad signature, not a validator's
#    second vote);
# 4. the **lock rule**: what a validator locked on a block prevotes when a new round's proposal comes.
#
# Your functions are judged by minichain's own consensus state machine: the tests put the same situation
# to `Tendermint` and compare what it does with what your function answers.

# %% [markdown] lang="zh-CN"
# **使用方法**
#
# 每个练习是一个函数，注释里按步骤编好了号。把 `# 在这里写你的代码` 和 `raise NotImplementedError()`
# 换成你的代码，运行该单元格，再运行下面的测试单元格。测试失败时会说明**检查了什么、应当是什么、实际得到了什么**，
# 并提示常见的错误；期望的答案都来自 minichain 自己（它的验证节点集合和 `Tendermint` 状态机），被拒绝的票会带上规则编号
# （方括号中），例如 `[bft-signature]`。交卷评分时还会运行更多测试：请把函数写对，而不只是让眼前的例子通过。

# %% [markdown] lang="en"
# **How this notebook works**
#
# Each exercise is a function with its steps numbered in comments. Replace `# YOUR CODE HERE` and
# `raise NotImplementedError()` with your code, run the cell, then run the test cell below it. A failing
# test says **what it checked, what it expected and what it found**, with a hint at the usual mistake;
# the expected answers come from minichain itself (its validator set and its `Tendermint` state machine),
# and a refused vote carries its rule id in brackets, e.g. `[bft-signature]`. More tests run when your
# lab is graded: make your function right, not just the visible example.

# %% nbgrader={"grade_id": "setup", "locked": true}
# zh: 准备工作（只读）：minichain 的共识状态机、一个模拟的联盟，以及评判函数。
# en: Set-up (read-only): minichain's consensus state machine, a simulated consortium, and the judges.
import hashlib

from labkit import tr
from labkit.checks import Checks
from minichain import MinichainError
from minichain.consensus.bft import Proposal, Step, Tendermint, Timeout, ValidatorSet, Vote, VoteKind
from minichain.consensus.bft.simulation import SimApp, Simulation

check = Checks(tr("zh-CN", "en"))
NAMES = [tr("海关", "Customs"), tr("税务局", "Tax Bureau"), tr("港务局", "Port Authority"), tr("银行", "Bank"),
         tr("保险公司", "Insurer"), tr("船公司", "Shipping Line"), tr("仓储公司", "Warehouse")]
OUTSIDER = -1   # the logistics company: not a validator
PREVOTE = VoteKind.PREVOTE


def consortium(n=4):
    """A simulated consortium of n validators (minichain's BFT simulator): .engine.validators is its
    ValidatorSet, .engine.domain the SigningDomain every vote signs, .keys the private keys."""
    return Simulation(n=n)


def block(name):
    """A 32-byte block hash for the examples."""
    return hashlib.sha256(name.encode()).digest()


def private_key(sim, index):
    return sim.suite.private_key_from_seed(b"org-logistics") if index == OUTSIDER else sim.keys[index]


def vote(sim, signer, value, claimed=None, round=0):
    """A prevote of height 1 for `value` (None: nil), signed with the key of validator `signer`
    (OUTSIDER: the logistics company) and carrying the public key of `claimed` (default: the signer)."""
    key = sim.suite.public_key(private_key(sim, signer if claimed is None else claimed))
    return Vote(PREVOTE, 1, round, value, key).signed(sim.engine.domain, private_key(sim, signer))


def minichain_count(sim, votes, value):
    """How many validators' prevotes for `value` minichain's Tendermint counts after hearing `votes`,
    and the rule of each vote it refused."""
    machine = Tendermint(sim.engine.validators, sim.engine.domain, sim.keys[0], SimApp(0), sim.engine.timeouts)
    machine.start_height(1)
    refused = []
    for each in votes:
        try:
            machine.on_vote(each)
        except MinichainError as error:
            refused.append(error.rule)
    return machine.votes.votes(0, PREVOTE).count(value), refused


def minichain_prevote(n, locked_value, locked_round, value, valid_round, pol, round, valid=True):
    """Drive one of minichain's Tendermint validators by real messages into this situation, then show it
    the proposal of `round` for `value` (with `valid_round`): (what it prevotes, its (locked value,
    locked round), how many prevotes for `value` in `valid_round` it has counted). `pol` validators
    prevote `value` in `valid_round`; a locked validator got its lock from 2f+1 prevotes in `locked_round`."""
    sim = consortium(n)
    validators, domain = sim.engine.validators, sim.engine.domain
    keys = [sim.suite.public_key(k) for k in sim.keys]

    def proposer(r):
        return (1 + r) % n

    me = next(i for i in range(n) if i not in (proposer(round), proposer(max(locked_round, 0))))
    machine = Tendermint(validators, domain, sim.keys[me], SimApp(me, invalid=set() if valid else {value}),
                         sim.engine.timeouts)
    machine.start_height(1)
    others = [i for i in range(n) if i != me]

    def enter(r):
        for _ in range(r - machine.round):   # a precommit timeout moves to the next round
            machine.on_timeout(Timeout(1, machine.round, Step.PRECOMMIT))

    if locked_round >= 0:
        enter(locked_round)
        p = proposer(locked_round)
        machine.on_proposal(Proposal(1, locked_round, locked_value, -1, keys[p]).signed(domain, sim.keys[p]))
        for i in others[:validators.quorum]:
            machine.on_vote(Vote(PREVOTE, 1, locked_round, locked_value, keys[i]).signed(domain, sim.keys[i]))
    enter(round)
    if valid_round >= 0:
        for i in others[:pol]:
            machine.on_vote(Vote(PREVOTE, 1, valid_round, value, keys[i]).signed(domain, sim.keys[i]))
    p = proposer(round)
    machine.on_proposal(Proposal(1, round, value, valid_round, keys[p]).signed(domain, sim.keys[p]))
    machine.on_timeout(Timeout(1, round, Step.PROPOSE))   # no prevote yet: it prevotes nil
    mine = [m for m in machine.log.records(1) if isinstance(m, Vote) and m.kind is PREVOTE and m.round == round]
    counted = machine.votes.votes(valid_round, PREVOTE).count(value) if valid_round >= 0 else 0
    return mine[0].block_hash, (machine.locked_value, machine.locked_round), counted


def said(value):
    """A vote's value as words: which example block, or nil."""
    if value is None:
        return tr("空票（nil）", "nil")
    known = {block(name): name for name in "ABCDEFG"}
    return tr(f"区块 {known[value]}", f"block {known[value]}") if value in known else repr(value)


# %% [markdown] lang="zh-CN"
# ## 练习 1：能容忍几个故障节点？
#
# n 个验证节点里，最多能有多少个节点出故障（停机或作恶），共识仍然安全？条件是 **n ≥ 3f + 1**。
# `faults_tolerated(n)` 返回满足这个条件的最大的 f：
#
# 1. 由 n ≥ 3f + 1 得 f ≤ (n − 1) / 3；
# 2. 返回它的整数部分（用整数除法 `//`）。例如 4 个节点容忍 1 个，3 个节点一个也不能容忍。

# %% [markdown] lang="en"
# ## Exercise 1: how many faults are tolerated?
#
# Of n validators, at most how many may fail (crash or lie) with consensus still safe? The condition is
# **n ≥ 3f + 1**. `faults_tolerated(n)` returns the largest f that meets it:
#
# 1. n ≥ 3f + 1 gives f ≤ (n − 1) / 3;
# 2. return its whole part (whole-number division `//`). For example, 4 validators tolerate 1, and 3
#    tolerate none.

# %% nbgrader={"grade_id": "ex1_faults_tolerated", "solution": true}
def faults_tolerated(n):
    """The largest f with n >= 3f + 1: how many faulty validators n validators tolerate."""
    # zh: 1. f ≤ (n - 1) / 3
    # zh: 2. 返回整数：(n - 1) // 3
    # en: 1. f <= (n - 1) / 3
    # en: 2. return a whole number: (n - 1) // 3
    ### BEGIN SOLUTION
    return (n - 1) // 3
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex1_visible", "grade": true, "points": 0}
for _n in (1, 3, 4, 6, 7, 10):
    _found = faults_tolerated(_n)
    check.equal(_found, ValidatorSet(tuple(range(_n))).f, tr(f"{_n} 个验证节点能容忍的故障节点数（minichain 的 ValidatorSet.f）",
                                                             f"faulty validators {_n} validators tolerate (minichain's ValidatorSet.f)"),
                hint=tr("条件是 n ≥ 3f + 1：3 个节点时 f = 0，6 个节点时 f = 1；用 (n - 1) // 3，不要用 n // 3",
                        "the condition is n >= 3f + 1: f = 0 for 3 validators, f = 1 for 6; use (n - 1) // 3, not n // 3"))
check.passed(tr("练习 1 的公开测试通过", "Exercise 1 visible tests pass"))

# %% nbgrader={"grade_id": "ex1_hidden", "grade": true, "points": 2}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe

Probe().each("ex1_hidden", faults_tolerated)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 2：法定人数
#
# 一个区块需要**超过三分之二**验证节点的票，这个票数叫**法定人数**。n = 3f + 1 时它正好是 2f + 1（4 个节点要 3 票，
# 7 个要 5 票）。但 n 不总是 3f + 1：5 个节点时 f = 1，2f + 1 = 3 票却不到三分之二，任意两组 3 票可能只有 1 个共同成员，
# 而它可能正是那个坏节点。`quorum_size(n)` 返回 n 个节点的法定人数：
#
# 1. 超过三分之二，就是 3 × 票数 > 2 × n 的最小票数；
# 2. 它等于 `2 * n // 3 + 1`（整数除法）。恰好三分之二（例如 6 个节点的 4 票）不够。

# %% [markdown] lang="en"
# ## Exercise 2: the quorum
#
# A block needs the votes of **more than two thirds** of the validators: the **quorum**. When n = 3f + 1
# it is exactly 2f + 1 (3 votes of 4, 5 of 7). But n is not always 3f + 1: with 5 validators f = 1, and
# 2f + 1 = 3 votes is less than two thirds; two sets of 3 may share only 1 member, and that one may be the
# faulty one. `quorum_size(n)` returns the quorum of n validators:
#
# 1. more than two thirds: the smallest number of votes with 3 × votes > 2 × n;
# 2. that is `2 * n // 3 + 1` (whole-number division). Exactly two thirds (4 votes of 6) is not enough.

# %% nbgrader={"grade_id": "ex2_quorum_size", "solution": true}
def quorum_size(n):
    """How many votes of n validators decide: more than two thirds."""
    # zh: 1. 超过三分之二：3 * 票数 > 2 * n
    # zh: 2. 最小的这样的票数：2 * n // 3 + 1
    # en: 1. more than two thirds: 3 * votes > 2 * n
    # en: 2. the smallest such number: 2 * n // 3 + 1
    ### BEGIN SOLUTION
    return 2 * n // 3 + 1
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex2_visible", "grade": true, "points": 0}
for _n in (4, 5, 6, 7):
    _found = quorum_size(_n)
    _hint = tr("超过三分之二：2 * n // 3 + 1。2f + 1 只在 n = 3f + 1 时才对（5 个节点要 4 票，不是 3 票）；"
               "恰好三分之二不够（6 个节点要 5 票，不是 4 票）",
               "more than two thirds: 2 * n // 3 + 1. 2f + 1 is right only when n = 3f + 1 (5 validators need 4 "
               "votes, not 3); exactly two thirds is not enough (6 validators need 5, not 4)")
    check.equal(_found, ValidatorSet(tuple(range(_n))).quorum,
                tr(f"{_n} 个验证节点的法定人数（minichain 的 ValidatorSet.quorum）",
                   f"the quorum of {_n} validators (minichain's ValidatorSet.quorum)"), hint=_hint)
# zh: 两组法定人数至少有 f + 1 个共同成员，其中至少一个是诚实的
# en: two quorums share at least f + 1 members, so at least one honest one
for _n in range(4, 11):
    check.true(2 * quorum_size(_n) - _n >= faults_tolerated(_n) + 1,
               tr(f"{_n} 个验证节点：两组 {quorum_size(_n)} 票至少有 {2 * quorum_size(_n) - _n} 个共同成员，"
                  f"不比能容忍的 {faults_tolerated(_n)} 个坏节点多，可能全是坏的",
                  f"{_n} validators: two sets of {quorum_size(_n)} votes share at least {2 * quorum_size(_n) - _n}, "
                  f"no more than the {faults_tolerated(_n)} faulty ones tolerated: they may all be faulty"))
check.passed(tr("练习 2 的公开测试通过", "Exercise 2 visible tests pass"))

# %% nbgrader={"grade_id": "ex2_hidden", "grade": true, "points": 3}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe

Probe().each("ex2_hidden", quorum_size)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 3：哪些票算数
#
# 验证节点收到一张预投票（`Vote`）时，要先判断它算不算数，再数一个区块得到了几票。
# `count_votes(votes, validators, domain, block_hash)` 返回 `votes` 中投给 `block_hash`（`None` 表示空票）、
# 并且**算数**的票来自几个不同的验证节点：
#
# 1. 投票人的地址是 `domain.suite.address(vote.validator)`（`vote.validator` 是公钥）；地址不在 `validators`
#    （创世文件里的验证节点名单，可以用 `地址 in validators` 判断）里的票不算（规则 `bft-validator`）；
# 2. 签名验证不通过的票不算：`vote.verifies(domain)` 为 `False`（规则 `bft-signature`）；
# 3. 每个验证节点只有**第一张**算数的票有效：它后来再投的票，哪怕投给另一个区块，也不算（这是作恶的证据，但不能多算一票）；
# 4. 返回第一张票投给 `block_hash` 的验证节点个数。
#
# 注意第 3 步和第 2 步的先后：一张签名不对的票不算“第一张票”，它的主人后来那张签名正确的票照样算数。

# %% [markdown] lang="en"
# ## Exercise 3: which votes count
#
# A validator that hears a prevote (a `Vote`) first decides whether it counts, then counts a block's
# votes. `count_votes(votes, validators, domain, block_hash)` returns how many different validators cast a
# vote in `votes` that **counts** and is for `block_hash` (`None`: nil):
#
# 1. the voter's address is `domain.suite.address(vote.validator)` (`vote.validator` is a public key); a
#    vote whose address is not in `validators` (the genesis list: test it with `address in validators`)
#    does not count (rule `bft-validator`);
# 2. a vote whose signature does not verify does not count: `vote.verifies(domain)` is `False` (rule
#    `bft-signature`);
# 3. only each validator's **first** vote that counts is kept: a later vote of the same validator, even for
#    another block, does not count (it is evidence of misbehaviour, but no extra vote);
# 4. return the number of validators whose first vote is for `block_hash`.
#
# Mind the order of steps 2 and 3: a vote with a bad signature is no "first vote", and its owner's later
# vote with a good signature counts.

# %% nbgrader={"grade_id": "ex3_count_votes", "solution": true}
def count_votes(votes, validators, domain, block_hash):
    """How many validators' first valid vote in `votes` is for `block_hash` (None: nil)."""
    # zh: 1. first = {}：地址 -> 这个验证节点第一张算数的票
    # zh: 2. 对每张票：address = domain.suite.address(vote.validator)；不在 validators 里、签名不通过、或 address 已在 first 里：跳过
    # zh: 3. 否则 first[address] = vote
    # zh: 4. 返回 first 中 block_hash 等于 block_hash 的票数
    # en: 1. first = {}: address -> that validator's first vote that counts
    # en: 2. for each vote: address = domain.suite.address(vote.validator); not in validators, a bad signature, or address already in first: skip
    # en: 3. else first[address] = vote
    # en: 4. return how many votes in first have block_hash equal to block_hash
    ### BEGIN SOLUTION
    first = {}
    for each in votes:
        address = domain.suite.address(each.validator)
        if address not in validators or not each.verifies(domain) or address in first:
            continue
        first[address] = each
    return sum(1 for each in first.values() if each.block_hash == block_hash)
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex3_visible", "grade": true, "points": 0}
def _expect_count(sim, votes, value, what, hint):
    expected, refused = minichain_count(sim, votes, value)
    found = count_votes(votes, sim.engine.validators, sim.engine.domain, value)
    rules = tr(f"（minichain 拒绝了其中 {len(refused)} 张：{', '.join(f'[{r}]' for r in refused)}）" if refused else "",
               f" (minichain refused {len(refused)} of them: {', '.join(f'[{r}]' for r in refused)})" if refused else "")
    check.equal(found, expected, tr(f"{what}：投给{said(value)}的票数{rules}", f"{what}: votes for {said(value)}{rules}"),
                hint=hint)


_sim = consortium(4)
A, B = block("A"), block("B")
_expect_count(_sim, [vote(_sim, i, A) for i in (0, 1, 2)], A, tr("海关、税务局、港务局投区块 A", "Customs, Tax and Port vote A"),
              hint=tr("数的是投给 block_hash 的票", "count the votes for block_hash"))
_expect_count(_sim, [vote(_sim, 0, A), vote(_sim, 1, None), vote(_sim, 2, None)], None,
              tr("一票投 A、两张空票，数空票", "one vote for A and two nil votes: count nil"),
              hint=tr("block_hash 为 None 时数的是空票：比较 vote.block_hash == block_hash", "with block_hash None, count nil votes: compare vote.block_hash == block_hash"))
_expect_count(_sim, [vote(_sim, 0, A), vote(_sim, OUTSIDER, A), vote(_sim, 1, A)], A,
              tr("海关、名单外的物流公司、税务局投 A", "Customs, the logistics company (not on the list), Tax vote A"),
              hint=tr("名单外的票不算：domain.suite.address(vote.validator) in validators", "an outsider's vote does not count: domain.suite.address(vote.validator) in validators"))
_expect_count(_sim, [vote(_sim, 3, A, claimed=0), vote(_sim, 1, A), vote(_sim, 2, A)], A,
              tr("银行用自己的私钥冒充海关投 A，税务局和港务局投 A", "the Bank votes A as the Customs (its own key), Tax and Port vote A"),
              hint=tr("签名不通过的票不算：vote.verifies(domain)", "a vote whose signature fails does not count: vote.verifies(domain)"))
_expect_count(_sim, [vote(_sim, 3, B), vote(_sim, 3, A), vote(_sim, 0, A), vote(_sim, 1, A)], A,
              tr("银行先投 B 再投 A，海关和税务局投 A", "the Bank votes B then A, Customs and Tax vote A"),
              hint=tr("每个验证节点只算第一张票：它后来投给另一个区块的票不算", "only each validator's first vote counts: its later vote for another block does not"))
_expect_count(_sim, [vote(_sim, 2, A), vote(_sim, 2, A), vote(_sim, 2, A)], A, tr("港务局投了三次 A", "the Port votes A three times"),
              hint=tr("数的是不同的验证节点，不是票的张数", "count different validators, not vote messages"))
_expect_count(_sim, [vote(_sim, 3, A, claimed=2), vote(_sim, 2, A), vote(_sim, 1, A)], A,
              tr("先有一张冒充港务局、签名不对的票，再有港务局自己投的 A", "first a forged vote in the Port's name, then the Port's own vote for A"),
              hint=tr("签名不对的票不算“第一张票”：先检查签名，再看这个验证节点是否已经投过", "a forged vote is no first vote: check the signature before looking whether the validator voted already"))
check.passed(tr("练习 3 的公开测试通过", "Exercise 3 visible tests pass"))

# %% nbgrader={"grade_id": "ex3_hidden", "grade": true, "points": 4}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe


def _counted(case):
    """Your count_votes on the case's votes, [signer, claimed, value] each, in a consortium of n."""
    n, described, value = case
    sim = consortium(n)
    votes = [vote(sim, signer, each, claimed) for signer, claimed, each in described]
    return count_votes(votes, sim.engine.validators, sim.engine.domain, value)


Probe().each("ex3_hidden", _counted)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 4：锁定规则
#
# 一个验证节点在某一轮看到区块 V 得到了法定人数的预投票，就**锁定**在 V 上（记下 `locked_value = V`、`locked_round = 这一轮`），
# 然后预提交 V。锁定是安全的关键：也许别的节点已经凭这些票确定了 V，所以它以后不能随便投给别的区块。
# 但锁也不能永远不解，否则网络可能卡住：如果提议者能证明某个更晚的轮次里有法定人数预投票给了新区块（提议里的 `valid_round`，
# 即“锁定变更证明”，POL），就可以改投新区块。
#
# `prevote_for(proposal, locked_value, locked_round, pol_prevotes, quorum, valid)` 返回验证节点收到本轮提议后预投票投给谁：
# 区块哈希 `proposal.block_hash`，或者 `None`（空票）。`pol_prevotes` 是它看到的、第 `proposal.valid_round` 轮投给这个区块的预投票数。
# 这是算法 1 的第 22–33 行：
#
# 1. 区块无效（`valid` 为 `False`）：投空票；
# 2. `proposal.valid_round == -1`（一个新区块）：没有锁定（`locked_round == -1`）或者锁定的正是这个区块，就投它，否则投空票；
# 3. 否则提议声称第 `valid_round` 轮有法定人数投了它：
#    * `pol_prevotes < quorum`：证明不成立，不投它：投空票（状态机会等到提议超时，再投空票）；
#    * 证明成立：锁定的轮次不晚于它（`locked_round <= proposal.valid_round`）或者锁定的正是这个区块，就投它，否则投空票。
#
# 注意：更早轮次的证明**不能**解开更晚的锁。

# %% [markdown] lang="en"
# ## Exercise 4: the lock rule
#
# A validator that sees a quorum of prevotes for block V in a round **locks** on V (it records
# `locked_value = V` and `locked_round = that round`) and precommits V. Locks are what keeps consensus safe:
# other validators may already have decided V on those votes, so it must not lightly vote for another block
# later. But a lock cannot be forever either, or the network could get stuck: if the proposer can show that
# a quorum prevoted the new block in a later round (the proposal's `valid_round`, a "proof of lock change",
# POL), the validator may switch to it.
#
# `prevote_for(proposal, locked_value, locked_round, pol_prevotes, quorum, valid)` returns what a validator
# prevotes on this round's proposal: the block hash `proposal.block_hash`, or `None` (nil). `pol_prevotes`
# is the number of prevotes for this block in round `proposal.valid_round` it has seen. These are lines
# 22-33 of Algorithm 1:
#
# 1. the block is invalid (`valid` is `False`): nil;
# 2. `proposal.valid_round == -1` (a new block): if not locked (`locked_round == -1`) or locked on this very
#    block, vote for it, else nil;
# 3. otherwise the proposal claims a quorum prevoted it in round `valid_round`:
#    * `pol_prevotes < quorum`: no proof, no vote for it: nil (the state machine waits for its propose
#      timeout, then prevotes nil);
#    * the proof holds: if the lock is no later than it (`locked_round <= proposal.valid_round`) or is on
#      this very block, vote for it, else nil.
#
# Mind: a proof from an earlier round **never** opens a later lock.

# %% nbgrader={"grade_id": "ex4_prevote_for", "solution": true}
def prevote_for(proposal, locked_value, locked_round, pol_prevotes, quorum, valid):
    """What an honest validator prevotes on `proposal`: its block hash, or None (nil)."""
    # zh: 1. 无效的区块：return None
    # zh: 2. proposal.valid_round == -1：locked_round == -1 或 locked_value == proposal.block_hash 时投它
    # zh: 3. 否则：pol_prevotes < quorum 时投空票；locked_round <= proposal.valid_round 或锁定的正是它时投它
    # zh: 4. 其余情况：return None
    # en: 1. an invalid block: return None
    # en: 2. proposal.valid_round == -1: vote for it if locked_round == -1 or locked_value == proposal.block_hash
    # en: 3. otherwise: nil if pol_prevotes < quorum; vote for it if locked_round <= proposal.valid_round or locked on it
    # en: 4. anything else: return None
    ### BEGIN SOLUTION
    value = proposal.block_hash
    if not valid:
        return None
    if proposal.valid_round == -1:
        return value if locked_round == -1 or locked_value == value else None
    if pol_prevotes < quorum:
        return None
    return value if locked_round <= proposal.valid_round or locked_value == value else None
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex4_visible", "grade": true, "points": 0}
def _expect_prevote(situation, what, hint):
    """Your prevote_for against minichain's Tendermint, driven into `situation` by real messages."""
    n, _, _, value, valid_round, _, round, valid = situation
    expected, (lock, lock_round), counted = minichain_prevote(*situation)
    proposal = Proposal(1, round, value, valid_round, b"")
    found = prevote_for(proposal, lock, lock_round, counted, quorum_size(n), valid)
    facts = tr(f"第 {round} 轮提议{said(value)}（valid_round = {valid_round}，那一轮它看到 {counted} 张预投票），"
               f"验证节点锁定在{said(lock) if lock_round >= 0 else '（无）'}，locked_round = {lock_round}",
               f"round {round} proposes {said(value)} (valid_round = {valid_round}, {counted} prevotes seen in it), "
               f"the validator is locked on {said(lock) if lock_round >= 0 else '(nothing)'}, locked_round = {lock_round}")
    check.equal(found, expected, tr(f"{what}：{facts}；minichain 的预投票", f"{what}: {facts}; minichain's prevote"),
                hint=hint)


A, B = block("A"), block("B")
_expect_prevote((4, None, -1, A, -1, 0, 0, True), tr("没有锁定，新区块", "not locked, a new block"),
                hint=tr("没有锁定时投给有效的新区块", "not locked: vote for a valid new block"))
_expect_prevote((4, None, -1, A, -1, 0, 0, False), tr("没有锁定，无效的区块", "not locked, an invalid block"),
                hint=tr("无效的区块投空票：先看 valid", "an invalid block gets nil: look at valid first"))
_expect_prevote((4, A, 0, B, -1, 0, 1, True), tr("锁定在 A，新一轮提议一个新区块 B", "locked on A, a new block B next round"),
                hint=tr("锁定在别的区块上、提议又没有证明（valid_round == -1）：投空票", "locked on another block and no proof (valid_round == -1): nil"))
_expect_prevote((4, A, 0, A, 0, 3, 1, True), tr("锁定在 A，下一轮又提议 A（重新锁定）", "locked on A, A proposed again (relock)"),
                hint=tr("锁定的正是这个区块：投它", "locked on this very block: vote for it"))
_expect_prevote((4, A, 0, B, 1, 3, 2, True), tr("锁定在第 0 轮的 A，第 1 轮有 3 票投了 B（更新锁定）",
                                                "locked on A in round 0, 3 prevotes for B in round 1 (update the lock)"),
                hint=tr("证明成立且晚于锁定（locked_round <= valid_round）：改投新区块", "a valid proof no earlier than the lock (locked_round <= valid_round): switch"))
_expect_prevote((4, A, 1, B, 0, 3, 2, True), tr("锁定在第 1 轮的 A，证明来自更早的第 0 轮",
                                                "locked on A in round 1, a proof from the earlier round 0"),
                hint=tr("更早的证明不能解开更晚的锁：locked_round > valid_round 时投空票", "an earlier proof never opens a later lock: nil when locked_round > valid_round"))
_expect_prevote((4, None, -1, B, 0, 2, 1, True), tr("没有锁定，提议声称第 0 轮有法定人数，其实只有 2 票",
                                                    "not locked, the proposal claims a quorum in round 0 but there were only 2 prevotes"),
                hint=tr("valid_round 不是 -1 时，要有法定人数的预投票作证明：pol_prevotes < quorum 投空票",
                        "with valid_round not -1, a quorum of prevotes must prove it: nil when pol_prevotes < quorum"))
check.passed(tr("练习 4 的公开测试通过", "Exercise 4 visible tests pass"))

# %% nbgrader={"grade_id": "ex4_hidden", "grade": true, "points": 5}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe


def _prevoted(case):
    """Your prevote_for on the case: [value, valid_round, round, locked_value, locked_round, pol, quorum, valid]."""
    value, valid_round, round, locked_value, locked_round, pol, quorum, valid = case
    return prevote_for(Proposal(1, round, value, valid_round, b""), locked_value, locked_round, pol, quorum, valid)


Probe().each("ex4_hidden", _prevoted)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 为什么锁定规则保证安全
#
# 下面让 minichain 的状态机走一遍研究文献里的“锁定”情形：第 0 轮有三家预投票给 A，于是海关锁定在 A 上；
# 第 1 轮的提议者改提区块 B。用你的 `prevote_for` 看看海关在各种证明下的投票，和 minichain 的状态机逐一对照。

# %% [markdown] lang="en"
# ## Why the lock rule keeps consensus safe
#
# Below, minichain's state machine walks through the "lock" situations of the research notes: in round 0
# three members prevote A, so the Customs locks on A; round 1's proposer proposes block B instead. Your
# `prevote_for` says how the Customs votes for each proof, beside minichain's state machine.

# %%
# zh: 锁定在 A 之后，面对各种提议：你的 prevote_for 与 minichain 的状态机
# en: locked on A, facing various proposals: your prevote_for beside minichain's state machine
for _value, _valid_round, _pol, _round in ((B, -1, 0, 1), (A, 0, 3, 1), (B, 1, 3, 2), (B, 1, 2, 2)):
    _engine, (_lock, _lock_round), _counted = minichain_prevote(4, A, 0, _value, _valid_round, _pol, _round)
    _yours = prevote_for(Proposal(1, _round, _value, _valid_round, b""), _lock, _lock_round, _counted, quorum_size(4), True)
    print(tr(f"第 {_round} 轮提议{said(_value)}，valid_round = {_valid_round}，证明 {_counted} 票："
             f"minichain 投{said(_engine)}，你的函数投{said(_yours)}",
             f"round {_round} proposes {said(_value)}, valid_round = {_valid_round}, proof of {_counted} votes: "
             f"minichain prevotes {said(_engine)}, your function {said(_yours)}"),
          "✓" if _yours == _engine else "✗")
