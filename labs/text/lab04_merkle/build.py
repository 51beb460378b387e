# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   minichain:
#     lab: lab04_merkle
#     notebook: build
#     title:
#       zh-CN: 实验四 · 默克尔树（动手实现）
#       en: Lab 4 · Merkle trees (build)
# ---

# %% [markdown] lang="zh-CN"
# # 实验四 · 默克尔树：动手实现
#
# *企业工程师课程。* 你将按 minichain 的方式（RFC 6962）计算默克尔根，生成包含证明，
# 写出轻客户端的核验函数，最后利用比特币的重复叶子规则（CVE-2012-2459）造出一个“同根不同内容”的区块，
# 看清 minichain 为什么不用这条规则。你的函数由 minichain 本身来评判。
#
# 规则（RFC 6962 / RFC 9162）：
#
# * 叶子的哈希是 `H(b"\x00" + 数据)`；中间节点的哈希是 `H(b"\x01" + 左 + 右)`；
# * 逐层从左到右两两配对；某层是单数时，最后一个哈希**原样**升到上一层；
# * 空列表的根是 `H(b"")`。
# %% [markdown] lang="en"
# # Lab 4 · Merkle trees: build it
#
# *Enterprise track.* You will compute a Merkle root exactly as minichain does (RFC 6962), produce an
# inclusion proof, write the light client's check, and exploit Bitcoin's duplicate-leaf rule
# (CVE-2012-2459) to build a block with the same root and different contents, which shows why
# minichain does not use that rule. Your functions are judged by minichain itself.
#
# The rules (RFC 6962 / RFC 9162):
#
# * a leaf's hash is `H(b"\x00" + item)`; an inner node's hash is `H(b"\x01" + left + right)`;
# * level by level, hashes are paired left to right; an odd last hash moves up **unchanged**;
# * the root of an empty list is `H(b"")`.
# %% [markdown] lang="zh-CN"
# **使用方法**
#
# 每个练习是一个函数，注释里按步骤编好了号。把 `# 在这里写你的代码` 和 `raise NotImplementedError()`
# 换成你的代码，运行该单元格，再运行下面的测试单元格。测试失败时会说明**检查了什么、应当是什么、实际得到了什么**；
# 测试把你的函数的结果交给真正的 `minichain` 校验器，所以失败信息里会带上节点拒绝时的规则编号（方括号中），
# 例如 `[block-merkle-root]`。交卷评分时还会运行更多测试：请把函数写对，而不只是让眼前的例子通过。
# %% [markdown] lang="en"
# **How this notebook works**
#
# Each exercise is a function with its steps numbered in comments. Replace `# YOUR CODE HERE` and
# `raise NotImplementedError()` with your code, run the cell, then run the test cell below it. A
# failing test says **what it checked, what it expected and what it found**; the tests hand what your
# function produces to the real `minichain` validators, so a failure carries the rule id a node would
# give, in brackets, e.g. `[block-merkle-root]`. More tests run when your lab is graded: make your
# function right, not just the visible example.
# %% nbgrader={"grade_id": "setup", "locked": true}
# zh: 准备工作（只读）：minichain、一个有 6 笔付款的区块，以及评判函数。
# en: Set-up (read-only): the library, a block of 6 payments, and the judges.
import dataclasses

from labkit import tr
from labkit.checks import Checks
from minichain import (
    Block,
    MerkleProof,
    MinichainError,
    leaf_hash,
    merkle_root,
    node_hash,
    prove,
    sha256,
    sm3,
    testing,
    validate_body,
    verify_proof,
)

check = Checks(tr("zh-CN", "en"))
# zh: 第 1 号区块有 6 笔付款，在每台机器上都一样
# en: block #1 holds 6 payments, the same on every machine
chain = testing.make_chain(1, transfers_per_block=6)
block, suite = chain.block_at(1), chain.suite


def minichain_says(rule_check, *args):
    """Run one of minichain's checks: None if it passes, else '[rule] message'."""
    try:
        rule_check(*args)
    except MinichainError as error:
        return f"[{error.rule}] {error}"
    return None


def block_with_root(block, root):
    """The same block, its header claiming `root` as its Merkle root."""
    return Block(dataclasses.replace(block.header, merkle_root=root), block.transactions)


