# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   minichain:
#     lab: lab01_hashing
#     notebook: explore
#     title:
#       zh-CN: 实验一 · 哈希：数据的指纹（探索）
#       en: Lab 1 · Hashing (explore)
# ---

# %% [markdown] lang="zh-CN"
# # 实验一 · 哈希：数据的“指纹”
#
# *面向领导干部的课程：不需要编程，全部用鼠标点击完成。*
#
# **哈希函数**能把任何数据（一句话、一份合同、一整本土地登记簿）变成一串长度固定的“指纹”，
# 叫作**哈希值**（也叫摘要）。区块链依靠它的四个特性：
#
# 1. **同样的数据，同样的指纹**：任何人都可以重新计算并核对。
# 2. **长度固定**：一个字和一部三百页的法规，得到的指纹一样长。
# 3. **雪崩效应**：哪怕只改一个字，指纹也会面目全非。
# 4. **单向**：从指纹无法还原数据，也找不出另一份指纹相同的数据。
#
# 本实验中，你将亲眼看到这些特性，比较国际标准 **SHA-256** 和我国国家标准 **SM3**
# （GB/T 32905-2016），并看一条“哈希链”如何揭穿被篡改的记录。
# %% [markdown] lang="en"
# # Lab 1 · Hashing: digital fingerprints
#
# *Officials' track: no programming; everything is done with the mouse.*
#
# A **hash function** turns any data (a sentence, a contract, a whole land register) into a short
# fixed-size **fingerprint**, called a *hash* or *digest*. Blockchains rest on four of its properties:
#
# 1. **Same data, same fingerprint**: anyone can recompute it and compare.
# 2. **Fixed size**: one word and a 300-page law give fingerprints of the same length.
# 3. **Avalanche**: change one letter and the fingerprint changes beyond recognition.
# 4. **One way**: nobody can rebuild the data from the fingerprint, or find other data with the
#    same fingerprint.
#
# In this lab you will see each property, compare the international standard **SHA-256** with
# China's national standard **SM3** (GB/T 32905-2016), and watch a chain of hashes expose a forged
# record.
# %% [markdown] lang="zh-CN"
# **使用方法**
#
# * 先点击菜单 **运行 → 运行所有单元格**（或工具栏上“重启内核并运行所有单元格”的按钮）。
# * 灰色面板里的文本框、滑块和按钮都是“活”的：改动它们，下面的图会立即重画。
# * **题目**的答案全部用点击给出：选择题点一个选项；数字题在框里填数字后点“确认答案”；
#   书面题在文本框里写几句话后点“保存回答”。每题下方会显示“✓ 已记录你的答案”。
# * 答案一经点击就已保存；最后按 **Ctrl+S** 保存笔记本再交卷。对错在交卷评分时才判定。
# %% [markdown] lang="en"
# **How this notebook works**
#
# * First click **Run → Run All Cells** in the menu (or the toolbar's "restart the kernel and run all
#   cells" button).
# * The grey panels with boxes, sliders and buttons are live: change them and the pictures redraw.
# * Every **question** is answered by clicking: pick an option; or type a number and click
#   "Confirm answer"; or write a few sentences and click "Save answer". Each question then shows
#   "✓ Your answer is recorded".
# * An answer is kept the moment you click; at the end press **Ctrl+S** to save the notebook, then
#   hand it in. Whether an answer is right is decided when the lab is graded.
# %% nbgrader={"grade_id": "setup", "locked": true}
# zh: 准备工作：载入 minichain 及其绘图工具。
# en: Set-up: load minichain and its drawing tools.
import dataclasses
import hashlib

import ipywidgets as widgets
from IPython.display import display

from labkit import tr
from labkit.ask import Sheet
from labkit.words import viz_words
from minichain import Block, sm3, testing, transactions_root
from minichain.viz import avalanche_svg, chain_boxes, chain_svg

sheet = Sheet("lab01_hashing", "explore", lang=tr("zh-CN", "en"))
words = viz_words(tr("zh-CN", "en"))
wide = widgets.Layout(width="95%")

# %% [markdown] lang="zh-CN"
# ## 1. 任何数据都有指纹
#
# 在框里随便输入些什么，下面会立即显示它的 SHA-256 指纹和 SM3 指纹，用**十六进制**书写
# （数字 0–9 和字母 a–f，每个字符代表 4 位）。先只输入一个字，再粘贴一整段话，比较两次的指纹。

