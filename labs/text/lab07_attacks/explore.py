# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   minichain:
#     lab: lab07_attacks
#     notebook: explore
#     title:
#       zh-CN: 实验七 · 攻击：双花、伪造的长链与自私挖矿（探索）
#       en: Lab 7 · Attacks (explore)
# ---

# %% [markdown] lang="zh-CN"
# # 实验七 · 攻击：双花、伪造的长链与自私挖矿
#
# *面向领导干部的课程：不需要编程，全部用鼠标点击完成。*
#
# 工作量证明只有在诚实的矿工掌握大部分算力时才是安全的。本实验请你坐到攻击者的位置上，亲手量一量攻击者能做什么、不能做什么：
#
# 1. **双花**：付款、提货，再用一条秘密挖出的更长的链把付款抹掉；成功的机会取决于攻击者的算力占比和商家等待的确认数；
# 2. **伪造的更长链**：一条更长、却违反规则的链为什么会被拒绝，发送它的节点为什么会被封禁；
# 3. **自私挖矿**：一个大矿池怎样在不违反任何规则的情况下，拿到超过公平份额的收益。
#
# 面板里的区块都是真实的 minichain 区块，节点是真实的 minichain 节点，运行在笔记本内模拟的网络上；
# 每次运行都由固定的种子决定，所以每台机器上看到的结果都一样。
# %% [markdown] lang="en"
# # Lab 7 · Attacks: double spending, fake chains and selfish mining
#
# *Officials' track: no programming; everything is done with the mouse.*
#
# Proof of work is secure only as long as honest miners hold most of the computing power. In this
# lab you take the attacker's seat and measure what an attacker can and cannot do:
#
# 1. **double spending**: pay, take the goods, then erase the payment with a longer chain mined in
#    secret; the chance of success depends on the attacker's share of the computing power and on how
#    many confirmations the merchant waits for;
# 2. the **fake longer chain**: why a longer chain that breaks a rule is refused, and the node that
#    sent it banned;
# 3. **selfish mining**: how a large pool can earn more than its fair share without breaking any
#    rule.
#
# The panels' blocks are real minichain blocks and their nodes real minichain nodes, on a network
# simulated inside the notebook; every run follows a fixed seed, so every machine shows the same.
# %% [markdown] lang="zh-CN"
# **使用方法**
#
# * 先点击菜单 **运行 → 运行所有单元格**。
# * 灰色面板里的滑块、菜单和按钮都是“活”的：改动它们，下面的图会立即重画。
# * **题目**的答案全部用点击给出：选择题点一个选项；数字题在框里填数字后点“确认答案”；
#   书面题在文本框里写几句话后点“保存回答”。每题下方会显示“✓ 已记录你的答案”。
# * 答案一经点击就已保存；最后按 **Ctrl+S** 保存笔记本再交卷。对错在交卷评分时才判定。
# %% [markdown] lang="en"
# **How this notebook works**
#
# * First click **Run → Run All Cells** in the menu.
# * The grey panels with sliders, menus and buttons are live: change them and the pictures redraw.
# * Every **question** is answered by clicking: pick an option; or type a number and click
#   "Confirm answer"; or write a few sentences and click "Save answer". Each question then shows
#   "✓ Your answer is recorded".
# * An answer is kept the moment you click; at the end press **Ctrl+S** to save the notebook, then
#   hand it in. Whether an answer is right is decided when the lab is graded.
# %% nbgrader={"grade_id": "setup", "locked": true}
# zh: 准备工作：载入 minichain 的链、节点、内存网络和绘图工具，以及本实验的人物。
# en: Set-up: load minichain's chain, nodes, in-memory network and drawing tools, and this lab's people.
import dataclasses
import itertools
import random
import re

import ipywidgets as widgets
from IPython.display import display

from labkit import tr
from labkit.ask import Sheet
from labkit.words import viz_words
from minichain import Block, Chain, MemoryNetwork, NodeConfig, NodeCore, transactions_root
from minichain.node import Ban, Blocks, Event, Hello
from minichain.testing import make_genesis, make_wallet, produce_block
from minichain.viz import chain_tree_blocks, fork_tree_svg

sheet = Sheet("lab07_attacks", "explore", lang=tr("zh-CN", "en"))
words = viz_words(tr("zh-CN", "en"))
# zh: 本实验的人物与它们的钱包（种子在两种语言里相同，所以结果相同）
# en: this lab's people and their wallets (the seeds are the same in both languages, so are the results)
BUYER, BUYER_2, DEALER = make_wallet("lab07-buyer"), make_wallet("lab07-buyer-2"), make_wallet("lab07-dealer")
MINERS, ATTACKER, POOL = make_wallet("lab07-miners"), make_wallet("lab07-attacker"), make_wallet("lab07-pool")
GENESIS = make_genesis("pow", difficulty_bits=8, retarget_window=1000, funded=[BUYER], chain_id="lab07-explore")
PAYMENT = BUYER.transfer(GENESIS.chain_id, DEALER.address, 1000, 0, fee=1)   # the car
REFUND = BUYER.transfer(GENESIS.chain_id, BUYER_2.address, 1000, 0, fee=1)   # the same coins, the same nonce
SUITE = Chain(GENESIS).suite


