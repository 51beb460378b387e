"""Canonical bytes and the strict readers: one object, one spelling."""

from __future__ import annotations

import json
from typing import Any

import pytest

from minichain.encoding import (
    MAX_INT,
    canonical_json,
    parse_json,
    require_hex,
    require_int,
    require_list,
    require_object,
    require_str,
    short,
    tagged,
)
from minichain.errors import MalformedData

# --- canonical_json -----------------------------------------------------------------------------


def test_canonical_json_is_independent_of_key_order() -> None:
    forward = {"b": 1, "a": [1, 2, {"y": None, "x": True}], "c": "z"}
    backward = {"c": "z", "a": [1, 2, {"x": True, "y": None}], "b": 1}
    assert list(forward) != list(backward)
    assert canonical_json(forward) == canonical_json(backward)
    assert canonical_json(forward) == b'{"a":[1,2,{"x":true,"y":null}],"b":1,"c":"z"}'


def test_canonical_json_writes_utf8_not_escapes() -> None:
    assert canonical_json({"memo": "café ✓"}) == '{"memo":"café ✓"}'.encode()


def test_canonical_json_keeps_list_order() -> None:
    assert canonical_json([2, 1]) != canonical_json([1, 2])


def test_canonical_json_handles_integers_beyond_64_bits() -> None:
    assert canonical_json({"n": 2**256 - 1}) == b'{"n":%d}' % (2**256 - 1)


@pytest.mark.parametrize(
    "value",
    [1.5, 1.0, float("nan"), float("inf"), -float("inf"), {"amount": 0.1}, [1, [2, 3.0]]],
    ids=["1.5", "1.0", "nan", "inf", "-inf", "nested-dict", "nested-list"],
)
def test_invalid_encoding_canonical_json_refuses_floats(value: Any) -> None:
    # 1.0, 1e0 and 10e-1 are one number with many spellings: hashes would disagree.
    with pytest.raises(MalformedData, match="canonical JSON has no floats") as excinfo:
        canonical_json(value)
    assert excinfo.value.rule == "encoding"


def test_invalid_encoding_canonical_json_refuses_lone_surrogates() -> None:
    with pytest.raises(MalformedData, match="surrogate") as excinfo:
        canonical_json({"memo": "\ud800"})
    assert excinfo.value.rule == "encoding"


def test_tagged_separates_domains() -> None:
    value = {"a": 1}
    assert tagged("tx", value) == b"minichain/tx\x00" + canonical_json(value)
    assert tagged("tx", value) != tagged("header", value)
    assert tagged("tx", value).startswith(b"minichain/tx\x00{")


def test_short() -> None:
    assert short(bytes.fromhex("0123456789abcdef")) == "01234567"
    assert short("abcdef", 4) == "abcd"


# --- parse_json ---------------------------------------------------------------------------------


def test_parse_json_round_trips_canonical_json() -> None:
    value = {"b": [1, "x", None, True], "a": {"c": -3}}
    assert parse_json(canonical_json(value), "thing") == value


@pytest.mark.parametrize(
    "text", [b"{", b"NaN", b'{"a": Infinity}', b'{"a": -Infinity}', b"\xff\xfe", "[" * 100_000]
)
def test_invalid_encoding_parse_json(text: bytes | str) -> None:
    with pytest.raises(MalformedData, match="thing: not valid JSON") as excinfo:
        parse_json(text, "thing")
    assert excinfo.value.rule == "encoding"


# --- the strict readers -------------------------------------------------------------------------

FIELDS = frozenset({"a", "b"})


def test_require_object_accepts_exact_fields_and_optional_ones() -> None:
    assert require_object({"a": 1, "b": 2}, "thing", FIELDS) == {"a": 1, "b": 2}
    value = {"a": 1, "b": 2, "c": 3}
    assert require_object(value, "thing", FIELDS, optional=frozenset({"c"})) is value


def test_invalid_encoding_unknown_field() -> None:
    with pytest.raises(MalformedData, match=r"thing: unknown field\(s\) c, d") as excinfo:
        require_object({"a": 1, "b": 2, "d": 4, "c": 3}, "thing", FIELDS)
    assert excinfo.value.rule == "encoding"


def test_invalid_encoding_missing_field() -> None:
    with pytest.raises(MalformedData, match=r"thing: missing field\(s\) b") as excinfo:
        require_object({"a": 1}, "thing", FIELDS)
    assert excinfo.value.rule == "encoding"