def hexes(hashes):
    """A list of hashes as short hex strings, for messages."""
    return [h.hex()[:12] if isinstance(h, bytes) else repr(h) for h in hashes]


def bitcoin_root(items, hash_fn=sha256):
    """Bitcoin's rule, for comparison: pair hashes level by level; an odd last one is paired with a
    COPY of itself. (minichain promotes it unchanged instead, as RFC 6962 does.)"""
    level = list(items)
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])  # the copy behind CVE-2012-2459
        level = [hash_fn(level[i] + level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]


# %% [markdown] lang="zh-CN"
# ## 练习 1：默克尔根
#
# `hash_fn` 接收字节串、返回 32 字节（这里默认是 `sha256`，国密链上是 `sm3`）。
# 请按上面的三条规则写出 `merkle_root_of(items, hash_fn)`。

# %% [markdown] lang="en"
# ## Exercise 1: the Merkle root
#
# `hash_fn` takes bytes and returns 32 bytes (`sha256` by default, `sm3` on a national-crypto chain).
# Write `merkle_root_of(items, hash_fn)` by the three rules above.

# %% nbgrader={"grade_id": "ex1_root", "solution": true}
def merkle_root_of(items, hash_fn=sha256) -> bytes:
    """RFC 6962 Merkle root of a list of byte strings."""
    # zh: 1. 没有数据：返回 hash_fn(b"")
    # zh: 2. level = 每项数据的叶子哈希 hash_fn(b"\x00" + item)
    # zh: 3. 只要多于一个哈希：把 level[0]+level[1]、level[2]+level[3]……合并成 hash_fn(b"\x01" + 左 + 右)；
    # zh:    单数的最后一个哈希原样放进上一层
    # zh: 4. 返回剩下的那一个哈希
    # en: 1. no items: return hash_fn(b"")
    # en: 2. level = the leaf hash hash_fn(b"\x00" + item) of each item
    # en: 3. while more than one hash: pair level[0]+level[1], level[2]+level[3], ... into
    # en:    hash_fn(b"\x01" + left + right); an odd last hash goes up unchanged
    # en: 4. return the single hash left
    ### BEGIN SOLUTION
    if not items:
        return hash_fn(b"")
    level = [hash_fn(b"\x00" + item) for item in items]
    while len(level) > 1:
        paired = [hash_fn(b"\x01" + level[i] + level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex1_visible", "grade": true, "points": 0}
def _root_check(items, what, hint="", hash_fn=sha256):
    found, expected = merkle_root_of(items, hash_fn), merkle_root(items, hash_fn)
    check.instance(found, bytes, tr(f"{what}：merkle_root_of 的返回值", f"{what}: what merkle_root_of returns"))
    check.equal(found.hex(), expected.hex(), what, hint=hint)


_a, _b, _c = (leaf_hash(x) for x in (b"a", b"b", b"c"))
_root_check([], tr("空列表的根", "the root of an empty list"),
            hint=tr('没有数据时，根是 hash_fn(b"")', 'with no items the root is hash_fn(b"")'))
_root_check([b"a"], tr("只有一项数据时的根（就是它的叶子哈希）", "the root of one item (its leaf hash)"),
            hint=tr(r'叶子的哈希是 hash_fn(b"\x00" + item)：前缀 0x00 加上了吗？',
                    r'a leaf is hash_fn(b"\x00" + item): is the 0x00 prefix there?'))
_root_check([b"a", b"b"], tr("两项数据的根", "the root of two items"),
            hint=tr(r'中间节点是 hash_fn(b"\x01" + 左 + 右)：前缀 0x01 加上了吗？左右顺序对吗？',
                    r'an inner node is hash_fn(b"\x01" + left + right): is the 0x01 prefix there, left first?'))
_copied = node_hash(node_hash(_a, _b), node_hash(_c, _c))
_root_check([b"a", b"b", b"c"], tr("三项数据的根", "the root of three items"),
            hint=tr("单数的最后一个哈希要原样升到上一层；你把它和自己的副本配对了（那是比特币的规则）",
                    "an odd last hash moves up unchanged; you paired it with a copy of itself (Bitcoin's rule)")
            if merkle_root_of([b"a", b"b", b"c"]) == _copied else
            tr("单数的最后一个哈希原样升到上一层", "an odd last hash moves up unchanged"))
_root_check([b"a", b"b", b"c"], tr("三项数据用 SM3 算出的根", "the root of three items with SM3"),
            hint=tr("每一次都用参数 hash_fn 求哈希，不要直接写 sha256", "hash with the hash_fn argument every time, not sha256"),
            hash_fn=sm3)
_ids = [tx.txid for tx in block.transactions]
check.accepted(minichain_says(validate_body, block_with_root(block, merkle_root_of(_ids, suite.hash)),
                              chain.genesis),
               tr("区块头写上你算出的第 1 号区块（6 笔交易）的根", "a header carrying your root of block #1 (6 transactions)"))
check.passed(tr("练习 1 的公开测试通过", "Exercise 1 visible tests pass"))

# %% nbgrader={"grade_id": "ex1_hidden", "grade": true, "points": 5}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe

Probe().each("ex1_hidden", lambda case: merkle_root_of(case[0], sm3 if case[1] == "sm3" else sha256))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 2：包含证明
#
# 第 `index` 项数据的证明，是从它往上走时遇到的**兄弟哈希**列表，从下往上排：
# 在每一层，取与当前哈希配对的那个（位置 `position ^ 1`），如果它存在的话。
# 当前哈希是单数层的最后一个时，它在这一层没有兄弟：什么也不加。

# %% [markdown] lang="en"
# ## Exercise 2: an inclusion proof
#
# The proof for the item at `index` is the list of **sibling hashes** met on the way up, bottom first:
# at each level, the hash paired with the current one (at `position ^ 1`), if there is one. When the
# current hash is the odd last one, it has no sibling at that level: add nothing.

# %% nbgrader={"grade_id": "ex2_proof", "solution": true}
def make_proof(items, index, hash_fn=sha256) -> list:
    """Sibling hashes, bottom-up, proving items[index] is under merkle_root(items)."""
    # zh: 1. level = 叶子哈希（同练习 1）；position = index；siblings = []
    # zh: 2. 当 len(level) > 1 时：
    # zh:      sibling = position ^ 1；如果 sibling < len(level)：siblings.append(level[sibling])
    # zh:      level = 上一层（同练习 1）；position = position // 2
    # zh: 3. 返回 siblings
    # en: 1. level = the leaf hashes (as in exercise 1); position = index; siblings = []
    # en: 2. while len(level) > 1:
    # en:      sibling = position ^ 1; if sibling < len(level): siblings.append(level[sibling])
    # en:      level = the next level up (as in exercise 1); position = position // 2
    # en: 3. return siblings
    ### BEGIN SOLUTION
    level = [hash_fn(b"\x00" + item) for item in items]
    position, siblings = index, []
    while len(level) > 1:
        if position ^ 1 < len(level):
            siblings.append(level[position ^ 1])
        paired = [hash_fn(b"\x01" + level[i] + level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level, position = paired, position // 2
    return siblings
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex2_visible", "grade": true, "points": 0}
def _proof_check(items, index, what, hash_fn=sha256):
    found = list(make_proof(items, index, hash_fn))
    expected = list(prove(items, index, hash_fn).siblings)
    if found == expected[::-1] and len(found) > 1:
        hint = tr("顺序反了：从叶子那一层开始，自下而上", "the order is reversed: start at the leaf's level, bottom up")
    elif len(found) > len(expected):
        hint = tr("多了哈希：原样升上去的那一层没有兄弟，什么也不加；证明里也不含叶子自己",
                  "too many hashes: a level where the hash moves up unchanged adds nothing; the proof never holds the leaf itself")
    else:
        hint = tr("每一层取位置 position ^ 1 上的兄弟，然后 position //= 2",
                  "at each level take the sibling at position ^ 1, then position //= 2")
    check.equal(hexes(found), hexes(expected), what, hint=hint)
    check.true(verify_proof(items[index], MerkleProof(index, len(items), tuple(found)), merkle_root(items, hash_fn),
                            hash_fn), tr(f"{what}：minichain 的轻客户端不接受你的证明", f"{what}: minichain's light client "
                                         "rejects your proof"))


_items = [f"payment {i}".encode() for i in range(6)]
_proof_check(_items, 2, tr("6 项中第 2 项的证明（minichain.merkle.prove 给出的兄弟哈希）",
                           "the proof of item 2 of 6 (the siblings minichain.merkle.prove gives)"))
_proof_check(_items[:5], 4, tr("5 项中最后一项（第 4 项）的证明：它两次原样升层",
                               "the proof of the last of 5 items (item 4): it moves up unchanged twice"))
check.passed(tr("练习 2 的公开测试通过", "Exercise 2 visible tests pass"))

# %% nbgrader={"grade_id": "ex2_hidden", "grade": true, "points": 5}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe

Probe().each("ex2_hidden", lambda case: make_proof(case[0], case[1], sm3 if case[2] == "sm3" else sha256))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 3：轻客户端的核验
#
# 给定一项数据、它的位置 `index`、树中数据的总数 `count`、兄弟哈希列表和一个根，重新算出根。
# 用 `index` 和 `last = count - 1`（当前层最后一个哈希的位置）往上走：
#
# * 如果 `index` 是奇数，兄弟在**左边**：`node = H(0x01 + 兄弟 + node)`；
# * 否则如果 `index < last`，兄弟在**右边**：`node = H(0x01 + node + 兄弟)`；
# * 否则（`index == last` 且为偶数）节点原样升层，**不用兄弟**；
# * 然后 `index //= 2`，`last //= 2`，直到 `last == 0`。
#
# 只有每个兄弟哈希都恰好用了一次、而且结果等于根时，才返回 `True`。
# 任何不合格式的输入都返回 `False`（绝不抛出异常）：`index` 不在 `0 … count-1` 之内，兄弟哈希太少或太多。

# %% [markdown] lang="en"
# ## Exercise 3: the light client's check
#
# Given an item, its index, the number of items in the tree, the sibling hashes and a root, recompute
# the root. Walk up with `index` and `last = count - 1` (the index of the last hash on the current
# level):
#
# * if `index` is odd, the sibling is on the **left**: `node = H(0x01 + sibling + node)`;
# * else if `index < last`, the sibling is on the **right**: `node = H(0x01 + node + sibling)`;
# * else (`index == last`, even) the node moves up unchanged and **uses no sibling**;
# * then `index //= 2`, `last //= 2`, until `last == 0`.
#
# Return `True` only if every sibling was used exactly once and the result equals the root. Return
# `False` (never raise) for anything malformed: an index outside `0 … count-1`, too few or too many
# siblings.

# %% nbgrader={"grade_id": "ex3_verify", "solution": true}
def verify_inclusion(item, index, count, siblings, root, hash_fn=sha256) -> bool:
    """True only if `siblings` prove `item` is leaf `index` of a `count`-leaf tree with this root."""
    # zh: 1. index 不在 0 … count-1 之内：返回 False
    # zh: 2. node = hash_fn(b"\x00" + item)；last = count - 1；remaining = list(siblings)
    # zh: 3. 当 last > 0：index 为奇数 → 兄弟在左；index < last → 兄弟在右；否则原样升层（不用兄弟）。
    # zh:    兄弟哈希不够用 → 返回 False。然后 index //= 2，last //= 2
    # zh: 4. 只有兄弟哈希全部用完、且 node == root 时才返回 True
    # en: 1. an index outside 0 … count-1: return False
    # en: 2. node = hash_fn(b"\x00" + item); last = count - 1; remaining = list(siblings)
    # en: 3. while last > 0: odd index → sibling on the left; index < last → on the right;
    # en:    otherwise it moves up unchanged (no sibling). Run out of siblings → return False.
    # en:    Then index //= 2, last //= 2
    # en: 4. return True only if no sibling remains and node == root
    ### BEGIN SOLUTION
    if not 0 <= index < count:
        return False
    node, last, remaining = hash_fn(b"\x00" + item), count - 1, list(siblings)
    while last > 0:
        if index % 2 == 1 or index < last:
            if not remaining:
                return False
            sibling = remaining.pop(0)
            pair = sibling + node if index % 2 else node + sibling
            node = hash_fn(b"\x01" + pair)
        index, last = index // 2, last // 2
    return not remaining and node == root
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex3_visible", "grade": true, "points": 0}
def _judge_inclusion(what, item, index, count, siblings, root, hint=""):
    """Your verdict must be minichain's light client's (minichain.merkle.verify_proof), and a bool."""
    expected = verify_proof(item, MerkleProof(index, count, tuple(siblings)), root)
    try:
        found = verify_inclusion(item, index, count, list(siblings), root)
    except Exception as error:  # any exception is the mistake being reported
        check.fail(tr(f"{what}：应返回 {expected}，却抛出了 {type(error).__name__}: {error}\n"
                      "不合格式的证明也只返回 False，绝不抛出异常",
                      f"{what}: expected {expected}, but {type(error).__name__} was raised: {error}\n"
                      "a malformed proof returns False; it never raises"))
    check.equal(found, expected, what, hint=hint)


_items = [f"payment {i}".encode() for i in range(6)]
_root = merkle_root(_items)
_honest = list(prove(_items, 4).siblings)
_judge_inclusion(tr("6 项中第 4 项的真实证明", "the honest proof of item 4 of 6"), _items[4], 4, 6, _honest, _root,
                 hint=tr("index 为奇数：兄弟在左；index < last：兄弟在右；index == last 且为偶数：原样升层、不用兄弟。"
                         "返回 True 或 False",
                         "odd index: sibling on the left; index < last: on the right; index == last and even: up "
                         "unchanged, no sibling. Return True or False"))
_judge_inclusion(tr("把数据换成 payment 400、证明不变", "item changed to payment 400, same proof"),
                 b"payment 400", 4, 6, _honest, _root)
_five = _items[:5]
_judge_inclusion(tr("5 项中最后一项（第 4 项）的真实证明：只有 1 个兄弟", "the honest proof of the last of 5 items "
                    "(item 4): 1 sibling only"), _five[4], 4, 5, list(prove(_five, 4).siblings), merkle_root(_five),
                 hint=tr("index == last 且为偶数时，节点原样升层，不用兄弟哈希",
                         "when index == last and even, the node moves up unchanged and uses no sibling"))
_judge_inclusion(tr("真实证明后面多加了一个哈希", "the honest proof with one hash too many"),
                 _items[4], 4, 6, [*_honest, sha256(b"extra")], _root,
                 hint=tr("每个兄弟哈希必须恰好用一次：最后还剩下哈希，就返回 False",
                         "every sibling must be used exactly once: any left over means False"))
_judge_inclusion(tr("真实证明少了最后一个哈希", "the honest proof without its last hash"),
                 _items[4], 4, 6, _honest[:-1], _root,
                 hint=tr("兄弟哈希不够用时返回 False", "when the siblings run out, return False"))
_judge_inclusion(tr("位置超出范围（6 项中的第 6 项）", "an index past the end (item 6 of 6)"), _items[4], 6, 6, _honest,
                 _root, hint=tr("index 不在 0 … count-1 之内时返回 False", "an index outside 0 … count-1 gives False"))
_judge_inclusion(tr("只有一项数据的树，位置写成 -1", "a one-item tree, index -1"), _items[0], -1, 1, [],
                 merkle_root(_items[:1]),
                 hint=tr("负的位置也不在 0 … count-1 之内：返回 False", "a negative index is outside 0 … count-1 too: False"))
check.passed(tr("练习 3 的公开测试通过", "Exercise 3 visible tests pass"))

# %% nbgrader={"grade_id": "ex3_hidden", "grade": true, "points": 6}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe

Probe().each("ex3_hidden", lambda case: verify_inclusion(*case[:5], sm3 if case[5] == "sm3" else sha256))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 4：重复叶子的陷阱
#
# 准备单元格里的 `bitcoin_root` 会复制每层单数的最后一个哈希。请写出 `duplicate_leaf_attack(items)`：
# 返回一个**不同的**列表，它的 `bitcoin_root` 却与原列表**相同**。
#
# 在叶子这一层，单数个数据会重复最后一项来补齐，所以把最后一项再加一次，根不会变。一般地，
# 找出个数为单数的最低一层：第 `k` 层的每个哈希覆盖 `2**k` 项数据，于是把最后 `2**k` 项再抄一遍
# （例如 6 项数据：第 1 层有 3 个哈希，是单数，于是重复最后 2 项）。输入的个数不是 2 的幂。

# %% [markdown] lang="en"
# ## Exercise 4: the duplicate-leaf trap
#
# `bitcoin_root` (in the set-up cell) copies the odd last hash of a level. Write
# `duplicate_leaf_attack(items)`: a **different** list with the **same** `bitcoin_root`.
#
# At the leaf level an odd count is padded by repeating the last item, so appending it once more
# changes nothing. In general, find the lowest level whose count is odd: at level `k` each hash covers
# `2**k` items, so repeat the last `2**k` items (for 6 items, level 1 has 3 hashes, an odd number:
# repeat the last 2 items). The number of items is never a power of two.

# %% nbgrader={"grade_id": "ex4_attack", "solution": true}
def duplicate_leaf_attack(items) -> list:
    """A different list with the same bitcoin_root (len(items) is not a power of two)."""
    # zh: 1. width = 1（一个哈希覆盖的数据项数），count = len(items)
    # zh: 2. 当 count 为偶数：width *= 2，count //= 2
    # zh: 3. 返回 items + items[-width:]
    # en: 1. width = 1 (items covered by one hash), count = len(items)
    # en: 2. while count is even: width *= 2, count //= 2
    # en: 3. return items + items[-width:]
    ### BEGIN SOLUTION
    width, count = 1, len(items)
    while count % 2 == 0:
        width, count = width * 2, count // 2
    return list(items) + list(items[-width:])
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex4_visible", "grade": true, "points": 0}
def _attack_check(items, what, hint=""):
    forged = list(duplicate_leaf_attack(items))
    check.true(forged != list(items), tr(f"{what}：返回的列表必须与原列表不同", f"{what}: the list must differ"))
    check.equal(bitcoin_root(forged).hex(), bitcoin_root(items).hex(),
                tr(f"{what}：比特币规则下的根", f"{what}: the root under Bitcoin's rule"), hint=hint)
    check.true(merkle_root(forged) != merkle_root(items),
               tr(f"{what}：minichain 的根应当改变", f"{what}: minichain's root should change"))


_attack_check([b"a", b"b", b"c"], tr("[a, b, c]", "[a, b, c]"),
              hint=tr("3 项数据：叶子层是单数，把最后一项再加一次", "3 items: the leaf level is odd, append the last item once more"))
_attack_check([f"tx {i}".encode() for i in range(6)], tr("6 项数据", "6 items"),
              hint=tr("6 项数据：叶子层是双数，第 1 层有 3 个哈希（单数），要重复最后 2 项",
                      "6 items: the leaf level is even, level 1 has 3 hashes (odd): repeat the last 2 items"))
check.passed(tr("练习 4 的公开测试通过", "Exercise 4 visible tests pass"))

# %% nbgrader={"grade_id": "ex4_hidden", "grade": true, "points": 5}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe

Probe().each("ex4_hidden", duplicate_leaf_attack)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 你实现了什么
#
# 你的四个函数就是 `minichain/merkle.py` 里的 `merkle_root`、`prove`、`verify_proof`，
# 以及比特币那条规则的反例。对照读一读：minichain 在 `verify_proof` 里先用 `prove_shape` 算出证明应有的长度，
# 长度不符就直接拒绝；节点在 `validate_body` 里核对默克尔根，所以按你的攻击“塞了重复交易”的区块会因规则
# `[block-merkle-root]` 被拒绝，而真正的区块头不受牵连。

# %% [markdown] lang="en"
# ## What you built
#
# Your four functions are `merkle_root`, `prove` and `verify_proof` in `minichain/merkle.py`, and the
# counterexample to Bitcoin's rule. Read them side by side: minichain's `verify_proof` first works out
# the length a proof must have (`prove_shape`) and refuses any other; a node checks the Merkle root in
# `validate_body`, so a block stuffed with repeated transactions as your attack does is refused with
# `[block-merkle-root]`, while the real header stays untouched.
