"""Bounded logs and slow clients (issue 14): a peer cannot grow a node's log without limit, and a
client that sends a body byte by byte, or keeps a connection idle, is cut off within seconds.
The slow-client tests run a real `serve` on 127.0.0.1 and talk to it over a raw socket."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from minichain.net import connections, guards, http, logs
from minichain.net.http import HttpNode, serve
from minichain.net.logs import RATE_KEY, RateLimited, node_logging
from minichain.node.core import NodeConfig
from minichain.store import Store
from minichain.testing import make_genesis, make_wallet

# --- rate-limited log lines -------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def record(msg: str, *args: object, kind: str | None = None, level: int = logging.INFO) -> logging.LogRecord:
    made = logging.makeLogRecord({"name": "minichain.node", "levelno": level,
                                  "levelname": logging.getLevelName(level), "msg": msg, "args": args})
    if kind is not None:
        setattr(made, RATE_KEY, kind)
    return made


def test_repeated_lines_are_cut_to_a_few_per_second_and_then_counted() -> None:
    clock, target = Clock(), Lines()
    limited = RateLimited(target, lines=5, window=1.0, clock=clock)
    for n in range(1000):
        limited.handle(record("peer %s sent junk %d", "http://x", n))
    assert target.lines == [f"peer http://x sent junk {n}" for n in range(5)]
    clock.now += 1.0
    limited.handle(record("peer %s sent junk %d", "http://x", 1000))
    assert target.lines[5] == "… 995 similar lines suppressed in 1 s; the last: peer http://x sent junk 999"
    assert target.lines[6:] == ["peer http://x sent junk 1000"]


def test_kinds_are_counted_apart_and_a_quiet_kind_is_reported_when_its_window_ends() -> None:
    clock, target = Clock(), Lines()
    limited = RateLimited(target, lines=2, window=1.0, clock=clock)
    for _ in range(10):
        limited.handle(record("%s: %s", "block-added", "b", kind="block-added"))
        limited.handle(record("%s: %s", "misbehaviour", "m", kind="misbehaviour"))
        limited.handle(record("%s: %s", "misbehaviour", "m", kind="misbehaviour", level=logging.WARNING))
    assert len(target.lines) == 6  # 2 of each of the 3 kinds
    clock.now += 1.5
    limited.handle(record("unrelated %d", 1))  # any line: the windows that are over are reported
    assert target.lines[6:9] == ["… 8 similar lines suppressed in 1 s; the last: " + text
                                 for text in ("block-added: b", "misbehaviour: m", "misbehaviour: m")]
    assert target.lines[9:] == ["unrelated 1"]
    limited.handle(record("unrelated %d", 2))
    limited.handle(record("unrelated %d", 3))
    limited.close()  # a window cut short by the end still says what it dropped
    assert target.lines[10:] == ["unrelated 2", "… 1 similar lines suppressed in 1 s; the last: unrelated 3"]


def test_lines_of_too_many_kinds_share_one_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_KINDS", 10)
    target = Lines()
    limited = RateLimited(target, lines=3, window=1.0, clock=Clock())
    for n in range(1000):
        limited.handle(record("kind %d", n, kind=str(n)))
    # ten kinds counted on their own (one line each), then every other kind shares one budget
    assert target.lines == [f"kind {n}" for n in range(13)]


def test_a_flood_of_log_lines_leaves_node_log_small_and_rotated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's attack through the node's own logger (50k lines from a peer grew node.log by
    24.7 MB): repeated lines are cut, and many kinds of line are rotated away."""
    monkeypatch.setattr(logs, "LOG_BYTES", 20_000)
    node_log = logging.getLogger("minichain.node")
    with node_logging(tmp_path, echo=False) as path:
        for n in range(20_000):
            node_log.info("%s: %s", "misbehaviour", f"peer {n} sent an invalid block " + "x" * 100,
                          extra={RATE_KEY: "misbehaviour"})
        for n in range(2_000):  # many kinds at once: rotation bounds them
            node_log.info("line %d " + "y" * 100, n, extra={RATE_KEY: n})
    files = sorted(tmp_path.glob("node.log*"))
    assert [f.name for f in files] == ["node.log", "node.log.1", "node.log.2"]
    assert sum(f.stat().st_size for f in files) <= 3 * 20_000 + 1_000
    text = "".join(f.read_text() for f in files)
    assert "similar lines suppressed" in text and path == tmp_path / "node.log"
    assert not logging.getLogger().handlers or all(
        not isinstance(h, RateLimited) for h in logging.getLogger().handlers)  # all removed on exit


def test_invalid_log_dir_is_one_line(tmp_path: Path) -> None:
    from minichain.errors import StoreOpenError

    with pytest.raises(StoreOpenError, match="cannot write"), node_logging(tmp_path / "missing", echo=False):
        pass


