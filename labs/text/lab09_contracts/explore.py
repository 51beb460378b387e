# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   minichain:
#     lab: lab09_contracts
#     notebook: explore
#     title:
#       zh-CN: 实验九 · 智能合约（探索）
#       en: Lab 9 · Smart contracts (explore)
# ---

# %% [markdown] lang="zh-CN"
# # 实验九 · 智能合约：链上的规则
#
# *面向领导干部的课程：不需要编程，全部用鼠标点击完成。*
#
# 前几个实验里，链只记一种东西：谁给谁转了多少钱。FISCO BCOS、长安链等平台上的业务系统还要在链上执行**规则**：
# 一张电子发票只能报销一次，一份单证只能由准入的单位签发……这样的规则写成一段程序，叫作**智能合约**，
# 存放在链上。每一笔调用合约的交易，**每个节点都各自运行一遍同样的代码**，得到同样的结果。
#
# 本实验用的是课程大作业的**电子发票登记合约**（`contracts/InvoiceRegistry.sol`，用 Solidity 语言写成），
# 它在真正的以太坊虚拟机（EVM）上运行，四家成员（海关、税务局、港务局、银行）的节点各运行一份。你将看到：
#
# 1. 合约在每个节点上都拒绝同一张发票的第二次报销；
# 2. 被拒绝的交易也要付“燃料费”；
# 3. 一个擅自改了合约的节点会怎样；
# 4. 合约**不能知道**的事情：货物是不是真的交付了（“预言机问题”）。

# %% [markdown] lang="en"
# # Lab 9 · Smart contracts: rules on the chain
#
# *Officials' track: no programming; everything is done with the mouse.*
#
# In the earlier labs the chain recorded one thing: who paid whom how much. Business systems on FISCO
# BCOS, ChainMaker and similar platforms also enforce **rules** on the chain: an e-invoice is redeemed
# only once, a document is signed only by an admitted organisation… Such a rule, written as a program
# stored on the chain, is a **smart contract**. For every transaction that calls it, **every node runs
# the same code itself** and reaches the same result.
#
# This lab uses the capstone's **e-invoice registry** (`contracts/InvoiceRegistry.sol`, written in
# Solidity), run by a real Ethereum Virtual Machine (EVM) on the nodes of the four members (Customs, the
# Tax Bureau, the Port Authority and a Bank). You will see:
#
# 1. the contract refuse the second redemption of an invoice, on every node;
# 2. that a refused transaction still pays for its "gas";
# 3. what happens to a node that changed the contract on its own;
# 4. what a contract **cannot know**: whether the goods were really delivered (the "oracle problem").

# %% [markdown] lang="zh-CN"
# **使用方法**
#
# * 先点击菜单 **运行 → 运行所有单元格**（或工具栏上“重启内核并运行所有单元格”的按钮）。第一次编译合约要几秒钟。
# * 灰色面板里的滑块、下拉菜单和按钮都是“活”的：改动它们，下面的表格会立即更新。
# * **题目**的答案全部用点击给出：选择题点一个选项；数字题在框里填数字后点“确认答案”；
#   书面题在文本框里写几句话后点“保存回答”。每题下方会显示“✓ 已记录你的答案”。
# * 答案一经点击就已保存；最后按 **Ctrl+S** 保存笔记本再交卷。对错在交卷评分时才判定。

# %% [markdown] lang="en"
# **How this notebook works**
#
# * First click **Run → Run All Cells** in the menu (or the toolbar's "restart the kernel and run all
#   cells" button). Compiling the contract takes a few seconds the first time.
# * The grey panels with sliders, menus and buttons are live: change them and the tables update.
# * Every **question** is answered by clicking: pick an option; or type a number and click
#   "Confirm answer"; or write a few sentences and click "Save answer". Each question then shows
#   "✓ Your answer is recorded".
# * An answer is kept the moment you click; at the end press **Ctrl+S** to save the notebook, then
#   hand it in. Whether an answer is right is decided when the lab is graded.

# %% nbgrader={"grade_id": "setup", "locked": true}
# zh: 准备工作：载入 minichain，离线编译电子发票登记合约，为四家成员各建一个节点（各有一台 EVM）。
# en: Set-up: load minichain, compile the e-invoice registry offline, and give each of the four members a node (each its own EVM).
import html
import sqlite3

