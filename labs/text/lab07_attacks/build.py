# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   minichain:
#     lab: lab07_attacks
#     notebook: build
#     title:
#       zh-CN: 实验七 · 对工作量证明的攻击（动手实现）
#       en: Lab 7 · Attacks on proof of work (build)
# ---

# %% [markdown] lang="zh-CN"
# # 实验七 · 对工作量证明的攻击：动手实现
#
# *企业工程师课程。* 你将两边都扮演一次：
#
# 1. 计算中本聪给出的攻击者最终追上诚实链的概率；
# 2. **双花**：挖出一条秘密分支，替换掉一笔已确认的付款，看 `minichain` 自己的链重组到它上面；
# 3. **伪造的更长链**：用真实的工作量伪造一条更长的链，其中夹带一笔偷来的转账，看诚实节点拒绝它并封禁你；
# 4. **自私挖矿**：模拟埃亚勒和西雷尔（Eyal、Sirer）的策略，测出它的收益。
#
# 诚实的一方就是 `minichain` 本身：`Chain.add_block`（分叉选择与重组，`minichain/chain.py`）和
# `NodeCore.receive`（对等节点计分与封禁，`minichain/node/core.py`）。
# %% [markdown] lang="en"
# # Lab 7 · Attacks on proof of work: build it
#
# *Enterprise track.* You will play both sides:
#
# 1. compute Nakamoto's probability that an attacker ever catches up;
# 2. **double spend**: mine a private branch that replaces a confirmed payment, and watch
#    `minichain`'s own chain reorganise to it;
# 3. **fake longer chain**: forge a longer chain with real proof of work but a stolen transfer, and
#    see an honest node refuse it and ban you;
# 4. **selfish mining**: simulate Eyal and Sirer's strategy and measure its revenue.
#
# The honest side is `minichain` itself: `Chain.add_block` (fork choice and reorganisation,
# `minichain/chain.py`) and `NodeCore.receive` (peer scoring and bans, `minichain/node/core.py`).
# %% [markdown] lang="zh-CN"
# **使用方法**
#
# 每个练习是一个函数，注释里按步骤编好了号。把 `# 在这里写你的代码` 和 `raise NotImplementedError()`
# 换成你的代码，运行该单元格，再运行下面的测试单元格。测试失败时会说明**检查了什么、应当是什么、实际得到了什么**；
# 测试把你的函数的结果交给真正的 `minichain` 链和节点，所以失败信息里会带上节点拒绝时的规则编号（方括号中），
# 例如 `[tx-signature]`。交卷评分时还会运行更多测试：请把函数写对，而不只是让眼前的例子通过。
# %% [markdown] lang="en"
# **How this notebook works**
#
# Each exercise is a function with its steps numbered in comments. Replace `# YOUR CODE HERE` and
# `raise NotImplementedError()` with your code, run the cell, then run the test cell below it. A
# failing test says **what it checked, what it expected and what it found**; the tests hand what your
# function produces to real `minichain` chains and nodes, so a failure carries the rule id a node
# gives, in brackets, e.g. `[tx-signature]`. More tests run when your lab is graded: make your
# function right, not just the visible example.
# %% nbgrader={"grade_id": "setup", "locked": true}
# zh: 准备工作（只读）：minichain、本实验的钱包与创世文件，以及评判函数。
# en: Set-up (read-only): the library, this lab's wallets and genesis, and the judges.
import dataclasses
import math
import random

from labkit import tr
from labkit.checks import Checks
from minichain import (
    Block,
    Chain,
    MinichainError,
    NodeConfig,
    NodeCore,
    transactions_root,
    validate_transaction,
)
from minichain.node import Hello
from minichain.testing import make_genesis, make_wallet, produce_block

check = Checks(tr("zh-CN", "en"))
ALICE, ALICE_2, MERCHANT = make_wallet("alice"), make_wallet("alice-2"), make_wallet("merchant")
HONEST_MINERS, ATTACKER = make_wallet("honest-miners"), make_wallet("attacker")
GENESIS = make_genesis("pow", difficulty_bits=8, retarget_window=1000, funded=[ALICE])
PAYMENT = ALICE.transfer(GENESIS.chain_id, MERCHANT.address, 1000, 0, fee=1)  # buys the car
REFUND = ALICE.transfer(GENESIS.chain_id, ALICE_2.address, 1000, 0, fee=1)    # same coins, same nonce


