"""The handshake: two nodes say Hello before anything else, and refuse another chain.

A Hello carries the chain id, the genesis hash and the sender's tip (height, hash, total weight).
A node on another chain is refused with a Reject naming both chains, so an operator who started a
node with the wrong genesis reads why. A Hello is always answered (with `ack` set, so the answer
is not answered again): the peer may have restarted and forgotten us.
"""

from __future__ import annotations

from minichain.chain import Chain
from minichain.encoding import short
from minichain.node.messages import Hello

HELLO_RETRY = 2.0  # seconds before greeting again a peer that sends before its Hello arrived
MEMPOOL_CATCH_UP = 5000  # pending transactions offered to a newly connected peer, at most


def hello(chain: Chain, node_id: str, ack: bool = False) -> Hello:
    """Our greeting: which chain we follow and where our tip is."""
    return Hello(chain.genesis.chain_id, chain.genesis_hash, node_id, chain.height, chain.tip_hash,
                 chain.tip_weight, ack)


def refusal(chain: Chain, theirs: Hello) -> str | None:
    """Why a peer's Hello is refused (another chain id or genesis), or None if it is ours."""
    if theirs.chain_id == chain.genesis.chain_id and theirs.genesis_hash == chain.genesis_hash:
        return None
    return (f"different chain: you follow {theirs.chain_id!r} genesis {short(theirs.genesis_hash)}, "
            f"I follow {chain.genesis.chain_id!r} genesis {short(chain.genesis_hash)}")
