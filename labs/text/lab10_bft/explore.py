# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   minichain:
#     lab: lab10_bft
#     notebook: explore
#     title:
#       zh-CN: 实验十 · 拜占庭容错共识（探索）
#       en: Lab 10 · Byzantine fault tolerant consensus (explore)
# ---

# %% [markdown] lang="zh-CN"
# # 实验十 · 拜占庭容错共识：投票出块，一经确定永不撤销
#
# *面向领导干部的课程：不需要编程，全部用鼠标点击完成。*
#
# 实验八的联盟链由成员轮流出块。它有一个弱点：网络断开时，两边都会继续出块，恢复后一边的区块被撤销。
# FISCO BCOS、长安链（ChainMaker）等国内联盟链平台采用的是另一类共识：**拜占庭容错**（BFT）。
# 每个区块要先由成员**投票**，得到超过三分之二成员的签名后才写入链中；一旦写入，就**最终确定**，永远不会被撤销。
#
# 本实验的联盟仍是实验八的四家单位：**海关、税务局、港务局和银行**。minichain 采用的是 `Tendermint` 算法，
# 它和 FISCO BCOS 的 PBFT 是同一类方法。你将看到：
#
# 1. 为什么要 **3f+1** 个成员才能容忍 f 个坏成员，一个区块要几票；
# 2. 一轮投票怎样进行：提议、预投票、预提交，以及证明区块已确定的**提交证书**；
# 3. 一家银行的服务器被黑客控制后，它**能**做什么、**不能**做什么；
# 4. 四家中两家停机时，链**停下来**，但**绝不分叉**。

# %% [markdown] lang="en"
# # Lab 10 · Byzantine fault tolerance: blocks by vote, final once decided
#
# *Officials' track: no programming; everything is done with the mouse.*
#
# The consortium of lab 8 took turns producing blocks. It had a weakness: when the network split, both
# sides kept producing, and after healing one side's blocks were undone. FISCO BCOS, ChainMaker and other
# consortium platforms use another kind of consensus: **Byzantine fault tolerance** (BFT). Every block is
# first **voted** on by the members and is written only with the signatures of more than two thirds of
# them; once written it is **final** and never undone.
#
# The consortium is lab 8's four members: **Customs, the Tax Bureau, the Port Authority and a Bank**.
# minichain runs the `Tendermint` algorithm, of the same family as FISCO BCOS's PBFT. You will see:
#
# 1. why it takes **3f+1** members to tolerate f bad ones, and how many votes a block needs;
# 2. how one round of voting goes: proposal, prevote, precommit, and the **commit certificate** that
#    proves a block final;
# 3. what one bank's hacked server **can** and **cannot** do;
# 4. that with two of the four down the chain **stops**, but **never forks**.

# %% [markdown] lang="zh-CN"
# **使用方法**
#
# * 先点击菜单 **运行 → 运行所有单元格**（或工具栏上“重启内核并运行所有单元格”的按钮）。
# * 灰色面板里的滑块、下拉菜单和按钮都是“活”的：改动它们，下面的图会立即重画。
# * **题目**的答案全部用点击给出：选择题点一个选项；数字题在框里填数字后点“确认答案”；
#   书面题在文本框里写几句话后点“保存回答”。每题下方会显示“✓ 已记录你的答案”。
# * 答案一经点击就已保存；最后按 **Ctrl+S** 保存笔记本再交卷。对错在交卷评分时才判定。

# %% [markdown] lang="en"
# **How this notebook works**
#
# * First click **Run → Run All Cells** in the menu (or the toolbar's "restart the kernel and run all
#   cells" button).
# * The grey panels with sliders, menus and buttons are live: change them and the pictures redraw.
# * Every **question** is answered by clicking: pick an option; or type a number and click
#   "Confirm answer"; or write a few sentences and click "Save answer". Each question then shows
#   "✓ Your answer is recorded".
# * An answer is kept the moment you click; at the end press **Ctrl+S** to save the notebook, then
#   hand it in. Whether an answer is right is decided when the lab is graded.

# %% nbgrader={"grade_id": "setup", "locked": true}
# zh: 准备工作：载入 minichain 的拜占庭容错共识、四家成员的模拟网络，以及画图的小工具。
# en: Set-up: load minichain's BFT consensus, a simulated network of the four members, and the drawing tools.
import functools
import html

import ipywidgets as widgets
from IPython.display import display

from labkit import tr
from labkit.ask import Sheet
from minichain import MinichainError
from minichain.consensus.bft import (
    CommitCertificate,
    Proposal,
    ValidatorSet,
    Vote,
    VoteKind,
    verify_certificate,
)
from minichain.consensus.bft.simulation import (
    Simulation,
    double_voter,
    equivocating_proposer,
    random_precommits,
)
from minichain.viz import FONT

sheet = Sheet("lab10_bft", "explore", lang=tr("zh-CN", "en"))
NAMES = [tr("海关", "Customs"), tr("税务局", "Tax Bureau"), tr("港务局", "Port Authority"), tr("银行", "Bank")]
COLORS = ["#1565c0", "#6a1b9a", "#ef6c00", "#2e7d32"]
BANK = 3
KIND_COLORS = {"proposal": "#1565c0", "prevote": "#ef6c00", "precommit": "#2e7d32"}
KIND_WORDS = {"proposal": tr("提议", "proposal"), "prevote": tr("预投票", "prevote"),
              "precommit": tr("预提交", "precommit")}


def validators(n):
    """A validator set of n members (addresses from seeded keys)."""
    return ValidatorSet(tuple(f"validator-{i}" for i in range(n)))


def faults(n):
    """How many bad members n members tolerate, and how many votes decide a block."""
    vs = validators(n)
    return vs.f, vs.quorum


