"""Proof of work: mining, the seal rules, work, retargeting and fork choice by total work."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from chainkit import MINER, blocks_after, feed, next_block, reseal, seal, snapshot

from minichain.blocks import MAX_TARGET, AuthoritySeal, Block, PowSeal
from minichain.chain import Chain
from minichain.consensus.pow import PowEngine, work
from minichain.errors import InsufficientWork, WrongSealKind, WrongTarget
from minichain.genesis import Genesis
from minichain.testing import make_genesis, make_wallet

WINDOW, BLOCK_TIME = 4, 10
EXPECTED = (WINDOW - 1) * BLOCK_TIME  # seconds from the window's first block to its last


@pytest.fixture
def genesis() -> Genesis:
    return make_genesis(difficulty_bits=8, retarget_window=WINDOW, target_block_time=BLOCK_TIME)


def grow(chain: Chain, intervals: Sequence[int], miner: str = "miner") -> None:
    """Add one mined block per interval, each `interval` seconds after the tip."""
    for interval in intervals:
        chain.add_block(next_block(chain, timestamp=chain.tip.timestamp + interval,
                                   miner=make_wallet(miner)))


def target_of(chain: Chain, height: int | None = None) -> int:
    header = chain.tip if height is None else chain.block_at(height).header
    assert isinstance(header.seal, PowSeal)
    return header.seal.target


# --- mining -------------------------------------------------------------------------------------


def test_mine_finds_the_first_hash_at_or_below_the_target(pow_chain: Chain) -> None:
    engine = pow_chain.engine
    assert isinstance(engine, PowEngine)
    template, _ = pow_chain.build_block([], MINER.address, pow_chain.tip.timestamp + 10)
    result = engine.mine(template.header)
    assert result.header is not None
    seal_ = result.header.seal
    assert isinstance(seal_, PowSeal)
    assert int.from_bytes(result.header.hash(pow_chain.suite), "big") <= seal_.target
    assert result.attempts == seal_.nonce + 1
    for nonce in range(seal_.nonce):  # the midstate search skipped no valid nonce
        candidate = template.header.with_seal(PowSeal(seal_.target, nonce))
        assert int.from_bytes(candidate.hash(pow_chain.suite), "big") > seal_.target
    assert pow_chain.add_block(Block(result.header, ())).status == "extended"


def test_mine_without_a_midstate_finds_the_same_nonce(
    pow_chain: Chain, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = pow_chain.engine
    assert isinstance(engine, PowEngine)
    template, _ = pow_chain.build_block([], MINER.address, pow_chain.tip.timestamp + 10)
    fast = engine.mine(template.header, start_nonce=5)
    monkeypatch.setattr(engine.suite, "hasher", lambda: None)
    slow = engine.mine(template.header, start_nonce=5)
    assert fast == slow
    assert fast.header is not None


def test_mine_gives_up_after_max_attempts() -> None:
    chain = Chain(make_genesis(difficulty_bits=48))
    engine = chain.engine
    assert isinstance(engine, PowEngine)
    template, _ = chain.build_block([], MINER.address, chain.tip.timestamp + 10)
    result = engine.mine(template.header, start_nonce=1000, max_attempts=300)
    assert result.header is None
    assert result.attempts == 300


def test_mining_with_sm3_uses_a_working_midstate() -> None:
    chain = Chain(make_genesis(suite="sm3-sm2", difficulty_bits=6))
    for _ in range(3):
        block, _ = chain.build_block([], make_wallet("miner", "sm3-sm2").address,
                                     chain.tip.timestamp + 10)
        assert chain.add_block(seal(chain, block)).status == "extended"


def test_invalid_block_seal_kind_mine_needs_a_pow_seal(pow_chain: Chain) -> None:
    engine = pow_chain.engine
    assert isinstance(engine, PowEngine)
    template, _ = pow_chain.build_block([], MINER.address, pow_chain.tip.timestamp + 10)
    with pytest.raises(WrongSealKind, match="mine: the header needs a PowSeal") as excinfo:
        engine.mine(template.header.with_seal(AuthoritySeal(b"", b"")))
    assert excinfo.value.rule == "block-seal-kind"


# --- seal rules ---------------------------------------------------------------------------------


def test_invalid_pow_insufficient(pow_chain: Chain) -> None:
    block = next_block(pow_chain)
    seal_ = block.header.seal
    assert isinstance(seal_, PowSeal)
    nonce = next(n for n in range(10_000) if int.from_bytes(block.header.with_seal(
        PowSeal(seal_.target, n)).hash(pow_chain.suite), "big") > seal_.target)
    unmined = Block(block.header.with_seal(PowSeal(seal_.target, nonce)), block.transactions)
    before = snapshot(pow_chain)
    with pytest.raises(InsufficientWork, match=f"is above the target .* \\(nonce {nonce}\\)") as e:
        pow_chain.add_block(unmined)
    assert e.value.rule == "pow-insufficient"
    assert snapshot(pow_chain) == before


@pytest.mark.parametrize("factor", [0.5, 2.0])
def test_invalid_pow_target(pow_chain: Chain, factor: float) -> None:
    block = next_block(pow_chain)
    seal_ = block.header.seal
    assert isinstance(seal_, PowSeal)
    wrong = int(seal_.target * factor)
    # Mined for the wrong target: only the target rule can complain.
    forged = reseal(pow_chain, block, seal=PowSeal(wrong, 0))
    before = snapshot(pow_chain)
    with pytest.raises(WrongTarget, match=r"target should be .* \(retarget rule\)") as excinfo:
        pow_chain.add_block(forged)
    assert excinfo.value.rule == "pow-target"
    assert snapshot(pow_chain) == before


def test_invalid_pow_target_skipping_the_retarget(genesis: Genesis) -> None:
    chain = Chain(genesis)
    grow(chain, [1] * (WINDOW - 1))  # fast blocks: the next one must be harder
    block = next_block(chain)
    seal_ = block.header.seal
    assert isinstance(seal_, PowSeal)
    assert seal_.target < target_of(chain)
    stale = reseal(chain, block, seal=PowSeal(target_of(chain), 0))  # keeps the old target
    before = snapshot(chain)
    with pytest.raises(WrongTarget, match="target should be") as excinfo:
        chain.add_block(stale)
    assert excinfo.value.rule == "pow-target"
    assert snapshot(chain) == before
    assert chain.add_block(block).status == "extended"


def test_invalid_block_seal_kind(pow_chain: Chain) -> None:
    block = next_block(pow_chain)
    forged = Block(block.header.with_seal(AuthoritySeal(MINER.public_key, bytes(64))), ())
    before = snapshot(pow_chain)
    with pytest.raises(WrongSealKind, match="a pow chain needs a pow seal") as excinfo:
        pow_chain.add_block(forged)
    assert excinfo.value.rule == "block-seal-kind"
    assert snapshot(pow_chain) == before


# --- work ---------------------------------------------------------------------------------------


def test_work_is_expected_hashes() -> None:
    assert work(MAX_TARGET) == 1
    assert work(2**255 - 1) == 2
    assert work(2**248 - 1) == 256
    assert work(0) == 2**256


def test_work_orders_targets_inversely() -> None:
    targets = [2**k - 1 for k in range(8, 257, 8)]
    works = [work(t) for t in targets]
    assert works == sorted(works, reverse=True)
    assert len(set(works)) == len(works)  # strictly: a harder target always weighs more


def test_total_weight_sums_the_work_of_each_block(pow_chain: Chain) -> None:
    grow(pow_chain, [10, 10, 10])
    assert pow_chain.tip_weight == 3 * work(2**248 - 1) == 3 * 256


# --- retarget -----------------------------------------------------------------------------------


def test_target_stays_between_retargets(genesis: Genesis) -> None:
    chain = Chain(genesis)
    grow(chain, [1] * (WINDOW - 1))
    assert {target_of(chain, h) for h in range(WINDOW)} == {genesis.consensus.initial_target}  # type: ignore[union-attr]


def test_retarget_on_time_keeps_the_target(genesis: Genesis) -> None:
    chain = Chain(genesis)
    grow(chain, [BLOCK_TIME] * WINDOW)
    assert target_of(chain) == target_of(chain, 0)


def test_retarget_fast_blocks_make_the_target_smaller(genesis: Genesis) -> None:
    chain = Chain(genesis)
    grow(chain, [5] * (WINDOW - 1) + [5])  # half the expected time: twice as hard
    old = target_of(chain, WINDOW - 1)
    assert chain.height == WINDOW
    assert target_of(chain) == old * 15 // EXPECTED
    assert old // 2 - 1 <= target_of(chain) <= old // 2


def test_retarget_slow_blocks_make_the_target_larger(genesis: Genesis) -> None:
    chain = Chain(genesis)
    grow(chain, [20] * WINDOW)  # twice the expected time: half as hard
    old = target_of(chain, WINDOW - 1)
    assert target_of(chain) == old * 60 // EXPECTED == old * 2


def test_retarget_is_clamped_to_4x_harder(genesis: Genesis) -> None:
    targets = []
    for interval in (0, 1):
        chain = Chain(genesis)
        grow(chain, [interval] * WINDOW)
        targets.append(target_of(chain))
    old = target_of(chain, WINDOW - 1)
    assert targets[0] == targets[1]  # both beyond the clamp
    assert old // 4 <= targets[0] < old // 3


def test_retarget_is_clamped_to_4x_easier(genesis: Genesis) -> None:
    targets = []
    for interval in (200, 1000):
        chain = Chain(genesis)
        grow(chain, [interval] * WINDOW)
        targets.append(target_of(chain))
    old = target_of(chain, WINDOW - 1)
    assert targets == [old * 4, old * 4]


def test_retarget_never_exceeds_the_maximum_target() -> None:
    chain = Chain(make_genesis(difficulty_bits=0, retarget_window=2, target_block_time=1))
    grow(chain, [1000, 1000])
    assert target_of(chain) == MAX_TARGET


def test_retarget_repeats_every_window(genesis: Genesis) -> None:
    chain = Chain(genesis)
    grow(chain, [5] * (2 * WINDOW))
    first, second = target_of(chain, WINDOW), target_of(chain, 2 * WINDOW)
    assert first < target_of(chain, 0)
    # Each window measures its own WINDOW - 1 intervals (blocks 4 to 7 here), like Bitcoin.
    assert second == first * 15 // EXPECTED


def test_retarget_on_a_side_branch_uses_that_branchs_own_timestamps(genesis: Genesis) -> None:
    fast, slow = Chain(genesis), Chain(genesis)
    grow(fast, [2] * WINDOW, miner="fast")
    grow(slow, [20] * WINDOW, miner="slow")
    assert target_of(slow) > target_of(fast)
    for block in blocks_after(slow, 0):
        fast.add_block(block)  # validated against the slow branch's ancestors, not the tip's
    assert all(block.hash(fast.suite) in fast for block in blocks_after(slow, 0))
    assert fast.tip_hash != slow.tip_hash  # the fast branch did more work


def test_fork_choice_follows_work_not_length(genesis: Genesis) -> None:
    heavy, long = Chain(genesis), Chain(genesis)
    grow(heavy, [0] * WINDOW, miner="heavy")  # the 4th block is ~4x harder
    grow(long, [BLOCK_TIME] * (WINDOW + 1), miner="long")
    assert long.height > heavy.height
    assert heavy.tip_weight > long.tip_weight
    updates = feed(heavy, blocks_after(long, 0))
    assert {u.status for u in updates} == {"side"}
    assert heavy.height == WINDOW
    updates = feed(long, blocks_after(heavy, 0))
    assert updates[-1].status == "reorg"
    assert long.tip_hash == heavy.tip_hash
