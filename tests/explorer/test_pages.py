"""Every explorer page, through Streamlit's AppTest: it renders without an exception, and its main
interaction does what the page says (a tampered block is reported invalid, a partition forks...)."""

from __future__ import annotations

import dataclasses
import json
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

from explorer import broadcast, clicker
from explorer.common import Part
from explorer.i18n import CATALOG, LANGUAGES
from explorer.scenarios import ORDER, SCENARIOS, Show
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


TITLES = {"hash": "hash.title", "blocks": "blocks.title", "distributed": "peers.page_title",
          "transactions": "tx.title", "keys": "keys.page_title", "coinbase": "coin.page_title",
          "merkle": "merkle.title", "network": "net.title", "consensus": "consensus.title",
          "bft": "bft.title", "live": "live.title", "contracts": "contracts.title", "stage": "stage.title"}


@pytest.mark.parametrize("name", list(TITLES))
@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_page_renders_in_both_languages(name: str, lang: str) -> None:
    at = open_page(name, lang=lang)
    assert at.title[0].value == CATALOG[TITLES[name]][lang]


def component_data(at: AppTest, name: str) -> dict[str, object]:
    """The data a page hands its st.components.v2 component (its JavaScript runs in the browser only)."""
    found = [e.proto for e in at.main if type(e.proto).__name__ == "BidiComponent"
             and e.proto.component_name == name]
    assert len(found) == 1, name
    data: dict[str, object] = json.loads(found[0].json)
    return data


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_hash_page_hands_the_typed_text_and_its_words_to_the_browser(lang: str) -> None:
    at = open_page("hash", lang=lang, hash_text="区块链")
    data = component_data(at, "minichain_hasher")
    assert data["initial"] == "区块链" and data["canvas"] is None and data["columns"] == 32
    words = data["words"]
    assert isinstance(words, dict) and words["input"] == CATALOG["hash.input"][lang]
    assert "{changed}" in words["since"] and "{previous}" in words["since"]
    at.session_state["presenter"] = True
    at.run()
    data = component_data(at, "minichain_hasher")
    assert data["canvas"] == {"width": 960, "text": 21} and data["columns"] == 64  # the projector's canvas


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


STAGE_EXPECTED = {
    "hash": "SHA-256",
    "tamper": "rule tx-signature",
    "distributed": "peer B differs from block #2 on",
    "keys": "The signature verifies (sm3-sm2)",
    "coinbase": "rule tx-balance",
    "double_spend": "",
    "partition": "",
    "bft_normal": "is final at height 1 after one round: 3 of 4 precommit signatures",
    "bft_silent": "A silent proposer costs one timeout, never safety",
    "bft_byzantine": "Still one chain: 3 heights, one block each",
    "bft_halt": "and no fork. When validator 2 came back, height 2 was decided",
    "contract": "All 4 nodes refused it: the contract says “`invoice already redeemed`”",
}


@pytest.mark.parametrize(("scenario", "expected"), list(STAGE_EXPECTED.items()))
def test_stage_scenarios_play_step_by_step(scenario: str, expected: str) -> None:
    at = open_page("stage", stage_show=Show(scenario=scenario), presenter=True)
    assert "font-size: max(18px, 1.25vw)" in html(at)  # presenter mode: everything scaled
    steps = len(SCENARIOS[scenario].steps)
    for step in range(steps):
        started = time.perf_counter()
        button(at, "Next step ▶")
        assert time.perf_counter() - started < 3.0  # generous for CI; the bench measures properly
        assert f"Step {step + 1} of {steps}" in str(at.get("progress")[0].proto.text)
    if expected:
        assert expected in texts(at)
    if scenario == "double_spend":
        balances = re.search(r"Only one payment is committed: Bob has (\d+), Carol has (\d+)", texts(at))
        assert balances is not None
        assert sorted(int(x) for x in balances.groups()) == [0, 900_000]  # one payment, never both
    if scenario == "partition":
        assert "▲ all 4 nodes" in html(at)  # healed: the picture shows one tip
        assert "agree again after" in texts(at)
    if scenario == "coinbase":
        assert "Coins in existence: 100 = 2 blocks × reward 50" in texts(at)
    if scenario == "keys":
        at.session_state["stage_show"].back(lambda key, **v: CATALOG[key]["en"].format(**v))
        at.run()
        assert "The signature does not verify" in texts(at)  # step 2: one character changed
    if scenario == "hash":
        assert html(at).count("#c62828") > 64  # step 2: about half of 2 x 256 bits flipped, in red
    if scenario.startswith("bft_"):  # the round's picture, every step of it drawn at the end
        shown = at.session_state["stage_show"].stage.bft
        assert shown.steps == len(shown.scene.steps)
        assert html(at).count("marker-end") == sum(len(s.arrows) for s in shown.scene.steps)


