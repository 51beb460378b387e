"""Lab 1 · Hashing: the judges of the build notebook's hidden tests (instructors only).

Each judge makes its inputs from the seed of this grading run, and checks what the learner's function
returned for them, here in the grader's process, with a pristine minichain (grader/judging.py). The
notebook's hidden cells only run the learner's function on these inputs (labkit.probe).
"""

from __future__ import annotations

import dataclasses
import random
from typing import Any

from grader.judging import Say, expect, judge
from minichain import Block, Chain, MinichainError, sm3, testing, transactions_root
from minichain.viz import avalanche

SUITES = ("sha256-ed25519", "sha256-secp256k1", "sm3-sm2")
MEMOS = ("", "invoice 7", "发票 7 号（增值税）", "工资", "咖啡 ☕", "rent\nMarch")


@judge("ex1_hidden")
def count_changed_bits(rng: random.Random, say: Say) -> tuple[Any, Any]:
    pairs = [(rng.randbytes(size), rng.randbytes(size)) for size in [32] * 40 + [1, 2, 7, 64]]
    same = rng.randbytes(32)
    pairs += [(same, same), (sm3(b"a"), sm3(b"b")), (b"\x00" * 32, b"\xff" * 32)]

    def check(results: list[Any]) -> None:
        expect(len(results) == len(pairs), say(f"应有 {len(pairs)} 个结果，收到 {len(results)} 个",
                                               f"expected {len(pairs)} results, got {len(results)}"))
        for (a, b), found in zip(pairs, results, strict=True):
            right = avalanche(a, b).changed
            expect(found == right and type(found) is int,
                   say(f"两个 {len(a)} 字节的串相差 {right} 位，你的函数说 {found!r}",
                       f"two {len(a)}-byte strings differ in {right} bits; your function says {found!r}"),
                   hint=say("数的是位（每个字节 8 位），不是字节；x ^ y 的 1 位就是不同的位。",
                            "count bits (8 per byte), not bytes: the 1 bits of x ^ y are the bits that "
                            "differ."))
    return pairs, check


@judge("ex2_hidden")
def transaction_id(rng: random.Random, say: Say) -> tuple[Any, Any]:
    txs = []
    for suite in SUITES:
        for _ in range(3):
            payer = testing.make_wallet(rng.randrange(1000), suite)
            payee = testing.make_wallet(rng.randrange(1000, 2000), suite)
            chain_id = testing.make_genesis(suite=suite).chain_id
            amount, nonce, fee = rng.randrange(1, 10**9), rng.randrange(50), rng.randrange(100)
            txs.append(payer.transfer(chain_id, payee.address, amount, nonce=nonce, fee=fee,
                                      memo=rng.choice(MEMOS)))

    def check(results: list[Any]) -> None:
        expect(len(results) == len(txs), say(f"应有 {len(txs)} 个结果，收到 {len(results)} 个",
                                             f"expected {len(txs)} results, got {len(results)}"))
        for tx, found in zip(txs, results, strict=True):
            if found == tx.txid and type(found) is bytes:
                continue
            shown = found.hex()[:16] + "…" if type(found) is bytes else repr(found)[:60]
            hint = say("SM3 链用 SM3；备注里的中文要原样写入（ensure_ascii=False）；键排序、无空格；"
                       "别忘了域标签 b\"minichain/tx\\x00\" 和签名。",
                       "an SM3 chain hashes with SM3; non-ASCII memos are written as they are "
                       "(ensure_ascii=False); keys sorted, no spaces; the domain tag b\"minichain/tx\\x00\" "
                       "and the signature included.")
            expect(False, say(f"{tx.suite} 链上、备注 {tx.memo!r} 的交易：ID 应为 {tx.txid.hex()[:16]}…，"
                              f"你的函数给出 {shown}",
                              f"a transaction on a {tx.suite} chain with memo {tx.memo!r}: its id is "
                              f"{tx.txid.hex()[:16]}…, your function gives {shown}"), hint=hint)
    return txs, check


def _refused_at(genesis: Any, blocks: list[Block]) -> int | None:
    node = Chain(genesis)
    for index, block in enumerate(blocks[1:], start=1):
        try:
            node.add_block(block)
        except MinichainError:
            return index
    return None


@judge("ex3_hidden")
def first_bad_block(rng: random.Random, say: Say) -> tuple[Any, Any]:
    chain = testing.make_chain(5, transfers_per_block=1)   # the notebook's chain: blocks #0-#5
    honest = list(chain.main_chain())
    suite = chain.suite

    def edited(index: int, fix_root: bool) -> list[Block]:
        blocks = list(honest)
        tx = blocks[index].transactions[0]
        forged = dataclasses.replace(tx, amount=tx.amount + rng.randrange(1, 5000))
        header = blocks[index].header
        if fix_root:
            header = dataclasses.replace(header, merkle_root=transactions_root((forged,), suite))
        blocks[index] = Block(header, (forged,))
        return blocks

    def later(index: int) -> list[Block]:
        blocks = list(honest)
        header = dataclasses.replace(blocks[index].header, timestamp=blocks[index].header.timestamp + 1)
        blocks[index] = Block(header, blocks[index].transactions)
        return blocks

    a, b = sorted(rng.sample(range(1, 6), 2))
    cases = {
        say("诚实的链", "the honest chain"): honest,
        say(f"第 {a} 号区块的付款被改", f"block {a}'s payment edited"): edited(a, False),
        say(f"第 {b} 号区块付款被改且默克尔根已更新", f"block {b}'s payment edited, its Merkle root updated"):
            edited(b, True),
        say(f"第 {b} 号区块的时间戳被改", f"block {b}'s timestamp changed"): later(b),
        say(f"第 {a} 号区块被删除", f"block {a} removed"): honest[:a] + honest[a + 1:],
        say(f"第 {a}、{b} 号区块对调", f"blocks {a} and {b} swapped"):
            [*honest[:a], honest[b], *honest[a + 1:b], honest[a], *honest[b + 1:]],
    }
    expected = {name: _refused_at(chain.genesis, blocks) for name, blocks in cases.items()}
    inputs = [[blocks, suite.name] for blocks in cases.values()]

    def check(results: list[Any]) -> None:
        expect(len(results) == len(cases), say(f"应有 {len(cases)} 个结果，收到 {len(results)} 个",
                                               f"expected {len(cases)} results, got {len(results)}"))
        for (name, right), found in zip(expected.items(), results, strict=True):
            expect(found == right and type(found) is type(right),
                   say(f"{name}：minichain 拒绝的第一个区块是 {right}，你的函数说 {found!r}",
                       f"{name}: the first block minichain refuses is {right}; your function says {found!r}"),
                   hint=say("三项检查都要做（链接、内容、工作量），下标从 1 开始，全部通过时返回 None。",
                            "make all three checks (link, contents, work), indexes start at 1, and return "
                            "None when every block passes."))
    return inputs, check
