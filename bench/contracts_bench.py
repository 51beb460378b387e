"""How fast the contract engine runs, next to limits measured in the same run.

  calls:    token transfers per second through ContractEngine (intrinsic gas, EIP-2929 warming,
            refunds, EIP-161, receipts, and one SQLite persist per block) against bare py-evm
            `apply_message` + `lock_changes` on an in-memory state, the same transfers (goal >= 0.5)
  views:    read-only calls per second (balanceOf), engine.view against bare apply_message
  loop:     gas per CPU-second of a tight Solidity loop, the worst case the gas limits must bound
  compiler: solc-js cold start (a fresh node process) against a warm compile of the same file:
            whether keeping one compiler process warm matters
Blocks alternate between the sides and each keeps its fastest, in CPU time, garbage collector off.
Run: `python bench/contracts_bench.py [--quick] [--json]`.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eth.db.atomic import AtomicDB  # noqa: E402
from eth.vm.execution_context import ExecutionContext  # noqa: E402
from eth.vm.forks.frontier.transaction_context import FrontierTransactionContext  # noqa: E402
from eth.vm.forks.london.computation import LondonComputation  # noqa: E402
from eth.vm.forks.london.state import LondonState  # noqa: E402
from eth.vm.message import Message  # noqa: E402
from eth_typing import Address, BlockNumber, Hash32  # noqa: E402

from minichain.contracts import (  # noqa: E402
    EMPTY_ROOT,
    SOLC_DIR,
    BlockContext,
    Compiler,
    ContractAbi,
    ContractEngine,
    OutOfGas,
    evm_address,
)
from minichain.testing import make_wallet  # noqa: E402

GOALS = {"calls_vs_bare": 0.5, "views_vs_bare": 0.5}  # ratio >= goal
GAS = 200_000
HOLDERS = 50  # transfers go round 50 accounts, so most slots already hold a balance


@contextmanager
def quiet_gc() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def best_wall(run: Callable[[], object], repeat: int) -> float:
    """Wall-clock seconds: the compiler runs in a child process, which our CPU clock omits."""
    return min(timed(run, time.perf_counter) for _ in range(repeat))


class Setup:
    """The token deployed, and the call data of the transfers, encoded once for both sides."""

    def __init__(self, compiler: Compiler, transfers: int) -> None:
        artifact = compiler.compile_file(SOLC_DIR / "Token.sol")["Token"]
        self.abi = ContractAbi(artifact.abi)
        self.deployer = evm_address("sha256-ed25519", make_wallet("bench-deployer").public_key)
        holders = [evm_address("sha256-ed25519", make_wallet(f"bench-{i}").public_key)
                   for i in range(HOLDERS)]
        self.init_code = self.abi.deploy_code(artifact.bytecode, ["Bench", "B", 10**12])
        self.transfers = [self.abi.encode_call("transfer", ["0x" + holders[i % HOLDERS].hex(), 1])
                          for i in range(transfers)]
        self.view = self.abi.encode_call("balanceOf", ["0x" + holders[0].hex()])
        self.context = BlockContext(number=1, timestamp=1_764_000_000, chain_id=1)


class EngineSide:
    """The token on a ContractEngine in a SQLite file; each block begins at the last root."""

    def __init__(self, setup: Setup, directory: Path) -> None:
        self.setup = setup
        self.engine = ContractEngine.open(directory / "evm.db")
        block = self.engine.begin(EMPTY_ROOT, setup.context)
        token = block.deploy(setup.deployer, 0, setup.init_code, 3_000_000, 1).contract_address
        if token is None:
            raise RuntimeError("bench: the token did not deploy")
        self.token, self.root, self.number = token, block.commit(), 1

    def block(self, data: list[bytes]) -> None:
        self.number += 1
        execution = self.engine.begin(self.root, BlockContext(self.number, 1_764_000_000, 1))
        for call_data in data:
            if not execution.call(self.setup.deployer, self.token, call_data, GAS, 1).succeeded:
                raise RuntimeError("bench: a transfer failed")
        self.root = execution.commit()

    def views(self, count: int) -> None:
        for _ in range(count):
            self.engine.view(self.root, self.token, self.setup.view, self.setup.context)


class BareSide:
    """The floor: py-evm's London computation on an in-memory state, nothing around it."""

    def __init__(self, setup: Setup) -> None:
        # eth_typing's Address, Hash32, BlockNumber: type names for bytes and int (mypy --strict)
        context = ExecutionContext(coinbase=Address(bytes(20)), timestamp=1_764_000_000,
                                   block_number=BlockNumber(1), difficulty=0,
                                   mix_hash=Hash32(bytes(32)), gas_limit=30_000_000,
                                   prev_hashes=[], chain_id=1, base_fee_per_gas=0)
        self.state = LondonState(AtomicDB(), context, Hash32(EMPTY_ROOT))
        self.setup = setup
        self.sender = Address(setup.deployer)
        self.tx_context = FrontierTransactionContext(gas_price=1, origin=self.sender)
        self.token = Address(bytes(20 * [0x77]))
        created = LondonComputation.apply_create_message(self.state, Message(
            gas=3_000_000, to=Address(b""), sender=self.sender, value=0, data=b"",
            code=setup.init_code, create_address=self.token), self.tx_context)
        self.state.lock_changes()
        if not created.is_success:
            raise RuntimeError("bench: the bare token did not deploy")
        self.code = self.state.get_code(self.token)

    def block(self, data: list[bytes]) -> None:
        for call_data in data:
            message = Message(gas=GAS, to=self.token, sender=self.sender, value=0,
                              data=call_data, code=self.code)
            LondonComputation.apply_message(self.state, message, self.tx_context)
            self.state.lock_changes()

    def views(self, count: int) -> None:
        self.block([self.setup.view] * count)