# %% [markdown] lang="en"
# ## 1. A fingerprint of anything
#
# Type anything in the box. Below it appear its SHA-256 and SM3 fingerprints, written in
# **hexadecimal** (the digits 0–9 and letters a–f, each standing for 4 bits). Type one letter first,
# then paste a whole paragraph, and compare the two fingerprints.

# %%
# zh: 输入框与它的两种指纹
# en: a text box and its two fingerprints
text_box = widgets.Textarea(value=tr("区块链", "blockchain"), description=tr("你的文字", "Your text"),
                            layout=widgets.Layout(width="95%", height="80px"))
fingerprints = widgets.HTML()


def show_fingerprints(_=None):
    data = text_box.value.encode("utf-8")
    fingerprints.value = (
        f"<p><b>SHA-256</b> <code>{hashlib.sha256(data).hexdigest()}</code></p>"
        f"<p><b>SM3</b> <code>{sm3(data).hex()}</code></p>")


text_box.observe(show_fingerprints, names="value")
show_fingerprints()
display(widgets.VBox([text_box, fingerprints]))

# %% [markdown] lang="zh-CN"
# **第 1 题.** 输入的文字从一个字变成一整段话时，SHA-256 指纹的长度怎样变化？

# %% [markdown] lang="en"
# **Question 1.** When the text grows from one letter to a whole paragraph, what happens to the
# length of the SHA-256 fingerprint?

# %% nbgrader={"grade_id": "q1", "locked": true} answer="b"
# zh: 第 1 题：三个选项
# en: question 1: three options
sheet.choice("q1", [
    ("a", tr("文字越长，指纹越长", "The longer the text, the longer the fingerprint")),
    ("b", tr("长度始终不变", "Its length never changes")),
    ("c", tr("文字越长，指纹越短", "The longer the text, the shorter the fingerprint")),
])

# %% nbgrader={"grade_id": "q1_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q1", "b")
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 2. 雪崩效应
#
# 下面有一份原文和一份修改稿。方格图画的是修改稿 SHA-256 指纹的 256 位：
# **红色方格是与原文指纹不同的位**。改动第二个框试试：改一个字、加一个空格、调换两个数字。

# %% [markdown] lang="en"
# ## 2. The avalanche
#
# Below are an original and an edited copy. The grid shows the 256 bits of the edited copy's SHA-256
# fingerprint: **red squares are the bits that differ** from the original's fingerprint. Edit the
# second box: change one letter, add a space, swap two digits.

# %%
# zh: 原文、修改稿和雪崩方格图
# en: the original, the edited copy and the avalanche grid
original_box = widgets.Text(value=tr("向张三付款 100 元", "Pay Alice 100 yuan"), description=tr("原文", "Original"),
                            layout=widgets.Layout(width="60%"))
edited_box = widgets.Text(value=tr("向张三付款 100 元。", "Pay Alice 100 yuan."), description=tr("修改稿", "Edited"),
                          layout=widgets.Layout(width="60%"))
avalanche_picture = widgets.HTML()


def show_avalanche(_=None):
    before = hashlib.sha256(original_box.value.encode("utf-8")).digest()
    after = hashlib.sha256(edited_box.value.encode("utf-8")).digest()
    avalanche_picture.value = avalanche_svg(before, after, words=words)


original_box.observe(show_avalanche, names="value")
edited_box.observe(show_avalanche, names="value")
show_avalanche()
display(widgets.VBox([original_box, edited_box, avalanche_picture]))

# %% [markdown] lang="zh-CN"
# **第 2 题.** 把第一个框改成 `100`，第二个框改成 `101`（只差一个数字，每次改完按回车）。
# 图下方会写出变化的位数。两个指纹有多少位不同？

# %% [markdown] lang="en"
# **Question 2.** Put `100` in the first box and `101` in the second (one digit apart; press Enter
# after each). The count is written under the grid. In how many bits do the two fingerprints differ?

# %% nbgrader={"grade_id": "q2", "locked": true} answer=125
# zh: 第 2 题：填一个数
# en: question 2: a number
sheet.number("q2", 0, 256, unit=tr("位", "bits"))

# %% nbgrader={"grade_id": "q2_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q2", sum((x ^ y).bit_count() for x, y in zip(
    hashlib.sha256(b"100").digest(), hashlib.sha256(b"101").digest(), strict=True)))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# 下面的滑块只翻转文字 `minichain` 中的**一个位**（它的 9 个字母共 72 位），再数一数指纹变了多少位。
# 把滑块拖到不同位置看看。

