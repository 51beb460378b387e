# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   minichain:
#     lab: lab02_keys
#     notebook: build
#     title:
#       zh-CN: 实验二 · 密钥与签名（动手实现）
#       en: Lab 2 · Keys and signatures (build)
# ---

# %% [markdown] lang="zh-CN"
# # 实验二 · 密钥与签名：动手实现
#
# *企业工程师课程。* 你将由公钥推出地址；检查地址的校验和；为一笔转账签名，使 minichain 的校验器接受它；
# 再从一批交易中找出伪造的那几笔。三种密码套件 `sha256-ed25519`、`sha256-secp256k1` 和 `sm3-sm2` 都要支持。
# 你的函数由 minichain 本身来评判。
# %% [markdown] lang="en"
# # Lab 2 · Keys and signatures: build it
#
# *Enterprise track.* You will derive an address from a public key, check an address's checksum, sign
# a transfer so that minichain's validator accepts it, and find the forged transactions in a batch,
# across the three suites `sha256-ed25519`, `sha256-secp256k1` and `sm3-sm2`. Your functions are
# judged by minichain itself.
# %% [markdown] lang="zh-CN"
# **使用方法**
#
# 每个练习是一个函数，注释里按步骤编好了号。把 `# 在这里写你的代码` 和 `raise NotImplementedError()`
# 换成你的代码，运行该单元格，再运行下面的测试单元格。测试失败时会说明**检查了什么、应当是什么、实际得到了什么**；
# 测试把你的函数的结果交给真正的 `minichain` 校验器，所以失败信息里会带上节点拒绝时的规则编号（方括号中），
# 例如 `[tx-signature]`。交卷评分时还会运行更多测试：请把函数写对，而不只是让眼前的例子通过。
# %% [markdown] lang="en"
# **How this notebook works**
#
# Each exercise is a function with its steps numbered in comments. Replace `# YOUR CODE HERE` and
# `raise NotImplementedError()` with your code, run the cell, then run the test cell below it. A
# failing test says **what it checked, what it expected and what it found**; the tests hand what your
# function produces to the real `minichain` validators, so a failure carries the rule id a node would
# give, in brackets, e.g. `[tx-signature]`. More tests run when your lab is graded: make your function
# right, not just the visible example.
# %% nbgrader={"grade_id": "setup", "locked": true}
# zh: 准备工作（只读）：minichain、固定种子的钱包，以及评判函数。
# en: Set-up (read-only): the library, seeded wallets, and the judges.
import dataclasses
import hashlib
import types

import base58

from labkit import tr
from labkit.checks import Checks
from minichain import (
    MinichainError,
    Transaction,
    decode_address,
    get_suite,
    is_address,
    sm3,
    testing,
    validate_transaction,
)

check = Checks(tr("zh-CN", "en"))
alice, bob, mallory = testing.make_wallet(0), testing.make_wallet(1), testing.make_wallet(9)
genesis = testing.make_genesis(funded=[alice, bob, mallory])


def minichain_says(rule_check, *args):
    """Run one of minichain's checks: None if it passes, else '[rule] message'."""
    try:
        rule_check(*args)
    except MinichainError as error:
        return f"[{error.rule}] {error}"
    return None


def chain_for(suite_name):
    """A genesis of a chain using `suite_name` (its own chain id)."""
    return testing.make_genesis(suite=suite_name, chain_id="lab02-" + suite_name,
                                funded=[testing.make_wallet(i, suite_name) for i in range(4)])


# %% [markdown] lang="zh-CN"
# ## 练习 1：由公钥得出地址
#
# 地址是**公钥哈希的最后 20 个字节**，前面加上版本字节 `0x32`（它让每个 minichain 地址都以字母 M 开头），
# 再写成 **Base58Check**：21 个字节后面接上 4 字节校验和，整体用 Base58 字母表书写。最后这一步由 `base58` 包完成：
# `base58.b58encode_check(payload)` 返回字节串。哈希函数由套件决定：`sha256-…` 用 SHA-256，`sm3-sm2` 用 SM3。