@pytest.mark.parametrize("value", [[], "a", 1, None])
def test_invalid_encoding_not_an_object(value: Any) -> None:
    with pytest.raises(MalformedData, match="thing: expected a JSON object") as excinfo:
        require_object(value, "thing", FIELDS)
    assert excinfo.value.rule == "encoding"


@pytest.mark.parametrize("value", [0, 1, MAX_INT])
def test_require_int_accepts_integers_in_range(value: int) -> None:
    assert require_int({"n": value}, "n", "thing") == value


@pytest.mark.parametrize("value", [True, False, 1.0, "1", None, [1]])
def test_invalid_encoding_int_of_another_type(value: Any) -> None:
    # bool is a subclass of int in Python, but JSON `true` is not a number.
    with pytest.raises(MalformedData, match=r"thing\.n: expected an integer") as excinfo:
        require_int({"n": value}, "n", "thing")
    assert excinfo.value.rule == "encoding"


@pytest.mark.parametrize("value", [-1, MAX_INT + 1, 2**64])
def test_invalid_encoding_int_out_of_range(value: int) -> None:
    with pytest.raises(MalformedData, match=r"thing\.n: -?\d+ is outside \[0, ") as excinfo:
        require_int({"n": value}, "n", "thing")
    assert excinfo.value.rule == "encoding"


def test_require_int_honours_custom_bounds() -> None:
    assert require_int({"n": 5}, "n", "thing", low=5, high=5) == 5
    with pytest.raises(MalformedData, match=r"outside \[6, 9\]"):
        require_int({"n": 5}, "n", "thing", low=6, high=9)


def test_require_str_limits_utf8_bytes_not_characters() -> None:
    assert require_str({"s": "é" * 2}, "s", "thing", max_bytes=4) == "éé"
    with pytest.raises(MalformedData, match=r"thing\.s: longer than 4 bytes") as excinfo:
        require_str({"s": "é" * 3}, "s", "thing", max_bytes=4)  # 3 characters, 6 bytes
    assert excinfo.value.rule == "encoding"


@pytest.mark.parametrize("value", [1, None, b"x", ["x"]])
def test_invalid_encoding_str_of_another_type(value: Any) -> None:
    with pytest.raises(MalformedData, match=r"thing\.s: expected a string") as excinfo:
        require_str({"s": value}, "s", "thing")
    assert excinfo.value.rule == "encoding"


def test_invalid_encoding_str_with_lone_surrogate() -> None:
    # json.loads accepts "\ud800"; such a string has no UTF-8 bytes, so it cannot be hashed.
    value = json.loads('{"s": "\\ud800"}')
    with pytest.raises(MalformedData, match=r"thing\.s: .*UTF-8") as excinfo:
        require_str(value, "s", "thing")
    assert excinfo.value.rule == "encoding"


def test_require_hex_reads_lowercase_hex() -> None:
    assert require_hex({"h": "00ff10"}, "h", "thing") == b"\x00\xff\x10"
    assert require_hex({"h": ""}, "h", "thing") == b""
    assert require_hex({"h": "ab" * 32}, "h", "thing", size=32) == b"\xab" * 32


@pytest.mark.parametrize(
    "value", ["00FF", "0xff", "abc", "zz", " 00", "00 ", "ａｂ", 255, None, ["00"]],
    ids=["uppercase", "0x-prefix", "odd-length", "not-hex", "lead-space", "trail-space",
         "fullwidth", "int", "none", "list"],
)
def test_invalid_encoding_hex_spelling(value: Any) -> None:
    with pytest.raises(MalformedData, match=r"thing\.h: expected lowercase hex") as excinfo:
        require_hex({"h": value}, "h", "thing")
    assert excinfo.value.rule == "encoding"


@pytest.mark.parametrize("size", [31, 33, 0])
def test_invalid_encoding_hex_wrong_size(size: int) -> None:
    with pytest.raises(MalformedData, match=f"thing.h: expected 32 bytes, found {size}") as excinfo:
        require_hex({"h": "00" * size}, "h", "thing", size=32)
    assert excinfo.value.rule == "encoding"


def test_require_list() -> None:
    assert require_list({"l": [1, 2]}, "l", "thing", 2) == [1, 2]
    with pytest.raises(MalformedData, match=r"thing\.l: 3 items, at most 2") as excinfo:
        require_list({"l": [1, 2, 3]}, "l", "thing", 2)
    assert excinfo.value.rule == "encoding"
    with pytest.raises(MalformedData, match=r"thing\.l: expected a list, found tuple"):
        require_list({"l": (1,)}, "l", "thing", 2)
