# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   minichain:
#     lab: lab02_keys
#     notebook: explore
#     title:
#       zh-CN: 实验二 · 密钥与签名：谁有权动用这笔钱（探索）
#       en: Lab 2 · Keys and signatures (explore)
# ---

# %% [markdown] lang="zh-CN"
# # 实验二 · 密钥与签名：谁有权动用这笔钱
#
# *面向领导干部的课程：不需要编程，全部用鼠标点击完成。*
#
# 区块链上没有核对身份证的柜员。每个账户都属于一个**密钥对**：
#
# * **私钥**：只有主人知道的一个秘密数字，用来**签名**；
# * **公钥**：由私钥算出，公开给所有人，用来**验证**签名。由公钥反推私钥，实际上做不到；
# * **地址**：公钥的简短名称（取自公钥的指纹），带有**校验和**，输错一个字符就能被发现。
#
# 一笔付款只有带着能用付款人公钥验证通过的签名，才算有效。本实验中，你将生成密钥对、签名、验证，
# 故意输错地址，并看 minichain 如何识破一笔伪造的付款。
# %% [markdown] lang="en"
# # Lab 2 · Keys and signatures: who may spend
#
# *Officials' track: no programming; everything is done with the mouse.*
#
# A blockchain has no bank clerk checking identity cards. Instead, every account belongs to a
# **key pair**:
#
# * a **private key**: a secret number only its owner holds, used to **sign**;
# * a **public key**: computed from the private key, shared with everyone, used to **verify**
#   signatures. Going back from the public key to the private key is practically impossible;
# * an **address**: a short name for the public key (part of its fingerprint), written with a
#   **checksum** so that a typing mistake is caught.
#
# A payment is valid only if it carries a signature that verifies with the payer's public key. In
# this lab you will make key pairs, sign, verify, mistype an address and watch minichain catch a
# forged payment.
# %% [markdown] lang="zh-CN"
# **使用方法**
#
# * 先点击菜单 **运行 → 运行所有单元格**（或工具栏上“重启内核并运行所有单元格”的按钮）。
# * 灰色面板里的下拉框、文本框和按钮都是“活”的：改动它们，下面的结果会立即更新。
# * **题目**的答案全部用点击给出：选择题点一个选项；数字题在框里填数字后点“确认答案”；
#   书面题在文本框里写几句话后点“保存回答”。每题下方会显示“✓ 已记录你的答案”。
# * 答案一经点击就已保存；最后按 **Ctrl+S** 保存笔记本再交卷。对错在交卷评分时才判定。
# %% [markdown] lang="en"
# **How this notebook works**
#
# * First click **Run → Run All Cells** in the menu (or the toolbar's "restart the kernel and run all
#   cells" button).
# * The grey panels with lists, boxes and buttons are live: change them and the results update.
# * Every **question** is answered by clicking: pick an option; or type a number and click
#   "Confirm answer"; or write a few sentences and click "Save answer". Each question then shows
#   "✓ Your answer is recorded".
# * An answer is kept the moment you click; at the end press **Ctrl+S** to save the notebook, then
#   hand it in. Whether an answer is right is decided when the lab is graded.
# %% nbgrader={"grade_id": "setup", "locked": true}
# zh: 准备工作：载入 minichain，并准备几位固定的示例人物（每台机器上都一样）。
# en: Set-up: load minichain and a few fixed example people (the same on every machine).
import dataclasses
import hashlib
import html

import base58
import ipywidgets as widgets
from IPython.display import display

from labkit import tr
from labkit.ask import Sheet
from minichain import MinichainError, decode_address, get_suite, testing, validate_transaction

