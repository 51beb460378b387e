"""The visual explorer and stage demo: one module per Streamlit page, rendering only.

Pages draw with minichain.viz and judge with minichain's own validators; nothing here decides
what is valid. All text comes from i18n.CATALOG (English and Simplified Chinese)."""
