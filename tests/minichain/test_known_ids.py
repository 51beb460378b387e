"""What a node remembers of each peer's ids (peers.BoundedSet): the recent ones, within a bound,
in a fraction of the memory a most-recently-used OrderedDict took (a gateway keeps one per peer)."""

from __future__ import annotations

import hashlib
import tracemalloc
from collections import OrderedDict

from minichain.node.peers import BoundedSet


def _ids(count: int, start: int = 0) -> list[bytes]:
    return [hashlib.sha256(i.to_bytes(8, "big")).digest() for i in range(start, start + count)]


def test_the_most_recent_half_of_the_limit_is_always_remembered() -> None:
    known = BoundedSet(limit=1000)
    ids = _ids(5000)
    for number, item in enumerate(ids, 1):
        known.add(item)
        recent = ids[max(0, number - 500):number]
        assert all(i in known for i in recent[::37] + recent[-1:])
    assert sum(i in known for i in ids) <= 1000  # at most the limit
    assert ids[0] not in known and ids[3000] not in known  # old ones are forgotten


def test_an_id_seen_again_is_remembered_anew() -> None:
    known = BoundedSet(limit=10)
    first = _ids(1)[0]
    known.add(first)
    for i, item in enumerate(_ids(20, start=1)):
        if i % 4 == 0:
            known.add(first)  # the peer keeps telling us about it
        known.add(item)
    assert first in known


def test_known_ids_take_far_less_memory_than_an_ordered_dict() -> None:
    ids = _ids(50_000)
    tracemalloc.start()
    try:
        ordered: OrderedDict[bytes, None] = OrderedDict()
        for item in ids:
            ordered[item] = None
            ordered.move_to_end(item)
        ordered_bytes = tracemalloc.get_traced_memory()[0]
        del ordered
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        known = BoundedSet(limit=100_000)
        for item in ids:
            known.add(item)
        bounded_bytes = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    print(f"50,000 ids: OrderedDict {ordered_bytes / 1e6:.2f} MB, BoundedSet {bounded_bytes / 1e6:.2f} MB")
    assert bounded_bytes < ordered_bytes / 2
