"""Stage scenarios as data: a scenario is a list of steps, each doing one real thing on a real
minichain object and naming what the room should notice.

No Streamlit here. A `Show` is where a presenter is (which scenario, how many steps done, what the
steps built); the stage page draws it, and anything else that can call `advance()` (a clicker, a
keyboard shortcut) or read `scenario` and `done` (an audience page) can drive or follow the same show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from explorer import blocks_page, netsim
from minichain.errors import MinichainError
from minichain.net.memory import MemoryNetwork
from minichain.testing import make_wallet
from minichain.transactions import Transaction

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


def _settle(stage: Stage, say: Say) -> None:
    if stage.net is not None:
        stage.net.run_for(8)


SCENARIOS: dict[str, Scenario] = {
    scenario.name: scenario
    for scenario in (
        Scenario("tamper", (
            Step("stage.tamper.1", _tamper_start),
            Step("stage.tamper.2", _tamper_edit),
            Step("stage.tamper.3", _tamper_remine),
            Step("stage.tamper.4", _tamper_remine_all),
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
    )
}


@dataclass
class Show:
    """Where a presenter is: the scenario, how many of its steps are done, and what they built."""

    scenario: str = "tamper"
    done: int = 0
    stage: Stage = field(default_factory=Stage)

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
        return True

    def restart(self) -> None:
        self.done, self.stage = 0, Stage()
