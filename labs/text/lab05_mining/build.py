# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   minichain:
#     lab: lab05_mining
#     notebook: build
#     title:
#       zh-CN: 实验五 · 工作量证明：写一个矿工（动手实现）
#       en: Lab 5 · Build a miner (build)
# ---

# %% [markdown] lang="zh-CN"
# # 实验五 · 工作量证明：写一个矿工
#
# *企业工程师课程。* 你将写出工作量证明矿工的各个部件，再让 minichain 自己的链来评判它们：
#
# 1. 某个难度对应的**目标值**，以及平均所需的尝试次数；
# 2. 检查“这个哈希满足目标值吗？”；
# 3. **随机数搜索**：矿工本身；
# 4. 构造并挖出链会接受的完整区块；
# 5. **难度调整**规则，和每个节点一样按整数逐位计算。
#
# 在 minichain 中，工作量证明区块的哈希是 `H(content_hash ‖ target ‖ nonce)`，共 32 + 32 + 8 = 72 字节；
# 其中 `content_hash` 承诺了区块头的其余所有字段（父哈希、高度、时间、默克尔根、状态根、受益人）。
# 挖矿时前 64 字节始终不变，矿工只改动最后 8 个字节（见 `minichain/blocks.py` 和 `minichain/consensus/pow.py`）。
# %% [markdown] lang="en"
# # Lab 5 · Proof of work: build a miner
#
# *Enterprise track.* You will write the pieces of a proof-of-work miner and let minichain's own chain
# judge them:
#
# 1. the **target** for a difficulty, and the expected number of attempts;
# 2. the check "does this hash meet the target?";
# 3. the **nonce search**: the miner itself;
# 4. building and mining whole blocks that the chain accepts;
# 5. the **retarget** rule, integer for integer as every node computes it.
#
# In minichain a proof-of-work block hash is `H(content_hash ‖ target ‖ nonce)`: 32 + 32 + 8 = 72 bytes,
# where `content_hash` commits to every other header field (parent, height, time, Merkle root, state
# root, beneficiary). The first 64 bytes never change while mining, so a miner only varies the last 8
# (see `minichain/blocks.py` and `minichain/consensus/pow.py`).
# %% [markdown] lang="zh-CN"
# **使用方法**
#
# 每个练习是一个函数，注释里按步骤编好了号。把 `# 在这里写你的代码` 和 `raise NotImplementedError()`
# 换成你的代码，运行该单元格，再运行下面的测试单元格。测试失败时会说明**检查了什么、应当是什么、实际得到了什么**；
# 测试把你的函数的结果交给真正的 `minichain` 校验器，所以失败信息里会带上节点拒绝时的规则编号（方括号中），
# 例如 `[pow-insufficient]`。交卷评分时还会运行更多测试：请把函数写对，而不只是让眼前的例子通过。
# %% [markdown] lang="en"
# **How this notebook works**
#
# Each exercise is a function with its steps numbered in comments. Replace `# YOUR CODE HERE` and
# `raise NotImplementedError()` with your code, run the cell, then run the test cell below it. A
# failing test says **what it checked, what it expected and what it found**; the tests hand what your
# function produces to the real `minichain` validators, so a failure carries the rule id a node would
# give, in brackets, e.g. `[pow-insufficient]`. More tests run when your lab is graded: make your
# function right, not just the visible example.
# %% nbgrader={"grade_id": "setup", "locked": true}
# zh: 准备工作（只读）：minichain、固定种子的钱包，以及评判函数。
# en: Set-up (read-only): the library, seeded wallets, and the judges.
from labkit import tr
from labkit.checks import Checks
from minichain import MAX_TARGET, Block, Chain, Header, MinichainError, PowParams, PowSeal, get_suite, work
from minichain.testing import make_genesis, make_wallet

check = Checks(tr("zh-CN", "en"))
ALICE, BOB, MINER = make_wallet(0), make_wallet(1), make_wallet("miner")


def minichain_says(rule_check, *args):
    """Run one of minichain's checks: None if it passes, else '[rule] message'."""
    try:
        rule_check(*args)
    except MinichainError as error:
        return f"[{error.rule}] {error}"
    return None


