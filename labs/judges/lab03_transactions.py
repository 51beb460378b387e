"""Lab 3 · Transactions: the judges of the build notebook's hidden tests (instructors only).

Each judge makes its inputs from the seed of this grading run, and checks what the learner's function
returned for them, here in the grader's process, with a pristine minichain (grader/judging.py). The
notebook's hidden cells only run the learner's function on these inputs (labkit.probe): they build the
wallet and the State the function is given from plain data, and send back plain data.
"""

from __future__ import annotations

import dataclasses
import random
from typing import Any

from grader.judging import Say, expect, judge
from labkit.wire import Raised, Unsupported
from minichain import (
    SUITES,
    Account,
    BlockTransactionInvalid,
    Chain,
    InvalidTransaction,
    MinichainError,
    State,
    Transaction,
    Wallet,
    encode_address,
    get_suite,
    testing,
    validate_transaction,
)

# the notebook's wallets and chain (its set-up cell): four accounts of 100, the miner
ALICE, BOB, CAROL, DAVE = (testing.make_wallet(i) for i in range(4))
MINER = testing.make_wallet("miner")
NEWCOMER = testing.make_wallet(42)
GENESIS = testing.make_genesis(funded=[ALICE, BOB, CAROL, DAVE], amount=100)
WHO = {ALICE.address: "alice", BOB.address: "bob", CAROL.address: "carol", DAVE.address: "dave",
       MINER.address: "MINER", NEWCOMER.address: "erin"}
NOBODY = Account(0, 0)
FIELD_TYPES = {field.name: field.type for field in dataclasses.fields(Transaction)}
KINDS = {"str": str, "bytes": bytes, "int": int}


def _who(address: str) -> str:
    return WHO.get(address, address[:10] + "…")


def _shown(found: Any) -> str:
    if isinstance(found, Raised):
        return f"{found.kind}: {found.message[:80]}"
    return repr(found)[:100]


def _count(results: Any, cases: list[Any], say: Say) -> None:
    expect(type(results) is list and len(results) == len(cases),
           say(f"应有 {len(cases)} 个结果，收到 {_shown(results)}",
               f"expected {len(cases)} results, got {_shown(results)}"))


def _applied(accounts: dict[str, Account], tx: Transaction, producer: str,
             suite: str = GENESIS.suite) -> tuple[dict[str, Account] | None, InvalidTransaction | None]:
    """minichain's own state transition (State.apply_block, no block reward) on a copy of `accounts`:
    (the accounts after, None), or (None, the rule's error) when it refuses the transaction."""
    state = State(get_suite(suite).hash, accounts)
    try:
        state.apply_block([tx], producer, 0)
    except BlockTransactionInvalid as error:
        return None, error.cause
    return dict(state.items()), None


def _transfer(wallet: Wallet, recipient: str, amount: int, nonce: int, fee: int = 0) -> Transaction:
    return wallet.transfer(GENESIS.chain_id, recipient, amount, nonce=nonce, fee=fee)


# --- exercise 1: build a transfer ------------------------------------------------------------------


def rebuilt(found: Any, say: Say) -> Transaction:
    """The learner's transaction, rebuilt here from the fields the probe sent (never their object)."""
    given = _shown(found[0] if type(found) is list and found else found)
    expect(type(found) is list and len(found) == 2 and found[0] == "Transaction" and type(found[1]) is dict,
           say(f"应返回一个签了名的 Transaction，你的函数给出 {given}",
               f"it should return a signed Transaction; your function gives {given}"),
           hint=say("构造 Transaction(...)，再返回 sign_transaction(tx, wallet.private_key)。",
                    "build a Transaction(...) and return sign_transaction(tx, wallet.private_key)."))
    fields = found[1]
    for name, kind in FIELD_TYPES.items():
        value = fields.get(name)
        expect(type(value) is KINDS[str(kind)],
               say(f"交易的字段 {name} 应是 {kind}，却是 {_shown(value)}",
                   f"the transaction's field {name} should be a {kind}, it is {_shown(value)}"))
    expect(fields["suite"] in SUITES, say(f"未知的套件 {fields['suite']!r}：用 wallet.suite_name",
                                          f"unknown suite {fields['suite']!r}: use wallet.suite_name"))
    return Transaction(**{name: fields[name] for name in FIELD_TYPES})