sheet = Sheet("lab02_keys", "explore", lang=tr("zh-CN", "en"))
SUITES = ["sha256-ed25519", "sha256-secp256k1", "sm3-sm2"]
ALICE, BOB, CAROL, MALLORY = tr("张三", "Alice"), tr("李四", "Bob"), tr("王五", "Carol"), tr("赵六", "Mallory")
PEOPLE = {ALICE: 0, BOB: 1, CAROL: 2, MALLORY: 9}   # name -> seed of a fixed test key
RULE_MEANING = {
    "tx-signature": tr("签名与交易内容对不上：交易在签名之后被改过，或者不是用付款人的私钥签的",
                       "the signature does not match the transaction: it was changed after signing, "
                       "or signed with another key"),
    "tx-chain-id": tr("交易是为另一条链签名的", "the transaction was signed for another chain"),
    "tx-recipient": tr("收款地址无效", "the recipient's address is not valid"),
    "tx-amount": tr("金额无效", "the amount is not valid"),
}


def person(name, suite="sha256-ed25519"):
    return testing.make_wallet(PEOPLE[name], suite)


def owner_of(address):
    return next((name for name in PEOPLE if person(name).address == address), tr("某人", "someone"))


def verdict_html(ok, text):
    colour, mark = ("#2e7d32", "✔") if ok else ("#c62828", "✘")
    return f'<p style="font-size:1.2em;color:{colour}"><b>{mark} {html.escape(text)}</b></p>'


# %% [markdown] lang="zh-CN"
# ## 1. 一个密钥对和它的地址
#
# 选一个人和一种**密码套件**（一条链使用的密码算法）：Ed25519、比特币使用的 secp256k1 曲线，
# 或我国的国密算法 SM2。私钥只显示开头一小段：现实中，私钥从不离开主人的设备。

# %% [markdown] lang="en"
# ## 1. A key pair and its address
#
# Pick a person and a **suite** (the cryptography a chain uses): Ed25519, the secp256k1 curve of
# Bitcoin, or China's SM2. Only the start of the private key is shown: in real life it never leaves
# its owner's device.

# %%
# zh: 密钥对与地址：选人、选套件
# en: a key pair and its address: pick a person and a suite
who = widgets.Dropdown(options=list(PEOPLE), value=ALICE, description=tr("人物", "Person"))
suite_choice = widgets.Dropdown(options=SUITES, value="sha256-ed25519", description=tr("密码套件", "Suite"))
key_picture = widgets.HTML()


def show_keys(_=None):
    wallet = person(who.value, suite_choice.value)
    step = "<td style='padding:0 1em;font-size:1.6em'>→</td>"
    cell = "<td style='vertical-align:top;padding:6px'>"
    key_picture.value = (
        "<table><tr>"
        f"{cell}<b>{tr('私钥（保密）', 'private key (secret)')}</b><br><code>{wallet.private_key.hex()[:8]}…</code><br>"
        f"{tr(f'{len(wallet.private_key)} 字节', f'{len(wallet.private_key)} bytes')}</td>{step}"
        f"{cell}<b>{tr('公钥（公开）', 'public key (shared)')}</b><br><code>{wallet.public_key.hex()[:24]}…</code><br>"
        f"{tr(f'{len(wallet.public_key)} 字节', f'{len(wallet.public_key)} bytes')}</td>{step}"
        f"{cell}<b>{tr('地址（它的名称）', 'address (its name)')}</b><br><code>{wallet.address}</code><br>"
        f"{tr(f'{len(wallet.address)} 个字符', f'{len(wallet.address)} characters')}</td>"
        "</tr></table>"
        + tr("<p>每个箭头都是单向的：往前算很容易，往回算做不到。</p>",
             "<p>Each arrow is one-way: easy to compute forwards, impossible backwards.</p>"))


who.observe(show_keys, names="value")
suite_choice.observe(show_keys, names="value")
show_keys()
display(widgets.VBox([widgets.HBox([who, suite_choice]), key_picture]))

# %% [markdown] lang="zh-CN"
# **第 1 题.** 把密码套件换成 `sm3-sm2`（国密套件）。这时一个公钥有多少字节？

