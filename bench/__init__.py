"""Benchmarks, kept out of the teaching package: `minichain bench` runs `ledger` (miner, signature
checks, a 1000-transaction block) or, with --network, `network` (real node processes)."""
