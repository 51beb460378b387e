# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   minichain:
#     lab: lab06_network
#     notebook: build
#     title:
#       zh-CN: 实验六 · 分叉选择与链重组（动手实现）
#       en: Lab 6 · Fork choice and reorganisations (build)
# ---

# %% [markdown] lang="zh-CN"
# # 实验六 · 分叉选择与链重组：动手实现
#
# *企业工程师课程。* 每个节点保存的是一棵区块**树**，而不是一个列表：区块可能从几个分支上陆续到达。
# 节点跟随**累计工作量**最多的分支（不是区块最多的分支！）；另一个分支变得更重时，它就**重组**：
# 把状态回滚到分叉点，再应用另一个分支。你将实现：
#
# 1. 一个区块的累计工作量；
# 2. 分叉选择：树中最重的链头，它不一定是最高的；
# 3. 重组计划：哪些区块离开最佳链，哪些区块加入；
# 4. 一个网络工具：恢复一次网络分区，报告多久达成一致、哪些节点发生了重组。
#
# 链的逻辑在 `minichain/chain.py`（`Chain.add_block`、`_reorganise`），网络在 `minichain/net/memory.py`
# 和 `minichain/node/core.py`。你的函数由 minichain 本身来评判。
# %% [markdown] lang="en"
# # Lab 6 · Fork choice and reorganisations: build it
#
# *Enterprise track.* Every node keeps a **tree** of blocks, not a list: blocks may arrive on several
# branches. It follows the branch with the most **cumulative work** (not the most blocks!), and when
# another branch gets heavier it **reorganises**: rolls the state back to the fork point and applies
# the other branch. You will write:
#
# 1. the cumulative work of a block;
# 2. fork choice: the heaviest tip of the tree, which need not be the highest;
# 3. the plan of a reorganisation: which blocks leave and which join the best chain;
# 4. a network tool: heal a partition and report how long the nodes took to agree, and who
#    reorganised.
#
# The chain logic lives in `minichain/chain.py` (`Chain.add_block`, `_reorganise`); the network in
# `minichain/net/memory.py` and `minichain/node/core.py`. Your functions are judged by minichain itself.
# %% [markdown] lang="zh-CN"
# **使用方法**
#
# 每个练习是一个函数，注释里按步骤编好了号。把 `# 在这里写你的代码` 和 `raise NotImplementedError()`
# 换成你的代码，运行该单元格，再运行下面的测试单元格。测试失败时会说明**检查了什么、应当是什么、实际得到了什么**，
# 期望值来自 minichain 自己的链和网络。交卷评分时还会运行更多测试：请把函数写对，而不只是让眼前的例子通过。
# %% [markdown] lang="en"
# **How this notebook works**
#
# Each exercise is a function with its steps numbered in comments. Replace `# YOUR CODE HERE` and
# `raise NotImplementedError()` with your code, run the cell, then run the test cell below it. A
# failing test says **what it checked, what it expected and what it found**; the expected values come
# from minichain's own chain and network. More tests run when your lab is graded: make your function
# right, not just the visible example.
# %% nbgrader={"grade_id": "setup", "locked": true}
# zh: 准备工作（只读）：minichain、固定种子的测试链与测试网络。
# en: Set-up (read-only): the library, seeded test chains and test networks.
from labkit import tr
from labkit.checks import Checks
from minichain import Chain, MemoryNetwork, NetEvent, NodeConfig, work
from minichain.testing import make_genesis, make_wallet, produce_block

check = Checks(tr("zh-CN", "en"))
NODES = ["alpha", "beta", "gamma", "delta"]


def grow(chain, gaps):
    """One mined block per gap (seconds after the tip) on `chain`; returns the new blocks."""
    blocks = []
    for gap in gaps:
        produce_block(chain, timestamp=chain.tip.timestamp + gap)
        blocks.append(chain.block_at(chain.height))
    return blocks


def forked_chain():
    """A chain holding two branches from genesis. The difficulty adjusts every 4 blocks: it makes
    the fast branch's later blocks 3.75 times harder and the slow branch's 4 times easier, so the
    shorter fast branch carries more work than the longer slow one."""
    genesis = make_genesis("pow", difficulty_bits=8, retarget_window=4)
    fast, slow = Chain(genesis), Chain(genesis)
    fast_blocks = grow(fast, [1, 1, 1, 1, 1])
    slow_blocks = grow(slow, [100] * 9)
    chain = Chain(genesis)
    for block in slow_blocks + fast_blocks:
        chain.add_block(block)
    return chain, fast_blocks, slow_blocks


