"""Lab 10 · Byzantine fault tolerance: the judges of the build notebook's hidden tests (instructors only).

Each judge makes its inputs from the seed of this grading run: how many validators, which votes (who
signs, whose key they carry, for which block), which lock and which proposal. The notebook's hidden
cells rebuild the votes and proposals in the learner's kernel, call the learner's function and send
back what it returned (labkit.probe). The judge checks it here, in the grader's process, against
minichain's own consensus: ValidatorSet for the sizes, and a real Tendermint state machine, driven into
each situation by signed messages, for which votes count and what an honest validator prevotes.
"""

from __future__ import annotations

import contextlib
import hashlib
import random
from typing import Any

from grader.judging import Say, expect, judge
from labkit.wire import Raised, Unsupported
from minichain import MinichainError
from minichain.consensus.bft import Proposal, Step, Tendermint, Timeout, ValidatorSet, Vote, VoteKind
from minichain.consensus.bft.simulation import SimApp, Simulation

OUTSIDER = -1   # the logistics company: not a validator (the notebook's OUTSIDER)
PREVOTE = VoteKind.PREVOTE
NAMES = [("海关", "Customs"), ("税务局", "Tax Bureau"), ("港务局", "Port Authority"), ("银行", "Bank"),
         ("保险公司", "Insurer"), ("船公司", "Shipping Line"), ("仓储公司", "Warehouse")]
LETTERS = "ABCDEFG"

