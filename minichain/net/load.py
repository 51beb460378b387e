"""Clients of a running node: send one transfer, or generate load and measure commit latency.

The load generator signs every transfer first, then submits them in batches at the requested
rate and watches new blocks for its transaction ids, so each transfer's submit-to-commit time is
measured on the node itself, not guessed.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

import httpx

from minichain.errors import MinichainError
from minichain.transactions import Transaction
from minichain.wallet import Wallet


class NodeError(MinichainError):
    """Thrown when a node cannot be reached or refuses a request."""

    rule = "node"


def _check(response: httpx.Response) -> Any:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code >= 400:
        detail = body.get("detail", response.text[:200]) if isinstance(body, dict) else response.text
        error = NodeError(f"HTTP {response.status_code}: {detail}")
        error.rule = body.get("rule", "node") if isinstance(body, dict) else "node"
        raise error
    return body


def send_transfer(node: str, wallet: Wallet, to: str, amount: int, fee: int, memo: str = "") -> Transaction:
    """Sign a transfer with the node's next free nonce for `wallet` and submit it."""
    node = node.rstrip("/")
    try:
        with httpx.Client(timeout=10.0) as client:
            status = _check(client.get(f"{node}/status"))
            account = _check(client.get(f"{node}/accounts/{wallet.address}"))
            tx = wallet.transfer(status["chain_id"], to, amount, account["pending_nonce"], fee=fee, memo=memo)
            _check(client.post(f"{node}/transactions", json=tx.to_json()))
    except httpx.HTTPError as error:
        raise NodeError(f"cannot reach {node}: {error}") from None
    return tx


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def commit_summary(submitted: dict[str, float], committed: dict[str, float]) -> dict[str, Any]:
    """One node's view of a load run: how many of the `submitted` ids (txid -> time sent) it
    `committed` (txid -> time its block was first seen there); `tps`, the transfers committed
    from the first submission to the last commit; `commit_tps`, the rate at which its blocks
    committed them (those after its first load block, over the time from that block to its last
    one: the throughput without the pipeline's latency, which the percentiles report).
    Both are 0.0 when they cannot be measured (nothing committed; a single block)."""
    latencies = [committed[t] - submitted[t] for t in committed if t in submitted]
    span = (max(committed.values()) - min(submitted.values())) if committed and submitted else 0.0
    times = sorted(committed[t] for t in committed if t in submitted)
    window = times[-1] - times[0] if times else 0.0
    after_first_block = sum(1 for when in times if when > times[0])
    return {
        "committed": len(latencies),
        "tps": round(len(latencies) / span, 1) if span > 0 else 0.0,
        "commit_tps": round(after_first_block / window, 1) if window > 0 else 0.0,
        "p50_commit_s": round(statistics.median(latencies), 3) if latencies else 0.0,
        "p95_commit_s": round(_percentile(latencies, 0.95), 3),
    }


