"""Proof of authority: slots, turns, sealing, and fork choice by length."""

from __future__ import annotations

import dataclasses

import pytest
from chainkit import blocks_after, feed, next_poa_block, reseal, snapshot

from minichain.blocks import AuthoritySeal, Block, PowSeal
from minichain.chain import Chain
from minichain.consensus.poa import PoaEngine
from minichain.errors import (
    InvalidSealSignature,
    UnknownAuthority,
    WrongBeneficiary,
    WrongSealKind,
    WrongTurn,
)
from minichain.genesis import Genesis
from minichain.testing import make_wallet, produce_block
from minichain.wallet import Wallet


def engine_of(chain: Chain) -> PoaEngine:
    assert isinstance(chain.engine, PoaEngine)
    return chain.engine


def signer_of(block: Block) -> bytes:
    assert isinstance(block.header.seal, AuthoritySeal)
    return block.header.seal.signer


def owner_and_slot(chain: Chain) -> tuple[int, int]:
    """The next slot after the tip and the index of the authority that owns it."""
    engine = engine_of(chain)
    slot = engine.slot(chain.tip.timestamp) + 1
    return engine.authorities.index(engine.authority_for_slot(slot)), slot


def test_slots_rotate_round_robin(poa_chain: Chain, authorities: list[Wallet]) -> None:
    engine = engine_of(poa_chain)
    assert engine.authorities == tuple(w.address for w in authorities)
    assert engine.slot(1001) == engine.slot(1000) == 500
    assert engine.slot(1002) == 501
    assert engine.slot_start(501) == 1002
    owners = [engine.authority_for_slot(s) for s in range(300, 306)]
    assert owners == [authorities[s % 3].address for s in range(300, 306)]
    assert owners[:3] == owners[3:] and len(set(owners)) == 3


def test_blocks_are_sealed_in_turn(poa_chain: Chain, authorities: list[Wallet]) -> None:
    engine = engine_of(poa_chain)
    for _ in range(6):
        produce_block(poa_chain)
    keys = {w.public_key: w.address for w in authorities}
    previous_slot = engine.slot(poa_chain.block_at(0).header.timestamp)
    for block in blocks_after(poa_chain, 0):
        slot = engine.slot(block.header.timestamp)
        assert slot == previous_slot + 1  # nobody missed a turn
        assert keys[signer_of(block)] == engine.authority_for_slot(slot) == block.header.beneficiary
        previous_slot = slot
    assert poa_chain.tip_weight == 6  # every block weighs 1


def test_next_slot_for(poa_chain: Chain, authorities: list[Wallet]) -> None:
    engine = engine_of(poa_chain)
    for after in range(900, 906):
        for wallet in authorities:
            slot = engine.next_slot_for(wallet.address, after)
            assert slot is not None and after < slot <= after + 3
            assert engine.authority_for_slot(slot) == wallet.address
            assert all(engine.authority_for_slot(s) != wallet.address for s in range(after + 1, slot))
    assert engine.next_slot_for(make_wallet("outsider").address, 900) is None


def test_authority_skipping_a_slot_lets_the_next_one_seal(
    poa_chain: Chain, authorities: list[Wallet]
) -> None:
    owner, slot = owner_and_slot(poa_chain)
    offline = authorities[owner]
    later = authorities[(owner + 1) % 3]
    engine = engine_of(poa_chain)
    later_slot = engine.next_slot_for(later.address, slot - 1)
    assert later_slot == slot + 1  # the offline authority's slot stays empty
    produce_block(poa_chain, producer=later)
    assert engine.slot(poa_chain.tip.timestamp) == slot + 1
    assert poa_chain.tip.beneficiary == later.address != offline.address
    # And the chain goes on with the next owner in turn.
    produce_block(poa_chain)
    assert engine.slot(poa_chain.tip.timestamp) == slot + 2


def test_invalid_poa_turn_out_of_turn_signer(poa_chain: Chain, authorities: list[Wallet]) -> None:
    owner, slot = owner_and_slot(poa_chain)
    intruder = authorities[(owner + 1) % 3]
    block = next_poa_block(poa_chain, intruder, slot=slot)
    before = snapshot(poa_chain)
    with pytest.raises(WrongTurn, match=f"slot {slot} belongs to {authorities[owner].address}, "
                       f"but {intruder.address} sealed it") as excinfo:
        poa_chain.add_block(block)
    assert excinfo.value.rule == "poa-turn"
    assert snapshot(poa_chain) == before
    # The rightful owner can still seal that slot.
    assert poa_chain.add_block(next_poa_block(poa_chain, authorities[owner], slot=slot)).status \
        == "extended"


def test_invalid_poa_turn_slot_not_after_parent(
    poa_chain: Chain, authorities: list[Wallet]
) -> None:
    produce_block(poa_chain)
    engine = engine_of(poa_chain)
    slot = engine.slot(poa_chain.tip.timestamp)
    owner = next(w for w in authorities if w.address == engine.authority_for_slot(slot))
    block = next_poa_block(poa_chain, owner, slot=slot)  # the parent's own slot, again
    before = snapshot(poa_chain)
    with pytest.raises(WrongTurn, match=f"slot {slot} is not after its parent's slot {slot}") as e:
        poa_chain.add_block(block)
    assert e.value.rule == "poa-turn"
    assert snapshot(poa_chain) == before


def test_invalid_poa_signer(poa_chain: Chain) -> None:
    outsider = make_wallet("outsider")
    _, slot = owner_and_slot(poa_chain)
    block = next_poa_block(poa_chain, outsider, slot=slot)
    before = snapshot(poa_chain)
    with pytest.raises(UnknownAuthority, match=f"sealed by {outsider.address}, which is not one "
                       "of the 3 authorities") as excinfo:
        poa_chain.add_block(block)
    assert excinfo.value.rule == "poa-signer"
    assert snapshot(poa_chain) == before