def merchant_chain(confirmations=3):
    """The merchant's node: the payment in block 1, then more honest blocks on top."""
    chain = Chain(GENESIS)
    produce_block(chain, [PAYMENT], producer=HONEST_MINERS)
    for _ in range(confirmations - 1):
        produce_block(chain, producer=HONEST_MINERS)
    return chain


def honest_node(blocks=3):
    """A node with `blocks` honest blocks that has greeted a peer claiming a heavier chain."""
    chain = Chain(GENESIS)
    for _ in range(blocks):
        produce_block(chain, producer=HONEST_MINERS)
    node = NodeCore(GENESIS, NodeConfig("honest"), chain=chain)
    boast = Hello(GENESIS.chain_id, chain.genesis_hash, "attacker", 50, bytes(32), 2 ** 40)
    node.receive("attacker", boast, float(GENESIS.timestamp + 100))
    return node


def verdict(action):
    """None if action() goes through, else "[rule] message" of the minichain error it raises."""
    try:
        action()
    except MinichainError as error:
        return f"[{getattr(error, 'rule', type(error).__name__)}] {error}"
    return None


def near(found, expected, what, tolerance=1e-7, hint=""):
    """A number within `tolerance` of the expected one."""
    check.true(isinstance(found, int | float) and abs(found - expected) <= tolerance,
               tr(f"{what}：应约为 {expected}（误差 {tolerance} 以内），实际是 {found!r}",
                  f"{what}: expected about {expected} (within {tolerance}), found {found!r}")
               + (f"\n{hint}" if hint else ""))


class ScriptedDraws:
    """Stands in for random.Random in the tests: .random() returns the given numbers, in order."""

    def __init__(self, draws):
        self.draws, self.used = list(draws), 0

    def random(self):
        if self.used >= len(self.draws):
            check.fail(tr(
                f"你的函数取了第 {self.used + 1} 个随机数，但这一场只该取 {len(self.draws)} 个："
                "每轮取一个；只有在平局时诚实矿工挖到区块，才再取一个（比较 gamma）",
                f"your function drew random number {self.used + 1}, but this game needs only "
                f"{len(self.draws)}: one per round, and one more only when honest miners find a block "
                "during a tie (for gamma)"))
        self.used += 1
        return self.draws[self.used - 1]


# %% [markdown] lang="zh-CN"
# ## 练习 1：攻击者能追上吗？
#
# 比特币论文第 11 节：攻击者占有算力份额 `q`（诚实矿工 `p = 1 - q`），落后 `z` 个区块。
# 在诚实链挖出 `z` 个区块的这段时间里，攻击者的进展服从均值为 `λ = z q / p` 的泊松分布；
# 攻击者已挖出 `k` 个区块时，它最终追上的概率是 `(q/p)^(z-k)`（`k > z` 时为 1）。于是
#
# `P = 1 - Σ_{k=0..z} (λ^k e^(-λ) / k!) · (1 - (q/p)^(z-k))`，当 `q ≥ p` 时 `P = 1`。
#
# `catch_up_probability(q, z)`：
#
# 1. 如果 `q >= 0.5`，返回 `1.0`（多数算力总能追上；否则 `(q/p)` 大于 1，公式不再成立）；
# 2. 算出 `p` 和 `λ`（注意是 `z * q / p`，不是 `z * q`）；
# 3. 从 1.0 开始，减去 `k = 0 .. z` 的各项。
#
# 测试用论文里那张表的数值来核对。

# %% [markdown] lang="en"
# ## Exercise 1: can the attacker catch up?
#
# Section 11 of the Bitcoin paper: an attacker with share `q` of the hash power (honest miners
# `p = 1 - q`) is `z` blocks behind. While the honest chain finds `z` blocks, the attacker's progress
# is Poisson-distributed with mean `λ = z q / p`; from `k` blocks it still catches up with probability
# `(q/p)^(z-k)` (1 if `k > z`). So
#
# `P = 1 - Σ_{k=0..z} (λ^k e^(-λ) / k!) · (1 - (q/p)^(z-k))`, and `P = 1` if `q ≥ p`.
#
# `catch_up_probability(q, z)`:
#
# 1. if `q >= 0.5`, return `1.0` (a majority always catches up; otherwise `q/p` exceeds 1 and the
#    formula no longer holds);
# 2. compute `p` and `λ` (it is `z * q / p`, not `z * q`);
# 3. start from 1.0 and subtract the terms for `k = 0 .. z`.
#
# The tests check your numbers against the table in the paper.

