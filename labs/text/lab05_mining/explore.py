# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   minichain:
#     lab: lab05_mining
#     notebook: explore
#     title:
#       zh-CN: 实验五 · 工作量证明：挖矿、难度与难度调整（探索）
#       en: Lab 5 · Proof of work (explore)
# ---

# %% [markdown] lang="zh-CN"
# # 实验五 · 工作量证明：挖矿、难度与难度调整
#
# *面向领导干部的课程：不需要编程，全部用鼠标点击完成。*
#
# 比特币这样的公有链没有管理员来决定下一个区块由谁添加。取而代之的规则是：谁要添加区块，
# 谁就得先完成大量看似无用的计算，这叫作**工作量证明**。本实验中，你将：
#
# 1. 亲手“挖”出一个区块，看懂“难度”是什么意思；
# 2. 看到挖矿像抽奖：有时快、有时慢，但平均下来可以预期；
# 3. 看到工作量怎样保护旧记录：改动一个区块，就得重做它之后每一个区块的工作；
# 4. 观察**难度调整**怎样在矿工加入或离开时，让出块间隔保持在 10 秒左右。
#
# 这里的一切都运行在 minichain 这条小而真实的区块链上。同样的种子在每台电脑上给出同样的结果，
# 所以你的答案可以核对。
# %% [markdown] lang="en"
# # Lab 5 · Proof of work: mining, difficulty and the retarget
#
# *Officials' track: no programming; everything is done with the mouse.*
#
# A public blockchain such as Bitcoin has no administrator who decides which block comes next.
# Instead, whoever adds a block must first do a lot of useless-looking computation, called **proof of
# work**. In this lab you will:
#
# 1. mine a block yourself and see what "difficulty" means;
# 2. see that mining is a lottery: sometimes quick, sometimes slow, predictable on average;
# 3. see how work protects old records: changing one block means redoing the work of every block
#    after it;
# 4. watch the **retarget** keep blocks about 10 seconds apart when miners join or leave.
#
# Everything runs on minichain, a small but real blockchain. The same seeds give the same results on
# every computer, so your answers can be checked.
# %% [markdown] lang="zh-CN"
# **使用方法**
#
# * 先点击菜单 **运行 → 运行所有单元格**（或工具栏上“重启内核并运行所有单元格”的按钮）。
# * 灰色面板里的滑块、下拉框和按钮都是“活”的：改动它们，下面的图会立即重画。
#   把鼠标停在柱形图的柱子上，可以看到它的数值。
# * **题目**的答案全部用点击给出：选择题点一个选项；数字题在框里填数字后点“确认答案”；
#   书面题在文本框里写几句话后点“保存回答”。每题下方会显示“✓ 已记录你的答案”。
# * 答案一经点击就已保存；最后按 **Ctrl+S** 保存笔记本再交卷。对错在交卷评分时才判定。
# %% [markdown] lang="en"
# **How this notebook works**
#
# * First click **Run → Run All Cells** in the menu (or the toolbar's "restart the kernel and run all
#   cells" button).
# * The grey panels with sliders, menus and buttons are live: change them and the pictures redraw.
#   Hover over a bar of a chart to see its value.
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
import math
import random

import ipywidgets as widgets
from IPython.display import display

from labkit import tr
from labkit.ask import Sheet
from labkit.words import viz_words
from minichain import Block, Chain, transactions_root, work
from minichain.testing import make_genesis, make_wallet, produce_block
from minichain.viz import FONT, chain_boxes, chain_svg

sheet = Sheet("lab05_mining", "explore", lang=tr("zh-CN", "en"))
words = viz_words(tr("zh-CN", "en"))
ALICE, BOB, MINER = make_wallet(0), make_wallet(1), make_wallet("miner")
WIDE = {"description_width": "initial"}   # widget labels shown in full


def demo_block(bits, shift=0):
    """The demo block (Alice pays Bob 25) on a chain of `bits` difficulty bits; `shift` seconds later
    gives another block with the same contents."""
    genesis = make_genesis("pow", difficulty_bits=bits)
    chain = Chain(genesis)
    payment = ALICE.transfer(genesis.chain_id, BOB.address, 25, 0, fee=1)
    block, _ = chain.build_block([payment], MINER.address, genesis.timestamp + 600 + shift)
    return chain, block


