"""Lab 6 · Fork choice and reorganisations: the judges of the build notebook's hidden tests (instructors
only).

Each judge makes its inputs from the seed of this grading run (block trees mined here, network seeds)
and checks what the learner's function returned for them, here in the grader's process, with a pristine
minichain (grader/judging.py). The notebook's hidden cells only rebuild those trees and networks in the
kernel, run the learner's function on them and send back plain data (labkit.probe).
"""

from __future__ import annotations

import random
from typing import Any

from grader.judging import Say, expect, judge
from labkit.wire import Raised
from minichain import Block, Chain, MemoryNetwork, NodeConfig
from minichain.testing import make_genesis, make_wallet, produce_block

GAPS = (1, 2, 5, 10, 10, 20, 60, 100)    # seconds between blocks (the target is 10): the work varies
NODES = ["alpha", "beta", "gamma", "delta"]


# --- block trees, mined here and sent to the kernel as blocks ---------------------------------------


def _genesis(bits: int, window: int) -> Any:
    return make_genesis("pow", difficulty_bits=bits, retarget_window=window)


def _tree(bits: int, window: int, blocks: list[Block]) -> Chain:
    """What the notebook's tree_of builds: a node that received `blocks` in this order."""
    chain = Chain(_genesis(bits, window))
    for block in blocks:
        chain.add_block(block)
    return chain


def _line(bits: int, window: int, base: list[Block], gaps: list[int]) -> list[Block]:
    """Blocks mined on top of `base` (blocks from genesis), one per gap; `base` not included."""
    chain = _tree(bits, window, base)
    grown = []
    for gap in gaps:
        produce_block(chain, timestamp=chain.tip.timestamp + gap)
        grown.append(chain.block_at(chain.height))
    return grown


def _random_tree(rng: random.Random, branches: int) -> tuple[int, int, list[Block]]:
    """(difficulty bits, retarget window, blocks in arrival order): a trunk and `branches` more
    branches, each forking from a random block of an earlier branch, with random gaps."""
    bits, window = 8, rng.choice((2, 3, 4))
    lines = [_line(bits, window, [], [rng.choice(GAPS) for _ in range(rng.randrange(2, 6))])]
    blocks = list(lines[0])
    for _ in range(branches):
        parent = rng.choice(lines)
        base = parent[:rng.randrange(len(parent))]
        grown = _line(bits, window, base, [rng.choice(GAPS) for _ in range(rng.randrange(1, 6))])
        lines.append(base + grown)
        blocks += grown
    return bits, window, blocks


def _fast_and_slow(rng: random.Random) -> tuple[int, int, list[Block]]:
    """The notebook's two branches, drawn afresh: a short fast branch whose retargets make it the
    heavier one, and a long slow branch, received first."""
    window = rng.choice((3, 4))
    fast = _line(8, window, [], [rng.choice((1, 2)) for _ in range(window + 1)])
    slow = _line(8, window, [], [rng.choice((80, 100, 120)) for _ in range(2 * window + rng.randrange(1, 3))])
    return 8, window, slow + fast


def _name(chain: Chain, block_hash: Any) -> str:
    """A block as the learner can find it: "#height 1a2b3c…" (or what was found, if not a block)."""
    entry = chain.entry(block_hash) if type(block_hash) is bytes else None
    if entry is None:
        return repr(block_hash)[:40]
    return f"#{entry.height} {block_hash.hex()[:6]}…"


def _names(chain: Chain, hashes: Any) -> str:
    if type(hashes) not in (list, tuple):
        return repr(hashes)[:60]
    return "[" + ", ".join(_name(chain, h) for h in hashes) + "]"


def _count(results: list[Any], cases: list[Any], say: Say) -> None:
    expect(len(results) == len(cases), say(f"应有 {len(cases)} 个结果，收到 {len(results)} 个",
                                           f"expected {len(cases)} results, got {len(results)}"))


def _raised(found: Any, say: Say) -> str:
    return say(f"你的函数抛出了 {found!r}", f"your function raised {found!r}")


# --- exercise 1: cumulative work ---------------------------------------------------------------------