TRANSFER_HINTS = {
    "tx-nonce": ("序号要取自状态：state.nonce(wallet.address)，也就是已经发出的交易数",
                 "take the nonce from the state: state.nonce(wallet.address), the transactions already sent"),
    "tx-balance": ("付不起的转账不要签名：余额小于金额 + 手续费时抛出 ValueError",
                   "do not sign a transfer the sender cannot pay: raise ValueError when the balance is below "
                   "amount + fee"),
    "tx-signature": ("用 sign_transaction(tx, wallet.private_key) 签名", "sign with sign_transaction(tx, "
                     "wallet.private_key)"),
    "tx-chain-id": ("chain_id 用传入的参数", "use the chain_id given"),
    "tx-suite": ("suite 用 wallet.suite_name", "use suite=wallet.suite_name"),
}


@judge("ex1_hidden")
def build_transfer(rng: random.Random, say: Say) -> tuple[Any, Any]:
    kinds = (["affordable"] * 4 + ["exact", "exact, no fee", "fee tips it over", "overdraft", "no account",
                                   "nothing left"])
    plan = [("sha256-ed25519", kind) for kind in kinds] + [("sha256-ed25519", "affordable")] * 2
    plan += [("sha256-secp256k1", rng.choice(kinds)), ("sm3-sm2", "affordable"),
             ("sm3-sm2", "fee tips it over")]
    rng.shuffle(plan)
    cases = []   # (name, seed, wallet, accounts, chain id, recipient, amount, fee)
    for suite, kind in plan:
        seed = rng.randrange(10**6)
        wallet = testing.make_wallet(seed, suite)
        balance, nonce = rng.randrange(2, 500), rng.choice([0, rng.randrange(1, 30)])
        fee = rng.randrange(0, 6)
        match kind:
            case "affordable":
                amount = rng.randrange(1, balance)
                fee = rng.randrange(0, balance - amount + 1)
            case "exact":
                fee = rng.randrange(1, min(6, balance))
                amount = balance - fee
            case "exact, no fee":
                amount, fee = balance, 0
            case "fee tips it over":
                amount, fee = balance, rng.randrange(1, 6)
            case "overdraft":
                amount = balance + rng.randrange(1, 100)
            case "nothing left":
                balance, nonce, amount = 0, rng.randrange(1, 30), rng.randrange(1, 10)
            case _:   # no account
                balance, nonce, amount = 0, 0, rng.randrange(1, 10)
        accounts = {encode_address(rng.randbytes(20)): Account(rng.randrange(1000), rng.randrange(9))
                    for _ in range(rng.randrange(3))}
        if kind != "no account":
            accounts[wallet.address] = Account(balance, nonce)
        chain_id = rng.choice([GENESIS.chain_id, "lab03-企业链", f"lab03-{rng.randrange(1000)}"])
        recipient = rng.choice([*accounts, encode_address(rng.randbytes(20)), testing.make_wallet(
            rng.randrange(10**6), suite).address])
        name = say(f"{suite} 链上，付款人持有 {balance}、序号 {nonce}"
                   + ("（没有账户）" if kind == "no account" else "") + f"，转 {amount}、手续费 {fee}",
                   f"on a {suite} chain, a sender holding {balance} at nonce {nonce}"
                   + (" (no account)" if kind == "no account" else "") + f" sends {amount}, fee {fee}")
        cases.append((name, seed, wallet, accounts, chain_id, recipient, amount, fee))
    inputs = [[seed, wallet.suite_name, accounts, chain_id, recipient, amount, fee]
              for _, seed, wallet, accounts, chain_id, recipient, amount, fee in cases]

    def check(results: list[Any]) -> None:
        _count(results, cases, say)
        for (name, _, wallet, accounts, chain_id, recipient, amount, fee), found in zip(cases, results,
                                                                                         strict=True):
            held = accounts.get(wallet.address, NOBODY)
            if held.balance < amount + fee:
                if isinstance(found, Raised):
                    expect(found.kind == "ValueError",
                           say(f"{name}：应抛出 ValueError，你的函数抛出了 {_shown(found)}",
                               f"{name}: it should raise ValueError; your function raised {_shown(found)}"))
                    continue
                tx = rebuilt(found, say)
                _, error = _applied(accounts, tx, MINER.address, wallet.suite_name)
                refused = say(f"，minichain 拒绝它 [{error.rule}] {error}" if error else "",
                              f", minichain refuses it [{error.rule}] {error}" if error else "")
                expect(False, say(f"{name}：你签出了这笔转账{refused[:200]}；应当在签名之前抛出 ValueError",
                                  f"{name}: you sign it{refused[:200]}; raise ValueError before signing"),
                       hint=say("比较 state.balance(wallet.address) 与金额 + 手续费：手续费也要付。",
                                "compare state.balance(wallet.address) with amount + fee: the fee is paid "
                                "too."))
            if isinstance(found, Raised):
                expect(False, say(f"{name}：付得起，你的函数却抛出了 {_shown(found)}",
                                  f"{name}: affordable, but your function raised {_shown(found)}"),
                       hint=say("余额等于金额加手续费时是付得起的（>=）。",
                                "a balance equal to amount + fee is enough (>=).")
                       if held.balance == amount + fee else "")
            tx = rebuilt(found, say)
            genesis = testing.make_genesis(suite=wallet.suite_name, chain_id=chain_id, funded=[wallet])
            refusal: MinichainError | None = None
            try:
                validate_transaction(tx, genesis)
            except MinichainError as invalid:
                refusal = invalid
            if refusal is None:
                _, refusal = _applied(accounts, tx, MINER.address, wallet.suite_name)
            if refusal is not None:
                rule, cause = refusal.rule, str(refusal)[:200]
                expect(False, say(f"{name}：minichain 拒绝你的转账：[{rule}] {cause}",
                                  f"{name}: minichain refuses your transfer: [{rule}] {cause}"),
                       hint=say(*TRANSFER_HINTS[rule]) if rule in TRANSFER_HINTS else "")
            got = (_who(tx.sender), _who(tx.recipient), tx.amount, tx.fee, tx.nonce)
            want = (_who(wallet.address), _who(recipient), amount, fee, held.nonce)
            expect(got == want, say(f"{name}：（付款人, 收款人, 金额, 手续费, 序号）应为 {want}，"
                                    f"你的转账是 {got}",
                                    f"{name}: (sender, recipient, amount, fee, nonce) should be {want}, "
                                    f"your transfer has {got}"))
    return inputs, check


