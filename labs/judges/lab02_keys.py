"""Lab 2 · Keys and signatures: the judges of the build notebook's hidden tests (instructors only).

Each judge makes its inputs from the seed of this grading run, and checks what the learner's function
returned for them, here in the grader's process, with a pristine minichain (grader/judging.py). The
notebook's hidden cells only run the learner's function on these inputs (labkit.probe).
"""

from __future__ import annotations

import dataclasses
import random
from typing import Any

import base58

from grader.judging import Say, expect, judge
from labkit.wire import Raised
from minichain import (
    SUITES,
    MinichainError,
    Transaction,
    Wallet,
    decode_address,
    encode_address,
    get_suite,
    is_address,
    testing,
    validate_transaction,
)

SUITE_NAMES = ("sha256-ed25519", "sha256-secp256k1", "sm3-sm2")
ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
MEMOS = ("", "rent", "房租", "发票 7 号（增值税）", "工资 ☕")
FIELD_TYPES = {field.name: field.type for field in dataclasses.fields(Transaction)}
KINDS = {"str": str, "bytes": bytes, "int": int}
GOOD_ZH = ("这是一个正确的地址：校验和是 21 字节 payload 的两次 SHA-256 的前 4 个字节（与链的套件无关），"
           "此时返回 True 本身")
GOOD_EN = ("a well-formed address: its checksum is the first 4 bytes of double SHA-256 of the 21-byte "
           "payload (whatever the chain's suite); then return True itself")


def _wallet(rng: random.Random, suite: str) -> Wallet:
    return testing.make_wallet(f"judge-{rng.randrange(10**9)}", suite)


def _random_address(rng: random.Random) -> str:
    return encode_address(rng.randbytes(20))


def _shown(found: Any) -> str:
    if isinstance(found, Raised):
        return f"{found.kind}: {found.message[:80]}"
    return repr(found)[:80]


def _count(results: list[Any], cases: list[Any], say: Say) -> None:
    expect(type(results) is list and len(results) == len(cases),
           say(f"应有 {len(cases)} 个结果，收到 {_shown(results)}",
               f"expected {len(cases)} results, got {_shown(results)}"))


def _minichain_says(rule_check: Any, *args: Any) -> str | None:
    """None if minichain's check passes, else '[rule] message'."""
    try:
        rule_check(*args)
    except MinichainError as error:
        return f"[{error.rule}] {error}"
    return None


# --- exercise 1: an address from a public key ------------------------------------------------------


@judge("ex1_hidden")
def address_from_public_key(rng: random.Random, say: Say) -> tuple[Any, Any]:
    keys = [(_wallet(rng, suite).public_key, suite)
            for suite, count in (("sha256-ed25519", 6), ("sha256-secp256k1", 6), ("sm3-sm2", 3))
            for _ in range(count)]
    rng.shuffle(keys)

    def hint(found: Any) -> str:
        if isinstance(found, Raised):
            return say("按步骤：套件的哈希、最后 20 个字节、版本字节 0x32、b58encode_check。",
                       "follow the steps: the suite's hash, the last 20 bytes, version byte 0x32, "
                       "b58encode_check.")
        if type(found) is bytes:
            return say("b58encode_check 返回字节串：再 .decode(\"ascii\") 成为文字。",
                       "b58encode_check returns bytes: .decode(\"ascii\") makes it text.")
        if type(found) is not str:
            return say("地址是一段文字（str）。", "an address is text (a str).")
        if not found.startswith("M"):
            return say("minichain 地址以 M 开头：payload 前面加版本字节 0x32 了吗？",
                       "a minichain address starts with M: is the version byte 0x32 in front of the payload?")
        verdict = _minichain_says(decode_address, found)
        if verdict:
            return say(f"minichain 读不懂它：{verdict[:120]}（用 b58encode_check，它会附上校验和）",
                       f"minichain cannot read it: {verdict[:120]} (use b58encode_check: it appends the "
                       "checksum)")
        return say("这是一个合法的地址，却属于别的公钥：取的是哈希的最后 20 个字节吗？sm3-sm2 用 SM3 了吗？",
                   "a well-formed address, but of another key: the LAST 20 bytes of the hash? SM3 for "
                   "sm3-sm2?")

    def check(results: list[Any]) -> None:
        _count(results, keys, say)
        for (key, suite), found in zip(keys, results, strict=True):
            right = get_suite(suite).address(key)
            expect(type(found) is str and found == right,
                   say(f"{suite} 链上公钥 {key.hex()[:16]}… 的地址是 {right}（minichain 算出），"
                       f"你的函数给出 {_shown(found)}",
                       f"the address of public key {key.hex()[:16]}… on a {suite} chain is {right} (as "
                       f"minichain computes it); your function gives {_shown(found)}"),
                   hint=hint(found))
    return keys, check