# %% nbgrader={"grade_id": "ex1_catch_up_probability", "solution": true}
def catch_up_probability(q, z):
    """Nakamoto: the chance an attacker with share q ever overtakes from z blocks behind."""
    # zh: 1. 多数算力总能追上
    # zh: 2. p = 1 - q，lam = z * q / p
    # zh: 3. 1 减去 k = 0..z 各项之和：poisson(k) * (1 - (q / p) ** (z - k))
    # en: 1. a majority always catches up
    # en: 2. p = 1 - q, lam = z * q / p
    # en: 3. 1 - sum over k = 0..z of poisson(k) * (1 - (q / p) ** (z - k))
    ### BEGIN SOLUTION
    if q >= 0.5:
        return 1.0
    p = 1 - q
    lam = z * q / p
    total = 1.0
    for k in range(z + 1):
        poisson = math.exp(-lam) * lam ** k / math.factorial(k)
        total -= poisson * (1 - (q / p) ** (z - k))
    return total
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex1_visible", "grade": true, "points": 0}
near(catch_up_probability(0.1, 0), 1.0, tr("q = 0.1，z = 0（攻击者并不落后）", "q = 0.1, z = 0 (not behind at all)"))
near(catch_up_probability(0.6, 5), 1.0, tr("q = 0.6，z = 5：多数算力", "q = 0.6, z = 5: a majority"),
     hint=tr("q >= 0.5 时直接返回 1.0", "return 1.0 when q >= 0.5"))
_lambda_hint = tr("检查 λ = z * q / p，以及每一项 λ^k e^(-λ) / k! · (1 - (q/p)^(z-k))",
                  "check λ = z * q / p, and each term λ^k e^(-λ) / k! · (1 - (q/p)^(z-k))")
near(catch_up_probability(0.1, 1), 0.2045873, tr("论文的表：q = 0.1，z = 1", "the paper's table: q = 0.1, z = 1"),
     hint=_lambda_hint)
near(catch_up_probability(0.1, 5), 0.0009137, tr("论文的表：q = 0.1，z = 5", "the paper's table: q = 0.1, z = 5"),
     hint=_lambda_hint)
near(catch_up_probability(0.3, 5), 0.1773523, tr("论文的表：q = 0.3，z = 5", "the paper's table: q = 0.3, z = 5"),
     hint=_lambda_hint)
check.passed(tr("练习 1 的公开测试通过", "Exercise 1 visible tests pass"))

# %% nbgrader={"grade_id": "ex1_hidden", "grade": true, "points": 3}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe


def _number(value):
    """A float as ["float", repr] (the channel to the grader carries no floats); anything else as it is."""
    return ["float", repr(float(value))] if isinstance(value, float) else value


Probe().each("ex1_hidden", lambda case: _number(catch_up_probability(float(case[0]), case[1])))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# 量一量：攻击者占不同的算力份额时，要等多少个确认，风险才低于 0.1%？（不计分：运行它，读一读结果。）

# %% [markdown] lang="en"
# Measure: how many confirmations keep the risk below 0.1 % for each attacker share? (Not graded:
# run it and read.)

# %%
for q in [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4]:
    z = next(z for z in range(0, 150) if catch_up_probability(q, z) < 0.001)
    print(tr(f"攻击者算力 {q:.0%}：付款所在区块之后要等 {z} 个区块", f"attacker share {q:.0%}: wait for {z} blocks"
             " after the payment's block"))