def side_branch(common, old, new):
    """A chain of one difficulty: `common` shared blocks, then `old` more on the best chain, and a
    side branch of `new` blocks from the same fork point. The chain holds every block but the side
    branch's last one, which the tests add themselves. Returns (chain, the side branch's blocks)."""
    genesis = make_genesis("pow", difficulty_bits=8, retarget_window=1000)
    main, side = Chain(genesis), Chain(genesis)
    for block in grow(main, [10] * common):
        side.add_block(block)
    grow(main, [10] * old)
    branch = grow(side, [11] * new)
    chain = Chain(genesis)
    for block in list(main.main_chain())[1:] + branch[:-1]:
        chain.add_block(block)
    return chain, branch


def tree_of(bits, window, blocks):
    """A node's block tree: a genesis of `bits` difficulty retargeting every `window` blocks, then
    `blocks` received in this order (the graded tests hand you their trees this way)."""
    chain = Chain(make_genesis("pow", difficulty_bits=bits, retarget_window=window))
    for block in blocks:
        chain.add_block(block)
    return chain


class TreeOnly:
    """A node's block tree without its own verdict: no tip, no height, no best chain."""

    def __init__(self, chain):
        self._chain = chain
        self.genesis_hash = chain.genesis_hash

    def all_entries(self):
        return self._chain.all_entries()

    def children(self, block_hash):
        return self._chain.children(block_hash)

    def get(self, block_hash):
        return self._chain.get(block_hash)

    def entry(self, block_hash):
        return self._chain.entry(block_hash)


def cut_network(seed, left_blocks, right_blocks):
    """Four nodes (mining only when told), cut into alpha+beta | gamma+delta; alpha mines
    `left_blocks` and gamma `right_blocks` during the cut, one second apart."""
    genesis = make_genesis("pow", difficulty_bits=12, retarget_window=1000)
    configs = [NodeConfig(node, miner=make_wallet(f"miner-{node}").address, mining_attempts_per_tick=0)
               for node in NODES]
    net = MemoryNetwork(genesis, configs, seed=seed)
    net.run_for(1)
    cut_again(net, left_blocks, right_blocks)
    return net


def cut_again(net, left_blocks, right_blocks):
    """Cut the network again and let each side mine (after an earlier heal, say)."""
    net.partition([NODES[:2], NODES[2:]])
    for node in ["alpha"] * left_blocks + ["gamma"] * right_blocks:
        net.produce(node)
        net.run_for(1)


# %% [markdown] lang="zh-CN"
# ## 练习 1：累计工作量
#
# 在分叉选择中，一个区块的分量是它的**工作量** `work(header.seal.target)`（平均需要尝试多少次哈希，见实验五）。
# 一个分支的总工作量是它上面所有区块的工作量之和，一直加到创世区块为止；创世区块本身算 0。
# 难度会调整，所以不同区块的工作量可以不同：不要用“区块数 × 某个区块的工作量”。
#
# `total_work(chain, block_hash)`：
#
# 1. 从 `chain.get(block_hash)`（一个 `Block`）开始；
# 2. 只要当前区块的哈希不是 `chain.genesis_hash`：加上 `work(block.header.seal.target)`，
#    再用 `chain.get(block.header.parent_hash)` 走到父区块；
# 3. 返回总和。
#
# 区块可能在侧分支上：沿父哈希往回走，而不是用 `chain.block_at(height)`（那只读最佳链）。

# %% [markdown] lang="en"
# ## Exercise 1: cumulative work
#
# A block's weight in fork choice is its **work**, `work(header.seal.target)` (the expected number of
# hashes it took, see lab 5). A branch's total is the sum over its blocks back to the genesis block,
# which counts 0. The difficulty adjusts, so blocks may carry different work: do not use "number of
# blocks × one block's work".
#
# `total_work(chain, block_hash)`:
#
# 1. start at `chain.get(block_hash)` (a `Block`);
# 2. while the current block's hash is not `chain.genesis_hash`: add `work(block.header.seal.target)`
#    and step to the parent with `chain.get(block.header.parent_hash)`;
# 3. return the sum.
#
# The block may sit on a side branch: walk the parent hashes, not `chain.block_at(height)` (which
# reads the best chain only).