async def _load(node: str, wallet: Wallet, count: int, rate: float | None, timeout: float,
                watch: Sequence[str] = (), make_tx: MakeTx | None = None) -> dict[str, Any]:
    nodes = [node, *(url.rstrip("/") for url in watch if url.rstrip("/") != node)]
    limits = httpx.Limits(max_connections=8 + 2 * len(nodes))
    async with httpx.AsyncClient(timeout=30.0, limits=limits) as client:
        status = _check(await client.get(f"{node}/status"))
        account = _check(await client.get(f"{node}/accounts/{wallet.address}"))
        heights = [_check(await client.get(f"{url}/status"))["height"] for url in nodes]
        recipients = [Wallet.from_seed(f"load-recipient-{i}", wallet.suite_name).address for i in range(64)]
        first_nonce = account["pending_nonce"]
        if make_tx is None:
            txs = [wallet.transfer(status["chain_id"], recipients[i % 64], 1, first_nonce + i, fee=1)
                   for i in range(count)]
        else:
            txs = [make_tx(status["chain_id"], first_nonce + i, i) for i in range(count)]
        submitted: dict[str, float] = {}
        seen: dict[str, dict[str, float]] = {url: {} for url in nodes}  # node -> txid -> committed at
        rejected: dict[str, int] = {}
        submit_span = [0.0]  # seconds from the first submission to the last
        done_submitting = asyncio.Event()

        async def submit() -> None:
            batch_size = max(1, int(rate / 20)) if rate else 500
            interval = batch_size / rate if rate else 0.0
            started = time.perf_counter()
            for index in range(0, len(txs), batch_size):
                batch = txs[index:index + batch_size]
                sent_at = time.time()
                for tx in batch:  # before the request: a block may include it before we hear back
                    submitted[tx.txid.hex()] = sent_at
                body = _check(await client.post(f"{node}/transactions/batch",
                                                json=[tx.to_json() for tx in batch]))
                for tx, result in zip(batch, body["results"], strict=True):
                    if "txid" not in result:
                        del submitted[tx.txid.hex()]
                        rejected[result["rule"]] = rejected.get(result["rule"], 0) + 1
                if interval:
                    delay = started + (index // batch_size + 1) * interval - time.perf_counter()
                    if delay > 0:
                        await asyncio.sleep(delay)
            submit_span[0] = time.perf_counter() - started
            done_submitting.set()

        async def follow(url: str, height: int) -> None:
            committed = seen[url]
            hashes: dict[int, str] = {}  # height -> hash of the block read there
            deadline = time.time() + timeout
            while time.time() < deadline:
                # Ask for the next block itself: one request a poll (404 until it exists), not a
                # /status and then the block; the nodes under test serve every poll.
                response = await client.get(f"{url}/blocks/{height + 1}")
                if response.status_code != 404:
                    block = _check(response)
                    seen_at = time.time()
                    if height in hashes and block["header"]["parent_hash"] != hashes[height]:
                        height -= 1  # the node switched branch (a fork): read back to where they meet
                        continue
                    height += 1
                    hashes[height] = block["hash"]
                    for tx in block["transactions"]:
                        if tx["txid"] in submitted and tx["txid"] not in committed:
                            committed[tx["txid"]] = seen_at
                    continue
                if done_submitting.is_set() and len(committed) >= len(submitted):
                    return
                await asyncio.sleep(0.05)

        await asyncio.gather(submit(), *(follow(url, h) for url, h in zip(nodes, heights, strict=True)))
    result: dict[str, Any] = {"sent": len(submitted), **commit_summary(submitted, seen[node]),
                              "rejected": rejected, "submit_s": round(submit_span[0], 3)}
    if watch:
        result["nodes"] = {url: commit_summary(submitted, seen[url]) for url in nodes}
    return result


# (chain id, nonce, index) -> a signed transaction of the load's sender with that nonce
MakeTx = Callable[[str, int, int], Transaction]


def run_load(node: str, wallet: Wallet, count: int, rate: float | None = None,
             timeout: float | None = None, watch: Sequence[str] = (),
             make_tx: MakeTx | None = None) -> dict[str, Any]:
    """Submit `count` signed transfers and wait until the node has committed them all (or the
    timeout passes). Returns {sent, committed, tps, commit_tps, p50_commit_s, p95_commit_s,
    rejected, submit_s} (see commit_summary). With `watch` (other nodes' URLs) also "nodes":
    {url: summary} for `node` and each watched node, each timed by when its own blocks showed
    the transfers. `make_tx`: what to send instead of 1-coin transfers (contract calls, say),
    signed by `wallet` with the nonce it is given."""
    limit = timeout if timeout is not None else 60.0 + (count / rate if rate else count / 200)
    try:
        return asyncio.run(_load(node.rstrip("/"), wallet, count, rate, limit, watch, make_tx))
    except httpx.HTTPError as error:
        raise NodeError(f"cannot reach {node}: {error}") from None
