"""A deadline for a request's head: the slow-headers ("slowloris") attack, and its cure.

A client can open a TCP connection and send a request's first line and headers one byte at a
time, for ever. uvicorn's h11 server waits: its keep-alive timer runs only BETWEEN requests (it is
cancelled by the first byte of the next one), and read_body's deadline (guards.py) starts only
once the head has arrived and a handler runs. So each trickling connection holds a socket and a
parser's buffer for as long as the client likes, and a few thousand of them use up the process's
file descriptors: then nobody else gets in.

The cure is the one Apache's mod_reqtimeout (`header=10`) and nginx's `client_header_timeout`
apply: a request's head must be complete within HEADER_SECONDS of the connection opening (or of
the previous response on a kept-alive connection). Past that, the server answers 408 with the
rule `request-timeout` and closes the connection. A head is also capped in size by h11
(MAX_HEAD_BYTES): a client that sends a huge head fast is refused with 400, not buffered.

`GuardedH11Protocol` is uvicorn's own h11 protocol with that one timer added; `serve` passes it
as uvicorn's `http=` protocol class.
"""

from __future__ import annotations

import asyncio
import json

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_SECONDS = 10.0  # a request's first line and headers must arrive within this long
MAX_HEAD_BYTES = 16 * 1024  # the largest request head h11 buffers (its default, said out loud)


def timeout_response(seconds: float) -> bytes:
    """The raw 408 sent to a client whose request head did not arrive in time."""
    body = json.dumps({"rule": "request-timeout",
                       "detail": f"request head (first line and headers) not complete within "
                                 f"{seconds:g} s"}).encode()
    head = (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
            b"connection: close\r\ncontent-length: " + str(len(body)).encode() + b"\r\n\r\n")
    return head + body


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, plus a deadline for each request's head (see the module docstring)."""

    header_seconds = HEADER_SECONDS
    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)  # type: ignore[arg-type]
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE:  # the head is in (or the connection is done)
            self._cancel_head_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._arm_head_timer()  # the next request on this kept-alive connection

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        self._head_timer = self.loop.call_later(self.header_seconds, self._head_too_slow)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if not self.transport.is_closing():
            self.transport.write(timeout_response(self.header_seconds))
            self.transport.close()
