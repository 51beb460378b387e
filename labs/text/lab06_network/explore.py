# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   minichain:
#     lab: lab06_network
#     notebook: explore
#     title:
#       zh-CN: 实验六 · 节点网络：传播、分叉与重组（探索）
#       en: Lab 6 · A network of nodes (explore)
# ---

# %% [markdown] lang="zh-CN"
# # 实验六 · 节点网络：Gossip 传播、分叉与重组
#
# *面向领导干部的课程：不需要编程，全部用鼠标点击完成。*
#
# 区块链由许多台计算机共同保存，这些计算机叫作**节点**。没有中心服务器：每个节点都亲自核验每一个区块，
# 并跟随背后工作量最多的那条链。本实验在笔记本里运行四个节点：**甲、乙、丙、丁**。它们之间的网络是模拟的
# （不连接真实的互联网），时间也是模拟的，网络运行一小时只需一秒钟，而且每台机器上的结果都一样。你将看到：
#
# 1. 新区块怎样在节点之间传开（**Gossip 传播**）；
# 2. 为什么网络越慢，**分叉**越多（同一高度出现两个区块）；
# 3. 节点怎样在两个分支之间做选择（**分叉选择**），又怎样切换分支（**重组**）；
# 4. 网络被切成两半（**网络分区**）、随后恢复连接时，会发生什么。
# %% [markdown] lang="en"
# # Lab 6 · A network of nodes: gossip, forks and reorganisations
#
# *Officials' track: no programming; everything is done with the mouse.*
#
# A blockchain is kept by many computers, called **nodes**. There is no central server: each node
# checks every block for itself and follows the chain with the most work behind it. In this lab you
# run four nodes, **alpha, beta, gamma and delta**, on a simulated network inside this notebook (no
# real internet; time is simulated too, so an hour of network life takes a second, with the same
# result on every machine). You will see:
#
# 1. how a new block spreads (**gossip**);
# 2. why slow networks produce more **forks** (two blocks at the same height);
# 3. how nodes choose between branches (**fork choice**) and switch (**reorganise**);
# 4. what happens when the network is cut in two (a **partition**) and joined again.
# %% [markdown] lang="zh-CN"
# **使用方法**
#
# * 先点击菜单 **运行 → 运行所有单元格**。
# * 灰色面板里的按钮和滑块都是“活”的：点击或拖动后，下面的图会立即重画。
# * **题目**的答案全部用点击给出：选择题点一个选项；数字题在框里填数字后点“确认答案”；
#   书面题在文本框里写几句话后点“保存回答”。每题下方会显示“✓ 已记录你的答案”。
# * 答案一经点击就已保存；最后按 **Ctrl+S** 保存笔记本再交卷。对错在交卷评分时才判定。
# %% [markdown] lang="en"
# **How this notebook works**
#
# * First click **Run → Run All Cells** in the menu.
# * The grey panels with buttons and sliders are live: click or move them and the pictures redraw.
# * Every **question** is answered by clicking: pick an option; or type a number and click
#   "Confirm answer"; or write a few sentences and click "Save answer". Each question then shows
#   "✓ Your answer is recorded".
# * An answer is kept the moment you click; at the end press **Ctrl+S** to save the notebook, then
#   hand it in. Whether an answer is right is decided when the lab is graded.
# %% nbgrader={"grade_id": "setup", "locked": true}
# zh: 准备工作：载入 minichain 的节点、内存网络和绘图工具。
# en: Set-up: load minichain's nodes, its in-memory network and its drawing tools.
import dataclasses
import re

import ipywidgets as widgets
from IPython.display import display

from labkit import tr
from labkit.ask import Sheet
from labkit.words import viz_words
from minichain import MemoryNetwork, NodeConfig
from minichain.testing import make_genesis, make_wallet
from minichain.viz import chain_tree_blocks, fork_tree_svg, timeline_svg

sheet = Sheet("lab06_network", "explore", lang=tr("zh-CN", "en"))
words = viz_words(tr("zh-CN", "en"))
# zh: 节点的编号在两种语言里相同（结果因此相同），图上显示的是它们的名字
# en: the nodes' ids are the same in both languages (so are the results); pictures show their names
NODES = ["alpha", "beta", "gamma", "delta"]
NAME = dict(zip(NODES, [tr("甲", "alpha"), tr("乙", "beta"), tr("丙", "gamma"), tr("丁", "delta")], strict=True))
GENESIS = make_genesis("pow", difficulty_bits=12, retarget_window=1000)  # no difficulty change here