def scroll(picture):
    """A wide picture at its full size, in a box that scrolls sideways instead of shrinking it."""
    picture = picture.replace("max-width:100%", "max-width:none", 1)
    return f'<div style="overflow-x:auto; max-width:100%">{picture}</div>'


def bar_chart(values, tips, title, line=None, line_label="", colors=(), trend=None, trend_label="",
              width=900, height=240):
    """A small SVG bar chart (no plotting library needed); hover a bar to read `tips[i]`.
    `line`: a dashed red level; `trend`: one value per bar, drawn as an orange line."""
    top = max([*values, *(trend or ()), line or 0, 1e-9]) * 1.05
    step = (width - 70) / max(len(values), 1)

    def y(value):
        return 44 + (height - 44) * (1 - value / top)

    def text(x, y_, words_, size=13, color="#212121", anchor="start", weight="normal"):
        return (f'<text x="{x:.0f}" y="{y_:.0f}" font-size="{size}" fill="{color}" text-anchor="{anchor}" '
                f'font-weight="{weight}" {FONT}>{html.escape(words_)}</text>')

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 12}" '
             f'viewBox="0 0 {width} {height + 12}" style="max-width:100%;height:auto">',
             text(8, 18, title, 15, weight="bold"),
             f'<line x1="55" y1="{height}" x2="{width - 10}" y2="{height}" stroke="#888"/>',
             text(50, y(top / 1.05) + 4, f"{top / 1.05:,.0f}", 12, anchor="end"),
             text(50, height + 4, "0", 12, anchor="end")]
    for i, value in enumerate(values):
        color = colors[i] if i < len(colors) else "#1565c0"
        parts.append(f'<rect x="{60 + i * step:.1f}" y="{y(value):.1f}" width="{max(step - 2, 1):.1f}" '
                     f'height="{height - y(value):.1f}" fill="{color}"><title>{html.escape(tips[i])}</title></rect>')
    if line is not None:
        parts.append(f'<line x1="55" y1="{y(line):.1f}" x2="{width - 10}" y2="{y(line):.1f}" '
                     'stroke="#c62828" stroke-dasharray="6,4" stroke-width="2"/>')
        parts.append(text(8, 38, "- - - " + line_label, 13, "#c62828"))
    if trend:
        points = " ".join(f"{60 + (i + 0.5) * step:.1f},{y(v):.1f}" for i, v in enumerate(trend))
        parts.append(f'<polyline points="{points}" fill="none" stroke="#ef6c00" stroke-width="2.5"/>')
        parts.append(text(width / 2, 38, "—— " + trend_label, 13, "#ef6c00"))
    return "".join(parts) + "</svg>"


# %% [markdown] lang="zh-CN"
# ## 1. 挖出一个区块
#
# 区块的**哈希**是它全部内容的 256 位指纹：内容有任何改动，哈希都会面目全非、无法预料。
# 工作量证明的规则很简单：**把区块的哈希当作一个数，它不大于目标值，这个区块才算数**。
# 难度为 n 位时，哈希的开头必须至少有 n 个 0。
#
# 矿工没法挑选哈希，只能改动区块里的一个计数器，叫作**随机数**（nonce），然后再试：0、1、2、3……
# 直到某个哈希碰巧落在目标值以下。难度每增加 1 位，每次尝试成功的机会就减半，平均所需的尝试次数就**翻一番**：
# 平均要试 2ⁿ 次（2 的 n 次方）。
#
# 拖动滑块，或者点击“挖出示范区块”。规则要求的那几个 0 用绿色标出。

# %% [markdown] lang="en"
# ## 1. Mining one block
#
# A block's **hash** is a 256-bit fingerprint of its contents: change anything and the hash changes
# completely and unpredictably. The rule of proof of work is simple: *a block only counts if its hash,
# read as a number, is below a **target***. With a difficulty of `bits`, the hash must start with at
# least `bits` zero bits.
#
# The miner cannot choose the hash. It can only change a counter in the block, the **nonce**, and try
# again: 0, 1, 2, 3, … until a hash happens to fall below the target. Each extra difficulty bit halves
# the chance of success per try, so it **doubles** the expected work: on average `2 ** bits` attempts.
#
# Move the slider, or press **Mine the demo block**. The zero bits the rule demands are shown in green.

