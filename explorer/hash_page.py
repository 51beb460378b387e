"""Page 1: type text, see SHA-256 and SM3 change with every key pressed, bit by bit (the avalanche
effect). The digests are computed in the browser (explorer/hasher.js: SubtleCrypto's SHA-256 and
SM3 in JavaScript), because a Streamlit text field only reports on Enter; a browser test proves
them equal to hashlib's."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import streamlit as st

from explorer import presenter
from explorer.i18n import picture_words, t
from minichain import viz

DEFAULT_TEXT = "minichain"
_HASHER = st.components.v2.component(
    "minichain_hasher",
    js=Path(__file__).with_name("hasher.js").read_text(encoding="utf-8"),
    css=""".mc-hasher-label { display: block; font-size: 0.875rem; margin-bottom: 0.25rem; }
.mc-hasher-input { width: 100%; box-sizing: border-box; font: inherit; font-size: 1rem;
  padding: 0.45rem 0.7rem; border: 1px solid #d5d5d9; border-radius: 0.5rem; background: #f0f2f6;
  margin-bottom: 0.4rem; }
.mc-hasher-input:focus { outline: 2px solid #ff4b4b; }
.mc-hasher-name { font-size: 1.35rem; font-weight: 600; margin: 0.6rem 0 0.2rem; padding: 0; }
.mc-hex { display: block; font-size: 0.95rem; overflow-wrap: anywhere; padding: 0.3rem 0.5rem;
  background: #f0f2f6; border-radius: 0.4rem; font-family: 'DejaVu Sans Mono', monospace; }
.mc-hasher-changed { margin: 0.3rem 0 0; font-size: 1rem; }""",
    isolate_styles=False,
)


def typed_text() -> str:
    """What was last typed in this session (the component reports it when typing pauses)."""
    state = st.session_state.get("hash_live")
    text = state.get("text") if isinstance(state, Mapping) else None
    if isinstance(text, str):
        st.session_state["hash_text"] = text[:2000]
    return str(st.session_state.get("hash_text", DEFAULT_TEXT))


def render() -> None:
    st.title(t("hash.title"))
    st.write(t("hash.intro"))
    canvas = presenter.canvas()
    words = picture_words() or {}
    _HASHER(key="hash_live", on_text_change=lambda: None, data={
        "key": "hash", "initial": typed_text(),
        "canvas": None if canvas is None else {"width": canvas.width, "text": canvas.text},
        "columns": 32 if canvas is None else 64,  # on a projector: 4 wide rows, both digests on one screen
        "words": {"input": t("hash.input"), "since": t("hash.changed", changed="{changed}", total="{total}",
                                                       previous="{previous}"),
                  "changed": words.get("avalanche.changed", viz.WORDS["avalanche.changed"])},
    })
    st.caption(t("hash.typing"))
    st.info(t("hash.lesson"))


if __name__ == "__main__":  # run as a page by st.navigation
    render()
