"""Lab 4 · Merkle trees: the judges of the build notebook's hidden tests (instructors only).

Each judge makes its inputs from the seed of this grading run, and checks what the learner's function
returned for them, here in the grader's process, with a pristine minichain (grader/judging.py). The
notebook's hidden cells only run the learner's function on these inputs (labkit.probe); a hash
function crosses as its name, "sha256" or "sm3".
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Sequence
from typing import Any

from grader.judging import Say, expect, judge
from labkit.wire import Raised, Unsupported
from minichain import (
    Block,
    MerkleProof,
    MinichainError,
    merkle_root,
    prove,
    sha256,
    sm3,
    testing,
    validate_body,
    verify_proof,
)

HASHES: dict[str, Callable[[bytes], bytes]] = {"sha256": sha256, "sm3": sm3}
WORDS = ("payment", "发票", "工资 3 月", "☕", "rent\nMarch", "")


def _items(rng: random.Random, count: int) -> list[bytes]:
    """`count` items: random bytes, or text (Chinese too) as UTF-8, some of them empty."""
    return [rng.randbytes(rng.randrange(0, 70)) if rng.random() < 0.6 else
            f"{rng.choice(WORDS)} {rng.randrange(10**6)}".encode() for _ in range(count)]


def _indexes(rng: random.Random, count: int, most: int) -> list[int]:
    """Every index of a small tree; of a larger one, the first, the last and a few between."""
    if count <= most:
        return list(range(count))
    return sorted({0, count - 1, *rng.sample(range(1, count - 1), most - 2)})


def _shown(found: Any, say: Say) -> str:
    """What the learner's function gave, in a few words."""
    if type(found) is bytes:
        return found.hex()[:16] + "…" if len(found) > 8 else found.hex() or "b''"
    if type(found) is Raised:
        return say(f"抛出了 {found.kind}: {found.message[:80]}",
                   f"it raised {found.kind}: {found.message[:80]}")
    if type(found) is Unsupported:
        return say(f"一个 {found.kind} 类型的值", f"a value of type {found.kind}")
    if type(found) in (list, tuple):
        return "[" + ", ".join(_shown(item, say) for item in found[:6]) + (", …]" if len(found) > 6 else "]")
    return repr(found)[:60]


def _hashes(found: Any) -> list[bytes] | None:
    """The learner's list (or tuple) of hashes, or None if it is not one."""
    if type(found) not in (list, tuple) or any(type(item) is not bytes for item in found):
        return None
    return list(found)


def _rule_of(check: Callable[..., Any], *args: Any) -> str | None:
    try:
        check(*args)
    except MinichainError as error:
        return f"[{error.rule}] {error}"
    return None


def _with_root(block: Block, root: bytes) -> Block:
    return Block(dataclasses.replace(block.header, merkle_root=root), block.transactions)


def _variant_root(items: Sequence[bytes], hash_fn: Callable[[bytes], bytes], *, prefixes: bool = True,
                  copy_odd: bool = False) -> bytes:
    """A Merkle root as a common mistake computes it (for the hint only)."""
    leaf, node = (b"\x00", b"\x01") if prefixes else (b"", b"")
    if not items:
        return hash_fn(b"")
    level = [hash_fn(leaf + item) for item in items]
    while len(level) > 1:
        if copy_odd and len(level) % 2:
            level.append(level[-1])
        paired = [hash_fn(node + level[i] + level[i + 1]) for i in range(0, len(level) - 1, 2)]
        level = paired + ([level[-1]] if len(level) % 2 else [])
    return level[0]