def timed(run: Callable[[], object], clock: Callable[[], float] = time.process_time) -> float:
    """Seconds of this process's CPU time (user + system, SQLite's writes included): on a machine
    shared with other jobs, wall-clock time mostly measures how long we waited for a core."""
    with quiet_gc():
        start = clock()
        run()
        return clock() - start


def compiler_times(repeat: int) -> tuple[float, float]:
    """(seconds for a cold compile of Token.sol in a fresh process, seconds warm)."""
    def cold() -> None:
        with Compiler() as fresh:
            fresh.compile_file(SOLC_DIR / "Token.sol")

    with Compiler() as warm:
        warm.compile_file(SOLC_DIR / "Token.sol")
        warm_s = best_wall(lambda: warm.compile_file(SOLC_DIR / "Token.sol"), repeat)
    return best_wall(cold, repeat), warm_s


SPIN = ("pragma solidity ^0.8.11; contract Spin {"
        " function spin() external pure returns (uint i) { while (true) { i++; } } }")


def loop_gas_per_cpu_s(compiler: Compiler, gas: int) -> float:
    """Run a view that loops until its gas runs out; gas units per CPU-second."""
    artifact = compiler.compile_source(SPIN, "Spin.sol")["Spin"]
    with tempfile.TemporaryDirectory() as directory:
        engine = ContractEngine.open(Path(directory) / "evm.db")
        block = engine.begin(EMPTY_ROOT, BlockContext(1, 1_764_000_000, 1))
        address = block.deploy(bytes(20), 0, artifact.bytecode, 1_000_000, 1).contract_address
        root = block.commit()
        data = ContractAbi(artifact.abi).encode_call("spin")

        def spin() -> None:
            try:
                engine.view(root, address or b"", data, BlockContext(2, 1_764_000_001, 1), gas_limit=gas)
            except OutOfGas:
                return
            raise RuntimeError("bench: the loop ended before its gas")

        seconds = min(timed(spin) for _ in range(2))
        engine.close()
    return gas / seconds


def measure(quick: bool) -> dict[str, Any]:
    """Blocks alternate between the two sides, so a burst of load on this shared machine hits
    both alike; each side keeps its fastest block (as `timeit` keeps its best run)."""
    blocks, per_block = (3, 100) if quick else (8, 200)
    with Compiler() as compiler:
        setup = Setup(compiler, blocks * per_block)
        loop_rate = loop_gas_per_cpu_s(compiler, 1_000_000 if quick else 3_000_000)
    fastest = {"engine_block": float("inf"), "bare_block": float("inf"),
               "engine_views": float("inf"), "bare_views": float("inf")}
    with tempfile.TemporaryDirectory() as directory:
        engine, bare = EngineSide(setup, Path(directory)), BareSide(setup)
        for number in range(blocks):
            data = setup.transfers[number * per_block:(number + 1) * per_block]
            sides: tuple[tuple[str, EngineSide | BareSide], ...] = (("engine", engine), ("bare", bare))
            for name, side in sides:
                block_s, views_s = timed(partial(side.block, data)), timed(partial(side.views, per_block))
                fastest[f"{name}_block"] = min(fastest[f"{name}_block"], block_s)
                fastest[f"{name}_views"] = min(fastest[f"{name}_views"], views_s)
        engine.engine.close()
    results: dict[str, Any] = {"blocks": blocks, "calls_per_block": per_block}
    for name in ("engine", "bare"):
        results[f"{name}_calls_per_s"] = per_block / fastest[f"{name}_block"]
        results[f"{name}_views_per_s"] = per_block / fastest[f"{name}_views"]
    results["calls_vs_bare"] = results["engine_calls_per_s"] / results["bare_calls_per_s"]
    results["views_vs_bare"] = results["engine_views_per_s"] / results["bare_views_per_s"]
    results["loop_gas_per_cpu_s"] = loop_rate
    cold, warm = compiler_times(2 if quick else 3)
    results["compile_cold_s"], results["compile_warm_s"] = cold, warm
    results["compile_cold_vs_warm"] = cold / warm
    return results


def report(results: dict[str, Any]) -> str:
    lines = [f"contract engine: best of {results['blocks']} blocks of {results['calls_per_block']} "
             "token transfers each side"]
    for name, engine_key, bare_key in (("calls_vs_bare", "engine_calls_per_s", "bare_calls_per_s"),
                                       ("views_vs_bare", "engine_views_per_s", "bare_views_per_s")):
        ratio, goal = results[name], GOALS[name]
        verdict = "PASS" if ratio >= goal else "MISS"
        lines.append(f"  {name:14} {results[engine_key]:8.0f}/s vs bare py-evm {results[bare_key]:8.0f}/s"
                     f" = {ratio:.2f} (goal >= {goal}) {verdict}")
    lines.append(f"  a tight loop: {results['loop_gas_per_cpu_s'] / 1e6:.1f} M gas per CPU-second "
                 "(what a gas limit buys in time)")
    lines.append(f"  compile Token.sol: cold {results['compile_cold_s']:.2f} s, warm "
                 f"{results['compile_warm_s']:.2f} s ({results['compile_cold_vs_warm']:.1f}x): "
                 "one warm process per Compiler")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer blocks, one round")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    results = measure(args.quick)
    print(json.dumps(results, indent=2, sort_keys=True) if args.json else report(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