# %% [markdown] lang="zh-CN"
# ## 练习 2：双花
#
# 商户的节点（`merchant_chain()`）在第 1 号区块里记着 `PAYMENT`（`ALICE` → 商户，交易序号 0），
# 上面又接了两个诚实区块：共三个确认。`ALICE` 事先还签了一笔 `REFUND`：同样的钱、同样的交易序号 0，
# 转到她自己的第二个钱包。她从创世区块开始挖一条**秘密分支**。
#
# `private_branch(length)` 返回 `length` 个挖好的区块（最旧的在前），它们从创世区块起连成一条链，第一个区块里装着 `REFUND`：
#
# 1. `chain = Chain(GENESIS)`：`ALICE` 自己看到的链，从创世区块开始；
# 2. 每个区块：`block, _ = chain.build_block(txs, ATTACKER.address, timestamp)`，第一个区块 `txs = [REFUND]`，
#    之后 `txs = []`（再放 `REFUND` 就是重复使用交易序号 0），时间戳比链头晚 10 秒；
# 3. 挖出区块头：`chain.engine.mine(block.header).header`；
# 4. 把挖好的区块加到 `chain` 上（下一个区块才能接在它后面），并收集起来。
#
# 这里所有区块的难度相同，所以更长的分支就是更重的分支。

# %% [markdown] lang="en"
# ## Exercise 2: the double spend
#
# The merchant's node (`merchant_chain()`) holds `PAYMENT` (`ALICE` → merchant, nonce 0) in block 1
# and two more honest blocks: three confirmations. `ALICE` has also signed `REFUND`: the same coins,
# the same nonce 0, to her second wallet. She mines a **private branch** from the genesis block.
#
# `private_branch(length)` returns `length` mined blocks, oldest first, forming a chain from the
# genesis block, whose first block carries `REFUND`:
#
# 1. `chain = Chain(GENESIS)`: `ALICE`'s own view, starting at the genesis block;
# 2. for each block: `block, _ = chain.build_block(txs, ATTACKER.address, timestamp)` with
#    `txs = [REFUND]` for the first block and `[]` after it (`REFUND` again would reuse nonce 0), a
#    timestamp 10 s after the tip;
# 3. mine the header: `chain.engine.mine(block.header).header`;
# 4. add the mined block to `chain` (so the next one builds on it) and collect it.
#
# All blocks have the same difficulty here, so the longer branch is the heavier one.

# %% nbgrader={"grade_id": "ex2_private_branch", "solution": true}
def private_branch(length):
    """Alice's secret branch from genesis: `length` mined blocks, REFUND in the first."""
    # zh: 1. chain = Chain(GENESIS)
    # zh: 2. 在链头上构造每个区块（第一个装 REFUND），时间戳比链头晚 10 秒
    # zh: 3. 挖出它
    # zh: 4. 加到你的链上，并收集起来
    # en: 1. chain = Chain(GENESIS)
    # en: 2. build each block on the tip (REFUND in the first), 10 s after the tip
    # en: 3. mine it
    # en: 4. add it to your chain and keep it
    ### BEGIN SOLUTION
    chain = Chain(GENESIS)
    blocks = []
    for index in range(length):
        block, _ = chain.build_block([REFUND] if index == 0 else [], ATTACKER.address,
                                     chain.tip.timestamp + 10)
        mined = Block(chain.engine.mine(block.header).header, block.transactions)
        chain.add_block(mined)
        blocks.append(mined)
    return blocks
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex2_visible", "grade": true, "points": 0}
_blocks = private_branch(2)
check.instance(_blocks, list, tr("private_branch 的返回值", "what private_branch returns"))
check.equal(len(_blocks), 2, tr("private_branch(2) 的区块数", "blocks in private_branch(2)"))
check.equal([b.header.height for b in _blocks], [1, 2], tr("两个区块的高度", "the two blocks' heights"),
            hint=tr("把每个挖好的区块加到你的链上，下一个才会接在它后面",
                    "add each mined block to your chain, so the next one builds on it"))
check.equal(_blocks[0].transactions, (REFUND,), tr("第一个区块的交易", "the first block's transactions"))
check.equal(_blocks[1].transactions, (), tr("第二个区块的交易", "the second block's transactions"),
            hint=tr("REFUND 只放在第一个区块里", "REFUND goes in the first block only"))
_fresh = Chain(GENESIS)
for _index, _block in enumerate(_blocks, start=1):
    check.accepted(verdict(lambda block=_block: _fresh.add_block(block)),
                   tr(f"一个新节点收到你的第 {_index} 个区块", f"a fresh node receiving your block {_index}"))
check.passed(tr("练习 2 的公开测试通过", "Exercise 2 visible tests pass"))

# %% nbgrader={"grade_id": "ex2_hidden", "grade": true, "points": 4}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe

