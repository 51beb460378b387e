"""The presenter's one key: → or PageDown (what a clicker sends) plays the next step, ← or PageUp
goes back, without touching the mouse. A Streamlit component (st.components.v2, in the page itself,
no iframe) listens to the keyboard and sends the running total of presses; `moves` turns it into
the presses not yet applied. A total, not events: presses made during a rerun arrive in the next
total, none lost, none applied twice."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import streamlit as st

_COMPONENT = st.components.v2.component(
    "minichain_clicker",
    js=(Path(__file__).with_name("clicker.js")).read_text(encoding="utf-8"),
    css=".mc-clicker { position: fixed; right: 1.2rem; bottom: 1rem; z-index: 1000; font-size: 1.6rem;"
        " color: #1565c0; background: #ffffffd0; padding: 0.1rem 0.6rem; border-radius: 0.4rem; }",
    isolate_styles=False,
)
KEY = "stage_clicker"  # the component's own state: {"presses": {"mount": id, "count": total}}
APPLIED = "stage_presses"  # session key: (mount id, presses already applied)


def moves() -> int:
    """Presses not yet applied: positive for next, negative for back (0 if none), marked as applied.
    Read from the session before any element is drawn: the caller applies them all, then calls
    `mount` (a rerun can only begin at an element, so no press is half applied)."""
    mount, applied = st.session_state.get(APPLIED, ("", 0))
    state = st.session_state.get(KEY)
    presses = state.get("presses") if isinstance(state, Mapping) else None
    if not isinstance(presses, Mapping) or type(presses.get("count")) is not int:
        return 0
    seen_mount, count = str(presses.get("mount", ""))[:32], int(presses["count"])
    base = applied if seen_mount == mount else 0  # a new page load counts from zero
    st.session_state[APPLIED] = (seen_mount, count)
    return count - base


def mount() -> None:
    """The keyboard listener, told how many presses are applied (its mark shows those that are not)."""
    mount_id, applied = st.session_state.get(APPLIED, ("", 0))
    _COMPONENT(key=KEY, data={"mount": mount_id, "applied": applied}, on_presses_change=lambda: None,
               height=0)