# %% [markdown] lang="en"
# ## Exercise 1: an address from a public key
#
# An address is the **last 20 bytes of the hash of the public key**, with a version byte `0x32` in
# front (it makes every minichain address start with "M"), written in **Base58Check**: the 21 bytes
# followed by a 4-byte checksum, all in the Base58 alphabet. The `base58` package does that last step:
# `base58.b58encode_check(payload)` returns bytes. The hash is the suite's: SHA-256 for `sha256-…`,
# SM3 for `sm3-sm2`.

# %% nbgrader={"grade_id": "ex1_address", "solution": true}
def address_from_public_key(public_key: bytes, suite_name: str) -> str:
    """The minichain address of `public_key` on a chain using suite `suite_name`."""
    # zh: 1. digest = 套件的哈希：hashlib.sha256(public_key).digest() 或 sm3(public_key)
    # zh: 2. 只保留最后 20 个字节：digest[-20:]
    # zh: 3. payload = bytes([0x32]) + 这 20 个字节
    # zh: 4. return base58.b58encode_check(payload).decode("ascii")
    # en: 1. digest = the suite's hash: hashlib.sha256(public_key).digest() or sm3(public_key)
    # en: 2. keep the last 20 bytes: digest[-20:]
    # en: 3. payload = bytes([0x32]) + those 20 bytes
    # en: 4. return base58.b58encode_check(payload).decode("ascii")
    ### BEGIN SOLUTION
    digest = sm3(public_key) if suite_name == "sm3-sm2" else hashlib.sha256(public_key).digest()
    return base58.b58encode_check(bytes([0x32]) + digest[-20:]).decode("ascii")
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex1_visible", "grade": true, "points": 0}
def _address_hint(found):
    """What minichain makes of a wrong address, and the usual mistake behind it."""
    if not found.startswith("M"):
        return tr("地址应以 M 开头：payload 前面加版本字节 0x32 了吗？",
                  "an address starts with M: is the version byte 0x32 in front of the payload?")
    verdict = minichain_says(decode_address, found)
    if verdict:
        return tr(f"minichain 读不懂它：{verdict}（用 b58encode_check，它会附上校验和）",
                  f"minichain cannot read it: {verdict} (use b58encode_check: it appends the checksum)")
    return tr("这是一个合法的地址，却属于别的公钥：取的是哈希的最后 20 个字节吗？哈希函数是套件的吗？",
              "a well-formed address, but of another key: the LAST 20 bytes of the hash? the suite's hash?")


for _suite, _wallet in (("sha256-ed25519", alice), ("sm3-sm2", testing.make_wallet(1, "sm3-sm2"))):
    _mine = address_from_public_key(_wallet.public_key, _suite)
    check.instance(_mine, str, tr("address_from_public_key 的返回值", "what address_from_public_key returns"))
    check.equal(_mine, _wallet.address, tr(f"{_suite} 链上这把公钥的地址（minichain 的钱包算出）",
                                           f"the address of this key on a {_suite} chain (as minichain's wallet "
                                           "computes it)"), hint=_address_hint(_mine))
check.passed(tr("练习 1 的公开测试通过", "Exercise 1 visible tests pass"))

# %% nbgrader={"grade_id": "ex1_hidden", "grade": true, "points": 5}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe

Probe().each("ex1_hidden", lambda case: address_from_public_key(*case))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 2：检查校验和
#
# 写出 `checksum_ok(text)`：只有格式正确的 minichain 地址才返回 `True`，其余一律返回 `False`（不抛异常）。
# Base58Check 的校验和是 payload 的**两次 SHA-256** 的前 4 个字节（与链的套件无关）。请用 `base58.b58decode`
# 亲手检查（不要用 `b58decode_check`）。

