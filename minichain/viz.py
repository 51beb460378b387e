"""Pictures as data: the avalanche of a hash, a chain with its broken links, a Merkle tree with a
proof path, a fork tree with each node's tip, and a message timeline, all drawn as SVG text.

Drawn once here, shown by both the labs (ipywidgets.HTML) and the explorer (Streamlit): no UI
library is imported, so a picture is just a string that tests can read. Every word a picture shows
comes from `WORDS` (English) unless the caller passes its own `words` (a lab or page in Chinese);
text uses a font stack with a CJK fallback so Chinese renders where a CJK font is installed.

A picture is drawn at its natural size (1 unit = 1 px, shrinking to fit a narrow page), or, given a
`Canvas`, laid out to fill a width with words of a chosen size and stretched to its container: a
projector needs words that stay readable from the back of the hall whatever the screen's width.
"""

from __future__ import annotations

import bisect
import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from minichain.blocks import Block, PowSeal, transactions_root
from minichain.crypto import Suite
from minichain.merkle import HashFn, leaf_hash, levels, prove_hashes, sha256
from minichain.net.memory import NetEvent

FONT = "font-family=\"'Noto Sans', 'Noto Sans CJK SC', 'DejaVu Sans', sans-serif\""
MONO = "font-family=\"'DejaVu Sans Mono', 'Noto Sans Mono CJK SC', monospace\""
OK, BAD, PATH, SIBLING, MUTED, INK = "#2e7d32", "#c62828", "#1565c0", "#ef6c00", "#9e9e9e", "#212121"

# The words pictures show, as str.format templates. A caller in another language passes a mapping with
# any of these keys; missing keys fall back to English. Codes (hashes, heights, message ids) stay as they are.
WORDS: dict[str, str] = {
    "avalanche.title": "avalanche",
    "avalanche.changed": "{changed} / {total} bits changed ({percent}%)",
    "avalanche.bit": "bit {index}: {bit}",
    "chain.title": "chain",
    "chain.hash": "hash {hash}",
    "chain.prev": "prev {hash}",
    "chain.txs": "{count} tx",
    "chain.nonce": "nonce {nonce}",
    "merkle.title": "merkle tree",
    "merkle.root": "root",
    "merkle.leaf": "tx{index}",
    "fork.title": "fork tree",
    "fork.empty": "no blocks",
    "fork.tip": "▲ {node}",
    "fork.all": "▲ all {count} nodes",
    "timeline.title": "message timeline",
    "timeline.window": "t = {start:.2f} s … {end:.2f} s; dashed red: lost",
    "message.inventory": "inventory",
    "message.getdata": "getdata",
    "message.transactions": "transactions",
    "message.blocks": "blocks",
    "message.getblocks": "getblocks",
    "message.hello": "hello",
}


@dataclass(frozen=True)
class Canvas:
    """Draw a picture `width` units wide with words `text` units high, stretched to the width of its
    container. Words render at text x container / width px: Canvas(960, 21) gives about 20 px in a
    930 px column and 34 px in a 1550 px one. A picture with more than fits shows less of it (the
    last blocks of a chain, the hash digits that fit in a box), never smaller words."""

    width: float = 960
    text: float = 21


def _say(words: Mapping[str, str] | None, key: str, **values: object) -> str:
    """The caller's template for key (else the English one), filled with values."""
    template = (words or {}).get(key) or WORDS[key]
    return template.format(**values)


def _svg(width: float, height: float, body: Iterable[str], title: str = "", fill: bool = False) -> str:
    if fill:  # stretches to its container, words and all
        size = (f'width="100%" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
                'style="display:block;width:100%;height:auto"')
    else:  # shrinks to fit a narrow page, never grows
        size = (f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
                'role="img" style="max-width:100%;height:auto"')
    head = f'<svg xmlns="http://www.w3.org/2000/svg" {size}>'
    label = f"<title>{html.escape(title)}</title>" if title else ""
    return head + label + "".join(body) + "</svg>"


def _text(x: float, y: float, text: str, size: float = 12, color: str = INK, anchor: str = "middle",
          mono: bool = False, weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" fill="{color}" text-anchor="{anchor}" '
            f'font-weight="{weight}" {MONO if mono else FONT}>{html.escape(text)}</text>')


def text_width(text: str, size: float, mono: bool = False) -> float:
    """About how wide `text` is drawn: a CJK character is a full em, others 0.6 em (monospace) or
    0.58 em (a bold proportional digit or letter, at the widest)."""
    narrow = 0.6 if mono else 0.58
    return sum(size if ord(ch) >= 0x2E80 else narrow * size for ch in text)