Probe().each("ex2_hidden", private_branch)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 3：伪造的更长链
#
# 现在试试不靠算力作弊：伪造一条**比诚实节点的 3 个区块更长**、**每个区块都有真实工作量**的链，在这条链上，
# `ALICE` 的钱转给了攻击者，而 `ALICE` 从来没有签过名。这样，你的链唯一违反的就是签名规则；看看这要付出什么代价。
#
# `forge_chain()` 返回伪造的区块（最旧的在前，从创世区块之后开始）：
#
# 1. 在一条新的 `Chain(GENESIS)` 上，用 `produce_block(chain, producer=ATTACKER)` 挖出 3 个看上去诚实的空区块
#    （它会挖矿并把区块加到链上）；
# 2. 偷窃的转账：攻击者签一笔转给自己的转账，500,000 元，交易序号 0，再把发送方公钥换成 `ALICE` 的，让它自称来自 `ALICE`：
#    `dataclasses.replace(ATTACKER.transfer(GENESIS.chain_id, ATTACKER.address, 500_000, 0), sender_key=ALICE.public_key)`
#    （你是攻击者，手里没有 `ALICE` 的私钥：不要用 `ALICE` 的钱包签名）；
# 3. `chain.build_block` 会核验签名，把这笔转账剔除，所以第 4 个区块要手工拼装：在链头之后 10 秒构造一个空区块模板，
#    用 `dataclasses.replace` 把它区块头里的 `merkle_root` 换成 `transactions_root((theft,), chain.suite)`，
#    再挖出这个区块头（`chain.engine.mine(header).header`）：工作量是真实的；
# 4. 返回 `chain` 中创世区块之后的 3 个区块，再加上 `Block(挖好的区块头, (theft,))`（不要把第 4 个区块加到你的链上：你自己的节点也会拒绝它）。
#
# （第 4 个区块的状态根也是过时的，但节点先核验签名。）

# %% [markdown] lang="en"
# ## Exercise 3: the fake longer chain
#
# Now try to cheat without the hash power: forge a chain **longer than the honest node's 3 blocks**,
# with **real proof of work in every block**, in which `ALICE`'s coins move to the attacker although
# `ALICE` never signed. Then the only rule your chain breaks is the signature rule, and you will see
# what that costs you.
#
# `forge_chain()` returns the forged blocks, oldest first, starting after the genesis block:
#
# 1. on a fresh `Chain(GENESIS)`, mine 3 honest-looking empty blocks with
#    `produce_block(chain, producer=ATTACKER)` (it mines and adds them);
# 2. the theft: a transfer the attacker signs to itself, 500,000 coins, nonce 0, with `ALICE`'s public
#    key swapped in so that it claims to come from `ALICE`:
#    `dataclasses.replace(ATTACKER.transfer(GENESIS.chain_id, ATTACKER.address, 500_000, 0), sender_key=ALICE.public_key)`
#    (you are the attacker and do not hold `ALICE`'s private key: do not sign with `ALICE`'s wallet);
# 3. `chain.build_block` checks signatures and would leave the theft out, so assemble the fourth
#    block by hand: build an empty template 10 s after the tip, replace its header's `merkle_root`
#    with `transactions_root((theft,), chain.suite)` (`dataclasses.replace`), and mine that header
#    (`chain.engine.mine(header).header`): the work is real;
# 4. return the 3 blocks of `chain` after genesis plus `Block(mined_header, (theft,))` (do not add the
#    fourth to your chain: your own node would refuse it).
#
# (The fourth block's state root is stale too, but a node checks signatures first.)