# %% [markdown] lang="en"
# ## Exercise 2: check the checksum
#
# Write `checksum_ok(text)`: `True` only for a well-formed minichain address, `False` for anything
# else (never an exception). Base58Check's checksum is the first 4 bytes of **double SHA-256** of the
# payload (whatever the chain's suite). Do it by hand with `base58.b58decode` (not `b58decode_check`).

# %% nbgrader={"grade_id": "ex2_checksum", "solution": true}
def checksum_ok(text: str) -> bool:
    """True for a minichain address: Base58, right checksum, version 0x32, 20 bytes."""
    # zh: 1. raw = base58.b58decode(text)；出现 ValueError 说明有 Base58 以外的字符：返回 False
    # zh: 2. payload, checksum = raw[:-4], raw[-4:]
    # zh: 3. 校验和必须等于 hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    # zh: 4. payload 必须是 21 个字节，并以版本字节 0x32 开头
    # en: 1. raw = base58.b58decode(text); a ValueError means a character outside Base58: False
    # en: 2. payload, checksum = raw[:-4], raw[-4:]
    # en: 3. the checksum must equal hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    # en: 4. the payload must be 21 bytes long and start with the version byte 0x32
    ### BEGIN SOLUTION
    try:
        raw = base58.b58decode(text)
    except ValueError:
        return False
    payload, checksum = raw[:-4], raw[-4:]
    if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != checksum:
        return False
    return len(payload) == 21 and payload[0] == 0x32
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex2_visible", "grade": true, "points": 0}
def _judge_checksum(text, what, hint):
    try:
        found = checksum_ok(text)
    except Exception as error:
        check.fail(tr(f"{what}：checksum_ok({text!r}) 抛出了 {type(error).__name__}: {error}，应当返回 False\n{hint}",
                      f"{what}: checksum_ok({text!r}) raised {type(error).__name__}: {error}; it should return "
                      f"False\n{hint}"))
    expected = is_address(text)
    verdict = "" if expected else tr(f"（minichain：{minichain_says(decode_address, text)}）",
                                     f" (minichain: {minichain_says(decode_address, text)})")
    check.equal(found, expected, what + verdict, hint=hint)


_typo = bob.address[:6] + ("x" if bob.address[6] != "x" else "y") + bob.address[7:]
_swapped = bob.address[:6] + bob.address[7] + bob.address[6] + bob.address[8:]
_judge_checksum(bob.address, tr("李四（bob）的地址", "bob's address"),
                tr("两次 SHA-256，取前 4 个字节；返回 True 本身，而不是别的真值",
                   "double SHA-256, first 4 bytes; return True itself, not another truthy value"))
_judge_checksum(_typo, tr("改了一个字符的地址", "the address with one character changed"),
                tr("校验和要与 payload 重新算出的值比较", "compare the checksum with one computed from the payload"))
_judge_checksum(_swapped, tr("对调了两个字符的地址", "the address with two characters swapped"), "")
_judge_checksum("0OIl", tr("含有 Base58 以外字符的文字", "text with characters outside Base58"),
                tr("b58decode 对这些字符抛出 ValueError：捕获它，返回 False",
                   "b58decode raises ValueError for them: catch it and return False"))
_judge_checksum("1BoatSLRHtKNngkdXEeobR76b53LETtpyT", tr("一个比特币地址（版本字节 0x00）", "a Bitcoin address (version 0x00)"),
                tr("校验和没错，但版本字节必须是 0x32", "its checksum is right, but the version byte must be 0x32"))
_judge_checksum(base58.b58encode_check(bytes([0x32]) + bytes(19)).decode(),
                tr("payload 只有 20 个字节的地址", "an address whose payload is only 20 bytes"),
                tr("payload 必须正好 21 个字节", "the payload must be exactly 21 bytes"))
check.passed(tr("练习 2 的公开测试通过", "Exercise 2 visible tests pass"))

