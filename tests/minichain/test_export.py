"""Export and verify: a valid export re-validates; any single changed byte is caught with a rule."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minichain.errors import MinichainError, NonCanonicalExport, ValidationError
from minichain.export import export_chain, verify_export
from minichain.testing import make_chain

CHAIN = make_chain(3, "pow", transfers_per_block=2)
EXPORT = export_chain(CHAIN)


def test_export_verifies_to_the_same_tip() -> None:
    replayed = verify_export(EXPORT)
    assert replayed.tip_hash == CHAIN.tip_hash and replayed.state.root() == CHAIN.state.root()


@pytest.mark.parametrize("consensus", ["pow", "poa"])
def test_tampering_any_amount_names_a_consensus_rule(consensus: str) -> None:
    chain = make_chain(2, consensus, transfers_per_block=2)
    document = json.loads(export_chain(chain))
    for block_index in (1, 2):
        for tx_index in (0, 1):
            tampered = json.loads(json.dumps(document))
            tampered["blocks"][block_index]["transactions"][tx_index]["amount"] += 1
            data = (json.dumps(tampered, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()
            with pytest.raises(ValidationError) as info:
                verify_export(data)
            assert info.value.rule == "block-merkle-root", str(info.value)


def test_invalid_export_canonical_whitespace() -> None:
    with pytest.raises(NonCanonicalExport, match="at byte") as info:
        verify_export(EXPORT.replace(b'{\n "blocks"', b'{\n  "blocks"', 1))
    assert info.value.rule == "export-canonical"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_single_byte_change_is_caught(data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(EXPORT) - 1), label="position")
    value = data.draw(st.integers(0, 255).filter(lambda b: b != EXPORT[position]), label="byte")
    changed = EXPORT[:position] + bytes([value]) + EXPORT[position + 1:]
    with pytest.raises(MinichainError) as info:
        verify_export(changed)
    assert info.value.rule  # a typed error that names a rule, never another exception