def manual_network(seed=1):
    """Four proof-of-work nodes, all connected, that mine only when told to (net.produce(node))."""
    configs = [NodeConfig(node, miner=make_wallet(f"miner-{node}").address, mining_attempts_per_tick=0)
               for node in NODES]
    net = MemoryNetwork(GENESIS, configs, seed=seed)
    net.run_for(1)  # the handshakes
    return net


def busy_network(delay, seconds=600, seed=1):
    """Four nodes mining all the time (together about one block every 10 s) for `seconds` of network
    time; each message takes between 0.5 and 1.5 times `delay` seconds to arrive."""
    configs = [NodeConfig(node, miner=make_wallet(f"miner-{node}").address, mining_attempts_per_tick=5,
                          seed=index) for index, node in enumerate(NODES)]
    net = MemoryNetwork(GENESIS, configs, seed=seed, latency=(delay * 0.5, delay * 1.5))
    net.run_for(seconds)
    return net


def split_scenario(left_blocks, right_blocks):
    """Cut the network (alpha+beta | gamma+delta), let each side mine, heal: (network, heal time)."""
    net = manual_network()
    net.partition([["alpha", "beta"], ["gamma", "delta"]])
    for node in ["alpha"] * left_blocks + ["gamma"] * right_blocks:
        net.produce(node)
        net.run_for(1)
    healed_at = net.elapsed
    net.heal()
    net.run_for(3)
    return net, healed_at


def stale_blocks(net):
    """Blocks mined that did not end up in the best chain."""
    mined = {e.hash for core in net.cores for e in core.chain.all_entries() if e.height > 0}
    return len(mined) - max(core.chain.height for core in net.cores)


def scroll(picture):
    """A wide picture at its full size, in a box that scrolls sideways."""
    picture = picture.replace('style="max-width:100%;height:auto"', 'style="max-width:none"', 1)
    return f'<div style="overflow-x:auto; max-width:100%">{picture}</div>'


def fork_tree(net, title, heights=25):
    """Every block any node knows, the heaviest chain on top, each node's tip marked ▲."""
    low = max(core.chain.height for core in net.cores) - heights + 1   # only the heights drawn get lanes
    entries = {(e.hash, e.header.parent_hash, e.height) for core in net.cores for e in core.chain.all_entries()
               if e.height >= low}
    best = max(net.cores, key=lambda core: core.chain.tip_weight).chain.tip_hash
    tips = {NAME[core.node_id]: core.chain.tip_hash for core in net.cores}
    return scroll(fork_tree_svg(chain_tree_blocks(entries), tips, best=best, title=title,
                                max_height_shown=heights, words=words))


def timeline(net, since, title):
    """The messages since virtual second `since`, one lane per node, under the nodes' names."""
    named = [dataclasses.replace(e, source=NAME.get(e.source, e.source), target=NAME.get(e.target, e.target))
             for e in net.log if e.time >= since]
    return scroll(timeline_svg(named, [NAME[n] for n in NODES], start=since, title=title, words=words))


EVENT_WORDS = {
    "produced": (r"block (\d+) (\w+)", tr("{node} 挖出第 {0} 号区块 {1}", "{node} mined block #{0} {1}")),
    "tip": (r"height (\d+) (\w+)", tr("{node} 的链头移到第 {0} 号区块 {1}", "{node} moved its tip to block #{0} {1}")),
    "fork": (r"side block (\w+)", tr("{node} 收到侧分支上的区块 {0}（存下，但不跟随）",
                                     "{node} stored block {0} of a side branch (kept, not followed)")),
    "reorg": (r"to height (\d+) (\w+): -(\d+) \+(\d+)", tr(
        "{node} <b>重组</b>：撤下 {2} 个区块，接上 {3} 个区块，链头变为第 {0} 号区块 {1}",
        "{node} <b>reorganised</b>: took back {2} blocks, connected {3}, new tip block #{0} {1}")),
}