# %% nbgrader={"grade_id": "ex2_hidden", "grade": true, "points": 5}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe

Probe().each("ex2_hidden", checksum_ok)
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 3：为一笔转账签名
#
# `Transaction` 是一个不可变的 dataclass。付款人签的是 `tx.signing_bytes`：除签名以外每个字段的规范化字节。
# 先构造未签名的转账，用钱包所用套件对这些字节签名，再返回一个带上签名的副本（`dataclasses.replace`）。
# 不要调用 `wallet.transfer` 或 `sign_transaction`：它们正是你要写的东西。

# %% [markdown] lang="en"
# ## Exercise 3: sign a transfer
#
# A `Transaction` is a frozen dataclass. The sender signs `tx.signing_bytes`: the canonical bytes of
# every field except the signature. Build the unsigned transfer, sign those bytes with the wallet's
# suite, and return a copy carrying the signature (`dataclasses.replace`). Do not call
# `wallet.transfer` or `sign_transaction`: that is what you are writing.

# %% nbgrader={"grade_id": "ex3_sign", "solution": true}
def sign_transfer(wallet, chain_id: str, recipient: str, amount: int, nonce: int):
    """A signed Transaction moving `amount` (fee 0) from `wallet` to `recipient`."""
    # zh: 1. unsigned = Transaction(chain_id=chain_id, suite=wallet.suite_name,
    # zh:        sender_key=wallet.public_key, recipient=recipient, amount=amount, fee=0, nonce=nonce)
    # zh: 2. signature = wallet.suite.sign(wallet.private_key, unsigned.signing_bytes)
    # zh: 3. return dataclasses.replace(unsigned, signature=signature)
    # en: 1. unsigned = Transaction(chain_id=chain_id, suite=wallet.suite_name,
    # en:        sender_key=wallet.public_key, recipient=recipient, amount=amount, fee=0, nonce=nonce)
    # en: 2. signature = wallet.suite.sign(wallet.private_key, unsigned.signing_bytes)
    # en: 3. return dataclasses.replace(unsigned, signature=signature)
    ### BEGIN SOLUTION
    unsigned = Transaction(chain_id=chain_id, suite=wallet.suite_name, sender_key=wallet.public_key,
                           recipient=recipient, amount=amount, fee=0, nonce=nonce)
    return dataclasses.replace(unsigned, signature=wallet.suite.sign(wallet.private_key, unsigned.signing_bytes))
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex3_visible", "grade": true, "points": 0}
SIGNING_HINTS = {
    "tx-signature": tr("签的应是 unsigned.signing_bytes（不是 tx.encoded 或 JSON），用 wallet.private_key 和 wallet.suite",
                       "sign unsigned.signing_bytes (not tx.encoded, not JSON), with wallet.private_key and "
                       "wallet.suite"),
    "tx-chain-id": tr("chain_id 用传入的参数", "use the chain_id given"),
    "tx-suite": tr("suite 用 wallet.suite_name", "use suite=wallet.suite_name"),
}


def _judge_signed(tx, genesis_of_chain, fields, what):
    check.instance(tx, Transaction, tr(f"{what}：sign_transfer 的返回值", f"{what}: what sign_transfer returns"))
    verdict = minichain_says(validate_transaction, tx, genesis_of_chain)
    if verdict:
        rule = verdict[1:verdict.index("]")]
        check.fail(tr(f"{what}：minichain 拒绝了你的交易：{verdict}\n{SIGNING_HINTS.get(rule, '')}",
                      f"{what}: minichain refuses your transaction: {verdict}\n{SIGNING_HINTS.get(rule, '')}"))
    check.equal((tx.sender, tx.recipient, tx.amount, tx.fee, tx.nonce), fields,
                tr(f"{what}：（付款人, 收款人, 金额, 手续费, nonce）", f"{what}: (sender, recipient, amount, fee, nonce)"))


