"""Authenticated channels between nodes: who sent a message is proven, never claimed.

Theory of operation (a small handshake in the spirit of Noise and Ethereum's RLPx; FISCO BCOS and
Fabric get the same from node certificates). Every node has a node key, a key pair in the chain's
suite (an authority's node key is its signing key). Node A opens a channel to node B:
  1. init     A -> B:          A's node key, a fresh ephemeral X25519 key, A's URL
  2. accept   B -> A's URL:    B's node key and ephemeral key, B's signature over the transcript
  3. confirm  A -> B:          A's signature over the transcript, on the new channel
The transcript binds the chain id, the genesis hash, both node keys, both ephemeral keys and both
URLs, so no signature can be replayed into another handshake. `accept` goes to the URL A gave, so
only whoever receives at that URL learns B's ephemeral key, and with it the channel key (X25519 of
the two ephemeral keys, hashed with the transcript): a URL is proven by reachability, a node key by
its signature. After that every frame carries the channel id, a counter that only grows and an
HMAC-SHA256 of counter and body: a peer's identity is its channel, never a header, and a frame
cannot be replayed. An eavesdropper cannot compute the channel key; the content (public chain
data) is not hidden: that would be TLS's job.
This module is sans-IO, like the node core: bytes and the time go in, frames to send come out.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from nacl.bindings import crypto_scalarmult, crypto_scalarmult_base

from minichain.encoding import canonical_json, parse_json, require_hex, require_object, require_str, tagged
from minichain.errors import PeerAuthError
from minichain.wallet import Wallet

HANDSHAKE_PATH = "/p2p/handshake"
MAX_HANDSHAKE_BYTES = 4096  # an init, accept or confirm is a few hundred bytes
PENDING_SECONDS = 10.0  # a handshake not finished by then is forgotten
MAX_PENDING = 32  # handshakes under way at once, at most (each may cost us one request out)
MAX_URL_CHARS = 200
CHANNEL_ID_BYTES = 16
CHANNELS_PER_PEER = 2  # ready channels kept per peer URL (both sides may open one at once)


def check_peer_url(url: str, allow_private: bool) -> str:
    """`url` as a peer's base URL: http(s)://host:port and nothing else (no path, query, user);
    loopback and private addresses only if `allow_private` (a classroom or a test). Raises
    PeerAuthError (check "url")."""
    if not isinstance(url, str) or len(url) > MAX_URL_CHARS:
        raise PeerAuthError("a peer URL is a string of at most 200 characters", check="url")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise PeerAuthError(f"peer URL {url!r:.80}: {error}", check="url", peer=url[:80]) from None
    if (parts.scheme not in ("http", "https") or not parts.hostname or port is None
            or parts.username is not None or parts.password is not None
            or parts.path not in ("", "/") or parts.query or parts.fragment):
        raise PeerAuthError(f"peer URL {url!r:.80}: expected http://host:port and nothing more",
                            check="url", peer=url[:80])
    host = parts.hostname
    if not allow_private:
        try:
            address = ipaddress.ip_address(host)
            private = not address.is_global
        except ValueError:
            private = host == "localhost" or host.endswith(".localhost")
        if private:
            raise PeerAuthError(f"peer URL {url!r:.80}: a private or loopback address, and this node "
                                "contacts those only when configured to", check="url", peer=url[:80])
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class Channel:
    """One authenticated channel, as one side sees it."""

    id: bytes
    peer_url: str  # proven by reachability
    peer_key: bytes  # proven by signature
    peer_address: str  # the address of peer_key, in the chain's suite
    send_key: bytes
    receive_key: bytes
    initiator: bool
    ready: bool  # the initiator: once accept verified; the responder: once confirm verified
    transcript: bytes  # what both sides signed; the id is its first 16 bytes
    started: float  # when the handshake began
    sent: int = 0  # the counter of the last frame we sealed
    received: int = 0  # the counter of the last frame we accepted


@dataclass(frozen=True)
class Outgoing:
    """A handshake message to POST to `url` + HANDSHAKE_PATH, with `auth` as its header if set."""

    url: str
    body: bytes
    auth: str | None = None


@dataclass
class _Pending:
    ephemeral_secret: bytes
    started: float


@dataclass(frozen=True)
class HandshakeResult:
    replies: tuple[Outgoing, ...] = ()
    ready: Channel | None = None  # a channel that became ready with this message


class Channels:
    """This node's channels: the handshakes it runs and the frames it seals and opens."""

    def __init__(self, node_key: Wallet, chain_id: str, genesis_hash: bytes, url: str,
                 entropy: Callable[[int], bytes], *, allow_private: bool = False,
                 configured: Iterable[str] = (), admitted: Iterable[str] | None = None) -> None:
        self.key = node_key
        self.suite = node_key.suite
        self.chain_id, self.genesis_hash = chain_id, genesis_hash
        self.url = url.rstrip("/")
        self.entropy = entropy
        self.allow_private = allow_private  # contact strangers' private and loopback URLs too
        self.configured = frozenset(url.rstrip("/") for url in configured)  # always allowed
        self.admitted = None if admitted is None else frozenset(admitted)  # None: any node key
        self._pending: dict[bytes, _Pending] = {}  # our ephemeral public key -> its secret
        self._channels: dict[bytes, Channel] = {}  # channel id -> channel
        self._by_url: dict[str, bytes] = {}  # peer URL -> id of its newest ready channel
        self._opened: dict[str, float] = {}  # URL -> when we last sent it an init
        self.refused_keys: dict[str, float] = {}  # node address -> refused until (bans)

    # --- the handshake ------------------------------------------------------------------------------

    def open(self, url: str, now: float) -> Outgoing:
        """Start a channel to `url` (one we were configured with or learned from a ready peer)."""
        self._forget_stale(now)
        secret = self.entropy(32)
        ephemeral = crypto_scalarmult_base(secret)
        self._pending[ephemeral] = _Pending(secret, now)
        self._opened[url.rstrip("/")] = now
        body = canonical_json({"type": "init", "key": self.key.public_key.hex(),
                               "ephemeral": ephemeral.hex(), "url": self.url,
                               "chain_id": self.chain_id, "genesis": self.genesis_hash.hex()})
        return Outgoing(url.rstrip("/"), body)

    def on_handshake(self, body: bytes, auth: str | None, now: float) -> HandshakeResult:
        """Handle an init, accept or confirm. Raises PeerAuthError or MalformedData, and then
        nothing has changed."""
        if len(body) > MAX_HANDSHAKE_BYTES:
            raise PeerAuthError(f"handshake message of {len(body)} bytes", check="syntax")
        value = parse_json(body, "handshake")
        kind = value.get("type") if isinstance(value, dict) else None
        match kind:
            case "init":
                return self._on_init(value, now)
            case "accept":
                return self._on_accept(value, now)
            case "confirm":
                return self._on_confirm(value, body, auth)
            case _:
                raise PeerAuthError(f"not a handshake message (type {kind!r:.40})", check="syntax")

    def _on_init(self, value: dict[str, object], now: float) -> HandshakeResult:
        obj = require_object(value, "init", {"type", "key", "ephemeral", "url", "chain_id", "genesis"})
        self._check_chain(obj)
        their_key = require_hex(obj, "key", "init")
        their_ephemeral = require_hex(obj, "ephemeral", "init", 32)
        claimed = require_str(obj, "url", "init", MAX_URL_CHARS)
        their_url = check_peer_url(claimed, self.allow_private or claimed.rstrip("/") in self.configured)
        their_address = self._admit(their_key, now)
        self._forget_stale(now)
        if len(self._pending) + sum(not c.ready for c in self._channels.values()) >= MAX_PENDING:
            raise PeerAuthError("too many handshakes under way; try again shortly", check="pending")
        secret = self.entropy(32)
        ephemeral = crypto_scalarmult_base(secret)
        transcript = self._transcript(their_key, their_ephemeral, their_url,
                                      self.key.public_key, ephemeral, self.url)
        channel = self._channel(transcript, crypto_scalarmult(secret, their_ephemeral), their_url,
                                their_key, their_address, initiator=False, now=now)
        self._channels[channel.id] = channel
        signature = self.suite.sign(self.key.private_key, tagged("channel-accept", transcript.hex()))
        body = canonical_json({"type": "accept", "to": their_ephemeral.hex(),
                               "key": self.key.public_key.hex(), "ephemeral": ephemeral.hex(),
                               "url": self.url, "signature": signature.hex()})
        return HandshakeResult((Outgoing(their_url, body),))

    def _on_accept(self, value: dict[str, object], now: float) -> HandshakeResult:
        obj = require_object(value, "accept", {"type", "to", "key", "ephemeral", "url", "signature"})
        ours = require_hex(obj, "to", "accept", 32)
        pending = self._pending.get(ours)
        if pending is None or now - pending.started > PENDING_SECONDS:
            raise PeerAuthError("an accept for no handshake of ours", check="pending")
        their_key = require_hex(obj, "key", "accept")
        their_ephemeral = require_hex(obj, "ephemeral", "accept", 32)
        # The URL the accept names (it came to ours): where our frames to this node will go.
        their_url = check_peer_url(require_str(obj, "url", "accept", MAX_URL_CHARS), True)
        transcript = self._transcript(self.key.public_key, ours, self.url,
                                      their_key, their_ephemeral, their_url)
        signature = require_hex(obj, "signature", "accept")
        if not self.suite.verify(their_key, tagged("channel-accept", transcript.hex()), signature):
            raise PeerAuthError(f"{their_url}: the accept's signature does not verify", check="signature",
                                peer=their_url)
        their_address = self._admit(their_key, now)
        del self._pending[ours]
        channel = self._channel(transcript, crypto_scalarmult(pending.ephemeral_secret, their_ephemeral),
                                their_url, their_key, their_address, initiator=True, now=now)
        self._channels[channel.id] = channel
        self._make_ready(channel)
        mine = self.suite.sign(self.key.private_key, tagged("channel-confirm", transcript.hex()))
        body = canonical_json({"type": "confirm", "signature": mine.hex()})
        return HandshakeResult((Outgoing(their_url, body, self._seal(channel, body)),), channel)

    def _on_confirm(self, value: dict[str, object], body: bytes, auth: str | None) -> HandshakeResult:
        obj = require_object(value, "confirm", {"type", "signature"})
        channel = self._authenticate(auth, body, confirming=True)
        if not self.suite.verify(channel.peer_key, tagged("channel-confirm", channel.transcript.hex()),
                                 require_hex(obj, "signature", "confirm")):
            raise PeerAuthError(f"{channel.peer_url}: the confirm's signature does not verify",
                                check="signature", peer=channel.peer_url)
        self._make_ready(channel)
        return HandshakeResult((), channel)

    # --- frames -------------------------------------------------------------------------------------

    def seal(self, url: str, body: bytes) -> str | None:
        """The auth header for a frame to `url`'s ready channel (None: there is none yet)."""
        channel_id = self._by_url.get(url)
        return None if channel_id is None else self._seal(self._channels[channel_id], body)

    def open_frame(self, auth: str | None, body: bytes) -> Channel:
        """The ready channel a frame came on, if its header proves it. Raises PeerAuthError."""
        return self._authenticate(auth, body, confirming=False)

    def knows(self, auth: str | None) -> bool:
        """Whether a frame header names one of our ready channels: checked before its body is
        read, so a stranger's large body costs us nothing."""
        channel_hex = (auth or "").split(".", 1)[0]
        try:
            channel = self._channels.get(bytes.fromhex(channel_hex))
        except ValueError:
            return False
        return channel is not None and channel.ready

    def pending_to(self, url: str, now: float) -> bool:
        """Whether we have a handshake to `url` under way (so another is not started)."""
        return self._opened.get(url, -1e9) > now - PENDING_SECONDS

    def channel_to(self, url: str) -> Channel | None:
        channel_id = self._by_url.get(url)
        return None if channel_id is None else self._channels[channel_id]

    def close(self, url: str, refuse_until: float | None = None) -> None:
        """Forget `url`'s channels; with `refuse_until`, refuse its node key until then (a ban)."""
        for channel_id, channel in list(self._channels.items()):
            if channel.peer_url == url:
                del self._channels[channel_id]
                if refuse_until is not None:
                    self.refused_keys[channel.peer_address] = refuse_until
        self._by_url.pop(url, None)

    # --- the parts ----------------------------------------------------------------------------------

    def _check_chain(self, obj: dict[str, object]) -> None:
        chain_id, genesis = require_str(obj, "chain_id", "init"), require_hex(obj, "genesis", "init", 32)
        if chain_id != self.chain_id or genesis != self.genesis_hash:
            raise PeerAuthError(f"another chain: {chain_id!r:.40} genesis {genesis.hex()[:8]}, this node "
                                f"follows {self.chain_id!r} genesis {self.genesis_hash.hex()[:8]}",
                                check="chain")

    def _admit(self, key: bytes, now: float) -> str:
        try:
            address = self.suite.address(key)
        except Exception as error:  # a key the suite cannot read: the peer's fault
            raise PeerAuthError(f"a node key the suite cannot use ({type(error).__name__})",
                                check="syntax") from None
        if self.refused_keys.get(address, 0.0) > now:
            raise PeerAuthError(f"node {address} is banned here", check="admission", peer=address)
        if self.admitted is not None and address not in self.admitted:
            raise PeerAuthError(f"node {address} is not admitted to this consortium network "
                                f"({len(self.admitted)} node keys are)", check="admission", peer=address)
        return address

    def _transcript(self, init_key: bytes, init_ephemeral: bytes, init_url: str,
                    accept_key: bytes, accept_ephemeral: bytes, accept_url: str) -> bytes:
        return hashlib.sha256(tagged("channel", {
            "chain_id": self.chain_id, "genesis": self.genesis_hash.hex(),
            "init": [init_key.hex(), init_ephemeral.hex(), init_url],
            "accept": [accept_key.hex(), accept_ephemeral.hex(), accept_url]})).digest()

    def _make_ready(self, channel: Channel) -> None:
        """The channel is proven both ways; the peer's older channels beyond the newest few go
        (both sides may open one at the same moment, so more than one stays usable)."""
        channel.ready = True
        self._by_url[channel.peer_url] = channel.id
        same = [c for c in self._channels.values() if c.peer_url == channel.peer_url and c.ready]
        for old in sorted(same, key=lambda c: c.started)[:-CHANNELS_PER_PEER]:
            del self._channels[old.id]

    def _channel(self, transcript: bytes, shared: bytes, url: str, key: bytes, address: str,
                 initiator: bool, now: float) -> Channel:
        secret = hashlib.sha256(b"minichain/channel-key\x00" + shared + transcript).digest()
        to_acceptor = hmac.digest(secret, b"init->accept", "sha256")
        to_initiator = hmac.digest(secret, b"accept->init", "sha256")
        channel = Channel(transcript[:CHANNEL_ID_BYTES], url, key, address,
                          send_key=to_acceptor if initiator else to_initiator,
                          receive_key=to_initiator if initiator else to_acceptor,
                          initiator=initiator, ready=False, transcript=transcript, started=now)
        return channel

    def _seal(self, channel: Channel, body: bytes) -> str:
        channel.sent += 1
        mac = hmac.digest(channel.send_key, channel.sent.to_bytes(8, "big") + body, "sha256")
        return f"{channel.id.hex()}.{channel.sent}.{mac.hex()}"

    def _authenticate(self, auth: str | None, body: bytes, confirming: bool) -> Channel:
        try:
            channel_hex, counter_text, mac_hex = (auth or "").split(".")
            channel_id, mac = bytes.fromhex(channel_hex), bytes.fromhex(mac_hex)
            counter = int(counter_text) if counter_text.isdigit() and len(counter_text) <= 19 else -1
        except ValueError:
            raise PeerAuthError("no channel header, or not channel.counter.mac", check="syntax") from None
        channel = self._channels.get(channel_id)
        if channel is None or channel.ready == confirming:
            raise PeerAuthError("a frame on no channel of ours (handshake first)", check="unknown-channel")
        expected = hmac.digest(channel.receive_key, counter.to_bytes(8, "big", signed=True) + body, "sha256")
        if not hmac.compare_digest(expected, mac):
            raise PeerAuthError("the frame's MAC does not match (changed, or not from this channel)",
                                check="mac", peer=channel.peer_url)
        if counter <= channel.received:
            raise PeerAuthError(f"frame counter {counter} not after {channel.received} (a replay?)",
                                check="counter", peer=channel.peer_url)
        channel.received = counter
        return channel

    def _forget_stale(self, now: float) -> None:
        for ephemeral, pending in list(self._pending.items()):
            if now - pending.started > PENDING_SECONDS:
                del self._pending[ephemeral]
        for channel_id, channel in list(self._channels.items()):
            if not channel.ready and now - channel.started > PENDING_SECONDS:
                del self._channels[channel_id]


__all__ = ["HANDSHAKE_PATH", "Channel", "Channels", "HandshakeResult", "Outgoing", "check_peer_url"]
