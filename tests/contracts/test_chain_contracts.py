"""Contract transactions through the chain: signed, validated, run by the EVM in blocks, committed
in headers (contract state root, receipts root), persisted, rolled back on reorgs, re-verified."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from minichain.blocks import Block
from minichain.chain import Chain
from minichain.contract_tx import ContractTransaction, contract_transaction
from minichain.contracts.abi import ContractAbi
from minichain.contracts.addresses import contract_address, evm_address, to_hex_address
from minichain.contracts.compiler import Artifact
from minichain.contracts.errors import GasLimitOutOfRange, IntrinsicGasTooLow, InvalidEvmAddress
from minichain.errors import (
    BlockTransactionInvalid,
    ContractRootMismatch,
    InsufficientBalance,
    InvalidBlock,
    InvalidSignature,
    MalformedData,
)
from minichain.export import export_chain, verify_chain, verify_export
from minichain.mempool import Mempool
from minichain.store import Store
from minichain.testing import make_genesis, make_wallet, produce_block
from minichain.transactions import Transaction
from minichain.validation import validate_transaction
from minichain.wallet import Wallet

SUITES = ["sha256-ed25519", "sha256-secp256k1", "sm3-sm2"]
GAS = 2_000_000
PRICE = 2


class Kit:
    """A chain funded for wallets 0-3 of one suite, and helpers to deploy and call the Token."""

    def __init__(self, chain: Chain, token: Artifact) -> None:
        self.chain = chain
        self.genesis = chain.genesis
        self.abi = ContractAbi(token.abi)
        self.token = token

    def wallet(self, seed: int) -> Wallet:
        return make_wallet(seed, self.genesis.suite)

    def nonce(self, who: Wallet) -> int:
        return self.chain.state.nonce(who.address)

    def deploy(self, who: Wallet, *args: Any, gas: int = GAS,
               nonce: int | None = None) -> ContractTransaction:
        code = self.abi.deploy_code(self.token.bytecode, args or ("Coin", "C", 1000))
        return contract_transaction(who.private_key, suite=self.genesis.suite,
                                    chain_id=self.genesis.chain_id, kind="deploy", data=code,
                                    nonce=self.nonce(who) if nonce is None else nonce,
                                    gas_limit=gas, gas_price=PRICE)

    def call(self, who: Wallet, to: bytes, fn: str, *args: Any, gas: int = GAS,
             nonce: int | None = None) -> ContractTransaction:
        return contract_transaction(who.private_key, suite=self.genesis.suite,
                                    chain_id=self.genesis.chain_id, kind="call", to=to,
                                    data=self.abi.encode_call(fn, _hex(args)),
                                    nonce=self.nonce(who) if nonce is None else nonce,
                                    gas_limit=gas, gas_price=PRICE)

    def read(self, to: bytes, fn: str, *args: Any) -> Any:
        from minichain.contracts.execution import BlockContext

        result = self.chain.contracts.engine.view(
            self.chain.contract_root(), to, self.abi.encode_call(fn, _hex(args)),
            BlockContext(number=self.chain.height, timestamp=self.chain.tip.timestamp, chain_id=1))
        return self.abi.decode_output(fn, result.output, len(args))[0]

    def address_of(self, who: Wallet, nonce: int) -> bytes:
        return contract_address(evm_address(self.genesis.suite, who.public_key), nonce)

    def deployed(self, who: Wallet) -> bytes:
        """Deploy the Token from `who` in a block; its address."""
        nonce = self.nonce(who)
        produce_block(self.chain, [self.deploy(who)])
        address = self.address_of(who, nonce)
        assert self.chain.contracts.engine.code(self.chain.contract_root(), address)
        return address


def _hex(args: tuple[Any, ...]) -> tuple[Any, ...]:
    """EVM addresses (20 bytes) as the ABI's JSON-style arguments take them: checksummed hex."""
    return tuple(to_hex_address(a) if isinstance(a, bytes) and len(a) == 20 else a for a in args)