# %% nbgrader={"grade_id": "ex1_total_work", "solution": true}
def total_work(chain, block_hash):
    """The work of the blocks from genesis (excluded) to `block_hash` (included)."""
    # zh: 1. block = chain.get(block_hash)
    # zh: 2. 沿父哈希走到创世区块，把每个区块的工作量加起来
    # zh: 3. 返回总和
    # en: 1. block = chain.get(block_hash)
    # en: 2. walk to the genesis block through parent hashes, adding each block's work
    # en: 3. return the total
    ### BEGIN SOLUTION
    total = 0
    while block_hash != chain.genesis_hash:
        block = chain.get(block_hash)
        total += work(block.header.seal.target)
        block_hash = block.header.parent_hash
    return total
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex1_visible", "grade": true, "points": 0}
_chain, _fast, _slow = forked_chain()
_suite = _chain.suite
check.equal(total_work(_chain, _chain.genesis_hash), 0, tr("创世区块的累计工作量", "the genesis block's cumulative work"),
            hint=tr("创世区块本身算 0", "the genesis block itself counts 0"))
_first = _chain.entry(_fast[0].hash(_suite))
check.equal(total_work(_chain, _first.hash), _first.total_weight,
            tr("第 1 号区块的累计工作量（minichain 记下的值）", "block 1's cumulative work (as minichain keeps it)"),
            hint=tr("一个区块的工作量是 work(header.seal.target)，不是 1", "a block's work is work(header.seal.target), not 1"))
for _name, _block in [(tr("快分支的链头（难度调整过）", "the fast branch's tip (after a retarget)"), _fast[-1]),
                      (tr("慢分支的链头（侧分支上）", "the slow branch's tip (on a side branch)"), _slow[-1])]:
    _entry = _chain.entry(_block.hash(_suite))
    check.equal(total_work(_chain, _entry.hash), _entry.total_weight,
                tr(f"{_name}的累计工作量（minichain 记下的值）", f"cumulative work of {_name} (as minichain keeps it)"),
                hint=tr("逐个加上每个区块自己的工作量；沿父哈希走，不要用 block_at",
                        "add each block's own work; follow parent hashes, not block_at"))
check.passed(tr("练习 1 的公开测试通过", "Exercise 1 visible tests pass"))

# %% nbgrader={"grade_id": "ex1_hidden", "grade": true, "points": 3}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe

Probe().each("ex1_hidden", lambda case: [total_work(tree, h) for tree in [tree_of(*case[:3])] for h in case[3]])
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 2：分叉选择
#
# 树的**链头**是没有子区块的区块（`chain.children(hash)` 为空）。分叉选择挑出累计工作量最大的链头：
# 节点跟随的就是以它结尾的那条链。最常见的错误是挑**最高**的链头：更长的分支不一定更重。
#
# `heaviest_tip(tree)`：`tree` 是一个节点的区块树，只提供 `all_entries()`、`children(hash)`、`get(hash)`、
# `entry(hash)` 和 `genesis_hash`（评分时交给你的树没有 `tip_hash`：要由你来做选择）。
#
# 1. 列出树中每个区块的哈希：`[entry.hash for entry in tree.all_entries()]`；
# 2. 只保留链头；
# 3. 返回累计工作量最大的链头（用练习 1 的 `total_work(tree, h)`，或 minichain 记下的同一个数
#    `tree.entry(h).total_weight`）；两个相等时返回任意一个。

# %% [markdown] lang="en"
# ## Exercise 2: fork choice
#
# The **tips** of the tree are the blocks without children (`chain.children(hash)` is empty). Fork
# choice picks the tip with the greatest cumulative work: the chain ending there is the one a node
# follows. The usual mistake is to pick the **highest** tip: a longer branch need not be heavier.
#
# `heaviest_tip(tree)`: `tree` is a node's block tree offering only `all_entries()`,
# `children(hash)`, `get(hash)`, `entry(hash)` and `genesis_hash` (the tree you get when graded has no
# `tip_hash`: the choice is yours to make).
#
# 1. list every block hash in the tree: `[entry.hash for entry in tree.all_entries()]`;
# 2. keep the tips;
# 3. return the tip with the greatest cumulative work (your `total_work(tree, h)` from exercise 1, or
#    the same number as minichain keeps it, `tree.entry(h).total_weight`); if two are equal, either.