# --- exercise 2: the account model's rule ---------------------------------------------------------


@judge("ex2_hidden")
def apply_transaction(rng: random.Random, say: Say) -> tuple[Any, Any]:
    steps: list[tuple[str, str, dict[str, Account], Transaction, str]] = []
    accounts = {w.address: Account(rng.randrange(60, 160), rng.randrange(3))
                for w in (ALICE, BOB, CAROL, DAVE)}

    def balance(w: Wallet) -> int:
        return accounts.get(w.address, NOBODY).balance

    def nonce(w: Wallet) -> int:
        return accounts.get(w.address, NOBODY).nonce

    def step(name: tuple[str, str], tx: Transaction, hint: tuple[str, str] = ("", ""),
             producer: str = MINER.address) -> None:
        nonlocal accounts
        steps.append((say(*name), say(*hint), dict(accounts), tx, producer))
        after, _ = _applied(accounts, tx, producer)
        if after is not None:
            accounts = after

    def fee() -> int:
        return rng.randrange(1, 5)

    paid = _transfer(ALICE, BOB.address, rng.randrange(1, balance(ALICE) // 2), nonce(ALICE), fee())
    step(("付款", "pay"), paid,
         ("付款人：余额减去金额和手续费，序号加 1；收款人：加上金额；出块者：加上手续费",
          "sender: balance - amount - fee, nonce + 1; recipient: + amount; producer: + fee"))
    step(("重放同一笔付款", "the same payment replayed"), paid,
         ("序号已经用过：Rejected(\"tx-nonce\")", "the nonce is used already: Rejected(\"tx-nonce\")"))
    step(("跳号", "a gap"), _transfer(ALICE, BOB.address, 1, nonce(ALICE) + rng.randrange(1, 4)),
         ("序号必须正好等于付款人的序号", "the nonce must be exactly the sender's"))
    step(("透支", "an overdraft"),
         _transfer(BOB, CAROL.address, balance(BOB) + rng.randrange(1, 50), nonce(BOB)),
         ("付款人持有的少于金额：Rejected(\"tx-balance\")", "the sender holds less than the amount: "
          "Rejected(\"tx-balance\")"))
    f = fee()
    step(("手续费让它超出余额", "fee tips it over"),
         _transfer(BOB, CAROL.address, balance(BOB), nonce(BOB), f),
         ("付款人必须持有金额加手续费", "the sender must hold amount + fee"))
    step(("正好付得起", "exactly affordable"),
         _transfer(BOB, CAROL.address, balance(BOB) - f, nonce(BOB), f),
         ("余额等于金额加手续费时是付得起的（>=）", "a balance equal to amount + fee is enough (>=)"))
    to_self = ("收款人可能就是付款人：在更新付款人之后再读取收款人",
               "the recipient may be the sender: read the recipient after updating the sender")
    step(("付给自己", "to self"), _transfer(CAROL, CAROL.address, rng.randrange(1, balance(CAROL) // 2),
                                            nonce(CAROL), fee()), to_self)
    f = fee()
    step(("付给自己，多出 1", "to self, one more than held"),
         _transfer(CAROL, CAROL.address, balance(CAROL) - f + 1, nonce(CAROL), f),
         ("付给自己也要先持有金额加手续费", "paying oneself still needs amount + fee first"))
    step(("付给自己，全部", "to self, all of it"), _transfer(CAROL, CAROL.address, balance(CAROL) - f,
                                                        nonce(CAROL), f), to_self)
    step(("付给一个新账户", "to a new account"), _transfer(CAROL, NEWCOMER.address, rng.randrange(1, 20),
                                                    nonce(CAROL)),
         ("不在 accounts 里的地址是 Account(0, 0)", "a missing address is Account(0, 0)"))
    stranger = testing.make_wallet(f"judge-{rng.randrange(10**6)}")
    step(("没有账户的付款人", "a sender with no account"), _transfer(stranger, ALICE.address, 1, 0),
         ("不在 accounts 里的地址是 Account(0, 0)：余额 0 付不起", "a missing address is Account(0, 0): "
          "a balance of 0 cannot pay"))
    step(("出块者付款", "the producer pays"), _transfer(MINER, DAVE.address, 1, nonce(MINER), 1),
         ("出块者可能就是付款人：手续费回到它自己",
          "the producer may be the sender: the fee comes back to it"))
    step(("付给出块者", "paying the producer"), _transfer(ALICE, MINER.address, rng.randrange(1, 10),
                                                      nonce(ALICE), fee()),
         ("出块者可能就是收款人：金额和手续费都归它",
          "the producer may be the recipient: it gets amount and fee"))
    spent = rng.randrange(balance(ALICE) // 2, balance(ALICE) - 4)
    first = _transfer(ALICE, DAVE.address, spent, nonce(ALICE), 1)
    step(("花掉一笔钱", "a spend"), first)
    step(("同一序号再花一次（双花）", "the same nonce spent again (a double spend)"),
         _transfer(ALICE, CAROL.address, spent, first.nonce, 2),
         ("同一序号只能用一次", "a nonce is used once"))
    step(("同一笔钱，下一个序号", "the same coins, the next nonce"),
         _transfer(ALICE, CAROL.address, spent, first.nonce + 1, 1))
    step(("手续费为 0", "fee 0"),
         _transfer(DAVE, ALICE.address, rng.randrange(1, balance(DAVE)), nonce(DAVE)),
         ("没有手续费时出块者什么也得不到", "with no fee the producer gets nothing"))
    newcomer_producer = testing.make_wallet(f"judge-{rng.randrange(10**6)}").address
    step(("出块者是新账户", "a producer with no account yet"),
         _transfer(BOB, DAVE.address, 1, nonce(BOB), fee()) if balance(BOB) >= 5
         else _transfer(DAVE, BOB.address, 1, nonce(DAVE), 1),
         ("出块者也可能不在 accounts 里", "the producer may be missing from accounts too"),
         producer=newcomer_producer)
    wallets = [ALICE, BOB, CAROL, DAVE, NEWCOMER]
    for i in range(50):
        sender, recipient = rng.choice(wallets), rng.choice(wallets)
        held = accounts.get(sender.address, NOBODY)
        tx = _transfer(sender, recipient.address, rng.randrange(1, held.balance + 4),
                       max(0, held.nonce + rng.choice([-1, 0, 0, 0, 0, 1])), rng.randrange(0, 4))
        step((f"随机第 {i} 笔：{_who(sender.address)} 付给 {_who(recipient.address)}",
              f"random #{i}: {_who(sender.address)} pays {_who(recipient.address)}"), tx,
             producer=rng.choice([MINER.address, sender.address, recipient.address]))
    inputs = [[before, tx, producer] for _, _, before, tx, producer in steps]

    def check(results: list[Any]) -> None:
        _count(results, steps, say)
        for (name, hint, before, tx, producer), found in zip(steps, results, strict=True):
            after, error = _applied(before, tx, producer)
            who, to, by = _who(tx.sender), _who(tx.recipient), _who(producer)
            what = say(f"{name}（{who} 付给 {to} {tx.amount}、手续费 {tx.fee}、序号 {tx.nonce}，"
                       f"出块者 {by}）",
                       f"{name} ({who} pays {to} {tx.amount}, fee {tx.fee}, nonce {tx.nonce}, producer {by})")
            if isinstance(found, Raised):
                expect(found.kind == "Rejected",
                       say(f"{what}：apply_transaction 抛出了 {_shown(found)}",
                           f"{what}: apply_transaction raised {_shown(found)}"),
                       hint=say("不在 accounts 里的地址是 Account(0, 0)；规则不满足时抛出 Rejected(rule)。",
                                "a missing address is Account(0, 0); a broken rule raises Rejected(rule)."))
                if error is None:
                    expect(False, say(f"{what}：你拒绝了它 [{found.rule}]，minichain 执行了它",
                                      f"{what}: you refuse it [{found.rule}], minichain applies it"),
                           hint=hint)
                    continue
                cause = str(error)[:160]
                expect(found.rule == error.rule,
                       say(f"{what}：规则编号应为 {error.rule}（minichain：{cause}），你给出 {found.rule!r}",
                           f"{what}: the rule id is {error.rule} (minichain: {cause}); you give "
                           f"{found.rule!r}"),
                       hint=hint)
                continue
            expect(type(found) is list and len(found) == 2,
                   say(f"{what}：结果的形式不对：{_shown(found)}", f"{what}: a result of the wrong shape: "
                       f"{_shown(found)}"))
            yours, given = found
            expect(given == before, say(f"{what}：你修改了传入的 accounts：请返回一个新字典",
                                        f"{what}: you changed the accounts you were given: return a new "
                                        "dict"),
                   hint=say("new = dict(accounts)，只改 new。", "new = dict(accounts), and change only new."))
            if after is None or error is not None:
                expect(False, say(f"{what}：你执行了它，minichain 拒绝 [{error.rule if error else ''}] "
                                  f"{str(error)[:160]}",
                                  f"{what}: you apply it, minichain refuses [{error.rule if error else ''}] "
                                  f"{str(error)[:160]}"), hint=hint)
                continue
            expect(type(yours) is dict, say(f"{what}：apply_transaction 应返回一个 dict，却返回了 "
                                            f"{_shown(yours)}",
                                            f"{what}: apply_transaction should return a dict, it returns "
                                            f"{_shown(yours)}"))
            for address in sorted(set(yours) | set(after), key=str):
                mine, right = yours.get(address, NOBODY), after.get(address, NOBODY)
                whose = _who(str(address))
                expect(type(mine) is Account and mine == right,
                       say(f"{what}：{whose} 的账户应为 {right}（minichain 算出），你给出 {_shown(mine)}",
                           f"{what}: {whose}'s account should be {right} (as minichain applies it); you give "
                           f"{_shown(mine)}"), hint=hint)
    return inputs, check


# --- exercise 3: fill a block ----------------------------------------------------------------------


def _the_rules(pending: list[Transaction], state: State) -> list[Transaction]:
    """What the text's four rules keep of `pending` on `state`."""
    best: dict[tuple[str, int], Transaction] = {}
    for tx in pending:
        key = (tx.sender, tx.nonce)
        if key not in best or tx.fee > best[key].fee:
            best[key] = tx
    kept = []
    for sender in dict.fromkeys(tx.sender for tx in pending):
        nonce, balance = state.nonce(sender), state.balance(sender)
        while (sender, nonce) in best and best[(sender, nonce)].cost <= balance:
            balance -= best[(sender, nonce)].cost
            kept.append(best[(sender, nonce)])
            nonce += 1
    return kept


def _chain_after(payments: list[Transaction]) -> Chain:
    """The notebook's chain with one mined block of `payments` (so that some nonces are not 0)."""
    chain = Chain(GENESIS)
    if payments:
        testing.produce_block(chain, payments, producer=MINER)
    return chain


def _named(pool: list[Transaction], say: Say) -> dict[bytes, str]:
    """A short name for each transaction of the pool: who, which nonce, what fee."""
    names: dict[bytes, str] = {}
    for tx in pool:
        who = _who(tx.sender)
        name = say(f"{who} 序号 {tx.nonce} 手续费 {tx.fee}", f"{who} {tx.nonce}, fee {tx.fee}")
        if name in names.values():
            name += say(f" 金额 {tx.amount}", f", amount {tx.amount}")
        names[tx.txid] = name
    return names


def _random_round(rng: random.Random) -> tuple[Chain, list[Transaction]]:
    chain = _chain_after([_transfer(w, MINER.address, rng.randrange(1, 40), 0) for w in (ALICE, BOB, CAROL)
                          if rng.random() < 0.7])
    pool = []
    for w in (ALICE, BOB, CAROL, DAVE):
        start = chain.state.nonce(w.address)
        for n in range(max(0, start - 1), start + 4):
            if rng.random() < 0.8:
                for f in rng.sample(range(8), 2 if rng.random() < 0.3 else 1):
                    to = rng.choice([ALICE, BOB, CAROL, DAVE]).address
                    pool.append(_transfer(w, to, rng.randrange(1, 45), n, f))
    rng.shuffle(pool)
    return chain, pool


def _the_text_pool() -> tuple[Chain, list[Transaction]]:
    """The notebook's pool cell: alice has sent one payment; a replay, a double spend, a gap, an overdraft."""
    chain = _chain_after([_transfer(ALICE, BOB.address, 10, 0)])
    return chain, [
        _transfer(ALICE, BOB.address, 10, 0), _transfer(ALICE, CAROL.address, 20, 1, 1),
        _transfer(ALICE, DAVE.address, 50, 2, 1), _transfer(ALICE, BOB.address, 40, 2, 5),
        _transfer(ALICE, BOB.address, 20, 3, 1), _transfer(BOB, ALICE.address, 60, 0, 2),
        _transfer(BOB, ALICE.address, 200, 1, 2), _transfer(BOB, ALICE.address, 1, 2),
        _transfer(CAROL, DAVE.address, 5, 1), _transfer(DAVE, CAROL.address, 100, 0),
    ]


def _tricky(rng: random.Random) -> tuple[Chain, list[Transaction]]:
    """A double spend whose higher fee the sender cannot pay; coins received in the same block; a long run."""
    chain = _chain_after([])
    low, high = rng.randrange(0, 3), rng.randrange(3, 8)
    return chain, [
        _transfer(ALICE, BOB.address, 100 - high, 0, low),        # affordable, but not the highest fee
        _transfer(ALICE, CAROL.address, 101 - high, 0, high),     # the highest fee: one unit too much
        _transfer(BOB, CAROL.address, 30, 0, 1), _transfer(BOB, DAVE.address, 69, 1, 0),
        _transfer(BOB, DAVE.address, 1, 2, 0),                    # bob has spent all 100 by now
        _transfer(DAVE, CAROL.address, 90, 0, rng.randrange(3)),
        *[_transfer(CAROL, DAVE.address, rng.randrange(1, 30), n, rng.randrange(3)) for n in range(5)],
    ]


@judge("ex3_hidden")
def fill_block(rng: random.Random, say: Say) -> tuple[Any, Any]:
    text_chain, text_pool = _the_text_pool()
    cases: list[tuple[str, Chain, list[Transaction]]] = [
        (say("本文的交易池", "the text's pool"), text_chain, text_pool),
        (say("本文的交易池，倒序到达", "the text's pool, arriving in reverse"), text_chain, text_pool[::-1]),
        (say("空的交易池", "an empty pool"), text_chain, []),
        (say("更高手续费的那笔付不起；同一区块里收到的款",
             "the higher fee unaffordable; coins received in the same block"), *_tricky(rng)),
    ]
    for i in range(8):
        cases.append((say(f"随机交易池 #{i}", f"random pool #{i}"), *_random_round(rng)))
    inputs = [[pool, dict(chain.state.items())] for _, chain, pool in cases]

    def check(results: list[Any]) -> None:
        _count(results, cases, say)
        for (name, chain, pool), found in zip(cases, results, strict=True):
            judge_block(name, chain, pool, found, say)
    return inputs, check


def judge_block(name: str, chain: Chain, pool: list[Transaction], found: Any, say: Say) -> None:
    """The learner's block against the text's rules, and minichain's validation of a block holding
    exactly that list, in that order."""
    by_id = {tx.txid: tx for tx in pool}
    names = _named(pool, say)
    expect(not isinstance(found, Raised), say(f"{name}：fill_block 抛出了 {_shown(found)}",
                                              f"{name}: fill_block raised {_shown(found)}"))
    kind = found.kind if isinstance(found, Unsupported) else type(found).__name__
    expect(type(found) is list, say(f"{name}：fill_block 应返回一个 list，却返回了一个 {kind}",
                                    f"{name}: fill_block should return a list, it returns a {kind}"))
    for item in found:
        expect(type(item) is bytes and item in by_id,
               say(f"{name}：你返回了池中没有的东西：{_shown(item)}",
                   f"{name}: you return something that is not in the pool: {_shown(item)}"),
               hint=say("只返回池里的交易对象本身。", "return only the pool's own transaction objects."))
    listed = [names[txid] for txid in found]
    for item in listed:
        times = listed.count(item)
        expect(times == 1, say(f"{name}：{item} 在你的列表中出现了 {times} 次",
                               f"{name}: {item} appears {times} times in your list"))
    chosen = [by_id[txid] for txid in found]
    want = [names[tx.txid] for tx in _the_rules(pool, chain.state)]
    _, refused = chain.build_block(chosen, MINER.address, chain.tip.timestamp + 10)
    problems: list[str] = []
    hints: dict[str, tuple[str, str]] = {}
    blamed = set()
    for tx, error in refused:
        blamed.add(names[tx.txid])
        problems.append(say(f"{names[tx.txid]}：你收录了它，minichain 拒绝 [{error.rule}]",
                            f"{names[tx.txid]}: you include it, minichain refuses [{error.rule}]"))
        hints[error.rule] = HINTS.get(error.rule, HINTS["extra"])
    for item in sorted(set(listed) - set(want) - blamed):
        problems.append(say(f"{item}：minichain 会接受它，但按本文的规则不应收录",
                            f"{item}: minichain would take it, but the rules above leave it out"))
        hints["extra"] = HINTS["extra"]
    for item in sorted(set(want) - set(listed)):
        problems.append(say(f"{item}：你漏掉了它，它可以进入区块",
                            f"{item}: you leave it out, but it can go in"))
        hints["missing"] = HINTS["missing"]
    more = len(problems) - 3
    expect(not problems, say(f"{name}：", f"{name}: ") + say("；", "; ").join(problems[:3])
           + (say(f"（另有 {more} 处）", f" (and {more} more)") if more > 0 else "")
           + say(f"\n你的区块：{listed}\n应当收录：{sorted(want)}",
                 f"\nyour block: {listed}\nthe rules keep: {sorted(want)}"),
           hint=" ".join(say(*hint) for hint in hints.values()))


HINTS: dict[str, tuple[str, str]] = {
    "tx-nonce": ("同一付款人的交易按序号排列，从 state.nonce(sender) 开始："
                 "用过的序号是重放，缺了一个就停下。",
                 "one sender's transactions go in nonce order from state.nonce(sender): a used nonce is a "
                 "replay, and a missing one stops the sender."),
    "tx-balance": ("手续费也要算进去：遇到第一笔付不起（金额 + 手续费）的交易，就停下这个付款人。",
                   "count the fee: stop a sender at the first transaction it cannot pay (amount + fee)."),
    "extra": ("同一序号的几笔只保留手续费最高的一笔（它付不起时这个付款人就停下）；"
              "同一区块里收到的款不计入。",
              "of several with one nonce keep only the highest fee (if it is unaffordable, the sender "
              "stops); payments received in the same block do not count."),
    "missing": ("只在缺失的序号或付不起的交易处停下；每个付款人都要看。",
                "stop only at a missing nonce or an unaffordable transaction, and go through every sender."),
}
