"""The stage: one-click scripted scenarios that play step by step for an audience (explorer.scenarios).
Each step does one real thing on a real minichain object; the page shows what the room should
notice, then its payoff (the picture and the verdict) above the fold, at 1280x720 as at 1920x1080."""

from __future__ import annotations

import streamlit as st

from explorer import blocks_page, netsim, presenter
from explorer.common import refusal, session, show_svg, verdict
from explorer.i18n import node_name, picture_words, t
from explorer.scenarios import SCENARIOS, Note, Show
from minichain import viz
from minichain.net.memory import MemoryNetwork

PAYOFF = "payoff"  # the container holding what a step shows: tests check it is above the fold


def _say(note: Note) -> str:
    if note.error is not None:
        return refusal(note.error)
    values = dict(note.values)
    if "who" in values:
        values["who"] = t(f"name.{values['who']}")
    if "node" in values:
        values["node"] = node_name(str(values["node"]))
    return t(note.key, **values)


def _chain_payoff(chain: blocks_page.EditableChain) -> None:
    picture, _ = blocks_page.chain_picture(chain)
    show_svg(picture)
    error = blocks_page.full_check(chain)
    verdict(error is None, t("blocks.full_ok"), refusal(error, "blocks.full_bad") if error else "")


def _network_payoff(show: Show, net: MemoryNetwork) -> None:
    stage = show.stage
    tips = {node_name(core.node_id): core.chain.tip_hash for core in net.cores}
    best = max(net.cores, key=lambda c: (c.chain.tip_weight, c.chain.tip_hash)).chain.tip_hash
    show_svg(viz.fork_tree_svg(netsim.tree_blocks(net), tips, best=best, words=picture_words(),
                               canvas=presenter.canvas()), t("net.tree_caption"))
    if stage.notes:
        st.write("　".join(_say(note) for note in stage.notes))
    count = len(set(tips.values()))
    if show.scenario == "partition":
        if stage.heal_seconds is not None:
            st.success(t("net.healed", seconds=stage.heal_seconds))
        else:
            (st.success if count == 1 else st.warning)(
                t("net.converged" if count == 1 else "net.diverged", count=count))
    if stage.payments and show.finished:
        state = net.cores[0].chain.state
        paid = {payee: state.balance(tx.recipient) for payee, tx in stage.payments.items()}
        winners = [payee for payee, balance in paid.items() if balance]
        if len(winners) == 1:
            (loser,) = set(paid) - set(winners)
            st.success(t("stage.one_committed", winner=t(f"name.{winners[0]}"), loser=t(f"name.{loser}"),
                         bob=paid["bob"], carol=paid["carol"]))
        else:
            st.warning(t("stage.none_committed", bob=paid["bob"], carol=paid["carol"]))


def _advance() -> None:
    session("stage_show", Show).advance(t)


def _restart() -> None:
    session("stage_show", Show).restart()


def render() -> None:
    show = session("stage_show", Show)
    st.title(t("stage.title"))
    name = st.radio(t("stage.pick"), list(SCENARIOS), key="stage_name", horizontal=True,
                    format_func=lambda n: t(f"stage.name.{n}"),
                    label_visibility="collapsed" if presenter.on() else "visible")
    show.pick(name)
    steps = show.steps
    with st.container(horizontal=True, vertical_alignment="center"):
        # Callbacks run before the page is drawn again, so the button and progress are never stale.
        st.button(t("stage.next"), type="primary", disabled=show.finished, on_click=_advance)
        st.button(t("stage.restart"), on_click=_restart)
        st.progress(show.done / len(steps), text=t("stage.progress", done=show.done, total=len(steps)))
    if show.done:  # what the room should notice, as big as a heading
        st.markdown(f"### {show.done}. {t(steps[show.done - 1].title)}")
    with st.container(key=PAYOFF):
        if show.stage.chain is not None:
            _chain_payoff(show.stage.chain)
        if show.stage.net is not None:
            _network_payoff(show, show.stage.net)
    if not show.finished:
        st.caption(t("stage.coming", title=t(steps[show.done].title)))
    for index in range(show.done - 1):
        st.caption(f"{index + 1}. {t(steps[index].title)}")


if __name__ == "__main__":  # run as a page by st.navigation
    render()
