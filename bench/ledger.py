"""Benchmarks: how close minichain runs to the fastest this machine can do, measured in one run.

A figure alone ("2 M hashes/s") says little; its ratio to a limit measured moments before, on the
same machine and in the same process, says what the Python around a primitive costs: the miner
against bare hashlib SHA-256, transaction checks against bare libsodium Ed25519, a 1000-transaction
block against its signatures alone. Best-of-N timing with the garbage collector off, as `timeit`.
"""

from __future__ import annotations

import argparse
import functools
import gc
import hashlib
import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from nacl.bindings import crypto_sign_open
from nacl.signing import VerifyKey

from minichain import (
    Block,
    Chain,
    CheckCache,
    Genesis,
    PowEngine,
    PowSeal,
    Producer,
    Transaction,
    Wallet,
    validate_transaction,
)
from minichain.testing import make_genesis, make_wallet

BLOCK_TRANSACTIONS = 1000
# The block: a classroom of 100 accounts paying one another, 10 transfers each, nonces in order.
# Addresses repeat, so the chain's CheckCache helps; with ACCOUNTS = 1000 every address is new.
ACCOUNTS = 100

# ratio -> (figure, limit, comparison, goal); a missed goal is reported, never raised
RATIOS: dict[str, tuple[str, str, str, float]] = {
    "miner_vs_hashlib": ("miner_hash_rate", "hashlib_hash_rate", ">=", 0.75),
    "verify_vs_fastest": ("verify_rate", "fastest_verify_rate", ">=", 0.7),
    "block_validation_overhead": ("block1000_validation_s", "block1000_signature_s", "<=", 1.3),
}

Verifier = Callable[[list[tuple[bytes, bytes, bytes]]], None]


@contextmanager
def quiet_gc() -> Iterator[None]:
    """Keep a collection from landing inside one timing and not the other."""
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _timed(run: Callable[[], object]) -> float:
    with quiet_gc():
        start = time.perf_counter()
        run()
        return time.perf_counter() - start


# --- mining ---------------------------------------------------------------------------------------


def _mining_rates(attempts: int, repeat: int) -> tuple[float, float]:
    """(miner, hashlib) hashes per second. The header's target is 0, so no nonce can succeed and
    the miner runs exactly `attempts` hashes; the limit hashes one constant 80-byte header."""
    genesis = make_genesis(chain_id="minichain-bench")
    engine = PowEngine(genesis)
    header = Chain(genesis).tip.with_seal(PowSeal(target=0, nonce=0))
    header80 = bytes(range(80))
    sha256 = hashlib.sha256

    def bare_hashlib() -> None:
        for _ in range(attempts):
            sha256(header80).digest()

    def miner() -> None:
        result = engine.mine(header, max_attempts=attempts)
        if result.header is not None or result.attempts != attempts:
            raise RuntimeError(f"bench: the miner stopped after {result.attempts} attempts")

    best_limit = best_miner = float("inf")
    for _ in range(repeat):  # interleaved, so both see the same machine
        best_limit = min(best_limit, _timed(bare_hashlib))
        best_miner = min(best_miner, _timed(miner))
    return attempts / best_miner, attempts / best_limit


# --- signatures -----------------------------------------------------------------------------------


def _bench_transactions() -> tuple[Genesis, list[Transaction], Wallet]:
    """1000 signed transfers that all apply in order on the genesis they come with."""
    wallets = [make_wallet(f"bench-{i}") for i in range(ACCOUNTS)]
    genesis = make_genesis(funded=wallets, chain_id="minichain-bench")
    rounds = BLOCK_TRANSACTIONS // ACCOUNTS
    transactions = [
        sender.transfer(genesis.chain_id, wallets[(i + 1 + nonce) % ACCOUNTS].address,
                        amount=1 + i, nonce=nonce, fee=1)
        for nonce in range(rounds)
        for i, sender in enumerate(wallets)
    ]
    return genesis, transactions, make_wallet("bench-miner")


def _fresh_json(transactions: Sequence[Transaction]) -> list[dict[str, Any]]:
    """Transactions as JSON without the derived `sender`/`txid`, so parsing computes neither."""
    values = []
    for tx in transactions:
        value = tx.to_json()
        del value["sender"], value["txid"]
        values.append(value)
    return values


def _verify_with_sign_open(items: list[tuple[bytes, bytes, bytes]]) -> None:
    for public_key, message, signature in items:
        crypto_sign_open(signature + message, public_key)


def _verify_with_verify_key(items: list[tuple[bytes, bytes, bytes]]) -> None:
    for public_key, message, signature in items:
        VerifyKey(public_key).verify(message, signature)


def _signature_items(transactions: Sequence[Transaction]) -> list[tuple[bytes, bytes, bytes]]:
    return [(tx.sender_key, tx.signing_bytes, tx.signature) for tx in transactions]


def _fastest_signatures(items: list[tuple[bytes, bytes, bytes]], repeat: int) -> float:
    """Best seconds for pynacl to verify `items`, by whichever of its two APIs is faster here."""
    verifiers: tuple[Verifier, ...] = (_verify_with_sign_open, _verify_with_verify_key)
    runs = [functools.partial(verify, items) for _ in range(repeat) for verify in verifiers]
    return min(_timed(run) for run in runs)


