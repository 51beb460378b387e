"""What the contract tests share: senders of every suite, a block context, deploy and call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from minichain.contracts.abi import ContractAbi
from minichain.contracts.addresses import evm_address, evm_chain_id, to_hex_address
from minichain.contracts.compiler import Artifact
from minichain.contracts.engine import BlockContext, BlockExecution, ContractEngine
from minichain.contracts.receipts import Receipt
from minichain.testing import GENESIS_TIME, make_wallet
from minichain.wallet import Wallet

SUITES = ["sha256-ed25519", "sha256-secp256k1", "sm3-sm2"]
CHAIN_ID = evm_chain_id("minichain-test")
GAS = 3_000_000
GAS_PRICE = 2


@dataclass(frozen=True)
class Sender:
    """A minichain wallet and the EVM address its public key gives it."""

    wallet: Wallet
    address: bytes  # 20 bytes

    @property
    def hex(self) -> str:
        return to_hex_address(self.address)


def sender(seed: int | str, suite: str = "sha256-ed25519") -> Sender:
    wallet = make_wallet(seed, suite)
    return Sender(wallet, evm_address(suite, wallet.public_key))


def context(number: int = 1, **overrides: Any) -> BlockContext:
    fields: dict[str, Any] = {"number": number, "timestamp": GENESIS_TIME + 10 * number,
                              "chain_id": CHAIN_ID}
    return BlockContext(**(fields | overrides))


class Contract:
    """A deployed contract seen through its artifact: call, read, decode."""

    def __init__(self, artifact: Artifact, address: bytes) -> None:
        self.artifact = artifact
        self.abi = ContractAbi(artifact.abi)
        self.address = address

    def call(self, block: BlockExecution, who: Sender, fn: str, *args: Any,
             gas: int = GAS) -> Receipt:
        return block.call(who.address, self.address, self.abi.encode_call(fn, args), gas, GAS_PRICE)

    def read(self, engine: ContractEngine, root: bytes, fn: str, *args: Any) -> Any:
        result = engine.view(root, self.address, self.abi.encode_call(fn, args), context(99))
        values = self.abi.decode_output(fn, result.output, len(args))
        return values[0] if len(values) == 1 else values

    def events(self, receipt: Receipt) -> list[tuple[str, dict[str, Any]]]:
        decoded = [self.abi.decode_event(log.topics, log.data) for log in receipt.logs]
        return [(event.name, event.args) for event in decoded if event is not None]


def deploy(block: BlockExecution, artifact: Artifact, who: Sender, nonce: int,
           args: Sequence[Any] = (), gas: int = GAS) -> tuple[Contract, Receipt]:
    code = ContractAbi(artifact.abi).deploy_code(artifact.bytecode, args)
    receipt = block.deploy(who.address, nonce, code, gas, GAS_PRICE)
    assert receipt.contract_address is not None
    return Contract(artifact, receipt.contract_address), receipt
