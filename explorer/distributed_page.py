"""Page 2.1: one chain, three peers' copies side by side. Rewrite a block on one peer: its copy
breaks; re-mine it: it holds on its own, but its hashes match nobody else's, and the majority
stands out (explorer.peers)."""

from __future__ import annotations

import streamlit as st

from explorer import presenter
from explorer.common import draw, session
from explorer.i18n import language, t
from explorer.payoffs import peers_parts
from explorer.peers import PEERS, Peers

BITS = 10  # leading zero bits: re-mining five blocks takes well under a second


def _fresh() -> Peers:
    return Peers.build(BITS, t("blocks.memos").split("|"))


def _reset() -> None:
    st.session_state["peers"] = _fresh()
    st.session_state["peers_built"] = language()


def _tamper() -> None:
    peers = session("peers", _fresh)
    memo = st.session_state.get("peers_memo") or t("blocks.forged_memo")
    peer, height = st.session_state.get("peers_peer") or "B", int(st.session_state.get("peers_block") or 2)
    peers.tamper(peer, height, memo)


def _remine() -> None:
    peer, height = st.session_state.get("peers_peer") or "B", int(st.session_state.get("peers_block") or 2)
    session("peers", _fresh).remine_from(peer, height)


def render() -> None:
    st.title(t("peers.page_title"))
    st.write(t("peers.intro"))
    if st.session_state.setdefault("peers_built", language()) != language():
        _reset()  # the sample memos are in the page's language
    peers = session("peers", _fresh)
    st.session_state.setdefault("peers_memo", t("blocks.forged_memo"))
    heights = list(range(1, len(next(iter(peers.copies.values())).blocks)))
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.segmented_control(t("peers.pick_peer"), PEERS, key="peers_peer", default="B", width="content",
                             format_func=lambda peer: t(f"peers.name.{peer}"))
        st.selectbox(t("peers.pick_block"), heights, key="peers_block", index=1, width=110,
                     format_func=lambda h: f"#{h}")
        st.text_input(t("peers.memo"), key="peers_memo", width=260)
        st.button(t("peers.tamper"), type="primary", on_click=_tamper)
        st.button(t("peers.remine"), on_click=_remine)
        st.button(t("peers.reset"), on_click=_reset)
    with st.container(key="payoff"):
        draw(peers_parts(peers, language(), presenter.canvas()))


if __name__ == "__main__":  # run as a page by st.navigation
    render()
