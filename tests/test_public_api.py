"""The curated API: every name `minichain` promises exists, importing it stays light, and the explorer,
the labs, labkit and bench import minichain only through it (and the subpackages its docstring names)."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import minichain

ROOT = Path(__file__).resolve().parents[1]

# The consumers of the API, as in the brief of issue 13: pages, notebooks as text, judges, the labs'
# tools and toolkit, benchmarks.
CONSUMERS = ["explorer", "streamlit_app.py", "labs/text", "labs/judges", "labs/tools", "labkit", "bench"]

# What a consumer may import from, besides `minichain` itself (see minichain/__init__.py's docstring).
SUBPACKAGES = {
    "minichain.testing",
    "minichain.viz",
    "minichain.viz_bft",                   # BFT rounds as message timelines (the explorer, lab 10)
    "minichain.node",
    "minichain.contracts",
    "minichain.consensus.bft",             # BFT votes, quorums and certificates (lab 10, the explorer)
    "minichain.consensus.bft.simulation",  # the seeded virtual-time network of validators
    "minichain.net.http",
    "minichain.net.load",
    "minichain.net.launcher",
}

# Loaded by `import minichain` they would make every lab, CLI call and page pay for them.
HEAVY = ["fastapi", "httpx", "uvicorn", "streamlit", "eth", "minichain.contracts", "minichain.net.http",
         "minichain.viz", "minichain.node.core", "minichain.net.memory"]


def _python_files() -> list[Path]:
    files: list[Path] = []
    for name in CONSUMERS:
        path = ROOT / name
        files.extend([path] if path.is_file() else sorted(path.rglob("*.py")))
    return files


def _is_module(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


def import_problems(source: str, where: str) -> list[str]:
    """Every import of minichain in `source` that the rule refuses, as 'where:line: what'."""
    problems: list[str] = []
    public = set(minichain.__all__)

    def refuse(node: ast.AST, what: str) -> None:
        problems.append(f"{where}:{getattr(node, 'lineno', 0)}: {what}")

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("minichain.") and alias.name not in SUBPACKAGES:
                    refuse(node, f"import {alias.name}: import its names from minichain")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "minichain":
            for alias in node.names:
                if alias.name.startswith("_"):
                    refuse(node, f"from {node.module} import {alias.name}: a private name")
                elif node.module == "minichain":
                    if alias.name in public:
                        continue
                    module = f"minichain.{alias.name}"
                    if module in SUBPACKAGES:
                        continue
                    if alias.name != "*":
                        what = "a deep module" if _is_module(module) else "not in minichain.__all__"
                        refuse(node, f"from minichain import {alias.name}: {what}")
                elif node.module not in SUBPACKAGES:
                    refuse(node, f"from {node.module} import {alias.name}: import it from minichain")
                elif alias.name in public:
                    refuse(node, f"from {node.module} import {alias.name}: minichain offers it itself")
        elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
              and node.value.id == "minichain" and node.attr not in public
              and f"minichain.{node.attr}" not in SUBPACKAGES and not node.attr.startswith("__")):
            refuse(node, f"minichain.{node.attr}: not in minichain.__all__")
    return problems


def test_every_name_in_all_exists() -> None:
    assert len(set(minichain.__all__)) == len(minichain.__all__), "a name is listed twice"
    missing = [name for name in minichain.__all__ if not hasattr(minichain, name)]
    assert not missing, f"minichain.__all__ names {missing}, which minichain does not define"
    assert set(minichain.__all__) <= set(dir(minichain))


def test_every_exception_of_the_tree_is_in_the_api() -> None:
    from minichain import errors
    tree = {name for name, value in vars(errors).items()
            if isinstance(value, type) and issubclass(value, Exception)
            and value.__module__ == errors.__name__}
    assert tree - set(minichain.__all__) == set(), "add the new exception to minichain/__init__.py"


def test_lazy_names_are_the_objects_of_their_modules() -> None:
    from minichain.net.memory import MemoryNetwork, NetEvent
    from minichain.node.core import NodeConfig, NodeCore
    assert (minichain.NodeCore, minichain.NodeConfig) == (NodeCore, NodeConfig)
    assert (minichain.MemoryNetwork, minichain.NetEvent) == (MemoryNetwork, NetEvent)
    with pytest.raises(AttributeError, match="no attribute 'Nodecore'"):
        minichain.Nodecore  # noqa: B018


def test_importing_minichain_loads_nothing_heavy() -> None:
    probe = f"import sys, minichain; print([m for m in {HEAVY!r} if m in sys.modules])"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                            cwd=ROOT).stdout.strip()
    assert loaded == "[]", f"import minichain loaded {loaded}"


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_consumers_import_from_the_curated_api(path: Path) -> None:
    problems = import_problems(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("source", "found"), [
    ("from minichain.blocks import Block", "from minichain.blocks import Block: import it from minichain"),
    ("import minichain.chain", "import minichain.chain: import its names from minichain"),
    ("from minichain import crypto", "from minichain import crypto: a deep module"),
    ("from minichain import Blok", "from minichain import Blok: not in minichain.__all__"),
    ("from minichain.crypto import _decode_address", "a private name"),
    ("from minichain.node import NodeCore", "minichain offers it itself"),
    ("import minichain\nminichain.state.Account", "minichain.state: not in minichain.__all__"),
])
def test_invalid_imports_are_named(source: str, found: str) -> None:
    problems = import_problems(source, "x.py")
    assert len(problems) == 1 and found in problems[0], problems


def test_allowed_imports_pass() -> None:
    source = ("from minichain import Block, Chain, testing\nfrom minichain.viz import merkle_svg\n"
              "from minichain.node import Hello\nfrom minichain.contracts import ContractEngine\n"
              "import minichain\nminichain.Block\nminichain.viz.FONT\n")
    assert import_problems(source, "x.py") == []
