"""BFT pictures as data: the steps of a height read back what the simulator did (one proposal, a
wave of prevotes, a wave of precommits, a decision), and the SVG draws exactly the steps shown."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from minichain import viz_bft
from minichain.consensus.bft import VoteKind
from minichain.consensus.bft.simulation import Simulation, double_voter
from minichain.viz import Canvas

NS = "{http://www.w3.org/2000/svg}"
CANVAS = Canvas(width=960, text=22)


def settled(sim: Simulation, heights: int) -> Simulation:
    sim.run(heights=heights)
    sim.run(until=sim.now + 0.3)  # the messages still in flight arrive (before the next height starts)
    return sim


def signers(sim: Simulation, height: int) -> list[int]:
    keys = [sim.suite.public_key(k) for k in sim.keys]
    decision = next(d[height] for d in sim.decisions if height in d)
    return [keys.index(key) for key, _ in decision.certificate.signatures]


def lines(svg: str) -> list[ET.Element]:
    return [e for e in ET.fromstring(svg).iter(f"{NS}line") if e.get("marker-end")]


def test_a_normal_round_is_one_proposal_four_prevotes_four_precommits_and_a_decision() -> None:
    sim = settled(Simulation(seed=1).start(), 1)
    steps = viz_bft.round_steps(sim.timeline, 1)
    kinds = [(s.kind, s.message) for s in steps]
    assert kinds[0] == ("message", "proposal") and steps[0].nodes == (1,)  # (1 + 0) mod 4 proposes
    assert kinds.count(("message", "prevote")) == 4 and kinds.count(("message", "precommit")) == 4
    assert kinds[-1] == ("decide", "") and sorted(steps[-1].nodes) == [0, 1, 2, 3]
    assert all(len(s.arrows) == 3 and all(a.arrived is not None for a in s.arrows)
               for s in steps if s.kind == "message")
    assert {s.value for s in steps} == {steps[0].value} and not any(s.conflicting for s in steps)


def test_a_silent_proposer_gives_nil_votes_by_timeout_and_the_next_proposer_commits() -> None:
    sim = Simulation(seed=2)
    sim.crash(1)
    steps = viz_bft.round_steps(settled(sim.start(), 1).timeline, 1)
    assert steps[0].kind == "crash" and steps[0].nodes == (1,)
    round0 = [s for s in steps if s.kind == "message" and s.round == 0]
    assert round0 and all(s.value is None for s in round0)  # nil prevotes and precommits
    assert {s.timeout for s in round0 if s.message == "prevote"} == {"propose"}
    proposal = next(s for s in steps if s.message == "proposal")
    assert (proposal.round, proposal.nodes, proposal.timeout) == (1, (2,), "precommit")
    assert steps[-1].kind == "decide" and steps[-1].round == 1
    assert all(a.arrived is None for s in round0 for a in s.arrows if a.receiver == 1)  # 1 is down


def test_a_double_voter_s_second_vote_is_a_conflicting_step_drawn_red() -> None:
    sim = Simulation(seed=5)
    sim.byzantine[3] = double_voter(VoteKind.PREVOTE)
    steps = viz_bft.round_steps(settled(sim.start(), 1).timeline, 1)
    twins = [s for s in steps if s.conflicting]
    assert twins and all(s.nodes == (3,) and s.message == "prevote" for s in twins)
    at = steps.index(twins[0]) + 1
    svg = viz_bft.bft_round_svg(steps, 4, 1, shown=at, canvas=CANVAS)
    bold = [e for e in lines(svg) if e.get("stroke-width") == "4.5"]
    assert len(bold) == 3 and {e.get("stroke") for e in bold} == {viz_bft.BAD}


def test_the_picture_draws_the_steps_shown_and_ticks_the_certificate_once_decided() -> None:
    sim = settled(Simulation(seed=1).start(), 1)
    steps = viz_bft.round_steps(sim.timeline, 1)
    certificate = signers(sim, 1)
    for shown in range(len(steps) + 1):
        svg = viz_bft.bft_round_svg(steps, 4, 1, shown=shown, certificate=certificate, canvas=CANVAS)
        assert len(lines(svg)) == sum(len(s.arrows) for s in steps[:shown])
        texts = ET.fromstring(svg).iter(f"{NS}text")
        ticks = [t for t in texts if t.text == "✔" and t.get("fill") == viz_bft.OK]
        assert len(ticks) == (len(certificate) if shown == len(steps) else 0)
    assert len(certificate) >= 3  # 2f + 1 of 4


def test_every_word_is_drawn_at_the_canvas_text_size_or_larger() -> None:
    sim = Simulation(seed=10).start()
    sim.run(heights=1)
    sim.crash(2)
    sim.crash(3)
    sim.run(until=sim.now + 60)
    sim.restart(2)
    settled(sim, 2)
    steps = viz_bft.round_steps(sim.timeline, 2)
    assert any(s.kind == "restart" for s in steps) and steps[-1].kind == "decide"
    svg = viz_bft.bft_round_svg(steps, 4, 2, certificate=signers(sim, 2),
                                down=viz_bft.down_intervals(sim.timeline, 4), canvas=CANVAS)
    sizes = [float(t.get("font-size", "0")) for t in ET.fromstring(svg).iter(f"{NS}text")]
    assert sizes and min(sizes) >= CANVAS.text  # glyphs (✔ ✕ ↻) too
    words = [t for t in ET.fromstring(svg).iter(f"{NS}text") if t.text and len(t.text) > 2]
    assert all(float(t.get("font-size", "0")) >= CANVAS.text for t in words)
    assert "56." in svg  # the silence while two of four were down, written out
