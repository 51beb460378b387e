"""Hash functions, key pairs, signatures and addresses: the cryptographic suites of a chain.

A chain fixes one suite in its genesis, so every node hashes and verifies the same way:
  sha256-ed25519   SHA-256 (FIPS 180-4) + Ed25519 (RFC 8032); the default
  sha256-secp256k1 SHA-256 + ECDSA on secp256k1 (SEC 2), deterministic nonces (RFC 6979), low-s
  sm3-sm2          SM3 (GB/T 32905-2016) + SM2 signatures (GB/T 32918-2016), China's national suite
An address is the last 20 bytes of the hash of a public key, written in Base58Check so that a
mistyped address is caught by its 4-byte checksum instead of sending funds nowhere.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

import base58
from nacl.bindings import crypto_sign, crypto_sign_open, crypto_sign_seed_keypair
from nacl.exceptions import CryptoError

from minichain.errors import InvalidAddress, InvalidKey

ADDRESS_SIZE = 20
ADDRESS_VERSION = 0x32  # makes every address start with "M"

Hasher = Any  # a hashlib object: update(), digest(), copy()


def _sm3_hashlib_factory() -> Callable[[], Hasher] | None:
    """OpenSSL's SM3 through hashlib, when this Python's OpenSSL has it."""
    try:
        hashlib.new("sm3", b"")
    except ValueError:
        return None
    return functools.partial(hashlib.new, "sm3")


def sm3_pure_python(data: bytes) -> bytes:
    """SM3 in pure Python (gmssl): the fallback when OpenSSL lacks SM3."""
    from gmssl import sm3

    return bytes.fromhex(sm3.sm3_hash(list(data)))


_SM3_FACTORY = _sm3_hashlib_factory()


def sm3(data: bytes) -> bytes:
    if _SM3_FACTORY is None:
        return sm3_pure_python(data)
    hasher = _SM3_FACTORY()
    hasher.update(data)
    digest: bytes = hasher.digest()
    return digest


class Suite(ABC):
    """One hash function and one signature scheme, used together by a whole chain."""

    name: str
    hash_name: str
    public_key_size: int
    signature_size: int

    @abstractmethod
    def hash(self, data: bytes) -> bytes:
        """32-byte digest."""

    def hasher(self) -> Hasher | None:
        """A fresh hashlib object (for miners that reuse a midstate), or None if unavailable."""
        return None

    @abstractmethod
    def private_key_from_seed(self, seed: bytes) -> bytes:
        """A valid 32-byte private key derived deterministically from `seed` (tests, labs)."""

    def generate_private_key(self) -> bytes:
        return self.private_key_from_seed(secrets.token_bytes(32))

    @abstractmethod
    def public_key(self, private_key: bytes) -> bytes: ...

    @abstractmethod
    def sign(self, private_key: bytes, message: bytes) -> bytes: ...

    @abstractmethod
    def verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        """True only for a valid signature; never raises on bad input."""

    def address(self, public_key: bytes) -> str:
        return encode_address(self.hash(public_key)[-ADDRESS_SIZE:])

    def _check_private_key(self, private_key: bytes) -> None:
        if len(private_key) != 32:
            raise InvalidKey(f"{self.name}: a private key is 32 bytes, got {len(private_key)}")


# --- Ed25519 ------------------------------------------------------------------------------------


class Sha256Ed25519(Suite):
    """Through libsodium (pynacl). The 32-byte private key is RFC 8032's seed: hashing it gives
    the secret scalar and the nonce prefix, so signing is deterministic and needs no randomness."""

    name = "sha256-ed25519"
    hash_name = "sha256"
    public_key_size = 32
    signature_size = 64

    def hash(self, data: bytes) -> bytes:
        return hashlib.sha256(data).digest()

    def hasher(self) -> Hasher:
        return hashlib.sha256()

    def private_key_from_seed(self, seed: bytes) -> bytes:
        return hashlib.sha256(b"minichain/ed25519-seed" + seed).digest()

    def public_key(self, private_key: bytes) -> bytes:
        self._check_private_key(private_key)
        public_key, _ = crypto_sign_seed_keypair(private_key)
        return bytes(public_key)

    def sign(self, private_key: bytes, message: bytes) -> bytes:
        self._check_private_key(private_key)
        _, secret_key = crypto_sign_seed_keypair(private_key)  # libsodium's form: seed || public key
        signed: bytes = crypto_sign(message, secret_key)  # signature || message
        return signed[:64]

    def verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        if len(public_key) != 32 or len(signature) != 64:
            return False
        try:
            crypto_sign_open(signature + message, public_key)
        except (CryptoError, ValueError, TypeError):
            return False
        return True


# --- secp256k1 ----------------------------------------------------------------------------------

SECP256K1_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


class Sha256Secp256k1(Suite):
    """ECDSA as in Bitcoin and Ethereum. Only low-s signatures are valid, so a third party cannot
    flip s to n - s and produce a second valid signature (malleability, BIP 62/146).
    Through libsecp256k1 (coincurve), Bitcoin Core's own library: nonces by RFC 6979, s always
    low; its signatures are byte-identical to pycryptodome's deterministic-rfc6979 with low_s."""

    name = "sha256-secp256k1"
    hash_name = "sha256"
    public_key_size = 33  # SEC1 compressed point
    signature_size = 64  # r || s, 32 bytes each

    def hash(self, data: bytes) -> bytes:
        return hashlib.sha256(data).digest()

    def hasher(self) -> Hasher:
        return hashlib.sha256()

    def private_key_from_seed(self, seed: bytes) -> bytes:
        scalar = int.from_bytes(hashlib.sha256(b"minichain/secp256k1-seed" + seed).digest(), "big")
        return (scalar % (SECP256K1_ORDER - 1) + 1).to_bytes(32, "big")

    def public_key(self, private_key: bytes) -> bytes:
        point: bytes = _secp256k1_private(private_key).public_key.format(compressed=True)
        return point

    def sign(self, private_key: bytes, message: bytes) -> bytes:
        # A recoverable signature is r || s || recovery id; the id is not part of ours.
        signature: bytes = _secp256k1_private(private_key).sign_recoverable(message, hasher=_sha256)
        return signature[:64]

    def verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        if len(signature) != 64:
            return False
        if int.from_bytes(signature[32:], "big") > SECP256K1_ORDER // 2:
            return False  # high s: libsecp256k1 refuses it too; said here so it can be read
        from coincurve.ecdsa import cdata_to_der, deserialize_compact

        try:
            der = cdata_to_der(deserialize_compact(signature))  # r or s >= n raises ValueError
            return bool(_secp256k1_public(public_key).verify(der, message, hasher=_sha256))
        except (ValueError, TypeError, InvalidKey):
            return False


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _secp256k1_private(private_key: bytes) -> Any:
    from coincurve import PrivateKey

    if len(private_key) != 32:
        raise InvalidKey(f"sha256-secp256k1: a private key is 32 bytes, got {len(private_key)}")
    scalar = int.from_bytes(private_key, "big")
    if not 1 <= scalar < SECP256K1_ORDER:
        raise InvalidKey("sha256-secp256k1: private key out of range [1, n)")
    return PrivateKey(private_key)


