"""The stage: the whole show as one list of scripted scenarios (explorer.scenarios), played step by
step with one key. → / PageDown (a clicker) plays the next step and at a scenario's end opens the
next one; ← / PageUp goes back. Each step does one real thing on a real minichain object; the page
shows what the room should notice, then its payoff above the fold, at 1280x720 as at 1920x1080.
Phones follow on the audience page (explorer.broadcast): a QR code opens it."""

from __future__ import annotations

from functools import partial

import streamlit as st

from explorer import audience, broadcast, clicker, presenter
from explorer.common import Part, draw, session
from explorer.i18n import language, say, t
from explorer.payoffs import payoff
from explorer.scenarios import ORDER, Show

PAYOFF = "payoff"  # the container holding what a step shows: tests check it is above the fold


# Callbacks and the clicker read the session first, then move the show in plain Python: every
# session access is a point where Streamlit may stop a run for a newer one (a press pressed meanwhile).
def _forward() -> None:
    show, lang = session("stage_show", Show), language()
    show.forward(partial(say, lang))


def _back() -> None:
    show, lang = session("stage_show", Show), language()
    show.back(partial(say, lang))


def _restart() -> None:
    session("stage_show", Show).restart()


def _pick(name: str) -> None:
    session("stage_show", Show).pick(name)


def _apply_presses(show: Show) -> None:
    """The clicker's presses since the last run, all of them, before anything is drawn."""
    lang, sent = language(), clicker.pressed()
    # From here to clicker.mount: no session access, no element (see clicker.unapplied).
    moves, show.presses = clicker.unapplied(sent, show.presses)
    words = partial(say, lang)
    while moves > 0 and show.forward(words):
        moves -= 1
    while moves < 0 and show.back(words):
        moves += 1


def _frame(show: Show) -> broadcast.Frame:
    """What the phones see: this step, drawn once on a phone's canvas, in the presenter's language."""
    lang, steps = language(), show.steps
    parts = payoff(show, lang, presenter.PHONE, blocks=3)
    return broadcast.Frame(
        scenario=show.scenario, done=show.done, total=len(steps), lang=lang,
        heading=t(f"stage.name.{show.scenario}"),
        step=t(steps[show.done - 1].title) if show.done else "",
        parts=tuple(parts), coming=t(steps[show.done].title) if not show.finished else "")


def _publish(show: Show) -> None:
    if not (broadcast.may_publish() and st.session_state.get("stage_on_air", True)):
        return
    latest = broadcast.board().latest()
    here = (show.scenario, show.done, language())
    if latest is None or (latest.scenario, latest.done, latest.lang) != here:
        broadcast.board().publish(_frame(show))


def _qr_view() -> None:
    """The QR code and the address phones open, as big as the fold allows."""
    typed = str(st.session_state.get("stage_audience_url") or "")
    url = "".join(typed.split()).replace("`", "")[:200] or audience.audience_url()  # one code span, no markup
    if not url:
        st.warning(t("stage.audience_no_network"))
        return
    left, right = st.columns([1, 2], vertical_alignment="center")
    with left:
        st.markdown(audience.qr_svg(url, "100%"), unsafe_allow_html=True)
    with right:
        st.markdown(f"### {t('stage.audience_title')}")
        st.markdown(f"## `{url}`")
        st.caption(t("stage.audience_scan"))
        if not audience.listens_on_lan():
            st.warning(t("stage.audience_local_only"))


def _audience_settings() -> None:
    with st.expander(t("stage.audience_title")):
        if broadcast.may_publish():
            st.toggle(t("stage.on_air"), value=True, key="stage_on_air", help=t("stage.on_air_help"))
        else:
            st.caption(t("stage.follower"))
        st.text_input(t("stage.audience_url"), value=audience.audience_url() or "", key="stage_audience_url")
        if not audience.listens_on_lan():
            st.warning(t("stage.audience_local_only"))


def render() -> None:
    show = session("stage_show", Show)
    _apply_presses(show)  # no element is drawn before the presses are applied
    clicker.mount(show.presses)
    st.title(t("stage.title"))
    steps = show.steps
    at_start = show.done == 0 and show.scenario == ORDER[0]
    at_end = show.finished and show.scenario == ORDER[-1]
    with st.container(horizontal=True, vertical_alignment="center"):
        # The scenarios as buttons in a pop-over, not a select box: a browser still showing the old
        # scenario while a press reruns the page would send that old choice back; a button sends
        # only what is clicked.
        with st.popover(t(f"stage.name.{show.scenario}"), key="stage_pick"):
            for name in ORDER:
                st.button(t(f"stage.name.{name}"), key=f"stage_go_{name}", on_click=_pick, args=(name,),
                          type="primary" if name == show.scenario else "secondary", width="stretch")
        st.button(t("stage.back"), disabled=at_start, on_click=_back)
        st.button(t("stage.next"), type="primary", disabled=at_end, on_click=_forward)
        st.button(t("stage.restart"), on_click=_restart)
        st.toggle(t("stage.qr"), key="stage_qr")
        st.progress(show.done / len(steps), text=t("stage.progress", done=show.done, total=len(steps)))
    if show.done:  # what the room should notice, as big as a heading
        st.markdown(f"### {show.done}. {t(steps[show.done - 1].title)}")
    parts: list[Part] = payoff(show, language(), presenter.canvas())
    with st.container(key=PAYOFF):
        if st.session_state.get("stage_qr") or at_start:
            _qr_view()
        draw(parts)
        if show.done == 0:
            st.info(t("stage.start", title=t(steps[0].title)))
        elif at_end:
            st.success(t("stage.the_end"))
    _publish(show)
    if show.done and not show.finished:
        st.caption(t("stage.coming", title=t(steps[show.done].title)))
    st.caption(t("stage.keys_hint"))
    _audience_settings()


if __name__ == "__main__":  # run as a page by st.navigation
    render()
