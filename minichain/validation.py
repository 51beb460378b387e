"""The rules every node checks for itself: None if an object is valid, or a typed error that names
the broken rule, what was expected and what was found.

Checks are split by what they need: a transaction alone (format, chain id, signature); a header
and its parent (height, time, seal); a block body (size, Merkle root, duplicates). Checks that
need the account state (nonces, balances, state root) happen when the chain applies the block.
"""

from __future__ import annotations

from typing import cast

from minichain.blocks import BLOCK_VERSION, Block, Header, transactions_root
from minichain.checkcache import CheckCache
from minichain.consensus.base import AncestorLookup, ConsensusEngine
from minichain.crypto import decode_address, get_suite
from minichain.encoding import short
from minichain.errors import (
    BlockFromFuture,
    BlockTooLarge,
    BlockTransactionInvalid,
    DuplicateTransaction,
    HeightMismatch,
    InvalidAddress,
    InvalidAmount,
    InvalidRecipient,
    InvalidSignature,
    InvalidTimestamp,
    InvalidTransaction,
    InvalidVersion,
    MemoTooLong,
    MerkleRootMismatch,
    WrongBeneficiary,
    WrongChain,
    WrongSuite,
)
from minichain.genesis import Genesis
from minichain.transactions import MAX_MEMO_BYTES, Transaction

MAX_FUTURE_SECONDS = 15  # how far ahead of a node's clock a block's timestamp may be

def validate_transaction(
    tx: Transaction, genesis: Genesis, verified: CheckCache | None = None
) -> None:
    """The checks that need no state: chain, suite, amounts, memo, recipient, signature.
    `verified`, if given, is what the chain already checked (signatures, addresses); it learns
    what passes here.

    Raises:
        WrongChain (tx-chain-id), WrongSuite (tx-suite), InvalidAmount (tx-amount),
        MemoTooLong (tx-memo), InvalidRecipient (tx-recipient), InvalidSignature (tx-signature);
        for a contract transaction, the errors of contract_tx.validate_contract_fields instead of
        the amount, memo and recipient rules.
    """
    if tx.chain_id != genesis.chain_id:
        raise WrongChain(
            f"tx {short(tx.txid)}: signed for chain {tx.chain_id!r}, this chain is "
            f"{genesis.chain_id!r}",
            txid=tx.txid, expected=genesis.chain_id, found=tx.chain_id,
        )
    if tx.suite != genesis.suite:
        raise WrongSuite(
            f"tx {short(tx.txid)}: signed with suite {tx.suite}, this chain uses {genesis.suite}",
            txid=tx.txid, expected=genesis.suite, found=tx.suite,
        )
    if tx.is_contract:  # a deploy or call: its own fields (minichain.contract_tx), then the signature
        from minichain.contract_tx import ContractTransaction, validate_contract_fields

        validate_contract_fields(cast(ContractTransaction, tx), genesis.block_gas_limit)
    else:
        _validate_transfer_fields(tx, verified)
    _check_signature(tx, verified if verified is not None else CheckCache())


def _validate_transfer_fields(tx: Transaction, verified: CheckCache | None) -> None:
    if tx.amount < 1:
        raise InvalidAmount(f"tx {short(tx.txid)}: amount must be at least 1, found {tx.amount}",
                            check="amount", txid=tx.txid, found=tx.amount)
    if tx.fee < 0:
        raise InvalidAmount(f"tx {short(tx.txid)}: fee must not be negative, found {tx.fee}",
                            check="fee", txid=tx.txid, found=tx.fee)
    memo_size = len(tx.memo.encode("utf-8", "surrogatepass"))
    if memo_size > MAX_MEMO_BYTES:
        raise MemoTooLong(f"tx {short(tx.txid)}: memo is {memo_size} bytes, at most {MAX_MEMO_BYTES}",
                          txid=tx.txid, found=memo_size, limit=MAX_MEMO_BYTES)
    checked = verified if verified is not None else CheckCache()  # one call's worth
    if not checked.is_address(tx.recipient):
        try:
            decode_address(tx.recipient)
        except InvalidAddress as error:
            raise InvalidRecipient(f"tx {short(tx.txid)}: {error}", check=error.check, txid=tx.txid,
                                   address=error.address) from None


