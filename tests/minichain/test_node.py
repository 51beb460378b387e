"""The sans-IO node core over the in-memory network: handshake, gossip, sync, partitions,
misbehaving peers. Deterministic: virtual time, seeded latency."""

from __future__ import annotations

import dataclasses

from minichain.blocks import Block, transactions_root
from minichain.chain import Chain
from minichain.consensus.poa import PoaEngine
from minichain.consensus.pow import PowEngine
from minichain.genesis import Genesis
from minichain.net.memory import MemoryNetwork
from minichain.node.core import BAN_THRESHOLD, NodeConfig, NodeCore
from minichain.node.effects import Ban, Send
from minichain.node.messages import Blocks, GetBlocks, Hello, Inventory, decode_message
from minichain.testing import make_genesis, make_wallet, produce_block
from minichain.transactions import Transaction
from minichain.wallet import Wallet

AUTHORITIES = [make_wallet(f"authority-{i}") for i in range(4)]
ALICE, BOB = make_wallet(0), make_wallet(1)


def poa_genesis(chain_id: str = "minichain-test") -> Genesis:
    return make_genesis("poa", authorities=AUTHORITIES, block_time=2, chain_id=chain_id)


def poa_network(seed: int = 1, nodes: int = 4, **options: object) -> MemoryNetwork:
    configs = [NodeConfig(f"node{i}", authority=AUTHORITIES[i]) for i in range(nodes)]
    return MemoryNetwork(poa_genesis(), configs, seed=seed, **options)  # type: ignore[arg-type]


def transfer(nonce: int, amount: int = 10) -> Transaction:
    return ALICE.transfer("minichain-test", BOB.address, amount, nonce, fee=1)


def balances(net: MemoryNetwork, wallet: Wallet) -> list[int]:
    return [core.chain.state.balance(wallet.address) for core in net.cores]


def test_poa_network_converges_and_commits_a_transfer_everywhere() -> None:
    net = poa_network()
    net.run_for(10)
    net.submit(0, ALICE.transfer("minichain-test", BOB.address, 25, 0, fee=1))
    net.run_for(10)
    assert net.converged() and net.cores[0].chain.height >= 8
    assert balances(net, BOB) == [1_000_025] * 4
    assert all(len(core.mempool) == 0 for core in net.cores)


def test_handshake_refuses_a_node_of_another_chain() -> None:
    ours = NodeCore(poa_genesis(), NodeConfig("ours"))
    theirs = NodeCore(poa_genesis("another-chain"), NodeConfig("theirs"))
    hello = decode_message(theirs.connect("ours", 0.0)[0].data, theirs.suite)  # type: ignore[union-attr]
    effects = ours.receive("theirs", hello, 0.0)
    kinds = [type(e).__name__ for e in effects]
    assert "Disconnect" in kinds and "theirs" not in ours.peers
    reject = next(e for e in effects if isinstance(e, Send))
    assert b"different chain" in reject.data and b"another-chain" in reject.data


def test_same_seed_same_history() -> None:
    logs = []
    for _ in range(2):
        net = poa_network(seed=7)
        net.submit(1, transfer(0))
        net.run_for(12)
        logs.append(net.log)
    assert logs[0] == logs[1] and len(logs[0]) > 50


def test_a_transaction_reaches_each_node_exactly_once() -> None:
    net = poa_network(nodes=4)
    net.run_for(1)  # handshakes done, before any slot produces a block
    start = len(net.log)
    net.submit(0, transfer(0))
    net.run_until_idle()
    deliveries = [e for e in net.log[start:] if e.kind == "deliver" and e.message == "transactions"]
    assert sorted(e.target for e in deliveries) == ["node1", "node2", "node3"]
    announcements = [(e.source, e.target) for e in net.log[start:]
                     if e.kind == "send" and e.message == "inventory"]
    assert len(announcements) == len(set(announcements))  # no peer is told twice


