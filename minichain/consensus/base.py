"""The interface every consensus engine implements.

An engine decides three things: the seal of the genesis block, whether a header's seal is valid
given its parent (and, for a retarget, older ancestors), and how much a block weighs in fork
choice. The chain keeps the branch with the greatest total weight.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Protocol

from minichain.blocks import Header, Seal
from minichain.crypto import Suite, get_suite
from minichain.genesis import Genesis


class AncestorLookup(Protocol):
    def ancestor(self, header: Header, height: int) -> Header:
        """The header at `height` on the branch that ends in `header`."""
        ...


class ConsensusEngine(ABC):
    kind: str

    def __init__(self, genesis: Genesis) -> None:
        self.genesis = genesis
        self.suite: Suite = get_suite(genesis.suite)

    @property
    def block_reward(self) -> int:
        return self.genesis.consensus.block_reward

    @abstractmethod
    def genesis_seal(self) -> Seal:
        """The seal of block 0, which nobody produced."""

    @abstractmethod
    def template_seal(self, parent: Header, ancestry: AncestorLookup) -> Seal:
        """A placeholder seal for a new child of `parent`, to be mined or signed."""

    @abstractmethod
    def check_seal(self, header: Header, parent: Header, ancestry: AncestorLookup) -> None:
        """None if the seal obeys this engine's rules.

        Raises:
            an InvalidBlock subclass naming the consensus rule broken (each engine lists its own).
        """

    @abstractmethod
    def weight(self, header: Header) -> int:
        """This block's contribution to its branch's total in fork choice."""

