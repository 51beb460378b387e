"""Lab 7 · Attacks on proof of work: the judges of the build notebook's hidden tests (instructors only).

Each judge makes its inputs from the seed of this grading run and checks what the learner's function
returned for them, here in the grader's process, with a pristine minichain (grader/judging.py): the
merchant's node and the honest node that judge the attacker's blocks are built here, never in the
kernel. The notebook's hidden cells only run the learner's function and send back plain data
(labkit.probe); a float crosses as ["float", repr(value)], the channel carrying no floats.
"""

from __future__ import annotations

import math
import random
from typing import Any

from grader.judging import Say, expect, judge
from labkit.wire import Raised
from minichain import Block, Chain, MinichainError, NodeConfig, NodeCore, validate_transaction
from minichain.node import Ban, Blocks, Hello
from minichain.testing import make_genesis, make_wallet, produce_block

# The notebook's set-up, rebuilt here: the same seeds give the same keys, genesis and payments.
ALICE, ALICE_2, MERCHANT = make_wallet("alice"), make_wallet("alice-2"), make_wallet("merchant")
HONEST_MINERS, ATTACKER = make_wallet("honest-miners"), make_wallet("attacker")
GENESIS = make_genesis("pow", difficulty_bits=8, retarget_window=1000, funded=[ALICE])
PAYMENT = ALICE.transfer(GENESIS.chain_id, MERCHANT.address, 1000, 0, fee=1)
REFUND = ALICE.transfer(GENESIS.chain_id, ALICE_2.address, 1000, 0, fee=1)


def _count(results: list[Any], cases: list[Any], say: Say) -> None:
    expect(len(results) == len(cases), say(f"应有 {len(cases)} 个结果，收到 {len(results)} 个",
                                           f"expected {len(cases)} results, got {len(results)}"))


def _raised(found: Any, say: Say) -> str:
    return say(f"你的函数抛出了 {found!r}", f"your function raised {found!r}")


def _number(found: Any) -> float | None:
    """A number as the probe sends it: ["float", repr] for a float, an int as it is (not a bool)."""
    if type(found) is int:
        return float(found)
    if type(found) is list and len(found) == 2 and found[0] == "float" and type(found[1]) is str:
        try:
            return float(found[1])
        except ValueError:
            return None
    return None


def _shown(found: Any) -> str:
    if type(found) is list and not (len(found) == 2 and found[0] == "float"):
        kinds = sorted({type(item).__name__ for item in found})
        return f"[{len(found)} × {' | '.join(kinds) or '-'}]"
    if type(found) is Raised:
        return repr(found)[:200]
    if type(found) is list and len(found) == 2 and found[0] == "float":
        return str(found[1])[:30]
    return repr(found)[:60]


def _verdict(action: Any, *args: Any) -> str | None:
    """None if action(*args) goes through, else "[rule] message" of the minichain error it raises."""
    try:
        action(*args)
    except MinichainError as error:
        return f"[{getattr(error, 'rule', type(error).__name__)}] {str(error)[:200]}"
    return None


# --- exercise 1: can the attacker catch up? ----------------------------------------------------------


def _nakamoto(q: float, z: int, *, over_p: bool = True, top: int | None = None) -> float:
    """Section 11 of the Bitcoin paper; the keywords give the usual slips, for the hints."""
    if q >= 0.5:
        return 1.0
    p = 1 - q
    lam = z * q / p if over_p else z * q
    total = 1.0
    for k in range((z if top is None else top) + 1):
        total -= math.exp(-lam) * lam ** k / math.factorial(k) * (1 - (q / p) ** (z - k))
    return total


TABLE = {0.1: range(0, 11), 0.3: range(0, 51, 5)}   # the paper's table


