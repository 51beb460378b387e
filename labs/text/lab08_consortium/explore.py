# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   minichain:
#     lab: lab08_consortium
#     notebook: explore
#     title:
#       zh-CN: 实验八 · 联盟链：权威证明（探索）
#       en: Lab 8 · A consortium chain (explore)
# ---

# %% [markdown] lang="zh-CN"
# # 实验八 · 联盟链：权威证明
#
# *面向领导干部的课程：不需要编程，全部用鼠标点击完成。*
#
# 比特币这样的**公有链**，任何人都可以加入、都可以出块，所以要靠工作量证明（实验五）让互不相识的参与者
# 保持诚实。政务和产业中的许多区块链不一样：参与者是**已知的机构**，彼此签有协议，只有经过**准入**的成员
# 才能出块。我国的区块链服务网络（BSN）和 FISCO BCOS 上的**联盟链**就是这样组织的。
#
# minichain 实现了其中最简单的一种共识：**权威证明**（PoA）。链的**创世文件**里写着一份权威节点名单，
# 名单上的成员按顺序轮流出块，每个区块都由出块的成员用自己的私钥签名。
#
# 本实验的联盟由四家单位组成：**海关、税务局、港务局和一家银行**，它们在同一条链上共享跨境贸易的单证和付款记录。
# 你将看到：
#
# 1. 创世文件怎样规定谁可以出块（准入）；
# 2. 成员怎样**轮流**出块；
# 3. 名单以外的机构、冒名顶替者封装的区块怎样被拒绝；
# 4. 成员离线、网络断开时，链会怎样；
# 5. 联盟链的**最终性**与工作量证明相比如何。

# %% [markdown] lang="en"
# # Lab 8 · A consortium chain: proof of authority
#
# *Officials' track: no programming; everything is done with the mouse.*
#
# A **public chain** such as Bitcoin lets anyone join and produce blocks, so it needs proof of work
# (lab 5) to keep strangers honest. Many government and industry chains are different: the members are
# **known organisations** bound by agreements, and only **admitted** members may produce blocks. China's
# Blockchain-based Service Network (BSN) and FISCO BCOS **consortium chains** are organised this way.
#
# minichain implements the simplest such consensus, **proof of authority** (PoA). The chain's **genesis**
# file holds a list of authorities; they take turns producing blocks, and each block is signed by the
# member that sealed it, with its own private key.
#
# Our consortium has four members: **Customs, the Tax Bureau, the Port Authority and a Bank**, sharing
# the documents and payments of cross-border trade on one chain. You will see:
#
# 1. how the genesis decides who may produce blocks (admission);
# 2. how the members **take turns**;
# 3. how blocks from an organisation outside the list, or from an impostor, are refused;
# 4. what happens when a member goes offline or the network splits;
# 5. how the consortium's **finality** compares with proof of work.

# %% [markdown] lang="zh-CN"
# **使用方法**
#
# * 先点击菜单 **运行 → 运行所有单元格**（或工具栏上“重启内核并运行所有单元格”的按钮）。
# * 灰色面板里的复选框、滑块、下拉菜单和按钮都是“活”的：改动它们，下面的图会立即重画。
# * **题目**的答案全部用点击给出：选择题点一个选项；数字题在框里填数字后点“确认答案”；
#   书面题在文本框里写几句话后点“保存回答”。每题下方会显示“✓ 已记录你的答案”。
# * 答案一经点击就已保存；最后按 **Ctrl+S** 保存笔记本再交卷。对错在交卷评分时才判定。

# %% [markdown] lang="en"
# **How this notebook works**
#
# * First click **Run → Run All Cells** in the menu (or the toolbar's "restart the kernel and run all
#   cells" button).
# * The grey panels with boxes, sliders, menus and buttons are live: change them and the pictures redraw.
# * Every **question** is answered by clicking: pick an option; or type a number and click
#   "Confirm answer"; or write a few sentences and click "Save answer". Each question then shows
#   "✓ Your answer is recorded".
# * An answer is kept the moment you click; at the end press **Ctrl+S** to save the notebook, then
#   hand it in. Whether an answer is right is decided when the lab is graded.

# %% nbgrader={"grade_id": "setup", "locked": true}
# zh: 准备工作：载入 minichain，建立本课的贸易联盟链（四家成员）和实验用的小工具。
# en: Set-up: load minichain, build the course's trade consortium (four members) and the lab's tools.
import dataclasses
import functools
import html

import ipywidgets as widgets
from IPython.display import display

from labkit import tr
from labkit.ask import Sheet
from minichain import Block, Chain, MemoryNetwork, MinichainError, NodeConfig, make_genesis_block
from minichain.testing import make_genesis, make_wallet
from minichain.viz import FONT

sheet = Sheet("lab08_consortium", "explore", lang=tr("zh-CN", "en"))
MEMBERS = {"customs": tr("海关", "Customs"), "tax": tr("税务局", "Tax Bureau"),
           "port": tr("港务局", "Port Authority"), "bank": tr("银行", "Bank")}
SHORT = {"customs": tr("海", "C"), "tax": tr("税", "T"), "port": tr("港", "P"), "bank": tr("银", "B")}
COLORS = {"customs": "#1565c0", "tax": "#6a1b9a", "port": "#ef6c00", "bank": "#2e7d32"}
WALLETS = {key: make_wallet(f"org-{key}") for key in MEMBERS}
# zh: 物流公司：不在创世文件的名单上
# en: the logistics company: not on the genesis list
APPLICANT = make_wallet("org-logistics")
IMPORTER, EXPORTER = make_wallet("importer"), make_wallet("exporter")


def consortium_genesis(keys, block_time=2):
    """The rules of a consortium sealed by `keys` (members, "logistics" for the applicant), in turn."""
    sealers = [APPLICANT if key == "logistics" else WALLETS[key] for key in keys]
    return make_genesis("poa", authorities=sealers, block_time=block_time, chain_id="trade-consortium",
                        funded=[IMPORTER])


GENESIS = consortium_genesis(list(MEMBERS))
ENGINE = Chain(GENESIS).engine
KEY_OF = {wallet.address: key for key, wallet in WALLETS.items()}
N = len(MEMBERS)


def genesis_hash(genesis):
    """The hash of block 0: it covers every rule in the genesis file."""
    return make_genesis_block(genesis).hash(ENGINE.suite)


def owner_at(seconds):
    """The member whose turn it is `seconds` after the chain started."""
    return KEY_OF[ENGINE.authority_for_slot(ENGINE.slot(GENESIS.timestamp + seconds))]


def sealer_of(block):
    """Which member sealed `block` (by the public key in its seal)."""
    return KEY_OF[ENGINE.suite.address(block.header.seal.signer)]


