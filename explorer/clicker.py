"""The presenter's one key: → or PageDown (what a clicker sends) plays the next step, ← or PageUp
goes back, without touching the mouse. A Streamlit component (st.components.v2, in the page itself,
no iframe) listens to the keyboard and sends the running total of presses; `moves` turns it into
the presses not yet applied. A total, not events: presses made during a rerun arrive in the next
total, none lost, none applied twice (`unapplied`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import streamlit as st

_JS = Path(__file__).with_name("clicker.js").read_text(encoding="utf-8")
_CSS = (".mc-clicker { position: fixed; right: 1.2rem; bottom: 1rem; z-index: 1000; font-size: 1.6rem;"
        " color: #1565c0; background: #ffffffd0; padding: 0.1rem 0.6rem; border-radius: 0.4rem; }")


def _component() -> Callable[..., object]:
    """The component, registered with the runtime that runs this script (as a page registers its own
    on every run: a registration made once at import belongs to whichever runtime imported it)."""
    return st.components.v2.component("minichain_clicker", js=_JS, css=_CSS, isolate_styles=False)


KEY = "stage_clicker"  # the component's own state: {"presses": {"mount": id, "count": total}}


def pressed() -> object:
    """What the component last sent ({"presses": {"mount": id, "count": total}}), or None."""
    return st.session_state.get(KEY)


def unapplied(sent: object, applied: tuple[str, int]) -> tuple[int, tuple[str, int]]:
    """The presses in `sent` not yet in `applied` (positive: next, negative: back), and what is
    applied once they are. Pure: the caller keeps `applied` next to what it moves (the show), and
    applies the presses before touching the session again (every session access, like every
    element, is where Streamlit may end a run for a newer one: a press would be lost or doubled)."""
    presses = sent.get("presses") if isinstance(sent, Mapping) else None
    if not isinstance(presses, Mapping) or type(presses.get("count")) is not int:
        return 0, applied
    mount, count = str(presses.get("mount", ""))[:32], int(presses["count"])
    base = applied[1] if mount == applied[0] else 0  # a new page load counts from zero
    return count - base, (mount, count)


def mount(applied: tuple[str, int]) -> None:
    """The keyboard listener, told how many presses are applied (its mark shows those that are not)."""
    _component()(key=KEY, data={"mount": applied[0], "applied": applied[1]},
                 on_presses_change=lambda: None, height=0)