# %% [markdown] lang="en"
# The slider below flips **one single bit** of the text `minichain` (its 9 letters have 72 bits) and
# counts how many fingerprint bits change. Move it around.

# %%
# zh: 只翻转一个位的滑块
# en: the slider that flips one bit
message = b"minichain"
bit_slider = widgets.IntSlider(value=0, min=0, max=8 * len(message) - 1, description=tr("翻转第几位", "Bit flipped"),
                               layout=widgets.Layout(width="60%"))
flip_picture = widgets.HTML()


def show_flip(_=None):
    flipped = bytearray(message)
    flipped[bit_slider.value // 8] ^= 0x80 >> (bit_slider.value % 8)
    before, after = hashlib.sha256(message).digest(), hashlib.sha256(bytes(flipped)).digest()
    flip_picture.value = (tr("<p>文字变成了 <code>", "<p>The text becomes <code>")
                          + bytes(flipped).decode("latin-1").replace("<", "&lt;") + "</code></p>"
                          + avalanche_svg(before, after, words=words))


bit_slider.observe(show_flip, names="value")
show_flip()
display(widgets.VBox([bit_slider, flip_picture]))

# %% [markdown] lang="zh-CN"
# **第 3 题.** 拖动滑块试上好几个位置。无论翻转哪一位，指纹大约有多大比例的位发生改变？

# %% [markdown] lang="en"
# **Question 3.** Try the slider at several positions. Whichever bit is flipped, roughly what share of
# the fingerprint's bits change?

# %% nbgrader={"grade_id": "q3", "locked": true} answer="c"
# zh: 第 3 题：四个选项
# en: question 3: four options
sheet.choice("q3", [
    ("a", tr("没有或几乎没有", "None or almost none")),
    ("b", tr("大约十分之一", "About one in ten")),
    ("c", tr("大约一半", "About half")),
    ("d", tr("全部", "All of them")),
])

# %% nbgrader={"grade_id": "q3_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q3", "c")
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 3. SHA-256 与 SM3
#
# 两者都输出 256 位的指纹，也都被认为是安全的，但它们是**两个不同的函数**：同一段文字得到的
# 两个指纹毫无关系。一条链在它的**创世文件**（链的初始规则）里规定使用哪个哈希函数：minichain
# 提供 `sha256-ed25519`（默认）、`sha256-secp256k1`（与比特币相同）和 `sm3-sm2`
# （国密套件，FISCO BCOS 和 BSN 国产链采用）。
#
# 下图用红色标出：同一段文字的 SM3 指纹与 SHA-256 指纹在哪些位上不同。

# %% [markdown] lang="en"
# ## 3. SHA-256 and SM3
#
# Both give 256-bit fingerprints and both are considered secure, but they are **different
# functions**: the same text gives unrelated fingerprints. A chain names its hash function in its
# *genesis* (its founding rules): minichain offers `sha256-ed25519` (the default), `sha256-secp256k1`
# (as Bitcoin) and `sm3-sm2` (China's national suite, as FISCO BCOS and BSN's domestic chains use).
#
# The picture marks in red the bits where the SM3 fingerprint of the text differs from its SHA-256 one.

# %%
# zh: 同一段文字的 SHA-256 与 SM3 指纹
# en: SHA-256 and SM3 fingerprints of the same text
compare_box = widgets.Text(value=tr("区块链", "blockchain"), description=tr("文字", "Text"),
                           layout=widgets.Layout(width="60%"))
compare_picture = widgets.HTML()


def show_compare(_=None):
    data = compare_box.value.encode("utf-8")
    compare_picture.value = avalanche_svg(hashlib.sha256(data).digest(), sm3(data),
                                          title="SHA-256 / SM3", words=words)


compare_box.observe(show_compare, names="value")
show_compare()
display(widgets.VBox([compare_box, compare_picture]))

# %% [markdown] lang="zh-CN"
# **第 4 题.** 一条链的创世文件规定使用 `sm3-sm2`。某家单位的节点配置错了，改用 SHA-256 计算指纹。
# 会发生什么？

# %% [markdown] lang="en"
# **Question 4.** A chain's genesis says `sm3-sm2`. One company's node is misconfigured and computes
# SHA-256 fingerprints instead. What happens?

# %% nbgrader={"grade_id": "q4", "locked": true} answer="b"
# zh: 第 4 题：三个选项
# en: question 4: three options
sheet.choice("q4", [
    ("a", tr("看不出异常：两者都是 256 位，这个节点照样和其他节点一致",
             "Nothing visible: both are 256 bits, so the node agrees with the others")),
    ("b", tr("它算出的每个区块哈希都和别人不同：它拒绝别人的区块，别人也拒绝它的区块",
             "It disagrees on every block hash: it rejects the others' blocks and they reject its blocks")),
    ("c", tr("大约一半的区块能对得上", "It agrees on about half of the blocks")),
])

# %% nbgrader={"grade_id": "q4_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q4", "b")
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 4. 哈希链让任何篡改现形
#
# 区块链是一串区块，**每个区块都记下前一个区块的指纹**（父哈希）。下面是一条真实的 minichain 小链：
# 第 0 号到第 5 号区块，每块各有一笔付款。每个方框显示区块自己的哈希和它记下的父哈希。
# 节点对每个区块核对三件事：
#
# * 区块里的付款重新计算后，仍与区块头里的摘要（**默克尔根**，实验四）一致；
# * 区块哈希满足工作量证明的目标值（实验五），而这样的哈希很难算出来；
# * 它记下的父哈希等于前一个区块真实的哈希（图中的箭头）。
#
# 请选择让伪造者篡改哪个区块（把其中的付款多加 1000），以及伪造者掩盖得有多彻底。
# 绿色方框通过全部检查；**红色方框没有通过**（虚线箭头表示链接断了）。不必读代码，用控件即可。

# %% [markdown] lang="en"
# ## 4. A chain of hashes shows any forgery
#
# A blockchain is a list of blocks in which **each block records the fingerprint of the block before
# it** (its parent hash). Here is a small real minichain chain: blocks #0 to #5, each with one
# payment. Each box shows the block's own hash and the parent hash it records. A node checks three
# things for every block:
#
# * its payments still hash to the summary in its header (the *Merkle root*, lab 4);
# * its hash meets the proof-of-work target (lab 5), which is hard to produce;
# * its parent hash equals the previous block's real hash (the arrow).
#
# Choose a block for a forger to edit (add 1000 to its payment) and how far the forger goes to hide
# the edit. Green boxes pass every check; **red ones fail** (a dashed arrow is a broken link). You do
# not need to read the code, only use the controls.

# %%
# zh: 一条小链和伪造者的控件（第 0–5 号区块，每台机器上都一样）
# en: a small chain and the forger's controls (blocks #0-#5, the same on every machine)
chain = testing.make_chain(5, transfers_per_block=1)
honest = list(chain.main_chain())
EDIT, SUMMARY, WORK = "edit", "summary", "work"


def forge(blocks, height, how):
    """A copy of `blocks` where block `height` pays 1000 more, hidden as far as `how` says."""
    blocks = list(blocks)
    block = blocks[height]
    forged = dataclasses.replace(block.transactions[0], amount=block.transactions[0].amount + 1000)
    header = block.header
    if how in (SUMMARY, WORK):
        header = dataclasses.replace(header, merkle_root=transactions_root((forged,), chain.suite))
    if how == WORK:
        # zh: 为新的区块头重新完成工作量证明
        # en: a new proof of work for the new header
        header = chain.engine.mine(header).header
    blocks[height] = Block(header, (forged,))
    return blocks


edit_choice = widgets.Dropdown(options=[(tr("不篡改（诚实的链）", "nothing (honest chain)"), 0)]
                               + [(tr(f"第 {h} 号区块", f"block #{h}"), h) for h in range(1, 6)],
                               value=0, description=tr("篡改", "Forge"))
how_choice = widgets.RadioButtons(options=[
    (tr("只改付款", "edit the payment only"), EDIT),
    (tr("改付款，并更新摘要（默克尔根）", "edit it and update the summary (Merkle root)"), SUMMARY),
    (tr("改付款、更新摘要，并重新完成工作量证明", "edit it, update the summary and redo the work"), WORK),
], value=EDIT, description=tr("伪造者", "Forger"), layout=widgets.Layout(width="auto"))
chain_picture = widgets.HTML()


def show_chain(_=None):
    blocks = honest if edit_choice.value == 0 else forge(honest, edit_choice.value, how_choice.value)
    chain_picture.value = chain_svg(chain_boxes(blocks, chain.suite, words=words), words=words)


edit_choice.observe(show_chain, names="value")
how_choice.observe(show_chain, names="value")
show_chain()
display(widgets.VBox([widgets.HBox([edit_choice, how_choice]), chain_picture]))

# %% [markdown] lang="zh-CN"
# **第 5 题.** 伪造者改了**第 2 号区块**里的付款，别的什么也没做（“只改付款”）。图中有几个红色方框？

# %% [markdown] lang="en"
# **Question 5.** The forger edits the payment in **block #2** and does nothing else ("edit the
# payment only"). How many boxes are red?

# %% nbgrader={"grade_id": "q5", "locked": true} answer=4
# zh: 第 5 题：填一个数
# en: question 5: a number
sheet.number("q5", 0, 6, unit=tr("个", "boxes"))

# %% nbgrader={"grade_id": "q5_check", "grade": true, "points": 2}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_boxes = chain_boxes(forge(honest, 2, EDIT), chain.suite)
_first = next(i for i, box in enumerate(_boxes) if not (box.valid and box.linked))
sheet.expect("q5", len(_boxes) - _first)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# **第 6 题.** 这次伪造者把第 2 号区块掩盖得天衣无缝：改付款、更新摘要，**还重新完成了工作量证明**。
# 第 2 号区块单独看已经没有破绽。图中**第一个**红色方框是第几号区块？

# %% [markdown] lang="en"
# **Question 6.** Now the forger goes all the way on block #2: edits the payment, updates the summary
# *and* redoes the proof of work. Block #2 looks fine on its own. What is the number of the **first**
# red block?

# %% nbgrader={"grade_id": "q6", "locked": true} answer=3
# zh: 第 6 题：填一个数
# en: question 6: a number
sheet.number("q6", 0, 5)

# %% nbgrader={"grade_id": "q6_check", "grade": true, "points": 2}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_boxes = chain_boxes(forge(honest, 2, WORK), chain.suite)
sheet.expect("q6", next(b.height for b in _boxes if not (b.valid and b.linked)))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN" nbgrader={"grade_id": "w1", "task": true, "points": 2}
# **书面回答（由讲师评分，2 分）.** 用两三句话回答：为什么每个区块都记下前一个区块的指纹，
# 就让人很难悄悄修改一条旧记录？伪造者要想掩盖这种修改，必须做到什么？
#
# === BEGIN MARK SCHEME ===
# **评分标准（2 分）**
#
# * 1 分：说明任何修改都会改变该区块的指纹，于是下一个区块记下的父哈希对不上，
#   核对链接的每个节点都能看出链在哪里断开。
# * 1 分：说明要掩盖修改，必须重做被改区块**及其后每一个区块**的工作量证明，而且要比诚实网络出块更快；
#   或指出链有许多独立副本，伪造者还得替换所有人的副本。
# * 只写“哈希不可逆”“很安全”而没有说明链接如何暴露修改的，不给分。
# === END MARK SCHEME ===

# %% [markdown] lang="en" nbgrader={"grade_id": "w1", "task": true, "points": 2}
# **Written answer (marked by the instructor, 2 points).** In two or three sentences: why does
# recording the previous block's fingerprint in each block make it hard to change an old record
# secretly, and what would a forger have to do to hide such a change?
#
# === BEGIN MARK SCHEME ===
# **Rubric (2 points)**
#
# * 1 point: any edit changes the block's fingerprint, so the next block's recorded parent hash no
#   longer matches, and every node that checks the links sees where the chain breaks.
# * 1 point: to hide the edit the forger must redo the proof of work of the edited block **and of
#   every block after it**, faster than the honest network adds blocks; or: there are many
#   independent copies, and the forger would have to replace everyone's.
# * No points for "hashes cannot be reversed" or "it is secure" without saying how the links expose
#   the edit.
# === END MARK SCHEME ===

# %% nbgrader={"grade_id": "w1_answer", "locked": true}
# zh: 书面回答的输入框
# en: the box for the written answer
sheet.essay("w1")

# %% [markdown] lang="zh-CN"
# ## 小结
#
# * 指纹长度固定，任何修改都会让它面目全非（约一半的位发生变化）。
# * SHA-256 和 SM3 是两个不同的函数：一条链在规则里固定用其中一个。
# * 把指纹串成链，后面每个区块都依赖前面所有区块：篡改历史，就得重做篡改点之后的全部工作。
#   实验五会测一测这份工作有多大。

# %% [markdown] lang="en"
# ## What you saw
#
# * A fingerprint has a fixed size and changes completely (about half its bits) for any edit.
# * SHA-256 and SM3 are different functions: a chain fixes one in its rules.
# * Chaining fingerprints makes every later block depend on every earlier one: editing history means
#   redoing all the work after the edit. Lab 5 measures that work.

# %% nbgrader={"grade_id": "summary", "locked": true}
# zh: 答题情况
# en: what is answered
sheet.summary()