def _root_hint(items: list[bytes], name: str, found: Any, say: Say) -> str:
    hash_fn = HASHES[name]
    if not items:
        return say('没有数据时，根是 hash_fn(b"")。', 'with no items the root is hash_fn(b"").')
    if found == _variant_root(items, hash_fn, copy_odd=True):
        return say("单数的最后一个哈希要原样升到上一层；你把它和自己的副本配对了（那是比特币的规则）。",
                   "an odd last hash moves up unchanged; you paired it with a copy of itself "
                   "(Bitcoin's rule).")
    if found == _variant_root(items, hash_fn, prefixes=False):
        return say("叶子前面要加 0x00，中间节点前面要加 0x01（域分隔）。",
                   "a leaf is hashed after a 0x00 byte and an inner node after a 0x01 byte "
                   "(domain separation).")
    other = "sha256" if name == "sm3" else "sm3"
    if found == merkle_root(items, HASHES[other]):
        return say("每一次都用参数 hash_fn 求哈希，不要直接写 sha256。",
                   "hash with the hash_fn argument every time, never sha256 directly.")
    return say("叶子 hash_fn(0x00 + 数据)，中间节点 hash_fn(0x01 + 左 + 右)，逐层从左到右两两配对。",
               "a leaf is hash_fn(0x00 + item), an inner node hash_fn(0x01 + left + right), paired left to "
               "right level by level.")


@judge("ex1_hidden")
def merkle_root_of(rng: random.Random, say: Say) -> tuple[Any, Any]:
    cases: list[tuple[str, list[bytes], str, Any]] = []   # (what, items, hash name, (block, genesis) or None)
    for name in ("sha256", "sm3"):
        for count in [*range(0, 18), 31, 32, 33, rng.randrange(34, 100)]:
            cases.append((say(f"{count} 项随机数据（{name}）的根",
                              f"the root of {count} random items ({name})"),
                          _items(rng, count), name, None))
    cases.append((say("两项 64 字节的数据（看起来像两个哈希拼在一起）",
                      "two 64-byte items (each looks like two hashes side by side)"),
                  [rng.randbytes(64), rng.randbytes(64)], rng.choice(list(HASHES)), None))
    for suite in ("sha256-ed25519", "sm3-sm2"):
        count = rng.randrange(3, 8)
        chain = testing.make_chain(1, suite=suite, transfers_per_block=count)
        block = chain.block_at(1)
        cases.append((say(f"{suite} 链第 1 号区块的 {count} 个交易 ID",
                          f"the {count} transaction ids of block #1 on a {suite} chain"),
                      [tx.txid for tx in block.transactions], "sm3" if suite.startswith("sm3") else "sha256",
                      (block, chain.genesis)))
    inputs = [[items, name] for _, items, name, _ in cases]

    def check(results: list[Any]) -> None:
        expect(len(results) == len(cases), say(f"应有 {len(cases)} 个结果，收到 {len(results)} 个",
                                               f"expected {len(cases)} results, got {len(results)}"))
        for (what, items, name, on_chain), found in zip(cases, results, strict=True):
            right = merkle_root(items, HASHES[name])
            expect(type(found) is bytes and found == right,
                   say(f"{what}：minichain 的根是 {right.hex()[:16]}…，你的函数给出 {_shown(found, say)}",
                       f"{what}: minichain's root is {right.hex()[:16]}…, your function gives "
                       f"{_shown(found, say)}"),
                   hint=_root_hint(items, name, found, say))
            if on_chain is not None:
                block, genesis = on_chain
                refused = _rule_of(validate_body, _with_root(block, found), genesis)
                expect(refused is None, say(f"{what}：写着你的根的区块头被 minichain 拒绝：{refused}",
                                            f"{what}: a header carrying your root is refused: {refused}"))
    return inputs, check


def _proof_hint(found: list[bytes] | None, right: list[bytes], say: Say) -> str:
    if found is None:
        return say("返回一个列表，里面是 32 字节的哈希（bytes）。",
                   "return a list of 32-byte hashes (bytes).")
    if found == right[::-1] and len(found) > 1:
        return say("顺序反了：从叶子那一层开始，自下而上。",
                   "the order is reversed: start at the leaf's level, bottom up.")
    if len(found) > len(right):
        return say("多了哈希：原样升上去的那一层没有兄弟，什么也不加；证明里也不含叶子自己。",
                   "too many hashes: a level where the hash moves up unchanged adds nothing; the proof never "
                   "holds the leaf itself.")
    return say("每一层取位置 position ^ 1 上的兄弟（如果有），然后 position //= 2。",
               "at each level take the sibling at position ^ 1 (if there is one), then position //= 2.")