def _verify_rates(
    genesis: Genesis, transactions: Sequence[Transaction], repeat: int
) -> tuple[float, float]:
    """(minichain, pynacl) verified transactions per second, one core."""
    values = _fresh_json(transactions)
    items = _signature_items(transactions)
    best_minichain = best_limit = float("inf")
    for _ in range(repeat):
        best_limit = min(best_limit, _fastest_signatures(items, 1))
        fresh = [Transaction.from_json(value) for value in values]  # nothing cached yet
        # cold, like a node meeting these accounts for the first time: a fresh CheckCache
        run = functools.partial(_validate_all, fresh, genesis, CheckCache())
        best_minichain = min(best_minichain, _timed(run))
    return len(transactions) / best_minichain, len(transactions) / best_limit


def _validate_all(transactions: list[Transaction], genesis: Genesis, verified: CheckCache) -> None:
    """As a node's mempool admits them: with what its chain has checked (here, nothing yet)."""
    for tx in transactions:
        validate_transaction(tx, genesis, verified)


# --- a whole block --------------------------------------------------------------------------------


def _block_times(
    genesis: Genesis, transactions: Sequence[Transaction], miner: Wallet, repeat: int
) -> tuple[float, float]:
    """(full validation, signatures only) best seconds for one 1000-transaction block."""
    builder = Chain(genesis)
    template, dropped = builder.build_block(transactions, miner.address, genesis.timestamp + 10)
    if dropped or len(template.transactions) != BLOCK_TRANSACTIONS:
        raise RuntimeError(f"bench: {len(dropped)} transactions did not apply")
    sealed = builder.engine.produce(template.header, Producer(miner.address), attempts=2**64)
    if sealed.header is None:
        raise RuntimeError("bench: could not mine the benchmark block")
    value = Block(sealed.header, template.transactions).to_json(builder.suite)
    del value["hash"]
    value["transactions"] = _fresh_json(template.transactions)
    text = json.dumps(value)
    items = _signature_items(template.transactions)

    best_full = best_limit = float("inf")
    for _ in range(repeat):
        best_limit = min(best_limit, _fastest_signatures(items, 1))
        chain = Chain(genesis)  # has checked nothing yet: cold, as a node meeting these accounts
        block = Block.from_json(json.loads(text), chain.suite)  # fresh: no cached txid or bytes
        best_full = min(best_full, _timed(functools.partial(_must_extend, chain, block)))
    return best_full, best_limit


def _must_extend(chain: Chain, block: Block) -> None:
    update = chain.add_block(block)
    if update.status != "extended":
        raise RuntimeError(f"bench: the block did not extend the chain ({update.status})")


# --- the run and the report -----------------------------------------------------------------------


def run_benchmarks(quick: bool = False) -> dict[str, float]:
    """Every figure with the limit it is compared to, measured now. `quick`: a few seconds."""
    attempts, repeat = (200_000, 3) if quick else (1_000_000, 7)
    results: dict[str, float] = {}
    miner_rate, hashlib_rate = _mining_rates(attempts, repeat)
    results["miner_hash_rate"] = miner_rate
    results["hashlib_hash_rate"] = hashlib_rate

    genesis, transactions, miner = _bench_transactions()
    verify_rate, fastest_rate = _verify_rates(genesis, transactions, repeat)
    results["verify_rate"] = verify_rate
    results["fastest_verify_rate"] = fastest_rate

    validation_s, signature_s = _block_times(genesis, transactions, miner, repeat)
    results["block1000_validation_s"] = validation_s
    results["block1000_signature_s"] = signature_s

    for ratio, (figure, limit, _, _) in RATIOS.items():
        results[ratio] = results[figure] / results[limit]
    return results


def meets_goal(ratio: str, value: float) -> bool:
    _, _, comparison, goal = RATIOS[ratio]
    return value >= goal if comparison == ">=" else value <= goal


_LABELS: dict[str, tuple[str, str, float]] = {  # key -> (description, unit, scale)
    "miner_hash_rate": ("PowEngine.mine", "M hashes/s", 1e-6),
    "hashlib_hash_rate": ("hashlib.sha256, 80-byte header", "M hashes/s", 1e-6),
    "verify_rate": ("validate_transaction, fresh txs", "k tx/s", 1e-3),
    "fastest_verify_rate": ("pynacl Ed25519 verify", "k verifies/s", 1e-3),
    "block1000_validation_s": ("Chain.add_block, 1000 txs", "ms", 1e3),
    "block1000_signature_s": ("pynacl, its 1000 signatures", "ms", 1e3),
}


def format_report(results: dict[str, float]) -> str:
    """A table for people: each figure, its limit, and the ratio against its goal."""
    lines = ["minichain benchmarks (limits measured in this run; best of N)"]
    for ratio, (figure, limit, comparison, goal) in RATIOS.items():
        lines.append("")
        for key in (figure, limit):
            description, unit, scale = _LABELS[key]
            lines.append(f"  {key:<24} {results[key] * scale:>9.2f} {unit:<13} {description}")
        value = results[ratio]
        verdict = "PASS" if meets_goal(ratio, value) else "MISS"
        lines.append(f"  {ratio:<24} {value:>9.3f} goal {comparison} {goal:<8} {verdict}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="minichain bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a few seconds)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    results = run_benchmarks(quick=args.quick)
    print(json.dumps(results, indent=2, sort_keys=True) if args.json else format_report(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
