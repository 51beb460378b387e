"""Genesis: the chain's rules, their canonical hash, and InvalidGenesis for every bad parameter."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from minichain.chain import Chain, make_genesis_block
from minichain.crypto import encode_address, get_suite
from minichain.errors import InvalidGenesis, MalformedData
from minichain.genesis import MAX_SUPPLY, ZERO_ADDRESS, Genesis, PoaParams, PowParams
from minichain.testing import make_wallet

A, B = make_wallet(0).address, make_wallet(1).address


def test_json_round_trip_pow_and_poa(pow_genesis: Genesis, poa_genesis: Genesis) -> None:
    for genesis in (pow_genesis, poa_genesis):
        assert Genesis.from_json(json.loads(json.dumps(genesis.to_json()))) == genesis


def test_load_from_file(tmp_path: Path, poa_genesis: Genesis) -> None:
    path = tmp_path / "genesis.json"
    path.write_text(json.dumps(poa_genesis.to_json(), indent=2))
    assert Genesis.load(path) == poa_genesis


def test_invalid_genesis_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidGenesis, match=r"cannot read genesis file .*missing\.json") as excinfo:
        Genesis.load(tmp_path / "missing.json")
    assert excinfo.value.rule == "genesis"


def test_invalid_encoding_genesis_file_not_json(tmp_path: Path) -> None:
    path = tmp_path / "genesis.json"
    path.write_text("{chain_id: 1")
    with pytest.raises(MalformedData, match="genesis: not valid JSON") as excinfo:
        Genesis.load(path)
    assert excinfo.value.rule == "encoding"


def test_config_bytes_do_not_depend_on_allocation_order() -> None:
    params = PowParams(difficulty_bits=4)
    forward = Genesis("c", params, ((A, 5), (B, 7)))
    backward = Genesis("c", params, ((B, 7), (A, 5)))
    assert forward.config_bytes() == backward.config_bytes()
    assert make_genesis_block(forward).hash(get_suite(forward.suite)) == make_genesis_block(
        backward).hash(get_suite(backward.suite))


@pytest.mark.parametrize(
    "change",
    [{"chain_id": "other"}, {"timestamp": 1}, {"max_block_transactions": 7},
     {"allocations": ((A, 6),)}, {"consensus": PowParams(difficulty_bits=5)},
     {"consensus": PowParams(difficulty_bits=4, block_reward=51)}, {"suite": "sm3-sm2"}],
    ids=["chain_id", "timestamp", "max_txs", "allocations", "difficulty", "reward", "suite"],
)
def test_every_parameter_changes_the_genesis_block(change: dict[str, Any]) -> None:
    base = Genesis("c", PowParams(difficulty_bits=4), ((A, 5),))
    changed = dataclasses.replace(base, **change)
    suite = get_suite("sha256-ed25519")
    assert make_genesis_block(changed).hash(suite) != make_genesis_block(base).hash(suite)


def test_chain_starts_from_the_allocations(pow_genesis: Genesis) -> None:
    chain = Chain(pow_genesis)
    assert chain.height == 0
    assert chain.state.total_supply() == pow_genesis.total_allocated == 4_000_000
    for address, amount in pow_genesis.allocations:
        assert chain.state.balance(address) == amount
        assert chain.state.nonce(address) == 0
    assert chain.tip.state_root == chain.state.root()


def test_initial_target_has_the_leading_zero_bits() -> None:
    assert PowParams(difficulty_bits=8).initial_target == 2**248 - 1
    assert PowParams(difficulty_bits=0).initial_target == 2**256 - 1


INVALID = [
    ("suite", lambda: Genesis("c", PowParams(), suite="rot13"), "unknown suite 'rot13'"),
    ("empty-chain-id", lambda: Genesis("", PowParams()), "chain_id must be 1 to 64"),
    ("long-chain-id", lambda: Genesis("c" * 65, PowParams()), "chain_id must be 1 to 64"),
    ("max-txs-0", lambda: Genesis("c", PowParams(), max_block_transactions=0),
     r"max_block_transactions must be in \[1, 100000\]"),
    ("bad-address", lambda: Genesis("c", PowParams(), (("Mxyz", 5),)), "allocation: address"),
    ("listed-twice", lambda: Genesis("c", PowParams(), ((A, 5), (A, 6))), "listed twice"),
    ("zero-amount", lambda: Genesis("c", PowParams(), ((A, 0),)), "gets 0, expected 1.."),
    ("too-much", lambda: Genesis("c", PowParams(), ((A, MAX_SUPPLY + 1),)), "expected 1.."),
    ("total-too-much", lambda: Genesis("c", PowParams(), ((A, MAX_SUPPLY), (B, 1))),
     "allocations total"),
    ("difficulty", lambda: Genesis("c", PowParams(difficulty_bits=65)),
     r"difficulty_bits must be in \[0, 64\]"),
    ("block-time", lambda: Genesis("c", PowParams(target_block_time=0)), "target_block_time >= 1"),
    ("window", lambda: Genesis("c", PowParams(retarget_window=1)), "retarget_window >= 2"),
    ("pow-reward", lambda: Genesis("c", PowParams(block_reward=10**12 + 1)), "block_reward"),
    ("no-authorities", lambda: Genesis("c", PoaParams(())), "at least one authority"),
    ("bad-authority", lambda: Genesis("c", PoaParams(("nobody",))), "authority: address"),
    ("authority-twice", lambda: Genesis("c", PoaParams((A, A))), "authority is listed twice"),
    ("slot-0", lambda: Genesis("c", PoaParams((A,), block_time=0)), "block_time must be >= 1"),
    ("poa-reward", lambda: Genesis("c", PoaParams((A,), block_reward=-1)), "block_reward"),
]


@pytest.mark.parametrize(("build", "message"), [(b, m) for _, b, m in INVALID],
                         ids=[name for name, _, _ in INVALID])
def test_invalid_genesis(build: Any, message: str) -> None:
    with pytest.raises(InvalidGenesis, match=message) as excinfo:
        build()
    assert excinfo.value.rule == "genesis"


def test_invalid_genesis_from_json_checks_the_rules_too(pow_genesis: Genesis) -> None:
    value = pow_genesis.to_json()
    value["consensus"] = {**value["consensus"], "kind": "poa", "authorities": [],
                          "block_time": 2, "block_reward": 0}
    del value["consensus"]["difficulty_bits"], value["consensus"]["target_block_time"]
    del value["consensus"]["retarget_window"]
    with pytest.raises(InvalidGenesis, match="at least one authority") as excinfo:
        Genesis.from_json(value)
    assert excinfo.value.rule == "genesis"


GENESIS_MALFORMED = [
    ("allocations-list", lambda v: {**v, "allocations": [[A, 5]]}, "expected an object"),
    ("allocation-bool", lambda v: {**v, "allocations": {A: True}}, "expected an integer"),
    ("allocation-zero", lambda v: {**v, "allocations": {A: 0}}, r"0 is outside \[1, "),
    ("consensus-kind", lambda v: {**v, "consensus": {"kind": "pos"}}, "kind 'pow', 'poa' or 'bft'"),
    ("consensus-extra", lambda v: {**v, "consensus": {**v["consensus"], "x": 1}}, "unknown"),
    ("unknown-field", lambda v: {**v, "comment": "hi"}, r"unknown field\(s\) comment"),
    ("difficulty-float", lambda v: {**v, "consensus": {**v["consensus"], "difficulty_bits": 8.0}},
     "expected an integer"),
]


@pytest.mark.parametrize(("mutate", "message"), [(m, msg) for _, m, msg in GENESIS_MALFORMED],
                         ids=[name for name, _, _ in GENESIS_MALFORMED])
def test_invalid_encoding_malformed_genesis_json(
    pow_genesis: Genesis, mutate: Any, message: str
) -> None:
    with pytest.raises(MalformedData, match=message) as excinfo:
        Genesis.from_json(mutate(pow_genesis.to_json()))
    assert excinfo.value.rule == "encoding"


def test_invalid_encoding_authorities_must_be_strings(poa_genesis: Genesis) -> None:
    value = poa_genesis.to_json()
    value["consensus"]["authorities"] = [1, 2]
    with pytest.raises(MalformedData, match="authorities: expected a list of addresses") as exc:
        Genesis.from_json(value)
    assert exc.value.rule == "encoding"


def test_zero_address_is_a_valid_address_nobody_owns() -> None:
    assert encode_address(bytes(20)) == ZERO_ADDRESS
