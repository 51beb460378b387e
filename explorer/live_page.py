"""Page 7: the real nodes of `make demo` (or any URLs): status, blocks, mempool, balances, and a
transfer from the faucet. Every request has a short timeout, so a dead node never freezes the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import streamlit as st

from explorer.i18n import t
from minichain.errors import MinichainError
from minichain.net.load import send_transfer
from minichain.wallet import Wallet

DEFAULT_NODES = "\n".join(f"http://127.0.0.1:{8700 + i}" for i in range(4))
DEFAULT_FAUCET = "demo-data/net/keys/faucet.key"
TIMEOUT = httpx.Timeout(1.0, connect=0.5)


def fetch(url: str) -> Any:
    try:
        response = httpx.get(url, timeout=TIMEOUT)
        return response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None


def render() -> None:
    st.title(t("live.title"))
    st.write(t("live.intro"))
    urls = [
        u.strip().rstrip("/")
        for u in st.text_area(t("live.urls"), DEFAULT_NODES, key="live_urls").splitlines()
        if u.strip()
    ]
    st.button(t("live.refresh"))
    statuses = {url: fetch(f"{url}/status") for url in urls}
    rows: list[dict[str, object]] = []
    for url, status in statuses.items():
        if status is None:
            rows.append({t("live.col_node"): url, t("live.col_state"): t("live.down")})
        else:
            rows.append(
                {
                    t("live.col_node"): f"{status['node_id']} ({url})",
                    t("live.col_state"): t("live.up"),
                    t("net.col_height"): status["height"],
                    t("net.col_tip"): status["tip"][:12],
                    t("net.col_peers"): len(status["peers"]),
                    t("net.col_mempool"): status["mempool_size"],
                }
            )
    st.dataframe(rows, hide_index=True)
    alive = [url for url, status in statuses.items() if status is not None]
    if not alive:
        st.warning(t("live.none_up"))
        return
    node = st.selectbox(t("live.node"), alive, key="live_node")
    status = statuses[node]
    tips = {s["tip"] for s in statuses.values() if s is not None}
    (st.success if len(tips) == 1 else st.warning)(t("live.agree" if len(tips) == 1 else "live.disagree"))
    st.subheader(t("live.blocks"))
    blocks = []
    for height in range(status["height"], max(-1, status["height"] - 8), -1):
        block = fetch(f"{node}/blocks/{height}")
        if block is not None:
            blocks.append(
                {
                    t("net.col_height"): height,
                    "hash": block["hash"][:16],
                    "txs": len(block["transactions"]),
                    t("live.col_by"): block["header"]["beneficiary"][:12] + "…",
                }
            )
    st.dataframe(blocks, hide_index=True)
    mempool = fetch(f"{node}/mempool") or {"size": 0, "transactions": []}
    st.write(t("live.mempool", size=mempool["size"]))
    address = st.text_input(t("live.balance_of"), key="live_address")
    if address:
        account = fetch(f"{node}/accounts/{address}")
        st.write(
            t("live.balance", balance=account["balance"], nonce=account["nonce"])
            if account
            else t("live.bad_address")
        )
    st.subheader(t("live.send_title"))
    key_path = st.text_input(t("live.faucet_key"), DEFAULT_FAUCET, key="live_key")
    to = st.text_input(t("live.to"), key="live_to")
    amount = st.number_input(t("tx.amount"), 1, 10**9, 10, key="live_amount")
    if st.button(t("live.send"), type="primary", disabled=not to):
        try:
            tx = send_transfer(node, Wallet.load(Path(key_path)), to, int(amount), 1)
            st.success(t("live.sent", txid=tx.txid.hex()[:16]))
        except MinichainError as error:
            st.error(f"[{error.rule}] {error}")


if __name__ == "__main__":  # run as a page by st.navigation
    render()
