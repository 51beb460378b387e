# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   minichain:
#     lab: lab03_transactions
#     notebook: explore
#     title:
#       zh-CN: 实验三 · 交易：账户、序号与手续费（探索）
#       en: Lab 3 · Transactions (explore)
# ---

# %% [markdown] lang="zh-CN"
# # 实验三 · 交易：账户、序号与手续费
#
# *面向领导干部的课程：不需要编程，全部用鼠标点击完成。*
#
# minichain 像银行一样记账（以太坊和大多数联盟链采用的**账户模型**）：每个地址有一个**余额**和一个
# **交易序号（nonce）**，即这个账户已经发出了几笔付款，就像支票簿上印着的下一张支票的编号。
# 一笔付款写明：“从我的账户向地址 R 付金额 A，手续费 F，这是我的第 N 笔付款”，并且带有签名（实验二）。
#
# 每个节点对每笔付款执行同样的规则：
#
# * **序号**必须正好是付款人的下一个编号：用过的编号是**重放**，跳过的编号要等前面的先到；
# * 付款人必须持有**金额 + 手续费**：谁也不能把同一笔钱花两次；
# * **手续费**归打包这个区块的出块者（这里是矿工），所以出块者愿意收录付款。
#
# 本实验在一条小链上进行：四个人各有 100 个币。你将付款、出块，并尝试作弊。
# %% [markdown] lang="en"
# # Lab 3 · Transactions: accounts, nonces and fees
#
# *Officials' track: no programming; everything is done with the mouse.*
#
# minichain keeps accounts as a bank does (the *account model* of Ethereum and of most permissioned
# chains): each address has a **balance** and a **nonce**, the number of payments it has sent so far,
# like the number printed on the next cheque in a cheque book. A payment says *"from my account, pay
# amount A to address R, fee F, this is my payment number N"*, and is signed (lab 2).
#
# Every node applies the same rules to every payment:
#
# * the **nonce** must be exactly the sender's next number: a used number is a *replay*, a skipped
#   number must wait for the ones before it;
# * the sender must hold **amount + fee**: nobody can spend the same money twice;
# * the **fee** goes to whoever produces the block (here the miner), which is why producers include
#   payments.
#
# This lab runs a small chain on which four people hold 100 coins each. You will pay, produce blocks
# and try to cheat.
# %% [markdown] lang="zh-CN"
# **使用方法**
#
# * 先点击菜单 **运行 → 运行所有单元格**（或工具栏上“重启内核并运行所有单元格”的按钮）。
# * 灰色面板里的滑块、选项和按钮都是“活”的：改动它们，minichain 会重新出块，下面的结果立即更新。
# * **题目**的答案全部用点击给出：选择题点一个选项；数字题在框里填数字后点“确认答案”；
#   书面题在文本框里写几句话后点“保存回答”。每题下方会显示“✓ 已记录你的答案”。
# * 答案一经点击就已保存；最后按 **Ctrl+S** 保存笔记本再交卷。对错在交卷评分时才判定。
# %% [markdown] lang="en"
# **How this notebook works**
#
# * First click **Run → Run All Cells** in the menu (or the toolbar's "restart the kernel and run all
#   cells" button).
# * The grey panels with sliders, options and buttons are live: change them and minichain produces
#   the block again; the results below update at once.
# * Every **question** is answered by clicking: pick an option; or type a number and click
#   "Confirm answer"; or write a few sentences and click "Save answer". Each question then shows
#   "✓ Your answer is recorded".
# * An answer is kept the moment you click; at the end press **Ctrl+S** to save the notebook, then
#   hand it in. Whether an answer is right is decided when the lab is graded.
# %% nbgrader={"grade_id": "setup", "locked": true}
# zh: 准备工作：四个人各有 100 个币的一条新链，一位矿工，以及显示账户和区块的工具。
# en: Set-up: a fresh chain on which four people hold 100 coins each, a miner, and tools to show them.
import html
import re

import ipywidgets as widgets
from IPython.display import display

from labkit import tr
from labkit.ask import Sheet
from minichain import Chain, testing