def kit(samples: dict[str, Artifact], suite: str = "sha256-ed25519", chain: Chain | None = None) -> Kit:
    return Kit(chain or Chain(make_genesis("pow", suite=suite, amount=10**9)), samples["Token"])


@pytest.mark.parametrize("suite", SUITES)
def test_deploy_call_read_receipt_through_the_chain(samples: dict[str, Artifact], suite: str) -> None:
    k = kit(samples, suite)
    alice, bob = k.wallet(0), k.wallet(1)
    before = k.chain.state.balance(alice.address)
    deploy = k.deploy(alice)
    produce_block(k.chain, [deploy])
    token = k.address_of(alice, 0)
    found = k.chain.receipt(deploy.txid)
    assert found is not None and found[1].succeeded and found[1].contract_address == token
    assert k.chain.state.balance(alice.address) == before - found[1].fee
    assert k.chain.state.nonce(alice.address) == 1
    bob_evm = evm_address(suite, bob.public_key)
    call = k.call(alice, token, "transfer", bob_evm, 250)
    produce_block(k.chain, [call])
    receipt = k.chain.receipt(call.txid)
    assert receipt is not None and receipt[1].succeeded and len(receipt[1].logs) == 1
    assert k.read(token, "balanceOf", bob_evm) == 250
    assert k.read(token, "balanceOf", evm_address(suite, alice.public_key)) == 750
    assert k.chain.tip.contract_root == k.chain.contract_root() and k.chain.tip.receipts_root


def test_transfer_bytes_unchanged_and_contract_json_round_trips(samples: dict[str, Artifact]) -> None:
    k = kit(samples)
    alice = k.wallet(0)
    transfer = alice.transfer(k.genesis.chain_id, k.wallet(1).address, 5, 0, fee=1)
    assert "kind" not in transfer.to_json()
    assert transfer.signing_bytes.startswith(b"minichain/tx\x00")
    deploy = k.deploy(alice)
    assert deploy.signing_bytes.startswith(b"minichain/contract-tx\x00")
    assert Transaction.from_json(deploy.to_json()) == deploy
    assert Transaction.from_json(transfer.to_json()) == transfer
    assert deploy.fee == GAS * PRICE == deploy.cost


def test_transfers_only_chain_headers_keep_their_form() -> None:
    genesis = make_genesis("pow")
    chain = Chain(genesis)
    payer = make_wallet(0)
    produce_block(chain, [payer.transfer(genesis.chain_id, make_wallet(1).address, 3, 0, fee=1)])
    assert "contract_root" not in chain.tip.to_json()
    assert chain.tip.contract_root == b""


def test_revert_and_out_of_gas_still_pay_and_use_the_nonce(samples: dict[str, Artifact]) -> None:
    k = kit(samples)
    alice, bob = k.wallet(0), k.wallet(1)
    token = k.deployed(alice)
    bob_evm = evm_address(k.genesis.suite, bob.public_key)
    too_much = k.call(alice, token, "transfer", bob_evm, 10**6)
    produce_block(k.chain, [too_much])
    reverted = k.chain.receipt(too_much.txid)
    assert reverted is not None and reverted[1].status == 0
    assert reverted[1].error_rule == "contract-revert"
    assert k.chain.state.nonce(alice.address) == 2
    starving = k.call(alice, token, "transfer", bob_evm, 1, gas=22_000)
    balance = k.chain.state.balance(alice.address)
    produce_block(k.chain, [starving])
    ran_out = k.chain.receipt(starving.txid)
    assert ran_out is not None and ran_out[1].error_rule == "contract-out-of-gas"
    assert ran_out[1].gas_used == 22_000
    assert k.chain.state.balance(alice.address) == balance - 22_000 * PRICE
    assert k.read(token, "balanceOf", bob_evm) == 0