def node_events(net, since):
    """What the nodes did after virtual second `since`, in the notebook's language."""
    lines = []
    for event in net.log:
        pattern, template = EVENT_WORDS.get(event.kind, (None, ""))
        found = re.match(pattern, event.message) if pattern and event.time >= since else None
        if found:
            said = template.format(*found.groups(), node=f"<b>{NAME[event.source]}</b>")
            lines.append(f"<li>{event.time:6.2f} {tr('秒', 's')} · {said}</li>")
    if not lines:
        return tr("<p>（这段时间里节点没有新动作）</p>", "<p>(the nodes did nothing new meanwhile)</p>")
    return "<ul style='font-family:monospace; font-size:13px'>" + "".join(lines[-12:]) + "</ul>"


# %% [markdown] lang="zh-CN"
# ## 1. Gossip 传播：一个区块怎样传开
#
# 节点挖出一个新区块后，并不会马上把整个区块推送给每个人。它先发一条简短的**通告**
# （“我有区块 00a3f…”）；还没有这个区块的节点回一条**索取数据**（“请发给我”）；然后才发送**区块**本身。
# 收到区块的节点核验它，再向自己的其他对等节点通告。这样可以节省大量流量：谁也不会把同一个区块收两遍。
#
# 用下面的面板试一试：点 **“甲 挖出一个区块”**，再看消息时间线（时间从上往下流，每个箭头是一条消息，
# 颜色表示消息的种类；还没点按钮时，图上是节点之间互相打招呼的灰色**握手**消息）。
# 时间线上方的分叉树画出节点知道的全部区块，▲ 标出每个节点当前跟随的链头。

# %% [markdown] lang="en"
# ## 1. Gossip: how a block spreads
#
# A node that mines a new block does not push the whole block to everyone at once. It first sends a
# short **inventory** message ("I have block 00a3f…"). A node that lacks that block answers
# **getdata** ("send it, please"), and only then is the **blocks** message with the block itself
# sent. A node that receives it checks it and announces it to its own other peers. This saves a lot
# of traffic: nobody receives the same block twice.
#
# Try it in the panel: press **"alpha mines"** and read the message timeline (time runs downwards,
# each arrow is one message, coloured by kind; before you press anything it shows the nodes greeting
# each other with grey **hello** messages). The fork tree above it shows every block the nodes know;
# ▲ marks the tip each node follows.

# %%
# zh: 四个节点的操作台：让某个节点出块、切断或恢复网络、重新开始
# en: the four nodes' desk: make a node mine, cut or heal the network, start again
bench = {"net": manual_network()}
bench_picture, bench_events = widgets.HTML(), widgets.HTML()
CUT_LABEL = tr("切断网络：甲乙 | 丙丁", "cut: alpha+beta | gamma+delta")
HEAL_LABEL = tr("恢复连接", "heal: join the groups")
cut_button = widgets.ToggleButton(description=CUT_LABEL, layout=widgets.Layout(width="220px"))


def redraw(since):
    net = bench["net"]
    state = tr("网络已切断", "cut in two") if cut_button.value else tr("全部连通", "fully connected")
    heights = tr("、", ", ").join(f"{NAME[core.node_id]} {core.chain.height}" for core in net.cores)
    bench_picture.value = (
        tr(f"<p>网络时间 {net.elapsed:.1f} 秒 · {state} · 各节点的链高：{heights}</p>",
           f"<p>Network time {net.elapsed:.1f} s · {state} · heights: {heights}</p>")
        + fork_tree(net, tr("节点知道的区块（绿色：最重的链）", "Blocks known to the nodes (green: the heaviest chain)"))
        + timeline(net, since, tr("刚才的消息", "the latest messages")))
    bench_events.value = node_events(net, since)


def mine(node):
    def handler(_):
        net = bench["net"]
        since = net.elapsed
        net.produce(node)
        net.run_for(2)
        redraw(since)
    return handler


def toggle_cut(change):
    net = bench["net"]
    since = net.elapsed
    cut_button.description = HEAL_LABEL if change["new"] else CUT_LABEL
    cut_button.button_style = "danger" if change["new"] else ""
    if change["new"]:
        net.partition([["alpha", "beta"], ["gamma", "delta"]])
    else:
        net.heal()
    net.run_for(2)
    redraw(since)


