"""Pictures as data: each SVG parses as XML and shows what it claims (counts, colours, labels)."""

from __future__ import annotations

import dataclasses
import hashlib
import xml.etree.ElementTree as ET

from minichain import viz
from minichain.merkle import prove
from minichain.net.memory import MemoryNetwork
from minichain.node.core import NodeConfig
from minichain.testing import make_chain, make_genesis, make_wallet

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_avalanche_counts_changed_bits() -> None:
    a, b = hashlib.sha256(b"hello").digest(), hashlib.sha256(b"hellp").digest()
    result = viz.avalanche(a, b)
    expected = sum(x != y for x, y in zip(viz.bits(a), viz.bits(b), strict=True))
    assert result.total == 256 and result.changed == expected
    svg = parse(viz.avalanche_svg(a, b))
    red = [r for r in svg.iter(f"{NS}rect") if r.get("fill") == viz.BAD]
    assert len(red) == result.changed
    assert viz.avalanche(a, a).changed == 0


def test_chain_picture_turns_the_tampered_block_and_every_later_one_red() -> None:
    chain = make_chain(4, "pow", transfers_per_block=1)
    blocks = list(chain.main_chain())
    tx = blocks[2].transactions[0]
    blocks[2] = dataclasses.replace(blocks[2], transactions=(dataclasses.replace(tx, amount=999),))
    boxes = viz.chain_boxes(blocks, chain.suite)
    assert [box.valid for box in boxes] == [True, True, False, True, True]
    svg = parse(viz.chain_svg(boxes))
    strokes = [r.get("stroke") for r in svg.iter(f"{NS}rect")]
    assert strokes == [viz.OK, viz.OK, viz.BAD, viz.BAD, viz.BAD]
    untouched = parse(viz.chain_svg(viz.chain_boxes(list(chain.main_chain()), chain.suite)))
    assert {r.get("stroke") for r in untouched.iter(f"{NS}rect")} == {viz.OK}


def test_merkle_picture_highlights_the_proof() -> None:
    leaves = [bytes([i]) for i in range(7)]
    for index in range(7):
        svg = parse(viz.merkle_svg(leaves, highlight=index))
        rects = list(svg.iter(f"{NS}rect"))
        assert len(rects) == 7 + 4 + 2 + 1  # leaves, then 4, 2 and 1 nodes (one promoted per odd level)
        orange = [r for r in rects if r.get("stroke") == viz.SIBLING]
        assert len(orange) == len(prove(leaves, index).siblings)


def test_fork_tree_and_timeline_of_a_partitioned_network() -> None:
    authorities = [make_wallet(f"authority-{i}") for i in range(4)]
    genesis = make_genesis("poa", authorities=authorities, block_time=2)
    configs = [NodeConfig(f"node{i}", authority=authorities[i]) for i in range(4)]
    net = MemoryNetwork(genesis, configs, seed=3)
    net.run_for(6)
    net.partition([[0, 1], [2, 3]])
    net.run_for(14)
    entries = {(e.hash, e.header.parent_hash, e.height) for c in net.cores for e in c.chain.all_entries()}
    tips = {c.node_id: c.chain.tip_hash for c in net.cores}
    tree = parse(viz.fork_tree_svg(viz.chain_tree_blocks(entries), tips))
    strokes = [r.get("stroke") for r in tree.iter(f"{NS}rect")]
    assert strokes.count(viz.SIBLING) >= 3  # the other side's branch, drawn as a fork
    labels = "".join(t.text or "" for t in tree.iter(f"{NS}text"))
    assert all(f"▲ node{i}" in labels for i in range(4))
    timeline = parse(viz.timeline_svg(net.log, [c.node_id for c in net.cores], start=net.elapsed - 10))
    dashed = [line for line in timeline.iter(f"{NS}line") if line.get("stroke-dasharray")]
    assert dashed and all(line.get("stroke") == viz.BAD for line in dashed)  # lost to the partition