def template(bits=8, timestamp_offset=10, transactions=(), suite="sha256-ed25519"):
    """An unmined block on a fresh chain: its seal holds the target and nonce 0."""
    chain = Chain(make_genesis("pow", difficulty_bits=bits, suite=suite))
    block, _ = chain.build_block(list(transactions), MINER.address, chain.genesis.timestamp + timestamp_offset)
    return chain, block


def pow_verdict(chain, header):
    """minichain's own proof-of-work check (PowEngine.check_seal) of a header for the block after
    chain.tip: None if it holds, else '[rule] message'."""
    return minichain_says(chain.engine.check_seal, header, chain.tip, chain)


def nonce_of(header):
    """The nonce of a mined header, or None (for messages: a header's repr is long)."""
    return None if header is None else header.seal.nonce


def hex256(value):
    """A 256-bit number as 64 hex digits (anything else as it is), for messages."""
    return f"{value:#066x}" if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else value


# %% [markdown] lang="zh-CN"
# ## 练习 1：目标值
#
# 难度为 `bits` 时，一个哈希开头至少有 `bits` 个 0 位才算合格，也就是说，把它当作 256 位大端序整数，
# 它不大于 `2 ** (256 - bits) - 1`。平均所需的尝试次数（区块的**工作量**）是 `2 ** 256 // (target + 1)`：
# 在全部 `2 ** 256` 个哈希中，`0 … target` 这 `target + 1` 个是合格的。
#
# 1. `target_for_bits(bits)`：返回开头有 `bits` 个 0 位的最大的 256 位数；
# 2. `expected_attempts(target)`：返回 `2 ** 256 // (target + 1)`。只用整数运算。

# %% [markdown] lang="en"
# ## Exercise 1: the target
#
# With a difficulty of `bits`, a hash is good enough when it has at least `bits` leading zero bits,
# i.e. when, read as a 256-bit big-endian number, it is at most `2 ** (256 - bits) - 1`. The expected
# number of attempts (the block's **work**) is `2 ** 256 // (target + 1)`: of all `2 ** 256` hashes, the
# `target + 1` hashes `0 … target` are good.
#
# 1. `target_for_bits(bits)`: the largest 256-bit number with `bits` leading zero bits;
# 2. `expected_attempts(target)`: `2 ** 256 // (target + 1)`. Integers only.

# %% nbgrader={"grade_id": "ex1_target", "solution": true}
def target_for_bits(bits):
    """The proof-of-work target for a difficulty of `bits` leading zero bits."""
    # zh: 1. 开头有 bits 个 0 位的最大的 256 位数：2 ** (256 - bits) - 1
    # en: 1. the largest 256-bit number with `bits` leading zeros: 2 ** (256 - bits) - 1
    ### BEGIN SOLUTION
    return (1 << (256 - bits)) - 1
    ### END SOLUTION


def expected_attempts(target):
    """How many hashes a miner needs on average to find one at or below `target`."""
    # zh: 2. 全部 2 ** 256 个哈希，除以 target + 1 个合格的哈希（整数除法 //）
    # en: 2. all 2 ** 256 hashes, divided by the target + 1 good ones (integer division //)
    ### BEGIN SOLUTION
    return (2 ** 256) // (target + 1)
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex1_visible", "grade": true, "points": 0}
for _bits in (0, 8, 20):
    _found, _expected = target_for_bits(_bits), PowParams(difficulty_bits=_bits).initial_target
    if _found == _expected + 1:
        _hint = tr("差了 1：开头有 bits 个 0 位的最大数是 2 ** (256 - bits) - 1",
                   "off by one: the largest number with `bits` leading zeros is 2 ** (256 - bits) - 1")
    elif _found == 2 ** _bits - 1:
        _hint = tr("方向反了：0 位在开头，所以是 2 ** (256 - bits)", "the wrong way round: the zeros lead, so 2 ** (256 - bits)")
    else:
        _hint = tr("只用整数：2 ** (256 - bits) - 1", "integers only: 2 ** (256 - bits) - 1")
    check.equal(hex256(_found), hex256(_expected), tr(f"target_for_bits({_bits})（minichain 创世规则给出的目标值）",
                                                      f"target_for_bits({_bits}) (the target minichain's genesis uses)"),
                hint=_hint)
