"""Pictures of BFT consensus: one height's rounds as a message sequence chart, one lane per validator.

Theory of operation. A Tendermint round is three waves of signed messages: the proposer's proposal
(FISCO BCOS PBFT: PrepareReq), every validator's prevote (SignReq) and precommit (CommitReq). 2f + 1
precommits for one block decide it, and are its commit certificate; a timeout moves a validator on,
and after the precommit step to the next round (FISCO BCOS: view change, ViewChangeReq). Here time
runs to the right, each validator is a lane, and each signed message is one step (`BftStep`): a
lecturer steps through a round message by message and `bft_round_svg` draws the steps so far, the
latest one bold. A silence of seconds (a timeout) beside latencies of milliseconds is drawn as a
break in the time axis with its length written under it, so both stay readable. The record comes
from the seeded simulator's `timeline` (minichain.consensus.bft.simulation); no UI is imported.
"""

from __future__ import annotations

import bisect
import dataclasses
import html
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from minichain.consensus.bft.simulation import TimelineEvent
from minichain.viz import BAD, FONT, INK, MUTED, OK, PATH, SIBLING, Canvas, text_width

PROPOSAL, PREVOTE, PRECOMMIT = "#6a1b9a", PATH, OK  # purple, blue, green: the three waves of a round
NIL = "#616161"  # a vote for no block
COLORS = {"proposal": PROPOSAL, "prevote": PREVOTE, "precommit": PRECOMMIT}
LONGEST_GAP = 0.15  # virtual seconds: a longer silence between two events is drawn as a break
UNDELIVERED = 0.04  # virtual seconds: how long an arrow that never arrives is drawn
CERTIFICATE_COLUMN = 30  # words wide: a narrower picture leaves out the certificate's column
NATURAL = Canvas(width=960, text=16)  # without a canvas: 1 unit = 1 px, shrinking to fit a narrow page

WORDS: dict[str, str] = {
    "bft.title": "height {height}: rounds, votes and the commit certificate",
    "bft.validator": "validator {index}",
    "bft.round": "round {round}",
    "bft.round_proposer": "round {round} · proposer: validator {proposer}",
    "bft.certificate": "certificate",
    "bft.signed": "{count} of {n}",
    "bft.silence": "{seconds:.1f} s",
    "bft.nil": "nil",
    "bft.proposal": "proposal",
    "bft.prevote": "prevote",
    "bft.precommit": "precommit",
    "bft.timeout": "timeout",
    "bft.decide": "decided",
    "bft.crash": "down",
    "bft.restart": "back",
    "bft.legend.proposal": "proposal · PrepareReq",
    "bft.legend.prevote": "prevote · SignReq",
    "bft.legend.precommit": "precommit · CommitReq",
    "bft.legend.nil": "vote for nil",
    "bft.legend.conflict": "conflicting vote",
    "bft.legend.timeout": "timeout · ViewChangeReq",
}


@dataclass(frozen=True)
class Arrow:
    """One copy of a message on the wire."""

    sender: int
    receiver: int
    sent: float  # virtual seconds
    arrived: float | None  # virtual seconds; None: never delivered (its receiver was down)


@dataclass(frozen=True)
class BftStep:
    """One thing that happened, as a lecturer steps through it: a signed message sent to every other
    validator, a round change by timeout, a decision, a validator going down or coming back."""

    kind: str  # "message", "timeout" (a precommit timeout: next round), "decide", "crash", "restart"
    round: int
    marks: tuple[tuple[int, float], ...]  # (validator, virtual seconds) of each who acted
    message: str = ""  # proposal, prevote or precommit (kind "message")
    value: str | None = None  # the first hex digits of the block it names; None: nil
    timeout: str = ""  # the timer that fired first and caused it: propose, prevote or precommit
    conflicting: bool = False  # a second, different message of one validator for one round and step
    resent: bool = False  # the same message again (to a validator that came back)
    arrows: tuple[Arrow, ...] = ()

    @property
    def time(self) -> float:
        return self.marks[0][1]

    @property
    def nodes(self) -> tuple[int, ...]:
        return tuple(node for node, _ in self.marks)


def _parse(detail: str) -> tuple[str, str | None]:
    kind, _, value = detail.partition(" ")
    return kind, None if value == "nil" else value[:4]


