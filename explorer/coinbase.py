"""Coinbase and tokens: where coins come from and how they move. No coin exists at genesis here;
each mined block pays its miner the block reward (new coins, the "coinbase") plus the fees of the
transfers it carries, and a transfer only moves coins someone already holds. The supply is
reward x blocks, always (anders94/blockchain-demo's "Tokens" and "Coinbase" pages, on real
minichain blocks: the reward is credited by `State.apply_block`, a transfer checked by the mempool).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from minichain import Chain, Genesis, Mempool, PowParams, Transaction, Wallet
from minichain.testing import GENESIS_TIME, make_wallet, produce_block
from minichain.viz import BlockBox

PEOPLE = ("alice", "bob", "carol")
REWARD = 50  # new coins for each block's miner
FEE = 1  # what every transfer here pays the miner who includes it


def wallets() -> dict[str, Wallet]:
    return {name: make_wallet(f"coinbase-{name}") for name in PEOPLE}


@dataclass
class Ledger:
    """A proof-of-work chain with no allocation, its mempool, and who is who."""

    chain: Chain
    pool: Mempool
    people: dict[str, Wallet] = field(default_factory=wallets)

    @classmethod
    def fresh(cls) -> Ledger:
        genesis = Genesis("explorer-coinbase", PowParams(difficulty_bits=8, block_reward=REWARD),
                          timestamp=GENESIS_TIME)
        return cls(Chain(genesis), Mempool(genesis))

    def name_of(self, address: str) -> str:
        return next((name for name, w in self.people.items() if w.address == address), address[:8])

    def send(self, sender: str, recipient: str, amount: int) -> Transaction:
        """Sign a transfer and hand it to the mempool, which raises the typed error of the rule it breaks
        (tx-balance when the sender holds less than amount + fee)."""
        wallet, state = self.people[sender], self.chain.state
        nonce = self.pool.next_nonce(wallet.address, state)
        to = self.people[recipient].address
        tx = wallet.transfer(self.chain.genesis.chain_id, to, amount, nonce, fee=FEE)
        self.pool.add(tx, state)
        return tx

    def mine(self, miner: str) -> None:
        """`miner` seals the waiting transfers into a block and is paid the reward plus their fees."""
        waiting = self.pool.select(self.chain.state, 50)
        update = produce_block(self.chain, waiting, producer=self.people[miner])
        self.pool.on_chain_update(update, self.chain.state)

    def balances(self) -> dict[str, int]:
        state = self.chain.state
        return {name: state.balance(wallet.address) for name, wallet in self.people.items()}

    @property
    def supply(self) -> int:
        return sum(self.balances().values())

    def pending(self) -> list[Transaction]:
        return list(self.pool.transactions())

    def boxes(self, say_coinbase: str, say_transfer: str, names: dict[str, str], last: int) -> list[BlockBox]:
        """The last `last` blocks as boxes: the height, then the coinbase line ("{miner} +{amount}"),
        then one line per transfer ("{sender} → {recipient} {amount}"), in the caller's words."""
        top = self.chain.height
        blocks = [self.chain.block_at(h) for h in range(max(1, top - last + 1), top + 1)]
        suite = self.chain.suite
        boxes = []
        for block in blocks:
            fees = sum(tx.fee for tx in block.transactions)
            lines = [f"#{block.header.height}",
                     say_coinbase.format(miner=names[self.name_of(block.header.beneficiary)],
                                         amount=REWARD + fees)]
            for tx in block.transactions:
                sender, recipient = names[self.name_of(tx.sender)], names[self.name_of(tx.recipient)]
                lines.append(say_transfer.format(sender=sender, recipient=recipient, amount=tx.amount))
            boxes.append(BlockBox(block.header.height, block.hash(suite).hex(),
                                  block.header.parent_hash.hex(), tuple(lines)))
        return boxes