for _target in (PowParams(difficulty_bits=8).initial_target, 3, MAX_TARGET):
    check.equal(expected_attempts(_target), work(_target),
                tr(f"expected_attempts({hex256(_target)})（minichain 的 work() 给出的值）",
                   f"expected_attempts({hex256(_target)}) (what minichain's work() gives)"),
                hint=tr("合格的哈希有 target + 1 个（0 … target）；用整数除法 //，不要用 /",
                        "target + 1 hashes are good (0 … target); divide with //, not /"))
check.passed(tr("练习 1 的公开测试通过", "Exercise 1 visible tests pass"))

# %% nbgrader={"grade_id": "ex1_hidden", "grade": true, "points": 2}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe

Probe().each("ex1_hidden", lambda case: target_for_bits(case[1]) if case[0] == "bits" else expected_attempts(case[1]))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 2：哈希满足目标值吗？
#
# `meets_target(block_hash, target)`：
#
# 1. 把 32 字节的 `block_hash` 读成大端序无符号整数（`int.from_bytes`）；
# 2. 返回它是否**不大于** `target`（`True` 或 `False`）。

# %% [markdown] lang="en"
# ## Exercise 2: does a hash meet the target?
#
# `meets_target(block_hash, target)`:
#
# 1. read the 32-byte `block_hash` as a big-endian unsigned integer (`int.from_bytes`);
# 2. return whether it is **at most** `target` (`True` or `False`).

# %% nbgrader={"grade_id": "ex2_meets", "solution": true}
def meets_target(block_hash, target):
    """True if the 32-byte hash, as a big-endian number, is at most `target`."""
    # zh: 1. 把哈希读成数：int.from_bytes(block_hash, "big")
    # zh: 2. 与目标值比较（相等也算合格）
    # en: 1. the hash as a number: int.from_bytes(block_hash, "big")
    # en: 2. compare with the target (equal is good enough)
    ### BEGIN SOLUTION
    return int.from_bytes(block_hash, "big") <= target
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex2_visible", "grade": true, "points": 0}
_chain, _block = template(bits=8)
_target = _block.header.seal.target
_mined = _chain.engine.mine(_block.header).header
for _name, _header in ((tr("minichain 挖出的区块头", "a header minichain mined"), _mined),
                       (tr("随机数为 0 的未挖区块头", "the unmined header, nonce 0"), _block.header)):
    check.equal(meets_target(_header.hash(_chain.suite), _target), pow_verdict(_chain, _header) is None,
                tr(f"{_name}：你的判断（minichain 的工作量证明检查说它{'合格' if pow_verdict(_chain, _header) is None else '不合格'}）",
                   f"{_name}: your verdict (minichain's proof-of-work check says "
                   f"{'it holds' if pow_verdict(_chain, _header) is None else 'it fails'})"),
                hint=tr("返回 True 或 False：int.from_bytes(block_hash, 'big') <= target",
                        "return True or False: int.from_bytes(block_hash, 'big') <= target"))
check.equal(meets_target(_target.to_bytes(32, "big"), _target), True,
            tr("哈希恰好等于目标值", "a hash exactly equal to the target"),
            hint=tr("“不大于”：等于目标值也合格（用 <=，不是 <）", "“at most”: equal to the target counts (<=, not <)"))
check.equal(meets_target(bytes(31) + b"\x01", 2 ** 248 - 1), True,
            tr("哈希 00…0001（最后一个字节是 1）对 8 位难度的目标值", "the hash 00…0001 (last byte 1) against the 8-bit target"),
            hint=tr("按大端序读：第一个字节最重要，int.from_bytes(block_hash, 'big')",
                    "read it big-endian: the first byte matters most, int.from_bytes(block_hash, 'big')"))
check.passed(tr("练习 2 的公开测试通过", "Exercise 2 visible tests pass"))

# %% nbgrader={"grade_id": "ex2_hidden", "grade": true, "points": 2}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe

Probe().each("ex2_hidden", lambda case: meets_target(*case))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 3：矿工
#
# `mine(header, suite, max_attempts)` 依次尝试随机数 **0、1、2……**，寻找满足 `header.seal.target` 的区块哈希：
#
# 1. 先算出固定不变的 64 字节前缀（只算一次）：`header.content_hash(suite)`，后面接上 32 字节大端序的目标值；
# 2. 对 `range(max_attempts)` 中的每个随机数：用 `suite.hash` 对 `前缀 + nonce.to_bytes(8, "big")`（72 字节）求哈希；
# 3. 哈希满足目标值时，返回 `header.with_seal(PowSeal(target, nonce))`；
# 4. 试完 `max_attempts` 个随机数（`0 … max_attempts - 1`）都不行，返回 `None`。
#
# 不管传进来的区块头里原来的随机数是多少，搜索都从 0 开始。（第 2 步算出的正是
# `header.with_seal(PowSeal(target, nonce)).hash(suite)`，只是更快；两种写法都可以。）