def round_steps(timeline: Sequence[TimelineEvent], height: int) -> list[BftStep]:
    """The steps of `height`, in time order, from a simulation's timeline (deliveries become the ends
    of arrows; a timer that changed nothing is left out; crashes and restarts since the previous
    height was decided are steps too)."""
    mine = [e for e in timeline if e.height == height and e.kind not in ("crash", "restart")
            and not (e.kind == "timeout" and e.detail == "new_height")]
    if not mine:
        return []
    since = max((e.time for e in timeline if e.kind == "decide" and e.height == height - 1), default=0.0)
    until = mine[-1].time
    kept = {id(e) for e in mine}
    events = [e for e in timeline
              if id(e) in kept or (e.kind in ("crash", "restart") and since <= e.time <= until)]
    arrivals: dict[tuple[int, int, int, str], list[float]] = {}
    for e in events:
        if e.kind == "deliver" and e.peer is not None:
            arrivals.setdefault((e.peer, e.node, e.round, e.detail), []).append(e.time)
    steps: list[BftStep] = []
    first: dict[tuple[int, int, str], str | None] = {}  # (validator, round, message) -> its first value
    waiting: TimelineEvent | None = None  # a timer whose effect, if any, is the very next event
    for e in events:
        cause, waiting = waiting, None
        if cause is not None and cause.detail == "precommit" and (e.node, e.time) != (cause.node, cause.time):
            mark = ((cause.node, cause.time),)
            steps.append(BftStep("timeout", cause.round + 1, mark, timeout="precommit"))
        if e.kind == "timeout":
            waiting = e
        elif e.kind in ("send", "drop", "hold") and e.peer is not None:
            queue = arrivals.get((e.node, e.peer, e.round, e.detail), []) if e.kind == "send" else []
            arrow = Arrow(e.node, e.peer, e.time, queue.pop(0) if queue else None)
            message, value = _parse(e.detail)
            last = steps[-1] if steps else None
            if (last is not None and last.kind == "message" and last.marks == ((e.node, e.time),)
                    and (last.message, last.value, last.round) == (message, value, e.round)):
                steps[-1] = dataclasses.replace(last, arrows=(*last.arrows, arrow))
                continue
            same = cause is not None and (cause.node, cause.time) == (e.node, e.time)
            caused = cause.detail if cause is not None and same else ""
            earlier = first.setdefault((e.node, e.round, message), value)
            repeat = any(s.kind == "message" and s.nodes == (e.node,) and (s.message, s.value, s.round)
                         == (message, value, e.round) for s in steps)
            steps.append(BftStep("message", e.round, ((e.node, e.time),), message, value, caused,
                                 conflicting=earlier != value, resent=repeat, arrows=(arrow,)))
        elif e.kind == "decide":
            last = steps[-1] if steps else None
            if last is not None and last.kind == "decide":
                steps[-1] = dataclasses.replace(last, marks=(*last.marks, (e.node, e.time)))
            else:
                steps.append(BftStep("decide", e.round, ((e.node, e.time),), value=e.detail[:4]))
        elif e.kind in ("crash", "restart"):
            steps.append(BftStep(e.kind, e.round, ((e.node, e.time),)))
    if waiting is not None and waiting.detail == "precommit":
        steps.append(BftStep("timeout", waiting.round + 1, ((waiting.node, waiting.time),),
                             timeout="precommit"))
    return steps


def down_intervals(timeline: Iterable[TimelineEvent], n: int) -> list[list[tuple[float, float]]]:
    """For each validator, the (from, to) virtual seconds it was down (to: infinity if still down)."""
    intervals: list[list[tuple[float, float]]] = [[] for _ in range(n)]
    since: dict[int, float] = {}
    for e in timeline:
        if e.kind == "crash":
            since.setdefault(e.node, e.time)
        elif e.kind == "restart" and e.node in since:
            intervals[e.node].append((since.pop(e.node), e.time))
    for node, start in since.items():
        intervals[node].append((start, float("inf")))
    return intervals


# --- drawing ------------------------------------------------------------------------------------------


def _say(words: Mapping[str, str] | None, key: str, **values: object) -> str:
    return ((words or {}).get(key) or WORDS[key]).format(**values)


def _text(x: float, y: float, text: str, size: float, color: str = INK, anchor: str = "middle",
          bold: bool = False, halo: bool = False) -> str:
    around = ' stroke="#ffffff" stroke-width="6" paint-order="stroke" stroke-linejoin="round"' if halo else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" fill="{color}" text-anchor="{anchor}" '
            f'font-weight="{"bold" if bold else "normal"}"{around} {FONT}>{html.escape(text)}</text>')


