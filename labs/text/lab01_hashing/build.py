# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   minichain:
#     lab: lab01_hashing
#     notebook: build
#     title:
#       zh-CN: 实验一 · 哈希（动手实现）
#       en: Lab 1 · Hashing (build)
# ---

# %% [markdown] lang="zh-CN"
# # 实验一 · 哈希：动手实现
#
# *企业工程师课程。* 你将实现区块链节点中与哈希有关的三个小部件：统计雪崩效应改变了多少位；
# 按 minichain 的方式逐字节计算交易 ID（SHA-256 链和 SM3 链都要支持）；检查一串区块里有没有被伪造的区块。
# 你的函数由 minichain 本身来评判。
# %% [markdown] lang="en"
# # Lab 1 · Hashing: build it
#
# *Enterprise track.* You will write three small pieces of a blockchain node's hashing: counting the
# avalanche, computing a transaction id exactly as minichain does (for both SHA-256 and SM3 chains),
# and checking a chain of blocks for a forgery. Your functions are judged by minichain itself.
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
# zh: 准备工作（只读）：minichain、一条固定种子的测试链，以及评判函数。
# en: Set-up (read-only): the library, a seeded test chain, and the judges.
import dataclasses
import hashlib
import json

from labkit import tr
from labkit.checks import Checks
from minichain import Block, Chain, MinichainError, get_suite, sm3, testing, transactions_root
from minichain.viz import avalanche

check = Checks(tr("zh-CN", "en"))
# zh: 第 0–5 号区块，在每台机器上都一样
# en: blocks #0-#5, the same on every machine
chain = testing.make_chain(5, transfers_per_block=1)
genesis, suite = chain.genesis, chain.suite
honest = list(chain.main_chain())
alice, bob = testing.make_wallet(0), testing.make_wallet(1)


def minichain_verdict(blocks):
    """Feed blocks[1:] to a fresh node of this chain: (index, rule, message) of the first block it
    refuses, or None if it accepts them all."""
    node = Chain(genesis)
    for index, block in enumerate(blocks[1:], start=1):
        try:
            node.add_block(block)
        except MinichainError as error:
            return index, error.rule, str(error)
    return None


def edited_payment(blocks, index, fix_root=False):
    """A forgery: block `index` pays 1000 more (if asked, its header's Merkle root follows)."""
    blocks = list(blocks)
    block = blocks[index]
    forged = dataclasses.replace(block.transactions[0], amount=block.transactions[0].amount + 1000)
    header = block.header
    if fix_root:
        header = dataclasses.replace(header, merkle_root=transactions_root((forged,), suite))
    blocks[index] = Block(header, (forged,))
    return blocks


# %% [markdown] lang="zh-CN"
# ## 练习 1：统计雪崩效应
#
# 两个摘要在若干个**位**（bit）上不同。请为两个长度相同的字节串写出 `count_changed_bits(a, b)`。
# `x ^ y` 的结果中，恰好在 `x` 与 `y` 不同的位上为 1。注意：要数的是**位**，不是字节。

# %% [markdown] lang="en"
# ## Exercise 1: count the avalanche
#
# Two digests differ in some number of **bits**. Write `count_changed_bits(a, b)` for two byte strings
# of the same length. A bit is set in `x ^ y` exactly where `x` and `y` differ. Count **bits**, not bytes.