def test_partition_two_and_two_forks_then_heals_to_one_chain_and_losing_txs_return() -> None:
    net = poa_network(seed=3)
    net.run_for(6)
    net.partition([[0, 1], [2, 3]])
    net.submit(0, transfer(0, amount=5))  # lands on the {0, 1} side only
    net.run_for(20)
    tips = {core.chain.tip_hash for core in net.cores}
    assert len(tips) == 2  # both sides kept producing their own branch
    side_a = net.cores[0].chain
    assert side_a.state.balance(BOB.address) == 1_000_005
    net.heal()
    net.run_for(12)
    assert net.converged()
    assert any(e.kind == "reorg" for e in net.log)
    # The transfer, wherever its branch ended up, is committed once on every node.
    assert balances(net, BOB) == [1_000_005] * 4
    assert [core.chain.state.nonce(ALICE.address) for core in net.cores] == [1] * 4


def test_a_node_that_was_offline_catches_up_in_batches() -> None:
    genesis = poa_genesis()
    configs = [NodeConfig("node0", authority=AUTHORITIES[0]),
               NodeConfig("node1", authority=AUTHORITIES[1]), NodeConfig("late", sync_batch=100)]
    net = MemoryNetwork(genesis, configs, seed=2, connect=False)
    net.connect("node0", "node1")
    net.run_for(1200)  # 600 slots of 2 s, half of them ours: ~300 blocks
    height = net.cores[0].chain.height
    assert height > 250
    net.connect("late", "node0")
    net.run_for(10)
    assert net.by_id["late"].chain.tip_hash in {net.cores[0].chain.tip_hash, net.cores[1].chain.tip_hash}
    requests = [e for e in net.log if e.source == "late" and e.message == "getblocks" and e.kind == "send"]
    assert len(requests) >= 3  # ~300 blocks in batches of 100


