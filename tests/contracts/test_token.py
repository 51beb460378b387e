"""The sample token, run by the engine: deploy, call, read, events, refusals, for all suites."""

from __future__ import annotations

import pytest
from contractkit import GAS_PRICE, SUITES, context, deploy, sender

from minichain.contracts.compiler import Artifact
from minichain.contracts.engine import EMPTY_ROOT, ContractEngine
from minichain.contracts.errors import BadArguments, OutOfGas, Reverted, UnknownFunction

SUPPLY = 1_000_000


@pytest.mark.parametrize("suite", SUITES)
def test_deploy_transfer_read_for_every_suite(engine: ContractEngine, samples: dict[str, Artifact],
                                              suite: str) -> None:
    alice, bob = sender("alice", suite), sender("bob", suite)
    block = engine.begin(EMPTY_ROOT, context(1))
    token, deployed = deploy(block, samples["Token"], alice, 0, ["Yuan", "CNY", SUPPLY])
    assert deployed.succeeded and deployed.gas_used > 100_000
    assert engine.has_root(EMPTY_ROOT)
    sent = token.call(block, alice, "transfer", bob.hex, 250)
    assert sent.succeeded, sent.error_message
    assert sent.fee == sent.gas_used * GAS_PRICE
    assert token.events(sent) == [("Transfer", {"from": alice.hex, "to": bob.hex, "value": 250})]
    root = block.commit()
    # msg.sender was the deployer's derived address: the whole supply was minted to it
    assert token.read(engine, root, "balanceOf", alice.hex) == SUPPLY - 250
    assert token.read(engine, root, "balanceOf", bob.hex) == 250
    assert token.read(engine, root, "name") == "Yuan"
    assert token.read(engine, root, "totalSupply") == SUPPLY


def test_deploy_emits_the_mint_event_and_gas_matches_ethereum(engine: ContractEngine,
                                                               samples: dict[str, Artifact]) -> None:
    alice, bob = sender("alice"), sender("bob")
    block = engine.begin(EMPTY_ROOT, context(1))
    token, deployed = deploy(block, samples["Token"], alice, 0, ["Yuan", "CNY", SUPPLY])
    assert token.events(deployed) == [
        ("Transfer", {"from": "0x" + "00" * 20, "to": alice.hex, "value": SUPPLY})]
    first = token.call(block, alice, "transfer", bob.hex, 1)
    second = token.call(block, alice, "transfer", bob.hex, 1)
    # Ethereum's costs: a slot going from zero to non-zero costs 20,000 (EIP-2200), a later
    # change 2,900 after the cold-access charge (EIP-2929): the first transfer is the dearer one.
    assert first.gas_used - second.gas_used == 17_100


def test_invalid_custom_error_revert_pays_gas_and_changes_nothing(
        engine: ContractEngine, samples: dict[str, Artifact]) -> None:
    alice, bob = sender("alice"), sender("bob")
    block = engine.begin(EMPTY_ROOT, context(1))
    token, _ = deploy(block, samples["Token"], alice, 0, ["Yuan", "CNY", 100])
    before = block.state_root
    refused = token.call(block, bob, "transfer", alice.hex, 5)
    assert not refused.succeeded
    assert 21_000 < refused.gas_used < 30_000  # REVERT hands back the gas it did not use
    assert refused.fee == refused.gas_used * GAS_PRICE
    assert refused.logs == ()
    assert block.state_root == before
    assert refused.error_rule == "contract-revert"
    assert token.abi.decode_revert(refused.output) == "InsufficientBalance(available=0, required=5)"
    with pytest.raises(Reverted, match="custom error 0xcf479181") as caught:
        refused.raise_for_status()
    assert caught.value.rule == "contract-revert" and caught.value.gas_used == refused.gas_used


def test_invalid_require_revert_has_its_reason(engine: ContractEngine,
                                              samples: dict[str, Artifact]) -> None:
    alice, bob = sender("alice"), sender("bob")
    block = engine.begin(EMPTY_ROOT, context(1))
    token, _ = deploy(block, samples["Token"], alice, 0, ["Yuan", "CNY", 100])
    refused = token.call(block, bob, "transferFrom", alice.hex, bob.hex, 1)
    assert refused.revert_reason == "allowance too small"
    with pytest.raises(Reverted, match="allowance too small"):
        refused.raise_for_status()


def test_invalid_out_of_gas_spends_the_whole_limit(engine: ContractEngine,
                                                  samples: dict[str, Artifact]) -> None:
    alice, bob = sender("alice"), sender("bob")
    block = engine.begin(EMPTY_ROOT, context(1))
    token, _ = deploy(block, samples["Token"], alice, 0, ["Yuan", "CNY", 100])
    before = block.state_root
    starved = token.call(block, alice, "transfer", bob.hex, 1, gas=30_000)
    assert not starved.succeeded and starved.gas_used == 30_000
    assert block.state_root == before
    with pytest.raises(OutOfGas, match="out of gas: all 30000 gas units") as caught:
        starved.raise_for_status()
    assert caught.value.rule == "contract-out-of-gas"
    code = token.abi.deploy_code(samples["Token"].bytecode, ["Yuan", "CNY", 100])
    starved_deploy = block.deploy(alice.address, 1, code, 150_000, 1)
    assert starved_deploy.error_rule == "contract-out-of-gas"
    assert starved_deploy.gas_used == 150_000
    assert engine.code(block.commit(), starved_deploy.contract_address or b"") == b""


def test_invalid_bad_arguments_name_the_argument(samples: dict[str, Artifact]) -> None:
    from minichain.contracts.abi import ContractAbi

    abi = ContractAbi(samples["Token"].abi)
    with pytest.raises(BadArguments, match="takes 2 argument"):
        abi.encode_call("transfer", ["0x" + "11" * 20])
    with pytest.raises(BadArguments, match=r"argument 1 \(to: address\).*0x and 40 hex"):
        abi.encode_call("transfer", ["M3xy", 1])
    with pytest.raises(BadArguments, match=r"argument 2 \(value: uint256\)"):
        abi.encode_call("transfer", ["0x" + "11" * 20, "ten"])
    with pytest.raises(BadArguments, match="uint256"):
        abi.encode_call("transfer", ["0x" + "11" * 20, -1])
    with pytest.raises(BadArguments, match="takes 3 argument") as caught:
        abi.encode_constructor(["Yuan"])
    assert caught.value.rule == "contract-args"
    with pytest.raises(UnknownFunction, match=r"no function 'mint'.*transfer") as unknown:
        abi.encode_call("mint", [1])
    assert unknown.value.rule == "contract-function"
