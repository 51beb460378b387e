"""Canonical bytes: the one definition of what gets hashed and signed.

Two nodes agree on a hash only if they serialise the same object to the same bytes. minichain uses
canonical JSON (the RFC 8785 "JCS" rules for our subset: keys sorted, no spaces, UTF-8, integers
only, bytes as lowercase hex), prefixed by a domain tag so that a transaction can never be
mistaken for a header or a seal. Learners can print these bytes and read exactly what was signed.
The readers below are strict: every field has one type and one spelling, or MalformedData says why.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from typing import Any

from minichain.errors import MalformedData

MAX_INT = 2**63 - 1  # amounts, nonces and heights fit SQLite's signed 64-bit INTEGER


# One encoder, built once: json.dumps would build an identical one on every call.
_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


def canonical_json(value: Any) -> bytes:
    """Deterministic JSON bytes for dicts, lists, str, int, bool and None. Floats are refused
    (1.0, 1e0 and 10e-1 are one number with many spellings: hashes would disagree)."""
    if _has_float(value):
        raise MalformedData("canonical JSON has no floats: use integers (smallest units)")
    try:
        return _CANONICAL.encode(value).encode("utf-8")
    except UnicodeEncodeError:
        raise MalformedData("canonical JSON: text holds a lone surrogate, not valid UTF-8") from None


def _has_float(value: Any) -> bool:
    kind = type(value)
    if kind is dict:
        items = list(value.values())
    elif kind is list or kind is tuple:
        items = list(value)
    else:
        return kind is float
    kinds = set(map(type, items))
    if float in kinds:
        return True
    if kinds & _CONTAINERS:
        return any(_has_float(item) for item in items if type(item) in _CONTAINERS)
    return False


_CONTAINERS = {dict, list, tuple}


def tagged(tag: str, value: Any) -> bytes:
    """Domain separation: `minichain/<tag>` and a NUL byte, then the canonical JSON."""
    return b"minichain/" + tag.encode("ascii") + b"\x00" + canonical_json(value)


def short(data: bytes | str, size: int = 8) -> str:
    """A hash shortened for messages: the first `size` hex digits."""
    text = data.hex() if isinstance(data, bytes) else data
    return text[:size]


# --- strict readers: one field, one type ---------------------------------------------------------


def parse_json(data: bytes | str, what: str) -> Any:
    try:
        return json.loads(data, parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise MalformedData(f"{what}: not valid JSON ({error})") from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def require_object(
    value: Any, what: str, fields: AbstractSet[str], optional: AbstractSet[str] = frozenset()
) -> dict[str, Any]:
    """`value` must be a JSON object with exactly `fields` (plus any of `optional`)."""
    if not isinstance(value, dict):
        raise MalformedData(f"{what}: expected a JSON object, found {type(value).__name__}")
    missing = fields - value.keys()
    if missing:
        raise MalformedData(f"{what}: missing field(s) {', '.join(sorted(missing))}")
    unknown = value.keys() - fields - optional
    if unknown:
        raise MalformedData(f"{what}: unknown field(s) {', '.join(sorted(unknown))}")
    return value


def require_int(
    obj: Mapping[str, Any], key: str, what: str, low: int = 0, high: int = MAX_INT
) -> int:
    value = obj[key]
    # bool is a subclass of int in Python; JSON true is not a number.
    if not isinstance(value, int) or isinstance(value, bool):
        raise MalformedData(f"{what}.{key}: expected an integer, found {value!r}")
    if not low <= value <= high:
        raise MalformedData(f"{what}.{key}: {value} is outside [{low}, {high}]")
    return value


def require_str(obj: Mapping[str, Any], key: str, what: str, max_bytes: int = 256) -> str:
    value = obj[key]
    if not isinstance(value, str):
        raise MalformedData(f"{what}.{key}: expected a string, found {value!r}")
    try:
        size = len(value.encode("utf-8"))
    except UnicodeEncodeError:  # JSON "\ud800" parses to a lone surrogate: no UTF-8 bytes
        raise MalformedData(f"{what}.{key}: not valid UTF-8 text (a lone surrogate)") from None
    if size > max_bytes:
        raise MalformedData(f"{what}.{key}: longer than {max_bytes} bytes")
    return value


def require_hex(obj: Mapping[str, Any], key: str, what: str, size: int | None = None) -> bytes:
    """Lowercase hex only, so that each byte string has exactly one spelling."""
    value = obj[key]
    try:
        raw = bytes.fromhex(value) if isinstance(value, str) else None
    except ValueError:
        raw = None
    # fromhex also takes uppercase and spaces; only the one canonical spelling round-trips.
    if raw is None or raw.hex() != value:
        raise MalformedData(f"{what}.{key}: expected lowercase hex, found {value!r:.80}")
    if size is not None and len(raw) != size:
        raise MalformedData(f"{what}.{key}: expected {size} bytes, found {len(raw)}")
    return raw


def require_list(obj: Mapping[str, Any], key: str, what: str, max_items: int) -> list[Any]:
    value = obj[key]
    if not isinstance(value, list):
        raise MalformedData(f"{what}.{key}: expected a list, found {type(value).__name__}")
    if len(value) > max_items:
        raise MalformedData(f"{what}.{key}: {len(value)} items, at most {max_items} allowed")
    return value