def scroll(picture):
    """A wide picture at its full size, in a box that scrolls sideways."""
    picture = picture.replace('style="max-width:100%;height:auto"', 'style="max-width:none"', 1)
    return f'<div style="overflow-x:auto; max-width:100%">{picture}</div>'


def tree_of(chains, tips, best, title):
    """The fork tree of every block in `chains`; `tips` names the block each one follows."""
    entries = {(e.hash, e.header.parent_hash, e.height) for chain in chains for e in chain.all_entries()}
    return scroll(fork_tree_svg(chain_tree_blocks(entries), tips, best=best, title=title, words=words))


def bar_chart(values, labels, title, unit="", trend=None, trend_label=""):
    """A small SVG bar chart (hover a bar for its value); `trend`: one value per bar, an orange line."""
    width, height = 680, 220
    top = max([*values, *(trend or ()), 1e-9]) * 1.05
    step = (width - 70) / len(values)

    def y(value):
        return 40 + (height - 40) * (1 - value / top)

    font = "font-family=\"'Noto Sans', 'Noto Sans CJK SC', sans-serif\""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 30}" {font} font-size="12">',
             f'<text x="8" y="16" font-size="14" font-weight="bold">{title}</text>',
             f'<line x1="55" y1="{height}" x2="{width - 10}" y2="{height}" stroke="#888"/>',
             f'<text x="50" y="{y(top / 1.05) + 4:.0f}" text-anchor="end">{top / 1.05:.3g}{unit}</text>',
             f'<text x="50" y="{height + 4}" text-anchor="end">0</text>']
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        parts.append(f'<rect x="{60 + i * step:.1f}" y="{y(value):.1f}" width="{step - 4:.1f}" '
                     f'height="{height - y(value):.1f}" fill="#1565c0"><title>{label}: {value:.3g}{unit}</title></rect>'
                     f'<text x="{60 + (i + 0.5) * step:.1f}" y="{height + 16}" text-anchor="middle">{label}</text>')
    if trend:
        points = " ".join(f"{60 + (i + 0.5) * step:.1f},{y(v):.1f}" for i, v in enumerate(trend))
        parts.append(f'<polyline points="{points}" fill="none" stroke="#ef6c00" stroke-width="2.5"/>'
                     f'<text x="8" y="32" fill="#ef6c00">—— {trend_label}</text>')
    return "".join(parts) + "</svg>"


# %% [markdown] lang="zh-CN"
# ## 1. 双花
#
# 张三花 1000 元向车行买一辆车。她的付款被打包进一个区块；车行要等到若干个**确认**（付款所在的区块，
# 加上接在它后面的区块）之后才交车钥匙。与此同时，张三偷偷运行着自己的一个节点，它不和任何节点通信，
# 从付款之前的那个区块开始挖出一条**秘密分支**：在这条分支上，同样的 1000 元转进了张三自己的另一个钱包。
# 两笔交易花的是同一笔钱、用的是同一个交易序号（nonce），所以链上永远只能有其中一笔。
# 张三拿到车之后，如果她的秘密分支比公开的链更长，她就让自己的节点重新联网：所有节点（包括车行的节点）都**重组**到更重的分支上，
# 付给车行的那笔钱就消失了。
#
# 每个新区块由张三挖到的概率，等于她所占的算力份额；她落后 6 个区块时就放弃。用滑块选择她的算力占比、
# 车行等待的确认数，以及“第几场”比赛（每个编号代表一次不同的运气）。

# %% [markdown] lang="en"
# ## 1. The double spend
#
# Alice buys a car from a car dealer for 1,000 coins. Her payment goes into a block, and the dealer
# waits for a few **confirmations** (the payment's block and the blocks built on it) before handing
# over the keys. Meanwhile Alice secretly runs a node of her own that talks to nobody, and mines a
# **secret branch** from the block before her payment, on which the same 1,000 coins go to her second
# wallet instead. Both transactions spend the same coins with the same nonce, so only one of them can
# ever be in the chain. Once she has the car, if her secret branch is longer than the public chain, she
# connects her node again: every node, the dealer's included, **reorganises** to the heavier branch,
# and the payment to the dealer disappears.
#
# Each new block is Alice's with a probability equal to her share of the computing power; she gives
# up when she falls 6 blocks behind. Choose her share, how many confirmations the dealer waits for,
# and a race number (each number is a different run of luck).

# %%
# zh: 一场双花比赛：车行的节点、诚实矿工的节点和张三的秘密节点
# en: one double-spend race: the dealer's node, the honest miners' node and Alice's secret node
def race(share, confirmations, rng, give_up=6, max_blocks=200):
    """One race, counting blocks only: each new block is the attacker's with probability `share`.
    The dealer hands over the car once the payment has `confirmations` blocks (its own included); the
    attacker wins if her secret branch is then longer. (winner, "h"/"a" in the order found)."""
    honest = attacker = 0
    order = []
    while True:
        if rng.random() < share:
            attacker += 1
            order.append("a")
        else:
            honest += 1
            order.append("h")
        if honest >= confirmations and attacker > honest:
            return "attacker", order
        if honest - attacker >= give_up or honest + attacker >= max_blocks:
            return "honest", order


