"""Every explorer page, through Streamlit's AppTest: it renders without an exception, and its main
interaction does what the page says (a tampered block is reported invalid, a partition forks...)."""

from __future__ import annotations

import re
import string
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from explorer.i18n import CATALOG, LANGUAGES
from minichain.wallet import Wallet

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "streamlit_app.py")


def open_page(name: str, **state: object) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(f"explorer/{name}_page.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def unescape(markdown: str) -> str:
    """Markdown as read: explorer.common.plain backslash-escapes every ASCII punctuation mark."""
    return re.sub(r"\\(.)", r"\1", markdown)


def html(at: AppTest) -> str:
    """The pictures (inline SVG in Markdown) and the tables and style sheets (st.html)."""
    return "".join(m.value for m in at.markdown) + "".join(e.proto.body for e in at.get("html"))


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("success", "error", "warning", "info") for e in getattr(at, kind)]
    return unescape(" | ".join(str(p) for p in parts) + " | " + " ".join(str(m.value) for m in at.markdown))


def button(at: AppTest, label: str) -> None:
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}: {[b.label for b in at.button]}"
    matches[0].click().run()
    assert not at.exception, [e.message for e in at.exception]


@pytest.mark.parametrize(
    "name", ["hash", "blocks", "transactions", "merkle", "network", "consensus", "live", "stage"]
)
@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_page_renders_in_both_languages(name: str, lang: str) -> None:
    at = open_page(name, lang=lang)
    title = at.title[0].value
    assert (
        title
        == CATALOG[f"{'tx' if name == 'transactions' else 'net' if name == 'network' else name}.title"][lang]
    )


def test_hash_page_shows_the_avalanche_of_a_one_letter_change() -> None:
    at = open_page("hash")
    at.text_input(key="hash_text").input("minichaim").run()
    assert "bits changed since “minichain”" in html(at)
    assert html(at).count("<svg") == 2 and "#c62828" in html(at)  # changed bits drawn red


def test_blocks_page_reports_a_tampered_block_and_re_mining_only_moves_the_break() -> None:
    at = open_page("blocks", blocks_bits=8)
    assert "Every block and every link is valid" in texts(at)
    at.text_input(key="memo_2").input("pay the forger").run()
    assert "Broken from block #2" in texts(at)
    button(at, "Re-mine")  # the first Re-mine button belongs to block 1: still valid, nothing changes
    assert "Broken from block #2" in texts(at)
    next(b for b in at.button if b.key == "remine_2").click().run()
    assert "Broken from block #3" in texts(at)
    assert "rule tx-signature" in texts(at)  # re-mining cannot forge Alice's signature
    assert "attempts in" in html(at)


def test_transactions_page_names_the_rule_a_tampered_transfer_breaks() -> None:
    at = open_page("transactions")
    button(at, "Alice signs")
    assert "Signature valid" in texts(at)
    at.number_input(key="tx_forged").set_value(999).run()
    assert "rule tx-signature" in texts(at)
    button(at, "Submit it, seal a block, submit it again")
    said = texts(at)
    assert "accepted into the mempool" in said
    assert "refuses it as already known — rule mempool-known" in said  # the first line of defence
    assert "Block #1 is mined with the transfer" in said
    assert "refused by the nonce rule — rule tx-nonce: tx " in said and "nonce 0 is already used" in said


@pytest.mark.parametrize("suite", ["sha256-secp256k1", "sm3-sm2"])
def test_transactions_page_works_with_every_suite(suite: str) -> None:
    at = open_page("transactions", tx_suite=suite)
    button(at, "Alice signs")
    assert "Signature valid" in texts(at)


def test_merkle_page_verifies_the_highlighted_proof_and_shows_the_trap_is_closed() -> None:
    at = open_page("merkle")
    at.slider(key="merkle_count").set_value(9).run()
    at.slider(key="merkle_pick").set_value(8).run()
    assert "Proof verified" in texts(at) and "fails for any other transaction" in texts(at)
    assert "Different roots" in texts(at)
    assert "#ef6c00" in html(at)  # the proof's sibling hashes drawn orange


def test_network_page_partition_forks_and_heal_converges() -> None:
    at = open_page("network")
    button(at, "Run 2 s")
    assert "All nodes agree" in texts(at)
    button(at, "Send a transfer")
    button(at, "Partition")
    for _ in range(4):
        button(at, "Run 2 s")
    assert "different tips" in texts(at)
    assert "Partitioned: node0, node1 | node2, node3" in texts(at)
    button(at, "Heal")
    for _ in range(3):
        button(at, "Run 2 s")
    assert "All nodes agree" in texts(at)
    assert "reorg to height" in html(at)


def test_network_page_heal_brings_the_nodes_to_one_tip_at_once() -> None:
    at = open_page("network")
    button(at, "Partition")
    for _ in range(3):
        button(at, "Run 2 s")
    assert "different tips" in texts(at)
    button(at, "Heal")
    assert "agree again after" in texts(at)  # no Run needed: Heal runs until one tip
    net = at.session_state["net"]
    assert len({core.chain.tip_hash for core in net.cores}) == 1