def start_again(_):
    bench["net"] = manual_network()
    cut_button.unobserve(toggle_cut, names="value")
    cut_button.value, cut_button.description, cut_button.button_style = False, CUT_LABEL, ""
    cut_button.observe(toggle_cut, names="value")
    redraw(0)


mine_buttons = []
for node in NODES:
    button = widgets.Button(description=tr(f"{NAME[node]} 挖出一个区块", f"{node} mines"),
                            layout=widgets.Layout(width="150px"))
    button.on_click(mine(node))
    mine_buttons.append(button)
again_button = widgets.Button(description=tr("重新开始", "start again"), button_style="warning")
again_button.on_click(start_again)
cut_button.observe(toggle_cut, names="value")
redraw(0)
display(widgets.VBox([widgets.HBox(mine_buttons), widgets.HBox([cut_button, again_button]),
                      bench_picture, bench_events]))

# %% [markdown] lang="zh-CN"
# **第 1 题.** 甲挖出一个区块后，它发给其他节点的**第一种**消息是什么？（看时间线上最早离开甲的那几个箭头。）

# %% [markdown] lang="en"
# **Question 1.** After alpha mines a block, what is the **first** kind of message it sends to the
# other nodes? (Look at the earliest arrows leaving alpha on the timeline.)

# %% nbgrader={"grade_id": "q1", "locked": true} answer="b"
# zh: 第 1 题：三个选项
# en: question 1: three options
sheet.choice("q1", [
    ("a", tr("整个区块（“区块”消息）", "The whole block (a blocks message)")),
    ("b", tr("只含区块哈希的简短通告（“通告”消息）", "A short announcement with the block's hash (inventory)")),
    ("c", tr("请其他节点把它们的区块发过来（“请求同步”消息）", "A request for the others' blocks (getblocks)")),
])

# %% nbgrader={"grade_id": "q1_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_net = manual_network()
_start = len(_net.log)
_net.produce("alpha")
_net.run_for(2)
_first = next(e.message for e in _net.log[_start:] if e.kind == "send" and e.source == "alpha")
sheet.expect("q1", {"blocks": "a", "inventory": "b", "getblocks": "c"}[_first])
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# **第 2 题.** 先点“重新开始”，再点一次“甲 挖出一个区块”。甲一共把**整个区块**发送了几次？
# （数一数从甲的竖线出发的蓝色“区块”箭头。）

# %% [markdown] lang="en"
# **Question 2.** Press "start again", then press "alpha mines" once. How many times did alpha send
# the **whole block**? (Count the blue "blocks" arrows that leave alpha's line.)

# %% nbgrader={"grade_id": "q2", "locked": true} answer=3
# zh: 第 2 题：填一个数
# en: question 2: a number
sheet.number("q2", 0, 50, unit=tr("次", "times"))

# %% nbgrader={"grade_id": "q2_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_net = manual_network()
_start = len(_net.log)
_net.produce("alpha")
_net.run_for(2)
sheet.expect("q2", sum(1 for e in _net.log[_start:]
                       if e.kind == "deliver" and e.source == "alpha" and e.message == "blocks"))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 2. 网络越慢，分叉越多
#
# 两个矿工可能几乎同时各自找到一个区块，谁都还没听说对方的区块。于是网络里一时出现两个同一高度的区块，
# 这就是**分叉**。下一个区块会了结这件事：它接在两者之一的后面，那个分支的工作量就更多了，所有节点都转而跟随它。
# 落败的区块成为**孤块**（作废的区块）：它的矿工拿不到奖励，其中的交易回到交易池重新排队。
#
# 消息在路上走得越久，这种情况就越常见。下面四个节点一刻不停地挖矿（合计平均每 10 秒一个区块），
# 网络时间运行 10 分钟。拖动滑块选择网络延迟，图会在一两秒内重画。

# %% [markdown] lang="en"
# ## 2. Slow networks make forks
#
# Two miners may each find a block at nearly the same moment, before hearing of the other's. For a
# while the network has two blocks at the same height: a **fork**. The next block settles it: it
# builds on one of the two, that branch now has more work, and every node follows it. The losing
# block becomes **stale**: its miner loses the reward and its transactions go back to the mempool.
#
# The longer messages take to travel, the more often this happens. Below, four nodes mine all the
# time (together about one block every 10 seconds) for 10 minutes of network time. Move the slider to
# choose the network delay; the picture redraws in a second or two.

