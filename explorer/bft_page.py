"""Page 6.1: BFT consensus, one round at a time. Four validators on the seeded simulator (real
signatures, virtual time, no node needed); the presenter steps through the signed messages of a
height (previous / next message) in four scenes: a normal round, a silent proposer, a Byzantine
validator, two of four down. Tendermint's words beside FISCO BCOS PBFT's."""

from __future__ import annotations

import streamlit as st

from explorer import bft
from explorer.common import show_svg, table
from explorer.i18n import language, say, t

STEP = "bft_step"  # how many steps of the scene are shown


@st.cache_resource(show_spinner=False, max_entries=len(bft.SCENES))
def scene(name: str) -> bft.Scene:
    """Deterministic for its name and never changed: every visitor shares it."""
    return bft.build(name)


def _move(by: int, total: int) -> None:
    st.session_state[STEP] = max(0, min(total, int(st.session_state.get(STEP, 0)) + by))


def _set(value: int) -> None:
    st.session_state[STEP] = value


def _glossary() -> None:
    st.subheader(t("bft.words"))
    rows = [{t("bft.col_tendermint"): t(f"bft.row.{key}"), t("bft.col_fisco"): t(f"bft.fisco.{key}"),
             t("bft.col_what"): t(f"bft.row.{key}_what")}
            for key in ("proposal", "prevote", "precommit", "round", "timeout", "certificate")]
    table(rows)


def render() -> None:
    st.title(t("bft.title"))
    lang = language()  # bound now: a widget may format its options outside this run
    name = st.radio(t("bft.scene"), bft.SCENES, key="bft_scene", horizontal=True,
                    format_func=lambda s: say(lang, f"bft.scene.{s}"), on_change=_set, args=(0,))
    played = scene(str(name))
    total = len(played.steps)
    shown = max(0, min(total, int(st.session_state.get(STEP, 0))))
    with st.container(horizontal=True, vertical_alignment="center"):
        st.button(t("bft.previous"), disabled=shown == 0, on_click=_move, args=(-1, total),
                  key="bft_previous")
        st.button(t("bft.next"), type="primary", disabled=shown == total, on_click=_move, args=(1, total),
                  key="bft_next")
        st.button(t("bft.all"), disabled=shown == total, on_click=_set, args=(total,), key="bft_all")
        st.button(t("bft.first"), disabled=shown == 0, on_click=_set, args=(0,), key="bft_first")
        st.progress(shown / total if total else 0.0, text=t("bft.progress", done=shown, total=total))
    show_svg(bft.picture(played, shown, lang))  # first: on a projector the round is what the room reads
    if shown == 0:
        st.info(t("bft.press_next"))
    else:
        st.info(bft.say_step(played.steps[shown - 1], played, lang))
    if shown == total:
        kind, said = bft.verdict(played, lang)
        getattr(st, kind)(said)
    st.write(t("bft.intro"))
    st.caption(t("bft.lesson", quorum=played.quorum, n=played.n))
    _glossary()


if __name__ == "__main__":  # run as a page by st.navigation
    render()
