"""The ledger's exception tree: every rejection names the rule it enforces, and carries its facts.

A blockchain is a set of rules that every node checks for itself. Each rule has a short id
(`rule`), shown in lab feedback, CLI errors, HTTP 4xx bodies and the explorer, so a learner
sees *which* rule their transaction or block broke, what was expected and what was found.

The English message is for the command line. The same facts travel as typed attributes
(`height`, `txid`, `expected`, `found`...), given as keyword arguments where the error is raised,
so that `minichain.explain` can say the same thing in another language. A class declares its facts
as annotations without a value; `check` names which check of the rule failed when it has several.
"""

from __future__ import annotations

Fact = int | str | bytes | None  # what a fact may hold: a number, a text, raw bytes (hashes)


class MinichainError(Exception):
    """Thrown when minichain refuses something on purpose; the root of every error below."""

    rule = "minichain"
    checks: tuple[str, ...] = ()  # the rule's checks, when it has more than one (values of `check`)
    check: str | None  # which of `checks` failed
    _fact_names: tuple[str, ...] = ("check",)

    def __init__(self, message: str = "", /, **facts: Fact) -> None:
        super().__init__(message)
        unknown = sorted(facts.keys() - set(self._fact_names))
        if unknown:
            raise TypeError(f"{type(self).__name__} has no fact {', '.join(unknown)}")
        check = facts.get("check")
        if check is not None and check not in self.checks:
            raise TypeError(f"{type(self).__name__}: check must be one of {self.checks}, got {check!r}")
        for name in self._fact_names:
            setattr(self, name, facts.get(name))

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        if "checks" not in vars(cls):
            cls.checks = ()  # a subclass enforces another rule: its checks are its own
        names: list[str] = []
        for klass in reversed(cls.__mro__):  # a fact is an annotation without a value
            for name in vars(klass).get("__annotations__", {}):
                if name not in vars(klass) and name not in names:
                    names.append(name)
        cls._fact_names = tuple(names)

    @classmethod
    def fact_names(cls) -> tuple[str, ...]:
        """The facts this class declares, its ancestors' first."""
        return cls._fact_names

    def facts(self) -> dict[str, Fact]:
        """Every declared fact and its value (None where the raise site did not know it)."""
        return {name: getattr(self, name, None) for name in self._fact_names}


# --- input that cannot even be read -------------------------------------------------------------


class MalformedData(MinichainError):
    """Thrown when bytes or JSON do not decode into the object they claim to be."""

    rule = "encoding"


class InvalidKey(MinichainError):
    """Thrown when a key file, key bytes or a suite name cannot be used."""

    rule = "key"


class InvalidAddress(MalformedData):
    """Thrown when text is not a minichain address: wrong type, bad checksum, wrong version or length."""

    rule = "address"
    checks: tuple[str, ...] = ("type", "checksum", "version", "length")
    address: str | None


# --- consensus rules ----------------------------------------------------------------------------


class ValidationError(MinichainError):
    """Thrown when well-formed data breaks a consensus rule (the root of everything "invalid")."""

    rule = "unspecified"


class InvalidTransaction(ValidationError):
    """Thrown when a transaction breaks a rule of its own or of the state it would apply to."""

    rule = "tx"
    txid: bytes | None


class WrongChain(InvalidTransaction):
    """Thrown when a transaction was signed for another chain id than this chain's."""

    rule = "tx-chain-id"
    expected: str | None  # this chain's chain id
    found: str | None  # the transaction's


class WrongSuite(InvalidTransaction):
    """Thrown when a transaction names another hash and signature suite than this chain's."""

    rule = "tx-suite"
    expected: str | None  # this chain's suite, e.g. "sm3-sm2"
    found: str | None  # the transaction's


class InvalidSignature(InvalidTransaction):
    """Thrown when a transaction's signature does not verify for its sender's public key."""

    rule = "tx-signature"
    sender: str | None  # address


class InvalidAmount(InvalidTransaction):
    """Thrown when an amount is below 1 or a fee is negative."""

    rule = "tx-amount"
    checks = ("amount", "fee")
    found: int | None


