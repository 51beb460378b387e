"""Shared fixtures: seeded wallets, a fresh PoW chain and a fresh PoA chain."""

from __future__ import annotations

import pytest

from minichain.chain import Chain
from minichain.genesis import Genesis
from minichain.testing import authority_wallets, make_genesis, make_wallet
from minichain.wallet import Wallet


@pytest.fixture
def alice() -> Wallet:
    return make_wallet(0)  # funded with 1_000_000 by make_genesis


@pytest.fixture
def bob() -> Wallet:
    return make_wallet(1)  # funded with 1_000_000 by make_genesis


@pytest.fixture
def pow_genesis() -> Genesis:
    return make_genesis("pow", difficulty_bits=8)


@pytest.fixture
def pow_chain(pow_genesis: Genesis) -> Chain:
    return Chain(pow_genesis)


@pytest.fixture
def poa_genesis() -> Genesis:
    return make_genesis("poa")


@pytest.fixture
def poa_chain(poa_genesis: Genesis) -> Chain:
    return Chain(poa_genesis)


@pytest.fixture
def authorities(poa_genesis: Genesis) -> list[Wallet]:
    return authority_wallets(poa_genesis)
