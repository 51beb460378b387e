"""A real node: the same NodeCore behind an HTTP server (FastAPI + uvicorn), talking to peers with
an HTTP client (httpx) and persisting through the SQLite store.

Peers are named by their base URL, proven by an authenticated channel (channel.py): the handshake
travels as `POST /p2p/handshake`, then node-to-node messages as `POST /p2p`, newline-separated wire
messages whose channel header (X-Minichain-Auth) proves the sender; a frame that proves nothing is
refused with 401 and costs no one anything. Each peer has its own outbox task, so messages to one
peer keep their order and are batched into one request when they pile up.
The public API (OpenAPI docs at /docs) never answers 5xx to bad input: a malformed or invalid
request gets a 4xx with {"rule": ..., "detail": ...} and the node carries on unchanged.

What 202 promises: POST /transactions answers 202 only once the transaction is written to the
node's database, so it survives the node being killed or crashing (like a committed block, a
power cut may lose the last commits: SQLite WAL with synchronous=NORMAL). Every write goes
through `_write`: if one fails (the disk is full), the node stops producing, answers every request
503 `store-write`, and exits with one line `error [store-write]: ...`: it never shows, gossips or
acknowledges what it could not save.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette import types as asgi

from minichain.crypto import decode_address
from minichain.encoding import parse_json, require_list
from minichain.errors import (
    MalformedData,
    MempoolFull,
    MempoolRejection,
    MinichainError,
    PeerAuthError,
    StoreError,
    StoreWriteError,
    ValidationError,
)
from minichain.net.channel import HANDSHAKE_PATH, MAX_HANDSHAKE_BYTES, Channels, Outgoing
from minichain.net.peering import AUTH_HEADER, HandshakeLimiter
from minichain.node.core import NodeConfig, NodeCore
from minichain.node.effects import Ban, Disconnect, Effect, Event, Persist, Send, WakeAt
from minichain.node.messages import MAX_MESSAGE_BYTES, decode_message
from minichain.store import Store
from minichain.transactions import Transaction
from minichain.wallet import Wallet

log = logging.getLogger("minichain.node")

MAX_TX_BODY = 64 * 1024
MAX_BATCH_BODY = 8 * 1024 * 1024
MAX_P2P_BODY = 4 * MAX_MESSAGE_BYTES
HANDSHAKE_POST_SECONDS = 2.0  # a peer that does not answer a handshake message by then is skipped
RECONNECT_SECONDS = 2.0
MAX_P2P_LINES = 1000  # messages in one /p2p request at most (a sender batches no more)
YIELD_EVERY_LINES = 50  # messages handled before other requests get the event loop
MAX_OUTBOX_BYTES = 32 * 1024 * 1024  # queued for one peer at most; past it, gossip to it is dropped
MAX_OUTBOXES_BYTES = 256 * 1024 * 1024  # queued for all peers together at most
MEMPOOL_SAVE_SECONDS = 1.0  # how often the mempool's removals (and gossiped arrivals) are saved
ACCEPTED = ("202: the transaction passed every check and is saved in this node's database before "
            "this answer, so it survives the node crashing or being killed; it is gossiped to peers "
            "and waits for a block (see GET /accounts, GET /mempool). 503 with rule store-write: "
            "the node could not save it and is stopping.")


class BodyTooLarge(MinichainError):
    """Thrown when a request body is larger than its path allows."""

    rule = "request-size"


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing more than `limit` bytes even when no Content-Length was sent."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"body larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def error_response(status: int, rule: str, detail: str) -> JSONResponse:
    return JSONResponse({"rule": rule, "detail": detail}, status_code=status)


def rejection_status(error: MinichainError) -> int:
    if isinstance(error, StoreError):
        return 503  # the node's disk, not the request: the node is stopping
    if isinstance(error, BodyTooLarge):
        return 413
    if isinstance(error, MalformedData):
        return 400
    if isinstance(error, MempoolFull):
        return 429
    if isinstance(error, MempoolRejection):
        return 409
    if isinstance(error, ValidationError):
        return 422
    return 400


class LimitBody:
    """Refuse (413) a request whose Content-Length is over its path's limit, before reading it.
    Plain ASGI: Starlette's @app.middleware("http") wraps every request and response in streams
    and a task, ~5% of a busy node's CPU for one header check."""

    def __init__(self, app: asgi.ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        if scope["type"] == "http":
            limit = {"/transactions": MAX_TX_BODY, "/transactions/batch": MAX_BATCH_BODY}.get(
                scope["path"], MAX_P2P_BODY)
            length = dict(scope["headers"]).get(b"content-length")
            if length is not None and (not length.isdigit() or int(length) > limit):
                response = error_response(413, "request-size", f"body larger than {limit} bytes")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class RefuseWhenStopped:
    """Answer 503 `store-write` to every request once a write has failed: the node's memory may
    hold a block or transaction its disk does not, and it must not show either while it stops."""

    def __init__(self, app: asgi.ASGIApp, node: HttpNode) -> None:
        self.app = app
        self.node = node

    async def __call__(self, scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        failure = self.node.failure
        if scope["type"] == "http" and failure is not None:
            response = error_response(503, failure.rule, f"this node stopped: {failure}")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


@dataclass
class Outbox:
    queue: asyncio.Queue[bytes] = field(default_factory=asyncio.Queue)
    queued_bytes: int = 0  # queued, not yet sent
    task: asyncio.Task[None] | None = None
    failures: int = 0
    retry: list[bytes] = field(default_factory=list)  # a batch that failed, sent first next time


class HttpNode:
    """One node process: core + store + server + peer clients."""

    def __init__(self, store: Store, config: NodeConfig, public_url: str, peers: list[str],
                 node_key: Wallet | None = None, allow_private_peers: bool = False) -> None:
        self.store = store
        chain, mempool = store.load(config.mempool_size)
        self.core = NodeCore(store.genesis, config, chain, mempool)
        self.public_url = public_url.rstrip("/")
        self.seed_peers = [p.rstrip("/") for p in peers if p.rstrip("/") != self.public_url]
        self.node_key = node_key or config.authority or Wallet.generate(store.genesis.suite)
        self.channels = Channels(self.node_key, store.genesis.chain_id, chain.genesis_hash, self.public_url,
                                 os.urandom, allow_private=allow_private_peers, configured=self.seed_peers,
                                 admitted=store.genesis.consensus.admitted_nodes())
        self.handshakes = HandshakeLimiter()
        self.outboxes: dict[str, Outbox] = {}
        self.outbox_bytes = 0  # queued for all peers
        self.dropped_sends = 0  # messages not queued because a budget was full
        self.client: httpx.AsyncClient | None = None
        self._wake_at = 0.0
        self._mempool_dirty = False
        self._mempool_saved_at = 0.0
        self._tasks: list[asyncio.Task[None]] = []
        self._jobs: set[asyncio.Task[None]] = set()  # handshake POSTs under way
        self.pid_file: Path | None = None  # removed on clean shutdown
        self.failure: StoreWriteError | None = None  # a write failed: the node is stopping
        self.stop_serving: Callable[[], None] | None = None  # set by serve(): ask the server to exit
        self.app = self._build_app()

    # --- lifecycle ------------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def lifespan(self, app: FastAPI) -> AsyncIterator[None]:
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=32)
        self.client = httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=2.0), limits=limits)
        self._tasks = [asyncio.create_task(self._ticker()), asyncio.create_task(self._reconnector())]
        log.info("node %s on %s, height %d, peers %s", self.core.node_id, self.public_url,
                 self.core.chain.height, self.seed_peers)
        try:
            yield
        finally:
            for task in self._tasks + [o.task for o in self.outboxes.values() if o.task] + list(self._jobs):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            if self.failure is None:
                with contextlib.suppress(StoreWriteError):  # _write has recorded it
                    self._save_mempool(force=True)
            await self.client.aclose()
            self.store.close()
            if self.pid_file is not None:  # here: uvicorn re-raises SIGTERM after shutdown
                self.pid_file.unlink(missing_ok=True)

    async def _ticker(self) -> None:
        while self.failure is None:  # a failed write stops block production here
            now = time.time()
            if now >= self._wake_at:
                self._wake_at = now + self.core.config.tick_interval
                try:
                    self._run(self.core.tick(now))
                    self._save_mempool()
                except StoreWriteError:
                    return  # _write has stopped the node
            await asyncio.sleep(max(0.005, min(self._wake_at - time.time(), 0.05)))

    async def _reconnector(self) -> None:
        while self.failure is None:
            now = time.time()
            for url in self.seed_peers:
                state = self.core.peers.get(url)
                if self.channels.channel_to(url) is None:
                    if not self.channels.pending_to(url, now):
                        self._spawn(self._post_handshake(self.channels.open(url, now)))
                elif state is None or not state.handshaken:
                    try:
                        self._run(self.core.connect(url, now))
                    except StoreWriteError:
                        return
            await asyncio.sleep(RECONNECT_SECONDS)

    def _spawn(self, job: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(job)
        self._jobs.add(task)
        task.add_done_callback(self._jobs.discard)

    async def _post_handshake(self, message: Outgoing) -> None:
        """POST one handshake message; an accept that comes back is handled when it arrives."""
        assert self.client is not None
        headers = {"Content-Type": "application/json"}
        if message.auth is not None:
            headers[AUTH_HEADER] = message.auth
        try:
            response = await self.client.post(message.url + HANDSHAKE_PATH, content=message.body,
                                              headers=headers, timeout=HANDSHAKE_POST_SECONDS)
            if response.status_code >= 400:
                log.info("peer %s refused the handshake (%d): %s", message.url, response.status_code,
                         response.text[:200])
        except httpx.HTTPError as error:
            log.info("peer %s unreachable for the handshake (%s)", message.url, type(error).__name__)

    # --- writing: durable first, or stop --------------------------------------------------------

    def _write(self, write: Callable[[], None]) -> None:
        """Run one store write. If it fails, the node stops: no more blocks are produced, every
        request is refused (RefuseWhenStopped), the server is asked to exit, and the error is
        re-raised so the caller does nothing more with what it could not save."""
        if self.failure is not None:
            raise self.failure
        try:
            write()
        except StoreWriteError as error:
            self.failure = error
            log.error("stopping: a write failed; block production stopped, every request gets 503")
            if self.stop_serving is not None:
                self.stop_serving()
            raise

    # --- effects --------------------------------------------------------------------------------

    def _run(self, effects: list[Effect]) -> None:
        # Batch what we write: the chain changes of one call (a sync batch of 500 blocks) go to
        # disk in ONE transaction, before anything else is done about them. The core has already
        # applied all of them, so they are saved together with the state they lead to.
        updates = [effect.update for effect in effects if isinstance(effect, Persist)]
        if updates:
            self._write(lambda: self.store.save_many(self.core.chain, updates, self.core.mempool))
            self._mempool_dirty = False
        for effect in effects:
            if isinstance(effect, Send):
                self._enqueue(effect)
            elif isinstance(effect, WakeAt):
                self._wake_at = min(self._wake_at, effect.time) if self._wake_at else effect.time
            elif isinstance(effect, Event):
                if effect.kind == "tx-accepted":
                    self._mempool_dirty = True
                    log.debug("%s: %s", effect.kind, effect.detail)
                else:
                    log.info("%s: %s", effect.kind, effect.detail)
            elif isinstance(effect, Ban):
                log.warning("banned %s: %s", effect.peer, effect.reason)
                self._drop_outbox(effect.peer)
                self.channels.close(effect.peer, refuse_until=effect.until)  # its node key, too
            elif isinstance(effect, Disconnect):
                log.info("disconnect %s: %s", effect.peer, effect.reason)

    def _save_mempool(self, force: bool = False) -> None:
        now = time.time()
        if self._mempool_dirty and (force or now - self._mempool_saved_at > MEMPOOL_SAVE_SECONDS):
            self._write(lambda: self.store.save_mempool(self.core.mempool))
            self._mempool_dirty, self._mempool_saved_at = False, now

    def _enqueue(self, send: Send) -> None:
        outbox = self.outboxes.get(send.peer)
        if outbox is None:
            outbox = self.outboxes[send.peer] = Outbox()
        size = len(send.data)
        if outbox.queued_bytes + size > MAX_OUTBOX_BYTES or self.outbox_bytes + size > MAX_OUTBOXES_BYTES:
            self.dropped_sends += 1
            return  # a peer that does not keep up loses gossip, not our memory
        outbox.queue.put_nowait(send.data)
        outbox.queued_bytes += size
        self.outbox_bytes += size
        if outbox.task is None or outbox.task.done():
            outbox.task = asyncio.create_task(self._deliver(send.peer, outbox))

    def _drop_outbox(self, peer: str) -> None:
        outbox = self.outboxes.pop(peer, None)
        if outbox is not None:
            self.outbox_bytes -= outbox.queued_bytes
            if outbox.task is not None:
                outbox.task.cancel()

    async def _deliver(self, peer: str, outbox: Outbox) -> None:
        assert self.client is not None
        while outbox.retry or not outbox.queue.empty():
            batch, outbox.retry = outbox.retry, []
            size = sum(len(data) for data in batch)
            while not outbox.queue.empty() and size < MAX_MESSAGE_BYTES and len(batch) < MAX_P2P_LINES:
                data = outbox.queue.get_nowait()
                batch.append(data)
                size += len(data)
                outbox.queued_bytes -= len(data)
                self.outbox_bytes -= len(data)
            body = b"\n".join(batch)
            auth = self.channels.seal(peer, body)
            if auth is None:  # no channel yet (or any more): the reconnector or the peer opens one
                outbox.failures += 1
                if outbox.failures >= 3:
                    self.core.disconnected(peer)
                    self.outboxes.pop(peer, None)
                    self.outbox_bytes -= outbox.queued_bytes
                    return
                outbox.retry = batch
                await asyncio.sleep(0.5)
                continue
            try:
                response = await self.client.post(
                    f"{peer}/p2p", content=body,
                    headers={AUTH_HEADER: auth, "Content-Type": "application/x-ndjson"})
                outbox.failures = 0
                if response.status_code >= 400:
                    log.info("peer %s answered %d: %s", peer, response.status_code, response.text[:200])
            except httpx.HTTPError as error:
                outbox.failures += 1
                log.info("peer %s unreachable (%s)", peer, type(error).__name__)
                if outbox.failures >= 3:  # give up; the reconnector greets it again later
                    self.core.disconnected(peer)
                    self.outboxes.pop(peer, None)
                    self.outbox_bytes -= outbox.queued_bytes
                    return
                outbox.retry = batch + outbox.retry  # resend, in order, after a pause
                await asyncio.sleep(0.5)

    # --- the API --------------------------------------------------------------------------------

    def _build_app(self) -> FastAPI:
        app = FastAPI(title="minichain node", version="1", lifespan=self.lifespan,
                      description="A minichain node: chain, accounts, mempool, and peer messages.")
        core = self.core

        @app.exception_handler(RequestValidationError)
        async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
            return error_response(400, "request", str(error.errors())[:500])

        app.add_middleware(LimitBody)
        app.add_middleware(RefuseWhenStopped, node=self)  # added last: it runs first

        @app.get("/status", summary="This node: chain, height, tip, peers, mempool size")
        async def status() -> dict[str, Any]:
            return core.status()

        @app.get("/blocks/{height}", summary="The best-chain block at a height")
        async def block_at(height: int) -> Any:
            if not 0 <= height <= core.chain.height:
                return error_response(404, "not-found", f"no block at height {height}; "
                                                        f"the tip is at {core.chain.height}")
            # Its canonical JSON as is: FastAPI's generic encoder takes ~60 ms on a 1000-tx block.
            return Response(core.chain.block_at(height).json_bytes(core.suite),
                            media_type="application/json")

        @app.get("/blocks/hash/{block_hash}", summary="A block by its hash (hex)")
        async def block_by_hash(block_hash: str) -> Any:
            try:
                raw = bytes.fromhex(block_hash)
            except ValueError:
                return error_response(400, "encoding", "block hash must be hex")
            block = core.chain.get(raw)
            if block is None:
                return error_response(404, "not-found", f"no block {block_hash[:16]}")
            return {**block.to_json(core.suite), "main_chain": core.chain.is_main(raw)}

        @app.get("/accounts/{address}", summary="Balance and nonce of an address")
        async def account(address: str) -> Any:
            try:
                decode_address(address)
            except MalformedData as error:
                return error_response(400, error.rule, str(error))
            state = core.chain.state.account(address)
            return {"balance": state.balance, "nonce": state.nonce,
                    "pending_nonce": core.mempool.next_nonce(address, core.chain.state)}

        @app.get("/mempool", summary="Transactions waiting for a block (the first 1000)")
        async def mempool() -> dict[str, Any]:
            txs = [tx.to_json() for _, tx in zip(range(1000), core.mempool.transactions(), strict=False)]
            return {"size": len(core.mempool), "transactions": txs}

        @app.post("/transactions", status_code=202, summary="Submit a signed transaction",
                  description=ACCEPTED, responses={400: {}, 409: {}, 413: {}, 422: {}, 429: {}, 503: {}})
        async def submit(request: Request) -> Any:
            try:
                body = await read_body(request, MAX_TX_BODY)
                tx = Transaction.from_json(parse_json(body, "transaction"))
                self._run(core.submit(tx, time.time()))
                self._write(lambda: self.store.save_transactions([tx]))
            except MinichainError as error:
                return error_response(rejection_status(error), error.rule, str(error))
            return JSONResponse({"txid": tx.txid.hex()}, status_code=202)

        @app.post("/transactions/batch", summary="Submit many signed transactions (a JSON list)",
                  description=ACCEPTED + " Each result is a txid (accepted and saved) or a rule.",
                  responses={503: {}})
        async def submit_batch(request: Request) -> Any:
            try:
                body = await read_body(request, MAX_BATCH_BODY)
                items = require_list({"txs": parse_json(body, "batch")}, "txs", "batch", 10_000)
            except MinichainError as error:
                return error_response(rejection_status(error), error.rule, str(error))
            results: list[dict[str, Any]] = []
            accepted: list[Transaction] = []
            now = time.time()
            try:
                for item in items:
                    try:
                        tx = Transaction.from_json(item)
                        self._run(core.submit(tx, now))
                        accepted.append(tx)
                        results.append({"txid": tx.txid.hex()})
                    except StoreWriteError:
                        raise
                    except MinichainError as error:
                        results.append({"rule": error.rule, "detail": str(error)})
                self._write(lambda: self.store.save_transactions(accepted))  # one commit for all
            except StoreWriteError as error:
                return error_response(503, error.rule, str(error))
            return JSONResponse({"results": results}, status_code=202)

        @app.post(HANDSHAKE_PATH, summary="Open an authenticated channel (init, accept, confirm)",
                  responses={400: {}, 401: {}, 413: {}, 429: {}})
        async def handshake(request: Request) -> Any:
            source = request.client.host if request.client else "?"
            if not self.handshakes.allow(source):
                return error_response(429, "peer-auth", "too many handshakes from this address; wait")
            try:
                body = await read_body(request, MAX_HANDSHAKE_BYTES)
                result = self.channels.on_handshake(body, request.headers.get(AUTH_HEADER), time.time())
            except PeerAuthError as error:
                return error_response(401, error.rule, str(error))
            except MinichainError as error:
                return error_response(rejection_status(error), error.rule, str(error))
            for reply in result.replies:
                if result.ready is not None:  # our confirm: it must arrive before our first frame
                    await self._post_handshake(reply)
                else:
                    self._spawn(self._post_handshake(reply))
            if result.ready is not None and result.ready.initiator:
                self._run(core.connect(result.ready.peer_url, time.time()))
            return JSONResponse({"ok": True}, status_code=202)

        @app.post("/p2p", status_code=202, summary="Peer messages (newline-separated wire JSON)",
                  responses={400: {}, 401: {}, 403: {}, 413: {}})
        async def p2p(request: Request) -> Any:
            auth = request.headers.get(AUTH_HEADER)
            if not self.channels.knows(auth):  # before reading the body: strangers cost nothing
                return error_response(401, "peer-auth", "no channel: open one at /p2p/handshake first")
            try:
                body = await read_body(request, MAX_P2P_BODY)
                peer = self.channels.open_frame(auth, body).peer_url
            except BodyTooLarge as error:
                return error_response(413, error.rule, str(error))
            except PeerAuthError as error:
                return error_response(401, error.rule, str(error))
            now = time.time()
            if core.is_banned(peer, now):
                return error_response(403, "banned", "this node has banned you for misbehaving")
            try:
                lines = [line for line in body.split(b"\n") if line.strip()]
                if len(lines) > MAX_P2P_LINES:
                    return error_response(413, "request-lines",
                                          f"{len(lines)} messages in one request; at most {MAX_P2P_LINES}")
                for number, line in enumerate(lines, 1):
                    if number % YIELD_EVERY_LINES == 0:
                        await asyncio.sleep(0)  # let other requests and the ticker run
                        if core.is_banned(peer, now):
                            return error_response(403, "banned", "this node has banned you")
                    try:
                        message = decode_message(line, core.suite)
                    except MalformedData as error:
                        self._run(core.penalise_malformed(peer, str(error), now))
                        return error_response(400, error.rule, str(error))
                    self._run(core.receive(peer, message, now))
            except StoreWriteError as error:
                return error_response(503, error.rule, str(error))
            return JSONResponse({"ok": True}, status_code=202)

        return app


def serve(node: HttpNode, host: str, port: int) -> bool:
    """Run the node until SIGINT/SIGTERM (uvicorn handles both and shuts down cleanly) or until a
    write fails, which raises that StoreWriteError once the server has stopped. Returns whether
    the server listened at all (False: it could not bind host:port)."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(node.app, host=host, port=port, log_level="warning",
                                           access_log=False, timeout_graceful_shutdown=5))

    def stop() -> None:
        server.should_exit = True

    node.stop_serving = stop
    server.run()
    if node.failure is not None:
        raise node.failure
    return bool(server.started)
