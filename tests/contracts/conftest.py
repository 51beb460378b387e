"""Fixtures: one warm compiler and the compiled samples for the whole session; a fresh engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from minichain.contracts.compiler import Artifact, Compiler, compile_samples
from minichain.contracts.engine import ContractEngine


@pytest.fixture(scope="session")
def compiler() -> Iterator[Compiler]:
    with Compiler() as solc:
        yield solc


@pytest.fixture(scope="session")
def samples(compiler: Compiler) -> dict[str, Artifact]:
    return compile_samples(compiler)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[ContractEngine]:
    contracts = ContractEngine.open(tmp_path / "evm.db")
    yield contracts
    contracts.close()
