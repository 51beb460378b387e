"""The mempool: valid transactions waiting to be put in a block.

Admission checks what a block would (signature, chain, nonce not already used, enough balance)
plus local policy: a minimum fee, a bound on how far ahead of the account's nonce a transaction
may be ("gaps" are held, not dropped, until the missing nonce arrives), and a size bound. When the
pool is full, the cheapest transaction that is last in its sender's queue is evicted, if the
newcomer pays more. A block producer takes transactions by fee, but each sender's in nonce order
(as Ethereum's pending pool does). On a reorg, transactions of blocks that left the best chain come
back; transactions that the new blocks include, or that can no longer apply, leave.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator

from minichain.chain import ChainUpdate
from minichain.checkcache import CheckCache
from minichain.encoding import short
from minichain.errors import (
    AlreadyKnown,
    FeeTooLow,
    InsufficientBalance,
    MempoolFull,
    MempoolRejection,
    NonceGapTooLarge,
    NonceMismatch,
    ReplacementUnderpriced,
    ValidationError,
)
from minichain.genesis import Genesis
from minichain.state import State
from minichain.transactions import Transaction
from minichain.validation import validate_transaction

REPLACEMENT_BUMP_PERCENT = 10  # a same-nonce replacement must pay at least 10% more fee


class Mempool:
    def __init__(
        self, genesis: Genesis, max_size: int = 20_000, max_nonce_gap: int = 64, min_fee: int = 0,
        verified: CheckCache | None = None,
    ) -> None:
        self.genesis = genesis
        # what the chain already checked (Chain.verified), or a CheckCache of its own
        self.verified = verified if verified is not None else CheckCache()
        self.max_size = max_size
        self.max_nonce_gap = max_nonce_gap
        self.min_fee = min_fee
        self._by_id: dict[bytes, Transaction] = {}
        self._by_sender: dict[str, dict[int, Transaction]] = {}
        self._pending_cost: dict[str, int] = {}  # sender -> sum of its pooled transactions' cost
        self._arrival: dict[bytes, int] = {}
        self._counter = 0

    # --- reading --------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, txid: object) -> bool:
        return txid in self._by_id

    def get(self, txid: bytes) -> Transaction | None:
        return self._by_id.get(txid)

    def transactions(self) -> Iterator[Transaction]:
        """Every held transaction, in arrival order."""
        return iter(sorted(self._by_id.values(), key=lambda tx: self._arrival[tx.txid]))

    def next_nonce(self, address: str, state: State) -> int:
        """The nonce a new transaction from `address` should use: after its pooled ones."""
        nonce = state.nonce(address)
        queue = self._by_sender.get(address, {})
        while nonce in queue:
            nonce += 1
        return nonce

    # --- admission ------------------------------------------------------------------------------

    def add(self, tx: Transaction, state: State) -> Transaction | None:
        """Admit `tx`, or raise the typed error saying why not. Returns an evicted or replaced
        transaction, if admitting this one pushed another out."""
        if tx.txid in self._by_id:
            raise AlreadyKnown(f"tx {short(tx.txid)} is already in the mempool", txid=tx.txid)
        validate_transaction(tx, self.genesis, self.verified)
        sender = self.verified.sender(tx)
        if tx.fee < self.min_fee:
            raise FeeTooLow(f"tx {short(tx.txid)}: fee {tx.fee} is below this node's minimum {self.min_fee}",
                            txid=tx.txid, found=tx.fee, limit=self.min_fee)
        account = state.account(sender)
        if tx.nonce < account.nonce:
            raise NonceMismatch(
                f"tx {short(tx.txid)}: nonce {tx.nonce} is already used; sender {sender} "
                f"is at nonce {account.nonce} (a replay?)",
                check="used", txid=tx.txid, sender=sender, expected=account.nonce, found=tx.nonce,
            )
        queue = self._by_sender.get(sender, {})
        follows = tx.nonce == account.nonce or (tx.nonce - 1) in queue  # the common, cheap case
        if not follows:
            expected = self.next_nonce(sender, state)
            if tx.nonce > expected + self.max_nonce_gap:
                raise NonceGapTooLarge(
                    f"tx {short(tx.txid)}: nonce {tx.nonce} is more than {self.max_nonce_gap} ahead "
                    f"of the next nonce {expected} this sender can use",
                    txid=tx.txid, found=tx.nonce, expected=expected, limit=self.max_nonce_gap,
                )
        existing = queue.get(tx.nonce)
        pending_cost = self._pending_cost.get(sender, 0) - (existing.cost if existing else 0)
        if pending_cost + tx.cost > account.balance:
            raise InsufficientBalance(
                f"tx {short(tx.txid)}: sender {sender} has {account.balance}; its pooled "
                f"transactions need {pending_cost} and this one {tx.cost}",
                check="pool", txid=tx.txid, sender=sender, balance=account.balance,
                pending=pending_cost, amount=tx.amount, fee=tx.fee, cost=tx.cost,
            )
        pushed_out: Transaction | None = None
        if existing is not None:
            needed = existing.fee + max(1, existing.fee * REPLACEMENT_BUMP_PERCENT // 100)
            if tx.fee < needed:
                raise ReplacementUnderpriced(
                    f"tx {short(tx.txid)}: nonce {tx.nonce} is taken by {short(existing.txid)} "
                    f"with fee {existing.fee}; a replacement must pay at least {needed}",
                    txid=tx.txid, nonce=tx.nonce, existing=existing.txid, existing_fee=existing.fee,
                    needed=needed,
                )
            self._remove(existing)
            pushed_out = existing
        elif len(self._by_id) >= self.max_size:
            victim = self._eviction_candidate()
            if victim is None or victim.fee >= tx.fee:
                raise MempoolFull(
                    f"tx {short(tx.txid)}: the mempool holds {self.max_size} transactions and "
                    f"none pays less than fee {tx.fee}",
                    txid=tx.txid, limit=self.max_size, fee=tx.fee,
                )
            self._remove(victim)
            pushed_out = victim
        self._insert(tx)
        return pushed_out

    def _insert(self, tx: Transaction) -> None:
        sender = self.verified.sender(tx)
        self._by_id[tx.txid] = tx
        self._by_sender.setdefault(sender, {})[tx.nonce] = tx
        self._pending_cost[sender] = self._pending_cost.get(sender, 0) + tx.cost
        self._arrival[tx.txid] = self._counter
        self._counter += 1

    def _remove(self, tx: Transaction) -> None:
        sender = self.verified.sender(tx)
        self._by_id.pop(tx.txid, None)
        self._arrival.pop(tx.txid, None)
        queue = self._by_sender.get(sender)
        if queue is not None and queue.get(tx.nonce) is tx:
            del queue[tx.nonce]
            self._pending_cost[sender] -= tx.cost
            if not queue:
                del self._by_sender[sender]
                del self._pending_cost[sender]

    def _eviction_candidate(self) -> Transaction | None:
        """The lowest-fee transaction among each sender's last one (evicting it leaves no gap)."""
        lasts = [queue[max(queue)] for queue in self._by_sender.values()]
        return min(lasts, key=lambda t: (t.fee, -self._arrival[t.txid]), default=None)

    def remove(self, txid: bytes) -> None:
        tx = self._by_id.get(txid)
        if tx is not None:
            self._remove(tx)

    # --- block production -----------------------------------------------------------------------

    def select(self, state: State, limit: int) -> list[Transaction]:
        """Up to `limit` transactions that apply in this order: highest fee first, each sender's
        in nonce order, none after a gap."""
        heap: list[tuple[int, int, str, int]] = []
        for sender, queue in self._by_sender.items():
            nonce = state.nonce(sender)
            if nonce in queue:
                tx = queue[nonce]
                heap.append((-tx.fee, self._arrival[tx.txid], sender, nonce))
        heapq.heapify(heap)
        chosen: list[Transaction] = []
        while heap and len(chosen) < limit:
            _, _, sender, nonce = heapq.heappop(heap)
            queue = self._by_sender[sender]
            chosen.append(queue[nonce])
            following = queue.get(nonce + 1)
            if following is not None:
                heapq.heappush(heap, (-following.fee, self._arrival[following.txid], sender, nonce + 1))
        return chosen

    # --- following the chain --------------------------------------------------------------------

    def on_chain_update(self, update: ChainUpdate, state: State) -> list[Transaction]:
        """Drop what the new best chain includes or made stale; take back what left it.
        Returns the transactions re-admitted from disconnected blocks."""
        for block in update.connected:
            for tx in block.transactions:
                self.remove(tx.txid)
        self.prune(state)
        readmitted: list[Transaction] = []
        for block in update.disconnected:
            for tx in block.transactions:
                try:
                    self.add(tx, state)
                except (ValidationError, MempoolRejection):
                    continue  # included again on the new branch, or no longer valid
                readmitted.append(tx)
        return readmitted

    def prune(self, state: State) -> list[Transaction]:
        """Remove transactions whose nonce the chain has used or whose sender can't pay."""
        dropped: list[Transaction] = []
        for sender, queue in list(self._by_sender.items()):
            account = state.account(sender)
            budget = account.balance
            for nonce in sorted(queue):
                tx = queue[nonce]
                if nonce < account.nonce or tx.cost > budget:
                    dropped.append(tx)
                else:
                    budget -= tx.cost
        for tx in dropped:
            self._remove(tx)
        return dropped
