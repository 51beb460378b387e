"""Lab 8 · A consortium chain: the judges of the build notebook's hidden tests (instructors only).

Each judge makes its inputs from the seed of this grading run: which organisations form the consortium
and in what order, the block time, the timestamps, the chains and who is online. The notebook's hidden
cells build the consortium's objects from those inputs in the learner's kernel, call the learner's
function and send back what it returned (labkit.probe). The judge checks that here, in the grader's
process, with a pristine minichain (grader/judging.py): its PoaEngine says whose slot a time is and
when a member's next turn comes, its Chain accepts or refuses a block and names the rule.
"""

from __future__ import annotations

import dataclasses
import random
from typing import Any

from grader.judging import Say, expect, judge
from labkit.wire import Raised, Unsupported
from minichain import (
    DEFAULT_SUITE,
    AuthoritySeal,
    Block,
    Chain,
    Genesis,
    MinichainError,
    PoaEngine,
    Transaction,
    get_suite,
    make_genesis_block,
    poa_signing_bytes,
)
from minichain.testing import GENESIS_TIME, make_genesis, make_wallet, produce_block

# The notebook's organisations (its set-up cell makes their wallets from these seeds) and three more.
ORGS = {"org-customs": ("海关", "Customs"), "org-tax": ("税务局", "Tax Bureau"),
        "org-port": ("港务局", "Port Authority"), "org-bank": ("银行", "Bank"),
        "org-logistics": ("物流公司", "Logistics Co."), "org-insurer": ("保险公司", "Insurer"),
        "org-shipping": ("船公司", "Shipping Line"), "org-warehouse": ("仓储公司", "Warehouse")}
MEMBERS = ["org-customs", "org-tax", "org-port", "org-bank"]     # the notebook's four, in its order
ALL = list(ORGS)
CHAIN_ID = "trade-consortium"
MEMOS = ("", "报关费", "港口使用费（3 月）", "invoice 42", "保费 第二期", "仓储费 ☕")