def test_invalid_poa_signer_unsigned_block(poa_chain: Chain, authorities: list[Wallet]) -> None:
    owner, slot = owner_and_slot(poa_chain)
    template, _ = poa_chain.build_block([], authorities[owner].address,
                                        engine_of(poa_chain).slot_start(slot))
    before = snapshot(poa_chain)
    with pytest.raises(UnknownAuthority, match=r"sealed by \(none\)") as excinfo:
        poa_chain.add_block(template)
    assert excinfo.value.rule == "poa-signer"
    assert snapshot(poa_chain) == before


def test_invalid_poa_signature(poa_chain: Chain, authorities: list[Wallet]) -> None:
    owner, _ = owner_and_slot(poa_chain)
    block = next_poa_block(poa_chain, authorities[owner])
    seal = block.header.seal
    assert isinstance(seal, AuthoritySeal)
    flipped = bytes([seal.signature[0] ^ 1]) + seal.signature[1:]
    forged = Block(block.header.with_seal(AuthoritySeal(seal.signer, flipped)), ())
    before = snapshot(poa_chain)
    with pytest.raises(InvalidSealSignature, match="the seal signature does not verify for") as e:
        poa_chain.add_block(forged)
    assert e.value.rule == "poa-signature"
    assert snapshot(poa_chain) == before


def test_invalid_poa_signature_seal_copied_onto_another_header(
    poa_chain: Chain, authorities: list[Wallet]
) -> None:
    owner, _ = owner_and_slot(poa_chain)
    block = next_poa_block(poa_chain, authorities[owner])
    # Same signer, same slot, valid signature -- but over a different state root.
    forged = Block(dataclasses.replace(block.header, state_root=bytes(32)), ())
    before = snapshot(poa_chain)
    with pytest.raises(InvalidSealSignature, match="does not verify") as excinfo:
        poa_chain.add_block(forged)
    assert excinfo.value.rule == "poa-signature"
    assert snapshot(poa_chain) == before


def test_invalid_block_beneficiary(poa_chain: Chain, authorities: list[Wallet]) -> None:
    owner, slot = owner_and_slot(poa_chain)
    thief = authorities[(owner + 1) % 3].address  # even another authority may not take the fees
    block = next_poa_block(poa_chain, authorities[owner], slot=slot, beneficiary=thief)
    before = snapshot(poa_chain)
    with pytest.raises(WrongBeneficiary, match=f"fees must go to the sealer "
                       f"{authorities[owner].address}, header names {thief}") as excinfo:
        poa_chain.add_block(block)
    assert excinfo.value.rule == "block-beneficiary"
    assert snapshot(poa_chain) == before


def test_invalid_block_seal_kind(poa_chain: Chain, authorities: list[Wallet]) -> None:
    owner, _ = owner_and_slot(poa_chain)
    block = next_poa_block(poa_chain, authorities[owner])
    forged = Block(block.header.with_seal(PowSeal(2**255, 0)), ())
    before = snapshot(poa_chain)
    with pytest.raises(WrongSealKind, match="a poa chain needs an authority seal") as excinfo:
        poa_chain.add_block(forged)
    assert excinfo.value.rule == "block-seal-kind"
    assert snapshot(poa_chain) == before


def test_fees_go_to_the_sealer_and_no_coins_are_minted(
    poa_chain: Chain, poa_genesis: Genesis, alice: Wallet, bob: Wallet
) -> None:
    owner, _ = owner_and_slot(poa_chain)
    sealer = engine_of(poa_chain).authorities[owner]
    produce_block(poa_chain, [alice.transfer(poa_genesis.chain_id, bob.address, 10, 0, fee=3)])
    assert poa_chain.state.balance(sealer) == 3
    assert poa_chain.state.total_supply() == poa_genesis.total_allocated


def test_partitioned_authorities_converge_on_the_longer_branch(
    poa_genesis: Genesis, authorities: list[Wallet]
) -> None:
    # Two authorities on one side of a partition, one on the other, for the same 6 slots.
    majority, minority = Chain(poa_genesis), Chain(poa_genesis)
    engine = engine_of(majority)
    first_slot = engine.slot(poa_genesis.timestamp) + 1
    for slot in range(first_slot, first_slot + 6):
        owner = next(w for w in authorities if w.address == engine.authority_for_slot(slot))
        side = minority if owner is authorities[2] else majority
        side.add_block(next_poa_block(side, owner, slot=slot))
    assert (majority.height, minority.height) == (4, 2)
    assert {u.status for u in feed(majority, blocks_after(minority, 0))} == {"side"}
    minority_blocks = blocks_after(minority, 0)
    updates = feed(minority, blocks_after(majority, 0))
    # Ties keep the tip seen first; the third block makes the majority's branch longer.
    assert [u.status for u in updates] == ["side", "side", "reorg", "extended"]
    assert minority.tip_hash == majority.tip_hash
    assert updates[2].disconnected == tuple(reversed(minority_blocks))
    assert updates[2].connected == tuple(blocks_after(majority, 0)[:3])


def test_resealing_after_a_change_gives_a_valid_block(
    poa_chain: Chain, authorities: list[Wallet]
) -> None:
    owner, _ = owner_and_slot(poa_chain)
    block = next_poa_block(poa_chain, authorities[owner])
    later = reseal(poa_chain, block, authorities[owner], timestamp=block.header.timestamp + 1)
    assert poa_chain.add_block(later).status == "extended"  # same slot (2 s), new signature