@judge("ex1_hidden")
def total_work(rng: random.Random, say: Say) -> tuple[Any, Any]:
    trees = [_fast_and_slow(rng), _random_tree(rng, 2), _random_tree(rng, 3)]
    cases: list[list[Any]] = []
    chains: list[Chain] = []
    for bits, window, blocks in trees:
        chain = _tree(bits, window, blocks)
        hashes = [entry.hash for entry in chain.all_entries()]
        rng.shuffle(hashes)
        cases.append([bits, window, blocks, hashes])
        chains.append(chain)

    def best_chain_sum(chain: Chain, height: int) -> int:
        top = min(height, chain.height)
        return sum(chain.engine.weight(chain.block_at(h).header) for h in range(1, top + 1))

    def check(results: list[Any]) -> None:
        _count(results, cases, say)
        for chain, (_, _, _, hashes), found in zip(chains, cases, results, strict=True):
            if type(found) is Raised:
                expect(False, say(f"一棵 {len(hashes)} 个区块的树：{_raised(found, say)}",
                                  f"a tree of {len(hashes)} blocks: {_raised(found, say)}"),
                       hint=say("区块可能在侧分支上：用 chain.get 沿 parent_hash 往回走，不要用 block_at。",
                                "a block may sit on a side branch: walk back with chain.get through "
                                "parent_hash, not block_at."))
            expect(type(found) is list and len(found) == len(hashes),
                   say(f"一棵 {len(hashes)} 个区块的树：应得到每个区块的累计工作量，你的函数给出 "
                       f"{found!r:.80}",
                       f"a tree of {len(hashes)} blocks: expected each block's cumulative work, your "
                       f"function gives {found!r:.80}"))
            for block_hash, mine in zip(hashes, found, strict=True):
                entry = chain.entry(block_hash)
                assert entry is not None
                right = entry.total_weight
                if type(mine) is int and mine == right:
                    continue
                where = say("最佳链上" if chain.is_main(block_hash) else "侧分支上",
                            "on the best chain" if chain.is_main(block_hash) else "on a side branch")
                if entry.height == 0:
                    hint = say("创世区块本身算 0。", "the genesis block itself counts 0.")
                elif mine == entry.height:
                    hint = say("你数的是区块个数：每个区块的分量是 work(header.seal.target)。",
                               "you counted blocks: each block weighs work(header.seal.target).")
                elif mine == entry.height * chain.engine.weight(entry.header):
                    hint = say("难度会调整：要逐个加上每个区块自己的工作量，"
                               "而不是 区块数 × 这个区块的工作量。",
                               "the difficulty adjusts: add each block's own work, "
                               "not blocks × this block's work.")
                elif mine == best_chain_sum(chain, entry.height):
                    hint = say("你加的是最佳链上的区块（block_at）：沿 parent_hash 往回走。",
                               "you added the best chain's blocks (block_at): walk back through parent_hash.")
                else:
                    hint = say("从这个区块沿 parent_hash 走到创世区块，加上每个区块的 "
                               "work(header.seal.target)，创世区块不算。",
                               "walk from this block to genesis through parent_hash, adding each block's "
                               "work(header.seal.target), genesis excluded.")
                shown = _raised(mine, say) if type(mine) is Raised else repr(mine)[:60]
                expect(False, say(f"{where}的区块 {_name(chain, block_hash)}：minichain 记下的累计工作量是 "
                                  f"{right}，你的函数给出 {shown}",
                                  f"the block {_name(chain, block_hash)} {where}: minichain's cumulative "
                                  f"work is {right}; your function gives {shown}"), hint=hint)
    return cases, check


# --- exercise 2: fork choice -------------------------------------------------------------------------


