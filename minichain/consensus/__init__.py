"""Consensus engines: who may add the next block, and how nodes choose between forks.

Every engine answers the same questions (see base.ConsensusEngine), including when a producer's
turn comes and how a block is sealed, so the chain, the node and the CLI never ask which kind
they run: proof of work (pow.py), proof of authority (poa.py), and BFT consensus with rounds
of signed votes and final blocks (bft/, Tendermint).
"""

from minichain.consensus.base import AncestorLookup, ConsensusEngine, Producer, SealAttempt
from minichain.consensus.bft.engine import BftEngine
from minichain.consensus.poa import PoaEngine
from minichain.consensus.pow import MiningResult, PowEngine
from minichain.genesis import Genesis

# The registry: genesis consensus kind -> engine. A new engine is one new file and one line here;
# base.py never imports its subclasses.
ENGINES: dict[str, type[ConsensusEngine]] = {"pow": PowEngine, "poa": PoaEngine, "bft": BftEngine}


def make_engine(genesis: Genesis) -> ConsensusEngine:
    """The engine the genesis names (its consensus parameters' `kind`)."""
    return ENGINES[genesis.consensus.kind](genesis)


__all__ = ["ENGINES", "AncestorLookup", "BftEngine", "ConsensusEngine", "MiningResult", "PoaEngine",
           "PowEngine",
           "Producer", "SealAttempt", "make_engine"]
