"""Invariants of the token under any sequence of transfers, however it is cut into blocks."""

from __future__ import annotations

import tempfile
from pathlib import Path

from contractkit import Contract, context, deploy, sender
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minichain.contracts.compiler import Artifact
from minichain.contracts.engine import EMPTY_ROOT, ContractEngine

PEOPLE = [sender(f"p{i}", suite) for i, suite in
          enumerate(["sha256-ed25519", "sha256-secp256k1", "sm3-sm2", "sha256-ed25519"])]
SUPPLY = 100

transfers = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 120)),
                     min_size=1, max_size=10)


def replay(samples: dict[str, Artifact], moves: list[tuple[int, int, int]],
           cuts: set[int]) -> tuple[bytes, list[int], list[bool]]:
    """Deploy, then the moves, starting a new block after each index in `cuts`."""
    with tempfile.TemporaryDirectory() as directory:
        engine = ContractEngine.open(Path(directory) / "evm.db")
        block = engine.begin(EMPTY_ROOT, context(1))
        token, _ = deploy(block, samples["Token"], PEOPLE[0], 0, ["T", "T", SUPPLY])
        root, number, outcomes = block.commit(), 1, []
        block = engine.begin(root, context(2))
        for index, (source, target, amount) in enumerate(moves):
            outcomes.append(token.call(block, PEOPLE[source], "transfer", PEOPLE[target].hex,
                                       amount).succeeded)
            if index in cuts:
                number += 1
                block = engine.begin(block.commit(), context(number + 1))
        root = block.commit()
        balances = [Contract(samples["Token"], token.address).read(engine, root, "balanceOf", p.hex)
                    for p in PEOPLE]
        engine.close()
    return root, balances, outcomes


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=transfers, cuts=st.sets(st.integers(0, 9), max_size=4))
def test_supply_is_conserved_and_blocks_do_not_change_the_result(
        samples: dict[str, Artifact], moves: list[tuple[int, int, int]], cuts: set[int]) -> None:
    root, balances, outcomes = replay(samples, moves, cuts)
    assert sum(balances) == SUPPLY and min(balances) >= 0
    expected = [SUPPLY, 0, 0, 0]  # the same moves on plain integers
    for (source, target, amount), succeeded in zip(moves, outcomes, strict=True):
        assert succeeded == (expected[source] >= amount)
        if succeeded:
            expected[source] -= amount
            expected[target] += amount
    assert balances == expected
    assert replay(samples, moves, set())[0] == root  # one block or many: the same state root
