"""Block intake: every block that reaches the node, from a peer or from its own production, ends
in one of three places. Added to the chain (and then any orphans it was waiting for); held, if it
cannot connect yet but its seal is real (waiting.py); or rejected, and its sender penalised, since
no honest node relays an invalid block. "Not yet" (NotYetConnectable) is never "invalid".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from minichain.blocks import Block
from minichain.chain import Chain, ChainUpdate
from minichain.encoding import short
from minichain.errors import BlockFromFuture, InvalidBlock, NotYetConnectable
from minichain.mempool import Mempool
from minichain.node.effects import Effect, Event, PeerId, Persist
from minichain.node.misbehaviour import PENALTY_INVALID_BLOCK
from minichain.node.waiting import WaitingRoom
from minichain.validation import MAX_FUTURE_SECONDS

Penalise = Callable[[PeerId, int, str, float], list[Effect]]  # (peer, points, reason, now) -> effects


@dataclass
class BlockOutcome:
    """What adding one block (and the orphans it unlocked) did."""

    effects: list[Effect] = field(default_factory=list)
    added: list[bytes] = field(default_factory=list)  # hashes newly in the tree
    orphaned: bool = False  # a block's parent is missing: sync needed
    held: bool = False  # a block with a real seal waits (orphan or early): not nothing
    banned: bool = False  # the sender was banned for it


class BlockIntake:
    """Adds blocks to a chain, holds those that cannot connect yet, rejects invalid ones."""

    def __init__(self, chain: Chain, mempool: Mempool, waiting: WaitingRoom, penalise: Penalise,
                 is_peer: Callable[[PeerId], bool]) -> None:
        self.chain, self.mempool, self.waiting = chain, mempool, waiting
        self._penalise, self._is_peer = penalise, is_peer

    def add(self, block: Block, source: PeerId | None, now: float) -> BlockOutcome:
        """Add a block and then any orphans waiting for it."""
        outcome = BlockOutcome()
        queue: list[tuple[Block, PeerId | None]] = [(block, source)]
        while queue:
            current, origin = queue.pop(0)
            block_hash = current.hash(self.chain.suite)
            try:
                update = self.chain.add_block(current, now=int(now))
            except NotYetConnectable as not_yet:  # not invalid; held if its seal is real
                try:
                    self.chain.engine.check_seal_alone(current.header)
                except InvalidBlock as error:
                    self._reject(outcome, block_hash, origin, error, now)
                    continue
                outcome.held = True
                if isinstance(not_yet, BlockFromFuture):
                    self.waiting.hold(block_hash, current, origin,
                                      due=current.header.timestamp - MAX_FUTURE_SECONDS)
                else:
                    self.waiting.hold(block_hash, current, origin)
                    outcome.orphaned = True
                continue
            except InvalidBlock as error:  # invalid: the sender is penalised
                self._reject(outcome, block_hash, origin, error, now)
                continue
            if update.status == "known":
                continue
            outcome.effects += self.committed(update)
            outcome.added.append(block_hash)
            queue += [(child.block, child.origin) for child in self.waiting.children_of(block_hash)]
        return outcome

    def committed(self, update: ChainUpdate) -> list[Effect]:
        """A chain change to persist (and to tell the mempool and the log about)."""
        chain = self.chain
        effects: list[Effect] = [Persist(update)]
        if update.status in ("extended", "reorg"):
            self.mempool.on_chain_update(update, chain.state)
        if update.status == "reorg":
            effects.append(Event("reorg", f"to height {chain.height} {short(chain.tip_hash)}: "
                                          f"-{len(update.disconnected)} +{len(update.connected)} blocks"))
        elif update.status == "side":
            effects.append(Event("fork", f"side block {short(update.block_hash)}"))
        return effects

    def _reject(self, outcome: BlockOutcome, block_hash: bytes, origin: PeerId | None,
                error: InvalidBlock, now: float) -> None:
        outcome.effects.append(Event("block-rejected", f"{short(block_hash)}: [{error.rule}] {error}"))
        if origin and self._is_peer(origin):
            outcome.effects += self._penalise(origin, PENALTY_INVALID_BLOCK,
                                              f"invalid block [{error.rule}]: {error}", now)
            outcome.banned = not self._is_peer(origin)