def _secp256k1_public(public_key: bytes) -> Any:
    from coincurve import PublicKey

    if len(public_key) != 33:
        raise InvalidKey(f"sha256-secp256k1: a public key is 33 bytes, got {len(public_key)}")
    try:
        return PublicKey(public_key)
    except ValueError as error:
        raise InvalidKey(f"sha256-secp256k1: not a point on the curve ({error})") from error


# --- SM2 ----------------------------------------------------------------------------------------


class Sm3Sm2(Suite):
    """SM2 through gmssl (pure Python: slow, fine for teaching, not for load).
    gmssl wants public keys without the '04' prefix and draws no safe nonce itself, so we pass
    one from `secrets` (a repeated SM2 nonce reveals the private key, exactly as in ECDSA).
    gmssl's constructor also strips a '04' prefix with `lstrip("04")`, which eats every leading
    '0' and '4' of a key whose x coordinate begins with the byte 04 (1 key in 256): such a key
    signed and verified against another point. `_gmssl` hands gmssl the key unchanged."""

    name = "sm3-sm2"
    hash_name = "sm3"
    public_key_size = 64  # x || y, 32 bytes each
    signature_size = 64  # r || s

    _ORDER = int("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123", 16)

    def hash(self, data: bytes) -> bytes:
        return sm3(data)

    def hasher(self) -> Hasher | None:
        return _SM3_FACTORY() if _SM3_FACTORY is not None else None

    def private_key_from_seed(self, seed: bytes) -> bytes:
        scalar = int.from_bytes(sm3(b"minichain/sm2-seed" + seed), "big")
        return (scalar % (self._ORDER - 2) + 1).to_bytes(32, "big")

    def public_key(self, private_key: bytes) -> bytes:
        from gmssl import sm2

        scalar = self._scalar(private_key)
        point_hex: str = sm2.CryptSM2(private_key=private_key.hex(), public_key="")._kg(
            scalar, sm2.default_ecc_table["g"]
        )
        return bytes.fromhex(point_hex)

    def sign(self, private_key: bytes, message: bytes) -> bytes:
        self._scalar(private_key)
        public_hex = self.public_key(private_key).hex()
        signer = _gmssl(private_key.hex(), public_hex)
        for _ in range(8):  # gmssl returns None when the random nonce is out of range (~2^-32)
            signature_hex: str | None = signer.sign_with_sm3(message, secrets.token_hex(32))
            if signature_hex is not None:
                return bytes.fromhex(signature_hex)
        raise InvalidKey("sm3-sm2: could not produce a signature")

    def verify(self, public_key: bytes, message: bytes, signature: bytes) -> bool:
        if len(public_key) != 64 or len(signature) != 64:
            return False
        r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        if not (1 <= r < self._ORDER and 1 <= s < self._ORDER):
            return False  # gmssl skips this check (GB/T 32918.2 step B1-B2): s + n would verify
        try:
            verifier = _gmssl(None, public_key.hex())
            return bool(verifier.verify_with_sm3(signature.hex(), message))
        except (TypeError, ValueError, ZeroDivisionError, AttributeError):
            return False

    def _scalar(self, private_key: bytes) -> int:
        self._check_private_key(private_key)
        scalar = int.from_bytes(private_key, "big")
        if not 1 <= scalar < self._ORDER - 1:
            raise InvalidKey("sm3-sm2: private key out of range [1, n-1)")
        return scalar


