"""Fast encoders, kept apart from the teaching modules: each gives exactly the bytes of one
canonical definition, assembled without the general JSON encoder because every node pays for it
on every transaction. tests/minichain/test_fastpath.py proves each equal to its definition
(hypothesis); a reader of the ledger can skip this module.
"""

from __future__ import annotations

from json.encoder import encode_basestring as _json_string  # the C escaper json.dumps uses
from typing import TYPE_CHECKING

from minichain.encoding import canonical_json, tagged

if TYPE_CHECKING:
    from minichain.blocks import Block
    from minichain.crypto import Suite
    from minichain.transactions import Transaction

_TX_TAG = b"minichain/tx\x00"


def transaction_signing_bytes(tx: Transaction) -> bytes:
    """= tagged("tx", tx.unsigned_fields()), by one f-string for the usual field types."""
    if not (type(tx.amount) is type(tx.fee) is type(tx.nonce) is int
            and type(tx.chain_id) is type(tx.suite) is type(tx.recipient) is str
            and type(tx.memo) is str and type(tx.sender_key) is bytes):
        return tagged("tx", tx.unsigned_fields())  # unusual types: the general path decides
    text = (f'{{"amount":{tx.amount},"chain_id":{_json_string(tx.chain_id)},"fee":{tx.fee},'
            f'"memo":{_json_string(tx.memo)},"nonce":{tx.nonce},'
            f'"recipient":{_json_string(tx.recipient)},"sender_key":"{tx.sender_key.hex()}",'
            f'"suite":{_json_string(tx.suite)}}}')
    try:
        return _TX_TAG + text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: let canonical_json name the problem
        return tagged("tx", tx.unsigned_fields())


def block_json_bytes(block: Block, suite: Suite, with_commit: bool = True) -> bytes:
    """= canonical_json(block.to_json(suite)), joined from each transaction's remembered bytes:
    canonical JSON nests (keys sorted at every level, no spaces), so the parts join as is.
    "commit" sorts before "hash"; with_commit=False gives the bytes of the block without it."""
    commit = b""
    if with_commit and block.commit is not None:
        commit = b'"commit":' + canonical_json(block.commit.to_json(suite)) + b","
    return (b'{' + commit + b'"hash":"' + block.hash(suite).hex().encode() + b'","header":'
            + canonical_json(block.header.to_json()) + b',"transactions":['
            + b",".join(tx.json_bytes for tx in block.transactions) + b"]}")


def transactions_message_bytes(txs: tuple[Transaction, ...]) -> bytes:
    """= canonical_json(message_to_json(Transactions(txs))): a gossiped transaction is encoded
    once, not once per peer."""
    return b'{"txs":[' + b",".join(tx.json_bytes for tx in txs) + b'],"type":"txs"}'


def blocks_message_bytes(blocks: tuple[Block, ...], more: bool, suite: Suite) -> bytes:
    """= canonical_json(message_to_json(Blocks(blocks, more))); keys in sorted order:
    "blocks" < "more" < "type"."""
    return (b'{"blocks":[' + b",".join(block_json_bytes(block, suite) for block in blocks)
            + b'],"more":' + (b"true" if more else b"false") + b',"type":"blocks"}')