# %%
# zh: 挖矿面板：难度滑块和“挖出示范区块”按钮
# en: the mining panel: a difficulty slider and a Mine button
bits_slider = widgets.IntSlider(value=8, min=0, max=16, description=tr("难度（位）", "difficulty bits"), style=WIDE)
mine_button = widgets.Button(description=tr("挖出示范区块", "Mine the demo block"), button_style="primary")
mine_result = widgets.HTML()


def mine_demo(_=None):
    bits = bits_slider.value
    chain, block = demo_block(bits)
    result = chain.engine.mine(block.header)
    digest = result.header.hash(chain.suite)
    binary = "".join(f"{byte:08b}" for byte in digest[:5])
    zeros = f"<span style='color:#2e7d32;font-weight:bold'>{binary[:bits]}</span>{binary[bits:]}"
    mine_result.value = (tr(
        f"<p>难度 <b>{bits}</b> 位：尝试了 <b>{result.attempts:,}</b> 次，找到随机数 <b>{result.header.seal.nonce}</b>"
        f"（平均需要 {2 ** bits:,} 次）。</p><p>区块哈希 <code>{digest.hex()}</code></p>"
        f"<p>哈希的前 40 位：<code>{zeros}</code></p>",
        f"<p>Difficulty <b>{bits}</b> bits: found nonce <b>{result.header.seal.nonce}</b> after "
        f"<b>{result.attempts:,}</b> attempts (expected on average: {2 ** bits:,}).</p>"
        f"<p>Block hash <code>{digest.hex()}</code></p><p>Its first 40 bits: <code>{zeros}</code></p>"))


mine_button.on_click(mine_demo)
bits_slider.observe(mine_demo, names="value")
mine_demo()
display(widgets.VBox([widgets.HBox([bits_slider, mine_button]), mine_result]))

# %% [markdown] lang="zh-CN"
# **第 1 题.** 把滑块拖到 **12** 位，挖出示范区块。矿工尝试了多少次？

# %% [markdown] lang="en"
# **Question 1.** Set the slider to **12** bits and mine the demo block. How many attempts did the
# miner need?

# %% nbgrader={"grade_id": "q1", "locked": true} answer=4749
# zh: 第 1 题：填一个数
# en: question 1: a number
sheet.number("q1", 1, 10_000_000, unit=tr("次", "attempts"))

# %% nbgrader={"grade_id": "q1_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_chain, _block = demo_block(12)
sheet.expect("q1", _chain.engine.mine(_block.header).attempts)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# **第 2 题.** 先在 **15** 位挖一次示范区块，再在 **16** 位挖一次。哪一次尝试的次数更多？

# %% [markdown] lang="en"
# **Question 2.** Mine the demo block at **15** bits, then at **16** bits. Which took more attempts?

# %% nbgrader={"grade_id": "q2", "locked": true} answer="a"
# zh: 第 2 题：三个选项
# en: question 2: three options
sheet.choice("q2", [
    ("a", tr("15 位的那一次", "The one at 15 bits")),
    ("b", tr("16 位的那一次", "The one at 16 bits")),
    ("c", tr("两次一样多", "Both the same")),
])

# %% nbgrader={"grade_id": "q2_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_tries = {}
for _bits in (15, 16):
    _chain, _block = demo_block(_bits)
    _tries[_bits] = _chain.engine.mine(_block.header).attempts
sheet.expect("q2", "a" if _tries[15] > _tries[16] else "b" if _tries[16] > _tries[15] else "c")
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 2. 平均可以预期的抽奖
#
# 上一题的结果出乎意料吗？挖矿就像掷骰子：谁也不能让好运必然出现，但掷的次数多了，平均值就非常稳定。
# 点击按钮，在同一难度下挖 40 个不同的区块，把每个区块的尝试次数和平均应有的次数（红色虚线）相比较。

# %% [markdown] lang="en"
# ## 2. A lottery with a predictable average
#
# Did the last answer surprise you? Mining is like rolling dice: nobody can make a lucky roll happen,
# but over many rolls the average is very steady. Press the button to mine 40 different blocks at the
# same difficulty and compare each block's number of attempts with the expected average (the red line).

# %%
# zh: 同一难度下挖 40 个区块，每个区块的尝试次数
# en: 40 blocks mined at the same difficulty, and the attempts each took
luck_bits = widgets.IntSlider(value=8, min=4, max=12, description=tr("难度（位）", "difficulty bits"), style=WIDE)
luck_button = widgets.Button(description=tr("挖 40 个区块", "Mine 40 blocks"), button_style="primary")
luck_picture = widgets.HTML()