import ipywidgets as widgets
from IPython.display import display

from labkit import tr
from labkit.ask import Sheet
from minichain.contracts import (
    EMPTY_ROOT,
    SOLC_DIR,
    BlockContext,
    Compiler,
    ContractAbi,
    ContractEngine,
    evm_address,
    evm_chain_id,
    to_hex_address,
)
from minichain.testing import GENESIS_TIME, make_wallet

sheet = Sheet("lab09_contracts", "explore", lang=tr("zh-CN", "en"))
SOURCE = (SOLC_DIR / "InvoiceRegistry.sol").read_text(encoding="utf-8")
# zh: 一个擅自删掉了“只能报销一次”这条检查的版本（第 3 节）
# en: a copy with the "redeemed only once" check deleted (section 3)
ONCE = '        require(invoice.status != Status.Redeemed, "invoice already redeemed");\n'
with Compiler() as solc:
    HONEST = solc.compile_source(SOURCE, "InvoiceRegistry.sol")["InvoiceRegistry"]
    TAMPERED = solc.compile_source(SOURCE.replace(ONCE, ""), "InvoiceRegistry.sol")["InvoiceRegistry"]
ABI = ContractAbi(HONEST.abi)
NODES = {"customs": tr("海关的节点", "Customs' node"), "tax": tr("税务局的节点", "Tax Bureau's node"),
         "port": tr("港务局的节点", "Port Authority's node"), "bank": tr("银行的节点", "Bank's node")}
GAS, GAS_PRICE = 3_000_000, 2   # gas units a transaction may use; fen per gas unit
NUMBER = "044031900111-00012345"
CONTENT = "0x" + "00" * 32


class Person:
    def __init__(self, seed, name):
        wallet = make_wallet(seed)
        self.raw, self.name = evm_address(wallet.suite_name, wallet.public_key), name
        self.hex = to_hex_address(self.raw)


TAX = Person("tax-bureau", tr("税务局", "the Tax Bureau"))
SHOP = Person("shop", tr("商店", "the shop"))
BUYER = Person("buyer", tr("买方员工", "the employee"))
EMPLOYER = Person("employer", tr("雇主公司", "the employer"))
REASONS = {"invoice already redeemed": tr("发票已经报销过", "invoice already redeemed"),
           "only the holder may do this": tr("只有持有人才能这样做", "only the holder may do this"),
           "not an admitted issuer": tr("不是准入的开票单位", "not an admitted issuer")}
# zh: 故事的每一步：（谁，调用什么，参数，这一步用中文/英文怎么说）
# en: the story, step by step: (who, what it calls, the arguments, the step in words)
STEPS = [
    (TAX, "addIssuer", [SHOP.hex], tr("税务局准入商店为开票单位", "the Tax Bureau admits the shop as an issuer")),
    (SHOP, "issue", [NUMBER, BUYER.hex, 12_800, CONTENT],
     tr("商店给员工开一张 128.00 元的发票", "the shop issues the employee an invoice of 128.00 yuan")),
    (BUYER, "transfer", [NUMBER, EMPLOYER.hex], tr("员工把发票交给雇主公司", "the employee hands it to the employer")),
    (EMPLOYER, "redeem", [NUMBER], tr("雇主公司报销这张发票", "the employer redeems the invoice")),
    (EMPLOYER, "redeem", [NUMBER], tr("雇主公司把同一张发票再报销一次", "the employer redeems the same invoice again")),
    (BUYER, "redeem", [NUMBER], tr("员工也拿这张发票来报销", "the employee also tries to redeem it")),
]


def run_node(artifact, steps=None):
    """One node: a fresh EVM, the Tax Bureau deploys `artifact`, then the first `steps` of the story."""
    engine = ContractEngine(sqlite3.connect(":memory:", isolation_level=None))
    block = engine.begin(EMPTY_ROOT, BlockContext(number=1, timestamp=GENESIS_TIME, chain_id=evm_chain_id("lab09")))
    deployed = block.deploy(TAX.raw, 0, ABI.deploy_code(artifact.bytecode, []), GAS, GAS_PRICE)
    receipts = [block.call(who.raw, deployed.contract_address, ABI.encode_call(fn, args), GAS, GAS_PRICE)
                for who, fn, args, _ in STEPS[:steps or len(STEPS)]]
    answer = block.view(deployed.contract_address, ABI.encode_call("redeemedCount", []))
    return receipts, ABI.decode_output("redeemedCount", answer.output)[0], block.state_root