def network_race(share, confirmations, seed):
    """The same race on three real nodes: the dealer's and the honest miners' nodes are connected;
    Alice's node is cut off while she mines, and joins again only if she wins."""
    winner, order = race(share, confirmations, random.Random(seed))
    net = MemoryNetwork(GENESIS, [
        NodeConfig("dealer"),
        NodeConfig("miners", miner=MINERS.address, mining_attempts_per_tick=0),
        NodeConfig("buyer", miner=ATTACKER.address, mining_attempts_per_tick=0)], seed=seed)
    net.run_for(1)
    net.partition([["dealer", "miners"], ["buyer"]])
    net.submit("dealer", PAYMENT)
    net.submit("buyer", REFUND)
    net.run_for(1)
    for turn in order:
        net.produce("miners" if turn == "h" else "buyer")
        net.run_for(1)
    if winner == "attacker":
        net.heal()
        net.run_for(3)
    return net, winner, order


share_slider = widgets.IntSlider(value=25, min=5, max=70, step=5, continuous_update=False,
                                 description=tr("张三的算力（%）", "Alice's share (%)"),
                                 style={"description_width": "initial"})
wait_slider = widgets.IntSlider(value=3, min=1, max=6, continuous_update=False,
                                description=tr("车行等待的确认数", "confirmations"),
                                style={"description_width": "initial"})
seed_slider = widgets.IntSlider(value=1, min=1, max=30, continuous_update=False,
                                description=tr("第几场", "race number"), style={"description_width": "initial"})
race_picture = widgets.HTML()


def show_race(_=None):
    net, winner, order = network_race(share_slider.value / 100, wait_slider.value, seed_slider.value)
    dealer, buyer = net.by_id["dealer"].chain, net.by_id["buyer"].chain
    found = " ".join(tr("张", "A") if turn == "a" else tr("诚", "h") for turn in order)
    verdict = (tr("<b style='color:#c62828'>张三赢了</b>：她公开了更长的秘密分支，车行的节点发生重组，付款消失了",
                  "<b style='color:#c62828'>Alice wins</b>: she published her longer secret branch, the dealer's "
                  "node reorganised, and the payment is gone") if winner == "attacker" else
               tr("<b style='color:#2e7d32'>诚实的矿工赢了</b>：张三的秘密分支远远落后，她放弃了",
                  "<b style='color:#2e7d32'>the honest miners win</b>: Alice's secret branch fell far behind, "
                  "she gave up"))
    race_picture.value = (
        tr(f"<p>出块顺序（张 = 张三挖到，诚 = 诚实矿工挖到）：{found}</p>",
           f"<p>Blocks in the order found (A = Alice's, h = the honest miners'): {found}</p>")
        + f"<p>{verdict}{tr('。', '.')}" + tr(f"车行的余额：<b>{dealer.state.balance(DEALER.address):,}</b> 元；"
                                  f"张三另一个钱包的余额：{dealer.state.balance(BUYER_2.address):,} 元。</p>",
                                  f" The dealer's balance: <b>{dealer.state.balance(DEALER.address):,}</b> coins; "
                                  f"Alice's second wallet: {dealer.state.balance(BUYER_2.address):,}.</p>")
        + tree_of([dealer, buyer], {tr("车行的节点", "dealer's node"): dealer.tip_hash,
                                    tr("张三的秘密节点", "Alice's secret node"): buyer.tip_hash},
                  dealer.tip_hash, tr("绿色：比赛结束时车行的节点跟随的链", "Green: the chain the dealer's node follows at the end")))


for slider in (share_slider, wait_slider, seed_slider):
    slider.observe(show_race, names="value")
show_race()
display(widgets.VBox([widgets.HBox([share_slider, wait_slider]), seed_slider, race_picture]))

# %% [markdown] lang="zh-CN"
# **第 1 题.** 把张三的算力调到 **30%**，确认数调到 **2**，再把“第几场”从 1 依次拖到 10。
# 这 10 场比赛里，张三赢了几场？

# %% [markdown] lang="en"
# **Question 1.** Set Alice's share to **30 %** and the confirmations to **2**, then move the race
# number from 1 to 10, one by one. In how many of these 10 races does Alice win?

# %% nbgrader={"grade_id": "q1", "locked": true} answer=2
# zh: 第 1 题：填一个数
# en: question 1: a number
sheet.number("q1", 0, 10, unit=tr("场", "races"))

# %% nbgrader={"grade_id": "q1_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q1", sum(race(0.3, 2, random.Random(seed))[0] == "attacker" for seed in range(1, 11)))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# 一场比赛靠的是运气。要**量出**张三成功的机会，就要赛很多场：下面的面板对每个确认数各赛 1000 场
# （这里只数区块、不真正造区块，所以很快），画出张三赢的比例。（中本聪在比特币论文第 11 节用一个公式估算了同一个机会，
# 企业工程师课程会实现这个公式。）

# %% [markdown] lang="en"
# One race is luck. To **measure** Alice's chance, run many: the panel below runs 1,000 races for each
# number of confirmations (here blocks are only counted, not built, so it is fast) and shows the share
# Alice wins. (Satoshi Nakamoto's Bitcoin paper estimates the same chance with a formula, in its
# section 11; the enterprise track implements it.)

# %%
# zh: 对每个确认数各赛 1000 场，张三赢的比例
# en: 1,000 races for each number of confirmations: the share Alice wins
def success_rate(share, confirmations, races=1000, seed=1):
    rng = random.Random(seed)
    return sum(race(share, confirmations, rng)[0] == "attacker" for _ in range(races)) / races