@judge("ex2_hidden")
def make_proof(rng: random.Random, say: Say) -> tuple[Any, Any]:
    # (what, items, index, hash name, the header's root or None)
    cases: list[tuple[str, list[bytes], int, str, bytes | None]] = []
    for count in [*range(1, 14), rng.randrange(14, 34)]:
        items = _items(rng, count)
        name = rng.choice(list(HASHES)) if count > 6 else "sha256"
        for index in _indexes(rng, count, 9):
            cases.append((say(f"{count} 项（{name}）中第 {index} 项的证明",
                              f"the proof of item {index} of {count} ({name})"), items, index, name, None))
    items = _items(rng, 7)
    cases.append((say("SM3 树中 7 项里最后一项的证明", "the proof of the last of 7 items, SM3 tree"),
                  items, 6, "sm3", None))
    for suite in ("sha256-ed25519", "sm3-sm2"):
        count = rng.randrange(3, 8)
        block = testing.make_chain(1, suite=suite, transfers_per_block=count).block_at(1)
        index = rng.randrange(count)
        cases.append((say(f"{suite} 链第 1 号区块中第 {index} 笔付款（共 {count} 笔）的证明",
                          f"the proof of payment {index} of {count} in block #1 on a {suite} chain"),
                      [tx.txid for tx in block.transactions], index,
                      "sm3" if suite.startswith("sm3") else "sha256", block.header.merkle_root))
    inputs = [[items, index, name] for _, items, index, name, _ in cases]

    def check(results: list[Any]) -> None:
        expect(len(results) == len(cases), say(f"应有 {len(cases)} 个结果，收到 {len(results)} 个",
                                               f"expected {len(cases)} results, got {len(results)}"))
        for (what, items, index, name, header_root), found in zip(cases, results, strict=True):
            hash_fn = HASHES[name]
            right = list(prove(items, index, hash_fn).siblings)
            mine = _hashes(found)
            expect(mine == right, say(
                f"{what}：minichain.merkle.prove 给出 {len(right)} 个兄弟哈希 {_shown(right, say)}，"
                f"你的函数给出 {_shown(found, say)}",
                f"{what}: minichain.merkle.prove gives {len(right)} siblings {_shown(right, say)}, your "
                f"function gives {_shown(found, say)}"), hint=_proof_hint(mine, right, say))
            root = header_root if header_root is not None else merkle_root(items, hash_fn)
            proof = MerkleProof(index, len(items), tuple(mine or ()))
            expect(verify_proof(items[index], proof, root, hash_fn),
                   say(f"{what}：minichain 的轻客户端不接受你的证明",
                       f"{what}: minichain's light client rejects your proof"))
    return inputs, check


INCLUSION_HINTS = {
    "honest": ("index 为奇数：兄弟在左；index < last：兄弟在右；"
               "index == last 且为偶数：原样升层、不用兄弟。返回 True 或 False。",
               "odd index: sibling on the left; index < last: on the right; index == last and even: up "
               "unchanged, no sibling. Return True or False."),
    "too many": ("每个兄弟哈希必须恰好用一次：最后还剩下哈希，就返回 False。",
                 "every sibling must be used exactly once: any left over means False."),
    "too few": ("兄弟哈希不够用时返回 False（不要抛出异常）。",
                "when the siblings run out, return False (never raise)."),
    "outside": ("index 不在 0 … count-1 之内时返回 False（负数也一样）。",
                "an index outside 0 … count-1 gives False (a negative one too)."),
    "other": ("用 index 和 last = count - 1 逐层往上算出根，再与给定的根比较。",
              "walk up with index and last = count - 1 to recompute the root, then compare it with the "
              "given one."),
}