def outcome(receipt):
    if receipt.status == 1:
        return '<b style="color:#2e7d32">✓ ' + tr("执行成功", "done") + "</b>"
    reason = REASONS.get(receipt.revert_reason, receipt.revert_reason)
    return '<b style="color:#c62828">✗ ' + tr("拒绝：", "refused: ") + html.escape(reason) + "</b>"


HONEST_RUN = {key: run_node(HONEST) for key in NODES}
WIDE = {"description_width": "initial"}
CELL = 'style="padding:3px 10px; border-bottom:1px solid #e0e0e0"'

# %% [markdown] lang="zh-CN"
# ## 1. 每个节点都拒绝第二次报销
#
# 税务局部署了合约之后，下面六笔交易依次发生。拖动滑块，看看每一步在四个节点上各得到什么结果。
# 表格最后一行是每个节点算出的合约**状态根**：整个合约状态（所有发票、计数）的哈希，写在区块头里。

# %% [markdown] lang="en"
# ## 1. Every node refuses the second redemption
#
# After the Tax Bureau deployed the contract, the six transactions below happen in turn. Move the slider
# to see what each step gives on the four nodes. The last row is the contract **state root** each node
# computes: the hash of the whole contract state (every invoice, every count), written into the header.

# %%
# zh: 故事滑块：运行到第几步，每一步在四个节点上的结果
# en: the story slider: how many steps have run, and what each gave on the four nodes
story = widgets.IntSlider(value=1, min=1, max=len(STEPS), description=tr("运行到第几步", "Steps run"), style=WIDE)
story_table = widgets.HTML()


def show_story(_=None):
    upto = story.value
    rows = ["<tr><th " + CELL + ">" + tr("步骤", "step") + "</th>"
            + "".join(f"<th {CELL}>{name}</th>" for name in NODES.values()) + "</tr>"]
    for index in range(upto):
        rows.append(f"<tr><td {CELL}>{index + 1}. {STEPS[index][3]}</td>"
                    + "".join(f"<td {CELL}>{outcome(HONEST_RUN[key][0][index])}</td>" for key in NODES) + "</tr>")
    roots = {key: run_node(HONEST, upto)[2].hex()[:12] + "…" for key in NODES}
    rows.append(f"<tr><td {CELL}><b>{tr('状态根', 'state root')}</b></td>"
                + "".join(f"<td {CELL}><code>{roots[key]}</code></td>" for key in NODES) + "</tr>")
    story_table.value = '<table style="border-collapse:collapse; font-size:14px">' + "".join(rows) + "</table>"


story.observe(show_story, names="value")
show_story()
display(widgets.VBox([story, story_table]))

# %% [markdown] lang="zh-CN"
# **第 1 题.** 把滑块拖到第 5 步。雇主公司第二次报销同一张发票时，四个节点是怎样处理的？

# %% [markdown] lang="en"
# **Question 1.** Move the slider to step 5. When the employer redeems the same invoice a second time,
# what do the four nodes do?

# %% nbgrader={"grade_id": "q1", "locked": true} answer="b"
# zh: 第 1 题：三个选项
# en: question 1: three options
sheet.choice("q1", [
    ("a", tr("只有税务局的节点拒绝了，其他节点照样付款", "Only the Tax Bureau's node refused; the others paid")),
    ("b", tr("四个节点各自运行合约，都以同一个理由拒绝了，状态根也都相同",
             "All four ran the contract themselves and refused it for the same reason; their state roots agree")),
    ("c", tr("四个节点都接受了，发票被报销了两次", "All four accepted it: the invoice was redeemed twice")),
])

# %% nbgrader={"grade_id": "q1_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_fifth = [HONEST_RUN[key][0][4] for key in NODES]
_same_roots = len({HONEST_RUN[key][2] for key in NODES}) == 1
sheet.expect("q1", "b" if _same_roots and all(r.status == 0 for r in _fifth) else "c")
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# **第 2 题.** 把滑块拖到最后一步。六笔交易里，有几笔被合约拒绝了？

