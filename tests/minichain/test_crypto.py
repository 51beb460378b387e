"""Hash and signature suites: round trips, tamper detection, published test vectors, addresses."""

from __future__ import annotations

import hashlib

import base58
import pytest
from coincurve import PublicKey
from nacl.signing import SigningKey

from minichain import crypto
from minichain.crypto import (
    ADDRESS_SIZE,
    ADDRESS_VERSION,
    SECP256K1_ORDER,
    SUITES,
    decode_address,
    encode_address,
    get_suite,
    is_address,
    sm3,
    sm3_pure_python,
)
from minichain.errors import InvalidAddress, InvalidKey

SUITE_NAMES = ["sha256-ed25519", "sha256-secp256k1", "sm3-sm2"]
MESSAGE = b"minichain: move 5 coins from alice to bob"
ED25519_ORDER = 2**252 + 27742317777372353535851937790883648493  # L in RFC 8032


def flip_bit(data: bytes, bit: int) -> bytes:
    out = bytearray(data)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


def spread(size_bits: int) -> list[int]:
    """A few bit positions across a value: first, last, and some in between."""
    return sorted({0, 7, size_bits // 3, size_bits // 2 + 1, size_bits - 1})


@pytest.fixture(params=SUITE_NAMES)
def keyed(request: pytest.FixtureRequest) -> tuple[crypto.Suite, bytes, bytes, bytes]:
    """(suite, private key, public key, signature over MESSAGE)."""
    suite = get_suite(request.param)
    private_key = suite.private_key_from_seed(b"test-crypto")
    public_key = suite.public_key(private_key)
    return suite, private_key, public_key, suite.sign(private_key, MESSAGE)


# --- every suite --------------------------------------------------------------------------------


def test_suites_are_registered_under_their_names() -> None:
    assert sorted(SUITES) == sorted(SUITE_NAMES)
    assert crypto.DEFAULT_SUITE == "sha256-ed25519"
    for name in SUITE_NAMES:
        assert get_suite(name).name == name


def test_sign_verify_round_trip(keyed: tuple[crypto.Suite, bytes, bytes, bytes]) -> None:
    suite, _, public_key, signature = keyed
    assert len(public_key) == suite.public_key_size
    assert len(signature) == suite.signature_size
    assert suite.verify(public_key, MESSAGE, signature) is True


def test_hash_is_32_bytes_and_matches_the_named_function(
    keyed: tuple[crypto.Suite, bytes, bytes, bytes],
) -> None:
    suite = keyed[0]
    expected = hashlib.sha256(b"abc").digest() if suite.hash_name == "sha256" else sm3(b"abc")
    assert suite.hash(b"abc") == expected
    assert len(suite.hash(b"")) == 32


@pytest.mark.parametrize("bit", spread(len(MESSAGE) * 8))
def test_flipped_bit_in_message_fails_verify(
    keyed: tuple[crypto.Suite, bytes, bytes, bytes], bit: int
) -> None:
    suite, _, public_key, signature = keyed
    assert suite.verify(public_key, flip_bit(MESSAGE, bit), signature) is False


@pytest.mark.parametrize("bit", [0, 100, 255, 256, 300, 511])
def test_flipped_bit_in_signature_fails_verify(
    keyed: tuple[crypto.Suite, bytes, bytes, bytes], bit: int
) -> None:
    suite, _, public_key, signature = keyed
    assert suite.verify(public_key, MESSAGE, flip_bit(signature, bit)) is False


def test_flipped_bit_in_public_key_fails_verify(
    keyed: tuple[crypto.Suite, bytes, bytes, bytes],
) -> None:
    suite, _, public_key, signature = keyed
    for bit in spread(len(public_key) * 8):
        # Some flips give a point off the curve, some a different valid key: both must be False.
        assert suite.verify(flip_bit(public_key, bit), MESSAGE, signature) is False, bit


def test_verify_returns_false_on_garbage_instead_of_raising(
    keyed: tuple[crypto.Suite, bytes, bytes, bytes],
) -> None:
    suite, _, public_key, signature = keyed
    cases = [
        (b"", MESSAGE, signature),
        (public_key, MESSAGE, b""),
        (public_key[:-1], MESSAGE, signature),
        (public_key, MESSAGE, signature + b"\x00"),
        (bytes(len(public_key)), MESSAGE, signature),
        (b"\xff" * len(public_key), MESSAGE, signature),
        (public_key, MESSAGE, bytes(64)),
        (public_key, MESSAGE, b"\xff" * 64),
    ]
    for key, message, sig in cases:
        assert suite.verify(key, message, sig) is False, (key.hex(), sig.hex())


def test_signature_from_another_key_fails(keyed: tuple[crypto.Suite, bytes, bytes, bytes]) -> None:
    suite, _, _, signature = keyed
    other = suite.public_key(suite.private_key_from_seed(b"someone-else"))
    assert suite.verify(other, MESSAGE, signature) is False


def test_private_key_from_seed_is_deterministic_and_seed_dependent(
    keyed: tuple[crypto.Suite, bytes, bytes, bytes],
) -> None:
    suite, private_key, _, _ = keyed
    assert suite.private_key_from_seed(b"test-crypto") == private_key
    assert suite.private_key_from_seed(b"test-crypto!") != private_key
    assert len(suite.generate_private_key()) == 32
    assert suite.generate_private_key() != suite.generate_private_key()


def test_invalid_key_wrong_private_key_size(keyed: tuple[crypto.Suite, bytes, bytes, bytes]) -> None:
    suite = keyed[0]
    with pytest.raises(InvalidKey, match="32 bytes, got 31") as excinfo:
        suite.sign(bytes(range(1, 32)), MESSAGE)
    assert excinfo.value.rule == "key"


def test_invalid_key_unknown_suite() -> None:
    with pytest.raises(InvalidKey, match=r"unknown suite 'sha1-rsa'.*sha256-ed25519") as excinfo:
        get_suite("sha1-rsa")
    assert excinfo.value.rule == "key"


def test_address_is_the_last_20_bytes_of_the_key_hash(
    keyed: tuple[crypto.Suite, bytes, bytes, bytes],
) -> None:
    suite, _, public_key, _ = keyed
    address = suite.address(public_key)
    assert decode_address(address) == suite.hash(public_key)[-ADDRESS_SIZE:]
    assert address.startswith("M")


# --- Ed25519 ------------------------------------------------------------------------------------


def test_ed25519_rfc8032_test_vector_1() -> None:
    suite = get_suite("sha256-ed25519")
    secret = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    assert suite.public_key(secret).hex() == (
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    )
    assert suite.sign(secret, b"").hex() == (
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39"
        "701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    )


@pytest.mark.parametrize("seed", [b"a", b"b", b"c"])
def test_ed25519_signatures_equal_pynacl_and_pycryptodome(seed: bytes) -> None:
    # Two more RFC 8032 implementations: pynacl's high-level API and pycryptodome's own code.
    from Crypto.Signature import eddsa

    suite = get_suite("sha256-ed25519")
    private_key = suite.private_key_from_seed(seed)
    nacl_key = SigningKey(private_key)
    other_key = eddsa.import_private_key(private_key)
    other = eddsa.new(other_key, "rfc8032")
    assert suite.public_key(private_key) == bytes(nacl_key.verify_key)
    assert suite.public_key(private_key) == other_key.public_key().export_key(format="raw")
    for message in (b"", MESSAGE, bytes(range(256)) * 4):
        assert suite.sign(private_key, message) == nacl_key.sign(message).signature
        assert suite.sign(private_key, message) == other.sign(message)


def test_ed25519_rejects_non_canonical_s() -> None:
    # S + L verifies in a naive implementation; RFC 8032 (and libsodium) require S < L.
    suite = get_suite("sha256-ed25519")
    private_key = suite.private_key_from_seed(b"malleable")
    signature = suite.sign(private_key, MESSAGE)
    s = int.from_bytes(signature[32:], "little")
    malleated = signature[:32] + (s + ED25519_ORDER).to_bytes(32, "little")
    assert malleated != signature
    assert suite.verify(suite.public_key(private_key), MESSAGE, malleated) is False


# --- secp256k1 ----------------------------------------------------------------------------------


def test_secp256k1_rfc6979_known_answer() -> None:
    # Private key 1 signing "Satoshi Nakamoto": the widely published RFC 6979 secp256k1 vector.
    suite = get_suite("sha256-secp256k1")
    key = (1).to_bytes(32, "big")
    assert suite.public_key(key).hex() == (
        "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
    )
    assert suite.sign(key, b"Satoshi Nakamoto").hex() == (
        "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8"
        "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5"
    )


@pytest.mark.parametrize("seed", [b"s1", b"s2", b"s3", b"s4"])
def test_secp256k1_rejects_high_s(seed: bytes) -> None:
    suite = get_suite("sha256-secp256k1")
    private_key = suite.private_key_from_seed(seed)
    public_key = suite.public_key(private_key)
    signature = suite.sign(private_key, MESSAGE)
    r, s = signature[:32], int.from_bytes(signature[32:], "big")
    assert s <= SECP256K1_ORDER // 2  # we only ever produce low-s signatures
    high = r + (SECP256K1_ORDER - s).to_bytes(32, "big")
    # (r, n - s) is a valid ECDSA signature for a verifier without the low-s rule ...
    assert plain_ecdsa_verify(public_key, MESSAGE, high)  # the premise, checked
    # ... and minichain refuses it, so nobody can re-shape someone else's transaction.
    assert suite.verify(public_key, MESSAGE, high) is False
    assert suite.verify(public_key, MESSAGE, signature) is True


def plain_ecdsa_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """ECDSA's verification equation alone (SEC 1, section 4.1.4), with no low-s rule:
    x(u1*G + u2*Q) = r (mod n), where w = 1/s, u1 = z*w, u2 = r*w."""
    n = SECP256K1_ORDER
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    z = int.from_bytes(hashlib.sha256(message).digest(), "big")
    w = pow(s, -1, n)
    u1, u2 = z * w % n, r * w % n
    point = PublicKey.combine_keys([PublicKey.from_secret(u1.to_bytes(32, "big")),
                                    PublicKey(public_key).multiply(u2.to_bytes(32, "big"))])
    return int.from_bytes(point.format(compressed=False)[1:33], "big") % n == r


@pytest.mark.parametrize("scalar", [0, SECP256K1_ORDER, 2**256 - 1])
def test_invalid_key_secp256k1_scalar_out_of_range(scalar: int) -> None:
    suite = get_suite("sha256-secp256k1")
    with pytest.raises(InvalidKey, match=r"out of range \[1, n\)") as excinfo:
        suite.public_key(scalar.to_bytes(32, "big"))
    assert excinfo.value.rule == "key"


# --- SM3 / SM2 ----------------------------------------------------------------------------------

SM3_VECTORS = {  # GB/T 32905-2016, appendix A
    b"abc": "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
    b"abcd" * 16: "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732",
}


@pytest.mark.parametrize("message", list(SM3_VECTORS))
def test_sm3_published_test_vectors(message: bytes) -> None:
    assert sm3(message).hex() == SM3_VECTORS[message]
    assert sm3_pure_python(message).hex() == SM3_VECTORS[message]


@pytest.mark.skipif(crypto._SM3_FACTORY is None, reason="this OpenSSL has no SM3")
@pytest.mark.parametrize(
    "message", [b"", b"a", b"abc", bytes(range(256)), b"x" * 55, b"x" * 56, b"x" * 64, b"y" * 1000]
)
def test_sm3_hashlib_equals_pure_python(message: bytes) -> None:
    assert hashlib.new("sm3", message).digest() == sm3_pure_python(message)
    assert sm3(message) == sm3_pure_python(message)


def test_sm3_without_openssl_falls_back_to_pure_python(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crypto, "_SM3_FACTORY", None)
    assert sm3(b"abc").hex() == SM3_VECTORS[b"abc"]
    assert get_suite("sm3-sm2").hasher() is None


def test_sm2_signatures_use_a_fresh_nonce_and_both_verify() -> None:
    suite = get_suite("sm3-sm2")
    private_key = suite.private_key_from_seed(b"sm2-nonce")
    public_key = suite.public_key(private_key)
    first, second = suite.sign(private_key, MESSAGE), suite.sign(private_key, MESSAGE)
    assert first != second  # a repeated SM2 nonce would reveal the private key
    assert suite.verify(public_key, MESSAGE, first)
    assert suite.verify(public_key, MESSAGE, second)


# --- addresses ----------------------------------------------------------------------------------

RAW = bytes(range(100, 120))


def test_address_round_trip() -> None:
    address = encode_address(RAW)
    assert address.startswith("M")
    assert decode_address(address) == RAW
    assert is_address(address)


def test_address_checksum_catches_any_single_changed_character() -> None:
    address = encode_address(RAW)
    alphabet = base58.alphabet.decode()
    caught = 0
    for position, original in enumerate(address):
        for replacement in alphabet:
            if replacement == original:
                continue
            typo = address[:position] + replacement + address[position + 1:]
            with pytest.raises(InvalidAddress):
                decode_address(typo)
            caught += 1
    assert caught == len(address) * (len(alphabet) - 1)


def test_invalid_address_bad_checksum() -> None:
    address = encode_address(RAW)
    typo = address[:-1] + ("2" if address[-1] != "2" else "3")
    with pytest.raises(InvalidAddress, match="bad checksum or character") as excinfo:
        decode_address(typo)
    assert excinfo.value.rule == "address"
    assert not is_address(typo)


@pytest.mark.parametrize("bad_char", ["0", "O", "I", "l", " ", "é"])
def test_invalid_address_character_outside_base58(bad_char: str) -> None:
    address = encode_address(RAW)
    with pytest.raises(InvalidAddress, match="bad checksum or character") as excinfo:
        decode_address(address[:5] + bad_char + address[6:])
    assert excinfo.value.rule == "address"


@pytest.mark.parametrize("suffix", [" ", "\n", "\t", "\r\n"])
def test_invalid_address_trailing_whitespace(suffix: str) -> None:
    # The base58 library strips it and decodes the rest: the string would name a second account.
    address = encode_address(RAW)
    assert base58.b58decode_check(address + suffix) == bytes([ADDRESS_VERSION]) + RAW
    with pytest.raises(InvalidAddress, match="bad checksum or character") as excinfo:
        decode_address(address + suffix)
    assert excinfo.value.check == "checksum"
    assert not is_address(address + suffix)


def test_invalid_address_wrong_version() -> None:
    other = base58.b58encode_check(bytes([ADDRESS_VERSION + 1]) + RAW).decode()
    with pytest.raises(InvalidAddress, match="not a minichain address") as excinfo:
        decode_address(other)
    assert excinfo.value.rule == "address"


@pytest.mark.parametrize("size", [19, 21, 32])
def test_invalid_address_wrong_length(size: int) -> None:
    other = base58.b58encode_check(bytes([ADDRESS_VERSION]) + bytes(size)).decode()
    with pytest.raises(InvalidAddress, match="not a minichain address") as excinfo:
        decode_address(other)
    assert excinfo.value.rule == "address"


@pytest.mark.parametrize("value", ["", None, 42, b"Mabc"])
def test_invalid_address_not_a_string(value: object) -> None:
    with pytest.raises(InvalidAddress, match="expected an address string") as excinfo:
        decode_address(value)  # type: ignore[arg-type]
    assert excinfo.value.rule == "address"
    assert not is_address(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("size", [0, 19, 21])
def test_invalid_address_encode_wrong_size(size: int) -> None:
    with pytest.raises(InvalidAddress, match=f"an address is 20 bytes, got {size}") as excinfo:
        encode_address(bytes(size))
    assert excinfo.value.rule == "address"


def test_sm2_rejects_signature_values_outside_1_to_n() -> None:
    from minichain.crypto import Sm3Sm2

    suite = Sm3Sm2()
    key = suite.private_key_from_seed(b"range")
    public = suite.public_key(key)
    signature = suite.sign(key, b"message")
    assert suite.verify(public, b"message", signature)
    order = Sm3Sm2._ORDER.to_bytes(32, "big")
    for bad in (signature[:32] + order, order + signature[32:], signature[:32] + bytes(32),
                bytes(32) + signature[32:]):
        assert not suite.verify(public, b"message", bad)


# --- SM2 against the standard's own arithmetic (GB/T 32918.2-2016, section 7), not gmssl's -------

SM2_P = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
SM2_A = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC
SM2_B = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
SM2_N = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
SM2_G = (0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7,
         0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0)
SM2_DEFAULT_ID = b"1234567812345678"  # the standard's default user identity, as gmssl uses
# This private key's public key has an x coordinate that begins with the byte 04: gmssl's
# constructor stripped such keys with lstrip("04"), so 1 key in 256 signed against a wrong point.
KEY_X_STARTS_WITH_04 = bytes.fromhex("4f4c8ffbeef716100f0ac46620f4a91f8950f7b95a82b424953a80307aa03e53")


def _sm2_add(p: tuple[int, int] | None, q: tuple[int, int] | None) -> tuple[int, int] | None:
    if p is None or q is None:
        return p or q
    if p[0] == q[0] and (p[1] + q[1]) % SM2_P == 0:
        return None
    if p == q:
        slope = (3 * p[0] * p[0] + SM2_A) * pow(2 * p[1], -1, SM2_P) % SM2_P
    else:
        slope = (q[1] - p[1]) * pow(q[0] - p[0], -1, SM2_P) % SM2_P
    x = (slope * slope - p[0] - q[0]) % SM2_P
    return x, (slope * (p[0] - x) - p[1]) % SM2_P


def _sm2_times(k: int, point: tuple[int, int]) -> tuple[int, int] | None:
    result: tuple[int, int] | None = None
    addend: tuple[int, int] | None = point
    while k:
        if k & 1:
            result = _sm2_add(result, addend)
        addend = _sm2_add(addend, addend)
        k >>= 1
    return result


def _sm2_textbook_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    x_a, y_a = int.from_bytes(public_key[:32], "big"), int.from_bytes(public_key[32:], "big")
    entl = (8 * len(SM2_DEFAULT_ID)).to_bytes(2, "big")
    z = sm3(entl + SM2_DEFAULT_ID + b"".join(v.to_bytes(32, "big") for v in
                                           (SM2_A, SM2_B, *SM2_G, x_a, y_a)))
    e = int.from_bytes(sm3(z + message), "big")
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    t = (r + s) % SM2_N
    point = _sm2_add(_sm2_times(s, SM2_G), _sm2_times(t, (x_a, y_a)))
    return point is not None and (e + point[0]) % SM2_N == r


@pytest.mark.parametrize("key", [KEY_X_STARTS_WITH_04, *(get_suite("sm3-sm2").private_key_from_seed(
    bytes([i])) for i in range(3))], ids=["x-starts-with-04", "seed0", "seed1", "seed2"])
def test_sm2_keys_and_signatures_follow_the_standards_arithmetic(key: bytes) -> None:
    suite = get_suite("sm3-sm2")
    public_key = suite.public_key(key)
    point = _sm2_times(int.from_bytes(key, "big"), SM2_G)
    assert point is not None and public_key == point[0].to_bytes(32, "big") + point[1].to_bytes(32, "big")
    for message in (MESSAGE, b"", bytes(range(256))):
        signature = suite.sign(key, message)
        assert _sm2_textbook_verify(public_key, message, signature)
        assert suite.verify(public_key, message, signature)
        assert not suite.verify(public_key, message + b"!", signature)


def test_sm2_key_whose_x_starts_with_04_is_the_case_named() -> None:
    assert get_suite("sm3-sm2").public_key(KEY_X_STARTS_WITH_04)[:1] == b"\x04"
