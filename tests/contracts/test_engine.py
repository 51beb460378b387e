"""The engine's own rules: roots, reopening, branches, gas and size limits, context, receipts."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import coincurve
import pytest
from contract_scenario import run
from contractkit import GAS_PRICE, Contract, context, deploy, sender
from eth_hash.auto import keccak

from minichain.contracts.abi import ContractAbi
from minichain.contracts.addresses import ZERO_ADDRESS, contract_address
from minichain.contracts.compiler import Artifact, Compiler, write_artifacts
from minichain.contracts.engine import (
    EMPTY_ROOT,
    MAX_CODE_SIZE,
    MAX_INITCODE_SIZE,
    ContractEngine,
    intrinsic_gas,
)
from minichain.contracts.errors import (
    BlockCommitted,
    GasLimitOutOfRange,
    InitcodeTooLarge,
    IntrinsicGasTooLow,
    InvalidContractTransaction,
    NoContractCode,
    OutOfGas,
    Reverted,
    UnknownStateRoot,
)
from minichain.contracts.receipts import Receipt, receipt_bytes
from minichain.errors import InvalidAddress, InvalidTransaction, MalformedData, StoreError

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def probe_artifact(compiler: Compiler) -> Artifact:
    return compiler.compile_file(HERE / "Probe.sol")["Probe"]


def probe(engine: ContractEngine, artifact: Artifact, **block: object) -> tuple[Contract, bytes]:
    execution = engine.begin(EMPTY_ROOT, context(1, **block))
    contract, receipt = deploy(execution, artifact, sender("alice"), 0)
    receipt.raise_for_status()
    return contract, execution.commit()


def raw_init_code(runtime_size: int, first_byte: int = 0x00) -> bytes:
    """EVM init code that returns `runtime_size` bytes of memory, the first set to `first_byte`:
    PUSH1 b PUSH1 0 MSTORE8 | PUSH2 size PUSH1 0 RETURN."""
    return bytes([0x60, first_byte, 0x60, 0x00, 0x53, 0x61]) + runtime_size.to_bytes(2, "big") + bytes(
        [0x60, 0x00, 0xF3])


# --- roots ----------------------------------------------------------------------------------------


def test_state_roots_are_deterministic_across_runs_and_hash_seeds(
        tmp_path: Path, samples: dict[str, Artifact]) -> None:
    here = run(ContractEngine.open(tmp_path / "here.db"), samples)
    write_artifacts(samples, tmp_path / "artifacts")
    env = dict(os.environ)
    for seed in ("0", "4242"):
        env["PYTHONHASHSEED"] = seed
        done = subprocess.run(
            [sys.executable, str(HERE / "contract_scenario.py"), str(tmp_path / "artifacts"),
             str(tmp_path / f"seed{seed}.db")], capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        assert json.loads(done.stdout) == here
    assert len(set(here["roots"])) == 3


def test_reopening_at_an_old_root_gives_the_old_state_exactly(
        tmp_path: Path, samples: dict[str, Artifact]) -> None:
    path = tmp_path / "evm.db"
    engine = ContractEngine.open(path)
    roots = [bytes.fromhex(root) for root in run(engine, samples)["roots"]]
    token_address = contract_address(sender("alice").address, 0)
    views = {root: engine.storage(root, token_address) for root in roots}
    assert views[roots[0]] != views[roots[1]]
    engine.close()
    reopened = ContractEngine.open(path)
    token = Contract(samples["Token"], token_address)
    bob = sender("bob", "sha256-secp256k1")
    assert [token.read(reopened, root, "balanceOf", bob.hex) for root in roots] == [0, 6, 6]
    assert {root: reopened.storage(root, token_address) for root in roots} == views
    assert reopened.code(roots[0], token_address) == samples["Token"].deployed_bytecode


def test_two_branches_from_one_parent_each_keep_their_own_state(
        engine: ContractEngine, samples: dict[str, Artifact]) -> None:
    alice, bob, carol = sender("alice"), sender("bob"), sender("carol")
    block = engine.begin(EMPTY_ROOT, context(1))
    token, _ = deploy(block, samples["Token"], alice, 0, ["Yuan", "CNY", 100])
    parent = block.commit()

    def branch(to: str, number: int) -> bytes:
        execution = engine.begin(parent, context(2, timestamp=number))
        token.call(execution, alice, "transfer", to, 40).raise_for_status()
        return execution.commit()

    def balances(root: bytes) -> list[int]:
        return [token.read(engine, root, "balanceOf", who.hex) for who in (alice, bob, carol)]

    a, b = branch(bob.hex, 1), branch(carol.hex, 2)
    assert a != b
    assert (balances(a), balances(b)) == ([60, 40, 0], [60, 0, 40])
    assert token.read(engine, parent, "balanceOf", alice.hex) == 100  # the reorg target, intact
    assert branch(bob.hex, 1) == a  # replaying a block gives its root again


def test_commit_inside_the_callers_transaction_goes_with_it(
        engine: ContractEngine, samples: dict[str, Artifact]) -> None:
    alice = sender("alice")
    for ending, kept in (("ROLLBACK", False), ("COMMIT", True)):
        block = engine.begin(EMPTY_ROOT, context(1))
        deploy(block, samples["Token"], alice, 0, ["Yuan", "CNY", 100])
        engine.db.execute("BEGIN IMMEDIATE")  # the chain's own block transaction
        root = block.commit()
        engine.db.execute(ending)
        assert engine.has_root(root) is kept


def test_invalid_unknown_root(engine: ContractEngine) -> None:
    with pytest.raises(UnknownStateRoot, match="never committed") as caught:
        engine.begin(b"\x01" * 32, context(1))
    assert caught.value.rule == "contract-state-root" and isinstance(caught.value, StoreError)


# --- rules before running ---------------------------------------------------------------------


def test_invalid_gas_below_intrinsic(engine: ContractEngine, samples: dict[str, Artifact]) -> None:
    block = engine.begin(EMPTY_ROOT, context(1))
    code = ContractAbi(samples["Token"].abi).deploy_code(samples["Token"].bytecode, ["a", "b", 1])
    needed = intrinsic_gas(code, is_create=True)
    zeros, others = code.count(0), len(code) - code.count(0)
    assert needed == 21_000 + 32_000 + 4 * zeros + 16 * others  # the Yellow Paper's g0
    with pytest.raises(IntrinsicGasTooLow, match=f"below the intrinsic gas {needed}") as caught:
        block.deploy(sender("alice").address, 0, code, needed - 1, 1)
    assert (caught.value.rule, caught.value.intrinsic) == ("contract-intrinsic-gas", needed)
    assert isinstance(caught.value, InvalidTransaction)
    assert block.gas_used == 0 and block.receipts == [] and block.state_root == EMPTY_ROOT


def test_invalid_initcode_too_large(engine: ContractEngine) -> None:
    block = engine.begin(EMPTY_ROOT, context(1))
    with pytest.raises(InitcodeTooLarge, match="49153 bytes; at most 49152") as caught:
        block.deploy(sender("alice").address, 0, b"\x00" * (MAX_INITCODE_SIZE + 1), 29_000_000, 1)
    assert caught.value.rule == "contract-initcode-size"


def test_invalid_block_gas_exhausted(engine: ContractEngine, samples: dict[str, Artifact]) -> None:
    alice, bob = sender("alice"), sender("bob")
    block = engine.begin(EMPTY_ROOT, context(1, gas_limit=1_000_000))
    token, deployed = deploy(block, samples["Token"], alice, 0, ["a", "b", 9], gas=900_000)
    left = 1_000_000 - deployed.gas_used
    with pytest.raises(GasLimitOutOfRange, match=f"exceeds what is left of the block's: {left}"):
        token.call(block, alice, "transfer", bob.hex, 1, gas=left + 1)
    assert token.call(block, alice, "transfer", bob.hex, 1, gas=left).succeeded


def test_invalid_call_to_an_address_without_code(engine: ContractEngine) -> None:
    block = engine.begin(EMPTY_ROOT, context(1))
    with pytest.raises(NoContractCode, match="no contract at 0x") as caught:
        block.call(sender("alice").address, b"\x42" * 20, b"", 100_000, 1)
    assert caught.value.rule == "contract-no-code"


# --- failures while running -------------------------------------------------------------------


def test_code_size_limit_is_eip_170(engine: ContractEngine) -> None:
    block = engine.begin(EMPTY_ROOT, context(1))
    alice = sender("alice").address
    fits = block.deploy(alice, 0, raw_init_code(MAX_CODE_SIZE, 0x01), 6_000_000, 1)
    assert fits.succeeded
    too_big = block.deploy(alice, 1, raw_init_code(MAX_CODE_SIZE + 1, 0x01), 6_000_000, 1)
    assert (too_big.status, too_big.error_rule, too_big.gas_used) == (0, "contract-code-size", 6_000_000)
    assert "24577 bytes; EIP-170 allows 24576" in too_big.error_message
    reserved = block.deploy(alice, 2, raw_init_code(1, 0xEF), 100_000, 1)  # EIP-3541
    assert (reserved.error_rule, reserved.gas_used) == ("contract-vm-error", 100_000)
    root = block.commit()
    assert len(engine.code(root, fits.contract_address or b"")) == MAX_CODE_SIZE
    assert engine.code(root, too_big.contract_address or b"") == b""


def test_a_bare_revert_and_a_view_in_a_loop(engine: ContractEngine, probe_artifact: Artifact) -> None:
    contract, root = probe(engine, probe_artifact)
    block = engine.begin(root, context(2))
    bare = contract.call(block, sender("bob"), "burnAndRevert")
    assert (bare.error_rule, bare.revert_reason) == ("contract-revert", "reverted without a reason")
    assert block.state_root == root
    started = time.monotonic()
    with pytest.raises(OutOfGas):
        engine.view(root, contract.address, contract.abi.encode_call("spin"), context(2),
                    gas_limit=300_000)
    assert time.monotonic() - started < 30  # bounded by gas, not by the loop


def test_self_destruct_removes_the_contract(engine: ContractEngine, probe_artifact: Artifact) -> None:
    contract, root = probe(engine, probe_artifact)
    block = engine.begin(root, context(2))
    contract.call(block, sender("bob"), "destroy").raise_for_status()
    after = block.commit()
    assert engine.code(after, contract.address) == b""
    assert after == EMPTY_ROOT  # the beneficiary, touched and empty, is cleared too (EIP-161)
    assert engine.code(root, contract.address) == probe_artifact.deployed_bytecode


# --- what the EVM sees ------------------------------------------------------------------------


def test_the_block_context_comes_from_the_caller(engine: ContractEngine, probe_artifact: Artifact) -> None:
    producer = sender("producer", "sm3-sm2")
    parent = hashlib.sha256(b"parent header").digest()
    contract, root = probe(engine, probe_artifact)
    seen = engine.view(root, contract.address, contract.abi.encode_call("blockInfo"),
                       context(7, timestamp=1_800_000_000, chain_id=31337, coinbase=producer.address,
                               prev_hashes=(parent,), gas_limit=8_000_000))
    assert contract.abi.decode_output("blockInfo", seen.output) == [
        7, 1_800_000_000, 31337, "0x" + parent.hex(), producer.hex, 8_000_000, 0]


def test_gas_price_and_origin_reach_the_evm(engine: ContractEngine, probe_artifact: Artifact) -> None:
    contract, root = probe(engine, probe_artifact)
    bob = sender("bob", "sha256-secp256k1")
    block = engine.begin(root, context(2))
    recorded = contract.call(block, bob, "record")
    assert recorded.fee == recorded.gas_used * GAS_PRICE
    after = block.commit()
    assert contract.read(engine, after, "lastGasPrice") == GAS_PRICE
    assert contract.read(engine, after, "lastOrigin") == bob.hex


def test_ecrecover_names_the_secp256k1_sender(engine: ContractEngine, probe_artifact: Artifact) -> None:
    contract, root = probe(engine, probe_artifact)
    bob = sender("bob", "sha256-secp256k1")
    digest = keccak(b"I agree to pay 5 yuan")
    signed = coincurve.PrivateKey(bob.wallet.private_key).sign_recoverable(digest, hasher=None)
    v, r, s = 27 + signed[64], "0x" + signed[:32].hex(), "0x" + signed[32:64].hex()
    data = contract.abi.encode_call("signedBySender", ["0x" + digest.hex(), v, r, s])
    answer = engine.view(root, contract.address, data, context(2), sender=bob.address)
    assert contract.abi.decode_output("signedBySender", answer.output) == [True]
    other = engine.view(root, contract.address, data, context(2), sender=sender("eve").address)
    assert contract.abi.decode_output("signedBySender", other.output) == [False]


def test_views_change_nothing_and_see_the_block_so_far(
        engine: ContractEngine, probe_artifact: Artifact) -> None:
    contract, root = probe(engine, probe_artifact)
    block = engine.begin(root, context(2))
    contract.call(block, sender("bob"), "record").raise_for_status()
    counter = contract.abi.encode_call("counter")
    assert contract.abi.decode_output("counter", block.view(contract.address, counter).output) == [1]
    block.view(contract.address, contract.abi.encode_call("record"))  # a write, in a view: undone
    pending = block.state_root
    assert contract.abi.decode_output("counter", block.view(contract.address, counter).output) == [1]
    assert block.commit() == pending
    assert contract.read(engine, root, "counter") == 0
    who = engine.view(root, contract.address, contract.abi.encode_call("whoAmI"), context(2))
    assert contract.abi.decode_output("whoAmI", who.output) == ["0x" + "00" * 20]
    assert bytes(20) == ZERO_ADDRESS


def test_view_of_a_revert_raises_with_the_reason(engine: ContractEngine,
                                                 samples: dict[str, Artifact]) -> None:
    alice = sender("alice")
    block = engine.begin(EMPTY_ROOT, context(1))
    token, _ = deploy(block, samples["Token"], alice, 0, ["a", "b", 1])
    root = block.commit()
    data = token.abi.encode_call("transferFrom", [alice.hex, alice.hex, 5])
    with pytest.raises(Reverted, match="allowance too small") as caught:
        engine.view(root, token.address, data, context(2))
    assert caught.value.reason == "allowance too small" and caught.value.gas_used > 21_000


# --- receipts and storage ---------------------------------------------------------------------


def test_receipts_round_trip_and_have_one_canonical_form(
        engine: ContractEngine, probe_artifact: Artifact) -> None:
    contract, root = probe(engine, probe_artifact)
    block = engine.begin(root, context(2))
    tagged = contract.call(block, sender("bob"), "tag", "发票", [1, 2, 3])
    refused = contract.call(block, sender("bob"), "burnAndRevert")
    for receipt in (tagged, refused):
        assert Receipt.from_json(json.loads(json.dumps(receipt.to_json()))) == receipt
        assert receipt_bytes(receipt).startswith(b"minichain/receipt\x00")
    (log,) = tagged.logs
    assert all(len(topic) == 32 for topic in log.topics) and log.address == contract.address
    label = "0x" + keccak("发票".encode()).hex()
    assert contract.events(tagged) == [("Tagged", {"tag": label, "values": [1, 2, 3], "label": label})]
    broken = tagged.to_json() | {"status": 2}
    with pytest.raises(MalformedData, match="status is 1 or 0"):
        Receipt.from_json(broken)
    with pytest.raises(MalformedData, match="exactly the fields"):
        Receipt.from_json({"status": 1})


def test_storage_view_names_the_token_variables(engine: ContractEngine,
                                                samples: dict[str, Artifact]) -> None:
    alice = sender("alice")
    block = engine.begin(EMPTY_ROOT, context(1))
    token, _ = deploy(block, samples["Token"], alice, 0, ["Yuan", "CNY", 500])
    root = block.commit()
    view = engine.storage(root, token.address).labelled(samples["Token"].storage_layout)
    named = {slot.label: slot for slot in view.slots}
    assert named["name"].text == "Yuan" and named["symbol"].text == "CNY"
    assert named["totalSupply"].value == 500
    balance_slot = int.from_bytes(keccak(bytes(12) + alice.address + (3).to_bytes(32, "big")), "big")
    assert view.as_dict()[balance_slot] == 500  # balanceOf[alice]: keccak256(key . slot 3)
    assert named["(mapping entry or array item)"].slot == balance_slot
    assert view.code_hash == keccak(samples["Token"].deployed_bytecode)
    assert view.to_json()["slots"][0]["label"] == "name"


def test_the_read_cache_is_bounded_in_bytes(tmp_path: Path) -> None:
    import sqlite3

    from minichain.contracts.state_db import SQLiteKV

    kv = SQLiteKV(sqlite3.connect(tmp_path / "kv.db", isolation_level=None), cache_bytes=1000)
    for i in range(50):
        kv[bytes([i]) * 32] = bytes(100)
    assert all(kv[bytes([i]) * 32] == bytes(100) for i in range(50))  # read back through the cache
    assert kv._cache_bytes <= 1000 and len(kv._cache) == 7
    del kv[bytes([49]) * 32]
    assert bytes([49]) * 32 not in kv
    with pytest.raises(KeyError):
        kv[bytes([49]) * 32]


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda b, a: b.call(a[:19], a, b"", 50_000, 1), InvalidAddress, "sender: an EVM address is 20 bytes"),
    (lambda b, a: b.call(a, b"", b"", 50_000, 1), InvalidAddress, "to: an EVM address is 20 bytes"),
    (lambda b, a: b.call(a, a, "0x00", 50_000, 1), InvalidContractTransaction, "data must be bytes"),
    (lambda b, a: b.call(a, a, b"", -1, 1), GasLimitOutOfRange, "gas limit must be an integer"),
    (lambda b, a: b.call(a, a, b"", 50_000, 2**63), GasLimitOutOfRange, "gas price must be"),
    (lambda b, a: b.call(a, a, b"", 1.5, 1), GasLimitOutOfRange, "found 1.5"),
    (lambda b, a: b.deploy(a, -1, b"\x00", 60_000, 1), InvalidContractTransaction, "EIP-2681"),
    (lambda b, a: b.deploy(a, 2**64 - 1, b"\x00", 60_000, 1), InvalidContractTransaction, "EIP-2681"),
])
def test_invalid_interface_inputs_are_named(engine: ContractEngine, call: object, error: type[Exception],
                                            message: str) -> None:
    block = engine.begin(EMPTY_ROOT, context(1))
    with pytest.raises(error, match=message):
        call(block, sender("alice").address)  # type: ignore[operator]
    assert block.receipts == [] and block.state_root == EMPTY_ROOT
    with pytest.raises(InvalidAddress):
        engine.code(EMPTY_ROOT, b"\x01")


def test_invalid_use_of_a_committed_block(engine: ContractEngine, samples: dict[str, Artifact]) -> None:
    block = engine.begin(EMPTY_ROOT, context(1))
    token, _ = deploy(block, samples["Token"], sender("alice"), 0, ["a", "b", 1])
    block.commit()
    with pytest.raises(BlockCommitted, match="already committed") as caught:
        token.call(block, sender("alice"), "transfer", sender("bob").hex, 1)
    assert caught.value.rule == "contract-block-committed"
    with pytest.raises(BlockCommitted):
        block.commit()


def test_a_call_chain_to_the_depth_limit_is_a_receipt(engine: ContractEngine,
                                                       probe_artifact: Artifact) -> None:
    contract, root = probe(engine, probe_artifact)
    block = engine.begin(root, context(2))
    dived = contract.call(block, sender("bob"), "dive", 1, gas=20_000_000)  # 1,024 frames deep
    assert dived.error_rule == "contract-revert"  # the deepest CALL failed; every level reverted
    assert 400_000 < dived.gas_used < 20_000_000


def test_importing_the_engine_leaves_a_safe_recursion_limit() -> None:
    # py_ecc (imported by py-evm) sets 100,000, where deeply nested JSON overflows the C stack.
    code = ("import minichain.contracts.engine, sys\n"
            "from minichain.encoding import parse_json\n"
            "from minichain.errors import MalformedData\n"
            "try:\n    parse_json('[' * 100_000, 'hostile')\n"
            "except MalformedData:\n    print(sys.getrecursionlimit())\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.strip()) == (0, "12288"), done.stderr[-500:]


def test_precompiles_can_be_called_directly(engine: ContractEngine) -> None:
    identity = (4).to_bytes(20, "big")  # 0x04 returns its input
    answer = engine.view(EMPTY_ROOT, identity, b"echo", context(1))
    assert answer.output == b"echo"
    digest = engine.view(EMPTY_ROOT, (2).to_bytes(20, "big"), b"abc", context(1))  # 0x02: SHA-256
    assert digest.output == hashlib.sha256(b"abc").digest()


@pytest.mark.parametrize(("fields", "message"), [
    ({"gas_limit": -1}, "gas_limit must be an integer"),
    ({"timestamp": 1.5}, "timestamp must be an integer"),
    ({"coinbase": b"\x01"}, "coinbase is a 20-byte EVM address"),
    ({"prev_hashes": (b"\x00" * 31,)}, "previous hashes are 32 bytes"),
])
def test_invalid_block_context(fields: dict[str, object], message: str) -> None:
    with pytest.raises(MalformedData, match=message):
        context(1, **fields)