def _check_signature(tx: Transaction, checked: CheckCache) -> None:
    if checked.knows_signature(tx.txid):
        return
    if not get_suite(tx.suite).verify(tx.sender_key, tx.signing_bytes, tx.signature):
        raise InvalidSignature(
            f"tx {short(tx.txid)}: the signature does not verify for sender {tx.sender} "
            "(was the transaction changed after signing, or signed with another key?)",
            txid=tx.txid, sender=tx.sender,
        )
    checked.learn_signature(tx.txid)


def validate_header(
    header: Header,
    parent: Header,
    ancestry: AncestorLookup,
    engine: ConsensusEngine,
    now: int | None = None,
) -> None:
    """Header rules against its parent, then the consensus engine's seal rules.

    Raises:
        InvalidVersion (block-version), HeightMismatch (block-height), InvalidTimestamp
        (block-timestamp), BlockFromFuture (block-future: a NotYetConnectable, not an InvalidBlock;
        only when `now` is given), WrongBeneficiary (block-beneficiary), and whatever the engine's
        check_seal raises: WrongSealKind (block-seal-kind); for PoW WrongTarget (pow-target),
        InsufficientWork (pow-insufficient); for PoA UnknownAuthority (poa-signer), WrongTurn
        (poa-turn), WrongBeneficiary (block-beneficiary), InvalidSealSignature (poa-signature).
    """
    if header.version != BLOCK_VERSION:
        raise InvalidVersion(f"block {header.height}: version {header.version}, expected {BLOCK_VERSION}",
                             height=header.height, expected=BLOCK_VERSION, found=header.version)
    if header.height != parent.height + 1:
        block_hash = header.hash(engine.suite)
        raise HeightMismatch(
            f"block {short(block_hash)}: height {header.height}, but its parent is "
            f"at height {parent.height} (expected {parent.height + 1})",
            block_hash=block_hash, height=header.height, expected=parent.height + 1, found=header.height,
        )
    if header.timestamp < parent.timestamp:
        raise InvalidTimestamp(
            f"block {header.height}: timestamp {header.timestamp} is before its parent's "
            f"{parent.timestamp}",
            height=header.height, found=header.timestamp, parent_timestamp=parent.timestamp,
        )
    if now is not None and header.timestamp > now + MAX_FUTURE_SECONDS:
        raise BlockFromFuture(
            f"block {header.height}: timestamp {header.timestamp} is {header.timestamp - now} s "
            f"ahead of this node's clock (at most {MAX_FUTURE_SECONDS} s allowed)",
            block_hash=header.hash(engine.suite), height=header.height, found=header.timestamp,
            ahead=header.timestamp - now, limit=MAX_FUTURE_SECONDS,
        )
    try:
        decode_address(header.beneficiary)  # else the block could never be sent or stored
    except InvalidAddress as error:
        raise WrongBeneficiary(f"block {header.height}: beneficiary: {error}", check="address",
                               height=header.height, address=header.beneficiary) from None
    engine.check_seal(header, parent, ancestry)


def validate_body(block: Block, genesis: Genesis, verified: CheckCache | None = None) -> None:
    """Size, Merkle root, no duplicates, and every transaction's stateless checks (`verified`: as
    for validate_transaction).

    Raises:
        BlockTooLarge (block-size), MerkleRootMismatch (block-merkle-root), DuplicateTransaction
        (block-duplicate-tx), BlockTransactionInvalid (wrapping the error validate_transaction
        raised, whose rule it takes).
    """
    suite = get_suite(genesis.suite)
    header, txs = block.header, block.transactions
    if len(txs) > genesis.max_block_transactions:
        raise BlockTooLarge(
            f"block {header.height}: {len(txs)} transactions, at most "
            f"{genesis.max_block_transactions} allowed",
            height=header.height, found=len(txs), limit=genesis.max_block_transactions,
        )
    computed = transactions_root(txs, suite)
    if computed != header.merkle_root:
        raise MerkleRootMismatch(
            f"block {header.height}: header says merkle root {short(header.merkle_root)}, "
            f"its {len(txs)} transactions hash to {short(computed)}",
            height=header.height, claimed=header.merkle_root, computed=computed, count=len(txs),
        )
    seen: set[bytes] = set()
    for index, tx in enumerate(txs):
        if tx.txid in seen:
            raise DuplicateTransaction(
                f"block {header.height}: transaction #{index} {short(tx.txid)} appears twice",
                height=header.height, index=index, txid=tx.txid,
            )
        seen.add(tx.txid)
        try:
            validate_transaction(tx, genesis, verified)
        except InvalidTransaction as error:
            raise BlockTransactionInvalid(
                f"block {header.height}, transaction #{index}: {error}", error, index, height=header.height
            ) from None