def test_invalid_contract_fields_each_with_a_rule(samples: dict[str, Artifact]) -> None:
    k = kit(samples)
    alice = k.wallet(0)
    with pytest.raises(IntrinsicGasTooLow, match="intrinsic gas"):
        validate_transaction(k.deploy(alice, gas=21_000), k.genesis)
    with pytest.raises(GasLimitOutOfRange, match="gas limit"):
        validate_transaction(k.deploy(alice, gas=10**9), k.genesis)
    bad_to = dataclasses.replace(k.call(alice, bytes(20), "totalSupply"), to=b"\x01" * 5)
    with pytest.raises(InvalidEvmAddress, match="20-byte"):
        validate_transaction(bad_to, k.genesis)
    forged = dataclasses.replace(k.deploy(alice), gas_price=PRICE + 1)
    with pytest.raises(InvalidSignature):
        validate_transaction(forged, k.genesis)
    json = k.deploy(alice).to_json()
    with pytest.raises(MalformedData, match="kind"):
        Transaction.from_json({**json, "kind": "selfdestruct"}, check_derived=False)
    with pytest.raises(MalformedData, match="data"):
        Transaction.from_json({**json, "data": "ABCD"}, check_derived=False)


def test_invalid_contract_tx_sender_cannot_afford_the_gas_budget(samples: dict[str, Artifact]) -> None:
    k = kit(samples)
    poor = k.wallet(9)  # not funded by make_genesis
    with pytest.raises(BlockTransactionInvalid) as caught:
        k.chain.state.copy().apply_block([k.deploy(poor)], poor.address, 0,
                                         run_contract=lambda tx, sender: 0)
    assert isinstance(caught.value.cause, InsufficientBalance)


def test_reorg_across_contract_calls_restores_exact_storage(samples: dict[str, Artifact]) -> None:
    k = kit(samples)
    alice, bob = k.wallet(0), k.wallet(1)
    token = k.deployed(alice)
    fork_hash = k.chain.tip_hash
    root_at_fork = k.chain.contract_root()
    storage_at_fork = k.chain.contracts.engine.storage(root_at_fork, token).as_dict()
    bob_evm = evm_address(k.genesis.suite, bob.public_key)
    produce_block(k.chain, [k.call(alice, token, "transfer", bob_evm, 400)])
    assert k.read(token, "balanceOf", bob_evm) == 400
    # a rival branch from the fork point, two blocks long, without that call
    rival = Chain(k.genesis)
    for block in list(k.chain.main_chain())[1:]:
        if block.hash(k.chain.suite) == fork_hash or block.height < k.chain.height:
            rival.add_block(block)
    assert rival.tip_hash == fork_hash
    produce_block(rival, [], producer=make_wallet("other"))
    produce_block(rival, [], producer=make_wallet("other"))
    for block in list(rival.main_chain())[-2:]:
        update = k.chain.add_block(block)
    assert update.status == "reorg"
    assert k.chain.contract_root() == root_at_fork
    assert k.chain.contracts.engine.storage(k.chain.contract_root(), token).as_dict() == storage_at_fork
    assert k.read(token, "balanceOf", bob_evm) == 0


def test_invalid_block_contract_root_tampered_state_or_log(samples: dict[str, Artifact]) -> None:
    k = kit(samples)
    alice = k.wallet(0)
    token = k.deployed(alice)
    block, _ = k.chain.build_block([k.call(alice, token, "transfer", bytes(19) + b"\x07", 5)],
                                   make_wallet("miner").address, k.chain.tip.timestamp + 10)
    for field, check in (("contract_root", "state"), ("receipts_root", "receipts")):
        header = dataclasses.replace(block.header, **{field: b"\x11" * 32})
        sealed = k.chain.engine.produce(header, _producer(), attempts=2**64).header
        assert sealed is not None
        with pytest.raises(ContractRootMismatch, match=check.replace("state", "contract state")):
            k.chain.add_block(Block(sealed, block.transactions))
    stripped = dataclasses.replace(block.header, contract_root=b"", receipts_root=b"")
    sealed = k.chain.engine.produce(stripped, _producer(), attempts=2**64).header
    assert sealed is not None
    with pytest.raises(ContractRootMismatch, match="commits to none"):
        k.chain.add_block(Block(sealed, block.transactions))


