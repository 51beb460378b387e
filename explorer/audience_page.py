"""The audience page, on phones: read-only, it follows the presenter's scenario and step live.

A fragment asks the shared board (explorer.broadcast) for the latest frame every second and draws
it in the presenter's language; the rest of the page never reruns, and nothing here can change the
show. Sized for a phone: no sidebar, pictures on a phone's canvas, words about 17 px and up."""

from __future__ import annotations

import json

import streamlit as st

from explorer import broadcast
from explorer.common import draw
from explorer.i18n import say, t

PHONE_CSS = """
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stStatusWidget"] { display: none; }
[data-testid="stMainBlockContainer"] { padding: 0.8rem 0.9rem 2rem !important; max-width: 52rem; }
"""


@st.fragment(run_every=broadcast.REFRESH_SECONDS)
def follow() -> None:
    """The latest frame; the same frame is drawn again as it was (Streamlit sends only what changed)."""
    frame = broadcast.board().latest()
    if frame is None:
        st.info(t("audience.waiting"))
        return
    lang = frame.lang
    # The page's language is the presenter's, whatever this phone's session chose (see common.sidebar).
    st.html(f"<script>document.documentElement.lang = {json.dumps(say(lang, 'html.lang'))};"
            "document.querySelectorAll('[data-testid=\"stSkipToContent\"]').forEach("
            f"link => {{ link.textContent = {json.dumps(say(lang, 'html.skip'))}; }});</script>",
            unsafe_allow_javascript=True)
    st.caption(f"{say(lang, 'audience.follows')} · {frame.heading}")
    st.progress(frame.done / max(frame.total, 1), text=say(lang, "stage.progress", done=frame.done,
                                                            total=frame.total))
    if frame.step:
        st.markdown(f"### {frame.done}. {frame.step}")
    with st.container(key="audience_frame"):
        draw(frame.parts)
    if frame.coming:
        st.caption(say(lang, "stage.coming", title=frame.coming))


def render() -> None:
    st.html(f"<style>{PHONE_CSS}</style>")
    follow()


if __name__ == "__main__":  # run as a page by st.navigation
    render()
