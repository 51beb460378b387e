"""Every lab notebook, in both languages, checked the way instructors and learners meet it: the text
source builds the committed notebooks, the solution earns full marks and the release nothing, the
release reveals nothing, an officials' notebook runs top to bottom without a single traceback and, in
Chinese, shows no English word that is not a code.

New labs are picked up by themselves: the tests are parametrized over labs/text/*/*.py.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
from harness import LABS, LANGS, ROOT, Prepared, load, notebook_ids, run, source_path

NOTEBOOKS = notebook_ids()
EXPLORE = [n for n in NOTEBOOKS if n.endswith("/explore")]
BOTH = [(lang, notebook) for lang in LANGS for notebook in NOTEBOOKS]
MAX_SECONDS = 60
ANSWER_MIME = "application/vnd.minichain.answer+json"
SOLUTION_RE = re.compile(r"^[ \t]*#+ BEGIN SOLUTION.*?^[ \t]*#+ END SOLUTION[^\n]*", re.S | re.M)
HIDDEN_RE = re.compile(r"^[ \t]*#+ BEGIN HIDDEN TESTS.*?^[ \t]*#+ END HIDDEN TESTS[^\n]*", re.S | re.M)
SCHEME_RE = re.compile(r"^[^\n]*BEGIN MARK SCHEME.*?END MARK SCHEME[^\n]*", re.S | re.M)


def _meta(cell: dict[str, Any]) -> dict[str, Any]:
    meta: dict[str, Any] = cell.get("metadata", {}).get("nbgrader", {})
    return meta


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _check(prepared: Prepared, lang: str, notebook: str) -> dict[str, Any]:
    lab, name = notebook.split("/")
    check = prepared.checks.get((lang, lab, name))
    assert check is not None, f"grader validate said nothing about {notebook} [{lang}]:\n" + \
        prepared.validate_output
    return check


# --- the text sources --------------------------------------------------------------------------


def test_text_sources_build_the_committed_notebooks() -> None:
    """labs/source and labs/source_en are exactly what labs/tools/build.py makes of labs/text."""
    proc = run([sys.executable, str(LABS / "tools" / "build.py"), "--check"], cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --- structure: cheap, no kernel ---------------------------------------------------------------


@pytest.mark.parametrize(("lang", "notebook"), BOTH)
def test_cell_metadata_is_gradable(lang: str, notebook: str) -> None:
    """Unique ids, points on every graded cell, hidden tests alone in their own locked cells, and the
    shape each track promises: officials click (no code to write, every question has its model answer,
    every written question its rubric); engineers write code checked by visible tests that say what
    they expected, never a bare assert."""
    nb = load(source_path(lang, notebook))
    assert nb["metadata"].get("kernelspec", {}).get("name") == "python3", notebook
    assert nb["metadata"].get("minichain", {}).get("lang") == lang, f"{notebook}: says another language"
    ids: list[str] = []
    autograded = solutions = hidden = tasks = 0
    for index, cell in enumerate(nb["cells"], start=1):
        meta, source = _meta(cell), _source(cell)
        where = f"{notebook} [{lang}] cell {index}"
        if not meta:
            assert "BEGIN SOLUTION" not in source and "BEGIN HIDDEN TESTS" not in source, where
            continue
        ids.append(meta["grade_id"])
        if meta.get("grade") or meta.get("task"):
            assert float(meta.get("points", -1)) >= 0, f"{where}: a graded cell needs points"
        solutions += bool(meta.get("solution"))
        tasks += bool(meta.get("task"))
        if meta.get("grade") and not meta.get("solution"):
            autograded += float(meta["points"]) > 0
            assert meta.get("locked"), f"{where}: test cells must be locked"
            assert "BEGIN SOLUTION" not in source, f"{where}: a solution inside a test cell"
            visible = HIDDEN_RE.sub("", source)
            bare = [line for line in visible.splitlines() if re.match(r"\s*assert\b", line)]
            assert not bare, f"{where}: a visible test uses a bare assert (say expected and found): {bare[0]}"
        if "BEGIN HIDDEN TESTS" in source:
            hidden += 1
            outside = HIDDEN_RE.sub("", source).splitlines()
            code = [line for line in outside if line.strip() and not line.lstrip().startswith("#")]
            assert not code, f"{where}: hidden tests must have their own cell; visible code: {code}"
        if meta.get("task"):
            assert SCHEME_RE.search(source), f"{where}: a written question shows its rubric (mark scheme)"
    assert len(ids) == len(set(ids)), f"{notebook}: duplicate grade_id in {sorted(ids)}"
    assert autograded >= 2 and hidden >= 1, (notebook, autograded, hidden)
    if notebook.endswith("/explore"):
        assert solutions == 0, f"{notebook}: officials answer by clicking, not by writing code"
        assert tasks >= 1, f"{notebook}: the officials' track has a written answer marked by hand"
        _questions_carry_model_answers(nb, f"{notebook} [{lang}]")
    else:
        assert solutions >= 2, f"{notebook}: the build track has exercises to write"


def _questions_carry_model_answers(nb: dict[str, Any], where: str) -> None:
    asked = re.compile(r'sheet\.(choice|number|slider)\("([\w.-]+)"')
    for cell in nb["cells"]:
        for kind, qid in asked.findall(_source(cell)) if cell["cell_type"] == "code" else []:
            answers = [o["data"][ANSWER_MIME] for o in cell.get("outputs", [])
                       if ANSWER_MIME in o.get("data", {})]
            assert [a["qid"] for a in answers] == [qid], \
                f"{where}: {kind} question {qid!r} has no model answer (answer= in its text source)"
        assert "NotImplementedError" not in _source(cell), f"{where}: NotImplementedError in explore"


@pytest.mark.parametrize("notebook", [n for n in NOTEBOOKS if n.endswith("/build")])
def test_every_point_of_a_build_notebook_is_judged_outside_the_kernel(notebook: str) -> None:
    """A test worth points that the learner's kernel decides can be faked by a hook: every such cell
    has a judge in labs/judges/LAB.py (and every judge a cell); visible tests teach, for 0 points."""
    lab = notebook.split("/")[0]
    path = LABS / "judges" / f"{lab}.py"
    assert path.is_file(), f"{lab}: no judges ({path.relative_to(ROOT)})"
    judged = set(re.findall(r'@judge\("([\w.-]+)"\)', path.read_text(encoding="utf-8")))
    cells = load(source_path("zh-CN", notebook))["cells"]
    tests = {m["grade_id"]: float(m["points"]) for c in cells
             if (m := _meta(c)) and m.get("grade") and not m.get("solution")}
    unjudged = sorted(t for t, points in tests.items() if points > 0 and t not in judged)
    assert not unjudged, f"{notebook}: tests worth points without a judge: {unjudged}"
    assert judged <= set(tests), f"{lab}: judges for cells that do not exist: {sorted(judged - set(tests))}"
    for cell in cells:
        meta = _meta(cell)
        if meta.get("grade_id") in judged:
            assert f'Probe().each("{meta["grade_id"]}"' in _source(cell) or \
                f'Probe().once("{meta["grade_id"]}"' in _source(cell), f"{meta['grade_id']}: no probe"


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_both_languages_grade_alike(notebook: str) -> None:
    """The same grade ids, cell types, flags and points in zh-CN and en: one answer, one score."""
    shapes = []
    for lang in LANGS:
        cells = load(source_path(lang, notebook))["cells"]
        shapes.append([(m["grade_id"], c["cell_type"], m.get("grade"), m.get("solution"), m.get("task"),
                        m.get("points")) for c in cells if (m := _meta(c))])
    assert shapes[0] == shapes[1], notebook


# --- graded by the course's grader, in both languages -----------------------------------------


@pytest.mark.parametrize(("lang", "notebook"), BOTH)
def test_grader_validates(lang: str, notebook: str, prepared: Prepared) -> None:
    """`python -m grader validate`: solution full marks, release 0, release current, nothing raising
    where nothing may; within a minute."""
    check = _check(prepared, lang, notebook)
    assert check["ok"], f"python -m grader validate: {notebook} [{lang}]: {check['message']}"
    assert 0 < check["seconds"] < MAX_SECONDS, f"{notebook} [{lang}] graded in {check['seconds']:.1f} s"


def _secret_lines(source_nb: dict[str, Any]) -> tuple[set[str], str]:
    """Lines only the instructor may see (solutions, hidden tests, rubrics) and the rest of the text."""
    secret: set[str] = set()
    public: list[str] = []
    for cell in source_nb["cells"]:
        source = _source(cell)
        for pattern in (SOLUTION_RE, HIDDEN_RE, SCHEME_RE):
            for region in pattern.findall(source):
                secret.update(region.splitlines()[1:-1])
            source = pattern.sub("", source)
        public.append(source)
    return {line.strip() for line in secret if len(line.strip()) >= 12}, "\n".join(public)


@pytest.mark.parametrize(("lang", "notebook"), BOTH)
def test_release_reveals_no_solution_rubric_or_hidden_test(lang: str, notebook: str,
                                                            prepared: Prepared) -> None:
    released = prepared.releases[lang] / f"{notebook}.ipynb"
    assert released.exists(), f"{released} was not generated:\n{prepared.release_output[lang]}"
    cells = load(released)["cells"]
    text = "\n".join(_source(c) for c in cells)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
                   "BEGIN MARK SCHEME", "END MARK SCHEME"):
        assert marker not in text, f"{released}: {marker} left in the release"
    secret, public = _secret_lines(load(source_path(lang, notebook)))
    leaked = sorted(line for line in secret if line in text and line not in public)
    assert not leaked, f"{released} reveals: {leaked[:5]}"
    outputs = [c for c in cells if c.get("outputs")]
    assert not outputs, f"{released}: a release carries no outputs (no model answers)"


def _comparable(path: Path) -> list[tuple[str, str, dict[str, Any]]]:
    return [(c["cell_type"], _source(c), _meta(c)) for c in load(path)["cells"]]


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_committed_release_is_current(notebook: str, prepared: Prepared) -> None:
    """labs/release (Chinese, what a class gets by default) is what nbgrader makes of source/ today."""
    lab, name = notebook.split("/")
    fresh, committed = prepared.releases["zh-CN"] / lab, LABS / "release" / lab
    listing = sorted(p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file())
    held = sorted(p.relative_to(committed).as_posix() for p in committed.rglob("*")
                  if p.is_file() and ".ipynb_checkpoints" not in p.parts)
    hint = f"regenerate: python -m grader release {lab}"
    assert held == listing, f"{lab}: release files differ ({hint})"
    assert _comparable(committed / f"{name}.ipynb") == _comparable(fresh / f"{name}.ipynb"), \
        f"{notebook}: labs/release is stale ({hint})"


# --- what an official sees: Run All on the release --------------------------------------------


@pytest.mark.parametrize(("lang", "notebook"), [(lang, n) for lang in LANGS for n in EXPLORE])
def test_run_all_on_the_release_shows_no_traceback(lang: str, notebook: str, prepared: Prepared) -> None:
    entry = prepared.runs.get((lang, notebook))
    assert entry is not None, f"{notebook} [{lang}] was not run:\n{prepared.run_output[lang]}"
    assert not entry["errors"], f"{notebook} [{lang}]: Run All raises: {entry['errors']}"
    assert not entry["stderr"], f"{notebook} [{lang}]: Run All writes to stderr: {entry['stderr']}"
    assert entry["seconds"] < MAX_SECONDS


# Words that are codes or names, not English text: they stay as they are on a Chinese page.
CODES = {
    "sha", "sm2", "sm3", "sm4", "minichain", "ed25519", "secp256k1", "ecdsa", "json", "utf", "id", "ids",
    "txid", "nonce", "pow", "poa", "bft", "pbft", "raft", "tbft", "fisco", "bcos", "bsn", "fabric",
    "hyperledger", "chainmaker", "ctrl", "gb", "rfc", "cve", "base58check", "base58", "hex", "gossip",
    "http", "https", "ok", "rsa", "evm", "solidity", "api", "ca", "msp", "tps", "sdk", "ipfs", "mb", "kb",
    "gbt", "fips", "nist", "bip", "ecc", "p2p",
}
CODE_SPAN = re.compile(r"`[^`]*`|https?://\S+|\b[\w.+-]+@[\w.-]+")
RULE_ID = re.compile(r"\b[a-z]+(?:-[a-z0-9]+)+\b")          # tx-nonce, block-merkle-root, sha256-ed25519
ENGLISH = re.compile(r"[A-Za-z][A-Za-z']+")


def english_words(text: str) -> list[str]:
    """Words of English in a text, leaving out codes: code spans, rule ids, hex, names in CODES,
    single letters (option letters A-D) and words inside identifiers (snake_case, CamelCase)."""
    text = RULE_ID.sub(" ", CODE_SPAN.sub(" ", text))
    found = []
    for token in re.split(r"[^\w'+-]+", text):
        for word in ENGLISH.findall(token):
            if "_" in token or re.search(r"\d", token) or re.fullmatch(r"[0-9a-f]{6,}", token):
                continue
            if word.lower() not in CODES and not re.fullmatch(r"[A-Z][a-z]+[A-Z]\w*", word):
                found.append(word)
    return found


@pytest.mark.parametrize("notebook", EXPLORE)
def test_chinese_explore_notebook_speaks_chinese(notebook: str, prepared: Prepared) -> None:
    """Every word an official reads in the zh-CN notebook, widgets and pictures included, is Chinese
    or a code (SHA-256, rule ids, hashes)."""
    entry = prepared.runs.get(("zh-CN", notebook))
    assert entry is not None, f"{notebook} was not run:\n{prepared.run_output['zh-CN']}"
    words = sorted({w for text in entry["texts"] for w in english_words(text)})
    assert not words, f"{notebook} [zh-CN] shows English: {words[:30]}"


def test_english_word_finder_finds_english() -> None:
    """The check above can fail: it sees English prose, not codes."""
    assert english_words("区块链 uses `tx-nonce` and SHA-256, block c232f07427") == ["uses", "and", "block"]
    assert english_words("选项 A. 文字越长；规则 tx-balance；地址 M8xKQ3") == []
