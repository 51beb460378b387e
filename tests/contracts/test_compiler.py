"""The offline compiler: artifacts, located errors, imports kept inside their folder."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from minichain.contracts.compiler import (
    MAX_SOURCE_BYTES,
    SOLC_DIR,
    Artifact,
    Compiler,
    load_artifact,
    write_artifacts,
)
from minichain.contracts.errors import CompileError, CompilerUnavailable


def test_samples_compile_to_london_artifacts(samples: dict[str, Artifact]) -> None:
    assert set(samples) == {"Token", "Voting", "InvoiceRegistry"}
    token = samples["Token"]
    assert token.compiler.startswith("0.8.11+commit.") and token.evm_version == "london"
    assert token.source_hash == hashlib.sha256((SOLC_DIR / "Token.sol").read_bytes()).hexdigest()
    assert token.bytecode.startswith(bytes.fromhex("6080604052"))  # PUSH1 0x80 PUSH1 0x40 MSTORE
    assert {entry.get("name") for entry in token.abi} >= {"transfer", "Transfer", "InsufficientBalance"}
    assert [item["label"] for item in token.storage_layout][:3] == ["name", "symbol", "totalSupply"]


def test_the_same_source_compiles_to_the_same_bytes(compiler: Compiler, samples: dict[str, Artifact],
                                                    tmp_path: Path) -> None:
    source = "pragma solidity ^0.8.11;\ncontract Tiny { uint public n; function up() public { n++; } }\n"
    warm = compiler.compile_source(source, "Tiny.sol")
    with Compiler() as cold:  # a fresh process
        assert cold.compile_source(source, "Tiny.sol") == warm
    assert compiler.compile_file(SOLC_DIR / "Voting.sol")["Voting"] == samples["Voting"]


def test_artifacts_round_trip_through_json_files(samples: dict[str, Artifact], tmp_path: Path) -> None:
    paths = write_artifacts(samples, tmp_path / "out")
    assert sorted(path.name for path in paths) == ["InvoiceRegistry.json", "Token.json", "Voting.json"]
    assert load_artifact(tmp_path / "out" / "Token.json") == samples["Token"]
    text = json.loads((tmp_path / "out" / "Token.json").read_text())
    assert text["bytecode"].startswith("0x6080") and text["source_hash"] == samples["Token"].source_hash


@pytest.mark.parametrize(("content", "message"), [
    ("not json", "not a readable artifact"),
    ("[1, 2]", "an artifact is a JSON object"),
    ('{"format": "other"}', "format is 'other'"),
    ('{"format": "minichain-artifact/1", "abi": []}', "not a minichain contract artifact"),
])
def test_invalid_artifact_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "A.json"
    path.write_text(content)
    with pytest.raises(CompileError, match=message):
        load_artifact(path)


def test_invalid_syntax_is_located(compiler: Compiler, tmp_path: Path) -> None:
    source = tmp_path / "Broken.sol"
    source.write_text("pragma solidity ^0.8.11;\ncontract Broken {\n    uint x = 1\n}\n")
    with pytest.raises(CompileError, match=r"Broken.sol:4:1: ParserError: Expected ';'") as caught:
        compiler.compile_file(source)
    error = caught.value
    assert (error.rule, error.file, error.line) == ("contract-compile", "Broken.sol", 4)
    assert error.errors[0].kind == "ParserError" and error.errors[0].severity == "error"


def test_invalid_types_are_located_with_every_error(compiler: Compiler, tmp_path: Path) -> None:
    source = tmp_path / "Typed.sol"
    source.write_text("pragma solidity ^0.8.11;\ncontract Typed {\n"
                      "    function f() public pure returns (uint) { return \"text\"; }\n"
                      "    function g() public { undefinedName = 2; }\n}\n")
    with pytest.raises(CompileError) as caught:
        compiler.compile_file(source)
    located = [(e.line, e.kind) for e in caught.value.errors]
    assert (4, "DeclarationError") in located


def test_a_warning_alone_still_compiles(compiler: Compiler, tmp_path: Path) -> None:
    source = tmp_path / "Warned.sol"
    source.write_text("pragma solidity ^0.8.11;\ncontract Warned { function f(uint a) public {} }\n")
    assert set(compiler.compile_file(source)) == {"Warned"}


def test_imports_are_read_from_the_files_folder_only(compiler: Compiler, tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "Base.sol").write_text(
        "pragma solidity ^0.8.11;\ncontract Base { uint public x = 7; }\n")
    child = tmp_path / "Child.sol"
    child.write_text('pragma solidity ^0.8.11;\nimport "./lib/Base.sol";\ncontract Child is Base {}\n')
    assert set(compiler.compile_file(child)) == {"Child"}  # only the file's own contracts
    (tmp_path / "inner").mkdir()
    escaping = tmp_path / "inner" / "Escape.sol"
    escaping.write_text('pragma solidity ^0.8.11;\nimport "../lib/Base.sol";\ncontract E is Base {}\n')
    with pytest.raises(CompileError, match="not found under"):  # solc keeps ".." inside the root
        compiler.compile_file(escaping)
    absolute = tmp_path / "inner" / "Absolute.sol"
    absolute.write_text(f'pragma solidity ^0.8.11;\nimport "{tmp_path}/lib/Base.sol";\ncontract E {{}}\n')
    with pytest.raises(CompileError, match="is outside") as caught:
        compiler.compile_file(absolute)
    assert caught.value.line == 2


def test_invalid_source_files(compiler: Compiler, tmp_path: Path) -> None:
    with pytest.raises(CompileError, match="cannot read it"):
        compiler.compile_file(tmp_path / "Missing.sol")
    big = tmp_path / "Big.sol"
    big.write_bytes(b"/" * (MAX_SOURCE_BYTES + 1))
    with pytest.raises(CompileError, match=f"more than {MAX_SOURCE_BYTES}"):
        compiler.compile_file(big)
    binary = tmp_path / "Binary.sol"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(CompileError, match="not UTF-8"):
        compiler.compile_file(binary)


def test_one_warm_process_serves_many_compilations(compiler: Compiler) -> None:
    compiler.compile_source("pragma solidity ^0.8.11; contract A {}", "A.sol")
    first = compiler._process.pid if compiler._process else None
    compiler.compile_source("pragma solidity ^0.8.11; contract B {}", "B.sol")
    assert first is not None and compiler._process is not None and compiler._process.pid == first


def test_invalid_compiler_missing(tmp_path: Path) -> None:
    with Compiler(solc_dir=tmp_path) as missing, pytest.raises(CompilerUnavailable, match="make setup"):
        missing.compile_source("contract A {}")
    with Compiler(node="/nonexistent/node") as no_node, pytest.raises(CompilerUnavailable):
        no_node.compile_source("contract A {}")


def test_a_stuck_compiler_is_stopped(tmp_path: Path) -> None:
    (tmp_path / "node_modules" / "solc").mkdir(parents=True)
    (tmp_path / "node_modules" / "solc" / "soljson.js").write_text("")
    (tmp_path / "solc-json.js").write_text("setInterval(() => {}, 1000);\n")  # never answers
    with Compiler(solc_dir=tmp_path, timeout=1.0) as stuck:
        with pytest.raises(CompileError, match="longer than 1 s"):
            stuck.compile_source("contract A {}")
        assert stuck._process is None


def test_an_installed_minichain_finds_the_compiler_through_minichain_solc_dir(tmp_path: Path) -> None:
    """A JupyterHub image or a TLJH server installs minichain as a package: its compiler folder is
    named by MINICHAIN_SOLC_DIR (course/deploy), and a folder without solc-js says so by its rule."""
    import os
    import shutil
    import subprocess
    import sys

    from minichain.contracts.compiler import SOLC_DIR

    installed = tmp_path / "contracts"
    shutil.copytree(SOLC_DIR, installed, ignore=shutil.ignore_patterns("node_modules", ".npm-cache"))
    (installed / "node_modules").symlink_to(SOLC_DIR / "node_modules")
    probe = ("from minichain.contracts.compiler import SOLC_DIR, compile_samples\n"
             "from minichain.contracts import CompilerUnavailable\n"
             "try:\n    names = sorted(compile_samples())\nexcept CompilerUnavailable as error:\n"
             "    names = [error.rule]\nprint(SOLC_DIR, *names)")

    def ask(folder: Path) -> str:
        env = {**os.environ, "MINICHAIN_SOLC_DIR": str(folder)}
        done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True,
                              timeout=120, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert ask(installed) == f"{installed} InvoiceRegistry Token Voting"
    (installed / "node_modules").unlink()
    assert ask(installed) == f"{installed} contract-compiler"