class InvalidRecipient(InvalidTransaction):
    """Thrown when a transaction's recipient is not a valid address."""

    rule = "tx-recipient"
    checks = InvalidAddress.checks  # which address check failed
    address: str | None


class MemoTooLong(InvalidTransaction):
    """Thrown when a memo is longer than the rules allow."""

    rule = "tx-memo"
    found: int | None  # bytes of UTF-8
    limit: int | None


class NonceMismatch(InvalidTransaction):
    """Thrown when a transaction's nonce is not its sender's next one (used already, or a gap)."""

    rule = "tx-nonce"
    checks = ("used", "gap")
    sender: str | None
    expected: int | None  # the sender's next nonce
    found: int | None  # the transaction's nonce


class InsufficientBalance(InvalidTransaction):
    """Thrown when a sender cannot pay amount + fee, or a recipient's balance would overflow."""

    rule = "tx-balance"
    checks = ("balance", "pool", "overflow")
    sender: str | None
    balance: int | None  # what the sender has
    amount: int | None
    fee: int | None
    cost: int | None  # amount + fee
    pending: int | None  # what the sender's pooled transactions already need
    address: str | None  # the recipient, when its balance would overflow


class InvalidBlock(ValidationError):
    """Thrown when a block breaks a rule (raised as itself when no narrower rule applies)."""

    rule = "block"
    checks: tuple[str, ...] = ("order", "replay")  # raised as itself: export out of order, replay differs
    height: int | None
    block_hash: bytes | None
    status: str | None  # what adding the block did instead ("side", "known"...)


class InvalidVersion(InvalidBlock):
    """Thrown when a header's version is not the one this software implements."""

    rule = "block-version"
    expected: int | None
    found: int | None


class HeightMismatch(InvalidBlock):
    """Thrown when a block's height is not its parent's height + 1."""

    rule = "block-height"
    expected: int | None
    found: int | None


class InvalidTimestamp(InvalidBlock):
    """Thrown when a block's timestamp is before its parent's."""

    rule = "block-timestamp"
    found: int | None  # seconds since the Unix epoch
    parent_timestamp: int | None


class MerkleRootMismatch(InvalidBlock):
    """Thrown when a header's Merkle root is not the root of the block's transactions."""

    rule = "block-merkle-root"
    claimed: bytes | None  # what the header says
    computed: bytes | None  # what the transactions hash to
    count: int | None  # transactions


class StateRootMismatch(InvalidBlock):
    """Thrown when applying a block's transactions does not give the state root its header says."""

    rule = "block-state-root"
    claimed: bytes | None
    computed: bytes | None


class ContractRootMismatch(InvalidBlock):
    """Thrown when a header's contract state or receipts root is missing, unexpected or wrong."""

    rule = "block-contract-root"
    checks: tuple[str, ...] = ("state", "receipts", "missing", "unexpected")
    claimed: bytes | None
    computed: bytes | None


class BlockTooLarge(InvalidBlock):
    """Thrown when a block holds more transactions than the genesis allows."""

    rule = "block-size"
    found: int | None
    limit: int | None


class DuplicateTransaction(InvalidBlock):
    """Thrown when one transaction appears twice in a block."""

    rule = "block-duplicate-tx"
    index: int | None  # position of the second copy
    txid: bytes | None


class BlockTransactionInvalid(InvalidBlock):
    """Thrown when a transaction inside a block breaks a rule; `rule` is the transaction's own rule id."""

    rule = "block-tx"
    index: int  # position of the transaction in the block

    def __init__(self, message: str, cause: InvalidTransaction, index: int = -1, /, **facts: Fact) -> None:
        super().__init__(message, index=index, **facts)
        self.cause = cause
        self.rule = cause.rule


class KnownInvalidAncestor(InvalidBlock):
    """Thrown when a block, or its parent, was already found invalid."""

    rule = "block-invalid-ancestor"
    checks = ("rejected", "parent")
    parent_hash: bytes | None
    earlier_rule: str | None  # the rule the earlier block broke