@functools.lru_cache(maxsize=32)
def scenario(name, seconds=20.0, seed=1):
    """The four members' network after `seconds` of virtual time, with a fault given by `name`."""
    sim = Simulation(seed=seed)
    match name:
        case "silent-tax":
            sim.crash(1)   # the proposer of block 1, round 0
        case "silent-bank":
            sim.crash(BANK)
        case "double-prevote":
            sim.byzantine[BANK] = double_voter(VoteKind.PREVOTE)
        case "double-precommit":
            sim.byzantine[BANK] = double_voter(VoteKind.PRECOMMIT)
        case "random-precommits":
            sim.byzantine[BANK] = random_precommits()
        case "equivocate":
            sim.byzantine[BANK] = equivocating_proposer(first={0, 1})
        case "two-down" | "two-down-one-back":
            sim.crash(2)
            sim.crash(BANK)
        case "split":
            sim.partition({0, 1}, {2, BANK})
    sim.start()
    if name == "two-down-one-back":
        sim.run(until=seconds / 2)
        sim.restart(2)
    if name == "split":
        sim.run(until=seconds / 2)
        sim.heal()
    sim.run(until=seconds)
    return sim


def decided_at(sim, node):
    """(virtual time, height) of every block `node` decided."""
    return [(e.time, e.height) for e in sim.timeline if e.kind == "decide" and e.node == node]


def forks(sim):
    """The largest number of different blocks decided at one height (1 means: one chain)."""
    return max((len(values) for values in sim.certified().values()), default=0)


def svg(width, height, body):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" {FONT}>'
            + "".join(body) + "</svg>")


def text(x, y, words, size=13, color="#212121", anchor="middle", weight="normal"):
    return (f'<text x="{x}" y="{y}" font-size="{size}" fill="{color}" text-anchor="{anchor}" '
            f'font-weight="{weight}">{html.escape(str(words))}</text>')


def scroll(picture):
    """A wide picture in a box that scrolls sideways instead of being cut off."""
    return f'<div style="overflow-x:auto; max-width:100%">{picture}</div>'


def stage(sim, height):
    """One height's messages as a sequence chart: a lane per member, an arrow per message (time runs
    to the right, one step per moment something happened), timeouts and decisions marked."""
    decided = {e.node: e.time for e in sim.timeline if e.height == height and e.kind == "decide"}
    final = next((e.detail for e in sim.timeline if e.height == height and e.kind == "decide"), None)

    def shown(e):
        """Messages, decisions, faults, and the timeouts that moved a member on (not the stale ones
        that fire after it decided, nor the pause before the next height)."""
        if e.kind == "timeout":
            return e.detail != "new_height" and e.time <= decided.get(e.node, e.time)
        return e.kind in ("send", "deliver", "decide", "crash", "reject")

    events = [e for e in sim.timeline if e.height == height and shown(e)]
    if not events:
        return tr("<p>这个高度还没有任何消息。</p>", "<p>No message at this height yet.</p>")
    moments = sorted({e.time for e in events})
    step = 14
    column = {t: i for i, t in enumerate(moments)}
    left, top, lane = 90, 30, 56

    def x(t):
        return left + column[t] * step

    def y(node):
        return top + node * lane

    body = []
    width = left + len(moments) * step + 60
    for node, name in enumerate(NAMES):
        body.append(f'<line x1="{left - 10}" y1="{y(node)}" x2="{width - 20}" y2="{y(node)}" '
                    f'stroke="#bdbdbd" stroke-width="1"/>')
        body.append(text(8, y(node) + 4, name, 13, COLORS[node], anchor="start", weight="bold"))
    rounds = {}
    for e in events:
        rounds.setdefault(e.round, e.time)
    for rnd, start in sorted(rounds.items()):
        body.append(f'<line x1="{x(start) - 4}" y1="10" x2="{x(start) - 4}" y2="{y(3) + 20}" '
                    f'stroke="#9e9e9e" stroke-dasharray="4,3"/>')
        body.append(text(x(start) - 2, 14, tr(f"第 {rnd} 轮", f"round {rnd}"), 11, "#616161", anchor="start"))
    waiting = {}
    for e in events:
        if e.kind == "send":
            waiting.setdefault((e.node, e.peer, e.detail), []).append(e.time)
    for e in events:
        if e.kind != "deliver":
            continue
        sent = waiting.get((e.peer, e.node, e.detail))
        if not sent:
            continue
        start = sent.pop(0)
        kind, value = e.detail.split()[:2]
        other = value != "nil" and final is not None and value != final   # for another block than decided
        color = "#c62828" if other else KIND_COLORS.get(kind, "#757575")
        dash = ' stroke-dasharray="2,2"' if e.detail.endswith("nil") else ""
        body.append(f'<line x1="{x(start)}" y1="{y(e.peer)}" x2="{x(e.time)}" y2="{y(e.node)}" '
                    f'stroke="{color}" stroke-width="1.4" stroke-opacity="0.8"{dash}/>')
        body.append(f'<circle cx="{x(e.time)}" cy="{y(e.node)}" r="2.5" fill="{color}"/>')
    for e in events:
        if e.kind == "timeout":
            body.append(f'<line x1="{x(e.time)}" y1="{y(e.node) - 6}" x2="{x(e.time)}" y2="{y(e.node) + 6}" '
                        f'stroke="#c62828" stroke-width="2"/>')
            body.append(text(x(e.time), y(e.node) - 9, tr("超时", "timeout"), 11, "#c62828"))
        elif e.kind == "decide":
            body.append(f'<circle cx="{x(e.time)}" cy="{y(e.node)}" r="7" fill="#ffd54f" stroke="#f57f17"/>')
            body.append(text(x(e.time) + 10, y(e.node) + 18, tr("确定", "final"), 11, "#f57f17"))
        elif e.kind == "crash":
            body.append(text(x(e.time) + 4, y(e.node) - 8, tr("✗ 停机", "✗ down"), 11, "#c62828", anchor="start"))
        elif e.kind == "reject":
            body.append(text(x(e.time), y(e.node) + 16, "✗", 12, "#c62828"))
    for node in sorted(sim.crashed):
        body.append(text(left, y(node) - 8, tr("✗ 停机", "✗ down"), 11, "#c62828", anchor="start"))
    legend_y = y(3) + 40
    for i, (kind, color) in enumerate(KIND_COLORS.items()):
        body.append(f'<line x1="{left + i * 130}" y1="{legend_y}" x2="{left + i * 130 + 30}" y2="{legend_y}" '
                    f'stroke="{color}" stroke-width="3"/>')
        body.append(text(left + i * 130 + 36, legend_y + 4, KIND_WORDS[kind], 12, color, anchor="start"))
    body.append(text(left + 3 * 130, legend_y + 4, tr("虚线：空票（不投任何区块）", "dashed: a nil vote (no block)"),
                     12, "#616161", anchor="start"))
    body.append(text(left + 3 * 130 + 230, legend_y + 4, tr("红线：投给另一个区块", "red: for another block"),
                     12, "#c62828", anchor="start"))
    return scroll(svg(max(width, 900), legend_y + 16, body))