def _fit(text: str, width: float, size: float, mono: bool = False) -> str:
    """`text`, cut with an ellipsis where it would be wider than `width`."""
    if text_width(text, size, mono) <= width:
        return text
    while text and text_width(text + "…", size, mono) > width:
        text = text[:-1]
    return text + "…" if text else ""


def _arrow(x1: float, y1: float, x2: float, y2: float, color: str, width: float = 1.5,
           dashed: bool = False) -> str:
    dash = ' stroke-dasharray="5,4"' if dashed else ""
    return (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{color}" '
            f'stroke-width="{width}"{dash} marker-end="url(#arrow-{color.lstrip("#")})"/>')


def _markers(colors: Iterable[str]) -> str:
    parts = ["<defs>"]
    for color in sorted(set(colors)):
        parts.append(f'<marker id="arrow-{color.lstrip("#")}" viewBox="0 0 10 10" refX="9" refY="5" '
                     f'markerWidth="6" markerHeight="6" orient="auto-start-reverse">'
                     f'<path d="M 0 0 L 10 5 L 0 10 z" fill="{color}"/></marker>')
    parts.append("</defs>")
    return "".join(parts)


# --- hashing: the avalanche ----------------------------------------------------------------------


def bits(data: bytes) -> list[int]:
    """The bits of `data`, most significant first."""
    return [(byte >> (7 - i)) & 1 for byte in data for i in range(8)]


@dataclass(frozen=True)
class Avalanche:
    changed: int  # bits that differ
    total: int  # bits compared

    @property
    def fraction(self) -> float:
        return self.changed / self.total if self.total else 0.0


def avalanche(a: bytes, b: bytes) -> Avalanche:
    """How many bits two digests differ in (about half, for a good hash and any input change)."""
    changed = sum(x != y for x, y in zip(bits(a), bits(b), strict=False))
    return Avalanche(changed, 8 * min(len(a), len(b)))