# What a learner reads after a failed check, by the mistake that most likely caused it: (zh, en).
HINTS = {
    "todo": ("把 raise NotImplementedError() 换成你的代码，再运行这个单元格和下面的测试。",
             "replace raise NotImplementedError() with your code, then run the cell and the test below it."),
    "whole": ("返回一个整数（int），用整数除法 //，不要用 / 得到浮点数。",
              "return a whole number (an int): use whole-number division //, not / (a float)."),
    "n-over-3": ("条件是 n ≥ 3f + 1：f = (n - 1) // 3。n // 3 在 n 是 3 的倍数时多算了一个"
                 "（3 个节点一个也容忍不了）。",
                 "the condition is n >= 3f + 1: f = (n - 1) // 3. n // 3 is one too many when n is a "
                 "multiple of 3 (3 validators tolerate none)."),
    "faults": ("由 n ≥ 3f + 1 得 f = (n - 1) // 3。", "n >= 3f + 1 gives f = (n - 1) // 3."),
    "2f+1": ("2f + 1 只在 n = 3f + 1 时是超过三分之二；一般情况要 2 * n // 3 + 1（5 个节点要 4 票）。",
             "2f + 1 is more than two thirds only when n = 3f + 1; in general it is 2 * n // 3 + 1 (5 "
             "validators need 4 votes)."),
    "two-thirds": ("恰好三分之二不够，要超过三分之二：2 * n // 3 + 1（6 个节点要 5 票，不是 4 票）。",
                   "exactly two thirds is not enough, it must be more: 2 * n // 3 + 1 (6 validators need 5, "
                   "not 4)."),
    "majority": ("过半数（n // 2 + 1）只够应付停机（`Raft`）；容忍作恶要超过三分之二：2 * n // 3 + 1。",
                 "a majority (n // 2 + 1) is enough against crashes only (Raft); against lying validators it "
                 "takes more than two thirds: 2 * n // 3 + 1."),
    "quorum": ("超过三分之二：3 * 票数 > 2 * n 的最小票数，2 * n // 3 + 1。",
               "more than two thirds: the fewest votes with 3 * votes > 2 * n, 2 * n // 3 + 1."),
    "count": ("返回一个整数：投给 block_hash 的不同验证节点的个数。",
              "return a whole number: how many different validators voted for block_hash."),
    "outsider": ("名单外的票不算：domain.suite.address(vote.validator) in validators。",
                 "an outsider's vote does not count: domain.suite.address(vote.validator) in validators."),
    "signature": ("签名不通过的票不算：vote.verifies(domain)。",
                  "a vote whose signature fails does not count: vote.verifies(domain)."),
    "first": ("每个验证节点只算第一张算数的票：它后来投给另一个区块的票不算。",
              "only each validator's first vote that counts is kept: a later vote for another block does not "
              "count."),
    "distinct": ("数的是不同的验证节点，不是票的张数：同一个节点重复投的票只算一次。",
                 "count different validators, not vote messages: a validator's repeated vote counts once."),
    "verify-first": ("签名不对的票不算“第一张票”：先检查名单和签名，再看这个验证节点是否已经投过。",
                     "a forged vote is no first vote: check the list and the signature before looking "
                     "whether the validator voted already."),
    "nil": ("block_hash 为 None 时数的是空票：比较 vote.block_hash == block_hash。",
            "with block_hash None, count the nil votes: compare vote.block_hash == block_hash."),
    "value": ("返回区块哈希 proposal.block_hash（bytes）或者 None，不是 True/False，也不是提议本身。",
              "return the block hash proposal.block_hash (bytes) or None, not True/False and not the "
              "proposal itself."),
    "invalid": ("无效的区块一律投空票：先看 valid。",
                "an invalid block always gets nil: look at valid first."),
    "unlocked": ("没有锁定（locked_round == -1）时，有效的新区块就投它。",
                 "not locked (locked_round == -1): vote for a valid new block."),
    "locked-other": ("锁定在别的区块上、提议又没有证明（valid_round == -1）：投空票。",
                     "locked on another block and no proof (valid_round == -1): nil."),
    "locked-same": ("锁定的正是这个区块（locked_value == proposal.block_hash）：投它。",
                    "locked on this very block (locked_value == proposal.block_hash): vote for it."),
    "no-proof": ("valid_round 不是 -1 时要有法定人数的预投票作证明：pol_prevotes < quorum 时投空票。",
                 "with valid_round not -1, a quorum of prevotes must prove it: nil when "
                 "pol_prevotes < quorum."),
    "unlock": ("证明成立、并且不早于锁定（locked_round <= valid_round）：改投新区块，否则网络会卡住。",
               "the proof holds and is no earlier than the lock (locked_round <= valid_round): switch to the "
               "new block, or the network could get stuck."),
    "earlier-proof": ("更早轮次的证明不能解开更晚的锁：locked_round > valid_round 时投空票。",
                      "a proof from an earlier round never opens a later lock: nil when locked_round > "
                      "valid_round."),
}


def block(name: str) -> bytes:
    """The notebook's example block hashes."""
    return hashlib.sha256(name.encode()).digest()


BLOCKS = {block(letter): letter for letter in LETTERS}


def _shown(found: Any, say: Say) -> str:
    """What the learner's function gave, as a learner would read it."""
    if isinstance(found, Raised):
        said = found.message[:120]
        return say(f"抛出了 {found.kind}" + (f"：{said}" if said else ""),
                   f"raised {found.kind}" + (f": {said}" if said else ""))
    if isinstance(found, Unsupported):
        return say(f"一个 {found.kind} 对象", f"a {found.kind} object")
    if found is None:
        return say("空票（None）", "nil (None)")
    if type(found) is bytes and found in BLOCKS:
        return say(f"区块 {BLOCKS[found]}", f"block {BLOCKS[found]}")
    return repr(found)[:80]


def _value(value: bytes | None, say: Say) -> str:
    return _shown(value, say)


def _not_raised(say: Say, what: str, found: Any, hint: str) -> None:
    """A call that raised is a failure: what raised, and the hint (or: the exercise is not done yet)."""
    if isinstance(found, Raised):
        todo = found.kind == "NotImplementedError"
        expect(False, say(f"{what}：你的函数{_shown(found, say)}",
                          f"{what}: your function {_shown(found, say)}"),
               hint=say(*HINTS["todo"]) if todo else hint)


