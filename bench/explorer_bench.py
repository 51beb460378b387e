"""How long an explorer interaction takes on a 10,000-block chain (goal: < 300 ms per rerun),
measured with Streamlit's AppTest, next to the same interaction on the default short chain
measured in the same run; and the stage's interactions, whose chains are the scenarios' own (a
press of the clicker is the Next button's code path; a phone's refresh is a rerun of /audience).
Run: `python bench/explorer_bench.py [--blocks N] [--json]`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from explorer import blocks_page, broadcast, netsim  # noqa: E402
from explorer.coinbase import Ledger  # noqa: E402
from explorer.scenarios import Show  # noqa: E402
from minichain import Chain  # noqa: E402
from minichain.testing import produce_block  # noqa: E402

GOAL_MS = 300.0
LONG = ("blocks_page_long", "network_page_long", "coinbase_page_long", "stage")  # what the goal is about


def long_blocks_chain(length: int, bits: int) -> blocks_page.EditableChain:
    return blocks_page.build(bits, length)


def long_network(length: int) -> object:
    genesis = netsim.genesis_for(4, "poa")
    chain = Chain(genesis)
    signers = netsim.authorities(4)
    for _ in range(length):
        produce_block(chain, authorities=signers)
    blocks = list(chain.main_chain())
    hashes = [chain.hash_at(h) for h in range(chain.height + 1)]
    accounts = dict(chain.state.items())
    undo = {h: u for h in hashes[1:] if (u := chain.undo_record(h)) is not None}
    copies = [Chain.restore(genesis, blocks, hashes, accounts, undo) for _ in range(4)]
    net = netsim.network(4, "poa", chains=copies, start_time=chain.tip.timestamp + 1)
    net.run_for(6.0)
    return net


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def blocks_interactions(state: blocks_page.EditableChain | None, bits: int) -> dict[str, float]:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.session_state["blocks_bits"] = bits
    if state is not None:
        at.session_state["blocks_chain"] = state
        at.session_state["blocks_built"] = (bits, "en")
    at.run()
    at.switch_page("explorer/blocks_page.py")
    figures = {"open": timed(at.run)}
    last = len(at.session_state["blocks_chain"].blocks) - 1
    figures["edit memo"] = timed(lambda: at.text_input(key=f"memo_{last}").input("tampered").run())
    button = next(b for b in at.button if b.key == f"remine_{last}")
    figures["re-mine"] = timed(lambda: button.click().run())
    figures["rerun"] = timed(at.run)
    if at.exception:
        raise RuntimeError([e.message for e in at.exception])
    return figures


def network_interactions(net: object | None) -> dict[str, float]:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    if net is not None:
        at.session_state["net"] = net
        at.session_state["net_params"] = (4, "poa", 1)
    at.run()
    at.switch_page("explorer/network_page.py")
    figures = {"open": timed(at.run)}
    for label, name in (
        ("Run 2 s", "run 2 s"),
        ("Send a transfer", "send"),
        ("Partition", "partition"),
        ("Run 2 s", "run partitioned"),
        ("Heal", "heal"),
    ):
        button = next(b for b in at.button if b.label == label)
        figures[name] = timed(lambda b=button: b.click().run())
    if at.exception:
        raise RuntimeError([e.message for e in at.exception])
    return figures


def long_ledger(length: int) -> Ledger:
    """A coinbase ledger `length` blocks long, a transfer in every tenth block."""
    ledger = Ledger.fresh()
    miners = ("alice", "bob", "carol")
    for height in range(1, length + 1):
        if height > 3 and height % 10 == 0:
            ledger.send(miners[height % 3], miners[(height + 1) % 3], 5)
        ledger.mine(miners[height % 3])
    return ledger


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)


def click(at: AppTest, label: str) -> float:
    button = next(b for b in at.button if b.label == label)
    return timed(lambda: button.click().run())


def coinbase_interactions(ledger: Ledger | None) -> dict[str, float]:
    at = app()
    if ledger is not None:
        at.session_state["coin_ledger"] = ledger
    at.run()
    at.switch_page("explorer/coinbase_page.py")
    figures = {"open": timed(at.run), "mine": click(at, "Mine a block"), "send": click(at, "Send"),
               "mine again": click(at, "Mine a block"), "rerun": timed(at.run)}
    if at.exception:
        raise RuntimeError([e.message for e in at.exception])
    return figures


def stage_interactions() -> dict[str, float]:
    """Every press of the whole show (the slowest is reported), the audience's refresh, and the other
    new pages' clicks."""
    broadcast.board.clear()
    at = app()
    at.session_state["stage_show"] = Show()
    at.run()
    at.switch_page("explorer/stage_page.py")
    figures = {"open stage": timed(at.run)}
    presses = []
    while not next(b for b in at.button if b.label == "Next step ▶").disabled:
        presses.append(click(at, "Next step ▶"))
    figures["slowest press"], figures["back"] = max(presses), click(at, "◀ Back")
    phone = app()
    phone.run()
    phone.switch_page("explorer/audience_page.py")
    figures["phone opens"], figures["phone refresh"] = timed(phone.run), timed(phone.run)
    peers = app()
    peers.run()
    peers.switch_page("explorer/distributed_page.py")
    figures["peers open"] = timed(peers.run)
    figures["peers rewrite"] = click(peers, "Rewrite")
    figures["peers re-mine"] = click(peers, "Re-mine from here")
    keys = app()
    keys.session_state["keys_suite"] = "sm3-sm2"  # the slowest suite (pure-Python SM2)
    keys.run()
    keys.switch_page("explorer/keys_page.py")
    figures["keys open"], figures["keys sign sm2"] = timed(keys.run), click(keys, "Sign")
    for test in (at, phone, peers, keys):
        if test.exception:
            raise RuntimeError([e.message for e in test.exception])
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--blocks", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    bits = 8
    started = time.perf_counter()
    long_chain = long_blocks_chain(args.blocks, bits)
    net = long_network(args.blocks)
    ledger = long_ledger(args.blocks)
    build_s = time.perf_counter() - started
    results = {
        "blocks_page_short": blocks_interactions(None, bits),
        "blocks_page_long": blocks_interactions(long_chain, bits),
        "network_page_short": network_interactions(None),
        "network_page_long": network_interactions(net),
        "coinbase_page_short": coinbase_interactions(None),
        "coinbase_page_long": coinbase_interactions(ledger),
        "stage": stage_interactions(),
    }
    worst = max(ms for page in LONG for ms in results[page].values())
    summary = {
        "blocks": args.blocks,
        "build_s": round(build_s, 1),
        "worst_long_ms": round(worst, 1),
        "goal_ms": GOAL_MS,
        "meets_goal": worst < GOAL_MS,
        **{page: {k: round(v, 1) for k, v in figures.items()} for page, figures in results.items()},
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(
        f"explorer on a {args.blocks}-block chain (built in {build_s:.1f} s); goal < {GOAL_MS:.0f} ms a rerun"
    )
    for page in ("blocks_page", "network_page", "coinbase_page"):
        for name, long_ms in results[f"{page}_long"].items():
            short_ms = results[f"{page}_short"][name]
            print(
                f"  {page:13} {name:16} {long_ms:7.1f} ms   short chain {short_ms:6.1f} ms   "
                f"x{long_ms / max(short_ms, 1e-9):4.1f}   {'PASS' if long_ms < GOAL_MS else 'MISS'}"
            )
    for name, ms in results["stage"].items():
        print(f"  {'stage':13} {name:16} {ms:7.1f} ms   {ms / GOAL_MS:4.2f} of the goal   "
              f"{'PASS' if ms < GOAL_MS else 'MISS'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