def _fit(text: str, room: float, size: float) -> str:
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    return text + "…" if text else ""


class _Axis:
    """Virtual time to x: linear inside bursts of events, a fixed short stretch for each silence."""

    def __init__(self, times: Iterable[float], left: float, right: float) -> None:
        ordered = sorted(set(times)) or [0.0]
        self.ordered = ordered
        self.units = {ordered[0]: 0.0}
        self.breaks: list[tuple[float, float]] = []  # (units at the break's middle, seconds of silence)
        for before, after in itertools.pairwise(ordered):
            gap = after - before
            if gap > LONGEST_GAP:
                self.breaks.append((self.units[before] + LONGEST_GAP / 2, gap))
            self.units[after] = self.units[before] + min(gap, LONGEST_GAP)
        self.left, self.scale = left, (right - left) / max(self.units[ordered[-1]], 1e-9)

    def x(self, time: float) -> float:
        """A time of the record exactly; any other at the nearest recorded time not after it."""
        units = self.units.get(time)
        if units is None:
            index = max(0, bisect.bisect_right(self.ordered, time) - 1)
            units = self.units[self.ordered[index]]
        return self.left + units * self.scale

    def at(self, units: float) -> float:
        return self.left + units * self.scale


def bft_round_svg(steps: Sequence[BftStep], n: int, height: int, shown: int | None = None,
                  certificate: Iterable[int] = (), down: Sequence[Sequence[tuple[float, float]]] = (),
                  words: Mapping[str, str] | None = None, canvas: Canvas | None = None,
                  legend: bool = True, lane_height: float = 2.8, focus: bool = True) -> str:
    """The first `shown` steps (all if None) of one height, on lanes of `n` validators: the latest
    step bold, earlier ones faded, later ones not yet drawn; the time axis is laid out for all the
    steps, so stepping never moves what is already drawn. `certificate`: the validators whose
    precommits certify the decision (ticked once the decision is shown); `down`: down_intervals;
    `lane_height` in words (less on a stage, where the picture shares the screen's height); without
    `focus` (a stage step shows a whole wave) no step is bold or faded and none is named."""
    box = canvas or NATURAL
    size, width = box.text, box.width
    shown = len(steps) if shown is None else max(0, min(shown, len(steps)))
    revealed, current = steps[:shown], steps[shown - 1] if shown else None
    names = [_say(words, "bft.validator", index=i) for i in range(n)]
    label_w = max(text_width(name, size) for name in names) + 0.8 * size
    cert_head = _say(words, "bft.certificate")
    with_column = width >= CERTIFICATE_COLUMN * size  # a phone's narrow picture keeps its room for time
    cert_w = max(text_width(cert_head, size), 3 * size) + 0.8 * size if with_column else 0.1 * size
    left, right = label_w + 0.6 * size, width - cert_w - 0.9 * size
    times = [t for s in steps for _, t in s.marks]
    times += [t for s in steps for a in s.arrows for t in (a.sent, a.arrived if a.arrived is not None
                                                            else a.sent + UNDELIVERED)]
    axis = _Axis(times, left, right)
    band_h, lane_h = 1.6 * size, lane_height * size
    top = band_h + 0.3 * size

    def lane(node: int) -> float:
        return top + (node + 0.5) * lane_h

    bottom = top + n * lane_h
    body = [_markers([*COLORS.values(), NIL, BAD])]
    rounds = sorted({s.round for s in steps})
    starts = {r: min(t for s in steps if s.round == r for _, t in s.marks) for r in rounds}
    for index, r in enumerate(rounds):  # the rounds as bands, each labelled with its proposer
        x0 = axis.x(starts[r]) - (0.3 * size if index else 0.6 * size)
        x1 = axis.x(starts[rounds[index + 1]]) - 0.3 * size if index + 1 < len(rounds) else right + 0.4 * size
        body.append(f'<rect x="{x0:.1f}" y="0" width="{x1 - x0:.1f}" height="{bottom + 0.2 * size:.1f}" '
                    f'fill="{"#eef3fb" if index % 2 else "#f6f6f6"}"/>')
        full = _say(words, "bft.round_proposer", round=r, proposer=(height + r) % n)
        short = _say(words, "bft.round", round=r)
        room = x1 - x0 - 0.4 * size
        label = next((text for text in (full, short, str(r)) if text_width(text, size) <= room), "")
        body.append(_text(x0 + 0.3 * size, 1.15 * size, label, size, INK, anchor="start", bold=True))
    first_time = min(times, default=0.0)
    # a validator's state holds until the next thing happens: the silence after the shown steps too
    shown_until = steps[shown].time if shown < len(steps) else max(times, default=0.0)
    for node in range(n):  # the lanes, dashed red while the validator is down
        y = lane(node)
        body.append(_text(0.2 * size, y + 0.35 * size, names[node], size, INK, anchor="start", bold=True))
        body.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}" stroke="#9e9e9e" '
                    'stroke-width="2"/>')
        for start, end in down[node] if node < len(down) else ():
            if (start >= shown_until and shown < len(steps)) or end < first_time:
                continue  # not down yet (as far as the steps shown go), or back before this height
            xa = axis.x(max(start, first_time))
            xb = right if end == float("inf") and shown == len(steps) else axis.x(min(end, shown_until))
            body.append(f'<line x1="{xa:.1f}" y1="{y:.1f}" x2="{max(xa, xb):.1f}" y2="{y:.1f}" '
                        f'stroke="{BAD}" stroke-width="4" stroke-dasharray="8,6"/>')
    placed: list[tuple[float, float]] = []  # the silences' labels, longest silence first, never overlapping
    for units, seconds in sorted(axis.breaks, key=lambda b: -b[1]):
        x, said = axis.at(units), _say(words, "bft.silence", seconds=seconds)
        body.append(f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" stroke="{MUTED}" '
                    'stroke-width="2" stroke-dasharray="2,5"/>')
        half = text_width(said, size) / 2 + 0.2 * size
        if all(x + half <= a or x - half >= b for a, b in placed):
            placed.append((x - half, x + half))
            body.append(_text(x, bottom + 1.1 * size, said, size, MUTED))
    faded = focus and shown < len(steps)
    for step in revealed:
        bold = focus and step is current
        body += _draw_step(step, bold, faded and step is not current, axis, lane, size)
    decided = any(s.kind == "decide" for s in revealed)
    signers = set(certificate) if decided else set()
    cx = right + 0.9 * size + cert_w / 2
    if with_column:
        body.append(_text(cx, 1.15 * size, cert_head, size, OK if decided else MUTED, bold=True))
        for node in range(n):
            mark, color = ("✔", OK) if node in signers else ("·", MUTED)
            body.append(_text(cx, lane(node) + 0.4 * size, mark, 1.2 * size, color, bold=True))
        if decided:
            signed = _say(words, "bft.signed", count=len(signers), n=n)
            body.append(_text(cx, bottom + 1.1 * size, signed, size, OK))
    if current is not None and focus:
        body.append(_callout(current, axis, lane, left, right, size, words))
    height_px = bottom + 1.6 * size
    if legend:
        body_legend, rows = _legend(words, size, left, width - 0.5 * size, height_px + 0.4 * size)
        body += body_legend
        height_px += 0.4 * size + rows * 1.4 * size
    return _svg(width, height_px, body, _say(words, "bft.title", height=height), fill=canvas is not None)