def _count(results: Any, cases: list[Any], say: Say) -> None:
    expect(type(results) is list and len(results) == len(cases),
           say(f"应有 {len(cases)} 个结果，收到 {_shown(results, say)}",
               f"expected {len(cases)} results, got {_shown(results, say)}"))


def _set(n: int) -> ValidatorSet:
    return ValidatorSet(tuple(f"validator-{i}" for i in range(n)))


# --- exercises 1 and 2: the sizes ------------------------------------------------------------------


def _sizes(rng: random.Random) -> list[int]:
    return [1, 2, 3, 4, 5, 6, 7, 9, 10, 12, 13, 21, 22, 100, *rng.sample(range(14, 400), 10)]


@judge("ex1_hidden")
def faults_tolerated(rng: random.Random, say: Say) -> tuple[Any, Any]:
    cases = _sizes(rng)

    def check(results: list[Any]) -> None:
        _count(results, cases, say)
        for n, found in zip(cases, results, strict=True):
            right = _set(n).f
            what = say(f"{n} 个验证节点能容忍的故障节点数", f"faulty validators {n} validators tolerate")
            _not_raised(say, what, found, say(*HINTS["faults"]))
            if type(found) is int and found == right:
                continue
            key = "whole" if type(found) is not int else "n-over-3" if found == n // 3 else "faults"
            expect(False, say(f"{what}：minichain 说 {right}（n ≥ 3f + 1），你的函数说 {_shown(found, say)}",
                              f"{what}: minichain says {right} (n >= 3f + 1), your function says "
                              f"{_shown(found, say)}"), hint=say(*HINTS[key]))
    return cases, check