measure_slider = widgets.IntSlider(value=25, min=5, max=70, step=5, continuous_update=False,
                                   description=tr("张三的算力（%）", "Alice's share (%)"),
                                   style={"description_width": "initial"})
measure_picture = widgets.HTML()


def show_measure(_=None):
    share = measure_slider.value / 100
    waits = list(range(1, 11))
    rates = [100 * success_rate(share, wait) for wait in waits]
    chart = bar_chart(rates, [str(w) for w in waits], unit=" %",
                      title=tr(f"张三占 {share:.0%} 算力时赢的比例（%），横轴为车行等待的确认数",
                               f"Alice's wins (%) with {share:.0%} of the power, by confirmations waited for"))
    heads = "".join(f"<th>{w}</th>" for w in waits)
    cells = "".join(f"<td>{rate:.1f} %</td>" for rate in rates)
    measure_picture.value = (chart + f"<table><tr><th>{tr('确认数', 'confirmations')}</th>{heads}</tr>"
                             f"<tr><td>{tr('张三赢的比例', 'Alice wins')}</td>{cells}</tr></table>")


measure_slider.observe(show_measure, names="value")
show_measure()
display(widgets.VBox([measure_slider, measure_picture]))

# %% [markdown] lang="zh-CN"
# **第 2 题.** 张三只有 **10%** 的算力，车行等待 **6** 个确认。张三大约多久能成功一次？

# %% [markdown] lang="en"
# **Question 2.** Alice has **10 %** of the computing power and the dealer waits for **6**
# confirmations. About how often does Alice win?

# %% nbgrader={"grade_id": "q2", "locked": true} answer="c"
# zh: 第 2 题：三个选项
# en: question 2: three options
sheet.choice("q2", [
    ("a", tr("大约一半的场次", "About half the time")),
    ("b", tr("大约十场里赢一场", "About one race in ten")),
    ("c", tr("一百场里还赢不到一场", "Less than one race in a hundred")),
])

# %% nbgrader={"grade_id": "q2_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_rate = success_rate(0.1, 6)
sheet.expect("q2", "c" if _rate < 0.01 else "b" if _rate < 0.25 else "a")
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# **第 3 题.** 张三有 **30%** 的算力。车行至少要等多少个确认，张三赢的比例才会**低于 10%**？

# %% [markdown] lang="en"
# **Question 3.** Alice has **30 %** of the computing power. What is the smallest number of
# confirmations for which she wins **less than 10 %** of the races?

# %% nbgrader={"grade_id": "q3", "locked": true} answer=6
# zh: 第 3 题：填一个数
# en: question 3: a number
sheet.number("q3", 1, 10, unit=tr("个确认", "confirmations"))

# %% nbgrader={"grade_id": "q3_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q3", next(wait for wait in range(1, 11) if success_rate(0.3, wait) < 0.10))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# **第 4 题.** 张三的算力占比超过多少时，无论车行等多久，她都（几乎）场场都赢？

# %% [markdown] lang="en"
# **Question 4.** From what share of the computing power does Alice win (almost) every race, however
# long the dealer waits?

# %% nbgrader={"grade_id": "q4", "locked": true} answer="c"
# zh: 第 4 题：三个选项
# en: question 4: three options
sheet.choice("q4", [
    ("a", tr("超过 10%", "Above 10 %")),
    ("b", tr("超过 30%", "Above 30 %")),
    ("c", tr("超过 50%", "Above 50 %")),
])

# %% nbgrader={"grade_id": "q4_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q4", "c")
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 2. 伪造的更长链
#
# 攻击者能不能省掉最难的部分，直接给节点发一条**更长**、却违反规则的链？比如在这条链上，张三的钱没有经过她签名就转给了攻击者。
# 不能：节点在切换到一个分支之前，会核验其中的每一个区块。只要有一个区块违反规则，整个分支都会被拒绝，
# 节点的链原封不动；发送它的对等节点会被**封禁**（断开连接，一段时间内不再理会），因为诚实的节点从不转发无效区块。
#
# 诚实节点的链上有 3 个区块。攻击者发来 4 个：前三个是真刀真枪挖出来的（和诚实的链一样重，所以节点仍保留它先看到的那条链），
# 只有第 4 个会让攻击者的链更长。菜单一开始选的是“不作弊”：四个区块都合规，攻击者的链更长，诚实节点就切换过去，
# 上一节的双花靠的正是这一点。再在菜单里选择攻击者怎样作弊：

# %% [markdown] lang="en"
# ## 2. The fake longer chain
#
# Could an attacker skip the hard part and simply send nodes a *longer* chain that breaks the rules,
# for example one in which Alice's coins move to the attacker without her signature? No: a node checks
# every block of a branch before switching to it. If any block breaks a rule, the whole branch is
# refused, the node's chain stays exactly as it was, and the peer that sent it is **banned**
# (disconnected and ignored for a while), since honest nodes never relay invalid blocks.
#
# The honest node's chain has 3 blocks. The attacker sends 4: the first three are honestly mined (as
# heavy as the honest chain, so the node keeps the chain it saw first), and only the fourth would make
# the attacker's chain longer. The menu starts at "no cheating": all four blocks are valid, the
# attacker's chain is longer, and the honest node switches to it, which is what the double spend above
# relies on. Then choose in the menu how the attacker cheats:

