"""labkit.wire: values cross the grader's channel as data; pretenders and malformed data do not."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from labkit import wire
from minichain import testing
from minichain.state import Account

leaves = (st.none() | st.booleans() | st.integers(-(2**256), 2**256) | st.text(max_size=50)
          | st.binary(max_size=40))
values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=5) | st.tuples(inner, inner)
                      | st.dictionaries(st.text(max_size=5) | st.integers(), inner, max_size=4),
                      max_leaves=30)


@given(values)
def test_plain_values_cross_unchanged(value: object) -> None:
    assert wire.loads(wire.dumps(value)) == value


def test_minichain_objects_cross_and_are_rebuilt_by_the_receiver() -> None:
    chain = testing.make_chain(2, transfers_per_block=2)
    block = list(chain.main_chain())[-1]
    tx = block.transactions[0]
    sent = [tx, block, block.header, Account(5, 1), wire.Raised.of(ValueError("no"))]
    crossed = wire.loads(wire.dumps(sent))
    assert crossed[0] == tx and crossed[0].txid == tx.txid
    assert crossed[1].hash(chain.suite) == block.hash(chain.suite)
    assert crossed[2] == block.header and crossed[3] == Account(5, 1)
    assert crossed[4] == wire.Raised("ValueError", "no")


class AlwaysEqual(str):
    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = str.__hash__


def test_pretenders_cross_as_what_they_are() -> None:
    """A str subclass that equals everything, a custom object: they arrive unsupported, never equal."""
    crossed = wire.loads(wire.dumps([AlwaysEqual("x"), object(), True]))
    assert crossed[0] == wire.Unsupported("AlwaysEqual") and crossed[0] != "anything"
    assert crossed[1] == wire.Unsupported("object") and crossed[2] is True


@pytest.mark.parametrize("text", [
    "not json", "[1, 2]", '{"int": 5}', '{"int": "1e5"}', '{"bool": 1}', '{"list": {"a": 1}}',
    '{"dict": [[1]]}', '{"dict": [[{"list": []}, {"int": "1"}]]}', '{"tx": {"amount": 1}}',
    '{"account": [{"int": "1"}, {"str": "x"}]}', '{"block": {}, "suite": "rot13"}', '{"bytes": "zz"}',
    '{"int": "' + "9" * 300 + '"}', '{"str": 1}', '{"nothing": null}', "NaN",
])
def test_malformed_data_is_refused_with_a_reason(text: str) -> None:
    with pytest.raises(wire.WireError):
        wire.loads(text)


def test_oversized_or_deep_data_is_refused() -> None:
    with pytest.raises(wire.WireError, match="bytes"):
        wire.loads(json.dumps({"str": "x" * (wire.MAX_WIRE_BYTES + 1)}))
    deep: object = {"none": None}
    for _ in range(wire.MAX_DEPTH + 2):
        deep = {"list": [deep]}
    with pytest.raises(wire.WireError, match="deeply"):
        wire.decode(deep)
