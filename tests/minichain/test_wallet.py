"""Wallets: deterministic keys, key files that only their owner can read, signing transfers."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from minichain.crypto import get_suite
from minichain.errors import InvalidKey
from minichain.testing import CHAIN_ID, make_wallet
from minichain.wallet import Wallet


@pytest.mark.parametrize("suite", ["sha256-ed25519", "sha256-secp256k1", "sm3-sm2"])
def test_wallet_from_seed_is_deterministic(suite: str) -> None:
    one, two = Wallet.from_seed("seed", suite), Wallet.from_seed(b"seed", suite)
    assert one == two
    assert one.address == get_suite(suite).address(one.public_key)
    assert Wallet.from_seed("other", suite).address != one.address


def test_save_and_load_round_trip_with_owner_only_mode(tmp_path: Path) -> None:
    wallet, path = make_wallet(7), tmp_path / "key.json"
    wallet.save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Wallet.load(path) == wallet


def test_invalid_key_save_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "key.json"
    make_wallet(7).save(path)
    with pytest.raises(InvalidKey, match="already exists; refusing to overwrite") as excinfo:
        make_wallet(8).save(path)
    assert excinfo.value.rule == "key"
    assert Wallet.load(path) == make_wallet(7)


def test_invalid_key_file_whose_address_does_not_match(tmp_path: Path) -> None:
    path = tmp_path / "key.json"
    path.write_text(json.dumps({**make_wallet(7).to_json(), "address": make_wallet(8).address}))
    with pytest.raises(InvalidKey, match="stored address does not match") as excinfo:
        Wallet.load(path)
    assert excinfo.value.rule == "key"


@pytest.mark.parametrize("content", ["not json", "{}", '{"suite": "x"}'])
def test_invalid_key_malformed_key_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "key.json"
    path.write_text(content)
    with pytest.raises(InvalidKey, match=r"key\.json: ") as excinfo:
        Wallet.load(path)
    assert excinfo.value.rule == "key"


def test_invalid_key_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidKey, match="cannot read key file") as excinfo:
        Wallet.load(tmp_path / "nope.json")
    assert excinfo.value.rule == "key"


def test_transfer_is_signed_by_the_wallet() -> None:
    wallet = make_wallet(0)
    tx = wallet.transfer(CHAIN_ID, make_wallet(1).address, 5, 3, fee=1, memo="hi")
    assert (tx.sender, tx.amount, tx.nonce, tx.fee, tx.memo) == (wallet.address, 5, 3, 1, "hi")
    assert wallet.suite.verify(wallet.public_key, tx.signing_bytes, tx.signature)


def test_generated_wallets_differ() -> None:
    assert Wallet.generate().address != Wallet.generate().address