# %% [markdown] lang="en"
# **Question 1.** Switch the suite to `sm3-sm2` (China's national suite). How many bytes long is a
# public key then?

# %% nbgrader={"grade_id": "q1", "locked": true} answer=64
# zh: 第 1 题：填一个数
# en: question 1: a number
sheet.number("q1", 1, 200, unit=tr("字节", "bytes"))

# %% nbgrader={"grade_id": "q1_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q1", len(person(CAROL, "sm3-sm2").public_key))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 2. 签名与验证
#
# 张三用自己的私钥对一段文字签名；任何人都能用张三的公钥验证这个签名。试一试：
#
# * 签名**之后**改动李四收到的文字（这是伪造者的做法）；
# * 改用李四的公钥来验证；
# * 换一种密码套件，多点几次“再签一次”。

# %% [markdown] lang="en"
# ## 2. Signing and verifying
#
# Alice signs a text with her private key; anyone can verify the signature with her public key. Try:
#
# * change the text Bob receives *after* it was signed (what a forger would do);
# * verify with Bob's public key instead;
# * switch the suite and press **Sign again** a few times.

# %%
# zh: 签名与验证：张三签名，李四核验
# en: signing and verifying: Alice signs, Bob checks
message_box = widgets.Text(value=tr("向李四付款 10 元", "Pay Bob 10 yuan"), description=tr("张三签名", "Alice signs"),
                           layout=widgets.Layout(width="60%"))
received_box = widgets.Text(value=tr("向李四付款 10 元", "Pay Bob 10 yuan"), description=tr("李四收到", "Bob gets"),
                            layout=widgets.Layout(width="60%"))
checker = widgets.Dropdown(options=[ALICE, BOB], value=ALICE, description=tr("用谁的公钥", "Whose key"))
sign_suite = widgets.Dropdown(options=SUITES, value="sha256-ed25519", description=tr("密码套件", "Suite"))
sign_again = widgets.Button(description=tr("再签一次", "Sign again"))
signature_picture = widgets.HTML()
signed = []   # (suite, text, signature) of every signature made here


def show_signature(_=None):
    suite = get_suite(sign_suite.value)
    text = message_box.value
    signature = suite.sign(person(ALICE, sign_suite.value).private_key, text.encode("utf-8"))
    earlier = [s for (name, t, s) in signed if name == sign_suite.value and t == text][-3:]
    signed.append((sign_suite.value, text, signature))
    public_key = person(checker.value, sign_suite.value).public_key
    ok = suite.verify(public_key, received_box.value.encode("utf-8"), signature)
    rows = "".join(f"<br><code>{s.hex()[:48]}…</code>" for s in reversed(earlier))
    signature_picture.value = (
        tr(f"<p><b>这次的签名</b>（{len(signature)} 字节）：<code>{signature.hex()[:48]}…</code></p>",
           f"<p><b>this signature</b> ({len(signature)} bytes): <code>{signature.hex()[:48]}…</code></p>")
        + (tr("<p>同一段文字、同一套件之前的签名：", "<p>earlier signatures of the same text, same suite:")
           + rows + "</p>" if earlier else "")
        + verdict_html(ok, tr(f"用{checker.value}的公钥验证李四收到的文字：签名有效",
                              f"checked with {checker.value}'s public key against what Bob got: valid")
                       if ok else tr(f"用{checker.value}的公钥验证李四收到的文字：签名无效",
                                     f"checked with {checker.value}'s public key against what Bob got: INVALID")))


for control in (message_box, received_box, checker, sign_suite):
    control.observe(show_signature, names="value")
sign_again.on_click(show_signature)
show_signature()
display(widgets.VBox([message_box, received_box, widgets.HBox([checker, sign_suite, sign_again]),
                      signature_picture]))

# %% [markdown] lang="zh-CN"
# **第 2 题.** 张三签名的是“向李四付款 10 元”。伪造者把李四收到的文字改成“向李四付款 1000 元”
# （在“李四收到”框里改好后按回车），张三的签名原样保留。李四用张三的公钥验证，会看到什么？

