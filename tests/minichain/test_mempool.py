"""Mempool: admission rules, fee/nonce ordering, gaps, eviction, commit and reorg handling."""

from __future__ import annotations

import dataclasses

import pytest

from minichain.chain import Chain
from minichain.errors import (
    AlreadyKnown,
    FeeTooLow,
    InsufficientBalance,
    InvalidSignature,
    MempoolFull,
    NonceGapTooLarge,
    NonceMismatch,
    ReplacementUnderpriced,
    WrongChain,
)
from minichain.mempool import Mempool
from minichain.testing import make_genesis, make_wallet, produce_block
from minichain.transactions import Transaction
from minichain.wallet import Wallet

ALICE, BOB, CAROL = make_wallet(0), make_wallet(1), make_wallet(2)


@pytest.fixture
def chain() -> Chain:
    return Chain(make_genesis("pow", difficulty_bits=4))


def pay(
    sender: Wallet, nonce: int, fee: int = 1, amount: int = 10, chain_id: str = "minichain-test"
) -> Transaction:
    return sender.transfer(chain_id, CAROL.address, amount, nonce, fee=fee)


def test_select_orders_by_fee_but_keeps_each_senders_nonce_order(chain: Chain) -> None:
    pool = Mempool(chain.genesis)
    a0, a1 = pay(ALICE, 0, fee=1), pay(ALICE, 1, fee=50)
    b0 = pay(BOB, 0, fee=5)
    for tx in (a1, a0, b0):  # a1 arrives before the a0 it depends on: held, not refused
        pool.add(tx, chain.state)
    assert [tx.txid for tx in pool.select(chain.state, 10)] == [b0.txid, a0.txid, a1.txid]
    assert [tx.txid for tx in pool.select(chain.state, 1)] == [b0.txid]


def test_nonce_gap_is_held_until_the_missing_nonce_arrives(chain: Chain) -> None:
    pool = Mempool(chain.genesis)
    later = pay(ALICE, 2)
    pool.add(later, chain.state)
    assert pool.select(chain.state, 10) == []
    pool.add(pay(ALICE, 0), chain.state)
    pool.add(pay(ALICE, 1), chain.state)
    assert [tx.nonce for tx in pool.select(chain.state, 10)] == [0, 1, 2]
    assert pool.next_nonce(ALICE.address, chain.state) == 3


def test_invalid_mempool_nonce_gap(chain: Chain) -> None:
    pool = Mempool(chain.genesis, max_nonce_gap=4)
    with pytest.raises(NonceGapTooLarge, match="more than 4 ahead") as info:
        pool.add(pay(ALICE, 5), chain.state)
    assert info.value.rule == "mempool-nonce-gap"
    assert len(pool) == 0


def test_invalid_mempool_known(chain: Chain) -> None:
    pool = Mempool(chain.genesis)
    tx = pay(ALICE, 0)
    pool.add(tx, chain.state)
    with pytest.raises(AlreadyKnown, match="already in the mempool") as info:
        pool.add(tx, chain.state)
    assert info.value.rule == "mempool-known"


def test_invalid_tx_signature_refused_at_admission(chain: Chain) -> None:
    pool = Mempool(chain.genesis)
    forged = dataclasses.replace(pay(ALICE, 0), amount=999)
    with pytest.raises(InvalidSignature, match="does not verify") as info:
        pool.add(forged, chain.state)
    assert info.value.rule == "tx-signature"


def test_invalid_tx_chain_id_refused_at_admission(chain: Chain) -> None:
    with pytest.raises(WrongChain, match="other-chain"):
        Mempool(chain.genesis).add(pay(ALICE, 0, chain_id="other-chain"), chain.state)


def test_invalid_tx_balance_counts_pending_spends(chain: Chain) -> None:
    pool = Mempool(chain.genesis)
    pool.add(pay(ALICE, 0, amount=600_000, fee=0), chain.state)
    with pytest.raises(InsufficientBalance, match="pooled") as info:
        pool.add(pay(ALICE, 1, amount=500_000, fee=0), chain.state)
    assert info.value.rule == "tx-balance"


