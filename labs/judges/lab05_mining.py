"""Lab 5 · Proof of work: the judges of the build notebook's hidden tests (instructors only).

Each judge makes its inputs from the seed of this grading run (difficulties, targets, block templates,
payments, block gaps) and checks what the learner's function returned for them, here in the grader's
process, with a pristine minichain (grader/judging.py). The notebook's hidden cells only run the
learner's function on these inputs, rebuilding a chain in the kernel where the exercise needs one, and
send back plain data (labkit.probe).
"""

from __future__ import annotations

import random
from typing import Any

from grader.judging import Say, expect, judge
from labkit.wire import Raised
from minichain import MAX_TARGET, Block, Chain, Header, MinichainError, PowParams, PowSeal, work
from minichain.testing import make_genesis, make_wallet

SUITES = ("sha256-ed25519", "sm3-sm2")
MEMOS = ("", "invoice 7", "发票 7 号（增值税）", "工资", "咖啡 ☕", "rent\nMarch")
ALICE, BOB, MINER = make_wallet(0), make_wallet(1), make_wallet("miner")


def _count(results: list[Any], cases: list[Any], say: Say) -> None:
    expect(type(results) is list and len(results) == len(cases),
           say(f"应有 {len(cases)} 个结果，收到 {len(results) if type(results) is list else results!r:.60}",
               f"expected {len(cases)} results, got "
               f"{len(results) if type(results) is list else results!r:.60}"))


def _shown(found: Any, say: Say) -> str:
    if type(found) is Raised:
        return say(f"抛出了 {found!r:.120}", f"raised {found!r:.120}")
    if type(found) is int and found >= 0:
        return f"{found:#066x}"
    return repr(found)[:80]


def _says(rule_check: Any, *args: Any) -> str | None:
    try:
        rule_check(*args)
    except MinichainError as error:
        return f"[{error.rule}] {error}"[:200]
    return None


def _template(bits: int, offset: int, suite: str) -> tuple[Chain, Block]:
    chain = Chain(make_genesis("pow", difficulty_bits=bits, suite=suite))
    block, _ = chain.build_block([], MINER.address, chain.genesis.timestamp + offset)
    return chain, block


# --- exercise 1: the target ------------------------------------------------------------------------


@judge("ex1_hidden")
def target_and_work(rng: random.Random, say: Say) -> tuple[Any, Any]:
    bits = sorted({*range(0, 25), *rng.sample(range(25, 256), 12), 128, 255, 256})
    targets = [PowParams(difficulty_bits=b).initial_target for b in bits]
    targets += [0, 1, 3, MAX_TARGET, *(rng.randrange(MAX_TARGET >> rng.randrange(256)) for _ in range(10))]
    cases = [["bits", b] for b in bits] + [["target", t] for t in targets]

    def check(results: list[Any]) -> None:
        _count(results, cases, say)
        for (kind, value), found in zip(cases, results, strict=True):
            if kind == "bits":
                right = PowParams(difficulty_bits=value).initial_target
                if type(found) is int and found == right:
                    continue
                if found == right + 1:
                    hint = say("差了 1：开头有 bits 个 0 位的最大数是 2 ** (256 - bits) - 1。",
                               "off by one: the largest number with `bits` leading zeros is 2 ** (256 - "
                               "bits) - 1.")
                elif found == 2 ** value - 1:
                    hint = say("方向反了：0 位在开头，所以指数是 256 - bits。",
                               "the wrong way round: the zeros lead, so the exponent is 256 - bits.")
                else:
                    hint = say("只用整数运算（不要用浮点数），0 位和 256 位也要对。",
                               "integers only (no floats), and 0 and 256 bits must work too.")
                expect(False, say(f"target_for_bits({value})：minichain 创世规则的目标值是 {right:#066x}，"
                                  f"你的函数给出 {_shown(found, say)}",
                                  f"target_for_bits({value}): minichain's genesis rule uses {right:#066x}; "
                                  f"your function gives {_shown(found, say)}"), hint=hint)
            else:
                right = work(value)
                if type(found) is int and found == right:
                    continue
                hint = say("合格的哈希有 target + 1 个（0 … target）；用整数除法 //，不要用 /（大数的浮点数"
                           "会丢精度）。",
                           "target + 1 hashes are good (0 … target); divide with //, not / (a float of a big "
                           "number loses digits).")
                expect(False, say(f"expected_attempts({value:#066x})：minichain 的 work() 给出 {right}，"
                                  f"你的函数给出 {repr(found)[:80]}",
                                  f"expected_attempts({value:#066x}): minichain's work() gives {right}; "
                                  f"your function gives {repr(found)[:80]}"), hint=hint)
    return cases, check


