"""The explorer's own pictures, drawn as SVG text beside minichain.viz's and in its style (its
colours, fonts and `Canvas`): several peers' copies of one chain side by side, the majority at a
glance. Every word comes from the caller, in the page's language; viz stays the library's.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from explorer.peers import PeerView
from minichain.viz import BAD, FONT, INK, MONO, OK, SIBLING, Canvas, text_width


def _text(x: float, y: float, text: str, size: float, color: str = INK, anchor: str = "middle",
          mono: bool = False, bold: bool = False) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" fill="{color}" text-anchor="{anchor}" '
            f'font-weight="{"bold" if bold else "normal"}" {MONO if mono else FONT}>'
            f"{html.escape(text)}</text>")


def _svg(width: float, height: float, body: Iterable[str], title: str, fill: bool) -> str:
    """Stretched to its container on a canvas (words and all); else natural size, shrinking to fit."""
    if fill:
        size = 'width="100%" style="display:block;width:100%;height:auto"'
    else:
        size = f'width="{width:.0f}" height="{height:.0f}" style="max-width:100%;height:auto"'
    return (f'<svg xmlns="http://www.w3.org/2000/svg" {size} viewBox="0 0 {width:.0f} {height:.0f}" '
            f'role="img"><title>{html.escape(title)}</title>{"".join(body)}</svg>')


def _fit(text: str, room: float, size: float, mono: bool = False) -> str:
    if text_width(text, size, mono) <= room:
        return text
    while text and text_width(text + "…", size, mono) > room:
        text = text[:-1]
    return text + "…"


def peers_svg(peers: Sequence[PeerView], words: Mapping[str, str], canvas: Canvas | None = None,
              shown: int | None = None) -> str:
    """One row per peer: its name and verdict, then its blocks. A block is red where that copy is
    broken (from the first bad block on), orange where it holds on its own but its hash is not the
    one most peers have, green where it agrees with the majority. `words`: "title", "peer" ({name}),
    "majority", "minority", "broken", and "name.<peer>" for each peer's name. Only the last `shown`
    blocks are drawn (a phone's few)."""
    if shown is not None:
        peers = [replace(p, boxes=p.boxes[-shown:]) for p in peers]
    size = canvas.text if canvas is not None else 13.0
    width = canvas.width if canvas is not None else 820.0
    blocks = max((len(p.boxes) for p in peers), default=1)
    label_w = 7.2 * size
    gap = 0.7 * size
    box_w = (width - label_w - 10 - gap * (blocks - 1)) / blocks
    box_h = 2.5 * size
    row_h = box_h + 0.8 * size
    digits = max(4, min(10, int((box_w - 0.4 * size) / (0.6 * size))))
    body = []
    for row, peer in enumerate(peers):
        y = 6 + row * row_h
        if not peer.valid:
            verdict, color = words["broken"], BAD
        elif peer.with_majority:
            verdict, color = words["majority"], OK
        else:
            verdict, color = words["minority"], SIBLING
        name = words["peer"].format(name=words.get(f"name.{peer.name}", peer.name))
        body.append(_text(4, y + 1.05 * size, _fit(name, label_w - 8, size),
                          size, INK, anchor="start", bold=True))
        body.append(_text(4, y + 2.2 * size, _fit(verdict, label_w - 8, size), size, color, anchor="start"))
        broken = False
        for index, box in enumerate(peer.boxes):
            broken = broken or not (box.valid and box.linked)
            differs = peer.first_difference is not None and box.height >= peer.first_difference
            stroke = BAD if broken else SIBLING if differs else OK
            x = label_w + index * (box_w + gap)
            fill = "#ffebee" if broken else "#fff3e0" if differs else "#ffffff"
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{box_w:.1f}" height="{box_h:.1f}" rx="6" '
                        f'fill="{fill}" stroke="{stroke}" stroke-width="{3 if broken or differs else 2}">'
                        f'<title>{box.block_hash}</title></rect>')
            body.append(_text(x + box_w / 2, y + 1.05 * size, f"#{box.height}", size, stroke, bold=True))
            body.append(_text(x + box_w / 2, y + 2.15 * size, box.block_hash[:digits], size, mono=True))
    height = 6 + len(peers) * row_h
    return _svg(width, height, body, words["title"], fill=canvas is not None)
