"""Seeded builders shared by tests, labs and the explorer: same seed, same keys, same chain.

Nothing here is random or reads the clock, so a lab's expected answers and a test's assertions
hold on every machine.
"""

from __future__ import annotations

from collections.abc import Sequence

from minichain.blocks import Block, CommitCertificate
from minichain.chain import Chain, ChainUpdate
from minichain.consensus import Producer
from minichain.consensus.bft import SigningDomain, Vote, VoteKind
from minichain.crypto import DEFAULT_SUITE
from minichain.errors import MinichainError
from minichain.genesis import BftParams, Genesis, PoaParams, PowParams
from minichain.transactions import Transaction
from minichain.wallet import Wallet

GENESIS_TIME = 1_764_000_000  # 2025-11-24T16:00:00Z
CHAIN_ID = "minichain-test"


def make_wallet(seed: int | str, suite: str = DEFAULT_SUITE) -> Wallet:
    return Wallet.from_seed(f"wallet-{seed}", suite)


def make_genesis(
    consensus: str = "pow",
    *,
    suite: str = DEFAULT_SUITE,
    funded: Sequence[Wallet] = (),
    amount: int = 1_000_000,
    authorities: Sequence[Wallet] = (),
    difficulty_bits: int = 8,
    chain_id: str = CHAIN_ID,
    block_time: int = 2,
    **pow_options: int,
) -> Genesis:
    """A genesis funding `funded` (default: wallets 0-3) with `amount` each."""
    wallets = list(funded) or [make_wallet(i, suite) for i in range(4)]
    params: PowParams | PoaParams | BftParams
    if consensus == "pow":
        params = PowParams(difficulty_bits=difficulty_bits, **pow_options)
    elif consensus == "bft":
        voters = list(authorities) or [make_wallet(f"validator-{i}", suite) for i in range(4)]
        params = BftParams(tuple(w.address for w in voters))
    else:
        signers = list(authorities) or [make_wallet(f"authority-{i}", suite) for i in range(3)]
        params = PoaParams(tuple(w.address for w in signers), block_time=block_time)
    return Genesis(chain_id=chain_id, consensus=params, suite=suite, timestamp=GENESIS_TIME,
                   allocations=tuple(sorted((w.address, amount) for w in wallets)))


def validator_wallets(genesis: Genesis, count: int = 4) -> list[Wallet]:
    """The wallets make_genesis(consensus="bft") uses by default, in proposer order."""
    return [make_wallet(f"validator-{i}", genesis.suite) for i in range(count)]


def certify(chain: Chain, block: Block, validators: Sequence[Wallet], round: int = 0) -> Block:
    """`block` with a commit certificate: the precommits of `validators` (at least 2f + 1 of them
    for it to verify) for its hash in `round`, as the BFT state machine would gather them."""
    domain = SigningDomain.of(chain.genesis, chain.suite)
    block_hash = block.hash(chain.suite)
    votes = [Vote(VoteKind.PRECOMMIT, block.height, round, block_hash, w.public_key)
             .signed(domain, w.private_key) for w in validators]
    return block.with_commit(CommitCertificate(block.height, round, block_hash,
                                               tuple((v.validator, v.signature) for v in votes)))


def authority_wallets(genesis: Genesis, count: int = 3) -> list[Wallet]:
    """The wallets make_genesis(consensus="poa") uses by default, in turn order."""
    return [make_wallet(f"authority-{i}", genesis.suite) for i in range(count)]


def produce_block(
    chain: Chain,
    transactions: Sequence[Transaction] = (),
    *,
    producer: Wallet | None = None,
    authorities: Sequence[Wallet] = (),
    timestamp: int | None = None,
) -> ChainUpdate:
    """Seal the next block on `chain` in the first turn at or after `timestamp` (default: one
    block interval after the tip) and add it. The producer is `producer`, or whichever of
    `authorities` has the earliest turn (default: the "miner" wallet, then make_genesis's
    authorities); the chain's engine says when each may produce and does the sealing."""
    engine = chain.engine
    if producer is not None:
        candidates = [producer]
    else:
        candidates = list(authorities) or [make_wallet("miner", chain.genesis.suite),
                                           *authority_wallets(chain.genesis, _authority_count(chain)),
                                           *validator_wallets(chain.genesis, _validator_count(chain))]
    not_before = chain.tip.timestamp + engine.block_interval if timestamp is None else timestamp
    turns = [(turn, wallet) for wallet in candidates
             if (turn := engine.next_turn(_producer(wallet), chain.tip, not_before)) is not None]
    if not turns:
        raise MinichainError(f"no turn on this chain for {', '.join(w.address for w in candidates)}"
                             " (not an authority of it)")
    turn, wallet = min(turns, key=lambda pair: pair[0])
    block, _ = chain.build_block(transactions, wallet.address, turn)
    result = engine.produce(block.header, _producer(wallet), attempts=2**64)
    if result.header is None:
        raise MinichainError("no seal found: difficulty too high for a test chain")
    sealed = Block(result.header, block.transactions)
    if chain.genesis.consensus.kind == "bft":  # final only with its certificate: all validators sign
        sealed = certify(chain, sealed, list(authorities) or validator_wallets(chain.genesis))
    return chain.add_block(sealed)


def _producer(wallet: Wallet) -> Producer:
    return Producer(wallet.address, wallet.private_key)


def _authority_count(chain: Chain) -> int:
    """How many authorities the genesis lists (none for PoW, whose miners need no listing)."""
    return len(getattr(chain.genesis.consensus, "authorities", ()))


def _validator_count(chain: Chain) -> int:
    return len(getattr(chain.genesis.consensus, "validators", ()))


def make_chain(
    blocks: int, consensus: str = "pow", *, suite: str = DEFAULT_SUITE, transfers_per_block: int = 0
) -> Chain:
    """A chain of `blocks` blocks after genesis; wallet 0 pays wallet 1 in each block."""
    genesis = make_genesis(consensus, suite=suite)
    chain = Chain(genesis)
    payer, payee = make_wallet(0, suite), make_wallet(1, suite)
    for _ in range(blocks):
        nonce = chain.state.nonce(payer.address)
        txs = [payer.transfer(genesis.chain_id, payee.address, 1 + i, nonce + i, fee=1)
               for i in range(transfers_per_block)]
        produce_block(chain, txs)
    return chain
