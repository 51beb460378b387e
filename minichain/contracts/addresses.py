"""EVM addresses: who `msg.sender` is, where a contract lives, and which chain CHAINID names.

Inside the EVM every account is 20 bytes (Yellow Paper, section 4.1). A minichain account is a
public key of one of three suites, so the engine derives its EVM address, the same way every time:

  evm address = the last 20 bytes of keccak256(the public key's canonical point bytes)

  sha256-secp256k1  the 64-byte uncompressed point X || Y (minichain stores the 33-byte compressed
                    form; we decompress it). This is Ethereum's own rule (Yellow Paper, eq. 284), so
                    a secp256k1 key has the same address here as in any Ethereum wallet, and
                    Solidity's `ecrecover` returns the `msg.sender` of the key that signed.
  sm3-sm2           the 64-byte point X || Y, as minichain stores it. (FISCO BCOS in SM mode hashes
                    it with SM3 instead; we keep one hash, keccak256, for everything inside the EVM.)
  sha256-ed25519    the 32-byte RFC 8032 public key (an Edwards point has no X || Y form in use).

A contract's address is Ethereum's CREATE rule: keccak256(rlp([sender, nonce]))[12:], with the
sender's minichain nonce of the deploying transaction, so it is known before the deploy runs.
These EVM addresses are written as 0x + 40 hex digits with EIP-55's mixed-case checksum.
"""

from __future__ import annotations

import hashlib

from eth._utils.address import generate_contract_address
from eth_hash.auto import keccak
from eth_typing import Address
from eth_utils.address import is_checksum_address, to_checksum_address

from minichain.contracts.errors import InvalidEvmAddress
from minichain.crypto import get_suite
from minichain.errors import InvalidKey

EVM_ADDRESS_SIZE = 20
ZERO_ADDRESS = bytes(EVM_ADDRESS_SIZE)


def evm_address(suite_name: str, public_key: bytes) -> bytes:
    """The 20-byte EVM address of a minichain public key (see the module docstring)."""
    suite = get_suite(suite_name)
    if len(public_key) != suite.public_key_size:
        raise InvalidKey(f"{suite_name}: a public key is {suite.public_key_size} bytes, "
                         f"got {len(public_key)}")
    return keccak(_point_bytes(suite_name, public_key))[-EVM_ADDRESS_SIZE:]


def _point_bytes(suite_name: str, public_key: bytes) -> bytes:
    if suite_name != "sha256-secp256k1":
        return public_key  # Ed25519: the 32-byte key; SM2: already X || Y
    from coincurve import PublicKey

    try:
        uncompressed: bytes = PublicKey(public_key).format(compressed=False)
    except ValueError as error:
        raise InvalidKey(f"sha256-secp256k1: not a point on the curve ({error})") from None
    return uncompressed[1:]  # drop SEC1's 0x04 tag: X || Y


def contract_address(sender: bytes, nonce: int) -> bytes:
    """Where a deploy by `sender` with minichain nonce `nonce` puts its contract (CREATE)."""
    _check_raw(sender, "sender")
    return bytes(generate_contract_address(Address(sender), nonce))


def evm_chain_id(chain_id: str) -> int:
    """The number the CHAINID opcode returns for a minichain chain id (which is text): the first
    8 bytes of SHA-256("minichain/evm-chain-id" NUL chain_id), big-endian. Distinct chains get
    distinct numbers, so a contract can refuse signatures made for another chain (EIP-155's aim)."""
    digest = hashlib.sha256(b"minichain/evm-chain-id\x00" + chain_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def to_hex_address(raw: bytes) -> str:
    """0x-prefixed, EIP-55 mixed-case checksummed."""
    _check_raw(raw, "address")
    return str(to_checksum_address(raw))


def parse_hex_address(text: str) -> bytes:
    """20 bytes from 0x + 40 hex digits. Mixed case must carry a valid EIP-55 checksum (a typo
    is caught); all-lower or all-upper case carries none and is accepted, as in Ethereum."""
    if not isinstance(text, str) or len(text) != 42 or not text.startswith(("0x", "0X")):
        raise InvalidEvmAddress(f"an EVM address is 0x and 40 hex digits, found {text!r:.80}")
    digits = text[2:]
    try:
        raw = bytes.fromhex(digits)
    except ValueError:
        raise InvalidEvmAddress(f"EVM address {text!r}: not hexadecimal") from None
    if digits != digits.lower() and digits != digits.upper() and not is_checksum_address(text):
        raise InvalidEvmAddress(f"EVM address {text!r}: the EIP-55 checksum (its mixed case) is wrong; "
                             f"expected {to_checksum_address(raw)}")
    return raw


def _check_raw(raw: bytes, what: str) -> None:
    if not isinstance(raw, bytes) or len(raw) != EVM_ADDRESS_SIZE:
        size = len(raw) if isinstance(raw, bytes) else type(raw).__name__
        raise InvalidEvmAddress(f"an EVM {what} is {EVM_ADDRESS_SIZE} bytes, got {size}")