# %%
# zh: 网络延迟滑块、出块统计和最后 15 个高度的分叉树
# en: the delay slider, the block counts and the fork tree of the last 15 heights
delay_slider = widgets.SelectionSlider(options=[0.1, 0.5, 1, 2, 4, 8], value=0.1, continuous_update=False,
                                       description=tr("延迟（秒）", "delay (s)"),
                                       style={"description_width": "initial"}, layout=widgets.Layout(width="50%"))
delay_picture = widgets.HTML()


def show_delay(_=None):
    net = busy_network(delay_slider.value)
    stale = stale_blocks(net)
    best = max(core.chain.height for core in net.cores)
    reorgs = sum(1 for e in net.log if e.kind == "reorg")
    delay_picture.value = (
        tr(f"<p>延迟约 <b>{delay_slider.value} 秒</b>：共挖出 {best + stale} 个区块，其中 <b>{best}</b> 个在最重的链上，"
           f"<b>{stale}</b> 个成了孤块（{stale / (best + stale):.0%}）；各节点共重组 {reorgs} 次。</p>",
           f"<p>Delay about <b>{delay_slider.value} s</b>: {best + stale} blocks mined, <b>{best}</b> in the "
           f"heaviest chain, <b>{stale}</b> stale ({stale / (best + stale):.0%}); the nodes reorganised "
           f"{reorgs} times.</p>")
        + fork_tree(net, tr("最后 15 个高度", "the last 15 heights"), heights=15))


delay_slider.observe(show_delay, names="value")
show_delay()
display(widgets.VBox([delay_slider, delay_picture]))

# %% [markdown] lang="zh-CN"
# **第 3 题.** 把延迟调到 **4** 秒。有多少个区块成了孤块？

# %% [markdown] lang="en"
# **Question 3.** Set the delay to **4** seconds. How many blocks were stale?

# %% nbgrader={"grade_id": "q3", "locked": true} answer=24
# zh: 第 3 题：填一个数
# en: question 3: a number
sheet.number("q3", 0, 500, unit=tr("个", "blocks"))

# %% nbgrader={"grade_id": "q3_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q3", stale_blocks(busy_network(4)))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# **第 4 题.** 把延迟从 0.1 秒逐步调到 8 秒。孤块怎样变化？

# %% [markdown] lang="en"
# **Question 4.** Move the delay from 0.1 s step by step to 8 s. What happens to stale blocks?

# %% nbgrader={"grade_id": "q4", "locked": true} answer="b"
# zh: 第 4 题：三个选项
# en: question 4: three options
sheet.choice("q4", [
    ("a", tr("越来越少：节点有更多时间核验区块", "Rarer: nodes have more time to check blocks")),
    ("b", tr("越来越多：矿工在旧的链头上白白挖矿的时间更长",
             "More common: miners keep working on old tips for longer")),
    ("c", tr("基本不变：延迟不影响分叉", "About the same: delay does not matter")),
])

# %% nbgrader={"grade_id": "q4_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_fast, _slow = stale_blocks(busy_network(0.1)), stale_blocks(busy_network(8))
sheet.expect("q4", "b" if _slow > _fast else "c")
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 3. 分叉选择、网络分区与恢复
#
# 每个节点都跟随**总工作量最多**的分支（难度相同时，就是最长的分支）。另一个分支变得更重时，节点就**重组**：
# 撤下旧分支上的区块（其中的交易回到交易池），再接上新分支的区块。
#
# **网络分区**把网络切成两半：每一半都在自己的分支上继续挖矿，听不到另一半的消息。
# 下面的面板把网络切成“甲乙”和“丙丁”两组，让两组在分区期间各挖若干个区块，然后恢复连接。
# 用两个滑块选择各组挖出的区块数，图会画出恢复连接之后的分叉树和各节点的动作。

