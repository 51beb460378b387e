"""The distributed ledger: several peers each keep their own copy of the same chain. A forger can
rewrite one copy, even re-mine it so that it looks valid on its own, but its hashes no longer match
the other copies: put side by side, the majority stands out (anders94/blockchain-demo's
"Distributed" page, on real minichain blocks). No Streamlit here: the page and the stage draw it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from explorer import blocks_page
from minichain import Chain
from minichain.viz import BlockBox, chain_boxes

PEERS = ("A", "B", "C")


@dataclass
class Peers:
    """Each peer's own copy of one chain (copies: editing one changes no other)."""

    copies: dict[str, blocks_page.EditableChain] = field(default_factory=dict)

    @classmethod
    def build(cls, bits: int, memos: list[str], names: tuple[str, ...] = PEERS,
              length: int = blocks_page.BLOCKS) -> Peers:
        original = blocks_page.build(bits, length, memos=memos)
        return cls({name: blocks_page.EditableChain(original.genesis, list(original.blocks))
                    for name in names})

    def tamper(self, peer: str, height: int, memo: str) -> None:
        blocks_page.edit_memo(self.copies[peer], height, memo)

    def remine_from(self, peer: str, height: int) -> None:
        """Re-mine `height` and every block after it on `peer`: its copy is valid on its own again."""
        chain = self.copies[peer]
        for index in range(height, len(chain.blocks)):
            blocks_page.remine(chain, index)


@dataclass(frozen=True)
class PeerView:
    """One peer as the room sees it: its boxes, whether its copy holds, whether it is with the majority."""

    name: str
    boxes: tuple[BlockBox, ...]
    valid: bool  # every block's own checks and every link hold
    with_majority: bool  # its tip hash is the one most peers have
    first_difference: int | None  # the first height whose hash differs from the majority's


def views(peers: Peers, words: dict[str, str] | None = None) -> list[PeerView]:
    """Every peer's copy checked on its own and compared with the others, height by height."""
    boxes = {}
    for name, chain in peers.copies.items():
        suite = Chain(chain.genesis).suite
        boxes[name] = chain_boxes(chain.blocks, suite, words)
    tips = Counter(b[-1].block_hash for b in boxes.values())
    majority_tip, votes = tips.most_common(1)[0]
    unanimous_tip = majority_tip if votes * 2 > len(boxes) else None
    result = []
    for name, own in boxes.items():
        majority_at = [Counter(boxes[other][i].block_hash for other in boxes).most_common(1)[0][0]
                       for i in range(len(own))]
        differs = [box.height for box, best in zip(own, majority_at, strict=True) if box.block_hash != best]
        result.append(PeerView(name, tuple(own), all(b.valid and b.linked for b in own),
                               own[-1].block_hash == unanimous_tip, differs[0] if differs else None))
    return result