# %% nbgrader={"grade_id": "ex1_count_changed_bits", "solution": true}
def count_changed_bits(a: bytes, b: bytes) -> int:
    """Number of bit positions where a and b differ (a and b have the same length)."""
    # zh: 1. 同时遍历两个字节串：zip(a, b) 给出一对对 0–255 的整数
    # zh: 2. 对每一对做异或：x ^ y 在 x 与 y 不同的位上为 1
    # zh: 3. 数出每个异或结果中 1 的个数：int.bit_count() 或 bin(n).count("1")
    # zh: 4. 返回总数
    # en: 1. walk both byte strings together: zip(a, b) gives pairs of ints 0-255
    # en: 2. XOR each pair: x ^ y has a 1 bit wherever x and y differ
    # en: 3. count the 1 bits of each XOR: int.bit_count() or bin(n).count("1")
    # en: 4. return the total
    ### BEGIN SOLUTION
    return sum((x ^ y).bit_count() for x, y in zip(a, b, strict=True))
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex1_visible", "grade": true, "points": 0}
check.equal(count_changed_bits(b"same", b"same"), 0, tr("相同的字节串", "two equal byte strings"))
check.equal(count_changed_bits(b"\x00", b"\xff"), 8, tr("0x00 与 0xff 相差的位数", "bits between 0x00 and 0xff"),
            hint=tr("一个字节有 8 位：你数的是不是字节？", "a byte has 8 bits: are you counting bytes?"))
check.equal(count_changed_bits(b"\x01\x00", b"\x00\x01"), 2,
            tr("0x0100 与 0x0001 相差的位数", "bits between 0x0100 and 0x0001"))
_a, _b = hashlib.sha256(b"100").digest(), hashlib.sha256(b"101").digest()
check.equal(count_changed_bits(_a, _b), avalanche(_a, _b).changed,
            tr("SHA-256(100) 与 SHA-256(101) 相差的位数（minichain.viz 数出的值）",
               "bits between SHA-256(100) and SHA-256(101), as minichain.viz counts them"))
check.passed(tr("练习 1 的公开测试通过", "Exercise 1 visible tests pass"))

# %% nbgrader={"grade_id": "ex1_hidden", "grade": true, "points": 3}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe

Probe().each("ex1_hidden", lambda pair: count_changed_bits(*pair))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 2：逐字节算出交易 ID
#
# 两个节点只有对**完全相同的字节**做哈希，才会得到相同的哈希值。minichain 把每个对象写成**规范化 JSON**
# （键排序、没有空格、UTF-8 编码、只用整数），并在前面加上一个**域标签**，使交易的字节永远不会被误认为区块头的字节。
# 交易 ID（`txid`）是链的哈希函数作用在下面这些字节上的结果：
#
#     b"minichain/tx" + b"\x00" + 未签名字段的规范化 JSON + 签名字节
#
# 哈希函数由链决定：`sha256-…` 套件用 SHA-256，`sm3-sm2` 用 SM3。`tx.unsigned_fields()` 以字典形式给出这些字段
# （键和值都可以直接写成 JSON）。注意备注（memo）里可能有中文。

# %% [markdown] lang="en"
# ## Exercise 2: a transaction's id, byte for byte
#
# Two nodes agree on a hash only if they hash **the same bytes**. minichain writes every object as
# *canonical JSON* (keys sorted, no spaces, UTF-8, integers only), prefixed by a *domain tag* so that a
# transaction's bytes can never be mistaken for a block header's. A transaction's id (`txid`) is the
# chain's hash of:
#
#     b"minichain/tx" + b"\x00" + canonical JSON of the unsigned fields + the signature bytes
#
# and the hash function is the chain's: SHA-256 for `sha256-…` suites, SM3 for `sm3-sm2`.
# `tx.unsigned_fields()` gives the fields as a dict (keys and values ready for JSON). Memos may hold
# Chinese text.