# %% [markdown] lang="en"
# **Question 2.** Alice signs "Pay Bob 10 yuan". A forger changes the text Bob gets to "Pay Bob 1000
# yuan" (edit the "Bob gets" box and press Enter) and keeps Alice's signature. Bob verifies with
# Alice's public key. What does he see?

# %% nbgrader={"grade_id": "q2", "locked": true} answer="b"
# zh: 第 2 题：三个选项
# en: question 2: three options
sheet.choice("q2", [
    ("a", tr("签名有效，所以应当付 1000 元", "The signature is valid, so 1000 should be paid")),
    ("b", tr("签名无效", "The signature is invalid")),
    ("c", tr("签名有效，而且能看出原来的金额是 10 元", "The signature is valid and shows the original amount was 10")),
])

# %% nbgrader={"grade_id": "q2_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_suite, _alice = get_suite("sha256-ed25519"), person(ALICE)
_signature = _suite.sign(_alice.private_key, "向李四付款 10 元".encode())
sheet.expect("q2", "a" if _suite.verify(_alice.public_key, "向李四付款 1000 元".encode(), _signature) else "b")
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# **第 3 题.** 把密码套件换成 `sm3-sm2`，文字不改，连续点几次“再签一次”。你观察到什么？

# %% [markdown] lang="en"
# **Question 3.** Switch the suite to `sm3-sm2` and, without changing the text, press **Sign again**
# several times. What do you see?

# %% nbgrader={"grade_id": "q3", "locked": true} answer="b"
# zh: 第 3 题：三个选项
# en: question 3: three options
sheet.choice("q3", [
    ("a", tr("每次的签名都一模一样", "The same signature every time")),
    ("b", tr("每次的签名都不一样，而且每一个都有效", "A different signature every time, and each one is valid")),
    ("c", tr("每次的签名都不一样，但只有第一个有效", "A different signature every time, but only the first is valid")),
])

# %% nbgrader={"grade_id": "q3_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_suite, _alice = get_suite("sm3-sm2"), person(ALICE, "sm3-sm2")
_one, _two = (_suite.sign(_alice.private_key, b"pay 10") for _ in range(2))
_both_valid = all(_suite.verify(_alice.public_key, b"pay 10", s) for s in (_one, _two))
sheet.expect("q3", ("c", "b")[_both_valid] if _one != _two else "a")
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# SM2 和 ECDSA（secp256k1）每次签名都会抽取一个新的随机数，所以签名每次都不同；Ed25519 则由文字本身
# 推出这个数，签名因此重复。无论哪种，**一个签名只对应一段确切的文字和一把密钥**，不能挪用到别的文字上。
#
# ## 3. 地址输错一个字符
#
# 钱一旦转到错误的地址，可能就再也找不回来。所以地址里带着**校验和**：由地址其余部分算出的 4 个字节。
# 下面把李四的地址拆开显示：版本号、公钥指纹、写在地址里的校验和，以及由前两部分重新算出的校验和。
# 改一个字符、删一个字符或对调两个字符（改完按回车），看看会发生什么。

# %% [markdown] lang="en"
# SM2 and ECDSA (secp256k1) draw a fresh random number for each signature, so the signature changes
# every time; Ed25519 derives that number from the text, so its signatures repeat. Either way, **a
# signature belongs to one exact text and one key**: it cannot be moved to another text.
#
# ## 3. A typing mistake in an address
#
# Money sent to a wrong address may be gone forever, so an address carries a **checksum**: 4 bytes
# computed from the rest of it. Below, Bob's address is taken apart: the version, the public key's
# fingerprint, the checksum written in the address, and the checksum computed again from the first
# two parts. Change one character, delete one or swap two (press Enter after editing).

# %%
# zh: 收款地址与它的校验和
# en: a recipient's address and its checksum
address_box = widgets.Text(value=person(BOB).address, description=tr("收款地址", "Send to"),
                           layout=widgets.Layout(width="60%"))
