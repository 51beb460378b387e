# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   minichain:
#     lab: lab04_merkle
#     notebook: explore
#     title:
#       zh-CN: 实验四 · 默克尔树：在成千上万笔交易中证明一笔（探索）
#       en: Lab 4 · Merkle trees (explore)
# ---

# %% [markdown] lang="zh-CN"
# # 实验四 · 默克尔树：在成千上万笔交易中证明一笔
#
# *面向领导干部的课程：不需要编程，全部用鼠标点击完成。*
#
# 区块头很小，却要对区块里的**每一笔**交易作出承诺。它靠的是一个 32 字节的哈希值：**默克尔根**。
# 做法是把各笔交易的指纹两两配对、合并再求哈希，得到的结果再两两配对，一层一层往上，直到只剩一个根。
#
# 这样一来，**轻客户端**（手机钱包、审计人员的核查工具、另一个部门的业务系统）只保存区块头，
# 也能核实某一笔付款确实在某个区块里：它只需要一份由几个哈希组成的**包含证明**，不必下载整个区块。
#
# 本实验中，你将看到这棵树，数一数证明有多长，亲自扮演轻客户端，
# 再认识比特币默克尔树的一个著名漏洞（CVE-2012-2459），以及 minichain 是怎样避开它的。
# %% [markdown] lang="en"
# # Lab 4 · Merkle trees: proving one payment among thousands
#
# *Officials' track: no programming; everything is done with the mouse.*
#
# A block header is small, but it must commit to *every* transaction in the block. It does so with
# one 32-byte hash, the **Merkle root**: the transactions' fingerprints are paired and hashed, the
# results paired and hashed again, level by level, up to a single root.
#
# This lets a **light client** (a phone wallet, an auditor's tool, another ministry's system) that
# keeps only block headers check that one payment is in a block, with a short **inclusion proof** of a
# few hashes instead of the whole block.
#
# In this lab you will see the tree, count how long proofs are, play the light client, and meet a
# famous bug in Bitcoin's version of the tree (CVE-2012-2459) that minichain avoids.
# %% [markdown] lang="zh-CN"
# **使用方法**
#
# * 先点击菜单 **运行 → 运行所有单元格**（或工具栏上“重启内核并运行所有单元格”的按钮）。
# * 灰色面板里的滑块、下拉框和按钮都是“活”的：改动它们，下面的图会立即重画。
#   把鼠标停在图中的方框上，可以看到完整的哈希值。
# * **题目**的答案全部用点击给出：选择题点一个选项；数字题在框里填数字后点“确认答案”；
#   书面题在文本框里写几句话后点“保存回答”。每题下方会显示“✓ 已记录你的答案”。
# * 答案一经点击就已保存；最后按 **Ctrl+S** 保存笔记本再交卷。对错在交卷评分时才判定。
# %% [markdown] lang="en"
# **How this notebook works**
#
# * First click **Run → Run All Cells** in the menu (or the toolbar's "restart the kernel and run all
#   cells" button).
# * The grey panels with sliders, menus and buttons are live: change them and the pictures redraw.
#   Hover over a box in a picture to see its full hash.
# * Every **question** is answered by clicking: pick an option; or type a number and click
#   "Confirm answer"; or write a few sentences and click "Save answer". Each question then shows
#   "✓ Your answer is recorded".
# * An answer is kept the moment you click; at the end press **Ctrl+S** to save the notebook, then
#   hand it in. Whether an answer is right is decided when the lab is graded.
# %% nbgrader={"grade_id": "setup", "locked": true}
# zh: 准备工作：载入 minichain 及其绘图工具。
# en: Set-up: load minichain and its drawing tools.
import dataclasses
import html

import ipywidgets as widgets
from IPython.display import display

from labkit import tr
from labkit.ask import Sheet
from labkit.words import viz_words
from minichain import (
    Block,
    MinichainError,
    leaf_hash,
    merkle_root,
    node_hash,
    prove,
    prove_shape,
    sha256,
    testing,
    validate_body,
    verify_proof,
)
from minichain.viz import merkle_svg

