"""minichain explorer: `streamlit run streamlit_app.py`. A thin entry: navigation over explorer/."""

from __future__ import annotations

import streamlit as st

from explorer.common import sidebar
from explorer.i18n import t

st.set_page_config(page_title="minichain", page_icon="⛓", layout="wide")
st.session_state.setdefault("lang", "en")

PAGES = ["hash", "blocks", "distributed", "transactions", "keys", "coinbase", "merkle", "network",
         "consensus", "bft", "live", "contracts", "stage"]

pages = [
    st.Page(f"explorer/{name}_page.py", title=t(f"page.{name}"), url_path=name, default=index == 0)
    for index, name in enumerate(PAGES)
]
# Phones open /audience from the stage's QR code; it is not in the menu (it follows, it teaches nothing).
audience = st.Page("explorer/audience_page.py", title=t("audience.page_title"), url_path="audience")
# The menu is drawn by sidebar(), below the language switch and presenter toggle, so that those
# two stay above the fold on a 720-line projector.
navigation = st.navigation([*pages, audience], position="hidden")
sidebar(pages)  # here, not in the pages: widgets of the entry script keep their state across pages
navigation.run()
