"""Account state: applying blocks all or nothing, undo records, and the state root."""

from __future__ import annotations

import pytest

from minichain.crypto import get_suite
from minichain.encoding import MAX_INT, tagged
from minichain.errors import BlockTransactionInvalid, InsufficientBalance, NonceMismatch
from minichain.merkle import leaf_hash, merkle_root
from minichain.state import Account, State, account_bytes
from minichain.testing import CHAIN_ID, make_wallet
from minichain.wallet import Wallet

HASH = get_suite("sha256-ed25519").hash
MINER = make_wallet("miner").address
CAROL = make_wallet(2)


@pytest.fixture
def state(alice: Wallet, bob: Wallet) -> State:
    return State(HASH, {alice.address: Account(100, 0), bob.address: Account(50, 3)})


def contents(state: State) -> tuple[object, ...]:
    return (state.root(), tuple(state.items()), len(state))


def test_transfer_moves_amount_and_pays_fees_and_reward(
    state: State, alice: Wallet, bob: Wallet
) -> None:
    tx = alice.transfer(CHAIN_ID, bob.address, 30, 0, fee=5)
    state.apply_block([tx], MINER, reward=50)
    assert state.account(alice.address) == Account(65, 1)
    assert state.account(bob.address) == Account(80, 3)  # receiving does not bump the nonce
    assert state.account(MINER) == Account(55, 0)
    assert state.total_supply() == 150 + 50


def test_transfer_to_self_costs_only_the_fee(state: State, alice: Wallet) -> None:
    state.apply_block([alice.transfer(CHAIN_ID, alice.address, 90, 0, fee=4)], MINER, 0)
    assert state.account(alice.address) == Account(96, 1)
    assert state.balance(MINER) == 4


def test_transactions_in_a_block_see_earlier_ones(state: State, alice: Wallet, bob: Wallet) -> None:
    first = alice.transfer(CHAIN_ID, CAROL.address, 100, 0)  # alice -> carol, all of it
    second = CAROL.transfer(CHAIN_ID, bob.address, 60, 0, fee=1)  # carol spends what she got
    state.apply_block([first, second], MINER, 0)
    assert state.account(CAROL.address) == Account(39, 1)
    assert state.balance(bob.address) == 110
    assert state.balance(alice.address) == 0


def test_empty_block_without_reward_changes_nothing(state: State) -> None:
    before = contents(state)
    assert state.apply_block([], MINER, 0) == {}
    assert contents(state) == before
    assert MINER not in state


def test_revert_restores_accounts_and_removes_created_ones(
    state: State, alice: Wallet, bob: Wallet
) -> None:
    before = contents(state)
    undo = state.apply_block([alice.transfer(CHAIN_ID, CAROL.address, 10, 0, fee=1)], MINER, 50)
    assert undo == {alice.address: Account(100, 0), CAROL.address: None, MINER: None}
    assert CAROL.address in state and MINER in state
    state.revert(undo)
    assert contents(state) == before
    assert CAROL.address not in state and MINER not in state


def test_undo_records_revert_in_reverse_order(state: State, alice: Wallet, bob: Wallet) -> None:
    snapshots, undos = [contents(state)], []
    for nonce in range(3):
        undos.append(state.apply_block(
            [alice.transfer(CHAIN_ID, bob.address, 10, nonce, fee=1)], MINER, 7))
        snapshots.append(contents(state))
    for undo, snapshot in zip(reversed(undos), reversed(snapshots[:-1]), strict=True):
        state.revert(undo)
        assert contents(state) == snapshot


def test_invalid_tx_balance_leaves_state_unchanged(
    state: State, alice: Wallet, bob: Wallet
) -> None:
    ok = alice.transfer(CHAIN_ID, bob.address, 60, 0)
    too_much = alice.transfer(CHAIN_ID, bob.address, 40, 1, fee=1)  # 41 > the 40 left
    before = contents(state)
    with pytest.raises(BlockTransactionInvalid, match=r"#1: .*has 40, the transaction needs "
                       r"amount 40 \+ fee 1 = 41") as excinfo:
        state.apply_block([ok, too_much], MINER, 50)
    assert excinfo.value.rule == "tx-balance"
    assert isinstance(excinfo.value.cause, InsufficientBalance)
    assert excinfo.value.index == 1
    assert contents(state) == before  # all or nothing: the valid first transfer is not applied


def test_invalid_tx_nonce_gap(state: State, alice: Wallet, bob: Wallet) -> None:
    before = contents(state)
    with pytest.raises(BlockTransactionInvalid, match=r"nonce 0, the transaction has nonce 1 "
                       r"\(a gap\)") as excinfo:
        state.apply_block([alice.transfer(CHAIN_ID, bob.address, 1, 1)], MINER, 50)
    assert excinfo.value.rule == "tx-nonce"
    assert isinstance(excinfo.value.cause, NonceMismatch)
    assert contents(state) == before


def test_invalid_tx_balance_recipient_overflow(alice: Wallet, bob: Wallet) -> None:
    state = State(HASH, {alice.address: Account(10, 0), bob.address: Account(MAX_INT, 0)})
    with pytest.raises(BlockTransactionInvalid, match="recipient balance would overflow") as exc:
        state.apply_block([alice.transfer(CHAIN_ID, bob.address, 1, 0)], MINER, 0)
    assert exc.value.rule == "tx-balance"


def test_root_is_merkle_root_of_sorted_accounts(state: State, alice: Wallet, bob: Wallet) -> None:
    accounts = sorted([(alice.address, Account(100, 0)), (bob.address, Account(50, 3))])
    assert state.root() == merkle_root([account_bytes(a, acct) for a, acct in accounts], HASH)
    assert account_bytes(alice.address, Account(100, 0)) == tagged(
        "account", {"address": alice.address, "balance": 100, "nonce": 0})
    assert leaf_hash(account_bytes(alice.address, Account(1, 0)), HASH) != leaf_hash(
        account_bytes(alice.address, Account(0, 1)), HASH)


def test_root_does_not_depend_on_insertion_order(alice: Wallet, bob: Wallet) -> None:
    one = State(HASH, {alice.address: Account(1, 0), bob.address: Account(2, 0)})
    two = State(HASH, {bob.address: Account(2, 0), alice.address: Account(1, 0)})
    assert one.root() == two.root()
    assert State(HASH, {alice.address: Account(2, 0), bob.address: Account(1, 0)}).root() != one.root()


def test_root_changes_with_every_balance_and_nonce(state: State, alice: Wallet) -> None:
    roots = {state.root()}
    state.apply_block([alice.transfer(CHAIN_ID, CAROL.address, 1, 0)], MINER, 0)
    roots.add(state.root())
    state.apply_block([], MINER, 1)
    roots.add(state.root())
    assert len(roots) == 3


def test_empty_state_root_is_the_empty_tree(alice: Wallet) -> None:
    assert State(HASH).root() == HASH(b"")
    assert State(HASH).total_supply() == 0
    assert State(HASH).account(alice.address) == Account(0, 0)


def test_copy_is_independent(state: State, alice: Wallet, bob: Wallet) -> None:
    copy = state.copy()
    copy.apply_block([alice.transfer(CHAIN_ID, bob.address, 5, 0)], MINER, 0)
    assert copy.root() != state.root()
    assert state.account(alice.address) == Account(100, 0)