# %%
# zh: 诚实节点收到攻击者的 4 个区块：攻击者可以选择怎样作弊
# en: an honest node receives the attacker's 4 blocks; choose how the attacker cheats
def honest_node():
    """A node with 3 honest blocks that has just greeted a peer claiming a much heavier chain."""
    chain = Chain(GENESIS)
    for _ in range(3):
        produce_block(chain, producer=MINERS)
    node = NodeCore(GENESIS, NodeConfig("honest"), chain=chain)
    boast = Hello(GENESIS.chain_id, chain.genesis_hash, "attacker", 10, bytes(32), 2 ** 40)
    node.receive("attacker", boast, float(GENESIS.timestamp + 100))
    return node


def attacker_blocks(trick):
    """The attacker's 4 blocks, all mined; the last one carries Alice's payment to the dealer, and
    `trick` says how it is then doctored: "none", "forged", "no-work" or "money"."""
    chain = Chain(GENESIS)
    for payments in ([], [], [], [PAYMENT]):
        produce_block(chain, payments, producer=ATTACKER)
    *first, last = list(chain.main_chain())[1:]
    header, body = last.header, last.transactions
    if trick == "forged":    # the payment Alice signed, redirected to the attacker: her signature no longer fits
        body = (dataclasses.replace(PAYMENT, recipient=ATTACKER.address),)
        header = chain.engine.mine(dataclasses.replace(header, merkle_root=transactions_root(body, chain.suite))).header
    if trick == "money":     # the header claims balances its transactions do not give
        header = chain.engine.mine(dataclasses.replace(header, state_root=bytes(32))).header
    if trick == "no-work":   # a nonce that misses the target: no proof of work
        nonce = next(n for n in itertools.count() if chain.engine.mine(header, n, 1).header is None)
        header = header.with_seal(dataclasses.replace(header.seal, nonce=nonce))
    return [*first, Block(header, body)]


def send_fake_chain(trick):
    """Hand the attacker's blocks to an honest node: (node, its tip before, the blocks, its effects)."""
    node = honest_node()
    tip = node.chain.tip_hash
    blocks = attacker_blocks(trick)
    effects = node.receive("attacker", Blocks(tuple(blocks), False), float(GENESIS.timestamp + 101))
    return node, tip, blocks, effects


def rule_of(effects):
    """The rule id the node named when it banned the sender (None if it banned nobody)."""
    return next((re.search(r"\[([\w-]+)\]", e.reason).group(1) for e in effects if isinstance(e, Ban)), None)


def what_the_node_did(blocks, effects):
    """The honest node's effects, said in the notebook's language (blocks named by their height)."""
    height = {block.hash(SUITE).hex()[:8]: block.height for block in blocks}
    lines = []
    for effect in effects:
        if isinstance(effect, Ban):
            lines.append(tr("<b>封禁</b>攻击者：断开连接，600 秒内不再理会它",
                            "<b>banned</b> the attacker: disconnected and ignored for 600 s"))
        elif isinstance(effect, Event) and effect.kind == "fork":
            number = height.get(effect.detail.split()[-1][:8], "?")
            lines.append(tr(f"收下第 {number} 号区块，放在侧分支上（与现有的链一样重，不切换）",
                            f"stored block #{number} on a side branch (as heavy as its own chain: no switch)"))
        elif isinstance(effect, Event) and effect.kind == "reorg":
            lines.append(tr("<b>切换</b>到攻击者的链（重组）：它更长，而且每个区块都合规",
                            "<b>switched</b> to the attacker's chain (a reorganisation): longer, and every block valid"))
        elif isinstance(effect, Event) and effect.kind == "block-rejected":
            number = height.get(effect.detail[:8], "?")
            rule = re.search(r"\[([\w-]+)\]", effect.detail).group(1)
            lines.append(tr(f"<b>拒绝</b>第 {number} 号区块：违反规则 <code>[{rule}]</code>",
                            f"<b>refused</b> block #{number}: rule <code>[{rule}]</code>"))
    return "<ul style='font-size:14px'>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>"


trick_menu = widgets.Dropdown(options=[
    (tr("不作弊：四个区块都合规（攻击者只是算力多）", "no cheating: all four blocks valid (just more power)"), "none"),
    (tr("把张三签过名的付款改成付给攻击者", "redirects a payment Alice signed to the attacker"), "forged"),
    (tr("第 4 个区块不做工作量证明", "skips the proof of work in block 4"), "no-work"),
    (tr("第 4 个区块谎报账户余额", "claims balances in block 4 that its transactions do not give"), "money"),
], value="none", description=tr("攻击者", "the attacker"), style={"description_width": "initial"},
    layout=widgets.Layout(width="80%"))
fake_picture = widgets.HTML()


def show_fake(_=None):
    node, tip, blocks, effects = send_fake_chain(trick_menu.value)
    unchanged = node.chain.tip_hash == tip
    fake_picture.value = (
        tr("<p>诚实节点做了什么：</p>", "<p>What the honest node did:</p>") + what_the_node_did(blocks, effects)
        + tr(f"<p>它的链：高度 {node.chain.height}，", f"<p>Its chain: height {node.chain.height}, ")
        + (tr("<b style='color:#2e7d32'>原封不动</b>", "<b style='color:#2e7d32'>unchanged</b>") if unchanged
           else tr("<b style='color:#c62828'>换成了攻击者的链</b>", "<b style='color:#c62828'>now the attacker's</b>"))
        + tr("。攻击者被封禁：", ". Attacker banned: ")
        + (tr("<b>是</b>", "<b>yes</b>") if node.is_banned("attacker", GENESIS.timestamp + 102) else tr("否", "no"))
        + tr("。</p>", ".</p>"))


