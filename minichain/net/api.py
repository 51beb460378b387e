"""The public API of a node, for wallets, explorers and learners (OpenAPI docs at /docs).

Reads show the node's chain, accounts and mempool; writes submit signed transactions. Bad input
never gets a 5xx: a malformed or invalid request gets a 4xx with {"rule": ..., "detail": ...} (the
typed error's rule, as in the labs) and the node carries on unchanged. A 202 is a promise of
durability (ACCEPTED below), kept by writing before answering.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from minichain.crypto import decode_address
from minichain.encoding import parse_json, require_list
from minichain.errors import MalformedData, MinichainError, StoreWriteError
from minichain.net.guards import error_response, read_body, rejection_status
from minichain.transactions import Transaction

if TYPE_CHECKING:
    from minichain.net.http import HttpNode

MAX_TX_BODY = 64 * 1024
MAX_BATCH_BODY = 8 * 1024 * 1024
MAX_BATCH_TRANSACTIONS = 10_000
MEMPOOL_SHOWN = 1000  # transactions GET /mempool lists at most
ACCEPTED = ("202: the transaction passed every check and is saved in this node's database before "
            "this answer, so it survives the node crashing or being killed; it is gossiped to peers "
            "and waits for a block (see GET /accounts, GET /mempool). 503 with rule store-write: "
            "the node could not save it and is stopping.")


def public_api(node: HttpNode) -> APIRouter:
    """The routes of the public API, answered from `node`."""
    api = APIRouter()
    core = node.core

    @api.get("/status", summary="This node: chain, height, tip, peers, mempool size")
    async def status() -> dict[str, Any]:
        return core.status()

    @api.get("/consensus", summary="BFT: this validator's height, round, step, locks and votes seen")
    async def consensus() -> Any:
        if core.bft is None:
            return error_response(404, "not-found", f"this chain runs {core.genesis.consensus.kind}, "
                                                    "not BFT: it has no rounds or votes")
        return core.bft.snapshot()

    @api.get("/blocks/{height}", summary="The best-chain block at a height (BFT: with its commit)")
    async def block_at(height: int) -> Any:
        if not 0 <= height <= core.chain.height:
            return error_response(404, "not-found", f"no block at height {height}; "
                                                    f"the tip is at {core.chain.height}")
        # Its canonical JSON as is: FastAPI's generic encoder takes ~60 ms on a 1000-tx block.
        return Response(core.chain.block_at(height).json_bytes(core.suite), media_type="application/json")

    @api.get("/blocks/hash/{block_hash}", summary="A block by its hash (hex)")
    async def block_by_hash(block_hash: str) -> Any:
        try:
            raw = bytes.fromhex(block_hash)
        except ValueError:
            return error_response(400, "encoding", "block hash must be hex")
        block = core.chain.get(raw)
        if block is None:
            return error_response(404, "not-found", f"no block {block_hash[:16]}")
        return {**block.to_json(core.suite), "main_chain": core.chain.is_main(raw)}

    @api.get("/accounts/{address}", summary="Balance and nonce of an address")
    async def account(address: str) -> Any:
        try:
            decode_address(address)
        except MalformedData as error:
            return error_response(400, error.rule, str(error))
        state = core.chain.state.account(address)
        return {"balance": state.balance, "nonce": state.nonce,
                "pending_nonce": core.mempool.next_nonce(address, core.chain.state)}

    @api.get("/mempool", summary="Transactions waiting for a block (the first 1000)")
    async def mempool() -> dict[str, Any]:
        txs = [tx.to_json() for _, tx in zip(range(MEMPOOL_SHOWN), core.mempool.transactions(), strict=False)]
        return {"size": len(core.mempool), "transactions": txs}

    @api.post("/transactions", status_code=202, summary="Submit a signed transaction",
              description=ACCEPTED, responses={400: {}, 409: {}, 413: {}, 422: {}, 429: {}, 503: {}})
    async def submit(request: Request) -> Any:
        try:
            body = await read_body(request, MAX_TX_BODY)
            tx = Transaction.from_json(parse_json(body, "transaction"))
            node.execute(core.submit(tx, time.time()))
            node.write(lambda: node.store.save_transactions([tx]))
        except MinichainError as error:
            return error_response(rejection_status(error), error.rule, str(error))
        return JSONResponse({"txid": tx.txid.hex()}, status_code=202)

    @api.post("/transactions/batch", summary="Submit many signed transactions (a JSON list)",
              description=ACCEPTED + " Each result is a txid (accepted and saved) or a rule.",
              responses={503: {}})
    async def submit_batch(request: Request) -> Any:
        try:
            body = await read_body(request, MAX_BATCH_BODY)
            items = require_list({"txs": parse_json(body, "batch")}, "txs", "batch", MAX_BATCH_TRANSACTIONS)
        except MinichainError as error:
            return error_response(rejection_status(error), error.rule, str(error))
        results: list[dict[str, Any]] = []
        accepted: list[Transaction] = []
        now = time.time()
        try:
            for item in items:
                try:
                    tx = Transaction.from_json(item)
                    node.execute(core.submit(tx, now))
                    accepted.append(tx)
                    results.append({"txid": tx.txid.hex()})
                except StoreWriteError:
                    raise
                except MinichainError as error:
                    results.append({"rule": error.rule, "detail": str(error)})
            node.write(lambda: node.store.save_transactions(accepted))  # one commit for all
        except StoreWriteError as error:
            return error_response(503, error.rule, str(error))
        return JSONResponse({"results": results}, status_code=202)

    return api