# %% [markdown] lang="en"
# **Question 2.** Move the slider to the last step. Of the six transactions, how many did the contract
# refuse?

# %% nbgrader={"grade_id": "q2", "locked": true} answer=2
# zh: 第 2 题：填一个数
# en: question 2: a number
sheet.number("q2", 0, 6, unit=tr("笔", "transactions"))

# %% nbgrader={"grade_id": "q2_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q2", sum(receipt.status == 0 for receipt in HONEST_RUN["tax"][0]))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# 第 6 步的员工已经把发票交了出去，而且发票已经报销过：合约先查“报销过没有”，所以两次拒绝的理由相同。
# 规则写在合约里，而不是写在某一家单位的系统里：哪个节点都不能“通融”一次。
#
# ## 2. 被拒绝的交易也要付费
#
# 节点运行合约要花计算资源，所以每一步操作都按**燃料**（`gas`）计量，交易按“用掉的燃料 × 燃料单价”付手续费，
# 手续费归出块的节点。合约**拒绝**一笔交易时，它做过的修改全部撤销，但节点已经把代码运行到拒绝的那一行：
# 这部分燃料照样要付。本课的燃料单价是每单位 **2 分**。

# %% [markdown] lang="en"
# At step 6 the employee had already handed the invoice on, and the invoice was redeemed: the contract
# checks "redeemed?" first, so both refusals give the same reason. The rule lives in the contract, not in
# one organisation's system: no node can "make an exception" once.
#
# ## 2. A refused transaction pays too
#
# Running a contract costs the nodes computation, so every operation is metered in **gas**, and a
# transaction pays a fee of "gas used × gas price", which goes to the node that produced the block. When
# a contract **refuses** a transaction, all its changes are undone, but the nodes did run the code up to
# the refusing line: that gas is paid all the same. In this course a unit of gas costs **2 fen**.

# %%
# zh: 每一步用掉的燃料（在每个节点上都一样）
# en: the gas each step used (the same on every node)
gas_rows = [f"<tr><td {CELL}>{index + 1}. {STEPS[index][3]}</td><td {CELL}>{outcome(receipt)}</td>"
            f"<td {CELL} align='right'>{receipt.gas_used:,}</td></tr>"
            for index, receipt in enumerate(HONEST_RUN["tax"][0])]
display(widgets.HTML('<table style="border-collapse:collapse; font-size:14px"><tr>'
                     f"<th {CELL}>{tr('步骤', 'step')}</th><th {CELL}>{tr('结果', 'result')}</th>"
                     f"<th {CELL}>{tr('用掉的燃料（单位）', 'gas used (units)')}</th></tr>"
                     + "".join(gas_rows) + "</table>"))

# %% [markdown] lang="zh-CN"
# **第 3 题.** 第 5 步（被拒绝的第二次报销）雇主公司付了多少手续费？单位：分。

# %% [markdown] lang="en"
# **Question 3.** How much did the employer pay in fees for step 5 (the refused second redemption)? In fen.

# %% nbgrader={"grade_id": "q3", "locked": true} answer=50740
# zh: 第 3 题：填一个数
# en: question 3: a number
sheet.number("q3", 0, 10_000_000, unit=tr("分", "fen"))

# %% nbgrader={"grade_id": "q3_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q3", HONEST_RUN["tax"][0][4].gas_used * GAS_PRICE)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# **第 4 题.** 为什么被拒绝的交易也要付手续费？

# %% [markdown] lang="en"
# **Question 4.** Why does a refused transaction pay a fee too?

# %% nbgrader={"grade_id": "q4", "locked": true} answer="a"
# zh: 第 4 题：三个选项
# en: question 4: three options
sheet.choice("q4", [
    ("a", tr("每个节点都已经运行了它；如果失败的交易免费，任何人都可以不花钱地用大量注定失败的调用拖垮全网",
             "Every node has already run it; if failures were free, anyone could flood the network with calls "
             "bound to fail, at no cost")),
    ("b", tr("这是合约的漏洞，应当把手续费退回", "It is a bug in the contract; the fee should be refunded")),
    ("c", tr("手续费是罚款，由税务局收取", "The fee is a fine, collected by the Tax Bureau")),
])