def certificate_table(sim, node, height):
    """The commit certificate `node` holds for `height`: whose precommit signatures it carries."""
    decision = sim.decisions[node].get(height)
    if decision is None:
        return tr(f"<p>{NAMES[node]}还没有确定第 {height} 号区块。</p>",
                  f"<p>The {NAMES[node]} has not decided block {height} yet.</p>")
    keys = [sim.suite.public_key(k) for k in sim.keys]
    rows = "".join(f'<tr><td style="padding:2px 12px">{NAMES[keys.index(key)]}</td>'
                   f'<td style="padding:2px 12px"><code>{signature.hex()[:24]}…</code></td></tr>'
                   for key, signature in decision.certificate.signatures)
    return (tr(f"<p><b>{NAMES[node]}手中第 {height} 号区块的提交证书</b>（第 {decision.round} 轮的预提交签名）：</p>",
               f"<p><b>The {NAMES[node]}'s commit certificate of block {height}</b> (precommit signatures of "
               f"round {decision.round}):</p>")
            + f'<table style="font-size:14px">{rows}</table>')


WIDE = {"description_width": "initial"}   # widget labels shown in full

# %% [markdown] lang="zh-CN"
# ## 1. 为什么是 3f+1：法定人数
#
# 假设联盟里最多有 f 个成员是“坏”的：它们可能停机，也可能被黑客控制、故意撒谎（这叫**拜占庭故障**）。
# 一个成员不能无限期地等所有人回复，因为坏成员可能永远不回；它最多只能等 **n − f** 个成员的票。
# 另一方面，两组这样的票必须有足够多的**共同成员**，使其中至少有一个诚实成员：诚实成员在同一轮不会投两个不同的区块，
# 于是两个不同的区块不可能同时凑够票。
#
# 算一算就知道，这要求 n ≥ 3f + 1，而一个区块需要**超过三分之二**成员的票（n = 3f + 1 时正好是 2f + 1 票），
# 这个票数叫**法定人数**。拖动滑块改变成员的个数：图中每个圆是一个成员；上方的蓝框和下方的橙框是两组都达到法定人数的成员，
# 两框都框住的是它们的共同成员。

# %% [markdown] lang="en"
# ## 1. Why 3f+1: quorums
#
# Suppose at most f members are "bad": they may be down, or taken over by a hacker and lie on purpose
# (a **Byzantine fault**). A member cannot wait for everybody, since a bad member may never answer: it can
# wait for the votes of **n − f** members at most. On the other hand, any two such sets of votes must
# share enough **members in common** that at least one of them is honest: an honest member never votes
# for two different blocks in one round, so two different blocks cannot both get enough votes.
#
# Working it out gives n ≥ 3f + 1, and a block needs the votes of **more than two thirds** of the
# members (2f + 1 votes when n = 3f + 1): the **quorum**. Move the slider to change the number of members:
# each circle is a member; the blue frame above and the orange frame below are two sets of members that
# each reach a quorum, and the circles inside both frames are the members they share.

# %%
# zh: 成员个数滑块：能容忍几个坏成员，两组法定人数的共同成员
# en: the member-count slider: how many bad members are tolerated, what two quorums share
members_slider = widgets.IntSlider(value=5, min=4, max=10, description=tr("成员个数 n", "Members n"),
                                   style=WIDE, continuous_update=False)
quorum_picture = widgets.HTML()


def show_quorums(_=None):
    n = members_slider.value
    f, q = faults(n)
    body = []
    gap = 60
    for i in range(n):
        cx = 40 + i * gap
        first, second = i < q, i >= n - q
        fill = "#fff8e1" if first and second else "#ffffff"
        body.append(f'<circle cx="{cx}" cy="70" r="20" fill="{fill}" stroke="#424242" stroke-width="1.5"/>')
        body.append(text(cx, 75, str(i + 1), 13))
    body.append(f'<rect x="14" y="40" width="{(q - 1) * gap + 52}" height="56" rx="10" fill="none" '
                f'stroke="#1565c0" stroke-width="3"/>')
    body.append(f'<rect x="{14 + (n - q) * gap - 4}" y="44" width="{(q - 1) * gap + 60}" height="48" rx="10" '
                f'fill="none" stroke="#ef6c00" stroke-width="3" stroke-dasharray="6,3"/>')
    body.append(text(14, 30, tr(f"第一组：{q} 个成员", f"first set: {q} members"), 12, "#1565c0", anchor="start"))
    body.append(text(14 + (n - q) * gap, 122, tr(f"第二组：{q} 个成员", f"second set: {q} members"), 12,
                     "#ef6c00", anchor="start"))
    quorum_picture.value = (
        scroll(svg(max(40 + n * gap, 400), 132, body))
        + tr(f"<p>{n} 个成员最多容忍 <b>{f}</b> 个坏成员；一个区块要 <b>{q}</b> 票"
             f"（超过三分之二）。</p>",
             f"<p>{n} members tolerate at most <b>{f}</b> bad ones; a block needs <b>{q}</b> votes (more than "
             f"two thirds).</p>"))


members_slider.observe(show_quorums, names="value")
show_quorums()
display(widgets.VBox([members_slider, quorum_picture]))

# %% [markdown] lang="zh-CN"
# **第 1 题.** 本课的联盟有 **4** 家成员。一个区块最少要几票（几家成员的签名）才能确定？

# %% [markdown] lang="en"
# **Question 1.** The course consortium has **4** members. At least how many votes (members' signatures)
# does a block need to be decided?

