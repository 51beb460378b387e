"""A real node: the same NodeCore behind an HTTP server (FastAPI + uvicorn), talking to peers with
an HTTP client (httpx) and persisting through the SQLite store. This module is the host: it runs
the core's clock (the ticker), keeps configured peers connected, carries out the core's effects
and writes durably; the routes live in api.py (the public API) and p2p_routes.py (peers), the
request checks in guards.py. Each peer has its own outbox task, so messages to one peer keep
their order and are batched into one request when they pile up, within a budget of bytes.

What 202 promises: POST /transactions answers 202 only once the transaction is written to the
node's database, so it survives the node being killed or crashing (like a committed block, a
power cut may lose the last commits: SQLite WAL with synchronous=NORMAL). Every write goes
through `write`: if one fails (the disk is full), the node stops producing, answers every request
503 `store-write`, and exits with one line `error [store-write]: ...`: it never shows, gossips or
acknowledges what it could not save.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from minichain.errors import StoreWriteError
from minichain.net.api import MAX_BATCH_BODY, MAX_TX_BODY, public_api
from minichain.net.channel import HANDSHAKE_PATH, Channels, Outgoing
from minichain.net.contract_api import MAX_CALL_BODY, contract_api
from minichain.net.guards import LimitBody, LimitPerSource, RefuseWhenStopped, error_response
from minichain.net.logs import RATE_KEY
from minichain.net.p2p_routes import MAX_P2P_BODY, MAX_P2P_LINES, peer_api
from minichain.net.peering import AUTH_HEADER, HandshakeLimiter
from minichain.node.core import NodeConfig, NodeCore
from minichain.node.effects import Ban, Disconnect, Effect, Event, Persist, PersistSigned, Send, WakeAt
from minichain.node.messages import MAX_MESSAGE_BYTES
from minichain.store import Store
from minichain.wallet import Wallet

log = logging.getLogger("minichain.node")

HANDSHAKE_POST_SECONDS = 2.0  # a peer that does not answer a handshake message by then is skipped
RECONNECT_SECONDS = 2.0
MAX_OUTBOX_BYTES = 32 * 1024 * 1024  # queued for one peer at most; past it, gossip to it is dropped
MAX_OUTBOXES_BYTES = 256 * 1024 * 1024  # queued for all peers together at most
MEMPOOL_SAVE_SECONDS = 1.0  # how often the mempool's removals (and gossiped arrivals) are saved
KEEP_ALIVE_SECONDS = 5  # an idle kept-alive connection is closed after this long
GRACEFUL_SHUTDOWN_SECONDS = 5  # requests under way at SIGTERM get this long to finish


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
        self.core = NodeCore(store.genesis, config, chain, mempool, signed=store.load_signed())
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
        self._wake_at = 0.0  # when the core next wants a tick (time.time() seconds)
        self._woken = asyncio.Event()  # set when that moved earlier
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
                with contextlib.suppress(StoreWriteError):  # write has recorded it
                    self._save_mempool(force=True)
            await self.client.aclose()
            self.store.close()
            if self.pid_file is not None:  # here: uvicorn re-raises SIGTERM after shutdown
                self.pid_file.unlink(missing_ok=True)

    async def _ticker(self) -> None:
        """Tick the core when it asked to be woken (its WakeAt), sleeping until then. A message
        that leaves work for a tick (transactions to pass on) wakes it sooner (see `execute`)."""
        while self.failure is None:  # a failed write stops block production here
            now = time.time()
            if now >= self._wake_at:
                self._wake_at = math.inf  # the tick's WakeAt says when next
                try:
                    self.execute(self.core.tick(now))
                    self._save_mempool()
                except StoreWriteError:
                    return  # write has stopped the node
                if self._wake_at == math.inf:
                    self._wake_at = now + self.core.config.tick_interval
            self._woken.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(0.0, self._wake_at - time.time())):
                    await self._woken.wait()

    def _wake(self, when: float) -> None:
        """Tick at `when` (or before, if the ticker already means to)."""
        if when < self._wake_at:
            self._wake_at = when
            self._woken.set()

    async def _reconnector(self) -> None:
        while self.failure is None:
            now = time.time()
            for url in self.seed_peers:
                state = self.core.peers.get(url)
                if self.channels.channel_to(url) is None:
                    if not self.channels.pending_to(url, now):
                        self.spawn(self.post_handshake(self.channels.open(url, now)))
                elif state is None or not state.handshaken:
                    try:
                        self.execute(self.core.connect(url, now))
                    except StoreWriteError:
                        return
            await asyncio.sleep(RECONNECT_SECONDS)

    def spawn(self, job: Coroutine[Any, Any, None]) -> None:
        """Run `job` in the background; it is cancelled when the node stops."""
        task = asyncio.create_task(job)
        self._jobs.add(task)
        task.add_done_callback(self._jobs.discard)

    async def post_handshake(self, message: Outgoing) -> None:
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

    def write(self, write: Callable[[], None]) -> None:
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

    def execute(self, effects: list[Effect]) -> None:
        """Carry out what the core asked for: save, send, wake up, log, ban, disconnect."""
        # Batch what we write: the chain changes of one call (a sync batch of 500 blocks) go to
        # disk in ONE transaction, before anything else is done about them. The core has already
        # applied all of them, so they are saved together with the state they lead to.
        # A BFT validator's signed votes first, fsynced, before anything that follows them is sent.
        signed = [effect.message for effect in effects if isinstance(effect, PersistSigned)]
        if signed:
            self.write(lambda: self.store.save_signed(signed, self.core.chain.height))
        updates = [effect.update for effect in effects if isinstance(effect, Persist)]
        if updates:
            self.write(lambda: self.store.save_many(self.core.chain, updates, self.core.mempool))
            self._mempool_dirty = False
        for effect in effects:
            if isinstance(effect, Send):
                self._enqueue(effect)
            elif isinstance(effect, WakeAt):
                self._wake(effect.time)
            elif isinstance(effect, Event):
                if effect.kind == "tx-accepted":
                    self._mempool_dirty = True
                    log.debug("%s: %s", effect.kind, effect.detail, extra={RATE_KEY: effect.kind})
                else:
                    log.info("%s: %s", effect.kind, effect.detail, extra={RATE_KEY: effect.kind})
            elif isinstance(effect, Ban):
                log.warning("banned %s: %s", effect.peer, effect.reason)
                self._drop_outbox(effect.peer)
                self.channels.close(effect.peer, refuse_until=effect.until)  # its node key, too
            elif isinstance(effect, Disconnect):
                log.info("disconnect %s: %s", effect.peer, effect.reason)
        if self.core.has_pending_output():  # transactions to pass on: the next tick sends them
            self._wake(self.core.next_tick(time.time()))

    def _save_mempool(self, force: bool = False) -> None:
        now = time.time()
        if self._mempool_dirty and (force or now - self._mempool_saved_at > MEMPOOL_SAVE_SECONDS):
            self.write(lambda: self.store.save_mempool(self.core.mempool))
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

    # --- the app --------------------------------------------------------------------------------

    def _build_app(self) -> FastAPI:
        app = FastAPI(title="minichain node", version="1", lifespan=self.lifespan,
                      description="A minichain node: chain, accounts, mempool, and peer messages.")

        @app.exception_handler(RequestValidationError)
        async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
            return error_response(400, "request", str(error.errors())[:500])

        app.add_middleware(LimitBody, limits={"/transactions": MAX_TX_BODY, "/call": MAX_CALL_BODY,
                                              "/transactions/batch": MAX_BATCH_BODY}, default=MAX_P2P_BODY)
        app.add_middleware(LimitPerSource, exempt=("/p2p", HANDSHAKE_PATH))  # peers: per identity
        app.add_middleware(RefuseWhenStopped, failure=lambda: self.failure)  # added last: it runs first
        app.include_router(public_api(self))
        app.include_router(contract_api(self))
        app.include_router(peer_api(self))
        return app


def serve(node: HttpNode, host: str, port: int) -> bool:
    """Run the node until SIGINT/SIGTERM (uvicorn handles both and shuts down cleanly) or until a
    write fails, which raises that StoreWriteError once the server has stopped. Returns whether
    the server listened at all (False: it could not bind host:port)."""
    import uvicorn

    from minichain.net.connections import MAX_HEAD_BYTES, GuardedH11Protocol

    # A request head that trickles in is cut off after HEADER_SECONDS (connections.py), a body by
    # read_body's deadline (guards.py); an idle kept-alive connection is closed after
    # KEEP_ALIVE_SECONDS.
    server = uvicorn.Server(uvicorn.Config(
        node.app, host=host, port=port, log_level="warning", access_log=False,
        http=GuardedH11Protocol, h11_max_incomplete_event_size=MAX_HEAD_BYTES,
        timeout_keep_alive=KEEP_ALIVE_SECONDS, timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS))

    def stop() -> None:
        server.should_exit = True

    node.stop_serving = stop
    server.run()
    if node.failure is not None:
        raise node.failure
    return bool(server.started)
