"""What a node holds on a peer's word is checked first and bounded in bytes: blocks that cannot
connect yet (orphans, early blocks) must carry a real seal and fit a bytes budget; the peer table
has a cap; a forged early block costs its sender as any invalid block does."""

from __future__ import annotations

import dataclasses

import pytest

from minichain.blocks import Block, PowSeal
from minichain.chain import Chain
from minichain.consensus import Producer
from minichain.errors import InsufficientWork, WrongTarget
from minichain.genesis import Genesis
from minichain.node.core import TOO_MANY_PEERS, NodeConfig, NodeCore
from minichain.node.effects import Ban, Disconnect
from minichain.node.messages import Blocks, Hello, Status
from minichain.node.waiting import WaitingRoom, block_size
from minichain.testing import make_genesis, make_wallet, produce_block

AUTHORITIES = [make_wallet(f"authority-{i}") for i in range(4)]
OUTSIDER = make_wallet("outsider")
ALICE, BOB = make_wallet(0), make_wallet(1)


def _ready_core(genesis: Genesis, **options: object) -> NodeCore:
    core = NodeCore(genesis, NodeConfig("honest", **options))  # type: ignore[arg-type]
    hello = Hello(genesis.chain_id, core.chain.genesis_hash, "peer", 0, core.chain.genesis_hash, 0)
    core.receive("peer", hello, float(genesis.timestamp))
    assert core.peers["peer"].handshaken
    return core


def _poa_child(chain: Chain, signer_index: int | None = None, *, sealer: object = None,
               timestamp: int | None = None, txs: tuple = ()) -> Block:  # type: ignore[type-arg]
    """A PoA child of `chain`'s tip in the next slot (or at `timestamp`), sealed by its owner
    (or by `sealer`, a Wallet, to forge it)."""
    engine = chain.engine
    when = chain.tip.timestamp + engine.block_interval if timestamp is None else timestamp
    turns = [(engine.next_turn(Producer(w.address, w.private_key), chain.tip, when), w) for w in AUTHORITIES]
    turn, owner = min(((t, w) for t, w in turns if t is not None), key=lambda pair: pair[0])
    signer = sealer or owner
    template, dropped = chain.build_block(list(txs), signer.address, turn)  # type: ignore[attr-defined]
    assert not dropped, dropped
    sealed = engine.produce(template.header, Producer(signer.address, signer.private_key))  # type: ignore[attr-defined]
    assert sealed.header is not None
    return Block(sealed.header, template.transactions)


def _poa_genesis() -> Genesis:
    return make_genesis("poa", authorities=AUTHORITIES, funded=[ALICE], block_time=2)


def test_an_orphan_with_a_forged_seal_costs_its_sender_and_is_not_kept() -> None:
    genesis = _poa_genesis()
    core = _ready_core(genesis)
    elsewhere = Chain(genesis)
    produce_block(elsewhere, authorities=AUTHORITIES)
    forged = _poa_child(elsewhere, sealer=OUTSIDER)  # its parent is unknown here, its seal is not real
    effects = core.receive("peer", Blocks((forged,), False), float(forged.header.timestamp))
    assert any(isinstance(e, Ban) and "poa-signer" in e.reason for e in effects)
    assert forged.hash(core.suite) not in core.waiting and len(core.waiting) == 0


def test_an_orphan_with_a_real_seal_waits_and_connects_when_its_parent_arrives() -> None:
    genesis = _poa_genesis()
    core = _ready_core(genesis)
    elsewhere = Chain(genesis)
    produce_block(elsewhere, authorities=AUTHORITIES)
    parent = elsewhere.tip_hash
    child = _poa_child(elsewhere)
    now = float(child.header.timestamp)
    core.receive("peer", Blocks((child,), False), now)
    assert child.hash(core.suite) in core.waiting and core.peers["peer"].score == 0
    core.receive("peer", Blocks((elsewhere.get(parent),), False), now)  # type: ignore[arg-type]
    assert core.chain.height == 2 and len(core.waiting) == 0


def test_early_blocks_with_forged_seals_cost_the_sender_real_ones_wait_for_their_time() -> None:
    genesis = _poa_genesis()
    core = _ready_core(genesis)
    now = float(genesis.timestamp + 10)
    far = genesis.timestamp + 1_000
    forged = _poa_child(Chain(genesis), sealer=OUTSIDER, timestamp=far)
    effects = core.receive("peer", Blocks((forged,), False), now)
    assert any(isinstance(e, Ban) and "poa-signer" in e.reason for e in effects), effects
    core = _ready_core(genesis)
    early = _poa_child(Chain(genesis), timestamp=far)
    core.receive("peer", Blocks((early,), False), now)
    assert early.hash(core.suite) in core.waiting and core.chain.height == 0
    core.tick(now + 100)
    assert core.chain.height == 0  # still early
    core.tick(float(far))  # its time has come: added by the node itself, not re-sent
    assert core.chain.tip_hash == early.hash(core.suite) and len(core.waiting) == 0


