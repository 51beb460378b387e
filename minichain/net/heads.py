"""Deadlines for request heads: a client sends a request's line and headers within HEAD_SECONDS
of connecting (or of its previous response ending), or it gets a 408 and the connection closes.

Why: uvicorn times out only an idle kept-alive connection, and only until its first byte. A client
that opens a socket and sends one header byte every few seconds (the "slowloris" attack, 2009)
holds the connection and its buffers for ever, and some hundreds of them use up the node's file
descriptors: then no peer and no learner can connect. Bodies have their own deadline
(guards.read_body); the number of connections served at once is capped too (MAX_CONNECTIONS).
"""

from __future__ import annotations

import asyncio
import json
import logging

from uvicorn.protocols.http.h11_impl import H11Protocol

HEAD_SECONDS = 10.0  # a request's line and headers, from the connection (or last response) on
MAX_CONNECTIONS = 400  # connections and requests served at once; more get 503 (uvicorn's limit)
HEAD_TIMEOUT_RULE = "request-head-timeout"

log = logging.getLogger("minichain.net")


class HeadDeadlineProtocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a deadline on every request head."""

    head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._head_received():
            self._stop_waiting()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self._head_received():  # a pipelined request may already have begun
            self._await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        super().connection_lost(exc)

    def _head_received(self) -> bool:
        """True while a request whose head has arrived is being served."""
        return self.cycle is not None and not self.cycle.response_complete

    def _await_head(self) -> None:
        self._stop_waiting()
        if not self.transport.is_closing():
            self.head_deadline = self.loop.call_later(HEAD_SECONDS, self._head_too_slow)

    def _stop_waiting(self) -> None:
        if self.head_deadline is not None:
            self.head_deadline.cancel()
            self.head_deadline = None

    def _head_too_slow(self) -> None:
        self.head_deadline = None
        if self.transport.is_closing() or self._head_received():
            return
        log.info("request-head-timeout: closed a connection from %s that sent no complete request "
                 "head within %g s", self.client, HEAD_SECONDS)
        body = json.dumps({"rule": HEAD_TIMEOUT_RULE,
                           "detail": f"no complete request line and headers within {HEAD_SECONDS:g} s"
                           }).encode()
        self.transport.write(b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
                             b"connection: close\r\ncontent-length: " + str(len(body)).encode()
                             + b"\r\n\r\n" + body)
        self.transport.close()