@judge("ex2_hidden")
def heaviest_tip(rng: random.Random, say: Say) -> tuple[Any, Any]:
    trees = [_fast_and_slow(rng), _random_tree(rng, 0), *(_random_tree(rng, n) for n in (1, 2, 3, 4))]
    cases = [[bits, window, blocks] for bits, window, blocks in trees]
    chains = [_tree(*tree) for tree in trees]

    def check(results: list[Any]) -> None:
        _count(results, cases, say)
        for chain, found in zip(chains, results, strict=True):
            tips = [e for e in chain.all_entries() if not chain.children(e.hash)]
            best = max(e.total_weight for e in tips)
            if type(found) is bytes and any(e.hash == found and e.total_weight == best for e in tips):
                continue
            follows = chain.entry(chain.tip_hash)
            assert follows is not None
            what = say(f"一棵有 {len(tips)} 个链头的树：minichain 跟随链头 {_name(chain, chain.tip_hash)}（高"
                       f" {follows.height}，累计工作量 {best}）",
                       f"a tree with {len(tips)} tips: minichain follows the tip "
                       f"{_name(chain, chain.tip_hash)} (height {follows.height}, cumulative work {best})")
            entry = chain.entry(found) if type(found) is bytes else None
            if entry is None:
                mine = _raised(found, say) if type(found) is Raised else \
                    say(f"你的函数给出 {found!r:.60}（应是树中一个区块的哈希，bytes）",
                        f"your function gives {found!r:.60} (a block hash of the tree, bytes, is expected)")
                hint = say("返回链头的哈希 entry.hash。", "return the tip's hash, entry.hash.")
            else:
                mine = say(f"你的函数选了 {_name(chain, found)}（高 {entry.height}，累计工作量 "
                           f"{entry.total_weight}）",
                           f"your function chose {_name(chain, found)} (height {entry.height}, cumulative "
                           f"work {entry.total_weight})")
                if chain.children(found):
                    hint = say("它有子区块，不是链头：只比较没有子区块的区块。",
                               "it has children, so it is not a tip: compare only blocks without children.")
                elif entry.height == max(e.height for e in tips):
                    hint = say("它是最高的链头，却不是最重的：比较累计工作量，不是高度。",
                               "it is the highest tip but not the heaviest: compare cumulative work, not "
                               "height.")
                else:
                    hint = say("在所有链头中挑累计工作量（total_weight）最大的那个。",
                               "pick, among all tips, the one with the greatest cumulative work "
                               "(total_weight).")
            expect(False, what + say("；", "; ") + mine, hint=hint)
    return cases, check


# --- exercise 3: planning a reorganisation -----------------------------------------------------------


def _ancestry(chain: Chain, block_hash: bytes) -> list[Block]:
    """The blocks from genesis (excluded) to `block_hash` (included), oldest first."""
    blocks = []
    while block_hash != chain.genesis_hash:
        block = chain.get(block_hash)
        assert block is not None
        blocks.append(block)
        block_hash = block.header.parent_hash
    return blocks[::-1]


def _minichain_switch(bits: int, window: int, blocks: list[Block], target: bytes) -> tuple[Any, ...]:
    """(fork point, disconnected, connected up to `target`) as minichain's own reorganisation does it:
    a copy of the tree gets blocks on top of `target` until that branch is the heaviest (5 s apart, so
    that each retarget doubles their work and the mining stays short)."""
    copy = _tree(bits, window, blocks)
    base = _ancestry(copy, target)
    extra: list[Block] = []
    while True:
        extra += _line(bits, window, base + extra, [5])
        update = copy.add_block(extra[-1])
        if update.status == "reorg":
            break
        assert len(extra) < 200, "no reorganisation"
    suite = copy.suite
    connected = [b.hash(suite) for b in update.connected][:len(update.connected) - len(extra)]
    return (update.connected[0].header.parent_hash, [b.hash(suite) for b in update.disconnected], connected)


