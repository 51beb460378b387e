"""minichain/fastpath.py gives exactly the canonical bytes (hypothesis): a transaction's signing
bytes, a block's JSON and the gossip messages that join remembered parts instead of encoding anew."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minichain.blocks import Block, CommitCertificate, Header, PowSeal, transactions_root
from minichain.crypto import get_suite
from minichain.encoding import canonical_json, tagged
from minichain.errors import MinichainError
from minichain.fastpath import block_json_bytes, transaction_signing_bytes
from minichain.node.messages import Blocks, Transactions, decode_message, encode_message, message_to_json
from minichain.testing import make_wallet
from minichain.transactions import Transaction

SUITE = get_suite("sha256-ed25519")
RECIPIENT = make_wallet(1).address
ints = st.integers(0, 2**63 - 1)

unsigned = st.builds(
    Transaction,
    chain_id=st.text(min_size=1, max_size=20),
    suite=st.just("sha256-ed25519"),
    sender_key=st.binary(min_size=32, max_size=33),
    recipient=st.just(RECIPIENT) | st.text(max_size=40),
    amount=ints,
    fee=ints,
    nonce=ints,
    memo=st.text(max_size=40),
)


def _valid_text(tx: Transaction) -> bool:
    try:
        tagged("tx", tx.unsigned_fields())
    except MinichainError:
        return False
    return True


# Transactions that could be sent: keys, text and signatures of the suite's sizes, valid UTF-8.
wire_transactions = st.builds(
    Transaction,
    chain_id=st.text(min_size=1, max_size=20),
    suite=st.just("sha256-ed25519"),
    sender_key=st.binary(min_size=32, max_size=32),
    recipient=st.just(RECIPIENT),
    amount=ints,
    fee=ints,
    nonce=ints,
    memo=st.text(max_size=40),
    signature=st.binary(min_size=64, max_size=64),
).filter(_valid_text)

headers = st.builds(
    Header,
    version=st.integers(0, 2**32 - 1),
    parent_hash=st.binary(min_size=32, max_size=32),
    height=ints,
    timestamp=ints,
    merkle_root=st.binary(min_size=32, max_size=32),
    state_root=st.binary(min_size=32, max_size=32),
    beneficiary=st.just(RECIPIENT),
    seal=st.builds(PowSeal, target=st.integers(0, 2**256 - 1), nonce=st.integers(0, 2**64 - 1)),
)


commits = st.none() | st.builds(
    CommitCertificate,
    height=ints,
    round=st.integers(0, 2**32 - 1),
    block_hash=st.binary(min_size=32, max_size=32),
    signatures=st.lists(st.tuples(st.binary(min_size=32, max_size=32), st.binary(min_size=64, max_size=64)),
                        max_size=4).map(tuple),
)


@st.composite
def blocks(draw: st.DrawFn) -> Block:
    txs = tuple(draw(st.lists(wire_transactions, max_size=4, unique_by=lambda tx: tx.txid)))
    header = draw(headers)
    return Block(dataclasses.replace(header, merkle_root=transactions_root(txs, SUITE)), txs, draw(commits))


@settings(max_examples=300, deadline=None)
@given(tx=unsigned)
def test_fast_signing_bytes_equal_the_canonical_encoding(tx: Transaction) -> None:
    try:
        expected = tx.canonical_signing_bytes()
    except MinichainError:
        with pytest.raises(MinichainError):
            transaction_signing_bytes(tx)  # lone surrogates: refused the same way
        return
    assert transaction_signing_bytes(tx) == expected == tx.signing_bytes


@settings(max_examples=100, deadline=None)
@given(block=blocks())
def test_fast_block_json_equals_the_canonical_encoding(block: Block) -> None:
    assert block_json_bytes(block, SUITE) == canonical_json(block.to_json(SUITE)) == block.json_bytes(SUITE)
    bare = block.with_commit(None)
    assert block.json_bytes(SUITE, with_commit=False) == canonical_json(bare.to_json(SUITE))
    assert Block.from_json(block.to_json(SUITE), SUITE) == block  # the commit survives, the hash is kept


@settings(max_examples=100, deadline=None)
@given(block_list=st.lists(blocks(), max_size=3), more=st.booleans())
def test_fast_blocks_message_equals_the_canonical_encoding(block_list: list[Block], more: bool) -> None:
    message = Blocks(tuple(block_list), more)
    data = encode_message(message, SUITE)
    assert data == canonical_json(message_to_json(message, SUITE))
    assert encode_message(decode_message(data, SUITE), SUITE) == data


@settings(max_examples=100, deadline=None)
@given(txs=st.lists(wire_transactions, max_size=5))
def test_fast_transactions_message_equals_the_canonical_encoding(txs: list[Transaction]) -> None:
    message = Transactions(tuple(txs))
    data = encode_message(message, SUITE)
    assert data == canonical_json(message_to_json(message, SUITE))
    assert encode_message(decode_message(data, SUITE), SUITE) == data