# %% nbgrader={"grade_id": "q4_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q4", "a" if HONEST_RUN["tax"][0][4].gas_used > 21_000 else "b")
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 3. 一个擅自改了合约的节点
#
# 假如银行的节点偷偷换了一份合约：删掉了“只能报销一次”的那一行检查。勾选下面的框，看看四个节点的结果和状态根。

# %% [markdown] lang="en"
# ## 3. A node that changed the contract on its own
#
# Suppose the Bank's node quietly runs another copy of the contract, with the "redeemed only once" line
# deleted. Tick the box below and compare the four nodes' results and state roots.

# %%
# zh: 银行的节点是否换了合约；第 5 步在每个节点上的结果，以及六步之后的状态根
# en: whether the Bank's node runs the changed contract; step 5 on each node, and the state roots after six steps
tampered = widgets.Checkbox(value=False, description=tr("银行的节点运行删掉了检查的合约", "the Bank's node runs the changed contract"),
                            indent=False, layout=widgets.Layout(width="auto"))
tamper_table = widgets.HTML()
TAMPERED_RUN = run_node(TAMPERED)


def show_tamper(_=None):
    runs = {key: (TAMPERED_RUN if tampered.value and key == "bank" else HONEST_RUN[key]) for key in NODES}
    rows = [f"<tr><th {CELL}></th>" + "".join(f"<th {CELL}>{name}</th>" for name in NODES.values()) + "</tr>",
            f"<tr><td {CELL}>5. {STEPS[4][3]}</td>" + "".join(f"<td {CELL}>{outcome(runs[key][0][4])}</td>" for key in NODES) + "</tr>",
            f"<tr><td {CELL}>{tr('报销次数', 'times redeemed')}</td>" + "".join(f"<td {CELL}>{runs[key][1]}</td>" for key in NODES) + "</tr>",
            f"<tr><td {CELL}><b>{tr('状态根', 'state root')}</b></td>"
            + "".join(f"<td {CELL}><code>{runs[key][2].hex()[:12]}…</code></td>" for key in NODES) + "</tr>"]
    tamper_table.value = '<table style="border-collapse:collapse; font-size:14px">' + "".join(rows) + "</table>"


tampered.observe(show_tamper, names="value")
show_tamper()
display(widgets.VBox([tampered, tamper_table]))

# %% [markdown] lang="zh-CN"
# **第 5 题.** 勾上那个框。轮到银行出块时，它把“第二次报销成功”写进区块，区块头里是它自己算出的状态根。其他三个节点会怎样？

# %% [markdown] lang="en"
# **Question 5.** Tick the box. When it is the Bank's turn, it puts "the second redemption succeeded" in
# its block, with the state root it computed in the header. What do the other three nodes do?

# %% nbgrader={"grade_id": "q5", "locked": true} answer="b"
# zh: 第 5 题：三个选项
# en: question 5: three options
sheet.choice("q5", [
    ("a", tr("接受这个区块：该谁出块，就由谁决定结果", "Accept it: whoever produces the block decides the result")),
    ("b", tr("它们自己运行这些交易，得到的状态根与区块头不符，于是拒绝这个区块；银行只能独自留在自己的分叉上",
             "They run the transactions themselves, get a state root other than the header's, and refuse the "
             "block; the Bank is left alone on its own fork")),
    ("c", tr("四个节点都改为允许报销两次", "All four switch to allowing two redemptions")),
])

# %% nbgrader={"grade_id": "q5_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q5", "b" if TAMPERED_RUN[2] != HONEST_RUN["bank"][2] else "a")
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 4. 合约不能知道的事：预言机问题
#
# 合约只能看到链上的数据：谁签名发起了交易、参数是什么、链上已经记了什么。它看不到链外的世界。
# 下面选择“实际发生了什么”：商店真的把货交给了员工，或者**根本没有发货**、却照样开了发票。看看合约怎样处理这两张发票。

# %% [markdown] lang="en"
# ## 4. What a contract cannot know: the oracle problem
#
# A contract sees only data on the chain: who signed the transaction, its arguments, what the chain has
# recorded. It cannot see the world outside. Below, choose "what really happened": the shop delivered the
# goods to the employee, or **shipped nothing** and issued the invoice anyway. See how the contract treats
# the two invoices.

