"""Commit certificates verified against the genesis validators (each broken rule named), quorum
sizes, the BFT genesis and its CLI, and the BFT seal: a round's proposer signs, anyone checks."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from minichain.blocks import BftSeal, Block, Header
from minichain.chain import Chain
from minichain.cli import main
from minichain.consensus import make_engine
from minichain.consensus.base import Producer
from minichain.consensus.bft import CommitCertificate, ValidatorSet, message_from_json, verify_certificate
from minichain.consensus.bft.engine import BftEngine
from minichain.consensus.bft.simulation import Simulation
from minichain.errors import (
    CertificateDuplicate,
    CertificateMismatch,
    CertificateQuorum,
    CertificateSignature,
    CertificateUnknownValidator,
    InvalidGenesis,
    WrongTurn,
)
from minichain.genesis import BftParams, Genesis
from minichain.testing import certify, make_genesis, make_wallet


@pytest.fixture(scope="module")
def decided() -> tuple[Simulation, CommitCertificate]:
    sim = Simulation(seed=11).start()
    sim.run(heights=1)
    return sim, sim.decisions[0][1].certificate


def check(sim: Simulation, certificate: CommitCertificate) -> None:
    decided = sim.decisions[0][1]
    verify_certificate(certificate, sim.engine.validators, sim.engine.domain, 1, decided.block_hash)


def test_a_decided_certificate_verifies_and_round_trips_through_json(decided) -> None:  # type: ignore[no-untyped-def]
    sim, certificate = decided
    check(sim, certificate)
    assert len(certificate.signatures) >= 3
    again = CommitCertificate.from_json(json.loads(json.dumps(certificate.to_json(sim.suite))))
    assert again == certificate
    assert certificate.to_json(sim.suite)["signatures"][0]["validator"] in sim.engine.validators.addresses


def test_invalid_bft_cert_signature(decided) -> None:  # type: ignore[no-untyped-def]
    sim, certificate = decided
    key, _ = certificate.signatures[0]
    forged = dataclasses.replace(certificate, signatures=((key, bytes(64)), *certificate.signatures[1:]))
    with pytest.raises(CertificateSignature, match="does not verify"):
        check(sim, forged)


def test_invalid_bft_cert_quorum(decided) -> None:  # type: ignore[no-untyped-def]
    sim, certificate = decided
    with pytest.raises(CertificateQuorum, match="precommits of 2 validators, a quorum is 3 of 4"):
        check(sim, dataclasses.replace(certificate, signatures=certificate.signatures[:2]))


def test_invalid_bft_cert_duplicate(decided) -> None:  # type: ignore[no-untyped-def]
    sim, certificate = decided
    twice = certificate.signatures[:2] + certificate.signatures[:1]
    with pytest.raises(CertificateDuplicate, match="twice"):
        check(sim, dataclasses.replace(certificate, signatures=twice))


def test_invalid_bft_cert_unknown_validator(decided) -> None:  # type: ignore[no-untyped-def]
    sim, certificate = decided
    stranger = sim.suite.private_key_from_seed(b"stranger")
    extra = (sim.suite.public_key(stranger), bytes(64))
    with pytest.raises(CertificateUnknownValidator, match="not a genesis validator"):
        check(sim, dataclasses.replace(certificate, signatures=(extra, *certificate.signatures)))


def test_invalid_bft_cert_block(decided) -> None:  # type: ignore[no-untyped-def]
    sim, certificate = decided
    with pytest.raises(CertificateMismatch, match="for height 1"):
        verify_certificate(certificate, sim.engine.validators, sim.engine.domain, 2)
    with pytest.raises(CertificateMismatch, match="precommits are for"):
        verify_certificate(certificate, sim.engine.validators, sim.engine.domain, 1, bytes(32))
    moved = dataclasses.replace(certificate, round=certificate.round + 1)  # the votes signed their round
    with pytest.raises(CertificateSignature):
        check(sim, moved)


def test_quorum_is_more_than_two_thirds_and_skip_more_than_one_third() -> None:
    sizes = {n: (ValidatorSet(tuple(str(i) for i in range(n))).quorum,
                 ValidatorSet(tuple(str(i) for i in range(n))).skip) for n in range(4, 8)}
    assert sizes == {4: (3, 2), 5: (4, 2), 6: (5, 3), 7: (5, 3)}
    for n, (quorum, skip) in sizes.items():
        assert 2 * quorum - n > (n - 1) // 3  # two quorums share an honest validator
        assert skip > (n - 1) // 3


def test_messages_round_trip_through_json(decided) -> None:  # type: ignore[no-untyped-def]
    sim, _ = decided
    for message in sim.records[0][:4]:
        assert message_from_json(json.loads(json.dumps(message.to_json()))) == message


def test_bft_genesis_round_trips_and_counts_its_validators() -> None:
    genesis = make_genesis("bft")
    assert Genesis.from_json(json.loads(json.dumps(genesis.to_json()))) == genesis
    assert genesis.consensus.to_json()["block_time_ms"] == 500 and genesis.consensus.kind == "bft"
    addresses = [make_wallet(i).address for i in range(8)]
    for count in (3, 8):
        with pytest.raises(InvalidGenesis, match=f"{count} validators listed, expected 4 to 7") as caught:
            Genesis(chain_id="x", consensus=BftParams(tuple(addresses[:count])))
        assert caught.value.check == "bft-validators"
    with pytest.raises(InvalidGenesis, match="listed twice"):
        Genesis(chain_id="x", consensus=BftParams((addresses[0], *addresses[:3])))
    with pytest.raises(InvalidGenesis, match="out of range"):
        Genesis(chain_id="x", consensus=BftParams(tuple(addresses[:4]), base_timeout_ms=0))


def test_cli_genesis_bft_needs_4_to_7_authorities(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    addresses = [make_wallet(i).address for i in range(4)]
    flags = [arg for a in addresses for arg in ("--authority", a)]
    assert main(["genesis", "--out", "g.json", "--consensus", "bft", *flags]) == 0
    genesis = Genesis.load("g.json")
    assert isinstance(genesis.consensus, BftParams) and genesis.consensus.validators == tuple(addresses)
    assert main(["genesis", "--out", "h.json", "--consensus", "bft", *flags[:6]]) != 0
    assert "needs 4 to 7 --authority" in capsys.readouterr().err


def test_the_round_proposer_seals_and_anyone_checks_the_seal() -> None:
    genesis = make_genesis("bft")
    engine = make_engine(genesis)
    assert isinstance(engine, BftEngine) and engine.is_final(Chain(genesis).tip)
    wallets = [make_wallet(f"validator-{i}") for i in range(4)]
    chain = Chain(genesis)
    proposer = next(w for w in wallets if w.address == engine.validators.proposer(1, 0))
    template, _ = chain.build_block([], proposer.address, genesis.timestamp + 1)
    producer = Producer(proposer.address, proposer.private_key)
    assert engine.next_turn(producer, chain.tip, genesis.timestamp) is not None
    sealed = engine.produce(template.header, producer).header
    assert isinstance(sealed.seal, BftSeal) and sealed.seal.round == 0
    chain.add_block(certify(chain, Block(sealed, template.transactions), wallets))
    assert chain.tip.height == 1
    assert Header.from_json(json.loads(json.dumps(sealed.to_json()))) == sealed
    late = engine.seal(template.header, proposer.private_key, round=1)  # round 1 is the next validator's
    with pytest.raises(WrongTurn, match="round 1 is"):
        engine.check_seal_alone(late)
