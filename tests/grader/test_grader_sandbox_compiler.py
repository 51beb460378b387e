"""Lab 9 compiles Solidity inside the learner's sandbox: the offline solc-js under Debian's node runs there
as nobody, with no network and under the sandbox's address-space limit, and gives the same bytecode as
outside. Without the read-only bind of contracts/ the compiler is missing in there; without
NODE_OPTIONS=--disable-wasm-trap-handler V8 cannot reserve its Wasm memory under RLIMIT_AS."""

from __future__ import annotations

import subprocess
import sys

import pytest

from grader import sandbox
from minichain.contracts.compiler import SOLC_DIR, Compiler

SOURCE = ("// SPDX-License-Identifier: MIT\npragma solidity ^0.8.11;\n"
          "contract A { uint x; function f() external { x = 7; } }\n")
CODE = f"""
import socket
from minichain.contracts.compiler import Compiler
with Compiler() as solc:
    print(solc.compile_source({SOURCE!r}, "A.sol")["A"].bytecode.hex())
try:
    socket.create_connection(("127.0.0.1", 22), timeout=2)
    print("network")
except OSError:
    print("offline")
"""


@pytest.fixture(scope="module")
def policy() -> sandbox.Policy:
    if not (SOLC_DIR / "node_modules" / "solc" / "soljson.js").is_file():
        pytest.skip("solc-js is not installed (make setup)")
    return sandbox.choose(unsafe=False, memory_mb=2048)


def test_the_compiler_runs_in_the_sandbox_offline_with_the_same_output(policy: sandbox.Policy) -> None:
    argv = [sys.executable, "-I", "-S", str(sandbox.LAUNCHER)]
    for limit in policy.limits():
        argv += ["--limit", limit]
    argv += ["--", *sandbox.bwrap_argv(policy, writable=(), cwd="/tmp"), sys.executable, "-c", CODE]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr[-2000:]
    inside, network = done.stdout.split()
    with Compiler() as solc:
        outside = solc.compile_source(SOURCE, "A.sol")["A"].bytecode.hex()
    assert inside == outside
    assert network == "offline"
    assert f"AS={(policy.memory_mb + sandbox.ADDRESS_SLACK_MB) * 2**20}" in policy.limits()
