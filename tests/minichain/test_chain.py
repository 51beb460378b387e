"""The block tree: extending, side branches, reorganisations, and refusing fake heavier branches."""

from __future__ import annotations

import pytest
from chainkit import blocks_after, feed, next_block, reseal, snapshot, with_transactions

from minichain.blocks import Block
from minichain.chain import Chain
from minichain.errors import (
    BlockTransactionInvalid,
    KnownInvalidAncestor,
    StateRootMismatch,
)
from minichain.genesis import Genesis
from minichain.testing import make_wallet
from minichain.transactions import Transaction
from minichain.wallet import Wallet

ALICE, BOB, CAROL = make_wallet(0), make_wallet(1), make_wallet("carol")
MINER_A, MINER_B = make_wallet("miner-a"), make_wallet("miner-b")


def payment(chain: Chain, sender: Wallet, recipient: Wallet, amount: int) -> Transaction:
    return sender.transfer(chain.genesis.chain_id, recipient.address, amount,
                           chain.state.nonce(sender.address), fee=1)


def extend(chain: Chain, count: int, miner: Wallet, sender: Wallet, recipient: Wallet) -> None:
    """`count` mined blocks, each with one payment of 100 from `sender` to `recipient`."""
    for _ in range(count):
        chain.add_block(next_block(chain, [payment(chain, sender, recipient, 100)], miner=miner))


def copy_of(genesis: Genesis, source: Chain, height: int) -> Chain:
    """A new chain that has seen `source`'s best chain up to `height`, and nothing else."""
    chain = Chain(genesis)
    feed(chain, [source.block_at(h) for h in range(1, height + 1)])
    return chain


@pytest.fixture
def forked(pow_genesis: Genesis) -> tuple[Chain, Chain]:
    """Two chains sharing block 1; `honest` then has A2, A3 and `rival` has B2, B3, B4."""
    honest = Chain(pow_genesis)
    extend(honest, 1, MINER_A, ALICE, CAROL)
    rival = copy_of(pow_genesis, honest, 1)
    extend(honest, 2, MINER_A, ALICE, BOB)
    extend(rival, 3, MINER_B, BOB, CAROL)
    return honest, rival


def same_ledger(one: Chain, two: Chain) -> bool:
    return (one.tip_hash == two.tip_hash and one.state.root() == two.state.root()
            and list(one.state.items()) == list(two.state.items())
            and [b.hash(one.suite) for b in one.main_chain()]
            == [b.hash(two.suite) for b in two.main_chain()])


# --- reading and extending ----------------------------------------------------------------------


def test_extend_returns_the_connected_block_and_its_undo(pow_chain: Chain) -> None:
    block = next_block(pow_chain, [payment(pow_chain, ALICE, BOB, 5)])
    update = pow_chain.add_block(block)
    block_hash = block.hash(pow_chain.suite)
    assert (update.status, update.block_hash) == ("extended", block_hash)
    assert update.connected == (block,) and update.disconnected == ()
    assert update.undo[block_hash] == pow_chain.undo_record(block_hash)
    assert pow_chain.height == 1 and pow_chain.tip_hash == block_hash
    assert pow_chain.block_at(1) == block and pow_chain.hash_at(1) == block_hash
    assert pow_chain.get(block_hash) == block
    assert pow_chain.is_main(block_hash)
    assert pow_chain.children(pow_chain.genesis_hash) == [block_hash]
    assert pow_chain.tip.state_root == pow_chain.state.root()
    with pytest.raises(IndexError, match="no block at height 2"):
        pow_chain.block_at(2)


def test_lighter_side_branch_is_stored_but_not_followed(forked: tuple[Chain, Chain]) -> None:
    honest, rival = forked
    before = snapshot(honest)
    b2 = rival.block_at(2)
    assert honest.add_block(b2).status == "side"
    assert b2.hash(honest.suite) in honest
    assert not honest.is_main(b2.hash(honest.suite))
    assert snapshot(honest) == before


def test_equal_weight_keeps_the_tip_seen_first(forked: tuple[Chain, Chain]) -> None:
    honest, rival = forked
    before = snapshot(honest)
    assert [u.status for u in feed(honest, blocks_after(rival, 1)[:2])] == ["side", "side"]
    assert snapshot(honest) == before


