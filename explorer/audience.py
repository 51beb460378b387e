"""How phones find the audience page: its address on the hall's network, and a QR code of it made
here (segno: no service asked, nothing fetched), big enough to scan from the middle of the hall."""

from __future__ import annotations

import html

import segno
import streamlit as st

from explorer.broadcast import lan_addresses

PATH = "audience"  # the page's url_path: http://<laptop>:<port>/audience
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def listens_on_lan() -> bool:
    """False when the server only listens on loopback (`--server.address 127.0.0.1`): phones cannot
    reach it, whatever address the page shows."""
    return str(st.get_option("server.address") or "0.0.0.0") not in LOOPBACK


def audience_url() -> str | None:
    """http://<this machine's LAN address>:<port>/audience, or None without a LAN address."""
    addresses = lan_addresses()
    if not addresses:
        return None
    return f"http://{addresses[0]}:{st.get_option('server.port')}/{PATH}"


def qr_svg(url: str, size: str = "14rem") -> str:
    """`url` as a QR code (error correction M: still reads with a little glare), `size` wide."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=1, omitsize=True, border=2)
    svg = svg.replace("<svg ", '<svg style="width:100%;height:auto;display:block" ', 1)
    return f'<div class="mc-qr" style="width:{size};max-width:100%" title="{html.escape(url)}">{svg}</div>'