def mine_many(_=None):
    bits = luck_bits.value
    attempts = []
    for shift in range(40):
        chain, block = demo_block(bits, shift)
        attempts.append(chain.engine.mine(block.header).attempts)
    average = sum(attempts) / len(attempts)
    luck_picture.value = scroll(bar_chart(
        attempts, [tr(f"第 {i + 1} 个区块：{a:,} 次", f"block {i + 1}: {a:,} attempts") for i, a in enumerate(attempts)],
        tr(f"难度 {bits} 位时每个区块的尝试次数：最少 {min(attempts):,}，最多 {max(attempts):,}，平均 {average:,.0f}",
           f"Attempts per block at {bits} bits: fewest {min(attempts):,}, most {max(attempts):,}, "
           f"average {average:,.0f}"),
        line=2 ** bits, line_label=tr(f"平均应为 {2 ** bits:,} 次", f"expected {2 ** bits:,}")))


luck_button.on_click(mine_many)
luck_bits.observe(mine_many, names="value")
mine_many()
display(widgets.VBox([widgets.HBox([luck_bits, luck_button]), luck_picture]))

# %% [markdown] lang="zh-CN"
# **第 3 题.** 在同一难度下挖许多个区块，每个区块所需的尝试次数：

# %% [markdown] lang="en"
# **Question 3.** Mining many blocks at the same difficulty, the number of attempts per block:

# %% nbgrader={"grade_id": "q3", "locked": true} answer="b"
# zh: 第 3 题：三个选项
# en: question 3: three options
sheet.choice("q3", [
    ("a", tr("每次都正好是 2 的 n 次方（n 为难度位数）", "is always exactly 2 ** bits")),
    ("b", tr("各个区块相差很大，但平均下来约为 2 的 n 次方", "varies a lot from block to block, but averages about 2 ** bits")),
    ("c", tr("越来越少，因为矿工越猜越准", "goes down as the miner gets better at guessing")),
])

# %% nbgrader={"grade_id": "q3_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q3", "b")
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 3. 为什么旧记录很难改
#
# 每个区块都记着前一个区块的哈希。改动旧区块里的一笔交易，这个区块的哈希就变了：它的工作量证明不再成立，
# 下一个区块记着的父哈希也对不上了。要掩盖改动，伪造者必须从被改的区块开始，**把之后的每一个区块重新挖一遍**，
# 而诚实的矿工还在不停地添加新区块。
#
# 下面是一条真实的小链：第 1 到第 5 号区块，难度 12 位（每个区块平均要试 4,096 次），
# 每个区块里有一笔张三付给李四的款。选择要篡改的区块（把付款改成 999,999 元），
# 然后扮演伪造者：点击“重新挖矿”，每次修复最前面的一个红色区块。下方会记下伪造者一共尝试了多少次。

# %% [markdown] lang="en"
# ## 3. Why old records are hard to change
#
# Each block holds the hash of the block before it. Change a transaction in an old block and that
# block's hash changes: its proof of work no longer holds, and the next block's parent hash no longer
# matches. To hide the change, a forger must **mine again every block from the changed one onwards**,
# while honest miners keep adding new blocks.
#
# Below is a real small chain: blocks #1 to #5, at a difficulty of 12 bits (4,096 attempts per block on
# average), each with one payment from Alice to Bob. Choose a block to tamper with (its payment becomes
# 999,999 coins), then play the forger: press **Mine again** to repair the first red block, one at a
# time. The panel counts every attempt the forger makes.

# %%
# zh: 伪造者面板：篡改一个区块，再一个一个重新挖矿
# en: the forger's panel: tamper with a block, then mine the blocks again one by one
FORGE_BITS = 12
forge_chain = Chain(make_genesis("pow", difficulty_bits=FORGE_BITS))
for _i in range(5):
    produce_block(forge_chain, [ALICE.transfer(forge_chain.genesis.chain_id, BOB.address, 100 * (_i + 1), _i, fee=1)])
honest = list(forge_chain.main_chain())
suite = forge_chain.suite