def test_ancestor_follows_the_branch_of_the_given_header(forked: tuple[Chain, Chain]) -> None:
    honest, rival = forked
    feed(honest, blocks_after(rival, 1)[:2])
    b3 = rival.block_at(3).header
    assert honest.ancestor(b3, 2) == rival.block_at(2).header
    assert honest.ancestor(b3, 1) == honest.block_at(1).header
    assert honest.ancestor(honest.tip, 2) == honest.block_at(2).header
    assert honest.ancestor(b3, 3) == b3
    with pytest.raises(IndexError):
        honest.ancestor(b3, 4)


# --- reorganisations ----------------------------------------------------------------------------


def test_reorg_to_a_heavier_branch(forked: tuple[Chain, Chain], pow_genesis: Genesis) -> None:
    honest, rival = forked
    old_branch = blocks_after(honest, 1)
    updates = feed(honest, blocks_after(rival, 1))
    assert [u.status for u in updates] == ["side", "side", "reorg"]
    reorg = updates[-1]
    assert reorg.connected == tuple(blocks_after(rival, 1))  # oldest first
    assert reorg.disconnected == tuple(reversed(old_branch))  # newest first
    assert set(reorg.undo) == {b.hash(honest.suite) for b in reorg.connected}
    # Exactly the ledger of a node that only ever saw the winning branch.
    assert same_ledger(honest, rival)
    assert same_ledger(honest, copy_of(pow_genesis, rival, rival.height))
    # The payments of the losing branch are undone: alice only paid carol in block 1.
    assert honest.state.account(ALICE.address).nonce == 1
    assert honest.state.balance(ALICE.address) == 1_000_000 - 101
    # The old blocks are still known, as a side branch, in case it wins again.
    assert all(b.hash(honest.suite) in honest and not honest.is_main(b.hash(honest.suite))
               for b in old_branch)


def test_reorg_back_again(forked: tuple[Chain, Chain], pow_genesis: Genesis) -> None:
    honest, rival = forked
    comeback = copy_of(pow_genesis, honest, honest.height)  # keeps mining the A branch
    feed(honest, blocks_after(rival, 1))
    extend(comeback, 2, MINER_A, ALICE, BOB)  # A2..A5 now outweighs B2..B4
    updates = feed(honest, blocks_after(comeback, 3))
    assert [u.status for u in updates] == ["side", "reorg"]
    assert updates[-1].disconnected == tuple(reversed(blocks_after(rival, 1)))
    assert updates[-1].connected == tuple(blocks_after(comeback, 1))
    assert same_ledger(honest, comeback)
    assert honest.state.account(ALICE.address).nonce == 5


def test_reorg_with_the_same_transaction_on_both_branches(pow_genesis: Genesis) -> None:
    one, two = Chain(pow_genesis), Chain(pow_genesis)
    shared = payment(one, ALICE, BOB, 42)  # e.g. both miners took it from their mempools
    one.add_block(next_block(one, [shared], miner=MINER_A))
    two.add_block(next_block(two, [shared], miner=MINER_B))
    two.add_block(next_block(two, [payment(two, ALICE, BOB, 1)], miner=MINER_B))
    feed(one, blocks_after(two, 0))
    assert same_ledger(one, two)
    assert one.state.balance(BOB.address) == 1_000_000 + 43  # applied once, not twice


def test_invalid_tx_nonce_fake_heavier_branch_is_rolled_back(
    forked: tuple[Chain, Chain]
) -> None:
    honest, rival = forked
    b2, b3, b4 = blocks_after(rival, 1)
    # B4 replays B3's payment: valid header and body, invalid only against B3's state.
    fake_b4 = with_transactions(rival, b4, [b3.transactions[0]])
    before = snapshot(honest)
    assert [u.status for u in feed(honest, [b2, b3])] == ["side", "side"]
    with pytest.raises(BlockTransactionInvalid, match="already used: a replay") as excinfo:
        honest.add_block(fake_b4)  # heavier: the chain starts a reorg, then must undo it
    assert excinfo.value.rule == "tx-nonce"
    assert snapshot(honest) == before
    fake_hash = fake_b4.hash(honest.suite)
    assert fake_hash not in honest
    assert honest.invalid_rule(fake_hash) == "tx-nonce"
    # Its descendants are refused without a second look.
    child = reseal(rival, next_block(rival), parent_hash=fake_hash)
    with pytest.raises(KnownInvalidAncestor, match=r"its parent .* is invalid \(tx-nonce\)") as e:
        honest.add_block(child)
    assert e.value.rule == "block-invalid-ancestor"
    assert snapshot(honest) == before
    # The valid part of the fake branch stays known; the honest B4 still wins later.
    assert b2.hash(honest.suite) in honest and b3.hash(honest.suite) in honest
    assert honest.add_block(b4).status == "reorg"
    assert same_ledger(honest, rival)