# --- exercise 2: the checksum ----------------------------------------------------------------------


@judge("ex2_hidden")
def checksum_ok(rng: random.Random, say: Say) -> tuple[Any, Any]:
    cases: list[tuple[str, str]] = []   # (text, what a mistake about it usually is)

    def add(text: str, zh: str, en: str) -> None:
        cases.append((text, say(zh, en)))

    raw = rng.randbytes(20)
    for suite in SUITE_NAMES:
        address = _wallet(rng, suite).address
        add(address, GOOD_ZH, GOOD_EN)
        for _ in range(12):
            i = rng.randrange(len(address))
            add(address[:i] + rng.choice(ALPHABET) + address[i + 1:], "校验和要与 payload 重新算出的值比较",
                "compare the checksum with one computed again from the payload")
            add(address[:i] + address[i + 1:], "少了一个字符：校验和或长度不对", "a character missing: the "
                "checksum or the length is wrong")
            j = rng.randrange(len(address) - 1)
            add(address[:j] + address[j + 1] + address[j] + address[j + 2:], "对调两个字符，校验和就对不上了",
                "two characters swapped: the checksum no longer matches")
        i = rng.randrange(len(address))
        add(address[:i] + rng.choice("0OIl") + address[i + 1:],
            "b58decode 对 Base58 以外的字符抛出 ValueError：捕获它，返回 False",
            "b58decode raises ValueError for a character outside Base58: catch it, return False")
    wrong_version = rng.choice([0x00, 0x05, 0x31, 0x33, 0xff])
    add(encode_address(raw), GOOD_ZH, GOOD_EN)
    add(encode_address(bytes(20)), GOOD_ZH, GOOD_EN)
    add(base58.b58encode_check(bytes([wrong_version]) + raw).decode(),
        f"校验和没错，但版本字节是 0x{wrong_version:02x}，必须是 0x32",
        f"its checksum is right, but the version byte is 0x{wrong_version:02x}, not 0x32")
    add("1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "比特币地址（版本 0x00）：版本字节必须是 0x32",
        "a Bitcoin address (version 0x00): the version byte must be 0x32")
    for size in (0, 19, 21, 32):
        add(base58.b58encode_check(bytes([0x32]) + rng.randbytes(size)).decode(),
            f"payload 有 {size + 1} 个字节：必须正好 21 个",
            f"a payload of {size + 1} bytes: it must be exactly 21")
    add(base58.b58encode(bytes([0x32]) + raw + b"\0\0\0\0").decode(), "校验和是四个零字节：要亲手算出来比较",
        "the checksum is four zero bytes: compute it and compare")
    for text in ("", "M", "1", "MMMM", "0OIl", "地址", " " + encode_address(raw), "M" + "1" * 33,
                 "".join(rng.choice(ALPHABET) for _ in range(34))):
        add(text, "不是地址的文字：返回 False，不要抛出异常",
            "text that is no address: return False, never raise")
    rng.shuffle(cases)
    texts = [text for text, _ in cases]

    def check(results: list[Any]) -> None:
        _count(results, texts, say)
        for (text, hint), found in zip(cases, results, strict=True):
            right = is_address(text)
            if right:
                said = say("minichain 把它读作一个地址", "minichain reads it as an address")
            else:
                refusal = str(_minichain_says(decode_address, text))[:100]
                said = say(f"minichain 拒绝它：{refusal}", f"minichain refuses it: {refusal}")
            expect(type(found) is bool and found == right,
                   say(f"checksum_ok({text!r}) 应为 {right}（{said[:160]}），你的函数给出 {_shown(found)}",
                       f"checksum_ok({text!r}) should be {right} ({said[:160]}); your function gives "
                       f"{_shown(found)}"), hint=hint)
    return texts, check


