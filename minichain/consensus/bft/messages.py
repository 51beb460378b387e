"""Proposals and votes: what BFT validators say to each other, and the exact bytes they sign.

A vote is a validator's signed statement "in height h, round r, at step prevote (or precommit), I
vote for the block with this hash" (or for nil: no block). The signed bytes name the chain id and
the genesis hash, so a vote can never be replayed on another chain, and a domain tag, so a vote can
never be mistaken for a transaction or a proposal (minichain.encoding.tagged). Messages in
Tendermint (arXiv:1807.04938, Algorithm 1): ⟨PROPOSAL, h, r, v, vr⟩, ⟨PREVOTE, h, r, id(v)⟩,
⟨PRECOMMIT, h, r, id(v)⟩; here v is a block hash, the block itself travels beside the proposal.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import Enum, IntEnum
from typing import Any

from minichain.crypto import Suite
from minichain.encoding import require_hex, require_int, require_object, tagged
from minichain.errors import MalformedData
from minichain.genesis import Genesis

MAX_ROUND = 2**32 - 1  # a round number on the wire; a faulty validator cannot overflow a counter


class Step(IntEnum):
    """Where a validator is inside one round (Algorithm 1 line 4; NEW_HEIGHT is the pause of
    block_time after a decision, Tendermint's NewHeight). Ordered: `step >= PREVOTE` means the
    validator has already prevoted in this round (line 36)."""

    NEW_HEIGHT = 0
    PROPOSE = 1
    PREVOTE = 2
    PRECOMMIT = 3


class VoteKind(Enum):
    """The two votes of a round. FISCO BCOS PBFT: prevote = Prepare (SignReq), precommit = Commit
    (CommitReq)."""

    PREVOTE = "prevote"
    PRECOMMIT = "precommit"


@dataclass(frozen=True)
class SigningDomain:
    """What every signed consensus message is bound to: this chain, this genesis, this suite."""

    chain_id: str
    genesis_hash: bytes  # 32 bytes: hash of the genesis parameters (the genesis block's parent hash)
    suite: Suite

    @classmethod
    def of(cls, genesis: Genesis, suite: Suite) -> SigningDomain:
        return cls(genesis.chain_id, suite.hash(genesis.config_bytes()), suite)

    def fields(self) -> dict[str, Any]:
        return {"chain_id": self.chain_id, "genesis": self.genesis_hash.hex()}


@dataclass(frozen=True)
class Proposal:
    """The round's proposer suggests a block (FISCO BCOS: Pre-prepare, PrepareReq)."""

    height: int
    round: int
    block_hash: bytes  # 32 bytes: the value v proposed
    valid_round: int  # vr: -1, or the round in which 2f+1 prevoted this block (a proof of lock change)
    proposer: bytes  # the proposer's public key
    signature: bytes = b""  # over signing_bytes()

    def signing_bytes(self, domain: SigningDomain) -> bytes:
        return tagged("bft-proposal", {**domain.fields(), "height": self.height, "round": self.round,
                                       "block_hash": self.block_hash.hex(), "valid_round": self.valid_round})

    def signed(self, domain: SigningDomain, private_key: bytes) -> Proposal:
        return dataclasses.replace(self, signature=domain.suite.sign(private_key, self.signing_bytes(domain)))

    def verifies(self, domain: SigningDomain) -> bool:
        return domain.suite.verify(self.proposer, self.signing_bytes(domain), self.signature)

    def to_json(self) -> dict[str, Any]:
        return {"type": "proposal", "height": self.height, "round": self.round,
                "block_hash": self.block_hash.hex(), "valid_round": self.valid_round,
                "proposer": self.proposer.hex(), "signature": self.signature.hex()}


@dataclass(frozen=True)
class Vote:
    """A prevote or precommit for a block hash, or for nil (None: "no block this round")."""

    kind: VoteKind
    height: int
    round: int
    block_hash: bytes | None  # 32 bytes, or None for nil
    validator: bytes  # the voter's public key (its address: suite.address(validator))
    signature: bytes = b""  # over signing_bytes()

    def signing_bytes(self, domain: SigningDomain) -> bytes:
        return vote_signing_bytes(domain, self.kind, self.height, self.round, self.block_hash)

    def signed(self, domain: SigningDomain, private_key: bytes) -> Vote:
        return dataclasses.replace(self, signature=domain.suite.sign(private_key, self.signing_bytes(domain)))

    def verifies(self, domain: SigningDomain) -> bool:
        return domain.suite.verify(self.validator, self.signing_bytes(domain), self.signature)

    def to_json(self) -> dict[str, Any]:
        return {"type": self.kind.value, "height": self.height, "round": self.round,
                "block_hash": None if self.block_hash is None else self.block_hash.hex(),
                "validator": self.validator.hex(), "signature": self.signature.hex()}


Message = Proposal | Vote


def vote_signing_bytes(domain: SigningDomain, kind: VoteKind, height: int, round: int,
                       block_hash: bytes | None) -> bytes:
    """The one definition of what a vote signs (a certificate's precommits are checked with it)."""
    return tagged("bft-vote", {**domain.fields(), "kind": kind.value, "height": height, "round": round,
                               "block_hash": None if block_hash is None else block_hash.hex()})


def value_text(block_hash: bytes | None) -> str:
    """A vote's value for people: the hash in hex, or "nil"."""
    return "nil" if block_hash is None else block_hash.hex()


def message_from_json(value: Any) -> Message:
    """A proposal or vote from its JSON (signature not checked: the state machine does that)."""
    if not isinstance(value, dict) or value.get("type") not in ("proposal", "prevote", "precommit"):
        raise MalformedData("bft message: expected an object with type proposal, prevote or precommit")
    what = f"bft {value['type']}"
    if value["type"] == "proposal":
        obj = require_object(value, what, {"type", "height", "round", "block_hash", "valid_round",
                                           "proposer", "signature"})
        valid_round = require_int(obj, "valid_round", what, -1, MAX_ROUND)
        return Proposal(require_int(obj, "height", what), require_int(obj, "round", what, 0, MAX_ROUND),
                        require_hex(obj, "block_hash", what, 32), valid_round,
                        require_hex(obj, "proposer", what), require_hex(obj, "signature", what))
    obj = require_object(value, what, {"type", "height", "round", "block_hash", "validator", "signature"})
    block_hash = None if obj["block_hash"] is None else require_hex(obj, "block_hash", what, 32)
    return Vote(VoteKind(obj["type"]), require_int(obj, "height", what),
                require_int(obj, "round", what, 0, MAX_ROUND), block_hash,
                require_hex(obj, "validator", what), require_hex(obj, "signature", what))
