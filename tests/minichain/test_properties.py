"""Invariants checked on many generated histories (hypothesis):
supply is conserved, no balance goes negative, every committed transaction is signed, replays and
cross-chain replays are refused, and no single changed byte survives a signature check."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from chainkit import blocks_after, feed, next_block, with_transactions
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minichain.chain import Chain
from minichain.crypto import get_suite
from minichain.errors import BlockTransactionInvalid, WrongChain
from minichain.testing import make_genesis, make_wallet
from minichain.transactions import Transaction
from minichain.validation import validate_transaction

WALLETS = [make_wallet(i) for i in range(4)]
OUTSIDER = make_wallet("outsider")  # starts with nothing
GENESIS = make_genesis(funded=WALLETS, amount=500, difficulty_bits=4)
REWARD = GENESIS.consensus.block_reward
MINERS = [make_wallet("miner-0"), make_wallet("miner-1")]

SETTINGS = settings(max_examples=100, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

# One transfer: (sender index, recipient index, amount, fee). Index 4 is the unfunded outsider.
transfers = st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(1, 700), st.integers(0, 30))
plans = st.lists(st.lists(transfers, max_size=4), min_size=1, max_size=5)


def wallet(index: int) -> object:
    return WALLETS[index] if index < len(WALLETS) else OUTSIDER


def signed(chain: Chain, plan: list[tuple[int, int, int, int]]) -> list[Transaction]:
    """The block's transfers, each sender's nonces counted on from the chain's state."""
    nonces: dict[str, int] = {}
    txs = []
    for sender_index, recipient_index, amount, fee in plan:
        sender = WALLETS[sender_index] if sender_index < 4 else OUTSIDER
        recipient = WALLETS[recipient_index] if recipient_index < 4 else OUTSIDER
        nonce = nonces.get(sender.address, chain.state.nonce(sender.address))
        nonces[sender.address] = nonce + 1
        txs.append(sender.transfer(GENESIS.chain_id, recipient.address, amount, nonce, fee))
    return txs


def grow(chain: Chain, plan: list[list[tuple[int, int, int, int]]], miner: int) -> None:
    for block_plan in plan:
        block, _ = chain.build_block(signed(chain, block_plan), MINERS[miner].address,
                                     chain.tip.timestamp + 10)
        # build_block drops what cannot apply (overspending, and the nonce gaps that follow).
        chain.add_block(next_block(chain, block.transactions, miner=MINERS[miner]))


def check_invariants(chain: Chain) -> None:
    assert chain.state.total_supply() == GENESIS.total_allocated + REWARD * chain.height
    assert all(account.balance >= 0 and account.nonce >= 0 for _, account in chain.state.items())
    assert chain.state.root() == chain.tip.state_root
    for block in chain.main_chain():
        for tx in block.transactions:
            validate_transaction(tx, GENESIS)  # every committed tx is signed, or this raises


@SETTINGS
@given(plan=plans)
def test_supply_is_conserved_and_no_balance_goes_negative(
    plan: list[list[tuple[int, int, int, int]]],
) -> None:
    chain = Chain(GENESIS)
    for block_plan in plan:
        grow(chain, [block_plan], miner=0)
        check_invariants(chain)
    # Every nonce counts exactly the committed transactions of its sender.
    sent: dict[str, int] = {}
    for block in chain.main_chain():
        for tx in block.transactions:
            sent[tx.sender] = sent.get(tx.sender, 0) + 1
    assert {a: acct.nonce for a, acct in chain.state.items() if acct.nonce} == sent


