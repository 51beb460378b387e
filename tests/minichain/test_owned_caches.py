"""Caches have owners: two chains or two nodes in one process share no cache, and no module of
minichain holds a cache or a memo table at module level."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil

import pytest

import minichain
from minichain.chain import Chain
from minichain.checkcache import CheckCache
from minichain.errors import InvalidSignature
from minichain.net.memory import MemoryNetwork
from minichain.node.core import NodeConfig
from minichain.testing import make_genesis, make_wallet
from minichain.validation import validate_transaction

# Pure memo tables (the same input always gives the same answer) still kept per process: none.
REMAINING_MEMOS: set[str] = set()


def _modules() -> list[object]:
    names = [m.name for m in pkgutil.walk_packages(minichain.__path__, "minichain.")]
    return [importlib.import_module(name) for name in names if not name.endswith("__main__")]


def test_no_module_holds_a_signature_cache_or_a_new_memo() -> None:
    memos = set()
    for module in _modules():
        for name, value in vars(module).items():
            assert not isinstance(value, CheckCache), f"{module.__name__}.{name}"
            if hasattr(value, "cache_clear") and getattr(value, "__module__", None) == module.__name__:
                memos.add(f"{module.__name__}.{name}")
    assert memos <= REMAINING_MEMOS, memos - REMAINING_MEMOS


def test_two_chains_keep_their_own_verified_signatures() -> None:
    genesis = make_genesis()
    tx = make_wallet(0).transfer(genesis.chain_id, make_wallet(1).address, 5, 0)
    first, second = Chain(genesis), Chain(genesis)
    validate_transaction(tx, genesis, first.verified)
    assert first.verified.knows_signature(tx.txid)
    assert not second.verified.knows_signature(tx.txid)


def test_two_cores_in_one_process_share_nothing() -> None:
    authorities = [make_wallet(f"authority-{i}") for i in range(2)]
    genesis = make_genesis("poa", authorities=authorities, block_time=2)
    net = MemoryNetwork(genesis, [NodeConfig(f"node{i}", authority=authorities[i]) for i in range(2)],
                        seed=3)
    a, b = net.cores
    assert a.chain.verified is not b.chain.verified
    assert a.mempool.verified is a.chain.verified
    net.run_for(4)
    tx = make_wallet(0).transfer(genesis.chain_id, make_wallet(1).address, 5, 0)
    net.submit(0, tx)
    net.run_for(6)
    assert net.converged()
    shared = {id(v) for v in vars(a).values()} & {id(v) for v in vars(b).values()}
    owned = {id(v) for v in vars(a).values() if isinstance(v, dict | list | set | CheckCache)}
    assert not shared & owned
    a_tables, b_tables = vars(a.chain.verified), vars(b.chain.verified)
    assert all(a_tables[name] is not b_tables[name] for name in a_tables if name != "limit")
    assert a.chain.state.nonce(tx.sender) == b.chain.state.nonce(tx.sender) == 1
    # each verified the signature itself (b on gossip or in the block), into its own table
    assert a.chain.verified.knows_signature(tx.txid) and b.chain.verified.knows_signature(tx.txid)


def test_a_check_cache_remembers_only_what_passed() -> None:
    cache = CheckCache()
    good, typo = make_wallet(1).address, make_wallet(1).address[:-1] + "x"
    assert cache.is_address(good) and cache.is_address(good)
    assert not cache.is_address(typo) and not cache.is_address(typo)
    assert not cache.is_address(["not", "a", "string"])
    assert vars(cache)["_addresses"] == {good: None}


def test_a_check_cache_gives_each_senders_own_address() -> None:
    genesis = make_genesis()
    cache = CheckCache()
    for seed in range(3):
        for nonce in range(2):
            tx = make_wallet(seed).transfer(genesis.chain_id, make_wallet(9).address, 1, nonce)
            assert cache.sender(tx) == tx.sender == make_wallet(seed).address


def test_a_check_cache_forgets_its_oldest_beyond_its_limit() -> None:
    cache = CheckCache(limit=2)
    for txid in (b"a" * 32, b"b" * 32, b"c" * 32):
        cache.learn_signature(txid)
    assert not cache.knows_signature(b"a" * 32)
    assert cache.knows_signature(b"b" * 32) and cache.knows_signature(b"c" * 32)


def test_invalid_tx_signature_is_not_remembered() -> None:
    genesis = make_genesis()
    chain = Chain(genesis)
    tx = make_wallet(0).transfer(genesis.chain_id, make_wallet(1).address, 5, 0)
    forged = dataclasses.replace(tx, amount=6)
    with pytest.raises(InvalidSignature, match="does not verify"):
        validate_transaction(forged, genesis, chain.verified)
    assert not chain.verified.knows_signature(forged.txid)
    with pytest.raises(InvalidSignature):
        validate_transaction(forged, genesis, chain.verified)