@judge("ex1_hidden")
def catch_up_probability(rng: random.Random, say: Say) -> tuple[Any, Any]:
    pairs = [(q, z) for q, zs in TABLE.items() for z in zs]
    pairs += [(round(rng.uniform(0.01, 0.49), 3), rng.randrange(0, 60)) for _ in range(12)]
    pairs += [(0.5, rng.randrange(1, 30)), (0.45, 0), (round(rng.uniform(0.001, 0.05), 3), 1)]
    # a majority: the formula, wrongly applied, strays from 1 most for a slight majority a few blocks behind
    pairs += [(round(rng.uniform(0.51, 0.7), 2), rng.randrange(1, 8)) for _ in range(3)]
    pairs += [(round(rng.uniform(0.7, 0.95), 2), rng.randrange(1, 30))]
    rng.shuffle(pairs)
    cases = [[repr(q), z] for q, z in pairs]

    def check(results: list[Any]) -> None:
        _count(results, cases, say)
        for (q, z), found in zip(pairs, results, strict=True):
            right = _nakamoto(q, z)
            value = _number(found)
            if value is not None and abs(value - right) <= 1e-9:
                continue
            if q >= 0.5:
                hint = say("q >= 0.5 时直接返回 1.0：多数算力总能追上，公式只对 q < p 成立。",
                           "return 1.0 when q >= 0.5: a majority always catches up, and the formula holds "
                           "only for q < p.")
            elif value is not None and abs(value - _nakamoto(q, z, over_p=False)) <= 1e-9:
                hint = say("λ = z * q / p，不是 z * q。", "λ = z * q / p, not z * q.")
            elif value is not None and z > 0 and abs(value - _nakamoto(q, z, top=z - 1)) <= 1e-9:
                hint = say("k 要从 0 一直取到 z（包括 z）。", "k runs from 0 up to and including z.")
            else:
                hint = say("从 1.0 开始，对 k = 0..z 减去 λ^k e^(-λ) / k! · (1 - (q/p)^(z-k))。",
                           "start from 1.0 and subtract, for k = 0..z, λ^k e^(-λ) / k! · (1 - (q/p)^(z-k)).")
            expect(False, say(f"q = {q}，z = {z}：攻击者追上的概率是 {right:.10g}，你的函数给出 "
                              f"{_shown(found)}",
                              f"q = {q}, z = {z}: the attacker catches up with probability {right:.10g}; "
                              f"your function gives {_shown(found)}"), hint=hint)
    return cases, check


# --- exercise 2: the double spend --------------------------------------------------------------------


def _add(chain: Chain, block: Block, updates: list[Any]) -> None:
    updates.append(chain.add_block(block))


def _merchant_chain(confirmations: int) -> Chain:
    """The notebook's merchant_chain: the payment in block 1, then more honest blocks on top."""
    chain = Chain(GENESIS)
    produce_block(chain, [PAYMENT], producer=HONEST_MINERS)
    for _ in range(confirmations - 1):
        produce_block(chain, producer=HONEST_MINERS)
    return chain