def test_consensus_page_compares_pow_forks_with_poa() -> None:
    at = open_page("consensus")
    metrics = {(m.label, i // 5): m.value for i, m in enumerate(at.metric)}
    assert metrics[("Blocks lost to forks", 1)] == "0"  # PoA, on a healthy network
    assert int(metrics[("Blocks on the best chain", 0)]) > 5


def test_live_page_without_nodes_says_how_to_start_them() -> None:
    at = open_page("live", live_urls="http://127.0.0.1:9")
    assert "make demo" in texts(at)


@pytest.fixture
def live_node(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = 8612  # the explorer tests use 8610-8619
    # The keys are made in-process; the node itself runs as a real process, as in a classroom.
    faucet_wallet, authority_wallet = Wallet.generate(), Wallet.generate()
    faucet_wallet.save(tmp_path / "faucet.key")
    authority_wallet.save(tmp_path / "auth.key")
    faucet, authority = faucet_wallet.address, authority_wallet.address
    subprocess.run(
        [
            sys.executable,
            "-m",
            "minichain",
            "genesis",
            "--out",
            str(tmp_path / "g.json"),
            "--consensus",
            "poa",
            "--alloc",
            f"{faucet}=1000",
            "--authority",
            authority,
            "--block-time",
            "1",
        ],
        check=True,
        capture_output=True,
    )
    node = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "minichain",
            "node",
            "run",
            "--data-dir",
            str(tmp_path / "node"),
            "--port",
            str(port),
            "--genesis",
            str(tmp_path / "g.json"),
            "--key",
            str(tmp_path / "auth.key"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if httpx.get(f"{url}/status", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield url, tmp_path / "faucet.key"
    finally:
        node.terminate()
        node.wait(timeout=15)


def test_live_page_shows_a_real_node_and_sends_a_transfer(live_node: tuple[str, Path]) -> None:
    url, key = live_node
    bob = "M99puKqpLtHpBM5JDcXJr9zmCyKwpyYQQA"
    at = open_page("live", live_urls=url, live_key=str(key), live_to=bob, live_amount=7)
    assert "Every answering node is on the same tip" in texts(at)
    button(at, "Send")
    assert "Submitted" in texts(at), texts(at)
    deadline = time.time() + 15
    while time.time() < deadline and httpx.get(f"{url}/accounts/{bob}", timeout=2).json()["balance"] != 7:
        time.sleep(0.3)
    assert httpx.get(f"{url}/accounts/{bob}", timeout=2).json()["balance"] == 7


@pytest.mark.parametrize(
    ("scenario", "expected"),
    [
        ("tamper", "rule tx-signature"),
        ("double_spend", ""),
        ("partition", ""),
    ],
)
def test_stage_scenarios_play_step_by_step(scenario: str, expected: str) -> None:
    at = open_page("stage", stage_name=scenario, presenter=True)
    assert "font-size: max(18px, 1.25vw)" in html(at)  # presenter mode: everything scaled
    steps = {"tamper": 4, "double_spend": 3, "partition": 3}[scenario]
    for step in range(steps):
        started = time.perf_counter()
        button(at, "Next step ▶")
        assert time.perf_counter() - started < 3.0  # generous for CI; the bench measures properly
        assert f"Step {step + 1} of {steps}" in str(at.get("progress")[0].proto.text)
    assert next(b for b in at.button if b.label == "Next step ▶").disabled
    if expected:
        assert expected in texts(at)
    if scenario == "double_spend":
        balances = re.search(r"Only one payment is committed: Bob has (\d+), Carol has (\d+)", texts(at))
        assert balances is not None
        assert sorted(int(x) for x in balances.groups()) == [0, 900_000]  # one payment, never both
    if scenario == "partition":
        assert "▲ all 4 nodes" in html(at)  # healed: the picture shows one tip
        assert "agree again after" in texts(at)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalog_has_every_key_in_both_languages_with_the_same_placeholders() -> None:
    for key, entry in CATALOG.items():
        assert set(entry) == set(LANGUAGES), key
        assert _placeholders(entry["en"]) == _placeholders(entry["zh"]), key


def test_every_key_the_pages_use_is_in_the_catalog() -> None:
    used: set[str] = set()
    for path in [*sorted((ROOT / "explorer").glob("*.py")), ROOT / "streamlit_app.py"]:
        source = path.read_text()
        used |= set(re.findall(r'\bt\("([a-z_]+\.[a-z_.0-9]+)"', source))
        for prefix in re.findall(r'\bt\(f"([a-z_]+\.)\{', source):
            assert any(k.startswith(prefix) for k in CATALOG), prefix
    missing = sorted(used - CATALOG.keys())
    assert not missing, missing


def test_the_chosen_language_survives_changing_page() -> None:
    at = open_page("blocks")
    at.radio(key="lang").set_value("zh").run()
    assert at.title[0].value == CATALOG["blocks.title"]["zh"]
    at.switch_page("explorer/network_page.py").run()
    assert at.title[0].value == CATALOG["net.title"]["zh"]
    assert at.radio(key="lang").value == "zh"
