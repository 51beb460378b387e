"""Presenter mode: the explorer on a projector, readable from the back row of a 300-seat hall.

Streamlit sizes everything it draws in rem, so one rule scales it all: the root font follows the
screen's width (1.25 vw, never below 18 px: 24 px at 1920x1080, 18 px at 1280x720). Headings are
capped so that a step's payoff still fits above the fold, the header shrinks to what its buttons
need, and pictures are drawn on a `Canvas` that fills the column with words about 1/46 of its width.
A broad rule such as `[class*="st-"] {font-size: ...}` must not come back: Streamlit's own classes
wrap titles and metric values, and it would shrink exactly what should be biggest.
"""

from __future__ import annotations

import streamlit as st

from explorer.i18n import language
from minichain.viz import Canvas

ROOT_FONT = "max(18px, 1.25vw)"
# 960 units wide, words 21 units high: 19.7 px in the 902 px column of a 1280 px screen (sidebar
# open, 18rem), 30 px in the 1416 px column of a 1920 px one.
CANVAS = Canvas(width=960, text=21)
# A phone on the audience page: 480 units in a ~360 px column, words about 17 px, three blocks a row.
PHONE = Canvas(width=480, text=22)

# Always on: the explorer's own elements (tables of node data, pictures), in rem so they scale too.
BASE_CSS = """
table.mc-table { border-collapse: collapse; font-size: 1rem; margin: 0.2rem 0 1rem; }
table.mc-table th, table.mc-table td { padding: 0.25em 0.9em 0.25em 0; border-bottom: 1px solid #e0e0e0;
  text-align: left; vertical-align: top; white-space: nowrap; }
table.mc-table th { font-weight: 600; color: #424242; }
table.mc-table td.mc-code { font-family: 'DejaVu Sans Mono', 'Noto Sans Mono CJK SC', monospace; }
table.mc-table td.mc-long { white-space: normal; word-break: break-all; }
.mc-svg { overflow-x: auto; margin: 0.2rem 0 0.6rem; }
"""

PRESENTER_CSS = f"""
html {{ font-size: {ROOT_FONT} !important; }}
[data-testid="stHeader"] {{ height: 2.4rem !important; min-height: 0 !important; background: transparent; }}
[data-testid="stMainBlockContainer"] {{ padding: 2.4rem 1.5rem 3rem !important; max-width: none !important; }}
h1 {{ font-size: 2.1rem !important; padding: 0 0 0.5rem !important; }}
h2 {{ font-size: 1.7rem !important; }}
h3 {{ font-size: 1.35rem !important; padding: 0.4rem 0 0.3rem !important; }}
[data-testid="stWidgetLabel"] p, [data-testid="stCaptionContainer"] {{ font-size: 0.95rem !important; }}
[data-testid="stMetricLabel"] p {{ font-size: 1rem !important; }}
[data-testid="stMetricValue"] {{ font-size: 2.25rem !important; }}
code, pre, [data-testid="stCode"] * {{ font-size: 0.95rem !important; }}
.stButton button p {{ white-space: nowrap; }}
/* widgets' own words are 0.875rem: on a projector they are read as text like any other */
[data-testid="stRadioOption"] p, [data-testid="stPageLink-NavLink"] p, [data-testid="stProgress"] p,
[data-testid="stBaseButton-primary"] p, [data-testid="stBaseButton-secondary"] p,
[data-testid="stFormSubmitButton"] p, [data-testid="stExpander"] summary p,
[data-testid="stTab"] p {{ font-size: 1rem !important; }}
[data-testid="stSidebar"] {{ width: 18rem !important; min-width: 18rem !important; }}
/* eleven pages and the two switches fit one 720-line screen: no scrolling to reach the stage */
[data-testid="stSidebarHeader"] {{ height: 2rem !important; min-height: 0 !important;
  padding-top: 0.3rem !important; margin-bottom: 0 !important; }}
[data-testid="stSidebarUserContent"] {{ padding-top: 0 !important; padding-bottom: 0.5rem !important; }}
[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"] {{ padding-top: 0 !important;
  padding-bottom: 0 !important; min-height: 0 !important; line-height: 1.55 !important; }}
[data-testid="stSidebar"] hr {{ margin: 0.4rem 0 !important; }}
[data-testid="stSliderThumbValue"], [data-testid="stSliderTickBar"] {{ font-size: 1rem !important; }}
[data-testid="stButtonGroup"] button p, [data-testid="stPopover"] button p, [data-baseweb="select"] div,
[data-testid="stNumberInputField"],
[data-testid="stTextInputRootElement"] input, [data-testid="stTextArea"] textarea {{
  font-size: 1rem !important; }}
"""

# Streamlit's "Running... Stop" is English and chrome: on a projector or a Chinese page the page's
# own dimming while it reruns says enough.
QUIET_CSS = """
[data-testid="stStatusWidget"] { visibility: hidden; }
"""


def on() -> bool:
    """Is presenter mode switched on in this session?"""
    return bool(st.session_state.get("presenter"))


def canvas() -> Canvas | None:
    """The canvas pictures are drawn on: the projector's in presenter mode, else natural size."""
    return CANVAS if on() else None


def apply_styles() -> None:
    """The style sheet for this run (a style-only st.html takes no room on the page)."""
    quiet = on() or language() != "en"
    st.html(f"<style>{BASE_CSS}{PRESENTER_CSS if on() else ''}{QUIET_CSS if quiet else ''}</style>")