@judge("ex2_hidden")
def private_branch(rng: random.Random, say: Say) -> tuple[Any, Any]:
    plans = []                                         # (branch length, the merchant's confirmations)
    for extra in (0, 1, 2):
        confirmations = rng.randrange(1, 4)
        plans.append((confirmations + extra, confirmations))
    plans.append((1, rng.randrange(2, 4)))             # shorter than the merchant's chain
    rng.shuffle(plans)
    cases = [length for length, _ in plans]

    def check(results: list[Any]) -> None:
        _count(results, cases, say)
        for (length, confirmations), found in zip(plans, results, strict=True):
            call = f"private_branch({length})"
            if type(found) is Raised:
                expect(False, f"{call}: " + _raised(found, say))
            expect(type(found) is list and len(found) == length and all(type(b) is Block for b in found),
                   say(f"{call} 应返回 {length} 个区块的列表，实际是 {_shown(found)}",
                       f"{call} returns a list of {length} blocks; found {_shown(found)}"))
            heights = [b.header.height for b in found]
            expect(heights == list(range(1, length + 1)),
                   say(f"{call}：区块的高度应为 {list(range(1, length + 1))}，实际是 {heights}",
                       f"{call}: the blocks' heights are {list(range(1, length + 1))}; found {heights}"),
                   hint=say("把每个挖好的区块加到你的链上，下一个才会接在它后面。",
                            "add each mined block to your chain, so the next one builds on it."))
            txids = [[tx.txid for tx in b.transactions] for b in found]
            expect(txids == [[REFUND.txid]] + [[]] * (length - 1),
                   say(f"{call}：第一个区块应只装 REFUND，其余区块为空；实际每个区块的交易数是 "
                       f"{[len(t) for t in txids]}",
                       f"{call}: the first block holds REFUND alone and the others nothing; found "
                       f"{[len(t) for t in txids]} transactions per block"),
                   hint=say("REFUND 只放在第一个区块里：再放一次就是重复使用交易序号 0。",
                            "REFUND goes in the first block only: again would reuse nonce 0."))
            fresh = Chain(GENESIS)
            for index, block in enumerate(found, start=1):
                refused = _verdict(fresh.add_block, block)
                expect(refused is None, say(f"{call}：一个新节点拒绝了你的第 {index} 个区块：{refused}",
                                            f"{call}: a fresh node refuses your block {index}: {refused}"),
                       hint=say("用 chain.build_block 构造、chain.engine.mine 挖出区块头，再组成 Block。",
                                "build with chain.build_block, mine the header with chain.engine.mine, then "
                                "make the Block."))
            merchant = _merchant_chain(confirmations)
            updates: list[Any] = []
            for index, block in enumerate(found, start=1):
                refused = _verdict(_add, merchant, block, updates)
                expect(refused is None, say(f"{call}：商户的节点拒绝了你的第 {index} 个区块：{refused}",
                                            f"{call}: the merchant's node refuses your block {index}: "
                                            f"{refused}"))
            statuses = [u.status for u in updates]
            where = say(f"商户的链有 {confirmations} 个区块，你的分支有 {length} 个",
                        f"the merchant's chain has {confirmations} blocks, your branch {length}")
            balance = merchant.state.balance(MERCHANT.address)
            if length <= confirmations:
                expect("reorg" not in statuses and balance == 1000,
                       where + say(f"：不够长，商户应保留它先看到的分支，余额 1000；实际状态 {statuses}，余额"
                                   f" {balance}",
                                   ": not longer, so the merchant keeps the branch it saw first, with 1000; "
                                   f"found {statuses}, balance {balance}"))
                continue
            reorgs = [u for u in updates if u.status == "reorg"]
            taken = [tx.txid for b in reorgs[0].disconnected for tx in b.transactions] if reorgs else []
            expect(len(reorgs) == 1 and balance == 0 and
                   merchant.state.balance(ALICE_2.address) == 1000 and taken == [PAYMENT.txid],
                   where + say("：更长的分支应让商户的节点重组、撤回 PAYMENT（商户余额 0，ALICE 第二个钱包 "
                               f"1000）；实际状态 {statuses}，商户余额 {balance}",
                               ": the longer branch makes the merchant's node reorganise and take PAYMENT "
                               f"back (merchant 0, ALICE's second wallet 1000); found {statuses}, merchant "
                               f"{balance}"))
    return cases, check


# --- exercise 3: the fake longer chain ---------------------------------------------------------------


def _honest_node(blocks: int) -> NodeCore:
    """The notebook's honest_node: `blocks` honest blocks, greeted by a peer boasting a heavier chain."""
    chain = Chain(GENESIS)
    for _ in range(blocks):
        produce_block(chain, producer=HONEST_MINERS)
    node = NodeCore(GENESIS, NodeConfig("honest"), chain=chain)
    boast = Hello(GENESIS.chain_id, chain.genesis_hash, "attacker", 50, bytes(32), 2 ** 40)
    node.receive("attacker", boast, float(GENESIS.timestamp + 100))
    return node


