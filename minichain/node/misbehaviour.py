"""Misbehaviour: what a peer loses for sending what no honest node sends.

Each fault adds points to the peer's score; at BAN_THRESHOLD the peer is banned for the node's
`ban_seconds` and disconnected (Bitcoin Core's misbehaviour score works the same way). An invalid
block costs the whole threshold at once: the chain never accepts one, so a fake "longer" chain
costs its sender the connection and changes nothing.
"""

from __future__ import annotations

from minichain.node.effects import PeerId

BAN_THRESHOLD = 100  # points at which a peer is banned
PENALTY_MALFORMED = 20  # a message that does not decode (too big, not JSON, wrong fields)
PENALTY_INVALID_TX = 10  # a transaction that breaks a rule no honest relay would miss
PENALTY_INVALID_BLOCK = 100  # a block that breaks a rule: banned at once
PENALTY_PROTOCOL = 10  # a request left unanswered (a sync that timed out)
# The transaction rules a peer can check before relaying, whatever its chain state: breaking one
# is the sender's fault. Others (a nonce, a balance) depend on state and can be an honest race.
STATELESS_TX_RULES = frozenset({"tx-chain-id", "tx-suite", "tx-signature", "tx-amount", "tx-memo",
                                "tx-recipient"})


class BanList:
    """Peers banned until a time; a ban expires by itself."""

    def __init__(self) -> None:
        self.until: dict[PeerId, float] = {}

    def ban(self, peer: PeerId, until: float) -> None:
        self.until[peer] = until

    def is_banned(self, peer: PeerId, now: float) -> bool:
        return self.until.get(peer, 0.0) > now

    def expire(self, now: float) -> None:
        for peer in [p for p, until in self.until.items() if until <= now]:
            del self.until[peer]
