"""minichain: a small, readable, working blockchain for teaching.

Labs and the explorer import from here; every name below is documented in its own module.
"""

from minichain.blocks import AuthoritySeal, Block, Header, PowSeal, transactions_root
from minichain.chain import Chain, ChainUpdate, make_genesis_block
from minichain.consensus import PoaEngine, PowEngine, make_engine
from minichain.crypto import DEFAULT_SUITE, SUITES, decode_address, encode_address, get_suite
from minichain.encoding import canonical_json
from minichain.errors import (
    InvalidBlock,
    InvalidTransaction,
    MalformedData,
    MempoolRejection,
    MinichainError,
    NotYetConnectable,
    UnknownParent,
    ValidationError,
)
from minichain.export import export_chain, verify_export
from minichain.genesis import Genesis, PoaParams, PowParams
from minichain.mempool import Mempool
from minichain.merkle import MerkleProof, merkle_root, prove, verify_proof
from minichain.state import Account, State
from minichain.store import Store
from minichain.transactions import Transaction, sign_transaction, transfer
from minichain.validation import validate_body, validate_header, validate_transaction
from minichain.wallet import Wallet

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_SUITE", "SUITES", "Account", "AuthoritySeal", "Block", "Chain", "ChainUpdate",
    "Genesis", "Header", "InvalidBlock", "InvalidTransaction", "MalformedData", "Mempool",
    "MempoolRejection", "MerkleProof", "MinichainError", "NotYetConnectable", "PoaEngine", "PoaParams",
    "PowEngine",
    "PowParams", "PowSeal", "State", "Store", "Transaction", "UnknownParent", "ValidationError",
    "Wallet", "canonical_json", "decode_address", "encode_address", "export_chain", "get_suite",
    "make_engine", "make_genesis_block", "merkle_root", "prove", "sign_transaction",
    "transactions_root", "transfer", "validate_body", "validate_header", "validate_transaction",
    "verify_export", "verify_proof",
]
