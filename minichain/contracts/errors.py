"""The contract engine's errors: each names its rule, as every minichain error does.

Three families, because they happen at three different moments:
  before a transaction exists  compiling (CompileError) and ABI-encoding its arguments (AbiError);
  when a node checks it         rules a transaction breaks before it can run (InvalidContractTransaction);
  when it runs                  a failed execution (ExecutionFailed): in a block this is not an
                                exception but a receipt with status 0 that still pays for its gas,
                                as in Ethereum; `Receipt.raise_for_status()` and view calls raise it.
The facts are fields too (gas_used, reason, limit, found), so a UI can say them in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass

from minichain.errors import InvalidAddress, InvalidTransaction, MalformedData, MinichainError, StoreError


class ContractError(MinichainError):
    """Thrown when a contract cannot be used; the root of the contract errors that are not consensus rules."""

    rule = "contract"


# --- compiling ----------------------------------------------------------------------------------


class CompilerUnavailable(ContractError):
    """Thrown when the offline compiler (Debian nodejs + solc-js under contracts/node_modules) is missing."""

    rule = "contract-compiler"


@dataclass(frozen=True)
class CompileMessage:
    """One error or warning from solc, located in its source file."""

    severity: str  # "error" or "warning"
    kind: str  # solc's type: ParserError, TypeError, DeclarationError, ...
    file: str  # the source unit's name, as given to the compiler
    line: int  # 1-based; 0 when solc gives no location
    column: int  # 1-based; 0 when solc gives no location
    message: str  # solc's message, one line

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{where}: {self.kind}: {self.message}"


class CompileError(ContractError):
    """Thrown when solc refuses Solidity source (or it cannot be read); `errors` says where and why."""

    rule = "contract-compile"

    def __init__(self, message: str, errors: tuple[CompileMessage, ...] = ()) -> None:
        super().__init__(message)
        self.errors = errors
        first = errors[0] if errors else None
        self.file = first.file if first else ""
        self.line = first.line if first else 0


# --- ABI encoding (Solidity ABI specification) --------------------------------------------------


class InvalidEvmAddress(InvalidAddress):
    """Thrown when text or bytes are not a 20-byte EVM address (0x and 40 hex digits, EIP-55 case)."""

    rule = "contract-address"
    checks: tuple[str, ...] = ()


class AbiError(MalformedData):
    """Thrown when arguments or data do not fit a contract's ABI."""

    rule = "contract-abi"


class UnknownFunction(AbiError):
    """Thrown when a function (or event) name is not in the contract's ABI."""

    rule = "contract-function"


class BadArguments(AbiError):
    """Thrown when arguments do not match the function's parameters in number or types."""

    rule = "contract-args"


# --- rules a contract transaction breaks before it runs -----------------------------------------


class InvalidContractTransaction(InvalidTransaction):
    """Thrown when a deploy or call cannot be executed at all (it is not included in a block)."""

    rule = "contract-tx"


class IntrinsicGasTooLow(InvalidContractTransaction):
    """Thrown when the gas limit does not even cover the transaction's intrinsic cost (Yellow Paper, g0)."""

    rule = "contract-intrinsic-gas"

    def __init__(self, message: str, gas_limit: int, intrinsic: int) -> None:
        super().__init__(message)
        self.gas_limit = gas_limit
        self.intrinsic = intrinsic


class InitcodeTooLarge(InvalidContractTransaction):
    """Thrown when deploy code is longer than EIP-3860's limit, which minichain applies as a validity rule."""

    rule = "contract-initcode-size"

    def __init__(self, message: str, size: int, limit: int) -> None:
        super().__init__(message)
        self.size = size
        self.limit = limit


class GasLimitOutOfRange(InvalidContractTransaction):
    """Thrown when a gas limit or gas price is below zero, or a gas limit is above the block's."""

    rule = "contract-gas-limit"


class NoContractCode(InvalidContractTransaction):
    """Thrown when a call goes to an address that holds no contract code."""

    rule = "contract-no-code"

    def __init__(self, message: str, address: str) -> None:
        super().__init__(message)
        self.address = address


# --- execution ----------------------------------------------------------------------------------


class ExecutionFailed(ContractError):
    """Thrown when the EVM ran a transaction and it failed: its state changes are undone, its gas is paid."""

    rule = "contract-execution"

    def __init__(self, message: str, gas_used: int = 0) -> None:
        super().__init__(message)
        self.gas_used = gas_used


class Reverted(ExecutionFailed):
    """Thrown when the contract refuses (REVERT: `require`, `revert`, a custom error or a Panic)."""

    rule = "contract-revert"

    def __init__(self, message: str, gas_used: int, reason: str, data: bytes) -> None:
        super().__init__(message, gas_used)
        self.reason = reason  # decoded: the require() text, "Panic(0x11): ...", "Err(1, 2)"
        self.data = data  # the raw revert data, ABI-encoded


class OutOfGas(ExecutionFailed):
    """Thrown when the gas limit runs out before the code finishes; all of it is spent."""

    rule = "contract-out-of-gas"


class CodeTooLarge(ExecutionFailed):
    """Thrown when deployed code would be longer than EIP-170's 24,576 bytes; all gas is spent."""

    rule = "contract-code-size"


class AddressCollision(ExecutionFailed):
    """Thrown when a deploy's new address already holds code or a nonce (Yellow Paper, section 7)."""

    rule = "contract-address-collision"


class VmError(ExecutionFailed):
    """Thrown when the EVM halts any other way: an invalid opcode, a stack error, a write in a view call."""

    rule = "contract-vm-error"


class BlockCommitted(ContractError):
    """Thrown when a transaction or a second commit comes for a block whose state is already committed."""

    rule = "contract-block-committed"


class UnknownReceipt(ContractError):
    """Thrown when no block of the best chain holds the transaction whose receipt is asked for."""

    rule = "contract-receipt"


# --- state --------------------------------------------------------------------------------------


class UnknownStateRoot(StoreError):
    """Thrown when a contract state root was never persisted in this database."""

    rule = "contract-state-root"