def _judge_by_hand(wallet, genesis_of_chain):
    """A wallet with its keys but no transfer(): the transfer must be built and signed by hand."""
    keys_only = types.SimpleNamespace(suite_name=wallet.suite_name, suite=wallet.suite, private_key=wallet.private_key,
                                      public_key=wallet.public_key, address=wallet.address)
    try:
        tx = sign_transfer(keys_only, genesis_of_chain.chain_id, bob.address, 3, 1)
    except AttributeError as error:
        check.fail(tr(f"sign_transfer 调用了钱包的现成方法（{error}）：请亲手构造 Transaction 并签名",
                      f"sign_transfer calls a ready-made wallet method ({error}): build the Transaction and sign "
                      "it yourself"))
    _judge_signed(tx, genesis_of_chain, (wallet.address, bob.address, 3, 0, 1),
                  tr("只给出密钥的钱包（不用 wallet.transfer）", "a wallet given as keys only (no wallet.transfer)"))


_judge_signed(sign_transfer(alice, genesis.chain_id, bob.address, 10, 0), genesis,
              (alice.address, bob.address, 10, 0, 0), tr("sha256-ed25519 链上 alice 付给 bob 10",
                                                          "alice pays bob 10 on a sha256-ed25519 chain"))
_sm_genesis, _sm_payer = chain_for("sm3-sm2"), testing.make_wallet(2, "sm3-sm2")
_judge_signed(sign_transfer(_sm_payer, _sm_genesis.chain_id, testing.make_wallet(3, "sm3-sm2").address, 7, 4),
              _sm_genesis, (_sm_payer.address, testing.make_wallet(3, "sm3-sm2").address, 7, 0, 4),
              tr("sm3-sm2 链上的一笔转账（nonce 4）", "a transfer on a sm3-sm2 chain (nonce 4)"))
_judge_by_hand(alice, genesis)
check.passed(tr("练习 3 的公开测试通过", "Exercise 3 visible tests pass"))

# %% nbgrader={"grade_id": "ex3_hidden", "grade": true, "points": 5}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe
from minichain import Wallet


def _signer(private_key, suite_name, keys_only):
    """The grader's wallet, or only its keys (then there is no wallet.transfer to call)."""
    wallet = Wallet.from_private_key(private_key, suite_name)
    if not keys_only:
        return wallet
    return types.SimpleNamespace(suite_name=wallet.suite_name, suite=wallet.suite, private_key=wallet.private_key,
                                 public_key=wallet.public_key, address=wallet.address)


def _fields(tx):
    """A Transaction as its fields (the grader rebuilds it from them), anything else as its type's name."""
    return ["Transaction", dataclasses.asdict(tx)] if type(tx) is Transaction else [type(tx).__name__, None]


Probe().each("ex3_hidden", lambda case: _fields(sign_transfer(_signer(*case[:3]), *case[3:])))
### END HIDDEN TESTS

# %% [markdown] lang="zh-CN"
# ## 练习 4：找出伪造的交易
#
# 一个节点收到一批交易。返回其中**签名验证不通过**的那些交易的下标（按顺序）：
# `get_suite(tx.suite).verify(public_key, message, signature)` 返回 True 或 False（从不抛异常）。
# 测试拿你的结果与 minichain 的校验器比较：它把这样的交易报告为 `[tx-signature]`。

# %% [markdown] lang="en"
# ## Exercise 4: find the forgeries
#
# A node receives a batch of transactions. Return the indexes (in order) of those whose **signature
# does not verify**: `get_suite(tx.suite).verify(public_key, message, signature)` returns True or
# False (it never raises). The tests compare you with minichain's validator, which reports such
# transactions as `[tx-signature]`.

