"""The BFT scenarios of the research notes, on the seeded simulator in virtual time: commits in
round 0, never two decisions at a height under any delivery order, and progress or a safe halt
under silent, invalid, equivocating and crashed validators."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from minichain.consensus.bft import Vote, VoteKind
from minichain.consensus.bft.simulation import (
    Simulation,
    double_voter,
    equivocating_proposer,
    random_precommits,
)


def assert_safe(sim: Simulation) -> None:
    for height, values in sim.certified().items():
        assert len(values) == 1, f"height {height}: {len(values)} different values decided"


def test_normal_commit_in_round_0_for_every_height() -> None:
    sim = Simulation(seed=1).start()
    sim.run(heights=3)
    assert_safe(sim)
    assert all(d.round == 0 for node in sim.decisions for d in node.values())
    assert sorted(sim.certified()) == [1, 2, 3]
    assert sim.now < 3 * 1.0  # three heights of 0.5 s pause and a few latencies, no timeout fired
    assert not [e for e in sim.timeline if e.kind == "timeout" and e.detail != "new_height"]


def test_100_random_delivery_orders_never_decide_twice() -> None:
    for seed in range(100):
        sim = Simulation(seed=seed, latency=(0.0, 2.0), base_timeout_ms=1000, timeout_delta_ms=500).start()
        sim.run(heights=2, until=300)
        assert_safe(sim)
        assert all(len(sim.decisions[i]) >= 2 for i in range(4)), seed


def test_a_silent_proposer_costs_one_round() -> None:
    sim = Simulation(seed=2)
    sim.crash(1)  # proposer of height 1, round 0: (1 + 0) mod 4
    sim.start().run(heights=1)
    assert_safe(sim)
    assert {sim.decisions[i][1].round for i in (0, 2, 3)} == {1}
    assert any(e.kind == "timeout" and e.detail == "propose" and e.round == 0 for e in sim.timeline)


def test_an_invalid_proposal_gets_nil_votes_and_the_next_round_commits() -> None:
    sim = Simulation(seed=3)
    for app in sim.apps:
        app.invalid_proposers.add(1)
    invalid = sim.apps[1]
    sim.start()
    for app in sim.apps:
        app.invalid |= invalid.invalid  # every validator judges the proposer's block invalid (oversized)
    sim.run(heights=1)
    assert_safe(sim)
    for node in (0, 2, 3):
        round0 = [m for m in sim.records[node] if isinstance(m, Vote) and m.height == 1 and m.round == 0]
        assert {v.kind for v in round0} == {VoteKind.PREVOTE, VoteKind.PRECOMMIT}
        assert all(v.block_hash is None for v in round0)
        assert sim.decisions[node][1].round == 1


def test_an_equivocating_proposer_with_a_partition_still_gives_one_chain() -> None:
    sim = Simulation(seed=4)
    sim.byzantine[1] = equivocating_proposer(first={0, 2})
    sim.partition({0, 1, 2}, {1, 3})  # the Byzantine proposer reaches both sides
    sim.start().run(until=5)
    assert 1 in sim.decisions[0] and 1 in sim.decisions[2] and 1 not in sim.decisions[3]
    sim.heal()
    sim.run(until=60)
    assert_safe(sim)
    assert sim.decisions[3][1].block_hash == sim.decisions[0][1].block_hash
    fooled = [m for m in sim.records[3] if isinstance(m, Vote) and m.height == 1 and m.round == 0
              and m.kind is VoteKind.PREVOTE]
    assert fooled and fooled[0].block_hash not in (None, sim.decisions[3][1].block_hash)  # saw the other


def test_a_double_prevoting_validator_is_recorded_and_the_chain_grows() -> None:
    sim = Simulation(seed=5)
    sim.byzantine[3] = double_voter(VoteKind.PREVOTE)
    sim.start().run(heights=3)
    assert_safe(sim)
    assert len(sim.certified()) >= 3
    evidence = [e for i in (0, 1, 2) for e in sim.machines[i].evidence]
    assert evidence and all(e.first.validator == sim.suite.public_key(sim.keys[3]) for e in evidence)


def test_random_precommits_every_height_do_not_stop_the_chain() -> None:
    sim = Simulation(seed=6)
    sim.byzantine[2] = random_precommits()
    sim.start().run(heights=4)
    assert_safe(sim)
    assert len(sim.certified()) >= 4


def test_delays_past_the_timeouts_commit_once_timeouts_have_grown() -> None:
    sim = Simulation(seed=7, latency=(1.5, 4.0), base_timeout_ms=500, timeout_delta_ms=1000).start()
    sim.run(heights=2, until=2000)
    assert_safe(sim)
    assert all(len(sim.decisions[i]) >= 2 for i in range(4))
    assert max(d.round for node in sim.decisions for d in node.values()) >= 1  # round 0 timed out


def test_three_keep_committing_while_one_is_crashed_and_a_paused_one_catches_up() -> None:
    sim = Simulation(seed=8).start()
    sim.run(heights=1)
    sim.crash(3)
    sim.run(until=sim.now + 30)
    assert min(len(sim.decisions[i]) for i in (0, 1, 2)) >= 4
    sim.restart(3)  # resumes from its log; catching up missed heights is block sync (node slice)
    paused = Simulation(seed=9).start()
    paused.partition({0, 1, 2}, {3})
    paused.run(until=3)
    assert len(paused.decisions[3]) == 0 and len(paused.decisions[0]) >= 2
    paused.heal()
    paused.run(until=30)
    assert_safe(paused)
    assert len(paused.decisions[3]) >= 3


def test_two_of_four_crashed_halts_without_forking_and_resumes_when_one_returns() -> None:
    sim = Simulation(seed=10).start()
    sim.run(heights=2)
    sim.crash(2)
    sim.crash(3)
    before = [len(sim.decisions[i]) for i in (0, 1)]
    sim.run(until=sim.now + 120)
    after = [len(sim.decisions[i]) for i in (0, 1)]
    assert after[0] - before[0] <= 1 and after[1] - before[1] <= 1  # at most a height already precommitted
    stuck = max(after)
    sim.run(until=sim.now + 120)
    assert max(len(sim.decisions[i]) for i in (0, 1)) == stuck  # halted: no quorum, no decision
    sim.restart(2)
    sim.run(until=sim.now + 400)
    assert_safe(sim)
    assert min(len(sim.decisions[i]) for i in (0, 1)) > stuck


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), drop=st.sampled_from([0.0, 0.05, 0.2]),
       fault=st.sampled_from(["none", "double-prevote", "double-precommit", "random-precommits",
                              "equivocate"]),
       partition=st.booleans())
def test_no_two_certified_values_at_one_height(seed: int, drop: float, fault: str, partition: bool) -> None:
    sim = Simulation(seed=seed, drop=drop, latency=(0.0, 1.5), base_timeout_ms=800, timeout_delta_ms=400)
    rewrite = {"double-prevote": double_voter(VoteKind.PREVOTE),
               "double-precommit": double_voter(VoteKind.PRECOMMIT),
               "random-precommits": random_precommits(),
               "equivocate": equivocating_proposer(first={0, 2})}.get(fault)
    if rewrite is not None:
        sim.byzantine[1] = rewrite
    if partition:
        sim.partition({0, 1}, {2, 3})
    sim.start().run(until=20)
    if partition:
        sim.heal()
    sim.run(until=80)
    assert_safe(sim)
