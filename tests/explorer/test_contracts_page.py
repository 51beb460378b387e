"""The smart-contracts page: the e-invoice story on four real EVMs (every node agrees, the second
redemption is refused everywhere and changes nothing), the try-it-yourself panel with clicks only,
both languages, and a contract's own strings shown as text."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest
from test_pages import button, open_page

from explorer import contracts_view
from explorer.common import Part
from explorer.contracts_demo import INVOICE, Action, ContractNetwork, address, invoice_story, play
from explorer.i18n import CATALOG

pytestmark = pytest.mark.usefixtures("solc_installed")


@pytest.fixture(scope="module")
def solc_installed() -> None:
    from minichain.contracts import SOLC_DIR

    assert (SOLC_DIR / "node_modules" / "solc").is_dir(), "solc-js is missing: `make setup` installs it"


def test_the_story_agrees_on_every_node_and_the_second_redemption_changes_nothing() -> None:
    network = play(invoice_story())
    outcomes = network.history
    assert [o.succeeded for o in outcomes] == [True, True, True, True, False]
    assert all(o.agree and len(set(o.roots)) == 1 and len(o.receipts) == 4 for o in outcomes)
    assert [e.name for o in outcomes for e in o.events] == ["IssuerAdded", "Issued", "Redeemed"]
    redeemed, again = outcomes[3], outcomes[4]
    assert again.roots == redeemed.roots  # nothing in the contract's state changed
    assert again.receipt is not None and again.receipt.gas_used > 21_000  # but the gas is paid
    failure = again.failure
    assert failure is not None and failure.rule == "contract-revert"
    assert contracts_view.reason(again, "en") == "`invoice already redeemed`"
    assert contracts_view.reason(again, "zh") == "这张发票已经报销过了（`invoice already redeemed`）"
    status = network.send(Action("bank", "InvoiceRegistry", "get", (INVOICE,)))
    assert status.result is not None and status.result[1] == address("buyer") and status.result[4] == 2
    assert status.height == 0 and network.height == 5  # a view makes no block


def test_the_same_actions_give_the_same_roots_every_time() -> None:
    first, second = play(invoice_story()), play(invoice_story())
    assert [o.roots for o in first.history] == [o.roots for o in second.history]


def test_bad_arguments_are_refused_before_any_node_runs_anything() -> None:
    network = play(invoice_story()[:1])
    refused = network.send(Action("tax", "InvoiceRegistry", "addIssuer", ("not an address",)))
    assert refused.refused is not None and refused.refused.rule == "contract-args"
    assert not refused.receipts and network.height == 1
    missing = network.send(Action("tax", "Token", "transfer", (address("bank"), 1)))
    assert missing.refused is not None and missing.refused.rule == "contract-no-code"
    parts = contracts_view.outcome_parts(network, refused, "zh")
    assert any(p.kind == "error" and "contract\\-args" in p.text for p in parts)  # plain() escapes "-"


def test_a_custom_error_is_decoded_with_the_contracts_abi() -> None:
    network = ContractNetwork()
    network.send(Action("bank", "Token", "", ("Yuan", "CNY", 100)))
    overspend = network.send(Action("buyer", "Token", "transfer", (address("bank"), 5)))
    assert contracts_view.reason(overspend, "en") == "`InsufficientBalance(available=0, required=5)`"


def test_a_hostile_invoice_number_is_shown_as_text() -> None:
    hostile = '<img src="http://203.0.113.7/a.png"> **bold** `tick` $x$'
    network = play(invoice_story()[:2])
    issued = network.send(Action("supplier", "InvoiceRegistry", "issue",
                                 (hostile, address("buyer"), 5, "0x" + "00" * 32)))
    assert issued.succeeded
    parts = contracts_view.outcome_parts(network, issued, "en")
    markdown = " ".join(p.text for p in parts if p.kind != "table")
    tables = " ".join(p.text for p in parts if p.kind == "table")
    assert "<img" not in tables and "&lt;img" in tables  # the event's number, escaped in its cell
    code = re.findall(r"`[^`]*`", markdown)
    assert any("<img" in span for span in code)  # inside one code span: shown, never rendered
    assert "<img" not in re.sub(r"`[^`]*`", "", markdown)


def texts(at: AppTest) -> str:
    """What the page says, read as text (explorer.common.plain escapes punctuation with backslashes)."""
    parts = [e.value for kind in ("success", "error", "warning", "info") for e in getattr(at, kind)]
    said = " | ".join(str(p) for p in parts) + " | " + " ".join(str(m.value) for m in at.markdown)
    return re.sub(r"\\(.)", r"\1", said).replace("`", "")


def _story_to_the_end(at: AppTest, label: str) -> None:
    for _ in invoice_story():
        button(at, label)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_steps_through_the_story_to_the_refusal(lang: str) -> None:
    at = open_page("contracts", lang=lang)
    assert at.title[0].value == CATALOG["contracts.title"][lang]
    _story_to_the_end(at, CATALOG["contracts.next"][lang])
    said = texts(at)
    if lang == "zh":
        assert "4 个节点都拒绝执行：合约说“这张发票已经报销过了（invoice already redeemed）”" in said
        assert "第二次报销在四个节点上都被合约拒绝" in said
    else:
        assert "All 4 nodes refused it: the contract says “invoice already redeemed”" in said
    button(at, CATALOG["contracts.back"][lang])  # step 4: the first redemption, done everywhere
    assert CATALOG["contracts.ok"][lang].split("{")[0] in texts(at)


def test_try_it_yourself_deploys_and_calls_with_clicks_only() -> None:
    at = open_page("contracts", lang="zh")
    at.selectbox(key="contracts_pick_zh").set_value("Token：类似 ERC-20 的代币").run()
    button(at, "部署 Token")
    assert "4 个节点都执行成功" in texts(at)
    network: ContractNetwork = at.session_state["contracts_network"]
    assert "Token" in network.deployed
    at.selectbox(key="contracts_fn_Token_zh").set_value("transfer(address,uint256)").run()
    button(at, "发送到 4 个节点")
    assert network.history[-1].succeeded and [e.name for e in network.history[-1].events] == ["Transfer"]
    assert "调用 transfer(采购方, 1)" in texts(at)  # the name, not the signature, then the arguments
    at.selectbox(key="contracts_fn_Token_zh").set_value("balanceOf(address) · 只读").run()
    button(at, "从 4 个节点读取")
    assert "4 个节点返回相同的结果：1" in texts(at)  # the buyer holds the 1 sent above
    assert not at.exception


def test_storage_and_events_are_tables_in_both_languages() -> None:
    network = play(invoice_story()[:3])
    for lang in ("zh", "en"):
        parts: list[Part] = contracts_view.outcome_parts(network, network.history[-1], lang)
        tables = [p.text for p in parts if p.kind == "table"]
        assert len(tables) == 3  # the nodes, the events, the storage
        assert "issuedCount" in tables[2] and CATALOG["contracts.who.tax"][lang] in tables[2]