@judge("ex3_hidden")
def reorg_plan(rng: random.Random, say: Say) -> tuple[Any, Any]:
    cases: list[list[Any]] = []
    truths: list[tuple[str, tuple[Any, ...]]] = []
    for branches in (1, 2, 2, 3):
        bits, window, blocks = _random_tree(rng, branches)
        chain = _tree(bits, window, blocks)
        side = [e.hash for e in chain.all_entries() if not chain.is_main(e.hash)]
        side_tips = [h for h in side if not chain.children(h)]
        targets = []
        if side_tips:
            targets.append((say("侧分支的链头", "a side branch's tip"), rng.choice(side_tips)))
        middles = [h for h in side if chain.children(h)]
        if middles:
            middle = say("侧分支中间的区块", "a block in the middle of a side branch")
            targets.append((middle, rng.choice(middles)))
        for what, target in targets:
            cases.append([bits, window, blocks, target])
            truths.append((what, _minichain_switch(bits, window, blocks, target)))
        height = rng.randrange(chain.height)
        older = chain.hash_at(height)
        what = say(f"最佳链上更早的第 {height} 号区块" + ("（创世区块）" if height == 0 else ""),
                   f"the best chain's older block at height {height}" + (" (genesis)" if height == 0 else ""))
        cases.append([bits, window, blocks, older])
        truths.append((what, (older, [chain.hash_at(h) for h in range(chain.height, height, -1)], [])))
    bits, window, blocks = _random_tree(rng, 1)
    chain = _tree(bits, window, blocks)
    cases.append([bits, window, blocks, chain.tip_hash])
    nothing = say("当前链头本身（无事可做）", "the current tip itself (nothing to do)")
    truths.append((nothing, (chain.tip_hash, [], [])))
    chains = [_tree(*case[:3]) for case in cases]

    def check(results: list[Any]) -> None:
        _count(results, cases, say)
        for chain, case, (what, right), found in zip(chains, cases, truths, results, strict=True):
            switch = say(f"从链头 {_name(chain, chain.tip_hash)} 切换到{what} {_name(chain, case[3])}",
                         f"switching from the tip {_name(chain, chain.tip_hash)} to {what} "
                         f"{_name(chain, case[3])}")
            if type(found) is Raised:
                expect(False, switch + say("：", ": ") + _raised(found, say),
                       hint=say("两者都在树中；沿父哈希往回走，直到 chain.is_main 为真的区块。",
                                "both are in the tree; walk back through parent hashes until chain.is_main."))
            expect(type(found) is tuple and len(found) == 3,
                   switch + say("：reorg_plan 应返回 (fork_point, disconnect, connect) 三项，实际是 "
                                f"{found!r:.80}",
                                ": reorg_plan returns (fork_point, disconnect, connect), found "
                                f"{found!r:.80}"))
            fork, disconnect, connect = found
            expect(type(fork) is bytes and fork == right[0],
                   switch + say(f"：分叉点应为 {_name(chain, right[0])}，你的计划是 {_name(chain, fork)}",
                                f": the fork point is {_name(chain, right[0])}, your plan says "
                                f"{_name(chain, fork)}"),
                   hint=say("分叉点是往回走时遇到的第一个最佳链上的区块（可以是目标本身），它不撤下。",
                            "the fork point is the first best-chain block met walking back (it may be the "
                            "target itself); it stays."))
            for part, mine, truth, hint in (
                    (say("撤下的区块（最新的在前）", "the blocks disconnected (newest first)"),
                     disconnect, right[1],
                     say("最佳链上分叉点以上的区块，从链头往下，分叉点本身不撤下。",
                         "the best chain's blocks above the fork point, from the tip down; "
                         "not the fork point.")),
                    (say("接上的区块（最旧的在前）", "the blocks connected (oldest first)"),
                     connect, right[2],
                     say("往回走时经过的区块，倒过来（最旧的在前）；不含分叉点。",
                         "the blocks passed walking back, reversed (oldest first), "
                         "without the fork point."))):
                ok = type(mine) in (list, tuple) and len(mine) == len(truth) and all(
                    type(h) is bytes and h == t for h, t in zip(mine, truth, strict=False))
                expect(ok, switch + say(f"：{part}应为 {_names(chain, truth)}，你的计划是 "
                                        f"{_names(chain, mine)}",
                                        f": {part} should be {_names(chain, truth)}, your plan says "
                                        f"{_names(chain, mine)}"), hint=hint)
    return cases, check


# --- exercise 4: healing a partition -----------------------------------------------------------------


def _cut_network(seed: int, left: int, right: int) -> MemoryNetwork:
    """The notebook's cut_network: four nodes, mining only when told, cut in two; each side mines."""
    genesis = make_genesis("pow", difficulty_bits=12, retarget_window=1000)
    configs = [NodeConfig(node, miner=make_wallet(f"miner-{node}").address, mining_attempts_per_tick=0)
               for node in NODES]
    net = MemoryNetwork(genesis, configs, seed=seed)
    net.run_for(1)
    _cut_again(net, left, right)
    return net


