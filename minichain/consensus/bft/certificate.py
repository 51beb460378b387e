"""Commit certificates: the proof that a block is final.

A block is decided when more than two thirds of the validators precommit its hash in one round
(Algorithm 1 line 49). Their precommit signatures, gathered, are the block's commit certificate (a
quorum certificate; FISCO BCOS keeps the CommitReq signatures as the block's "signature list").
Anyone who knows the genesis validator set can check it alone: a syncing node verifies the
certificate instead of trusting the peer that sent the block. The certificate is kept beside the
block, not inside its hash: the votes sign the hash, and two nodes may gather different 2f + 1.
The certificate as data (CommitCertificate, its JSON) lives beside the block it proves, in
minichain.blocks; the rule that judges it lives here.
"""

from __future__ import annotations

from minichain.blocks import CommitCertificate
from minichain.consensus.bft.messages import SigningDomain, VoteKind, vote_signing_bytes
from minichain.consensus.bft.quorum import ValidatorSet
from minichain.encoding import short
from minichain.errors import (
    CertificateDuplicate,
    CertificateMismatch,
    CertificateQuorum,
    CertificateSignature,
    CertificateUnknownValidator,
    MalformedData,
)

__all__ = ["CommitCertificate", "verify_certificate"]


def verify_certificate(certificate: CommitCertificate, validators: ValidatorSet, domain: SigningDomain,
                       height: int | None = None, block_hash: bytes | None = None) -> None:
    """None if `certificate` proves its block (and, when given, the block at `height` with
    `block_hash`) final: a quorum of distinct genesis validators precommitted it.

    Raises:
        CertificateMismatch (bft-cert-block), CertificateUnknownValidator (bft-cert-unknown-validator),
        CertificateDuplicate (bft-cert-duplicate), CertificateSignature (bft-cert-signature),
        CertificateQuorum (bft-cert-quorum).
    """
    h = certificate.height
    if height is not None and h != height:
        raise CertificateMismatch(f"block {height}: its commit certificate is for height {h}",
                                  check="height", height=height, cert_height=h)
    if block_hash is not None and certificate.block_hash != block_hash:
        raise CertificateMismatch(
            f"block {h} {short(block_hash)}: the certificate's precommits are for "
            f"{short(certificate.block_hash)}",
            check="hash", height=h, block_hash=block_hash, cert_hash=certificate.block_hash)
    if len(certificate.signatures) > 2 * validators.n:
        raise MalformedData(f"commit: {len(certificate.signatures)} signatures for {validators.n} validators")
    message = vote_signing_bytes(domain, VoteKind.PRECOMMIT, h, certificate.round, certificate.block_hash)
    seen: set[str] = set()
    for key, signature in certificate.signatures:
        signer = domain.suite.address(key)
        if signer not in validators:
            raise CertificateUnknownValidator(
                f"block {h}: the certificate holds a precommit by {signer}, not a genesis validator",
                height=h, signer=signer)
        if signer in seen:
            raise CertificateDuplicate(f"block {h}: the certificate lists {signer} twice",
                                       height=h, signer=signer)
        seen.add(signer)
        if not domain.suite.verify(key, message, signature):
            raise CertificateSignature(
                f"block {h}: the precommit signature of {signer} does not verify "
                f"(round {certificate.round}, block {short(certificate.block_hash)})",
                height=h, signer=signer)
    if len(seen) < validators.quorum:
        raise CertificateQuorum(
            f"block {h}: the certificate holds precommits of {len(seen)} validators, a quorum is "
            f"{validators.quorum} of {validators.n}", height=h, found=len(seen),
            needed=validators.quorum, validators=validators.n)