# --- exercise 3: sign a transfer -------------------------------------------------------------------


def rebuilt(found: Any, say: Say) -> Transaction:
    """The learner's transaction, rebuilt here from the fields the probe sent (never their object)."""
    given = _shown(found[0] if type(found) is list and found else found)
    expect(type(found) is list and len(found) == 2 and found[0] == "Transaction" and type(found[1]) is dict,
           say(f"应返回一个 Transaction，你的函数给出 {given}",
               f"it should return a Transaction; your function gives {given}"),
           hint=say("构造 Transaction(...)，签名后用 dataclasses.replace 返回带签名的副本。",
                    "build a Transaction(...), sign it, and return the signed copy (dataclasses.replace)."))
    fields = found[1]
    for name, kind in FIELD_TYPES.items():
        value = fields.get(name)
        expect(type(value) is KINDS[str(kind)],
               say(f"交易的字段 {name} 应是 {kind}，却是 {_shown(value)}",
                   f"the transaction's field {name} should be a {kind}, it is {_shown(value)}"))
    expect(fields["suite"] in SUITES, say(f"未知的套件 {fields['suite']!r}：用 wallet.suite_name",
                                          f"unknown suite {fields['suite']!r}: use wallet.suite_name"))
    return Transaction(**{name: fields[name] for name in FIELD_TYPES})


SIGNING_HINTS = {
    "tx-signature": ("签的应是 unsigned.signing_bytes（不是 tx.encoded 或 JSON），用 wallet.suite.sign 和 "
                     "wallet.private_key；返回的是带签名的副本吗？",
                     "sign unsigned.signing_bytes (not tx.encoded, not JSON) with wallet.suite.sign and "
                     "wallet.private_key; do you return the signed copy?"),
    "tx-chain-id": ("chain_id 用传入的参数", "use the chain_id given"),
    "tx-suite": ("suite 用 wallet.suite_name", "use suite=wallet.suite_name"),
    "tx-recipient": ("收款人用传入的地址", "use the recipient given"),
    "tx-amount": ("金额用传入的参数", "use the amount given"),
}


