"""Contract transactions: "run this code" (deploy) or "call that contract" (call), signed like a transfer.

A contract transaction is a Transaction whose receiver is the EVM: it moves no coin (amount 0, no
recipient address) and instead carries EVM input (`data`) and a gas budget. It keeps every replay
defence of a transfer (chain id and nonce are signed) and is signed by the same three suites over
its own domain-tagged canonical bytes ("minichain/contract-tx"), so a transfer's bytes, txid and
JSON are exactly what they were before contracts existed: only contract transactions carry `kind`.
The sender must afford `gas_limit * gas_price` up front (the `fee` field holds that maximum, which
is also what the mempool orders by); the block charges only `gas_used * gas_price` (Ethereum's
rule, Yellow Paper section 6), even when the call reverts or runs out of gas.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, cast

from minichain.crypto import get_suite
from minichain.encoding import (
    MAX_INT,
    canonical_json,
    require_hex,
    require_int,
    require_object,
    require_str,
    short,
    tagged,
)
from minichain.errors import MalformedData
from minichain.transactions import Transaction, get_suite_for_parse, sign_transaction

DEPLOY, CALL = "deploy", "call"
MAX_DATA_BYTES = 49_152  # EIP-3860's init-code limit, applied to every contract transaction's data
MAX_TX_GAS = 30_000_000  # gas units: at most one whole block's gas (execution.BLOCK_GAS_LIMIT)
_FIELDS = {"chain_id", "suite", "sender_key", "kind", "to", "data", "gas_limit", "gas_price",
           "nonce", "signature"}
_DERIVED = {"sender", "txid"}


@dataclass(frozen=True)
class ContractTransaction(Transaction):
    """A deploy or a call signed by the holder of `sender_key`. `recipient`, `amount` and `memo` are
    unused (empty, 0, empty); `fee` is set to gas_limit * gas_price: the most this can cost."""

    kind: str = CALL  # "deploy" (data = init code + ABI-encoded constructor args) or "call"
    to: bytes = b""  # 20 bytes: the contract called; empty for a deploy
    data: bytes = b""  # EVM input, at most 49,152 bytes
    gas_limit: int = 0  # gas units the EVM may use at most (intrinsic gas included)
    gas_price: int = 0  # smallest coin units paid per gas unit used

    is_contract = True

    def __post_init__(self) -> None:
        fee = (self.gas_limit * self.gas_price if type(self.gas_limit) is int
               and type(self.gas_price) is int else 0)
        object.__setattr__(self, "fee", fee)

    def unsigned_fields(self) -> dict[str, Any]:
        return {
            "chain_id": self.chain_id,
            "suite": self.suite,
            "sender_key": self.sender_key.hex(),
            "kind": self.kind,
            "to": self.to.hex(),
            "data": self.data.hex(),
            "gas_limit": self.gas_limit,
            "gas_price": self.gas_price,
            "nonce": self.nonce,
        }

    def canonical_signing_bytes(self) -> bytes:
        """Exactly what the sender signs: every field but the signature, tagged "contract-tx"."""
        return tagged("contract-tx", self.unsigned_fields())

    @cached_property
    def signing_bytes(self) -> bytes:
        return self.canonical_signing_bytes()

    @cached_property
    def json_bytes(self) -> bytes:
        return canonical_json(self.to_json())

    @property
    def cost(self) -> int:
        """What the sender must hold before it runs: the whole gas budget."""
        return self.fee

    @classmethod
    def from_json(cls, value: Any, check_derived: bool = True) -> ContractTransaction:
        """Strict parse, as Transaction.from_json; MalformedData names the field."""
        what = "contract transaction"
        obj = require_object(value, what, _FIELDS, optional=_DERIVED)
        suite_name = require_str(obj, "suite", what, 32)
        suite = get_suite_for_parse(suite_name)
        kind = require_str(obj, "kind", what, 16)
        if kind not in (DEPLOY, CALL):
            raise MalformedData(f"{what}.kind: expected 'deploy' or 'call', found {kind!r}")
        if not isinstance(obj["data"], str) or len(obj["data"]) > 2 * MAX_DATA_BYTES:
            raise MalformedData(f"{what}.data: hex of at most {MAX_DATA_BYTES} bytes")
        tx = cls(
            chain_id=require_str(obj, "chain_id", what, 64),
            suite=suite_name,
            sender_key=require_hex(obj, "sender_key", what, suite.public_key_size),
            recipient="", amount=0, fee=0,
            nonce=require_int(obj, "nonce", what, 0, MAX_INT),
            signature=require_hex(obj, "signature", what, suite.signature_size),
            kind=kind,
            to=require_hex(obj, "to", what, 20 if kind == CALL else 0),
            data=require_hex(obj, "data", what),
            gas_limit=require_int(obj, "gas_limit", what, 0, MAX_INT),
            gas_price=require_int(obj, "gas_price", what, 0, MAX_INT),
        )
        if check_derived:
            if "sender" in obj and obj["sender"] != tx.sender:
                raise MalformedData(f"{what}.sender: says {obj['sender']!r}, key gives {tx.sender}")
            if "txid" in obj and obj["txid"] != tx.txid.hex():
                raise MalformedData(f"{what}.txid: says {str(obj['txid'])[:16]}, content hashes "
                                    f"to {tx.txid.hex()[:16]}")
        return tx


def validate_contract_fields(tx: ContractTransaction, block_gas_limit: int = MAX_TX_GAS) -> None:
    """The stateless rules of a deploy or call (the signature is checked as for a transfer); a
    gas limit above the chain's `block_gas_limit` could never be included in a block.

    Raises:
        InvalidContractTransaction (contract-tx: kind, data size), InvalidEvmAddress
        (contract-address), GasLimitOutOfRange (contract-gas-limit), IntrinsicGasTooLow
        (contract-intrinsic-gas).
    """
    from minichain.contracts.errors import (
        GasLimitOutOfRange,
        IntrinsicGasTooLow,
        InvalidContractTransaction,
        InvalidEvmAddress,
    )
    from minichain.contracts.execution import intrinsic_gas

    label = f"tx {short(tx.txid)}"
    if tx.kind not in (DEPLOY, CALL):
        raise InvalidContractTransaction(f"{label}: kind must be deploy or call, found {tx.kind!r}")
    if len(tx.to) != (20 if tx.kind == CALL else 0):
        wanted = "a 20-byte contract address" if tx.kind == CALL else "no address"
        raise InvalidEvmAddress(f"{label}: a {tx.kind} has {wanted}, found {len(tx.to)} bytes")
    if len(tx.data) > MAX_DATA_BYTES:
        raise InvalidContractTransaction(
            f"{label}: data is {len(tx.data)} bytes, at most {MAX_DATA_BYTES}")
    most = min(MAX_TX_GAS, block_gas_limit)
    if not 0 < tx.gas_limit <= most or tx.gas_price < 0:
        raise GasLimitOutOfRange(f"{label}: gas limit must be from 1 to {most} (a block's) and the gas "
                                 f"price not negative, found {tx.gas_limit} and {tx.gas_price}")
    if tx.gas_limit * tx.gas_price > MAX_INT:
        raise GasLimitOutOfRange(f"{label}: gas limit times gas price is above 2^63-1")
    needed = intrinsic_gas(tx.data, tx.kind == DEPLOY)
    if tx.gas_limit < needed:
        raise IntrinsicGasTooLow(f"{label}: gas limit {tx.gas_limit} is below the intrinsic gas "
                                 f"{needed} of this {tx.kind}", tx.gas_limit, needed)


def contract_transaction(private_key: bytes, *, suite: str, chain_id: str, kind: str, data: bytes,
                         nonce: int, gas_limit: int, gas_price: int = 0,
                         to: bytes = b"") -> ContractTransaction:
    """Build and sign a deploy (kind="deploy", data = init code + args) or a call (to, data)."""
    public_key = get_suite(suite).public_key(private_key)
    unsigned = ContractTransaction(chain_id, suite, public_key, "", 0, 0, nonce, kind=kind, to=to,
                                   data=data, gas_limit=gas_limit, gas_price=gas_price)
    return cast(ContractTransaction, sign_transaction(unsigned, private_key))  # replace keeps the class