def _cut_again(net: MemoryNetwork, left: int, right: int) -> None:
    net.partition([NODES[:2], NODES[2:]])
    for node in ["alpha"] * left + ["gamma"] * right:
        net.produce(node)
        net.run_for(1)


def _heal(net: MemoryNetwork, limit: float) -> tuple[float, list[str], bool]:
    """What the text asks for, measured on the judge's own copy of the network."""
    mark, start = len(net.log), net.elapsed
    net.heal()
    for _ in range(round(limit / 0.1)):
        if net.converged():
            break
        net.run_for(0.1)
    reorganised = sorted({e.source for e in net.log[mark:] if e.kind == "reorg"})
    return round(net.elapsed - start, 1), reorganised, net.converged()


def _seconds(found: Any) -> float | None:
    """A number of seconds as the probe sends it: ["float", repr] for a float, an int as it is."""
    if type(found) is int:
        return float(found)
    if type(found) is list and len(found) == 2 and found[0] == "float" and type(found[1]) is str:
        try:
            return float(found[1])
        except ValueError:
            return None
    return None


def _shown(found: Any) -> str:
    if type(found) is list and len(found) == 2 and found[0] == "float":
        return str(found[1])[:30]
    return repr(found)[:60]


def _scripted(rng: random.Random) -> tuple[list[Any], tuple[float, list[str]]]:
    """A stand-in network (the probe builds it): old reorgs before the heal, then reorgs (some
    twice) in the heal, converging after `steps` steps of 0.1 s."""
    old = rng.sample(NODES, rng.randrange(1, 3))
    new = rng.sample(NODES, rng.randrange(1, 4))
    new += rng.sample(new, 1)                    # one of them twice
    rng.shuffle(new)
    steps = rng.randrange(1, 12)
    start = float(rng.randrange(5, 40))
    return ["script", repr(start), old, new, steps], (round(steps * 0.1, 1), sorted(set(new)))