def try_to_seal(who, seconds):
    """`who` seals block 1 of a fresh chain `seconds` after the start: (rule, message) or None."""
    chain = Chain(GENESIS)
    if who == "impostor":
        # zh: 物流公司用自己的私钥签名，却在封装信息里填上银行的公钥
        # en: the company signs with its own key but puts the Bank's public key in the seal
        block, _ = chain.build_block([], WALLETS["bank"].address, GENESIS.timestamp + seconds)
        own = ENGINE.seal(block.header, APPLICANT.private_key)
        header = own.with_seal(dataclasses.replace(own.seal, signer=WALLETS["bank"].public_key))
    else:
        sealer = APPLICANT if who == "outsider" else WALLETS[who]
        block, _ = chain.build_block([], sealer.address, GENESIS.timestamp + seconds)
        header = ENGINE.seal(block.header, sealer.private_key)
    try:
        chain.add_block(Block(header, block.transactions))
    except MinichainError as error:
        return error.rule, str(error)
    return None


def consortium_network(online, seconds=60, seed=1):
    """The nodes of the members in `online`, each sealing in its own slots, for `seconds`."""
    configs = [NodeConfig(key, authority=WALLETS[key]) for key in MEMBERS if key in online]
    net = MemoryNetwork(GENESIS, configs, seed=seed)
    net.run_for(seconds + 1)   # the slot that starts at `seconds` too
    return net


def final_flags(sealers):
    """For blocks sealed in this order: is each one final, i.e. did more than half of the members seal
    it or a block after it?"""
    return [2 * len(set(sealers[i:])) > N for i in range(len(sealers))]


@dataclasses.dataclass
class Split:
    before: list      # blocks everyone shared before the split
    branches: dict    # group -> the blocks its nodes sealed while cut off
    final: dict       # group -> whether each of those was final when the split ended
    kept: set         # hashes of the blocks still on the main chain after healing
    converged: bool


@functools.lru_cache(maxsize=64)
def partition_run(group_a, seconds, seed=1):
    """All four nodes run 7 s, the network splits into group_a and the rest for `seconds`, then heals."""
    net = MemoryNetwork(GENESIS, [NodeConfig(key, authority=WALLETS[key]) for key in MEMBERS], seed=seed)
    net.run_for(7)
    split_height = net.cores[0].chain.height
    groups = {"a": [i for i, key in enumerate(MEMBERS) if key in group_a],
              "b": [i for i, key in enumerate(MEMBERS) if key not in group_a]}
    groups = {name: nodes for name, nodes in groups.items() if nodes}
    if len(groups) == 2:
        net.partition(list(groups.values()))
    net.run_for(seconds)
    before = list(net.cores[0].chain.main_chain())[1:split_height + 1]
    branches, final = {}, {}
    for name, nodes in groups.items():
        branches[name] = list(net.cores[nodes[0]].chain.main_chain())[split_height + 1:]
        final[name] = final_flags([sealer_of(block) for block in branches[name]])
    net.heal()
    net.run_for(12)
    kept = {block.hash(ENGINE.suite) for block in net.cores[0].chain.main_chain()}
    return Split(before, branches, final, kept, net.converged())


@functools.lru_cache(maxsize=16)
def payments_race(kind, seed=1, payments=200):
    """Send `payments` transfers to a four-node network: (seconds until all are in a block, seconds
    until the last one is final: 3 blocks deep on the consortium chain, 6 on proof of work)."""
    if kind == "poa":
        genesis, depth = GENESIS, N // 2 + 1
        configs = [NodeConfig(key, authority=WALLETS[key]) for key in MEMBERS]
    else:
        genesis, depth = make_genesis("pow", difficulty_bits=12, retarget_window=1000,
                                      chain_id="trade-pow", funded=[IMPORTER]), 6
        configs = [NodeConfig(key, miner=WALLETS[key].address, mining_attempts_per_tick=5,
                              seed=10 * seed + index) for index, key in enumerate(MEMBERS)]
    net = MemoryNetwork(genesis, configs, seed=seed)
    net.run_for(1)
    start, committed = net.elapsed, None
    for nonce in range(payments):
        net.submit(0, IMPORTER.transfer(genesis.chain_id, EXPORTER.address, 1, nonce, fee=1,
                                        memo=tr("货款", "goods")))
    while net.elapsed - start < 600:
        net.run_for(0.5)
        chain = net.cores[0].chain
        if all(core.chain.state.nonce(IMPORTER.address) == payments for core in net.cores):
            committed = committed or net.elapsed - start
            last = next(block.height for block in chain.main_chain()
                        if any(tx.nonce == payments - 1 for tx in block.transactions))
            if chain.height - last + 1 >= depth:
                return committed, net.elapsed - start
    return committed, None


def svg(width, height, body):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" {FONT}>'
            + "".join(body) + "</svg>")


def text(x, y, words, size=13, color="#212121", anchor="middle", weight="normal"):
    return (f'<text x="{x}" y="{y}" font-size="{size}" fill="{color}" text-anchor="{anchor}" '
            f'font-weight="{weight}">{html.escape(words)}</text>')


def scroll(picture):
    """A wide picture in a box that scrolls sideways instead of being cut off."""
    return f'<div style="overflow-x:auto; max-width:100%">{picture}</div>'


WIDE = {"description_width": "initial"}   # widget labels shown in full

# %% [markdown] lang="zh-CN"
# ## 1. 创世文件：联盟的“章程”
#
# 一条链的第 0 号区块（创世区块）由**创世文件**确定，它写明这条链的全部初始规则：链的名称、密码算法、
# 共识方式、**权威节点名单**（也就是准入名单，按轮值顺序排列）、多久出一个块、一个区块最多装多少笔交易，
# 以及初始账户。每个成员的节点都拿着同一份创世文件，并用它核对收到的每一个区块。
#
# 创世区块的哈希覆盖了文件里的每一条规则，可以看作这条链的“身份证号”。下面的编辑器里，
# 勾选名单上的成员或改动出块间隔，看看卡片和创世哈希怎样变化。

# %% [markdown] lang="en"
# ## 1. The genesis: the consortium's charter
#
# A chain's block 0 (the genesis block) comes from its **genesis** file, which states every founding rule:
# the chain's name, its cryptography, the consensus, the **list of authorities** (the admission list, in
# turn order), how often a block comes, how many transactions a block may hold, and the first accounts.
# Every member's node holds the same genesis and checks every block it receives against it.
#
# The genesis block's hash covers every rule in the file: think of it as the chain's identity number.
# In the editor below, tick members of the list or change the block interval, and watch the card and
# the genesis hash change.