def _producer() -> Any:
    from minichain.consensus.base import Producer

    miner = make_wallet("miner")
    return Producer(miner.address, miner.private_key)


def test_store_persists_contracts_and_verify_catches_tampering(samples: dict[str, Artifact],
                                                               tmp_path: Path) -> None:
    genesis = make_genesis("pow", amount=10**9)
    store = Store.create(tmp_path / "node", genesis)
    chain, mempool = store.load()
    k = kit(samples, chain=chain)
    alice = k.wallet(0)
    deploy = k.deploy(alice)
    update = produce_block(chain, [deploy])
    store.save(chain, update, mempool)
    token = k.address_of(alice, 0)
    call = k.call(alice, token, "transfer", bytes(19) + b"\x09", 7)
    store.save(chain, produce_block(chain, [call]), mempool)
    store.close()
    reopened, _ = Store.open(tmp_path / "node").load()
    again = kit(samples, chain=reopened)
    assert again.read(token, "balanceOf", bytes(19) + b"\x09") == 7
    found = reopened.receipt(call.txid)
    assert found is not None and found[1] == chain.receipt(call.txid)[1]  # type: ignore[index]
    verify_chain(reopened)
    # a tampered log in a stored receipt is caught by re-execution
    store2 = Store.open(tmp_path / "node")
    row = store2.db.execute("SELECT block_hash, idx, data FROM receipts WHERE txid = ?",
                            (call.txid,)).fetchone()
    tampered = row[2].replace(b"0x0000000000000000000000000000000000000000000000000000000000000007",
                              b"0x0000000000000000000000000000000000000000000000000000000000000008")
    assert tampered != row[2]
    store2.db.execute("UPDATE receipts SET data = ? WHERE block_hash = ? AND idx = ?",
                      (tampered, row[0], row[1]))
    damaged, _ = store2.load()
    with pytest.raises(InvalidBlock, match="receipt"):
        verify_chain(damaged)
    # a tampered storage value (a trie node) is caught too
    store2.db.execute("UPDATE receipts SET data = ? WHERE block_hash = ? AND idx = ?",
                      (row[2], row[0], row[1]))
    key, value = store2.db.execute("SELECT k, v FROM evm_kv LIMIT 1").fetchone()
    store2.db.execute("UPDATE evm_kv SET v = ? WHERE k = ?", (value + b"\x00", key))
    with pytest.raises(InvalidBlock, match="contract state"):
        verify_chain(store2.load()[0])
    store2.close()


def test_export_verify_re_executes_contracts(samples: dict[str, Artifact]) -> None:
    k = kit(samples)
    alice = k.wallet(0)
    token = k.deployed(alice)
    produce_block(k.chain, [k.call(alice, token, "transfer", bytes(19) + b"\x03", 9)])
    data = export_chain(k.chain)
    assert verify_export(data).tip_hash == k.chain.tip_hash


def test_mempool_admits_contract_txs_by_gas_budget(samples: dict[str, Artifact]) -> None:
    k = kit(samples)
    alice, bob = k.wallet(0), k.wallet(1)
    pool = Mempool(k.genesis)
    cheap = k.deploy(alice, gas=1_000_000)
    rich = k.deploy(bob, gas=3_000_000)
    pool.add(cheap, k.chain.state)
    pool.add(rich, k.chain.state)
    assert pool.select(k.chain.state, 10) == [rich, cheap]  # by gas_limit * gas_price
    update = produce_block(k.chain, pool.select(k.chain.state, 10))
    pool.on_chain_update(update, k.chain.state)
    assert len(pool) == 0 and len(k.chain.block_at(k.chain.height).transactions) == 2


def test_supply_is_conserved_with_contract_fees(samples: dict[str, Artifact]) -> None:
    k = kit(samples)
    alice = k.wallet(0)
    supply = k.chain.state.total_supply()
    reward = k.chain.engine.block_reward
    token = k.deployed(alice)
    produce_block(k.chain, [k.call(alice, token, "transfer", bytes(19) + b"\x01", 10**9),
                            k.call(alice, token, "transfer", bytes(19) + b"\x01", 1,
                                   nonce=k.nonce(alice) + 1)])
    assert k.chain.state.total_supply() == supply + 2 * reward