@judge("ex3_hidden")
def sign_transfer(rng: random.Random, say: Say) -> tuple[Any, Any]:
    cases = []   # (payer, keys only, chain id, recipient, amount, nonce)
    for suite, count in (("sha256-ed25519", 4), ("sha256-secp256k1", 3), ("sm3-sm2", 2)):
        for i in range(count):
            payer = _wallet(rng, suite)
            chain_id = rng.choice([f"lab02-{suite}", "minichain-dev", f"企业链-{rng.randrange(100)}"])
            recipient = rng.choice([_random_address(rng), _wallet(rng, "sha256-secp256k1").address])
            amount = rng.choice([1, rng.randrange(2, 1000), rng.randrange(10**6, 10**12)])
            nonce = rng.choice([0, rng.randrange(1, 50), rng.randrange(10**3, 10**6)])
            cases.append((payer, i % 2 == 1, chain_id, recipient, amount, nonce))
    rng.shuffle(cases)
    inputs = [[payer.private_key, payer.suite_name, keys_only, chain_id, recipient, amount, nonce]
              for payer, keys_only, chain_id, recipient, amount, nonce in cases]

    def check(results: list[Any]) -> None:
        _count(results, cases, say)
        for (payer, keys_only, chain_id, recipient, amount, nonce), found in zip(cases, results, strict=True):
            what = say(f"{payer.suite_name} 链 {chain_id!r} 上付给 {recipient[:10]}… {amount}（nonce {nonce}"
                       + ("，钱包只给出密钥）" if keys_only else "）"),
                       f"paying {amount} to {recipient[:10]}… on chain {chain_id!r}, {payer.suite_name} "
                       f"(nonce {nonce}" + (", a wallet given as keys only)" if keys_only else ")"))
            if isinstance(found, Raised):
                by_hand = keys_only and found.kind == "AttributeError"
                expect(False, say(f"{what}：sign_transfer 抛出了 {_shown(found)}",
                                  f"{what}: sign_transfer raised {_shown(found)}"),
                       hint=say("不要调用钱包的现成方法（wallet.transfer）：亲手构造 Transaction 并签名。",
                                "call no ready-made wallet method (wallet.transfer): build the Transaction "
                                "and sign it yourself.") if by_hand else "")
            tx = rebuilt(found, say)
            genesis = testing.make_genesis(suite=payer.suite_name, chain_id=chain_id, funded=[payer])
            verdict = _minichain_says(validate_transaction, tx, genesis)
            rule = verdict[1:verdict.index("]")] if verdict else ""
            expect(verdict is None, say(f"{what}：minichain 拒绝了你的交易：{verdict}",
                                        f"{what}: minichain refuses your transaction: {verdict}"),
                   hint=say(*SIGNING_HINTS[rule]) if rule in SIGNING_HINTS else "")
            got = (tx.sender, tx.recipient, tx.amount, tx.fee, tx.nonce, tx.memo)
            want = (payer.address, recipient, amount, 0, nonce, "")
            expect(got == want, say(f"{what}：（付款人, 收款人, 金额, 手续费, nonce, 备注）应为 {want}，"
                                    f"你的交易是 {got}",
                                    f"{what}: (sender, recipient, amount, fee, nonce, memo) should be "
                                    f"{want}, your transaction has {got}"),
                   hint=say("手续费为 0，备注为空；付款人由 sender_key=wallet.public_key 决定。",
                            "fee 0, no memo; the sender follows from sender_key=wallet.public_key."))
    return inputs, check


# --- exercise 4: find the forgeries ----------------------------------------------------------------


def _forgeries(rng: random.Random, say: Say, suite: str) -> list[tuple[Transaction, str]]:
    """A genuine payment of `suite` and the ways a forger might change it, each with what was done."""
    payer, payee, mallory = _wallet(rng, suite), _wallet(rng, suite), _wallet(rng, suite)
    chain_id = "lab02"
    tx = payer.transfer(chain_id, payee.address, rng.randrange(1, 10**6), nonce=rng.randrange(50),
                        fee=rng.randrange(1, 20), memo=rng.choice(MEMOS[1:]))
    other = payee.transfer(chain_id, payer.address, rng.randrange(1, 100), nonce=rng.randrange(5))
    byte, bit = rng.randrange(len(tx.signature)), 1 << rng.randrange(8)
    flipped = tx.signature[:byte] + bytes([tx.signature[byte] ^ bit]) + tx.signature[byte + 1:]
    own = mallory.transfer(chain_id, mallory.address, tx.amount, nonce=0, memo=tx.memo)
    variants = [
        (tx, say("原样的付款", "a payment as signed")),
        (other, say("另一笔原样的付款", "another payment as signed")),
        (own, say("mallory 用自己的钥匙签的付款（真的）",
                  "mallory's payment, signed with her own key (genuine)")),
        (dataclasses.replace(tx, amount=tx.amount + rng.randrange(1, 1000)),
         say("签名后改了金额", "amount changed after signing")),
        (dataclasses.replace(tx, memo=tx.memo + "（已付）"),
         say("签名后改了备注", "memo changed after signing")),
        (dataclasses.replace(tx, recipient=mallory.address),
         say("签名后收款人换成 mallory", "recipient changed to mallory after signing")),
        (dataclasses.replace(tx, fee=tx.fee - 1), say("签名后改了手续费", "fee changed after signing")),
        (dataclasses.replace(tx, nonce=tx.nonce + 1), say("签名后改了 nonce", "nonce changed after signing")),
        (dataclasses.replace(tx, signature=flipped), say(f"签名的第 {byte} 个字节翻转了一位",
                                                         f"one bit of the signature's byte {byte} flipped")),
        (dataclasses.replace(tx, signature=other.signature), say("配上另一笔交易的签名",
                                                                 "with another transaction's signature")),
        (dataclasses.replace(tx, sender_key=mallory.public_key), say("公钥换成 mallory 的",
                                                                     "public key swapped for mallory's")),
        (dataclasses.replace(tx, signature=b""), say("没有签名", "no signature at all")),
    ]
    if suite == "sm3-sm2":   # pure-Python SM2 is slow: fewer of its forgeries
        variants = [variants[0], *rng.sample(variants[3:], 4)]
    return variants


