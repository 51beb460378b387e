"""A client of a running node's contract routes: what `minichain tx deploy/call --node`,
`contract read --node` and `receipt --node` send and what they read back.

Every answer is the node's JSON as its API documents it (see contract_api.py, or /docs on a
node); a refusal becomes the typed error the node named, so the command line prints the same
`error [rule]: ...` line for a data directory and for a node. A revert comes back as Reverted
with its raw data, so a caller holding the contract's ABI can decode a custom error.
"""

from __future__ import annotations

from typing import Any

import httpx

from minichain.contracts.errors import Reverted
from minichain.net.load import NodeError
from minichain.transactions import Transaction

TIMEOUT = 10.0  # seconds for one request


class ContractClient:
    """One node, by URL. Use as a context manager (one connection for all the requests)."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self._client = httpx.Client(base_url=self.url, timeout=TIMEOUT)

    def __enter__(self) -> ContractClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def _get(self, path: str) -> Any:
        return self._answer(lambda: self._client.get(path))

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        return self._answer(lambda: self._client.post(path, json=body))

    def _answer(self, request: Any) -> Any:
        try:
            response: httpx.Response = request()
        except httpx.HTTPError as unreachable:
            raise NodeError(f"cannot reach {self.url}: {unreachable}") from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code < 400 and body is not None:
            return body
        if not isinstance(body, dict):
            raise NodeError(f"{self.url}: HTTP {response.status_code}: {response.text[:200]}")
        if body.get("rule") == Reverted.rule:
            raise _revert(body)
        refused = NodeError(f"{self.url}: HTTP {response.status_code}: {body.get('detail', '')}")
        refused.rule = str(body.get("rule", NodeError.rule))  # the rule the node named
        raise refused

    def chain_id(self) -> str:
        return str(self._get("/status")["chain_id"])

    def pending_nonce(self, address: str) -> int:
        """The nonce the next transaction from `address` should use (after its pooled ones)."""
        return int(self._get(f"/accounts/{address}")["pending_nonce"])

    def submit(self, tx: Transaction) -> str:
        return str(self._post("/transactions", tx.to_json())["txid"])

    def call(self, to: str, data: bytes, sender: str | None = None,
             gas: int | None = None) -> dict[str, Any]:
        """POST /call: {"output": "0x...", "gas_used": N}."""
        body: dict[str, Any] = {"to": to, "data": "0x" + data.hex()}
        if sender is not None:
            body["from"] = sender
        if gas is not None:
            body["gas"] = gas
        answer: dict[str, Any] = self._post("/call", body)
        return answer

    def receipt(self, txid: str) -> dict[str, Any]:
        answer: dict[str, Any] = self._get(f"/receipts/{txid}")
        return answer

    def contract(self, address: str) -> dict[str, Any]:
        answer: dict[str, Any] = self._get(f"/contracts/{address}")
        return answer


def _revert(body: dict[str, Any]) -> Reverted:
    """A revert's answer carries its reason and raw data: the Reverted it was."""
    try:
        data = bytes.fromhex(str(body.get("data", "0x"))[2:])
    except ValueError:
        data = b""
    gas_used = body.get("gas_used")
    return Reverted(str(body.get("detail", "the contract reverted")),
                    gas_used if isinstance(gas_used, int) else 0, str(body.get("reason", "")), data)