# %% nbgrader={"grade_id": "q1", "locked": true} answer=3
# zh: 第 1 题：填一个数
# en: question 1: a number
sheet.number("q1", 0, 10, unit=tr("票", "votes"))

# %% nbgrader={"grade_id": "q1_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q1", faults(4)[1])
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# **第 2 题.** 如果要求联盟在有 **2** 家成员的服务器同时被攻破时仍然安全，联盟至少要有几家成员？

# %% [markdown] lang="en"
# **Question 2.** If the consortium must stay safe with the servers of **2** members taken over at the same
# time, at least how many members must it have?

# %% nbgrader={"grade_id": "q2", "locked": true} answer=7
# zh: 第 2 题：填一个数
# en: question 2: a number
sheet.number("q2", 0, 20, unit=tr("家成员", "members"))

# %% nbgrader={"grade_id": "q2_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q2", min(n for n in range(1, 20) if faults(n)[0] >= 2))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# **第 3 题.** 把滑块调到 **7** 个成员。图中两组法定人数有几个共同成员（两个框都框住的圆）？

# %% [markdown] lang="en"
# **Question 3.** Set the slider to **7** members. How many members do the two quorums in the picture
# share (circles inside both frames)?

# %% nbgrader={"grade_id": "q3", "locked": true} answer=3
# zh: 第 3 题：填一个数
# en: question 3: a number
sheet.number("q3", 0, 10, unit=tr("个成员", "members"))

# %% nbgrader={"grade_id": "q3_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q3", 2 * faults(7)[1] - 7)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# 共同成员比能容忍的坏成员（7 家时是 2 家）多一个：所以其中**至少有一家是诚实的**。这就是安全的全部秘密。
#
# ## 2. 一轮投票
#
# 每个高度（区块编号）分若干**轮**进行，每一轮有三步（括号里是 FISCO BCOS PBFT 的叫法）：
#
# | 步骤 | minichain（`Tendermint`） | FISCO BCOS PBFT |
# |---|---|---|
# | 1 | **提议**：本轮的提议者（按名单轮换）把新区块发给大家 | `Pre-prepare`（`PrepareReq`） |
# | 2 | **预投票**：每个成员检查区块，有效就投它一票，否则投**空票** | `Prepare`（`SignReq`） |
# | 3 | **预提交**：看到法定人数的预投票后，**锁定**这个区块并预提交 | `Commit`（`CommitReq`） |
# | 超时 | 本轮凑不够票：进入下一轮，换下一个提议者 | 视图切换（`ViewChangeReq`） |
#
# 收到法定人数的预提交，区块就**确定**了。这些预提交签名合在一起叫**提交证书**：任何人只要知道创世文件里的成员名单，
# 就能独自核对它，不必相信把区块发给他的节点。
#
# 下图是第 1 号区块的消息时序图：每家成员一条横线，每条斜线是一条消息，从发送者画到接收者；时间向右推进。
# 选一种情形，看看消息怎样流动。

# %% [markdown] lang="en"
# The shared members outnumber the tolerated bad ones (2 of 7) by one: so **at least one of them is
# honest**. That is the whole secret of safety.
#
# ## 2. One round of voting
#
# Each height (block number) runs in **rounds**; each round has three steps (FISCO BCOS PBFT's names in
# the last column):
#
# | step | minichain (`Tendermint`) | FISCO BCOS PBFT |
# |---|---|---|
# | 1 | **proposal**: the round's proposer (in turn, by the list) sends everyone a new block | Pre-prepare (PrepareReq) |
# | 2 | **prevote**: each member checks the block and votes for it if valid, else votes **nil** | Prepare (SignReq) |
# | 3 | **precommit**: on a quorum of prevotes, a member **locks** on the block and precommits it | Commit (CommitReq) |
# | timeout | not enough votes this round: go to the next round, with the next proposer | view change (ViewChangeReq) |
#
# A quorum of precommits **decides** the block. Those precommit signatures together are its **commit
# certificate**: anyone who knows the member list of the genesis can check it alone, without trusting the
# node that sent the block.
#
# Below is the message sequence chart of block 1: one line per member, one slanted line per message, from
# sender to receiver; time runs to the right. Pick a situation and watch the messages flow.

# %%
# zh: 第 1 号区块的消息时序图：正常的一轮，或者提议者停机
# en: the message sequence chart of block 1: a normal round, or a proposer that is down
STAGES = [(tr("正常的一轮", "a normal round"), "normal"),
          (tr("税务局（第 1 号区块第 0 轮的提议者）停机", "the Tax Bureau (proposer of block 1, round 0) is down"),
           "silent-tax")]
stage_choice = widgets.Dropdown(options=STAGES, value="normal", description=tr("情形", "Situation"), style=WIDE,
                                layout=widgets.Layout(width="70%"))
stage_picture = widgets.HTML()


def show_stage(_=None):
    sim = scenario(stage_choice.value, 8.0)
    stage_picture.value = stage(sim, 1) + certificate_table(sim, 0, 1)


stage_choice.observe(show_stage, names="value")
show_stage()
display(widgets.VBox([stage_choice, stage_picture]))

# %% [markdown] lang="zh-CN"
# **第 4 题.** 看“正常的一轮”下面的提交证书。海关手中第 1 号区块的提交证书里有几个成员的签名？

# %% [markdown] lang="en"
# **Question 4.** Look at the commit certificate under "a normal round". How many members' signatures
# does the Customs' certificate of block 1 hold?

# %% nbgrader={"grade_id": "q4", "locked": true} answer=3
# zh: 第 4 题：填一个数
# en: question 4: a number
sheet.number("q4", 0, 10, unit=tr("个签名", "signatures"))

# %% nbgrader={"grade_id": "q4_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q4", len(scenario("normal", 8.0).decisions[0][1].certificate.signatures))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# 证书里只要有法定人数的签名就够了：第四家的预提交来晚了一步，海关已经确定了区块，不必再等。
#
# **第 5 题.** 把情形换成“税务局停机”。第 1 号区块是在第几轮确定的？

