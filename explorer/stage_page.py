"""The stage: one-click scripted scenarios that play step by step for an audience. Each step
does one real thing on a real minichain object and says what the room should notice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import streamlit as st

from explorer import blocks_page, netsim
from explorer.common import show_svg, verdict
from explorer.i18n import t
from minichain import viz
from minichain.crypto import get_suite
from minichain.errors import MinichainError
from minichain.net.memory import MemoryNetwork
from minichain.testing import make_wallet


@dataclass
class Stage:
    """What a scenario has built so far (each browser session has its own)."""

    chain: blocks_page.EditableChain | None = None
    net: MemoryNetwork | None = None
    messages: list[str] = field(default_factory=list)
    pair: tuple[str, str] | None = None  # the two payees of the double spend


@dataclass(frozen=True)
class Step:
    title: str  # catalog key
    action: Callable[[Stage], None]


def _tamper_start(stage: Stage) -> None:
    stage.chain = blocks_page.build(10)


def _tamper_edit(stage: Stage) -> None:
    if stage.chain is not None:
        blocks_page.edit_memo(stage.chain, 2, "pay the forger")


def _tamper_remine(stage: Stage) -> None:
    if stage.chain is not None:
        blocks_page.remine(stage.chain, 2)


def _tamper_remine_all(stage: Stage) -> None:
    if stage.chain is not None:
        for height in range(3, len(stage.chain.blocks)):
            blocks_page.remine(stage.chain, height)


def _net_start(stage: Stage) -> None:
    stage.net = netsim.network(4, "poa", seed=5)
    stage.net.run_for(6)


def _partition(stage: Stage) -> None:
    if stage.net is not None:
        stage.net.partition([["node0", "node1"], ["node2", "node3"]])
        stage.net.run_for(12)


def _heal(stage: Stage) -> None:
    if stage.net is not None:
        stage.net.heal()
        stage.net.run_for(8)


def _double_spend(stage: Stage) -> None:
    net = stage.net
    if net is None:
        return
    faucet, bob, carol = netsim.FAUCET, make_wallet("stage-bob"), make_wallet("stage-carol")
    nonce = net.cores[0].chain.state.nonce(faucet.address)
    pay_bob = faucet.transfer(net.genesis.chain_id, bob.address, 900_000, nonce, fee=1)
    pay_carol = faucet.transfer(net.genesis.chain_id, carol.address, 900_000, nonce, fee=1)
    stage.messages = []
    for node, tx, who in ((0, pay_bob, "Bob"), (3, pay_carol, "Carol")):
        try:
            net.submit(node, tx)
            stage.messages.append(t("stage.spend_sent", who=who, node=node))
        except MinichainError as error:
            stage.messages.append(f"[{error.rule}] {error}")
    stage.pair = (bob.address, carol.address)


def _settle(stage: Stage) -> None:
    if stage.net is not None:
        stage.net.run_for(8)


SCENARIOS: dict[str, list[Step]] = {
    "tamper": [
        Step("stage.tamper.1", _tamper_start),
        Step("stage.tamper.2", _tamper_edit),
        Step("stage.tamper.3", _tamper_remine),
        Step("stage.tamper.4", _tamper_remine_all),
    ],
    "double_spend": [
        Step("stage.double.1", _net_start),
        Step("stage.double.2", _double_spend),
        Step("stage.double.3", _settle),
    ],
    "partition": [
        Step("stage.partition.1", _net_start),
        Step("stage.partition.2", _partition),
        Step("stage.partition.3", _heal),
    ],
}


def _show(stage: Stage) -> None:
    if stage.chain is not None:
        suite = get_suite(stage.chain.genesis.suite)
        show_svg(viz.chain_svg(viz.chain_boxes(stage.chain.blocks, suite)))
        error = blocks_page.full_check(stage.chain)
        verdict(
            error is None,
            t("blocks.full_ok"),
            t("blocks.full_bad", rule=error.rule if error else "", detail=str(error)),
        )
    if stage.net is not None:
        tips = {core.node_id: core.chain.tip_hash for core in stage.net.cores}
        show_svg(viz.fork_tree_svg(netsim.tree_blocks(stage.net), tips))
        for line in stage.messages:
            st.write(line)
        if stage.pair is not None:
            state = stage.net.cores[0].chain.state
            st.write(
                t("stage.balances", bob=state.balance(stage.pair[0]), carol=state.balance(stage.pair[1]))
            )


def _advance(name: str) -> None:
    steps, done = SCENARIOS[name], st.session_state["stage_step"]
    if done < len(steps):
        steps[done].action(st.session_state["stage_objects"])
        st.session_state["stage_step"] = done + 1


def _restart() -> None:
    st.session_state["stage_step"] = 0
    st.session_state["stage_objects"] = Stage()


def render() -> None:
    st.title(t("stage.title"))
    name = st.radio(
        t("stage.pick"),
        list(SCENARIOS),
        key="stage_name",
        horizontal=True,
        format_func=lambda n: t(f"stage.name.{n}"),
    )
    steps = SCENARIOS[name]
    if st.session_state.get("stage_current") != name:
        st.session_state["stage_current"] = name
        _restart()
    left, right = st.columns(2)
    # Callbacks run before the page is drawn again, so the button and progress are never stale.
    left.button(
        t("stage.next"),
        type="primary",
        disabled=st.session_state["stage_step"] >= len(steps),
        on_click=_advance,
        args=(name,),
    )
    right.button(t("stage.restart"), on_click=_restart)
    done: int = st.session_state["stage_step"]
    st.progress(done / len(steps), text=t("stage.progress", done=done, total=len(steps)))
    for index in range(done):
        st.markdown(f"**{index + 1}.** {t(steps[index].title)}")
    if done < len(steps):
        st.caption(t("stage.coming", title=t(steps[done].title)))
    _show(st.session_state["stage_objects"])


if __name__ == "__main__":  # run as a page by st.navigation
    render()
