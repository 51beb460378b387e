"""Wallets: a private key, the public key and address it gives, and signing transfers.

A key file is JSON written with mode 0600 (only its owner may read it), because whoever reads the
private key can spend the funds. Writing never overwrites an existing key file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from minichain.crypto import DEFAULT_SUITE, Suite, get_suite
from minichain.encoding import parse_json, require_hex, require_object, require_str
from minichain.errors import InvalidKey, MalformedData
from minichain.transactions import Transaction, transfer


@dataclass(frozen=True)
class Wallet:
    suite_name: str  # e.g. "sha256-ed25519"
    private_key: bytes = b""  # 32 bytes; keep it secret
    public_key: bytes = b""  # derived from the private key
    address: str = ""  # derived from the public key

    @property
    def suite(self) -> Suite:
        return get_suite(self.suite_name)

    @classmethod
    def from_private_key(cls, private_key: bytes, suite: str = DEFAULT_SUITE) -> Wallet:
        scheme = get_suite(suite)
        public_key = scheme.public_key(private_key)
        return cls(suite, private_key, public_key, scheme.address(public_key))

    @classmethod
    def generate(cls, suite: str = DEFAULT_SUITE) -> Wallet:
        return cls.from_private_key(get_suite(suite).generate_private_key(), suite)

    @classmethod
    def from_seed(cls, seed: bytes | str, suite: str = DEFAULT_SUITE) -> Wallet:
        """A deterministic wallet for tests and labs (never for real funds)."""
        raw = seed.encode() if isinstance(seed, str) else seed
        return cls.from_private_key(get_suite(suite).private_key_from_seed(raw), suite)

    def transfer(
        self, chain_id: str, recipient: str, amount: int, nonce: int, fee: int = 0, memo: str = ""
    ) -> Transaction:
        return transfer(self.private_key, suite=self.suite_name, chain_id=chain_id,
                        recipient=recipient, amount=amount, nonce=nonce, fee=fee, memo=memo)

    def to_json(self) -> dict[str, str]:
        return {"suite": self.suite_name, "private_key": self.private_key.hex(),
                "public_key": self.public_key.hex(), "address": self.address}

    def save(self, path: str | Path) -> None:
        """Write the key file with mode 0600; refuses to overwrite an existing file."""
        data = (json.dumps(self.to_json(), indent=2) + "\n").encode()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise InvalidKey(f"{path} already exists; refusing to overwrite a key file") from None
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)

    @classmethod
    def load(cls, path: str | Path) -> Wallet:
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise InvalidKey(f"cannot read key file {path}: {error.strerror}") from None
        try:
            obj = require_object(parse_json(data, "key file"), "key file",
                                 {"suite", "private_key", "public_key", "address"})
            suite = require_str(obj, "suite", "key file", 32)
            wallet = cls.from_private_key(require_hex(obj, "private_key", "key file", 32), suite)
        except MalformedData as error:
            raise InvalidKey(f"{path}: {error}") from None
        if obj["address"] != wallet.address or obj["public_key"] != wallet.public_key.hex():
            raise InvalidKey(f"{path}: the stored address does not match the private key")
        return wallet