sheet = Sheet("lab03_transactions", "explore", lang=tr("zh-CN", "en"))
NAMES = [tr("张三", "Alice"), tr("李四", "Bob"), tr("王五", "Carol"), tr("赵六", "Dave")]
ALICE, BOB, CAROL, DAVE = NAMES
PEOPLE = {name: testing.make_wallet(i) for i, name in enumerate(NAMES)}   # wallets 0-3
MINER = testing.make_wallet("miner")   # produces every block in this lab
genesis = testing.make_genesis(funded=list(PEOPLE.values()), amount=100)
NAME_OF = {w.address: n for n, w in PEOPLE.items()} | {MINER.address: tr("矿工", "Miner")}
RULES = ["tx-signature", "tx-nonce", "tx-balance", "tx-chain-id"]   # the rule ids to choose from
# zh: minichain 的拒绝理由里的数字（它自己的报错写明了这些数）
# en: the numbers in minichain's reasons (its own messages state them)
NONCE_SAYS = re.compile(r"is at nonce (\d+), the transaction has nonce (\d+)")
BALANCE_SAYS = re.compile(r"has (\d+), the transaction needs amount (\d+) \+ fee (\d+) = (\d+)")


def describe(tx):
    return tr(f"{NAME_OF[tx.sender]}付给{NAME_OF.get(tx.recipient, '?')} {tx.amount}（手续费 {tx.fee}，序号 {tx.nonce}）",
              f"{NAME_OF[tx.sender]} pays {NAME_OF.get(tx.recipient, '?')} {tx.amount} (fee {tx.fee}, nonce {tx.nonce})")


def why(error):
    """minichain's reason for refusing a payment, in this notebook's language."""
    text = str(error)
    found = NONCE_SAYS.search(text)
    if error.rule == "tx-nonce" and found:
        at, has = int(found[1]), int(found[2])
        if has < at:
            return tr(f"序号 {has} 已经用过（付款人已发出 {at} 笔）",
                      f"nonce {has} is already used (the sender has sent {at})")
        return tr(f"跳号了：付款人的下一个序号是 {at}", f"a gap: the sender's next nonce is {at}")
    found = BALANCE_SAYS.search(text)
    if error.rule == "tx-balance" and found:
        return tr(f"余额不足：只有 {found[1]}，需要金额 {found[2]} + 手续费 {found[3]} = {found[4]}",
                  f"not enough money: holds {found[1]}, needs amount {found[2]} + fee {found[3]} = {found[4]}")
    if error.rule == "tx-chain-id":
        return tr("这笔交易是为另一条链签名的", "it was signed for another chain")
    return tr("违反了规则", "it breaks a rule")


def try_block(chain, payments):
    """Ask the miner to put `payments` in the next block: what went in, and what was refused and why."""
    block, refused = chain.build_block(payments, MINER.address, chain.tip.timestamp + 10)
    testing.produce_block(chain, block.transactions, producer=MINER)
    return list(block.transactions), refused


def copies(payments):
    """Payments that repeat an earlier one of the list byte for byte (a block holds each only once)."""
    return [tx for i, tx in enumerate(payments) if any(tx.txid == other.txid for other in payments[:i])]


def block_log(chain, included, refused, repeated=()):
    """The block just produced, as a reader sees it: each payment, in or refused."""
    lines = [f'<div style="color:#2e7d32">✔ {html.escape(describe(tx))}'
             + tr(f"：进入第 {chain.height} 号区块", f": in block #{chain.height}") + "</div>" for tx in included]
    lines += [f'<div style="color:#c62828">✘ {html.escape(describe(tx))}' + tr("：被拒绝 ", ": refused ")
              + f"<code>[{error.rule}]</code> {html.escape(why(error))}</div>" for tx, error in refused]
    lines += [f'<div style="color:#c62828">✘ {html.escape(describe(tx))}'
              + tr("：与前面一笔完全相同，同一个区块只收录一次 ", ": an exact copy of an earlier one; a block holds it once ")
              + "<code>[block-duplicate-tx]</code></div>" for tx in repeated]
    if not lines:
        lines = [tr("<div>一个空区块</div>", "<div>an empty block</div>")]
    return "<div style='font-size:15px;margin:6px 0'>" + "".join(lines) + "</div>"