# %%
# zh: 实际发生了什么：真实交易，或者虚开发票；合约的处理结果和它记下的内容
# en: what really happened: a real sale or a fake invoice; what the contract did and what it recorded
reality = widgets.ToggleButtons(options=[(tr("货物已交付", "goods delivered"), "real"),
                                         (tr("根本没有发货", "nothing shipped"), "fake")],
                                value="real", description=tr("实际情况", "In reality"), style=WIDE)
oracle_table = widgets.HTML()


def oracle_run(kind):
    """The shop issues one invoice, for a real sale or for nothing: the receipt and what the chain records."""
    number = "044031900111-00020001" if kind == "real" else "044031900111-00020002"
    engine = ContractEngine(sqlite3.connect(":memory:", isolation_level=None))
    block = engine.begin(EMPTY_ROOT, BlockContext(number=1, timestamp=GENESIS_TIME, chain_id=evm_chain_id("lab09")))
    address = block.deploy(TAX.raw, 0, ABI.deploy_code(HONEST.bytecode, []), GAS, GAS_PRICE).contract_address
    block.call(TAX.raw, address, ABI.encode_call("addIssuer", [SHOP.hex]), GAS, GAS_PRICE)
    receipt = block.call(SHOP.raw, address, ABI.encode_call("issue", [number, BUYER.hex, 980_000, CONTENT]), GAS, GAS_PRICE)
    recorded = ABI.decode_output("get", block.view(address, ABI.encode_call("get", [number])).output, 1)
    return receipt, recorded


ORACLE = {kind: oracle_run(kind) for kind in ("real", "fake")}


def show_oracle(_=None):
    receipt, recorded = ORACLE[reality.value]
    status = {1: tr("已开具", "issued"), 2: tr("已报销", "redeemed")}.get(recorded[4], tr("不存在", "none"))
    oracle_table.value = (
        '<table style="border-collapse:collapse; font-size:14px">'
        f"<tr><td {CELL}>{tr('合约的处理', 'the contract')}</td><td {CELL}>{outcome(receipt)}</td></tr>"
        f"<tr><td {CELL}>{tr('开票单位经过准入', 'issuer admitted')}</td><td {CELL}>✓</td></tr>"
        f"<tr><td {CELL}>{tr('链上记下的金额', 'amount recorded')}</td><td {CELL}>{recorded[2] / 100:,.2f} "
        f"{tr('元', 'yuan')}</td></tr>"
        f"<tr><td {CELL}>{tr('链上记下的状态', 'status recorded')}</td><td {CELL}>{status}</td></tr></table>")


reality.observe(show_oracle, names="value")
show_oracle()
display(widgets.VBox([reality, oracle_table]))

# %% [markdown] lang="zh-CN"
# **第 6 题.** 在两种实际情况之间切换。下面哪一项是这个合约**自己就能**保证的？

# %% [markdown] lang="en"
# **Question 6.** Switch between the two realities. Which of these can the contract guarantee **by itself**?

# %% nbgrader={"grade_id": "q6", "locked": true} answer="b"
# zh: 第 6 题：三个选项
# en: question 6: three options
sheet.choice("q6", [
    ("a", tr("发票对应的货物真的交付了", "The goods on the invoice were really delivered")),
    ("b", tr("开票单位经过准入、发票号没有重复、每张发票只报销一次",
             "The issuer is admitted, no invoice number is used twice, each invoice is redeemed once")),
    ("c", tr("发票金额与货物的真实价格相符", "The amount matches the real price of the goods")),
])

# %% nbgrader={"grade_id": "q6_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_both = [ORACLE[kind][0].status for kind in ("real", "fake")]
sheet.expect("q6", "b" if _both == [1, 1] else "a")
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# 把链外的事实（货物是否交付、质检是否合格、价格是多少）送上链的那一方，叫作**预言机**。合约会忠实地执行规则，
# 但它得到的事实只和提供事实的一方一样可信：“垃圾进，垃圾出”。所以链外的事实要由负责任的单位签名提交
# （例如海关的查验结果、物流公司的签收记录），出了问题能追责到人。

