"""The contract ABI: how a function call, its result, an event and a refusal become bytes.

A call's data is a 4-byte selector (the first bytes of keccak256 of the function's signature,
such as "transfer(address,uint256)") followed by the arguments, each encoded in 32-byte words;
events put their signature hash and indexed arguments in topics, the rest in data; a refusal
returns Error(string), Panic(uint256) or a custom error, encoded the same way. Reference: the
Solidity ABI specification (docs.soliditylang.org, "Contract ABI Specification"); eth-abi does
the word-level encoding. Arguments arrive as JSON: numbers (or decimal strings), 0x-hex for
addresses and bytes, lists for arrays and tuples. A wrong one is a BadArguments naming it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eth_abi.abi import decode, encode
from eth_abi.exceptions import DecodingError, EncodingError, ParseError
from eth_abi.grammar import ABIType, BasicType, TupleType, parse
from eth_hash.auto import keccak

from minichain.contracts.addresses import parse_hex_address, to_hex_address
from minichain.contracts.errors import AbiError, BadArguments, UnknownFunction
from minichain.errors import InvalidAddress

ERROR_SELECTOR = keccak(b"Error(string)")[:4]  # 0x08c379a0: require(cond, "text")
PANIC_SELECTOR = keccak(b"Panic(uint256)")[:4]  # 0x4e487b71: the compiler's own checks

# Panic codes, from the Solidity documentation ("Panic via assert and Error via require").
PANIC_CODES = {
    0x00: "generic compiler panic",
    0x01: "assert() failed",
    0x11: "arithmetic overflow or underflow",
    0x12: "division or modulo by zero",
    0x21: "conversion to an enum out of range",
    0x22: "incorrectly encoded storage byte array",
    0x31: "pop() on an empty array",
    0x32: "array index out of bounds",
    0x41: "too much memory allocated",
    0x51: "call to a zero-initialised function variable",
}


def type_string(param: Mapping[str, Any]) -> str:
    """The canonical type of an ABI parameter: tuples spelled out, "(address,uint256)[]"."""
    kind = str(param["type"])
    if kind.startswith("tuple"):
        inner = ",".join(type_string(component) for component in param.get("components", []))
        return f"({inner}){kind[len('tuple'):]}"
    return kind


def signature(entry: Mapping[str, Any]) -> str:
    """ "transfer(address,uint256)": what the selector and the event topic hash."""
    return f"{entry.get('name', '')}({','.join(type_string(p) for p in entry.get('inputs', []))})"


def selector(entry: Mapping[str, Any]) -> bytes:
    return keccak(signature(entry).encode("ascii"))[:4]


@dataclass(frozen=True)
class DecodedEvent:
    """A log read back through the ABI."""

    name: str
    args: dict[str, Any]  # JSON-ready: ints, "0x..." for addresses and bytes, lists
    signature: str


class ContractAbi:
    """One contract's ABI: encode calls and constructor arguments, decode results and logs."""

    def __init__(self, abi: Sequence[Mapping[str, Any]]) -> None:
        self.entries = tuple(abi)
        self._functions = [e for e in self.entries if e.get("type") == "function"]
        self._events = {keccak(signature(e).encode("ascii")): e for e in self.entries
                        if e.get("type") == "event" and not e.get("anonymous")}
        self._errors = {selector(e): e for e in self.entries if e.get("type") == "error"}
        constructors = [e for e in self.entries if e.get("type") == "constructor"]
        self._constructor: Mapping[str, Any] = constructors[0] if constructors else {"inputs": []}

    # --- functions ------------------------------------------------------------------------------

    def function(self, name: str, arg_count: int | None = None) -> Mapping[str, Any]:
        """The ABI entry of `name` (or of a full signature "f(uint256)"); overloads are told
        apart by their number of arguments. Raises UnknownFunction."""
        if "(" in name:
            matches = [e for e in self._functions if signature(e) == name.replace(" ", "")]
        else:
            matches = [e for e in self._functions if e.get("name") == name]
            if len(matches) > 1 and arg_count is not None:
                matches = [e for e in matches if len(e.get("inputs", [])) == arg_count]
        if len(matches) == 1:
            return matches[0]
        known = ", ".join(sorted({signature(e) for e in self._functions})) or "none"
        if not matches:
            raise UnknownFunction(f"the contract has no function {name!r}; its functions: {known}")
        raise UnknownFunction(f"{name!r} is overloaded; name one by signature: {known}")

    def is_view(self, name: str, arg_count: int | None = None) -> bool:
        return self.function(name, arg_count).get("stateMutability") in ("view", "pure")

    def encode_call(self, name: str, args: Sequence[Any] = ()) -> bytes:
        """Call data: selector + arguments. Raises UnknownFunction or BadArguments."""
        _require_list(args, name)
        entry = self.function(name, len(args))
        return selector(entry) + _encode_args(entry, args, signature(entry))

    def encode_constructor(self, args: Sequence[Any] = ()) -> bytes:
        """The constructor's arguments, to append to the init code (`bytecode + this`)."""
        return _encode_args(self._constructor, args, "constructor")

    def deploy_code(self, bytecode: bytes, args: Sequence[Any] = ()) -> bytes:
        return bytecode + self.encode_constructor(args)

    def decode_output(self, name: str, output: bytes, arg_count: int | None = None) -> list[Any]:
        """A function's return values, JSON-ready, in order."""
        entry = self.function(name, arg_count)
        types = [type_string(p) for p in entry.get("outputs", [])]
        try:
            values = decode(types, output)
        except (DecodingError, ParseError, ValueError) as error:
            raise AbiError(f"{signature(entry)} returned {len(output)} bytes that do not decode "
                           f"as ({','.join(types)}): {error}") from None
        return [to_json_value(t, v) for t, v in zip(types, values, strict=True)]

    # --- events and refusals --------------------------------------------------------------------

    def decode_event(self, topics: Sequence[bytes], data: bytes) -> DecodedEvent | None:
        """A log as its event, or None when its first topic is none of this contract's events."""
        entry = self._events.get(topics[0]) if topics else None
        if entry is None:
            return None
        inputs = list(entry.get("inputs", []))
        indexed = [p for p in inputs if p.get("indexed")]
        plain = [p for p in inputs if not p.get("indexed")]
        if len(indexed) != len(topics) - 1:
            return None
        try:
            plain_values = iter(decode([type_string(p) for p in plain], data))
            indexed_topics = iter(topics[1:])
            args: dict[str, Any] = {}
            for position, param in enumerate(inputs):  # in the event's own order
                name = param.get("name") or f"arg{position}"
                if param.get("indexed"):
                    args[name] = _topic_value(param, next(indexed_topics))
                else:
                    args[name] = to_json_value(type_string(param), next(plain_values))
        except (DecodingError, ValueError):
            return None
        return DecodedEvent(str(entry.get("name")), args, signature(entry))

    def decode_revert(self, data: bytes) -> str:
        """Error(string) and Panic(uint256) as any ABI would, and this contract's custom errors."""
        entry = self._errors.get(data[:4])
        if entry is None:
            return decode_revert(data)
        params = list(entry.get("inputs", []))
        types = [type_string(p) for p in params]
        try:
            values = decode(types, data[4:])
        except (DecodingError, ValueError):
            return decode_revert(data)
        shown = ", ".join(f"{p.get('name') or i}={to_json_value(t, v)}"
                          for i, (p, t, v) in enumerate(zip(params, types, values, strict=True)))
        return f"{entry.get('name')}({shown})"


