"""One validator's Tendermint state machine: messages and timeouts in, effects out.

This is Algorithm 1 of Buchman, Kwon, Milosevic, "The latest gossip on BFT consensus"
(arXiv:1807.04938); the comments `# L22` name its line numbers (the copy in circlefin/malachite
specs/consensus/pseudo-code.md has the same numbers). The algorithm is a list of "upon" rules:
after every input, `_run` fires every rule whose condition holds until none does. Rules marked
"for the first time" fire once per round (`_fired`). Messages for a later height wait in a buffer;
messages for an earlier one are ignored (that height is decided). One deliberate difference: v is a
block hash and the block travels beside the proposal, so L49 decides on 2f + 1 precommits for a
block the application knows and finds valid, even if this validator missed the signed proposal
(as Tendermint's implementation commits once it has the block's parts).
"""

from __future__ import annotations

from collections.abc import Iterable

from minichain.consensus.bft.certificate import CommitCertificate
from minichain.consensus.bft.effects import (
    Application,
    Broadcast,
    Decide,
    Effect,
    RecordSigned,
    ScheduleTimeout,
    Timeout,
    TimeoutConfig,
)
from minichain.consensus.bft.messages import Message, Proposal, SigningDomain, Step, Vote, VoteKind
from minichain.consensus.bft.quorum import Evidence, ValidatorSet, VoteKeeper
from minichain.consensus.bft.signlog import SignedLog
from minichain.errors import InvalidVoteSignature, UnknownValidator, WrongProposer

FUTURE_HEIGHTS = 8  # heights ahead whose messages are kept until we get there (catching up after a partition)
ROUND_WINDOW = 64  # rounds ahead of ours whose messages are kept: a faulty validator cannot fill memory
MAX_PROPOSALS_PER_ROUND = 4  # distinct blocks kept from an equivocating proposer (the rest are dropped)
MAX_BUFFERED = 4096  # messages waiting for a later height


