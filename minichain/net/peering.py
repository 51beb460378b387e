"""The HTTP node's side of authenticated channels (channel.py): where handshake messages are
POSTed, how fast strangers may start them, and which node key a node runs with.

A node key lives in the data directory as `node.key` (mode 0600), made on first start in the
chain's suite; an authority runs with its authority key instead, so the key that signs its
blocks (and, later, its BFT votes) is the key its peers know it by.
"""

from __future__ import annotations

import time
from collections import deque
from pathlib import Path

from minichain.wallet import Wallet

NODE_KEY_FILE = "node.key"
AUTH_HEADER = "X-Minichain-Auth"  # channel id . counter . HMAC, on every frame and on confirm
HANDSHAKES_PER_WINDOW = 100  # handshake requests one source address may make per window
HANDSHAKE_WINDOW = 10.0  # seconds
MAX_SOURCES_TRACKED = 10_000  # source addresses remembered for the rate limit


def load_node_key(data_dir: Path, suite: str) -> Wallet:
    """The node key in `data_dir`, made (0600) if there is none yet."""
    path = data_dir / NODE_KEY_FILE
    if path.exists():
        return Wallet.load(path)
    wallet = Wallet.generate(suite)
    wallet.save(path)
    return wallet


class HandshakeLimiter:
    """At most HANDSHAKES_PER_WINDOW handshake requests per source address per window: a stranger
    cannot make us sign, compute and POST without limit (each init costs us all three)."""

    def __init__(self, limit: int = HANDSHAKES_PER_WINDOW, window: float = HANDSHAKE_WINDOW) -> None:
        self.limit, self.window = limit, window
        self._seen: dict[str, deque[float]] = {}

    def allow(self, source: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        if source not in self._seen and len(self._seen) >= MAX_SOURCES_TRACKED:
            self._seen = {s: q for s, q in self._seen.items() if q and q[-1] > now - self.window}
            if len(self._seen) >= MAX_SOURCES_TRACKED:
                return False
        times = self._seen.setdefault(source, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(times) >= self.limit:
            return False
        times.append(now)
        return True