# %% [markdown] lang="en"
# Whoever brings facts from outside onto the chain (were the goods delivered, did they pass inspection,
# what did they cost) is called an **oracle**. A contract enforces its rules faithfully, but its facts are
# only as trustworthy as whoever supplied them: "garbage in, garbage out". So facts from outside are
# signed and submitted by accountable organisations (Customs' inspection results, a carrier's proof of
# delivery), so that a wrong one can be traced to someone.

# %% [markdown] lang="zh-CN" nbgrader={"grade_id": "w1", "task": true, "points": 2}
# **书面回答（由讲师评分，2 分）.** 某市打算把电子发票报销搬到联盟链上，由税务局、几家银行和企业共同运行节点。
# 请用五六句话向领导说明：这个合约能保证什么、为什么它在每个节点上都同样生效；它**不能**保证什么，
# 需要哪些单位在链外负责；以及燃料费的作用。
#
# === BEGIN MARK SCHEME ===
# **评分标准（2 分）**
#
# * 1 分：合约能保证的规则，以及为什么处处生效：只有准入的单位能开票、号码不重复、每张发票只能报销一次；
#   每个节点都各自运行同样的代码、得到同样的结果和状态根；某个节点擅自改了规则，它算出的状态根就与大家不同，
#   它的区块会被其他节点拒绝。
# * 1 分：合约不能保证的事和燃料费：它看不到链外的世界，货物是否真实交付、金额是否真实，要靠签名提交事实的单位
#   （预言机，例如海关查验、物流签收、开票单位本身）负责并可追责；被拒绝的交易同样付燃料费，防止有人免费地用大量
#   失败交易拖垮节点。
# * 只写“区块链不可篡改，所以发票是真的”的，不给分：链上记录不可篡改，不等于记录的内容真实。
# === END MARK SCHEME ===

# %% [markdown] lang="en" nbgrader={"grade_id": "w1", "task": true, "points": 2}
# **Written answer (marked by the instructor, 2 points).** A city plans to move e-invoice reimbursement onto
# a consortium chain whose nodes are run by the tax bureau, several banks and companies. In five or six
# sentences, explain to the leadership: what this contract guarantees and why it holds on every node; what
# it **cannot** guarantee and which organisations must answer for that off the chain; and what gas fees are
# for.
#
# === BEGIN MARK SCHEME ===
# **Rubric (2 points)**
#
# * 1 point: the rules the contract guarantees, and why everywhere: only admitted issuers issue, numbers
#   are never reused, each invoice is redeemed once; every node runs the same code itself and reaches the
#   same result and state root; a node that changes the rules computes another state root, and the others
#   refuse its blocks.
# * 1 point: what it cannot guarantee, and gas: it cannot see outside the chain; whether goods were really
#   delivered or amounts are real rests on the organisations that sign and submit those facts (oracles:
#   Customs' inspection, a carrier's proof of delivery, the issuer itself), who must be accountable; a
#   refused transaction still pays for its gas, so nobody can flood the nodes with failing calls for free.
# * No points for "the blockchain cannot be tampered with, so the invoices are genuine": a record that
#   cannot be changed is not thereby true.
# === END MARK SCHEME ===

# %% nbgrader={"grade_id": "w1_answer", "locked": true}
# zh: 书面回答的输入框
# en: the box for the written answer
sheet.essay("w1")

# %% [markdown] lang="zh-CN"
# ## 小结
#
# * 智能合约是存放在链上的规则，每个节点都各自运行，得到同样的结果和状态根。
# * 合约拒绝的交易，修改全部撤销，但燃料费照付。
# * 擅自改了规则的节点，算出的状态根与大家不同，它的区块会被拒绝。
# * 合约只知道链上的数据：链外的事实要由负责任的单位（预言机）签名提交。

# %% [markdown] lang="en"
# ## What you saw
#
# * A smart contract is a rule stored on the chain; every node runs it itself and reaches the same result
#   and state root.
# * A transaction the contract refuses has all its changes undone, but pays for its gas.
# * A node that changes the rules on its own computes another state root, and its blocks are refused.
# * A contract knows only what is on the chain: facts from outside are signed and submitted by accountable
#   organisations (oracles).

# %% nbgrader={"grade_id": "summary", "locked": true}
# zh: 答题情况
# en: what is answered
sheet.summary()