# %% [markdown] lang="en"
# A certificate needs a quorum of signatures, no more: the fourth precommit came a moment late, and the
# Customs had already decided without waiting for it.
#
# **Question 5.** Switch to "the Tax Bureau is down". In which round was block 1 decided?

# %% nbgrader={"grade_id": "q5", "locked": true} answer=1
# zh: 第 5 题：填一个数
# en: question 5: a number
sheet.number("q5", 0, 10, unit=tr("轮", "round"))

# %% nbgrader={"grade_id": "q5_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q5", scenario("silent-tax", 8.0).decisions[0][1].round)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# 提议者停机，这一轮就白白等到超时（本课设为 3 秒），然后由下一个成员提议：链慢了一轮，但没有停。
#
# ## 3. 一家银行的服务器被黑客控制
#
# 假设银行的服务器被黑客控制了：它掌握了银行的私钥，可以用银行的名义签任何消息，也可以什么都不发。
# 下面选择黑客的做法，让网络运行 20 秒，看诚实的三家成员怎样。时序图画出你选的那个高度；第 3 号区块第 0 轮的提议者正是银行。

# %% [markdown] lang="en"
# With the proposer down, the round waits for its timeout (3 seconds here) and the next member proposes:
# the chain loses a round but does not stop.
#
# ## 3. One bank's server is hacked
#
# Suppose a hacker controls the Bank's server: it holds the Bank's private key, can sign anything in the
# Bank's name, or send nothing at all. Choose what the hacker does, run the network for 20 seconds, and
# see how the three honest members fare. The chart shows the height you choose; the proposer of block 3,
# round 0 is the Bank itself.

# %%
# zh: 黑客的做法、运行 20 秒后的结果，以及某个高度的时序图
# en: what the hacker does, the result after 20 seconds, and one height's chart
HACKS = [(tr("银行诚实", "the Bank is honest"), "normal"),
         (tr("什么也不发（像停机一样）", "sends nothing (as if down)"), "silent-bank"),
         (tr("每张预投票都再发一张投给另一个区块的", "sends a second prevote for another block with each one"),
          "double-prevote"),
         (tr("每张预提交都再发一张投给另一个区块的", "sends a second precommit for another block with each one"),
          "double-precommit"),
         (tr("预提交乱投（随机的区块或空票）", "precommits at random (random blocks or nil)"), "random-precommits"),
         (tr("当提议者时，给不同成员发不同的区块", "as proposer, sends different blocks to different members"),
          "equivocate")]
hack_choice = widgets.Dropdown(options=HACKS, value="normal", description=tr("黑客的做法", "The hacker"), style=WIDE,
                               layout=widgets.Layout(width="80%"))
hack_height = widgets.IntSlider(value=1, min=1, max=6, description=tr("时序图：第几号区块", "Chart: block"),
                                style=WIDE, continuous_update=False)
hack_result = widgets.HTML()


def show_hack(_=None):
    sim = scenario(hack_choice.value)
    honest = [0, 1, 2]
    rows = []
    for node in honest:
        heights = sorted(sim.decisions[node])
        late = sum(1 for h in heights if sim.decisions[node][h].round > 0)
        rows.append(f'<tr><td style="padding:2px 12px">{NAMES[node]}</td>'
                    f'<td style="padding:2px 12px">{len(heights)}</td>'
                    f'<td style="padding:2px 12px">{late}</td>'
                    f'<td style="padding:2px 12px">{len(sim.machines[node].evidence)}</td></tr>')
    head = (f'<tr><th style="padding:2px 12px">{tr("诚实成员", "honest member")}</th>'
            f'<th style="padding:2px 12px">{tr("已确定的区块", "blocks decided")}</th>'
            f'<th style="padding:2px 12px">{tr("其中要第 0 轮以后才确定的", "of which after round 0")}</th>'
            f'<th style="padding:2px 12px">{tr("记下的作恶证据", "evidence recorded")}</th></tr>')
    hack_result.value = (
        f'<table style="font-size:14px">{head}{"".join(rows)}</table>'
        + tr(f"<p>同一高度上被确定的不同区块最多有 <b>{forks(sim)}</b> 个。</p>",
             f"<p>The most different blocks decided at one height: <b>{forks(sim)}</b>.</p>")
        + stage(sim, hack_height.value))


hack_choice.observe(show_hack, names="value")
hack_height.observe(show_hack, names="value")
show_hack()
display(widgets.VBox([hack_choice, hack_height, hack_result]))

# %% [markdown] lang="zh-CN"
# **第 6 题.** 选“每张预投票都再发一张投给另一个区块的”。20 秒里，同一高度上被确定的不同区块最多有几个？

# %% [markdown] lang="en"
# **Question 6.** Choose "sends a second prevote for another block with each one". In those 20 seconds,
# what is the largest number of different blocks decided at one height?

# %% nbgrader={"grade_id": "q6", "locked": true} answer=1
# zh: 第 6 题：填一个数
# en: question 6: a number
sheet.number("q6", 0, 10, unit=tr("个区块", "blocks"))

# %% nbgrader={"grade_id": "q6_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q6", forks(scenario("double-prevote")))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# 黑客还会试着做别的事。下面每一种，都由海关的节点来检查（用的是 minichain 真正的共识代码）：
#
# * 用银行的私钥签一张票，却在票上写海关的公钥，冒充海关投票；
# * 在轮到税务局提议的时候，自己提议一个区块；
# * 伪造一张提交证书：证书上的签名全是银行自己的，重复写三遍；
# * 让名单以外的物流公司投票。

# %% [markdown] lang="en"
# The hacker tries other things too. Each one below is checked by the Customs' node (with minichain's real
# consensus code):
#
# * sign a vote with the Bank's key but put the Customs' public key on it, voting as the Customs;
# * propose a block while it is the Tax Bureau's turn to propose;
# * forge a commit certificate: every signature on it is the Bank's own, written three times;
# * have the logistics company, not on the list, vote.