trick_menu.observe(show_fake, names="value")
show_fake()
display(widgets.VBox([trick_menu, fake_picture]))

# %% [markdown] lang="zh-CN"
# **第 5 题.** 攻击者把张三签过名的付款改成付给自己时，诚实节点指出的是哪条**规则编号**（方括号里的简短名称）？

# %% [markdown] lang="en"
# **Question 5.** Which **rule id** (the short name in square brackets) did the honest node give when
# the attacker redirected the payment Alice had signed?

# %% nbgrader={"grade_id": "q5", "locked": true} answer="b"
# zh: 第 5 题：四个选项
# en: question 5: four options
RULE_OPTIONS = [("a", "pow-insufficient"), ("b", "tx-signature"), ("c", "block-state-root"), ("d", "tx-nonce")]
sheet.choice("q5", RULE_OPTIONS)

# %% nbgrader={"grade_id": "q5_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_node, _tip, _blocks, _effects = send_fake_chain("forged")
sheet.expect("q5", {rule: key for key, rule in RULE_OPTIONS}[rule_of(_effects)])
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# **第 6 题.** 第 4 个区块**不做工作量证明**时，诚实节点指出的是哪条规则编号？

# %% [markdown] lang="en"
# **Question 6.** Which rule id catches the chain whose fourth block **skips the proof of work**?

# %% nbgrader={"grade_id": "q6", "locked": true} answer="a"
# zh: 第 6 题：四个选项
# en: question 6: four options
sheet.choice("q6", RULE_OPTIONS)

# %% nbgrader={"grade_id": "q6_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_node, _tip, _blocks, _effects = send_fake_chain("no-work")
sheet.expect("q6", {rule: key for key, rule in RULE_OPTIONS}[rule_of(_effects)])
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 3. 自私挖矿
#
# 一个大矿池可以玩一个更隐蔽的游戏，而且不违反任何规则：它把挖到的区块**藏起来**，等诚实的矿工挖到一个区块时，
# 再把藏着的区块公开，让诚实矿工的区块作废。诚实矿工白白浪费了算力，矿池浪费得少。
#
# 先亲手玩一玩。下面有两个真实的节点：**矿池**和**诚实矿工**。矿池挖到区块时，它就把自己和网络断开
# （区块只留在自己手里）；点“矿池公开藏着的区块”时，它重新联网，两个节点各自跟随更重的链。

# %% [markdown] lang="en"
# ## 3. Selfish mining
#
# A large mining pool can play a subtler game without breaking any rule: it keeps the blocks it finds
# **hidden**, and publishes them when the honest miners find a block, so that the honest block is
# thrown away. The honest miners waste work; the pool wastes less.
#
# Play it first. Below are two real nodes: **the pool** and **the honest miners**. When the pool finds
# a block it cuts itself off from the network (the block stays with it); "the pool publishes" joins it
# again, and each node follows the heavier chain.

# %%
# zh: 自私挖矿的棋盘：矿池和诚实矿工两个节点；谁挖到区块、矿池何时公开，由你决定
# en: the selfish-mining board: the pool's and the honest miners' nodes; you decide who finds blocks, and when
def play(moves):
    """Replay `moves` ("pool", "honest", "publish") on two real nodes: (network, pool still hiding?)."""
    net = MemoryNetwork(GENESIS, [NodeConfig("pool", miner=POOL.address, mining_attempts_per_tick=0),
                                  NodeConfig("honest", miner=MINERS.address, mining_attempts_per_tick=0)], seed=7)
    net.run_for(1)
    hiding = False
    for move in moves:
        if move == "pool":
            if not hiding:
                net.partition([["pool"], ["honest"]])   # the pool keeps its blocks to itself
                hiding = True
            net.produce("pool")
        elif move == "honest":
            net.produce("honest")
        elif move == "publish" and hiding:
            net.heal()
            hiding = False
        net.run_for(2)
    return net, hiding


def board_counts(net):
    """Blocks on the public chain (the honest miners' node) by miner, and the blocks thrown away."""
    public = net.by_id["honest"].chain
    on_chain = [block.header.beneficiary for block in list(public.main_chain())[1:]]
    hidden = [e for e in net.by_id["pool"].chain.all_entries() if e.hash not in public]
    lost = [e.header.beneficiary for core in net.cores for e in core.chain.all_entries()
            if e.height > 0 and e.hash in public and not public.is_main(e.hash)]
    return {"pool": on_chain.count(POOL.address), "honest": on_chain.count(MINERS.address),
            "hidden": len(hidden), "pool_lost": lost.count(POOL.address), "honest_lost": lost.count(MINERS.address)}


board = {"moves": []}
board_picture = widgets.HTML()
BOARD_MOVES = [("pool", tr("矿池挖到一个区块（先藏着）", "the pool finds a block (hides it)")),
               ("honest", tr("诚实矿工挖到一个区块", "the honest miners find a block")),
               ("publish", tr("矿池公开藏着的区块", "the pool publishes"))]


