"""Thirty browser sessions at once, through Streamlit's AppTest in 30 threads of one process (the
server's own model: one process, one script thread per session, st.cache_resource shared): one
presenter plays the show, twenty phones follow it on the audience page, nine more sessions play
their own shows in either language. The phones see the presenter's step; every other session keeps
its own show, language and position (no bleed). AppTest rather than 30 Chromium contexts: the same
scripts, session states and shared board, in seconds instead of minutes on 2 cores; the browser
test follows the presenter with a real phone-sized browser."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pytest
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest, app_test, local_script_runner

from explorer import broadcast
from explorer.i18n import CATALOG
from explorer.scenarios import SCENARIOS, Show

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
PHONES, OTHERS = 20, 9
T = TypeVar("T")


@pytest.fixture
def shared_runtime(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the server shares between its sessions, shared here too. AppTest installs its mock Runtime
    for one run and sets it back to None when the run ends: with thirty runs at once, the first to end
    would pull the runtime from under the others, so the last mock installed stays visible. And one
    ScriptCache compiles each page once for everyone (CPython 3.11's compiler is not safe to run in
    several threads at once: "AST constructor recursion depth mismatch")."""
    shared = ScriptCache()
    monkeypatch.setattr(local_script_runner, "ScriptCache", lambda: shared)
    monkeypatch.setattr(app_test, "ScriptCache", lambda: shared)
    last: dict[str, Runtime] = {}
    lookup = Runtime.__dict__["instance"].__func__

    def instance(cls: type[Runtime]) -> Runtime:
        if cls._instance is not None:
            last["runtime"] = cls._instance
        return last["runtime"] if "runtime" in last else lookup(cls)

    monkeypatch.setattr(Runtime, "instance", classmethod(instance))
    monkeypatch.setattr(Runtime, "exists", classmethod(lambda cls: cls._instance is not None or bool(last)))


def session(page: str, **state: object) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(f"explorer/{page}_page.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def press_next(at: AppTest, times: int, label: str) -> None:
    for _ in range(times):
        next(b for b in at.button if b.label == label).click().run()
        assert not at.exception, [e.message for e in at.exception]


def all_at_once(jobs: list[Callable[[], T]]) -> list[T]:
    """Run every job in its own thread, all started together (a barrier), and return their results."""
    start = threading.Barrier(len(jobs))

    def run(job: Callable[[], T]) -> T:
        start.wait(timeout=60)
        return job()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def shown(at: AppTest) -> str:
    return " ".join(str(m.value) for m in at.markdown) + " ".join(str(e.value) for e in at.caption)


ALONE = "MINICHAIN_SESSIONS_ALONE"  # set in the fresh process the test below starts


def test_thirty_sessions_run_in_a_process_of_their_own() -> None:
    """The thirty sessions share one mock Runtime (the fixture above); AppTests run earlier in the same
    process (tests/explorer/test_pages.py) leave widget ids in Streamlit's module state that make one of
    them fail to find its own widget (KeyError '$$ID-…-lang'). The server starts with a fresh process,
    so the test does too."""
    if os.environ.get(ALONE):
        pytest.skip("this is the fresh process")
    test = f"{__file__}::test_thirty_sessions_the_phones_follow_the_presenter_and_nothing_else_is_shared"
    command = [sys.executable, "-m", "pytest", "-o", "addopts=", "-q", "-p", "no:cacheprovider", test]
    done = subprocess.run(command, env={**os.environ, ALONE: "1"}, capture_output=True, text=True,
                          timeout=600, check=False)
    shown = done.stdout[-4000:] + done.stderr[-2000:]
    assert done.returncode == 0 and re.search(r"^1 passed", done.stdout, re.M), shown


@pytest.mark.skipif(not os.environ.get(ALONE), reason="runs in its own process (the test above)")
@pytest.mark.usefixtures("shared_runtime")
def test_thirty_sessions_the_phones_follow_the_presenter_and_nothing_else_is_shared() -> None:
    broadcast.board.clear()
    scenarios = list(SCENARIOS)
    others_plan = [(("zh", "en")[i % 2], scenarios[i % len(scenarios)], 1 + i % 2) for i in range(OTHERS)]

    def presenter() -> AppTest:
        at = session("stage", lang="zh", stage_show=Show(scenario="distributed"))
        press_next(at, 3, CATALOG["stage.next"]["zh"])  # the peers, tampered, re-mined
        return at

    def phone() -> AppTest:
        return session("audience")

    def other(lang: str, scenario: str, steps: int) -> Callable[[], AppTest]:
        def play() -> AppTest:
            at = session("stage", lang=lang, stage_on_air=False, stage_show=Show(scenario=scenario))
            press_next(at, steps, CATALOG["stage.next"][lang])
            return at
        return play

    sessions = all_at_once([presenter, *[phone] * PHONES, *[other(*plan) for plan in others_plan]])
    stage, phones, others = sessions[0], sessions[1:1 + PHONES], sessions[1 + PHONES:]

    latest = broadcast.board().latest()
    assert latest is not None and (latest.scenario, latest.done, latest.lang) == ("distributed", 3, "zh")
    # Every phone, on its next refresh, shows the presenter's third step, in the presenter's language.
    step = CATALOG["stage.distributed.3"]["zh"]
    refreshed = all_at_once([lambda at=at: at.run() for at in phones])
    for at in refreshed:
        assert not at.exception and step in shown(at), shown(at)[:200]
        assert "第 3 步，共 3 步" in str(at.get("progress")[0].proto.text)
    # Nothing else is shared: each session keeps its own show, position and language.
    own = stage.session_state["stage_show"]
    assert (own.scenario, own.done) == ("distributed", 3)
    shows = [at.session_state["stage_show"] for at in others]
    assert len({id(show) for show in [stage.session_state["stage_show"], *shows]}) == 1 + OTHERS
    for at, show, (lang, scenario, steps) in zip(others, shows, others_plan, strict=True):
        assert (show.scenario, show.done) == (scenario, steps), (lang, scenario)
        assert at.session_state["lang"] == lang
        assert at.title[0].value == CATALOG["stage.title"][lang]
        assert f"{steps}. {CATALOG[SCENARIOS[scenario].steps[steps - 1].title][lang]}" in shown(at)
    assert all(at.session_state["lang"] == "en" for at in phones)  # a phone's own session is untouched
