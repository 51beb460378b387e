"""Account state: a balance and a nonce per address, changed only by applying blocks.

Applying a block checks every transaction against the state so far (nonce in order, enough
balance), then credits the producer with fees and reward. It is all or nothing: a block with one
bad transaction changes nothing. Each applied block returns an *undo record* (the accounts as they
were), which is how a reorg rolls the state back to the fork point before applying the other branch.
The state root is a Merkle root over every account, sorted by address, so a header can commit to it.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from minichain.encoding import MAX_INT, short, tagged
from minichain.errors import (
    BlockTransactionInvalid,
    InsufficientBalance,
    InvalidTransaction,
    NonceMismatch,
)
from minichain.merkle import HashFn, leaf_hash, root_of_hashes
from minichain.transactions import Transaction


@dataclass(frozen=True)
class Account:
    balance: int = 0  # smallest units
    nonce: int = 0  # transactions this account has sent


EMPTY_ACCOUNT = Account()
Undo = dict[str, Account | None]  # address -> account before the block (None: did not exist)
AccountLookup = Callable[[str], Account]
SenderOf = Callable[[Transaction], str]  # the address a transaction charges
# runs a contract transaction from the given sender address; returns the fee it costs
# (gas used * gas price), or raises InvalidTransaction if it cannot run (minichain.contract_block)
ContractRunner = Callable[[Transaction, str], int]


def address_of_sender(tx: Transaction) -> str:
    return tx.sender


def transaction_effects(
    lookup: AccountLookup, tx: Transaction, sender_of: SenderOf = address_of_sender,
    run_contract: ContractRunner | None = None,
) -> tuple[dict[str, Account], int]:
    """The accounts `tx` changes, as new values, and the fee it pays; NonceMismatch or
    InsufficientBalance if it cannot apply. Pure: `lookup` gives the current accounts and nothing
    is modified. `sender_of` gives tx.sender (a chain passes its CheckCache's, which derives each
    key's address once). A contract transaction needs `run_contract`: its sender must afford the
    whole gas budget (tx.cost) but pays only the gas used, even when the call fails."""
    sender_address = sender_of(tx)
    sender = lookup(sender_address)
    if tx.nonce != sender.nonce:
        raise NonceMismatch(
            f"tx {short(tx.txid)}: sender {sender_address} is at nonce {sender.nonce}, "
            f"the transaction has nonce {tx.nonce}"
            + (" (already used: a replay?)" if tx.nonce < sender.nonce else " (a gap)"),
            check="used" if tx.nonce < sender.nonce else "gap",
            txid=tx.txid, sender=sender_address, expected=sender.nonce, found=tx.nonce,
        )
    if sender.balance < tx.cost:
        raise InsufficientBalance(
            f"tx {short(tx.txid)}: sender {sender_address} has {sender.balance}, "
            f"the transaction needs amount {tx.amount} + fee {tx.fee} = {tx.cost}",
            check="balance", txid=tx.txid, sender=sender_address, balance=sender.balance,
            amount=tx.amount, fee=tx.fee, cost=tx.cost,
        )
    if tx.is_contract:
        if run_contract is None:
            from minichain.contracts.errors import InvalidContractTransaction

            raise InvalidContractTransaction(f"tx {short(tx.txid)}: a contract transaction needs a "
                                     "contract engine to apply")
        fee = run_contract(tx, sender_address)
        return {sender_address: Account(sender.balance - fee, sender.nonce + 1)}, fee
    new_sender = Account(sender.balance - tx.cost, sender.nonce + 1)
    if tx.recipient == sender_address:
        return {sender_address: Account(new_sender.balance + tx.amount, new_sender.nonce)}, tx.fee
    recipient = lookup(tx.recipient)
    if recipient.balance + tx.amount > MAX_INT:
        raise InsufficientBalance(f"tx {short(tx.txid)}: recipient balance would overflow",
                                  check="overflow", txid=tx.txid, address=tx.recipient)
    return {
        sender_address: new_sender,
        tx.recipient: Account(recipient.balance + tx.amount, recipient.nonce),
    }, tx.fee


class State:
    """Every account, with a cached state root. Mutated only through apply_block / revert."""

    def __init__(self, hash_fn: HashFn, accounts: Mapping[str, Account] | None = None) -> None:
        self.hash_fn = hash_fn
        self._accounts: dict[str, Account] = {}
        self._leaves: dict[str, bytes] = {}
        self._sorted: list[str] = []
        self._root: bytes | None = None
        self._set_many(dict(accounts or {}))

    # --- reading --------------------------------------------------------------------------------

    def account(self, address: str) -> Account:
        return self._accounts.get(address, EMPTY_ACCOUNT)

    def balance(self, address: str) -> int:
        return self.account(address).balance

    def nonce(self, address: str) -> int:
        return self.account(address).nonce

    def __contains__(self, address: object) -> bool:
        return address in self._accounts

    def __len__(self) -> int:
        return len(self._accounts)

    def items(self) -> Iterator[tuple[str, Account]]:
        return iter(sorted(self._accounts.items()))

    def total_supply(self) -> int:
        return sum(account.balance for account in self._accounts.values())

    def root(self) -> bytes:
        """Merkle root over every account, sorted by address."""
        if self._root is None:
            self._root = root_of_hashes([self._leaves[a] for a in self._sorted], self.hash_fn)
        return self._root

    def copy(self) -> State:
        return State(self.hash_fn, self._accounts)

    # --- changing -------------------------------------------------------------------------------

    def apply_block(
        self,
        transactions: tuple[Transaction, ...] | list[Transaction],
        beneficiary: str,
        reward: int,
        label: str = "block",
        height: int | None = None,
        sender_of: SenderOf = address_of_sender,
        run_contract: ContractRunner | None = None,
    ) -> Undo:
        """Apply every transaction, then pay `beneficiary` the fees and `reward`.
        All or nothing: on BlockTransactionInvalid the state is unchanged (the caller drops the
        contract execution `run_contract` belongs to)."""
        changes: dict[str, Account] = {}

        def lookup(address: str) -> Account:
            found = changes.get(address)
            return found if found is not None else self._accounts.get(address, EMPTY_ACCOUNT)

        fees = 0
        for index, tx in enumerate(transactions):
            try:
                effects, fee = transaction_effects(lookup, tx, sender_of, run_contract)
            except InvalidTransaction as error:
                raise BlockTransactionInvalid(
                    f"{label}, transaction #{index}: {error}", error, index, height=height
                ) from None
            changes.update(effects)
            fees += fee
        if fees + reward:
            producer = lookup(beneficiary)
            changes[beneficiary] = Account(producer.balance + fees + reward, producer.nonce)
        undo: Undo = {address: self._accounts.get(address) for address in changes}
        self._set_many(changes)
        return undo

    def revert(self, undo: Undo) -> None:
        """Put back the accounts an apply_block changed."""
        restore = {a: acct for a, acct in undo.items() if acct is not None}
        for address in [a for a, acct in undo.items() if acct is None]:
            self._remove(address)
        self._set_many(restore)

    def _set_many(self, accounts: Mapping[str, Account]) -> None:
        for address, account in accounts.items():
            if address not in self._accounts:
                bisect.insort(self._sorted, address)
            self._accounts[address] = account
            self._leaves[address] = leaf_hash(account_bytes(address, account), self.hash_fn)
        if accounts:
            self._root = None

    def _remove(self, address: str) -> None:
        if address in self._accounts:
            del self._accounts[address]
            del self._leaves[address]
            self._sorted.pop(bisect.bisect_left(self._sorted, address))
            self._root = None


def account_bytes(address: str, account: Account) -> bytes:
    """Canonical bytes of one account: a leaf of the state tree."""
    return tagged("account", {"address": address, "balance": account.balance, "nonce": account.nonce})
