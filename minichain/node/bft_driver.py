"""BFT on the node: the Tendermint state machine driven by the sans-IO node, one height at a time.

Theory of operation. The state machine (minichain.consensus.bft.machine) knows votes and rounds,
not blocks, peers or time; this module is its host inside the node, and answers its questions
with the chain. As the application it proposes a block built on the tip from the mempool (sealed
by this validator in the round it proposes in) and judges a proposed block with every rule a block
must pass to extend the tip (Chain.check_candidate: Algorithm 1's valid(v)). Its effects become
the node's: RecordSigned a durable record of what was signed (PersistSigned, written before any
message goes out), Broadcast one message to every validator peer (a proposal travels with its
block), ScheduleTimeout a timer fired by the node's ticks (WakeAt), Decide the block joined to the
chain with its commit certificate, the mempool cleaned, the block announced, and the next height.
A node that falls behind catches up by sync, whose blocks carry certificates the chain verifies;
the machine then moves to the height after the tip. A peer that (re)connects gets what this
validator signed at this height and the one before, since what was sent while it was away is lost;
and a validator that stays RESEND_AFTER seconds in one step sends it all again: Algorithm 1
assumes every message between correct validators eventually arrives (Tendermint's gossip layer
keeps re-sending votes), and a lost vote must not stall a round that waits for 2f + 1 of them.
FISCO BCOS calls the same loop its PBFT engine: PrepareReq (proposal), SignReq (prevote),
CommitReq (precommit), view change (a timeout to the next round).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from typing import cast

from minichain.blocks import Block
from minichain.chain import Chain
from minichain.consensus.bft import (
    BftEngine,
    Broadcast,
    Decide,
    Message,
    Proposal,
    RecordSigned,
    ScheduleTimeout,
    Tendermint,
    Timeout,
    Vote,
)
from minichain.consensus.bft import Effect as MachineEffect
from minichain.encoding import short
from minichain.errors import InvalidBlock, InvalidConsensusMessage, NotYetConnectable
from minichain.mempool import Mempool
from minichain.node.effects import Effect, Event, PeerId, PersistSigned, Send, WakeAt
from minichain.node.gossip import Gossip, send
from minichain.node.intake import BlockIntake
from minichain.node.messages import BftProposal, BftVote
from minichain.node.misbehaviour import PENALTY_INVALID_BLOCK
from minichain.node.peers import PeerState
from minichain.wallet import Wallet

MAX_CANDIDATES = 16  # proposed blocks kept at once: an equivocating proposer cannot fill memory
CANDIDATE_HEIGHTS = 8  # proposals this many heights ahead are kept (as the machine keeps votes)
RESEND_AFTER = 1.5  # seconds in one height, round and step before what we signed there is sent again

Penalise = Callable[[PeerId, int, str, float], list[Effect]]


class BftDriver:
    """One validator's consensus inside its node (a node without a validator key only follows)."""

    def __init__(self, chain: Chain, mempool: Mempool, intake: BlockIntake, gossip: Gossip,
                 peers: dict[PeerId, PeerState], penalise: Penalise, key: Wallet | None,
                 signed: Iterable[Message] = ()) -> None:
        if not chain.engine.decides_by_votes:
            raise TypeError(f"BftDriver drives a BFT chain, not {chain.engine.kind}")
        engine = cast(BftEngine, chain.engine)
        self.chain, self.mempool, self.intake, self.gossip, self.peers = chain, mempool, intake, gossip, peers
        self.engine = engine
        self._penalise = penalise
        self.key = key if key is not None and key.address in engine.validators else None
        self.machine = (None if self.key is None else
                        Tendermint(engine.validators, engine.domain, self.key.private_key, self,
                                   engine.timeouts, signed))
        self.candidates: dict[bytes, Block] = {}  # block hash -> a proposed block (ours or heard)
        self._timers: list[tuple[float, int, Timeout]] = []  # (due, sequence, timeout), a heap
        self._sequence = 0
        self._now = 0.0  # the time of the input being handled, for blocks we build and check
        self._started = False
        self._where: tuple[int, int, int] = (0, 0, 0)  # (height, round, step) seen at the last tick
        self._where_since = 0.0  # when the machine got there

    # --- the application the machine asks ------------------------------------------------------

    def propose_value(self, height: int, round: int) -> bytes:
        """A new block on the tip, from the mempool, sealed by this validator in `round`."""
        key = self.key
        if key is None:  # only a validator has a machine to ask
            raise RuntimeError("bft: a node without a validator key proposes nothing")
        txs = self.mempool.select(self.chain.state, self.chain.genesis.max_block_transactions)
        template, _ = self.chain.build_block(txs, key.address, int(self._now))
        block = Block(self.engine.seal(template.header, key.private_key, round), template.transactions)
        return self._remember(block)

    def is_valid(self, height: int, value: bytes) -> bool:
        """Valid(v): the block is known, extends the tip, and passes every rule of a block."""
        block = self.candidates.get(value)
        if block is None or height != self.chain.height + 1:
            return False
        try:
            self.chain.check_candidate(block, int(self._now))
        except (InvalidBlock, NotYetConnectable):
            return False
        return True

    # --- inputs from the node ------------------------------------------------------------------

    def tick(self, now: float) -> list[Effect]:
        """Start, follow the chain (a block from sync moves the machine on), fire due timers."""
        self._now = now
        machine = self.machine
        if machine is None:
            return []
        effects: list[Effect] = []
        if not self._started or machine.height <= self.chain.height:
            self._started = True
            effects += self._carry_out(machine.start_height(self.chain.height + 1), now)
        while self._timers and self._timers[0][0] <= now:
            _, _, timeout = heapq.heappop(self._timers)
            if timeout.height >= machine.height:
                effects += self._carry_out(machine.on_timeout(timeout), now)
        where = (machine.height, machine.round, int(machine.step))
        if where != self._where:
            self._where, self._where_since = where, now
        elif now - self._where_since >= RESEND_AFTER:  # stuck: a message may have been lost
            self._where_since = now
            ready = [peer for peer, state in self.peers.items() if state.handshaken]
            effects += [effect for peer in ready for effect in self.resend(peer)]
        if self._timers:
            effects.append(WakeAt(self._timers[0][0]))
        return effects

    def receive(self, peer: PeerId, message: BftProposal | BftVote, now: float) -> list[Effect]:
        """A proposal (with its block) or a vote from a peer. A message that breaks a consensus
        rule costs its sender, like an invalid block; the machine is unchanged then."""
        self._now = now
        machine = self.machine
        if machine is None or not self._started:
            return []  # a follower, or not started yet: the sender resends when we greet it
        try:
            if isinstance(message, BftProposal):
                proposal = message.proposal
                if (machine.height <= proposal.height <= machine.height + CANDIDATE_HEIGHTS
                        and self._from_its_proposer(proposal)):  # only then is its block worth keeping
                    self._remember(message.block)
                    machine.block_arrived(proposal.block_hash)
                return self._carry_out(machine.on_proposal(proposal), now)
            return self._carry_out(machine.on_vote(message.vote), now)
        except InvalidConsensusMessage as error:
            return [Event("bft-rejected", f"{peer}: [{error.rule}] {error}"),
                    *self._penalise(peer, PENALTY_INVALID_BLOCK, f"[{error.rule}] {error}", now)]

    def resend(self, peer: PeerId) -> list[Effect]:
        """What this validator signed at this height and the one before, for a peer that just
        (re)connected: votes sent while it was away are lost, and consensus needs them."""
        if self.machine is None:
            return []
        return [effect for b in self.machine.resend() if (effect := self._message(peer, b.message))]

    def snapshot(self) -> dict[str, object]:
        """GET /consensus: the machine's height, round, step, locks and votes seen."""
        base: dict[str, object] = {"validator": None if self.key is None else self.key.address,
                                   "validators": list(self.engine.validators.addresses),
                                   "quorum": self.engine.validators.quorum, "chain_height": self.chain.height}
        if self.machine is None:
            return {**base, "height": self.chain.height + 1, "round": 0, "step": "follower",
                    "locked_value": None, "locked_round": -1, "valid_value": None, "valid_round": -1,
                    "proposals": [], "votes": [], "evidence": 0}
        return {**base, **self.machine.snapshot()}

    # --- carrying out the machine's effects ----------------------------------------------------

    def _carry_out(self, effects: list[MachineEffect], now: float) -> list[Effect]:
        out: list[Effect] = []
        for effect in effects:
            match effect:
                case RecordSigned(message):
                    out.append(PersistSigned(message))
                case Broadcast(message):
                    out += self._broadcast(message)
                case ScheduleTimeout(timeout, delay):
                    self._sequence += 1
                    heapq.heappush(self._timers, (now + delay, self._sequence, timeout))
                    out.append(WakeAt(now + delay))
                case Decide():
                    out += self._decide(effect, now)
                case _:
                    raise TypeError(f"unknown consensus effect {effect!r}")
        return out

    def _broadcast(self, message: Message) -> list[Effect]:
        return [effect for peer, state in self.peers.items()
                if state.handshaken and (effect := self._message(peer, message))]

    def _message(self, peer: PeerId, message: Message) -> Send | None:
        suite = self.chain.suite
        if isinstance(message, Vote):
            return send(peer, BftVote(message), suite)
        block = self.candidates.get(message.block_hash) or self.chain.get(message.block_hash)
        if block is None:  # a restart forgets proposed blocks; the peers that heard the proposal have it
            return None
        return send(peer, BftProposal(message, block.with_commit(None)), suite)

    def _decide(self, decision: Decide, now: float) -> list[Effect]:
        """2f + 1 precommits: the block joins the chain with its certificate (the chain verifies
        it like any other), the mempool drops its transactions, and peers hear of it."""
        block = self.candidates.get(decision.block_hash) or self.chain.get(decision.block_hash)
        label = f"block {decision.height} {short(decision.block_hash)}"
        if block is None:  # the machine decides only on blocks it judged valid, so we had it
            return [Event("bft-decided-unknown", label)]
        outcome = self.intake.add(block.with_commit(decision.certificate), None, now)
        effects = [*outcome.effects, Event("decided", f"{label} in round {decision.round} with "
                                                      f"{len(block.transactions)} txs")]
        effects += self.gossip.announce_block(decision.block_hash, None)
        self.candidates = {h: b for h, b in self.candidates.items() if b.height > decision.height}
        if self.machine is not None:
            self.machine.log.forget_below(decision.height)  # keeps this height's for resend()
        return effects

    def _from_its_proposer(self, proposal: Proposal) -> bool:
        """Signed by the proposer of its height and round (the machine says why, if not)."""
        expected = self.engine.validators.proposer(proposal.height, proposal.round)
        return (self.engine.suite.address(proposal.proposer) == expected
                and proposal.verifies(self.engine.domain))

    def _remember(self, block: Block) -> bytes:
        block_hash = block.hash(self.chain.suite)
        if block_hash not in self.candidates and len(self.candidates) >= MAX_CANDIDATES:
            self.candidates.pop(next(iter(self.candidates)))  # the oldest goes
        self.candidates[block_hash] = block.with_commit(None)
        return block_hash