@judge("ex3_hidden")
def forge_chain(rng: random.Random, say: Say) -> tuple[Any, Any]:
    # forge_chain takes no input: its blocks are judged by the text's honest node of 3 blocks (a shorter
    # honest chain would rightly lose to the three valid forged blocks), built here

    def check(found: Any) -> None:
        if type(found) is Raised:
            expect(False, "forge_chain(): " + _raised(found, say))
        expect(type(found) is list and len(found) == 4 and all(type(b) is Block for b in found),
               say(f"forge_chain() 应返回 4 个区块的列表（比诚实的 3 个多），实际是 {_shown(found)}",
                   "forge_chain() returns a list of 4 blocks (more than the honest three); found "
                   f"{_shown(found)}"))
        chain = Chain(GENESIS)
        for index, block in enumerate(found[:3], start=1):
            refused = _verdict(chain.add_block, block)
            expect(refused is None, say(f"一个新节点拒绝了你的第 {index} 个区块：{refused}",
                                        f"a fresh node refuses your block {index}: {refused}"),
                   hint=say("前三个区块用 produce_block(chain, producer=ATTACKER) 挖出。",
                            "mine the first three with produce_block(chain, producer=ATTACKER)."))
        last = found[3]
        expect(len(last.transactions) == 1, say("第 4 个区块应装 1 笔交易（偷窃的转账），实际有 "
                                                f"{len(last.transactions)} 笔",
                                                "block 4 holds one transaction (the theft); found "
                                                f"{len(last.transactions)}"))
        theft = last.transactions[0]
        shape = (theft.sender, theft.recipient, theft.amount, theft.nonce)
        expect(shape == (ALICE.address, ATTACKER.address, 500_000, 0),
               say("偷窃转账的（发送方，接收方，金额，交易序号）应为 (ALICE, ATTACKER, 500000, 0)，实际是 "
                   f"{shape!r:.200}",
                   "the theft's (sender, recipient, amount, nonce) is (ALICE, ATTACKER, 500000, 0); found "
                   f"{shape!r:.200}"),
               hint=say("攻击者签一笔转给自己的转账，再用 dataclasses.replace 换上 ALICE 的公钥"
                        "（sender_key）。",
                        "the attacker signs a transfer to itself, then swaps in ALICE's public key "
                        "(sender_key) with dataclasses.replace."))
        signed = _verdict(lambda: validate_transaction(theft, GENESIS))
        expect(signed is not None and signed.startswith("[tx-signature]"),
               say(f"偷窃的转账应因签名被拒绝 [tx-signature]，minichain 说：{signed}",
                   f"the theft is refused for its signature [tx-signature]; minichain says: {signed}"),
               hint=say("你是攻击者，没有 ALICE 的私钥：不要用 ALICE 的钱包签名。",
                        "you are the attacker, without ALICE's private key: do not sign with ALICE's "
                        "wallet."))
        parent = chain.tip
        work = _verdict(lambda: chain.engine.check_seal(last.header, parent, chain))
        expect(work is None, say(f"第 4 个区块的工作量不真实：{work}",
                                 f"block 4's proof of work is not real: {work}"),
               hint=say("改好区块头（默克尔根）之后再挖矿：chain.engine.mine(header).header。",
                        "mine the header after changing it (its Merkle root): "
                        "chain.engine.mine(header).header."))
        refused = _verdict(lambda: chain.add_block(last))
        hints = {"[block-merkle-root]": say("区块头的 merkle_root 要换成 transactions_root((theft,), "
                                            "chain.suite)。",
                                            "the header's merkle_root is transactions_root((theft,), "
                                            "chain.suite)."),
                 "[unknown-parent]": say("第 4 个区块要接在你的第 3 个区块上：在 chain 的链头上构造模板。",
                                         "block 4 sits on your block 3: build the template on chain's tip.")}
        expect(refused is not None and refused.startswith("[tx-signature]"),
               say("一个节点收到你的第 4 个区块：唯一违反的应是签名规则 [tx-signature]，minichain "
                   f"说：{refused}",
                   "a node receiving your block 4: only the signature rule [tx-signature] may fail; "
                   f"minichain says: {refused}"),
               hint=next((h for rule, h in hints.items() if refused and refused.startswith(rule)), ""))
        node = _honest_node(3)
        tip, root = node.chain.tip_hash, node.chain.state.root()
        effects = node.receive("attacker", Blocks(tuple(found), False), float(GENESIS.timestamp + 101))
        bans = [e for e in effects if isinstance(e, Ban)]
        expect(bool(bans) and "[tx-signature]" in bans[0].reason,
               say("有 3 个区块的诚实节点收到你的链：应以 [tx-signature] 封禁发送者，实际封禁 "
                   f"{[b.reason[:80] for b in bans]}",
                   "an honest node of 3 blocks receiving your chain bans the sender for [tx-signature]; "
                   f"found bans {[b.reason[:80] for b in bans]}"))
        expect(node.chain.tip_hash == tip and node.chain.state.root() == root
               and node.chain.state.balance(ATTACKER.address) == 0,
               say("有 3 个区块的诚实节点：它的链和余额不应改变（攻击者余额 0）",
                   "the honest node of 3 blocks: its chain and balances stay as they were (the attacker "
                   "holds 0)"))
    return None, check