@judge("ex3_hidden")
def verify_inclusion(rng: random.Random, say: Say) -> tuple[Any, Any]:
    # (what, hint key, item, index, count, siblings, root, hash name)
    cases: list[tuple[str, str, bytes, int, int, list[bytes], bytes, str]] = []
    for count in (1, 2, 3, 5, 6, 7, 8, 9, 13, rng.randrange(14, 24)):
        name = "sm3" if count in (3, 7) or count > 13 else "sha256"
        items = _items(rng, count)
        hash_fn = HASHES[name]
        root = merkle_root(items, hash_fn)
        for index in _indexes(rng, count, 5):
            honest = list(prove(items, index, hash_fn).siblings)
            variants = {
                ("honest", say("真实证明", "honest")): (items[index], index, count, honest, root),
                ("other", say("另一项数据", "another item")):
                    (items[index] + b"!", index, count, honest, root),
                ("other", say("位置不对", "wrong position")):
                    (items[index], (index + 1) % count, count, honest, root),
                ("other", say("树的大小不对", "wrong tree size")):
                    (items[index], index, count + 1, honest, root),
                ("too many", say("多一个哈希", "one hash too many")):
                    (items[index], index, count, [*honest, hash_fn(b"x")], root),
                ("other", say("另一棵树的根", "the root of another tree")):
                    (items[index], index, count, honest, merkle_root([*items, b"more"], hash_fn)),
            }
            if honest:
                bad = rng.randrange(len(honest))
                variants[("too few", say("少一个哈希", "one hash too few"))] = (
                    items[index], index, count, honest[:-1], root)
                variants[("other", say("顺序颠倒", "reordered"))] = (
                    items[index], index, count, honest[::-1], root)
                variants[("other", say("改了一个哈希", "one hash altered"))] = (
                    items[index], index, count, [*honest[:bad], hash_fn(b"y"), *honest[bad + 1:]], root)
            for (key, label), (item, at, size, siblings, claimed) in variants.items():
                cases.append((say(f"{count} 项（{name}）中第 {index} 项：{label}",
                                  f"item {index} of {count} ({name}): {label}"),
                              key, item, at, size, siblings, claimed, name))
        for at, label in ((-1, say("负的位置", "a negative index")),
                          (count, say("位置超出范围", "an index past the end"))):
            cases.append((say(f"{count} 项（{name}）：{label}", f"{count} items ({name}): {label}"),
                          "outside", items[0], at, count, [], root, name))
    cases.append((say("没有数据的树（count 为 0）", "a tree of no items (count 0)"), "outside",
                  b"a", 0, 0, [], sha256(b""), "sha256"))
    inputs = [[item, index, count, siblings, root, name]
              for _, _, item, index, count, siblings, root, name in cases]

    def check(results: list[Any]) -> None:
        expect(len(results) == len(cases), say(f"应有 {len(cases)} 个结果，收到 {len(results)} 个",
                                               f"expected {len(cases)} results, got {len(results)}"))
        for (what, key, item, index, count, siblings, root, name), found in zip(cases, results, strict=True):
            right = verify_proof(item, MerkleProof(index, count, tuple(siblings)), root, HASHES[name])
            if type(found) is Raised:
                expect(False, say(f"{what}：应返回 {right}，你的函数却抛出了 "
                                  f"{found.kind}: {found.message[:80]}",
                                  f"{what}: expected {right}, but your function raised {found.kind}: "
                                  f"{found.message[:80]}"),
                       hint=say("不合格式的证明也只返回 False，绝不抛出异常。",
                                "a malformed proof returns False; it never raises."))
            expect(type(found) is bool and found == right,
                   say(f"{what}：minichain 的轻客户端说 {right}，你的函数说 {_shown(found, say)}",
                       f"{what}: minichain's light client says {right}, your function says "
                       f"{_shown(found, say)}"),
                   hint=say(*INCLUSION_HINTS[key]))
    return inputs, check


