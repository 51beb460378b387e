"""The interface every consensus engine implements.

An engine decides four things: the seal of the genesis block; whether a header's seal is valid
given its parent (and, for a retarget, older ancestors); how much a block weighs in fork choice
(the chain keeps the branch with the greatest total weight); and how a block is produced: when a
producer's turn comes (`next_turn`) and how a template header gets its seal (`produce`).

The node, the CLI and minichain.testing all produce through those two methods, so none of them
asks which engine it runs. Proof of work: every moment is a turn, and producing is a search that
may take many calls. Proof of authority: the turn is the producer's slot, and producing is one
signature. A round-based BFT engine fits the same two questions: its turn is the round in which
the producer proposes, and its seal is the commit certificate gathered from the validators' votes,
which the node delivers to the engine as messages.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar, Protocol

from minichain.blocks import CommitCertificate, Header, Seal
from minichain.crypto import Suite, get_suite
from minichain.genesis import Genesis


class AncestorLookup(Protocol):
    def ancestor(self, header: Header, height: int) -> Header:
        """The header at `height` on the branch that ends in `header`."""
        ...


@dataclass(frozen=True)
class Producer:
    """Who produces a block: the address its reward and fees go to and, for an engine whose
    blocks are signed, the private key that signs (a miner needs only the address)."""

    address: str
    private_key: bytes | None = None


@dataclass(frozen=True)
class SealAttempt:
    """What one call to `produce` achieved."""

    header: Header | None  # the sealed header, or None: no seal yet (call again to go on)
    attempts: int  # the work done: hashes tried (PoW), signatures made (PoA)


class ConsensusEngine(ABC):
    kind: str
    signs_blocks: ClassVar[bool]  # True: a producer needs its private key; False: an address will do
    # True: blocks are decided by rounds of validators' votes (BFT: the node runs its state machine,
    # node/bft_driver.py), not produced by one producer in its turn
    decides_by_votes: ClassVar[bool] = False

    def __init__(self, genesis: Genesis) -> None:
        self.genesis = genesis
        self.suite: Suite = get_suite(genesis.suite)

    @property
    def block_reward(self) -> int:
        return self.genesis.consensus.block_reward

    @property
    @abstractmethod
    def block_interval(self) -> int:
        """The seconds the chain aims to leave between two blocks."""

    @abstractmethod
    def genesis_seal(self) -> Seal:
        """The seal of block 0, which nobody produced."""

    @abstractmethod
    def template_seal(self, parent: Header, ancestry: AncestorLookup) -> Seal:
        """A placeholder seal for a new child of `parent`, to be filled in by `produce`."""

    @abstractmethod
    def check_seal(self, header: Header, parent: Header, ancestry: AncestorLookup) -> None:
        """None if the seal obeys this engine's rules.

        Raises:
            an InvalidBlock subclass naming the consensus rule broken (each engine lists its own).
        """

    @abstractmethod
    def check_seal_alone(self, header: Header) -> None:
        """The part of check_seal that needs no parent, for a block that cannot connect yet (its
        parent unknown, or its time not come): a node checks it before keeping the block, so
        a block it keeps cost its sender what a real one costs (work, an authority's signature)."""

    @abstractmethod
    def weight(self, header: Header) -> int:
        """This block's contribution to its branch's total in fork choice."""

    def check_commit(self, header: Header, commit: CommitCertificate | None) -> None:
        """None if the block may join the chain as far as finality goes. Engines without final
        blocks (PoW, PoA) need no certificate and ignore one; BFT needs a verified one.

        Raises:
            an InvalidCertificate subclass naming the rule broken (BFT).
        """
        return None

    def is_final(self, header: Header) -> bool:
        """True if a block on the chain can never be replaced by a reorg (BFT: it was certified);
        False for engines whose fork choice may still switch branches (PoW, PoA)."""
        return False

    @abstractmethod
    def next_turn(self, producer: Producer, parent: Header, now: int) -> int | None:
        """The start (a Unix time, in seconds) of `producer`'s first turn to produce a child of
        `parent` that has not ended by `now`; None if it has no turn at all. A block made in the
        turn may carry any timestamp from that start until the turn ends."""

    @abstractmethod
    def produce(self, template: Header, producer: Producer, attempts: int = 1,
                start: int = 0) -> SealAttempt:
        """Try to seal `template` (built on its parent, with `template_seal`'s placeholder) for
        `producer`, doing at most `attempts` units of work; an engine that searches begins at
        `start` (PoW: the first nonce to try), an engine that signs ignores it."""
