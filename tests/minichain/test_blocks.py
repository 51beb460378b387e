"""Headers and blocks: what the block hash covers, seals, and strict JSON."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from chainkit import next_block, next_poa_block

from minichain.blocks import (
    BLOCK_VERSION,
    POA_SEAL_TAG,
    AuthoritySeal,
    Block,
    Header,
    PowSeal,
    poa_signing_bytes,
    pow_preimage_suffix,
    transactions_root,
)
from minichain.chain import Chain, genesis_state, make_genesis_block
from minichain.crypto import get_suite
from minichain.encoding import parse_json, tagged
from minichain.errors import InvalidAddress, MalformedData
from minichain.genesis import ZERO_ADDRESS, Genesis
from minichain.merkle import merkle_root
from minichain.state import Account
from minichain.testing import make_genesis, make_wallet
from minichain.wallet import Wallet

SUITE = get_suite("sha256-ed25519")


@pytest.fixture
def block(pow_chain: Chain, alice: Wallet, bob: Wallet) -> Block:
    txs = [alice.transfer(pow_chain.genesis.chain_id, bob.address, 5 + i, i, fee=1)
           for i in range(3)]
    return next_block(pow_chain, txs)


def test_block_hash_is_hash_of_content_hash_and_pow_seal(block: Block) -> None:
    header = block.header
    assert isinstance(header.seal, PowSeal)
    content_hash = SUITE.hash(tagged("header", header.content_fields()))
    assert header.content_hash(SUITE) == content_hash
    suffix = header.seal.target.to_bytes(32, "big") + header.seal.nonce.to_bytes(8, "big")
    assert pow_preimage_suffix(header.seal.target, header.seal.nonce) == suffix
    assert block.hash(SUITE) == SUITE.hash(content_hash + suffix)


def test_poa_block_hash_covers_signer_and_signature(
    poa_chain: Chain, authorities: list[Wallet]
) -> None:
    sealed = next_poa_block(poa_chain, authorities[1])
    seal = sealed.header.seal
    assert isinstance(seal, AuthoritySeal)
    assert seal.signer == authorities[1].public_key
    content_hash = sealed.header.content_hash(SUITE)
    assert poa_signing_bytes(content_hash) == POA_SEAL_TAG + content_hash
    assert SUITE.verify(seal.signer, POA_SEAL_TAG + content_hash, seal.signature)
    assert sealed.hash(SUITE) == SUITE.hash(content_hash + seal.signer + seal.signature)


@pytest.mark.parametrize(
    "change",
    [{"version": 2}, {"parent_hash": bytes(32)}, {"height": 9}, {"timestamp": 1},
     {"merkle_root": bytes(32)}, {"state_root": bytes(32)},
     {"beneficiary": make_wallet(3).address}, {"seal": PowSeal(5, 0)}],
    ids=lambda change: next(iter(change)),
)
def test_every_header_field_changes_the_block_hash(block: Block, change: dict[str, Any]) -> None:
    changed = dataclasses.replace(block.header, **change)
    assert changed.hash(SUITE) != block.header.hash(SUITE)


def test_content_hash_ignores_the_seal_so_miners_only_vary_the_nonce(block: Block) -> None:
    header = block.header
    assert isinstance(header.seal, PowSeal)
    other_nonce = header.with_seal(PowSeal(header.seal.target, header.seal.nonce + 1))
    assert other_nonce.content_hash(SUITE) == header.content_hash(SUITE)
    assert other_nonce.hash(SUITE) != header.hash(SUITE)


def test_hash_depends_on_the_suite(block: Block) -> None:
    assert block.header.hash(get_suite("sm3-sm2")) != block.header.hash(SUITE)
    # A cached hash for one suite never answers for another.
    assert block.header.hash(SUITE) == SUITE.hash(block.header.content_hash(SUITE)
                                                  + block.header.seal_bytes())


def test_transactions_root_is_merkle_root_of_txids(block: Block) -> None:
    txids = [tx.txid for tx in block.transactions]
    assert transactions_root(block.transactions, SUITE) == merkle_root(txids, SUITE.hash)
    assert block.header.merkle_root == merkle_root(txids, SUITE.hash)


def test_header_json_round_trip(block: Block) -> None:
    assert Header.from_json(block.header.to_json()) == block.header
    assert Header.from_json(json.loads(json.dumps(block.header.to_json()))) == block.header


def test_block_json_round_trip_keeps_hash_and_transactions(block: Block) -> None:
    value = parse_json(json.dumps(block.to_json(SUITE)), "block")
    assert value["hash"] == block.hash(SUITE).hex()
    parsed = Block.from_json(value, SUITE)
    assert parsed == block
    assert parsed.hash(SUITE) == block.hash(SUITE)
    assert parsed.encoded(SUITE) == block.encoded(SUITE)


def test_poa_block_json_round_trip(poa_chain: Chain, authorities: list[Wallet]) -> None:
    sealed = next_poa_block(poa_chain, authorities[0])
    assert Block.from_json(sealed.to_json(SUITE), SUITE) == sealed


def test_invalid_encoding_block_hash_field_does_not_match(block: Block) -> None:
    value = {**block.to_json(SUITE), "hash": "ff" * 32}
    with pytest.raises(MalformedData, match=r"block\.hash: says ffffffffffffffff") as excinfo:
        Block.from_json(value, SUITE)
    assert excinfo.value.rule == "encoding"


def test_invalid_encoding_too_many_transactions_in_json(block: Block) -> None:
    with pytest.raises(MalformedData, match="3 items, at most 2") as excinfo:
        Block.from_json(block.to_json(SUITE), SUITE, max_transactions=2)
    assert excinfo.value.rule == "encoding"


HEADER_MALFORMED = [
    ("missing", lambda h: {k: v for k, v in h.items() if k != "state_root"}, "missing field"),
    ("unknown", lambda h: {**h, "extra": 1}, "unknown field"),
    ("bool-height", lambda h: {**h, "height": True}, "height: expected an integer"),
    ("short-parent", lambda h: {**h, "parent_hash": "00" * 31}, "expected 32 bytes"),
    ("upper-root", lambda h: {**h, "merkle_root": h["merkle_root"].upper()}, "lowercase hex"),
    ("seal-kind", lambda h: {**h, "seal": {**h["seal"], "kind": "pos"}}, "kind 'pow', 'poa' or 'bft'"),
    ("seal-not-object", lambda h: {**h, "seal": "pow"}, "kind 'pow', 'poa' or 'bft'"),
    ("seal-extra", lambda h: {**h, "seal": {**h["seal"], "x": 1}}, r"header\.seal: unknown"),
    ("seal-nonce", lambda h: {**h, "seal": {**h["seal"], "nonce": 2**64}}, "nonce: .* outside"),
    ("seal-target", lambda h: {**h, "seal": {**h["seal"], "target": "ff"}}, "expected 32 bytes"),
]


@pytest.mark.parametrize(("mutate", "message"), [(m, msg) for _, m, msg in HEADER_MALFORMED],
                         ids=[name for name, _, _ in HEADER_MALFORMED])
def test_invalid_encoding_malformed_header_json(block: Block, mutate: Any, message: str) -> None:
    with pytest.raises(MalformedData, match=message) as excinfo:
        Header.from_json(mutate(block.header.to_json()))
    assert excinfo.value.rule == "encoding"


def test_invalid_address_beneficiary_in_header_json(block: Block) -> None:
    with pytest.raises(InvalidAddress, match="address 'nobody'") as excinfo:
        Header.from_json({**block.header.to_json(), "beneficiary": "nobody"})
    assert excinfo.value.rule == "address"


def test_genesis_block_commits_to_the_genesis_config(pow_genesis: Genesis) -> None:
    block = make_genesis_block(pow_genesis)
    header = block.header
    assert header.height == 0
    assert header.version == BLOCK_VERSION
    assert header.parent_hash == SUITE.hash(pow_genesis.config_bytes())
    assert header.timestamp == pow_genesis.timestamp
    assert header.beneficiary == ZERO_ADDRESS
    assert header.merkle_root == merkle_root([], SUITE.hash)
    assert block.transactions == ()
    assert header.seal == PowSeal(pow_genesis.consensus.initial_target, 0)  # type: ignore[union-attr]
    other = make_genesis(chain_id="another-chain")
    assert make_genesis_block(other).hash(SUITE) != block.hash(SUITE)


def test_genesis_state_is_one_definition_the_block_and_the_chain_share(pow_genesis: Genesis) -> None:
    state = genesis_state(pow_genesis)
    assert dict(state.items()) == {a: Account(amount, 0) for a, amount in pow_genesis.allocations}
    assert make_genesis_block(pow_genesis).header.state_root == state.root()
    chain = Chain(pow_genesis)
    assert chain.state.root() == chain.tip.state_root == state.root()
