"""Page 1: type text, see SHA-256 and SM3 change, bit by bit (the avalanche effect)."""

from __future__ import annotations

import hashlib

import streamlit as st

from explorer import presenter
from explorer.common import show_svg
from explorer.i18n import picture_words, t
from minichain import viz
from minichain.crypto import sm3


def render() -> None:
    st.title(t("hash.title"))
    st.write(t("hash.intro"))
    text = st.text_input(
        t("hash.input"), value=st.session_state.get("hash_text", "minichain"), key="hash_text"
    )
    previous = st.session_state.get("hash_previous", text)
    data, before = text.encode("utf-8"), previous.encode("utf-8")
    canvas = presenter.canvas()
    columns = 32 if canvas is None else 64  # on a projector: 4 wide rows, so both digests fit one screen
    for name, function in (("SHA-256", lambda b: hashlib.sha256(b).digest()), ("SM3", sm3)):
        now, then = function(data), function(before)
        st.subheader(name)
        st.code(now.hex(), language=None)
        if previous != text:
            result = viz.avalanche(then, now)
            st.write(t("hash.changed", changed=result.changed, total=result.total, previous=previous))
        show_svg(viz.avalanche_svg(then, now, columns=columns, title=name, words=picture_words(),
                                   canvas=canvas))
    st.session_state["hash_previous"] = text
    st.info(t("hash.lesson"))


if __name__ == "__main__":  # run as a page by st.navigation
    render()