# %% nbgrader={"grade_id": "ex2_heaviest_tip", "solution": true}
def heaviest_tip(tree):
    """The hash of the tip that fork choice follows."""
    # zh: 1. 树中每个区块的哈希
    # zh: 2. 链头：没有子区块
    # zh: 3. 累计工作量最大的链头
    # en: 1. every block hash in the tree
    # en: 2. the tips: no children
    # en: 3. the tip with the most cumulative work
    ### BEGIN SOLUTION
    tips = [entry.hash for entry in tree.all_entries() if not tree.children(entry.hash)]
    return max(tips, key=lambda tip: tree.entry(tip).total_weight)
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex2_visible", "grade": true, "points": 0}
_chain = Chain(make_genesis("pow", difficulty_bits=8))
grow(_chain, [10, 10, 10])
check.equal(heaviest_tip(TreeOnly(_chain)), _chain.tip_hash, tr("一条没有分叉的链：链头", "a chain without forks: its tip"))
_chain, _fast, _slow = forked_chain()
_fast_tip, _slow_tip = _fast[-1].hash(_chain.suite), _slow[-1].hash(_chain.suite)
_found = heaviest_tip(TreeOnly(_chain))
check.true(_found == _chain.tip_hash == _fast_tip, tr(
    f"两个分支：5 个区块的快分支（累计工作量 {_chain.entry(_fast_tip).total_weight}）比 9 个区块的慢分支"
    f"（{_chain.entry(_slow_tip).total_weight}）更重，minichain 跟随快分支；你选的是"
    + ("慢分支：你比的是高度，还是工作量？" if _found == _slow_tip else f"{_found.hex()[:12]}…"),
    f"two branches: the 5-block fast branch (cumulative work {_chain.entry(_fast_tip).total_weight}) is "
    f"heavier than the 9-block slow one ({_chain.entry(_slow_tip).total_weight}) and minichain follows it; "
    "you chose " + ("the slow branch: did you compare heights instead of work?" if _found == _slow_tip
                    else f"{_found.hex()[:12]}…")))
check.passed(tr("练习 2 的公开测试通过", "Exercise 2 visible tests pass"))

# %% nbgrader={"grade_id": "ex2_hidden", "grade": true, "points": 3}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe

Probe().each("ex2_hidden", lambda case: heaviest_tip(TreeOnly(tree_of(*case))))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 3：规划一次重组
#
# 某个侧分支变成最重的分支时，链必须先**撤下**当前分支上直到**分叉点**（两个分支共有的最后一个区块）为止的区块，
# 从最新的撤起，撤销它们对状态的影响；再**接上**新分支的区块，从最旧的接起。
#
# `reorg_plan(chain, new_tip)` 返回 `(fork_point, disconnect, connect)`，表示从 `chain.tip_hash` 切换到 `new_tip`
# （两者都在树中）；两个列表里是区块哈希：
#
# 1. 从 `new_tip` 沿父哈希往回走，直到遇到最佳链上的区块（`chain.is_main(h)`）：它就是分叉点；
#    一路经过的区块，倒过来（最旧的在前），就是 `connect`；
# 2. `disconnect`：最佳链上分叉点以上的区块，从链头往下（`chain.hash_at(height)`，高度从 `chain.height`
#    到分叉点高度 + 1）。
#
# 测试会把你的计划和 `Chain.add_block` 真正执行的重组相比较。

# %% [markdown] lang="en"
# ## Exercise 3: planning a reorganisation
#
# When a side branch becomes the heaviest, the chain must first **disconnect** the blocks of its
# current branch down to the **fork point** (the last block both branches share), newest first,
# undoing their effect on the state, then **connect** the new branch's blocks, oldest first.
#
# `reorg_plan(chain, new_tip)` returns `(fork_point, disconnect, connect)` for switching from
# `chain.tip_hash` to `new_tip` (both in the tree); the two lists hold block hashes:
#
# 1. walk back from `new_tip` through parent hashes until a block on the best chain
#    (`chain.is_main(h)`): that block is the fork point; the blocks you passed, reversed (oldest
#    first), are `connect`;
# 2. `disconnect`: the best chain's blocks above the fork point, from the tip down
#    (`chain.hash_at(height)`, heights from `chain.height` down to the fork point's height + 1).
#
# The tests compare your plan with the reorganisation `Chain.add_block` really performs.