def test_malformed_messages_get_the_peer_banned() -> None:
    core = NodeCore(poa_genesis(), NodeConfig("me"))
    effects = []
    for _ in range(BAN_THRESHOLD // 20):
        effects = core.receive("junk", b"{not json", 0.0)
    assert any(isinstance(e, Ban) for e in effects)
    assert core.is_banned("junk", 1.0)
    assert [type(e).__name__ for e in core.receive("junk", b"{}", 1.0)] == ["Disconnect"]


def test_oversized_message_is_refused_without_parsing() -> None:
    core = NodeCore(poa_genesis(), NodeConfig("me"))
    effects = core.receive("big", b" " * (16 * 1024 * 1024 + 1), 0.0)
    assert any("malformed" in getattr(e, "detail", "") for e in effects)


def sealed_by_outsider(genesis: Genesis) -> Block:
    """Block 1, correctly built and signed, but by a key that is not one of the authorities."""
    outsider = make_wallet("not-an-authority")
    forged = Chain(genesis)
    template, _ = forged.build_block([], outsider.address, genesis.timestamp + 2)
    engine = forged.engine
    assert isinstance(engine, PoaEngine)
    return Block(engine.seal(template.header, outsider.private_key), ())


def _handshaken_core(genesis: Genesis, chain: Chain | None = None) -> NodeCore:
    core = NodeCore(genesis, NodeConfig("honest"), chain=chain)
    hello = Hello(genesis.chain_id, core.chain.genesis_hash, "attacker", 10_000, b"\x11" * 32, 2**200)
    effects = core.receive("attacker", hello, float(genesis.timestamp))
    sends = [decode_message(e.data, core.suite) for e in effects if isinstance(e, Send)]
    assert any(isinstance(m, GetBlocks) for m in sends)  # it believed the claim and asked to sync
    return core


def test_a_fake_longer_chain_with_valid_work_but_a_forged_transfer_is_refused_and_banned() -> None:
    """The dvf/blockchain failure: a peer claims a heavier chain whose blocks carry real proof of
    work, but one of them moves Alice's coins without her signature."""
    genesis = make_genesis("pow", difficulty_bits=8)
    honest_chain = Chain(genesis)
    for _ in range(3):
        produce_block(honest_chain)
    core = _handshaken_core(genesis, honest_chain)
    tip, root = core.chain.tip_hash, core.chain.state.root()
    attacker = make_wallet("attacker")
    forged = Chain(genesis)
    produce_block(forged, producer=attacker)
    produce_block(forged, producer=attacker)
    theft = dataclasses.replace(ALICE.transfer(genesis.chain_id, attacker.address, 1, 0), amount=500_000)
    template, _ = forged.build_block([], attacker.address, forged.tip.timestamp + 10)
    header = dataclasses.replace(template.header, merkle_root=transactions_root((theft,), forged.suite))
    engine = forged.engine
    assert isinstance(engine, PowEngine)
    mined = engine.mine(header).header
    assert mined is not None  # real work: the header meets its target
    blocks = (forged.block_at(1), forged.block_at(2), Block(mined, (theft,)))
    effects = core.receive("attacker", Blocks(blocks, True), float(genesis.timestamp) + 100)
    bans = [e for e in effects if isinstance(e, Ban)]
    assert len(bans) == 1 and "tx-signature" in bans[0].reason
    assert core.is_banned("attacker", float(genesis.timestamp) + 101)
    assert core.chain.tip_hash == tip and core.chain.state.root() == root
    assert core.chain.state.balance(attacker.address) == 0
    later = core.receive("attacker", Blocks(blocks, False), float(genesis.timestamp) + 102)
    assert [type(e).__name__ for e in later] == ["Disconnect"]


def test_a_longer_chain_sealed_by_an_outsider_is_refused_and_banned() -> None:
    genesis = poa_genesis()
    honest_chain = Chain(genesis)
    for _ in range(2):
        produce_block(honest_chain, authorities=AUTHORITIES)
    core = _handshaken_core(genesis, honest_chain)
    tip = core.chain.tip_hash
    sealed = sealed_by_outsider(genesis)
    effects = core.receive("attacker", Blocks((sealed,), True), float(genesis.timestamp) + 3)
    bans = [e for e in effects if isinstance(e, Ban)]
    assert len(bans) == 1 and "poa-signer" in bans[0].reason
    assert core.chain.tip_hash == tip


def test_an_announced_block_is_fetched_and_an_invalid_one_costs_the_sender() -> None:
    genesis = poa_genesis()
    core = _handshaken_core(genesis)
    sealed = sealed_by_outsider(genesis)
    announce = Inventory((), (sealed.hash(core.suite),))
    asked = core.receive("attacker", announce, float(genesis.timestamp) + 3)
    assert any(isinstance(e, Send) and e.kind == "getdata" for e in asked)
    effects = core.receive("attacker", Blocks((sealed,), False), float(genesis.timestamp) + 3)
    details = " ".join(getattr(e, "detail", "") for e in effects)
    assert "poa-signer" in details and core.chain.height == 0
    assert core.is_banned("attacker", float(genesis.timestamp) + 4)  # one invalid block is enough


def test_a_block_from_the_future_costs_its_sender_nothing_and_connects_in_its_time() -> None:
    """Not yet is not invalid: one invalid block bans a peer (PENALTY_INVALID_BLOCK), so if a block
    from the future took the `except InvalidBlock` path, the honest sender would be banned here."""
    genesis = make_genesis("pow", difficulty_bits=4)
    core = _handshaken_core(genesis)
    early = Chain(genesis)
    template, _ = early.build_block([], ALICE.address, genesis.timestamp + 1_000)
    engine = early.engine
    assert isinstance(engine, PowEngine)
    mined = engine.mine(template.header).header
    assert mined is not None
    block = Block(mined, ())  # valid in every way, only early
    too_soon = float(genesis.timestamp + 10)  # the block is 990 s ahead of this clock
    effects = core.receive("attacker", Blocks((block,), False), too_soon)
    assert not [e for e in effects if type(e).__name__ in ("Ban", "Disconnect")]
    assert not any(getattr(e, "kind", "") in ("misbehaviour", "block-rejected") for e in effects)
    assert core.peers["attacker"].score == 0 and not core.is_banned("attacker", too_soon)
    assert core.chain.height == 0 and core.chain.invalid_rule(block.hash(core.suite)) is None
    core.receive("attacker", Blocks((block,), False), float(block.header.timestamp))
    assert core.chain.tip_hash == block.hash(core.suite)