sheet = Sheet("lab04_merkle", "explore", lang=tr("zh-CN", "en"))
words = viz_words(tr("zh-CN", "en"))


def bitcoin_root(items, hash_fn=sha256):
    """Bitcoin's rule, for comparison: pair hashes level by level; an odd last one is paired with a
    COPY of itself. (minichain promotes it unchanged instead, as RFC 6962 does.)"""
    level = list(items)
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])  # the copy behind CVE-2012-2459
        level = [hash_fn(level[i] + level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]


def verdict(ok, text):
    """A green tick or a red cross, in large type."""
    colour, mark = ("#2e7d32", "✔") if ok else ("#c62828", "✘")
    return f'<p style="font-size:1.15em;color:{colour}"><b>{mark} {html.escape(text)}</b></p>'


def scroll(picture):
    """A wide picture at its full size, in a box that scrolls sideways instead of shrinking it."""
    picture = picture.replace("max-width:100%", "max-width:none", 1)
    return f'<div style="overflow-x:auto; max-width:100%">{picture}</div>'


# %% [markdown] lang="zh-CN"
# ## 1. 默克尔树与包含证明
#
# 用第一个滑块选择区块里有几笔交易，用第二个滑块选择要证明哪一笔。
# **蓝色**的路径从这笔交易一直通到最上面的默克尔根；**橙色**方框就是**包含证明**：
# 除了这笔交易本身，轻客户端只需要这几个哈希，就能重新算出默克尔根。
# 注意：如果某一层的方框是单数，最后一个方框会**原样升到上一层**，在这一层没有配对的兄弟。
# 交易多时图会很宽，可以在图上左右滚动查看。

# %% [markdown] lang="en"
# ## 1. The tree and the proof
#
# Use the first slider to choose how many transactions the block holds, and the second to choose
# which one to prove. The **blue** path runs from that transaction up to the Merkle root at the top.
# The **orange** boxes are the **inclusion proof**: the only hashes a light client needs, besides the
# transaction itself, to recompute the root. Note: when a level has an odd number of boxes, the last
# one **moves up unchanged**; it has no partner on that level. With many transactions the picture is wide:
# scroll it sideways.

# %%
# zh: 一棵默克尔树：交易笔数与要证明的那一笔
# en: a Merkle tree: how many transactions, and which one to prove
count_slider = widgets.IntSlider(value=6, min=1, max=16, description=tr("交易笔数", "Transactions"))
chosen_slider = widgets.IntSlider(value=2, min=0, max=5, description=tr("证明第几笔", "Prove tx"))
tree_picture = widgets.HTML()


def show_tree(_=None):
    chosen_slider.max = count_slider.value - 1
    items = [tr(f"付款 {i}", f"payment {i}").encode("utf-8") for i in range(count_slider.value)]
    tree_picture.value = scroll(merkle_svg(items, highlight=chosen_slider.value, words=words))


count_slider.observe(show_tree, names="value")
chosen_slider.observe(show_tree, names="value")
show_tree()
display(widgets.VBox([widgets.HBox([count_slider, chosen_slider]), tree_picture]))

# %% [markdown] lang="zh-CN"
# **第 1 题.** 把交易笔数设为 **8**，任选一笔交易。它的包含证明有几个哈希（图中有几个橙色方框）？

# %% [markdown] lang="en"
# **Question 1.** Set the number of transactions to **8** and pick any transaction. How many hashes
# does its inclusion proof hold (how many orange boxes)?

# %% nbgrader={"grade_id": "q1", "locked": true} answer=3
# zh: 第 1 题：填一个数
# en: question 1: a number
sheet.number("q1", 0, 16, unit=tr("个哈希", "hashes"))

# %% nbgrader={"grade_id": "q1_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q1", len(prove_shape(0, 8)))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# **第 2 题.** 把交易笔数设为 **5**，选最后一笔（第 4 笔，从 0 数起）。它的证明有几个哈希？
# 看一看它在每一层是怎样往上走的。

# %% [markdown] lang="en"
# **Question 2.** Set the number of transactions to **5** and choose the last one (tx 4, counting from
# 0). How many hashes does its proof hold? Watch how it moves up level by level.

# %% nbgrader={"grade_id": "q2", "locked": true} answer=1
# zh: 第 2 题：填一个数
# en: question 2: a number
sheet.number("q2", 0, 16, unit=tr("个哈希", "hashes"))

# %% nbgrader={"grade_id": "q2_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q2", len(prove_shape(4, 5)))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 2. 证明始终很短
#
# 下表列出不同交易笔数下，一份包含证明有几个哈希（每个哈希 32 字节）。
# 交易笔数每翻一番，证明只多**一个**哈希。

# %% [markdown] lang="en"
# ## 2. Proofs stay short
#
# The table lists how many hashes an inclusion proof holds (32 bytes each) for blocks of different
# sizes. Each time the number of transactions doubles, the proof grows by just **one** hash.

# %%
# zh: 交易笔数与证明长度对照表（1 到 1024 笔）
# en: the number of transactions and the length of a proof (1 to 1024 transactions)
CELL = "style='text-align:right; padding:3px 18px; border-bottom:1px solid #e0e0e0'"
rows = "".join(f"<tr><td {CELL}>{2 ** k:,}</td><td {CELL}>{len(prove_shape(0, 2 ** k))}</td>"
               f"<td {CELL}>{32 * len(prove_shape(0, 2 ** k))}</td></tr>" for k in range(0, 11))
display(widgets.HTML(
    f"<table style='border-collapse:collapse; font-size:15px'><tr><th {CELL}>"
    + tr("区块中的交易笔数", "transactions in the block") + f"</th><th {CELL}>"
    + tr("证明中的哈希个数", "hashes in a proof") + f"</th><th {CELL}>"
    + tr("证明的大小（字节）", "size of the proof (bytes)") + "</th></tr>" + rows + "</table>"))

# %% [markdown] lang="zh-CN"
# **第 3 题.** 一个区块有 **1,000,000**（一百万）笔交易。其中第一笔交易的包含证明有几个哈希？
# （把表格接着往下写：1,024 笔 → 10 个，2,048 笔 → 11 个，……）

# %% [markdown] lang="en"
# **Question 3.** A block holds **1,000,000** transactions. How many hashes does the inclusion proof of
# its first transaction hold? (Continue the table: 1,024 → 10, 2,048 → 11, …)

# %% nbgrader={"grade_id": "q3", "locked": true} answer=20
# zh: 第 3 题：填一个数
# en: question 3: a number
sheet.number("q3", 0, 1_000_000, unit=tr("个哈希", "hashes"))

# %% nbgrader={"grade_id": "q3_check", "grade": true, "points": 2}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q3", len(prove_shape(0, 1_000_000)))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 3. 当一回轻客户端
#
# 下面是一条真实的 minichain 链的第 1 号区块，里面有张三付给李四的六笔款，分别是 1 元到 6 元。
# 你是轻客户端，只保存了它的**区块头**，因此只知道它的默克尔根。你问一个全节点：
# “那笔 **4 元**的付款在第 1 号区块里吗？”全节点发回这笔交易和一份证明。
#
# 请选择全节点怎样答复：如实答复，或者几种不同的谎言。轻客户端用证明里的哈希一步一步往上算，
# 最后把算出的根和区块头里的默克尔根相比较。

# %% [markdown] lang="en"
# ## 3. Be the light client
#
# Below is block #1 of a real minichain chain: six payments from Alice to Bob, of 1 to 6 coins. As a
# light client you hold only its **header**, so all you know is its Merkle root. You ask a full node:
# "is the payment of **4 coins** in block #1?" It sends back the transaction and a proof.
#
# Choose how the full node answers: honestly, or with one of several lies. The light client works its
# way up with the proof's hashes and compares the root it gets with the Merkle root in the header.

# %%
# zh: 轻客户端核对全节点发来的证明
# en: the light client checks the proof a full node sends
chain = testing.make_chain(1, transfers_per_block=6)
block, suite = chain.block_at(1), chain.suite
header_root = block.header.merkle_root   # all the light client knows about the block
ids = [tx.txid for tx in block.transactions]
WANTED = 3   # the payment of 4 coins
honest_proof = prove(ids, WANTED, suite.hash)
inflated = dataclasses.replace(block.transactions[WANTED], amount=4000)
replies = {
    "honest": (ids[WANTED], honest_proof),
    "other": (ids[WANTED], prove(ids, 1, suite.hash)),
    "amount": (inflated.txid, honest_proof),
    "altered": (ids[WANTED], dataclasses.replace(
        honest_proof, siblings=(sha256(b"made up"), *honest_proof.siblings[1:]))),
}
reply_choice = widgets.RadioButtons(options=[
    (tr("如实答复：这笔交易和它的证明", "honest: the transaction and its proof"), "honest"),
    (tr("这笔交易，配上另一笔付款的证明", "the transaction with the proof of another payment"), "other"),
    (tr("把金额改成 4000 元的交易，配上原来的证明", "the transaction changed to 4000 coins, with the real proof"),
     "amount"),
    (tr("这笔交易，但证明里有一个哈希是编造的", "the transaction, with one hash of the proof made up"), "altered"),
], value="honest", description=tr("全节点", "Full node"), layout=widgets.Layout(width="95%"))
client_picture = widgets.HTML()


def show_client(_=None):
    txid, proof = replies[reply_choice.value]
    node = leaf_hash(txid, suite.hash)
    steps = [tr(f"<li>交易的指纹：<code>{node.hex()[:16]}</code></li>",
                f"<li>the transaction's fingerprint: <code>{node.hex()[:16]}</code></li>")]
    for sibling, side in proof.steps():
        node = node_hash(sibling, node, suite.hash) if side == "left" else node_hash(node, sibling, suite.hash)
        steps.append(tr(f"<li>与证明中的 <code>{sibling.hex()[:16]}</code> 合并 → <code>{node.hex()[:16]}</code></li>",
                        f"<li>combined with <code>{sibling.hex()[:16]}</code> from the proof → "
                        f"<code>{node.hex()[:16]}</code></li>"))
    ok = verify_proof(txid, proof, header_root, suite.hash)
    client_picture.value = (
        verdict(ok, tr("证明成立：这笔付款在第 1 号区块里", "the proof holds: the payment is in block #1") if ok
                else tr("证明被拒绝：算不出区块头里的默克尔根", "proof REJECTED: it does not lead to the header's root"))
        + "<ol>" + "".join(steps) + "</ol>"
        + tr(f"<p>算出的根 <code>{node.hex()[:16]}</code>，区块头里的默克尔根 <code>{header_root.hex()[:16]}</code>。"
             f"证明只有 {len(proof.siblings)} 个哈希，而整个区块有 {len(ids)} 笔交易。</p>",
             f"<p>Root worked out <code>{node.hex()[:16]}</code>; Merkle root in the header "
             f"<code>{header_root.hex()[:16]}</code>. The proof holds {len(proof.siblings)} hashes; the block "
             f"holds {len(ids)} payments.</p>")
        + tr("<p>全节点保存的整棵树（轻客户端看不到）：</p>", "<p>The whole tree the full node keeps (the light "
             "client does not see it):</p>")
        + scroll(merkle_svg(ids, labels=[tr(f"{tx.amount} 元", f"{tx.amount} coins") for tx in block.transactions],
                            highlight=WANTED, hash_fn=suite.hash, words=words)))


reply_choice.observe(show_client, names="value")
show_client()
display(widgets.VBox([reply_choice, client_picture]))

# %% [markdown] lang="zh-CN"
# **第 4 题.** 一个只保存区块头的轻客户端，凭一份默克尔证明能核实什么？

# %% [markdown] lang="en"
# **Question 4.** What can a light client, holding only block headers, check with a Merkle proof?

# %% nbgrader={"grade_id": "q4", "locked": true} answer="a"
# zh: 第 4 题：三个选项
# en: question 4: three options
sheet.choice("q4", [
    ("a", tr("某一笔交易确实包含在某一个区块里", "That a given transaction is included in a given block")),
    ("b", tr("这笔交易的付款人当时有足够的余额", "That the payer of that transaction had enough money")),
    ("c", tr("区块里没有另一笔交易花掉同一笔钱", "That no other transaction in the block spends the same money")),
])

# %% nbgrader={"grade_id": "q4_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q4", "a")
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 4. 重复叶子的陷阱（CVE-2012-2459）
#
# 某一层的哈希是单数时，**比特币把最后一个哈希和它自己的一份副本配对**。于是列表 `[a, b, c]`
# 和 `[a, b, c, c]` 会得到**同一个**根，也就是同一个区块头。2012 年有人利用了这一点：把某个区块的交易
# 重复一笔后发给节点；节点发现这个区块无效（重复的交易花了两次钱），就把**这个区块头**永远记为无效，
# 等真正的区块到来时反而拒绝它，从此跟不上网络。
#
# minichain 遵循 RFC 6962：单数的最后一个哈希**原样升到上一层**（而且叶子和中间节点用不同的前缀求哈希），
# 所以不同的列表一定得到不同的根。用滑块在 `[a, b, c]` 后面加上几个 `c` 的副本，比较两种规则。

# %% [markdown] lang="en"
# ## 4. The duplicate-leaf trap (CVE-2012-2459)
#
# When a level has an odd number of hashes, **Bitcoin pairs the last one with a copy of itself**. So the
# lists `[a, b, c]` and `[a, b, c, c]` give the *same* root, and the same block header. In 2012 this
# allowed an attack: send a node the block with a transaction duplicated; the node finds the block
# invalid (the duplicate spends twice) and remembers *that block header* as invalid forever, so it
# refuses the real block when it arrives and falls off the network.
#
# minichain follows RFC 6962 instead: an odd last hash moves up **unchanged** (and leaves and inner
# nodes are hashed with different prefixes), so a different list always gives a different root. Use
# the slider to add copies of `c` after `[a, b, c]` and compare the two rules.

# %%
# zh: [a, b, c] 与加了副本的列表：两种规则算出的根
# en: [a, b, c] and a list with copies added: the roots under the two rules
base_items = [b"a", b"b", b"c"]
copies_slider = widgets.IntSlider(value=0, min=0, max=3, description=tr("c 的副本数", "copies of c"))
trap_picture = widgets.HTML()


def show_trap(_=None):
    items = base_items + [b"c"] * copies_slider.value
    names = "[" + ", ".join(i.decode() for i in items) + "]"
    same_bitcoin = bitcoin_root(items) == bitcoin_root(base_items)
    same_minichain = merkle_root(items) == merkle_root(base_items)
    same, different = tr("根相同", "SAME root"), tr("根不同", "different roots")
    if copies_slider.value == 0:
        verdicts = tr("<p>把滑块往右拖，在列表末尾加上 <code>c</code> 的副本。</p>",
                      "<p>Move the slider to add copies of <code>c</code> at the end of the list.</p>")
    else:
        verdicts = (verdict(not same_bitcoin, tr("比特币的规则：", "Bitcoin's rule: ") + (same if same_bitcoin else different))
                    + verdict(not same_minichain, tr("minichain 的规则：", "minichain's rule: ")
                              + (same if same_minichain else different)))
    trap_picture.value = (
        tr(f"<p>比较 <code>[a, b, c]</code> 与 <code>{names}</code></p>",
           f"<p>Comparing <code>[a, b, c]</code> with <code>{names}</code></p>")
        + verdicts + scroll(merkle_svg(items, labels=[i.decode() for i in items], words=words)))


copies_slider.observe(show_trap, names="value")
show_trap()
display(widgets.VBox([copies_slider, trap_picture]))

# %% [markdown] lang="zh-CN"
# **第 5 题.** 哪种规则让 `[a, b, c]` 和 `[a, b, c, c]` 得到同一个根？

# %% [markdown] lang="en"
# **Question 5.** Which rule gives `[a, b, c]` and `[a, b, c, c]` the same root?

# %% nbgrader={"grade_id": "q5", "locked": true} answer="a"
# zh: 第 5 题：四个选项
# en: question 5: four options
sheet.choice("q5", [
    ("a", tr("比特币的规则", "Bitcoin's")),
    ("b", tr("minichain 的规则", "minichain's")),
    ("c", tr("两种规则都会", "Both")),
    ("d", tr("两种规则都不会", "Neither")),
])

# %% nbgrader={"grade_id": "q5_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_bitcoin = bitcoin_root([b"a", b"b", b"c"]) == bitcoin_root([b"a", b"b", b"c", b"c"])
_minichain = merkle_root([b"a", b"b", b"c"]) == merkle_root([b"a", b"b", b"c", b"c"])
sheet.expect("q5", {(True, False): "a", (False, True): "b", (True, True): "c", (False, False): "d"}[
    (_bitcoin, _minichain)])
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# 再看真实的区块：第 1 号区块有 6 笔交易。攻击者保留原来的区块头，在交易列表末尾把**最后几笔交易**
# 再抄一遍。用滑块选择抄几笔，看比特币的规则会不会算出同一个根，minichain 的节点又怎样处理这个区块。

# %% [markdown] lang="en"
# Now a real block: block #1 holds 6 transactions. An attacker keeps the original header and copies
# **the last few transactions** once more at the end of the list. Choose how many with the slider:
# does Bitcoin's rule give the same root, and what does a minichain node make of the block?

# %%
# zh: 第 1 号区块末尾重复几笔交易：比特币的根与 minichain 的裁决
# en: block #1 with its last transactions repeated: Bitcoin's root and minichain's verdict
repeat_slider = widgets.IntSlider(value=0, min=0, max=4, description=tr("重复最后几笔", "repeat last"))
stuffed_picture = widgets.HTML()
RULE_WORDS = {
    "block-merkle-root": tr("这些交易算出的默克尔根与区块头不符：错在这份交易列表，真正的区块仍会被接受",
                            "these transactions do not hash to the header's Merkle root: the list is at fault, "
                            "and the real block will still be accepted"),
    "block-duplicate-tx": tr("区块里有重复的交易", "the block holds a transaction twice"),
}


def show_stuffed(_=None):
    repeat = repeat_slider.value
    stuffed_ids = ids + ids[len(ids) - repeat:]
    same = bitcoin_root(stuffed_ids) == bitcoin_root(ids)
    lines = [tr(f"<p>交易列表：原来的 6 笔，再加上重复的 {repeat} 笔，共 {len(stuffed_ids)} 笔。</p>",
                f"<p>The list: the 6 transactions, then {repeat} repeated, {len(stuffed_ids)} in all.</p>")]
    if repeat:
        lines.append(verdict(not same, tr("比特币的规则：", "Bitcoin's rule: ")
                             + (tr("根与区块头相同，节点分不清真假区块", "the SAME root as the header: a node "
                                   "cannot tell the two blocks apart") if same
                                else tr("根与区块头不同", "a different root from the header's"))))
        stuffed = Block(block.header, block.transactions + block.transactions[len(ids) - repeat:])
        try:
            validate_body(stuffed, chain.genesis)
            lines.append(verdict(False, tr("minichain 接受了这个区块", "minichain accepts the block")))
        except MinichainError as error:
            lines.append(verdict(True, tr("minichain 拒绝它：", "minichain refuses it: ")
                                 + RULE_WORDS.get(error.rule, "") + f" [{error.rule}]"))
    stuffed_picture.value = "".join(lines)


repeat_slider.observe(show_stuffed, names="value")
show_stuffed()
display(widgets.VBox([repeat_slider, stuffed_picture]))

# %% [markdown] lang="zh-CN"
# **第 6 题.** 这个区块有 6 笔交易。攻击者在末尾重复最后**几笔**交易，比特币的规则算出的根才和原来一样？

# %% [markdown] lang="en"
# **Question 6.** The block holds 6 transactions. How many of its last transactions must the attacker
# repeat at the end for Bitcoin's rule to give the original root?

# %% nbgrader={"grade_id": "q6", "locked": true} answer=2
# zh: 第 6 题：填一个数
# en: question 6: a number
sheet.number("q6", 1, 4, unit=tr("笔", "transactions"))

# %% nbgrader={"grade_id": "q6_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q6", next(m for m in range(1, 5) if bitcoin_root(ids + ids[len(ids) - m:]) == bitcoin_root(ids)))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN" nbgrader={"grade_id": "w1", "task": true, "points": 2}
# **书面回答（由讲师评分，2 分）.** 一家供应商发给你一份默克尔证明，说它的一笔货款记在你们联盟链的
# 第 120 号区块里。用三四句话回答：这份证明说明了什么？它**不能**说明什么？
# 你手里必须先有（或者必须信任）什么，这份证明才有意义？
#
# === BEGIN MARK SCHEME ===
# **评分标准（2 分）**
#
# * 1 分：说明证明能表明的事：这笔交易（一字不差）是第 120 号区块头中默克尔根所承诺的交易之一，
#   用证明里的哈希一层层往上算，正好得到这个根。
# * 1 分：说明证明不能表明的事，并指出前提。不能表明：这笔交易本身有效（余额够不够、有没有重复花费，
#   这由全节点在接受区块时检查），也不能表明第 120 号区块属于大家认可的那条链。前提：手里有一个
#   **可信的**第 120 号区块头（来自自己跟随的链，核对过它的工作量证明或权威节点签名、与前面区块的链接，
#   最好其后已有若干区块）。说出“不能表明”和“前提”两者才给这 1 分。
# * 只写“证明了交易是真的”“很安全”之类，没有区分“包含”与“有效”的，不给分。
# === END MARK SCHEME ===

# %% [markdown] lang="en" nbgrader={"grade_id": "w1", "task": true, "points": 2}
# **Written answer (marked by the instructor, 2 points).** A supplier sends you a Merkle proof that
# its payment is in block #120 of your consortium chain. In three or four sentences: what does the
# proof show, what does it *not* show, and what must you already have (or trust) for it to mean
# anything?
#
# === BEGIN MARK SCHEME ===
# **Rubric (2 points)**
#
# * 1 point: what the proof shows: this exact transaction is one of those committed to by the Merkle
#   root in block #120's header; hashing it up with the proof's hashes gives that root.
# * 1 point: what it does not show, and what it rests on. It does not show that the transaction is
#   valid (enough balance, no double spend: full nodes checked that when they accepted the block), nor
#   that block #120 is part of the agreed chain. It rests on a **trusted** header for block #120 (from
#   the chain you follow, checked for its proof of work or its authorities' signatures and its link to
#   earlier blocks, ideally with later blocks on top). Both parts are needed for this point.
# * No points for "it proves the transaction is genuine" or "it is secure" without telling inclusion
#   apart from validity.
# === END MARK SCHEME ===

# %% nbgrader={"grade_id": "w1_answer", "locked": true}
# zh: 书面回答的输入框
# en: the box for the written answer
sheet.essay("w1")

# %% [markdown] lang="zh-CN"
# ## 小结
#
# * 一个 32 字节的默克尔根就能对区块里的全部交易作出承诺。
# * 区块的交易笔数每翻一番，证明只多一个哈希：一百万笔交易，证明只要 20 个哈希（640 字节）。
# * 轻客户端能核实一笔交易**在**区块里，但核实不了它是否**有效**。
# * 复制单数的最后一个哈希（比特币的做法）会让两份不同的列表共用一个根；
#   把它原样升上去（minichain 的做法，RFC 6962）则不会。

# %% [markdown] lang="en"
# ## What you saw
#
# * One 32-byte root commits to all of a block's transactions.
# * A proof grows by one hash each time the block doubles: 20 hashes (640 bytes) for a million payments.
# * A light client can check that a transaction is **in** a block, not that it is **valid**.
# * Duplicating the odd hash (Bitcoin) lets two different lists share a root; promoting it unchanged
#   (minichain, RFC 6962) does not.

# %% nbgrader={"grade_id": "summary", "locked": true}
# zh: 答题情况
# en: what is answered
sheet.summary()