# %% nbgrader={"grade_id": "ex3_reorg_plan", "solution": true}
def reorg_plan(chain, new_tip):
    """(fork point, hashes to disconnect newest first, hashes to connect oldest first)."""
    # zh: 1. 从 new_tip 往回走，直到最佳链上的第一个区块（chain.is_main）
    # zh: 2. connect = 一路经过的区块，最旧的在前
    # zh: 3. disconnect = 最佳链上分叉点以上的区块，最新的在前
    # en: 1. walk back from new_tip to the first block on the best chain (chain.is_main)
    # en: 2. connect = the blocks passed on the way, oldest first
    # en: 3. disconnect = best-chain blocks above the fork point, newest first
    ### BEGIN SOLUTION
    connect = []
    cursor = new_tip
    while not chain.is_main(cursor):
        connect.append(cursor)
        cursor = chain.get(cursor).header.parent_hash
    connect.reverse()
    fork_height = chain.entry(cursor).height
    disconnect = [chain.hash_at(h) for h in range(chain.height, fork_height, -1)]
    return cursor, disconnect, connect
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex3_visible", "grade": true, "points": 0}
def names(chain, hashes):
    """Blocks as a reader can compare them: "#height hash…" (or what was found, if not a block)."""
    return [f"#{chain.entry(h).height} {h.hex()[:8]}" if isinstance(h, bytes) and chain.entry(h) else repr(h)[:24]
            for h in hashes]


def check_plan(chain, new_tip, expected, what):
    """reorg_plan(chain, new_tip) against (fork point, disconnect, connect) worked out elsewhere."""
    plan = reorg_plan(chain, new_tip)
    check.true(isinstance(plan, tuple) and len(plan) == 3, tr(
        f"{what}：reorg_plan 应返回 (fork_point, disconnect, connect) 三项，实际是 {plan!r:.80}",
        f"{what}: reorg_plan returns (fork_point, disconnect, connect), found {plan!r:.80}"))
    fork, disconnect, connect = plan
    check.equal(names(chain, [fork]), names(chain, [expected[0]]), tr(f"{what}：分叉点", f"{what}: the fork point"),
                hint=tr("分叉点是最佳链上的那个区块，它本身不撤下", "the fork point is the block on the best chain; it stays"))
    check.equal(names(chain, disconnect), names(chain, expected[1]),
                tr(f"{what}：撤下的区块（最新的在前）", f"{what}: the blocks disconnected (newest first)"),
                hint=tr("从链头往下，到分叉点之上为止", "from the tip down, stopping above the fork point"))
    check.equal(names(chain, connect), names(chain, expected[2]),
                tr(f"{what}：接上的区块（最旧的在前）", f"{what}: the blocks connected (oldest first)"),
                hint=tr("往回走时收集到的列表是最新的在前：要倒过来", "the list collected walking back is newest first: reverse it"))


def compare_plan_with_minichain(common, old, new):
    """Your plan for switching to the side branch's tip, against the reorganisation minichain
    performs when the side branch's next block makes it the heaviest (new = old + 1)."""
    chain, branch = side_branch(common, old, new)
    probe, _ = side_branch(common, old, new)
    update = probe.add_block(branch[-1])     # minichain reorganises a copy of the same tree
    h = lambda block: block.hash(chain.suite)  # noqa: E731
    expected = (update.connected[0].header.parent_hash, [h(b) for b in update.disconnected],
                [h(b) for b in update.connected[:-1]])
    check_plan(chain, h(branch[-2]), expected,
               tr(f"共同 {common} 块、主链再 {old} 块、侧分支 {new} 块，与 minichain 的重组相比",
                  f"{common} shared, {old} more on the main chain, a side branch of {new}, against minichain's reorg"))


_chain = Chain(make_genesis("pow", difficulty_bits=8))
grow(_chain, [10, 10])
check_plan(_chain, _chain.tip_hash, (_chain.tip_hash, [], []),
           tr("切换到当前链头本身：无事可做", "switching to the current tip itself: nothing to do"))
compare_plan_with_minichain(2, 3, 4)
check.passed(tr("练习 3 的公开测试通过", "Exercise 3 visible tests pass"))

# %% nbgrader={"grade_id": "ex3_hidden", "grade": true, "points": 4}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe

