"""The sample voting contract: a string[] constructor, rights, votes as events, refusals."""

from __future__ import annotations

import pytest
from contractkit import context, deploy, sender

from minichain.contracts.compiler import Artifact
from minichain.contracts.engine import EMPTY_ROOT, ContractEngine
from minichain.contracts.errors import Reverted

PROPOSALS = ["修路 road", "建校 school", "公园 park"]


def test_vote_and_count(engine: ContractEngine, samples: dict[str, Artifact]) -> None:
    chair, ann, ben, cat = (sender(name, suite) for name, suite in
                            [("chair", "sm3-sm2"), ("ann", "sha256-ed25519"),
                             ("ben", "sha256-secp256k1"), ("cat", "sm3-sm2")])
    block = engine.begin(EMPTY_ROOT, context(1))
    voting, deployed = deploy(block, samples["Voting"], chair, 0, [PROPOSALS])
    assert deployed.succeeded
    for voter in (ann, ben, cat):
        given = voting.call(block, chair, "giveRightToVote", voter.hex)
        assert voting.events(given) == [("RightGiven", {"voter": voter.hex})]
    votes = [voting.call(block, ann, "vote", 1), voting.call(block, ben, "vote", 1),
             voting.call(block, cat, "vote", 2)]
    assert all(receipt.succeeded for receipt in votes)
    assert voting.events(votes[2]) == [("Voted", {"voter": cat.hex, "proposal": 2})]
    root = block.commit()
    assert voting.read(engine, root, "proposalCount") == 3
    assert voting.read(engine, root, "winningProposal") == [1, "建校 school", 2]
    assert voting.read(engine, root, "proposals", 2) == ["公园 park", 1]
    assert voting.read(engine, root, "hasVoted", ann.hex) is True


def test_invalid_double_vote_and_missing_right(engine: ContractEngine,
                                              samples: dict[str, Artifact]) -> None:
    chair, ann, eve = sender("chair"), sender("ann"), sender("eve")
    block = engine.begin(EMPTY_ROOT, context(1))
    voting, _ = deploy(block, samples["Voting"], chair, 0, [PROPOSALS])
    voting.call(block, chair, "giveRightToVote", ann.hex).raise_for_status()
    voting.call(block, ann, "vote", 0).raise_for_status()
    assert voting.call(block, ann, "vote", 1).revert_reason == "already voted"
    assert voting.call(block, eve, "vote", 1).revert_reason == "no right to vote"
    by_eve = voting.call(block, eve, "giveRightToVote", eve.hex)
    assert by_eve.revert_reason == "only the chairperson gives the right to vote"
    empty = voting.abi.deploy_code(samples["Voting"].bytecode, [[]])
    refused = block.deploy(chair.address, 1, empty, 3_000_000, 1)
    assert refused.revert_reason == "no proposals"
    assert engine.code(block.commit(), refused.contract_address or b"") == b""


def test_invalid_unknown_proposal_is_a_panic(engine: ContractEngine,
                                            samples: dict[str, Artifact]) -> None:
    chair, ann = sender("chair"), sender("ann")
    block = engine.begin(EMPTY_ROOT, context(1))
    voting, _ = deploy(block, samples["Voting"], chair, 0, [PROPOSALS])
    voting.call(block, chair, "giveRightToVote", ann.hex).raise_for_status()
    out_of_range = voting.call(block, ann, "vote", 7)
    assert out_of_range.revert_reason == "Panic(0x32): array index out of bounds"
    root = block.commit()
    assert voting.read(engine, root, "hasVoted", ann.hex) is False  # the whole call was undone
    with pytest.raises(Reverted, match="reverted without a reason"):  # a public array's getter
        voting.read(engine, root, "proposals", 3)