# %%
# zh: 创世文件编辑器：名单上的成员、出块间隔，以及由此得到的创世文件和创世哈希
# en: the genesis editor: the members on the list, the block interval, the genesis they give and its hash
CANDIDATES = {**MEMBERS, "logistics": tr("物流公司（申请加入）", "Logistics company (applying)")}
member_ticks = {key: widgets.Checkbox(value=key in MEMBERS, description=name, indent=False,
                                      layout=widgets.Layout(width="auto"))
                for key, name in CANDIDATES.items()}
interval = widgets.IntSlider(value=2, min=1, max=10, description=tr("出块间隔（秒）", "Block interval (s)"),
                             style=WIDE, continuous_update=False)
genesis_card = widgets.HTML()
COURSE_HASH = genesis_hash(GENESIS)


def show_genesis(_=None):
    keys = [key for key, tick in member_ticks.items() if tick.value]
    if not keys:
        genesis_card.value = tr("<p>名单上至少要有一家成员。</p>", "<p>The list needs at least one member.</p>")
        return
    genesis = consortium_genesis(keys, interval.value)
    same = genesis_hash(genesis) == COURSE_HASH
    rows = [(tr("链的名称", "Chain name"), f"<code>{genesis.chain_id}</code>"),
            (tr("密码套件", "Crypto suite"), f"<code>{genesis.suite}</code>"),
            (tr("共识", "Consensus"), tr("权威证明（PoA）", "proof of authority (PoA)")),
            (tr("权威节点名单（按轮值顺序）", "Authorities (in turn order)"),
             "<br>".join(f"{i}. {CANDIDATES[key]} <code>{address[:12]}…</code>"
                         for i, (key, address) in enumerate(zip(keys, genesis.consensus.authorities,
                                                                strict=True), start=1))),
            (tr("出块间隔", "Block interval"), tr(f"{genesis.consensus.block_time} 秒",
                                                 f"{genesis.consensus.block_time} s")),
            (tr("每个区块最多容纳", "Transactions per block, at most"),
             tr(f"{genesis.max_block_transactions:,} 笔交易", f"{genesis.max_block_transactions:,}")),
            (tr("初始账户", "First accounts"), tr(f"进口商 {genesis.allocations[0][1]:,} 元",
                                                 f"the importer, {genesis.allocations[0][1]:,} yuan"))]
    color, verdict = (("#2e7d32", tr("与本课联盟链的创世哈希相同", "the same as the course consortium's"))
                      if same else ("#c62828", tr("与本课联盟链的创世哈希不同", "differs from the course consortium's")))
    genesis_card.value = (
        '<table style="border-collapse:collapse; font-size:14px">'
        + "".join(f'<tr><td style="padding:4px 14px 4px 0; vertical-align:top"><b>{name}</b></td>'
                  f'<td style="padding:4px 0">{value}</td></tr>' for name, value in rows)
        + f'<tr><td style="padding:4px 14px 4px 0"><b>{tr("创世哈希", "Genesis hash")}</b></td>'
        f'<td><code>{genesis_hash(genesis).hex()[:24]}…</code> '
        f'<b style="color:{color}">{verdict}</b></td></tr></table>')


for control in [*member_ticks.values(), interval]:
    control.observe(show_genesis, names="value")
show_genesis()
display(widgets.VBox([widgets.HBox(list(member_ticks.values())), interval, genesis_card]))

# %% [markdown] lang="zh-CN"
# **第 1 题.** 一家物流公司申请成为第五个权威节点。在编辑器里把它勾上，看看创世哈希。要让物流公司能够出块，需要什么？

# %% [markdown] lang="en"
# **Question 1.** A logistics company applies to become the fifth authority. Tick it in the editor and
# look at the genesis hash. What does it take for the logistics company to produce blocks?

# %% nbgrader={"grade_id": "q1", "locked": true} answer="b"
# zh: 第 1 题：三个选项
# en: question 1: three options
sheet.choice("q1", [
    ("a", tr("什么也不用做：创世哈希没变，物流公司架好节点就能开始出块",
             "Nothing: the genesis hash is unchanged, so it can start producing once its node is up")),
    ("b", tr("创世哈希变了，这是规则不同的另一条链：必须由全体成员商定、一起改用新规则；在此之前，物流公司的区块都会被拒绝",
             "The hash changed, so this is another chain with other rules: all members must agree and switch "
             "together; until then its blocks are refused")),
    ("c", tr("创世哈希变了，但只要物流公司自己改用新的创世文件就行，其他成员不必改动",
             "The hash changed, but it is enough for the logistics company alone to use the new genesis")),
])

# %% nbgrader={"grade_id": "q1_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q1", "b" if genesis_hash(consortium_genesis([*MEMBERS, "logistics"])) != COURSE_HASH else "a")
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# 在 minichain 里，权威节点名单写在创世文件中，改名单就是换一条新链。FISCO BCOS 等平台把名单放在链上，
# 由链上的治理机制（例如治理委员会投票）增删共识节点。方式不同，道理一样：**准入由成员共同决定**，
# 并写进每个节点都要核对的规则里。
#
# **第 2 题.** 看本课联盟链的卡片（出块间隔 2 秒，编辑器最初的设置）。按卡片上的规则，这条链每秒最多能把多少笔交易写进区块？

# %% [markdown] lang="en"
# In minichain the list of authorities is in the genesis, so changing the list means a new chain.
# FISCO BCOS and similar platforms keep the list on the chain and add or remove consensus nodes through
# on-chain governance (a committee vote, for example). Different mechanics, same principle: **admission
# is decided by the members together**, in rules every node checks.
#
# **Question 2.** Look at the card of the course consortium (a block every 2 seconds, the editor's first
# setting). By the rules on the card, at most how many transactions per second can this chain put into
# blocks?

# %% nbgrader={"grade_id": "q2", "locked": true} answer=1000
# zh: 第 2 题：填一个数
# en: question 2: a number
sheet.number("q2", 0, 100_000, unit=tr("笔/秒", "per second"))

# %% nbgrader={"grade_id": "q2_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q2", GENESIS.max_block_transactions // GENESIS.consensus.block_time)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# 这是规则允许的**上限**。实际能达到多少，还取决于节点验证签名的速度、网络带宽和磁盘，通常低于这个数。
#
# ## 2. 轮流出块
#
# 时间被切成一个个**时隙**，每个时隙 2 秒。时隙编号 = 时间（秒）÷ 2，取整数部分（时间从 1970 年算起，
# 所有计算机的时钟都这样计）。时隙按名单顺序轮流分给各成员：海关、税务局、港务局、银行、海关……
# 一个区块只有由它所在时隙的“主人”签名才有效。因此，谁该出下一个块，大家事先都知道；任何成员都不能抢着出块，
# 也不能用大量区块刷屏。
#
# 拖动滑块，看看开链之后的每一刻轮到谁。上面四个方框标出此刻该出块的成员；下面一排是此刻前后的时隙，
# 每格写着时隙主人的简称和时隙开始的时刻。