# %% nbgrader={"grade_id": "ex2_transaction_id", "solution": true}
def transaction_id(tx) -> bytes:
    """The 32-byte id of a signed minichain Transaction, computed from its fields."""
    # zh: 1. fields = tx.unsigned_fields()
    # zh: 2. 正文：json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)，再 .encode("utf-8")
    # zh: 3. 待哈希的字节 = b"minichain/tx\x00" + 正文 + tx.signature
    # zh: 4. 用套件的哈希函数：tx.suite 是 "sha256-ed25519"、"sha256-secp256k1" 或 "sm3-sm2"
    # zh:    （hashlib.sha256(...).digest() 或 sm3(...)）
    # en: 1. fields = tx.unsigned_fields()
    # en: 2. body: json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False), .encode("utf-8")
    # en: 3. signed bytes = b"minichain/tx\x00" + body + tx.signature
    # en: 4. hash them with the suite's function: tx.suite is "sha256-ed25519", "sha256-secp256k1" or
    # en:    "sm3-sm2" (hashlib.sha256(...).digest() or sm3(...))
    ### BEGIN SOLUTION
    body = json.dumps(tx.unsigned_fields(), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")
    signed = b"minichain/tx\x00" + body + tx.signature
    if tx.suite.startswith("sm3"):
        return sm3(signed)
    return hashlib.sha256(signed).digest()
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex2_visible", "grade": true, "points": 0}
_tx = alice.transfer(genesis.chain_id, bob.address, 25, nonce=0, fee=1)
_mine = transaction_id(_tx)
check.instance(_mine, bytes, tr("transaction_id 的返回值", "what transaction_id returns"))
check.equal(len(_mine), 32, tr("交易 ID 的字节数", "bytes in a transaction id"))
check.true(_mine == _tx.txid, tr(
    f"SHA-256 链上的交易 ID：应为 {_tx.txid.hex()[:16]}…，实际是 {_mine.hex()[:16]}…"
    "（键排序了吗？分隔符没有空格吗？域标签和签名都加上了吗？）",
    f"transaction id on a SHA-256 chain: expected {_tx.txid.hex()[:16]}…, found {_mine.hex()[:16]}… "
    "(keys sorted? separators without spaces? the domain tag and the signature included?)"))
_payer, _payee = testing.make_wallet(0, "sm3-sm2"), testing.make_wallet(1, "sm3-sm2")
_tx = _payer.transfer(testing.make_genesis(suite="sm3-sm2").chain_id, _payee.address, 7, nonce=0, memo="发票 7 号")
_mine = transaction_id(_tx)
check.true(_mine == _tx.txid, tr(
    f"SM3 链上、备注为中文的交易 ID：应为 {_tx.txid.hex()[:16]}…，实际是 {_mine.hex()[:16]}…"
    "（用的是 SM3 吗？ensure_ascii=False 了吗？）",
    f"transaction id on an SM3 chain with a Chinese memo: expected {_tx.txid.hex()[:16]}…, found "
    f"{_mine.hex()[:16]}… (SM3 used? ensure_ascii=False?)"))
check.passed(tr("练习 2 的公开测试通过", "Exercise 2 visible tests pass"))

# %% nbgrader={"grade_id": "ex2_hidden", "grade": true, "points": 5}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe

Probe().each("ex2_hidden", transaction_id)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 3：找出伪造的区块
#
# `blocks` 是一串区块，创世区块在最前面（下标 0，可信）。返回**第一个没有通过**下列任一检查的区块的下标；
# 如果每个区块都通过，返回 `None`：
#
# 1. **链接**：`block.header.parent_hash == blocks[i - 1].hash(suite)`；
# 2. **内容**：`transactions_root(block.transactions, suite) == block.header.merkle_root`；
# 3. **工作量**：把区块哈希当作一个数，`int.from_bytes(block.hash(suite), "big")`，它不大于 `block.header.seal.target`。
#
# 节点收到区块时也做同样（以及更多）的检查：测试会把你的答案和 minichain 拒绝的区块相比较，并显示它的规则编号。

# %% [markdown] lang="en"
# ## Exercise 3: find the forged block
#
# `blocks` is a list of blocks, genesis first (index 0, trusted). Return the **index of the first block
# that fails** one of these checks, or `None` if every block passes:
#
# 1. **link**: `block.header.parent_hash == blocks[i - 1].hash(suite)`;
# 2. **contents**: `transactions_root(block.transactions, suite) == block.header.merkle_root`;
# 3. **work**: the block hash read as a number, `int.from_bytes(block.hash(suite), "big")`, is at most
#    `block.header.seal.target`.
#
# A node does the same (and more) when a block arrives: the tests compare your answer with the block
# minichain refuses, and show its rule id.

# %% nbgrader={"grade_id": "ex3_first_bad_block", "solution": true}
def first_bad_block(blocks, suite):
    """First block index after genesis failing the link, contents or work check; else None."""
    # zh: 1. for i in range(1, len(blocks)): block = blocks[i]，header = block.header
    # zh: 2. 链接：header.parent_hash 必须等于 blocks[i - 1].hash(suite)
    # zh: 3. 内容：transactions_root(block.transactions, suite) 必须等于 header.merkle_root
    # zh: 4. 工作量：int.from_bytes(block.hash(suite), "big") 必须 <= header.seal.target
    # zh: 5. 第一次失败时返回 i；循环结束后返回 None
    # en: 1. for i in range(1, len(blocks)): block = blocks[i], header = block.header
    # en: 2. link: header.parent_hash must equal blocks[i - 1].hash(suite)
    # en: 3. contents: transactions_root(block.transactions, suite) must equal header.merkle_root
    # en: 4. work: int.from_bytes(block.hash(suite), "big") must be <= header.seal.target
    # en: 5. return i at the first failure; None after the loop
    ### BEGIN SOLUTION
    for i in range(1, len(blocks)):
        block, header = blocks[i], blocks[i].header
        if header.parent_hash != blocks[i - 1].hash(suite):
            return i
        if transactions_root(block.transactions, suite) != header.merkle_root:
            return i
        if int.from_bytes(block.hash(suite), "big") > header.seal.target:
            return i
    return None
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex3_visible", "grade": true, "points": 0}
def _compare(name, blocks):
    verdict = minichain_verdict(blocks)
    expected = None if verdict is None else verdict[0]
    reason = "" if verdict is None else tr(f"（minichain：[{verdict[1]}] {verdict[2]}）",
                                           f" (minichain: [{verdict[1]}] {verdict[2]})")
    check.equal(first_bad_block(blocks, suite), expected, name + reason)


_compare(tr("诚实的链", "the honest chain"), honest)
_compare(tr("第 3 号区块的付款被改", "block 3's payment edited"), edited_payment(honest, 3))
_compare(tr("第 2、3 号区块对调（链接断开）", "blocks 2 and 3 swapped (a broken link)"),
         [*honest[:2], honest[3], honest[2], *honest[4:]])
check.passed(tr("练习 3 的公开测试通过", "Exercise 3 visible tests pass"))

# %% nbgrader={"grade_id": "ex3_hidden", "grade": true, "points": 6}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe

Probe().each("ex3_hidden", lambda case: first_bad_block(case[0], get_suite(case[1])))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 三项检查漏掉的伪造
#
# 伪造者改了第 2 号区块，更新了它的默克尔根，**还重新完成了工作量证明**：第 2 号区块于是通过了全部三项检查，
# 你的函数会指向第 3 号区块（它的链接断了）。minichain 却直接拒绝第 2 号区块：它还要验证每一笔交易的**签名**
# （实验二），被改过的付款已经和付款人当初签名的内容不一致了。

# %% [markdown] lang="en"
# ## A forgery your three checks miss
#
# A forger who edits block 2, updates its Merkle root **and redoes its proof of work** makes block 2
# pass all three checks; your function then blames block 3, whose link broke. minichain refuses block 2
# itself: it also verifies every transaction's **signature** (lab 2), and the edited payment no longer
# matches what the payer signed.

# %%
_forged = edited_payment(honest, 2, fix_root=True)
_forged[2] = Block(chain.engine.mine(_forged[2].header).header, _forged[2].transactions)
print(tr("你的检查指向第", "your check blames block"), first_bad_block(_forged, suite), tr("号区块", ""))
index, rule, message = minichain_verdict(_forged)
print(tr(f"minichain 拒绝第 {index} 号区块：[{rule}] {message}", f"minichain refuses block {index}: [{rule}] {message}"))
