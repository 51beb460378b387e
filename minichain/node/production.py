"""Production: one node making blocks in its turns, through its consensus engine.

Each tick the engine is asked whether this producer's turn has come (`next_turn`) and, if so, to
seal a template block on the tip (`produce`) with a bounded amount of work, so the host stays
responsive: a proof-of-work search goes on next tick, on the same template and from the next
nonce, while the tip stays; a proof-of-authority signature takes one step. The template is
rebuilt when the tip moves or it is a second old (new transactions may have arrived).
"""

from __future__ import annotations

import random

from minichain.blocks import Block
from minichain.chain import Chain
from minichain.consensus import Producer
from minichain.mempool import Mempool

TEMPLATE_MAX_AGE = 1.0  # seconds a template is worked on before new transactions are picked up


class BlockProduction:
    """The state of one producer's work: the template, where its search is, its last turn."""

    def __init__(self, producer: Producer, rng: random.Random) -> None:
        self.producer = producer
        self._rng = rng  # the starting nonces, so miners paying one address do not race identically
        self._template: Block | None = None
        self._template_made_at = 0.0
        self._next_start = 0
        self._last_turn: tuple[bytes, int] | None = None  # (parent, turn) we last produced in
        self.work_done = 0  # hashes (PoW) or signatures (PoA) so far

    def restart(self) -> None:
        """Forget the template: the next step builds a fresh one."""
        self._template = None

    def next_turn(self, chain: Chain, now: float) -> float | None:
        """When a step may next produce: the start of this producer's turn on the tip (now or
        earlier: a search is under way, or about to be); None if it has no turn to wait for."""
        turn = chain.engine.next_turn(self.producer, chain.tip, int(now))
        return None if turn is None or (chain.tip_hash, turn) == self._last_turn else turn

    def step(self, chain: Chain, mempool: Mempool, now: float, attempts: int) -> Block | None:
        """A sealed block on the tip if this producer's turn has come and the engine sealed it
        within `attempts` units of work; None otherwise."""
        engine, tip_hash = chain.engine, chain.tip_hash
        turn = engine.next_turn(self.producer, chain.tip, int(now))
        if turn is None or turn > now or (tip_hash, turn) == self._last_turn:
            return None
        template = self._template
        if (template is None or template.header.parent_hash != tip_hash
                or now - self._template_made_at > TEMPLATE_MAX_AGE):
            txs = mempool.select(chain.state, chain.genesis.max_block_transactions)
            template, _ = chain.build_block(txs, self.producer.address, int(now))
            self._template, self._template_made_at = template, now
            self._next_start = self._rng.getrandbits(63)
        result = engine.produce(template.header, self.producer, attempts, self._next_start)
        self.work_done += result.attempts
        self._next_start += result.attempts
        if result.header is None:
            return None
        self._template, self._last_turn = None, (tip_hash, turn)
        return Block(result.header, template.transactions)
