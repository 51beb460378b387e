"""Merkle roots and inclusion proofs (RFC 6962 / RFC 9162 shape, domain-separated hashing)."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest

from minichain.crypto import sm3
from minichain.errors import MalformedData
from minichain.merkle import (
    MerkleProof,
    empty_root,
    leaf_hash,
    levels,
    merkle_root,
    node_hash,
    prove,
    prove_hashes,
    prove_shape,
    root_from_proof,
    root_of_hashes,
    verify_proof,
)


def items(count: int) -> list[bytes]:
    return [f"tx-{i}".encode() for i in range(count)]


def reference_root(data: list[bytes]) -> bytes:
    """MTH from RFC 6962 section 2.1, written recursively and independently of merkle.py."""
    if not data:
        return hashlib.sha256(b"").digest()
    if len(data) == 1:
        return hashlib.sha256(b"\x00" + data[0]).digest()
    split = 1
    while split * 2 < len(data):
        split *= 2
    left, right = reference_root(data[:split]), reference_root(data[split:])
    return hashlib.sha256(b"\x01" + left + right).digest()


SIZES = range(1, 18)
CASES = [(size, index) for size in SIZES for index in range(size)]


# --- roots --------------------------------------------------------------------------------------

# Certificate Transparency's reference vectors: MTH of the first n of these leaves.
CT_LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
             "606162636465666768696a6b6c6d6e6f"]
CT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


@pytest.mark.parametrize("count", range(len(CT_ROOTS)))
def test_root_matches_certificate_transparency_vectors(count: int) -> None:
    leaves = [bytes.fromhex(x) for x in CT_LEAVES[:count]]
    assert merkle_root(leaves).hex() == CT_ROOTS[count]


@pytest.mark.parametrize("size", [0, *SIZES, 31, 32, 33, 100])
def test_root_matches_rfc6962_definition(size: int) -> None:
    data = items(size)
    assert merkle_root(data) == reference_root(data)
    assert levels([leaf_hash(x) for x in data])[-1] == [merkle_root(data)]


def test_root_of_hashes_is_root_over_leaf_hashes() -> None:
    data = items(7)
    assert root_of_hashes([leaf_hash(x) for x in data]) == merkle_root(data)
    assert root_of_hashes([]) == empty_root() == hashlib.sha256(b"").digest()


def test_root_uses_the_given_hash_function() -> None:
    data = items(5)
    assert merkle_root(data, sm3) != merkle_root(data)
    assert merkle_root(data, sm3) == root_of_hashes([sm3(b"\x00" + x) for x in data], sm3)


def test_root_depends_on_order_and_content() -> None:
    data = items(4)
    assert merkle_root(data) != merkle_root(list(reversed(data)))
    assert merkle_root(data) != merkle_root([*data[:3], b"tx-X"])
    assert merkle_root(data) != merkle_root(data[:3])


def test_cve_2012_2459_duplicated_last_leaf_changes_the_root() -> None:
    a, b, c = b"a", b"b", b"c"
    assert merkle_root([a, b, c]) != merkle_root([a, b, c, c])
    for size in (3, 5, 6, 7, 9):  # every odd level: duplicating the tail must never collide
        data = items(size)
        assert merkle_root(data) != merkle_root([*data, data[-1]])


def test_odd_node_is_promoted_not_paired_with_itself() -> None:
    a, b, c = (leaf_hash(x) for x in (b"a", b"b", b"c"))
    assert levels([a, b, c]) == [[a, b, c], [node_hash(a, b), c], [node_hash(node_hash(a, b), c)]]


def test_leaf_never_equals_an_inner_node() -> None:
    # Domain separation: a 64-byte leaf that is two hashes side by side is still not their node.
    left, right = leaf_hash(b"a"), leaf_hash(b"b")
    assert leaf_hash(left + right) != node_hash(left, right)
    assert leaf_hash(b"") != empty_root()
    # So a one-leaf tree cannot pose as the two-leaf tree (second-preimage attack).
    two_leaf_root = merkle_root([b"a", b"b"])
    assert merkle_root([left + right]) != two_leaf_root
    assert not verify_proof(left + right, MerkleProof(0, 1, ()), two_leaf_root)


# --- proofs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "index"), CASES)
def test_proof_verifies_for_every_leaf(size: int, index: int) -> None:
    data = items(size)
    root = merkle_root(data)
    proof = prove(data, index)
    assert (proof.leaf_index, proof.leaf_count) == (index, size)
    assert len(proof.siblings) == len(prove_shape(index, size))
    assert all(len(sibling) == 32 for sibling in proof.siblings)
    assert verify_proof(data[index], proof, root)
    assert root_from_proof(leaf_hash(data[index]), proof) == root


@pytest.mark.parametrize(("size", "index"), CASES)
def test_proof_fails_for_a_wrong_leaf(size: int, index: int) -> None:
    data = items(size)
    proof, root = prove(data, index), merkle_root(data)
    assert not verify_proof(b"tx-forged", proof, root)
    for other in range(size):
        if other != index:
            assert not verify_proof(data[other], proof, root)


@pytest.mark.parametrize(("size", "index"), [c for c in CASES if c[0] > 1])
def test_proof_fails_for_a_wrong_index(size: int, index: int) -> None:
    data = items(size)
    proof, root = prove(data, index), merkle_root(data)
    for other in range(size):
        if other != index:
            moved = dataclasses.replace(proof, leaf_index=other)
            assert not verify_proof(data[index], moved, root), other


@pytest.mark.parametrize(("size", "index"), CASES)
def test_proof_fails_for_a_wrong_root_or_path_count(size: int, index: int) -> None:
    data = items(size)
    proof, root = prove(data, index), merkle_root(data)
    assert not verify_proof(data[index], proof, merkle_root([*data, b"extra"]))
    assert not verify_proof(data[index], proof, bytes(32))
    # The count is a hint, not committed by the root: another count passes only if it
    # describes exactly the same path (same siblings on the same sides).
    for count in (size - 1, size + 1, 2 * size):
        if count > index:
            recounted = dataclasses.replace(proof, leaf_count=count)
            same_path = (
                len(prove_shape(index, count)) == len(proof.siblings)
                and recounted.steps() == proof.steps()
            )
            assert verify_proof(data[index], recounted, root) == same_path


@pytest.mark.parametrize(("size", "index"), CASES)
def test_proof_fails_when_siblings_are_truncated_extended_or_altered(size: int, index: int) -> None:
    data = items(size)
    proof, root = prove(data, index), merkle_root(data)
    siblings = proof.siblings
    if siblings:
        assert not verify_proof(data[index], dataclasses.replace(proof, siblings=siblings[:-1]), root)
        assert not verify_proof(data[index], dataclasses.replace(proof, siblings=siblings[1:]), root)
        for position in range(len(siblings)):
            altered = list(siblings)
            altered[position] = bytes([altered[position][0] ^ 1]) + altered[position][1:]
            assert not verify_proof(
                data[index], dataclasses.replace(proof, siblings=tuple(altered)), root
            )
    for extra in (bytes(32), root, leaf_hash(data[index])):
        longer = dataclasses.replace(proof, siblings=(*siblings, extra))
        assert not verify_proof(data[index], longer, root)


@pytest.mark.parametrize(("size", "index"), CASES)
def test_steps_name_the_side_each_sibling_sits_on(size: int, index: int) -> None:
    tree = levels([leaf_hash(x) for x in items(size)])
    steps = prove(items(size), index).steps()
    # Walk the stored levels: at each level with a sibling, it must be the next step.
    expected: list[tuple[bytes, str]] = []
    position = index
    for level in tree[:-1]:
        neighbour = position ^ 1
        if neighbour < len(level):
            expected.append((level[neighbour], "left" if neighbour < position else "right"))
        position //= 2
    assert steps == expected
    # And folding by those sides gives the root.
    node = tree[0][index]
    for sibling, side in steps:
        node = node_hash(sibling, node) if side == "left" else node_hash(node, sibling)
    assert node == tree[-1][0]


def test_steps_for_the_promoted_last_leaf_skip_levels_without_sibling() -> None:
    data = items(5)  # leaf 4 is promoted twice, then meets the root of leaves 0-3
    proof = prove(data, 4)
    assert prove_shape(4, 5) == [2]
    assert proof.steps() == [(root_of_hashes([leaf_hash(x) for x in data[:4]]), "left")]


def test_single_leaf_proof_is_empty() -> None:
    proof = prove([b"only"], 0)
    assert proof == MerkleProof(0, 1, ())
    assert verify_proof(b"only", proof, merkle_root([b"only"]))


@pytest.mark.parametrize(("size", "index"), [(0, 0), (3, 3), (3, -1)])
def test_prove_rejects_an_index_outside_the_tree(size: int, index: int) -> None:
    with pytest.raises(IndexError, match=f"leaf {index} is not in a tree of {size} leaves"):
        prove_hashes([leaf_hash(x) for x in items(size)], index)


@pytest.mark.parametrize(("index", "count"), [(3, 3), (-1, 3), (0, 0)])
def test_invalid_encoding_proof_index_outside_the_tree(index: int, count: int) -> None:
    proof = MerkleProof(index, count, ())
    assert not verify_proof(b"x", proof, merkle_root([b"x"]))
    with pytest.raises(MalformedData, match=f"leaf index {index} outside a tree of {count}") as excinfo:
        root_from_proof(leaf_hash(b"x"), proof)
    assert excinfo.value.rule == "encoding"