# --- exercise 4: selfish mining ----------------------------------------------------------------------


class _Recorder:
    """random.Random's .random(), writing down every number drawn."""

    def __init__(self, rng: random.Random, alpha: float, gamma: float) -> None:
        self.rng, self.edges = rng, [alpha, gamma]
        self.drawn: list[float] = []

    def random(self) -> float:
        # now and then exactly alpha or gamma: an equal draw is not "below" it
        value = self.rng.choice(self.edges) if self.rng.random() < 0.08 else self.rng.random()
        self.drawn.append(value)
        return value


def _selfish(alpha: float, gamma: float, rounds: int, rng: Any) -> tuple[int, int]:
    """Eyal and Sirer's table, one row at a time (the judge's own run)."""
    pool = others = lead = 0
    tie = False
    for _ in range(rounds):
        if rng.random() < alpha:
            if tie:
                pool, tie = pool + 2, False
            else:
                lead += 1
        elif tie:
            if rng.random() < gamma:
                pool, others = pool + 1, others + 1
            else:
                others += 2
            tie = False
        elif lead == 0:
            others += 1
        elif lead == 1:
            lead, tie = 0, True
        elif lead == 2:
            pool, lead = pool + 2, 0
        else:
            pool, lead = pool + 1, lead - 1
    return pool, others


def _formula(a: float, g: float) -> float:
    """The pool's share of the final chain, from the paper."""
    return (a * (1 - a) ** 2 * (4 * a + g * (1 - 2 * a)) - a ** 3) / (1 - a * (1 + (2 - a) * a))


POOL, HONEST, ON_POOL, ON_HONEST = 0.1, 0.9, 0.1, 0.9     # with alpha = gamma = 0.5
ROWS = [   # (what the script plays, in both languages), draws, rounds
    (("lead 为 1 时诚实矿工挖到：平局尚未分出", "an honest block at lead 1: an open tie"), [POOL, HONEST], 2),
    (("平局时诚实矿工挖到，接在矿池的分支上", "an honest block in a tie, on the pool's branch"),
     [POOL, HONEST, HONEST, ON_POOL], 3),
    (("平局时诚实矿工挖到，接在诚实的分支上", "an honest block in a tie, on the honest branch"),
     [POOL, HONEST, HONEST, ON_HONEST], 3),
    (("平局时矿池挖到", "the pool finds a block in a tie"), [POOL, HONEST, POOL], 3),
    (("lead 为 2 时诚实矿工挖到", "an honest block at lead 2"), [POOL, POOL, HONEST], 3),
    (("lead 为 4，诚实矿工连挖三个", "lead 4, then three honest blocks"), [POOL] * 4 + [HONEST] * 3, 7),
    (("藏着的区块不计", "secret blocks do not count"), [POOL] * 5, 5),
]