# --- exercise 2: does a hash meet the target? ----------------------------------------------------


@judge("ex2_hidden")
def hash_meets_target(rng: random.Random, say: Say) -> tuple[Any, Any]:
    cases: list[list[Any]] = []
    whats: list[str] = []
    truths: list[bool] = []
    for suite in SUITES:
        chain, block = _template(rng.choice((3, 4, 5)), rng.randrange(5, 500), suite)
        target = block.header.seal.target
        for nonce in rng.sample(range(2 ** 20), 60):
            header = block.header.with_seal(PowSeal(target, nonce))
            cases.append([header.hash(chain.suite), target])
            whats.append(say(f"{suite} 链上随机数为 {nonce} 的区块头的哈希",
                             f"the hash of a header with nonce {nonce} on a {suite} chain"))
            truths.append(_says(chain.engine.check_seal, header, chain.tip, chain) is None)
    for _ in range(8):
        target = rng.randrange(1, MAX_TARGET)
        edge = [(target.to_bytes(32, "big"), say("恰好等于目标值的哈希",
                                                 "a hash exactly equal to the target")),
                ((target + 1).to_bytes(32, "big"), say("比目标值大 1 的哈希", "a hash one above the target")),
                ((target - 1).to_bytes(32, "big"), say("比目标值小 1 的哈希", "a hash one below the target"))]
        for digest, what in edge:
            cases.append([digest, target])
            whats.append(what)
            truths.append(int.from_bytes(digest, "big") <= target)
    bits = rng.randrange(8, 200)
    small = (1 << (256 - bits)) - 1
    for digest, what in [
        (bytes(31) + b"\x01", say("哈希 00…0001（只有最后一个字节是 1）",
                                  "the hash 00…0001 (only the last byte is 1)")),
        (b"\x01" + bytes(31), say("哈希 0100…00（只有第一个字节是 1）",
                                  "the hash 0100…00 (only the first byte is 1)")),
        (bytes(32), say("全 0 的哈希", "the all-zero hash")),
        (b"\xff" * 32, say("全 ff 的哈希", "the all-ff hash")),
    ]:
        for target in (0, small, MAX_TARGET):
            cases.append([digest, target])
            whats.append(what)
            truths.append(int.from_bytes(digest, "big") <= target)
    order = list(range(len(cases)))
    rng.shuffle(order)
    cases, whats, truths = [cases[i] for i in order], [whats[i] for i in order], [truths[i] for i in order]

    def check(results: list[Any]) -> None:
        _count(results, cases, say)
        for (digest, target), what, right, found in zip(cases, whats, truths, results, strict=True):
            if type(found) is bool and found == right:
                continue
            verdict = say("合格" if right else "不合格", "it meets the target" if right else "it does not")
            if type(found) is not bool:
                hint = say("返回 True 或 False（一个比较的结果）。",
                           "return True or False (the result of a comparison).")
            elif int.from_bytes(digest, "big") == target:
                hint = say("“不大于”：等于目标值也合格。", "“at most”: a hash equal to the target counts.")
            elif found == (int.from_bytes(digest, "little") <= target):
                hint = say("按大端序读：第一个字节最重要，int.from_bytes(block_hash, 'big')。",
                           "read it big-endian: the first byte matters most, int.from_bytes(block_hash, "
                           "'big').")
            else:
                hint = say("把哈希读成大端序整数，与目标值比较（相等也合格）。",
                           "read the hash as a big-endian number and compare it with the target (equal "
                           "counts).")
            expect(False, say(f"{what}（{digest.hex()[:16]}…），目标值 {target:#066x}：minichain "
                              f"说{verdict}，"
                              f"你的函数给出 {_shown(found, say)}",
                              f"{what} ({digest.hex()[:16]}…), target {target:#066x}: minichain "
                              f"says {verdict}; "
                              f"your function gives {_shown(found, say)}"), hint=hint)
    return cases, check