@judge("ex4_hidden")
def find_forgeries(rng: random.Random, say: Say) -> tuple[Any, Any]:
    mixed = [variant for suite in SUITE_NAMES for variant in _forgeries(rng, say, suite)]
    rng.shuffle(mixed)
    genuine = [variant for variant in mixed if variant[0].signature and get_suite(variant[0].suite).verify(
        variant[0].sender_key, variant[0].signing_bytes, variant[0].signature)]
    ed = [variant for variant in mixed if variant[0].suite == "sha256-ed25519"]
    batches = [
        (say("三种套件混在一起的一批", "a batch mixing the three suites"), mixed),
        (say("只有真交易的一批", "a batch of genuine transactions only"), genuine),
        (say("只有 sha256-ed25519 交易的一批", "a batch of sha256-ed25519 transactions"), ed[::-1]),
        (say("空的一批", "an empty batch"), []),
        (say("只有一笔的一批", "a batch of one"), [rng.choice(mixed)]),
    ]
    inputs = [[dataclasses.asdict(tx) for tx, _ in batch] for _, batch in batches]

    geneses = {suite: testing.make_genesis(suite=suite, chain_id="lab02", funded=[_wallet(rng, suite)])
               for suite in SUITE_NAMES}

    def verdict(tx: Transaction) -> str | None:
        """The rule minichain's validator refuses `tx` by, or None."""
        try:
            validate_transaction(tx, geneses[tx.suite])
        except MinichainError as error:
            return error.rule
        return None

    def check(results: list[Any]) -> None:
        _count(results, batches, say)
        for (name, batch), found in zip(batches, results, strict=True):
            verdicts = [verdict(tx) for tx, _ in batch]
            right = [i for i, said in enumerate(verdicts) if said is not None]
            fine = type(found) is list and all(type(i) is int for i in found)
            if fine and found == right:
                continue
            wrong = [] if not fine else sorted(set(found) ^ set(right))
            lines = [] if fine else [say("应返回一个由下标（整数）组成的 list", "it should return a list of "
                                         "indexes (whole numbers)")]
            for i in wrong[:3]:
                what = batch[i][1] if 0 <= i < len(batch) else say("不存在的下标", "no such index")
                if i in right:
                    lines.append(say(f"#{i}（{what}）：minichain 拒绝它 [{verdicts[i]}]，你没有标出它",
                                     f"#{i} ({what}): minichain refuses it [{verdicts[i]}], you do not "
                                     "flag it"))
                else:
                    lines.append(say(f"#{i}（{what}）：minichain 接受它，你却标出了它",
                                     f"#{i} ({what}): minichain accepts it, you flag it"))
            expect(False, say(f"{name}（{len(batch)} 笔）：", f"{name} ({len(batch)} transactions): ")
                   + say("；", "; ").join(lines)
                   + say(f"\n签名不通过的下标是 {right}，你的函数给出 {_shown(found)}",
                         f"\nthe indexes whose signature fails are {right}; your function gives "
                         f"{_shown(found)}"),
                   hint=say("验证 tx.signing_bytes（不是 tx.encoded），公钥用 tx.sender_key，套件用 "
                            "get_suite(tx.suite)；按顺序返回下标（list），而不是交易。",
                            "verify tx.signing_bytes (not tx.encoded) with tx.sender_key and "
                            "get_suite(tx.suite); return the indexes in order (a list), not transactions."))
    return inputs, check