def tampered(height):
    """The honest blocks with block `height` paying 999,999 (its header not yet updated)."""
    blocks = list(honest)
    payment = dataclasses.replace(blocks[height].transactions[0], amount=999_999)
    blocks[height] = Block(blocks[height].header, (payment,))
    return blocks


def first_red(blocks):
    """The height of the first block that fails its checks or its link, or None."""
    return next((box.height for box in chain_boxes(blocks, suite) if not (box.valid and box.linked)), None)


def mine_again(blocks):
    """The forger's step: fix the first red block's Merkle root and parent hash, and mine it again.
    Returns the new blocks and the attempts it took."""
    height = first_red(blocks)
    block = blocks[height]
    header = dataclasses.replace(block.header, parent_hash=blocks[height - 1].hash(suite),
                                 merkle_root=transactions_root(block.transactions, suite))
    result = forge_chain.engine.mine(header.with_seal(dataclasses.replace(header.seal, nonce=0)))
    blocks = list(blocks)
    blocks[height] = Block(result.header, block.transactions)
    return blocks, result.attempts


def forge_cost(height):
    """All the attempts a forger needs to alter block `height` and repair the chain after it."""
    blocks, total = tampered(height), 0
    while first_red(blocks) is not None:
        blocks, attempts = mine_again(blocks)
        total += attempts
    return total


forge_choice = widgets.Dropdown(options=[(tr("不篡改（诚实的链）", "nothing (honest chain)"), 0)]
                                + [(tr(f"第 {h} 号区块", f"block #{h}"), h) for h in range(1, 6)],
                                value=0, description=tr("篡改", "Tamper with"), style=WIDE)
again_button = widgets.Button(description=tr("重新挖矿（修复第一个红色区块）", "Mine again (repair the first red block)"),
                              button_style="warning", layout=widgets.Layout(width="auto"))
all_button = widgets.Button(description=tr("一直挖到全部变绿", "Mine until all are green"),
                            layout=widgets.Layout(width="auto"))
forge_picture = widgets.HTML()
forge_state = {"blocks": honest, "spent": []}


def show_forge():
    blocks, spent = forge_state["blocks"], forge_state["spent"]
    red = first_red(blocks)
    if forge_choice.value == 0:
        note = tr("诚实的链：每个区块都满足目标值，每个链接都对得上。", "The honest chain: every hash meets its target and every link holds.")
    elif red is None:
        note = tr(f"全部变绿了：伪造者重新挖了 {len(spent)} 个区块，一共尝试了 {sum(spent):,} 次。",
                  f"All green: the forger mined {len(spent)} blocks again, {sum(spent):,} attempts in all.")
    else:
        note = (tr(f"第一个红色区块是第 {red} 号。伪造者到目前为止重新挖了 {len(spent)} 个区块，一共尝试了 {sum(spent):,} 次。",
                   f"The first red block is #{red}. So far the forger has mined {len(spent)} blocks again, "
                   f"{sum(spent):,} attempts in all."))
    again_button.disabled = all_button.disabled = red is None
    forge_picture.value = chain_svg(chain_boxes(blocks, suite, words=words), words=words) + f"<p>{note}</p>"


def choose_forgery(_=None):
    forge_state["blocks"] = honest if forge_choice.value == 0 else tampered(forge_choice.value)
    forge_state["spent"] = []
    show_forge()


def repair(_=None, until_green=False):
    while first_red(forge_state["blocks"]) is not None:
        forge_state["blocks"], attempts = mine_again(forge_state["blocks"])
        forge_state["spent"].append(attempts)
        if not until_green:
            break
    show_forge()


forge_choice.observe(choose_forgery, names="value")
again_button.on_click(repair)
all_button.on_click(lambda _: repair(until_green=True))
choose_forgery()
display(widgets.VBox([forge_choice, widgets.HBox([again_button, all_button]), forge_picture]))

# %% [markdown] lang="zh-CN"
# **第 4 题.** 分别篡改第 1 号、第 3 号和第 5 号区块，每次都一直挖到全部变绿。
# 改哪一个区块，伪造者一共需要尝试的次数最少？

# %% [markdown] lang="en"
# **Question 4.** Tamper with block #1, then #3, then #5, each time mining until all blocks are green.
# Which block costs the forger the fewest attempts in all?