def decode_revert(data: bytes) -> str:
    """The reason a contract refused, without its ABI: the require() text, the Panic's meaning,
    or the 4-byte selector of a custom error (decodable with the contract's ABI)."""
    if not data:
        return "reverted without a reason"
    try:
        if data[:4] == ERROR_SELECTOR:
            (text,) = decode(["string"], data[4:])
            return str(text)
        if data[:4] == PANIC_SELECTOR:
            (code,) = decode(["uint256"], data[4:])
            return f"Panic(0x{code:02x}): {PANIC_CODES.get(code, 'unknown panic code')}"
    except (DecodingError, ValueError):
        pass
    return f"custom error 0x{data[:4].hex()} ({len(data)} bytes of revert data)"


# --- JSON values <-> ABI values -----------------------------------------------------------------


def _require_list(args: Any, where: str) -> None:
    if not isinstance(args, (list, tuple)):
        raise BadArguments(f"{where}: arguments are a JSON list, found {type(args).__name__}")


def _encode_args(entry: Mapping[str, Any], args: Sequence[Any], where: str) -> bytes:
    params = list(entry.get("inputs", []))
    _require_list(args, where)
    if len(args) != len(params):
        raise BadArguments(f"{where} takes {len(params)} argument(s), found {len(args)}")
    types = [type_string(p) for p in params]
    values = []
    for position, (param, kind, arg) in enumerate(zip(params, types, args, strict=True)):
        label = f"{where}, argument {position + 1} ({param.get('name') or kind}: {kind})"
        values.append(from_json_value(kind, arg, label))
    try:
        return bytes(encode(types, values))
    except (EncodingError, ParseError, TypeError, ValueError, OverflowError) as error:
        raise BadArguments(f"{where}: {error}") from None