# --- exercise 3: the miner ----------------------------------------------------------------------------


@judge("ex3_hidden")
def miner(rng: random.Random, say: Say) -> tuple[Any, Any]:
    cases: list[list[Any]] = []
    chains: list[tuple[Chain, Block, str]] = []
    for bits, suite in [(8, SUITES[0]), (rng.choice((11, 12)), SUITES[0]), (9, SUITES[1]), (10, SUITES[0])]:
        chain, block = _template(bits, rng.randrange(5, 1000), suite)
        cases.append([block.header, suite, 1_000_000])
        chains.append((chain, block, say(f"{suite} 链、{bits} 位难度的区块",
                                         f"a block at {bits} bits on a {suite} chain")))
    # a header already holding a nonce: the search still starts at 0
    chain, block = _template(8, rng.randrange(5, 1000), SUITES[0])
    held = rng.randrange(1, 2 ** 32)
    cases.append([block.header.with_seal(PowSeal(block.header.seal.target, held)), SUITES[0], 1_000_000])
    chains.append((chain, block, say(f"原有随机数为 {held} 的区块头",
                                     f"a header already holding nonce {held}")))
    # a header whose nonce 0 already works (at 2 bits: one in four)
    for offset in range(rng.randrange(5, 1000), 10_000):
        chain, block = _template(2, offset, SUITES[0])
        if chain.engine.mine(block.header, 0, 1).header is not None:
            break
    cases.append([block.header, SUITES[0], 1_000_000])
    chains.append((chain, block, say("随机数 0 就满足目标值的区块头",
                                     "a header whose nonce 0 already meets the target")))
    # exactly max_attempts nonces: the first that works is k; k tries give None, k + 1 find k
    for offset in range(rng.randrange(5, 1000), 10_000):
        chain, block = _template(9, offset, SUITES[0])
        k = chain.engine.mine(block.header).header.seal.nonce  # type: ignore[union-attr]
        if k >= 2:
            break
    for attempts in (k, k + 1):
        cases.append([block.header, SUITES[0], attempts])
        chains.append((chain, block, say(f"max_attempts={attempts}（只试随机数 0 … {attempts - 1}）",
                                         f"max_attempts={attempts} (nonces 0 … {attempts - 1} only)")))
    chain, block = _template(24, rng.randrange(5, 1000), SUITES[0])
    few = rng.randrange(1, 8)
    cases.append([block.header, SUITES[0], few])
    chains.append((chain, block, say(f"24 位难度、只试 {few} 次", f"24 bits, {few} attempts")))

    def check(results: list[Any]) -> None:
        _count(results, cases, say)
        for (header, _, attempts), (chain, block, what), found in zip(cases, chains, results, strict=True):
            right = chain.engine.mine(header.with_seal(PowSeal(header.seal.target, 0)), 0, attempts).header
            if right is None:
                expect(found is None,
                       say(f"{what}：前 {attempts} 个随机数都不满足目标值，应返回 None，你的函数给出 "
                           f"{_shown(found, say)}",
                           f"{what}: none of the first {attempts} nonces meets the target, so None is "
                           "expected; "
                           f"your function gives {_shown(found, say)}"),
                       hint=say("恰好试 max_attempts 个随机数：range(max_attempts)，然后返回 None。",
                                "try exactly max_attempts nonces, range(max_attempts), then return None."))
                continue
            expect(type(found) is Header,
                   say(f"{what}：应返回挖出的区块头（Header，随机数 {right.seal.nonce}），你的函数给出 "
                       f"{_shown(found, say)}",
                       f"{what}: the mined header (a Header, nonce {right.seal.nonce}) is expected; your "
                       "function "
                       f"gives {_shown(found, say)}"),
                   hint=say("找到时返回 header.with_seal(PowSeal(target, nonce))；在 max_attempts 之内就有可"
                            "行的随机数。",
                            "return header.with_seal(PowSeal(target, nonce)) when found; a nonce works "
                            "within "
                            "max_attempts."))
            expect(found.content_hash(chain.suite) == header.content_hash(chain.suite),
                   say(f"{what}：挖出的区块头的内容哈希变了",
                       f"{what}: the mined header's content hash changed"),
                   hint=say("挖矿只改封装里的随机数：header.with_seal(...)。",
                            "mining only changes the seal's nonce: header.with_seal(...)."))
            seal = found.seal
            expect(type(seal) is PowSeal and seal.target == header.seal.target,
                   say(f"{what}：封装应为 PowSeal，目标值 {header.seal.target:#066x}，你的是 {seal!r:.120}",
                       f"{what}: the seal must be a PowSeal with target {header.seal.target:#066x}; yours is "
                       f"{seal!r:.120}"),
                   hint=say("目标值保持不变：PowSeal(header.seal.target, nonce)。",
                            "keep the target: PowSeal(header.seal.target, nonce)."))
            verdict = _says(chain.engine.check_seal, found, chain.tip, chain)
            expect(verdict is None,
                   say(f"{what}：minichain 的工作量证明检查拒绝了你的区块头（随机数 {seal.nonce}）："
                       f"{verdict}",
                       f"{what}: minichain's proof-of-work check refuses your header "
                       f"(nonce {seal.nonce}): {verdict}"),
                   hint=say("对 内容哈希 + 32 字节目标值 + 8 字节大端序随机数 求哈希（用这条链的 "
                            "suite.hash），"
                            "按大端序与目标值比较。",
                            "hash content hash + 32-byte target + 8-byte big-endian nonce (with the chain's "
                            "suite.hash) and compare big-endian with the target."))
            expect(seal.nonce == right.seal.nonce,
                   say(f"{what}：从 0 数起第一个可行的随机数是 {right.seal.nonce}，你的函数找到 {seal.nonce}",
                       f"{what}: the first nonce that works counting from 0 is {right.seal.nonce}; your "
                       "function "
                       f"found {seal.nonce}"),
                   hint=say("从随机数 0 开始（不管区块头里原来是多少），每次加 1，返回第一个满足目标值的。",
                            "start at nonce 0 (whatever the header held), go up by one, and return the "
                            "first that "
                            "meets the target."))
            refused = _says(chain.add_block, Block(found, block.transactions))
            expect(refused is None, say(f"{what}：链拒绝了你挖出的区块：{refused}",
                                        f"{what}: the chain refuses your mined block: {refused}"))
    return cases, check