@SETTINGS
@given(first=plans, second=plans)
def test_supply_is_conserved_across_reorgs(
    first: list[list[tuple[int, int, int, int]]], second: list[list[tuple[int, int, int, int]]]
) -> None:
    one, two = Chain(GENESIS), Chain(GENESIS)
    grow(one, first, miner=0)
    grow(two, second, miner=1)
    before = (one.tip_hash, list(one.state.items()))
    heights = (one.height, two.height)
    feed(one, blocks_after(two, 0))
    check_invariants(one)
    if heights[1] > heights[0]:  # equal work per block here: the longer branch is heavier
        assert one.tip_hash == two.tip_hash
        assert list(one.state.items()) == list(two.state.items())
    else:  # lighter or tied: the tip seen first stays
        assert (one.tip_hash, list(one.state.items())) == before
    # And back: the second chain ends on the same tip unless the branches tie.
    feed(two, blocks_after(one, 0))
    assert (two.tip_hash == one.tip_hash) == (heights[0] != heights[1])
    check_invariants(two)


@SETTINGS
@given(
    amount=st.integers(1, 400),
    fee=st.integers(0, 50),
    other_chain=st.text(min_size=1, max_size=64).filter(lambda c: c != GENESIS.chain_id),
)
def test_replayed_or_cross_chain_transactions_are_rejected(
    amount: int, fee: int, other_chain: str
) -> None:
    chain = Chain(GENESIS)
    sender, recipient = WALLETS[0], WALLETS[1]
    tx = sender.transfer(GENESIS.chain_id, recipient.address, amount, 0, fee)
    chain.add_block(next_block(chain, [tx]))
    committed = (chain.tip_hash, chain.state.root())
    # The same bytes again, in the next block.
    replay = with_transactions(chain, next_block(chain), [tx])
    with pytest.raises(BlockTransactionInvalid, match="already used") as excinfo:
        chain.add_block(replay)
    assert excinfo.value.rule == "tx-nonce"
    # The same transfer, honestly signed, but for another chain id.
    foreign = sender.transfer(other_chain, recipient.address, amount, 1, fee)
    with pytest.raises(WrongChain, match="signed for chain") as wrong:
        validate_transaction(foreign, GENESIS)
    assert wrong.value.rule == "tx-chain-id"
    assert (chain.tip_hash, chain.state.root()) == committed


@SETTINGS
@given(
    amount=st.integers(1, 10**12),
    nonce=st.integers(0, 10**6),
    memo=st.text(max_size=40),
    data=st.data(),
)
def test_any_changed_byte_of_the_signing_bytes_breaks_the_signature(
    amount: int, nonce: int, memo: str, data: st.DataObject
) -> None:
    tx = WALLETS[0].transfer(GENESIS.chain_id, WALLETS[1].address, amount, nonce, memo=memo)
    message = tx.signing_bytes
    position = data.draw(st.integers(0, len(message) - 1), label="position")
    xor = data.draw(st.integers(1, 255), label="xor")
    changed = message[:position] + bytes([message[position] ^ xor]) + message[position + 1:]
    suite = get_suite(tx.suite)
    assert suite.verify(tx.sender_key, message, tx.signature)
    assert not suite.verify(tx.sender_key, changed, tx.signature)


@settings(max_examples=10, deadline=None, database=None)
@given(data=st.data())
def test_any_changed_field_breaks_the_signature_in_every_suite(data: st.DataObject) -> None:
    suite_name = data.draw(st.sampled_from(["sha256-ed25519", "sha256-secp256k1", "sm3-sm2"]))
    sender, recipient = make_wallet("p", suite_name), make_wallet("q", suite_name)
    tx = sender.transfer("c", recipient.address, 10, 0)
    field = data.draw(st.sampled_from(["amount", "fee", "nonce", "memo", "chain_id"]))
    value: Any = {"amount": 11, "fee": 1, "nonce": 1, "memo": "x", "chain_id": "d"}[field]
    changed = dataclasses.replace(tx, **{field: value})
    suite = get_suite(suite_name)
    assert suite.verify(tx.sender_key, tx.signing_bytes, tx.signature)
    assert not suite.verify(changed.sender_key, changed.signing_bytes, changed.signature)