_CRASH_SCRIPT = """
import os, signal, sys
sys.path.insert(0, sys.argv[2])
from minichain.store import Store
from minichain.testing import produce_block
from test_chain_contracts import kit
from minichain.contracts.compiler import load_artifact
store = Store.open(sys.argv[1])
chain, mempool = store.load()
k = kit({"Token": load_artifact(sys.argv[3])}, chain=chain)
alice = k.wallet(0)
token = k.address_of(alice, 0)
produce_block(chain, [k.call(alice, token, "transfer", bytes(19) + b"\\x05", 11)])
os.kill(os.getpid(), signal.SIGKILL)  # after the EVM wrote its nodes, before the block is saved
"""


def test_kill_9_mid_block_loses_nothing_committed(samples: dict[str, Artifact], tmp_path: Path) -> None:
    import subprocess
    import sys

    from minichain.contracts.compiler import write_artifacts

    genesis = make_genesis("pow", amount=10**9)
    store = Store.create(tmp_path / "node", genesis)
    chain, mempool = store.load()
    k = kit(samples, chain=chain)
    alice = k.wallet(0)
    store.save(chain, produce_block(chain, [k.deploy(alice)]), mempool)
    token = k.address_of(alice, 0)
    committed_root = chain.contract_root()
    store.close()
    write_artifacts({"Token": samples["Token"]}, tmp_path / "artifacts")
    process = subprocess.run(
        [sys.executable, "-c", _CRASH_SCRIPT, str(tmp_path / "node"), str(Path(__file__).parent),
         str(tmp_path / "artifacts" / "Token.json")], capture_output=True, timeout=120)
    assert process.returncode == -9, process.stderr.decode()[-2000:]
    reopened_store = Store.open(tmp_path / "node")
    reopened, _ = reopened_store.load()
    assert reopened.height == 1 and reopened.contract_root() == committed_root
    again = kit(samples, chain=reopened)
    assert again.read(token, "balanceOf", bytes(19) + b"\x05") == 0
    update = produce_block(reopened, [again.call(alice, token, "transfer", bytes(19) + b"\x05", 11)])
    reopened_store.save(reopened, update)
    assert again.read(token, "balanceOf", bytes(19) + b"\x05") == 11
    verify_chain(reopened)
    reopened_store.close()


def test_four_poa_nodes_agree_on_contract_state(samples: dict[str, Artifact]) -> None:
    """Deploy and call through the sans-IO node core over the in-memory network (gossip as JSON):
    every node re-runs the EVM and reaches the same contract root and receipts."""
    from minichain.net.memory import MemoryNetwork
    from minichain.node.core import NodeConfig

    suite = "sm3-sm2"
    authorities = [make_wallet(f"authority-{i}", suite) for i in range(4)]
    genesis = make_genesis("poa", suite=suite, authorities=authorities, amount=10**9)
    configs = [NodeConfig(f"node{i}", authority=authorities[i]) for i in range(4)]
    net = MemoryNetwork(genesis, configs, seed=3)
    k = kit(samples, chain=net.cores[0].chain)
    alice = k.wallet(0)
    deploy = k.deploy(alice)
    net.submit(0, deploy)
    net.run_for(20)
    token = k.address_of(alice, 0)
    call = k.call(alice, token, "transfer", bytes(19) + b"\x04", 33, nonce=1)
    net.submit(2, call)
    net.run_for(20)
    roots = {core.chain.contract_root() for core in net.cores}
    assert len(roots) == 1 and roots != {b""}
    for core in net.cores:
        found = core.chain.receipt(call.txid)
        assert found is not None and found[1].succeeded
        assert kit(samples, chain=core.chain).read(token, "balanceOf", bytes(19) + b"\x04") == 33
