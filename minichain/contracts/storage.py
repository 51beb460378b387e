"""A contract's storage, readable: numbered 32-byte slots, and the variable names solc gave them.

Solidity lays state variables out in slots 0, 1, 2, ... in declaration order (small ones share a
slot); a mapping's entry for key k lives at keccak256(k . p) and a dynamic array's items from
keccak256(p), where p is the variable's own slot (Solidity docs, "Layout of State Variables in
Storage"). So the slots a contract uses are mostly unguessable numbers; the compiler's
`storageLayout` names the fixed ones, and short strings (< 32 bytes) can be read in place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from minichain.contracts.addresses import to_hex_address


@dataclass(frozen=True)
class StorageSlot:
    slot: int  # the slot number, 0 to 2^256-1
    value: int  # the 32-byte word, as an unsigned integer
    label: str = ""  # the variable's name when the layout knows it, e.g. "totalSupply"
    text: str | None = None  # a short string stored in place, decoded

    def to_json(self) -> dict[str, Any]:
        return {"slot": "0x" + self.slot.to_bytes(32, "big").hex(),
                "value": "0x" + self.value.to_bytes(32, "big").hex(),
                "label": self.label, "text": self.text}


@dataclass(frozen=True)
class StorageView:
    """The non-zero storage of one contract at one state root."""

    address: bytes  # 20 bytes
    code_hash: bytes  # keccak256 of its code (keccak256 of b"" if there is none)
    slots: tuple[StorageSlot, ...]  # ascending by slot number

    def labelled(self, layout: Sequence[Mapping[str, Any]]) -> StorageView:
        """The same view with the names from a compiler's storage layout (Artifact.storage_layout)."""
        names = _names_by_slot(layout)
        slots = tuple(_label(slot, names.get(slot.slot)) for slot in self.slots)
        return StorageView(self.address, self.code_hash, slots)

    def as_dict(self) -> dict[int, int]:
        return {slot.slot: slot.value for slot in self.slots}

    def to_json(self) -> dict[str, Any]:
        return {"address": to_hex_address(self.address), "code_hash": "0x" + self.code_hash.hex(),
                "slots": [slot.to_json() for slot in self.slots]}


def read_storage(address: bytes, code_hash: bytes, values: Mapping[int, int]) -> StorageView:
    slots = tuple(StorageSlot(slot, value) for slot, value in sorted(values.items()) if value)
    return StorageView(address, bytes(code_hash), slots)


def _names_by_slot(layout: Sequence[Mapping[str, Any]]) -> dict[int, list[tuple[str, str]]]:
    names: dict[int, list[tuple[str, str]]] = {}
    for item in layout:
        try:
            slot = int(str(item["slot"]))
        except (KeyError, ValueError):
            continue
        names.setdefault(slot, []).append((str(item.get("label", "")), str(item.get("type", ""))))
    return names


def _label(slot: StorageSlot, names: list[tuple[str, str]] | None) -> StorageSlot:
    if not names:
        return StorageSlot(slot.slot, slot.value, "(mapping entry or array item)")
    label = " + ".join(name for name, _ in names)
    kinds = {kind for _, kind in names}
    text = _short_string(slot.value) if kinds & {"t_string_storage", "t_bytes_storage"} else None
    return StorageSlot(slot.slot, slot.value, label, text)


def _short_string(word: int) -> str | None:
    """A string under 32 bytes is stored in its slot: the bytes, then length * 2 in the last
    byte (an odd last byte means a long string stored elsewhere)."""
    raw = word.to_bytes(32, "big")
    if raw[-1] % 2:
        return None
    length = raw[-1] // 2
    try:
        return raw[:length].decode("utf-8")
    except UnicodeDecodeError:
        return None