# %% [markdown] lang="en"
# ## 3. Fork choice, partitions and healing
#
# Each node follows the branch with the **most total work** (with equal difficulty, the longest).
# When another branch becomes heavier, the node **reorganises**: it takes back the blocks of its old
# branch (their transactions return to the mempool) and connects the new branch instead.
#
# A **partition** cuts the network in two: each side keeps mining its own branch without hearing of
# the other. The panel below cuts the network into alpha+beta and gamma+delta, lets each side mine
# some blocks during the cut, then joins them again. Choose with the two sliders how many blocks each
# side mines; the picture shows the fork tree after the heal and what each node did.

# %%
# zh: 分区期间两组各挖几个区块，恢复连接后的分叉树与节点动作
# en: how many blocks each side mines during the cut; the fork tree and the nodes' actions after the heal
left_slider = widgets.IntSlider(value=2, min=0, max=3, continuous_update=False,
                                description=tr("甲乙一组挖出", "alpha+beta mine"),
                                style={"description_width": "initial"})
right_slider = widgets.IntSlider(value=0, min=0, max=3, continuous_update=False,
                                 description=tr("丙丁一组挖出", "gamma+delta mine"),
                                 style={"description_width": "initial"})
split_picture = widgets.HTML()


def show_split(_=None):
    net, healed_at = split_scenario(left_slider.value, right_slider.value)
    agreed = (tr("所有节点跟随同一个链头。", "Every node follows the same tip.") if net.converged()
              else tr("节点仍然跟随不同的链头。", "The nodes still follow different tips."))
    split_picture.value = (
        fork_tree(net, tr("恢复连接之后（橙色：被放弃的区块）", "After the heal (orange: abandoned blocks)"))
        + f"<p><b>{agreed}</b> " + tr("恢复连接之后各节点的动作：", "What the nodes did after the heal:") + "</p>"
        + node_events(net, healed_at))


left_slider.observe(show_split, names="value")
right_slider.observe(show_split, names="value")
show_split()
display(widgets.VBox([widgets.HBox([left_slider, right_slider]), split_picture]))

# %% [markdown] lang="zh-CN"
# **第 5 题.** 分区期间，甲乙一组挖出 **1** 个区块，丙丁一组挖出 **2** 个区块。恢复连接后，哪些节点发生了重组？

# %% [markdown] lang="en"
# **Question 5.** During the cut, alpha+beta mine **1** block and gamma+delta mine **2**. After the
# heal, which nodes reorganised?

# %% nbgrader={"grade_id": "q5", "locked": true} answer="a"
# zh: 第 5 题：四个选项
# en: question 5: four options
sheet.choice("q5", [
    ("a", tr("甲和乙", "alpha and beta")),
    ("b", tr("丙和丁", "gamma and delta")),
    ("c", tr("四个节点都重组了", "all four")),
    ("d", tr("都没有：两组各自保留自己的链", "none: each side keeps its own chain")),
])

# %% nbgrader={"grade_id": "q5_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_net, _healed = split_scenario(1, 2)
_who = sorted({e.source for e in _net.log if e.kind == "reorg"})
_keys = {("alpha", "beta"): "a", ("delta", "gamma"): "b", tuple(sorted(NODES)): "c", (): "d"}
sheet.expect("q5", _keys[tuple(_who)])
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# **第 6 题.** 这次甲乙一组挖出 **2** 个区块，丙丁一组挖出 **3** 个区块。恢复连接后，甲撤下了几个区块？

# %% [markdown] lang="en"
# **Question 6.** Now alpha+beta mine **2** blocks and gamma+delta mine **3**. After the heal, how
# many blocks did alpha take back?

# %% nbgrader={"grade_id": "q6", "locked": true} answer=2
# zh: 第 6 题：填一个数
# en: question 6: a number
sheet.number("q6", 0, 10, unit=tr("个", "blocks"))

# %% nbgrader={"grade_id": "q6_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_net, _healed = split_scenario(2, 3)
_reorg = next(e for e in _net.log if e.kind == "reorg" and e.source == "alpha")
sheet.expect("q6", int(re.search(r": -(\d+) ", _reorg.message).group(1)))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# **第 7 题.** 如果两组在分区期间**各挖 2 个**区块（用上面的滑块试一试），恢复连接后紧接着会发生什么？

# %% [markdown] lang="en"
# **Question 7.** Suppose both sides mine **two** blocks each during the cut (try it with the sliders).
# What happens right after the heal?

