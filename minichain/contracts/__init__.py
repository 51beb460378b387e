"""Smart contracts: real Solidity, compiled offline, run by the EVM inside minichain.

A contract is a program stored on the chain; a transaction calls it, and every node runs the
same call on the same state and must reach the same result: new storage, logs, a state root.
  compiler.py   Solidity -> bytecode + ABI (solc-js 0.8.11 under Debian nodejs, no network)
  abi.py        calls, results, events and refusals as bytes (the Solidity ABI specification)
  addresses.py  msg.sender from a minichain public key, contract addresses, CHAINID
  execution.py  one deploy or call, as the Yellow Paper's section 6 runs it (London rules)
  engine.py     a block's transactions on a state root, view calls, the new root
  receipts.py   what a transaction did: status, gas used, contract address, logs, reason
  state_db.py   the EVM's tries in SQLite; any committed root can be reopened (reorgs)
  storage.py    a contract's storage slots, named from the compiler's storage layout
  errors.py     the typed errors, each with its rule id
References: the Ethereum Yellow Paper (Berlin/London edition); EIP-170, 1559, 2929, 3529, 3860;
the Solidity documentation (ABI specification, storage layout, standard-JSON).

The EVM is py-evm 0.12.1b1, pinned exactly. Upstream py-evm looks archived (alpha releases, no
recent development), so it stays behind engine.py's small interface (ContractEngine,
BlockExecution, BlockContext, Receipt): another EVM can replace it without changing the chain.

Importing py-evm takes about a second, so the names below load on first use (PEP 562): a node
or a CLI command that never touches a contract never pays for it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "Artifact": "compiler", "Compiler": "compiler", "compile_file": "compiler",
    "compile_samples": "compiler", "load_artifact": "compiler", "write_artifacts": "compiler",
    "ContractAbi": "abi", "DecodedEvent": "abi", "decode_revert": "abi",
    "contract_address": "addresses", "evm_address": "addresses", "evm_chain_id": "addresses",
    "parse_hex_address": "addresses", "to_hex_address": "addresses",
    "BlockContext": "execution", "BlockExecution": "engine", "CallResult": "engine",
    "ContractEngine": "engine", "EMPTY_ROOT": "engine", "intrinsic_gas": "execution",
    "Log": "receipts", "Receipt": "receipts", "receipt_bytes": "receipts",
    "StorageSlot": "storage", "StorageView": "storage",
    "SOLC_DIR": "compiler",
    # the contracts' own rules, each with its rule id (errors.py)
    "ContractError": "errors", "CompilerUnavailable": "errors", "CompileMessage": "errors",
    "CompileError": "errors", "InvalidEvmAddress": "errors", "AbiError": "errors",
    "UnknownFunction": "errors", "BadArguments": "errors", "InvalidContractTransaction": "errors",
    "IntrinsicGasTooLow": "errors", "InitcodeTooLarge": "errors", "GasLimitOutOfRange": "errors",
    "NoContractCode": "errors", "ExecutionFailed": "errors", "Reverted": "errors", "OutOfGas": "errors",
    "CodeTooLarge": "errors", "AddressCollision": "errors", "VmError": "errors",
    "BlockCommitted": "errors", "UnknownStateRoot": "errors", "UnknownReceipt": "errors",
}

__all__ = [  # the same names as _EXPORTS
    "EMPTY_ROOT",
    "SOLC_DIR",
    "AbiError",
    "AddressCollision",
    "Artifact",
    "BadArguments",
    "BlockCommitted",
    "BlockContext",
    "BlockExecution",
    "CallResult",
    "CodeTooLarge",
    "CompileError",
    "CompileMessage",
    "Compiler",
    "CompilerUnavailable",
    "ContractAbi",
    "ContractEngine",
    "ContractError",
    "DecodedEvent",
    "ExecutionFailed",
    "GasLimitOutOfRange",
    "InitcodeTooLarge",
    "IntrinsicGasTooLow",
    "InvalidContractTransaction",
    "InvalidEvmAddress",
    "Log",
    "NoContractCode",
    "OutOfGas",
    "Receipt",
    "Reverted",
    "StorageSlot",
    "StorageView",
    "UnknownFunction",
    "UnknownReceipt",
    "UnknownStateRoot",
    "VmError",
    "compile_file",
    "compile_samples",
    "contract_address",
    "decode_revert",
    "evm_address",
    "evm_chain_id",
    "intrinsic_gas",
    "load_artifact",
    "parse_hex_address",
    "receipt_bytes",
    "to_hex_address",
    "write_artifacts",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'minichain.contracts' has no attribute {name!r}")
    return getattr(importlib.import_module(f"minichain.contracts.{module}"), name)


if TYPE_CHECKING:  # type checkers see the real names
    from minichain.contracts.abi import ContractAbi, DecodedEvent, decode_revert
    from minichain.contracts.addresses import (
        contract_address,
        evm_address,
        evm_chain_id,
        parse_hex_address,
        to_hex_address,
    )
    from minichain.contracts.compiler import (
        SOLC_DIR,
        Artifact,
        Compiler,
        compile_file,
        compile_samples,
        load_artifact,
        write_artifacts,
    )
    from minichain.contracts.engine import (
        EMPTY_ROOT,
        BlockContext,
        BlockExecution,
        CallResult,
        ContractEngine,
        intrinsic_gas,
    )
    from minichain.contracts.errors import (
        AbiError,
        AddressCollision,
        BadArguments,
        BlockCommitted,
        CodeTooLarge,
        CompileError,
        CompileMessage,
        CompilerUnavailable,
        ContractError,
        ExecutionFailed,
        GasLimitOutOfRange,
        InitcodeTooLarge,
        IntrinsicGasTooLow,
        InvalidContractTransaction,
        InvalidEvmAddress,
        NoContractCode,
        OutOfGas,
        Reverted,
        UnknownFunction,
        UnknownReceipt,
        UnknownStateRoot,
        VmError,
    )
    from minichain.contracts.receipts import Log, Receipt, receipt_bytes
    from minichain.contracts.storage import StorageSlot, StorageView