@judge("ex4_hidden")
def heal_and_measure(rng: random.Random, say: Say) -> tuple[Any, Any]:
    plans: list[tuple[list[list[int]], int]] = []
    for _ in range(2):                                       # one side mines more: the other reorganises
        low = rng.randrange(1, 3)
        pair = [low, low + rng.randrange(1, 3)]
        rng.shuffle(pair)
        plans.append(([pair], 30))
    one_side = [0, rng.randrange(1, 3)]
    rng.shuffle(one_side)
    plans.append(([one_side], 30))                           # only one side mines: nobody reorganises
    equal = rng.randrange(1, 3)
    plans.append(([[equal, equal]], rng.choice((2, 3))))    # equal work: give up after the limit
    plans.append(([[1, 2], [rng.randrange(1, 3), 0]], 30))   # a second cut: the first reorgs do not count
    cases: list[list[Any]] = []
    truths: list[Any] = []
    for cuts, limit in plans:
        seed = rng.randrange(10_000)
        net = None
        rounds = []
        for left, right in cuts:
            if net is None:
                net = _cut_network(seed, left, right)
            else:
                _cut_again(net, left, right)
            rounds.append(_heal(net, limit))
        cases.append(["net", seed, cuts, limit])
        truths.append(rounds)
    for _ in range(2):
        case, truth = _scripted(rng)
        cases.append(case)
        truths.append(truth)

    def check(results: list[Any]) -> None:
        _count(results, cases, say)
        for case, truth, found in zip(cases, truths, results, strict=True):
            if case[0] == "script":
                _, _, old, new, steps = case
                what = say(f"一个替身网络：heal 之前日志里已有 {old} 的重组，heal 之后 {new} 依次重组，再前进"
                           f" {steps} 次 0.1 秒后一致",
                           f"a stand-in network: its log holds reorgs of {old} before the heal, {new} "
                           f"reorganise in turn after it, and it agrees after {steps} steps of 0.1 s")
                ok = (type(found) is tuple and len(found) == 2 and _seconds(found[0]) is not None
                      and abs(_seconds(found[0]) - truth[0]) < 1e-9 and found[1] == truth[1]
                      and type(found[1]) is list and all(type(n) is str for n in found[1]))
                mine = _raised(found, say) if type(found) is Raised else (
                    f"({_shown(found[0])}, {found[1]!r:.60})" if type(found) is tuple and len(found) == 2
                    else repr(found)[:60])
                expect(ok, what + say(f"：应返回 ({truth[0]}, {truth[1]})，你的函数给出 {mine}",
                                      f": expected ({truth[0]}, {truth[1]}), your function gives {mine}"),
                       hint=say("只算 heal 之后的日志（先记下 len(net.log)）；每个节点只列一次并排序；秒数是 "
                                "net.elapsed 之差，四舍五入到 0.1。",
                                "count only the log after the heal (note len(net.log) first); each node "
                                "once, sorted; the seconds are the net.elapsed difference, rounded to 0.1."))
                continue
            _, seed, cuts, limit = case
            if type(found) is Raised:
                expect(False, say(f"种子 {seed} 的网络：{_raised(found, say)}",
                                  f"the network of seed {seed}: {_raised(found, say)}"),
                       hint=say(f"满 limit（{limit}）秒仍未一致就放弃："
                                "每次 run_for(0.1)，最多 limit / 0.1 次。",
                                f"give up after limit ({limit}) seconds: "
                                "run_for(0.1) at most limit / 0.1 times."))
            expect(type(found) is list and len(found) == len(cuts),
                   say(f"种子 {seed} 的网络：结果的形式不对（{found!r:.60}）",
                       f"the network of seed {seed}: results of the wrong shape ({found!r:.60})"))
            for number, ((left, right), (seconds, losers, agreed), mine) in enumerate(
                    zip(cuts, truth, found, strict=True), start=1):
                what = say(f"种子 {seed}，第 {number} 次分区：甲乙一侧挖 {left} 块、丙丁一侧挖 {right} "
                           f"块，limit={limit}",
                           f"seed {seed}, cut {number}: alpha+beta mine {left}, gamma+delta {right}, "
                           f"limit={limit}")
                expect(type(mine) is list and len(mine) == 2 and type(mine[0]) is tuple and len(mine[0]) == 2,
                       what + say(f"：heal_and_measure 应返回 (seconds, reorganised)，实际是 {mine!r:.80}",
                                  f": heal_and_measure returns (seconds, reorganised), found {mine!r:.80}"))
                (got_seconds, got_who), got_agreed = mine
                expect(got_agreed is agreed,
                       what + say("：函数返回时网络" +
                                  ("应已一致" if agreed else "本不可能一致（两边工作量相同）"),
                                  ": when your function returns the network " +
                                  ("should agree" if agreed else "cannot agree (equal work on both sides)")),
                       hint=say("每次前进 0.1 秒，直到 net.converged()，最多 limit 秒。",
                                "advance 0.1 s at a time until net.converged(), for at most limit seconds."))
                expect(got_who == losers and type(got_who) is list and all(type(n) is str for n in got_who),
                       what + say(f"：minichain 的网络里重组的节点是 {losers}，你的函数给出 {got_who!r:.60}",
                                  f": the nodes that reorganised in minichain's network are {losers}; your "
                                  f"function gives {got_who!r:.60}"),
                       hint=say("只算 heal 之后记下的 \"reorg\" 事件（先记下 len(net.log)），去重并排序。",
                                "count only the \"reorg\" events logged after the heal (note len(net.log) "
                                "first), no repeats, sorted."))
                value = _seconds(got_seconds)
                rounded = value is not None and abs(value - round(value, 1)) < 1e-9
                expect(rounded and value is not None and abs(value - seconds) <= 0.1 + 1e-9,
                       what + say(f"：达成一致用了约 {seconds} 秒（误差 0.1 秒以内，四舍五入到 0.1 秒），你的"
                                  f"函数给出 {_shown(got_seconds)}",
                                  f": agreeing took about {seconds} s (within 0.1 s, rounded to 0.1 s); your "
                                  f"function gives {_shown(got_seconds)}"),
                       hint=say("秒数是 heal 前后 net.elapsed 之差，round(..., 1)；"
                                "每次 run_for(0.1)，一致就停。",
                                "the seconds are the net.elapsed difference across the heal, round(..., 1); "
                                "run_for(0.1) each time, stopping once converged."))
    return cases, check
