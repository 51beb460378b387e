"""The classroom benchmark, scaled down so it cannot rot: 2 authorities, a gateway and 3 learners,
real processes, 10 s of transfers. Only correctness is asserted (every accepted transfer committed
on every node, one tip, figures present); its timing and memory are printed, never asserted."""

from __future__ import annotations

import math
from pathlib import Path

from bench.classroom import prepare, run

BASE_PORT = 9050  # ports 9050-9055 (this bench's full run uses 9100-9134)


def test_a_small_classroom_commits_every_transfer_on_one_tip(tmp_path: Path) -> None:
    report = run(authorities=2, learners=3, seconds=10, base_port=BASE_PORT, root=tmp_path)
    print("\n".join(report.lines()))
    assert report.nodes == 6 and len(report.rss_mb) == 6 and all(mb > 0 for mb in report.rss_mb)
    assert report.sent > 0 and report.committed_everywhere and report.one_tip, report
    assert report.delays and all(math.isfinite(d) and d >= 0 for d in report.delays)
    figures = report.figures()
    assert figures["transfers_accepted"] == report.sent and figures["rss_max_mb"] == max(report.rss_mb)


def test_learners_peer_with_the_gateway_and_their_neighbours(tmp_path: Path) -> None:
    import json

    room = prepare(tmp_path, authorities=2, learners=4, base_port=BASE_PORT)
    peers = [json.loads((d / "node.json").read_text())["peers"] for d in room.dirs]
    gateway = room.urls[2]
    assert peers[0] == [room.urls[1], gateway] and peers[2] == room.urls[:2]
    assert peers[3] == [gateway, room.urls[6], room.urls[4]]  # learner0: gateway, left and right
    assert all(room.urls[i] not in p for i, p in enumerate(peers))