def accounts_html(chain, before=None):
    """Every account's balance and nonce after the chain's last block (and, if given, before it)."""
    def cell(address, field):
        now = getattr(chain.state.account(address), field)
        if before is None or getattr(before.account(address), field) == now:
            return str(now)
        return f"{getattr(before.account(address), field)} → <b>{now}</b>"

    shown = [w.address for w in PEOPLE.values()] + ([MINER.address] if MINER.address in chain.state else [])
    rows = "".join(f"<tr><td style='padding:2px 12px'>{NAME_OF[a]}</td><td align='right' style='padding:2px 12px'>"
                   f"{cell(a, 'balance')}</td><td align='right' style='padding:2px 12px'>{cell(a, 'nonce')}</td></tr>"
                   for a in shown)
    head = tr(f"<p><b>账户</b>（第 {chain.height} 号区块之后）</p>", f"<p><b>Accounts</b> (after block #{chain.height})</p>")
    return (head + "<table><tr><th>" + tr("账户", "account") + "</th><th>" + tr("余额", "balance") + "</th><th>"
            + tr("序号（nonce）", "nonce") + "</th></tr>" + rows + "</table>")


# %% [markdown] lang="zh-CN"
# ## 1. 一笔付款
#
# 张三付款给李四。这是张三的第一笔付款，所以序号是 0。用两个滑块设定金额和手续费（也可以点击滑块右边的数字，
# 直接输入后按回车），矿工会立即把这笔付款打包进第 1 号区块；下表显示出块前后每个账户的变化。注意矿工：除了手续费，他每出一个区块还会得到一笔新发行的
# **出块奖励**。

# %% [markdown] lang="en"
# ## 1. A payment
#
# Alice pays Bob. It is her first payment, so its nonce is 0. Set the amount and the fee with the two
# sliders (or click the number beside a slider, type a value and press Enter); the miner at once puts
# the payment in block #1, and the table shows each account before and after. Watch the miner:
# besides the fee, each block also earns him a **block reward** of newly issued coins.

# %%
# zh: 张三付给李四：金额与手续费两个滑块（也可以点击滑块右边的数字直接输入，或用键盘方向键微调）
# en: Alice pays Bob: sliders for the amount and the fee (or click the number beside a slider and type, or use
# en: the arrow keys)
slider_layout = widgets.Layout(width="70%")
pay_amount = widgets.IntSlider(value=10, min=1, max=150, description=tr("金额", "Amount"), continuous_update=False,
                               layout=slider_layout)
pay_fee = widgets.IntSlider(value=1, min=0, max=10, description=tr("手续费", "Fee"), continuous_update=False,
                            layout=slider_layout)
payment_picture = widgets.HTML()


def first_block(amount, fee):
    """A fresh chain on which block #1 holds Alice's payment to Bob (if the rules allow it)."""
    trial = Chain(genesis)
    payment = PEOPLE[ALICE].transfer(genesis.chain_id, PEOPLE[BOB].address, amount, nonce=0, fee=fee)
    included, refused = try_block(trial, [payment])
    return trial, included, refused


def show_payment(_=None):
    trial, included, refused = first_block(pay_amount.value, pay_fee.value)
    payment_picture.value = block_log(trial, included, refused) + accounts_html(trial, before=Chain(genesis).state)


pay_amount.observe(show_payment, names="value")
pay_fee.observe(show_payment, names="value")
show_payment()
display(widgets.VBox([pay_amount, pay_fee, payment_picture]))

# %% [markdown] lang="zh-CN"
# **第 1 题.** 把金额设为 30、手续费设为 2。出块之后，张三的余额是多少？

# %% [markdown] lang="en"
# **Question 1.** Set the amount to 30 and the fee to 2. After the block, what is Alice's balance?

# %% nbgrader={"grade_id": "q1", "locked": true} answer=68
# zh: 第 1 题：填一个数
# en: question 1: a number
sheet.number("q1", 0, 1000, unit=tr("个币", "coins"))

