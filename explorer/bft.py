"""The four BFT scenes of the explorer and the stage, played on the seeded simulator in virtual time
(minichain.consensus.bft.simulation: real validators, real signatures, no node and no socket): a
normal round; a silent proposer (the next round commits); a Byzantine validator signing two
conflicting votes each step (still one chain); two of four down (the chain stops, never forks, and
resumes when one returns). No Streamlit here: the page and the stage draw a `Scene`, and `say_step`
says a step in the page's language, Tendermint's word beside FISCO BCOS PBFT's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from explorer.i18n import picture_words, say
from minichain import viz_bft
from minichain.consensus.bft import Message, Vote, VoteKind
from minichain.consensus.bft.simulation import Outgoing, Simulation, double_voter
from minichain.viz import Canvas
from minichain.viz_bft import BftStep

SCENES = ("normal", "silent", "byzantine", "halt")
BYZANTINE = 3  # the validator that double-votes (not a proposer of height 1's first rounds)
SETTLE = 0.3  # virtual seconds after a decision for the last messages to arrive (the pause is 0.5 s)
HALT = 60.0  # virtual seconds the two survivors wait alone before validator 2 returns
# Words at least 20 px high on a 1280 px screen: 24 units of 960 in its 820 px column (21 px).
CANVAS = Canvas(width=960, text=24)


@dataclass(frozen=True)
class Scene:
    """What one scene did, drawn for one height."""

    name: str
    height: int  # the height the picture shows
    n: int  # validators
    quorum: int  # 2f + 1
    steps: tuple[BftStep, ...]
    down: tuple[tuple[tuple[float, float], ...], ...]  # viz_bft.down_intervals
    certificate: tuple[int, ...]  # the validators whose precommits certify the decision
    value: str  # the decided block's first hex digits
    heights: int  # heights decided by every validator running at the end
    one_chain: bool  # never two blocks at one height, on any validator
    evidence: int  # conflicting signed pairs the honest validators recorded
    halted: float  # virtual seconds without a decision while two were down (the halt scene)


@dataclass(frozen=True)
class Shown:
    """A scene on the stage: its first `steps` steps are shown."""

    scene: Scene
    steps: int


def _conflicting_votes() -> Outgoing:
    """Every prevote and precommit goes out twice: as signed, and for another block."""
    prevotes, precommits = double_voter(VoteKind.PREVOTE), double_voter(VoteKind.PRECOMMIT)

    def rewrite(sim: Simulation, node: int, message: Message) -> list[tuple[int, Message]]:
        if isinstance(message, Vote) and message.kind is VoteKind.PRECOMMIT:
            return precommits(sim, node, message)
        return prevotes(sim, node, message)

    return rewrite


def _settle(sim: Simulation, heights: int, until: float) -> None:
    sim.run(heights=heights, until=until)
    sim.run(until=sim.now + SETTLE)


def build(name: str) -> Scene:
    """Play scene `name` (one of SCENES) from its seed: the same steps every time."""
    halted, height = 0.0, 1
    if name == "normal":
        sim = Simulation(seed=1).start()
        _settle(sim, 1, 60)
    elif name == "silent":
        sim = Simulation(seed=2)
        sim.crash(1)  # the proposer of height 1, round 0: (1 + 0) mod 4
        _settle(sim.start(), 1, 60)
    elif name == "byzantine":
        sim = Simulation(seed=5)
        sim.byzantine[BYZANTINE] = _conflicting_votes()
        _settle(sim.start(), 3, 120)
    elif name == "halt":
        sim, height = Simulation(seed=10).start(), 2
        _settle(sim, 1, 60)
        sim.crash(2)
        sim.crash(3)
        stopped = sim.now
        sim.run(until=sim.now + HALT)
        sim.restart(2)
        _settle(sim, 2, sim.now + 300)
        halted = next(e.time for e in sim.timeline if e.kind == "decide" and e.height == 2) - stopped
    else:
        raise ValueError(f"unknown BFT scene {name!r}")
    keys = [sim.suite.public_key(k) for k in sim.keys]
    decision = next(d[height] for d in sim.decisions if height in d)
    running = sim.running()
    evidence = sum(1 for i in running if i != BYZANTINE or name != "byzantine"
                   for e in sim.machines[i].evidence)
    return Scene(
        name=name, height=height, n=len(keys), quorum=sim.engine.validators.quorum,
        steps=tuple(viz_bft.round_steps(sim.timeline, height)),
        down=tuple(tuple(i) for i in viz_bft.down_intervals(sim.timeline, len(keys))),
        certificate=tuple(keys.index(key) for key, _ in decision.certificate.signatures),
        value=decision.block_hash.hex()[:4], heights=min(len(sim.decisions[i]) for i in running),
        one_chain=all(len(values) == 1 for values in sim.certified().values()),
        evidence=evidence, halted=halted)


def picture(scene: Scene, shown: int, lang: str, canvas: Canvas | None = None, stage: bool = False) -> str:
    """The first `shown` steps of the scene, words in `lang`, on `canvas` (default: CANVAS); on the
    `stage`, without the legend (the step's title says what to look at), with flatter lanes, and
    no single message singled out (a stage step shows a whole wave)."""
    return viz_bft.bft_round_svg(scene.steps, scene.n, scene.height, shown=shown,
                                 certificate=scene.certificate, down=scene.down, words=picture_words(lang),
                                 canvas=canvas or CANVAS, legend=not stage, lane_height=2.4 if stage else 2.8,
                                 focus=not stage)


def through(scene: Scene, phase: str) -> int:
    """How many steps show `phase` complete: "proposal" (the first), "prevotes", "precommits" (the
    last of their round-0 or deciding wave), "down" (the last crash), "alone" (all before a
    restart), "round0" (all of round 0), "next_proposal" (the first proposal of a later round)."""
    steps = scene.steps

    def last(test: Callable[[BftStep], bool]) -> int:
        return max((i + 1 for i, s in enumerate(steps) if test(s)), default=0)

    match phase:
        case "proposal":
            return next((i + 1 for i, s in enumerate(steps) if s.message == "proposal"), 0)
        case "prevotes":
            return last(lambda s: s.message == "prevote")
        case "precommits":
            return last(lambda s: s.message == "precommit")
        case "down":
            return last(lambda s: s.kind == "crash")
        case "alone":
            return next((i for i, s in enumerate(steps) if s.kind == "restart"), len(steps))
        case "round0":
            return last(lambda s: s.round == 0)
        case "next_proposal":
            return next((i + 1 for i, s in enumerate(steps) if s.message == "proposal" and s.round > 0), 0)
        case _:
            return len(steps)


def _who(lang: str, node: int) -> str:
    return say(lang, "bft.who", index=node)


def say_step(step: BftStep, scene: Scene, lang: str) -> str:
    """What `step` means, in `lang`, with FISCO BCOS PBFT's name for it."""
    who = "、".join(_who(lang, n) for n in step.nodes) if lang == "zh" else ", ".join(
        _who(lang, n) for n in step.nodes)
    values = {"who": who, "round": step.round, "quorum": scene.quorum, "value": step.value or ""}
    if step.kind == "message":
        kind = say(lang, f"bft.word.{step.message}")
        if step.conflicting:
            return say(lang, "bft.say.conflicting", kind=kind, **values)
        if step.resent:
            return say(lang, "bft.say.resent", kind=kind, **values)
        nil = "_nil" if step.value is None else ""
        after = "_timeout" if step.timeout else ""
        return say(lang, f"bft.say.{step.message}{nil}{after}", **values)
    if step.kind == "decide":
        return say(lang, "bft.say.decide", count=len(step.nodes), signed=len(scene.certificate), n=scene.n,
                   **values)
    if step.kind == "timeout":
        return say(lang, "bft.say.timeout", previous=step.round - 1, **values)
    return say(lang, f"bft.say.{step.kind}", **values)


def stage_canvas(canvas: Canvas | None) -> Canvas:
    """The stage's canvas for this picture: words at least as large as on the page (24 of 960)."""
    if canvas is None:
        return CANVAS
    return Canvas(canvas.width, max(canvas.text, canvas.width * CANVAS.text / CANVAS.width))


def verdict(scene: Scene, lang: str) -> tuple[str, str]:
    """The scene's outcome once every step is shown: (kind of box, sentence)."""
    values = {"value": scene.value, "height": scene.height, "heights": scene.heights, "n": scene.n,
              "signed": len(scene.certificate), "quorum": scene.quorum, "evidence": scene.evidence,
              "who": _who(lang, BYZANTINE), "seconds": scene.halted, "back": _who(lang, 2)}
    if not scene.one_chain:  # never seen: the simulator's tests forbid it
        return "error", say(lang, "bft.verdict.fork", **values)
    return "success", say(lang, f"bft.verdict.{scene.name}", **values)