# What a learner reads after a failed check, by the mistake that most likely caused it: (zh, en).
HINTS = {
    "todo": ("把 raise NotImplementedError() 换成你的代码，再运行这个单元格和下面的测试。",
             "replace raise NotImplementedError() with your code, then run the cell and the test below it."),
    "genesis": ("返回 Genesis(...)；名单和 allocations 里放成员的地址 member.address"
                "（不是公钥，也不是钱包）。",
                "return a Genesis(...); the list and the allocations hold member.address "
                "(not keys, not wallets)."),
    "chain_id": ("链的名称是 \"trade-consortium\"。", "the chain's name is \"trade-consortium\"."),
    "timestamp": ("用 GENESIS_TIME，不要用当前时间：每家成员的创世文件必须逐字节相同。",
                  "use GENESIS_TIME, never the current time: every member's genesis must be the same "
                  "bytes."),
    "suite": ("密码套件保持默认。", "leave the suite at its default."),
    "max_block_transactions": ("每块交易上限保持默认。", "leave the block size limit at its default."),
    "order": ("名单的顺序就是轮值顺序：保持给定的顺序，不要排序。",
              "the order is the rotation: keep the given order, do not sort."),
    "authorities": ("名单里放参数 members 里每家成员的地址 member.address，保持给定的顺序。",
                    "the list holds member.address of each wallet in the members argument, in the "
                    "given order."),
    "block_time": ("把参数 block_time 传给 PoaParams，不要写死。",
                   "pass the block_time argument on to PoaParams, do not fix it."),
    "block_reward": ("出块奖励保持默认（0）。", "leave the block reward at its default (0)."),
    "funded": ("只给参数 members 里的成员（不是别的名单），每家 1,000,000。",
               "fund exactly the members of the members argument (no other list), 1,000,000 each."),
    "sorted": ("按地址排序：tuple(sorted(...))。", "sorted by address: tuple(sorted(...))."),
    "tuple": ("创世文件是不可变的：用 tuple(...)。", "a genesis is immutable: use tuple(...)."),
    "pairs": ("allocations 是 (地址, 金额) 组成的元组。",
              "allocations is a tuple of (address, amount) pairs."),
    "defaults": ("其余字段保持默认。", "leave the other fields at their defaults."),
    "index": ("下标超出了名单：N 是名单的长度 len(authorities)，不要写死 4。",
              "an index outside the list: N is the list's length, len(authorities), not 4."),
    "address": ("返回名单里的地址（一个 str），不是钱包、下标或公钥。",
                "return the address from the list (a str), not a wallet, an index or a key."),
    "from-1970": ("时隙从 1970 年起算：slot = timestamp // block_time，不要减去创世时间。",
                  "slots count from 1970: slot = timestamp // block_time, never minus the genesis time."),
    "divide": ("先把时间换算成时隙（除以 block_time），再对 N 取余。",
               "turn the time into a slot first (divide by block_time), then take it mod N."),
    "float": ("用整数除法 //：浮点数除法 / 在很大的时间戳上会算错。",
              "use whole-number division //: float division / goes wrong on large timestamps."),
    "owner": ("slot = timestamp // block_time，主人是 authorities[slot % N]。",
              "slot = timestamp // block_time, and its owner is authorities[slot % N]."),
    "build": ("区块模板用 chain.build_block(transactions, member.address, timestamp) 做，"
              "封装时只换上封装信息。",
              "make the template with chain.build_block(transactions, member.address, timestamp); "
              "sealing only replaces its seal."),
    "given-time": ("用给定的时间戳 timestamp，不要换成时隙的起点。",
                   "use the timestamp given, not its slot's start."),
    "beneficiary": ("出块者就是受益人，手续费归它：受益人是 member.address。",
                    "the sealer is the beneficiary and collects the fees: member.address."),
    "not-added": ("seal_block 只做区块，不要自己调用 chain.add_block：由链来裁决。",
                  "seal_block makes the block; it must not call chain.add_block: the chain decides."),
    "seal": ("header.with_seal(AuthoritySeal(member.public_key, signature))",
             "header.with_seal(AuthoritySeal(member.public_key, signature))"),
    "public-key": ("AuthoritySeal 的第一个字段是公钥 member.public_key，不是地址。",
                   "AuthoritySeal's first field is member.public_key, not the address."),
    "sign": ("签的应是 poa_signing_bytes(内容哈希)（是 content_hash，不是区块哈希；别漏了标签），"
             "用 member.private_key 和链自己的密码套件 chain.suite。",
             "sign poa_signing_bytes(the content hash) (content_hash, not the block hash; the tag "
             "included) with member.private_key and the chain's own suite, chain.suite."),
    "nobody": ("在线的机构都不在名单上（或者没有人在线）：名单外的机构不能出块，返回 None。",
               "nobody online is on the list (or nobody is online): organisations not on the list "
               "cannot seal; return None."),
    "wallets": ("online 里是钱包、名单里是地址：比较时用 wallet.address；"
                "要看满 N 个时隙：slot + 1 … slot + N。",
                "online holds wallets, the list addresses: compare wallet.address; try all N slots: "
                "slot + 1 … slot + N."),
    "whole": ("返回一个整数：时隙的开始时间（秒）。",
              "return a whole number: the slot's start time, in seconds."),
    "slot-number": ("这是时隙编号：返回时隙的开始时间，时隙编号 * block_time。",
                    "that is a slot number: return the slot's start time, slot * block_time."),
    "tip-slot": ("这是链顶所在的时隙：下一个区块从 slot + 1 开始找。",
                 "that is the tip's own slot: start at slot + 1."),
    "slots": ("用这条链的出块间隔 chain.genesis.consensus.block_time，按时隙数，跳过主人不在线的时隙。",
              "use this chain's block time, chain.genesis.consensus.block_time; count in slots and "
              "skip the slots whose owner is offline."),
    "bool": ("返回 True 或 False（比较的结果），不是数字或其他对象。",
             "return True or False (a comparison), not a number or another object."),
    "genesis-final": ("创世区块（高度 0）没有封装者，总是最终确定的。",
                      "the genesis block (height 0) has no sealer and is always final."),
    "set": ("数的是不同的封装者（用集合），不是区块的个数。", "count different sealers (a set), not blocks."),
    "from-height": ("只数高度 height 及之后的区块，不要数它之前的。",
                    "count only the blocks from height on, none before it."),
    "main-chain": ("重组之后只看主链：chain.block_at(h)。",
                   "after a reorg only the main chain counts: chain.block_at(h)."),
    "to-tip": ("从这个区块本身数到链顶（两端都包括）：range(height, chain.height + 1)。",
               "count from the block itself up to the tip, both included: range(height, chain.height + 1)."),
    "majority": ("不同封装者的个数超过名单长度的一半，才算最终确定。",
                 "a block is final once its different sealers are more than half of the list."),
    "sealers": ("主链上的区块：chain.block_at(h)；封装者：header.seal.signer。",
                "the main chain's blocks: chain.block_at(h); the sealer: header.seal.signer."),
}


def _genesis(seeds: list[str], block_time: int = 2, suite: str = DEFAULT_SUITE) -> Genesis:
    """The consortium's genesis as the notebook's minichain_genesis writes it."""
    wallets = [make_wallet(seed, suite) for seed in seeds]
    return make_genesis("poa", authorities=wallets, block_time=block_time, chain_id=CHAIN_ID,
                        funded=wallets, suite=suite)


def _engine(chain: Chain) -> PoaEngine:
    """The slot schedule of the consortium's genesis (every chain here is built from `_genesis`)."""
    return PoaEngine(chain.genesis)


def _seed_of(seeds: list[str], address: str, suite: str = DEFAULT_SUITE) -> str:
    return next(seed for seed in seeds if make_wallet(seed, suite).address == address)


class Names:
    """Organisations' names for addresses, in the notebook's language, so messages read as words."""

    def __init__(self, say: Say, seeds: list[str] = ALL, suite: str = DEFAULT_SUITE) -> None:
        self.say = say
        self.by_address = {make_wallet(seed, suite).address: say(*ORGS[seed]) for seed in seeds}

    def __call__(self, value: Any) -> str:
        if type(value) is str:
            return self.by_address.get(value, value[:12] + "…" if len(value) > 12 else value)
        return _shown(value, self.say)

    def seeds(self, seeds: list[str]) -> str:
        return self.say("、", ", ").join(self.say(*ORGS[seed]) for seed in seeds) or self.say("无", "none")