# %% [markdown] lang="en"
# ## Exercise 3: the miner
#
# `mine(header, suite, max_attempts)` tries the nonces **0, 1, 2, …** in turn for a block hash that
# meets the target in `header.seal.target`:
#
# 1. compute the fixed 64-byte prefix once: `header.content_hash(suite)` followed by the target as 32
#    big-endian bytes;
# 2. for each nonce in `range(max_attempts)`: hash `prefix + nonce.to_bytes(8, "big")` (72 bytes) with
#    `suite.hash`;
# 3. if the hash meets the target, return `header.with_seal(PowSeal(target, nonce))`;
# 4. if none of the `max_attempts` nonces (`0 … max_attempts - 1`) works, return `None`.
#
# The search starts at 0 whatever nonce the header it is given already holds. (Step 2 computes exactly
# `header.with_seal(PowSeal(target, nonce)).hash(suite)`, only faster. Either way works.)

# %% nbgrader={"grade_id": "ex3_mine", "solution": true}
def mine(header, suite, max_attempts=1_000_000):
    """The header with the first nonce (from 0) whose block hash meets its target, or None."""
    target = header.seal.target
    # zh: 1. prefix = 内容哈希（32 字节）+ 目标值（32 字节大端序）
    # zh: 2. 对每个随机数：digest = suite.hash(prefix + 随机数的 8 字节大端序)
    # zh: 3. digest 满足目标值：返回 header.with_seal(PowSeal(target, nonce))
    # zh: 4. 没有一个随机数可行：返回 None
    # en: 1. prefix = content hash (32 bytes) + target as 32 big-endian bytes
    # en: 2. for each nonce: digest = suite.hash(prefix + the nonce as 8 big-endian bytes)
    # en: 3. if the digest meets the target: return header.with_seal(PowSeal(target, nonce))
    # en: 4. no nonce worked: return None
    ### BEGIN SOLUTION
    prefix = header.content_hash(suite) + target.to_bytes(32, "big")
    for nonce in range(max_attempts):
        if int.from_bytes(suite.hash(prefix + nonce.to_bytes(8, "big")), "big") <= target:
            return header.with_seal(PowSeal(target, nonce))
    return None
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex3_visible", "grade": true, "points": 0}
def _judge_mined(chain, header, what, max_attempts=1_000_000):
    """Your mined header, judged by minichain: the same contents and target, minichain's own
    proof-of-work check, and the first nonce that works counting from 0 (PowEngine.mine's)."""
    mined = mine(header, chain.suite, max_attempts=max_attempts)
    check.true(mined is not None, tr(f"{what}：mine 返回了 None，但 {max_attempts:,} 次尝试之内应能找到随机数",
                                     f"{what}: mine returned None, but a nonce exists within {max_attempts:,} attempts"))
    check.instance(mined, Header, tr(f"{what}：mine 的返回值", f"{what}: what mine returns"))
    check.equal(mined.content_hash(chain.suite).hex(), header.content_hash(chain.suite).hex(),
                tr(f"{what}：挖出的区块头的内容哈希", f"{what}: the content hash of the mined header"),
                hint=tr("挖矿只改随机数：返回 header.with_seal(PowSeal(target, nonce))",
                        "mining changes only the nonce: return header.with_seal(PowSeal(target, nonce))"))
    check.equal(hex256(mined.seal.target), hex256(header.seal.target), tr(f"{what}：封装里的目标值", f"{what}: the seal's target"),
                hint=tr("目标值保持不变：PowSeal(header.seal.target, nonce)", "keep the target: PowSeal(header.seal.target, nonce)"))
    check.accepted(pow_verdict(chain, mined), tr(f"{what}：minichain 的工作量证明检查", f"{what}: minichain's proof-of-work check"))
    first = chain.engine.mine(header.with_seal(PowSeal(header.seal.target, 0))).header.seal.nonce
    check.equal(mined.seal.nonce, first, tr(f"{what}：找到的随机数（从 0 数起第一个可行的）",
                                            f"{what}: the nonce found (the first that works, counting from 0)"),
                hint=tr("从随机数 0 开始，每次加 1，返回第一个满足目标值的", "start at nonce 0, go up by one, and return the "
                        "first that meets the target"))
    return mined


