"""Where peers talk to a node: `POST /p2p/handshake` opens an authenticated channel (channel.py),
`POST /p2p` carries newline-separated wire messages sealed on that channel (X-Minichain-Auth).

A frame that proves nothing is refused with 401 before its body is read, so strangers cost
nothing and nobody else is blamed; a proven sender's junk costs that sender. A request holds at
most MAX_P2P_LINES messages, and the event loop serves others between them.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from minichain.errors import MalformedData, MinichainError, PeerAuthError, StoreWriteError
from minichain.net.channel import HANDSHAKE_PATH, MAX_HANDSHAKE_BYTES
from minichain.net.guards import BodyTooLarge, error_response, read_body, rejection_status
from minichain.net.peering import AUTH_HEADER
from minichain.node.messages import MAX_MESSAGE_BYTES, decode_message

if TYPE_CHECKING:
    from minichain.net.http import HttpNode

MAX_P2P_BODY = 4 * MAX_MESSAGE_BYTES
MAX_P2P_LINES = 1000  # messages in one /p2p request at most (a sender batches no more)
YIELD_EVERY_LINES = 50  # messages handled before other requests get the event loop


def peer_api(node: HttpNode) -> APIRouter:
    """The routes peers use, answered by `node`."""
    api = APIRouter()
    core = node.core

    @api.post(HANDSHAKE_PATH, summary="Open an authenticated channel (init, accept, confirm)",
              responses={400: {}, 401: {}, 413: {}, 429: {}})
    async def handshake(request: Request) -> Any:
        source = request.client.host if request.client else "?"
        if not node.handshakes.allow(source):
            return error_response(429, "peer-auth", "too many handshakes from this address; wait")
        try:
            body = await read_body(request, MAX_HANDSHAKE_BYTES)
            result = node.channels.on_handshake(body, request.headers.get(AUTH_HEADER), time.time())
        except PeerAuthError as error:
            return error_response(401, error.rule, str(error))
        except MinichainError as error:
            return error_response(rejection_status(error), error.rule, str(error))
        for reply in result.replies:
            if result.ready is not None:  # our confirm: it must arrive before our first frame
                await node.post_handshake(reply)
            else:
                node.spawn(node.post_handshake(reply))
        if result.ready is not None and result.ready.initiator:
            node.execute(core.connect(result.ready.peer_url, time.time()))
        return JSONResponse({"ok": True}, status_code=202)

    @api.post("/p2p", status_code=202, summary="Peer messages (newline-separated wire JSON)",
              responses={400: {}, 401: {}, 403: {}, 413: {}})
    async def p2p(request: Request) -> Any:
        auth = request.headers.get(AUTH_HEADER)
        if not node.channels.knows(auth):  # before reading the body: strangers cost nothing
            return error_response(401, "peer-auth", "no channel: open one at /p2p/handshake first")
        try:
            body = await read_body(request, MAX_P2P_BODY)
            peer = node.channels.open_frame(auth, body).peer_url
        except BodyTooLarge as error:
            return error_response(413, error.rule, str(error))
        except PeerAuthError as error:
            return error_response(401, error.rule, str(error))
        except MinichainError as error:
            return error_response(rejection_status(error), error.rule, str(error))
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
                    node.execute(core.penalise_malformed(peer, str(error), now))
                    return error_response(400, error.rule, str(error))
                node.execute(core.receive(peer, message, now))
        except StoreWriteError as error:
            return error_response(503, error.rule, str(error))
        return JSONResponse({"ok": True}, status_code=202)

    return api