# %%
# zh: 黑客的企图，以及海关节点的裁决
# en: the hacker's attempt, and the Customs node's verdict
ATTEMPTS = [(tr("冒充海关投票", "vote as the Customs"), "forge-vote"),
            (tr("不该它提议时提议", "propose out of turn"), "out-of-turn"),
            (tr("伪造提交证书（自己的签名写三遍）", "forge a certificate (its own signature three times)"), "certificate"),
            (tr("名单外的物流公司投票", "a vote by the logistics company, not on the list"), "outsider")]
RULE_WORDS = {
    "bft-signature": tr("签名与票上写的公钥对不上：不是用它的私钥签的",
                        "the signature does not match the key on the vote: not made with that key"),
    "bft-proposer": tr("这一轮的提议者不是它", "it is not this round's proposer"),
    "bft-validator": tr("签名的密钥不在创世文件的成员名单上", "the signing key is not on the genesis member list"),
    "bft-cert-duplicate": tr("证书里同一个成员出现了两次：一家只算一票", "a member appears twice: one member, one vote"),
    "bft-cert-quorum": tr("证书里的签名不足法定人数", "the certificate holds fewer than a quorum of signatures"),
    "bft-cert-signature": tr("证书里有一个签名验证失败", "a signature in the certificate does not verify"),
}
attempt_choice = widgets.Dropdown(options=ATTEMPTS, value="forge-vote", description=tr("黑客的企图", "Attempt"),
                                  style=WIDE, layout=widgets.Layout(width="70%"))
attempt_result = widgets.HTML()


def attempt(kind):
    """What the Customs' node says to the hacker's attempt: (rule, message), or None if accepted."""
    sim = Simulation(seed=1).start()   # every member at block 1, round 0
    customs, domain = sim.machines[0], sim.engine.domain
    key = [sim.suite.public_key(k) for k in sim.keys]
    block = bytes(32)
    try:
        match kind:
            case "forge-vote":
                customs.on_vote(Vote(VoteKind.PREVOTE, 1, 0, block, key[0]).signed(domain, sim.keys[BANK]))
            case "out-of-turn":
                customs.on_proposal(Proposal(1, 0, block, -1, key[BANK]).signed(domain, sim.keys[BANK]))
            case "certificate":
                vote = Vote(VoteKind.PRECOMMIT, 1, 0, block, key[BANK]).signed(domain, sim.keys[BANK])
                forged = CommitCertificate(1, 0, block, ((key[BANK], vote.signature),) * 3)
                verify_certificate(forged, sim.engine.validators, domain, 1, block)
            case "outsider":
                outsider = sim.suite.private_key_from_seed(b"org-logistics")
                customs.on_vote(Vote(VoteKind.PREVOTE, 1, 0, block, sim.suite.public_key(outsider))
                                .signed(domain, outsider))
    except MinichainError as error:
        return error.rule, str(error)
    return None


def show_attempt(_=None):
    verdict = attempt(attempt_choice.value)
    if verdict is None:
        said = tr('<b style="color:#2e7d32">✓ 接受</b>', '<b style="color:#2e7d32">✓ accepted</b>')
    else:
        rule, _ = verdict
        said = (tr('<b style="color:#c62828">✗ 拒绝</b> ', '<b style="color:#c62828">✗ refused</b> ')
                + f"<code>[{rule}]</code> " + RULE_WORDS.get(rule, ""))
    attempt_result.value = tr("<p>海关节点的裁决：", "<p>The Customs node's verdict: ") + said + "</p>"


attempt_choice.observe(show_attempt, names="value")
show_attempt()
display(widgets.VBox([attempt_choice, attempt_result]))

# %% [markdown] lang="zh-CN"
# **第 7 题.** 黑客用银行的私钥签了一张票，票上写的却是海关的公钥。海关节点依据哪条规则拒绝它？

# %% [markdown] lang="en"
# **Question 7.** The hacker signs a vote with the Bank's key but puts the Customs' public key on it. Which
# rule does the Customs node refuse it by?

# %% nbgrader={"grade_id": "q7", "locked": true} answer="a"
# zh: 第 7 题：四个选项
# en: question 7: four options
sheet.choice("q7", [("a", "bft-signature"), ("b", "bft-proposer"), ("c", "bft-validator"),
                    ("d", tr("不拒绝：这张票被接受", "none: the vote is accepted"))])

# %% nbgrader={"grade_id": "q7_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_rules = {"bft-signature": "a", "bft-proposer": "b", "bft-validator": "c", None: "d"}
_verdict = attempt("forge-vote")
sheet.expect("q7", _rules.get(_verdict and _verdict[0], "?"))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# **第 8 题.** 综合上面两个面板：一家成员的服务器被黑客控制（四家中只有这一家），黑客**能**做到的是哪一项？

# %% [markdown] lang="en"
# **Question 8.** From the two panels above: with one member's server hacked (only one of the four), which
# of these **can** the hacker do?

# %% nbgrader={"grade_id": "q8", "locked": true} answer="c"
# zh: 第 8 题：四个选项
# en: question 8: four options
sheet.choice("q8", [
    ("a", tr("让诚实成员确定一个无效的区块", "make the honest members decide an invalid block")),
    ("b", tr("让两家诚实成员在同一高度确定不同的区块（分叉）",
             "make two honest members decide different blocks at one height (a fork)")),
    ("c", tr("在轮到它提议时让出块慢一轮；它发出的矛盾签名会被记下来，成为作恶的证据",
             "slow the chain by a round when it is the proposer; its conflicting signatures are recorded as "
             "evidence")),
    ("d", tr("以其他成员的名义投票", "vote in another member's name")),
])

# %% nbgrader={"grade_id": "q8_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_names = ("silent-bank", "double-prevote", "double-precommit", "random-precommits", "equivocate")
_one_chain = all(forks(scenario(name)) == 1 for name in _names)
_slowed = any(d.round > 0 for d in scenario("silent-bank").decisions[0].values())
_caught = len(scenario("double-prevote").machines[0].evidence) > 0
_forged = attempt("forge-vote") is not None
sheet.expect("q8", "c" if _one_chain and _slowed and _caught and _forged else "?")
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# 名单认的是**密钥**：黑客只能以银行一家的名义签名，而一家只有一票。它能让链慢下来，却不能让诚实成员接受无效区块，
# 也不能造出分叉；它每一次“说两套话”都留下自己签了名的证据，联盟可以据此把银行的旧密钥移出名单。
#
# ## 4. 两家停机：链停下来，但绝不分叉
#
# 四家成员最多容忍一家出故障。如果**两家**同时停机，剩下的两家凑不够 3 票，就**停止出块**，等待；它们不会各出各的块。
# 下面选一种情形，让网络运行 60 秒。每条横线是一家成员，每个点是它确定的一个区块（点越密，出块越快）。

