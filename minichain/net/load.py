"""Clients of a running node: send one transfer, or generate load and measure commit latency.

The load generator signs every transfer first, then submits them in batches at the requested
rate and watches new blocks for its transaction ids, so each transfer's submit-to-commit time is
measured on the node itself, not guessed.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

import httpx

from minichain.errors import MinichainError
from minichain.transactions import Transaction
from minichain.wallet import Wallet


class NodeError(MinichainError):
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


async def _load(node: str, wallet: Wallet, count: int, rate: float | None, timeout: float) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=8)
    async with httpx.AsyncClient(timeout=30.0, limits=limits) as client:
        status = _check(await client.get(f"{node}/status"))
        account = _check(await client.get(f"{node}/accounts/{wallet.address}"))
        recipients = [Wallet.from_seed(f"load-recipient-{i}", wallet.suite_name).address for i in range(64)]
        first_nonce = account["pending_nonce"]
        txs = [wallet.transfer(status["chain_id"], recipients[i % 64], 1, first_nonce + i, fee=1)
               for i in range(count)]
        submitted: dict[str, float] = {}
        committed: dict[str, float] = {}
        rejected: dict[str, int] = {}
        start_height = status["height"]
        done_submitting = asyncio.Event()

        async def submit() -> None:
            batch_size = max(1, int(rate / 20)) if rate else 500
            interval = batch_size / rate if rate else 0.0
            started = time.perf_counter()
            for index in range(0, len(txs), batch_size):
                batch = txs[index:index + batch_size]
                sent_at = time.time()
                body = _check(await client.post(f"{node}/transactions/batch",
                                                json=[tx.to_json() for tx in batch]))
                for result in body["results"]:
                    if "txid" in result:
                        submitted[result["txid"]] = sent_at
                    else:
                        rejected[result["rule"]] = rejected.get(result["rule"], 0) + 1
                if interval:
                    delay = started + (index // batch_size + 1) * interval - time.perf_counter()
                    if delay > 0:
                        await asyncio.sleep(delay)
            done_submitting.set()

        async def watch() -> None:
            height = start_height
            deadline = time.time() + timeout
            while time.time() < deadline:
                tip = _check(await client.get(f"{node}/status"))["height"]
                while height < tip:
                    height += 1
                    block = _check(await client.get(f"{node}/blocks/{height}"))
                    seen = time.time()
                    for tx in block["transactions"]:
                        if tx["txid"] in submitted and tx["txid"] not in committed:
                            committed[tx["txid"]] = seen
                if done_submitting.is_set() and len(committed) >= len(submitted):
                    return
                await asyncio.sleep(0.05)

        await asyncio.gather(submit(), watch())
    latencies = [committed[t] - submitted[t] for t in committed]
    span = (max(committed.values()) - min(submitted.values())) if committed else 0.0
    return {
        "sent": len(submitted),
        "committed": len(committed),
        "tps": round(len(committed) / span, 1) if span > 0 else 0.0,
        "p50_commit_s": round(statistics.median(latencies), 3) if latencies else 0.0,
        "p95_commit_s": round(_percentile(latencies, 0.95), 3),
        "rejected": rejected,
    }


def run_load(node: str, wallet: Wallet, count: int, rate: float | None = None,
             timeout: float | None = None) -> dict[str, Any]:
    """Submit `count` signed transfers and wait until the node has committed them all (or the
    timeout passes). Returns {sent, committed, tps, p50_commit_s, p95_commit_s, rejected}."""
    limit = timeout if timeout is not None else 60.0 + (count / rate if rate else count / 200)
    try:
        return asyncio.run(_load(node.rstrip("/"), wallet, count, rate, limit))
    except httpx.HTTPError as error:
        raise NodeError(f"cannot reach {node}: {error}") from None
