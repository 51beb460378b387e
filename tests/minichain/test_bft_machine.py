"""One Tendermint validator driven by hand-signed messages: the lock rules of Algorithm 1, the round
skip, growing timeouts, a decision reached from an earlier round, refused messages, and a restart
that never double-signs."""

from __future__ import annotations

import dataclasses

import pytest

from minichain.consensus.bft import (
    Broadcast,
    Decide,
    Effect,
    Proposal,
    RecordSigned,
    ScheduleTimeout,
    Step,
    Tendermint,
    Timeout,
    Vote,
    VoteKind,
)
from minichain.consensus.bft.simulation import Simulation
from minichain.errors import DoubleSignRefused, InvalidVoteSignature, UnknownValidator, WrongProposer

B, C = b"B" * 32, b"C" * 32
PRE, COM = VoteKind.PREVOTE, VoteKind.PRECOMMIT


class Hand:
    """Validator 0 of a 4-validator simulation; the others' messages signed by hand (height 1)."""

    def __init__(self) -> None:
        self.sim = Simulation(seed=0)
        self.node: Tendermint = self.sim.machines[0]
        self.start = self.node.start_height(1)

    def key(self, i: int) -> bytes:
        return self.sim.suite.public_key(self.sim.keys[i])

    def proposal(self, round: int, value: bytes, valid_round: int = -1) -> list[Effect]:
        proposer = (1 + round) % 4
        message = Proposal(1, round, value, valid_round, self.key(proposer))
        return self.node.on_proposal(self.sim.sign_as(proposer, message))

    def votes(self, kind: VoteKind, round: int, value: bytes | None, *voters: int) -> list[Effect]:
        effects: list[Effect] = []
        for i in voters:
            effects += self.node.on_vote(self.sim.sign_as(i, Vote(kind, 1, round, value, self.key(i))))
        return effects

    def next_round(self) -> list[Effect]:
        return self.node.on_timeout(Timeout(1, self.node.round, Step.PRECOMMIT))  # L65-67


def sent(effects: list[Effect], kind: VoteKind) -> list[bytes | None]:
    return [e.message.block_hash for e in effects
            if isinstance(e, Broadcast) and isinstance(e.message, Vote) and e.message.kind is kind]


def locked_on_b_in_round_0() -> Hand:
    hand = Hand()
    assert sent(hand.proposal(0, B), PRE) == [B]  # L22-24
    assert sent(hand.votes(PRE, 0, B, 1, 2), COM) == [B]  # L36-41: 2f+1 prevotes lock and precommit
    assert (hand.node.locked_value, hand.node.locked_round) == (B, 0)
    return hand


def test_a_locked_validator_prevotes_nil_for_another_block() -> None:
    hand = locked_on_b_in_round_0()
    hand.next_round()
    assert sent(hand.proposal(1, C), PRE) == [None]  # L23: locked on B, C has no proof of lock change


def test_a_locked_validator_relocks_on_its_block_in_a_later_round() -> None:
    hand = locked_on_b_in_round_0()
    hand.next_round()
    assert sent(hand.proposal(1, B), PRE) == [B]
    assert sent(hand.votes(PRE, 1, B, 1, 3), COM) == [B]
    assert (hand.node.locked_value, hand.node.locked_round) == (B, 1)


def test_2f_plus_1_prevotes_in_a_later_round_update_the_lock() -> None:
    hand = locked_on_b_in_round_0()
    hand.next_round()
    assert sent(hand.proposal(1, C), PRE) == [None]
    assert sent(hand.votes(PRE, 1, C, 1, 2, 3), COM) == [C]  # POLUpdateLock
    assert (hand.node.locked_value, hand.node.locked_round) == (C, 1)


def test_a_proof_of_lock_from_before_the_lock_does_not_unlock() -> None:
    hand = Hand()
    hand.node.on_timeout(Timeout(1, 0, Step.PROPOSE))  # no proposal in round 0: prevote nil
    hand.votes(PRE, 0, C, 1, 2, 3)  # 2f+1 prevoted C in round 0 (we never saw the proposal)
    hand.next_round()
    assert sent(hand.proposal(1, B), PRE) == [B]
    assert sent(hand.votes(PRE, 1, B, 1, 3), COM) == [B]
    hand.next_round()
    assert sent(hand.proposal(2, C, valid_round=0), PRE) == [None]  # L29: lockedRound 1 > vr 0
    assert hand.node.locked_value == B


