"""Receipts: what running a contract transaction did, committed beside the block it ran in.

A receipt records the outcome a node cannot see from the transaction alone: success or failure
(status), the gas used (and so the fee, paid either way), the new contract's address, the logs
its code emitted, and why it failed. Ethereum commits receipts in each header (Yellow Paper,
section 4.3.1, "receiptsRoot"); minichain's chain will do the same with `receipt_bytes`.
Log topics are 32-byte words (py-evm hands them over as integers; we turn them into bytes once).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from minichain.contracts.addresses import parse_hex_address, to_hex_address
from minichain.contracts.errors import (
    AddressCollision,
    CodeTooLarge,
    ExecutionFailed,
    OutOfGas,
    Reverted,
    VmError,
)
from minichain.encoding import tagged
from minichain.errors import MalformedData

SUCCESS, FAILURE = 1, 0

_FAILURES: dict[str, type[ExecutionFailed]] = {
    cls.rule: cls for cls in (OutOfGas, CodeTooLarge, AddressCollision, VmError, ExecutionFailed)
}


@dataclass(frozen=True)
class Log:
    """One LOG0..LOG4 of a successful execution."""

    address: bytes  # 20 bytes: the contract that emitted it
    topics: tuple[bytes, ...]  # 0 to 4 words of 32 bytes; topics[0] is the event's signature hash
    data: bytes  # the event's non-indexed arguments, ABI-encoded

    def to_json(self) -> dict[str, Any]:
        return {"address": to_hex_address(self.address),
                "topics": ["0x" + topic.hex() for topic in self.topics],
                "data": "0x" + self.data.hex()}

    @classmethod
    def from_json(cls, value: Any) -> Log:
        if not isinstance(value, dict) or set(value) != {"address", "topics", "data"}:
            raise MalformedData("a log is {address, topics, data}")
        topics = value["topics"]
        if not isinstance(topics, list) or len(topics) > 4:
            raise MalformedData("a log has a list of at most 4 topics")
        parsed = tuple(_hex(topic, "log topic") for topic in topics)
        if any(len(topic) != 32 for topic in parsed):
            raise MalformedData("a log topic is 32 bytes")
        return cls(parse_hex_address(value["address"]), parsed, _hex(value["data"], "log data"))


@dataclass(frozen=True)
class Receipt:
    """The outcome of one deploy or call. A failed one (status 0) changed no contract state but
    still used gas: the chain charges `fee` and advances the sender's nonce either way."""

    status: int  # 1 success, 0 failure
    gas_used: int  # gas units, intrinsic cost included, after the refund (EIP-3529 caps it)
    gas_price: int  # the chain's smallest coin units per gas unit, as the transaction offered
    contract_address: bytes | None  # 20 bytes for a deploy (where the code is, if status is 1)
    output: bytes  # what the code returned: results on success, the revert data on a revert
    logs: tuple[Log, ...]  # empty on failure: a failed execution's logs are undone with it
    error_rule: str = ""  # on failure: the rule id, e.g. "contract-revert", "contract-out-of-gas"
    error_message: str = ""  # on failure: what happened, in words
    revert_reason: str = ""  # on a revert: the decoded reason ("invoice already redeemed")

    @property
    def fee(self) -> int:
        """What the sender pays the block's producer: gas used times gas price."""
        return self.gas_used * self.gas_price

    @property
    def succeeded(self) -> bool:
        return self.status == SUCCESS

    def error(self) -> ExecutionFailed | None:
        """The failure as its typed exception (None on success)."""
        if self.succeeded:
            return None
        if self.error_rule == Reverted.rule:
            return Reverted(self.error_message, self.gas_used, self.revert_reason, self.output)
        return _FAILURES.get(self.error_rule, ExecutionFailed)(self.error_message, self.gas_used)

    def raise_for_status(self) -> Receipt:
        failure = self.error()
        if failure is not None:
            raise failure
        return self

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "gas_used": self.gas_used,
            "gas_price": self.gas_price,
            "contract_address": (None if self.contract_address is None
                                 else to_hex_address(self.contract_address)),
            "output": "0x" + self.output.hex(),
            "logs": [log.to_json() for log in self.logs],
            "error": None if self.succeeded else {
                "rule": self.error_rule, "message": self.error_message, "reason": self.revert_reason},
        }

    @classmethod
    def from_json(cls, value: Any) -> Receipt:
        """Strict: every field present with its one type, or MalformedData naming it."""
        fields = {"status", "gas_used", "gas_price", "contract_address", "output", "logs", "error"}
        if not isinstance(value, dict) or set(value) != fields:
            raise MalformedData(f"a receipt has exactly the fields {sorted(fields)}")
        status, gas_used, gas_price = value["status"], value["gas_used"], value["gas_price"]
        if status not in (SUCCESS, FAILURE) or isinstance(status, bool):
            raise MalformedData("receipt status is 1 or 0")
        for name, number in (("gas_used", gas_used), ("gas_price", gas_price)):
            if not isinstance(number, int) or isinstance(number, bool) or number < 0:
                raise MalformedData(f"receipt {name} is a non-negative integer")
        address = value["contract_address"]
        logs = value["logs"]
        if not isinstance(logs, list):
            raise MalformedData("receipt logs is a list")
        error = value["error"]
        if (error is None) != (status == SUCCESS):
            raise MalformedData("a receipt has an error exactly when its status is 0")
        rule = message = reason = ""
        if error is not None:
            if not isinstance(error, dict) or set(error) != {"rule", "message", "reason"} or not all(
                    isinstance(error[key], str) for key in error):
                raise MalformedData("receipt error is {rule, message, reason}, all text")
            rule, message, reason = error["rule"], error["message"], error["reason"]
        return cls(
            status=status, gas_used=gas_used, gas_price=gas_price,
            contract_address=None if address is None else parse_hex_address(address),
            output=_hex(value["output"], "receipt output"),
            logs=tuple(Log.from_json(log) for log in logs),
            error_rule=rule, error_message=message, revert_reason=reason,
        )


def receipt_bytes(receipt: Receipt) -> bytes:
    """The canonical bytes a receipts root commits to (domain-tagged canonical JSON)."""
    return tagged("receipt", receipt.to_json())


def _hex(value: Any, what: str) -> bytes:
    if isinstance(value, str) and value.startswith("0x"):
        try:
            return bytes.fromhex(value[2:])
        except ValueError:
            pass
    raise MalformedData(f"{what} is 0x-prefixed hex")
