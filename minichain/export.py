"""Exporting a chain to one JSON file, and re-validating a chain from genesis.

Anyone holding an export can check it independently: rebuild the genesis block from the genesis
parameters, then replay every block through the same rules a node applies. Because every hash
covers the bytes before it, changing any amount, signature or header field anywhere makes
verification fail and name the rule. The export itself has one canonical spelling, so even a
change that leaves the meaning intact (spacing, escapes) is caught as `export-canonical`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from minichain.blocks import Block
from minichain.chain import Chain
from minichain.crypto import get_suite
from minichain.encoding import parse_json, require_list, require_object
from minichain.errors import GenesisMismatch, InvalidBlock, MalformedData, NonCanonicalExport
from minichain.genesis import Genesis

EXPORT_FORMAT = "minichain-export/1"


def export_document(genesis: Genesis, blocks: Iterable[Block]) -> bytes:
    suite = get_suite(genesis.suite)
    document = {
        "format": EXPORT_FORMAT,
        "genesis": genesis.to_json(),
        "blocks": [block.to_json(suite) for block in blocks],
    }
    text = json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode("utf-8")


def export_chain(chain: Chain) -> bytes:
    """The best chain, genesis block included, as canonical JSON bytes."""
    return export_document(chain.genesis, chain.main_chain())


def replay(genesis: Genesis, blocks: Iterable[Block]) -> Chain:
    """A fresh chain built by validating `blocks` (genesis block first) one by one."""
    chain = Chain(genesis)
    for index, block in enumerate(blocks):
        if index == 0:
            if block.hash(chain.suite) != chain.genesis_hash:
                raise GenesisMismatch(
                    "block 0 is not the genesis block these genesis parameters produce", height=0
                )
            continue
        update = chain.add_block(block)
        if update.status != "extended":
            raise InvalidBlock(
                f"block {block.height} does not extend the chain in order (status {update.status})",
                check="order", height=block.height, status=update.status,
            )
    return chain


def verify_export(data: bytes) -> Chain:
    """Parse and fully re-validate an export; a typed error names the first rule broken."""
    document = require_object(parse_json(data, "export"), "export", {"format", "genesis", "blocks"})
    if document["format"] != EXPORT_FORMAT:
        raise MalformedData(f"export.format: expected {EXPORT_FORMAT!r}, found {document['format']!r}")
    genesis = Genesis.from_json(document["genesis"])
    suite = get_suite(genesis.suite)
    raw_blocks: list[Any] = require_list(document, "blocks", "export", 10_000_000)
    if not raw_blocks:
        raise MalformedData("export.blocks: empty; an export starts with the genesis block")
    # Derived fields (hashes, txids, senders) are not trusted here: the rules judge the content,
    # and the canonical comparison below catches a derived field that was edited.
    blocks = [Block.from_json(raw, suite, genesis.max_block_transactions, check_derived=False)
              for raw in raw_blocks]
    chain = replay(genesis, blocks)
    canonical = export_chain(chain)
    if canonical != data:
        offset = next((i for i, (a, b) in enumerate(zip(canonical, data, strict=False)) if a != b),
                      min(len(canonical), len(data)))
        raise NonCanonicalExport(
            f"the file's bytes differ from the canonical export of its content at byte {offset}",
            offset=offset,
        )
    return chain


def verify_chain(chain: Chain) -> Chain:
    """Replay a loaded chain's best branch from genesis; the result must reach the same tip."""
    replayed = replay(chain.genesis, chain.main_chain())
    if replayed.tip_hash != chain.tip_hash or replayed.state.root() != chain.state.root():
        raise InvalidBlock("replaying the stored blocks does not give the stored tip and state",
                           check="replay", height=chain.height)
    for block in chain.main_chain():  # receipts: what was stored against what re-running gives
        block_hash = block.hash(chain.suite)
        if chain.contracts.receipts.get(block_hash, ()) != replayed.contracts.receipts.get(block_hash, ()):
            raise InvalidBlock(f"block {block.height}: a stored receipt differs from what re-running "
                               "its contract transactions gives", check="replay", height=block.height)
    damaged = chain.contracts.damaged_node() if chain.tip.contract_root else None
    if damaged is not None:
        raise InvalidBlock(f"stored contract state is damaged: node {damaged.hex()[:16]} no longer "
                           "hashes to its key", check="replay", height=chain.height)
    return replayed
