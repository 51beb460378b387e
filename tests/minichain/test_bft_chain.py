"""Final blocks in the data model and the chain: a BFT block carries its commit certificate outside
its hash (JSON, wire and SQLite), connects only with a verified one, and is never reorganised."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest

from minichain.blocks import Block
from minichain.chain import Chain
from minichain.consensus.bft import BftEngine
from minichain.crypto import get_suite
from minichain.errors import (
    CertificateMismatch,
    CertificateMissing,
    CertificateQuorum,
    CertificateSignature,
    FinalBlockConflict,
    StateRootMismatch,
    UnknownParent,
)
from minichain.store import Store
from minichain.testing import certify, make_genesis, make_wallet, produce_block, validator_wallets
from minichain.transactions import Transaction

ALICE, BOB = make_wallet(0), make_wallet(1)
GENESIS = make_genesis("bft")
VALIDATORS = validator_wallets(GENESIS)
SUITE = get_suite(GENESIS.suite)
ENGINE = BftEngine(GENESIS)


def bft_chain(blocks: int) -> Chain:
    chain = Chain(GENESIS)
    for nonce in range(blocks):
        produce_block(chain, [ALICE.transfer(GENESIS.chain_id, BOB.address, 5, nonce, fee=1)])
    return chain


def test_a_commit_travels_in_json_outside_the_block_hash() -> None:
    block = bft_chain(1).block_at(1)
    assert block.commit is not None and len(block.commit.signatures) == 4
    value = block.to_json(SUITE)
    assert value["commit"]["round"] == 0
    assert {s["validator"] for s in value["commit"]["signatures"]} == {w.address for w in VALIDATORS}
    bare = block.with_commit(None)
    assert bare.hash(SUITE) == block.hash(SUITE)
    assert "commit" not in bare.to_json(SUITE)
    assert Block.from_json(value, SUITE) == block


def test_the_store_keeps_commits_and_opens_a_database_from_before_them(tmp_path: Path) -> None:
    chain = bft_chain(3)
    store = Store.create(tmp_path / "d", GENESIS)
    mine, pool = store.load()
    for height in (1, 2, 3):
        store.save(mine, mine.add_block(chain.block_at(height)), pool)
    store.close()
    again, _ = Store.open(tmp_path / "d").load()
    assert [again.block_at(h).commit for h in (1, 2, 3)] == [chain.block_at(h).commit for h in (1, 2, 3)]
    # A data dir written before commits existed: no commits table. It opens, and gains one.
    old = tmp_path / "old"
    pow_genesis = make_genesis("pow", difficulty_bits=4)
    store = Store.create(old, pow_genesis)
    pow_chain, pool = store.load()
    store.save(pow_chain, produce_block(pow_chain), pool)
    store.close()
    with sqlite3.connect(old / "chain.db") as db:
        db.execute("DROP TABLE commits")
    reopened, _ = Store.open(old).load()
    assert reopened.tip_hash == pow_chain.tip_hash and reopened.tip.height == 1
    with sqlite3.connect(old / "chain.db") as db:
        assert db.execute("SELECT count(*) FROM commits").fetchone() == (0,)


def sealed_child(chain: Chain, txs: Sequence[Transaction] = (), round: int = 0) -> Block:
    """A block on the tip, sealed by the proposer of `round`, without a certificate."""
    proposer = next(w for w in VALIDATORS if w.address == ENGINE.validators.proposer(chain.height + 1, round))
    template, _ = chain.build_block(list(txs), proposer.address, chain.tip.timestamp + 1)
    return Block(ENGINE.seal(template.header, proposer.private_key, round), template.transactions)


def test_a_certified_block_connects_and_is_final() -> None:
    chain = bft_chain(0)
    update = chain.add_block(certify(chain, sealed_child(chain), VALIDATORS[:3]))
    assert update.status == "extended" and chain.height == 1 and ENGINE.is_final(chain.tip)


def test_invalid_bft_cert_missing_and_a_stripped_copy_does_not_spoil_the_real_block() -> None:
    chain = bft_chain(0)
    block = sealed_child(chain)
    with pytest.raises(CertificateMissing, match="only with its commit certificate") as caught:
        chain.add_block(block)
    assert caught.value.rule == "bft-cert-missing" and caught.value.height == 1
    with pytest.raises(CertificateQuorum, match="precommits of 2 validators, a quorum is 3 of 4"):
        chain.add_block(certify(chain, block, VALIDATORS[:2]))
    other = sealed_child(chain, round=1)  # another block: its certificate does not fit this one
    with pytest.raises(CertificateMismatch, match="precommits are for"):
        chain.add_block(block.with_commit(certify(chain, other, VALIDATORS).commit))
    assert chain.height == 0 and chain.invalid_rule(block.hash(SUITE)) is None
    assert chain.add_block(certify(chain, block, VALIDATORS)).status == "extended"


def test_invalid_chain_final_a_second_certified_block_at_a_final_height_is_refused() -> None:
    """Two certified blocks at one height mean more than f validators lied; the chain keeps the
    first and never reorganises it, whatever weight the other branch shows."""
    chain = bft_chain(0)
    first, second = sealed_child(chain), sealed_child(chain, [ALICE.transfer(GENESIS.chain_id, BOB.address,
                                                                             5, 0, fee=1)], round=1)
    chain.add_block(certify(chain, first, VALIDATORS))
    rival = Chain(GENESIS)
    rival.add_block(certify(rival, second, VALIDATORS, round=1))
    produce_block(rival)
    produce_block(rival)
    with pytest.raises(FinalBlockConflict, match=r"would fork the chain below the final block") as caught:
        chain.add_block(rival.block_at(1))
    assert caught.value.rule == "chain-final" and caught.value.final_hash == first.hash(SUITE)
    assert chain.tip_hash == first.hash(SUITE) and rival.block_at(1).hash(SUITE) not in chain


def test_sync_verifies_certificates_instead_of_trusting_the_peer() -> None:
    """A follower fed a peer's blocks connects the certified ones and refuses the same blocks with
    a forged signature in their certificates, naming the rule."""
    source = bft_chain(3)
    follower = Chain(GENESIS)
    first = source.block_at(1)
    assert first.commit is not None
    key, _ = first.commit.signatures[0]
    forged = ((key, bytes(64)), *first.commit.signatures[1:])
    forged_commit = dataclasses.replace(first.commit, signatures=forged)
    with pytest.raises(CertificateSignature, match="does not verify"):
        follower.add_block(first.with_commit(forged_commit))
    for height in (1, 2, 3):
        follower.add_block(source.block_at(height))
    assert follower.tip_hash == source.tip_hash


def test_the_candidate_check_judges_a_proposal_and_leaves_the_chain_unchanged() -> None:
    chain = bft_chain(1)
    root = chain.state.root()
    good = sealed_child(chain, [ALICE.transfer(GENESIS.chain_id, BOB.address, 5, 1, fee=1)])
    chain.check_candidate(good)
    assert chain.state.root() == root and chain.height == 1
    proposer = next(w for w in VALIDATORS if w.address == good.header.beneficiary)
    lying = Block(ENGINE.seal(dataclasses.replace(good.header, state_root=bytes(32)), proposer.private_key),
                  good.transactions)
    with pytest.raises(StateRootMismatch):
        chain.check_candidate(lying)
    assert chain.state.root() == root
    produce_block(chain)
    with pytest.raises(UnknownParent, match="is not this node's tip"):
        chain.check_candidate(good)


def test_signed_votes_survive_a_reopen_and_old_heights_are_forgotten(tmp_path: Path) -> None:
    from minichain.consensus.bft import SigningDomain, Vote, VoteKind

    domain = SigningDomain.of(GENESIS, SUITE)
    key = VALIDATORS[0]
    votes = [Vote(VoteKind.PREVOTE, h, 0, bytes([h]) * 32, key.public_key).signed(domain, key.private_key)
             for h in range(1, 6)]
    store = Store.create(tmp_path / "d", GENESIS)
    store.save_signed(votes[:3], height=3)
    store.save_signed(votes[3:], height=5)  # keeps heights 3, 4, 5 (SIGNED_VOTES_KEPT = 2 below)
    store.save_signed([votes[4]], height=5)  # the same vote again: one row, never replaced
    assert store.db.execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL again after the write
    store.close()
    again = Store.open(tmp_path / "d")
    assert again.load_signed() == votes[2:]
