"""A narrated, offline tour of the CLI: keys, a genesis, a transfer, mining, and tampering caught.

Each step prints the exact `minichain ...` command it runs, so a newcomer can repeat it by hand.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

from minichain.errors import MinichainError

MARKER = ".minichain-demo"


def _run(argv: list[str], expect_failure: bool = False) -> str:
    from minichain.cli import main

    print(f"\n$ minichain {' '.join(argv)}", flush=True)
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        code = main(argv)
    text = captured.getvalue()
    print(text, end="", flush=True)
    if (code != 0) != expect_failure:
        raise MinichainError(f"demo step failed unexpectedly: minichain {' '.join(argv)}")
    return text.strip()


def run_demo(data_dir: Path) -> None:
    if data_dir.exists():
        if not (data_dir / MARKER).exists():
            raise MinichainError(f"{data_dir} exists and was not made by the demo; not touching it")
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)
    (data_dir / MARKER).write_text("made by `minichain demo`; safe to delete\n")
    d = str(data_dir)

    print("== 1. Two key pairs (the key files are written with mode 0600)")
    alice = _run(["keygen", "--out", f"{d}/alice.key"])
    bob = _run(["keygen", "--out", f"{d}/bob.key"])

    print("\n== 2. A proof-of-work chain where Alice owns the first 1000 coins")
    _run(["genesis", "--out", f"{d}/genesis.json", "--consensus", "pow", "--alloc",
          f"{alice}=1000", "--difficulty-bits", "14", "--chain-id", "demo-chain"])
    _run(["chain", "init", "--data", f"{d}/node", "--genesis", f"{d}/genesis.json"])

    print("\n== 3. Alice signs a transfer of 25 to Bob (fee 1) and submits it")
    tx_json = _run(["tx", "sign", "--key", f"{d}/alice.key", "--to", bob, "--amount", "25",
                    "--fee", "1", "--chain-id", "demo-chain", "--data", f"{d}/node"])
    (data_dir / "tx.json").write_text(tx_json + "\n")
    _run(["chain", "submit", "--data", f"{d}/node", f"{d}/tx.json"])
    print("\n-- submitting the same transaction again is a replay, and is refused:")
    _run(["chain", "submit", "--data", f"{d}/node", f"{d}/tx.json"], expect_failure=True)

    print("\n== 4. Bob mines two blocks: the transfer is committed, Bob earns reward and fee")
    _run(["chain", "mine", "--data", f"{d}/node", "--miner", bob, "--blocks", "2"])
    _run(["balance", "--data", f"{d}/node", alice])
    _run(["balance", "--data", f"{d}/node", bob])
    _run(["chain", "show", "--data", f"{d}/node"])

    print("\n== 5. Export the chain; anyone can re-validate it from genesis")
    _run(["chain", "export", "--data", f"{d}/node", "--out", f"{d}/chain.json"])
    _run(["chain", "verify", "--file", f"{d}/chain.json"])

    print("\n== 6. Tamper: change the 25 in the exported chain to 2500")
    document = json.loads((data_dir / "chain.json").read_text())
    document["blocks"][1]["transactions"][0]["amount"] = 2500
    (data_dir / "tampered.json").write_text(
        json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    with contextlib.redirect_stderr(io.StringIO()) as errors:
        _run(["chain", "verify", "--file", f"{d}/tampered.json"], expect_failure=True)
    print(errors.getvalue(), end="")
    print("\nThe block's Merkle root no longer matches its transactions: the change is caught.")
    print(f"Everything the demo made is in {d}/.")