def test_invalid_block_state_root_fake_branch_and_its_stored_descendants(
    forked: tuple[Chain, Chain]
) -> None:
    honest, rival = forked
    b2, b3, b4 = blocks_after(rival, 1)
    fake_b3 = reseal(rival, b3, state_root=bytes(32))  # a lie only the state can reveal
    fake_b4 = reseal(rival, b4, parent_hash=fake_b3.hash(rival.suite))
    before = snapshot(honest)
    # fake_b3 ties with the tip, so it is only stored; fake_b4 makes the branch heavier.
    assert [u.status for u in feed(honest, [b2, fake_b3])] == ["side", "side"]
    with pytest.raises(StateRootMismatch, match="header says state root 00000000") as excinfo:
        honest.add_block(fake_b4)
    assert excinfo.value.rule == "block-state-root"
    assert snapshot(honest) == before
    for block, rule in ((fake_b3, "block-state-root"), (fake_b4, "block-invalid-ancestor")):
        block_hash = block.hash(honest.suite)
        assert block_hash not in honest
        assert honest.invalid_rule(block_hash) == rule
        with pytest.raises(KnownInvalidAncestor, match=f"already rejected \\({rule}\\)") as e:
            honest.add_block(block)
        assert e.value.rule == "block-invalid-ancestor"
    assert honest.children(b2.hash(honest.suite)) == []
    assert snapshot(honest) == before


def test_many_reorgs_keep_supply_exact(forked: tuple[Chain, Chain], pow_genesis: Genesis) -> None:
    honest, rival = forked
    reward = pow_genesis.consensus.block_reward
    feed(honest, blocks_after(rival, 1))
    assert honest.state.total_supply() == pow_genesis.total_allocated + reward * honest.height
    comeback = copy_of(pow_genesis, honest, 1)
    extend(comeback, 5, MINER_A, BOB, ALICE)
    feed(honest, blocks_after(comeback, 1))
    assert honest.height == 6
    assert honest.state.total_supply() == pow_genesis.total_allocated + reward * honest.height
    assert same_ledger(honest, comeback)


def test_block_objects_round_trip_through_json_between_chains(forked: tuple[Chain, Chain]) -> None:
    honest, rival = forked
    for block in blocks_after(rival, 1):
        honest.add_block(Block.from_json(block.to_json(rival.suite), honest.suite))
    assert same_ledger(honest, rival)


def test_build_block_leaves_out_a_transaction_with_a_bad_signature() -> None:
    import dataclasses

    from minichain.chain import Chain
    from minichain.testing import make_genesis, make_wallet

    genesis = make_genesis("pow", difficulty_bits=4)
    chain = Chain(genesis)
    alice, bob = make_wallet(0), make_wallet(1)
    good = alice.transfer(genesis.chain_id, bob.address, 5, 0)
    forged = dataclasses.replace(alice.transfer(genesis.chain_id, bob.address, 5, 1), amount=50)
    block, dropped = chain.build_block([good, forged], bob.address, genesis.timestamp + 10)
    assert block.transactions == (good,)
    assert [(tx, error.rule) for tx, error in dropped] == [(forged, "tx-signature")]


def test_fork_choice_takes_only_a_strictly_heavier_branch() -> None:
    from minichain.chain import fork_choice

    assert fork_choice(11, 10)
    assert not fork_choice(10, 10)  # a tie: the branch seen first stays
    assert not fork_choice(9, 10)