# --- slow clients against a real server -------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """A node served by uvicorn on 127.0.0.1 in a thread, with short deadlines; stopped after."""
    monkeypatch.setattr(guards, "BODY_GRACE_SECONDS", 1.0)
    monkeypatch.setattr(http, "KEEP_ALIVE_SECONDS", 1)
    monkeypatch.setattr(connections.GuardedH11Protocol, "header_seconds", 1.5)
    port = free_port()
    store = Store.create(tmp_path / "data", make_genesis("poa", authorities=[make_wallet("authority-0")]))
    node = HttpNode(store, NodeConfig("n0"), f"http://127.0.0.1:{port}", [])
    thread = threading.Thread(target=serve, args=(node, "127.0.0.1", port), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    try:
        yield port
    finally:
        assert node.stop_serving is not None
        node.stop_serving()  # server.should_exit
        thread.join(10)
        assert not thread.is_alive()


def read_response(sock: socket.socket) -> tuple[int, dict[str, str]]:
    data = b""
    while b"\r\n\r\n" not in data or len(data.partition(b"\r\n\r\n")[2]) < int(
            dict(line.split(": ", 1) for line in data.partition(b"\r\n\r\n")[0].decode().split("\r\n")[1:]
                 ).get("content-length", "0")):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body) if body else {}


def closed_within(sock: socket.socket, seconds: float, trickle: bool = False) -> bool:
    """Whether the server closes the connection within `seconds` (bytes it still sends are read;
    with `trickle`, the client goes on sending a byte every 0.1 s meanwhile)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        sock.settimeout(min(0.1, max(0.01, deadline - time.monotonic())))
        try:
            if trickle:
                sock.sendall(b" ")
            if not sock.recv(4096):
                return True
        except TimeoutError:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return True
    return False


def test_a_body_trickled_byte_by_byte_is_cut_off_with_408(served: int) -> None:
    with socket.create_connection(("127.0.0.1", served), timeout=5) as sock:
        sock.sendall(b"POST /transactions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 1000\r\n\r\n")
        started = time.monotonic()
        sock.settimeout(0.1)
        answer = b""
        while not answer and time.monotonic() - started < 10:
            try:
                sock.sendall(b" ")  # one byte every 0.1 s: 10 bytes/s
                answer = sock.recv(4096, socket.MSG_PEEK)
            except TimeoutError:
                continue
        elapsed = time.monotonic() - started
        sock.settimeout(5)
        status, body = read_response(sock)
        assert status == 408 and body["rule"] == "request-timeout", body
        assert 0.9 < elapsed < 3.0, elapsed  # the 1 s grace, not the 100 s the body would take
        closing = time.monotonic()
        assert closed_within(sock, 3.0, trickle=True)
        assert time.monotonic() - closing < 0.5  # at once: the 408 says Connection: close


def test_an_idle_kept_alive_connection_is_closed(served: int) -> None:
    with socket.create_connection(("127.0.0.1", served), timeout=5) as sock:
        sock.sendall(b"GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        status, body = read_response(sock)
        assert status == 200 and body["height"] == 0
        started = time.monotonic()
        assert closed_within(sock, 4.0)
        assert time.monotonic() - started < 3.0


def test_a_fair_body_is_read_whole(served: int) -> None:
    """The deadline follows the body: slow to start but arriving at a fair rate is not cut off."""
    tx = make_wallet(0).transfer("minichain-test", make_wallet(1).address, 5, 0, fee=1).json_bytes
    with socket.create_connection(("127.0.0.1", served), timeout=5) as sock:
        sock.sendall(b"POST /transactions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(tx))
        time.sleep(0.5)
        sock.sendall(tx)
        status, body = read_response(sock)
    assert status in (202, 422) and body.get("rule") != "request-timeout", body


def trickle_head_until_answered(sock: socket.socket, seconds: float) -> tuple[float, bytes]:
    """Send a request head one byte every 0.1 s (never finishing it); when the server answers or
    closes: the seconds that took and what it sent."""
    started = time.monotonic()
    sock.settimeout(0.1)
    head = b"GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 10_000
    for byte in head:
        if time.monotonic() - started > seconds:
            break
        try:
            sock.sendall(bytes([byte]))
            answer = sock.recv(4096)
            return time.monotonic() - started, answer
        except TimeoutError:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return time.monotonic() - started, b""
    return time.monotonic() - started, b"(still open)"


def test_a_slow_head_after_a_kept_alive_response_is_cut_off_too(served: int) -> None:
    with socket.create_connection(("127.0.0.1", served), timeout=5) as sock:
        sock.sendall(b"GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert read_response(sock)[0] == 200
        elapsed, answer = trickle_head_until_answered(sock, 10.0)  # data arriving stops keep-alive's timer
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert elapsed < 4.0, elapsed


def test_a_crowd_of_slow_heads_is_closed_and_others_are_served_meanwhile(served: int) -> None:
    crowd = [socket.create_connection(("127.0.0.1", served), timeout=5) for _ in range(150)]
    try:
        for sock in crowd:
            sock.sendall(b"GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a")
        for _ in range(3):  # a fair client is answered at once while the crowd waits
            with socket.create_connection(("127.0.0.1", served), timeout=5) as fair:
                fair.sendall(b"GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                assert read_response(fair)[0] == 200
        deadline = time.monotonic() + 4.0  # each one's deadline is 1.5 s
        closed = sum(closed_within(sock, max(0.01, deadline - time.monotonic())) for sock in crowd)
        assert closed == len(crowd)
    finally:
        for sock in crowd:
            sock.close()