# %% nbgrader={"grade_id": "ex3_forge_chain", "solution": true}
def forge_chain():
    """Four blocks with real work; the last moves Alice's coins without her signature."""
    # zh: 1. 在一条新链上挖出三个空区块
    # zh: 2. 偷窃的转账：攻击者签名，却自称发送方是 ALICE
    # zh: 3. 第四个区块：空模板，默克尔根换成 (theft,) 的，再挖出来
    # zh: 4. 四个区块，最旧的在前
    # en: 1. three empty mined blocks on a fresh chain
    # en: 2. the theft: signed by the attacker, claiming ALICE as the sender
    # en: 3. a fourth block: empty template, Merkle root of (theft,), mined
    # en: 4. all four blocks, oldest first
    ### BEGIN SOLUTION
    chain = Chain(GENESIS)
    for _ in range(3):
        produce_block(chain, producer=ATTACKER)
    theft = dataclasses.replace(ATTACKER.transfer(GENESIS.chain_id, ATTACKER.address, 500_000, 0),
                                sender_key=ALICE.public_key)
    template, _ = chain.build_block([], ATTACKER.address, chain.tip.timestamp + 10)
    root = transactions_root((theft,), chain.suite)
    header = dataclasses.replace(template.header, merkle_root=root)
    mined = chain.engine.mine(header).header
    return [*list(chain.main_chain())[1:], Block(mined, (theft,))]
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex3_visible", "grade": true, "points": 0}
_forged = forge_chain()
check.instance(_forged, list, tr("forge_chain 的返回值", "what forge_chain returns"))
check.equal(len(_forged), 4, tr("伪造的区块数（比诚实的 3 个多）", "forged blocks (more than the honest three)"))
_check_chain = Chain(GENESIS)
for _index, _block in enumerate(_forged[:3], start=1):
    check.accepted(verdict(lambda block=_block: _check_chain.add_block(block)),
                   tr(f"一个新节点收到你的第 {_index} 个区块", f"a fresh node receiving your block {_index}"))
check.equal(len(_forged[3].transactions), 1, tr("第 4 个区块里的交易数", "transactions in block 4"))
_theft = _forged[3].transactions[0]
check.equal((_theft.sender, _theft.recipient, _theft.amount), (ALICE.address, ATTACKER.address, 500_000),
            tr("偷窃转账的（发送方，接收方，金额）", "the theft's (sender, recipient, amount)"))
check.refused(verdict(lambda: validate_transaction(_theft, GENESIS)), "tx-signature",
              tr("偷窃的转账不能带有 ALICE 的有效签名", "the theft must not carry a valid signature of ALICE's"))
_why = {"block-merkle-root": tr("区块头的 merkle_root 换成 (theft,) 的了吗？", "did you put the root of (theft,) in the header?"),
        "pow-insufficient": tr("拼好区块头之后挖矿了吗？", "did you mine the header after changing it?")}
_found = verdict(lambda: _check_chain.add_block(_forged[3]))
check.refused(_found, "tx-signature", tr("一个节点收到你的第 4 个区块：唯一违反的应是签名规则",
                                         "a node receiving your block 4: only the signature rule may fail")
              + next((f" ({hint})" for rule, hint in _why.items() if _found and _found.startswith(f"[{rule}]")), ""))
check.passed(tr("练习 3 的公开测试通过", "Exercise 3 visible tests pass"))

# %% nbgrader={"grade_id": "ex3_hidden", "grade": true, "points": 4}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe

Probe().once("ex3_hidden", lambda _: forge_chain())
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 4：自私挖矿
#
# 埃亚勒和西雷尔的自私矿工（论文《Majority is not enough》，2014 年）是一个小小的状态机。矿池的算力份额是 `alpha`；
# 每一轮挖出一个区块，以概率 `alpha` 由矿池挖到。矿池记着一个私有的领先数 `lead`（藏着的区块数）和一个平局标志 `tie`
# （两条一样长的公开分支在竞争）。收益按最终留在链上的区块计：
#
# | 事件 | 状态 | 结果 |
# |---|---|---|
# | 矿池挖到区块 | 平局 | 矿池公开并赢下平局：pool += 2，平局结束 |
# | 矿池挖到区块 | 其他 | lead += 1（藏起来） |
# | 诚实矿工挖到区块 | 平局 | 以概率 `gamma` 接在矿池的分支上：pool += 1，others += 1 |
# | | | 否则接在诚实的分支上：others += 2（两种情况下平局都结束） |
# | 诚实矿工挖到区块 | lead 为 0 | others += 1 |
# | 诚实矿工挖到区块 | lead 为 1 | 矿池公开它的区块：形成平局（lead 0，tie） |
# | 诚实矿工挖到区块 | lead 为 2 | 矿池公开两个区块并获胜：pool += 2，lead 0 |
# | 诚实矿工挖到区块 | lead 大于 2 | 矿池公开一个区块，仍然领先：pool += 1，lead -= 1 |
#
# `selfish_mining(alpha, gamma, rounds, rng)` 返回 `(pool, others)`：最终链上矿池和其他矿工各自的区块数：
#
# 1. 计数器 `pool = others = lead = 0`，`tie = False`；
# 2. 每一轮取一个随机数：`rng.random() < alpha` 表示矿池挖到了这个区块；按上表处理。
#    只有在平局时诚实矿工挖到区块，才再取一个随机数：`rng.random() < gamma` 表示他们接在矿池的分支上；
# 3. 返回 `(pool, others)`（结束时还藏着的区块不计）。
#
# 测试会给你一个按剧本出数的 `rng`，逐行核对上表；评分时再用 `random.Random` 赛很多轮，与论文的公式比较。