def test_the_waiting_room_keeps_its_bytes_budget() -> None:
    genesis = _poa_genesis()
    chain = Chain(genesis)
    produce_block(chain, authorities=AUTHORITIES)
    memo = "x" * 120
    txs = tuple(ALICE.transfer(genesis.chain_id, BOB.address, 1, n, fee=1, memo=memo) for n in range(50))
    blocks = [_poa_child(chain, timestamp=chain.tip.timestamp + 2 * (i + 1), txs=txs) for i in range(40)]
    size = block_size(blocks[0])
    assert size > 50 * 120
    room = WaitingRoom(max_blocks=1000, max_bytes=10 * size)
    for block in blocks:
        assert room.hold(block.hash(chain.suite), block, "peer")
    assert len(room) == 10 and room.bytes <= 10 * size
    assert blocks[-1].hash(chain.suite) in room and blocks[0].hash(chain.suite) not in room  # oldest left
    tiny = WaitingRoom(max_blocks=10, max_bytes=size - 1)
    assert not tiny.hold(blocks[0].hash(chain.suite), blocks[0], "peer") and tiny.bytes == 0


def test_a_node_keeps_its_waiting_room_within_the_configured_bytes() -> None:
    genesis = _poa_genesis()
    elsewhere = Chain(genesis)
    produce_block(elsewhere, authorities=AUTHORITIES)
    txs = tuple(ALICE.transfer(genesis.chain_id, BOB.address, 1, n, fee=1, memo="y" * 120) for n in range(50))
    orphans = [_poa_child(elsewhere, timestamp=elsewhere.tip.timestamp + 2 * (i + 1), txs=txs)
               for i in range(30)]
    budget = 5 * block_size(orphans[0])
    core = _ready_core(genesis, max_waiting_bytes=budget)
    for block in orphans:
        core.receive("peer", Blocks((block,), False), float(block.header.timestamp))
    assert 0 < len(core.waiting) <= 5 and core.waiting.bytes <= budget
    assert core.peers["peer"].score == 0  # orphans with real seals are no fault


def test_pow_orphans_must_carry_real_work_at_a_target_their_height_allows() -> None:
    genesis = make_genesis("pow", difficulty_bits=8)
    chain = Chain(genesis)
    produce_block(chain)
    engine = chain.engine
    template, _ = chain.build_block([], ALICE.address, chain.tip.timestamp + 10)
    sealed = engine.produce(template.header, Producer(ALICE.address), attempts=2**64).header
    assert sealed is not None
    engine.check_seal_alone(sealed)  # real work passes
    assert isinstance(sealed.seal, PowSeal)
    easy = dataclasses.replace(sealed, seal=PowSeal(2**256 - 1, sealed.seal.nonce))
    with pytest.raises(WrongTarget, match="easier than any block at this height"):
        engine.check_seal_alone(easy)
    lazy = next(h for n in range(1000)
                if int.from_bytes((h := dataclasses.replace(sealed, seal=PowSeal(sealed.seal.target, n)))
                                  .hash(chain.suite), "big") > sealed.seal.target)
    with pytest.raises(InsufficientWork):
        engine.check_seal_alone(lazy)


def test_the_peer_table_has_a_cap() -> None:
    genesis = _poa_genesis()
    core = NodeCore(genesis, NodeConfig("honest", max_peers=3))
    now = float(genesis.timestamp)
    answers = [core.receive(f"http://10.0.0.{i}:1", Status(5, b"\x01" * 32, 9), now) for i in range(10)]
    assert len(core.peers) == 3
    refused = [a for i, a in enumerate(answers) if a != [Disconnect(f"http://10.0.0.{i}:1", TOO_MANY_PEERS)]]
    assert len(refused) == 3  # the first three got in, the seven others were refused
    assert core.connect("http://10.0.0.99:1", now) == [Disconnect("http://10.0.0.99:1", TOO_MANY_PEERS)]
    core.disconnected("http://10.0.0.0:1")
    assert core.connect("http://10.0.0.99:1", now)[0].__class__.__name__ == "Send"  # room again