# %% nbgrader={"grade_id": "q1_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q1", first_block(30, 2)[0].state.balance(PEOPLE[ALICE].address))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# **第 2 题.** 还是这笔付款（金额 30、手续费 2）。出块之后，矿工的余额是多少？

# %% [markdown] lang="en"
# **Question 2.** The same payment (amount 30, fee 2). After the block, what is the miner's balance?

# %% nbgrader={"grade_id": "q2", "locked": true} answer=52
# zh: 第 2 题：填一个数
# en: question 2: a number
sheet.number("q2", 0, 1000, unit=tr("个币", "coins"))

# %% nbgrader={"grade_id": "q2_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q2", first_block(30, 2)[0].state.balance(MINER.address))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# **第 3 题.** 把手续费设为 2，再拖动金额滑块：张三最多能付给李四多少，这笔付款仍能进入区块？
# （金额再大一点，付款就会被拒绝，并写明理由。）

# %% [markdown] lang="en"
# **Question 3.** Set the fee to 2 and move the amount slider: what is the largest amount Alice can pay
# Bob that still goes into the block? (One more and the payment is refused, with the reason.)

# %% nbgrader={"grade_id": "q3", "locked": true} answer=98
# zh: 第 3 题：填一个数
# en: question 3: a number
sheet.number("q3", 0, 150, unit=tr("个币", "coins"))

# %% nbgrader={"grade_id": "q3_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q3", next(a for a in range(150, 0, -1) if first_block(a, 2)[1]))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 2. 自己来付款
#
# 在下面编写付款：**加入下一个区块**把付款收集起来，**出块**把它们交给矿工。矿工收录规则允许的每一笔付款，
# 其余的拒绝，并在方括号里写明违反的规则。可以试试：
#
# * 把同一笔付款发两次（序号相同）；
# * 付出比付款人持有的更多的钱；
# * 跳过一个序号（付款人在 0 时用序号 2）。

# %% [markdown] lang="en"
# ## 2. Your own payments
#
# Compose payments below. **Add to the next block** collects them; **Produce the block** hands them to
# the miner, who includes every payment the rules allow and refuses the rest with the rule id in
# brackets. Things to try:
#
# * send the same payment twice (same nonce);
# * send more than the sender holds;
# * skip a nonce (use nonce 2 when the sender is at 0).

# %%
# zh: 付款编辑器：付款人、收款人、金额、手续费、序号，以及出块按钮
# en: the payment editor: sender, recipient, amount, fee, nonce, and the button that produces a block
sandbox = Chain(genesis)
sender = widgets.Dropdown(options=NAMES, value=BOB, description=tr("付款人", "From"))
recipient = widgets.Dropdown(options=NAMES, value=CAROL, description=tr("收款人", "To"))
amount = widgets.IntSlider(value=20, min=1, max=150, description=tr("金额", "Amount"), layout=slider_layout)
fee = widgets.IntSlider(value=1, min=0, max=10, description=tr("手续费", "Fee"), layout=slider_layout)
nonce = widgets.BoundedIntText(value=0, min=0, max=20, description=tr("序号", "Nonce"))
add_button = widgets.Button(description=tr("加入下一个区块", "Add to the next block"))
mine_button = widgets.Button(description=tr("出块", "Produce the block"), button_style="primary")
waiting, log = [], widgets.HTML()
table = widgets.HTML(accounts_html(sandbox))


def show_waiting():
    log.value = (tr("<p>等待进入下一个区块：</p><ul>", "<p>Waiting for the next block:</p><ul>")
                 + "".join(f"<li>{html.escape(describe(tx))}</li>" for tx in waiting) + "</ul>")


def add_payment(_=None):
    waiting.append(PEOPLE[sender.value].transfer(genesis.chain_id, PEOPLE[recipient.value].address,
                                                 amount.value, nonce=nonce.value, fee=fee.value))
    show_waiting()


def produce(_=None):
    before = sandbox.state.copy()
    included, refused = try_block(sandbox, list(waiting))
    log.value = block_log(sandbox, included, refused, copies(waiting))
    waiting.clear()
    table.value = accounts_html(sandbox, before=before)
    next_nonce()


def next_nonce(_=None):
    nonce.value = sandbox.state.nonce(PEOPLE[sender.value].address)