def _shown(found: Any, say: Say) -> str:
    """What the learner's function gave, as a learner would read it."""
    if isinstance(found, Raised):
        said = found.message[:120]
        return say(f"抛出了 {found.kind}" + (f"：{said}" if said else ""),
                   f"raised {found.kind}" + (f": {said}" if said else ""))
    if isinstance(found, Unsupported):
        return say(f"一个 {found.kind} 对象", f"a {found.kind} object")
    return repr(found)[:80]


def _gave(say: Say, what: str, found: Any, zh: str = "你的函数", en: str = "your function") -> str:
    """`what` was checked and the learner's function gave `found` (or raised)."""
    return say(f"{what}：{zh}{_shown(found, say)}", f"{what}: {en} {_shown(found, say)}")


def _not_raised(say: Say, what: str, found: Any, hint: str, zh: str = "你的函数",
                en: str = "your function") -> None:
    """A call that raised is a failure: what raised, and the hint (or: the exercise is not done yet)."""
    if isinstance(found, Raised):
        todo = found.kind == "NotImplementedError"
        expect(False, _gave(say, what, found, zh, en), hint=say(*HINTS["todo"]) if todo else hint)


def _count(results: Any, cases: list[Any], say: Say) -> None:
    expect(type(results) is list and len(results) == len(cases),
           say(f"应有 {len(cases)} 个结果，收到 {_shown(results, say)}",
               f"expected {len(cases)} results, got {_shown(results, say)}"))


