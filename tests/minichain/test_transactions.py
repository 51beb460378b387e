"""Transactions: what is signed, the txid, strict JSON, and replay protection."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from minichain.crypto import get_suite
from minichain.encoding import parse_json, tagged
from minichain.errors import (
    BlockTransactionInvalid,
    InvalidAddress,
    InvalidSignature,
    MalformedData,
    NonceMismatch,
    WrongChain,
)
from minichain.genesis import Genesis
from minichain.state import Account, State, transaction_effects
from minichain.testing import make_genesis, make_wallet
from minichain.transactions import Transaction, sign_transaction, transfer
from minichain.validation import validate_transaction
from minichain.wallet import Wallet

SUITE_NAMES = ["sha256-ed25519", "sha256-secp256k1", "sm3-sm2"]


@pytest.fixture
def genesis() -> Genesis:
    return make_genesis()


@pytest.fixture
def tx(genesis: Genesis, alice: Wallet, bob: Wallet) -> Transaction:
    return alice.transfer(genesis.chain_id, bob.address, 25, 0, fee=2, memo="rent")


def test_signing_bytes_cover_every_field_but_the_signature(tx: Transaction) -> None:
    assert tx.signing_bytes == tagged("tx", {
        "chain_id": tx.chain_id, "suite": tx.suite, "sender_key": tx.sender_key.hex(),
        "recipient": tx.recipient, "amount": 25, "fee": 2, "nonce": 0, "memo": "rent",
    })
    assert dataclasses.replace(tx, signature=b"x" * 64).signing_bytes == tx.signing_bytes


@pytest.mark.parametrize(
    "change",
    [{"chain_id": "other"}, {"amount": 26}, {"fee": 3}, {"nonce": 1}, {"memo": "rent!"},
     {"recipient": make_wallet(2).address}, {"suite": "sha256-secp256k1"}],
    ids=lambda change: next(iter(change)),
)
def test_changing_any_field_changes_signing_bytes_and_breaks_the_signature(
    tx: Transaction, change: dict[str, Any]
) -> None:
    changed = dataclasses.replace(tx, **change)
    assert changed.signing_bytes != tx.signing_bytes
    assert changed.txid != tx.txid
    suite = get_suite(tx.suite)
    assert suite.verify(tx.sender_key, tx.signing_bytes, tx.signature)
    assert not suite.verify(changed.sender_key, changed.signing_bytes, changed.signature)


def test_txid_is_the_suite_hash_of_the_signed_encoding(tx: Transaction) -> None:
    assert tx.txid == get_suite(tx.suite).hash(tx.encoded)
    assert tx.encoded == tx.signing_bytes + tx.signature
    # The signature is part of the id: the same transfer signed again (SM2 uses a fresh nonce)
    # or a different signature gives a different id.
    assert dataclasses.replace(tx, signature=bytes(64)).txid != tx.txid


def test_sender_is_derived_from_the_key(tx: Transaction, alice: Wallet) -> None:
    assert tx.sender == alice.address
    assert tx.cost == 27


@pytest.mark.parametrize("suite", SUITE_NAMES)
def test_json_round_trip(suite: str) -> None:
    sender, recipient = make_wallet("json", suite), make_wallet("json-to", suite)
    tx = sender.transfer("minichain-test", recipient.address, 7, 3, fee=1, memo="ünïcode ✓")
    value = tx.to_json()
    assert value["sender"] == sender.address
    assert value["txid"] == tx.txid.hex()
    assert Transaction.from_json(value) == tx
    # Through real JSON text too, as the CLI and HTTP transport send it.
    parsed = Transaction.from_json(parse_json(json.dumps(value), "tx"))
    assert parsed == tx
    assert parsed.txid == tx.txid


def test_json_without_derived_fields_is_accepted(tx: Transaction) -> None:
    value = tx.to_json()
    del value["sender"], value["txid"]
    assert Transaction.from_json(value) == tx


def test_invalid_encoding_tampered_sender_field(tx: Transaction) -> None:
    value = {**tx.to_json(), "sender": make_wallet(2).address}
    with pytest.raises(MalformedData, match=r"transaction\.sender: says .* key gives") as excinfo:
        Transaction.from_json(value)
    assert excinfo.value.rule == "encoding"


def test_invalid_encoding_tampered_txid_field(tx: Transaction) -> None:
    value = {**tx.to_json(), "txid": "00" * 32}
    with pytest.raises(MalformedData, match=r"transaction\.txid: says 0000000000000000") as excinfo:
        Transaction.from_json(value)
    assert excinfo.value.rule == "encoding"


def test_invalid_encoding_txid_no_longer_matches_a_tampered_amount(tx: Transaction) -> None:
    value = {**tx.to_json(), "amount": 2500}
    with pytest.raises(MalformedData, match=r"transaction\.txid: .*content hashes to") as excinfo:
        Transaction.from_json(value)
    assert excinfo.value.rule == "encoding"


MALFORMED = [
    ("not-an-object", lambda v: [v], "expected a JSON object"),
    ("missing-field", lambda v: {k: x for k, x in v.items() if k != "nonce"}, "missing field"),
    ("unknown-field", lambda v: {**v, "gas": 1}, r"unknown field\(s\) gas"),
    ("bool-amount", lambda v: {**v, "amount": True}, "amount: expected an integer"),
    ("float-fee", lambda v: {**v, "fee": 1.0}, "fee: expected an integer"),
    ("string-nonce", lambda v: {**v, "nonce": "0"}, "nonce: expected an integer"),
    ("negative-fee", lambda v: {**v, "fee": -1}, r"fee: -1 is outside"),
    ("huge-amount", lambda v: {**v, "amount": 2**63}, "amount: .* is outside"),
    ("uppercase-key", lambda v: {**v, "sender_key": v["sender_key"].upper()}, "lowercase hex"),
    ("short-key", lambda v: {**v, "sender_key": v["sender_key"][:-2]}, "expected 32 bytes"),
    ("short-signature", lambda v: {**v, "signature": v["signature"][:-2]}, "expected 64 bytes"),
    ("empty-signature", lambda v: {**v, "signature": ""}, "expected 64 bytes, found 0"),
    ("unknown-suite", lambda v: {**v, "suite": "md5-rsa"}, "transaction.suite: unknown suite"),
    ("suite-not-str", lambda v: {**v, "suite": 1}, "suite: expected a string"),
    ("bad-recipient", lambda v: {**v, "recipient": "Mnot-an-address"}, "address"),
    ("long-memo", lambda v: {**v, "memo": "x" * 513}, "memo: longer than 512 bytes"),
    ("surrogate-memo", lambda v: {**v, "memo": "\ud800"}, "memo: not valid UTF-8"),
    ("long-chain-id", lambda v: {**v, "chain_id": "c" * 65}, "chain_id: longer than 64"),
]


@pytest.mark.parametrize(("mutate", "message"), [(m, msg) for _, m, msg in MALFORMED],
                         ids=[name for name, _, _ in MALFORMED])
def test_invalid_encoding_malformed_transaction_json(
    tx: Transaction, mutate: Any, message: str
) -> None:
    with pytest.raises(MalformedData, match=message) as excinfo:
        Transaction.from_json(mutate(tx.to_json()))
    assert excinfo.value.rule in ("encoding", "address")


def test_invalid_address_recipient_in_json_is_an_address_error(tx: Transaction) -> None:
    with pytest.raises(InvalidAddress, match="bad checksum") as excinfo:
        Transaction.from_json({**tx.to_json(), "recipient": tx.recipient[:-1] + "1"})
    assert excinfo.value.rule == "address"


def test_sign_transaction_refuses_a_key_that_is_not_the_sender(
    tx: Transaction, bob: Wallet
) -> None:
    with pytest.raises(MalformedData, match=r"does not match tx\.sender_key") as excinfo:
        sign_transaction(tx, bob.private_key)
    assert excinfo.value.rule == "encoding"


def test_transfer_builds_and_signs(genesis: Genesis, alice: Wallet, bob: Wallet) -> None:
    tx = transfer(alice.private_key, suite=alice.suite_name, chain_id=genesis.chain_id,
                  recipient=bob.address, amount=5, nonce=0)
    assert tx.sender_key == alice.public_key
    validate_transaction(tx, genesis)  # raises if invalid


# --- replay protection --------------------------------------------------------------------------


def test_invalid_tx_nonce_same_transaction_twice(
    genesis: Genesis, tx: Transaction, alice: Wallet
) -> None:
    state = State(get_suite(genesis.suite).hash, {alice.address: Account(1_000, 0)})
    state.apply_block([tx], make_wallet("miner").address, 0)
    before = (state.root(), tuple(state.items()))
    with pytest.raises(BlockTransactionInvalid, match="nonce 1, the transaction has nonce 0 "
                       r"\(already used: a replay\?\)") as excinfo:
        state.apply_block([tx], make_wallet("miner").address, 0)
    assert excinfo.value.rule == "tx-nonce"
    assert isinstance(excinfo.value.cause, NonceMismatch)
    assert (state.root(), tuple(state.items())) == before


def test_invalid_tx_nonce_same_transaction_twice_in_one_block(
    genesis: Genesis, tx: Transaction, alice: Wallet
) -> None:
    state = State(get_suite(genesis.suite).hash, {alice.address: Account(1_000, 0)})
    with pytest.raises(BlockTransactionInvalid, match="transaction #1") as excinfo:
        state.apply_block([tx, tx], make_wallet("miner").address, 0)
    assert excinfo.value.rule == "tx-nonce"
    assert excinfo.value.index == 1
    assert state.balance(alice.address) == 1_000


def test_invalid_tx_nonce_from_transaction_effects(tx: Transaction) -> None:
    with pytest.raises(NonceMismatch, match=r"at nonce 0, the transaction has nonce 3 \(a gap\)") as e:
        transaction_effects(lambda _: Account(100, 0), dataclasses.replace(tx, nonce=3))
    assert e.value.rule == "tx-nonce"


def test_invalid_tx_chain_id_signed_for_another_chain(
    genesis: Genesis, alice: Wallet, bob: Wallet
) -> None:
    foreign = alice.transfer("some-other-chain", bob.address, 25, 0)
    assert get_suite(foreign.suite).verify(foreign.sender_key, foreign.signing_bytes,
                                           foreign.signature)  # validly signed, just elsewhere
    with pytest.raises(WrongChain, match="signed for chain 'some-other-chain', this chain is "
                       "'minichain-test'") as excinfo:
        validate_transaction(foreign, genesis)
    assert excinfo.value.rule == "tx-chain-id"


def test_invalid_tx_chain_id_relabelled_transaction_loses_its_signature(
    genesis: Genesis, alice: Wallet, bob: Wallet
) -> None:
    foreign = alice.transfer("some-other-chain", bob.address, 25, 0)
    relabelled = dataclasses.replace(foreign, chain_id=genesis.chain_id)
    with pytest.raises(InvalidSignature, match="does not verify") as excinfo:
        validate_transaction(relabelled, genesis)
    assert excinfo.value.rule == "tx-signature"