# %% nbgrader={"grade_id": "q7", "locked": true} answer="b"
# zh: 第 7 题：三个选项
# en: question 7: three options
sheet.choice("q7", [
    ("a", tr("所有节点立即改跟甲的分支，因为甲排在最前面",
             "Everyone switches to alpha's branch at once, because alpha comes first")),
    ("b", tr("两组各自保留自己的分支（工作量相同），直到下一个区块让其中一支变得更重",
             "Each side keeps its own branch (equal work) until the next block makes one heavier")),
    ("c", tr("节点停止接收区块，等待管理员裁决", "The nodes stop accepting blocks until an administrator decides")),
])

# %% nbgrader={"grade_id": "q7_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_net, _healed = split_scenario(2, 2)
sheet.expect("q7", "a" if _net.converged() else "b")
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN" nbgrader={"grade_id": "w1", "task": true, "points": 2}
# ## 4. 用你自己的话说
#
# **书面回答（由讲师评分，2 分）.** 一家商店看到顾客的付款出现在一个区块里，就马上交了货。
# 当时网络正处于分区状态；网络恢复后，那个区块不见了。请用三四句话向店主解释发生了什么，以及今后应当怎么做。
#
# === BEGIN MARK SCHEME ===
# **评分标准（2 分）**
#
# * 1 分：说明分区期间商店这一侧在自己的分支上出块，付款就在这个分支的区块里；恢复连接后另一侧的分支工作量更多，
#   所有节点（包括商店的节点）都重组到那条分支，商店那个区块被撤下，付款回到交易池，
#   付款人若已把钱花在别处，这笔付款就可能永远不会再被确认。
# * 1 分：说明区块不是“最终的”：今后应等待若干个确认（付款所在区块之上又接了多个区块）再交货，金额越大等得越久；
#   或指出当节点连接的对等节点很少、出现异常的重组时要格外小心。
# * 只写“网络出了故障”“区块链不安全”而没有说明分支与重组的，不给分。
# === END MARK SCHEME ===

# %% [markdown] lang="en" nbgrader={"grade_id": "w1", "task": true, "points": 2}
# ## 4. In your own words
#
# **Written answer (marked by the instructor, 2 points).** A shop handed over the goods as soon as a
# customer's payment appeared in a block. The network was split at the time, and after it healed the
# payment's block had vanished. In three or four sentences, explain to the shop owner what happened
# and what they should do in future.
#
# === BEGIN MARK SCHEME ===
# **Rubric (2 points)**
#
# * 1 point: during the split the shop's side built its own branch and the payment was in a block on
#   it; after the heal the other side's branch had more work, so every node, the shop's included,
#   reorganised to it and took back the shop's block; the payment went back to the mempool and may
#   never be confirmed if the payer spent the money elsewhere.
# * 1 point: a block is not final: wait for several confirmations (blocks built on top of the
#   payment's block), more for larger amounts; or be wary when the node sees few peers or unusual
#   reorganisations.
# * No points for "the network failed" or "blockchains are unsafe" without branches and the
#   reorganisation.
# === END MARK SCHEME ===

# %% nbgrader={"grade_id": "w1_answer", "locked": true}
# zh: 书面回答的输入框
# en: the box for the written answer
sheet.essay("w1")

# %% [markdown] lang="zh-CN"
# ## 小结
#
# * 新区块先通告、再按需发送：每个节点只收一次。
# * 网络越慢，矿工在旧链头上浪费的工作越多，分叉和孤块就越多。
# * 节点不投票：每个节点各自跟随它所知道的最重的有效分支；网络一恢复，它们就自动达成一致。
# * 因此，一个区块并不是最终的：要等它上面再接几个区块（确认）。实验七会算一算要等多少个。

# %% [markdown] lang="en"
# ## What you saw
#
# * A new block is announced first and sent on request: each node receives it once.
# * The slower the network, the more work miners waste on old tips, and the more forks and stale
#   blocks.
# * Nodes never vote: each follows the heaviest valid branch it knows, and they agree again as soon
#   as the network heals.
# * So a block is not final: wait until more blocks are built on it (confirmations). Lab 7 works
#   out how many.

# %% nbgrader={"grade_id": "summary", "locked": true}
# zh: 答题情况
# en: what is answered
sheet.summary()