def test_pictures_take_every_word_from_the_caller() -> None:
    """A Chinese page passes its own words: no English word is left in any picture."""
    chinese = {
        "avalanche.title": "雪崩效应", "avalanche.changed": "{changed} / {total} 位改变（{percent}%）",
        "avalanche.bit": "第 {index} 位：{bit}", "chain.title": "链", "chain.hash": "哈希 {hash}",
        "chain.prev": "前块 {hash}", "chain.txs": "{count} 笔交易", "chain.nonce": "随机数 {nonce}",
        "merkle.title": "默克尔树", "merkle.root": "根", "merkle.leaf": "交易{index}",
        "fork.title": "分叉树", "fork.empty": "没有区块", "fork.tip": "▲ {node}",
        "fork.all": "▲ 全部 {count} 个节点",
        "timeline.title": "消息时间线",
        "timeline.window": "t = {start:.2f} 秒 … {end:.2f} 秒；红色虚线：丢失",
        **{f"message.{kind}": name for kind, name in [
            ("inventory", "通告"), ("getdata", "索取"), ("transactions", "交易"), ("blocks", "区块"),
            ("getblocks", "同步"), ("hello", "握手")]},
    }
    assert set(chinese) == set(viz.WORDS)
    a, b = hashlib.sha256(b"a").digest(), hashlib.sha256(b"b").digest()
    chain = make_chain(3, "pow", transfers_per_block=1)
    authorities = [make_wallet(f"authority-{i}") for i in range(2)]
    net = MemoryNetwork(make_genesis("poa", authorities=authorities, block_time=2),
                        [NodeConfig(f"n{i}", authority=authorities[i]) for i in range(2)], seed=1)
    net.run_for(5)
    entries = {(e.hash, e.header.parent_hash, e.height) for c in net.cores for e in c.chain.all_entries()}
    canvas = viz.Canvas()
    pictures = [
        viz.fork_tree_svg(viz.chain_tree_blocks(entries), {"甲": b"", "乙": b"", "丙": b""}, words=chinese,
                          canvas=canvas),
        viz.avalanche_svg(a, b, words=chinese),
        viz.chain_svg(viz.chain_boxes(list(chain.main_chain()), chain.suite, words=chinese), words=chinese),
        viz.merkle_svg([b"x", b"y", b"z"], highlight=1, words=chinese),
        viz.fork_tree_svg(viz.chain_tree_blocks(entries), words=chinese),
        viz.fork_tree_svg([], words=chinese),
        viz.timeline_svg(net.log, ["n0", "n1"], words=chinese),
    ]
    for svg in pictures:
        root = parse(svg)
        words = " ".join((t.text or "") for t in root.iter() if t.tag in (f"{NS}text", f"{NS}title"))
        english = [w for w in words.replace("/", " ").split() if w.isascii() and w.isalpha()
                   and w not in {"t", "n"}]
        assert not english, f"English left in a Chinese picture: {english}"


def partitioned_network() -> MemoryNetwork:
    authorities = [make_wallet(f"authority-{i}") for i in range(4)]
    genesis = make_genesis("poa", authorities=authorities, block_time=2)
    net = MemoryNetwork(genesis, [NodeConfig(f"node{i}", authority=authorities[i]) for i in range(4)], seed=3)
    net.run_for(30)
    net.partition([[0, 1], [2, 3]])
    net.run_for(14)
    return net


def test_a_canvas_fills_its_width_with_words_of_its_size_and_shows_less_rather_than_smaller() -> None:
    canvas = viz.Canvas(width=960, text=21)
    chain = make_chain(6, "pow", transfers_per_block=1)
    net = partitioned_network()
    entries = {(e.hash, e.header.parent_hash, e.height) for c in net.cores for e in c.chain.all_entries()}
    tips = {c.node_id: c.chain.tip_hash for c in net.cores}
    a, b = hashlib.sha256(b"a").digest(), hashlib.sha256(b"b").digest()
    pictures = {
        "avalanche": viz.avalanche_svg(a, b, columns=64, canvas=canvas),
        "chain": viz.chain_svg(viz.chain_boxes(list(chain.main_chain())[-5:], chain.suite, hash_chars=6),
                               canvas=canvas),
        "merkle": viz.merkle_svg([bytes([i]) for i in range(16)], highlight=3, canvas=canvas),
        "fork": viz.fork_tree_svg(viz.chain_tree_blocks(entries), tips, canvas=canvas),
        "timeline": viz.timeline_svg(net.log, [c.node_id for c in net.cores], start=net.elapsed - 3,
                                     canvas=canvas),
    }
    for name, svg in pictures.items():
        root = parse(svg)
        assert root.get("width") == "100%" and root.get("viewBox", "").split()[2] == "960", name
        texts = [t for t in root.iter(f"{NS}text") if t.text]
        assert texts and all(float(t.get("font-size", 0)) >= canvas.text for t in texts), name
        for text in texts:  # nothing runs off the canvas
            x, width = float(text.get("x", 0)), viz.text_width(text.text or "", canvas.text)
            left = {"start": x, "middle": x - width / 2}[text.get("text-anchor", "middle")]
            assert left >= -1 and left + width <= 960 + 1, (name, text.text)
    fork = parse(pictures["fork"])
    heights = {t.text for t in fork.iter(f"{NS}text") if (t.text or "").startswith("#")}
    assert len(heights) == int((960 - 20 + 1.2 * 21) // (5.5 * 21)) < max(c.chain.height for c in net.cores)
    chain_lines = [t.text or "" for t in parse(pictures["chain"]).iter(f"{NS}text")]
    assert any(line.startswith("hash ") and "…" not in line for line in chain_lines)  # 6 digits fit


def test_without_a_canvas_a_picture_keeps_its_natural_size() -> None:
    chain = make_chain(3, "pow", transfers_per_block=1)
    root = parse(viz.chain_svg(viz.chain_boxes(list(chain.main_chain()), chain.suite)))
    assert root.get("width") == "740" and "max-width:100%" in root.get("style", "")
    assert {t.get("font-size") for t in root.iter(f"{NS}text")} == {"12", "14"}