Probe().each("ex3_hidden", lambda case: reorg_plan(tree_of(*case[:3]), case[3]))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 4：恢复一次网络分区
#
# 节点运行在 `MemoryNetwork` 上，这是一个虚拟时间中的内存网络（不用套接字）：消息经过一段由种子决定的随机延迟后送达，
# `net.run_for(seconds)` 让时间前进，每个节点事件都记入 `net.log`（一个 `NetEvent(time, kind, source, target, message)`
# 的列表；发生重组的节点记下 `kind == "reorg"`，`source` 是它的编号）。所有节点的链头相同时，`net.converged()` 为真。
#
# `heal_and_measure(net, limit=30)`：
#
# 1. 记下日志当前的长度（`len(net.log)`）和时间（`net.elapsed`）：此前的事件（例如上一次分区留下的重组）不算；
# 2. `net.heal()`；
# 3. 每次让时间前进 0.1 秒，直到 `net.converged()`；`limit` 秒后仍未一致就放弃（两边工作量相同时会这样）；
# 4. 返回 `(seconds, reorganised)`：用了多少秒（`net.elapsed` 之差，四舍五入到 0.1 秒），
#    以及第 1 步之后记下 `"reorg"` 的节点编号，去重并排序。

# %% [markdown] lang="en"
# ## Exercise 4: healing a partition
#
# Nodes run on `MemoryNetwork`, an in-memory network in virtual time (no sockets): messages are
# delivered after a seeded random delay, `net.run_for(seconds)` advances time, and every node event
# goes into `net.log` (a list of `NetEvent(time, kind, source, target, message)`; a node that
# reorganised logs `kind == "reorg"` with `source` = its id). `net.converged()` is true when all
# nodes have the same tip.
#
# `heal_and_measure(net, limit=30)`:
#
# 1. remember where the log ends (`len(net.log)`) and the time (`net.elapsed`): earlier events (a
#    reorganisation after an earlier partition, say) do not count;
# 2. `net.heal()`;
# 3. advance 0.1 s at a time until `net.converged()`; give up after `limit` seconds (as happens when
#    both sides hold equal work);
# 4. return `(seconds, reorganised)`: the seconds it took (`net.elapsed` difference, rounded to
#    0.1 s) and the sorted ids, without repeats, of the nodes that logged a `"reorg"` since step 1.

# %% nbgrader={"grade_id": "ex4_heal_and_measure", "solution": true}
def heal_and_measure(net, limit=30):
    """Heal; (seconds until all nodes agree, sorted ids of the nodes that reorganised)."""
    # zh: 1. 记下日志位置和时间
    # zh: 2. 恢复连接
    # zh: 3. 每次前进 0.1 秒，直到一致（或满 limit 秒）
    # zh: 4. （四舍五入的秒数，此后记下 "reorg" 的节点编号，排序）
    # en: 1. mark the log and the time
    # en: 2. heal
    # en: 3. run 0.1 s at a time until converged (or `limit` seconds)
    # en: 4. (rounded seconds, sorted ids with a "reorg" event since the mark)
    ### BEGIN SOLUTION
    mark, start = len(net.log), net.elapsed
    net.heal()
    for _ in range(round(limit / 0.1)):
        if net.converged():
            break
        net.run_for(0.1)
    reorganised = sorted({e.source for e in net.log[mark:] if e.kind == "reorg"})
    return round(net.elapsed - start, 1), reorganised
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex4_visible", "grade": true, "points": 0}
_net = cut_network(1, 1, 2)
_result = heal_and_measure(_net)
check.instance(_result, tuple, tr("heal_and_measure 的返回值", "what heal_and_measure returns"))
_seconds, _who = _result
check.true(_net.converged(), tr("恢复连接后，函数返回时网络应已一致", "the network has converged when your function returns"))
check.equal(_who, ["alpha", "beta"], tr("甲乙一侧（1 块）输给丙丁一侧（2 块）：重组的节点",
                                        "alpha+beta (1 block) lose to gamma+delta (2 blocks): who reorganised"),
            hint=tr("去重并排序：sorted({...})", "no repeats, sorted: sorted({...})"))
check.true(0 < _seconds <= 2 and _seconds == round(_seconds, 1), tr(
    f"达成一致所用的秒数：消息延迟 0.05–0.2 秒，应在 0 到 2 秒之间并四舍五入到 0.1 秒，实际是 {_seconds!r}"
    "（是一次 run_for 了整个 limit，还是每次 0.1 秒并及时停下？）",
    f"seconds to agree: with 0.05-0.2 s message delays, between 0 and 2, rounded to 0.1 s; found {_seconds!r} "
    "(did you run_for the whole limit at once, rather than 0.1 s at a time, stopping when converged?)"))
