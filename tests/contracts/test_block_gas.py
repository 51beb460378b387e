"""The block gas limit: a genesis parameter (omitted from the JSON at its default, so every older
genesis keeps its hash), a cap on each transaction's gas limit, and what a producer fills a
block up to; a block over it is refused by every node."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from minichain.chain import Chain
from minichain.cli import main
from minichain.contract_reads import view_call
from minichain.contract_tx import ContractTransaction, contract_transaction
from minichain.contracts.abi import ContractAbi
from minichain.contracts.addresses import contract_address, evm_address
from minichain.contracts.compiler import Artifact
from minichain.contracts.errors import GasLimitOutOfRange
from minichain.errors import BlockTransactionInvalid, InvalidGenesis
from minichain.genesis import DEFAULT_BLOCK_GAS_LIMIT, Genesis
from minichain.mempool import Mempool
from minichain.testing import make_genesis, make_wallet, produce_block
from minichain.wallet import Wallet

ALICE, BOB = make_wallet(0), make_wallet(1)
CALL_GAS = 100_000
FRIEND = "0x00000000000000000000000000000000000000a7"


def limited(limit: int) -> Genesis:
    return dataclasses.replace(make_genesis("pow", amount=10**9), block_gas_limit=limit)


def deploy(token: Artifact, who: Wallet, genesis: Genesis, nonce: int = 0) -> ContractTransaction:
    code = ContractAbi(token.abi).deploy_code(token.bytecode, ["Coin", "C", 10**6])
    return contract_transaction(who.private_key, suite=genesis.suite, chain_id=genesis.chain_id,
                                kind="deploy", data=code, nonce=nonce, gas_limit=1_000_000)


def transfer(token: Artifact, who: Wallet, genesis: Genesis, to: bytes, nonce: int,
             gas: int = CALL_GAS) -> ContractTransaction:
    data = ContractAbi(token.abi).encode_call("transfer", [FRIEND, 1])
    return contract_transaction(who.private_key, suite=genesis.suite, chain_id=genesis.chain_id,
                                kind="call", to=to, data=data, nonce=nonce, gas_limit=gas)


def test_the_default_limit_leaves_the_genesis_json_and_hash_unchanged() -> None:
    genesis = make_genesis("pow")
    assert genesis.block_gas_limit == DEFAULT_BLOCK_GAS_LIMIT
    assert "block_gas_limit" not in genesis.to_json()
    small = limited(250_000)
    assert small.to_json()["block_gas_limit"] == 250_000
    assert Genesis.from_json(small.to_json()) == small
    assert small.config_bytes() != genesis.config_bytes()
    assert Chain(small).genesis_hash != Chain(genesis).genesis_hash


@pytest.mark.parametrize("limit", [0, 20_999, 30_000_001])
def test_invalid_genesis_block_gas_limit(limit: int) -> None:
    with pytest.raises(InvalidGenesis, match="block_gas_limit must be in") as caught:
        limited(limit)
    assert caught.value.check == "block-gas-limit"


def test_invalid_contract_tx_gas_limit_above_the_blocks(samples: dict[str, Artifact]) -> None:
    genesis = limited(250_000)
    chain = Chain(genesis)
    mempool = Mempool(genesis)
    tx = transfer(samples["Token"], ALICE, genesis, bytes(20), 0, gas=250_001)
    with pytest.raises(GasLimitOutOfRange, match=r"from 1 to 250000 \(a block's\)"):
        mempool.add(tx, chain.state)
    mempool.add(transfer(samples["Token"], ALICE, genesis, bytes(20), 0, gas=250_000), chain.state)


def test_the_producer_fills_a_block_up_to_its_gas_and_the_rest_waits(samples: dict[str, Artifact]) -> None:
    token = samples["Token"]
    genesis = limited(1_050_000)  # the deploy (1 M) in block 1; then 10 calls of 100 k per block
    chain = Chain(genesis)
    produce_block(chain, [deploy(token, ALICE, genesis)])
    address = contract_address(evm_address(genesis.suite, ALICE.public_key), 0)
    calls = [transfer(token, ALICE, genesis, address, n) for n in range(1, 26)]
    calls += [transfer(token, BOB, genesis, address, 0)]  # Bob holds no coin: it reverts, still fits
    mempool = Mempool(genesis)
    for tx in calls:
        mempool.add(tx, chain.state)
    sizes = []
    while len(mempool):
        txs = mempool.select(chain.state, genesis.max_block_transactions)
        block, dropped = chain.build_block(txs, ALICE.address, chain.tip.timestamp + 10)
        assert dropped == []  # waiting is not invalid
        sizes.append(len(block.transactions))
        update = produce_block(chain, block.transactions)
        mempool.on_chain_update(update, chain.state)
    assert sizes == [10, 10, 6] and chain.state.nonce(ALICE.address) == 26
    abi = ContractAbi(token.abi)
    result = view_call(chain, address, abi.encode_call("balanceOf", [FRIEND]))
    assert abi.decode_output("balanceOf", result.output) == [25]


def test_invalid_block_over_the_gas_limit_is_refused(samples: dict[str, Artifact]) -> None:
    """A node checks what a block's transactions used (Ethereum's rule: each one's gas limit must
    fit what the block has left), so a producer that ignores the limit is refused."""
    token = samples["Token"]
    genesis = limited(1_050_000)
    honest, greedy = Chain(genesis), Chain(genesis)
    # a producer that ignores the limit: its own ledger and selection think blocks are bigger
    greedy.genesis = dataclasses.replace(genesis, block_gas_limit=DEFAULT_BLOCK_GAS_LIMIT)
    greedy.contracts.block_gas_limit = DEFAULT_BLOCK_GAS_LIMIT
    two = [deploy(token, ALICE, genesis, 0), deploy(token, ALICE, genesis, 1)]  # ~0.9 M gas each
    update = produce_block(greedy, two, timestamp=genesis.timestamp + 10)
    sealed = greedy.get(update.block_hash)
    assert sealed is not None and len(sealed.transactions) == 2
    with pytest.raises(BlockTransactionInvalid) as caught:
        honest.add_block(sealed)
    assert isinstance(caught.value.cause, GasLimitOutOfRange) and caught.value.index == 1
    assert honest.height == 0


def test_cli_genesis_takes_a_block_gas_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["genesis", "--out", "g.json", "--consensus", "pow", "--alloc",
                 f"{ALICE.address}=10", "--block-gas-limit", "500000"]) == 0
    assert json.loads(Path("g.json").read_text())["block_gas_limit"] == 500_000
    assert main(["genesis", "--out", "h.json", "--consensus", "pow", "--block-gas-limit", "5"]) == 1
