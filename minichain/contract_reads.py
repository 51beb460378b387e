"""Reading contracts without changing them: view calls, receipts, and a contract's storage.

A view call (Ethereum's eth_call) runs a function on the state at the best chain's tip and then
forgets every change it made: nothing is signed, nothing is paid, no block holds it, so it can
answer "what is my balance?" but cannot change it. A receipt is the other way to learn what a
contract did: the outcome of a transaction that a block ran (status, gas, logs). Both the command
line (`minichain contract read --data`, `minichain receipt --data`) and a node's HTTP API
(POST /call, GET /receipts/{txid}, GET /contracts/{address}) answer through these functions, so
a data directory and a running node say the same thing in the same JSON.
Reference: the Ethereum JSON-RPC specification (eth_call, eth_getTransactionReceipt).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from minichain.chain import Chain

if TYPE_CHECKING:
    from minichain.contracts.abi import ContractAbi
    from minichain.contracts.engine import CallResult
    from minichain.contracts.execution import BlockContext

# Gas bounds the time a read may take: py-evm runs ~3 M gas per CPU-second here, and a read
# answered by a node runs on the node's one thread, so a node grants one a third of a second.
# A data directory (`contract read --data`) is the reader's own: it gets the engine's 3 M.
NODE_VIEW_GAS = 1_000_000  # gas units a POST /call may use at most


def read_context(chain: Chain) -> BlockContext:
    """The block a view call sees: the tip's height, timestamp and producer (never a clock)."""
    from minichain.contracts.addresses import evm_chain_id
    from minichain.contracts.execution import BlockContext
    from minichain.crypto import decode_address

    tip = chain.tip
    return BlockContext(number=tip.height, timestamp=tip.timestamp,
                        chain_id=evm_chain_id(chain.genesis.chain_id),
                        coinbase=decode_address(tip.beneficiary))


def view_call(chain: Chain, to: bytes, data: bytes, sender: bytes | None = None,
              gas_limit: int | None = None, max_gas: int | None = None) -> CallResult:
    """Run `data` (selector + arguments) against the contract at `to` on the tip's state, as
    `sender` (a 20-byte EVM address; default the zero address), and forget its changes.

    Raises:
        GasLimitOutOfRange (contract-gas-limit: above `max_gas`), NoContractCode
        (contract-no-code), IntrinsicGasTooLow, or the ExecutionFailed the call ended in:
        Reverted (contract-revert, with the decoded reason), OutOfGas (contract-out-of-gas).
    """
    from minichain.contracts.engine import VIEW_GAS_LIMIT
    from minichain.contracts.errors import GasLimitOutOfRange

    cap = VIEW_GAS_LIMIT if max_gas is None else max_gas
    gas = cap if gas_limit is None else gas_limit
    if isinstance(gas, bool) or not isinstance(gas, int) or not 0 < gas <= cap:
        raise GasLimitOutOfRange(f"a read may use from 1 to {cap} gas, asked for {gas!r}")
    return chain.contracts.engine.view(chain.contract_root(), to, data, read_context(chain),
                                       sender or bytes(20), gas)


def receipt_json(chain: Chain, txid: bytes) -> dict[str, Any] | None:
    """The receipt of a contract transaction on the best chain, with where it is and what it
    cost; None if no best-chain block holds it (still in a mempool, or never sent)."""
    found = chain.receipt(txid)
    if found is None:
        return None
    block_hash, receipt = found
    entry = chain.entry(block_hash)
    return {"txid": txid.hex(), "block_hash": block_hash.hex(),
            "height": entry.height if entry is not None else None,
            "fee": receipt.fee, **receipt.to_json()}


def contract_json(chain: Chain, address: bytes, limit: int = 1000) -> dict[str, Any]:
    """A contract at the tip: its code hash and size, and its non-zero storage slots (each slot
    number and 32-byte value in hex; a short string stored in place is decoded).

    Raises:
        NoContractCode (contract-no-code) when `address` holds no code.
    """
    from minichain.contracts.addresses import to_hex_address
    from minichain.contracts.errors import NoContractCode

    root = chain.contract_root()
    engine = chain.contracts.engine
    code = engine.code(root, address)
    if not code:
        shown = to_hex_address(address)
        raise NoContractCode(f"no contract at {shown} at height {chain.height}", shown)
    view = engine.storage(root, address, limit)
    return {**view.to_json(), "code_size": len(code), "height": chain.height,
            "contract_root": root.hex()}


def label_storage(contract: dict[str, Any], layout: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """contract_json's answer with each slot named from the compiler's storage layout (an
    artifact's `storage_layout`): "totalSupply", "name", or "(mapping entry or array item)"."""
    from minichain.contracts.addresses import parse_hex_address
    from minichain.contracts.storage import StorageSlot, StorageView

    slots = tuple(StorageSlot(int(slot["slot"], 16), int(slot["value"], 16))
                  for slot in contract.get("slots", []))
    view = StorageView(parse_hex_address(contract["address"]),
                       bytes.fromhex(str(contract["code_hash"])[2:]), slots)
    return {**contract, "slots": view.labelled(layout).to_json()["slots"]}


def decode_receipt(receipt: dict[str, Any], abi: ContractAbi) -> dict[str, Any]:
    """A receipt's JSON with each log read through the contract's ABI (`event` and `args` beside
    the raw topics and data) and a custom error's revert reason decoded."""
    logs = []
    for log in receipt.get("logs", []):
        topics = [bytes.fromhex(topic[2:]) for topic in log.get("topics", [])]
        event = abi.decode_event(topics, bytes.fromhex(str(log.get("data", "0x"))[2:]))
        shown = dict(log)
        if event is not None:
            shown.update(event=event.name, signature=event.signature, args=event.args)
        logs.append(shown)
    decoded = {**receipt, "logs": logs}
    error = receipt.get("error")
    if isinstance(error, dict) and error.get("rule") == "contract-revert":
        output = bytes.fromhex(str(receipt.get("output", "0x"))[2:])
        decoded["error"] = {**error, "reason": abi.decode_revert(output)}
    return decoded


def decode_result(abi: ContractAbi, function: str, args: Sequence[Any], output: bytes) -> Any:
    """A view call's answer as JSON: the value itself when the function returns one, else the
    list of its values."""
    values = abi.decode_output(function, output, len(args))
    return values[0] if len(values) == 1 else values


def parse_txid(text: str) -> bytes:
    """A transaction id from its 64 hex digits; MalformedData says what is wrong."""
    from minichain.errors import MalformedData

    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise MalformedData(f"a transaction id is 64 hex digits, found {text[:70]!r}")
    return raw


__all__ = ["NODE_VIEW_GAS", "contract_json", "decode_receipt", "decode_result", "label_storage",
           "parse_txid", "read_context", "receipt_json", "view_call"]