# %% [markdown] lang="en"
# That is the **ceiling** the rules allow. What a chain reaches also depends on how fast nodes verify
# signatures, on bandwidth and on disks; usually less.
#
# ## 2. Taking turns
#
# Time is cut into **slots** of 2 seconds. The slot number is the time in seconds divided by 2, rounded
# down (time counted from 1970, as every computer clock does). The slots go round the list in order:
# Customs, Tax Bureau, Port Authority, Bank, Customs, … A block is valid only if the owner of its slot
# signed it. So everybody knows in advance who produces the next block; no member can jump the queue or
# flood the chain with blocks.
#
# Move the slider to see whose turn it is at each moment after the chain started. The four boxes mark the
# member whose turn it is now; the row below shows the slots around now, each with its owner's initial and
# the second it starts.

# %%
# zh: 轮值滑块：开链后第几秒，轮到谁出块
# en: the rotation slider: so many seconds after the start, whose turn it is
clock = widgets.IntSlider(value=0, min=0, max=120, description=tr("开链后第几秒", "Seconds after the start"),
                          style=WIDE, layout=widgets.Layout(width="60%"))
rotation_picture = widgets.HTML()


def show_rotation(_=None):
    seconds = clock.value
    owner = owner_at(seconds)
    body = []
    for index, (key, name) in enumerate(MEMBERS.items()):
        active = key == owner
        body.append(f'<rect x="{10 + index * 170}" y="8" width="150" height="50" rx="8" '
                    f'fill="{"#e8f5e9" if active else "#fafafa"}" stroke="{COLORS[key] if active else "#bdbdbd"}" '
                    f'stroke-width="{4 if active else 1}"/>')
        body.append(text(85 + index * 170, 39, name, 16, COLORS[key] if active else "#757575",
                         weight="bold" if active else "normal"))
    start = ENGINE.slot(GENESIS.timestamp)
    first = max(start, ENGINE.slot(GENESIS.timestamp + seconds) - 6)   # a window of 16 slots around now
    for index in range(16):
        key = KEY_OF[ENGINE.authority_for_slot(first + index)]
        x = 10 + index * 42
        now = first + index == ENGINE.slot(GENESIS.timestamp + seconds)
        body.append(f'<rect x="{x}" y="80" width="38" height="30" rx="4" fill="{COLORS[key]}" '
                    f'fill-opacity="{1 if now else 0.25}" stroke="{COLORS[key]}" stroke-width="2"/>')
        body.append(text(x + 19, 100, SHORT[key], 13, "#ffffff" if now else COLORS[key], weight="bold"))
        begins = 2 * (first + index - start)
        body.append(text(x + 19, 126, tr(f"{begins} 秒", f"{begins} s"), 11, "#616161"))
    slot = ENGINE.slot(GENESIS.timestamp + seconds)
    rotation_picture.value = (
        scroll(svg(700, 136, body))
        + tr(f"<p>开链后第 {seconds} 秒属于第 {slot:,} 号时隙；{slot:,} 除以 4 余 {slot % 4}，"
             f"所以由名单上的第 {slot % 4 + 1} 家出块。</p>",
             f"<p>{seconds} s after the start is slot {slot:,}; {slot:,} divided by 4 leaves {slot % 4}, so "
             f"member number {slot % 4 + 1} on the list seals the block.</p>"))


clock.observe(show_rotation, names="value")
show_rotation()
display(widgets.VBox([clock, rotation_picture]))

# %% [markdown] lang="zh-CN"
# **第 3 题.** 开链后第 **75 秒**，轮到哪一家出块？

# %% [markdown] lang="en"
# **Question 3.** Whose turn is it **75 seconds** after the start?

# %% nbgrader={"grade_id": "q3", "locked": true} answer="b"
# zh: 第 3 题：四个选项
# en: question 3: four options
sheet.choice("q3", [("a", MEMBERS["customs"]), ("b", MEMBERS["tax"]), ("c", MEMBERS["port"]),
                    ("d", MEMBERS["bank"])])

# %% nbgrader={"grade_id": "q3_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q3", dict(zip(MEMBERS, "abcd", strict=True))[owner_at(75)])
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 3. 谁可以出块
#
# 每个节点收到区块后，都要核对它的签名信息（封装信息），每条规则都有一个编号：
#
# * `poa-signer`：签名的公钥属于创世文件名单上的成员吗？
# * `poa-turn`：现在是这位成员的时隙吗？这个时隙在上一个区块之后吗？
# * `poa-signature`：签名真的是用这位成员的私钥做出来的吗？
#
# 下面选一个出块者和出块时间，让它去封装新链的第 1 号区块，看各节点的裁决。“物流公司冒充银行”的意思是：
# 物流公司知道银行的名称和公钥（这些都是公开的），于是在区块里自称银行，但它手里没有银行的私钥，
# 只能用自己的私钥签名。

# %% [markdown] lang="en"
# ## 3. Who may produce a block
#
# Every node checks the seal of every block it receives, rule by rule, each rule with an id:
#
# * `poa-signer`: does the signing public key belong to a member on the genesis list?
# * `poa-turn`: is it that member's slot, and is the slot after the previous block's?
# * `poa-signature`: was the signature really made with that member's private key?
#
# Choose who seals block 1 of a new chain, and when, and read the nodes' verdict. "The logistics
# company posing as the Bank" means: the company knows the Bank's name and public key (both are public),
# so its block claims to come from the Bank; but it does not have the Bank's private key and can only
# sign with its own.

# %%
# zh: 出块者、出块时间，以及各节点的裁决
# en: the sealer, the time, and the nodes' verdict
SEALERS = [*((name, key) for key, name in MEMBERS.items()),
           (tr("物流公司（不在名单上）", "the logistics company (not on the list)"), "outsider"),
           (tr("物流公司冒充银行（用银行的公钥，没有银行的私钥）",
               "the logistics company posing as the Bank (the Bank's public key, not its private key)"),
            "impostor")]
RULE_WORDS = {
    "poa-signer": tr("签名者不在创世文件的权威节点名单上", "the signer is not on the genesis list of authorities"),
    "poa-turn": tr("这个时隙不属于签名的成员", "this slot does not belong to the member that signed"),
    "poa-signature": tr("签名与区块所声称的成员的公钥对不上：不是用它的私钥签的",
                        "the signature does not match the public key the block claims: not made with its key"),
    "block-beneficiary": tr("手续费的受益人不是出块者", "the fees do not go to the sealer"),
}
sealer_choice = widgets.Dropdown(options=SEALERS, value="customs", description=tr("出块者", "Sealed by"),
                                 style=WIDE, layout=widgets.Layout(width="70%"))
when_choice = widgets.IntSlider(value=2, min=2, max=16, step=2, description=tr("开链后第几秒", "At second"),
                                style=WIDE, layout=widgets.Layout(width="50%"))