def test_next_at_the_end_of_a_scenario_opens_the_next_one_and_back_returns() -> None:
    at = open_page("stage", stage_show=Show(scenario="hash"))
    for _ in range(3):
        button(at, "Next step ▶")
    show = at.session_state["stage_show"]
    assert (show.scenario, show.done) == ("tamper", 0)
    assert "Press → to start" in texts(at)
    button(at, "◀ Back")
    assert (show.scenario, show.done) == ("hash", 2)


def test_the_show_walks_forward_to_the_end_and_back_to_the_start_through_the_same_steps() -> None:
    say = lambda key, **v: CATALOG[key]["en"].format(**v)  # noqa: E731
    show, seen = Show(), []
    while True:
        seen.append((show.scenario, show.done))
        if not show.forward(say):
            break
    assert seen[0] == ("hash", 0) and seen[-1] == (ORDER[-1], len(SCENARIOS[ORDER[-1]].steps))
    assert len(seen) == sum(len(s.steps) + 1 for s in SCENARIOS.values())  # each scenario, its opening too
    back = [(show.scenario, show.done)]
    while show.back(say):
        back.append((show.scenario, show.done))
    assert back == seen[::-1]


def test_the_clicker_applies_every_press_once_whatever_reruns_see() -> None:
    applied: tuple[str, int] = ("", 0)
    position = 0
    # Totals as reruns see them: some presses arrive together, some reruns see the same total twice,
    # a reloaded page (new mount id) counts from zero again.
    for sent in (None, {"presses": {"mount": "a", "count": 1}}, {"presses": {"mount": "a", "count": 4}},
                 {"presses": {"mount": "a", "count": 4}}, {"presses": {"mount": "a", "count": 3}},
                 {"presses": {"mount": "b", "count": 2}}, {"presses": {"mount": "b", "count": "9"}}):
        moves, applied = clicker.unapplied(sent, applied)
        position += moves
    assert position == 3 + 2 and applied == ("b", 2)


def test_the_board_keeps_one_frame_replaced_whole() -> None:
    board = broadcast.Board()
    frame = broadcast.Frame("tamper", 1, 4, "zh", "篡改历史", "一", (Part("success", "好"),), "二")
    assert board.latest() is None and board.publish(frame)
    assert not board.publish(frame)  # the same position: nothing new for the phones
    assert board.publish(dataclasses.replace(frame, done=2))
    latest = board.latest()
    assert latest is not None and (latest.done, latest.version) == (2, 2)
    huge = dataclasses.replace(frame, done=3, parts=(Part("text", "x" * (broadcast.FRAME_BYTES + 1)),))
    assert not board.publish(huge) and board.latest() is latest  # over budget: refused, nothing lost


def test_the_audience_page_shows_the_latest_frame_in_the_presenters_language() -> None:
    broadcast.board.clear()
    at = open_page("audience")
    assert "Waiting for the presenter" in texts(at)
    presenter = open_page("stage", lang="zh", stage_show=Show(scenario="distributed"))
    button(presenter, "下一步 ▶")
    at.run()
    said = texts(at)
    assert "三个节点甲、乙、丙" in said and "全部 3 个节点保存着同一条链" in said
    assert "节点甲" in html(at)  # the peers' picture, drawn for a phone


def test_distributed_page_tampering_one_peer_makes_the_majority_stand_out() -> None:
    at = open_page("distributed")
    assert "All 3 peers hold the same chain" in texts(at)
    button(at, "Rewrite")
    assert "Peer B's own copy is broken from block #2" in texts(at)
    button(at, "Re-mine from here")
    assert "Peers A and C agree (2 of 3); peer B differs from block #2 on" in texts(at)
    assert html(at).count("#ef6c00") >= 4  # B's blocks from #2 on drawn orange: valid alone, out-voted


@pytest.mark.parametrize("suite", ["sha256-ed25519", "sha256-secp256k1", "sm3-sm2"])
def test_keys_page_signs_and_a_changed_message_fails_in_every_suite(suite: str) -> None:
    at = open_page("keys", keys_suite=suite)
    assert "Press Sign" in texts(at) and suite in html(at)
    button(at, "Sign")
    assert f"The signature verifies ({suite})" in texts(at)
    at.text_input(key="keys_received").input("Alice pays Bob 90").run()
    assert "The signature does not verify" in texts(at)


def test_coinbase_page_mints_only_by_mining_and_refuses_an_overspend() -> None:
    at = open_page("coinbase")
    assert "Mine the first block" in texts(at)
    button(at, "Mine a block")  # Bob, by default
    assert "Bob mined block #1: +50 new coins, +0 in fees" in texts(at)
    button(at, "Send")  # Bob -> Carol 20
    assert "waits for the next block" in texts(at)
    button(at, "Mine a block")
    assert "Coins in existence: 100 = 2 blocks × reward 50" in texts(at)
    at.number_input(key="coin_amount").set_value(500).run()
    button(at, "Send")
    assert "rule tx-balance" in texts(at)


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