@judge("ex2_hidden")
def quorum_size(rng: random.Random, say: Say) -> tuple[Any, Any]:
    cases = _sizes(rng)

    def check(results: list[Any]) -> None:
        _count(results, cases, say)
        for n, found in zip(cases, results, strict=True):
            right = _set(n).quorum
            what = say(f"{n} 个验证节点的法定人数", f"the quorum of {n} validators")
            _not_raised(say, what, found, say(*HINTS["quorum"]))
            if type(found) is int and found == right:
                continue
            f = _set(n).f
            if type(found) is not int:
                key = "whole"
            elif found == 2 * f + 1:
                key = "2f+1"
            elif found == -(-2 * n // 3):
                key = "two-thirds"
            elif found == n // 2 + 1:
                key = "majority"
            else:
                key = "quorum"
            expect(False, say(f"{what}：minichain 说 {right} 票（超过三分之二），"
                              f"你的函数说 {_shown(found, say)}",
                              f"{what}: minichain says {right} votes (more than two thirds), your function "
                              f"says {_shown(found, say)}"), hint=say(*HINTS[key]))
    return cases, check


# --- exercise 3: which votes count -----------------------------------------------------------------


def _votes(sim: Simulation, described: list[list[Any]]) -> list[Vote]:
    """The notebook's vote(sim, signer, value, claimed) for each [signer, claimed, value]."""
    def key(index: int) -> bytes:
        return sim.suite.private_key_from_seed(b"org-logistics") if index == OUTSIDER else sim.keys[index]

    return [Vote(PREVOTE, 1, 0, value, sim.suite.public_key(key(claimed))).signed(
        sim.engine.domain, key(signer)) for signer, claimed, value in described]


def _engine_count(n: int, described: list[list[Any]], value: bytes | None) -> int:
    """What minichain's Tendermint counts for `value` after hearing the votes."""
    sim = Simulation(n=n)
    machine = Tendermint(sim.engine.validators, sim.engine.domain, sim.keys[0], SimApp(0),
                         sim.engine.timeouts)
    machine.start_height(1)
    for vote in _votes(sim, described):
        with contextlib.suppress(MinichainError):   # refused: [bft-validator] or [bft-signature]
            machine.on_vote(vote)
    return machine.votes.votes(0, PREVOTE).count(value)


def _slips(described: list[list[Any]], value: bytes | None) -> dict[str, int]:
    """The counts of the usual mistakes (on the votes' descriptions), to tell the learner which it was."""
    forged = object()   # a validator "seen" through a vote whose signature failed

    def count(*, members: bool = True, signatures: bool = True, last: bool = False, distinct: bool = True,
              verify_first: bool = True) -> int:
        seen: dict[int, Any] = {}
        messages = 0
        for signer, claimed, voted in described:
            good = signer == claimed or not signatures
            if members and claimed == OUTSIDER:
                continue
            if not verify_first:
                seen.setdefault(claimed, voted if good else forged)
                continue
            if not good:
                continue
            messages += voted == value
            if last or claimed not in seen:
                seen[claimed] = voted
        return messages if not distinct else sum(1 for voted in seen.values() if voted is not forged
                                                 and voted == value)

    return {"outsider": count(members=False), "signature": count(signatures=False), "first": count(last=True),
            "distinct": count(distinct=False), "verify-first": count(verify_first=False)}


def _vote_cases(rng: random.Random) -> list[list[Any]]:
    # the mistakes of the text first, each on its own: an outsider, a forgery, a change of mind, a repeat,
    # a forgery before the real vote, nil; then random mixes of all of them
    a, b = block("A"), block("B")
    cases: list[list[Any]] = [
        [4, [[0, 0, a], [OUTSIDER, OUTSIDER, a], [1, 1, a]], a],
        [4, [[3, 0, a], [1, 1, a], [2, 2, a]], a],
        [5, [[3, 3, b], [3, 3, a], [0, 0, a]], a],
        [4, [[2, 2, a], [2, 2, a], [2, 2, a], [1, 1, a]], a],
        [4, [[3, 2, a], [2, 2, a], [1, 1, a]], a],
        [4, [[0, 0, None], [1, 1, a], [2, 2, None]], None]]
    values: list[bytes | None] = [block("A"), block("B"), None]
    for n in (4, 4, 5, 6, 7, 4, 7, 5, 4, 6):
        described: list[list[Any]] = []
        for _ in range(rng.randrange(3, 3 * n)):
            kind = rng.choice(["honest"] * 4 + ["outsider", "forged", "twice", "other-then"])
            who = rng.randrange(n)
            voted = rng.choice(values)
            if kind == "outsider":
                described.append([OUTSIDER, OUTSIDER, voted])
            elif kind == "forged":
                described.append([rng.choice([i for i in range(n) if i != who]), who, voted])
            elif kind == "twice":
                described += [[who, who, voted], [who, who, voted]]
            elif kind == "other-then":
                described += [[who, who, rng.choice([v for v in values if v != voted])], [who, who, voted]]
            else:
                described.append([who, who, voted])
        cases.append([n, described, rng.choice(values)])
    return cases


@judge("ex3_hidden")
def count_votes(rng: random.Random, say: Say) -> tuple[Any, Any]:
    cases = _vote_cases(rng)
    truths = [_engine_count(n, described, value) for n, described, value in cases]

    def describe(n: int, described: list[list[Any]]) -> str:
        def one(signer: int, claimed: int, voted: bytes | None) -> str:
            name = (say(*NAMES[claimed]) if claimed != OUTSIDER
                    else say("物流公司（名单外）", "the logistics company"))
            shown = _value(voted, say)
            if signer != claimed:
                return say(f"冒充{name}的{shown}（签名不对）", f"{shown} forged in the {name}'s name")
            return say(f"{name}投{shown}", f"{name}: {shown}")
        listed = say("；", "; ").join(one(*each) for each in described[:8])
        more = say(f"……共 {len(described)} 张", f"… {len(described)} in all") if len(described) > 8 else ""
        return say(f"{n} 个验证节点，依次收到：{listed}{more}",
                   f"{n} validators, votes heard in order: {listed}{more}")

    def check(results: list[Any]) -> None:
        _count(results, cases, say)
        slips = [_slips(described, value) for _, described, value in cases]
        # the mistake that explains every answer, if one does (a slip is seen in all cases at once)
        answers = list(zip(results, slips, strict=True))
        slip = next((key for key in slips[0]
                     if all(type(found) is int and found == counts[key] for found, counts in answers)), None)
        for (n, described, value), right, found in zip(cases, truths, results, strict=True):
            what = describe(n, described)
            _not_raised(say, what, found, say(*HINTS["count"]))
            if type(found) is int and found == right:
                continue
            key = slip or ("nil" if value is None and type(found) is int else "count")
            expect(False, say(f"投给{_value(value, say)}的票：minichain 的状态机算 {right} 票，"
                              f"你的函数算 {_shown(found, say)}。{what}",
                              f"votes for {_value(value, say)}: minichain's state machine counts {right}, "
                              f"your function {_shown(found, say)}. {what}"), hint=say(*HINTS[key]))
    return cases, check


# --- exercise 4: the lock rule -----------------------------------------------------------------------


def engine_prevote(n: int, locked_value: bytes | None, locked_round: int, value: bytes, valid_round: int,
                   pol: int, round: int, valid: bool) -> tuple[bytes | None, bytes | None, int, int]:
    """One of minichain's Tendermint validators, driven by signed messages into the situation (locked on
    `locked_value` by 2f+1 prevotes in `locked_round`; `pol` others prevoted `value` in `valid_round`),
    shown round `round`'s proposal: (its prevote, its locked value, its locked round, the prevotes for
    `value` in `valid_round` it counted). The notebook's minichain_prevote, here in the grader."""
    sim = Simulation(n=n)
    validators, domain = sim.engine.validators, sim.engine.domain
    keys = [sim.suite.public_key(k) for k in sim.keys]

    def proposer(r: int) -> int:
        return (1 + r) % n

    me = next(i for i in range(n) if i not in (proposer(round), proposer(max(locked_round, 0))))
    machine = Tendermint(validators, domain, sim.keys[me], SimApp(me, invalid=set() if valid else {value}),
                         sim.engine.timeouts)
    machine.start_height(1)
    others = [i for i in range(n) if i != me]

    def enter(r: int) -> None:
        for _ in range(r - machine.round):   # a precommit timeout moves to the next round
            machine.on_timeout(Timeout(1, machine.round, Step.PRECOMMIT))

    if locked_round >= 0 and locked_value is not None:
        enter(locked_round)
        p = proposer(locked_round)
        machine.on_proposal(Proposal(1, locked_round, locked_value, -1, keys[p]).signed(domain, sim.keys[p]))
        for i in others[:validators.quorum]:
            machine.on_vote(Vote(PREVOTE, 1, locked_round, locked_value, keys[i]).signed(domain, sim.keys[i]))
    enter(round)
    if valid_round >= 0:
        for i in others[:pol]:
            machine.on_vote(Vote(PREVOTE, 1, valid_round, value, keys[i]).signed(domain, sim.keys[i]))
    p = proposer(round)
    machine.on_proposal(Proposal(1, round, value, valid_round, keys[p]).signed(domain, sim.keys[p]))
    machine.on_timeout(Timeout(1, round, Step.PROPOSE))
    mine = [m for m in machine.log.records(1)
            if isinstance(m, Vote) and m.kind is PREVOTE and m.round == round]
    counted = machine.votes.votes(valid_round, PREVOTE).count(value) if valid_round >= 0 else 0
    return mine[0].block_hash, machine.locked_value, machine.locked_round, counted


def _situations(rng: random.Random) -> list[tuple[Any, ...]]:
    """(n, locked_value, locked_round, value, valid_round, pol, round, valid): every branch of L22-33."""
    a, b = block("A"), block("B")
    found: list[tuple[Any, ...]] = []
    for n in (4, 5, 7):
        q = _set(n).quorum
        lr = rng.randrange(0, 2)
        later = rng.randrange(lr + 1, lr + 3)
        found += [
            (n, None, -1, a, -1, 0, rng.randrange(0, 3), True),                 # unlocked, a new block
            (n, None, -1, a, -1, 0, rng.randrange(0, 3), False),                # unlocked, invalid
            (n, a, lr, b, -1, 0, later, True),                                  # locked on another, no proof
            (n, a, lr, a, -1, 0, later, True),                                  # locked on it, no proof
            (n, a, lr, b, later - 1 if later - 1 > lr else lr + 1, q, later + 1, True),   # a later proof
            (n, a, lr + 1, b, lr, q, lr + 2, True),                             # an earlier proof
            (n, None, -1, b, 0, rng.randrange(1, q), rng.randrange(1, 3), True),  # too few prevotes
            (n, a, lr, a, lr, q, later, True),                                  # relock on its own POL
            (n, None, -1, b, 0, q, 1, False),                                   # a proof, but invalid
            (n, a, lr, b, lr + 1, q, lr + 2, False),                            # unlocking, but invalid
        ]
    rng.shuffle(found)
    return found


@judge("ex4_hidden")
def prevote_for(rng: random.Random, say: Say) -> tuple[Any, Any]:
    cases: list[list[Any]] = []
    truths: list[tuple[Any, ...]] = []
    for n, locked_value, locked_round, value, valid_round, pol, round, valid in _situations(rng):
        vote, lock, lock_round, counted = engine_prevote(n, locked_value, locked_round, value, valid_round,
                                                         pol, round, valid)
        quorum = _set(n).quorum
        cases.append([value, valid_round, round, lock, lock_round, counted, quorum, valid])
        truths.append((n, vote))

    def hint_for(found: Any, case: list[Any]) -> str:
        value, valid_round, _, lock, lock_round, counted, quorum, valid = case
        if found is not None and type(found) is not bytes:
            key = "value"
        elif not valid:
            key = "invalid"
        elif lock_round >= 0 and lock == value:
            key = "locked-same"
        elif valid_round == -1:
            key = "unlocked" if lock_round == -1 else "locked-other"
        elif counted < quorum:
            key = "no-proof"
        elif lock_round <= valid_round:
            key = "unlock"
        else:
            key = "earlier-proof"
        return say(*HINTS[key])

    def check(results: list[Any]) -> None:
        _count(results, cases, say)
        for case, (n, right), found in zip(cases, truths, results, strict=True):
            value, valid_round, round, lock, lock_round, counted, quorum, valid = case
            locked = (say(f"锁定在第 {lock_round} 轮的{_value(lock, say)}",
                          f"locked on {_value(lock, say)} in round {lock_round}")
                      if lock_round >= 0 else say("没有锁定", "not locked"))
            what = say(f"{n} 个验证节点（法定人数 {quorum}），{locked}；第 {round} 轮提议"
                       f"{'有效' if valid else '无效'}的{_value(value, say)}，valid_round = {valid_round}"
                       + (f"，那一轮它看到 {counted} 张投给它的预投票" if valid_round >= 0 else ""),
                       f"{n} validators (quorum {quorum}), {locked}; round {round} proposes "
                       f"{'a valid' if valid else 'an invalid'} {_value(value, say)}, "
                       f"valid_round = {valid_round}"
                       + (f", {counted} prevotes for it seen in that round" if valid_round >= 0 else ""))
            _not_raised(say, what, found, hint_for(found, case))
            if (found is None and right is None) or (type(found) is bytes and found == right):
                continue
            expect(False, say(f"{what}：minichain 的状态机预投票{_value(right, say)}，"
                              f"你的函数投 {_shown(found, say)}",
                              f"{what}: minichain's state machine prevotes {_value(right, say)}, "
                              f"your function {_shown(found, say)}"), hint=hint_for(found, case))
    return cases, check