# %% nbgrader={"grade_id": "q4", "locked": true} answer="c"
# zh: 第 4 题：三个选项
# en: question 4: three options
sheet.choice("q4", [
    ("a", tr("第 1 号区块（最早的）", "Block #1 (the oldest)")),
    ("b", tr("第 3 号区块", "Block #3")),
    ("c", tr("第 5 号区块（最新的）", "Block #5 (the newest)")),
])

# %% nbgrader={"grade_id": "q4_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_costs = {"a": forge_cost(1), "b": forge_cost(3), "c": forge_cost(5)}
sheet.expect("q4", min(_costs, key=_costs.get))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# 越早的记录，后面压着的区块越多，改起来就越费力。真实的公有链上，诚实矿工每过一段时间就添上一个新区块，
# 伪造者不但要补做这些工作，还要**追上并超过**整个诚实网络，这需要比所有诚实矿工加起来还多的算力。

# %% [markdown] lang="en"
# The older a record, the more blocks lie on top of it, and the harder it is to change. On a real
# public chain honest miners keep adding blocks, so a forger must not only redo that work but also
# **catch up with and overtake** the whole honest network, which takes more computing power than all
# honest miners together.

# %% [markdown] lang="zh-CN"
# ## 4. 难度调整：让出块节奏保持稳定
#
# 矿工来来去去。如果加入了两倍的算力，区块就会快一倍被挖出来。为了保持稳定的节奏，每个节点每隔 10 个区块
# 重新计算一次目标值（**难度调整**）：如果刚过去的这一段区块来得太快，就把目标值调小（更难）；
# 太慢就调大（更容易）。
#
# 下面的模拟挖出 59 个真实区块，希望每 10 秒出一个（红色虚线）。从第 20 号区块起，矿工的算力乘以你选的倍数。
# 柱子是相邻区块之间的秒数：它们参差不齐，因为挖矿是抽奖。橙色线是**期望**的间隔（区块的难度除以算力），
# 难度调整就是在引导它。下表列出每一段共用同一难度的 10 个区块：第 10–19 号、第 20–29 号，依此类推。

# %% [markdown] lang="en"
# ## 4. The retarget: keeping time steady
#
# Miners come and go. If twice as much computing power joins, blocks are found twice as fast. To keep a
# steady pace, every node recomputes the target every 10 blocks (the **retarget**): if the last window
# of blocks came too fast, the target gets smaller (harder); if too slow, larger (easier).
#
# The simulation below mines 59 real blocks that should come every 10 seconds (the red line). From
# block 20 on, the miners' computing power is multiplied by the factor you choose. The bars are the
# seconds between blocks: uneven, because mining is a lottery. The orange line is the *expected* time
# (the block's difficulty divided by the computing power), which the retarget steers. The table shows
# each window of 10 blocks that share one difficulty: blocks 10–19, 20–29 and so on.

# %%
# zh: 难度调整模拟：从第 20 号区块起算力乘以所选倍数
# en: the retarget simulation: from block 20 on the computing power is multiplied by the factor chosen
def simulate_retarget(power_factor, blocks=59, seed=116):
    """Mine `blocks` real blocks. The seconds each takes are random (miners are lucky or not),
    averaging the block's work divided by the miners' hash power. Rows: (height, gap, work, expected)."""
    genesis = make_genesis("pow", difficulty_bits=10, target_block_time=10, retarget_window=10)
    chain, rng = Chain(genesis), random.Random(seed)
    base_power = 2 ** 10 / 10   # hashes per second: one block per 10 s at the start
    clock, rows = float(genesis.timestamp), []
    for height in range(1, blocks + 1):
        power = base_power * (power_factor if height >= 20 else 1)
        block_work = work(chain.engine.next_target(chain.tip, chain))
        clock += rng.expovariate(power / block_work)
        block, _ = chain.build_block([], MINER.address, int(clock))
        mined = chain.engine.mine(block.header).header
        chain.add_block(Block(mined, ()))
        gap = mined.timestamp - chain.block_at(height - 1).header.timestamp
        rows.append((height, gap, block_work, block_work / power))
    return rows


def windows(rows):
    """(first height, last height, average gap in seconds, work per block) for each window of 10."""
    out = []
    for start in range(0, len(rows), 10):
        window = rows[max(start - 1, 0):start + 9]
        out.append((window[0][0], window[-1][0], sum(gap for _, gap, _, _ in window) / len(window), window[0][2]))
    return out