class Tendermint:
    """The consensus of one validator (see the package docstring for the theory of operation)."""

    def __init__(self, validators: ValidatorSet, domain: SigningDomain, private_key: bytes,
                 app: Application, timeouts: TimeoutConfig, signed: Iterable[Message] = ()) -> None:
        self.validators = validators
        self.domain = domain
        self.app = app
        self.timeouts = timeouts
        self.public_key = domain.suite.public_key(private_key)
        self.address = domain.suite.address(self.public_key)
        self.log = SignedLog(domain, private_key, signed)  # L19/24/40...: every signature goes through it
        self.decisions: dict[int, Decide] = {}  # L5 decision_p[]
        self.evidence: list[Evidence] = []
        self._addresses: dict[bytes, str] = {self.public_key: self.address}  # key -> address, validators
        self._buffer: list[tuple[Message, str]] = []  # (message, sender) of later heights
        self._reset(0)

    def _reset(self, height: int) -> None:
        """L2-9 and L53: a fresh height, nothing locked, an empty message log."""
        self.height, self.round, self.step = height, 0, Step.NEW_HEIGHT
        self.locked_value: bytes | None = None
        self.locked_round = -1
        self.valid_value: bytes | None = None
        self.valid_round = -1
        self.votes = VoteKeeper(height, self.validators, self.domain.suite)
        self.proposals: dict[int, dict[bytes, Proposal]] = {}  # round -> block hash -> proposal
        self._fired: set[tuple[int, int]] = set()  # (line, round) of the "for the first time" rules
        self._validity: dict[bytes, bool] = {}

    # --- inputs -----------------------------------------------------------------------------------

    def start_height(self, height: int) -> list[Effect]:
        """Begin consensus on `height` (at start, or after a restart or a sync). A validator whose
        log holds messages of this height resumes at the last round it signed in, with the lock its
        last non-nil precommit implies (L38-39), so that it cannot vote against what it signed."""
        self._reset(height)
        mine = self.log.records(height)
        for message in mine:
            self._add(message, self.address)
        precommits = [m for m in mine
                      if isinstance(m, Vote) and m.kind is VoteKind.PRECOMMIT and m.block_hash is not None]
        if precommits:
            last = max(precommits, key=lambda m: m.round)
            self.locked_value = self.valid_value = last.block_hash
            self.locked_round = self.valid_round = last.round
        effects: list[Effect] = []
        self._start_round(max((m.round for m in mine), default=0), effects)
        return self._run(effects)

    def on_proposal(self, proposal: Proposal) -> list[Effect]:
        """A proposal heard from the network (FISCO BCOS: PrepareReq).

        Raises:
            UnknownValidator (bft-validator), InvalidVoteSignature (bft-signature),
            WrongProposer (bft-proposer); the machine is unchanged then.
        """
        if not self._keep(proposal):
            return []
        sender = self._check(proposal, proposal.proposer)
        expected = self.validators.proposer(proposal.height, proposal.round)
        if sender != expected:
            raise WrongProposer(f"height {proposal.height} round {proposal.round}: proposed by {sender}, "
                                f"the proposer is {expected}", height=proposal.height, round=proposal.round,
                                signer=sender, expected=expected)
        return self._receive(proposal, sender)

    def on_vote(self, vote: Vote) -> list[Effect]:
        """A prevote or precommit heard from the network (FISCO BCOS: SignReq or CommitReq).

        Raises:
            UnknownValidator (bft-validator), InvalidVoteSignature (bft-signature).
        """
        if not self._keep(vote):
            return []
        return self._receive(vote, self._check(vote, vote.validator))

    def on_timeout(self, timeout: Timeout) -> list[Effect]:
        """A timer the host was asked to schedule has expired."""
        h, r = timeout.height, timeout.round
        effects: list[Effect] = []
        if h == self.height and r == self.round:
            match timeout.step:
                case Step.NEW_HEIGHT if self.step is Step.NEW_HEIGHT:
                    self._start_round(0, effects)
                case Step.PROPOSE if self.step is Step.PROPOSE:  # L57-60 (the paper: step = propose)
                    self._vote(VoteKind.PREVOTE, None, effects)
                    self.step = Step.PREVOTE
                case Step.PREVOTE if self.step is Step.PREVOTE:  # L61-64
                    self._vote(VoteKind.PRECOMMIT, None, effects)
                    self.step = Step.PRECOMMIT
                case Step.PRECOMMIT:  # L65-67
                    self._start_round(self.round + 1, effects)
                case _:
                    pass  # a stale timer: the validator has already moved on
        return self._run(effects)

    def block_arrived(self, value: bytes) -> None:
        """The application now knows the block `value` (it came after votes for it): judge it
        again when asked, rather than keep "unknown" as "invalid" for the rest of the height."""
        if self._validity.get(value) is False:
            del self._validity[value]

    def resend(self) -> list[Broadcast]:
        """Broadcasts of what this validator signed at this height and the one before: what a gossip
        layer sends a peer that (re)joins, since a vote sent while it was down never arrived."""
        return [Broadcast(m) for m in self.log.records() if m.height >= self.height - 1]

    # --- checking and storing messages ------------------------------------------------------------

    def _keep(self, message: Message) -> bool:
        """Worth checking: not of a decided height, not too far ahead."""
        if message.height < self.height or message.height > self.height + FUTURE_HEIGHTS:
            return False
        return message.height > self.height or message.round <= self.round + ROUND_WINDOW

    def _check(self, message: Message, key: bytes) -> str:
        address = self._addresses.get(key) or self.domain.suite.address(key)
        h, r = message.height, message.round
        if address not in self.validators:
            raise UnknownValidator(f"height {h} round {r}: signed by {address}, not one of the "
                                   f"{self.validators.n} validators", height=h, round=r, signer=address,
                                   validators=self.validators.n)
        if not message.verifies(self.domain):
            raise InvalidVoteSignature(f"height {h} round {r}: the signature does not verify for {address}",
                                       height=h, round=r, signer=address)
        self._addresses[key] = address
        return address

    def _receive(self, message: Message, sender: str) -> list[Effect]:
        if message.height > self.height:
            if len(self._buffer) < MAX_BUFFERED:
                self._buffer.append((message, sender))
            return []
        self._add(message, sender)
        return self._run([])

    def _add(self, message: Message, sender: str) -> None:
        if isinstance(message, Vote):
            self.votes.add(message, sender)
            return
        by_value = self.proposals.setdefault(message.round, {})
        if message.block_hash not in by_value:
            if by_value:  # a second block from one proposer in one round: equivocation
                self.evidence.append(Evidence(next(iter(by_value.values())), message))
            if len(by_value) < MAX_PROPOSALS_PER_ROUND:
                by_value[message.block_hash] = message
        self.votes.saw(message.round, sender)

    def _proposal(self, round: int) -> Proposal | None:
        """The proposal of `round` this validator heard first (the one L22 and L28 act on)."""
        return next(iter(self.proposals.get(round, {}).values()), None)

    def _valid(self, value: bytes) -> bool:
        if value not in self._validity:
            self._validity[value] = self.app.is_valid(self.height, value)
        return self._validity[value]

    # --- acting -----------------------------------------------------------------------------------

    def _send(self, unsigned: Message, effects: list[Effect]) -> None:
        """Sign through the log (or resend what was signed before), record, count our own, send."""
        earlier = self.log.earlier(unsigned)
        message = earlier if earlier is not None else self.log.sign(unsigned)
        if earlier is None:
            effects.append(RecordSigned(message))
        self._add(message, self.address)
        effects.append(Broadcast(message))

    def _vote(self, kind: VoteKind, value: bytes | None, effects: list[Effect]) -> None:
        self._send(Vote(kind, self.height, self.round, value, self.public_key), effects)

    def _schedule(self, step: Step, round: int, delay: float, effects: list[Effect]) -> None:
        effects.append(ScheduleTimeout(Timeout(self.height, round, step), delay))

    def _start_round(self, round: int, effects: list[Effect]) -> None:  # L11-21
        self.round, self.step = round, Step.PROPOSE
        if self.validators.proposer(self.height, round) == self.address:  # L14
            value = self.valid_value
            if value is None:  # L15-18: re-propose the block 2f+1 prevoted, else a new one
                value = self.app.propose_value(self.height, round)
            self._send(Proposal(self.height, round, value, self.valid_round, self.public_key), effects)  # L19
        else:
            self._schedule(Step.PROPOSE, round, self.timeouts.duration(round), effects)  # L21

    def _run(self, effects: list[Effect]) -> list[Effect]:
        """Fire the upon rules until none holds, then hand the effects to the host."""
        self._drain_buffer()
        while self._fire_one(effects):
            if effects and isinstance(effects[-1], Decide):
                break  # the host applies the block before this validator looks at the next height
        return effects

    def _drain_buffer(self) -> None:
        """Messages that waited for this height join its log (the next input after a decision)."""
        if not any(m.height <= self.height for m, _ in self._buffer):
            return
        now = [(m, s) for m, s in self._buffer if m.height == self.height]
        self._buffer = [(m, s) for m, s in self._buffer if m.height > self.height]
        for message, sender in now:
            self._add(message, sender)

    def _fire_one(self, effects: list[Effect]) -> bool:
        """Fire the first rule that holds; False if none does."""
        r, q = self.round, self.validators.quorum
        for rd, value in self.votes.quorums(VoteKind.PRECOMMIT, q):  # L49: decide, whatever our round
            if value is not None and self._valid(value):
                self._decide(rd, value, effects)
                return True
        later = [x for x in self.votes.rounds() if x > r and self.votes.senders(x) >= self.validators.skip]
        if later:  # L55: f+1 validators are already in a later round, so one honest one is: join it
            self._start_round(max(later), effects)
            return True
        proposal = self._proposal(r)
        prevotes = self.votes.votes(r, VoteKind.PREVOTE)
        if self.step is Step.PROPOSE and proposal is not None:
            v, vr = proposal.block_hash, proposal.valid_round
            if vr == -1:  # L22-27
                good = self._valid(v) and (self.locked_round == -1 or self.locked_value == v)
                self._vote(VoteKind.PREVOTE, v if good else None, effects)
                self.step = Step.PREVOTE
                return True
            if 0 <= vr < r and self.votes.votes(vr, VoteKind.PREVOTE).count(v) >= q:  # L28-33
                good = self._valid(v) and (self.locked_round <= vr or self.locked_value == v)
                self._vote(VoteKind.PREVOTE, v if good else None, effects)
                self.step = Step.PREVOTE
                return True
        if self.step is Step.PREVOTE and prevotes.count_any() >= q and self._first(34, r):  # L34-35
            self._schedule(Step.PREVOTE, r, self.timeouts.duration(r), effects)
            return True
        if self.step >= Step.PREVOTE:  # L36-43, for any block of this round with 2f+1 prevotes
            for v in self.proposals.get(r, {}):
                if prevotes.count(v) >= q and self._valid(v) and self._first(36, r):
                    if self.step is Step.PREVOTE:
                        self.locked_value, self.locked_round = v, r  # L38-39
                        self._vote(VoteKind.PRECOMMIT, v, effects)  # L40
                        self.step = Step.PRECOMMIT
                    self.valid_value, self.valid_round = v, r  # L42-43
                    return True
        if self.step is Step.PREVOTE and prevotes.count(None) >= q:  # L44-46
            self._vote(VoteKind.PRECOMMIT, None, effects)
            self.step = Step.PRECOMMIT
            return True
        if self.votes.votes(r, VoteKind.PRECOMMIT).count_any() >= q and self._first(47, r):  # L47-48
            self._schedule(Step.PRECOMMIT, r, self.timeouts.duration(r), effects)
            return True
        return False

    def _first(self, line: int, round: int) -> bool:
        """True once per (rule, round): the paper's "for the first time"."""
        if (line, round) in self._fired:
            return False
        self._fired.add((line, round))
        return True

    def _decide(self, round: int, value: bytes, effects: list[Effect]) -> None:  # L49-54
        order = {address: i for i, address in enumerate(self.validators.addresses)}
        votes = sorted(self.votes.votes(round, VoteKind.PRECOMMIT).votes_for(value),
                       key=lambda vote: order[self._addresses.get(vote.validator, self.address)])
        certificate = CommitCertificate(self.height, round, value,
                                        tuple((vote.validator, vote.signature) for vote in votes))
        decision = Decide(self.height, round, value, certificate)
        self.decisions[self.height] = decision
        self.evidence.extend(self.votes.evidence)
        self._reset(self.height + 1)  # L52-53; L54's StartRound(0) waits block_time (NEW_HEIGHT)
        self._schedule(Step.NEW_HEIGHT, 0, self.timeouts.block_time, effects)
        effects.append(decision)

    # --- for the explorer and GET /consensus --------------------------------------------------------

    def snapshot(self) -> dict[str, object]:
        """Height, round, step, locked and valid values and the votes seen at this height."""
        def hex_or_none(value: bytes | None) -> str | None:
            return None if value is None else value.hex()
        return {"height": self.height, "round": self.round, "step": self.step.name.lower(),
                "locked_value": hex_or_none(self.locked_value), "locked_round": self.locked_round,
                "valid_value": hex_or_none(self.valid_value), "valid_round": self.valid_round,
                "proposals": [p.to_json() for by_value in self.proposals.values() for p in by_value.values()],
                "votes": [v.to_json() for v in self.votes.all_votes()],
                "evidence": len(self.evidence) + len(self.votes.evidence)}
