"""What nodes say to each other: a handshake, announcements, requests and the data itself.

Gossip is announce-then-fetch (Bitcoin's inv/getdata): a node announces the ids of new
transactions and blocks, and a peer asks only for what it has not seen, so nothing is flooded
twice. A node that is behind asks for blocks after a *locator* (hashes from its tip back to
genesis, spaced exponentially) and receives them in batches. On a BFT chain validators also send
each other consensus messages, pushed whole since every validator needs each one at once:
bft-proposal (with the proposed block) and bft-vote. Every message is JSON with a `type`, at most
MAX_MESSAGE_BYTES long; anything else is malformed and counts against the peer that sent it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from minichain.blocks import Block
from minichain.consensus.bft.messages import Proposal, Vote, message_from_json
from minichain.crypto import Suite
from minichain.encoding import (
    canonical_json,
    parse_json,
    require_hex,
    require_int,
    require_list,
    require_object,
    require_str,
)
from minichain.errors import MalformedData
from minichain.fastpath import blocks_message_bytes, transactions_message_bytes
from minichain.transactions import Transaction

MAX_MESSAGE_BYTES = 16 * 1024 * 1024
MAX_INVENTORY = 50_000
MAX_BATCH_BLOCKS = 1000
MAX_VOTE_BYTES = 2048  # a bft-vote: keys, hash and signature in hex take ~500 bytes with any suite


@dataclass(frozen=True)
class Hello:
    """First message on a connection: which chain I follow and how far I am."""

    chain_id: str
    genesis_hash: bytes  # 32 bytes
    node_id: str
    height: int
    tip: bytes  # 32 bytes
    weight: int  # total weight of my best chain (fork choice), as an integer
    ack: bool = False  # True when answering a Hello (an answer gets no answer)


@dataclass(frozen=True)
class Reject:
    """The connection is refused, with the reason (e.g. another chain)."""

    reason: str


@dataclass(frozen=True)
class Status:
    """My best chain changed: lets a peer see that it is behind."""

    height: int
    tip: bytes
    weight: int


@dataclass(frozen=True)
class Inventory:
    """Announcement: ids of transactions and blocks I have."""

    txs: tuple[bytes, ...]
    blocks: tuple[bytes, ...]


@dataclass(frozen=True)
class GetData:
    """Request: send me these transactions and blocks."""

    txs: tuple[bytes, ...]
    blocks: tuple[bytes, ...]


@dataclass(frozen=True)
class Transactions:
    txs: tuple[Transaction, ...]


@dataclass(frozen=True)
class GetBlocks:
    """Sync request: the best-chain blocks after the first locator hash you know."""

    locator: tuple[bytes, ...]
    limit: int


@dataclass(frozen=True)
class Blocks:
    blocks: tuple[Block, ...]
    more: bool  # the sender has more blocks after these (sync continues)


@dataclass(frozen=True)
class BftProposal:
    """A signed BFT proposal and the block it proposes (FISCO BCOS: PrepareReq with the block)."""

    proposal: Proposal
    block: Block  # its hash is proposal.block_hash


@dataclass(frozen=True)
class BftVote:
    """A signed prevote or precommit (FISCO BCOS: SignReq or CommitReq)."""

    vote: Vote


Message = (Hello | Reject | Status | Inventory | GetData | Transactions | GetBlocks | Blocks
           | BftProposal | BftVote)


def _hexes(values: tuple[bytes, ...]) -> list[str]:
    return [v.hex() for v in values]


def message_to_json(message: Message, suite: Suite) -> dict[str, Any]:
    if isinstance(message, Hello):
        return {"type": "hello", "chain_id": message.chain_id, "genesis": message.genesis_hash.hex(),
                "node_id": message.node_id, "height": message.height, "tip": message.tip.hex(),
                "weight": hex(message.weight), "ack": message.ack}
    if isinstance(message, Reject):
        return {"type": "reject", "reason": message.reason}
    if isinstance(message, Status):
        return {"type": "status", "height": message.height, "tip": message.tip.hex(),
                "weight": hex(message.weight)}
    if isinstance(message, Inventory | GetData):
        kind = "inv" if isinstance(message, Inventory) else "getdata"
        return {"type": kind, "txs": _hexes(message.txs), "blocks": _hexes(message.blocks)}
    if isinstance(message, Transactions):
        return {"type": "txs", "txs": [tx.to_json() for tx in message.txs]}
    if isinstance(message, GetBlocks):
        return {"type": "getblocks", "locator": _hexes(message.locator), "limit": message.limit}
    if isinstance(message, BftProposal):
        return {"type": "bft-proposal", "proposal": message.proposal.to_json(),
                "block": message.block.to_json(suite)}
    if isinstance(message, BftVote):
        return {"type": "bft-vote", "vote": message.vote.to_json()}
    return {"type": "blocks", "blocks": [b.to_json(suite) for b in message.blocks], "more": message.more}


def encode_message(message: Message, suite: Suite) -> bytes:
    """The wire bytes: canonical_json(message_to_json(message, suite))."""
    # fast paths for the two bulky messages, proven equal in tests/minichain/test_fastpath.py
    if isinstance(message, Transactions):
        return transactions_message_bytes(message.txs)
    if isinstance(message, Blocks):
        return blocks_message_bytes(message.blocks, message.more, suite)
    return canonical_json(message_to_json(message, suite))


def _weight(obj: dict[str, Any], what: str) -> int:
    text = require_str(obj, "weight", what, 80)
    try:
        value = int(text, 16)
    except ValueError:
        raise MalformedData(f"{what}.weight: expected a hex integer, found {text!r:.40}") from None
    if value < 0:
        raise MalformedData(f"{what}.weight: negative")
    return value


def _hash_list(obj: dict[str, Any], key: str, what: str, limit: int) -> tuple[bytes, ...]:
    items = require_list(obj, key, what, limit)
    return tuple(require_hex({key: item}, key, what, 32) for item in items)


def decode_message(data: bytes, suite: Suite) -> Message:
    """Parse wire bytes into a Message, or MalformedData saying what is wrong."""
    if len(data) > MAX_MESSAGE_BYTES:
        raise MalformedData(f"message of {len(data)} bytes; at most {MAX_MESSAGE_BYTES} allowed")
    value = parse_json(data, "message")
    kind = value.get("type") if isinstance(value, dict) else None
    what = f"message {kind}"
    if kind == "hello":
        obj = require_object(value, what, {"type", "chain_id", "genesis", "node_id", "height", "tip",
                                           "weight", "ack"})
        if not isinstance(obj["ack"], bool):
            raise MalformedData(f"{what}.ack: expected true or false")
        return Hello(require_str(obj, "chain_id", what, 64), require_hex(obj, "genesis", what, 32),
                     require_str(obj, "node_id", what, 128), require_int(obj, "height", what),
                     require_hex(obj, "tip", what, 32), _weight(obj, what), obj["ack"])
    if kind == "reject":
        obj = require_object(value, what, {"type", "reason"})
        return Reject(require_str(obj, "reason", what, 1000))
    if kind == "status":
        obj = require_object(value, what, {"type", "height", "tip", "weight"})
        return Status(require_int(obj, "height", what), require_hex(obj, "tip", what, 32),
                      _weight(obj, what))
    if kind in ("inv", "getdata"):
        obj = require_object(value, what, {"type", "txs", "blocks"})
        txs = _hash_list(obj, "txs", what, MAX_INVENTORY)
        blocks = _hash_list(obj, "blocks", what, MAX_INVENTORY)
        return Inventory(txs, blocks) if kind == "inv" else GetData(txs, blocks)
    if kind == "txs":
        obj = require_object(value, what, {"type", "txs"})
        return Transactions(tuple(Transaction.from_json(tx)
                                  for tx in require_list(obj, "txs", what, MAX_INVENTORY)))
    if kind == "getblocks":
        obj = require_object(value, what, {"type", "locator", "limit"})
        return GetBlocks(_hash_list(obj, "locator", what, 200),
                         require_int(obj, "limit", what, 1, MAX_BATCH_BLOCKS))
    if kind == "blocks":
        obj = require_object(value, what, {"type", "blocks", "more"})
        more = obj["more"]
        if not isinstance(more, bool):
            raise MalformedData(f"{what}.more: expected true or false")
        raw = require_list(obj, "blocks", what, MAX_BATCH_BLOCKS)
        return Blocks(tuple(Block.from_json(b, suite) for b in raw), more)
    if kind == "bft-proposal":
        obj = require_object(value, what, {"type", "proposal", "block"})
        proposal = message_from_json(obj["proposal"])
        if not isinstance(proposal, Proposal):
            raise MalformedData(f"{what}.proposal: expected a proposal")
        block = Block.from_json(obj["block"], suite)
        if block.hash(suite) != proposal.block_hash:
            raise MalformedData(f"{what}: the block hashes to {block.hash(suite).hex()[:16]}, the proposal "
                                f"names {proposal.block_hash.hex()[:16]}")
        return BftProposal(proposal, block)
    if kind == "bft-vote":
        if len(data) > MAX_VOTE_BYTES:
            raise MalformedData(f"{what}: {len(data)} bytes; a vote has at most {MAX_VOTE_BYTES}")
        obj = require_object(value, what, {"type", "vote"})
        vote = message_from_json(obj["vote"])
        if not isinstance(vote, Vote):
            raise MalformedData(f"{what}.vote: expected a prevote or precommit")
        return BftVote(vote)
    raise MalformedData(f"message: unknown type {kind!r:.40}")