# --- exercise 4: mine real blocks ------------------------------------------------------------------


@judge("ex4_hidden")
def mine_blocks(rng: random.Random, say: Say) -> tuple[Any, Any]:
    cases: list[list[Any]] = []
    for bits, count in [(rng.choice((9, 10)), 6), (8, 3)]:
        genesis = make_genesis("pow", difficulty_bits=bits)
        nonce, clock, payments = 0, genesis.timestamp, []
        for height in range(1, count + 1):
            clock += rng.randrange(1, 30)
            txs = []
            for _ in range(rng.choice((0, 1, 1, 2, 3)) if height > 1 else 0):
                txs.append(ALICE.transfer(genesis.chain_id, BOB.address, rng.randrange(1, 5000), nonce,
                                          fee=rng.randrange(0, 10), memo=rng.choice(MEMOS)))
                nonce += 1
            if height == 3:   # a payment the template leaves out: its nonce is a gap ahead
                txs.append(ALICE.transfer(genesis.chain_id, BOB.address, 7, nonce + 5, fee=1, memo="跳号"))
            payments.append([txs, clock])
        cases.append([bits, payments])

    def check(results: list[Any]) -> None:
        _count(results, cases, say)
        for (bits, payments), found in zip(cases, results, strict=True):
            expect(type(found) is list,
                   say(f"{len(payments)} 个区块的链：你的 mine_block {_shown(found, say)}",
                       f"a chain of {len(payments)} blocks: your mine_block {_shown(found, say)}"))
            chain = Chain(make_genesis("pow", difficulty_bits=bits))
            reward, fees = chain.engine.block_reward, 0
            for height, ((txs, clock), got) in enumerate(zip(payments, found, strict=False), start=1):
                what = say(f"{bits} 位难度的链上第 {height} 号区块（{len(txs)} 笔交易，时间 {clock}）",
                           f"block {height} on a {bits}-bit chain ({len(txs)} transactions, time {clock})")
                before, new = got if type(got) is list and len(got) == 2 else (None, got)
                expect(type(new) is Block, say(f"{what}：mine_block 应返回 Block，你的函数给出"
                                               f" {_shown(new, say)}",
                                               f"{what}: mine_block must return a Block; yours gives "
                                               f"{_shown(new, say)}"))
                expect(before == height - 1,
                       say(f"{what}：调用前链高 {height - 1}，mine_block 返回时链高 {before}",
                           f"{what}: the chain was at height {height - 1} before mine_block, {before} after"),
                       hint=say("mine_block 只返回区块，不要自己调用 chain.add_block。",
                                "mine_block only returns the block; do not call chain.add_block yourself."))
                template, dropped = chain.build_block(txs, MINER.address, clock)
                expect(new.transactions == template.transactions,
                       say(f"{what}：链的模板收录 {len(template.transactions)} 笔交易（{len(dropped)} 笔被剔"
                           "除），"
                           f"你的区块有 {len(new.transactions)} 笔",
                           f"{what}: the chain's template holds {len(template.transactions)} transactions "
                           f"({len(dropped)} left out); your block has {len(new.transactions)}"),
                       hint=say("用模板里的交易 block.transactions：build_block 会剔除无效的交易。",
                                "use the template's transactions, block.transactions: build_block leaves "
                                "out the "
                                "invalid ones."))
                refused = _says(chain.add_block, new)
                expect(refused is None, say(f"{what}：链拒绝了你的区块：{refused}",
                                            f"{what}: the chain refuses your block: {refused}"),
                       hint=say("向链要模板 chain.build_block(transactions, MINER.address, timestamp)，"
                                "再用你的 mine 挖出它的区块头。",
                                "ask the chain for the template, chain.build_block(transactions, "
                                "MINER.address, "
                                "timestamp), then mine its header with your mine."))
                expect(new.header.beneficiary == MINER.address,
                       say(f"{what}：奖励应归 MINER", f"{what}: the reward must go to MINER"))
                fees += sum(tx.fee for tx in template.transactions)
            expect(len(found) == len(payments),
                   say(f"应有 {len(payments)} 个区块，收到 {len(found)} 个",
                       f"expected {len(payments)} blocks, got {len(found)}"))
            earned = chain.state.balance(MINER.address)
            expect(earned == len(payments) * reward + fees,
                   say(f"矿工应得 {len(payments) * reward + fees}（奖励加手续费），实得 {earned}",
                       f"MINER should hold {len(payments) * reward + fees} (rewards and fees), "
                       f"holds {earned}"))
    return cases, check