# %% [markdown] lang="en"
# ## Exercise 4: selfish mining
#
# Eyal and Sirer's selfish miner (*Majority is not enough*, 2014) is a small state machine. The pool
# has hash share `alpha`; each round one block is found, by the pool with probability `alpha`. The
# pool keeps a private `lead` (secret blocks) and a `tie` flag (two public branches of equal length
# compete). Rewards count blocks that end in the final chain:
#
# | event | state | what happens |
# |---|---|---|
# | pool finds a block | tie | it publishes and wins the tie: pool += 2, the tie ends |
# | pool finds a block | otherwise | lead += 1 (kept secret) |
# | honest block | tie | with probability `gamma` on the pool's branch: pool += 1, others += 1 |
# | | | otherwise on the honest branch: others += 2 (the tie ends either way) |
# | honest block | lead 0 | others += 1 |
# | honest block | lead 1 | the pool publishes its block: a tie (lead 0, tie) |
# | honest block | lead 2 | the pool publishes both and wins: pool += 2, lead 0 |
# | honest block | lead > 2 | the pool publishes one, staying ahead: pool += 1, lead -= 1 |
#
# `selfish_mining(alpha, gamma, rounds, rng)` returns `(pool, others)`: the blocks of the final chain
# won by the pool and by the other miners:
#
# 1. counters `pool = others = lead = 0`, `tie = False`;
# 2. each round draw one number: `rng.random() < alpha` means the pool found the block; apply the
#    table. Only when honest miners find a block during a tie, draw one more: `rng.random() < gamma`
#    means they built on the pool's branch;
# 3. return `(pool, others)` (blocks still secret at the end do not count).
#
# The tests hand you an `rng` that follows a script, row by row of the table; when graded, many rounds
# with `random.Random` are compared with the paper's formula.

# %% nbgrader={"grade_id": "ex4_selfish_mining", "solution": true}
def selfish_mining(alpha, gamma, rounds, rng):
    """(pool's blocks, others' blocks) in the final chain after `rounds` blocks found."""
    # zh: 1. 计数器
    # zh: 2. 每轮一个区块，以概率 alpha 由矿池挖到：按表处理（平局中诚实矿工挖到时再取一个数比较 gamma）
    # zh: 3. 两个计数
    # en: 1. the counters
    # en: 2. one block per round, by the pool with probability alpha: apply the table (one more draw,
    # en:    against gamma, when honest miners find a block during a tie)
    # en: 3. the two counts
    ### BEGIN SOLUTION
    pool = others = lead = 0
    tie = False
    for _ in range(rounds):
        if rng.random() < alpha:
            if tie:
                pool, tie = pool + 2, False
            else:
                lead += 1
        elif tie:
            if rng.random() < gamma:
                pool, others = pool + 1, others + 1
            else:
                others += 2
            tie = False
        elif lead == 0:
            others += 1
        elif lead == 1:
            lead, tie = 0, True
        elif lead == 2:
            pool, lead = pool + 2, 0
        else:
            pool, lead = pool + 1, lead - 1
    return pool, others
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex4_visible", "grade": true, "points": 0}
POOL_FINDS, HONEST_FINDS = 0.1, 0.9      # with alpha = 0.5: below it the pool, above it the honest miners
ON_POOL, ON_HONEST = 0.1, 0.9            # with gamma = 0.5: below it the pool's branch, above it the honest one


def play_script(draws, rounds, expected, row):
    """selfish_mining with alpha = gamma = 0.5 and scripted draws, against the table."""
    coin = ScriptedDraws(draws)
    found = selfish_mining(0.5, 0.5, rounds, coin)
    check.equal(found, expected, tr(f"{row}：(pool, others)", f"{row}: (pool, others)"))
    check.equal(coin.used, len(draws), tr(f"{row}：取的随机数个数", f"{row}: random numbers drawn"),
                hint=tr("每轮一个；平局中诚实矿工挖到区块时再取一个", "one per round, plus one when honest miners find a block during a tie"))


