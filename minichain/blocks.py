"""Headers and blocks: each header names its parent's hash, so changing any old block changes
every hash after it (the "chain" in blockchain).

A header commits to its transactions (Merkle root), to the account state after them (state root,
as in Ethereum; a contract engine will fold its own storage root into it later) and to whoever
produced it (the seal). The block hash covers all of it:
    content_hash = H(canonical header fields)            what producers commit to
    PoW:  block_hash = H(content_hash || target || nonce)  72 bytes; mined by varying nonce
    PoA:  block_hash = H(content_hash || signer || signature over content_hash)
    BFT:  block_hash = H(content_hash || round || proposer || proposer's signature over content_hash)
A BFT block's commit certificate (2f+1 precommits of the block hash) is not in the hash: the votes
sign the hash, and different nodes may gather different 2f+1 of them. It travels with the block
(`Block.commit`, the `commit` field of its JSON) and is judged by consensus/bft/certificate.py.
Like Ethereum's "seal hash", the miner hashes a short fixed-size preimage, so mining runs at the
speed of the hash function, not of the JSON encoder.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from minichain.crypto import Suite, decode_address
from minichain.encoding import (
    require_hex,
    require_int,
    require_list,
    require_object,
    require_str,
    tagged,
)
from minichain.errors import MalformedData
from minichain.fastpath import block_json_bytes
from minichain.merkle import merkle_root
from minichain.transactions import Transaction

BLOCK_VERSION = 1
MAX_TARGET = 2**256 - 1
MAX_COMMIT_SIGNATURES = 64  # precommits a certificate may list on the wire (validators are 4 to 7)
POA_SEAL_TAG = b"minichain/poa-seal\x00"
BFT_SEAL_TAG = b"minichain/bft-seal\x00"


@dataclass(frozen=True)
class PowSeal:
    """Proof of work: the block hash, read as a 256-bit number, is at most `target`."""

    target: int  # 256-bit threshold; smaller is harder
    nonce: int  # 64-bit counter the miner varies

    def to_json(self) -> dict[str, Any]:
        return {"kind": "pow", "target": self.target.to_bytes(32, "big").hex(), "nonce": self.nonce}


@dataclass(frozen=True)
class AuthoritySeal:
    """Proof of authority: an authority's signature over the header's content hash."""

    signer: bytes  # the authority's public key; empty only in the genesis block
    signature: bytes  # over POA_SEAL_TAG + content_hash; empty only in the genesis block

    def to_json(self) -> dict[str, Any]:
        return {"kind": "poa", "signer": self.signer.hex(), "signature": self.signature.hex()}


@dataclass(frozen=True)
class BftSeal:
    """BFT: the validator that proposed the block signs its content hash, in the round it proposed it;
    the block is final once 2f+1 validators precommit its hash (a certificate kept beside the block)."""

    round: int  # the round the block was first proposed in; the proposer is (height + round) mod n
    proposer: bytes  # the proposer's public key; empty only in the genesis block
    signature: bytes  # over BFT_SEAL_TAG + content_hash; empty only in the genesis block

    def to_json(self) -> dict[str, Any]:
        return {"kind": "bft", "round": self.round, "proposer": self.proposer.hex(),
                "signature": self.signature.hex()}

    def seal_bytes(self) -> bytes:
        return self.round.to_bytes(8, "big") + self.proposer + self.signature


Seal = PowSeal | AuthoritySeal | BftSeal


@dataclass(frozen=True)
class Header:
    """The part of a block that is hashed, chained and sealed."""

    version: int  # format version, 1
    parent_hash: bytes  # 32 bytes; hash of the parent header (genesis: hash of the genesis config)
    height: int  # genesis is 0
    timestamp: int  # seconds since the Unix epoch, chosen by the producer
    merkle_root: bytes  # 32 bytes; commits to every transaction in the block
    state_root: bytes  # 32 bytes; commits to every account after this block
    beneficiary: str  # address credited with the fees (and the PoW reward)
    seal: Seal  # PowSeal(target, nonce), AuthoritySeal(signer, signature) or BftSeal(round, ...)
    # Contract commitments (minichain.contract_block): 32 bytes each, or empty in every block
    # before a chain's first contract transaction, so those headers keep their bytes and hashes.
    contract_root: bytes = b""  # the EVM state root after this block
    receipts_root: bytes = b""  # Merkle root of this block's contract receipts, in block order

    def content_fields(self) -> dict[str, Any]:
        fields = {
            "version": self.version,
            "parent_hash": self.parent_hash.hex(),
            "height": self.height,
            "timestamp": self.timestamp,
            "merkle_root": self.merkle_root.hex(),
            "state_root": self.state_root.hex(),
            "beneficiary": self.beneficiary,
        }
        if self.contract_root or self.receipts_root:  # optional: see the fields' comment
            fields["contract_root"] = self.contract_root.hex()
            fields["receipts_root"] = self.receipts_root.hex()
        return fields

    def content_bytes(self) -> bytes:
        return tagged("header", self.content_fields())

    def content_hash(self, suite: Suite) -> bytes:
        return suite.hash(self.content_bytes())

    def seal_bytes(self) -> bytes:
        if isinstance(self.seal, PowSeal):
            return pow_preimage_suffix(self.seal.target, self.seal.nonce)
        if isinstance(self.seal, BftSeal):
            return self.seal.seal_bytes()
        return self.seal.signer + self.seal.signature

    def hash(self, suite: Suite) -> bytes:
        """The block hash (see the module docstring)."""
        return suite.hash(self.content_hash(suite) + self.seal_bytes())

    def to_json(self) -> dict[str, Any]:
        return {**self.content_fields(), "seal": self.seal.to_json()}

    @classmethod
    def from_json(cls, value: Any) -> Header:
        what = "header"
        fields = {"version", "parent_hash", "height", "timestamp", "merkle_root", "state_root",
                  "beneficiary", "seal"}
        optional = {"contract_root", "receipts_root"}
        obj = require_object(value, what, fields, optional)
        if len(optional & obj.keys()) == 1:
            raise MalformedData("header: contract_root and receipts_root come together or not at all")
        beneficiary = require_str(obj, "beneficiary", what, 64)
        decode_address(beneficiary)
        contracts = {key: require_hex(obj, key, what, 32) for key in sorted(optional & obj.keys())}
        return cls(
            version=require_int(obj, "version", what, 0, 2**32 - 1),
            parent_hash=require_hex(obj, "parent_hash", what, 32),
            height=require_int(obj, "height", what),
            timestamp=require_int(obj, "timestamp", what),
            merkle_root=require_hex(obj, "merkle_root", what, 32),
            state_root=require_hex(obj, "state_root", what, 32),
            beneficiary=beneficiary,
            seal=_seal_from_json(obj["seal"]),
            **contracts,
        )

    def with_seal(self, seal: Seal) -> Header:
        return dataclasses.replace(self, seal=seal)


def pow_preimage_suffix(target: int, nonce: int) -> bytes:
    return target.to_bytes(32, "big") + nonce.to_bytes(8, "big")


def poa_signing_bytes(content_hash: bytes) -> bytes:
    return POA_SEAL_TAG + content_hash


def bft_signing_bytes(content_hash: bytes) -> bytes:
    return BFT_SEAL_TAG + content_hash


def _seal_from_json(value: Any) -> Seal:
    if not isinstance(value, dict) or value.get("kind") not in ("pow", "poa", "bft"):
        raise MalformedData("header.seal: expected an object with kind 'pow', 'poa' or 'bft'")
    if value["kind"] == "bft":
        obj = require_object(value, "header.seal", {"kind", "round", "proposer", "signature"})
        return BftSeal(require_int(obj, "round", "header.seal", 0, 2**32 - 1),
                       require_hex(obj, "proposer", "header.seal"),
                       require_hex(obj, "signature", "header.seal"))
    if value["kind"] == "pow":
        obj = require_object(value, "header.seal", {"kind", "target", "nonce"})
        target = int.from_bytes(require_hex(obj, "target", "header.seal", 32), "big")
        return PowSeal(target, require_int(obj, "nonce", "header.seal", 0, 2**64 - 1))
    obj = require_object(value, "header.seal", {"kind", "signer", "signature"})
    return AuthoritySeal(
        require_hex(obj, "signer", "header.seal"), require_hex(obj, "signature", "header.seal")
    )


@dataclass(frozen=True)
class CommitCertificate:
    """2f + 1 precommits of one block hash in one round, as (public key, signature) pairs: the
    proof that a BFT block is final (Algorithm 1 line 49; FISCO BCOS's CommitReq signature list)."""

    height: int
    round: int  # the round whose precommits these are (may differ from the seal's round)
    block_hash: bytes  # 32 bytes
    signatures: tuple[tuple[bytes, bytes], ...]  # (validator public key, precommit signature)

    def to_json(self, suite: Suite) -> dict[str, Any]:
        """The `commit` field of a block: round and each validator's address + signature."""
        return {"height": self.height, "round": self.round, "block_hash": self.block_hash.hex(),
                "signatures": [{"validator": suite.address(key), "key": key.hex(), "signature": sig.hex()}
                               for key, sig in self.signatures]}

    @classmethod
    def from_json(cls, value: Any) -> CommitCertificate:
        what = "commit"
        obj = require_object(value, what, {"height", "round", "block_hash", "signatures"})
        pairs = []
        for item in require_list(obj, "signatures", what, MAX_COMMIT_SIGNATURES):
            entry = require_object(item, "commit.signatures[]", {"validator", "key", "signature"})
            pairs.append((require_hex(entry, "key", "commit.signatures[]"),
                          require_hex(entry, "signature", "commit.signatures[]")))
        return cls(require_int(obj, "height", what), require_int(obj, "round", what, 0, 2**32 - 1),
                   require_hex(obj, "block_hash", what, 32), tuple(pairs))


@dataclass(frozen=True)
class Block:
    """A header, the transactions its Merkle root commits to and, on a BFT chain, the commit
    certificate that makes it final (outside the hash: see the module docstring)."""

    header: Header
    transactions: tuple[Transaction, ...]
    commit: CommitCertificate | None = None  # 2f+1 precommits of this block's hash; None off BFT

    def hash(self, suite: Suite) -> bytes:
        return self.header.hash(suite)

    @property
    def height(self) -> int:
        return self.header.height

    def to_json(self, suite: Suite) -> dict[str, Any]:
        value: dict[str, Any] = {
            "hash": self.hash(suite).hex(),
            "header": self.header.to_json(),
            "transactions": [tx.to_json() for tx in self.transactions],
        }
        if self.commit is not None:  # optional: blocks without one keep their bytes
            value["commit"] = self.commit.to_json(suite)
        return value

    @classmethod
    def from_json(
        cls, value: Any, suite: Suite, max_transactions: int = 100_000, check_derived: bool = True
    ) -> Block:
        obj = require_object(value, "block", {"header", "transactions"}, optional={"hash", "commit"})
        header = Header.from_json(obj["header"])
        txs = require_list(obj, "transactions", "block", max_transactions)
        commit = CommitCertificate.from_json(obj["commit"]) if "commit" in obj else None
        block = cls(header, tuple(Transaction.from_json(tx, check_derived) for tx in txs), commit)
        if check_derived and "hash" in obj and obj["hash"] != block.hash(suite).hex():
            raise MalformedData(
                f"block.hash: says {str(obj['hash'])[:16]}, header hashes to "
                f"{block.hash(suite).hex()[:16]}"
            )
        return block

    def json_bytes(self, suite: Suite, with_commit: bool = True) -> bytes:
        """The block on the wire: canonical_json(self.to_json(suite)); `with_commit=False` leaves
        the certificate out (the store keeps it in a table of its own)."""
        # fast path, proven equal in tests/minichain/test_fastpath.py
        return block_json_bytes(self, suite, with_commit)

    def with_commit(self, commit: CommitCertificate | None) -> Block:
        """The same block (same hash) carrying `commit`."""
        return dataclasses.replace(self, commit=commit)

    def encoded(self, suite: Suite) -> bytes:
        """Canonical bytes of the whole block (for storage and size limits)."""
        return tagged("block", self.to_json(suite))


def transactions_root(transactions: tuple[Transaction, ...] | list[Transaction], suite: Suite) -> bytes:
    """The Merkle root over the transactions' ids, in block order."""
    return merkle_root([tx.txid for tx in transactions], suite.hash)


__all__ = [
    "BLOCK_VERSION",
    "MAX_TARGET",
    "AuthoritySeal",
    "BftSeal",
    "Block",
    "CommitCertificate",
    "Header",
    "PowSeal",
    "Seal",
    "bft_signing_bytes",
    "poa_signing_bytes",
    "pow_preimage_suffix",
    "transactions_root",
]