add_button.on_click(add_payment)
mine_button.on_click(produce)
sender.observe(next_nonce, names="value")
next_nonce()
display(widgets.VBox([widgets.HBox([sender, recipient]), amount, fee, nonce,
                      widgets.HBox([add_button, mine_button]), log, table]))

# %% [markdown] lang="zh-CN"
# ## 3. 重放：同一笔已签名的付款，用两次
#
# 第 1 号区块里，张三付给李四 30（手续费 2，序号 0）。李四手里有这笔付款的完整签名副本。他能不能把
# **一模一样的这笔付款**再广播一次，让自己再收一次钱？签名完全有效。选择第 2 号区块里放什么。

# %% [markdown] lang="en"
# ## 3. Replay: the same signed payment, twice
#
# In block #1 Alice pays Bob 30 (fee 2, nonce 0). Bob holds a complete signed copy of that payment.
# Could he broadcast **the very same payment** again, to be paid twice? Its signature is perfectly
# valid. Choose what goes into block #2.

# %%
# zh: 第 2 号区块里放什么：张三的一笔新付款，或者李四重放的旧付款
# en: what goes into block #2: a new payment from Alice, or Bob's replay of the old one
first = PEOPLE[ALICE].transfer(genesis.chain_id, PEOPLE[BOB].address, 30, nonce=0, fee=2)
replay_choice = widgets.RadioButtons(options=[
    (tr("张三的一笔新付款：付给李四 30（手续费 2，序号 1）", "a new payment from Alice: Bob 30 (fee 2, nonce 1)"), "new"),
    (tr("李四把第 1 号区块里那笔已签名的付款原样再广播一次", "Bob broadcasts the signed payment of block #1 again"),
     "replay"),
], value="new", description=tr("第 2 号区块", "Block #2"), layout=widgets.Layout(width="auto"))
replay_picture = widgets.HTML()


def second_block(choice):
    """Block #1 holds Alice's first payment; block #2 a new payment (nonce 1) or the same one again."""
    trial = Chain(genesis)
    one = block_log(trial, *try_block(trial, [first]))
    again = first if choice == "replay" else PEOPLE[ALICE].transfer(genesis.chain_id, PEOPLE[BOB].address, 30,
                                                                     nonce=1, fee=2)
    before = trial.state.copy()
    included, refused = try_block(trial, [again])
    return one + block_log(trial, included, refused) + accounts_html(trial, before=before), refused


def show_replay(_=None):
    replay_picture.value = second_block(replay_choice.value)[0]


replay_choice.observe(show_replay, names="value")
show_replay()
display(widgets.VBox([replay_choice, replay_picture]))

# %% [markdown] lang="zh-CN"
# **第 4 题.** 李四原样重放那笔付款。拦下它的是哪条规则？

# %% [markdown] lang="en"
# **Question 4.** Bob replays the payment as it is. Which rule stops it?

# %% nbgrader={"grade_id": "q4", "locked": true} answer="tx-nonce"
# zh: 第 4 题：四个规则编号
# en: question 4: four rule ids
sheet.choice("q4", [(rule, rule) for rule in RULES])

# %% nbgrader={"grade_id": "q4_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q4", second_block("replay")[1][0][1].rule)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 4. 双花：同一笔钱，付给两个人
#
# 第 1 号区块之后，张三还有 68。他签了**两笔** 60 的付款（手续费各 1）：一笔给王五，一笔给赵六，
# 希望在别人察觉之前两笔都能通过。选择他怎样给这两笔付款编号。

# %% [markdown] lang="en"
# ## 4. Double spend: the same coins, to two people
#
# After block #1 Alice holds 68. She signs **two** payments of 60 (fee 1 each), one to Carol and one
# to Dave, hoping both get through before anyone notices. Choose how she numbers them.

# %%
# zh: 张三的两笔 60：怎样编号
# en: Alice's two payments of 60: how she numbers them
numbering = widgets.RadioButtons(options=[
    (tr("只签一笔：付给王五（序号 1）", "only one: to Carol (nonce 1)"), "one"),
    (tr("两笔都用序号 1", "both with nonce 1"), "same"),
    (tr("付给王五用序号 1，付给赵六用序号 2", "to Carol with nonce 1, to Dave with nonce 2"), "next"),
], value="one", description=tr("张三", "Alice"), layout=widgets.Layout(width="auto"))
double_picture = widgets.HTML()