def from_json_value(kind: str, value: Any, label: str) -> Any:
    """A JSON argument as eth-abi wants it for type `kind`; BadArguments says which is wrong."""
    try:
        abi_type = parse(kind)
    except ParseError:
        raise AbiError(f"{label}: the ABI type {kind!r} is not valid") from None
    return _from_json(abi_type, value, label)


def _from_json(abi_type: ABIType, value: Any, label: str) -> Any:
    if abi_type.is_array:
        if not isinstance(value, list):
            raise BadArguments(f"{label}: expected a JSON list, found {value!r:.60}")
        length = abi_type.arrlist[-1] if abi_type.arrlist else []
        if length and len(value) != length[0]:
            raise BadArguments(f"{label}: expected {length[0]} items, found {len(value)}")
        item = abi_type.item_type
        return [_from_json(item, v, f"{label}[{i}]") for i, v in enumerate(value)]
    if isinstance(abi_type, TupleType):
        if not isinstance(value, list) or len(value) != len(abi_type.components):
            raise BadArguments(f"{label}: expected a list of {len(abi_type.components)} values")
        return tuple(_from_json(c, v, f"{label}.{i}")
                     for i, (c, v) in enumerate(zip(abi_type.components, value, strict=True)))
    if not isinstance(abi_type, BasicType):
        raise AbiError(f"{label}: unsupported ABI type {abi_type.to_type_str()}")
    base, sub = abi_type.base, abi_type.sub
    if base in ("uint", "int"):
        return _integer(value, label)
    if base == "bool":
        if not isinstance(value, bool):
            raise BadArguments(f"{label}: expected true or false, found {value!r:.60}")
        return value
    if base == "string":
        if not isinstance(value, str):
            raise BadArguments(f"{label}: expected text, found {value!r:.60}")
        return value
    if base == "address":
        try:
            return to_hex_address(parse_hex_address(value))
        except InvalidAddress as error:
            raise BadArguments(f"{label}: {error}") from None
    if base == "bytes":
        raw = _hex_bytes(value, label)
        if isinstance(sub, int) and len(raw) != sub:
            raise BadArguments(f"{label}: expected exactly {sub} bytes, found {len(raw)}")
        return raw
    raise AbiError(f"{label}: the ABI type {abi_type.to_type_str()} is not supported here")


def _integer(value: Any, label: str) -> int:
    if isinstance(value, bool):
        raise BadArguments(f"{label}: expected an integer, found {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and len(value) <= 80:
        text = value.strip()
        try:
            return int(text, 16) if text.lower().startswith(("0x", "-0x")) else int(text, 10)
        except ValueError:
            pass
    raise BadArguments(f"{label}: expected an integer (or its decimal text), found {value!r:.60}")


def _hex_bytes(value: Any, label: str) -> bytes:
    if isinstance(value, str) and value.startswith("0x"):
        try:
            return bytes.fromhex(value[2:])
        except ValueError:
            pass
    raise BadArguments(f"{label}: expected 0x-prefixed hex bytes, found {value!r:.60}")


def to_json_value(kind: str, value: Any) -> Any:
    """A decoded ABI value in JSON form: ints stay ints, bytes become 0x-hex, tuples lists,
    addresses 0x-hex with their EIP-55 checksum."""
    if kind == "address" and isinstance(value, str):
        return to_hex_address(parse_hex_address(value))
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, (list, tuple)):
        abi_type = parse(kind)
        if abi_type.is_array:
            item = abi_type.item_type.to_type_str()
            return [to_json_value(item, v) for v in value]
        if isinstance(abi_type, TupleType):
            return [to_json_value(c.to_type_str(), v)
                    for c, v in zip(abi_type.components, value, strict=True)]
        return list(value)
    return value


def _topic_value(param: Mapping[str, Any], topic: bytes) -> Any:
    """An indexed argument. Value types are their topic, decoded; strings, bytes, arrays and
    structs are stored as the keccak256 of their encoding, so only that hash can be shown."""
    kind = type_string(param)
    abi_type = parse(kind)
    if abi_type.is_array or isinstance(abi_type, TupleType) or kind in ("string", "bytes"):
        return "0x" + topic.hex()
    (value,) = decode([kind], topic)
    return to_json_value(kind, value)
