"""The audience follows: the one piece of state shared between sessions, by design.

The presenter's stage page publishes a `Frame` (where the show is, and what its step shows, drawn
once for phones) to one `Board` kept by `st.cache_resource`; every audience page reads the latest
frame in a fragment that refreshes itself. A frame is immutable and replaced whole under a lock, so
a phone never sees half a step; it holds only what the room already sees on the projector.
Everything else stays in each browser's own session. Only a browser on the presenter's own machine
(Streamlit reports no client address for loopback) may publish: a phone can follow, never lead.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace

import psutil
import streamlit as st

from explorer.common import Part

REFRESH_SECONDS = 1.0  # how often a phone asks for the latest frame
FRAME_BYTES = 512_000  # a frame bigger than this is not published (pictures are a few kB each)


@dataclass(frozen=True)
class Frame:
    """What the audience sees: the show's position and the current step's parts, in one language."""

    scenario: str
    done: int
    total: int
    lang: str
    heading: str  # the scenario's name
    step: str  # what the room should notice ("" before the first step)
    parts: tuple[Part, ...]
    coming: str  # the next step's title ("" at the end)
    version: int = 0  # set by the board: 1, 2, ... (a phone redraws only when it changes)
    published: float = 0.0  # time.time() of publishing

    @property
    def position(self) -> tuple[str, int, str, tuple[Part, ...]]:
        return self.scenario, self.done, self.lang, self.parts

    def size(self) -> int:
        return sum(len(p.text) + len(p.caption) for p in self.parts) + len(self.step) + len(self.coming)


class Board:
    """The latest frame, replaced whole under a lock (sessions run in threads of one process)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._frame: Frame | None = None

    def publish(self, frame: Frame) -> bool:
        """Make `frame` the latest one; False (nothing changes) if it shows what the latest shows
        or is over FRAME_BYTES."""
        if frame.size() > FRAME_BYTES:
            return False
        with self._lock:
            if self._frame is not None and self._frame.position == frame.position:
                return False
            version = 1 if self._frame is None else self._frame.version + 1
            self._frame = replace(frame, version=version, published=time.time())
            return True

    def latest(self) -> Frame | None:
        with self._lock:
            return self._frame


@st.cache_resource
def board() -> Board:
    """The one board of this explorer process, shared by every session."""
    return Board()


def may_publish() -> bool:
    """True for a browser on this machine (loopback: Streamlit reports no address), the presenter's
    laptop; False for a phone, whose address Streamlit reports."""
    return not isinstance(st.context.ip_address, str)


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses that phones on the same network can reach, private ranges first
    (read from the interfaces: nothing is sent anywhere)."""
    found = []
    for addresses in psutil.net_if_addrs().values():
        for address in addresses:
            ip = address.address
            if address.family.name == "AF_INET" and not ip.startswith(("127.", "169.254.")):
                found.append(ip)
    private = ("10.", "192.168.", *(f"172.{n}." for n in range(16, 32)))
    return sorted(set(found), key=lambda ip: (not ip.startswith(private), ip))