def double_spend(choice):
    """Block #1 holds Alice's first payment; block #2 her payments of 60, numbered as chosen."""
    trial = Chain(genesis)
    try_block(trial, [first])
    alice = PEOPLE[ALICE]
    payments = [alice.transfer(genesis.chain_id, PEOPLE[CAROL].address, 60, nonce=1, fee=1)]
    if choice != "one":
        payments.append(alice.transfer(genesis.chain_id, PEOPLE[DAVE].address, 60, nonce=1 if choice == "same" else 2,
                                       fee=1))
    before = trial.state.copy()
    included, refused = try_block(trial, payments)
    return block_log(trial, included, refused) + accounts_html(trial, before=before), refused


def show_double(_=None):
    double_picture.value = double_spend(numbering.value)[0]


numbering.observe(show_double, names="value")
show_double()
display(widgets.VBox([numbering, double_picture]))

# %% [markdown] lang="zh-CN"
# **第 5 题.** 两笔付款分别用序号 1 和序号 2。拒绝第二笔的是哪条规则？

# %% [markdown] lang="en"
# **Question 5.** The payments carry nonces 1 and 2. Which rule refuses the second one?

# %% nbgrader={"grade_id": "q5", "locked": true} answer="tx-balance"
# zh: 第 5 题：四个规则编号
# en: question 5: four rule ids
sheet.choice("q5", [(rule, rule) for rule in RULES])

# %% nbgrader={"grade_id": "q5_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q5", double_spend("next")[1][0][1].rule)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# **第 6 题.** 这次两笔付款**都**用序号 1。拒绝第二笔的是哪条规则？

# %% [markdown] lang="en"
# **Question 6.** Now *both* payments carry nonce 1. Which rule refuses the second one?

# %% nbgrader={"grade_id": "q6", "locked": true} answer="tx-nonce"
# zh: 第 6 题：四个规则编号
# en: question 6: four rule ids
sheet.choice("q6", [(rule, rule) for rule in RULES])

# %% nbgrader={"grade_id": "q6_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q6", double_spend("same")[1][0][1].rule)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 5. 同一笔付款，拿到另一条链上
#
# 一条测试链和一条生产链可能用着同一批账户。李四能不能把张三在测试链 `minichain-test` 上签名的付款，
# 拿到生产链 `minichain-prod` 上重放？每笔付款都在签名的内容里写明了它属于哪条链（**链标识**）。
# 选择把这笔付款提交到哪条链。

# %% [markdown] lang="en"
# ## 5. The same payment on another chain
#
# A test chain and a production chain may share the same accounts. Could Bob take Alice's payment,
# signed on the test chain `minichain-test`, and replay it on the production chain `minichain-prod`?
# Every payment names its chain (its **chain id**) inside what is signed. Choose where the payment is
# submitted.

# %%
# zh: 把张三在测试链上签名的付款提交到哪条链
# en: where Alice's payment, signed on the test chain, is submitted
chain_choice = widgets.RadioButtons(options=[
    (tr("测试链 minichain-test（签名时写明的那条链）", "the test chain minichain-test (named when signing)"), "test"),
    (tr("生产链 minichain-prod", "the production chain minichain-prod"), "prod"),
], value="test", description=tr("提交到", "Submit to"), layout=widgets.Layout(width="auto"))
chain_picture = widgets.HTML()


def submitted_to(choice):
    """Alice's signed payment, offered to a fresh test chain or to a production chain."""
    chain_id = genesis.chain_id if choice == "test" else "minichain-prod"
    target = Chain(testing.make_genesis(funded=list(PEOPLE.values()), amount=100, chain_id=chain_id))
    included, refused = try_block(target, [first])
    return (tr(f"<p>付款签名时写明的链：<code>{first.chain_id}</code>；这条链：<code>{chain_id}</code></p>",
               f"<p>Chain named in the signed payment: <code>{first.chain_id}</code>; this chain: "
               f"<code>{chain_id}</code></p>") + block_log(target, included, refused)), refused


