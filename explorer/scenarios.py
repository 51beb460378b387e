"""Stage scenarios as data: a scenario is a list of steps, each doing one real thing on a real
minichain object and naming what the room should notice; the show is every scenario in order.

No Streamlit here. A `Show` is where a presenter is (which scenario, how many steps done, what the
steps built); the stage page draws it, and anything else that can call `forward()` / `back()` (a
clicker, a keyboard) or read `scenario` and `done` (the audience page) can drive or follow the
same show. Every step is deterministic (seeded keys and networks), so going back one step is
replaying the scenario from its start: the room sees exactly what it saw before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from explorer import bft, blocks_page, contracts_demo, netsim
from explorer.coinbase import Ledger
from explorer.peers import Peers
from minichain import MemoryNetwork, MinichainError, Transaction, Wallet
from minichain.testing import make_wallet

Say = Callable[[str], str]  # a catalog key in the presenter's language (sample data is in it too)

HEAL_LIMIT = 30.0  # seconds of network time a healed network gets to agree on one tip again
DOUBLE_SPEND_AMOUNT = 900_000


@dataclass(frozen=True)
class Note:
    """Something a step did, said when drawn (so it follows a change of language): a catalog key
    and its values, or a refusal."""

    key: str
    values: dict[str, object] = field(default_factory=dict)
    error: MinichainError | None = None


@dataclass
class Stage:
    """What a scenario has built so far (each browser session has its own)."""

    chain: blocks_page.EditableChain | None = None
    net: MemoryNetwork | None = None
    notes: list[Note] = field(default_factory=list)
    payments: dict[str, Transaction] = field(default_factory=dict)  # double spend: payee -> transfer
    heal_seconds: float | None = None  # how long the healed network took to agree (None: not yet)
    hash_texts: tuple[str, str] | None = None  # hashing: the text before and after one letter changed
    peers: Peers | None = None  # the distributed ledger: every peer's own copy
    signing: Signing | None = None  # keys: who signs what, and what arrives
    ledger: Ledger | None = None  # coinbase: a chain whose coins all come from block rewards
    refused: MinichainError | None = None  # coinbase: the transfer the mempool turned down
    bft: bft.Shown | None = None  # BFT: a scene on the simulator, and how many of its steps are shown
    contracts: contracts_demo.ContractNetwork | None = None  # a contract on four nodes' EVMs


@dataclass(frozen=True)
class Signing:
    """A signed message and the message that arrived: verification checks one against the other."""

    wallet: Wallet
    message: str
    signature: bytes
    received: str

    @property
    def verifies(self) -> bool:
        return self.wallet.suite.verify(self.wallet.public_key, self.received.encode(), self.signature)


@dataclass(frozen=True)
class Step:
    title: str  # catalog key: what the room should notice
    action: Callable[[Stage, Say], None]


@dataclass(frozen=True)
class Scenario:
    name: str  # catalog key stage.name.<name>
    steps: tuple[Step, ...]


def _tamper_start(stage: Stage, say: Say) -> None:
    stage.chain = blocks_page.build(10, memos=say("blocks.memos").split("|"))


def _tamper_edit(stage: Stage, say: Say) -> None:
    if stage.chain is not None:
        blocks_page.edit_memo(stage.chain, 2, say("blocks.forged_memo"))


def _tamper_remine(stage: Stage, say: Say) -> None:
    if stage.chain is not None:
        blocks_page.remine(stage.chain, 2)


def _tamper_remine_all(stage: Stage, say: Say) -> None:
    if stage.chain is not None:
        for height in range(3, len(stage.chain.blocks)):
            blocks_page.remine(stage.chain, height)


def _hash_start(stage: Stage, say: Say) -> None:
    text = say("stage.hash_text")
    stage.hash_texts = (text, text)


def _hash_change(stage: Stage, say: Say) -> None:
    stage.hash_texts = (say("stage.hash_text"), say("stage.hash_changed"))


def _peers_start(stage: Stage, say: Say) -> None:
    stage.peers = Peers.build(10, say("blocks.memos").split("|"))


def _peers_tamper(stage: Stage, say: Say) -> None:
    if stage.peers is not None:
        stage.peers.tamper("B", 2, say("blocks.forged_memo"))


def _peers_remine(stage: Stage, say: Say) -> None:
    if stage.peers is not None:
        stage.peers.remine_from("B", 2)


def _sign(suite: str, say: Say) -> Signing:
    wallet = Wallet.from_seed("stage-alice", suite)
    message = say("stage.keys_message")
    return Signing(wallet, message, wallet.suite.sign(wallet.private_key, message.encode()), message)


def _keys_start(stage: Stage, say: Say) -> None:
    stage.signing = _sign("sha256-ed25519", say)


def _keys_alter(stage: Stage, say: Say) -> None:
    if stage.signing is not None:
        stage.signing = replace(stage.signing, received=say("stage.keys_altered"))


def _keys_sm2(stage: Stage, say: Say) -> None:
    stage.signing = _sign("sm3-sm2", say)


def _coin_start(stage: Stage, say: Say) -> None:
    stage.ledger = Ledger.fresh()
    stage.ledger.mine("bob")


def _coin_transfer(stage: Stage, say: Say) -> None:
    if stage.ledger is not None:
        stage.ledger.send("bob", "carol", 20)
        stage.ledger.mine("alice")


def _coin_overspend(stage: Stage, say: Say) -> None:
    if stage.ledger is not None:
        try:
            stage.ledger.send("carol", "alice", 100)
        except MinichainError as error:
            stage.refused = error


def _net_start(stage: Stage, say: Say) -> None:
    stage.net = netsim.network(4, "poa", seed=5)
    stage.net.run_for(6)


def _partition(stage: Stage, say: Say) -> None:
    if stage.net is not None:
        stage.net.partition([["node0", "node1"], ["node2", "node3"]])
        stage.net.run_for(12)


def _heal(stage: Stage, say: Say) -> None:
    if stage.net is not None:
        stage.net.heal()
        stage.heal_seconds = netsim.run_until_converged(stage.net, HEAL_LIMIT)


def _double_spend(stage: Stage, say: Say) -> None:
    net = stage.net
    if net is None:
        return
    faucet = netsim.FAUCET
    nonce = net.cores[0].chain.state.nonce(faucet.address)
    stage.notes, stage.payments = [], {}
    for node, payee in ((0, "bob"), (3, "carol")):
        wallet = make_wallet(f"stage-{payee}")
        tx = faucet.transfer(net.genesis.chain_id, wallet.address, DOUBLE_SPEND_AMOUNT, nonce, fee=1)
        stage.payments[payee] = tx
        try:
            net.submit(node, tx)
            stage.notes.append(Note("stage.spend_sent", {"who": payee, "node": f"node{node}"}))
        except MinichainError as error:
            stage.notes.append(Note("error.refused", error=error))


def _contract_issue(stage: Stage, say: Say) -> None:
    story = contracts_demo.invoice_story()
    stage.contracts = contracts_demo.play(story[:3])  # deploy, admit the supplier, issue


def _contract_redeem(stage: Stage, say: Say) -> None:
    if stage.contracts is not None:
        stage.contracts.send(contracts_demo.invoice_story()[3])


def _contract_redeem_again(stage: Stage, say: Say) -> None:
    if stage.contracts is not None:
        stage.contracts.send(contracts_demo.invoice_story()[4])  # refused on every node


def _settle(stage: Stage, say: Say) -> None:
    if stage.net is not None:
        stage.net.run_for(8)


def _bft(name: str, phase: str) -> Callable[[Stage, Say], None]:
    """Show BFT scene `name` until `phase` is complete (explorer.bft.through); played once a stage."""
    def action(stage: Stage, say: Say) -> None:
        scene = stage.bft.scene if stage.bft is not None and stage.bft.scene.name == name else bft.build(name)
        stage.bft = bft.Shown(scene, bft.through(scene, phase))
    return action


SCENARIOS: dict[str, Scenario] = {
    scenario.name: scenario
    for scenario in (
        Scenario("hash", (
            Step("stage.hash.1", _hash_start),
            Step("stage.hash.2", _hash_change),
        )),
        Scenario("tamper", (
            Step("stage.tamper.1", _tamper_start),
            Step("stage.tamper.2", _tamper_edit),
            Step("stage.tamper.3", _tamper_remine),
            Step("stage.tamper.4", _tamper_remine_all),
        )),
        Scenario("distributed", (
            Step("stage.distributed.1", _peers_start),
            Step("stage.distributed.2", _peers_tamper),
            Step("stage.distributed.3", _peers_remine),
        )),
        Scenario("keys", (
            Step("stage.keys.1", _keys_start),
            Step("stage.keys.2", _keys_alter),
            Step("stage.keys.3", _keys_sm2),
        )),
        Scenario("coinbase", (
            Step("stage.coinbase.1", _coin_start),
            Step("stage.coinbase.2", _coin_transfer),
            Step("stage.coinbase.3", _coin_overspend),
        )),
        Scenario("double_spend", (
            Step("stage.double.1", _net_start),
            Step("stage.double.2", _double_spend),
            Step("stage.double.3", _settle),
        )),
        Scenario("partition", (
            Step("stage.partition.1", _net_start),
            Step("stage.partition.2", _partition),
            Step("stage.partition.3", _heal),
        )),
        Scenario("bft_normal", (
            Step("stage.bft_normal.1", _bft("normal", "proposal")),
            Step("stage.bft_normal.2", _bft("normal", "prevotes")),
            Step("stage.bft_normal.3", _bft("normal", "precommits")),
            Step("stage.bft_normal.4", _bft("normal", "all")),
        )),
        Scenario("bft_silent", (
            Step("stage.bft_silent.1", _bft("silent", "round0")),
            Step("stage.bft_silent.2", _bft("silent", "next_proposal")),
            Step("stage.bft_silent.3", _bft("silent", "all")),
        )),
        Scenario("bft_byzantine", (
            Step("stage.bft_byzantine.1", _bft("byzantine", "prevotes")),
            Step("stage.bft_byzantine.2", _bft("byzantine", "precommits")),
            Step("stage.bft_byzantine.3", _bft("byzantine", "all")),
        )),
        Scenario("bft_halt", (
            Step("stage.bft_halt.1", _bft("halt", "down")),
            Step("stage.bft_halt.2", _bft("halt", "alone")),
            Step("stage.bft_halt.3", _bft("halt", "all")),
        )),
        Scenario("contract", (
            Step("stage.contract.1", _contract_issue),
            Step("stage.contract.2", _contract_redeem),
            Step("stage.contract.3", _contract_redeem_again),
        )),
    )
}


ORDER = tuple(SCENARIOS)  # the show: → at the end of one scenario opens the next
contracts_demo.warm_up()  # the contract scenario's compiler, ready long before the show gets there


@dataclass
class Show:
    """Where a presenter is: the scenario, how many of its steps are done, and what they built."""

    scenario: str = ORDER[0]
    done: int = 0
    stage: Stage = field(default_factory=Stage)
    changes: int = 0  # how many times the show moved (a widget showing the scenario is keyed by it)
    presses: tuple[str, int] = ("", 0)  # the clicker's presses applied: (its page load's id, total)

    @property
    def steps(self) -> tuple[Step, ...]:
        return SCENARIOS[self.scenario].steps

    @property
    def finished(self) -> bool:
        return self.done >= len(self.steps)

    def pick(self, name: str) -> None:
        """Switch to scenario `name`, from its first step (nothing happens if it is the current one)."""
        if name != self.scenario:
            self.scenario = name
            self.restart()

    def advance(self, say: Say) -> bool:
        """Play the next step; False if the scenario was already finished."""
        if self.finished:
            return False
        self.steps[self.done].action(self.stage, say)
        self.done += 1
        self.changes += 1
        return True

    def restart(self) -> None:
        self.done, self.stage = 0, Stage()
        self.changes += 1

    def forward(self, say: Say) -> bool:
        """One press of →: the next step, or, at the end of a scenario, the next scenario's start.
        False at the very end of the show."""
        if self.advance(say):
            return True
        position = ORDER.index(self.scenario)
        if position + 1 == len(ORDER):
            return False
        self.pick(ORDER[position + 1])
        return True

    def back(self, say: Say) -> bool:
        """One press of ←: the scenario replayed to one step before (deterministic, so the same
        picture), or, at a scenario's start, the previous scenario at its end. False at the start."""
        if self.done == 0:
            position = ORDER.index(self.scenario)
            if position == 0:
                return False
            self.pick(ORDER[position - 1])
            target = len(self.steps)
        else:
            target = self.done - 1
        self.restart()
        while self.done < target:
            self.advance(say)
        return True