def _same(a: Any, b: Any) -> bool:
    """Equal with the same types all the way down (True is not 1, a list is not a tuple)."""
    if type(a) is not type(b):
        return False
    if type(a) in (list, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if type(a) is dict:
        return a.keys() == b.keys() and all(_same(a[key], b[key]) for key in a)
    return bool(a == b)


# --- exercise 1: the consortium's genesis ---------------------------------------------------------


@judge("ex1_hidden")
def consortium_genesis(rng: random.Random, say: Say) -> tuple[Any, Any]:
    cases: list[list[Any]] = [
        [MEMBERS],                                        # the default block time
        [rng.sample(MEMBERS, 4), rng.randrange(3, 30)],
        [["org-bank", "org-customs"], 2],
        [[rng.choice(ALL)], 1],
        [rng.sample(MEMBERS, 3), rng.randrange(2, 10)],
        [rng.sample(ALL, 5), rng.randrange(1, 120)],
        [rng.sample(ALL, 8), rng.randrange(1, 600)],
    ]
    truths = [_genesis(case[0], *case[1:]) for case in cases]

    def hint(key: str) -> str:
        return say(*HINTS[key])

    def check(results: list[Any]) -> None:
        _count(results, cases, say)
        names = Names(say)
        for case, truth, found in zip(cases, truths, results, strict=True):
            seeds, every = case[0], (case[1] if len(case) > 1 else None)
            what = say(f"{len(seeds)} 家成员（{names.seeds(seeds)}）、"
                       + (f"出块间隔 {every} 秒" if every else "出块间隔用默认值"),
                       f"{len(seeds)} members ({names.seeds(seeds)}), "
                       + (f"a block every {every} s" if every else "the default block time"))
            _not_raised(say, what, found, hint("genesis"))
            expect(type(found) is list and len(found) == 3 and type(found[0]) is dict,
                   say(f"{what}：你的函数返回的不是创世文件：{_shown(found, say)}",
                       f"{what}: your function did not return a genesis: {_shown(found, say)}"),
                   hint=hint("genesis"))
            data, authorities, allocations = found
            right = truth.to_json()
            for key in ("chain_id", "timestamp", "suite", "max_block_transactions"):
                expect(_same(data.get(key), right[key]),
                       say(f"{what}：{key} 应为 {right[key]!r}，你的创世文件是 {data.get(key)!r:.60}",
                           f"{what}: {key} should be {right[key]!r}, your genesis has {data.get(key)!r:.60}"),
                       hint=hint(key))
            consensus, wanted = data.get("consensus"), right["consensus"]
            expect(type(consensus) is dict and consensus.get("kind") == "poa",
                   say(f"{what}：共识参数应为权威证明 PoaParams，你的是 {consensus!r:.80}",
                       f"{what}: the consensus should be PoaParams (proof of authority), yours is "
                       f"{consensus!r:.80}"))
            listed = consensus.get("authorities")
            if not _same(listed, wanted["authorities"]):
                same_set = type(listed) is list and sorted(map(str, listed)) == sorted(wanted["authorities"])
                shown = [names(a) for a in listed] if type(listed) is list else listed
                expect(False, say(f"{what}：权威节点名单应为 {[names(a) for a in wanted['authorities']]}，"
                                  f"你的是 {shown}",
                                  f"{what}: the authorities should be "
                                  f"{[names(a) for a in wanted['authorities']]}, yours are {shown}"),
                       hint=hint("order" if same_set else "authorities"))
            for key in ("block_time", "block_reward"):
                expect(_same(consensus.get(key), wanted[key]),
                       say(f"{what}：{key} 应为 {wanted[key]}，你的是 {consensus.get(key)!r:.60}",
                           f"{what}: {key} should be {wanted[key]}, yours is {consensus.get(key)!r:.60}"),
                       hint=hint(key))
            given = data.get("allocations")
            funded = {names(a): v for a, v in given.items()} if type(given) is dict else given
            expect(_same(given, right["allocations"]),
                   say(f"{what}：初始余额应为每家成员 1,000,000，你的是 {funded!r:.200}",
                       f"{what}: the first balances should be 1,000,000 for each member, yours are "
                       f"{funded!r:.200}"), hint=hint("funded"))
            order = [names(a) for a in given]
            expect(list(given) == sorted(given),
                   say(f"{what}：allocations 要按地址排序，你的顺序是 {order}",
                       f"{what}: allocations are sorted by address, yours are in the order {order}"),
                   hint=hint("sorted"))
            kind = type(authorities).__name__
            expect(type(authorities) is tuple,
                   say(f"{what}：名单应为 tuple，你的是 {kind}",
                       f"{what}: the list should be a tuple, yours is a {kind}"),
                   hint=hint("tuple"))
            expect(_same(allocations, truth.allocations),
                   say(f"{what}：allocations 应为元组，你的是 {allocations!r:.80}",
                       f"{what}: allocations should be a tuple, yours is {allocations!r:.80}"),
                   hint=hint("pairs"))
            suite = get_suite(truth.suite)
            try:
                mine = make_genesis_block(Genesis.from_json(data)).hash(suite)
            except MinichainError as error:
                expect(False, say(f"{what}：minichain 读不了你的创世文件：[{error.rule}] {error}",
                                  f"{what}: minichain cannot read your genesis: [{error.rule}] {error}"))
            ours = make_genesis_block(truth).hash(suite)
            expect(mine == ours,
                   say(f"{what}：创世区块的哈希应为 {ours.hex()[:16]}…，你的是 {mine.hex()[:16]}…",
                       f"{what}: the genesis block's hash should be {ours.hex()[:16]}…, yours is "
                       f"{mine.hex()[:16]}…"), hint=hint("defaults"))
    return cases, check


# --- exercise 2: whose turn ----------------------------------------------------------------------


@judge("ex2_hidden")
def slot_owner(rng: random.Random, say: Say) -> tuple[Any, Any]:
    configs = [
        (MEMBERS, 2, GENESIS_TIME),
        (rng.sample(MEMBERS, 3), 3, GENESIS_TIME + 1),
        ([rng.choice(MEMBERS)], 1, GENESIS_TIME),
        (rng.sample(ALL, 2), 7, GENESIS_TIME + rng.randrange(1, 7)),
        (rng.sample(ALL, 5), 5, GENESIS_TIME - rng.randrange(1, 100)),
        (rng.sample(ALL, rng.randrange(6, 9)), rng.choice([11, 13, 60]),
         GENESIS_TIME + rng.randrange(1, 1000)),
    ]
    cases: list[list[Any]] = []
    truths: list[Any] = []
    for seeds, block_time, start in configs:
        engine = PoaEngine(dataclasses.replace(_genesis(seeds, block_time), timestamp=start))
        span = range(start - 3 * block_time, start + 3 * len(seeds) * block_time)
        times = set(rng.sample(span, min(len(span), 24)))
        for slot in rng.sample(range(start // block_time, start // block_time + 40), 4):   # a slot's edges
            times |= {slot * block_time - 1, slot * block_time, slot * block_time + 1}
        far = [0, 1, block_time - 1, 10**10 + rng.randrange(10**6), 2**62 + rng.randrange(2**40)]
        stamps = sorted(times - set(far)) + far     # near the genesis first: the first wrong one is shown
        cases.append([seeds, block_time, start, stamps])
        truths.append([engine.authority_for_slot(engine.slot(t)) for t in stamps])

    def hint_for(found: Any, t: int, start: int, block_time: int, authorities: list[str]) -> str:
        n = len(authorities)
        if isinstance(found, Raised) and found.kind == "IndexError":
            key = "index"
        elif type(found) is not str:
            key = "address"
        elif found == authorities[int(t / block_time) % n]:   # only ever wrong far from 1970
            key = "float"
        elif found == authorities[(t - start) // block_time % n]:
            key = "from-1970"
        elif found == authorities[t % n]:
            key = "divide"
        else:
            key = "owner"
        return say(*HINTS[key])

    def check(results: list[Any]) -> None:
        _count(results, cases, say)
        names = Names(say)
        for (seeds, block_time, start, stamps), right, found in zip(cases, truths, results, strict=True):
            what = say(f"{len(seeds)} 家成员（{names.seeds(seeds)}）、出块间隔 {block_time} 秒、"
                       f"创世时间 GENESIS_TIME{start - GENESIS_TIME:+d} 秒",
                       f"{len(seeds)} members ({names.seeds(seeds)}), a block every {block_time} s, "
                       f"genesis at GENESIS_TIME{start - GENESIS_TIME:+d} s")
            authorities = [make_wallet(seed).address for seed in seeds]
            _not_raised(say, what, found, hint_for(found, stamps[0], start, block_time, authorities))
            expect(type(found) is list and len(found) == len(stamps),
                   say(f"{what}：应有 {len(stamps)} 个结果，收到 {_shown(found, say)}",
                       f"{what}: expected {len(stamps)} results, got {_shown(found, say)}"))
            for t, owner, mine in zip(stamps, right, found, strict=True):
                if type(mine) is str and mine == owner:
                    continue
                expect(False, say(f"{what}：时间戳 {t}（时隙 {t // block_time}）的主人是{names(owner)}，"
                                  f"你的函数说 {names(mine)}",
                                  f"{what}: timestamp {t} (slot {t // block_time}) belongs to "
                                  f"{names(owner)}; your function says {names(mine)}"),
                       hint=hint_for(mine, t, start, block_time, authorities))
    return cases, check


# --- exercise 3: sealing a block ------------------------------------------------------------------


def _payments(rng: random.Random, chain: Chain, seeds: list[str], suite: str,
              count: int) -> list[Transaction]:
    """`count` valid transfers from the chain's members, with the payers' next nonces."""
    nonces: dict[str, int] = {}
    txs = []
    for _ in range(count):
        payer_seed = rng.choice(seeds)
        payer = make_wallet(payer_seed, suite)
        payee = make_wallet(rng.choice([seed for seed in ALL if seed != payer_seed]), suite)
        nonce = nonces.get(payer.address, chain.state.nonce(payer.address))
        nonces[payer.address] = nonce + 1
        txs.append(payer.transfer(CHAIN_ID, payee.address, rng.randrange(1, 50_000), nonce,
                                  fee=rng.randrange(1, 100), memo=rng.choice(MEMOS)))
    return txs


def _sealing(rng: random.Random, seeds: list[str], suite: str, block_time: int,
             plan: str) -> tuple[list[Any], list[str | None]]:
    """The steps [sealer, transactions, timestamp] of a plan ("o" in turn, "t" in turn with payments,
    "x" an outsider, "w" a member out of turn, "s" the parent's slot again), and minichain's verdict on
    each when minichain seals the block itself (None: accepted)."""
    chain = Chain(_genesis(seeds, block_time, suite))
    engine = _engine(chain)
    outsiders = [seed for seed in ALL if seed not in seeds]
    steps: list[Any] = []
    verdicts: list[str | None] = []
    for kind in plan:
        tip_slot = engine.slot(chain.tip.timestamp)
        slot = tip_slot + (rng.randrange(1, len(seeds) + 1) if kind in "ot" else 1)
        owner = _seed_of(seeds, engine.authority_for_slot(slot), suite)
        when = engine.slot_start(slot) + rng.randrange(block_time)
        sealer, txs = owner, []
        if kind == "t":
            txs = _payments(rng, chain, seeds, suite, rng.randrange(1, 4))
        elif kind == "x":
            sealer = rng.choice(outsiders)
        elif kind == "w":
            sealer = rng.choice([seed for seed in seeds if seed != owner])
        elif kind == "s":
            sealer = _seed_of(seeds, engine.authority_for_slot(tip_slot), suite)
            when = rng.randrange(chain.tip.timestamp, engine.slot_start(tip_slot + 1))
        wallet = make_wallet(sealer, suite)
        template, dropped = chain.build_block(txs, wallet.address, when)
        if dropped:
            raise ValueError(f"a judge's payment does not apply: {dropped}")
        try:
            chain.add_block(Block(engine.seal(template.header, wallet.private_key), template.transactions))
            verdicts.append(None)
        except MinichainError as error:
            verdicts.append(error.rule)
        steps.append([sealer, txs, when])
    return steps, verdicts


@judge("ex3_hidden")
def seal_block(rng: random.Random, say: Say) -> tuple[Any, Any]:
    scenarios = [
        (rng.sample(MEMBERS, 4), DEFAULT_SUITE, rng.choice([2, 3, 5]),
         "tox" + "".join(rng.sample("towsow", 6)) + "t"),
        (rng.sample(ALL, 5), DEFAULT_SUITE, 2, "otwxso"),
        (MEMBERS, "sha256-secp256k1", 2, "tow"),
        (MEMBERS, "sm3-sm2", 2, "tox"),
    ]
    cases: list[list[Any]] = []
    verdicts: list[list[str | None]] = []
    for seeds, suite, block_time, plan in scenarios:
        steps, expected = _sealing(rng, seeds, suite, block_time, plan)
        cases.append([seeds, suite, block_time, steps])
        verdicts.append(expected)

    def hint(key: str) -> str:
        return say(*HINTS[key])

    def check_step(what: str, chain: Chain, member: Any, txs: list[Transaction], when: int,
                   made: Any, names: Names) -> None:
        """The learner's block for one step, against the template minichain builds on the same tip."""
        block, height = made if type(made) is list and len(made) == 2 else (made, None)
        expect(type(block) is Block, say(f"{what}：seal_block 应返回 Block，你的是 {_shown(block, say)}",
                                         f"{what}: seal_block should return a Block, yours gave "
                                         f"{_shown(block, say)}"), hint=hint("build"))
        expect(type(height) is int and height == chain.height,
               say(f"{what}：调用 seal_block 之后链的高度应仍是 {chain.height}，实际是 {height!r}",
                   f"{what}: after seal_block the chain's height should still be {chain.height}, it is "
                   f"{height!r}"), hint=hint("not-added"))
        template, _ = chain.build_block(txs, member.address, when)
        header, want = block.header, template.header
        for field, key in (("parent_hash", "build"), ("height", "build"), ("timestamp", "given-time")):
            mine, ours = getattr(header, field), getattr(want, field)
            mine, ours = (mine.hex()[:16], ours.hex()[:16]) if type(ours) is bytes else (mine, ours)
            expect(mine == ours, say(f"{what}：区块头的 {field} 应为 {ours}，你的是 {mine}",
                                     f"{what}: the header's {field} should be {ours}, yours is {mine}"),
                   hint=hint(key))
        expect(header.beneficiary == want.beneficiary,
               say(f"{what}：受益人应为{names(want.beneficiary)}，你的是 {names(header.beneficiary)}",
                   f"{what}: the beneficiary should be {names(want.beneficiary)}, yours is "
                   f"{names(header.beneficiary)}"), hint=hint("beneficiary"))
        expect([tx.txid for tx in block.transactions] == [tx.txid for tx in template.transactions],
               say(f"{what}：区块应含给定的 {len(template.transactions)} 笔交易，"
                   f"你的有 {len(block.transactions)} 笔",
                   f"{what}: the block should hold the {len(template.transactions)} transaction(s) given, "
                   f"yours holds {len(block.transactions)}"), hint=hint("build"))
        suite = chain.suite
        expect(header.content_hash(suite) == want.content_hash(suite),
               say(f"{what}：区块头的内容（默克尔根、状态根……）与 minichain 在这个链顶做出的模板不同",
                   f"{what}: the header's contents (Merkle root, state root, …) differ from the template "
                   "minichain builds on this tip"), hint=hint("build"))
        seal = header.seal
        expect(type(seal) is AuthoritySeal,
               say(f"{what}：封装信息应为 AuthoritySeal，你的是 {type(seal).__name__}",
                   f"{what}: the seal should be an AuthoritySeal, yours is a {type(seal).__name__}"),
               hint=hint("seal"))
        expect(seal.signer == member.public_key,
               say(f"{what}：封装信息里应是{names(member.address)}的公钥 {member.public_key.hex()[:16]}…，"
                   f"你的是 {seal.signer.hex()[:16]}…",
                   f"{what}: the seal should carry {names(member.address)}'s public key "
                   f"{member.public_key.hex()[:16]}…, yours has {seal.signer.hex()[:16]}…"),
               hint=hint("public-key"))
        expect(suite.verify(member.public_key, poa_signing_bytes(header.content_hash(suite)), seal.signature),
               say(f"{what}：用{names(member.address)}的公钥验证封装签名，没有通过",
                   f"{what}: the seal's signature does not verify with {names(member.address)}'s public key"),
               hint=hint("sign"))

    def check(results: list[Any]) -> None:
        _count(results, cases, say)
        for (seeds, suite, block_time, steps), expected, found in zip(cases, verdicts, results, strict=True):
            names = Names(say, ALL, suite)
            chain = Chain(_genesis(seeds, block_time, suite))
            where = say(f"{suite} 链（{len(seeds)} 家成员：{names.seeds(seeds)}，{block_time} 秒一个时隙）",
                        f"a {suite} chain ({len(seeds)} members: {names.seeds(seeds)}, {block_time} s slots)")
            _not_raised(say, where, found, hint("build"), "你的 seal_block ", "your seal_block")
            expect(type(found) is list and len(found) == len(steps),
                   say(f"{where}：应有 {len(steps)} 个区块，收到 {_shown(found, say)}",
                       f"{where}: expected {len(steps)} blocks, got {_shown(found, say)}"))
            for (sealer, txs, when), rule, made in zip(steps, expected, found, strict=True):
                member = make_wallet(sealer, suite)
                after = when - GENESIS_TIME
                who, slot, height = names(member.address), when // block_time, chain.height + 1
                what = where + say(f"：{who}在时间 GENESIS_TIME+{after}（时隙 {slot}）"
                                   f"封装第 {height} 号区块，含 {len(txs)} 笔交易",
                                   f": {who} seals block {height} at GENESIS_TIME+{after} (slot {slot}) "
                                   f"with {len(txs)} transaction(s)")
                check_step(what, chain, member, txs, when, made, names)
                try:
                    chain.add_block(made[0])
                    verdict, said = None, say("接受了它", "accepts it")
                except MinichainError as error:
                    verdict = error.rule
                    said = say(f"拒绝了它：[{error.rule}] {error}", f"refuses it: [{error.rule}] {error}")
                should = say("应当接受", "it should be accepted") if rule is None else \
                    say(f"应当以 [{rule}] 拒绝", f"it should be refused with [{rule}]")
                expect(verdict == rule,
                       say(f"{what}：minichain {said}；{should}", f"{what}: minichain {said}; {should}"))
    return cases, check


# --- exercise 4: members offline ------------------------------------------------------------------


def _history(rng: random.Random, seeds: list[str], block_time: int, blocks: int) -> Chain:
    """A chain of `blocks` blocks, each in a slot a few slots after its parent's, at a second inside it."""
    chain = Chain(_genesis(seeds, block_time))
    engine = _engine(chain)
    for _ in range(blocks):
        slot = engine.slot(chain.tip.timestamp) + rng.randrange(1, len(seeds) + 1)
        owner = make_wallet(_seed_of(seeds, engine.authority_for_slot(slot)))
        when = engine.slot_start(slot) + rng.randrange(block_time)
        template, _ = chain.build_block([], owner.address, when)
        chain.add_block(Block(engine.seal(template.header, owner.private_key), ()))
    return chain


@judge("ex4_hidden")
def next_block_time(rng: random.Random, say: Say) -> tuple[Any, Any]:
    configs = [(MEMBERS, 2, rng.randrange(0, 6)), (rng.sample(MEMBERS, 3), 3, rng.randrange(1, 6)),
               ([rng.choice(ALL)], rng.randrange(1, 6), rng.randrange(0, 4)), (rng.sample(ALL, 2), 7, 3),
               (rng.sample(ALL, 5), 11, rng.randrange(2, 7)), (rng.sample(ALL, 4), 13, 6)]
    cases: list[list[Any]] = []
    truths: list[Any] = []
    for seeds, block_time, length in configs:
        chain = _history(rng, seeds, block_time, length)
        engine = _engine(chain)
        tip_slot = engine.slot(chain.tip.timestamp)
        next_owner = _seed_of(seeds, engine.authority_for_slot(tip_slot + 1))
        others = [seed for seed in ALL if seed not in seeds]
        groups = [rng.sample(seeds, len(seeds)), [], rng.sample(others, 2), [rng.choice(seeds)],
                  [_seed_of(seeds, engine.authority_for_slot(tip_slot))],
                  [*rng.sample(seeds, rng.randrange(1, len(seeds) + 1)), rng.choice(others)],
                  [seed for seed in seeds if seed != next_owner] or [rng.choice(others)]]
        answers, owners = [], []
        for group in groups:
            slots = [engine.next_slot_for(make_wallet(seed).address, tip_slot) for seed in group]
            first = min((slot for slot in slots if slot is not None), default=None)
            answers.append(None if first is None else engine.slot_start(first))
            owners.append(None if first is None else engine.authority_for_slot(first))
        cases.append([seeds, block_time, list(chain.main_chain())[1:], groups])
        truths.append((chain.height, chain.tip.timestamp, answers, owners))

    def hint_for(found: Any, right: int | None, tip_time: int, block_time: int) -> str:
        if right is None and found is not None:
            key = "nobody"
        elif found is None or isinstance(found, Raised):
            key = "wallets"
        elif type(found) is not int:
            key = "whole"
        elif right is not None and found == right // block_time:
            key = "slot-number"
        elif found == tip_time // block_time * block_time:
            key = "tip-slot"
        else:
            key = "slots"
        return say(*HINTS[key])

    def check(results: list[Any]) -> None:
        _count(results, cases, say)
        names = Names(say)
        for (seeds, block_time, _, groups), (height, tip_time, answers, owners), found in zip(
                cases, truths, results, strict=True):
            after = tip_time - GENESIS_TIME
            tip_slot = tip_time // block_time
            where = say(f"{len(seeds)} 家成员（{names.seeds(seeds)}）、{block_time} 秒一个时隙，"
                        f"链顶是第 {height} 号区块，时间 GENESIS_TIME+{after}（时隙 {tip_slot}）",
                        f"{len(seeds)} members ({names.seeds(seeds)}), {block_time} s slots, the tip is "
                        f"block {height} at GENESIS_TIME+{after} (slot {tip_slot})")
            _not_raised(say, where, found, hint_for(found, answers[0], tip_time, block_time))
            expect(type(found) is list and len(found) == len(groups),
                   say(f"{where}：应有 {len(groups)} 个结果，收到 {_shown(found, say)}",
                       f"{where}: expected {len(groups)} results, got {_shown(found, say)}"))
            for group, right, owner, mine in zip(groups, answers, owners, found, strict=True):
                if _same(mine, right):
                    continue
                what = where + say(f"；在线：{names.seeds(group)}", f"; online: {names.seeds(group)}")
                if right is None:
                    truth = say("在线的成员谁也不能出块：None", "nobody online may seal: None")
                else:
                    truth = say(f"下一个区块最早在 GENESIS_TIME+{right - GENESIS_TIME}"
                                f"（时隙 {right // block_time}，{names(owner)}）",
                                f"the next block may come at GENESIS_TIME+{right - GENESIS_TIME} "
                                f"(slot {right // block_time}, {names(owner)})")
                near = type(mine) is int and mine > GENESIS_TIME // 2
                given = f"GENESIS_TIME+{mine - GENESIS_TIME}" if near else _shown(mine, say)
                expect(False, say(f"{what}：minichain 说{truth}；你的函数说 {given}",
                                  f"{what}: minichain says {truth}; your function says {given}"),
                       hint=hint_for(mine, right, tip_time, block_time))
    return cases, check


# --- exercise 5: finality ------------------------------------------------------------------------


def _sealed_by(seeds: list[str], sealers: list[str]) -> list[Block]:
    """The blocks of a chain sealed by `sealers`, each in its next turn (the notebook's sealed_by)."""
    chain = Chain(_genesis(seeds))
    for seed in sealers:
        wallet = make_wallet(seed)
        produce_block(chain, producer=wallet, authorities=[wallet])
    return list(chain.main_chain())[1:]


@judge("ex5_hidden")
def is_final(rng: random.Random, say: Say) -> tuple[Any, Any]:
    pair = rng.sample(MEMBERS, 2)
    three, five, two = rng.sample(ALL, 3), rng.sample(ALL, 5), rng.sample(ALL, 2)
    main, rival = rng.sample(MEMBERS, 2), rng.sample(MEMBERS, 3)
    rival[0] = rng.choice([seed for seed in MEMBERS if seed != main[0]])   # the branches part at block 1
    alone = rng.choice(ALL)
    plans = [
        (MEMBERS, [rng.choice(MEMBERS) for _ in range(8)], []),
        (MEMBERS, [rng.choice(pair) for _ in range(6)], []),
        (MEMBERS, rng.sample(MEMBERS, 4) + [rng.choice(MEMBERS)] * rng.randrange(2, 5), []),
        (three, [rng.choice(three) for _ in range(5)], []),
        (five, [rng.choice(five[:rng.randrange(2, 6)]) for _ in range(7)], []),
        ([alone], [alone] * rng.randrange(1, 4), []),
        (two, [rng.choice(two) for _ in range(4)], []),
        (MEMBERS, main, rival),                              # a longer branch replaces the first one
    ]
    cases: list[list[Any]] = []
    truths: list[Any] = []
    for seeds, sealers, branch in plans:
        blocks = [*_sealed_by(seeds, sealers), *(_sealed_by(seeds, branch) if branch else [])]
        chain = Chain(_genesis(seeds))
        for block in blocks:
            chain.add_block(block)
        seals = [chain.block_at(h).header.seal for h in range(1, chain.height + 1)]
        signers = [seal.signer for seal in seals if isinstance(seal, AuthoritySeal)]
        final = [True] + [2 * len(set(signers[h - 1:])) > len(seeds) for h in range(1, chain.height + 1)]
        cases.append([seeds, blocks])
        truths.append((signers, final, bool(branch)))

    def hint_for(found: Any, h: int, signers: list[bytes], n: int, right: bool, reorg: bool) -> str:
        count = len(set(signers[h - 1:])) if h else 0
        if type(found) is not bool:
            return say(*HINTS["bool"])
        if h == 0:
            return say(*HINTS["genesis-final"])
        if found and 2 * count == n:
            return say(f"{count} 家是 {n} 家的一半，不是超过半数：2 * 个数 > N。",
                       f"{count} of {n} is half, not more than half: 2 * count > N.")
        if n != 4 and (2 * count > 4) == found:
            return say(f"这条链的名单有 {n} 家：N 是 len(chain.genesis.consensus.authorities)，不要写死 4。",
                       f"this chain lists {n} members: N is len(chain.genesis.consensus.authorities), not 4.")
        if found and 2 * len(signers[h - 1:]) > n:
            key = "set"
        elif found and 2 * len(set(signers)) > n:
            key = "from-height"
        elif reorg:
            key = "main-chain"
        elif right:
            key = "to-tip"
        else:
            key = "majority"
        return say(*HINTS[key])

    def check(results: list[Any]) -> None:
        _count(results, cases, say)
        names = Names(say)
        for (seeds, _), (signers, final, reorg), found in zip(cases, truths, results, strict=True):
            keys = {make_wallet(seed).public_key: make_wallet(seed).address for seed in seeds}
            sealed = say("、", ", ").join(names(keys[signer]) for signer in signers)
            where = say(f"{len(seeds)} 家成员，主链上第 1–{len(signers)} 号区块的封装者：{sealed}"
                        + ("（一条更长的分支取代了原来的区块之后）" if reorg else ""),
                        f"{len(seeds)} members, the main chain's blocks 1-{len(signers)} sealed by: {sealed}"
                        + (" (after a longer branch replaced the first blocks)" if reorg else ""))
            _not_raised(say, where, found, say(*HINTS["sealers"]))
            expect(type(found) is list and len(found) == len(final),
                   say(f"{where}：应有 {len(final)} 个结果，收到 {_shown(found, say)}",
                       f"{where}: expected {len(final)} results, got {_shown(found, say)}"))
            for h, (right, mine) in enumerate(zip(final, found, strict=True)):
                if _same(mine, right):
                    continue
                count = len(set(signers[h - 1:])) if h else 0
                fact = say("创世区块", "the genesis block") if h == 0 else say(
                    f"从第 {h} 号区块到链顶有 {count} 家不同的成员封装过（要超过 {len(seeds)} 家的一半）",
                    f"from block {h} to the tip, {count} different members sealed (more than half of "
                    f"{len(seeds)} needed)")
                verdict = say("已最终确定" if right else "尚未最终确定", "final" if right else "not final")
                expect(False, say(f"{where}。{fact}：{verdict}；你的函数说 {_shown(mine, say)}",
                                  f"{where}; {fact}: {verdict}; your function says {_shown(mine, say)}"),
                       hint=hint_for(mine, h, signers, len(seeds), right, reorg))
    return cases, check
