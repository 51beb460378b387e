"""What every page shares: the sidebar (language, presenter mode), per-session state, pictures."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from explorer.i18n import LANGUAGES, t

T = TypeVar("T")

PRESENTER_CSS = """
<style>
html, body, [class*="st-"], .stMarkdown p, .stButton button, label { font-size: 1.35rem !important; }
h1 { font-size: 3rem !important; } h2 { font-size: 2.3rem !important; } h3 { font-size: 1.9rem !important; }
.stButton button { padding: 0.6rem 1.4rem !important; }
</style>
"""


def session(key: str, factory: Callable[[], T]) -> T:
    """This browser session's own object under `key`, made on first use."""
    if key not in st.session_state:
        st.session_state[key] = factory()
    value: T = st.session_state[key]
    return value


def sidebar() -> None:
    with st.sidebar:
        st.radio(
            t("sidebar.language"),
            list(LANGUAGES),
            key="lang",
            format_func=lambda code: LANGUAGES[code],
            horizontal=True,
        )
        st.toggle(t("sidebar.presenter"), key="presenter", help=t("sidebar.presenter_help"))
    if st.session_state.get("presenter"):
        st.markdown(PRESENTER_CSS, unsafe_allow_html=True)


def show_svg(svg: str, caption: str = "") -> None:
    """Inline SVG (scrolls sideways when wider than the page)."""
    st.markdown(f'<div class="mc-svg" style="overflow-x:auto">{svg}</div>', unsafe_allow_html=True)
    if caption:
        st.caption(caption)


def verdict(ok: bool, good: str, bad: str) -> None:
    if ok:
        st.success(good)
    else:
        st.error(bad)
