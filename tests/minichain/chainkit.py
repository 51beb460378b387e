"""Helpers for the minichain tests: build blocks without adding them, break exactly one rule, and
compare chains. minichain.testing gives the seeded wallets and genesis; this adds the forging.

A forged block is re-mined (PoW) or re-sealed (PoA) after its change, so the only rule it breaks is
the one a test targets, never the seal by accident.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from minichain.blocks import Block, transactions_root
from minichain.chain import Chain, ChainUpdate
from minichain.consensus import Producer
from minichain.consensus.poa import PoaEngine
from minichain.testing import make_wallet
from minichain.transactions import Transaction
from minichain.wallet import Wallet

MINER = make_wallet("miner")


def seal(chain: Chain, block: Block, signer: Wallet | None = None) -> Block:
    """`block` with a valid seal for `chain`'s engine: mined (PoW, from nonce 0) or signed by
    `signer` (PoA), whichever the engine does."""
    producer = (Producer(block.header.beneficiary) if signer is None
                else Producer(signer.address, signer.private_key))
    result = chain.engine.produce(block.header, producer, attempts=2**64)
    assert result.header is not None
    return Block(result.header, block.transactions)


def next_block(
    chain: Chain,
    transactions: Sequence[Transaction] = (),
    *,
    timestamp: int | None = None,
    miner: Wallet = MINER,
) -> Block:
    """A mined PoW child of `chain`'s tip (10 s after it by default), not added to the chain.
    Raises if build_block had to drop a transaction, so a test never builds what it did not mean."""
    when = chain.tip.timestamp + 10 if timestamp is None else timestamp
    block, dropped = chain.build_block(transactions, miner.address, when)
    assert not dropped, f"build_block dropped {[(tx.nonce, e.rule) for tx, e in dropped]}"
    return seal(chain, block)


def next_poa_block(
    chain: Chain,
    signer: Wallet,
    transactions: Sequence[Transaction] = (),
    *,
    slot: int | None = None,
    beneficiary: str | None = None,
) -> Block:
    """A PoA child of the tip sealed by `signer` at `slot` (default: `signer`'s next own slot)."""
    engine = chain.engine
    assert isinstance(engine, PoaEngine)
    if slot is None:
        found = engine.next_slot_for(signer.address, engine.slot(chain.tip.timestamp))
        assert found is not None
        slot = found
    block, dropped = chain.build_block(
        transactions, beneficiary or signer.address, engine.slot_start(slot)
    )
    assert not dropped
    return seal(chain, block, signer)


def reseal(chain: Chain, block: Block, signer: Wallet | None = None, **changes: Any) -> Block:
    """`block` with header fields replaced, then sealed again."""
    return seal(chain, Block(dataclasses.replace(block.header, **changes), block.transactions), signer)


def with_transactions(
    chain: Chain, block: Block, transactions: Sequence[Transaction], signer: Wallet | None = None
) -> Block:
    """`block` holding `transactions`, with a matching Merkle root, sealed again."""
    root = transactions_root(tuple(transactions), chain.suite)
    header = dataclasses.replace(block.header, merkle_root=root)
    return seal(chain, Block(header, tuple(transactions)), signer)


def snapshot(chain: Chain) -> tuple[Any, ...]:
    """Everything a rejected block must leave untouched."""
    return (
        chain.tip_hash,
        chain.height,
        chain.tip_weight,
        chain.state.root(),
        tuple(chain.state.items()),
        tuple(chain.hash_at(h) for h in range(chain.height + 1)),
    )


def blocks_after(chain: Chain, height: int) -> list[Block]:
    """The best chain's blocks above `height`, oldest first."""
    return [chain.block_at(h) for h in range(height + 1, chain.height + 1)]


def feed(chain: Chain, blocks: Iterable[Block]) -> list[ChainUpdate]:
    return [chain.add_block(block) for block in blocks]
