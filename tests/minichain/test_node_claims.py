"""A peer's claim of a heavier chain is believed only as far as its blocks back it: a liar that
answers with nothing, does not answer, or repeats what we have is penalised, doubted for a while,
and the node syncs from an honest peer at once instead of waiting on the liar."""

from __future__ import annotations

from minichain.chain import Chain
from minichain.genesis import Genesis
from minichain.node.core import NodeConfig, NodeCore
from minichain.node.effects import Effect, Send
from minichain.node.messages import Blocks, GetBlocks, Hello, Status, decode_message
from minichain.node.sync import DOUBT_SECONDS, SYNC_TIMEOUT, blocks_after
from minichain.testing import make_genesis, make_wallet, produce_block

AUTHORITIES = [make_wallet(f"authority-{i}") for i in range(3)]
BIG = 2**200


def _setup() -> tuple[Genesis, Chain, NodeCore, float]:
    genesis = make_genesis("poa", authorities=AUTHORITIES)
    honest = Chain(genesis)
    for _ in range(5):
        produce_block(honest, authorities=AUTHORITIES)
    core = NodeCore(genesis, NodeConfig("fresh"))
    return genesis, honest, core, float(honest.tip.timestamp + 1)


def _asked(effects: list[Effect], peer: str, core: NodeCore) -> list[GetBlocks]:
    return [m for e in effects if isinstance(e, Send) and e.peer == peer
            for m in [decode_message(e.data, core.suite)] if isinstance(m, GetBlocks)]


def _greet(core: NodeCore, genesis: Genesis, peer: str, height: int, tip: bytes, weight: int,
           now: float) -> list[Effect]:
    hello = Hello(genesis.chain_id, core.chain.genesis_hash, peer, height, tip, weight)
    return core.receive(peer, hello, now)


def _answer(core: NodeCore, honest: Chain, request: GetBlocks, now: float) -> list[Effect]:
    blocks, more = blocks_after(honest, request.locator, request.limit)
    return core.receive("honest", Blocks(tuple(blocks), more), now)


def test_an_empty_answer_to_a_huge_claim_sends_the_node_to_an_honest_peer_at_once() -> None:
    genesis, honest, core, now = _setup()
    assert _asked(_greet(core, genesis, "liar", 10**9, b"\x11" * 32, BIG, now), "liar", core)
    assert not _asked(_greet(core, genesis, "honest", honest.height, honest.tip_hash, honest.tip_weight, now),
                      "honest", core)  # one sync at a time: the liar is being asked
    effects = core.receive("liar", Blocks((), False), now + 0.1)
    requests = _asked(effects, "honest", core)
    assert requests and core.peers["liar"].score > 0 and core.peers["liar"].weight <= core.chain.tip_weight
    _answer(core, honest, requests[0], now + 0.2)
    assert core.chain.tip_hash == honest.tip_hash


def test_a_liar_that_never_answers_is_left_after_the_sync_timeout_and_then_doubted() -> None:
    genesis, honest, core, now = _setup()
    _greet(core, genesis, "liar", 10**9, b"\x11" * 32, BIG, now)
    _greet(core, genesis, "honest", honest.height, honest.tip_hash, honest.tip_weight, now)
    assert not _asked(core.tick(now + SYNC_TIMEOUT - 0.5), "honest", core)
    requests = _asked(core.tick(now + SYNC_TIMEOUT + 0.5), "honest", core)
    assert requests, "the node should ask the honest peer once the liar timed out"
    _answer(core, honest, requests[0], now + SYNC_TIMEOUT + 1)
    assert core.chain.tip_hash == honest.tip_hash
    later = now + SYNC_TIMEOUT + 2
    assert not _asked(core.receive("liar", Status(10**9, b"\x11" * 32, BIG), later), "liar", core)  # doubted
    assert _asked(core.receive("liar", Status(10**9, b"\x11" * 32, BIG), later + DOUBT_SECONDS), "liar", core)


def test_a_liar_repeating_known_blocks_with_more_is_not_asked_again() -> None:
    genesis, honest, core, now = _setup()
    _greet(core, genesis, "honest", honest.height, honest.tip_hash, honest.tip_weight, now)
    requests = _asked(_greet(core, genesis, "honest", honest.height, honest.tip_hash, honest.tip_weight, now),
                      "honest", core) or [GetBlocks((core.chain.genesis_hash,), 500)]
    _answer(core, honest, requests[0], now)
    assert core.chain.tip_hash == honest.tip_hash
    _greet(core, genesis, "liar", 10**9, b"\x11" * 32, BIG, now + 1)
    known = tuple(honest.block_at(h) for h in range(1, 6))
    asked_again = []
    for round_ in range(5):
        asked_again += _asked(core.receive("liar", Blocks(known, True), now + 2 + round_), "liar", core)
    assert asked_again == [] and core.peers["liar"].score > 0
