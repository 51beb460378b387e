"""Signed account-model transactions: "move `amount` from my account to `recipient`".

The sender signs the canonical bytes of every field except the signature. Two fields stop replay:
`chain_id` (a transfer signed for one chain is invalid on any other) and `nonce` (the sender's
count of earlier transactions, so the same transfer cannot be applied twice). This is the account
model of Ethereum (EIP-155 for the chain id), not Bitcoin's UTXOs.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

from minichain.crypto import decode_address, get_suite
from minichain.encoding import (
    MAX_INT,
    canonical_json,
    require_hex,
    require_int,
    require_object,
    require_str,
    tagged,
)
from minichain.errors import MalformedData
from minichain.fastpath import transaction_signing_bytes

MAX_MEMO_BYTES = 128
_FIELDS = {"chain_id", "suite", "sender_key", "recipient", "amount", "fee", "nonce", "memo",
           "signature"}
_DERIVED = {"sender", "txid"}


@dataclass(frozen=True)
class Transaction:
    """A transfer signed by the holder of `sender_key`. Build it, then `sign_transaction` it."""

    chain_id: str  # the chain it is valid on, e.g. "minichain-dev"
    suite: str  # the chain's crypto suite, e.g. "sha256-ed25519"
    sender_key: bytes  # sender's public key (32, 33 or 64 bytes by suite)
    recipient: str  # Base58Check address of the receiver
    amount: int  # smallest units moved, >= 1
    fee: int  # smallest units paid to the block producer, >= 0
    nonce: int  # number of transactions the sender sent before this one
    memo: str = ""  # free text, at most 128 UTF-8 bytes; signed like every other field
    signature: bytes = b""  # over signing_bytes; empty until signed

    is_contract: ClassVar[bool] = False  # True for a deploy or call (minichain.contract_tx)

    def unsigned_fields(self) -> dict[str, Any]:
        return {
            "chain_id": self.chain_id,
            "suite": self.suite,
            "sender_key": self.sender_key.hex(),
            "recipient": self.recipient,
            "amount": self.amount,
            "fee": self.fee,
            "nonce": self.nonce,
            "memo": self.memo,
        }

    def canonical_signing_bytes(self) -> bytes:
        """Exactly what the sender signs: every field but the signature, tagged "tx"."""
        return tagged("tx", self.unsigned_fields())

    @cached_property
    def signing_bytes(self) -> bytes:
        """canonical_signing_bytes(), remembered: checking a signature needs them again."""
        return transaction_signing_bytes(self)  # fast path, proven equal in tests/minichain/test_fastpath.py

    @cached_property
    def encoded(self) -> bytes:
        """Canonical bytes of the whole signed transaction: the signing bytes, then the signature.
        Signatures have one fixed size per suite, so this split is unambiguous."""
        return self.signing_bytes + self.signature

    @cached_property
    def json_bytes(self) -> bytes:
        """canonical_json(self.to_json()): the transaction on the wire and on disk. Remembered: a
        node sends each transaction to every peer, saves it, then sends and saves it in a block."""
        return canonical_json(self.to_json())

    @cached_property
    def txid(self) -> bytes:
        """32-byte id: the hash of the signed transaction; also its Merkle leaf in a block."""
        return get_suite(self.suite).hash(self.encoded)

    @cached_property
    def sender(self) -> str:
        """The sender's address, derived from the public key (so it cannot be faked)."""
        return get_suite(self.suite).address(self.sender_key)

    @property
    def cost(self) -> int:
        """What leaves the sender's balance."""
        return self.amount + self.fee

    def to_json(self) -> dict[str, Any]:
        """The JSON form printed by `minichain tx sign`; `sender` and `txid` are for reading."""
        return {
            **self.unsigned_fields(),
            "signature": self.signature.hex(),
            "sender": self.sender,
            "txid": self.txid.hex(),
        }

    @classmethod
    def from_json(cls, value: Any, check_derived: bool = True) -> Transaction:
        """Strict parse: every field typed; `sender`/`txid`, if given, must match the content
        (unless `check_derived` is False: then the consensus rules get to judge the content).
        An object with a `kind` is a contract transaction (minichain.contract_tx)."""
        if isinstance(value, dict) and "kind" in value:
            from minichain.contract_tx import ContractTransaction

            return ContractTransaction.from_json(value, check_derived)
        obj = require_object(value, "transaction", _FIELDS, optional=_DERIVED)
        suite_name = require_str(obj, "suite", "transaction", 32)
        suite = get_suite_for_parse(suite_name)
        recipient = require_str(obj, "recipient", "transaction", 64)
        decode_address(recipient)
        tx = cls(
            chain_id=require_str(obj, "chain_id", "transaction", 64),
            suite=suite_name,
            sender_key=require_hex(obj, "sender_key", "transaction", suite.public_key_size),
            recipient=recipient,
            amount=require_int(obj, "amount", "transaction", 0, MAX_INT),
            fee=require_int(obj, "fee", "transaction", 0, MAX_INT),
            nonce=require_int(obj, "nonce", "transaction", 0, MAX_INT),
            memo=require_str(obj, "memo", "transaction", MAX_MEMO_BYTES * 4),
            signature=require_hex(obj, "signature", "transaction", suite.signature_size),
        )
        if not check_derived:
            return tx
        if "sender" in obj and obj["sender"] != tx.sender:
            raise MalformedData(f"transaction.sender: says {obj['sender']!r}, key gives {tx.sender}")
        if "txid" in obj and obj["txid"] != tx.txid.hex():
            raise MalformedData(
                f"transaction.txid: says {str(obj['txid'])[:16]}, content hashes to {tx.txid.hex()[:16]}"
            )
        return tx


def get_suite_for_parse(name: str) -> Any:
    try:
        return get_suite(name)
    except Exception as error:
        raise MalformedData(f"transaction.suite: {error}") from None


def sign_transaction(tx: Transaction, private_key: bytes) -> Transaction:
    """A copy of `tx` signed with `private_key`, which must belong to `tx.sender_key`."""
    suite = get_suite(tx.suite)
    if suite.public_key(private_key) != tx.sender_key:
        raise MalformedData("sign_transaction: the private key does not match tx.sender_key")
    return dataclasses.replace(tx, signature=suite.sign(private_key, tx.signing_bytes))


def transfer(
    private_key: bytes,
    *,
    suite: str,
    chain_id: str,
    recipient: str,
    amount: int,
    nonce: int,
    fee: int = 0,
    memo: str = "",
) -> Transaction:
    """Build and sign a transfer in one call."""
    public_key = get_suite(suite).public_key(private_key)
    unsigned = Transaction(chain_id, suite, public_key, recipient, amount, fee, nonce, memo)
    return sign_transaction(unsigned, private_key)
