"""Production through the engine: `next_turn` says when a producer may seal a child of a block,
`produce` seals it. The node, the CLI and minichain.testing use only these two methods, and no
code outside the engines asks which engine it holds."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from minichain.blocks import Block
from minichain.chain import Chain
from minichain.consensus import PoaEngine, Producer
from minichain.errors import InvalidKey
from minichain.testing import make_wallet
from minichain.wallet import Wallet

ROOT = Path(__file__).resolve().parents[2]


def _producer(wallet: Wallet) -> Producer:
    return Producer(wallet.address, wallet.private_key)


def test_pow_turn_is_every_moment_and_a_search_resumes_where_it_stopped(pow_chain: Chain) -> None:
    miner = Producer(make_wallet("miner").address)
    engine, tip = pow_chain.engine, pow_chain.tip
    assert engine.next_turn(miner, tip, tip.timestamp + 7) == tip.timestamp + 7
    template, _ = pow_chain.build_block([], miner.address, tip.timestamp + 10)
    whole = engine.produce(template.header, miner, attempts=2**64)
    assert whole.header is not None
    found_at = whole.attempts  # the winning nonce is attempts - 1 when the search starts at 0
    if found_at > 1:
        short = engine.produce(template.header, miner, attempts=found_at - 1)
        assert (short.header, short.attempts) == (None, found_at - 1)
    rest = engine.produce(template.header, miner, attempts=2**64, start=found_at - 1)
    assert (rest.header, rest.attempts) == (whole.header, 1)
    assert pow_chain.add_block(Block(whole.header, template.transactions)).status == "extended"


def test_poa_turn_is_the_producers_own_slot(poa_chain: Chain, authorities: list[Wallet]) -> None:
    engine = poa_chain.engine
    assert isinstance(engine, PoaEngine)  # this test reads PoA's slot schedule to check the turn
    tip = poa_chain.tip
    now = tip.timestamp
    for wallet in authorities:
        turn = engine.next_turn(_producer(wallet), tip, now)
        assert turn is not None
        slot = engine.slot(turn)
        assert slot > engine.slot(tip.timestamp) and engine.authority_for_slot(slot) == wallet.address
        assert turn == engine.slot_start(slot)
    turns = sorted(engine.next_turn(_producer(w), tip, now) or 0 for w in authorities)
    assert turns == [turns[0] + i * engine.block_interval for i in range(len(authorities))]


def test_poa_turn_that_has_begun_is_still_the_turn(poa_chain: Chain, authorities: list[Wallet]) -> None:
    engine, tip = poa_chain.engine, poa_chain.tip
    owner = min(authorities, key=lambda w: engine.next_turn(_producer(w), tip, tip.timestamp) or 0)
    turn = engine.next_turn(_producer(owner), tip, tip.timestamp)
    assert turn is not None
    mid_slot = turn + engine.block_interval - 1  # the last second of the owner's slot
    assert engine.next_turn(_producer(owner), tip, mid_slot) == turn
    later = engine.next_turn(_producer(owner), tip, turn + engine.block_interval)  # slot over
    assert later is not None and later > turn


def test_poa_gives_no_turn_to_strangers_or_keyless_producers(
    poa_chain: Chain, authorities: list[Wallet]
) -> None:
    engine, tip = poa_chain.engine, poa_chain.tip
    assert engine.next_turn(_producer(make_wallet("stranger")), tip, tip.timestamp) is None
    assert engine.next_turn(Producer(authorities[0].address), tip, tip.timestamp) is None
    template, _ = poa_chain.build_block([], authorities[0].address, tip.timestamp + 2)
    with pytest.raises(InvalidKey, match="private key"):
        engine.produce(template.header, Producer(authorities[0].address))


def test_poa_produce_signs_a_block_the_chain_accepts(poa_chain: Chain, authorities: list[Wallet]) -> None:
    engine, tip = poa_chain.engine, poa_chain.tip
    turns = [(engine.next_turn(_producer(w), tip, tip.timestamp), w) for w in authorities]
    turn, owner = min(((t, w) for t, w in turns if t is not None), key=lambda pair: pair[0])
    template, _ = poa_chain.build_block([], owner.address, turn)
    sealed = engine.produce(template.header, _producer(owner), attempts=0)  # signing is one step
    assert sealed.header is not None and sealed.attempts == 1
    assert poa_chain.add_block(Block(sealed.header, ())).status == "extended"
    after = engine.next_turn(_producer(owner), poa_chain.tip, turn)
    assert after is not None and after > turn  # its next turn is a later slot


def _engine_isinstance_checks(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "isinstance"
                and len(node.args) == 2):
            names = {n.id for n in ast.walk(node.args[1]) if isinstance(n, ast.Name)}
            names |= {n.attr for n in ast.walk(node.args[1]) if isinstance(n, ast.Attribute)}
            if any(name.endswith("Engine") for name in names):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_code_outside_the_tests_asks_which_engine_it_runs() -> None:
    names = ("minichain", "explorer", "bench", "labkit", "labs/judges", "labs/text")
    places = [ROOT / name for name in names]
    files = [p for place in places for p in place.rglob("*.py")] + [ROOT / "streamlit_app.py"]
    assert len(files) > 50
    assert [hit for path in files for hit in _engine_isinstance_checks(path)] == []
