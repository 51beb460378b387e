"""The explorer in a real browser: Debian chromium driven by Playwright loads the app, switches
pages, clicks a button, switches to Chinese and saves screenshots (look at them: a page of empty
boxes means no CJK font). The server binds 127.0.0.1 and is stopped at the end."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
PORT = 8790
URL = f"http://127.0.0.1:{PORT}"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    assert Path(CHROMIUM).exists(), "chromium is missing: scripts/install-system-deps.sh installs it"
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"), "--server.port", str(PORT),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
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


@pytest.fixture
def page(server: str) -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport={"width": 1400, "height": 1000})
        finally:
            browser.close()


def keep(path: Path) -> None:
    """Copy a screenshot where a person can look at it, if MINICHAIN_SCREENSHOTS names a folder."""
    target = os.environ.get("MINICHAIN_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)


def test_a_visitor_walks_pages_clicks_and_switches_to_chinese(page: Page, tmp_path: Path) -> None:
    page.goto(URL)
    page.wait_for_selector("[data-testid='stSidebarNav']", timeout=60_000)
    page.get_by_role("heading", name="Hash functions: a fingerprint for any data").wait_for()
    page.get_by_role("link", name="2 · Blocks").click()
    page.get_by_role("heading", name="Blocks: a chain of hashes").wait_for(timeout=60_000)
    page.get_by_role("button", name="Re-mine").first.click()
    page.get_by_text("attempts in").wait_for(timeout=60_000)
    assert page.locator("svg rect").count() >= 6  # the chain picture is drawn
    english = tmp_path / "explorer-blocks-en.png"
    page.screenshot(path=str(english), full_page=True)
    page.get_by_text("简体中文").click()
    page.get_by_role("heading", name="区块：由哈希串起的链").wait_for(timeout=60_000)
    page.get_by_role("link", name="5 · 网络").click()
    page.get_by_role("heading", name="节点网络").wait_for(timeout=60_000)
    page.get_by_role("button", name="分区").click()
    page.get_by_text("已分区").wait_for(timeout=60_000)
    chinese = tmp_path / "explorer-network-zh.png"
    page.screenshot(path=str(chinese), full_page=True)
    for shot in (english, chinese):
        assert shot.stat().st_size > 20_000, shot  # a blank page compresses to a few kB
        keep(shot)


def test_a_cjk_font_is_installed_for_chinese_text() -> None:
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts, "no CJK font: Chinese would render as boxes (install fonts-noto-cjk)"