def show_board():
    net, hiding = play(board["moves"])
    counts = board_counts(net)
    pool_chain, public = net.by_id["pool"].chain, net.by_id["honest"].chain
    said = {"pool": tr("矿池", "pool"), "honest": tr("诚实", "honest"), "publish": tr("公开", "publish")}
    moves = tr("、", ", ").join(said[m] for m in board["moves"]) or tr("（还没有）", "(none yet)")
    board_picture.value = (
        tr(f"<p>你的操作：{moves}</p>", f"<p>Your moves: {moves}</p>")
        + (tr("<p>矿池现在与网络断开，正藏着它的区块。</p>", "<p>The pool is cut off now, hiding its blocks.</p>")
           if hiding else "")
        + tr(f"<p>公开的链上：矿池 <b>{counts['pool']}</b> 个区块，诚实矿工 <b>{counts['honest']}</b> 个区块；"
             f"矿池还藏着 {counts['hidden']} 个区块。作废的区块：诚实矿工 <b>{counts['honest_lost']}</b> 个，"
             f"矿池 {counts['pool_lost']} 个。</p>",
             f"<p>On the public chain: the pool's blocks <b>{counts['pool']}</b>, the honest miners' "
             f"<b>{counts['honest']}</b>; the pool still hides {counts['hidden']}. Thrown away: the honest "
             f"miners' <b>{counts['honest_lost']}</b>, the pool's {counts['pool_lost']}.</p>")
        + tree_of([pool_chain, public], {tr("矿池", "pool"): pool_chain.tip_hash,
                                         tr("诚实矿工", "honest miners"): public.tip_hash},
                  public.tip_hash, tr("绿色：公开的链（诚实矿工跟随的链）", "Green: the public chain (the honest miners')")))


def board_button(move, label):
    button = widgets.Button(description=label, layout=widgets.Layout(width="230px"))

    def press(_):
        board["moves"].append(move)
        show_board()
    button.on_click(press)
    return button


def start_board_again(_):
    board["moves"] = []
    show_board()


board_again = widgets.Button(description=tr("重新开始", "start again"), button_style="warning")
board_again.on_click(start_board_again)
show_board()
display(widgets.VBox([widgets.HBox([board_button(m, label) for m, label in BOARD_MOVES] + [board_again]),
                      board_picture]))

# %% [markdown] lang="zh-CN"
# **第 7 题.** 点“重新开始”，然后依次点：矿池挖到一个区块、矿池挖到一个区块、诚实矿工挖到一个区块、矿池公开藏着的区块。
# 诚实矿工有几个区块作废了？

# %% [markdown] lang="en"
# **Question 7.** Press "start again", then in this order: the pool finds a block, the pool finds a
# block, the honest miners find a block, the pool publishes. How many of the honest miners' blocks
# were thrown away?

# %% nbgrader={"grade_id": "q7", "locked": true} answer=1
# zh: 第 7 题：填一个数
# en: question 7: a number
sheet.number("q7", 0, 10, unit=tr("个", "blocks"))

# %% nbgrader={"grade_id": "q7_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q7", board_counts(play(["pool", "pool", "honest", "publish"])[0])["honest_lost"])
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# 这样玩下去，矿池长期能拿到多大份额？康奈尔大学的两位研究者埃亚勒和西雷尔在 2014 年的论文中为这个策略算出了精确的公式：
# 矿池什么时候藏、什么时候公开都有固定的规则，最终的份额只取决于矿池的算力占比 α 和一个数 γ。
# γ 是两个区块打成平手时，转而接在矿池区块后面的诚实矿工所占的比例（矿池的网络连接越好，γ 越大）。
#
# 下图的柱子是按他们的公式算出的矿池在最终链上所占的区块份额，橙色线是它的公平份额（等于它的算力占比）。
# 柱子高出橙色线，说明自私挖矿有利可图。

# %% [markdown] lang="en"
# Played on and on, what share does the pool earn? Eyal and Sirer (*Majority is not enough*, 2014)
# worked out the exact formula for this strategy: fixed rules say when the pool hides and when it
# publishes, and its final share depends only on its share of the computing power, α, and on a number
# γ: the fraction of honest miners who build on the pool's block when two blocks tie (the better
# connected the pool, the larger γ).
#
# The bars are the pool's share of the blocks in the final chain, by their formula; the orange line is
# its fair share (its share of the computing power). Where the bars rise above the line, selfish mining
# pays.

# %%
# zh: 埃亚勒与西雷尔的公式：自私矿池的长期份额，按它的算力占比画出
# en: Eyal and Sirer's formula: the selfish pool's long-run share, by its share of the power
def selfish_share(alpha, gamma):
    """The pool's share of the final chain's blocks (Eyal and Sirer 2014, for alpha below 1/2)."""
    return ((alpha * (1 - alpha) ** 2 * (4 * alpha + gamma * (1 - 2 * alpha)) - alpha ** 3)
            / (1 - alpha * (1 + (2 - alpha) * alpha)))


gamma_slider = widgets.SelectionSlider(options=[0.0, 0.25, 0.5, 0.75, 1.0], value=0.5, continuous_update=False,
                                       description="γ", style={"description_width": "initial"})
selfish_picture = widgets.HTML()