def _gmssl(private_hex: str | None, public_hex: str) -> Any:
    """A gmssl signer/verifier holding exactly `public_hex` (x || y, 128 hex digits)."""
    from gmssl import sm2

    crypt = sm2.CryptSM2(private_key=private_hex, public_key="")
    crypt.public_key = public_hex  # not through the constructor's lstrip("04") (see Sm3Sm2)
    return crypt


# --- registry and addresses ---------------------------------------------------------------------

SUITES: dict[str, Suite] = {
    suite.name: suite for suite in (Sha256Ed25519(), Sha256Secp256k1(), Sm3Sm2())
}
DEFAULT_SUITE = "sha256-ed25519"


def get_suite(name: str) -> Suite:
    try:
        return SUITES[name]
    except KeyError:
        known = ", ".join(sorted(SUITES))
        raise InvalidKey(f"unknown suite {name!r}; known suites: {known}") from None


def encode_address(raw: bytes) -> str:
    if len(raw) != ADDRESS_SIZE:
        raise InvalidAddress(f"an address is {ADDRESS_SIZE} bytes, got {len(raw)}", check="length")
    text: str = base58.b58encode_check(bytes([ADDRESS_VERSION]) + raw).decode("ascii")
    return text


def decode_address(text: str) -> bytes:
    """The 20 address bytes, or InvalidAddress naming what is wrong (checksum, version, length)."""
    if not isinstance(text, str) or not text:
        raise InvalidAddress(f"expected an address string, found {text!r:.80}", check="type",
                             address=text[:80] if isinstance(text, str) else None)
    if not text[-1].isalnum():  # base58 strips trailing spaces: "M…\n" would name a second account
        raise InvalidAddress(f"address {text!r}: bad checksum or character (ends in {text[-1]!r})",
                             check="checksum", address=text)
    try:
        payload: bytes = base58.b58decode_check(text)
    except ValueError as error:
        raise InvalidAddress(f"address {text!r}: bad checksum or character ({error})", check="checksum",
                             address=text) from None
    if len(payload) != ADDRESS_SIZE + 1 or payload[0] != ADDRESS_VERSION:
        raise InvalidAddress(f"address {text!r}: not a minichain address (version or length)",
                             check="version", address=text)
    return payload[1:]


def is_address(text: str) -> bool:
    try:
        decode_address(text)
    except InvalidAddress:
        return False
    return True
