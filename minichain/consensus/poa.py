"""Proof of authority: a fixed set of known authorities take turns sealing blocks.

Theory of operation. Time is cut into slots of `block_time` seconds (slot = timestamp //
block_time); slot s belongs to authority number s mod N in the genesis list (round robin, as in
Parity's Aura and FISCO BCOS's rotating leader). A block is valid only if it is signed by the
owner of its slot and its slot comes after its parent's. If an authority is offline its slots stay
empty and the chain waits for the next owner.
Fork choice: every block weighs 1, so the longest valid branch wins; on a tie a node keeps the tip
it saw first. After a network partition each side has sealed only in its own members' slots;
when they reconnect, the side that seals the next block makes its branch longer and the other side
reorgs to it, so both converge.
"""

from __future__ import annotations

from minichain.blocks import AuthoritySeal, Header, Seal, poa_signing_bytes
from minichain.consensus.base import AncestorLookup, ConsensusEngine, Producer, SealAttempt
from minichain.errors import (
    InvalidKey,
    InvalidSealSignature,
    UnknownAuthority,
    WrongBeneficiary,
    WrongSealKind,
    WrongTurn,
)
from minichain.genesis import Genesis, PoaParams


class PoaEngine(ConsensusEngine):
    kind = "poa"
    signs_blocks = True

    def __init__(self, genesis: Genesis) -> None:
        super().__init__(genesis)
        assert isinstance(genesis.consensus, PoaParams)  # make_engine guarantees it
        self.params: PoaParams = genesis.consensus
        self._authority_keys: dict[bytes, str] = {}  # public key -> address, authorities only

    @property
    def authorities(self) -> tuple[str, ...]:
        return self.params.authorities

    @property
    def block_interval(self) -> int:
        return self.params.block_time

    def slot(self, timestamp: int) -> int:
        return timestamp // self.params.block_time

    def slot_start(self, slot: int) -> int:
        return slot * self.params.block_time

    def authority_for_slot(self, slot: int) -> str:
        return self.authorities[slot % len(self.authorities)]

    def next_slot_for(self, address: str, after_slot: int) -> int | None:
        """The first slot after `after_slot` that belongs to `address` (None: not an authority)."""
        if address not in self.authorities:
            return None
        for slot in range(after_slot + 1, after_slot + 1 + len(self.authorities)):
            if self.authority_for_slot(slot) == address:
                return slot
        return None  # unreachable: every authority owns one slot in any N consecutive ones

    def genesis_seal(self) -> Seal:
        return AuthoritySeal(b"", b"")

    def template_seal(self, parent: Header, ancestry: AncestorLookup) -> Seal:
        return AuthoritySeal(b"", b"")

    def check_seal(self, header: Header, parent: Header, ancestry: AncestorLookup) -> None:
        """The seal is an authority's, in its own slot after the parent's, paying fees to the
        sealer, and its signature verifies.

        Raises:
            WrongSealKind (block-seal-kind), UnknownAuthority (poa-signer), WrongTurn (poa-turn),
            WrongBeneficiary (block-beneficiary), InvalidSealSignature (poa-signature).
        """
        self._check(header, self.slot(parent.timestamp))

    def check_seal_alone(self, header: Header) -> None:
        """check_seal without the parent: all but the slot order, so forging costs a signature.

        Raises:
            WrongSealKind (block-seal-kind), UnknownAuthority (poa-signer), WrongTurn (poa-turn),
            WrongBeneficiary (block-beneficiary), InvalidSealSignature (poa-signature).
        """
        self._check(header, None)

    def _check(self, header: Header, parent_slot: int | None) -> None:
        seal = header.seal
        if not isinstance(seal, AuthoritySeal):
            raise WrongSealKind(f"block {header.height}: a poa chain needs an authority seal",
                                check="authority", height=header.height)
        signer = self._signer_address(seal.signer) if seal.signer else "(none)"
        if signer not in self.authorities:
            raise UnknownAuthority(
                f"block {header.height}: sealed by {signer}, which is not one of the "
                f"{len(self.authorities)} authorities in the genesis",
                height=header.height, signer=signer, authorities=len(self.authorities),
            )
        slot = self.slot(header.timestamp)
        if parent_slot is not None and slot <= parent_slot:
            raise WrongTurn(
                f"block {header.height}: slot {slot} is not after its parent's slot {parent_slot}",
                check="slot-order", height=header.height, slot=slot, parent_slot=parent_slot, signer=signer,
            )
        owner = self.authority_for_slot(slot)
        if owner != signer:
            raise WrongTurn(
                f"block {header.height}: slot {slot} belongs to {owner}, but {signer} sealed it",
                check="owner", height=header.height, slot=slot, owner=owner, signer=signer,
            )
        if header.beneficiary != signer:
            raise WrongBeneficiary(
                f"block {header.height}: fees must go to the sealer {signer}, "
                f"header names {header.beneficiary}",
                check="sealer", height=header.height, address=header.beneficiary, signer=signer,
            )
        message = poa_signing_bytes(header.content_hash(self.suite))
        if not self.suite.verify(seal.signer, message, seal.signature):
            raise InvalidSealSignature(
                f"block {header.height}: the seal signature does not verify for {signer}",
                height=header.height, signer=signer,
            )

    def _signer_address(self, public_key: bytes) -> str:
        """The address of a seal's key, remembered for the authorities' keys only (a handful, each
        sealing many blocks); any other key is refused anyway."""
        address = self._authority_keys.get(public_key)
        if address is None:
            address = self.suite.address(public_key)
            if address in self.authorities:
                self._authority_keys[public_key] = address
        return address

    def weight(self, header: Header) -> int:
        return 1

    def next_turn(self, producer: Producer, parent: Header, now: int) -> int | None:
        """The start of the producer's first own slot after its parent's that has not ended by
        `now`; None for a producer without a key or not in the genesis list."""
        if producer.private_key is None:
            return None
        slot = self.next_slot_for(producer.address, max(self.slot(parent.timestamp), self.slot(now) - 1))
        return None if slot is None else self.slot_start(slot)

    def produce(self, template: Header, producer: Producer, attempts: int = 1,
                start: int = 0) -> SealAttempt:
        """Sign the template: one signature, whatever `attempts` allows."""
        if producer.private_key is None:
            raise InvalidKey(f"poa: {producer.address} seals with its private key, and none was given")
        return SealAttempt(self.seal(template, producer.private_key), 1)

    def seal(self, header: Header, private_key: bytes) -> Header:
        """The header signed by `private_key` (whose address must be the beneficiary)."""
        signer = self.suite.public_key(private_key)
        message = poa_signing_bytes(header.content_hash(self.suite))
        return header.with_seal(AuthoritySeal(signer, self.suite.sign(private_key, message)))