play_script([HONEST_FINDS], 1, (0, 1), tr("lead 为 0 时诚实矿工挖到", "honest block at lead 0"))
play_script([POOL_FINDS, POOL_FINDS, HONEST_FINDS], 3, (2, 0), tr("lead 为 2 时诚实矿工挖到", "honest block at lead 2"))
play_script([POOL_FINDS] * 3 + [HONEST_FINDS], 4, (1, 0), tr("lead 为 3 时诚实矿工挖到（还藏着的区块不计）",
                                                             "honest block at lead 3 (blocks still secret do not count)"))
play_script([POOL_FINDS, HONEST_FINDS, POOL_FINDS], 3, (2, 0), tr("平局时矿池挖到", "the pool finds a block in a tie"))
play_script([POOL_FINDS, HONEST_FINDS, HONEST_FINDS, ON_HONEST], 3, (0, 2),
            tr("平局时诚实矿工挖到，接在诚实的分支上", "honest block in a tie, on the honest branch"))
check.equal(selfish_mining(0.0, 0.5, 100, random.Random(1)), (0, 100),
            tr("没有算力的矿池，100 轮", "a pool without hash power, 100 rounds"))
check.passed(tr("练习 4 的公开测试通过", "Exercise 4 visible tests pass"))

# %% nbgrader={"grade_id": "ex4_hidden", "grade": true, "points": 3}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe


class _Draws:
    """The grader's numbers, in order, in place of random.Random; it counts how many were drawn."""

    def __init__(self, draws):
        self.draws, self.used = [float(d) for d in draws], 0

    def random(self):
        if self.used >= len(self.draws):
            raise LookupError(f"random number {self.used + 1} drawn; this game has {len(self.draws)}")
        self.used += 1
        return self.draws[self.used - 1]


def _play(kind, alpha, gamma, rounds, given):
    """A scripted game: (what came back, numbers drawn); a seeded one: what came back."""
    if kind == "seed":
        return selfish_mining(float(alpha), float(gamma), rounds, random.Random(given))
    coin = _Draws(given)
    return [selfish_mining(float(alpha), float(gamma), rounds, coin), coin.used]


Probe().each("ex4_hidden", lambda case: _play(*case))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# 量一量：对不同的 `gamma`，矿池的算力份额从多少开始，自私挖矿就有利可图？（不计分。）

# %% [markdown] lang="en"
# Measure: from which share does selfish mining pay, for each `gamma`? (Not graded.)

# %%
def pool_share(alpha, gamma, rounds=50_000, seed=1):
    pool, others = selfish_mining(alpha, gamma, rounds, random.Random(seed))
    return pool / (pool + others)


for gamma in [0.0, 0.5, 1.0]:
    threshold = next(a / 100 for a in range(1, 50) if pool_share(a / 100, gamma) > a / 100)
    print(tr(f"gamma = {gamma}：算力份额约从 {threshold:.0%} 起，自私挖矿有利可图",
             f"gamma {gamma}: selfish mining pays from about {threshold:.0%} of the hash power"))

# %% [markdown] lang="zh-CN"
# ## 你学到了什么
#
# 工作量证明并不阻止任何人**尝试**：它让改写历史要付出真实的计算，并让每个节点核验每个区块，
# 所以一条伪造的链会让发送者丢掉连接。仍然可能发生的是规则允许的事情：多数算力能跑赢诚实的链，一个大矿池能扭曲收益的分配。
# 防范手段一是经济上的（按金额等待足够的确认），二是对机构而言的架构选择：已知、可问责的验证节点，这正是实验八的主题。
# %% [markdown] lang="en"
# ## What you learned
#
# Proof of work does not stop anyone from *trying*: it makes rewriting history cost real computation,
# and it makes every node check every block, so a fake chain costs its sender the connection. What
# remains possible is what the rules allow: a majority can outpace the honest chain, and a large pool
# can bend the reward distribution. The defences are economic (confirmations in proportion to value)
# and, for institutions, architectural: known, accountable validators, the subject of lab 8.