seal_result = widgets.HTML()


def show_seal(_=None):
    who, seconds = sealer_choice.value, when_choice.value
    verdict = try_to_seal(who, seconds)
    turn = tr(f"<p>开链后第 {seconds} 秒，轮到<b>{MEMBERS[owner_at(seconds)]}</b>。</p>",
              f"<p>At second {seconds} it is the turn of the <b>{MEMBERS[owner_at(seconds)]}</b>.</p>")
    if verdict is None:
        said = tr('<b style="color:#2e7d32">✓ 接受：第 1 号区块上链</b>',
                  '<b style="color:#2e7d32">✓ accepted: block 1 joins the chain</b>')
    else:
        rule, _ = verdict
        said = (tr('<b style="color:#c62828">✗ 拒绝</b> ', '<b style="color:#c62828">✗ refused</b> ')
                + f"<code>[{rule}]</code> " + RULE_WORDS.get(rule, ""))
    seal_result.value = turn + tr("<p>各节点的裁决：", "<p>The nodes' verdict: ") + said + "</p>"


sealer_choice.observe(show_seal, names="value")
when_choice.observe(show_seal, names="value")
show_seal()
display(widgets.VBox([sealer_choice, when_choice, seal_result]))

# %% [markdown] lang="zh-CN"
# **第 4 题.** 物流公司（不在名单上）自己架了一个节点，在开链后第 2 秒封装了一个区块。各节点依据哪条规则拒绝它？

# %% [markdown] lang="en"
# **Question 4.** The logistics company (not on the list) runs its own node and seals a block 2 seconds
# after the start. Which rule do the nodes refuse it by?

# %% nbgrader={"grade_id": "q4", "locked": true} answer="a"
# zh: 第 4 题：四个选项
# en: question 4: four options
sheet.choice("q4", [("a", "poa-signer"), ("b", "poa-turn"), ("c", "poa-signature"),
                    ("d", tr("不拒绝：区块被接受", "none: the block is accepted"))])

# %% nbgrader={"grade_id": "q4_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_rules = {"poa-signer": "a", "poa-turn": "b", "poa-signature": "c", None: "d"}
_verdict = try_to_seal("outsider", 2)
sheet.expect("q4", _rules.get(_verdict and _verdict[0], "?"))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# **第 5 题.** 物流公司冒充银行，挑在轮到银行的开链后第 6 秒出块。结果如何？

# %% [markdown] lang="en"
# **Question 5.** The logistics company poses as the Bank and seals at second 6, the Bank's turn. What
# happens?

# %% nbgrader={"grade_id": "q5", "locked": true} answer="c"
# zh: 第 5 题：四个选项
# en: question 5: four options
sheet.choice("q5", [("a", tr("被 poa-signer 拒绝", "refused by poa-signer")),
                    ("b", tr("被 poa-turn 拒绝", "refused by poa-turn")),
                    ("c", tr("被 poa-signature 拒绝", "refused by poa-signature")),
                    ("d", tr("被接受：各节点分辨不出它不是银行", "accepted: the nodes cannot tell it from the Bank"))])

# %% nbgrader={"grade_id": "q5_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_rules = {"poa-signer": "a", "poa-turn": "b", "poa-signature": "c", None: "d"}
_verdict = try_to_seal("impostor", 6)
sheet.expect("q5", _rules.get(_verdict and _verdict[0], "?"))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# 名单认的是**密钥**，不是名称：谁掌握了银行的私钥，谁就能以银行的身份出块。所以联盟链成员要像保管公章一样保管私钥
# （例如存放在密码机中），私钥一旦泄露，就要由联盟把对应的公钥从名单上撤下。反过来，每个区块都带着出块成员的签名，
# 事后谁也无法抵赖：这就是联盟链**可追责**的基础。
#
# ## 4. 成员离线
#
# 每家成员运行自己的节点。如果某家的节点宕机，它的时隙就**空着**：其他成员照样只在自己的时隙出块，
# 链只是长得慢一些。谁也不能顶替离线成员出块，因为那需要它的私钥。
#
# 取消勾选某些成员，再让网络运行一分钟。下图每个方格是一个 2 秒的时隙，按时隙主人着色；实心方格表示这个时隙出了块，
# 空心方格表示这个时隙没有出块。

# %% [markdown] lang="en"
# The list recognises **keys**, not names: whoever holds the Bank's private key can seal as the Bank. So
# members guard their keys as they guard their official seals (in a hardware security module, for
# example), and a leaked key means the consortium takes that public key off the list. Conversely, every
# block carries its sealer's signature, which nobody can later deny: the basis of a consortium chain's
# **accountability**.
#
# ## 4. When a member goes offline
#
# Each member runs its own node. If a member's node is down, its slots stay **empty**: the others still
# seal only in their own slots, and the chain just grows more slowly. Nobody can stand in for the
# missing member: that would need its private key.
#
# Untick members and run the network for a minute. Each square below is a 2-second slot, coloured by its
# owner: a filled square is a slot with a block, a hollow one a slot without.

# %%
# zh: 勾选在线的成员，运行一分钟：每个时隙有没有出块
# en: tick the members online, run a minute: which slots got a block
online_ticks = {key: widgets.Checkbox(value=True, description=name, indent=False,
                                      layout=widgets.Layout(width="auto"))
                for key, name in MEMBERS.items()}
offline_button = widgets.Button(description=tr("运行一分钟", "Run one minute"), button_style="primary")
offline_picture = widgets.HTML()


