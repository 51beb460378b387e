"""Quorums: why 3f + 1 validators, why 2f + 1 votes, and how votes are counted.

With n = 3f + 1 validators of which at most f are faulty (crashed, or Byzantine: lying), a
validator can wait for only n - f = 2f + 1 answers (the f others may never come). Any two sets of
2f + 1 share at least f + 1 validators, so at least one honest one: an honest validator never
votes for two blocks in one step, so two conflicting blocks cannot both gather 2f + 1 votes.
For n not of the form 3f + 1 the quorum is "more than two thirds" (floor(2n/3) + 1: 3 of 4, 4 of
5, 5 of 6, 5 of 7), and "f + 1" is "more than one third" (floor(n/3) + 1): enough to contain one
honest validator, the round-skip rule of Algorithm 1 line 55.
A vote set tallies one (height, round, kind) by validator. A validator that signs two different
votes for one (height, round, kind) equivocates: the pair is kept as evidence and only its first
vote counts, so a liar cannot weigh twice.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from minichain.consensus.bft.messages import Proposal, Vote, VoteKind
from minichain.crypto import Suite


@dataclass(frozen=True)
class ValidatorSet:
    """The genesis validators, in proposer order, with the sizes of their quorums."""

    addresses: tuple[str, ...]

    @property
    def n(self) -> int:
        return len(self.addresses)

    @property
    def f(self) -> int:
        """How many faulty validators the set tolerates: n >= 3f + 1."""
        return (self.n - 1) // 3

    @property
    def quorum(self) -> int:
        """More than two thirds: 2f + 1 when n = 3f + 1."""
        return 2 * self.n // 3 + 1

    @property
    def skip(self) -> int:
        """More than one third (f + 1 when n = 3f + 1): surely one honest validator among them."""
        return self.n // 3 + 1

    def proposer(self, height: int, round: int) -> str:
        """The proposer of (height, round): number (height + round) mod n, as FISCO BCOS's
        leader_idx = (view + block_number) % node_num."""
        return self.addresses[(height + round) % self.n]

    def __contains__(self, address: object) -> bool:
        return address in self.addresses


@dataclass(frozen=True)
class Evidence:
    """Two different signed messages from one validator for one (height, round, kind)."""

    first: Vote | Proposal
    second: Vote | Proposal

    @property
    def height(self) -> int:
        return self.first.height

    @property
    def round(self) -> int:
        return self.first.round


@dataclass
class VoteSet:
    """The votes of one (height, round, kind): at most one per validator."""

    by_validator: dict[str, Vote] = field(default_factory=dict)
    tally: Counter[bytes | None] = field(default_factory=Counter)  # block hash (None: nil) -> votes

    def count(self, block_hash: bytes | None) -> int:
        return self.tally[block_hash]

    def count_any(self) -> int:
        return len(self.by_validator)

    def votes_for(self, block_hash: bytes | None) -> list[Vote]:
        return [v for v in self.by_validator.values() if v.block_hash == block_hash]


class VoteKeeper:
    """Every vote of one height, by round and kind; the senders of each round (any message, for
    the round skip); and the evidence of equivocation."""

    def __init__(self, height: int, validators: ValidatorSet, suite: Suite) -> None:
        self.height = height
        self.validators = validators
        self.suite = suite
        self._sets: dict[tuple[int, VoteKind], VoteSet] = {}
        self._senders: dict[int, set[str]] = {}
        self.evidence: list[Evidence] = []

    def votes(self, round: int, kind: VoteKind) -> VoteSet:
        return self._sets.get((round, kind)) or VoteSet()

    def add(self, vote: Vote, address: str) -> bool:
        """Count `vote` (already verified, from `address`); False if it added nothing: a repeat,
        or a second different vote (kept as evidence, not counted)."""
        votes = self._sets.setdefault((vote.round, vote.kind), VoteSet())
        first = votes.by_validator.get(address)
        if first is not None:
            if first.block_hash != vote.block_hash:
                self.evidence.append(Evidence(first, vote))
            return False
        votes.by_validator[address] = vote
        votes.tally[vote.block_hash] += 1
        self.saw(vote.round, address)
        return True

    def quorums(self, kind: VoteKind, quorum: int) -> list[tuple[int, bytes | None]]:
        """Every (round, value) that `quorum` validators voted for with votes of `kind`."""
        ordered = sorted(self._sets.items(), key=lambda item: item[0][0])
        return [(round, value) for (round, k), votes in ordered
                if k is kind for value, count in votes.tally.items() if count >= quorum]

    def saw(self, round: int, address: str) -> None:
        """`address` sent a message in `round` (line 55 counts senders of any message)."""
        self._senders.setdefault(round, set()).add(address)

    def senders(self, round: int) -> int:
        return len(self._senders.get(round, ()))

    def rounds(self) -> list[int]:
        return sorted(self._senders)

    def all_votes(self) -> list[Vote]:
        return [vote for votes in self._sets.values() for vote in votes.by_validator.values()]