# %% [markdown] lang="en"
# The list recognises **keys**: the hacker can sign only as the Bank, and one member has one vote. It can
# slow the chain, but cannot make honest members accept an invalid block, nor make a fork; every time it
# "says two things" it leaves evidence signed by itself, on which the consortium can take the Bank's old
# key off the list.
#
# ## 4. Two members down: the chain stops, but never forks
#
# Four members tolerate one fault. If **two** are down at once, the other two cannot gather 3 votes: they
# **stop producing** and wait; they do not go on with blocks of their own. Choose a situation and run the
# network for 60 seconds. Each line is a member, each dot a block it decided (denser dots: faster blocks).

# %%
# zh: 停机与断网的情形，60 秒里每家成员确定的区块
# en: members down or cut off: the blocks each member decided in 60 seconds
OUTAGES = [(tr("四家都在线", "all four online"), "normal"),
           (tr("银行停机", "the Bank is down"), "silent-bank"),
           (tr("港务局和银行停机", "the Port Authority and the Bank are down"), "two-down"),
           (tr("港务局和银行停机，第 30 秒港务局恢复", "the Port Authority and the Bank down, the Port Authority back at 30 s"),
            "two-down-one-back"),
           (tr("断网：海关、税务局一边，港务局、银行一边；第 30 秒恢复",
               "split: Customs and Tax on one side, Port and Bank on the other; healed at 30 s"), "split")]
outage_choice = widgets.Dropdown(options=OUTAGES, value="normal", description=tr("情形", "Situation"), style=WIDE,
                                 layout=widgets.Layout(width="85%"))
outage_button = widgets.Button(description=tr("运行 60 秒", "Run 60 seconds"), button_style="primary")
outage_picture = widgets.HTML()
SECONDS = 60.0


def show_outage(_=None):
    name = outage_choice.value
    sim = scenario(name, SECONDS)
    left, scale, lane = 100, 10, 34
    body = []
    for node, member in enumerate(NAMES):
        y = 24 + node * lane
        body.append(text(8, y + 4, member, 13, COLORS[node], anchor="start", weight="bold"))
        body.append(f'<line x1="{left}" y1="{y}" x2="{left + SECONDS * scale}" y2="{y}" stroke="#e0e0e0"/>')
        for when, _ in decided_at(sim, node):
            body.append(f'<circle cx="{left + when * scale:.1f}" cy="{y}" r="3" fill="{COLORS[node]}"/>')
    for second in range(0, int(SECONDS) + 1, 10):
        body.append(text(left + second * scale, 24 + 4 * lane, tr(f"{second} 秒", f"{second} s"), 11, "#616161"))
    if name in ("two-down-one-back", "split"):
        x = left + SECONDS / 2 * scale
        body.append(f'<line x1="{x}" y1="8" x2="{x}" y2="{8 + 4 * lane}" stroke="#c62828" stroke-dasharray="4,3"/>')
    blocks = max(len(d) for d in sim.decisions)
    outage_picture.value = (
        scroll(svg(left + SECONDS * scale + 30, 40 + 4 * lane, body))
        + tr(f"<p>60 秒里最多的一家确定了 <b>{blocks}</b> 个区块；同一高度上被确定的不同区块最多 "
             f"<b>{forks(sim)}</b> 个。</p>",
             f"<p>In 60 seconds the most any member decided: <b>{blocks}</b> blocks; the most different blocks "
             f"decided at one height: <b>{forks(sim)}</b>.</p>"))


outage_button.on_click(show_outage)
show_outage()
display(widgets.VBox([outage_choice, outage_button, outage_picture]))

# %% [markdown] lang="zh-CN"
# **第 9 题.** 选“港务局和银行停机”，点“运行 60 秒”。60 秒里最多的一家确定了几个区块？

# %% [markdown] lang="en"
# **Question 9.** Choose "the Port Authority and the Bank are down" and click "Run 60 seconds". What is the
# most blocks any member decided in those 60 seconds?

# %% nbgrader={"grade_id": "q9", "locked": true} answer=0
# zh: 第 9 题：填一个数
# en: question 9: a number
sheet.number("q9", 0, 200, unit=tr("个区块", "blocks"))

# %% nbgrader={"grade_id": "q9_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q9", max(len(d) for d in scenario("two-down", SECONDS).decisions))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# **第 10 题.** 选“断网”那一项再运行。与实验八的权威证明链（断网时两边各自出块，恢复后少数一方的区块被撤销）相比，这里发生了什么？

# %% [markdown] lang="en"
# **Question 10.** Choose the "split" situation and run it. Compared with lab 8's proof-of-authority chain
# (during a split both sides sealed blocks, and after healing the minority's blocks were undone), what
# happens here?

# %% nbgrader={"grade_id": "q10", "locked": true} answer="b"
# zh: 第 10 题：四个选项
# en: question 10: four options
sheet.choice("q10", [
    ("a", tr("和权威证明一样：两边各自出块，恢复后一边的区块被撤销",
             "the same as proof of authority: each side produces, and one side's blocks are undone after healing")),
    ("b", tr("断网期间两边都不出块；恢复后接着出块，没有任何区块被撤销",
             "neither side produces during the split; after healing blocks resume and none is undone")),
    ("c", tr("海关、税务局一边继续出块，另一边停下", "the Customs and Tax side goes on, the other side stops")),
    ("d", tr("链永远停止，恢复连接后也不再出块", "the chain stops for good, even after healing")),
])