address_picture = widgets.HTML()


def address_parts(text):
    """The table of what the Base58 text decodes to, or a sentence saying why it does not."""
    try:
        raw = base58.b58decode(text)
    except ValueError:
        return (tr("<p>地址里有 Base58 不使用的字符（数字 0、字母 O、I 和 l 都不用，以免看错）。</p>",
                   "<p>The address holds a character Base58 does not use (0, O, I and l are left out, "
                   "being easy to misread).</p>"))
    if len(raw) < 5:
        return tr("<p>地址太短了。</p>", "<p>The address is far too short.</p>")
    payload, written = raw[:-4], raw[-4:]
    computed = hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    colour = "#2e7d32" if computed == written else "#c62828"
    row = "<tr><td style='padding:2px 10px'>{}</td><td><code>{}</code></td></tr>"
    return ("<table>"
            + row.format(tr("版本号", "version"), payload[:1].hex())
            + row.format(tr(f"公钥指纹（{len(payload) - 1} 字节）", f"key fingerprint ({len(payload) - 1} bytes)"),
                         payload[1:].hex())
            + row.format(tr("写在地址里的校验和", "checksum written in it"), written.hex())
            + f"<tr><td style='padding:2px 10px'>{tr('重新算出的校验和', 'checksum computed again')}</td>"
              f"<td><code style='color:{colour}'>{computed.hex()}</code></td></tr>"
            + "</table>")


def show_address(_=None):
    text = address_box.value.strip()
    try:
        decode_address(text)
    except MinichainError as error:
        verdict = verdict_html(False, tr("minichain 拒收这个地址：校验和对不上，或者不是 minichain 地址。付款不会发出。",
                                         "minichain refuses this address: the checksum does not match, or it is "
                                         "not a minichain address. Nothing is sent."))
        verdict += f"<p>{tr('规则编号', 'rule')} <code>[{error.rule}]</code></p>"
    else:
        verdict = verdict_html(True, tr(f"有效的地址（属于{owner_of(text)}）", f"a valid address (it belongs to "
                                                                           f"{owner_of(text)})"))
    address_picture.value = address_parts(text) + verdict


address_box.observe(show_address, names="value")
show_address()
display(widgets.VBox([address_box, address_picture]))

# %% [markdown] lang="zh-CN"
# **第 4 题.** 付款时把李四的地址输错了一个字符。会发生什么？

# %% [markdown] lang="en"
# **Question 4.** In a payment you mistype one character of Bob's address. What happens?

# %% nbgrader={"grade_id": "q4", "locked": true} answer="b"
# zh: 第 4 题：三个选项
# en: question 4: three options
sheet.choice("q4", [
    ("a", tr("钱转进了另一个人的账户", "The money goes to some other person's account")),
    ("b", tr("校验和对不上，地址被拒收，什么也没有发出", "The checksum does not match: the address is refused and "
                                                     "nothing is sent")),
    ("c", tr("钱发给了一个不存在的账户，就此丢失", "The money goes to nobody and is lost")),
])

# %% nbgrader={"grade_id": "q4_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
_bob = person(BOB).address


def _refused(text):
    try:
        decode_address(text)
    except MinichainError:
        return True
    return False


_typos = [_bob[:i] + c + _bob[i + 1:] for i in range(1, len(_bob)) for c in "abc" if _bob[i] != c]
sheet.expect("q4", "b" if all(_refused(t) for t in _typos) else "a")
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 4. 识破伪造的付款
#
# 张三签了一笔真实的 minichain 付款：向李四付 10。赵六在它传到网络之前截获了它。他能做些什么？
# 选择赵六的手段；判决来自 minichain 自己的交易校验，每个节点运行的都是同一套校验。

