"""When the core asks to be ticked: every tick_interval by default; with idle_tick_interval set,
only when a tick has work (a transaction flush, a production turn, an early block, a sync
timeout) or idle_tick_interval on, so an idle node over HTTP sleeps instead of waking 20 times a
second."""

from __future__ import annotations

from typing import Any

from minichain.net.memory import MemoryNetwork
from minichain.node.core import NodeConfig, NodeCore
from minichain.node.effects import WakeAt
from minichain.testing import make_genesis, make_wallet

AUTHORITIES = [make_wallet(f"authority-{i}") for i in range(2)]
GENESIS = make_genesis("poa", authorities=AUTHORITIES, block_time=2)
NOW = float(GENESIS.timestamp + 100)


def _wake(effects: list[Any]) -> float:
    (wake,) = [e.time for e in effects if isinstance(e, WakeAt)]
    return wake


def test_by_default_a_tick_asks_for_the_next_one_tick_interval_later() -> None:
    core = NodeCore(GENESIS, NodeConfig("relay"))
    assert _wake(core.tick(NOW)) == NOW + 0.05


def test_an_idle_relay_sleeps_until_idle_tick_interval() -> None:
    core = NodeCore(GENESIS, NodeConfig("relay", idle_tick_interval=1.0))
    assert _wake(core.tick(NOW)) == NOW + 1.0


def test_a_transaction_to_pass_on_asks_for_a_tick_at_the_next_flush() -> None:
    net = MemoryNetwork(GENESIS, [NodeConfig(n, idle_tick_interval=1.0, announce_interval=0.2)
                                  for n in ("a", "b")], seed=1)
    net.run_for(1)
    a = net.by_id["a"]
    a.tick(net.now)  # flushes: nothing pending
    a.submit(make_wallet(0).transfer(GENESIS.chain_id, make_wallet(1).address, 1, 0), net.now)
    assert a.has_pending_output()
    assert a.next_tick(net.now) == net.now + 0.2  # the flush, not a second later


def test_an_authority_is_woken_for_its_turn_and_produces_in_it() -> None:
    core = NodeCore(GENESIS, NodeConfig("a0", authority=AUTHORITIES[0], idle_tick_interval=10.0))
    wake = _wake(core.tick(NOW))
    assert NOW < wake <= NOW + 2 * 2  # its slot comes within two slots of 2 s, not 10 s on
    height = core.chain.height
    core.tick(wake)
    assert core.chain.height == height + 1  # woken at its turn, it produced


def test_a_network_of_sleeping_nodes_reaches_the_same_chain_and_balances() -> None:
    configs = [NodeConfig(f"a{i}", authority=AUTHORITIES[i], idle_tick_interval=1.0, announce_interval=0.2,
                          push_new_blocks=True, push_transactions=True) for i in range(2)]
    net = MemoryNetwork(GENESIS, [*configs, NodeConfig("relay", idle_tick_interval=1.0)], seed=3)
    for nonce in range(5):
        net.submit("relay", make_wallet(0).transfer(GENESIS.chain_id, make_wallet(1).address, 1, nonce))
    net.run_for(11)  # a block at 12.0 would still be on its way
    assert net.converged()
    assert {c.chain.state.balance(make_wallet(1).address) for c in net.cores} == {1_000_005}
    produced = [e.time for e in net.log if e.kind == "produced"]
    assert produced == [2.0, 4.0, 6.0, 8.0, 10.0]  # each at its slot's start, woken for it
