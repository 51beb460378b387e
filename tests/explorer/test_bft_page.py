"""The BFT consensus page through Streamlit's AppTest, in Chinese and English: every scene renders,
the buttons step through its messages one at a time (the picture grows by one step's arrows), the
last step says the scene's outcome, no exception, and no English word on the Chinese page."""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explorer import bft, presenter
from explorer.i18n import CATALOG, LANGUAGES, say
from explorer.payoffs import payoff
from explorer.scenarios import SCENARIOS, Show

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "streamlit_app.py")
# Codes on a Chinese page: FISCO BCOS PBFT's message names, the algorithms' names, hex digits.
CODES = {"BFT", "PBFT", "Tendermint", "FISCO", "BCOS", "PrepareReq", "SignReq", "CommitReq", "ViewChangeReq"}


def open_bft(lang: str, scene: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at.session_state["bft_scene"] = scene
    at.run()
    at.switch_page("explorer/bft_page.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def said(at: AppTest) -> str:
    """What a person reads: title, markdown (the picture's words too), boxes, captions, tables."""
    parts = [e.value for kind in ("title", "subheader", "markdown", "caption", "info", "success", "warning",
                                  "error") for e in getattr(at, kind)]
    parts += [e.proto.body for e in at.get("html")]
    mine = [r for r in at.radio if r.key == "bft_scene"]  # not the language switch ("English")
    parts += [b.label for b in at.button] + [r.label for r in mine]
    parts += [str(option) for r in mine for option in r.options]
    return "\n".join(str(p) for p in parts)


def english_words(text: str) -> list[str]:
    text = re.sub(r"<style>.*?</style>|<script>.*?</script>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)  # tags and their attributes are not read
    words = [w.rstrip(".:…") for w in re.findall(r"[A-Za-z0-9][\w.:/\-…]*", text)]  # as test_browser reads
    return [w for w in words if re.search("[A-Za-z]", w) and w not in CODES
            and not re.fullmatch(r"[0-9a-f]{4,}…?", w)]


def press(at: AppTest, key: str) -> None:
    next(b for b in at.button if b.key == key).click().run()
    assert not at.exception, [e.message for e in at.exception]


def arrows(at: AppTest) -> int:
    return sum(m.value.count("marker-end") for m in at.markdown)


@pytest.mark.parametrize("lang", list(LANGUAGES))
@pytest.mark.parametrize("name", bft.SCENES)
def test_every_scene_renders_and_steps_one_message_at_a_time(lang: str, name: str) -> None:
    at = open_bft(lang, name)
    assert at.title[0].value == CATALOG["bft.title"][lang]
    played = bft.build(name)
    assert arrows(at) == 0 and CATALOG["bft.press_next"][lang].split("“")[0] in said(at)
    for done in range(1, 4):
        press(at, "bft_next")
        assert arrows(at) == sum(len(s.arrows) for s in played.steps[:done])
        assert at.info[0].value == bft.say_step(played.steps[done - 1], played, lang)
    press(at, "bft_previous")
    assert arrows(at) == sum(len(s.arrows) for s in played.steps[:2])
    press(at, "bft_all")
    assert arrows(at) == sum(len(s.arrows) for s in played.steps)
    kind, verdict = bft.verdict(played, lang)
    assert kind == "success" and at.success[0].value == verdict
    assert next(b for b in at.button if b.key == "bft_next").disabled
    if lang == "zh":
        words = english_words(said(at))
        assert not words, words[:20]


def test_the_scenes_show_what_their_names_promise() -> None:
    normal, silent, byzantine, halt = (bft.build(name) for name in bft.SCENES)
    assert [s.round for s in normal.steps if s.kind == "decide"] == [0] and not normal.halted
    assert [s.round for s in silent.steps if s.kind == "decide"] == [1]
    assert silent.steps[0].kind == "crash"
    assert any(s.conflicting for s in byzantine.steps) and byzantine.evidence > 0
    assert byzantine.one_chain and byzantine.heights >= 3
    assert halt.one_chain and halt.halted >= bft.HALT and halt.heights == 2
    assert [s.kind for s in halt.steps].count("crash") == 2 and any(s.kind == "restart" for s in halt.steps)
    for scene in (normal, silent, byzantine, halt):
        assert len(scene.certificate) >= scene.quorum


def test_changing_scene_starts_it_from_its_first_step() -> None:
    at = open_bft("en", "normal")
    press(at, "bft_all")
    at.radio(key="bft_scene").set_value("halt").run()
    assert not at.exception and arrows(at) == 0


@pytest.mark.parametrize("name", [n for n in SCENARIOS if n.startswith("bft_")])
def test_each_bft_stage_step_draws_its_wave_for_the_projector_and_for_a_phone(name: str) -> None:
    show = Show(scenario=name)
    say_en = partial(say, "en")
    shown: list[int] = []
    while show.advance(say_en):
        stage = show.stage.bft
        assert stage is not None
        shown.append(stage.steps)
        for canvas, column in ((presenter.CANVAS, True), (presenter.PHONE, False)):
            parts = payoff(show, "zh", canvas)
            svg = parts[0].text
            assert parts[0].kind == "svg" and (">提交证书</text>" in svg) == column  # a phone has no room
            assert svg.count("marker-end") == sum(len(s.arrows) for s in stage.scene.steps[:stage.steps])
            assert [p.kind for p in parts[1:]] == (["success"] if show.finished else [])
    assert shown == sorted(shown) and len(set(shown)) == len(shown)  # each press shows more of the round
    assert show.stage.bft is not None and shown[-1] == len(show.stage.bft.scene.steps)