def _draw_step(step: BftStep, current: bool, faded: bool, axis: _Axis, lane: Callable[[int], float],
               size: float) -> list[str]:
    body: list[str] = []
    opacity = ' opacity="0.4"' if faded else ""
    color = BAD if step.conflicting else NIL if step.value is None else COLORS.get(step.message, INK)
    for arrow in step.arrows:
        end = arrow.arrived if arrow.arrived is not None else arrow.sent + UNDELIVERED
        x1, y1, x2, y2 = axis.x(arrow.sent), lane(arrow.sender), axis.x(end), lane(arrow.receiver)
        dashed = ' stroke-dasharray="9,6"' if step.value is None or arrow.arrived is None else ""
        body.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{color}" '
                    f'stroke-width="{4.5 if current else 2.5}"{dashed}{opacity} '
                    f'marker-end="url(#bft-{color.lstrip("#")})"/>')
        if arrow.arrived is None:
            body.append(_text(x2, y2 + 0.4 * size, "✕", size, BAD, bold=True))
    for node, time in step.marks:
        x, y = axis.x(time), lane(node)
        r = 0.42 * size if current else 0.3 * size
        if step.kind == "message" and step.conflicting:  # a ring: the liar's first vote shows inside it
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r + 0.15 * size:.1f}" fill="none" '
                        f'stroke="{color}" stroke-width="3"{opacity}/>')
        elif step.kind == "message":
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{color}"{opacity}/>')
        if step.timeout or step.kind == "timeout":
            d = 0.5 * size if current else 0.38 * size
            body.append(f'<path d="M {x:.1f} {y - d:.1f} L {x + d:.1f} {y:.1f} L {x:.1f} {y + d:.1f} '
                        f'L {x - d:.1f} {y:.1f} Z" fill="{SIBLING}" stroke="#ffffff"{opacity}/>')
        if step.kind == "decide":
            s = 1.2 * size
            body.append(f'<rect x="{x - s / 2:.1f}" y="{y - s / 2:.1f}" width="{s:.1f}" height="{s:.1f}" '
                        f'rx="3" fill="{OK}"{opacity}/>')
            body.append(_text(x, y + 0.38 * size, "✔", size, "#ffffff", bold=True))
        if step.kind in ("crash", "restart"):
            mark = "✕" if step.kind == "crash" else "↻"
            body.append(_text(x, y + 0.4 * size, mark, 1.2 * size, BAD if step.kind == "crash" else OK,
                              bold=True, halo=True))
    return body