# %% nbgrader={"grade_id": "ex4_forgeries", "solution": true}
def find_forgeries(transactions) -> list:
    """Indexes (in order) of the transactions whose signature does not verify."""
    # zh: 1. 对每个 index, tx：suite = get_suite(tx.suite)
    # zh: 2. 要验证的内容是 tx.signing_bytes，公钥是 tx.sender_key，签名是 tx.signature
    # zh: 3. suite.verify(...) 为 False 时记下 index
    # en: 1. for each index, tx: suite = get_suite(tx.suite)
    # en: 2. the message is tx.signing_bytes, the key tx.sender_key, the signature tx.signature
    # en: 3. collect the index when suite.verify(...) is False
    ### BEGIN SOLUTION
    return [index for index, tx in enumerate(transactions)
            if not get_suite(tx.suite).verify(tx.sender_key, tx.signing_bytes, tx.signature)]
    ### END SOLUTION


# %% nbgrader={"grade_id": "ex4_visible", "grade": true, "points": 0}
def _judge_forgeries(batch, geneses, what, names=None):
    """Your flags against the transactions minichain's validator refuses as [tx-signature]."""
    expected = []
    for index, tx in enumerate(batch):
        verdict = minichain_says(validate_transaction, tx, geneses[tx.suite])
        if verdict is not None:
            check.true(verdict.startswith("[tx-signature]"), f"{what} #{index}: {verdict}")
            expected.append(index)
    found = find_forgeries(batch)
    check.instance(found, list, tr("find_forgeries 的返回值", "what find_forgeries returns"))
    listing = "" if names is None else "\n" + "\n".join(
        f"  #{i} {name}" + tr("：", ": ") + (tr("minichain 拒绝 [tx-signature]", "minichain refuses [tx-signature]") if i in expected
                              else tr("minichain 接受", "minichain accepts")) for i, name in enumerate(names))
    check.equal(found, expected, tr(f"{what}：签名不通过的交易下标", f"{what}: indexes whose signature fails"),
                hint=listing.lstrip("\n") + "\n" + tr(
                    "验证 tx.signing_bytes（不是 tx.encoded），公钥用 tx.sender_key；返回下标而不是交易",
                    "verify tx.signing_bytes (not tx.encoded) with tx.sender_key; return indexes, not transactions"))


_good = alice.transfer(genesis.chain_id, bob.address, 10, nonce=0)
_other = bob.transfer(genesis.chain_id, alice.address, 3, nonce=0)
_judge_forgeries([_good,
                  dataclasses.replace(_good, amount=1000),
                  _other,
                  dataclasses.replace(_good, signature=_other.signature),
                  dataclasses.replace(_good, sender_key=mallory.public_key)],
                 {genesis.suite: genesis}, tr("五笔交易的一批", "a batch of five"),
                 names=[tr("alice 付给 bob 10，原样", "alice pays bob 10, as signed"),
                        tr("同一笔，签名后金额改成 1000", "the same, amount changed to 1000 after signing"),
                        tr("bob 付给 alice 3，原样", "bob pays alice 3, as signed"),
                        tr("alice 的付款，配上 bob 那笔的签名", "alice's payment with bob's signature"),
                        tr("alice 的付款，公钥换成 mallory 的", "alice's payment with mallory's public key")])
check.passed(tr("练习 4 的公开测试通过", "Exercise 4 visible tests pass"))

# %% nbgrader={"grade_id": "ex4_hidden", "grade": true, "points": 5}
# zh: 交卷评分时运行的隐藏测试：评分程序选出输入，在这里运行你的函数，再在评分程序里判定结果。
# en: Hidden tests: when your lab is graded, the grader picks inputs, runs your function on them here and
# en: judges the results on its side.
### BEGIN HIDDEN TESTS
from labkit.probe import Probe


def _indexes(found):
    """A list as it is, but a transaction in it (an index was asked for) by its type's name."""
    if type(found) is not list:
        return found
    return [item if type(item) is not Transaction else "Transaction" for item in found]


Probe().each("ex4_hidden", lambda batch: _indexes(find_forgeries([Transaction(**fields) for fields in batch])))
### END HIDDEN TESTS