def avalanche_svg(before: bytes, after: bytes, columns: int = 32, cell: float = 14, title: str = "",
                  words: Mapping[str, str] | None = None, canvas: Canvas | None = None) -> str:
    """A grid of the digest's bits: changed bits filled, unchanged ones hollow."""
    old, new = bits(before), bits(after)
    rows = (len(new) + columns - 1) // columns
    text_size: float = 13
    if canvas is not None:
        cell, text_size = (canvas.width - 8) / columns, canvas.text
    body = []
    for index, bit in enumerate(new):
        x, y = 4 + (index % columns) * cell, 4 + (index // columns) * cell
        changed = index < len(old) and old[index] != bit
        fill = BAD if changed else ("#e0e0e0" if bit else "#fafafa")
        stroke = "#b71c1c" if changed else "#bdbdbd"
        tip = html.escape(_say(words, "avalanche.bit", index=index, bit=bit))
        body.append(f'<rect x="{x:g}" y="{y:g}" width="{cell - 2:g}" height="{cell - 2:g}" rx="2" '
                    f'fill="{fill}" stroke="{stroke}"><title>{tip}</title></rect>')
    summary = avalanche(before, after)
    body.append(_text(4, rows * cell + 7 + text_size, _say(
        words, "avalanche.changed", changed=summary.changed, total=summary.total,
        percent=round(100 * summary.fraction)), text_size, anchor="start"))
    return _svg(columns * cell + 8, rows * cell + 15 + text_size, body,
                title or _say(words, "avalanche.title"), fill=canvas is not None)


# --- chains: every link checked --------------------------------------------------------------------


@dataclass(frozen=True)
class BlockBox:
    """One block as drawn: its lines of text and whether it (and its link back) hold."""

    height: int
    block_hash: str  # hex
    parent_hash: str  # hex, as written in the block
    lines: tuple[str, ...] = ()
    valid: bool = True  # the block's own checks (work, Merkle root...)
    linked: bool = True  # parent_hash equals the previous block's hash


def chain_boxes(blocks: Sequence[Block], suite: Suite,
                words: Mapping[str, str] | None = None, hash_chars: int = 10) -> list[BlockBox]:
    """Boxes for a run of blocks, checking what a reader can see: each block's Merkle root against
    its transactions, its proof of work against its target, and each link to the previous block.
    Each box shows the first `hash_chars` hex digits of its hash and of its parent's."""
    boxes = []
    previous: str | None = None
    for block in blocks:
        header = block.header
        block_hash = block.hash(suite).hex()
        valid = transactions_root(block.transactions, suite) == header.merkle_root
        seal_line = ""
        if isinstance(header.seal, PowSeal) and header.height > 0:
            valid = valid and int(block_hash, 16) <= header.seal.target
            seal_line = _say(words, "chain.nonce", nonce=header.seal.nonce)
        lines = (f"#{header.height}", _say(words, "chain.hash", hash=block_hash[:hash_chars]),
                 _say(words, "chain.prev", hash=header.parent_hash.hex()[:hash_chars]),
                 _say(words, "chain.txs", count=len(block.transactions)), seal_line)
        linked = previous is None or header.parent_hash.hex() == previous
        boxes.append(BlockBox(header.height, block_hash, header.parent_hash.hex(),
                              tuple(line for line in lines if line), valid, linked))
        previous = block_hash
    return boxes


def chain_svg(boxes: Sequence[BlockBox], title: str = "", words: Mapping[str, str] | None = None,
              canvas: Canvas | None = None) -> str:
    """Blocks left to right. A block that fails its own checks, or whose link back is broken, is
    red, and so is every block after it: each one's parent hash no longer names a valid chain."""
    width: float = 150
    height: float = 110
    gap: float = 40
    head_size: float = 14
    size: float = 12
    step: float = 18
    if canvas is not None:  # the boxes share the canvas; each line is cut to its box
        size = canvas.text
        head_size, step, gap = 1.15 * size, 1.3 * size, 1.5 * size
        width = (canvas.width - 20 - gap * (max(len(boxes), 1) - 1)) / max(len(boxes), 1)
        lines = max((len(b.lines) for b in boxes), default=1)
        height = 0.9 * size + head_size + step * (lines - 1) + 0.6 * size
    body = [_markers([OK, BAD])]
    broken = False
    for index, box in enumerate(boxes):
        broken = broken or not box.valid or not box.linked
        x = 10 + index * (width + gap)
        color = BAD if broken else OK
        body.append(f'<rect x="{x:g}" y="10" width="{width:g}" height="{height:g}" rx="8" fill="#ffffff" '
                    f'stroke="{color}" stroke-width="{3 if broken else 2}"/>')
        for line_no, line in enumerate(box.lines):
            text_size = size if line_no else head_size
            if canvas is not None:
                line = _fit(line, width - 0.5 * size, text_size, mono=line_no > 0)
            y = 32 + line_no * step if canvas is None else 10 + 0.5 * size + head_size + line_no * step
            body.append(_text(x + width / 2, y, line, text_size,
                              color if line_no == 0 else INK, mono=line_no > 0,
                              weight="bold" if line_no == 0 else "normal"))
        if index:
            link_color = BAD if broken else OK
            body.append(_arrow(x, 10 + height / 2, x - gap + 4, 10 + height / 2, link_color, 2,
                               dashed=not box.linked))
    total = 20 + len(boxes) * (width + gap) - gap
    if canvas is not None:
        total = canvas.width
    return _svg(max(total, 200), height + 20, body, title or _say(words, "chain.title"),
                fill=canvas is not None)


# --- Merkle trees ---------------------------------------------------------------------------------


def merkle_svg(leaves: Sequence[bytes], labels: Sequence[str] | None = None,
               highlight: int | None = None, hash_fn: HashFn = sha256, title: str = "",
               words: Mapping[str, str] | None = None, canvas: Canvas | None = None) -> str:
    """The whole tree, root on top. With `highlight`, the leaf's path to the root is blue and the
    proof (the sibling hashes a light client needs) is orange."""
    leaf_hashes = [leaf_hash(item, hash_fn) for item in leaves]
    tree = levels(leaf_hashes, hash_fn)
    names = (list(labels) if labels is not None
             else [_say(words, "merkle.leaf", index=i) for i in range(len(leaves))])
    on_path: set[tuple[int, int]] = set()
    proof_nodes: set[tuple[int, int]] = set()
    if highlight is not None and leaves:
        proof = prove_hashes(leaf_hashes, highlight, hash_fn)
        index = highlight
        for level_no, level in enumerate(tree):
            on_path.add((level_no, index))
            sibling = index ^ 1
            if sibling < len(level) and level_no < len(tree) - 1:
                proof_nodes.add((level_no, sibling))
            index //= 2
        assert len(proof_nodes) == len(proof.siblings)
    node_w: float = 92
    node_h: float = 34
    row_h: float = 70
    space: float = 14
    size: float = 11
    leaf_count = max(1, len(tree[0]))
    width = max(leaf_count * (node_w + space) + 20, 240)
    if canvas is not None:  # the leaves share the canvas; a node shows the digits that fit
        size, width = canvas.text, canvas.width
        space = 0.4 * size
        node_w = min((width - 20) / leaf_count - space, 9 * size)
        node_h, row_h = 2.5 * size, 4 * size
    left_edge = (width - leaf_count * (node_w + space) + space) / 2 if canvas is not None else 10
    positions: dict[tuple[int, int], tuple[float, float]] = {}
    for i in range(len(tree[0])):
        positions[(0, i)] = (left_edge + node_w / 2 + i * (node_w + space),
                             (len(tree) - 1) * row_h + node_h / 2 + 13)
    for level_no in range(1, len(tree)):
        below = len(tree[level_no - 1])
        for i in range(len(tree[level_no])):
            left = positions[(level_no - 1, 2 * i)]
            right = positions[(level_no - 1, 2 * i + 1)] if 2 * i + 1 < below else left
            positions[(level_no, i)] = ((left[0] + right[0]) / 2, (len(tree) - 1 - level_no) * row_h + 30)
    body = []
    for level_no in range(1, len(tree)):
        for i in range(len(tree[level_no])):
            x, y = positions[(level_no, i)]
            for child in (2 * i, 2 * i + 1):
                if child < len(tree[level_no - 1]):
                    cx, cy = positions[(level_no - 1, child)]
                    color = PATH if (level_no - 1, child) in on_path and (level_no, i) in on_path else MUTED
                    body.append(f'<line x1="{x:.1f}" y1="{y + node_h / 2:.1f}" x2="{cx:.1f}" '
                                f'y2="{cy - node_h / 2:.1f}" stroke="{color}" stroke-width="2"/>')
    for (level_no, i), (x, y) in positions.items():
        digest = tree[level_no][i].hex()
        color = PATH if (level_no, i) in on_path else SIBLING if (level_no, i) in proof_nodes else MUTED
        fill = {PATH: "#e3f2fd", SIBLING: "#fff3e0"}.get(color, "#ffffff")
        body.append(f'<rect x="{x - node_w / 2:.1f}" y="{y - node_h / 2:.1f}" width="{node_w:g}" '
                    f'height="{node_h:g}" rx="6" fill="{fill}" stroke="{color}" stroke-width="2">'
                    f'<title>{digest}</title></rect>')
        if level_no == len(tree) - 1:
            top = _say(words, "merkle.root")
        else:
            top = names[i] if level_no == 0 and i < len(names) else ""
        if canvas is None:
            if top:
                body.append(_text(x, y - 3, top[:14], 11, weight="bold"))
            body.append(_text(x, y + 11 if top else y + 4, digest[:10], 11, mono=True))
            continue
        room = node_w - 0.3 * size
        digits = _fit(digest[:10], room, size, mono=True)
        digits = digits if len(digits) > 4 else ""  # a sliver of a hash says nothing: leave it out
        if top:
            body.append(_text(x, y - 0.15 * size if digits else y + 0.35 * size,
                              _fit(top, room, size), size, weight="bold"))
        if digits:
            body.append(_text(x, y + (0.95 if top else 0.35) * size, digits, size, mono=True))
    height = len(tree) * row_h + 10 if canvas is None else (len(tree) - 1) * row_h + node_h + 26
    return _svg(width, height, body, title or _say(words, "merkle.title"), fill=canvas is not None)


# --- fork trees -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TreeBlock:
    block_hash: bytes
    parent_hash: bytes
    height: int


def fork_tree_svg(blocks: Iterable[TreeBlock], tips: Mapping[str, bytes] | None = None,
                  best: bytes | None = None, title: str = "", max_height_shown: int = 40,
                  words: Mapping[str, str] | None = None, canvas: Canvas | None = None) -> str:
    """Every known block, grouped in lanes: the best chain on top, each fork in a lane below.
    `tips` labels the block each node currently follows. Only the last `max_height_shown` heights
    are drawn (on a canvas, at most as many as fit), so a long chain stays readable."""
    by_hash = {b.block_hash: b for b in blocks}
    if not by_hash:
        if canvas is not None:
            return _svg(canvas.width, 2 * canvas.text, [_text(canvas.width / 2, 1.35 * canvas.text,
                        _say(words, "fork.empty"), canvas.text)], title, fill=True)
        return _svg(200, 40, [_text(100, 24, _say(words, "fork.empty"))], title)
    top = max(b.height for b in by_hash.values())
    if canvas is not None:
        fits = int((canvas.width - 20 + 1.2 * canvas.text) // (5.5 * canvas.text))
        max_height_shown = max(1, min(max_height_shown, fits))
    low = max(0, top - max_height_shown + 1)
    tips = dict(tips or {})
    best = best or max(by_hash.values(), key=lambda b: (b.height, b.block_hash)).block_hash
    best_chain: set[bytes] = set()
    cursor: TreeBlock | None = by_hash.get(best)
    while cursor is not None:
        best_chain.add(cursor.block_hash)
        cursor = by_hash.get(cursor.parent_hash)
    lanes: dict[bytes, int] = {}
    children: dict[bytes, list[TreeBlock]] = {}
    for block in sorted(by_hash.values(), key=lambda b: (b.height, b.block_hash)):
        children.setdefault(block.parent_hash, []).append(block)
    next_lane = 1
    for block in sorted(by_hash.values(), key=lambda b: (b.height, b.block_hash)):
        if block.block_hash in best_chain:
            lanes[block.block_hash] = 0
        elif block.parent_hash in lanes and block.parent_hash not in best_chain and all(
                lanes.get(s.block_hash) != lanes[block.parent_hash]
                for s in children.get(block.parent_hash, []) if s is not block):
            lanes[block.block_hash] = lanes[block.parent_hash]
        else:
            lanes[block.block_hash] = next_lane
            next_lane += 1
    shown = [b for b in by_hash.values() if b.height >= low]
    tip_labels: dict[bytes, list[str]] = {}
    for node, tip in sorted(tips.items()):
        tip_labels.setdefault(tip, []).append(_say(words, "fork.tip", node=node))
    if canvas is not None and len(tips) > 2 and len(tip_labels) == 1:  # one line says they all agree
        tip_labels = {tip: [_say(words, "fork.all", count=len(tips))] for tip in tip_labels}
    position: dict[bytes, tuple[float, float]]
    box_w: float
    box_h: float
    size: float
    if canvas is None:
        box_w, box_h, step_x, step_y = 74, 30, 96.0, 56
        width: float = 30 + (top - low + 1) * step_x + 60
        height: float = 30 + next_lane * step_y + 16 * len(tips)
        position = {b.block_hash: (20 + (b.height - low) * step_x, 24 + lanes[b.block_hash] * step_y)
                    for b in shown}
        size, hash_size, label_step = 11, 10.0, 13.0
    else:  # each lane as tall as the tip labels under it; lanes with nothing shown take no room
        size = hash_size = canvas.text
        box_w, box_h, label_step = 4.3 * size, 2.5 * size, 1.25 * size
        step_x, width = 5.5 * size, canvas.width
        rows: dict[int, int] = {}
        for b in shown:
            lane = lanes[b.block_hash]
            rows[lane] = max(rows.get(lane, 0), len(tip_labels.get(b.block_hash, [])))
        lane_y: dict[int, float] = {}
        height = 0.5 * size
        for lane in sorted(rows):
            lane_y[lane] = height
            height += box_h + 0.9 * size + rows[lane] * label_step
        position = {b.block_hash: (10 + (b.height - low) * step_x, lane_y[lanes[b.block_hash]])
                    for b in shown}
    body = [_markers([MUTED])]
    for block in shown:
        if block.parent_hash in position:
            px, py = position[block.parent_hash]
            x, y = position[block.block_hash]
            body.append(_arrow(x, y + box_h / 2, px + box_w, py + box_h / 2, MUTED, 1.5))
    for block in shown:
        x, y = position[block.block_hash]
        main = block.block_hash in best_chain
        color = OK if main else SIBLING
        body.append(f'<rect x="{x:g}" y="{y:g}" width="{box_w:g}" height="{box_h:g}" rx="5" fill="#ffffff" '
                    f'stroke="{color}" stroke-width="2"><title>{block.block_hash.hex()}</title></rect>')
        # natural size: the number at y + 13, the hash at y + 25; on a canvas, in proportion
        number_y, hash_y, digits = (13, 25, 8) if canvas is None else (1.05 * size, 2.15 * size, 6)
        body.append(_text(x + box_w / 2, y + number_y, f"#{block.height}", size, color, weight="bold"))
        body.append(_text(x + box_w / 2, y + hash_y, block.block_hash.hex()[:digits], hash_size, mono=True))
        label_y = y + box_h + (0 if canvas is None else -0.25 * size)
        for line_no, label in enumerate(tip_labels.get(block.block_hash, [])):
            body.append(_text(x + box_w / 2, label_y + label_step * (line_no + 1), label, size, PATH))
    return _svg(width, height, body, title or _say(words, "fork.title"), fill=canvas is not None)


def chain_tree_blocks(entries: Iterable[tuple[bytes, bytes, int]]) -> list[TreeBlock]:
    """TreeBlocks from (hash, parent hash, height) triples, e.g. from several nodes' chains."""
    return [TreeBlock(h, p, height) for h, p, height in entries]


# --- message timelines ----------------------------------------------------------------------------

MESSAGE_COLORS = {"inventory": "#6a1b9a", "getdata": "#00838f", "transactions": "#2e7d32",
                  "blocks": "#1565c0", "getblocks": "#ef6c00", "hello": "#616161", "status": "#616161",
                  "reject": BAD}


def timeline_svg(events: Sequence[NetEvent], nodes: Sequence[str], start: float | None = None,
                 end: float | None = None, title: str = "", max_messages: int = 400,
                 words: Mapping[str, str] | None = None, canvas: Canvas | None = None,
                 names: Mapping[str, str] | None = None) -> str:
    """A message sequence chart: one vertical lane per node, time downwards, one arrow per
    delivered message (coloured by type), dashed red for messages lost to drops or partitions.
    `names` gives the label to show for a node id (default: the id)."""
    if start is not None:  # the log is in time order: skip straight to the window
        events = events[bisect.bisect_left(events, start, key=lambda e: e.time):]
    moves = [e for e in events if e.kind in ("deliver", "drop") and e.source in nodes and e.target in nodes]
    if end is not None:
        moves = [e for e in moves if e.sent <= end]
    moves = moves[-max_messages:]
    lane_w: float = 130
    top: float = 40
    height: float = 420
    size: float = 13
    small: float = 11
    width = 40 + lane_w * len(nodes)
    if canvas is not None:
        size = small = canvas.text
        width, top = canvas.width, 2.2 * size
        lane_w, height = (width - 40) / max(len(nodes), 1), top + 13 * size
    t0 = min((e.sent for e in moves), default=0.0) if start is None else start
    t1 = max((e.time for e in moves), default=t0 + 1.0) if end is None else end
    scale = (height - top - 20) / max(t1 - t0, 1e-6)
    lane_x = {node: 20 + lane_w / 2 + i * lane_w for i, node in enumerate(nodes)}
    body = [_markers([*MESSAGE_COLORS.values(), BAD])]
    for node, x in lane_x.items():
        label = (names or {}).get(node, node)
        body.append(_text(x, 22 if canvas is None else 1.3 * size, label, size, weight="bold"))
        body.append(f'<line x1="{x}" y1="{top - 6}" x2="{x}" y2="{height}" stroke="#bdbdbd" '
                    'stroke-width="2"/>')
    for event in moves:
        kind = event.message.split(" ")[0]
        lost = event.kind == "drop"
        color = BAD if lost else MESSAGE_COLORS.get(kind, INK)
        y1 = top + (event.sent - t0) * scale
        y2 = top + (event.time - t0) * scale
        body.append(_arrow(lane_x[event.source], y1, lane_x[event.target], y2, color, 1.3, dashed=lost))
    legend = [(f"— {_say(words, f'message.{kind}')}", color)
              for kind, color in list(MESSAGE_COLORS.items())[:6]]
    if canvas is None:
        for i, (label, color) in enumerate(legend):
            body.append(_text(20 + i * 100, height + 16, label, small, color, anchor="start"))
        body.append(_text(20, height + 32, _say(words, "timeline.window", start=t0, end=t1), small, MUTED,
                          anchor="start"))
        return _svg(width, height + 40, body, title or _say(words, "timeline.title"))
    per_row = 3  # the legend in rows of three, then the time window
    line = 1.4 * size
    for i, (label, color) in enumerate(legend):
        body.append(_text(20 + (i % per_row) * (width - 40) / per_row, height + line * (1 + i // per_row),
                          label, size, color, anchor="start"))
    rows = (len(legend) + per_row - 1) // per_row
    body.append(_text(20, height + line * (rows + 1), _say(words, "timeline.window", start=t0, end=t1), size,
                      MUTED, anchor="start"))
    return _svg(width, height + line * (rows + 1) + 0.5 * size, body, title or _say(words, "timeline.title"),
                fill=True)
