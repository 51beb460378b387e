"""What the HTTP server checks before a handler trusts a request, and how it refuses.

A request may be too big (413, checked on Content-Length before reading, and again while reading
when none was sent), too slow (408: a body must arrive at a minimum rate, as Apache's
mod_reqtimeout and nginx's client_body_timeout demand, or a client trickling bytes holds a task
and its memory for ever), come too often from one source address (429: a token bucket per client
IP on the routes anyone may call, so one learner's script cannot starve the others; peers' /p2p
traffic is authenticated and budgeted per identity instead), or come while the node is stopping
(503). Every refusal is a typed error
answered as {"rule": ..., "detail": ...}: a 4xx for the request's fault, never a 5xx.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette import types as asgi

from minichain.errors import (
    MalformedData,
    MempoolFull,
    MempoolRejection,
    MinichainError,
    StoreError,
    ValidationError,
)

BODY_GRACE_SECONDS = 5.0  # a body may take this long, plus its size at the rate below
MIN_BODY_RATE = 1_000_000  # bytes per second a body must average after the grace (a slow LAN)
SOURCE_RATE = 100.0  # requests per second one client address may make to the public API, on average
SOURCE_BURST = 200.0  # requests it may make at once (a full bucket)
MAX_SOURCES = 4096  # client addresses remembered at once; the longest idle is forgotten first


class BodyTooLarge(MinichainError):
    """Thrown when a request body is larger than its path allows."""

    rule = "request-size"


class BodyTooSlow(MinichainError):
    """Thrown when a request body does not arrive by its deadline (the client sends too slowly)."""

    rule = "request-timeout"


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing more than `limit` bytes even when no Content-Length was sent,
    and a body still arriving BODY_GRACE_SECONDS + size / MIN_BODY_RATE seconds after reading
    began (the deadline moves on with every chunk: a big body on a fair link is never cut off).

    Raises:
        BodyTooLarge: more than `limit` bytes.
        BodyTooSlow: the body was still arriving at its deadline.
    """
    grace, rate = BODY_GRACE_SECONDS, MIN_BODY_RATE
    chunks: list[bytes] = []
    size = 0
    started = asyncio.get_running_loop().time()
    try:
        async with asyncio.timeout_at(started + grace) as deadline:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise BodyTooLarge(f"body larger than {limit} bytes")
                chunks.append(chunk)
                deadline.reschedule(started + grace + size / rate)
    except TimeoutError:
        raise BodyTooSlow(f"request body: {size} bytes had arrived at the deadline; expected all of "
                          f"it within {grace:g} s plus 1 s per {rate:g} bytes") from None
    return b"".join(chunks)


class TooManyRequests(MinichainError):
    """Thrown when one client address sends requests faster than the node serves any one source."""

    rule = "rate-limit"


def error_response(status: int, rule: str, detail: str) -> JSONResponse:
    # After a 408 the rest of the body is not worth reading: close, or the trickle goes on.
    headers = {"Connection": "close"} if status == 408 else None
    return JSONResponse({"rule": rule, "detail": detail}, status_code=status, headers=headers)


def rejection_status(error: MinichainError) -> int:
    if isinstance(error, StoreError):
        return 503  # the node's disk, not the request: the node is stopping
    if isinstance(error, BodyTooLarge):
        return 413
    if isinstance(error, BodyTooSlow):
        return 408
    if isinstance(error, MalformedData):
        return 400
    if isinstance(error, MempoolFull | TooManyRequests):
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

    def __init__(self, app: asgi.ASGIApp, limits: Mapping[str, int], default: int) -> None:
        self.app = app
        self.limits, self.default = dict(limits), default

    async def __call__(self, scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        if scope["type"] == "http":
            limit = self.limits.get(scope["path"], self.default)
            length = dict(scope["headers"]).get(b"content-length")
            if length is not None and (not length.isdigit() or int(length) > limit):
                response = error_response(413, "request-size", f"body larger than {limit} bytes")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class RefuseWhenStopped:
    """Answer 503 `store-write` to every request once a write has failed: the node's memory may
    hold a block or transaction its disk does not, and it must not show either while it stops."""

    def __init__(self, app: asgi.ASGIApp, failure: Callable[[], MinichainError | None]) -> None:
        self.app = app
        self.failure = failure

    async def __call__(self, scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        failure = self.failure()
        if scope["type"] == "http" and failure is not None:
            response = error_response(503, failure.rule, f"this node stopped: {failure}")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


class LimitPerSource:
    """Refuse (429 `rate-limit`) requests from a client address whose bucket is empty: each address
    gets `burst` requests at once and `rate` more per second, on every path but `exempt` ones (the
    authenticated peer routes). Memory is bounded: at most MAX_SOURCES addresses are remembered,
    and forgetting one only gives it a full bucket again."""

    def __init__(self, app: asgi.ASGIApp, exempt: Collection[str], rate: float = SOURCE_RATE,
                 burst: float = SOURCE_BURST, clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        self.exempt, self.rate, self.burst, self.clock = frozenset(exempt), rate, burst, clock
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # address -> tokens, when

    def allow(self, source: str) -> bool:
        now = self.clock()
        tokens, when = self.buckets.pop(source, (self.burst, now))
        tokens = min(self.burst, tokens + (now - when) * self.rate)
        allowed = tokens >= 1.0
        self.buckets[source] = (tokens - 1.0 if allowed else tokens, now)  # now the most recent
        if len(self.buckets) > MAX_SOURCES:
            self.buckets.popitem(last=False)
        return allowed

    async def __call__(self, scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        if scope["type"] == "http" and scope["path"] not in self.exempt:
            client = scope.get("client")
            source = client[0] if client else "unknown"
            if not self.allow(source):
                error = TooManyRequests(f"more than {self.burst:g} requests at once or {self.rate:g} "
                                        f"a second from {source}; slow down")
                response = error_response(429, error.rule, str(error))
                response.headers["Retry-After"] = "1"
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