_chain, _block = template(bits=8)
_judge_mined(_chain, _block.header, tr("8 位难度的区块", "a block at 8 bits"))
# zh: 随机数 0 就可行的区块头（2 位难度下找一个）：必须返回随机数 0
# en: a header whose nonce 0 already works (one found at 2 bits): it must come back with nonce 0
for _offset in range(10, 200):
    _chain, _block = template(bits=2, timestamp_offset=_offset)
    if _chain.engine.mine(_block.header, 0, 1).header is not None:
        break
_judge_mined(_chain, _block.header, tr("随机数 0 就满足目标值的区块头", "a header whose nonce 0 already meets the target"))
check.passed(tr("练习 3 的公开测试通过", "Exercise 3 visible tests pass"))

# %% nbgrader={"grade_id": "ex3_hidden", "grade": true, "points": 4}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe

Probe().each("ex3_hidden", lambda case: mine(case[0], get_suite(case[1]), max_attempts=case[2]))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 4：挖出真实的区块
#
# `mine_block(chain, transactions, timestamp)`：
#
# 1. 向链要一个模板：`block, dropped = chain.build_block(transactions, MINER.address, timestamp)`
#    （它会填好父哈希、高度、默克尔根、状态根，以及难度调整规则要求的目标值）；
# 2. 用你的 `mine` 挖出它的区块头；
# 3. 返回 `Block(挖出的区块头, block.transactions)`（不要把它加进链：由测试来加，好让链来评判它）。

# %% [markdown] lang="en"
# ## Exercise 4: mine real blocks
#
# `mine_block(chain, transactions, timestamp)`:
#
# 1. ask the chain for a template: `block, dropped = chain.build_block(transactions, MINER.address,
#    timestamp)` (it fills in the parent, height, Merkle root, state root and the target the retarget
#    rule demands);
# 2. mine its header with your `mine`;
# 3. return `Block(mined_header, block.transactions)` (do not add it to the chain: the test does, so
#    that the chain judges it).

# %% nbgrader={"grade_id": "ex4_block", "solution": true}
def mine_block(chain, transactions, timestamp):
    """A mined block on top of `chain`'s tip holding `transactions`."""
    # zh: 1. block, dropped = chain.build_block(...)（MINER.address 得到奖励）
    # zh: 2. 挖出模板的区块头
    # zh: 3. 返回由挖出的区块头和模板的交易组成的 Block
    # en: 1. block, dropped = chain.build_block(...)   (MINER.address gets the reward)
    # en: 2. mine the template's header
    # en: 3. return a Block of the mined header and the template's transactions
    ### BEGIN SOLUTION
    block, _ = chain.build_block(transactions, MINER.address, timestamp)
    return Block(mine(block.header, chain.suite), block.transactions)
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex4_visible", "grade": true, "points": 0}
_chain = Chain(make_genesis("pow", difficulty_bits=8))
_pay = ALICE.transfer(_chain.genesis.chain_id, BOB.address, 25, 0, fee=1)
for _height, _txs in ((1, []), (2, [_pay])):
    _new = mine_block(_chain, _txs, _chain.genesis.timestamp + 10 * _height)
    check.instance(_new, Block, tr(f"第 {_height} 号区块：mine_block 的返回值", f"block {_height}: what mine_block returns"))
    check.equal(_chain.height, _height - 1, tr("测试加入区块之前链的高度", "the chain's height before the test adds the block"),
                hint=tr("mine_block 只返回区块，不要自己调用 chain.add_block：由测试把它交给链",
                        "mine_block only returns the block; do not call chain.add_block: the test hands it to the chain"))
    check.equal(len(_new.transactions), len(_txs), tr(f"第 {_height} 号区块里的交易笔数", f"transactions in block {_height}"),
                hint=tr("用模板里的交易：block.transactions", "use the template's transactions: block.transactions"))
    check.accepted(minichain_says(_chain.add_block, _new), tr(f"把你的第 {_height} 号区块交给链", f"your block {_height}, "
                                                                                              "handed to the chain"))
    check.equal(_chain.height, _height, tr("链的高度", "the chain's height"))