# %% [markdown] lang="en"
# ## 4. A forged payment caught
#
# Alice signs a real minichain payment of 10 to Bob. Mallory intercepts it before it reaches the
# network. What can she do? Choose her trick; the verdict comes from minichain's own transaction
# check, the one every node runs.

# %%
# zh: 伪造者的手段与 minichain 的判决
# en: the forger's tricks and minichain's verdict
genesis = testing.make_genesis(funded=[person(name) for name in PEOPLE])
payment = person(ALICE).transfer(genesis.chain_id, person(BOB).address, 10, nonce=0)
_mallory = person(MALLORY)


def _resigned(tx):
    changed = dataclasses.replace(tx, amount=1000)
    return dataclasses.replace(changed, signature=get_suite(tx.suite).sign(_mallory.private_key, changed.signing_bytes))


tricks = {
    "none": (tr("原样发出，不做改动", "send it unchanged"), lambda tx: tx),
    "amount": (tr("把金额改成 1000", "raise the amount to 1000"), lambda tx: dataclasses.replace(tx, amount=1000)),
    "redirect": (tr("把收款人改成自己", "make herself the recipient"),
                 lambda tx: dataclasses.replace(tx, recipient=_mallory.address)),
    "resign": (tr("改成 1000，再用自己的私钥重新签名", "change it to 1000 and sign it with her own key"), _resigned),
    "own": (tr("改成 1000，并把张三的公钥换成自己的（重新签名）", "change it to 1000 and put her own key in "
                                                           "place of Alice's (signed again)"),
            lambda tx: _mallory.transfer(tx.chain_id, _mallory.address, 1000, nonce=0)),
}
trick = widgets.RadioButtons(options=[(label, key) for key, (label, _) in tricks.items()], value="none",
                             description=tr("赵六", "Mallory"), layout=widgets.Layout(width="90%"))
forgery_picture = widgets.HTML()


def show_forgery(_=None):
    tx = tricks[trick.value][1](payment)
    lines = (tr(f"<p>付款人 <code>{tx.sender}</code>（{owner_of(tx.sender)}）<br>收款人 <code>{tx.recipient}</code>"
                f"（{owner_of(tx.recipient)}），金额 {tx.amount}</p>",
                f"<p>From <code>{tx.sender}</code> ({owner_of(tx.sender)})<br>to <code>{tx.recipient}</code> "
                f"({owner_of(tx.recipient)}), amount {tx.amount}</p>"))
    try:
        validate_transaction(tx, genesis)
    except MinichainError as error:
        meaning = RULE_MEANING.get(error.rule, "")
        forgery_picture.value = lines + verdict_html(False, tr(f"被拒绝 [{error.rule}]：{meaning}",
                                                               f"refused [{error.rule}]: {meaning}"))
    else:
        forgery_picture.value = lines + verdict_html(True, tr("每个节点都接受", "accepted by every node"))


trick.observe(show_forgery, names="value")
show_forgery()
display(widgets.VBox([trick, forgery_picture]))

# %% [markdown] lang="zh-CN"
# **第 5 题.** 赵六把金额改成 1000。minichain 报告的是哪条规则（方括号里的编号）？

# %% [markdown] lang="en"
# **Question 5.** Mallory raises the amount to 1000. Which rule does minichain report (the id in
# square brackets)?

# %% nbgrader={"grade_id": "q5", "locked": true} answer="tx-signature"
# zh: 第 5 题：四个规则编号
# en: question 5: four rule ids
sheet.choice("q5", [(rule, rule) for rule in ("tx-nonce", "tx-signature", "tx-balance", "tx-chain-id")])

# %% nbgrader={"grade_id": "q5_check", "grade": true, "points": 2}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
try:
    validate_transaction(dataclasses.replace(payment, amount=1000), genesis)
    _rule = "accepted"
except MinichainError as _error:
    _rule = _error.rule
sheet.expect("q5", _rule)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# **第 6 题.** 用最后一种手段，赵六的付款被**接受**了。看看付款人是谁：赵六花掉张三的钱了吗？

