"""Consensus engines: who may add the next block, and how nodes choose between forks.

Every engine answers the same questions (see base.ConsensusEngine), so the chain and the node
never ask which kind they run: proof of work (pow.py), proof of authority (poa.py), and later a
BFT engine with rounds of signed votes.
"""

from minichain.consensus.base import AncestorLookup, ConsensusEngine, make_engine
from minichain.consensus.poa import PoaEngine
from minichain.consensus.pow import MiningResult, PowEngine

__all__ = ["AncestorLookup", "ConsensusEngine", "MiningResult", "PoaEngine", "PowEngine",
           "make_engine"]