# --- exercise 5: the retarget ---------------------------------------------------------------------


def _grown(bits: int, window: int, gaps: list[int]) -> Chain:
    chain = Chain(make_genesis("pow", difficulty_bits=bits, retarget_window=window))
    for gap in gaps:
        block, _ = chain.build_block([], MINER.address, chain.tip.timestamp + gap)
        mined = chain.engine.mine(block.header).header
        assert mined is not None
        chain.add_block(Block(mined, ()))
    return chain


@judge("ex5_hidden")
def retarget(rng: random.Random, say: Say) -> tuple[Any, Any]:
    shapes = [
        (8, 4, [10] * 9, say("每 10 秒一个区块（正好）", "blocks exactly 10 s apart")),
        (8, 4, [rng.choice((0, 1, 2)) for _ in range(9)], say("区块来得太快", "blocks far too fast")),
        (8, 4, [rng.randrange(1, 15) for _ in range(9)], say("间隔随机", "random gaps")),
        (8, 3, [rng.randrange(40, 120) for _ in range(7)], say("区块来得太慢", "blocks far too slow")),
        (12, 3, [rng.choice((0, 0, 1)) for _ in range(8)], say("12 位难度、区块几乎同时",
                                                               "12 bits, blocks nearly at once")),
        (9, 5, [rng.randrange(5, 16) for _ in range(11)], say("一段 5 个区块", "windows of 5 blocks")),
        (0, 2, [0, 0, 0], say("0 位难度、间隔为 0", "0 bits, gaps of 0")),
        (1, 2, [100, 100, 100], say("最容易的链又太慢（目标值不超过 MAX_TARGET）",
                                    "the easiest chain, too slow (the target stays at most MAX_TARGET)")),
    ]
    chains = [_grown(bits, window, gaps) for bits, window, gaps, _ in shapes]
    cases = [[bits, window, list(chain.main_chain())[1:]]
             for (bits, window, _, _), chain in zip(shapes, chains, strict=True)]

    def check(results: list[Any]) -> None:
        _count(results, cases, say)
        for (bits, window, gaps, name), chain, found in zip(shapes, chains, results, strict=True):
            what = say(f"{name}：{bits} 位、每段 {window} 个区块、间隔 {gaps}",
                       f"{name}: {bits} bits, windows of {window}, gaps {gaps}")
            expect(type(found) is list and len(found) == len(gaps) + 1,
                   say(f"{what}：你的 next_target {_shown(found, say)}",
                       f"{what}: your next_target {_shown(found, say)}"))
            for height, mine in enumerate(found, start=1):
                parent = chain.block_at(height - 1).header
                right = chain.engine.next_target(parent, chain)
                if type(mine) is int and mine == right:
                    continue
                params = chain.genesis.consensus
                assert isinstance(params, PowParams)
                if height % window != 0:
                    hint = say("这不是调整高度：原样返回 parent.seal.target。",
                               "not a retarget height: return parent.seal.target unchanged.")
                elif type(mine) is not int:
                    hint = say("只用整数运算（//，不用 /）：返回 int。",
                               "integers only (//, not /): return an int.")
                else:
                    expected = (window - 1) * params.target_block_time
                    span = parent.timestamp - chain.block_at(height - window).header.timestamp
                    if span < -(-expected // 4):
                        hint = say("actual 至少是 expected / 4 向上取整：-(-expected // 4)。",
                                   "actual is at least the ceiling of expected / 4: -(-expected // 4).")
                    elif span > expected * 4:
                        hint = say("actual 至多是 expected * 4，结果也不能超过 MAX_TARGET。",
                                   "actual is at most expected * 4, and the result at most MAX_TARGET.")
                    else:
                        hint = say("一段 window 个区块只有 window - 1 个间隔；先乘后除（整数），结果限制在 "
                                   "1 到 MAX_TARGET。",
                                   "a window of `window` blocks has window - 1 gaps; multiply before "
                                   "dividing "
                                   "(integers), and keep the result in 1 … MAX_TARGET.")
                expect(False, say(f"{what}：第 {height} 号区块必须携带的目标值是 {right:#066x}，你的函数给出 "
                                  f"{_shown(mine, say)}；带着它的区块会被链拒绝 [pow-target]",
                                  f"{what}: block {height} must carry the target {right:#066x}; your "
                                  "function "
                                  f"gives {_shown(mine, say)}, and a block carrying it is refused "
                                  "[pow-target]"),
                       hint=hint)
    return cases, check
