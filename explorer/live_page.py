"""Page 7: the real nodes of `make demo` (or any URLs): status, blocks, mempool, balances, and a
transfer from the faucet.

The node table refreshes itself every 2 s in a fragment, so typing an address or a transfer reruns
only its own part of the page, never every request. Every request has a short timeout and the nodes
are asked in parallel, so a dead node costs one timeout, never a frozen page. A node's answers are
data from outside: each field is checked for its type and shown as text (common.table), so a node
cannot make the page render Markdown or fetch an image."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import streamlit as st

from explorer.common import refusal, table
from explorer.i18n import t
from minichain import (
    MalformedData,
    MinichainError,
    Wallet,
    require_hex,
    require_int,
    require_list,
    require_str,
)
from minichain.net.load import send_transfer

DEFAULT_NODES = "\n".join(f"http://127.0.0.1:{8700 + i}" for i in range(4))
DEFAULT_FAUCET = "demo-data/net/keys/faucet.key"
TIMEOUT = httpx.Timeout(1.0, connect=0.5)
REFRESH_SECONDS = 2.0
LATEST_BLOCKS = 8


@st.cache_resource
def _client() -> httpx.Client:
    """One connection pool for every session (httpx.Client is thread-safe)."""
    return httpx.Client(timeout=TIMEOUT)


@st.cache_resource
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=16, thread_name_prefix="live-fetch")


def fetch(url: str) -> Any:
    """The JSON a node answers at `url`, or None (down, slow, an error status, not JSON)."""
    try:
        response = _client().get(url)
        return response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None


def fetch_all(urls: list[str]) -> list[Any]:
    return list(_pool().map(fetch, urls))


@dataclass(frozen=True)
class Status:
    node_id: str
    height: int
    tip: str  # hex
    peers: int
    mempool: int


def parse_status(data: Any) -> Status | None:
    """A node's /status, or None if any field is not what a minichain node sends."""
    if not isinstance(data, dict):
        return None
    try:
        return Status(
            require_str(data, "node_id", "status", 128),
            require_int(data, "height", "status"),
            require_hex(data, "tip", "status", 32).hex(),
            len(require_list(data, "peers", "status", 10_000)),
            require_int(data, "mempool_size", "status"),
        )
    except (KeyError, MalformedData):
        return None


def block_row(height: int, data: Any) -> dict[str, object]:
    try:
        header = data["header"]
        return {
            t("net.col_height"): height,
            t("live.col_hash"): require_hex(data, "hash", "block", 32).hex()[:16],
            t("live.col_txs"): len(require_list(data, "transactions", "block", 100_000)),
            t("live.col_by"): require_str(header, "beneficiary", "block.header", 64)[:12] + "…",
        }
    except (KeyError, TypeError, MalformedData):
        return {t("net.col_height"): height, t("live.col_hash"): t("live.invalid")}


@st.fragment(run_every=REFRESH_SECONDS)
def nodes_view(urls: list[str]) -> None:
    """The table of nodes and the chosen node's latest blocks, refreshed every REFRESH_SECONDS."""
    answers = fetch_all([f"{url}/status" for url in urls])
    statuses = {url: parse_status(answer) for url, answer in zip(urls, answers, strict=True)}
    rows: list[dict[str, object]] = []
    for url, answer in zip(urls, answers, strict=True):
        status = statuses[url]
        if status is None:
            state = t("live.down") if answer is None else t("live.invalid")
            rows.append({t("live.col_node"): url, t("live.col_state"): state})
        else:
            rows.append({
                t("live.col_node"): f"{status.node_id} ({url})",
                t("live.col_state"): t("live.up"),
                t("net.col_height"): status.height,
                t("net.col_tip"): status.tip[:12],
                t("net.col_peers"): status.peers,
                t("net.col_mempool"): status.mempool,
            })
    table(rows, code=[t("net.col_tip")])
    alive = [url for url, status in statuses.items() if status is not None]
    if not alive:
        st.warning(t("live.none_up"))
        return
    node = st.selectbox(t("live.node"), alive, key="live_node")
    status = statuses[node]
    if status is None:
        return
    tips = {s.tip for s in statuses.values() if s is not None}
    (st.success if len(tips) == 1 else st.warning)(t("live.agree" if len(tips) == 1 else "live.disagree"))
    st.subheader(t("live.blocks"))
    heights = list(range(status.height, max(-1, status.height - LATEST_BLOCKS), -1))
    blocks = fetch_all([f"{node}/blocks/{height}" for height in heights])
    table([block_row(h, b) for h, b in zip(heights, blocks, strict=True) if b is not None],
          code=[t("live.col_hash"), t("live.col_by")])
    mempool = fetch(f"{node}/mempool")
    size = mempool.get("size") if isinstance(mempool, dict) else None
    st.write(t("live.mempool", size=size if isinstance(size, int) and not isinstance(size, bool) else 0))


@st.fragment
def balance_view() -> None:
    """Asks the chosen node for one address when the address changes (Enter), and only then."""
    address = st.text_input(t("live.balance_of"), key="live_address")
    node = st.session_state.get("live_node")
    if not address or not node:
        return
    account = fetch(f"{node}/accounts/{address}")
    try:
        balance = require_int(account, "balance", "account")
        nonce = require_int(account, "nonce", "account")
    except (KeyError, TypeError, MalformedData):
        st.write(t("live.bad_address"))
        return
    st.write(t("live.balance", balance=balance, nonce=nonce))


@st.fragment
def send_view() -> None:
    """A form: typing reruns nothing; Send signs with the faucet's key and submits to the node."""
    st.subheader(t("live.send_title"))
    with st.form("live_send", border=False):
        key_path = st.text_input(t("live.faucet_key"), DEFAULT_FAUCET, key="live_key")
        to = st.text_input(t("live.to"), key="live_to")
        amount = st.number_input(t("tx.amount"), 1, 10**9, 10, key="live_amount")
        submitted = st.form_submit_button(t("live.send"), type="primary")
    node = st.session_state.get("live_node")
    if submitted and to and node:
        try:
            tx = send_transfer(node, Wallet.load(Path(key_path)), to, int(amount), 1)
            st.success(t("live.sent", txid=tx.txid.hex()[:16]))
        except MinichainError as error:
            st.error(refusal(error))


def render() -> None:
    st.title(t("live.title"))
    st.write(t("live.intro"))
    urls = [
        u.strip().rstrip("/")
        for u in st.text_area(t("live.urls"), DEFAULT_NODES, key="live_urls").splitlines()
        if u.strip()
    ]
    nodes_view(urls)
    balance_view()
    send_view()


if __name__ == "__main__":  # run as a page by st.navigation
    render()
