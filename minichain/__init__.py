"""minichain: a small, readable, working blockchain for teaching.

This file is the curated public API, in reading order: the rules (errors), the bytes (encoding,
crypto, merkle), the objects (transactions, blocks, genesis, state), the checks (validation,
consensus), the ledger (chain, mempool, store, export), then the node and its network. Every name
is documented in its own module.

Who imports what (tests/test_public_api.py holds the explorer, labs, labkit and bench to it):
  * the explorer, the labs, labkit and bench import minichain's names from `minichain`;
  * four parts are a concept of their own and are imported as such:
      minichain.testing    seeded builders (make_wallet, make_genesis, produce_block): tests and labs only
      minichain.viz        pictures as data, drawn once for the labs and the explorer
                           (minichain.viz_bft: BFT rounds as message timelines)
      minichain.node       the protocol's vocabulary: the messages nodes send, the effects a core asks for
      minichain.contracts  smart contracts on py-evm (about a second to import: it loads on first use)
    BFT consensus is a package of its own, with its seeded simulator (rounds without a network):
      minichain.consensus.bft, minichain.consensus.bft.simulation;
    and the real transports, which need httpx and FastAPI, stay deep imports:
      minichain.net.http, minichain.net.load, minichain.net.launcher.
  * no one imports another module's private `_name`.

Importing minichain loads the ledger only (~85 ms on the course machine, about what it was before
the API grew). The node core and the in-memory network load on first use (PEP 562 `__getattr__`
below): a script that only checks a block does not pay for them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# The imports keep the reading order, not the alphabet.
# isort: off
# errors: every rule the chain enforces, as an exception that names it (`error.rule`)
from minichain.errors import (
    AlreadyKnown,
    BlockFromFuture,
    BlockTooLarge,
    BlockTransactionInvalid,
    DuplicateTransaction,
    FeeTooLow,
    GenesisMismatch,
    HeightMismatch,
    InsufficientBalance,
    InsufficientWork,
    InvalidAddress,
    InvalidAmount,
    InvalidBlock,
    InvalidGenesis,
    InvalidKey,
    InvalidRecipient,
    InvalidSealSignature,
    InvalidSignature,
    InvalidTimestamp,
    InvalidTransaction,
    InvalidVersion,
    KnownInvalidAncestor,
    MalformedData,
    MemoTooLong,
    MempoolFull,
    MempoolRejection,
    MerkleRootMismatch,
    MinichainError,
    NonCanonicalExport,
    NonceGapTooLarge,
    NonceMismatch,
    NotYetConnectable,
    PeerAuthError,
    ReplacementUnderpriced,
    StateRootMismatch,
    StoreError,
    StoreOpenError,
    StoreUndoMissing,
    StoreWriteError,
    UnknownAuthority,
    UnknownParent,
    ValidationError,
    WrongBeneficiary,
    WrongChain,
    WrongSealKind,
    WrongSuite,
    WrongTarget,
    WrongTurn,
)

# encoding: the one canonical form of what is hashed and signed; reading untrusted JSON field by field
from minichain.encoding import (
    canonical_json,
    parse_json,
    require_hex,
    require_int,
    require_list,
    require_object,
    require_str,
    short,
)

# crypto: hash + signature suites (sha256-ed25519, sha256-secp256k1, sm3-sm2) and addresses
from minichain.crypto import (
    DEFAULT_SUITE,
    SUITES,
    Suite,
    decode_address,
    encode_address,
    get_suite,
    is_address,
    sm3,
)

# merkle: roots, inclusion proofs and their check; sha256 is the default hash of the tree
from minichain.merkle import (
    MerkleProof,
    leaf_hash,
    merkle_root,
    node_hash,
    prove,
    prove_shape,
    sha256,
    verify_proof,
)

# transactions and the wallet that signs them
from minichain.transactions import Transaction, sign_transaction, transfer
from minichain.wallet import Wallet
# contract transactions: a deploy or a call, signed like a transfer (the EVM is minichain.contracts)
from minichain.contract_tx import ContractTransaction, contract_transaction

# blocks: header, seals, the transactions' root
from minichain.blocks import (
    MAX_TARGET,
    AuthoritySeal,
    Block,
    Header,
    PowSeal,
    poa_signing_bytes,
    transactions_root,
)

# genesis: the chain's parameters; state: the accounts they start
from minichain.genesis import Genesis, PoaParams, PowParams
from minichain.state import Account, State

# validation: each check returns None or raises the error of the rule it broke
from minichain.checkcache import CheckCache
from minichain.validation import validate_body, validate_header, validate_transaction

# consensus: who may add the next block (proof of work, proof of authority)
from minichain.consensus import ConsensusEngine, PoaEngine, PowEngine, Producer, SealAttempt, make_engine
from minichain.consensus.pow import work

# chain: the block tree, fork choice, reorgs; the mempool, the store and exports around it
from minichain.chain import Chain, ChainUpdate, genesis_state, make_genesis_block
from minichain.mempool import Mempool
from minichain.store import Store
from minichain.export import export_chain, replay, verify_export
from minichain.explain import explain
# reading contracts at the tip: view calls, receipts, storage (the CLI and a node's API use them)
from minichain.contract_reads import (
    contract_json,
    decode_receipt,
    decode_result,
    label_storage,
    receipt_json,
    view_call,
)

# isort: on

# node and network: loaded on first use (see the module docstring)
_LAZY = {
    "NodeConfig": "minichain.node.core",
    "NodeCore": "minichain.node.core",
    "MemoryNetwork": "minichain.net.memory",
    "NetEvent": "minichain.net.memory",
}

if TYPE_CHECKING:  # type checkers see the real names
    from minichain.net.memory import MemoryNetwork, NetEvent
    from minichain.node.core import NodeConfig, NodeCore


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'minichain' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup is an ordinary one
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__version__ = "0.1.0"

__all__ = [
    "DEFAULT_SUITE",
    "MAX_TARGET",
    "SUITES",
    "Account",
    "AlreadyKnown",
    "AuthoritySeal",
    "Block",
    "BlockFromFuture",
    "BlockTooLarge",
    "BlockTransactionInvalid",
    "Chain",
    "ChainUpdate",
    "CheckCache",
    "ConsensusEngine",
    "ContractTransaction",
    "DuplicateTransaction",
    "FeeTooLow",
    "Genesis",
    "GenesisMismatch",
    "Header",
    "HeightMismatch",
    "InsufficientBalance",
    "InsufficientWork",
    "InvalidAddress",
    "InvalidAmount",
    "InvalidBlock",
    "InvalidGenesis",
    "InvalidKey",
    "InvalidRecipient",
    "InvalidSealSignature",
    "InvalidSignature",
    "InvalidTimestamp",
    "InvalidTransaction",
    "InvalidVersion",
    "KnownInvalidAncestor",
    "MalformedData",
    "MemoTooLong",
    "MemoryNetwork",
    "Mempool",
    "MempoolFull",
    "MempoolRejection",
    "MerkleProof",
    "MerkleRootMismatch",
    "MinichainError",
    "NetEvent",
    "NodeConfig",
    "NodeCore",
    "NonCanonicalExport",
    "NonceGapTooLarge",
    "NonceMismatch",
    "NotYetConnectable",
    "PeerAuthError",
    "PoaEngine",
    "PoaParams",
    "PowEngine",
    "PowParams",
    "PowSeal",
    "Producer",
    "ReplacementUnderpriced",
    "SealAttempt",
    "State",
    "StateRootMismatch",
    "Store",
    "StoreError",
    "StoreOpenError",
    "StoreUndoMissing",
    "StoreWriteError",
    "Suite",
    "Transaction",
    "UnknownAuthority",
    "UnknownParent",
    "ValidationError",
    "Wallet",
    "WrongBeneficiary",
    "WrongChain",
    "WrongSealKind",
    "WrongSuite",
    "WrongTarget",
    "WrongTurn",
    "canonical_json",
    "contract_json",
    "contract_transaction",
    "decode_address",
    "decode_receipt",
    "decode_result",
    "encode_address",
    "explain",
    "export_chain",
    "genesis_state",
    "get_suite",
    "is_address",
    "label_storage",
    "leaf_hash",
    "make_engine",
    "make_genesis_block",
    "merkle_root",
    "node_hash",
    "parse_json",
    "poa_signing_bytes",
    "prove",
    "prove_shape",
    "receipt_json",
    "replay",
    "require_hex",
    "require_int",
    "require_list",
    "require_object",
    "require_str",
    "sha256",
    "short",
    "sign_transaction",
    "sm3",
    "transactions_root",
    "transfer",
    "validate_body",
    "validate_header",
    "validate_transaction",
    "verify_export",
    "verify_proof",
    "view_call",
    "work",
]