check.passed(tr("练习 4 的公开测试通过", "Exercise 4 visible tests pass"))

# %% nbgrader={"grade_id": "ex4_hidden", "grade": true, "points": 3}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe


def _mined_blocks(bits, payments):
    """Your mine_block, block after block on a fresh chain: [height before, block] for each block
    the chain accepted, then the first one it refused (the grader judges them all again)."""
    _chain, _out = Chain(make_genesis("pow", difficulty_bits=bits)), []
    for _txs, _timestamp in payments:
        _before = _chain.height
        _new = mine_block(_chain, list(_txs), _timestamp)
        _out.append([_before, _new])
        if minichain_says(_chain.add_block, _new) is not None:
            break
    return _out


Probe().each("ex4_hidden", lambda case: _mined_blocks(*case))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 5：难度调整
#
# 每个节点都必须为下一个区块算出完全相同的目标值，否则网络就会分裂。`next_target(chain)` 返回
# `chain.tip` 之后那个区块必须携带的目标值。设 `params = chain.genesis.consensus`（一个 `PowParams`），
# `parent = chain.tip`：
#
# 1. `height = parent.height + 1`；如果 `height % params.retarget_window != 0`，原样返回父区块的目标值
#    （`parent.seal.target`）；
# 2. `first = chain.block_at(height - params.retarget_window).header`：刚结束的这一段的第一个区块
#    （这一段是 `first` … `parent`）；
# 3. `expected = (params.retarget_window - 1) * params.target_block_time`：这一段**应当**用的秒数
#    （一段里的区块之间有 `window - 1` 个间隔）；
# 4. `actual = parent.timestamp - first.timestamp`，再把它限制在不小于 `-(-expected // 4)`（`expected / 4` 向上取整）、
#    不大于 `expected * 4` 的范围内；
# 5. 返回 `parent.seal.target * actual // expected`，并限制在 1 到 `MAX_TARGET` 之间。
#
# 只用整数运算：浮点数在某台机器上、某一天会有不同的舍入。

# %% [markdown] lang="en"
# ## Exercise 5: the retarget
#
# Every node must compute exactly the same target for the next block, or the network splits.
# `next_target(chain)` returns the target the block after `chain.tip` must carry. With
# `params = chain.genesis.consensus` (a `PowParams`) and `parent = chain.tip`:
#
# 1. `height = parent.height + 1`; if `height % params.retarget_window != 0`, return the parent's target
#    unchanged (`parent.seal.target`);
# 2. `first = chain.block_at(height - params.retarget_window).header`: the first block of the window
#    that just ended (the window is `first` … `parent`);
# 3. `expected = (params.retarget_window - 1) * params.target_block_time`: the seconds the window
#    *should* have taken (it has `window - 1` gaps between its blocks);
# 4. `actual = parent.timestamp - first.timestamp`, then clamp it to at least `-(-expected // 4)` (the
#    ceiling of `expected / 4`) and at most `expected * 4`;
# 5. return `parent.seal.target * actual // expected`, kept between 1 and `MAX_TARGET`.
#
# Integer arithmetic only: a float would round differently on some machine, some day.

