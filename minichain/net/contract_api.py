"""A node's contract routes (OpenAPI docs at /docs): receipts, read-only calls, a contract's storage.

Deploys and calls are transactions: they go through POST /transactions like transfers, and the
mempool checks them as a block would (signature, nonce, intrinsic gas, the sender affording
gas limit x gas price). These routes only read. POST /call runs a function on the tip's state
and forgets what it changed; it runs on the node's one thread, so its gas is capped
(contract_reads.NODE_VIEW_GAS) and its body has a byte budget. Bad input gets a 4xx with
{"rule", "detail"}, as everywhere in the API; a revert also carries its decoded reason and raw
data, so a client holding the ABI can decode a custom error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from minichain.contract_reads import (
    NODE_VIEW_GAS,
    contract_json,
    parse_txid,
    receipt_json,
    view_call,
)
from minichain.contract_tx import MAX_DATA_BYTES
from minichain.encoding import parse_json, require_object
from minichain.errors import MalformedData, MinichainError
from minichain.net.guards import error_response, read_body, rejection_status

if TYPE_CHECKING:
    from minichain.net.http import HttpNode

MAX_CALL_BODY = 2 * MAX_DATA_BYTES + 4096  # bytes: the largest call data in hex, and the rest
CALL_FIELDS = {"to", "data"}
CALL_OPTIONAL = {"from", "gas"}

CALL_HELP = (
    'Body: {"to": "0x<contract>", "data": "0x<selector+arguments>", "from": "0x<address>" '
    f'(optional, msg.sender), "gas": N (optional, at most {NODE_VIEW_GAS:,})}}. Answer: '
    '{"output": "0x<ABI-encoded results>", "gas_used": N}. Nothing is signed, paid or kept. '
    "A revert answers 422 with rule contract-revert, its reason and data; no contract at the "
    "address 404 contract-no-code; bad input 400.")


# What /docs shows for POST /call's body (read by hand, within its byte budget, not by FastAPI).
CALL_SCHEMA = {
    "type": "object", "required": ["to", "data"], "additionalProperties": False,
    "properties": {
        "to": {"type": "string", "description": "the contract: 0x and 40 hex digits"},
        "data": {"type": "string", "description": "0x + the 4-byte selector and ABI-encoded arguments"},
        "from": {"type": "string", "description": "msg.sender (default: the zero address)"},
        "gas": {"type": "integer", "maximum": NODE_VIEW_GAS, "description": "gas the call may use"},
    },
}
CALL_EXAMPLE = {"to": "0x3eE831506BBB44E3403244AE7C7cD93f87ad0Cf4", "data": "0x18160ddd"}  # totalSupply()


def contract_status(error: MinichainError) -> int:
    """The HTTP status of a refused read: 404 for nothing there, 422 for a call that ran and
    failed (revert, out of gas), else as the rest of the API (400 for malformed input)."""
    from minichain.contracts.errors import ExecutionFailed, NoContractCode

    if isinstance(error, NoContractCode):
        return 404
    if isinstance(error, ExecutionFailed):
        return 422
    return rejection_status(error)


def _refusal(error: MinichainError) -> JSONResponse:
    from minichain.contracts.errors import ExecutionFailed, Reverted

    response = error_response(contract_status(error), error.rule, str(error))
    if isinstance(error, ExecutionFailed):
        extra: dict[str, Any] = {"gas_used": error.gas_used}
        if isinstance(error, Reverted):
            extra.update(reason=error.reason, data="0x" + error.data.hex())
        body = {"rule": error.rule, "detail": str(error), **extra}
        return JSONResponse(body, status_code=response.status_code)
    return response


def parse_call(value: Any) -> tuple[bytes, bytes, bytes | None, int | None]:
    """(to, data, from, gas) of a POST /call body; MalformedData names the field."""
    from minichain.contracts.addresses import parse_hex_address

    what = "call"
    obj = require_object(value, what, CALL_FIELDS, optional=CALL_OPTIONAL)
    to = parse_hex_address(obj["to"])
    sender = parse_hex_address(obj["from"]) if "from" in obj else None
    text = obj["data"]
    if not isinstance(text, str) or not text.startswith("0x") or len(text) > 2 + 2 * MAX_DATA_BYTES:
        raise MalformedData(f"{what}.data: 0x and the hex of at most {MAX_DATA_BYTES} bytes")
    try:
        data = bytes.fromhex(text[2:])
    except ValueError:
        raise MalformedData(f"{what}.data: not hexadecimal") from None
    gas = obj.get("gas")
    if gas is not None and (isinstance(gas, bool) or not isinstance(gas, int)):
        raise MalformedData(f"{what}.gas: an integer, found {gas!r:.40}")
    return to, data, sender, gas


def contract_api(node: HttpNode) -> APIRouter:
    """The contract routes, answered from `node`'s chain."""
    api = APIRouter()
    core = node.core

    @api.get("/receipts/{txid}", summary="The receipt of a contract transaction on the best chain",
             description="Status (1 success, 0 failure), gas used, fee, the new contract's "
                         "address, logs (raw: decode them with the contract's ABI), and on a "
                         "failure its rule and reason. 404 while no best-chain block holds it.",
             responses={400: {}, 404: {}})
    async def receipt(txid: str) -> Any:
        from minichain.contracts.errors import UnknownReceipt

        try:
            raw = parse_txid(txid)
        except MalformedData as error:
            return error_response(400, error.rule, str(error))
        found = receipt_json(core.chain, raw)
        if found is not None:
            return found
        where = ("is waiting in the mempool" if raw in core.mempool
                 else "is in no block of the best chain")
        return error_response(404, UnknownReceipt.rule, f"transaction {txid[:16]} {where}")

    @api.post("/call", summary="Run a contract function read-only (a view call)",
              description=CALL_HELP, responses={400: {}, 404: {}, 413: {}, 422: {}, 429: {}},
              openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                  "schema": CALL_SCHEMA, "example": CALL_EXAMPLE}}}})
    async def call(request: Request) -> Any:
        try:
            body = await read_body(request, MAX_CALL_BODY)
            to, data, sender, gas = parse_call(parse_json(body, "call"))
            result = view_call(core.chain, to, data, sender, gas, max_gas=NODE_VIEW_GAS)
        except MinichainError as error:
            return _refusal(error)
        return {"output": "0x" + result.output.hex(), "gas_used": result.gas_used}

    @api.get("/contracts/{address}", summary="A contract: code hash and readable storage",
             description="At the tip: the keccak256 of its code, its size, and every non-zero "
                         "storage slot written so far (slot number and 32-byte value in hex; "
                         "a short string kept in place is decoded). 404 if no code is there.",
             responses={400: {}, 404: {}})
    async def contract(address: str) -> Any:
        from minichain.contracts.addresses import parse_hex_address

        try:
            return contract_json(core.chain, parse_hex_address(address))
        except MinichainError as error:
            return _refusal(error)

    return api