def test_a_proof_of_lock_after_the_lock_is_followed() -> None:
    hand = locked_on_b_in_round_0()
    hand.next_round()
    hand.votes(PRE, 1, C, 1, 2, 3)
    hand.next_round()
    assert sent(hand.proposal(2, C, valid_round=1), PRE) == [C]  # L28-30: lockedRound 0 <= vr 1


def test_precommits_seen_only_after_moving_rounds_still_decide() -> None:
    hand = locked_on_b_in_round_0()
    hand.next_round()
    assert hand.node.round == 1
    decided = [e for e in hand.votes(COM, 0, B, 1, 2) if isinstance(e, Decide)]
    assert [(d.height, d.round, d.block_hash) for d in decided] == [(1, 0, B)]
    assert len(decided[0].certificate.signatures) == 3 and hand.node.height == 2


def test_f_plus_1_messages_of_a_later_round_make_the_validator_skip_to_it() -> None:
    hand = Hand()
    hand.votes(PRE, 5, None, 1)
    assert hand.node.round == 0  # one validator may be lying
    hand.votes(PRE, 5, None, 2)
    assert hand.node.round == 5  # two: at least one honest one is in round 5 (L55)


def test_timeouts_grow_by_delta_per_round_and_the_proposer_rotates() -> None:
    hand = Hand()
    delays = [e.delay for e in hand.start if isinstance(e, ScheduleTimeout)]
    assert delays == [3.0]
    effects = hand.next_round()
    assert [e.delay for e in effects if isinstance(e, ScheduleTimeout)] == [3.5]  # base 3 s + 1 * 0.5 s
    validators = hand.node.validators
    assert [validators.proposer(1, r) for r in range(4)] == [validators.addresses[i] for i in (1, 2, 3, 0)]
    hand.next_round()
    effects = hand.next_round()  # round 3 of height 1: validator 0 proposes
    assert [type(e) for e in effects][:2] == [RecordSigned, Broadcast]
    assert isinstance(effects[1], Broadcast) and isinstance(effects[1].message, Proposal)


def test_invalid_messages_are_refused_and_change_nothing() -> None:
    hand = Hand()
    stranger = hand.sim.suite.private_key_from_seed(b"stranger")
    vote = Vote(PRE, 1, 0, B, hand.sim.suite.public_key(stranger)).signed(hand.node.domain, stranger)
    with pytest.raises(UnknownValidator, match="not one of the 4 validators"):
        hand.node.on_vote(vote)
    good = hand.sim.sign_as(1, Vote(PRE, 1, 0, B, hand.key(1)))
    with pytest.raises(InvalidVoteSignature, match="does not verify"):
        hand.node.on_vote(dataclasses.replace(good, block_hash=C))
    with pytest.raises(WrongProposer, match="the proposer is"):
        hand.node.on_proposal(hand.sim.sign_as(2, Proposal(1, 0, B, -1, hand.key(2))))
    assert hand.node.votes.votes(0, PRE).count_any() == 0 and not hand.node.proposals


def test_a_restarted_validator_resends_what_it_signed_and_never_signs_a_conflict() -> None:
    hand = locked_on_b_in_round_0()
    records = list(hand.node.log.records())  # what RecordSigned asked the host to persist
    restored = Tendermint(hand.node.validators, hand.node.domain, hand.sim.keys[0], hand.sim.apps[0],
                          hand.node.timeouts, records)
    restored.start_height(1)
    assert (restored.locked_value, restored.locked_round) == (B, 0)  # rebuilt from its own precommit
    other = hand.sim.sign_as(1, Proposal(1, 0, C, -1, hand.key(1)))  # the proposer equivocates
    effects = restored.on_proposal(other)
    assert sent(effects, PRE) == [B]  # L22 would now say nil (locked on B): it resends its old prevote
    assert [e.message for e in effects if isinstance(e, Broadcast)] == [records[0]]  # the very same vote
    assert not [e for e in effects if isinstance(e, RecordSigned)]
    restored.on_timeout(Timeout(1, 0, Step.PRECOMMIT))
    assert sent(restored.on_proposal(hand.sim.sign_as(2, Proposal(1, 1, C, -1, hand.key(2)))), PRE) == [None]
    with pytest.raises(DoubleSignRefused, match="already signed a prevote"):
        restored.log.sign(Vote(PRE, 1, 0, C, hand.key(0)))
