"""The rules of BFT consensus messages and commit certificates (minichain.consensus.bft).

A validator checks every proposal and vote it hears: signed by a key of the genesis validator set,
the signature over the message's canonical bytes, a proposal from the round's proposer. A commit
certificate (2f+1 precommit signatures) proves a block final; a syncing node checks it instead of
trusting the peer that sent it. Each failure names its rule, as every minichain error does.
"""

from __future__ import annotations

from minichain.errors.ledger import InvalidBlock, MinichainError, ValidationError


class InvalidConsensusMessage(ValidationError):
    """Thrown when a proposal or vote breaks a rule of BFT consensus (raised as a narrower rule)."""

    rule = "bft-message"
    height: int | None
    round: int | None
    signer: str | None  # the address of the key that signed the message


class UnknownValidator(InvalidConsensusMessage):
    """Thrown when a proposal or vote is signed by a key outside the genesis validator set."""

    rule = "bft-validator"
    validators: int | None  # how many validators the genesis lists


class InvalidVoteSignature(InvalidConsensusMessage):
    """Thrown when a proposal's or vote's signature does not verify over its canonical bytes."""

    rule = "bft-signature"


class WrongProposer(InvalidConsensusMessage):
    """Thrown when a proposal comes from a validator whose turn (height + round) mod n it is not."""

    rule = "bft-proposer"
    expected: str | None  # the proposer of this height and round


class DoubleSignRefused(MinichainError):
    """Thrown when a validator is asked to sign a second value for a height, round and step it signed."""

    rule = "bft-double-sign"
    height: int | None
    round: int | None
    step: str | None  # "proposal", "prevote" or "precommit"
    signed: str | None  # the value already signed (hex) or "nil"
    asked: str | None  # the value it was asked to sign (hex) or "nil"


class InvalidCertificate(InvalidBlock):
    """Thrown when a commit certificate does not prove its block final (raised as a narrower rule)."""

    rule = "bft-cert"


class CertificateMissing(InvalidCertificate):
    """Thrown when a block reaches a BFT chain without the commit certificate that makes it final."""

    rule = "bft-cert-missing"


class CertificateMismatch(InvalidCertificate):
    """Thrown when a certificate's precommits are for another height or another block."""

    rule = "bft-cert-block"
    checks = ("height", "hash")
    cert_height: int | None
    cert_hash: bytes | None


class CertificateQuorum(InvalidCertificate):
    """Thrown when a certificate holds fewer distinct validators' precommits than a quorum."""

    rule = "bft-cert-quorum"
    found: int | None  # distinct validators whose precommits it holds
    needed: int | None  # the quorum: more than two thirds of the validators
    validators: int | None


class CertificateUnknownValidator(InvalidCertificate):
    """Thrown when a certificate holds a precommit signed by a key that is not a validator's."""

    rule = "bft-cert-unknown-validator"
    signer: str | None


class CertificateDuplicate(InvalidCertificate):
    """Thrown when a certificate lists one validator twice (to look like a quorum)."""

    rule = "bft-cert-duplicate"
    signer: str | None


class CertificateSignature(InvalidCertificate):
    """Thrown when a precommit signature in a certificate does not verify."""

    rule = "bft-cert-signature"
    signer: str | None