@judge("ex4_hidden")
def selfish_mining(rng: random.Random, say: Say) -> tuple[Any, Any]:
    scripts: list[tuple[str, float, float, list[float], int]] = []
    for (zh, en), draws, rounds in ROWS:
        scripts.append((say(zh, en), 0.5, 0.5, draws, rounds))
    for _ in range(6):
        alpha, gamma = rng.choice((0.2, 0.25, 0.3, 0.35, 0.4, 0.45)), rng.choice((0.0, 0.25, 0.5, 0.75, 1.0))
        rounds = rng.randrange(5, 40)
        recorder = _Recorder(rng, alpha, gamma)
        _selfish(alpha, gamma, rounds, recorder)
        scripts.append((say("一段随机的剧本", "a random script"), alpha, gamma, recorder.drawn, rounds))
    pairs = ((0.1, 0.0), (0.25, 0.0), (0.3, 0.5), (1 / 3, 0.0), (0.4, 0.0), (0.45, 1.0))
    seeded = [(alpha, gamma, 40_000, rng.randrange(10**6)) for alpha, gamma in pairs]
    cases: list[list[Any]] = [["script", repr(a), repr(g), rounds, [repr(d) for d in draws]]
                              for _, a, g, draws, rounds in scripts]
    cases += [["seed", repr(a), repr(g), rounds, seed] for a, g, rounds, seed in seeded]

    def check(results: list[Any]) -> None:
        _count(results, cases, say)
        played = results[:len(scripts)]
        for (what, alpha, gamma, draws, rounds), found in zip(scripts, played, strict=True):
            right = _selfish(alpha, gamma, rounds, _Script(draws))
            game = say(f"{what}：alpha = {alpha}，gamma = {gamma}，{rounds} 轮，随机数依次为 {_short(draws)}",
                       f"{what}: alpha = {alpha}, gamma = {gamma}, {rounds} rounds, drawing {_short(draws)}")
            if type(found) is Raised and found.kind == "LookupError" and "this game has" in found.message:
                expect(False, game + say(f"：你的函数取了超过 {len(draws)} 个随机数",
                                         f": your function drew more than {len(draws)} numbers"),
                       hint=say("每轮取一个；只有在平局时诚实矿工挖到区块，才再取一个（比较 gamma）。",
                                "one per round, plus one only when honest miners find a block during a tie "
                                "(against gamma)."))
            if type(found) is Raised:
                expect(False, game + say("：", ": ") + _raised(found, say))
            ok_shape = type(found) is list and len(found) == 2
            result, used = (found[0], found[1]) if ok_shape else (found, None)
            expect(type(result) is tuple and [type(n) for n in result] == [int, int] and result == right,
                   game + say(f"：按表应得 (pool, others) = {right}，你的函数给出 {_shown(result)}",
                              f": the table gives (pool, others) = {right}; your function gives "
                              f"{_shown(result)}"),
                   hint=say("逐行对照表格；rng.random() < alpha 表示矿池挖到（等于不算）；"
                            "结束时还藏着的区块不计。",
                            "follow the table row by row; rng.random() < alpha means the pool found it "
                            "(equal does not); blocks still secret at the end do not count."))
            expect(used == len(draws),
                   game + say(f"：应取 {len(draws)} 个随机数，你的函数取了 {used}",
                              f": the game draws {len(draws)} numbers; your function drew {used}"),
                   hint=say("每轮一个；平局中诚实矿工挖到区块时再取一个。",
                            "one per round, plus one when honest miners find a block during a tie."))
        for (alpha, gamma, rounds, seed), found in zip(seeded, results[len(scripts):], strict=True):
            right = _selfish(alpha, gamma, rounds, random.Random(seed))
            share = right[0] / sum(right)
            game = say(f"alpha = {alpha:.2f}，gamma = {gamma}，random.Random({seed}) 赛 {rounds} 轮",
                       f"alpha = {alpha:.2f}, gamma = {gamma}, {rounds} rounds of random.Random({seed})")
            expect(type(found) is tuple and [type(n) for n in found] == [int, int] and found == right,
                   game + say(f"：按表应得 (pool, others) = {right}（矿池份额 {share:.3f}，论文公式 "
                              f"{_formula(alpha, gamma):.3f}），你的函数给出 {_shown(found)}",
                              f": the table gives (pool, others) = {right} (the pool's share {share:.3f}, "
                              f"the paper's formula {_formula(alpha, gamma):.3f}); your function gives "
                              f"{_shown(found)}"),
                   hint=say("每轮恰好一个 rng.random()，平局中诚实矿工挖到时再取一个；其余按表处理。",
                            "exactly one rng.random() per round, one more when honest miners find a block in "
                            "a tie; the rest as the table says."))
    return cases, check


class _Script:
    """The scripted numbers again, for the judge's own run of a script."""

    def __init__(self, draws: list[float]) -> None:
        self.draws = iter(draws)

    def random(self) -> float:
        return next(self.draws)


def _short(draws: list[float]) -> str:
    shown = ", ".join(f"{d:.3g}" for d in draws[:12])
    return f"[{shown}{', …' if len(draws) > 12 else ''}]"