# %% nbgrader={"grade_id": "q10_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_split = scenario("split", SECONDS)
_during = [t for node in range(4) for t, _ in decided_at(_split, node) if t < SECONDS / 2]
_after = [t for node in range(4) for t, _ in decided_at(_split, node) if t >= SECONDS / 2]
sheet.expect("q10", {(False, True): "b", (True, True): "a", (True, False): "c", (False, False): "d"}[
    (bool(_during), bool(_after) and forks(_split) == 1)])
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# 这就是拜占庭容错共识的取舍：网络断开或成员过半出故障时，它宁可**停下来**（失去活性），也不会**出错**（失去安全性）。
# 对登记产权、结算资金这样的业务，停几分钟可以补救，已确定的记录被撤销却难以补救。
#
# 与只能容忍停机的 `Raft`（例如 Hyperledger Fabric 的排序服务）相比：`Raft` 只要 2f+1 个节点就能容忍 f 个节点停机，
# 但一个撒谎的领导者就能让其他节点意见不一；拜占庭容错多付出了节点和消息，换来对**撒谎**成员的容忍。

# %% [markdown] lang="en"
# This is the trade of BFT consensus: when the network splits, or too many members fail, it would rather
# **stop** (lose liveness) than **go wrong** (lose safety). For property registers or settlement, a few
# minutes of standstill can be made good; a decided record undone hardly can.
#
# Compared with `Raft`, which tolerates crashes only (Hyperledger Fabric's ordering service, for example):
# `Raft` needs only 2f+1 nodes to survive f crashed ones, but a single lying leader can make the others
# disagree; BFT pays with more nodes and more messages for tolerating members that **lie**.

# %% [markdown] lang="zh-CN" nbgrader={"grade_id": "w1", "task": true, "points": 2}
# **书面回答（由讲师评分，2 分）.** 某省的不动产登记联盟链打算由 4 家单位各运行一个共识节点。有人建议：
# “3 家就够了，省一台服务器。”请用五六句话向领导说明：为什么是 4 家；一家单位的服务器被攻破时会怎样；
# 两家同时停机时会怎样；与实验八的权威证明相比，拜占庭容错的好处和代价各是什么。
#
# === BEGIN MARK SCHEME ===
# **评分标准（2 分）**
#
# * 1 分：说明 n ≥ 3f + 1：要容忍 1 个作恶或被攻破的节点至少要 4 个，3 个节点时法定人数 3 票（超过三分之二）
#   容不下任何故障，或两组票的共同成员可能全是坏的；4 家时一个区块要 3 票，任意两组 3 票至少有 2 个共同成员，
#   其中至少 1 个诚实。
# * 1 分：说明故障时的表现和取舍：一家被攻破时它不能伪造别家的签名、不能让无效区块或分叉被确定，
#   最多拖慢出块，作恶留下签名证据；两家停机时链停止出块但不分叉，恢复后继续；与权威证明相比，
#   区块即时最终确定、断网不会撤销区块，代价是更多节点和消息、过半故障时停止（活性换安全性）。
# * 只写“更安全”“更可靠”而不说明原因的不给分。
# === END MARK SCHEME ===

# %% [markdown] lang="en" nbgrader={"grade_id": "w1", "task": true, "points": 2}
# **Written answer (marked by the instructor, 2 points).** A province plans a land-registry consortium
# chain with 4 organisations each running a consensus node. Someone suggests: "3 would do, and save a
# server." In five or six sentences, explain to the leadership: why 4; what happens when one
# organisation's server is taken over; what happens when two are down at once; and, compared with lab 8's
# proof of authority, what BFT gains and what it costs.
#
# === BEGIN MARK SCHEME ===
# **Rubric (2 points)**
#
# * 1 point: explains n ≥ 3f + 1: tolerating 1 lying or hacked node takes at least 4; with 3 nodes a
#   quorum (more than two thirds) is 3 votes and tolerates no fault, or two vote sets may share only bad
#   members; with 4 a block needs 3 votes, and any two sets of 3 share at least 2 members, at least one
#   of them honest.
# * 1 point: explains behaviour under faults and the trade-off: a hacked member cannot forge others'
#   signatures, cannot get an invalid block or a fork decided, at most slows the chain, and leaves signed
#   evidence; with two down the chain stops without forking and resumes after; compared with proof of
#   authority, blocks are final at once and a split undoes nothing, at the price of more nodes and
#   messages and a standstill when too many fail (liveness traded for safety).
# * No points for "safer" or "more reliable" without reasons.
# === END MARK SCHEME ===

# %% nbgrader={"grade_id": "w1_answer", "locked": true}
# zh: 书面回答的输入框
# en: the box for the written answer
sheet.essay("w1")

# %% [markdown] lang="zh-CN"
# ## 小结
#
# * n 个成员最多容忍 f 个坏成员，要求 n ≥ 3f + 1；一个区块要超过三分之二成员的票（法定人数）。任意两组法定人数至少有一个诚实的共同成员，
#   所以同一高度不可能确定两个不同的区块。
# * 每一轮：提议、预投票、预提交；法定人数的预提交签名就是**提交证书**，任何人都能独自核对。提议者停机，只是多等一轮。
# * 一家成员被攻破：它不能冒用别家的签名，不能让无效区块或分叉被确定；它能让链变慢，并留下作恶的证据。
# * 过半故障或断网：链停下来等待，绝不分叉；恢复后接着出块。

# %% [markdown] lang="en"
# ## What you saw
#
# * n members tolerate at most f bad ones when n ≥ 3f + 1; a block needs the votes of more than two thirds
#   (a quorum). Any two quorums share an honest member, so no height can have two different blocks decided.
# * Each round: proposal, prevote, precommit; a quorum of precommit signatures is the **commit
#   certificate**, which anyone can check alone. A proposer that is down costs one round.
# * One member hacked: it cannot sign as another, cannot get an invalid block or a fork decided; it can
#   slow the chain, and it leaves evidence.
# * Too many faults, or a split: the chain stops and waits, and never forks; it resumes when they heal.

# %% nbgrader={"grade_id": "summary", "locked": true}
# zh: 答题情况
# en: what is answered
sheet.summary()
