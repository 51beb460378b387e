"""The explorer in a real browser (Debian chromium driven by Playwright), as a presenter and an
outside check meet it: rendered font sizes measured with getBoundingClientRect/getComputedStyle at
1920x1080 and 1280x720 in presenter mode, every stage step's payoff above the fold, no English word
outside codes on the Chinese pages, nothing loaded from outside 127.0.0.1, and a hostile node's
fields shown as text. One server and one browser for the module; every page context blocks and
records any request that leaves 127.0.0.1. Screenshots go to MINICHAIN_SCREENSHOTS if it is set."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect, sync_playwright

from explorer import bft
from explorer.i18n import CATALOG
from explorer.scenarios import SCENARIOS
from minichain.explain import SUMMARIES, TEMPLATES
from minichain.wallet import Wallet

ROOT = Path(__file__).resolve().parents[2]
PORT = 8610
HOSTILE_PORT = 8611
URL = f"http://127.0.0.1:{PORT}"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PAGES = ["hash", "blocks", "distributed", "transactions", "keys", "coinbase", "merkle", "network",
         "consensus", "bft", "live", "contracts", "stage"]
ELSEWHERE = "203.0.113.7"  # TEST-NET-3: a hostile node's links point here; nothing may fetch them

# What "readable from the back row" means here, per screen: (title, metric value, picture word,
# table cell and body text) in rendered px.
LIMITS = {(1920, 1080): {"title": 48, "metric": 48, "svg": 24, "text": 22},
          (1280, 720): {"title": 36, "metric": 36, "svg": 18, "text": 18}}


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    assert Path(CHROMIUM).exists(), "chromium is missing: scripts/install-system-deps.sh installs it"
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"), "--server.port", str(PORT),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if httpx.get(f"{URL}/_stcore/health", timeout=1).text == "ok":
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            raise AssertionError("streamlit did not start")
        yield URL
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Visit:
    """A browser context of one viewport that refuses (and remembers) every request leaving 127.0.0.1."""

    def __init__(self, browser: Browser, width: int, height: int) -> None:
        self.blocked: list[str] = []
        self.context: BrowserContext = browser.new_context(viewport={"width": width, "height": height})
        self.context.route("**/*", self._only_local)
        self.page: Page = self.context.new_page()
        self.size = (width, height)

    def _only_local(self, route: Route) -> None:
        url = route.request.url
        if re.match(r"(https?|wss?)://127\.0\.0\.1[:/]", url) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def open(self, chinese: bool = False, presenter: bool = False) -> Page:
        page = self.page
        page.goto(URL)
        page.wait_for_selector("h1", timeout=60_000)
        settle(page)
        if chinese:
            page.get_by_text("简体中文").click()
            page.get_by_role("heading", name="哈希函数：任何数据的指纹").wait_for(timeout=30_000)
            settle(page)
        if presenter:
            page.locator("[data-testid=stSidebar] [data-testid=stCheckbox] label").first.click()
            page.wait_for_function("() => getComputedStyle(document.documentElement).fontSize !== '16px'")
            settle(page)
        return page

    def close(self) -> None:
        self.context.close()
        assert not self.blocked, f"the explorer asked for something outside 127.0.0.1: {self.blocked}"


def settle(page: Page) -> None:
    """Wait until Streamlit has finished the run a click started."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stApp]').dataset.testScriptState === 'notRunning'",
        timeout=60_000)
    page.wait_for_timeout(200)


def goto(page: Page, name: str) -> None:
    title_before = page.locator("h1").first.inner_text()
    page.locator("[data-testid=stSidebar] [data-testid=stPageLink] a").nth(PAGES.index(name)).click()
    page.wait_for_function("t => { const h = document.querySelector('h1'); return h && h.innerText !== t; }",
                           arg=title_before, timeout=60_000)
    settle(page)


def click(page: Page, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).first.click()
    settle(page)