# %% [markdown] lang="en"
# **Question 6.** With the last trick Mallory's payment is *accepted*. Look at who pays. Did Mallory
# manage to spend Alice's money?

# %% nbgrader={"grade_id": "q6", "locked": true} answer="b"
# zh: 第 6 题：两个选项
# en: question 6: two options
sheet.choice("q6", [
    ("a", tr("花掉了：这笔付款从张三的账户转出 1000 给赵六", "Yes: the payment moves 1000 from Alice to Mallory")),
    ("b", tr("没有：付款人由签名的密钥决定，这是赵六从自己的账户付给自己",
             "No: the payer follows from the key that signed, so it is Mallory paying herself from her own account")),
])

# %% nbgrader={"grade_id": "q6_check", "grade": true, "points": 1}
# zh: 交卷评分时在这里判定答案。
# en: Your answer is judged here when the lab is graded.
### BEGIN HIDDEN TESTS
sheet.expect("q6", "b" if tricks["own"][1](payment).sender == person(MALLORY).address else "a")
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN" nbgrader={"grade_id": "w1", "task": true, "points": 2}
# **书面回答（由讲师评分，2 分）.** 用两三句话回答：为什么公钥和地址可以公开，私钥却绝不能离开主人？
# 拿到你私钥的人能做什么？事后有人能撤销吗？
#
# === BEGIN MARK SCHEME ===
# **评分标准（2 分）**
#
# * 1 分：说明公钥和地址只能用来**验证**签名、向这个账户付款，由它们推算私钥实际上做不到，所以公开无害；
#   而私钥用来**生成**签名。
# * 1 分：说明谁持有私钥，谁就能签出每个节点都当作主人本人的付款、把账户转空；链上的有效付款无法撤销，
#   也没有可以申诉的柜员，所以私钥必须保密（并妥善备份）。
# * 只写“私钥很重要”“要保密”而没有说明签名与验证的分工或后果的，不给分。
# === END MARK SCHEME ===

# %% [markdown] lang="en" nbgrader={"grade_id": "w1", "task": true, "points": 2}
# **Written answer (marked by the instructor, 2 points).** In two or three sentences: why may a
# public key and an address be published, while a private key must never leave its owner? What could
# someone holding your private key do, and could anyone undo it?
#
# === BEGIN MARK SCHEME ===
# **Rubric (2 points)**
#
# * 1 point: the public key and the address only let others **verify** signatures and pay into the
#   account; computing the private key from them is practically impossible, so publishing them is
#   harmless; the private key **creates** signatures.
# * 1 point: whoever holds the private key can sign payments every node accepts as the owner's and
#   empty the account; a valid payment on the chain cannot be reversed and there is no clerk to
#   appeal to, so the key must be kept secret (and backed up).
# * No points for "the private key is important" or "keep it secret" without saying who signs and
#   who verifies, or what follows.
# === END MARK SCHEME ===

# %% nbgrader={"grade_id": "w1_answer", "locked": true}
# zh: 书面回答的输入框
# en: the box for the written answer
sheet.essay("w1")

# %% [markdown] lang="zh-CN"
# ## 小结
#
# * 私钥签名，公钥验证，地址是公钥的名称。
# * 一个签名只对应一段确切的内容：任何改动都会让它失效（`tx-signature`）。
# * 地址带有校验和，输错一个字符在发出之前就会被发现。
# * 付款人由签名的密钥推出：谁也无法替别人签名。

# %% [markdown] lang="en"
# ## What you saw
#
# * A private key signs, the public key verifies, the address names the public key.
# * A signature covers one exact content: any change makes it invalid (`tx-signature`).
# * An address carries a checksum, so a typing mistake is caught before anything is sent.
# * The payer of a payment follows from the signing key: nobody can sign for someone else.

# %% nbgrader={"grade_id": "summary", "locked": true}
# zh: 答题情况
# en: what is answered
sheet.summary()