# %% nbgrader={"grade_id": "ex5_retarget", "solution": true}
def next_target(chain):
    """The target the block after chain.tip must carry (minichain's retarget rule)."""
    params, parent = chain.genesis.consensus, chain.tip
    # zh: 1. 不是调整高度：父区块的目标值
    # zh: 2. first = 刚结束的这一段的第一个区块
    # zh: 3. expected = (window - 1) * target_block_time
    # zh: 4. actual = parent.timestamp - first.timestamp，限制在 [ceil(expected / 4), expected * 4]
    # zh: 5. 父区块目标值 * actual // expected，限制在 [1, MAX_TARGET]
    # en: 1. not a retarget height: the parent's target
    # en: 2. first = the first block of the window that just ended
    # en: 3. expected = (window - 1) * target_block_time
    # en: 4. actual = parent.timestamp - first.timestamp, clamped to [ceil(expected / 4), expected * 4]
    # en: 5. parent target * actual // expected, kept in [1, MAX_TARGET]
    ### BEGIN SOLUTION
    height = parent.height + 1
    if height % params.retarget_window != 0:
        return parent.seal.target
    first = chain.block_at(height - params.retarget_window).header
    expected = (params.retarget_window - 1) * params.target_block_time
    actual = min(max(parent.timestamp - first.timestamp, -(-expected // 4)), expected * 4)
    return max(1, min(MAX_TARGET, parent.seal.target * actual // expected))
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex5_visible", "grade": true, "points": 0}
def grown(gaps, window=4, bits=8):
    """A chain whose blocks come `gaps` seconds apart, mined by minichain itself."""
    chain = Chain(make_genesis("pow", difficulty_bits=bits, retarget_window=window))
    clock = chain.genesis.timestamp
    for gap in gaps:
        clock += gap
        block, _ = chain.build_block([], MINER.address, clock)
        chain.add_block(Block(chain.engine.mine(block.header).header, ()))
    return chain


def _judge_target(chain, what, hint=""):
    found = next_target(chain)
    check.instance(found, int, tr(f"{what}：next_target 的返回值", f"{what}: what next_target returns"))
    check.equal(hex256(found), hex256(chain.engine.next_target(chain.tip, chain)),
                tr(f"{what}：目标值（minichain 的难度调整给出的）", f"{what}: the target (minichain's retarget gives)"),
                hint=hint)


_judge_target(grown([]), tr("创世区块之后的第 1 号区块（不是调整高度）", "block 1 after genesis (not a retarget height)"),
              hint=tr("高度不是 retarget_window 的倍数时，原样返回 parent.seal.target",
                      "when the height is not a multiple of retarget_window, return parent.seal.target"))
_judge_target(grown([10, 10, 10]), tr("一段 4 个区块正好每 10 秒一个", "a window of 4 blocks exactly 10 s apart"),
              hint=tr("一段 4 个区块只有 3 个间隔：expected = (window - 1) * target_block_time；只用整数（//，不用 /）",
                      "a window of 4 blocks has 3 gaps: expected = (window - 1) * target_block_time; integers only "
                      "(//, not /)"))
_judge_target(grown([1, 1, 1]), tr("一段区块来得太快（每 1 秒一个）", "a window far too fast (1 s apart)"),
              hint=tr("actual 至少是 expected / 4 向上取整：-(-expected // 4)",
                      "actual is at least the ceiling of expected / 4: -(-expected // 4)"))
_judge_target(grown([100, 100, 100]), tr("一段区块来得太慢（每 100 秒一个）", "a window far too slow (100 s apart)"),
              hint=tr("actual 至多是 expected * 4", "actual is at most expected * 4"))
check.passed(tr("练习 5 的公开测试通过", "Exercise 5 visible tests pass"))

# %% nbgrader={"grade_id": "ex5_hidden", "grade": true, "points": 4}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe


def _targets_along(bits, window, blocks):
    """Your next_target after genesis and after each of minichain's blocks, in turn."""
    _chain = Chain(make_genesis("pow", difficulty_bits=bits, retarget_window=window))
    _found = [next_target(_chain)]
    for _block in blocks:
        _chain.add_block(_block)
        _found.append(next_target(_chain))
    return _found


Probe().each("ex5_hidden", lambda case: _targets_along(*case))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 你实现了什么
#
# 矿工就是一个遍历随机数的循环；链之所以接受它挖出的区块，是因为每个节点都重新计算同样的 72 个字节的哈希，
# 并与每个节点都以同样方式算出的目标值相比较。请把你的代码与 `minichain/consensus/pow.py` 中的
# `PowEngine.mine` 和 `PowEngine.next_target` 对照：库里只对 64 字节前缀求一次哈希，
# 然后为每个随机数复制这个哈希状态，速度大约快一倍。

# %% [markdown] lang="en"
# ## What you built
#
# A miner is a loop over nonces; the chain accepts its block because every node re-hashes the same 72
# bytes and compares with a target that every node recomputes the same way. Compare your code with
# `PowEngine.mine` and `PowEngine.next_target` in `minichain/consensus/pow.py`: the library hashes the
# 64-byte prefix once and copies that hash state for each nonce, which roughly doubles the speed.
