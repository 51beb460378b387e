"""The engine registry: make_engine picks by the genesis's consensus kind, and the interface
(consensus/base.py) imports none of the engines that implement it."""

from __future__ import annotations

import ast
from pathlib import Path

import minichain.consensus.base as base
from minichain.consensus import ENGINES, BftEngine, PoaEngine, PowEngine, make_engine
from minichain.testing import make_genesis


def test_make_engine_picks_the_engine_the_genesis_names() -> None:
    assert isinstance(make_engine(make_genesis("pow")), PowEngine)
    assert isinstance(make_engine(make_genesis("poa")), PoaEngine)
    assert isinstance(make_engine(make_genesis("bft")), BftEngine)
    assert set(ENGINES) == {"pow", "poa", "bft"}


def test_the_interface_does_not_import_its_engines() -> None:
    tree = ast.parse(Path(base.__file__).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
    assert not {name for name in imported if name and name.startswith("minichain.consensus.")}