def show_selfish(_=None):
    powers = [round(0.05 * i, 2) for i in range(1, 10)]
    selfish_picture.value = bar_chart(
        [100 * max(0.0, selfish_share(a, gamma_slider.value)) for a in powers], [f"{a:.0%}" for a in powers],
        unit=" %", trend=[100 * a for a in powers], trend_label=tr("公平份额", "fair share"),
        title=tr(f"自私矿池在最终链上的区块份额（%），横轴为它的算力占比（γ = {gamma_slider.value}）",
                 f"The selfish pool's share of the blocks (%) by its share of the power (γ = {gamma_slider.value})"))


gamma_slider.observe(show_selfish, names="value")
show_selfish()
display(widgets.VBox([gamma_slider, selfish_picture]))

# %% [markdown] lang="zh-CN"
# **第 8 题.** 当 γ = 0 时，矿池的算力占比大约从多少开始，自私挖矿能拿到超过公平份额的收益？

# %% [markdown] lang="en"
# **Question 8.** With γ = 0, from about what share of the computing power does selfish mining earn
# more than the fair share?

# %% nbgrader={"grade_id": "q8", "locked": true} answer="b"
# zh: 第 8 题：三个选项
# en: question 8: three options
sheet.choice("q8", [
    ("a", tr("大约 10%", "About 10 %")),
    ("b", tr("大约三分之一", "About one third")),
    ("c", tr("超过一半才行", "Only above one half")),
])

# %% nbgrader={"grade_id": "q8_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_from = next(a / 100 for a in range(1, 50) if selfish_share(a / 100, 0.0) > a / 100)
sheet.expect("q8", "a" if _from < 0.2 else "b" if _from < 0.45 else "c")
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN" nbgrader={"grade_id": "w1", "task": true, "points": 2}
# ## 4. 用你自己的话说
#
# **书面回答（由讲师评分，2 分）.** 某市计划接受用一种公有的工作量证明加密货币付款。
# 请结合你在本实验中量出的结果，用四五句话说明：双花是怎样进行的，什么决定了它成功的机会，以及该市应当采取的两项防范措施。
#
# === BEGIN MARK SCHEME ===
# **评分标准（2 分）**
#
# * 1 分：说明机制：付款人付款、拿到货物，同时（自己挖或租用算力）秘密挖出一条分支，把同一笔钱转给别处；
#   这条分支一旦更重就被公开，所有节点重组到它上面，付款被抹掉。
# * 1 分：说明成功机会取决于攻击者的算力占比和等待的确认数（算力小时，每多一个确认机会就迅速下降；超过一半时几乎必然成功），
#   并给出合理的防范措施，例如：金额越大，等待的确认越多（如 6 个以上）；监测重组和算力的异常变化；
#   政务或大额场景优先采用验证节点已知、可问责、能快速确定最终性的许可链。
# * 只写“区块链不安全”“加强监管”而没有说明机制或确认数的，不给分。
# === END MARK SCHEME ===

# %% [markdown] lang="en" nbgrader={"grade_id": "w1", "task": true, "points": 2}
# ## 4. In your own words
#
# **Written answer (marked by the instructor, 2 points).** A city plans to accept payments in a public
# proof-of-work cryptocurrency. Using what you measured in this lab, explain in four or five sentences
# how a double spend works, what decides its chance of success, and two precautions the city should
# take.
#
# === BEGIN MARK SCHEME ===
# **Rubric (2 points)**
#
# * 1 point: the mechanism: the payer pays, gets the goods, and meanwhile mines (or rents power to
#   mine) a secret branch on which the same coins go elsewhere; once that branch is heavier it is
#   published, every node reorganises to it, and the payment is erased.
# * 1 point: its chance depends on the attacker's share of the computing power and on how many
#   confirmations are awaited (with a small share it falls quickly with each confirmation; above half
#   it almost always succeeds), with sensible precautions: more confirmations for larger amounts (6 or
#   more, say); watching for reorganisations and unusual shifts of computing power; for government or
#   high-value use, a permissioned chain with known, accountable validators and fast finality.
# * No points for "blockchains are unsafe" or "more regulation" without the mechanism or the
#   confirmations.
# === END MARK SCHEME ===

# %% nbgrader={"grade_id": "w1_answer", "locked": true}
# zh: 书面回答的输入框
# en: the box for the written answer
sheet.essay("w1")

# %% [markdown] lang="zh-CN"
# ## 小结
#
# * 工作量证明并不阻止任何人**尝试**：它让改写历史需要付出真实的计算，并让每个节点核验每个区块。
#   违反规则的链再长也没用，还会让发送者被封禁。
# * 规则允许的事情仍然可能发生：掌握多数算力的人能跑赢诚实的链；一个大矿池能扭曲收益的分配。
# * 防范靠经济手段（按金额等待足够的确认）；对机构来说，更要靠架构：已知、可问责的验证节点，这正是实验八的主题。

# %% [markdown] lang="en"
# ## What you saw
#
# * Proof of work does not stop anyone from *trying*: it makes rewriting history cost real
#   computation, and it makes every node check every block. A chain that breaks a rule is useless
#   however long it is, and costs its sender the connection.
# * What the rules allow remains possible: a majority can outpace the honest chain, and a large pool
#   can bend the reward distribution.
# * The defences are economic (confirmations in proportion to the amount) and, for institutions,
#   architectural: known, accountable validators, the subject of lab 8.

# %% nbgrader={"grade_id": "summary", "locked": true}
# zh: 答题情况
# en: what is answered
sheet.summary()
