"""What crosses the grader's narrow channel: the results of a learner's function, as plain data.

Learner code runs in a sandbox; the grade comes from a trusted process that never runs learner code. So
what the learner's function returned crosses as JSON in minichain's own forms (a transaction as
`Transaction.to_json`, a block as `Block.to_json`), and is rebuilt on the other side by a pristine
minichain that parses strictly: an object that pretends (a str subclass whose `==` is always true,
a patched class) cannot cross, only the value it actually holds.

    {"int": "12"}  {"str": "…"}  {"bytes": "00ff"}  {"bool": true}  {"none": null}
    {"list": [...]}  {"tuple": [...]}  {"dict": [[key, value], ...]}
    {"tx": {...}}  {"block": {...}, "suite": "sm3-sm2"}  {"header": {...}}  {"account": [balance, nonce]}
    {"raised": "ValueError", "message": "…"}      what a call raised instead of returning
    {"unsupported": "type name"}                  anything else (it is judged as wrong, never trusted)
"""

from __future__ import annotations

import json
from typing import Any

from minichain import SUITES, Account, Block, Header, MalformedData, MinichainError, Transaction

MAX_DEPTH = 12
MAX_TEXT = 64 * 1024        # characters in one string
MAX_INT_DIGITS = 200        # digits in one integer (2**256 has 78)
MAX_WIRE_BYTES = 4 << 20    # one probe's whole result, as JSON


class WireError(ValueError):
    """Data from the sandbox that is not a well-formed value: the check that reads it scores 0."""


class Raised:
    """A call that raised instead of returning: its exception's class name and message, as data."""

    def __init__(self, kind: str, message: str, rule: str | None = None) -> None:
        self.kind, self.message, self.rule = kind, message, rule

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Raised) and (self.kind, self.message, self.rule) == (
            other.kind, other.message, other.rule)

    def __repr__(self) -> str:
        return f"Raised({self.kind}: {self.message})"

    @classmethod
    def of(cls, error: BaseException) -> Raised:
        rule = getattr(error, "rule", None)
        return cls(type(error).__name__, str(error)[:2000], rule if isinstance(rule, str) else None)


class Unsupported:
    """A value of a type the channel does not carry."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unsupported) and other.kind == self.kind

    def __repr__(self) -> str:
        return f"Unsupported({self.kind})"


# --- in the kernel: encode (whatever the learner's code returned) ---------------------------------


def encode(value: Any, depth: int = 0) -> Any:
    """The wire form of a value. Exact types only: a subclass of int or str is not an int or a str."""
    kind = type(value)
    if depth > MAX_DEPTH:
        return {"unsupported": "too deeply nested"}
    if value is None:
        return {"none": None}
    if kind is bool:
        return {"bool": value}
    if kind is int:
        return {"int": str(value)} if len(str(abs(value))) <= MAX_INT_DIGITS else {"unsupported": "huge int"}
    if kind is str:
        return {"str": value[:MAX_TEXT]}
    if kind is bytes:
        return {"bytes": value.hex()}
    if kind is list or kind is tuple:
        return {kind.__name__: [encode(item, depth + 1) for item in value]}
    if kind is dict:
        return {"dict": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}
    if kind is Raised:
        return {"raised": value.kind, "message": value.message, "rule": value.rule}
    if kind is Transaction:
        return {"tx": value.to_json()}
    if kind is Header:
        return {"header": value.to_json()}
    if kind is Account:
        return {"account": [encode(value.balance), encode(value.nonce)]}
    if kind is Block:
        suite = next((name for name, s in SUITES.items()
                      if value.transactions and value.transactions[0].suite == name), "sha256-ed25519")
        return {"block": {"header": value.header.to_json(),
                          "transactions": [tx.to_json() for tx in value.transactions]}, "suite": suite}
    return {"unsupported": kind.__name__[:64]}


def dumps(value: Any) -> str:
    return json.dumps(encode(value), ensure_ascii=False, separators=(",", ":"))


# --- in the grader: decode, strictly -----------------------------------------------------------------


def _one(data: Any, key: str) -> Any:
    if not isinstance(data, dict) or key not in data:
        raise WireError(f"expected a {key!r} value")
    return data[key]


def decode(data: Any, depth: int = 0) -> Any:
    """The value a wire form describes, rebuilt with this process's (pristine) minichain."""
    if depth > MAX_DEPTH:
        raise WireError("nested too deeply")
    if not isinstance(data, dict) or not 1 <= len(data) <= 3:
        raise WireError(f"not a wire value: {str(data)[:60]}")
    tag = next(iter(data))
    body = data[tag]
    try:
        return _decode(tag, body, data, depth)
    except (MinichainError, TypeError, ValueError) as error:
        if isinstance(error, WireError):
            raise
        raise WireError(f"{tag}: {error}") from None


def _decode(tag: str, body: Any, data: dict[str, Any], depth: int) -> Any:
    match tag:
        case "none" if body is None:
            return None
        case "bool" if type(body) is bool:
            return body
        case "int" if type(body) is str and len(body) <= MAX_INT_DIGITS + 1:
            return int(body)
        case "str" if type(body) is str and len(body) <= MAX_TEXT:
            return body
        case "bytes" if type(body) is str and len(body) <= 2 * MAX_TEXT:
            return bytes.fromhex(body)
        case "list" | "tuple" if type(body) is list:
            items = [decode(item, depth + 1) for item in body]
            return items if tag == "list" else tuple(items)
        case "dict" if type(body) is list:
            pairs = []
            for pair in body:
                if type(pair) is not list or len(pair) != 2:
                    raise WireError("a dict entry is a [key, value] pair")
                pairs.append((decode(pair[0], depth + 1), decode(pair[1], depth + 1)))
            try:
                return dict(pairs)
            except TypeError:
                raise WireError("a dict key that cannot be a key") from None
        case "raised" if type(body) is str:
            message, rule = data.get("message", ""), data.get("rule")
            if type(message) is not str or not (rule is None or type(rule) is str):
                raise WireError("a raised error has a message and a rule id")
            return Raised(body[:200], message[:2000], rule)
        case "unsupported" if type(body) is str:
            return Unsupported(body[:64])
        case "tx":
            return Transaction.from_json(body)
        case "header":
            return Header.from_json(body)
        case "account" if type(body) is list and len(body) == 2:
            balance, nonce = (decode(item, depth + 1) for item in body)
            if type(balance) is not int or type(nonce) is not int:
                raise WireError("an account is two whole numbers")
            return Account(balance, nonce)
        case "block":
            suite = data.get("suite")
            if suite not in SUITES:
                raise MalformedData(f"unknown suite {str(suite)[:40]!r}")
            return Block.from_json(body, SUITES[suite])
    raise WireError(f"not a wire value: {tag!r}")


def loads(text: str) -> Any:
    """decode(json.loads(text)), refusing anything larger than one probe may send."""
    if len(text.encode("utf-8")) > MAX_WIRE_BYTES:
        raise WireError(f"more than {MAX_WIRE_BYTES} bytes")
    try:
        data = json.loads(text, parse_constant=lambda name: (_ for _ in ()).throw(WireError(name)))
    except (ValueError, RecursionError) as error:
        raise WireError(f"not JSON: {str(error)[:80]}") from None
    return decode(data)
