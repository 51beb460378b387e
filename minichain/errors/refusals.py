"""A node's own refusals, beside the ledger's rules (ledger.py): what its mempool will not hold
(policy, not consensus), a peer that has not proven who it is, a data directory it cannot use.
Each still names its rule and carries its facts, like every MinichainError.
"""

from __future__ import annotations

from minichain.errors.ledger import MinichainError


class MempoolRejection(MinichainError):
    """Thrown when the mempool will not hold a valid-looking transaction (policy, not consensus)."""

    rule = "mempool"
    txid: bytes | None


class AlreadyKnown(MempoolRejection):
    """Thrown when the very same transaction already waits in the mempool."""

    rule = "mempool-known"


class NonceGapTooLarge(MempoolRejection):
    """Thrown when a nonce is too far ahead of the sender's next one."""

    rule = "mempool-nonce-gap"
    found: int | None
    expected: int | None  # the next nonce the sender can use
    limit: int | None  # how far ahead is allowed


class ReplacementUnderpriced(MempoolRejection):
    """Thrown when a transaction replacing one with the same nonce does not pay enough more."""

    rule = "mempool-replacement"
    nonce: int | None
    existing: bytes | None  # txid of the transaction it would replace
    existing_fee: int | None
    needed: int | None  # the lowest fee a replacement may pay


class MempoolFull(MempoolRejection):
    """Thrown when the mempool is full and no waiting transaction pays less."""

    rule = "mempool-full"
    limit: int | None  # transactions it holds
    fee: int | None


class FeeTooLow(MempoolRejection):
    """Thrown when a fee is below this node's minimum."""

    rule = "mempool-fee"
    found: int | None
    limit: int | None


class PeerAuthError(MinichainError):
    """Thrown when a peer's handshake or frame does not prove who sent it (or is not admitted)."""

    rule = "peer-auth"
    checks = ("syntax", "chain", "url", "admission", "signature", "unknown-channel", "mac", "counter",
              "pending")
    peer: str | None  # the URL or node address concerned, if known


class StoreError(MinichainError):
    """Thrown when a data directory is missing, not initialised, or does not match its genesis."""

    rule = "store"


class StoreOpenError(StoreError):
    """Thrown when a data directory's database cannot be opened, read, or may not be written."""

    rule = "store-open"
    checks = ("not-a-database", "damaged", "directory", "read-only", "unreadable")
    path: str | None  # the database file


class StoreUndoMissing(StoreError):
    """Thrown when a stored best-chain block has no undo record (a reorg could not roll it back)."""

    rule = "store-undo"
    height: int | None
    block_hash: bytes | None


class StoreWriteError(StoreError):
    """Thrown when a write to the data directory fails: the disk is full, read-only, or erring."""

    rule = "store-write"
    checks = ("disk-full", "read-only", "io")
    path: str | None  # the database file
