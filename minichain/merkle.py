"""Merkle trees: one 32-byte root commits to every transaction, and a short proof shows that one
transaction is included without downloading the others (what a light client checks).

Follows RFC 6962 / RFC 9162 (Certificate Transparency):
- leaves and inner nodes are hashed with different prefixes (0x00 and 0x01), so a 64-byte leaf can
  never pass for an inner node (second-preimage attack);
- an odd node at the end of a level is promoted unchanged, never paired with a copy of itself.
  Bitcoin duplicates it, which lets [a, b, c] and [a, b, c, c] share a root: CVE-2012-2459.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from minichain.errors import MalformedData

HashFn = Callable[[bytes], bytes]

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def leaf_hash(data: bytes, hash_fn: HashFn = sha256) -> bytes:
    return hash_fn(LEAF_PREFIX + data)


def node_hash(left: bytes, right: bytes, hash_fn: HashFn = sha256) -> bytes:
    return hash_fn(NODE_PREFIX + left + right)


def empty_root(hash_fn: HashFn = sha256) -> bytes:
    return hash_fn(b"")


def _next_level(level: Sequence[bytes], hash_fn: HashFn) -> list[bytes]:
    paired = [node_hash(level[i], level[i + 1], hash_fn) for i in range(0, len(level) - 1, 2)]
    if len(level) % 2:
        paired.append(level[-1])  # promoted, not duplicated
    return paired


def levels(leaf_hashes: Sequence[bytes], hash_fn: HashFn = sha256) -> list[list[bytes]]:
    """Every level of the tree, leaves first and the root last (for drawing and for proofs)."""
    if not leaf_hashes:
        return [[empty_root(hash_fn)]]
    tree = [list(leaf_hashes)]
    while len(tree[-1]) > 1:
        tree.append(_next_level(tree[-1], hash_fn))
    return tree


def root_of_hashes(leaf_hashes: Sequence[bytes], hash_fn: HashFn = sha256) -> bytes:
    if not leaf_hashes:
        return empty_root(hash_fn)
    level = list(leaf_hashes)
    while len(level) > 1:
        level = _next_level(level, hash_fn)
    return level[0]


def merkle_root(items: Sequence[bytes], hash_fn: HashFn = sha256) -> bytes:
    """The root of the tree whose leaves are `items` (raw bytes, hashed here as leaves)."""
    return root_of_hashes([leaf_hash(item, hash_fn) for item in items], hash_fn)


@dataclass(frozen=True)
class MerkleProof:
    """Evidence that the leaf at `leaf_index` is in a tree of `leaf_count` leaves."""

    leaf_index: int  # position of the leaf, 0-based
    leaf_count: int  # number of leaves in the tree
    siblings: tuple[bytes, ...]  # 32-byte hashes, from the leaf's level upwards

    def steps(self) -> list[tuple[bytes, str]]:
        """The path as (sibling hash, "left" | "right"): the side the sibling sits on."""
        sides: list[tuple[bytes, str]] = []
        index, last = self.leaf_index, self.leaf_count - 1
        for sibling in self.siblings:
            while index == last and index % 2 == 0 and last > 0:  # promoted: no sibling here
                index, last = index >> 1, last >> 1
            sides.append((sibling, "left" if index % 2 else "right"))
            index, last = index >> 1, last >> 1
        return sides


def prove(items: Sequence[bytes], index: int, hash_fn: HashFn = sha256) -> MerkleProof:
    return prove_hashes([leaf_hash(item, hash_fn) for item in items], index, hash_fn)


def prove_hashes(leaf_hashes: Sequence[bytes], index: int, hash_fn: HashFn = sha256) -> MerkleProof:
    if not 0 <= index < len(leaf_hashes):
        raise IndexError(f"leaf {index} is not in a tree of {len(leaf_hashes)} leaves")
    siblings: list[bytes] = []
    level, position = list(leaf_hashes), index
    while len(level) > 1:
        sibling = position ^ 1
        if sibling < len(level):
            siblings.append(level[sibling])
        level, position = _next_level(level, hash_fn), position // 2
    return MerkleProof(index, len(leaf_hashes), tuple(siblings))


def root_from_proof(leaf: bytes, proof: MerkleProof, hash_fn: HashFn = sha256) -> bytes:
    """Fold the proof from a leaf's hash up to a root (RFC 9162, section 2.1.3.2)."""
    if not 0 <= proof.leaf_index < proof.leaf_count:
        raise MalformedData(
            f"merkle proof: leaf index {proof.leaf_index} outside a tree of {proof.leaf_count}"
        )
    node = leaf
    for sibling, side in proof.steps():
        node = node_hash(sibling, node, hash_fn) if side == "left" else node_hash(node, sibling, hash_fn)
    return node


def verify_proof(
    item: bytes, proof: MerkleProof, root: bytes, hash_fn: HashFn = sha256
) -> bool:
    """True when `item` sits at `proof.leaf_index` under `root`. A light client needs only this."""
    try:
        expected_length = len(prove_shape(proof.leaf_index, proof.leaf_count))
    except MalformedData:
        return False
    if len(proof.siblings) != expected_length:
        return False
    return root_from_proof(leaf_hash(item, hash_fn), proof, hash_fn) == root


def prove_shape(index: int, count: int) -> list[int]:
    """The level numbers at which a leaf has a sibling: the length of a correct proof."""
    if not 0 <= index < count:
        raise MalformedData(f"merkle proof: leaf index {index} outside a tree of {count}")
    shape, level = [], 0
    while count > 1:
        if index ^ 1 < count:
            shape.append(level)
        index, count, level = index // 2, (count + 1) // 2, level + 1
    return shape
