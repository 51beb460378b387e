"""A fixed run of all three samples over three blocks; run as a script it prints the roots.

The determinism test runs it in fresh interpreters with different PYTHONHASHSEEDs and compares
their roots and receipts with its own.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from contractkit import context, deploy, sender

from minichain.contracts.compiler import Artifact, load_artifact
from minichain.contracts.engine import EMPTY_ROOT, ContractEngine
from minichain.contracts.receipts import receipt_bytes


def run(engine: ContractEngine, samples: dict[str, Artifact]) -> dict[str, list[str]]:
    """{"roots": [hex per block], "receipts": [hex of each receipt's canonical bytes]}"""
    alice, bob = sender("alice", "sha256-ed25519"), sender("bob", "sha256-secp256k1")
    chair, shop = sender("chair", "sm3-sm2"), sender("shop", "sm3-sm2")
    roots, receipts = [], []

    block = engine.begin(EMPTY_ROOT, context(1))
    token, r1 = deploy(block, samples["Token"], alice, 0, ["Yuan", "CNY", 10_000])
    voting, r2 = deploy(block, samples["Voting"], chair, 0, [["a", "b"]])
    registry, r3 = deploy(block, samples["InvoiceRegistry"], chair, 1)
    receipts += [r1, r2, r3]
    roots.append(block.commit())

    block = engine.begin(roots[-1], context(2, prev_hashes=(b"\x02" * 32,)))
    for amount in (1, 2, 3):
        receipts.append(token.call(block, alice, "transfer", bob.hex, amount))
    receipts.append(voting.call(block, chair, "giveRightToVote", bob.hex))
    receipts.append(voting.call(block, bob, "vote", 1))
    receipts.append(registry.call(block, chair, "addIssuer", shop.hex))
    receipts.append(registry.call(block, shop, "issue", "INV-1", bob.hex, 500, "0x" + "ab" * 32))
    roots.append(block.commit())

    block = engine.begin(roots[-1], context(3))
    receipts.append(registry.call(block, bob, "redeem", "INV-1"))
    receipts.append(registry.call(block, bob, "redeem", "INV-1"))  # refused
    receipts.append(token.call(block, bob, "transfer", alice.hex, 1, gas=25_000))  # out of gas
    receipts.append(voting.call(block, bob, "vote", 0))  # refused
    roots.append(block.commit())
    return {"roots": [root.hex() for root in roots],
            "receipts": [receipt_bytes(receipt).hex() for receipt in receipts]}


if __name__ == "__main__":
    artifacts_dir, db_path = Path(sys.argv[1]), Path(sys.argv[2])
    loaded = {path.stem: load_artifact(path) for path in artifacts_dir.glob("*.json")}
    print(json.dumps(run(ContractEngine.open(db_path), loaded)))