def slot_strip(net, seconds=60):
    chain = max((core.chain for core in net.cores), key=lambda chain: chain.height)
    sealed = {ENGINE.slot(block.header.timestamp) for block in list(chain.main_chain())[1:]}
    first = ENGINE.slot(GENESIS.timestamp) + 1
    body = []
    for index, slot in enumerate(range(first, first + seconds // 2)):
        key = KEY_OF[ENGINE.authority_for_slot(slot)]
        filled = slot in sealed
        x = 5 + index * 26
        body.append(f'<rect x="{x}" y="5" width="22" height="28" rx="3" '
                    f'fill="{COLORS[key] if filled else "#ffffff"}" stroke="{COLORS[key]}" stroke-width="2"/>')
        body.append(text(x + 11, 24, SHORT[key], 12, "#ffffff" if filled else COLORS[key], weight="bold"))
    return scroll(svg(10 + (seconds // 2) * 26, 40, body))


def run_offline(_=None):
    online = [key for key, tick in online_ticks.items() if tick.value]
    if not online:
        offline_picture.value = tr("<p>没有成员在线：一个区块也不会有。</p>", "<p>Nobody is online: no blocks at all.</p>")
        return
    net = consortium_network(online)
    height = max(core.chain.height for core in net.cores)
    agree = tr("是", "yes") if net.converged() else tr("否", "no")
    legend = "　".join(f'<span style="color:{COLORS[key]}">■ {name}</span>' for key, name in MEMBERS.items())
    offline_picture.value = (tr(f"<p>一分钟（30 个时隙）内共出了 <b>{height}</b> 个区块；各节点的链一致：{agree}。</p>",
                                f"<p><b>{height}</b> blocks in one minute (30 slots); all nodes agree: {agree}.</p>")
                             + slot_strip(net) + f"<p>{legend}</p>")


offline_button.on_click(run_offline)
run_offline()
display(widgets.VBox([widgets.HBox(list(online_ticks.values())), offline_button, offline_picture]))

# %% [markdown] lang="zh-CN"
# **第 6 题.** 只取消勾选**港务局**，点“运行一分钟”。这一分钟里共出了多少个区块？

# %% [markdown] lang="en"
# **Question 6.** Untick the **Port Authority** only and click "Run one minute". How many blocks were
# sealed in that minute?

# %% nbgrader={"grade_id": "q6", "locked": true} answer=22
# zh: 第 6 题：填一个数
# en: question 6: a number
sheet.number("q6", 0, 100, unit=tr("个区块", "blocks"))

# %% nbgrader={"grade_id": "q6_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_net = consortium_network(["customs", "tax", "bank"])
sheet.expect("q6", max(core.chain.height for core in _net.cores))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 5. 网络断开：分叉与最终性
#
# 如果网络断成两半，每一半的成员都以为对方离线了，于是各自在自己的时隙里继续出块：链**分叉**了。
# 网络恢复后，各节点选择**较长**的那条分支，另一条分支上的区块被撤销，其中的交易回到交易池，稍后重新打包。
#
# 那么，一笔付款什么时候才算真正定下来、不会再被撤销？本实验采用这样的约定：一个区块，连同它之后的区块，
# 由**超过半数的成员**（四家中至少三家）签名封装过，它就**最终确定**了。要推翻它，就得有一条更长、却不包含它的分支，
# 而这需要半数以上的成员在另一条分支上也签名出块；每一次这样的签名都会留下证据。
#
# 下面把四家成员分成甲、乙两组，让网络断开一段时间再恢复。图中第一行是断网前大家共同的区块，
# 下面两行是断网期间两组各自出的区块。**绿底“✓ 确定”**：断网结束时，按上面的约定已经最终确定；
# **灰色“已撤销”**：恢复连接后被撤销的区块。

# %% [markdown] lang="en"
# ## 5. A split network: forks and finality
#
# If the network splits in two, the members on each side think the others are offline and keep sealing
# in their own slots: the chain **forks**. When the network heals, every node follows the **longer**
# branch; the other branch's blocks are undone and their transactions go back to the pool, to be included
# again later.
#
# So when is a payment settled for good? This lab uses this rule: once a block, together with the blocks
# after it, has been sealed by **more than half of the members** (at least three of the four), it is
# **final**. Undoing it would take a longer branch without it, which needs more than half of the members
# to seal on another branch too; and every such signature is evidence.
#
# Below, split the four members into groups A and B, cut the network for a while, then heal it. The top
# row shows the blocks everyone shared before the split; the two rows below, the blocks each group sealed
# while cut off. **Green "✓ final"**: final, by the rule above, when the split ended; **grey "undone"**:
# undone after the network healed.

# %%
# zh: 分组、断网时长，以及断网期间两组各自出的区块
# en: the groups, how long the network is cut, and the blocks each group sealed meanwhile
GROUPS = [(tr("甲组", "group A"), "a"), (tr("乙组", "group B"), "b")]
group_choice = {key: widgets.ToggleButtons(options=GROUPS, value="a", description=name, style=WIDE)
                for key, name in MEMBERS.items()}
cut_seconds = widgets.IntSlider(value=20, min=10, max=30, step=2, description=tr("断网时长（秒）", "Cut for (s)"),
                                style=WIDE, continuous_update=False)
split_button = widgets.Button(description=tr("断网，再恢复", "Cut, then heal"), button_style="primary")
split_picture = widgets.HTML()
BOX, STEP, LEFT, ROW = 54, 60, 140, 84


def block_box(block, row, final=False, undone=False):
    key = sealer_of(block)
    x, y = LEFT + (block.height - 1) * STEP, 12 + row * ROW
    fill, stroke, ink, dash = (("#eeeeee", "#9e9e9e", "#9e9e9e", ' stroke-dasharray="5,3"') if undone
                               else ("#e8f5e9" if final else "#ffffff", COLORS[key], COLORS[key], ""))
    parts = [f'<rect x="{x}" y="{y}" width="{BOX}" height="40" rx="5" fill="{fill}" stroke="{stroke}" '
             f'stroke-width="2"{dash}/>',
             text(x + BOX / 2, y + 16, f"#{block.height}", 11, ink, weight="bold"),
             text(x + BOX / 2, y + 32, MEMBERS[key], 11, ink)]
    if final:
        parts.append(text(x + BOX / 2, y + 56, tr("✓ 确定", "✓ final"), 12, "#2e7d32", weight="bold"))
    if undone:
        parts.append(text(x + BOX / 2, y + 56, tr("已撤销", "undone"), 12, "#c62828", weight="bold"))
    return "".join(parts)


def show_split(_=None):
    group_a = frozenset(key for key, choice in group_choice.items() if choice.value == "a")
    run = partition_run(group_a, cut_seconds.value)
    members = {"a": [MEMBERS[k] for k in MEMBERS if k in group_a],
               "b": [MEMBERS[k] for k in MEMBERS if k not in group_a]}
    top = max(block.height for block in [*run.before, *(b for branch in run.branches.values() for b in branch)])
    body = [text(8, 38, tr("断网前", "before the split"), 13, anchor="start", weight="bold")]
    body += [block_box(block, 0) for block in run.before]
    for row, (name, group) in enumerate(GROUPS, start=1):
        body.append(text(8, 26 + row * ROW, name, 13, anchor="start", weight="bold"))
        for line, member in enumerate(members[group] or [tr("（无人）", "(nobody)")]):
            body.append(text(8, 42 + row * ROW + 14 * line, member, 11, "#616161", anchor="start"))
        for block, final in zip(run.branches.get(group, []), run.final.get(group, []), strict=True):
            body.append(block_box(block, row, final=final, undone=block.hash(ENGINE.suite) not in run.kept))
    agree = tr("是", "yes") if run.converged else tr("否", "no")
    split_picture.value = (scroll(svg(LEFT + top * STEP + 20, 12 + 3 * ROW, body))
                           + tr(f"<p>恢复连接 12 秒后，各节点的链一致：{agree}。</p>",
                                f"<p>12 seconds after healing, all nodes agree: {agree}.</p>"))


split_button.on_click(show_split)
show_split()
display(widgets.VBox([*group_choice.values(), cut_seconds, split_button, split_picture]))

# %% [markdown] lang="zh-CN"
# **第 7 题.** 把**港务局和银行**分到乙组（海关、税务局留在甲组），断网时长保持 20 秒，点“断网，再恢复”。
# 恢复连接后，有几个区块被撤销？

# %% [markdown] lang="en"
# **Question 7.** Put the **Port Authority and the Bank** in group B (Customs and the Tax Bureau stay in
# group A), keep the cut at 20 seconds, and click "Cut, then heal". How many blocks were undone after the
# network healed?

# %% nbgrader={"grade_id": "q7", "locked": true} answer=4
# zh: 第 7 题：填一个数
# en: question 7: a number
sheet.number("q7", 0, 40, unit=tr("个区块", "blocks"))

# %% nbgrader={"grade_id": "q7_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_run = partition_run(frozenset({"customs", "tax"}), 20)
sheet.expect("q7", sum(block.hash(ENGINE.suite) not in _run.kept
                       for branch in _run.branches.values() for block in branch))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# **第 8 题.** 现在只把**银行**分到乙组，其余三家留在甲组，再断网 20 秒。哪一组在断网期间出的区块被标上了“✓ 确定”？

# %% [markdown] lang="en"
# **Question 8.** Now put only the **Bank** in group B, the other three in group A, and cut the network
# for 20 seconds again. Which group's blocks sealed during the split are marked "✓ final"?

# %% nbgrader={"grade_id": "q8", "locked": true} answer="b"
# zh: 第 8 题：四个选项
# en: question 8: four options
sheet.choice("q8", [("a", tr("两组都有", "both groups'")),
                    ("b", tr("只有三家成员的甲组", "only group A's, the three members")),
                    ("c", tr("只有银行单独一家的乙组", "only group B's, the Bank alone")),
                    ("d", tr("两组都没有", "neither group's"))])

# %% nbgrader={"grade_id": "q8_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_run = partition_run(frozenset({"customs", "tax", "port"}), 20)
_marked = (any(_run.final["a"]), any(_run.final["b"]))
sheet.expect("q8", {(True, True): "a", (True, False): "b", (False, True): "c", (False, False): "d"}[_marked])
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# 被撤销的区块从来没有被标上“✓ 确定”：只有成员过半的一组才能让区块最终确定，而两组不可能同时过半。
# 不过也要看到，断网期间少数一方仍在出块，它的用户会看到一些后来被撤销的付款。
# FISCO BCOS 采用 **PBFT**（实用拜占庭容错）这类投票式共识：每个区块先要获得超过三分之二成员的投票才写入链中，
# 一旦写入就不会被撤销；网络断开时，凑不够票的一方干脆停止出块。
#
# ## 6. 最终性：与工作量证明比较
#
# 在工作量证明的链上，一笔付款永远不是绝对最终的：更重的分支总有可能取代它所在的区块（实验七），
# 所以商家要等若干个确认，通常是 6 个区块（在比特币上大约一小时）。
#
# 下面的面板把同样的 200 笔付款分别发给两个四节点网络：本课的联盟链，以及一条调成每 10 秒出一个块的工作量证明链
# （比特币是 600 秒）。它测量全部付款进入区块的时间，以及最后一笔付款最终确定的时间：联盟链上要 3 个区块
# （三家不同成员），工作量证明链上要 6 个确认。挖矿靠运气：每次试验，矿工的运气都不同。

# %% [markdown] lang="en"
# No undone block was ever marked final: only a group holding more than half of the members can make a
# block final, and two groups cannot both hold more than half. Note, though, that the minority side kept
# sealing during the split, so its users saw payments that were later undone. FISCO BCOS uses a voting
# consensus such as **PBFT** (practical Byzantine fault tolerance): a block is written only after more
# than two thirds of the members vote for it, and is never undone once written; when the network
# splits, the side without enough votes simply stops.
#
# ## 6. Finality compared with proof of work
#
# On a proof-of-work chain a payment is never absolutely final: a heavier branch can always replace its
# block (lab 7), so merchants wait for several confirmations, commonly 6 blocks (about an hour on
# Bitcoin).
#
# The panel sends the same 200 payments to two four-node networks: the course consortium, and a
# proof-of-work chain tuned to a block every 10 seconds (Bitcoin: 600 s). It measures when all payments
# are in a block, and when the last one is final: 3 blocks on the consortium chain (three different
# members), 6 confirmations on proof of work. Mining is luck: each trial gives the miners other luck.

# %%
# zh: 同样 200 笔付款，发给联盟链和工作量证明链：多久进入区块，多久最终确定
# en: the same 200 payments to the consortium and to a proof-of-work chain: when in a block, when final
trial = widgets.IntSlider(value=1, min=1, max=5, description=tr("第几次试验", "Trial"), style=WIDE,
                          continuous_update=False)
race_button = widgets.Button(description=tr("各发 200 笔付款", "Send 200 payments to each"), button_style="primary",
                             layout=widgets.Layout(width="220px"))
race_result = widgets.HTML()
CHAINS = [("poa", tr("联盟链（权威证明）", "consortium (proof of authority)"), "#1565c0"),
          ("pow", tr("工作量证明链", "proof of work"), "#ef6c00")]


race_history = {}   # trial -> the results of both chains, for every trial run so far


def run_race(_=None):
    results = [payments_race(kind, seed=trial.value) for kind, _, _ in CHAINS]
    race_history[trial.value] = results
    rows = [f'<tr><td style="padding:2px 12px">{label}</td><td style="padding:2px 12px">'
            + tr(f"{committed:.1f} 秒", f"{committed:.1f} s") + '</td><td style="padding:2px 12px">'
            + tr(f"{final:.1f} 秒", f"{final:.1f} s") + "</td></tr>"
            for (_, label, _), (committed, final) in zip(CHAINS, results, strict=True)]
    longest = max(final for done in race_history.values() for _, final in done)
    body = [text(8, 14, tr("最后一笔付款最终确定所用的时间（你做过的每一次试验）",
                           "Seconds until the last payment is final (every trial you ran)"), 13, anchor="start",
                 weight="bold")]
    y = 30
    for seed in sorted(race_history):
        body.append(text(8, y + 22, tr(f"第 {seed} 次", f"trial {seed}"), 13, anchor="start", weight="bold"))
        for (_, label, color), (_, final) in zip(CHAINS, race_history[seed], strict=True):
            width = 360 * final / longest
            body.append(text(80, y + 13, label, 12, anchor="start"))
            body.append(f'<rect x="290" y="{y}" width="{width:.1f}" height="16" fill="{color}"/>')
            body.append(text(296 + width, y + 13, tr(f"{final:.1f} 秒", f"{final:.1f} s"), 12, anchor="start"))
            y += 20
        y += 12
    race_result.value = (
        tr(f"<p><b>第 {trial.value} 次试验</b></p>", f"<p><b>Trial {trial.value}</b></p>")
        + '<table style="font-size:14px"><tr><th style="padding:2px 12px">' + tr("网络", "network")
        + '</th><th style="padding:2px 12px">' + tr("200 笔全部进入区块", "all 200 in a block")
        + '</th><th style="padding:2px 12px">' + tr("最后一笔最终确定", "the last one final")
        + "</th></tr>" + "".join(rows) + "</table>" + scroll(svg(720, y + 4, body)))


race_button.on_click(run_race)
run_race()
display(widgets.VBox([widgets.HBox([trial, race_button]), race_result]))

# %% [markdown] lang="zh-CN"
# **第 9 题.** 把“第几次试验”依次调到 1 到 5，每次都点按钮（图中会列出你做过的每一次试验）。比较各次试验中“最后一笔最终确定”所用的时间：

# %% [markdown] lang="en"
# **Question 9.** Set the trial to 1, 2, … 5 in turn, clicking the button each time (the picture lists every
# trial you ran). Compare how long the last payment took to become final in each trial:

# %% nbgrader={"grade_id": "q9", "locked": true} answer="b"
# zh: 第 9 题：四个选项
# en: question 9: four options
sheet.choice("q9", [
    ("a", tr("两条链每次都差不多", "Both chains take about the same time in every trial")),
    ("b", tr("工作量证明链时快时慢，差别很大；联盟链每次几乎一样",
             "Proof of work is sometimes fast, sometimes slow; the consortium takes almost the same every time")),
    ("c", tr("联盟链时快时慢，差别很大；工作量证明链每次几乎一样",
             "The consortium is sometimes fast, sometimes slow; proof of work takes almost the same every time")),
    ("d", tr("两条链都时快时慢", "Both vary a lot")),
])

# %% nbgrader={"grade_id": "q9_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
def _varies(kind):
    finals = [payments_race(kind, seed=seed)[1] for seed in range(1, 6)]
    return max(finals) - min(finals) > 0.25 * min(finals)


sheet.expect("q9", {(False, False): "a", (False, True): "b", (True, False): "c", (True, True): "d"}[
    (_varies("poa"), _varies("pow"))])
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN" nbgrader={"grade_id": "w1", "task": true, "points": 2}
# **书面回答（由讲师评分，2 分）.** 某省要建设跨境贸易单证共享平台，参与方是海关、税务局、港务局和两家银行。
# 请用五六句话向领导提出建议：采用联盟链（权威证明）还是公有链（工作量证明）？请谈到：谁可以出块；
# 成员离线或作恶时会怎样；最终性；吞吐量；以及你所选方案的一个弱点。
#
# === BEGIN MARK SCHEME ===
# **评分标准（2 分）**
#
# * 1 分：建议采用联盟链，并说明准入及其后果：只有创世文件（或链上治理）名单中的成员能出块、轮流出块；
#   名单外机构或冒名者的区块被拒绝；每个区块都有成员签名，作恶可追责、可由联盟把它移出名单；
#   成员离线时它的时隙空着，链变慢但不停。
# * 1 分：说明最终性和吞吐量，并指出一个弱点：几秒内就能最终确定（超过半数成员在其上出块；PBFT 则即时确定），
#   不用挖矿，吞吐量高（本课规则上限约每秒 1000 笔）；弱点例如信任集中在少数成员，多数成员合谋可改写历史，
#   网络断开时少数一方的区块可能被撤销，或准入与成员变更需要治理成本。
# * 只写“联盟链更安全”“效率更高”而不说明原因的，不给分；建议公有链的，若理由充分（例如需要任何人都能参与、
#   不信任任何机构），可酌情给分。
# === END MARK SCHEME ===

# %% [markdown] lang="en" nbgrader={"grade_id": "w1", "task": true, "points": 2}
# **Written answer (marked by the instructor, 2 points).** A province is building a platform to share
# cross-border trade documents between customs, the tax bureau, the port authority and two banks. In five
# or six sentences, advise the leadership: a consortium chain (proof of authority) or a public chain
# (proof of work)? Cover: who may produce blocks; what happens if a member goes offline or misbehaves;
# finality; throughput; and one weakness of your choice.
#
# === BEGIN MARK SCHEME ===
# **Rubric (2 points)**
#
# * 1 point: recommends the consortium chain and explains admission and its consequences: only members
#   on the genesis list (or on-chain governance list) produce blocks, in turn; blocks from outsiders or
#   impostors are refused; every block is signed by a member, so misbehaviour is accountable and the
#   consortium can remove the member; an offline member's slots stay empty, the chain slows but goes on.
# * 1 point: explains finality and throughput and names one weakness: final within seconds (more than
#   half of the members sealed on top; with PBFT immediately), no mining, high throughput (here a ceiling
#   of about 1000 transactions per second); a weakness such as trust concentrated in a few members (a
#   colluding majority could rewrite history), a minority side's blocks undone after a network split, or
#   the governance cost of admitting and changing members.
# * No points for "a consortium chain is safer" or "more efficient" without reasons; a well-argued case
#   for a public chain (anyone must be able to take part, no organisation is trusted) may earn points.
# === END MARK SCHEME ===

# %% nbgrader={"grade_id": "w1_answer", "locked": true}
# zh: 书面回答的输入框
# en: the box for the written answer
sheet.essay("w1")

# %% [markdown] lang="zh-CN"
# ## 小结
#
# * 联盟链的准入名单写在创世文件（或链上治理）里：改名单要全体成员共同决定。
# * 成员按时隙轮流出块；名单外的机构、不在自己时隙的成员、没有私钥的冒名者，封装的区块都会被拒绝。
# * 成员离线，链只是变慢；网络断开，链会分叉，恢复后少数一方的区块被撤销。
# * 超过半数的成员在其上出过块的区块就最终确定了；在联盟链上这只要几秒，而且每次都差不多。
#   工作量证明链要等更久，等多久还要看运气。

# %% [markdown] lang="en"
# ## What you saw
#
# * A consortium's admission list is in its genesis (or its on-chain governance): changing it is for all
#   members to decide.
# * Members seal in turn, slot by slot; blocks from outsiders, from members out of their slot, and from
#   impostors without the private key are refused.
# * An offline member only slows the chain; a split network forks it, and after healing the minority's
#   blocks are undone.
# * A block that more than half of the members have sealed on is final: within seconds on the consortium,
#   and about the same every time. Proof of work takes longer, and how long is luck.

# %% nbgrader={"grade_id": "summary", "locked": true}
# zh: 答题情况
# en: what is answered
sheet.summary()
