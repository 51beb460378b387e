"""The signing log: a restarted validator never signs two different values for one height, round
and step.

Equivocation needs no malice: a validator that prevotes block A, crashes, restarts with an empty
memory and sees block B could prevote B, and a correct node would look Byzantine. So every message
a validator signs is recorded *before* it is sent (Tendermint's priv_validator_state.json, FISCO
BCOS's saved Prepare), and a validator restored from its log sends what it signed before instead of
signing anew. The state machine emits `RecordSigned(message)` before `Broadcast(message)`: the host
must make the record durable (SQLite, fsync) before it sends anything that follows.
"""

from __future__ import annotations

from collections.abc import Iterable

from minichain.consensus.bft.messages import Message, Proposal, SigningDomain, value_text
from minichain.errors import DoubleSignRefused

SignKey = tuple[int, int, str]  # (height, round, "proposal" | "prevote" | "precommit")


def sign_key(message: Message) -> SignKey:
    step = "proposal" if isinstance(message, Proposal) else message.kind.value
    return message.height, message.round, step


class SignedLog:
    """What this validator has signed, by (height, round, step): one message each, forever."""

    def __init__(self, domain: SigningDomain, private_key: bytes, records: Iterable[Message] = ()) -> None:
        self.domain = domain
        self._private_key = private_key
        self._signed: dict[SignKey, Message] = {}
        for record in records:
            self._remember(record)

    def _remember(self, message: Message) -> None:
        key = sign_key(message)
        earlier = self._signed.get(key)
        if earlier is not None and earlier != message:
            self._refuse(earlier, message)
        self._signed[key] = message

    def _refuse(self, earlier: Message, asked: Message) -> None:
        height, round, step = sign_key(asked)
        raise DoubleSignRefused(
            f"height {height} round {round}: this validator already signed a {step} for "
            f"{value_text(earlier.block_hash)[:16]}; it will not sign one for "
            f"{value_text(asked.block_hash)[:16]}",
            height=height, round=round, step=step, signed=value_text(earlier.block_hash)[:16],
            asked=value_text(asked.block_hash)[:16])

    def earlier(self, message: Message) -> Message | None:
        """The message signed before for `message`'s height, round and step, if any."""
        return self._signed.get(sign_key(message))

    def sign(self, unsigned: Message) -> Message:
        """`unsigned`, signed and recorded. Raises DoubleSignRefused (bft-double-sign) if another
        value was signed for its height, round and step; the same value gives the same message."""
        earlier = self._signed.get(sign_key(unsigned))
        if earlier is not None:
            if earlier.block_hash != unsigned.block_hash or (
                    isinstance(earlier, Proposal) and isinstance(unsigned, Proposal)
                    and earlier.valid_round != unsigned.valid_round):
                self._refuse(earlier, unsigned)
            return earlier
        message = unsigned.signed(self.domain, self._private_key)
        self._signed[sign_key(message)] = message
        return message

    def records(self, height: int | None = None) -> list[Message]:
        """Every signed message (of one height, if given), in signing order: what to persist."""
        return [m for m in self._signed.values() if height is None or m.height == height]

    def forget_below(self, height: int) -> None:
        """Drop records of heights below `height`: decided heights can no longer be voted on."""
        self._signed = {key: m for key, m in self._signed.items() if key[0] >= height}