def bitcoin_root(items: Sequence[bytes], hash_fn: Callable[[bytes], bytes] = sha256) -> bytes:
    """Bitcoin's rule, as the notebook's set-up cell defines it: an odd last hash is paired with a copy."""
    level = list(items)
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])
        level = [hash_fn(level[i] + level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]


def _is_power_of_two(count: int) -> bool:
    return count & (count - 1) == 0


@judge("ex4_hidden")
def duplicate_leaf_attack(rng: random.Random, say: Say) -> tuple[Any, Any]:
    counts = [3, 5, 6, 7, 10, 11, 12, 20, 24]
    counts += rng.sample([n for n in range(13, 49) if not _is_power_of_two(n)], 3)
    cases: list[tuple[str, list[bytes], Block | None, Any]] = [
        (say(f"{count} 项数据", f"{count} items"), _items(rng, count), None, None) for count in counts]
    count = rng.choice((3, 5, 6, 7))
    chain = testing.make_chain(1, transfers_per_block=count)
    block = chain.block_at(1)
    cases.append((say(f"第 1 号区块的 {count} 个交易 ID", f"the {count} transaction ids of block #1"),
                  [tx.txid for tx in block.transactions], block, chain.genesis))
    inputs = [items for _, items, _, _ in cases]
    hint = say("找出个数为单数的最低一层：第 k 层的每个哈希覆盖 2**k 项数据，把最后 2**k 项再抄一遍。",
               "find the lowest level whose count is odd: at level k each hash covers 2**k items; repeat the "
               "last 2**k items.")

    def check(results: list[Any]) -> None:
        expect(len(results) == len(cases), say(f"应有 {len(cases)} 个结果，收到 {len(results)} 个",
                                               f"expected {len(cases)} results, got {len(results)}"))
        for (what, items, real, genesis), found in zip(cases, results, strict=True):
            forged = _hashes(found)
            expect(forged is not None, say(f"{what}：应返回一个由 bytes 组成的列表，你的函数给出 "
                                           f"{_shown(found, say)}",
                                           f"{what}: expected a list of bytes, your function gives "
                                           f"{_shown(found, say)}"), hint=hint)
            forged = forged or []
            expect(forged != items, say(f"{what}：返回的列表必须与原列表不同",
                                        f"{what}: the list must differ from the original"), hint=hint)
            expect(bitcoin_root(forged) == bitcoin_root(items),
                   say(f"{what}：比特币规则下原列表的根是 {bitcoin_root(items).hex()[:16]}…，你的列表"
                       f"（{len(forged)} 项）的根是 {bitcoin_root(forged).hex()[:16]}…",
                       f"{what}: under Bitcoin's rule the original's root is "
                       f"{bitcoin_root(items).hex()[:16]}…, "
                       f"your list's ({len(forged)} items) is {bitcoin_root(forged).hex()[:16]}…"), hint=hint)
            expect(merkle_root(forged) != merkle_root(items),
                   say(f"{what}：minichain 的根应当改变", f"{what}: minichain's root should change"))
            if real is not None:
                by_id = {tx.txid: tx for tx in real.transactions}
                unknown = [h for h in forged if h not in by_id]
                expect(not unknown, say(f"{what}：列表里只能有这个区块的交易 ID，{_shown(unknown, say)} 不是",
                                        f"{what}: the list may hold only this block's transaction ids; "
                                        f"{_shown(unknown, say)} is not one"), hint=hint)
                stuffed = Block(real.header, tuple(by_id[h] for h in forged))
                refused = _rule_of(validate_body, stuffed, genesis)
                expect(refused is not None and refused.startswith("[block-merkle-root]"),
                       say(f"{what}：按你的列表重复了交易、区块头不变的区块，"
                           f"minichain 应以 [block-merkle-root] 拒绝，它说：{refused or '接受'}",
                           f"{what}: the block with transactions repeated as your list says, under its own "
                           f"header, should be refused with [block-merkle-root]; minichain says: "
                           f"{refused or 'accepted'}"))
    return inputs, check