def show_chain(_=None):
    chain_picture.value = submitted_to(chain_choice.value)[0]


chain_choice.observe(show_chain, names="value")
show_chain()
display(widgets.VBox([chain_choice, chain_picture]))

# %% [markdown] lang="zh-CN"
# **第 7 题.** 把这笔付款提交到生产链。拒绝它的是哪条规则？

# %% [markdown] lang="en"
# **Question 7.** Submit the payment to the production chain. Which rule refuses it?

# %% nbgrader={"grade_id": "q7", "locked": true} answer="tx-chain-id"
# zh: 第 7 题：四个规则编号
# en: question 7: four rule ids
sheet.choice("q7", [(rule, rule) for rule in RULES])

# %% nbgrader={"grade_id": "q7_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q7", submitted_to("prod")[1][0][1].rule)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN" nbgrader={"grade_id": "w1", "task": true, "points": 2}
# **书面回答（由讲师评分，2 分）.** 用几句话向一位同事解释：交易序号（nonce）是什么？它怎样阻止
# （甲）别人重放你已签名的付款，（乙）你把同一笔钱花两次？
#
# === BEGIN MARK SCHEME ===
# **评分标准（2 分）**
#
# * 1 分（甲，重放）：说明序号是付款人的付款编号，签在付款里面；节点只接受**下一个**编号，所以一笔已经
#   执行过的付款的副本带着用过的编号，会被拒绝（`tx-nonce`）。提到链标识在不同链之间起同样作用的，可作为补充。
# * 1 分（乙，双花）：说明同一账户的付款按序号依次对照余额执行：同一个编号的两笔付款只能执行一笔；
#   编号不同时，第二笔执行时余额已经减少，付不起就被拒绝（`tx-balance`），同一笔钱不会花两次。
# * 只写“序号防止作弊”而没有说明“只接受下一个编号”或“依次扣减余额”的，不给分。
# === END MARK SCHEME ===

# %% [markdown] lang="en" nbgrader={"grade_id": "w1", "task": true, "points": 2}
# **Written answer (marked by the instructor, 2 points).** Explain to a colleague, in a few sentences,
# what a nonce is and how it stops (a) someone replaying your signed payment and (b) you spending the
# same coins twice.
#
# === BEGIN MARK SCHEME ===
# **Rubric (2 points)**
#
# * 1 point (a, replay): the nonce is the payment's number in the sender's sequence, signed into the
#   payment; every node accepts only the **next** number, so a copy of a payment already applied
#   carries a used number and is refused (`tx-nonce`). Mentioning that the chain id does the same
#   across chains is a welcome addition.
# * 1 point (b, double spend): one account's payments are applied in nonce order against its balance:
#   of two payments with the same number only one can apply; with different numbers the second finds
#   the balance already reduced and is refused if it cannot be paid (`tx-balance`), so the same coins
#   are never spent twice.
# * No points for "the nonce prevents cheating" without "only the next number" or "the balance is
#   reduced in order".
# === END MARK SCHEME ===

# %% nbgrader={"grade_id": "w1_answer", "locked": true}
# zh: 书面回答的输入框
# en: the box for the written answer
sheet.essay("w1")

# %% [markdown] lang="zh-CN"
# ## 小结
#
# * 余额和序号就是一个账户的全部状态。
# * 付款人必须付得起**金额加手续费**；手续费和出块奖励归出块者。
# * 重放会因为序号（`tx-nonce`）和链标识（`tx-chain-id`）而失败。
# * 双花会因为序号或余额（`tx-balance`）而失败。

# %% [markdown] lang="en"
# ## What you saw
#
# * A balance and a nonce are the whole state of an account.
# * The sender must afford **amount plus fee**; the fee and the block reward go to the producer.
# * Replays fail on the nonce (`tx-nonce`) and on the chain id (`tx-chain-id`).
# * A double spend fails on the nonce or on the balance (`tx-balance`).

# %% nbgrader={"grade_id": "summary", "locked": true}
# zh: 答题情况
# en: what is answered
sheet.summary()