def keep(page: Page, name: str) -> None:
    """A screenshot where a person can look at it, if MINICHAIN_SCREENSHOTS names a folder."""
    target = os.environ.get("MINICHAIN_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"{name}.png"))


MEASURE = """() => {
  const px = el => parseFloat(getComputedStyle(el).fontSize);
  const visible = el => { const b = el.getBoundingClientRect(); return b.width > 0 && b.height > 0; };
  const svgText = [...document.querySelectorAll('.mc-svg svg text')].filter(visible)
    .map(t => px(t) * t.getScreenCTM().a);
  const h1 = document.querySelector('h1 span[data-heading-text], h1');
  const payoff = document.querySelector('.st-key-payoff');
  const box = el => { if (!el) return null; const b = el.getBoundingClientRect(); return [b.top, b.bottom]; };
  return {
    title: h1 ? px(h1) : null,
    metric: [...document.querySelectorAll('[data-testid=stMetricValue] div, [data-testid=stMetricValue]')]
      .filter(visible).map(px),
    svg: svgText,
    svgCount: document.querySelectorAll('.mc-svg svg').length,
    cells: [...document.querySelectorAll('table.mc-table td')].filter(visible).map(px),
    text: [...document.querySelectorAll('[data-testid=stMarkdownContainer] p')]
      .filter(el => visible(el)
        && !el.closest('[data-testid=stWidgetLabel], [data-testid=stCaptionContainer]'))
      .map(px),
    buttons: [...document.querySelectorAll('button p')].filter(visible).map(p => [p.innerText, px(p),
      p.scrollWidth <= p.clientWidth + 1]),
    payoff: box(payoff),
    language: box(document.querySelector('[data-testid=stSidebar] .st-key-lang')),
    presenter: box(document.querySelector('[data-testid=stSidebar] [data-testid=stCheckbox]')),
    height: innerHeight,
  };
}"""


def measure(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(MEASURE)
    return result


def check_readable(page: Page, where: str, size: tuple[int, int]) -> dict[str, Any]:
    """Titles, metrics, picture words, tables and text at least as big as LIMITS says; no button
    label cut; the language switch and presenter toggle inside the screen."""
    limit, seen = LIMITS[size], measure(page)
    assert seen["title"] >= limit["title"], (where, "title", seen["title"])
    for kind in ("metric", "svg", "cells", "text"):
        least = limit["text" if kind == "cells" else kind]
        assert all(value >= least - 0.05 for value in seen[kind]), (where, kind, min(seen[kind]), least)
    for label, font, whole in seen["buttons"]:
        assert whole, f"{where}: button label cut: {label!r}"
        assert font >= limit["text"] - 0.05 or not label.strip(), (where, label, font)
    for control in ("language", "presenter"):
        box = seen[control]
        assert box and box[0] >= 0 and box[1] <= seen["height"], (where, control, box)
    return seen


# --- English words on Chinese pages ---------------------------------------------------------------

CODE_WORDS = {"SHA-256", "SM3", "SM2", "Ed25519", "secp256k1", "minichain", "FISCO", "BCOS", "CVE-2012-2459",
              "Base58Check", "BFT", "PBFT", "Tendermint",  # FISCO BCOS PBFT's message names below
              "PrepareReq", "SignReq", "CommitReq", "ViewChangeReq"}
RULE_IDS = {key.split("/")[0] for key in TEMPLATES} | set(SUMMARIES)
CODE_PATTERNS = [
    r"[0-9a-f]{4,}…?",  # hashes (possibly cut)
    r"0x[0-9a-f]+",  # targets
    r"M[1-9A-HJ-NP-Za-km-z]{25,40}",  # addresses
    r"(sha256|sm3)-[a-z0-9]+",  # suites
    r"[a-z][a-z0-9]*(-[a-z0-9]+)+",  # rule ids (tx-nonce, block-merkle-root...)
    r"https?://[\w.:/-]+",  # node URLs
    r"[\w./-]+\.(key|json)",  # file paths
]
VISIBLE_TEXT = """() => {
  // What a person reads: the page's text and the values in its fields, without code blocks (codes
  // by definition), icons (ligature names drawn as glyphs) and the language switch ("English").
  const hidden = [...document.querySelectorAll('code, pre, [data-testid=stIconMaterial], .st-key-lang')];
  const saved = hidden.map(el => el.style.display);
  hidden.forEach(el => { el.style.display = 'none'; });
  const text = document.querySelector('[data-testid=stApp]').innerText;
  hidden.forEach((el, i) => { el.style.display = saved[i]; });
  const fields = [...document.querySelectorAll('input[type=text], textarea')].map(f => f.value);
  return [text, ...fields, document.title].join('\\n');
}"""


def english_words(text: str) -> list[str]:
    """Latin-letter words in `text` that are not codes (rule ids, hashes, addresses, suites, URLs)."""
    text = re.sub(r"规则 [a-z0-9-]+", " ", text)  # "rule <id>", whatever the id
    found = []
    for word in re.findall(r"[A-Za-z0-9][\w.:/\-…]*", text):
        word = word.rstrip(".:…")
        if not re.search("[A-Za-z]", word) or word in CODE_WORDS or word in RULE_IDS:
            continue
        if any(re.fullmatch(pattern, word) for pattern in CODE_PATTERNS):
            continue
        found.append(word)
    return found


def check_chinese(page: Page, where: str) -> None:
    words = english_words(page.evaluate(VISIBLE_TEXT))
    assert not words, f"{where}: English on a Chinese page: {words[:20]}"
    assert "None" not in page.evaluate(VISIBLE_TEXT), where


# --- the tests ----------------------------------------------------------------------------------------

SHOW = sum(len(scenario.steps) + 1 for scenario in SCENARIOS.values()) - 1  # presses from start to end
ENDS = {pressed - 1 for pressed in itertools.accumulate(len(s.steps) + 1 for s in SCENARIOS.values())}


def press(page: Page, key: str, times: int = 1, gap_ms: int = 0) -> None:
    """Keys as a clicker sends them, then wait until the page has applied every one of them."""
    for _ in range(times):
        page.keyboard.press(key)
        page.wait_for_timeout(gap_ms)
    page.wait_for_function("""() => { const m = document.querySelector('.mc-clicker');
      return m && m.dataset.pressed === m.dataset.applied; }""", timeout=60_000)
    settle(page)


def position(page: Page) -> str:
    return page.locator("[data-testid=stProgress]").first.inner_text().strip()


@pytest.mark.parametrize(("width", "height", "chinese"), [(1920, 1080, False), (1280, 720, True)],
                         ids=["1920x1080-en", "1280x720-zh"])
def test_presenter_mode_is_readable_and_every_payoff_is_above_the_fold(
        server: str, browser: Browser, width: int, height: int, chinese: bool) -> None:
    visit = Visit(browser, width, height)
    page = visit.open(chinese=chinese, presenter=True)
    lang = "zh" if chinese else "en"
    goto(page, "stage")
    for step in range(1, SHOW + 1):  # the whole show from the keyboard, as a clicker plays it
        press(page, "PageDown" if step % 2 else "ArrowRight")
        where = f"{width}x{height} stage press {step} ({position(page)})"
        seen = check_readable(page, where, (width, height))
        top, bottom = seen["payoff"]
        assert top >= 0 and bottom <= height, f"{where}: payoff {top:.0f}-{bottom:.0f} px, fold {height}"
        if chinese:
            check_chinese(page, where)
        if step in ENDS:  # each scenario's last step
            keep(page, f"presenter-{width}-{lang}-stage-{step:02d}")
    assert page.get_by_role("button", name=CATALOG["stage.next"][lang]).is_disabled()  # the end
    for name, clicks in (("distributed", ["peers.tamper", "peers.remine"]), ("keys", ["keys.sign"]),
                         ("coinbase", ["coin.mine", "coin.send", "coin.mine"])):
        goto(page, name)
        for button in clicks:
            click(page, CATALOG[button][lang])
        where = f"{width}x{height} {name}"
        seen = check_readable(page, where, (width, height))
        top, bottom = seen["payoff"]
        assert top >= 0 and bottom <= height, f"{where}: payoff {top:.0f}-{bottom:.0f} px, fold {height}"
        if chinese:
            check_chinese(page, where)
        keep(page, f"presenter-{width}-{lang}-{name}")
    goto(page, "hash")
    page.locator(".mc-hasher-input").press_sequentially("!", delay=50)
    page.locator(".mc-hasher-changed").first.wait_for()
    assert check_readable(page, "hash, typed", (width, height))["svgCount"] == 2
    keep(page, f"presenter-{width}-{lang}-hash")
    goto(page, "consensus")
    page.locator("[data-testid=stMetricValue]").nth(9).wait_for(timeout=60_000)  # two simulations, once
    assert len(check_readable(page, "consensus", (width, height))["metric"]) >= 10
    goto(page, "network")
    for button in ("net.send", "net.partition", "net.run", "net.heal"):
        click(page, CATALOG[button][lang])
    seen = check_readable(page, "network", (width, height))
    assert seen["cells"] and seen["svgCount"] == 2
    assert page.get_by_text(CATALOG["net.healed"][lang].split("{")[0]).count() == 1  # one tip again
    if chinese:
        check_chinese(page, "network, after a partition and a heal")
    keep(page, f"presenter-{width}-{lang}-network")
    visit.close()


def test_chinese_pages_hold_no_english_word_outside_codes(server: str, browser: Browser) -> None:
    visit = Visit(browser, 1400, 1000)
    page = visit.open(chinese=True)
    check_chinese(page, "hash")
    page.get_by_label("要计算哈希的文字").press_sequentially("区块链", delay=30)
    page.locator(".mc-hasher-changed").first.wait_for()
    check_chinese(page, "hash, typed")
    goto(page, "blocks")
    check_chinese(page, "blocks")
    memo = page.get_by_label("备注").nth(1)
    memo.fill("转给篡改者")
    memo.press("Enter")
    settle(page)
    click(page, "重新挖矿")
    check_chinese(page, "blocks, tampered")
    goto(page, "transactions")
    click(page, "爱丽丝签名")
    field = page.get_by_label("篡改者写入的金额")
    field.fill("999")
    field.press("Enter")
    settle(page)
    assert page.get_by_text("违反规则 tx-signature").count() == 1
    click(page, "提交、出块、再提交")
    assert page.get_by_text("规则 tx-nonce").count() == 1
    assert page.get_by_text("规则 mempool-known").count() == 1
    check_chinese(page, "transactions")
    keep(page, "chinese-transactions")
    goto(page, "distributed")
    click(page, "改写")
    click(page, "从这里重新挖矿")
    assert page.get_by_text("网络跟随多数").count() == 1
    check_chinese(page, "distributed, re-mined")
    goto(page, "keys")
    for suite in ("sha256-ed25519", "sha256-secp256k1", "sm3-sm2"):
        page.locator("[data-testid=stButtonGroup] button", has_text=suite).click()
        settle(page)
        click(page, "签名")
        assert page.get_by_text(f"签名验证通过（{suite}）").count() == 1
    received = page.get_by_label("收到的消息")
    received.fill("爱丽丝付给鲍勃 90 元")
    received.press("Enter")
    settle(page)
    assert page.get_by_text("签名验证失败").count() == 1
    check_chinese(page, "keys, a changed message")
    goto(page, "coinbase")
    click(page, "挖一个区块")
    amount = page.get_by_label("金额")
    amount.fill("500")
    amount.press("Enter")
    settle(page)
    click(page, "转账")
    assert page.get_by_text("违反规则 tx-balance").count() == 1
    check_chinese(page, "coinbase, an overspend")
    for name in ("merkle", "network", "consensus", "bft", "live", "stage"):  # stage steps: the presenter test
        goto(page, name)
        check_chinese(page, name)
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    visit.close()


def test_every_page_renders_fully_with_nothing_from_outside_127_0_0_1(server: str, browser: Browser) -> None:
    """Offline: Visit refuses every other request; each page must still draw its title and parts."""
    visit = Visit(browser, 1400, 1000)
    page = visit.open()
    pictures = {"hash": 2, "blocks": 1, "distributed": 1, "merkle": 1, "network": 2, "bft": 1, "stage": 0}
    for name in PAGES:
        if name != "hash":
            goto(page, name)
        assert page.locator("h1").count() == 1, name
        assert page.locator("[data-testid=stException]").count() == 0, name
        # a picture may arrive a moment after the run ends on a busy machine: wait for it, then count
        expect(page.locator(".mc-svg svg"), name).to_have_count(pictures.get(name, 0), timeout=30_000)
        assert page.get_by_text("Page not found").count() == 0, name
        if name == "blocks":  # a click works too: re-mining reports its attempts, the chain is drawn
            click(page, "Re-mine")
            page.get_by_text("attempts in").wait_for(timeout=60_000)
            assert page.locator(".mc-svg svg rect").count() >= 6
            keep(page, "explorer-blocks-en")
        if name == "consensus":
            page.locator("[data-testid=stMetricValue]").nth(9).wait_for(timeout=60_000)
        if name == "stage":  # the QR code is made here, not fetched: an inline SVG of dark modules
            assert page.locator(".mc-qr svg path").count() == 1
    fonts = page.evaluate("() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
    assert fonts, "Streamlit's own fonts load from 127.0.0.1"
    visit.close()  # asserts that nothing was asked of anywhere else


# --- a hostile node -------------------------------------------------------------------------------------

HOSTILE_ID = f'<img src="http://{ELSEWHERE}/a.png"> **loud**'
HOSTILE_REFUSAL = f"<img src=http://{ELSEWHERE}/d.png> **bold** $x^2$ [here](http://{ELSEWHERE}/)"


class HostileNode(BaseHTTPRequestHandler):
    """Answers like a minichain node, with Markdown, HTML and image links in every text field, and
    counts what it is asked (path -> requests)."""

    asked: ClassVar[Counter[str]] = Counter()

    def _send(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self.asked[self.path.split("/")[1]] += 1
        if self.path == "/status":
            self._send(200, {"node_id": HOSTILE_ID, "height": 1, "tip": "ab" * 32, "peers": [],
                             "mempool_size": 0, "chain_id": "hostile"})
        elif self.path == "/blocks/1":
            self._send(200, {"hash": "11" * 32, "transactions": [],
                             "header": {"beneficiary": f"![b](http://{ELSEWHERE}/b.png)"}})
        elif self.path == "/blocks/0":
            self._send(200, {"hash": f"![c](http://{ELSEWHERE}/c.png)", "transactions": [], "header": {}})
        elif self.path == "/mempool":
            self._send(200, {"size": f"![m](http://{ELSEWHERE}/m.png)", "transactions": []})
        elif self.path.startswith("/accounts/"):
            self._send(200, {"balance": f"![e](http://{ELSEWHERE}/e.png)", "nonce": 0, "pending_nonce": 0})
        else:
            self._send(404, {"rule": "not-found", "detail": "no"})

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._send(400, {"rule": f"![r](http://{ELSEWHERE}/r.png)", "detail": HOSTILE_REFUSAL})

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def hostile_node() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", HOSTILE_PORT), HostileNode)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{HOSTILE_PORT}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def test_a_hostile_nodes_fields_are_shown_as_text(server: str, browser: Browser, hostile_node: str,
                                                   tmp_path: Path) -> None:
    key = tmp_path / "faucet.key"
    Wallet.generate().save(key)
    visit = Visit(browser, 1400, 1000)
    page = visit.open()
    goto(page, "live")
    urls = page.get_by_label("Node URLs, one per line")
    urls.fill(hostile_node)
    urls.press("Control+Enter")
    page.get_by_text(HOSTILE_ID, exact=False).first.wait_for(timeout=30_000)
    settle(page)
    asked = HostileNode.asked
    before = asked["status"]
    page.wait_for_timeout(5_000)  # nobody touches the page: it refreshes itself every 2 s
    assert asked["status"] - before >= 2, "the node table did not refresh itself"
    address = page.get_by_label("Balance of address")
    before, accounts, started = asked["status"], asked["accounts"], time.monotonic()
    for _ in range(4):  # each Enter asks for the balance, and only for it
        address.fill(Wallet.generate().address)
        address.press("Enter")
        settle(page)
    page.get_by_text("Not a valid address.").wait_for(timeout=30_000)
    refreshes = (time.monotonic() - started) / 2 + 1  # what the timer alone asks for
    assert asked["accounts"] - accounts == 4 and asked["status"] - before <= refreshes, dict(asked)
    page.get_by_label("Faucet key file").fill(str(key))
    page.get_by_label("To address").fill(Wallet.generate().address)
    page.get_by_role("button", name="Send").click()
    page.get_by_text("HTTP 400").wait_for(timeout=30_000)
    # What a person reads (explorer.common.plain puts an invisible word joiner into "://" and "@").
    text = page.evaluate("document.querySelector('[data-testid=stApp]').innerText").replace("\u2060", "")
    assert HOSTILE_ID in text  # the node's id, character for character
    assert "![b](http://" in text  # the beneficiary, cut to 12 characters, as text
    assert f"HTTP 400: {HOSTILE_REFUSAL}" in text and "rule node:" in text  # a rule that is not an id
    fetching = page.evaluate(f"() => [...document.querySelectorAll('img, a, image, source, link')]"
                             f".map(e => e.outerHTML).filter(h => h.includes('{ELSEWHERE}'))")
    assert not fetching, fetching  # no element points at the node's links
    assert page.locator("[data-testid=stApp] strong", has_text="loud").count() == 0
    keep(page, "hostile-node")
    visit.close()  # and nothing was fetched from ELSEWHERE


def test_a_cjk_font_is_installed_for_chinese_text() -> None:
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts, "no CJK font: Chinese would render as boxes (install fonts-noto-cjk)"


# --- hashing as you type ----------------------------------------------------------------------------------

HASHER_JS = ROOT / "explorer" / "hasher.js"


def test_the_hash_page_hashes_every_keystroke_as_hashlib_does(server: str, browser: Browser) -> None:
    visit = Visit(browser, 1400, 1000)
    page = visit.open()
    field = page.locator(".mc-hasher-input")
    field.fill("")
    typed = ""
    for key in "ab区":  # no Enter, no leaving the field: each key alone updates both digests
        field.press_sequentially(key)
        typed += key
        for name, function in (("SHA-256", hashlib.sha256), ("SM3", lambda b: hashlib.new("sm3", b))):
            digest = function(typed.encode()).hexdigest()
            page.locator(f"code[data-hash='{name}']", has_text=digest).wait_for(timeout=5_000)
    assert "of 256 bits changed since “ab”" in page.locator(".mc-hasher-changed").first.inner_text()
    page.wait_for_timeout(1_000)  # typing paused: the text goes to the session, the page reruns...
    settle(page)
    assert page.locator(".mc-hasher-changed").count() == 2  # ...and the changed bits stay on screen
    # The JavaScript functions themselves (SHA-256 is also the fallback where SubtleCrypto is missing,
    # a phone on plain http), against hashlib, across block boundaries.
    samples = ["", "abc", "区块链", "x" * 55, "y" * 56, "z" * 64, "长" * 400]
    found = page.evaluate("""async ([source, samples]) => {
      const module = await import(URL.createObjectURL(new Blob([source], {type: 'text/javascript'})));
      const hex = b => [...b].map(x => x.toString(16).padStart(2, '0')).join('');
      return samples.map(s => [hex(module.sha256(new TextEncoder().encode(s))),
                               hex(module.sm3(new TextEncoder().encode(s)))]); }""",
                          [HASHER_JS.read_text(encoding="utf-8"), samples])
    expected = [[hashlib.sha256(s.encode()).hexdigest(), hashlib.new("sm3", s.encode()).hexdigest()]
                for s in samples]
    assert found == expected
    goto(page, "blocks")
    goto(page, "hash")
    assert page.locator(".mc-hasher-input").input_value() == typed  # kept for the session
    visit.close()


# --- the clicker and the audience -------------------------------------------------------------------------

PHONE = (390, 844)


def follows(phone: Page, progress: str, step: str, seconds: float = 5) -> None:
    """Within `seconds`, the phone shows the presenter's position and that step's title as its heading
    (intermediate frames may come first: the presenter's page publishes each step it draws)."""
    phone.wait_for_function("""([progress, step]) => {
      const bar = document.querySelector('[data-testid=stProgress]');
      const heading = document.querySelector('.st-key-audience_frame') ? document.querySelector('h3') : null;
      return bar && bar.innerText.trim() === progress
        && (step === '' ? !heading : !!heading && heading.innerText.includes(step)); }""",
                            arg=[progress, step], timeout=seconds * 1000)


def test_a_clicker_plays_the_show_and_a_phone_follows_within_seconds(server: str, browser: Browser) -> None:
    stage = Visit(browser, 1280, 720)
    page = stage.open(chinese=True, presenter=True)
    goto(page, "stage")
    phone = Visit(browser, *PHONE)  # a second browser context: another person, another session
    follower = phone.page
    follower.goto(f"{URL}/audience")
    follower.get_by_text("等待演讲者").or_(follower.locator("[data-testid=stProgress]")).first.wait_for()
    # Five presses in quick succession, while the page is still rerunning for the first ones:
    # none is lost, none is applied twice.
    press(page, "PageDown", times=5, gap_ms=40)
    assert position(page) == "第 2 步，共 4 步"  # hash 1, hash 2, tamper opens, tamper 1, tamper 2
    started = time.monotonic()
    follows(follower, "第 2 步，共 4 步", CATALOG["stage.tamper.2"]["zh"])
    followed = time.monotonic() - started
    press(page, "ArrowLeft", times=2)
    assert position(page) == "第 0 步，共 4 步"
    follows(follower, "第 0 步，共 4 步", "")
    press(page, "ArrowRight", times=7, gap_ms=20)  # tamper 1-4, the peers open, peers 1 and 2
    assert position(page) == "第 2 步，共 3 步"
    follows(follower, "第 2 步，共 3 步", CATALOG["stage.distributed.2"]["zh"])
    sizes = follower.evaluate("""() => ({
      svg: [...document.querySelectorAll('.mc-svg svg text')].filter(t => t.getBoundingClientRect().width)
        .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a),
      step: parseFloat(getComputedStyle(document.querySelector('h3')).fontSize),
      width: document.documentElement.scrollWidth })""")
    assert sizes["svg"] and min(sizes["svg"]) >= 15, sizes  # on a phone: 15 px and up
    assert sizes["step"] >= 20 and sizes["width"] <= PHONE[0], sizes  # nothing wider than the phone
    check_chinese(follower, "audience page")
    keep(follower, "audience-phone-zh")
    print(f"the phone followed in {followed:.2f} s")
    phone.close()
    stage.close()


# --- BFT consensus, one round at a time -------------------------------------------------------------------

BFT_WORDS_PX = 20  # every word of the round's picture, at 1280 px wide: read from the back row


def svg_word_sizes(page: Page) -> list[float]:
    return [float(size) for size in page.evaluate("""() => [...document.querySelectorAll('.mc-svg svg text')]
      .filter(t => t.getBoundingClientRect().width > 0)
      .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)""")]


@pytest.mark.parametrize(("presenter", "chinese"), [(False, True), (True, False)], ids=["zh", "en-presenter"])
def test_the_bft_page_steps_through_every_scene_in_words_of_20_px_and_more(
        server: str, browser: Browser, presenter: bool, chinese: bool) -> None:
    visit = Visit(browser, 1280, 720)
    page = visit.open(chinese=chinese, presenter=presenter)
    lang = "zh" if chinese else "en"
    goto(page, "bft")
    for index, name in enumerate(bft.SCENES):
        page.locator(".st-key-bft_scene [role=radiogroup] label").nth(index).click()
        settle(page)
        played = bft.build(name)
        for _ in range(3):
            click(page, CATALOG["bft.next"][lang])
        where = f"bft {lang} {name}, step 3"
        assert page.get_by_text(bft.say_step(played.steps[2], played, lang)).count() == 1, where
        sizes = svg_word_sizes(page)
        assert sizes and min(sizes) >= BFT_WORDS_PX, (where, min(sizes))
        keep(page, f"bft-{lang}-{name}-3")
        click(page, CATALOG["bft.all"][lang])
        where = f"bft {lang} {name}, every step"
        assert page.get_by_text(bft.verdict(played, lang)[1]).count() == 1, where
        assert page.locator("[data-testid=stException]").count() == 0, where
        sizes = svg_word_sizes(page)
        assert len(sizes) > 20 and min(sizes) >= BFT_WORDS_PX, (where, min(sizes))
        if chinese:
            check_chinese(page, where)
        keep(page, f"bft-{lang}-{name}-all")
    visit.close()