power_choice = widgets.SelectionSlider(options=[0.25, 0.5, 1, 2, 4, 8], value=2,
                                       description=tr("算力倍数 ×", "power × "), style=WIDE)
retarget_picture = widgets.HTML()


def show_retarget(_=None):
    rows = simulate_retarget(power_choice.value)
    colors = ["#1565c0" if height // 10 % 2 == 0 else "#64b5f6" for height, *_ in rows]
    chart = bar_chart([gap for _, gap, _, _ in rows],
                      [tr(f"第 {h} 号区块：{gap} 秒", f"block {h}: {gap} s") for h, gap, _, _ in rows],
                      tr("相邻区块的间隔（秒）；每 10 个区块一段，深浅交替", "Seconds between blocks (each window of 10 "
                         "blocks in its own shade)"),
                      line=10, line_label=tr("目标：10 秒", "wanted: 10 s"), colors=colors,
                      trend=[expected for *_, expected in rows],
                      trend_label=tr("期望间隔：难度 ÷ 算力", "expected: work ÷ hash power"))
    cell = "style='text-align:right; padding:3px 18px; border-bottom:1px solid #e0e0e0'"
    table = [f"<table style='border-collapse:collapse; font-size:15px'><tr><th {cell}>" + tr("区块", "blocks")
             + f"</th><th {cell}>" + tr("实测平均间隔（秒）", "measured average (s)")
             + f"</th><th {cell}>" + tr("难度（每个区块平均尝试次数）", "difficulty (hashes per block)") + "</th></tr>"]
    for first, last, average, block_work in windows(rows):
        table.append(f"<tr><td {cell}>{first}–{last}</td><td {cell}>{average:.1f}</td><td {cell}>{block_work:,}</td></tr>")
    retarget_picture.value = scroll(chart) + "".join(table) + "</table>"


power_choice.observe(show_retarget, names="value")
show_retarget()
display(widgets.VBox([power_choice, retarget_picture]))

# %% [markdown] lang="zh-CN"
# **第 5 题.** 把算力倍数选为 **4**（更多矿工加入）。在难度调整还没来得及反应时（第 20–29 号区块），
# 区块大约每隔多少秒出一个？

# %% [markdown] lang="en"
# **Question 5.** Choose a power factor of **4** (more miners join). Before the retarget has had time to
# react (blocks 20–29), about how many seconds apart do blocks come?

# %% nbgrader={"grade_id": "q5", "locked": true} answer="d"
# zh: 第 5 题：四个选项
# en: question 5: four options
sheet.choice("q5", [
    ("a", tr("约 40 秒", "About 40 seconds")),
    ("b", tr("约 10 秒，不变", "About 10 seconds, unchanged")),
    ("c", tr("约 5 秒", "About 5 seconds")),
    ("d", tr("约 2.5 秒", "About 2.5 seconds")),
])

# %% nbgrader={"grade_id": "q5_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_gaps = {"a": 40, "b": 10, "c": 5, "d": 2.5}   # the options' seconds
_seen = next(average for first, _, average, _ in windows(simulate_retarget(4)) if first == 20)
sheet.expect("q5", min(_gaps, key=lambda key: abs(math.log(_gaps[key] / _seen))))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# **第 6 题.** 把算力倍数选为 **8**，比较表中第 20–29 号区块和第 30–39 号区块的难度。
# 第 20 号区块起算力涨到了 8 倍，第 30 号区块的那次难度调整，把难度提高到了原来的大约几倍？

# %% [markdown] lang="en"
# **Question 6.** Choose a power factor of **8** and compare the difficulty of blocks 20–29 with that of
# blocks 30–39 in the table. The computing power went up 8 times at block 20: by about what factor did
# the retarget at block 30 raise the difficulty?

# %% nbgrader={"grade_id": "q6", "locked": true} answer="b"
# zh: 第 6 题：四个选项
# en: question 6: four options
sheet.choice("q6", [
    ("a", tr("约 2 倍", "About 2 times")),
    ("b", tr("约 4 倍", "About 4 times")),
    ("c", tr("约 8 倍", "About 8 times")),
    ("d", tr("约 16 倍", "About 16 times")),
])

# %% nbgrader={"grade_id": "q6_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_steps = {"a": 2, "b": 4, "c": 8, "d": 16}   # the options' factors
_work = {first: block_work for first, _, _, block_work in windows(simulate_retarget(8))}
sheet.expect("q6", min(_steps, key=lambda key: abs(math.log(_steps[key] * _work[20] / _work[30]))))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# 为什么算力涨了 8 倍，难度却只提高了约 4 倍？因为规则规定：**一次调整最多把难度提高到 4 倍或降低到四分之一**
# （比特币也是如此）。这样，谁也不能靠伪造几个时间戳让难度一下子大起大落；算力剧变时，难度分几次逐步追上。
# 再看看第 40 号以后的区块：间隔又回到了 10 秒左右。

# %% [markdown] lang="en"
# Why did the difficulty rise only about 4 times when the power went up 8 times? Because the rule says
# **one retarget may raise the difficulty at most 4 times, or lower it to at most a quarter** (as in
# Bitcoin). So nobody can swing the difficulty wildly by faking a few timestamps; after a big change in
# computing power, the difficulty catches up over several steps. Look at the blocks after #40: they are
# about 10 seconds apart again.

# %% [markdown] lang="zh-CN" nbgrader={"grade_id": "w1", "task": true, "points": 2}
# **书面回答（由讲师评分，2 分）.** 某部门打算把土地登记文件的指纹（哈希值）记录在一条采用工作量证明的公有链上。
# 用三四句话向同事解释：是什么保护着 100 个区块之前写入的记录不被悄悄修改？攻击者要改动它，需要具备什么？
#
# === BEGIN MARK SCHEME ===
# **评分标准（2 分）**
#
# * 1 分：说明每个区块都记着前一个区块的哈希、并带有工作量证明，改动旧记录会让该区块的哈希改变，
#   它自己的工作量证明和之后每个区块的链接都会失效；攻击者必须把这个区块**以及之后的约 100 个区块**全部重新挖一遍。
# * 1 分：说明只重挖还不够，还要追上并超过仍在不断增长的诚实链，也就是要长时间掌握超过全网一半的算力
#   （51% 攻击），代价极高，而且很容易被发现。
# * 只写“区块链不可篡改”“有密码学保护”而没有说明工作量与算力的，不给分。
# === END MARK SCHEME ===

# %% [markdown] lang="en" nbgrader={"grade_id": "w1", "task": true, "points": 2}
# **Written answer (marked by the instructor, 2 points).** A ministry wants to record the fingerprints
# (hashes) of land-registry documents on a public proof-of-work blockchain. In three or four sentences,
# explain to a colleague what protects a record written 100 blocks ago from being quietly changed, and
# what an attacker would need to change it.
#
# === BEGIN MARK SCHEME ===
# **Rubric (2 points)**
#
# * 1 point: each block holds the previous block's hash and carries proof of work; changing the old
#   record changes that block's hash, so its own proof of work and every later block's link break; the
#   attacker must mine that block **and the roughly 100 blocks after it** again.
# * 1 point: redoing the work is not enough: the attacker must also catch up with and overtake the
#   honest chain, which keeps growing, so it needs more than half of all the computing power (a 51 %
#   attack) for a long time: very expensive, and easy to see.
# * No points for "a blockchain cannot be changed" or "cryptography protects it" without saying how
#   work and computing power do.
# === END MARK SCHEME ===

# %% nbgrader={"grade_id": "w1_answer", "locked": true}
# zh: 书面回答的输入框
# en: the box for the written answer
sheet.essay("w1")

# %% [markdown] lang="zh-CN"
# ## 小结
#
# * 工作量证明要求区块哈希低于目标值；难度每增加 1 位，平均所需的尝试次数翻一番。
# * 单个区块要试多少次全凭运气，许多区块的平均值却很稳定。
# * 改动一条旧记录，就得重挖它之后的每一个区块：记录越旧，越难改。
# * 难度调整让出块间隔在算力变化时回到目标值；每次调整最多 4 倍，所以要分几步追上。

# %% [markdown] lang="en"
# ## What you saw
#
# * Proof of work asks for a block hash below a target; each extra difficulty bit doubles the expected
#   number of attempts.
# * How many attempts one block takes is luck; the average over many blocks is steady.
# * Changing an old record means mining every later block again: the older the record, the harder.
# * The retarget brings block times back to the target when computing power changes; each step is at
#   most a factor of 4, so it catches up in several steps.

# %% nbgrader={"grade_id": "summary", "locked": true}
# zh: 答题情况
# en: what is answered
sheet.summary()