def test_invalid_mempool_fee(chain: Chain) -> None:
    with pytest.raises(FeeTooLow, match="minimum 5") as info:
        Mempool(chain.genesis, min_fee=5).add(pay(ALICE, 0, fee=4), chain.state)
    assert info.value.rule == "mempool-fee"


def test_replacement_needs_a_higher_fee(chain: Chain) -> None:
    pool = Mempool(chain.genesis)
    original = pay(ALICE, 0, fee=100)
    pool.add(original, chain.state)
    with pytest.raises(ReplacementUnderpriced, match="at least 110") as info:
        pool.add(pay(ALICE, 0, fee=105, amount=11), chain.state)
    assert info.value.rule == "mempool-replacement"
    better = pay(ALICE, 0, fee=110, amount=11)
    assert pool.add(better, chain.state) == original
    assert original.txid not in pool and better.txid in pool and len(pool) == 1


def test_full_pool_evicts_the_cheapest_tail_for_a_better_fee(chain: Chain) -> None:
    pool = Mempool(chain.genesis, max_size=2)
    a0, a1 = pay(ALICE, 0, fee=5), pay(ALICE, 1, fee=1)
    pool.add(a0, chain.state)
    pool.add(a1, chain.state)
    with pytest.raises(MempoolFull, match="none pays less") as info:
        pool.add(pay(BOB, 0, fee=1), chain.state)
    assert info.value.rule == "mempool-full"
    b0 = pay(BOB, 0, fee=3)
    assert pool.add(b0, chain.state) == a1  # a1 is Alice's last: evicting it leaves no gap
    assert {tx.txid for tx in pool.transactions()} == {a0.txid, b0.txid}


def test_invalid_tx_nonce_already_used_after_commit(chain: Chain) -> None:
    pool = Mempool(chain.genesis)
    tx = pay(ALICE, 0)
    pool.add(tx, chain.state)
    update = produce_block(chain, pool.select(chain.state, 10))
    pool.on_chain_update(update, chain.state)
    assert len(pool) == 0
    with pytest.raises(NonceMismatch, match="already used") as info:
        pool.add(tx, chain.state)
    assert info.value.rule == "tx-nonce"


def test_reorg_returns_losing_branch_transactions_to_the_pool() -> None:
    genesis = make_genesis("pow", difficulty_bits=4)
    honest, rival = Chain(genesis), Chain(genesis)
    pool = Mempool(genesis)
    tx = pay(ALICE, 0, fee=7)
    pool.add(tx, honest.state)
    pool.on_chain_update(produce_block(honest, [tx]), honest.state)
    assert len(pool) == 0 and honest.state.nonce(ALICE.address) == 1
    # The rival branch (no transactions) becomes heavier: two blocks against one.
    produce_block(rival, [], producer=BOB)
    produce_block(rival, [], producer=BOB)
    honest.add_block(rival.block_at(1))
    update = honest.add_block(rival.block_at(2))
    assert update.status == "reorg" and len(update.disconnected) == 1
    readmitted = pool.on_chain_update(update, honest.state)
    assert [t.txid for t in readmitted] == [tx.txid]
    assert honest.state.nonce(ALICE.address) == 0
    # ... and it is committed later on the winning branch.
    pool.on_chain_update(produce_block(honest, pool.select(honest.state, 10)), honest.state)
    assert honest.state.nonce(ALICE.address) == 1 and len(pool) == 0


def test_reorg_does_not_readmit_what_the_new_branch_includes() -> None:
    genesis = make_genesis("pow", difficulty_bits=4)
    honest, rival = Chain(genesis), Chain(genesis)
    pool = Mempool(genesis)
    tx = pay(ALICE, 0)
    pool.on_chain_update(produce_block(honest, [tx]), honest.state)
    produce_block(rival, [tx], producer=BOB)
    produce_block(rival, [], producer=BOB)
    honest.add_block(rival.block_at(1))
    update = honest.add_block(rival.block_at(2))
    assert pool.on_chain_update(update, honest.state) == []
    assert len(pool) == 0