cut_again(_net, 2, 0)
check.equal(heal_and_measure(_net)[1], [], tr(
    "第二次分区：甲乙挖出 2 块、丙丁 0 块；丙丁只是接上新区块，没有人重组",
    "a second cut: alpha+beta mine 2, gamma+delta none; gamma and delta just extend, nobody reorganises"),
    hint=tr("只算 heal 之后的日志：先记下 len(net.log)", "count only the log after the heal: note len(net.log) first"))


def stop_after(net, limit):
    """Make `net` fail the test, rather than run for ever, once time passes `limit` + 1 s."""
    start, run = net.elapsed, net.run_for

    def run_for(seconds):
        if net.elapsed - start > limit + 1:
            check.fail(tr(f"heal 之后已运行超过 {limit + 1} 秒仍未停下：满 limit 秒就要放弃",
                          f"still running more than {limit + 1} s after the heal: give up after limit seconds"))
        run(seconds)
    net.run_for = run_for


_net = cut_network(3, 2, 2)
stop_after(_net, 2)
_seconds, _who = heal_and_measure(_net, limit=2)
check.true(2 <= _seconds <= 2.1 and _who == [], tr(
    f"两边各 2 块（工作量相同），limit=2：应在约 2 秒后放弃且无人重组，实际是 {(_seconds, _who)!r}",
    f"2 blocks on each side (equal work), limit=2: give up after about 2 s with nobody reorganised; found "
    f"{(_seconds, _who)!r}"))
check.passed(tr("练习 4 的公开测试通过", "Exercise 4 visible tests pass"))

# %% nbgrader={"grade_id": "ex4_hidden", "grade": true, "points": 3}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe


class _ScriptedNetwork:
    """A stand-in network: reorgs of `old` in its log before the heal, then of `new` in the heal; it
    agrees after `steps` steps of 0.1 s."""

    def __init__(self, start, old, new, steps):
        self.log = [NetEvent(start / 2, "reorg", name, "", "old") for name in old]
        self.elapsed, self.new, self.steps, self.healed = start, new, steps, False

    def heal(self):
        self.healed = True
        self.log += [NetEvent(self.elapsed + 0.05, "reorg", name, "", "new") for name in self.new]

    def converged(self):
        return self.healed and self.steps <= 0

    def run_for(self, seconds):
        self.elapsed, self.steps = self.elapsed + seconds, self.steps - 1


def _plain(result):
    """What heal_and_measure returned, with a float as ["float", repr] (the channel carries no floats)."""
    if type(result) is tuple and len(result) == 2 and isinstance(result[0], float):
        return ["float", repr(float(result[0]))], result[1]
    return result


def _heal_cuts(seed, cuts, limit):
    """Cut, mine, heal and measure once per cut; after each: what came back, and whether the nodes agree."""
    found, net = [], None
    for left, right in cuts:
        if net is None:
            net = cut_network(seed, left, right)
        else:
            cut_again(net, left, right)
        start, run = net.elapsed, net.run_for

        def bounded(seconds, net=net, start=start, run=run):
            if net.elapsed - start > limit + 1:
                raise RuntimeError(f"still running {limit + 1} s after the heal (limit={limit})")
            run(seconds)
        net.run_for = bounded
        found.append([_plain(heal_and_measure(net, limit)), net.converged()])
        net.run_for = run
    return found


Probe().each("ex4_hidden", lambda case: _plain(heal_and_measure(_ScriptedNetwork(float(case[1]), *case[2:])))
             if case[0] == "script" else _heal_cuts(*case[1:]))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 你实现了什么
#
# 分叉选择和重组是中本聪共识的核心：节点从不投票，每个节点各自跟随它所知道的最重的有效分支；
# 只要区块重新流通，网络就会达成一致。把你的代码和 `minichain/chain.py` 中的 `Chain.add_block`、`Chain._reorganise`
# 比较一下：它们还会用撤销记录回滚账户状态，而且一旦新分支中的某个区块无效，会把整个切换撤回。
# %% [markdown] lang="en"
# ## What you built
#
# Fork choice and reorganisation are the heart of Nakamoto consensus: nodes never vote, they each
# follow the heaviest valid branch they know, and the network converges as soon as blocks flow
# again. Compare your code with `Chain.add_block` and `Chain._reorganise` in `minichain/chain.py`,
# which also roll the account state back with undo records, and undo the whole switch if any block of
# the new branch turns out to be invalid.