class FinalBlockConflict(InvalidBlock):
    """Thrown when a block would fork the chain below a final block (one a reorg may never replace)."""

    rule = "chain-final"
    final_hash: bytes | None  # the final block on the best chain at the block's height


class GenesisMismatch(InvalidBlock):
    """Thrown when block 0 is not the genesis block the parameters produce."""

    rule = "genesis-mismatch"


class WrongTarget(InvalidBlock):
    """Thrown when a proof-of-work header's target is not the one the retarget rule gives."""

    rule = "pow-target"
    expected: int | None
    found: int | None


class InsufficientWork(InvalidBlock):
    """Thrown when a proof-of-work block's hash is above its target."""

    rule = "pow-insufficient"
    target: int | None
    nonce: int | None


class WrongSealKind(InvalidBlock):
    """Thrown when a block carries the other consensus' seal."""

    rule = "block-seal-kind"
    checks = ("authority", "pow", "mine", "bft")  # the seal the chain needs; mine() given a PoA header


class UnknownAuthority(InvalidBlock):
    """Thrown when a proof-of-authority block is sealed by a key outside the genesis' authorities."""

    rule = "poa-signer"
    signer: str | None  # address, or "(none)"
    authorities: int | None  # how many there are


class WrongTurn(InvalidBlock):
    """Thrown when an authority seals a slot that is not its turn, or not after its parent's."""

    rule = "poa-turn"
    checks = ("slot-order", "owner", "round")  # round: a BFT block sealed by another round's proposer
    slot: int | None
    parent_slot: int | None
    owner: str | None  # the authority whose turn it was
    signer: str | None


class InvalidSealSignature(InvalidBlock):
    """Thrown when a proof-of-authority seal's signature does not verify."""

    rule = "poa-signature"
    signer: str | None


class WrongBeneficiary(InvalidBlock):
    """Thrown when a header's beneficiary is not an address, or (PoA) not the sealer."""

    rule = "block-beneficiary"
    checks = ("address", "sealer")
    address: str | None  # the beneficiary the header names
    signer: str | None  # the sealer, who must get the fees


class InvalidGenesis(ValidationError):
    """Thrown when genesis parameters break a rule (lengths, ranges, duplicates, unreadable file)."""

    rule = "genesis"
    checks = ("key", "chain-id", "max-transactions", "allocation-address", "allocation-twice",
              "allocation-amount", "supply", "pow-bits", "pow-timing", "poa-empty",
              "authority-address", "authority-twice", "node-address", "node-twice", "poa-block-time",
              "reward", "file", "bft-validators", "validator-address", "validator-twice", "bft-timing",
              "block-gas-limit")
    address: str | None
    amount: int | None
    limit: int | None
    path: str | None


class NonCanonicalExport(ValidationError):
    """Thrown when an exported chain's bytes differ from the canonical export of what it contains."""

    rule = "export-canonical"
    offset: int | None  # the first byte that differs


# --- not invalid, just not yet usable -----------------------------------------------------------
# A block that cannot be judged *yet* waits, or is dropped and fetched again later; it is never
# remembered as invalid and its sender is never blamed ("delay consideration", consensus-specs).
# These are not ValidationErrors, so `except InvalidBlock` cannot catch them by accident.


class NotYetConnectable(MinichainError):
    """Thrown when a block cannot be added yet but may be later: not invalid, only early."""

    rule = "block-not-yet"
    block_hash: bytes | None
    height: int | None


class UnknownParent(NotYetConnectable):
    """Thrown when a block's parent is not known yet, so the block cannot be connected to the tree."""

    rule = "block-unknown-parent"
    parent_hash: bytes | None


class BlockFromFuture(NotYetConnectable):
    """Thrown when a block's timestamp is too far ahead of this node's clock (it may connect later)."""

    rule = "block-future"
    found: int | None  # the block's timestamp
    ahead: int | None  # seconds ahead of the clock
    limit: int | None  # seconds allowed
