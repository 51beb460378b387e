"""Contract calls per second through a node's whole path, next to bare py-evm in the same run.

  follower:  a node receiving a block of signed token transfers from its producer: the block from
             its wire JSON, header and body checks, every signature verified (none seen before),
             the EVM run through the chain's ledger, state and contract roots checked, and the block
             saved to SQLite (chain.db) in one transaction. This is what every node of a network
             pays per block; goal: >= 0.5 of bare py-evm.
  producer:  the authority: admitting each transaction to its mempool (checks and signature),
             selecting, building the block (the EVM run that gives its roots), sealing, connecting
             it (add_block reuses that run for the block it sealed) and saving it.
  bare:      the floor: py-evm's LondonComputation.apply_message + lock_changes on an in-memory
             state, the same transfers by the same sender (bench/contracts_bench.BareSide).
Blocks alternate between the sides; each keeps its fastest block, in CPU time, collector off.
Run: `minichain bench --contracts [--quick] [--json]` or `python -m bench.contract_node`.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

from bench.contracts_bench import BareSide, Setup, timed
from minichain import Block, ContractTransaction, Store, contract_transaction
from minichain.contracts import Compiler, contract_address
from minichain.testing import make_genesis, make_wallet, produce_block

GOALS = {"follower_vs_bare": 0.5}  # ratio >= goal
# A transfer uses 35-52 k gas; its limit only has to fit the block's 30 M, 200 of them at once.
CALL_GAS = 100_000
DEPLOYER = make_wallet("bench-deployer")  # the same EVM sender as contracts_bench's Setup
AUTHORITY = make_wallet("bench-authority")


class NodePath:
    """A producer's and a follower's data dirs on one PoA chain, the token deployed on both."""

    def __init__(self, setup: Setup, directory: Path, per_block: int) -> None:
        genesis = dataclasses.replace(
            make_genesis("poa", authorities=[AUTHORITY], funded=[DEPLOYER], amount=10**15),
            max_block_transactions=max(2000, per_block))
        self.genesis = genesis
        self.producer_store = Store.create(directory / "producer", genesis)
        self.follower_store = Store.create(directory / "follower", genesis)
        self.producer, self.mempool = self.producer_store.load()
        self.last_block: Block | None = None
        self.follower, self.follower_pool = self.follower_store.load()
        deploy = self._sign("deploy", setup.init_code, 0, 3_000_000)
        update = produce_block(self.producer, [deploy], producer=AUTHORITY)
        self.producer_store.save(self.producer, update, self.mempool)
        self.last_block = self.producer.get(update.block_hash)
        self.follow(self.wire())
        self.token = contract_address(setup.deployer, 0)
        self.nonce = 1

    def _sign(self, kind: str, data: bytes, nonce: int, gas: int, to: bytes = b"") -> ContractTransaction:
        return contract_transaction(DEPLOYER.private_key, suite=self.genesis.suite,
                                    chain_id=self.genesis.chain_id, kind=kind, data=data, nonce=nonce,
                                    gas_limit=gas, gas_price=1, to=to)

    def sign_calls(self, data: list[bytes]) -> list[ContractTransaction]:
        """The client's work, done before the clock starts."""
        txs = [self._sign("call", call, self.nonce + i, CALL_GAS, self.token)
               for i, call in enumerate(data)]
        self.nonce += len(txs)
        return txs

    def produce(self, txs: list[ContractTransaction]) -> None:
        for tx in txs:
            self.mempool.add(tx, self.producer.state)
        chosen = self.mempool.select(self.producer.state, self.genesis.max_block_transactions)
        update = produce_block(self.producer, chosen, producer=AUTHORITY)
        self.mempool.on_chain_update(update, self.producer.state)
        self.producer_store.save(self.producer, update, self.mempool)
        block = self.producer.get(update.block_hash)
        if block is None or len(block.transactions) != len(txs):
            raise RuntimeError("bench: the producer left transactions out")
        self.last_block = block

    def wire(self) -> bytes:
        if self.last_block is None:
            raise RuntimeError("bench: nothing produced yet")
        return self.last_block.json_bytes(self.producer.suite)

    def follow(self, wire: bytes) -> None:
        block = Block.from_json(json.loads(wire), self.follower.suite)
        update = self.follower.add_block(block)
        self.follower_store.save(self.follower, update, self.follower_pool)

    def check(self) -> None:
        if self.follower.contract_root() != self.producer.contract_root():
            raise RuntimeError("bench: producer and follower disagree on the contract state")
        for store in (self.producer_store, self.follower_store):
            store.close()


def measure(quick: bool = False) -> dict[str, Any]:
    blocks, per_block = (3, 100) if quick else (6, 200)
    with Compiler() as compiler:
        setup = Setup(compiler, blocks * per_block)
    fastest = {"producer": float("inf"), "follower": float("inf"), "bare": float("inf")}
    with tempfile.TemporaryDirectory() as directory:
        node, bare = NodePath(setup, Path(directory), per_block), BareSide(setup)
        for number in range(blocks):
            data = setup.transfers[number * per_block:(number + 1) * per_block]
            txs = node.sign_calls(data)
            fastest["producer"] = min(fastest["producer"], timed(partial(node.produce, txs)))
            wire = node.wire()
            fastest["follower"] = min(fastest["follower"], timed(partial(node.follow, wire)))
            fastest["bare"] = min(fastest["bare"], timed(partial(bare.block, data)))
        node.check()
    results: dict[str, Any] = {"blocks": blocks, "calls_per_block": per_block}
    for side in fastest:
        results[f"{side}_calls_per_s"] = per_block / fastest[side]
    results["follower_vs_bare"] = results["follower_calls_per_s"] / results["bare_calls_per_s"]
    results["producer_vs_bare"] = results["producer_calls_per_s"] / results["bare_calls_per_s"]
    return results


def report(results: dict[str, Any]) -> str:
    ratio, goal = results["follower_vs_bare"], GOALS["follower_vs_bare"]
    verdict = "PASS" if ratio >= goal else "MISS"
    return "\n".join([
        f"contract calls through a node: best of {results['blocks']} blocks of "
        f"{results['calls_per_block']} signed token transfers",
        f"  follower (checks + signatures + EVM + SQLite) {results['follower_calls_per_s']:8.0f}/s",
        f"  producer (mempool + build + seal + connect)   {results['producer_calls_per_s']:8.0f}/s"
        f"  = {results['producer_vs_bare']:.2f} of bare",
        f"  bare py-evm apply_message                     {results['bare_calls_per_s']:8.0f}/s",
        f"  follower_vs_bare {ratio:.2f} (goal >= {goal}) {verdict}",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer, smaller blocks")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    results = measure(args.quick)
    print(json.dumps(results, indent=2, sort_keys=True) if args.json else report(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
