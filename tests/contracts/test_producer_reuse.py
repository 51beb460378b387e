"""A producer runs the EVM once per block it makes: add_block reuses the run build_block made for
the very block it sealed, and reaches exactly what a node re-executing it reaches; any other
block, or a sealed header that changed its commitments, is executed and checked as usual."""

from __future__ import annotations

import dataclasses

import pytest

from minichain.blocks import Block
from minichain.chain import Chain
from minichain.consensus import Producer
from minichain.contract_block import BlockRun
from minichain.contract_tx import ContractTransaction, contract_transaction
from minichain.contracts.abi import ContractAbi
from minichain.contracts.addresses import contract_address, evm_address
from minichain.contracts.compiler import Artifact
from minichain.errors import ContractRootMismatch
from minichain.testing import make_genesis, make_wallet, produce_block

ALICE = make_wallet(0)
FRIEND = "0x00000000000000000000000000000000000000d4"
GENESIS = make_genesis("pow", amount=10**9)


def signed(token: Artifact, kind: str, nonce: int, to: bytes = b"") -> ContractTransaction:
    abi = ContractAbi(token.abi)
    data = (abi.deploy_code(token.bytecode, ["Coin", "C", 1000]) if kind == "deploy"
            else abi.encode_call("transfer", [FRIEND, nonce]))
    return contract_transaction(ALICE.private_key, suite=GENESIS.suite, chain_id=GENESIS.chain_id,
                                kind=kind, data=data, nonce=nonce, gas_limit=1_000_000, gas_price=1,
                                to=to)


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The txids BlockRun.run executes on the EVM, in order."""
    executed: list[bytes] = []
    original = BlockRun.run

    def counting(self: BlockRun, tx: ContractTransaction, sender: str) -> int:
        executed.append(tx.txid)
        return original(self, tx, sender)

    monkeypatch.setattr(BlockRun, "run", counting)
    return executed


def test_a_producer_runs_each_contract_transaction_once(samples: dict[str, Artifact],
                                                        runs: list[bytes]) -> None:
    token = samples["Token"]
    producer, follower = Chain(GENESIS), Chain(GENESIS)
    address = contract_address(evm_address(GENESIS.suite, ALICE.public_key), 0)
    batches = [[signed(token, "deploy", 0)], [signed(token, "call", n, address) for n in (1, 2, 3)]]
    for batch in batches:
        runs.clear()
        update = produce_block(producer, batch)  # build (runs the EVM), seal, add (reuses the run)
        assert runs == [tx.txid for tx in batch]
        block = producer.get(update.block_hash)
        assert block is not None
        runs.clear()
        follower.add_block(block)
        assert runs == [tx.txid for tx in batch]  # another node runs it, as always
    assert producer.contract_root() == follower.contract_root()
    assert producer.state.root() == follower.state.root()
    for tx in batches[1]:
        assert producer.receipt(tx.txid) == follower.receipt(tx.txid)
    assert producer.receipt(batches[1][2].txid)[1].logs  # type: ignore[index]


def test_invalid_sealed_header_with_other_commitments_is_executed_and_refused(
        samples: dict[str, Artifact], runs: list[bytes]) -> None:
    chain = Chain(GENESIS)
    template, _ = chain.build_block([signed(samples["Token"], "deploy", 0)], ALICE.address,
                                    GENESIS.timestamp + 10)
    forged = dataclasses.replace(template.header, receipts_root=bytes(32))
    sealed = chain.engine.produce(forged, _miner(), attempts=2**32).header
    assert sealed is not None
    runs.clear()
    with pytest.raises(ContractRootMismatch, match="receipts root") as caught:
        chain.add_block(Block(sealed, template.transactions))
    assert caught.value.check == "receipts" and len(runs) == 1  # run again, not reused
    assert chain.height == 0


def test_a_block_from_a_peer_on_the_same_parent_is_executed(samples: dict[str, Artifact],
                                                             runs: list[bytes]) -> None:
    token = samples["Token"]
    ours, theirs = Chain(GENESIS), Chain(GENESIS)
    deploy = signed(token, "deploy", 0)
    ours.build_block([deploy], ALICE.address, GENESIS.timestamp + 10)  # our template, not sealed
    update = produce_block(theirs, [deploy], producer=make_wallet("peer"))  # another beneficiary
    block = theirs.get(update.block_hash)
    assert block is not None
    runs.clear()
    ours.add_block(block)
    assert runs == [deploy.txid]
    assert ours.contract_root() == theirs.contract_root() and ours.tip_hash == theirs.tip_hash


def _miner() -> Producer:
    return Producer(ALICE.address)


def test_a_checked_candidate_is_not_run_again_when_it_connects(samples: dict[str, Artifact],
                                                              runs: list[bytes]) -> None:
    """A BFT validator checks a proposed block before it votes (check_candidate), then adds it
    once the block is committed: one EVM run for both."""
    token = samples["Token"]
    ours, proposer = Chain(GENESIS), Chain(GENESIS)
    deploy = signed(token, "deploy", 0)
    block = proposer.get(produce_block(proposer, [deploy]).block_hash)
    assert block is not None
    runs.clear()
    ours.check_candidate(block)
    assert runs == [deploy.txid] and ours.height == 0
    ours.add_block(block)
    assert runs == [deploy.txid]
    assert ours.contract_root() == proposer.contract_root()
    assert ours.receipt(deploy.txid) == proposer.receipt(deploy.txid)