def _callout(step: BftStep, axis: _Axis, lane: Callable[[int], float], left: float, right: float, size: float,
             words: Mapping[str, str] | None) -> str:
    """The latest step named in words above the lane of the first validator who acted."""
    node, time = step.marks[0]
    if step.kind == "message":
        value = step.value if step.value is not None else _say(words, "bft.nil")
        label = f"{_say(words, f'bft.{step.message}')} {value}"
        if step.timeout:
            label = f"{_say(words, 'bft.timeout')} → {label}"
        color = BAD if step.conflicting else NIL if step.value is None else COLORS.get(step.message, INK)
    elif step.kind == "decide":
        label, color = f"{_say(words, 'bft.decide')} {step.value}", OK
    elif step.kind == "timeout":
        label, color = _say(words, "bft.timeout"), SIBLING
    else:
        label, color = _say(words, f"bft.{step.kind}"), BAD if step.kind == "crash" else OK
    x, y = axis.x(time), lane(node) - 0.7 * size
    room = text_width(label, size)
    anchor = "start" if x + room <= right else "end" if x - room >= left else "middle"
    if anchor == "middle":
        x = min(max(x, left + room / 2), right - room / 2)
    return _text(x, y, label, size, color, anchor=anchor, bold=True, halo=True)


def _legend(words: Mapping[str, str] | None, size: float, left: float, right: float,
            y: float) -> tuple[list[str], int]:
    items = [(f"bft.legend.{name}", color) for name, color in
             (("proposal", PROPOSAL), ("prevote", PREVOTE), ("precommit", PRECOMMIT), ("nil", NIL),
              ("conflict", BAD), ("timeout", SIBLING))]
    labels = [(f"● {_say(words, key)}" if key != "bft.legend.timeout" else f"◆ {_say(words, key)}", color)
              for key, color in items]
    column = max(text_width(label, size) for label, _ in labels) + 1.0 * size
    per_row = max(1, int((right - left) // column))
    body = []
    for index, (label, color) in enumerate(labels):
        row, col = divmod(index, per_row)
        x, line = left + col * column, y + (row + 0.8) * 1.4 * size
        body.append(_text(x, line, label, size, color, anchor="start"))
    return body, (len(labels) + per_row - 1) // per_row


def _markers(colors: Iterable[str]) -> str:
    parts = ["<defs>"]
    for color in sorted(set(colors)):
        parts.append(f'<marker id="bft-{color.lstrip("#")}" viewBox="0 0 10 10" refX="9" refY="5" '
                     f'markerWidth="4" markerHeight="4" orient="auto-start-reverse">'
                     f'<path d="M 0 0 L 10 5 L 0 10 z" fill="{color}"/></marker>')
    return "".join(parts) + "</defs>"


def _svg(width: float, height: float, body: Iterable[str], title: str, fill: bool) -> str:
    if fill:  # stretched to its container, words and all
        size = 'width="100%" style="display:block;width:100%;height:auto"'
    else:
        size = f'width="{width:.0f}" height="{height:.0f}" style="max-width:100%;height:auto"'
    return (f'<svg xmlns="http://www.w3.org/2000/svg" {size} viewBox="0 0 {width:.0f} {height:.0f}" '
            f'role="img"><title>{html.escape(title)}</title>{"".join(body)}</svg>')


