"""The exception tree: every rejection names the rule it enforces.

A blockchain is a set of rules that every node checks for itself. Each rule has a short id
(`rule`), shown in lab feedback, CLI errors, HTTP 4xx bodies and the explorer, so a learner
sees *which* rule their transaction or block broke, what was expected and what was found.
"""

from __future__ import annotations


class MinichainError(Exception):
    """Root of every error minichain raises on purpose."""

    rule = "minichain"


# --- input that cannot even be read -------------------------------------------------------------


class MalformedData(MinichainError):
    """Bytes or JSON that do not decode into the object they claim to be."""

    rule = "encoding"


class InvalidKey(MinichainError):
    """A key file, key bytes or suite name that cannot be used."""

    rule = "key"


class InvalidAddress(MalformedData):
    rule = "address"


# --- consensus rules ----------------------------------------------------------------------------


class ValidationError(MinichainError):
    """Well-formed data that breaks a consensus rule."""

    rule = "unspecified"


class InvalidTransaction(ValidationError):
    rule = "tx"


class WrongChain(InvalidTransaction):
    rule = "tx-chain-id"


class InvalidSignature(InvalidTransaction):
    rule = "tx-signature"


class InvalidAmount(InvalidTransaction):
    rule = "tx-amount"


class InvalidRecipient(InvalidTransaction):
    rule = "tx-recipient"


class MemoTooLong(InvalidTransaction):
    rule = "tx-memo"


class NonceMismatch(InvalidTransaction):
    rule = "tx-nonce"


class InsufficientBalance(InvalidTransaction):
    rule = "tx-balance"


class InvalidBlock(ValidationError):
    rule = "block"


class InvalidVersion(InvalidBlock):
    rule = "block-version"


class HeightMismatch(InvalidBlock):
    rule = "block-height"


class InvalidTimestamp(InvalidBlock):
    rule = "block-timestamp"


class BlockFromFuture(InvalidBlock):
    rule = "block-future"


class MerkleRootMismatch(InvalidBlock):
    rule = "block-merkle-root"


class StateRootMismatch(InvalidBlock):
    rule = "block-state-root"


class BlockTooLarge(InvalidBlock):
    rule = "block-size"


class DuplicateTransaction(InvalidBlock):
    rule = "block-duplicate-tx"


class BlockTransactionInvalid(InvalidBlock):
    """A transaction inside a block breaks a rule; `rule` is the transaction's own rule id."""

    rule = "block-tx"

    def __init__(self, message: str, cause: InvalidTransaction, index: int = -1) -> None:
        super().__init__(message)
        self.cause = cause
        self.index = index  # position of the transaction in the block
        self.rule = cause.rule


class KnownInvalidAncestor(InvalidBlock):
    rule = "block-invalid-ancestor"


class GenesisMismatch(InvalidBlock):
    rule = "genesis-mismatch"


class WrongTarget(InvalidBlock):
    rule = "pow-target"


class InsufficientWork(InvalidBlock):
    rule = "pow-insufficient"


class WrongSealKind(InvalidBlock):
    rule = "block-seal-kind"


class UnknownAuthority(InvalidBlock):
    rule = "poa-signer"


class WrongTurn(InvalidBlock):
    rule = "poa-turn"


class InvalidSealSignature(InvalidBlock):
    rule = "poa-signature"


class WrongBeneficiary(InvalidBlock):
    rule = "block-beneficiary"


class InvalidGenesis(ValidationError):
    rule = "genesis"


class NonCanonicalExport(ValidationError):
    """An exported chain whose bytes differ from the canonical export of what it contains."""

    rule = "export-canonical"


# --- not invalid, just not yet usable -----------------------------------------------------------


class UnknownParent(MinichainError):
    """The block's parent is not known yet: not invalid, only not yet connectable."""

    rule = "block-unknown-parent"


class MempoolRejection(MinichainError):
    """A valid-looking transaction the mempool will not hold (policy, not consensus)."""

    rule = "mempool"


class AlreadyKnown(MempoolRejection):
    rule = "mempool-known"


class NonceGapTooLarge(MempoolRejection):
    rule = "mempool-nonce-gap"


class ReplacementUnderpriced(MempoolRejection):
    rule = "mempool-replacement"


class MempoolFull(MempoolRejection):
    rule = "mempool-full"


class FeeTooLow(MempoolRejection):
    rule = "mempool-fee"


class StoreError(MinichainError):
    """A data directory that is missing, not initialised, or does not match."""

    rule = "store"
