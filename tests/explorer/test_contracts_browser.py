"""The smart-contracts page in a real browser, in presenter mode: every step of the e-invoice story
readable from the back row at 1920x1080 (English) and 1280x720 (Chinese), no English word on the
Chinese page outside codes (contract, function, event and variable names are codes: they are the
Solidity source's own identifiers), nothing fetched from outside 127.0.0.1, and a click-only
deploy and call in the try-it-yourself tab. Uses test_browser's server, browser and measures."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page
from test_browser import (  # noqa: F401 (server and browser are the module's fixtures)
    CODE_WORDS,
    VISIBLE_TEXT,
    Visit,
    browser,
    check_readable,
    click,
    english_words,
    goto,
    keep,
    server,
)

from explorer.contracts_demo import SAMPLES, invoice_story, samples
from explorer.i18n import CATALOG

# The Solidity source's identifiers (contracts, functions, events, parameters, as the ABI names
# them) and the tools' names: codes, as hashes are.
IDENTIFIERS = {*SAMPLES, "Solidity", "EVM", "py-evm", "ERC-20", "INV-2026-0001", "INV-2026-0002", "DCY"} | {
    name for artifact in samples().values() for entry in artifact.abi
    for name in [entry.get("name", ""), *(item.get("name", "") for item in entry.get("inputs", []))] if name}


def check_chinese_contracts(page: Page, where: str) -> None:
    """test_browser.check_chinese, with the contracts' identifiers and the monospace table cells
    (class mc-code: names from the ABI and the storage layout) counted as codes."""
    page.evaluate("() => document.querySelectorAll('td.mc-code').forEach(td => { td.dataset.was = "
                  "td.style.display || '-'; td.style.display = 'none'; })")
    text = page.evaluate(VISIBLE_TEXT)
    page.evaluate("() => document.querySelectorAll('td.mc-code').forEach(td => "
                  "td.style.display = td.dataset.was === '-' ? '' : td.dataset.was)")
    words = [word for word in english_words(text) if word not in IDENTIFIERS | CODE_WORDS]
    assert not words, f"{where}: English on a Chinese page: {words[:20]}"
    assert "None" not in text, where


@pytest.mark.parametrize(("width", "height", "chinese"), [(1920, 1080, False), (1280, 720, True)],
                         ids=["1920x1080-en", "1280x720-zh"])
def test_the_story_is_readable_from_the_back_row(server: str, browser: Browser,  # noqa: F811 (fixtures)
                                                 width: int, height: int, chinese: bool) -> None:
    visit = Visit(browser, width, height)
    page = visit.open(chinese=chinese, presenter=True)
    lang = "zh" if chinese else "en"
    goto(page, "contracts")
    for step in range(1, len(invoice_story()) + 1):
        click(page, CATALOG["contracts.next"][lang])
        where = f"{width}x{height} contracts step {step}"
        page.get_by_text(CATALOG[f"contracts.story.{step}"][lang]).first.wait_for(timeout=60_000)
        seen = check_readable(page, where, (width, height))
        assert seen["cells"], where  # the four nodes' table is drawn
        if chinese:
            check_chinese_contracts(page, where)
        keep(page, f"contracts-{width}-{lang}-step-{step}")
    refusal = CATALOG["contracts.reverted"][lang].split("{")[1].split("}")[1][:8]
    assert page.get_by_text(refusal).count() >= 1
    assert page.locator("[data-testid=stException]").count() == 0
    visit.close()


def test_try_it_yourself_with_clicks_in_chinese(server: str, browser: Browser) -> None:  # noqa: F811
    visit = Visit(browser, 1400, 1000)
    page = visit.open(chinese=True)
    goto(page, "contracts")
    page.get_by_role("tab", name=CATALOG["contracts.tab_try"]["zh"]).click()
    click(page, "部署 InvoiceRegistry")
    page.get_by_text("4 个节点都执行成功").first.wait_for(timeout=60_000)
    click(page, "发送到 4 个节点")  # addIssuer(采购方) by the tax bureau: the first function
    assert page.locator("[data-testid=stException]").count() == 0
    check_chinese_contracts(page, "contracts, try it yourself")
    keep(page, "contracts-try-zh")
    visit.close()
