"""The BFT chain's ConsensusEngine: how a BFT block is sealed and checked, and why it is final.

The seal is the proposer's signature over the header's content hash, with the round it proposed
in (blocks.BftSeal); the block is valid only if that proposer is the one of (height + round) mod n.
A sealed block is not yet a decided one: it becomes final when 2f + 1 validators precommit its hash
(certificate.py), and a final block is never reorganised. Fork choice is therefore "the certified
block": every block weighs 1, a node connects a BFT block only with a verified certificate
(`check_commit`), and `is_final` says a connected BFT block can never be replaced.
"""

from __future__ import annotations

import math

from minichain.blocks import BftSeal, Header, Seal, bft_signing_bytes
from minichain.consensus.base import AncestorLookup, ConsensusEngine, Producer, SealAttempt
from minichain.consensus.bft.certificate import CommitCertificate, verify_certificate
from minichain.consensus.bft.effects import TimeoutConfig
from minichain.consensus.bft.messages import SigningDomain
from minichain.consensus.bft.quorum import ValidatorSet
from minichain.encoding import short
from minichain.errors import (
    CertificateMissing,
    InvalidKey,
    InvalidSealSignature,
    UnknownAuthority,
    WrongBeneficiary,
    WrongSealKind,
    WrongTurn,
)
from minichain.genesis import BftParams, Genesis


class BftEngine(ConsensusEngine):
    kind = "bft"
    signs_blocks = True
    decides_by_votes = True

    def __init__(self, genesis: Genesis) -> None:
        super().__init__(genesis)
        assert isinstance(genesis.consensus, BftParams)  # make_engine guarantees it
        self.params: BftParams = genesis.consensus
        self.validators = ValidatorSet(self.params.validators)
        self.domain = SigningDomain.of(genesis, self.suite)
        self.timeouts = TimeoutConfig.of(self.params)

    @property
    def block_interval(self) -> int:
        """Whole seconds (the interface's unit): block_time_ms rounded up, at least 1."""
        return max(1, math.ceil(self.params.block_time_ms / 1000))

    def genesis_seal(self) -> Seal:
        return BftSeal(0, b"", b"")

    def template_seal(self, parent: Header, ancestry: AncestorLookup) -> Seal:
        return BftSeal(0, b"", b"")

    def check_seal(self, header: Header, parent: Header, ancestry: AncestorLookup) -> None:
        """The seal is the proposer's of (height + round), paying fees to it, and its signature verifies.

        Raises:
            WrongSealKind (block-seal-kind), UnknownAuthority (poa-signer), WrongTurn (poa-turn),
            WrongBeneficiary (block-beneficiary), InvalidSealSignature (poa-signature).
        """
        self.check_seal_alone(header)

    def check_seal_alone(self, header: Header) -> None:
        """All of check_seal: a BFT seal needs no parent (the round is in the seal, not the clock).

        Raises:
            WrongSealKind (block-seal-kind), UnknownAuthority (poa-signer), WrongTurn (poa-turn),
            WrongBeneficiary (block-beneficiary), InvalidSealSignature (poa-signature).
        """
        seal, h = header.seal, header.height
        if not isinstance(seal, BftSeal):
            raise WrongSealKind(f"block {h}: a bft chain needs a proposer's seal", check="bft", height=h)
        signer = self.suite.address(seal.proposer) if seal.proposer else "(none)"
        if signer not in self.validators:
            raise UnknownAuthority(f"block {h}: proposed by {signer}, which is not one of the "
                                   f"{self.validators.n} validators in the genesis",
                                   height=h, signer=signer, authorities=self.validators.n)
        owner = self.validators.proposer(h, seal.round)
        if owner != signer:
            raise WrongTurn(f"block {h}: round {seal.round} is {owner}'s to propose, but {signer} sealed it",
                            check="round", height=h, slot=seal.round, owner=owner, signer=signer)
        if header.beneficiary != signer:
            raise WrongBeneficiary(f"block {h}: fees must go to the proposer {signer}, header names "
                                   f"{header.beneficiary}", check="sealer", height=h,
                                   address=header.beneficiary, signer=signer)
        if not self.suite.verify(seal.proposer, bft_signing_bytes(header.content_hash(self.suite)),
                                 seal.signature):
            raise InvalidSealSignature(f"block {h}: the proposer's signature does not verify for {signer}",
                                       height=h, signer=signer)

    def check_certificate(self, header: Header, certificate: CommitCertificate) -> None:
        """None if `certificate` proves `header`'s block final (see certificate.verify_certificate)."""
        verify_certificate(certificate, self.validators, self.domain, header.height, header.hash(self.suite))

    def check_commit(self, header: Header, commit: CommitCertificate | None) -> None:
        """A BFT chain connects a block only with a commit certificate that verifies: a node that
        syncs checks 2f + 1 signatures instead of trusting the peer that sent the block.

        Raises:
            CertificateMissing (bft-cert-missing), and what verify_certificate raises:
            CertificateMismatch (bft-cert-block), CertificateUnknownValidator
            (bft-cert-unknown-validator), CertificateDuplicate (bft-cert-duplicate),
            CertificateSignature (bft-cert-signature), CertificateQuorum (bft-cert-quorum).
        """
        if commit is None:
            block_hash = header.hash(self.suite)
            raise CertificateMissing(
                f"block {header.height} {short(block_hash)}: a BFT chain accepts a block only with its "
                "commit certificate", height=header.height, block_hash=block_hash)
        self.check_certificate(header, commit)

    def weight(self, header: Header) -> int:
        return 1

    def is_final(self, header: Header) -> bool:
        """A BFT block on the chain is final: it was connected with 2f + 1 precommits (check_commit), and two
        conflicting blocks cannot both gather them while at most f validators are faulty."""
        return True

    def next_turn(self, producer: Producer, parent: Header, now: int) -> int | None:
        """Round 0 of the next height is the producer's turn if it is that round's proposer; later
        rounds are reached by the state machine's timeouts, not by the clock."""
        if producer.private_key is None or self.validators.proposer(parent.height + 1, 0) != producer.address:
            return None
        return max(now, parent.timestamp + self.block_interval)

    def produce(self, template: Header, producer: Producer, attempts: int = 1, start: int = 0) -> SealAttempt:
        """Sign the template as its proposer, in the round its placeholder seal names."""
        if producer.private_key is None:
            raise InvalidKey(f"bft: {producer.address} seals with its private key, and none was given")
        seal = template.seal
        round = seal.round if isinstance(seal, BftSeal) else 0
        return SealAttempt(self.seal(template, producer.private_key, round), 1)

    def seal(self, header: Header, private_key: bytes, round: int = 0) -> Header:
        """The header proposed in `round` by the key's owner (who must be the beneficiary)."""
        proposer = self.suite.public_key(private_key)
        signature = self.suite.sign(private_key, bft_signing_bytes(header.content_hash(self.suite)))
        return header.with_seal(BftSeal(round, proposer, signature))
