"""An official's whole day with lab 1, for real: JupyterLab (in Chinese) in Debian chromium, the
Chinese release fetched from a local nbgrader exchange, Run All, every question answered by clicking,
saved, the kernel restarted (the answers come back), handed in with `nbgrader submit`, collected by the
instructor and graded by `python -m grader autograde` to the score the clicks deserve.

Screenshots are kept where MINICHAIN_SCREENSHOTS points (look at them: Chinese characters, no red).
Every process started here binds 127.0.0.1 and is stopped by PID at the end.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from harness import LABS, env
from playwright.sync_api import Page, sync_playwright
from test_labs import english_words

LAB = "lab01_hashing"
PORT = 8895
URL = f"http://127.0.0.1:{PORT}"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
LEARNER = "learner01"
# The clicks: every answer right except question 6 (the right block is 3): 8 points less 2.
CLICKS = {"q1": "B", "q2": "125", "q3": "C", "q4": "B", "q5": "4", "q6": "2"}
EXPECTED_SCORE = 6.0
ESSAY = ("每个区块都记下前一个区块的哈希，改一条旧记录会让后面的链接全部对不上；"
         "要掩盖，就得重做之后所有区块的工作量证明。")
LEARNER_ONLY = {"@jupyter/nbgrader:create-assignment": True, "@jupyter/nbgrader:formgrader": True,
                "@jupyter/nbgrader:course-list": True}


@dataclass
class Classroom:
    course: Path
    exchange: Path
    home: Path
    learner_env: dict[str, str]


def nbgrader(args: list[str], cwd: Path, environment: dict[str, str]) -> str:
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"nbgrader {' '.join(args)}:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout + proc.stderr


def config(exchange: Path) -> str:
    return (f"c = get_config()  # noqa: F821\nc.CourseDirectory.course_id = 'minichain'\n"
            f"c.Exchange.root = {str(exchange)!r}\n")


@pytest.fixture(scope="module")
def classroom(tmp_path_factory: pytest.TempPathFactory) -> Classroom:
    """An instructor's course (a copy of labs/ with lab 1), an exchange, and a learner who fetched lab 1."""
    base = tmp_path_factory.mktemp("classroom")
    course, exchange, home = base / "course", base / "exchange", base / "home" / LEARNER
    exchange.mkdir(mode=0o777)
    os.chmod(exchange, 0o777)
    course.mkdir()
    for folder in ("source", "source_en", "release"):
        shutil.copytree(LABS / folder / LAB, course / folder / LAB)
    text = (LABS / "nbgrader_config.py").read_text(encoding="utf-8")
    text += f"\nc.Exchange.root = {str(exchange)!r}\n"
    (course / "nbgrader_config.py").write_text(text, encoding="utf-8")
    instructor = env()
    proc = subprocess.run([sys.executable, "-m", "grader", "release", "--course", str(course), LAB],
                          cwd=course, env=instructor, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    nbgrader(["release_assignment", LAB, "--force"], course, instructor)

    jupyter = home / ".jupyter"
    (jupyter / "labconfig").mkdir(parents=True)
    (jupyter / "nbgrader_config.py").write_text(config(exchange), encoding="utf-8")
    (jupyter / "labconfig" / "page_config.json").write_text(json.dumps({"disabledExtensions": LEARNER_ONLY}))
    learner = {**env(), "HOME": str(home), "USER": LEARNER, "LOGNAME": LEARNER,
               "JUPYTER_CONFIG_DIR": str(jupyter),
               "JUPYTER_DATA_DIR": str(home / ".local" / "share" / "jupyter")}
    learner.pop("JPY_SESSION_NAME", None)
    nbgrader(["fetch_assignment", LAB, "--course", "minichain"], home, learner)
    assert (home / LAB / "explore.ipynb").is_file(), sorted(p.name for p in home.iterdir())
    return Classroom(course, exchange, home, learner)


@pytest.fixture(scope="module")
def jupyterlab(classroom: Classroom) -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={PORT}", "--ServerApp.port_retries=0", "--ServerApp.token=",
         "--ServerApp.password=", f"--ServerApp.root_dir={classroom.home}", "--allow-root"],
        cwd=classroom.home, env=classroom.learner_env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        start_new_session=True)
    try:
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                if httpx.get(f"{URL}/api/status", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None, "jupyter lab exited"
            time.sleep(0.5)
        else:
            raise AssertionError("jupyter lab did not start")
        yield URL
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def keep(page: Page, name: str, folder: Path) -> None:
    path = folder / f"lab01-{name}.png"
    page.screenshot(path=str(path))
    target = os.environ.get("MINICHAIN_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)


def menu(page: Page, top: str, item: str) -> None:
    page.click(f".lm-MenuBar-itemLabel:text-is('{top}')")
    page.click(f".lm-Menu-itemLabel:text-is('{item}')")


def run_all(page: Page) -> None:
    menu(page, "运行", "运行所有单元格")
    page.wait_for_selector("text=请按 Ctrl+S 保存笔记本", timeout=90_000)
    busy = "[...document.querySelectorAll('.jp-InputPrompt')].some(p => p.textContent.includes('*'))"
    page.wait_for_function(f"!({busy})", timeout=90_000)   # no cell still waiting to run


def answer(page: Page, qid: str, value: str) -> None:
    cell = page.locator(".jp-Cell").filter(has_text=f"第 {qid[1:]} 题：")   # its folded first line
    cell.scroll_into_view_if_needed()
    if value.isdigit():
        box = cell.locator("input[type='text']")
        box.fill(value)
        cell.get_by_role("button", name="确认答案").click()
    else:
        cell.locator("button.minichain-option").filter(has_text=f"{value}. ").click()
    cell.get_by_text("✓ 已记录你的答案").wait_for(timeout=30_000)


def visible_text(page: Page) -> str:
    """What the official reads: rendered Markdown, outputs and widgets, folded cells' first lines."""
    parts = ".jp-RenderedMarkdown, .jp-OutputArea-output, .jp-Placeholder-content"
    return str(page.evaluate(f"""() => [...document.querySelectorAll('.jp-Notebook').values()]
        .flatMap(nb => [...nb.querySelectorAll('{parts}')]).map(e => e.innerText).join('\\n')"""))


def test_an_official_answers_lab1_by_clicking_hands_it_in_and_gets_an_honest_score(
        classroom: Classroom, jupyterlab: str, tmp_path: Path) -> None:
    assert Path(CHROMIUM).exists(), "chromium is missing: scripts/install-system-deps.sh installs it"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{jupyterlab}/lab/tree/{LAB}/explore.ipynb")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
            page.wait_for_selector(".lm-MenuBar-itemLabel:text-is('运行')", timeout=60_000)
            page.wait_for_timeout(2000)   # the kernel connects
            run_all(page)
            keep(page, "1-run-all", tmp_path)
            assert page.locator("[data-mime-type='application/vnd.jupyter.stderr']").count() == 0, \
                "Run All shows a traceback or an error"
            words = sorted(set(english_words(visible_text(page))))
            assert not words, f"the Chinese notebook shows English: {words}"
            for qid, value in CLICKS.items():
                answer(page, qid, value)
            keep(page, "2-answered", tmp_path)
            essay = page.locator(".jp-Cell").filter(has_text="书面回答的输入框")
            essay.scroll_into_view_if_needed()
            essay.locator("textarea").fill(ESSAY)
            essay.get_by_role("button", name="保存回答").click()
            essay.get_by_text("✓ 已记录你的答案").wait_for(timeout=30_000)
            keep(page, "3-essay", tmp_path)
            page.keyboard.press("Control+s")
            page.wait_for_function("!document.querySelector('.jp-mod-current .jp-mod-dirty')", timeout=30_000)
            page.wait_for_timeout(1000)

            menu(page, "内核", "重启内核 和 运行所有单元格…")
            page.click(".jp-Dialog button:has-text('重新启动')")
            page.wait_for_timeout(3000)
            page.wait_for_selector("text=全部 7 题都已作答", timeout=90_000)
            recorded = page.locator(".minichain-status.done").filter(has_text="✓ 已记录你的答案").count()
            assert recorded == 7, f"after a kernel restart {recorded} of 7 answers show as recorded"
            keep(page, "4-restarted", tmp_path)
            assert page.locator("[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
        finally:
            browser.close()

    nbgrader(["submit", LAB, "--course", "minichain"], classroom.home, classroom.learner_env)
    nbgrader(["collect", LAB, "--update"], classroom.course, env())
    students = sorted(p.name for p in (classroom.course / "submitted").iterdir())
    assert len(students) == 1, students   # nbgrader names the learner by their system account
    student = students[0]
    submitted = classroom.course / "submitted" / student / LAB
    assert (submitted / "explore.ipynb").is_file() and (submitted / "explore.answers.json").is_file()
    results = tmp_path / "results.csv"
    proc = subprocess.run([sys.executable, "-m", "grader", "autograde", str(classroom.course / "submitted"),
                           "--course", str(classroom.course), "--assignment", LAB, "--csv", str(results),
                           "--no-progress"], cwd=classroom.course, env=env(), capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = {row["notebook"]: row for row in csv.DictReader(results.open(encoding="utf-8"))
            if row["student"] == student}
    explore = rows["explore"]
    assert explore["status"] == "ok", explore
    assert float(explore["score"]) == EXPECTED_SCORE, explore
    assert rows["build"]["status"] in ("ok", "missing"), rows["build"]
