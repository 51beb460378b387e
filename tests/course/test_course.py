"""The course in course/: what an instructor reads must be true of the repository.

Every English page `X.md` has its Simplified Chinese mirror `X.zh-CN.md` with the same headings (levels,
in order) and the same links; every relative link resolves; every lab, notebook, explorer page, command
and repository path the pages name exists (labs as folders of labs/source, explorer pages as titles in
explorer.i18n.CATALOG, `minichain ...` against its argparse parser, `python -m grader ...` against the
grader's); the deployment files in course/deploy parse (YAML, the Dockerfile, the shell script)."""

from __future__ import annotations

import argparse
import ast
import re
import shlex
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import yaml

from minichain.cli import build_parser as minichain_parser

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "course"
DEPLOY = COURSE / "deploy"
LAB_SOURCE = ROOT / "labs" / "source"
ZH = ".zh-CN.md"
PAGES = ("README", "officials-track", "enterprise-track", "capstone", "instructor-guide", "deployment",
         "glossary")
LABS = ("lab01_hashing", "lab02_keys", "lab03_transactions", "lab04_merkle", "lab05_mining",
        "lab06_network", "lab07_attacks", "lab08_consortium", "lab09_contracts", "lab10_bft")
NOTEBOOKS = ("explore.ipynb", "build.ipynb")
# The grader's documented interface, used only if grader.cli cannot be imported.
GRADER_COMMANDS = ("release", "validate", "autograde", "feedback", "mark", "report")
GRADER_FLAGS = {"--course", "--assignment", "--jobs", "--timeout", "--csv", "--out", "--html", "--help"}
SHELL_LANGUAGES = {"", "sh", "bash", "shell", "console"}


# --- reading Markdown ------------------------------------------------------------------------------

FENCE = re.compile(r"^\s*(```|~~~)\s*([\w+-]*)")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


@dataclass(frozen=True)
class Page:
    path: Path
    prose: str                         # the text outside fenced code blocks
    blocks: tuple[tuple[str, str], ...]  # fenced code blocks: (language, body)

    @property
    def lang(self) -> str:
        return "zh" if self.path.name.endswith(ZH) else "en"

    @property
    def name(self) -> str:
        return str(self.path.relative_to(COURSE))

    def text_without_code(self) -> str:
        return CODE_SPAN.sub(" ", self.prose)

    def code_spans(self) -> list[str]:
        return [" ".join(match.group(2).split()) for match in CODE_SPAN.finditer(self.prose)]

    def headings(self) -> list[tuple[int, str]]:
        found = []
        for line in self.prose.splitlines():
            match = HEADING.match(line)
            if match:
                found.append((len(match.group(1)), match.group(2)))
        return found

    def links(self) -> list[str]:
        return LINK.findall(self.text_without_code())

    def bold(self) -> list[str]:
        return [" ".join(span.split()) for span in BOLD.findall(self.text_without_code())]


def read_page(path: Path) -> Page:
    prose: list[str] = []
    blocks: list[tuple[str, str]] = []
    current: list[str] | None = None
    language, opened = "", 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        fence = FENCE.match(line)
        if current is None and fence:
            current, language, opened = [], fence.group(2).lower(), number
        elif current is not None and fence:
            blocks.append((language, "\n".join(current)))
            current = None
        elif current is not None:
            current.append(line)
        else:
            prose.append(line)
            continue
        prose.append("")  # the prose keeps its line count
    assert current is None, f"{path.name}: the code block opened on line {opened} is never closed"
    return Page(path, "\n".join(prose), tuple(blocks))


def course_pages() -> list[Path]:
    return sorted(COURSE.rglob("*.md"))


def english_pages() -> list[Path]:
    return [p for p in course_pages() if not p.name.endswith(ZH)]


def mirror(path: Path) -> Path:
    return path.with_name(path.name[: -len(".md")] + ZH)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: formatting dropped, lower case, punctuation removed, spaces to -."""
    text = CODE_SPAN.sub(lambda m: m.group(2), heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


def anchors(page: Page) -> set[str]:
    seen: Counter[str] = Counter()
    found = set()
    for _, text in page.headings():
        base = slug(text)
        found.add(base if not seen[base] else f"{base}-{seen[base]}")
        seen[base] += 1
    return found


def page_ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(COURSE)) for p in paths]


# --- the pages and their mirrors -------------------------------------------------------------------


def test_the_course_has_its_pages_in_both_languages() -> None:
    for name in PAGES:
        assert (COURSE / f"{name}.md").is_file(), f"course/{name}.md is missing"
        assert (COURSE / f"{name}{ZH}").is_file(), f"course/{name}{ZH} is missing"


@pytest.mark.parametrize("path", course_pages(), ids=page_ids(course_pages()))
def test_every_page_has_its_mirror(path: Path) -> None:
    if path.name.endswith(ZH):
        english = path.with_name(path.name[: -len(ZH)] + ".md")
        assert english.is_file(), f"{path.name} mirrors no English page ({english.name} is missing)"
    else:
        assert mirror(path).is_file(), f"{path.name} has no Chinese mirror {mirror(path).name}"


def same_language_target(target: str) -> str:
    """A link with its fragment dropped and a Chinese page named as its English original."""
    path = target.split("#", 1)[0]
    return path[: -len(ZH)] + ".md" if path.endswith(ZH) else path


@pytest.mark.parametrize("path", english_pages(), ids=page_ids(english_pages()))
def test_the_chinese_mirror_has_the_same_headings_and_links(path: Path) -> None:
    if not mirror(path).is_file():
        pytest.fail(f"{path.name} has no Chinese mirror")
    english, chinese = read_page(path), read_page(mirror(path))

    def outline(page: Page) -> list[str]:
        return [f"{'#' * level} {text}" for level, text in page.headings()]

    assert [level for level, _ in chinese.headings()] == [level for level, _ in english.headings()], (
        f"{chinese.name}: the headings differ from {english.name}:\n  en {outline(english)}\n"
        f"  zh {outline(chinese)}")
    en_links = Counter(same_language_target(t) for t in english.links() if not EXTERNAL.match(t))
    zh_links = Counter(same_language_target(t) for t in chinese.links() if not EXTERNAL.match(t))
    assert zh_links == en_links, (
        f"{chinese.name} and {english.name} link to different places: only in English "
        f"{dict(en_links - zh_links)}, only in Chinese {dict(zh_links - en_links)}")
    for target in chinese.links():
        file = target.split("#", 1)[0]
        if EXTERNAL.match(target) or not file.endswith(".md") or file.endswith(ZH):
            continue
        linked = (path.parent / file).resolve()
        assert linked == path.resolve() or not mirror(linked).is_file(), (
            f"{chinese.name} links to the English page {file} instead of its mirror {mirror(linked).name}")


@pytest.mark.parametrize("path", course_pages(), ids=page_ids(course_pages()))
def test_every_relative_link_resolves(path: Path) -> None:
    page = read_page(path)
    broken = []
    for target in page.links():
        if EXTERNAL.match(target):
            continue
        file, _, fragment = target.partition("#")
        resolved = (path.parent / unquote(file)).resolve() if file else path
        if not resolved.exists():
            broken.append(f"{target} (no such file)")
        elif fragment and resolved.suffix == ".md" and fragment not in anchors(read_page(resolved)):
            broken.append(f"{target} (no heading with anchor #{fragment})")
    assert not broken, f"{page.name}: broken links: {broken}"


# --- labs, notebooks and explorer pages named in the course ----------------------------------------

LAB_NAME = re.compile(r"(?<![\w])lab\d+_[a-z0-9]+")
NOTEBOOK = re.compile(r"[\w./*-]*\.ipynb")


def course_texts() -> list[Path]:
    return sorted(p for p in COURSE.rglob("*") if p.is_file())


@pytest.mark.parametrize("path", course_texts(), ids=page_ids(course_texts()))
def test_every_lab_and_notebook_named_exists(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    problems = set()
    for lab in LAB_NAME.findall(text):
        if lab not in LABS:
            problems.add(f"{lab} is not one of the labs {LABS}")
        elif not (LAB_SOURCE / lab).is_dir():
            problems.add(f"{lab}: no folder labs/source/{lab}")
    for reference in NOTEBOOK.findall(text):
        parts = reference.strip("./").split("/")
        if "*" not in parts[-1] and parts[-1] not in NOTEBOOKS:
            problems.add(f"{reference}: a lab's notebooks are {NOTEBOOKS}")
        lab = parts[-2] if len(parts) >= 2 else None
        if lab in LABS and parts[-1] in NOTEBOOKS and not (LAB_SOURCE / lab / parts[-1]).is_file():
            problems.add(f"{reference}: no labs/source/{lab}/{parts[-1]}")
    assert not problems, f"{path.relative_to(ROOT)}: {sorted(problems)}"


def test_each_track_uses_every_lab() -> None:
    for track, notebook in (("officials-track", "explore.ipynb"), ("enterprise-track", "build.ipynb")):
        for name in (f"{track}.md", f"{track}{ZH}"):
            text = (COURSE / name).read_text(encoding="utf-8")
            missing = [lab for lab in LABS if f"{lab}/{notebook}" not in text]
            assert not missing, f"course/{name} never uses {notebook} of {missing}"


@cache
def catalog() -> dict[str, dict[str, str]]:
    """explorer.i18n.CATALOG; read from its source when Streamlit (imported by the module) is missing."""
    try:
        from explorer.i18n import CATALOG
    except ImportError:
        tree = ast.parse((ROOT / "explorer" / "i18n.py").read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "CATALOG":
                value: dict[str, dict[str, str]] = ast.literal_eval(node.value)  # type: ignore[arg-type]
                return value
        raise
    return CATALOG


def page_titles(lang: str) -> set[str]:
    return {entry[lang] for key, entry in catalog().items() if key.startswith("page.")}


def scenario_names(lang: str) -> set[str]:
    return {entry[lang] for key, entry in catalog().items() if key.startswith("stage.name.")}


def explorer_references(page: Page) -> tuple[set[str], list[str]]:
    """The explorer pages a page names in bold (**1 · Hash**, **Stage scenarios › Tamper with history**),
    and the bold spans that look like explorer pages but name none."""
    lang = page.lang
    stage = catalog()["page.stage"][lang]
    found, wrong = set(), []
    for span in page.bold():
        if "›" in span:
            title, scenario = (part.strip() for part in span.split("›", 1))
            if title != stage or scenario not in scenario_names(lang):
                wrong.append(span)
            else:
                found.add(title)
        elif " · " in span or span.startswith(("Stage", "舞台")):
            if span in page_titles(lang):
                found.add(span)
            else:
                wrong.append(span)
    return found, wrong


def test_the_catalog_has_the_explorer_pages_the_course_relies_on() -> None:
    assert {"page.hash", "page.live", "page.stage"} <= set(catalog())
    assert len(scenario_names("en")) >= 3


@pytest.mark.parametrize("path", course_pages(), ids=page_ids(course_pages()))
def test_every_explorer_page_named_exists(path: Path) -> None:
    _, wrong = explorer_references(read_page(path))
    lang = read_page(path).lang
    assert not wrong, (f"{path.name}: {wrong} are not explorer pages; in this language they are "
                       f"{sorted(page_titles(lang))}, scenarios {sorted(scenario_names(lang))}")


def test_the_officials_day_uses_every_explorer_page() -> None:
    for name in ("officials-track.md", f"officials-track{ZH}"):
        page = read_page(COURSE / name)
        found, _ = explorer_references(page)
        assert found == page_titles(page.lang), f"course/{name} never shows {page_titles(page.lang) - found}"


# --- commands named in the course ------------------------------------------------------------------


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def option_strings(parser: argparse.ArgumentParser) -> set[str]:
    return {option for action in parser._actions for option in action.option_strings}


def check_with_parser(parser: argparse.ArgumentParser, prog: str, words: list[str]) -> list[str]:
    """Problems with `prog words...`: unknown subcommands, or flags the (sub)command does not take."""
    current, path, index = parser, [prog], 0
    while (choices := subcommands(current)) and index < len(words) and not words[index].startswith("-"):
        if words[index] not in choices:
            return [f"`{' '.join(path)}` has no command {words[index]!r} (it has {sorted(choices)})"]
        current = choices[words[index]]
        path.append(words[index])
        index += 1
    known = option_strings(current)
    return [f"`{' '.join(path)}` takes no option {word}" for word in words[index:]
            if word.startswith("--") and word.split("=", 1)[0] not in known]


def check_grader(words: list[str]) -> list[str]:
    try:
        from grader.cli import build_parser as grader_parser
    except ImportError:
        if words and not words[0].startswith("-") and words[0] not in GRADER_COMMANDS:
            return [f"`python -m grader` has no command {words[0]!r}"]
        return [f"`python -m grader` takes no option {w}" for w in words
                if w.startswith("--") and w.split("=", 1)[0] not in GRADER_FLAGS]
    return check_with_parser(grader_parser(), "python -m grader", words)


def check_nbgrader(words: list[str]) -> list[str]:
    try:
        from nbgrader.apps.nbgraderapp import NbGraderApp
    except ImportError:
        return []
    if words and not words[0].startswith("-") and words[0] not in NbGraderApp.subcommands:
        return [f"`nbgrader` has no command {words[0]!r}"]
    return []


@cache
def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([\w.-]+)\s*:(?!=)", text, re.M))


def check_make(words: list[str]) -> list[str]:
    return [f"`make {word}`: the Makefile has no target {word!r}" for word in words
            if not word.startswith("-") and "=" not in word and word not in make_targets()]


OPERATORS = {"|", "||", "&&", ";", "&", "do", "then", "else", "if", "while", "until", "!", "{", "}", "(", ")"}
PREFIXES = {"sudo", "exec", "nohup", "time", "env", "command"}


def shell_segments(text: str) -> Iterator[list[str]]:
    """Simple commands of a shell text: continuation lines joined, comments and heredocs dropped, split
    at operators and at the start of command substitutions, and cut at the first redirection."""
    text = re.sub(r"<<-?\s*'?(\w+)'?\n.*?\n\1\n", "\n", text, flags=re.S)
    text = text.replace("\\\n", " ")
    for line in text.splitlines():
        try:
            tokens = shlex.split(line, comments=True)
        except ValueError:
            tokens = line.split()
        segment: list[str] = []
        stopped = False
        for raw in tokens:
            token = raw
            if "$(" in token and " " not in token:  # an unquoted command substitution starts here
                before, _, token = token.partition("$(")
                if before and not stopped:
                    segment.append(before)
                yield segment
                segment, stopped = [], False
            ends = token.endswith(";")
            token = token.rstrip(";)")
            if token in OPERATORS or not token:
                yield segment
                segment, stopped = [], False
                continue
            if re.match(r"^\d*[<>]", token):
                stopped = True
            if not stopped:
                segment.append(token)
            if ends:
                yield segment
                segment, stopped = [], False
        yield segment


def command_problems(words: list[str]) -> list[str]:
    """Problems with one simple command if it is one the course documents (minichain, the grader,
    nbgrader, make); other commands (curl, kubectl...) are not checked."""
    while words and (words[0] in PREFIXES or re.match(r"^\w+=", words[0])
                     or (words[0].startswith("-") and words[0] != "--help")):
        words = words[1:]
        if words and words[0] in ("-u", "-g") and len(words) > 1:
            words = words[2:]
    if not words:
        return []
    program = words[0].rsplit("/", 1)[-1]
    args = [word.strip("[]") for word in words[1:]]
    if re.fullmatch(r"python[\d.]*", program) and len(args) >= 2 and args[0] == "-m":
        program, args = f"-m {args[1]}", args[2:]
    if program == "grader":
        return ["there is no `grader` command: it is `python -m grader` (or `minichain-grader`)"]
    if not args:
        return []
    if program in ("minichain", "-m minichain"):
        return check_with_parser(minichain_parser(), "minichain", args)
    if program in ("-m grader", "minichain-grader"):
        return check_grader(args)
    if program in ("nbgrader", "-m nbgrader"):
        return check_nbgrader(args)
    if program == "make":
        return check_make(args)
    return []


REPO_PATH = re.compile(r"^(?:course|labs|minichain|grader|explorer|tests|scripts|bench|deploy)/[\w./-]*$")


def path_problems(words: list[str], base: Path) -> list[str]:
    """Repository paths named in a command (course/deploy/Dockerfile, minichain/cli.py...) must exist;
    paths with a placeholder in capitals (labs/release/LAB/) are patterns, not paths."""
    problems = []
    for word in words:
        word = word.strip("\"'`,")
        if not REPO_PATH.match(word) or re.search(r"(^|/)[A-Z][A-Z_]+(/|\.|$)", word):
            continue
        where = COURSE if word.startswith("deploy/") else ROOT
        if not (where / word).exists() and not (base / word).exists():
            problems.append(f"{word} does not exist")
    return problems


def shell_texts(path: Path) -> list[str]:
    if path.suffix == ".md":
        page = read_page(path)
        return [body for lang, body in page.blocks if lang in SHELL_LANGUAGES] + page.code_spans()
    if path.suffix == ".sh":
        return [path.read_text(encoding="utf-8")]
    if path.name == "Dockerfile":
        return [args for keyword, args, _ in dockerfile_instructions(path.read_text()) if keyword == "RUN"]
    return []


def command_files() -> list[Path]:
    return [p for p in course_texts() if p.suffix in (".md", ".sh") or p.name == "Dockerfile"]


@pytest.mark.parametrize("path", command_files(), ids=page_ids(command_files()))
def test_every_command_named_exists(path: Path) -> None:
    problems = []
    checked = 0
    for text in shell_texts(path):
        for words in shell_segments(text):
            found = command_problems(words)
            problems += found
            problems += path_problems(words, path.parent)
            checked += bool(words)
    assert checked, f"{path.name}: no command found at all (is the parser broken?)"
    assert not problems, f"{path.relative_to(ROOT)}: {sorted(set(problems))}"


def test_the_command_checker_catches_mistakes() -> None:
    def problems(line: str) -> list[str]:
        return [p for words in shell_segments(line) for p in command_problems(words)]

    assert problems("minichain node run --data-dir d --host 0.0.0.0 --peer http://x:8700") == []
    assert problems("BOB=$(minichain keygen --out bob.key)  # Bob's key") == []
    assert problems("python -m grader autograde subs --assignment lab01_hashing --csv out.csv") == []
    assert problems("for o in a b; do minichain keygen --out $o.key > $o.addr; done") == []
    assert problems("minichain node start")
    assert problems("minichain tx send --node u --key k --to a --amount 1 --nonce 3")
    assert problems(".venv/bin/minichain chain mine --data d --miner m --count 2")
    assert problems("python -m grader grade subs")
    assert problems("make deploy")
    assert problems("grader autograde subs --assignment lab01_hashing --csv out.csv")
    assert problems("minichain keygen --out a.key --suit sm3-sm2 > a.addr && minichain balance --data d a")


# --- the deployment files ---------------------------------------------------------------------------

DOCKERFILE_INSTRUCTIONS = {"FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY",
                           "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL",
                           "HEALTHCHECK", "SHELL"}


def dockerfile_instructions(text: str) -> list[tuple[str, str, int]]:
    """(INSTRUCTION, arguments, line number) of a Dockerfile: parser directives and comments skipped,
    continuation lines joined (comment lines inside a continued instruction are dropped, as Docker does).
    Raises ValueError for anything Docker would refuse to parse."""
    escape = "\\"
    instructions: list[tuple[str, str, int]] = []
    parts: list[str] = []
    start = 0
    directives = True
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if directives:
            directive = re.match(r"^#\s*(\w+)\s*=\s*(\S+)\s*$", line)
            if directive:
                if directive.group(1).lower() == "escape":
                    escape = directive.group(2)
                continue
            directives = False
        if not line or line.startswith("#"):
            continue  # blank lines and comments, also inside a continued instruction
        if not parts:
            start = number
        continued = line.endswith(escape)
        parts.append(line[: -len(escape)].rstrip() if continued else line)
        if continued:
            continue
        logical = " ".join(part for part in parts if part)
        parts = []
        keyword, _, arguments = logical.partition(" ")
        if keyword not in DOCKERFILE_INSTRUCTIONS:
            raise ValueError(f"line {start}: {keyword!r} is not a Dockerfile instruction in upper case")
        if not arguments.strip():
            raise ValueError(f"line {start}: {keyword} without arguments")
        instructions.append((keyword, arguments.strip(), start))
    if parts:
        raise ValueError(f"line {start}: the last instruction ends with a continuation {escape!r}")
    if not instructions:
        raise ValueError("no instructions")
    first = next((i for i in instructions if i[0] != "ARG"), None)
    if first is None or first[0] != "FROM":
        raise ValueError("the first instruction (after ARGs) must be FROM")
    return instructions


def test_the_dockerfile_parser_refuses_malformed_files() -> None:
    ok = "# syntax=docker/dockerfile:1\nARG BASE=x\nFROM $BASE AS a\n# note\nRUN a \\\n  # inside\n  && b\n"
    assert [(k, a) for k, a, _ in dockerfile_instructions(ok)] == [("ARG", "BASE=x"), ("FROM", "$BASE AS a"),
                                                                   ("RUN", "a && b")]
    for bad in ("RUN echo\nFROM x\n", "FROM x\nRUN a \\\n", "FROM x\nCOPYY a b\n", "FROM x\nrun a\n",
                "FROM x\nUSER\n", "# only a comment\n"):
        with pytest.raises(ValueError):
            dockerfile_instructions(bad)


@dataclass
class Stage:
    name: str
    base: str
    instructions: list[tuple[str, str]]


def dockerfile_stages() -> list[Stage]:
    stages: list[Stage] = []
    for keyword, arguments, _ in dockerfile_instructions((DEPLOY / "Dockerfile").read_text(encoding="utf-8")):
        if keyword == "FROM":
            words = [w for w in arguments.split() if not w.startswith("--")]
            name = words[2] if len(words) >= 3 and words[1].lower() == "as" else str(len(stages))
            stages.append(Stage(name, words[0], []))
        elif stages:
            stages[-1].instructions.append((keyword, arguments))
    return stages


def test_the_dockerfile_builds_the_learner_and_instructor_images_from_docker_stacks() -> None:
    stages = dockerfile_stages()
    names = [stage.name for stage in stages]
    stacks = ("quay.io/jupyter/", "jupyter/")
    assert stages[0].base.startswith(stacks), "the base is a Jupyter docker-stacks image"
    for index, stage in enumerate(stages[1:], 1):
        assert stage.base in names[:index] or stage.base.startswith(stacks)
    assert {"learner", "instructor"} <= set(names) and names[-1] == "learner", (
        "targets learner and instructor, learner last (the default target)")
    by_name = {stage.name: stage for stage in stages}

    def lineage(name: str) -> list[Stage]:
        stage = by_name[name]
        return ([*lineage(stage.base)] if stage.base in by_name else []) + [stage]

    def instructions(name: str, *keywords: str) -> list[str]:
        return [args for stage in lineage(name) for keyword, args in stage.instructions
                if keyword in keywords]

    def copies(name: str) -> list[list[str]]:
        return [[w for w in args.split() if not w.startswith("--")]
                for args in instructions(name, "COPY", "ADD")]

    runs = " ".join(instructions("learner", "RUN"))
    assert re.search(r"pip install .*\[lab\]", runs), "the image installs the repository with its lab extra"
    assert "@jupyter/nbgrader:assignment-list" in runs, "the learners' nbgrader extension is enabled"
    assert "nbgrader.server_extensions.assignment_list" in runs
    assert not any("labs" in sources[:-1] for sources in copies("learner")), (
        "the learner image must not hold labs/ (labs/source has the solutions)")
    assert any("labs" in sources[:-1] for sources in copies("instructor"))
    for sources in copies("learner") + copies("instructor"):
        for source in sources[:-1]:
            assert (ROOT / source).exists(), f"COPY {source}: not in the build context (the repository root)"
    user = instructions("learner", "USER")
    assert user and user[-1] not in ("root", "0"), "the image must not run as root"


def test_the_dockerignore_is_named_for_buildkit() -> None:
    assert (DEPLOY / "Dockerfile.dockerignore").is_file()


def load_config(path: Path) -> Any:
    """Run an nbgrader_config.py with a stand-in for traitlets' get_config()."""

    class Config:
        def __getattr__(self, name: str) -> Config:
            value = Config()
            object.__setattr__(self, name, value)
            return value

    config = Config()
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"),
         {"get_config": lambda: config, "__file__": str(path)})
    return config


@cache
def exchange_root() -> str:
    root: str = load_config(DEPLOY / "nbgrader_config.py").Exchange.root
    return root


def test_the_class_wide_nbgrader_config_matches_the_course_root() -> None:
    class_wide = load_config(DEPLOY / "nbgrader_config.py")
    course = load_config(ROOT / "labs" / "nbgrader_config.py")
    assert class_wide.CourseDirectory.course_id == course.CourseDirectory.course_id
    assert exchange_root().startswith("/")


def yaml_files() -> list[Path]:
    return sorted([*DEPLOY.rglob("*.yaml"), *DEPLOY.rglob("*.yml")])


@pytest.mark.parametrize("path", yaml_files(), ids=page_ids(yaml_files()))
def test_the_yaml_parses(path: Path) -> None:
    documents = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
    assert documents and all(isinstance(d, dict) for d in documents), f"{path.name}: expected mappings"


def dig(data: Any, *keys: str) -> Any:
    for key in keys:
        assert isinstance(data, dict) and key in data, f"missing {'.'.join(keys)}"
        data = data[key]
    return data


def test_the_z2jh_values_give_the_image_limits_and_the_shared_exchange() -> None:
    values = yaml.safe_load((DEPLOY / "z2jh" / "values.yaml").read_text(encoding="utf-8"))
    pvc = yaml.safe_load((DEPLOY / "z2jh" / "exchange-pvc.yaml").read_text(encoding="utf-8"))
    assert dig(values, "singleuser", "image", "name") and dig(values, "singleuser", "image", "tag")
    for resource in ("cpu", "memory"):
        assert dig(values, "singleuser", resource, "limit")
        assert dig(values, "singleuser", resource, "guarantee")
    volumes = {v["name"]: v for v in dig(values, "singleuser", "storage", "extraVolumes")}
    mounts = {m["mountPath"]: m for m in dig(values, "singleuser", "storage", "extraVolumeMounts")}
    assert exchange_root() in mounts, f"nothing is mounted at the exchange root {exchange_root()}"
    assert "/srv/classroom" in mounts
    claim = dig(volumes[mounts[exchange_root()]["name"]], "persistentVolumeClaim", "claimName")
    assert pvc["kind"] == "PersistentVolumeClaim" and pvc["metadata"]["name"] == claim
    assert "ReadWriteMany" in pvc["spec"]["accessModes"], "every user pod mounts the exchange"
    for name, code in dig(values, "hub", "extraConfig").items():
        compile(code, f"hub.extraConfig.{name}", "exec")
    policy = dig(values, "singleuser", "networkPolicy")
    for direction in ("ingress", "egress"):
        ports = [p for rule in policy[direction] for p in rule["ports"]]
        assert any(p["port"] <= 8700 and p.get("endPort", p["port"]) >= 8799 for p in ports), (
            f"the classroom network needs {direction} on ports 8700-8799 between user pods")


def test_the_tljh_config_and_setup_script_agree() -> None:
    config = yaml.safe_load((DEPLOY / "tljh" / "config.yaml").read_text(encoding="utf-8"))
    script = (DEPLOY / "tljh" / "setup.sh").read_text(encoding="utf-8")
    assert dig(config, "limits", "memory") and dig(config, "limits", "cpu")
    assert dig(config, "user_environment", "default_app") == "jupyterlab"
    admin = re.search(r"^ADMIN=(\S+)$", script, re.M)
    assert admin and admin.group(1) in dig(config, "users", "admin")
    exchange = re.search(r"^EXCHANGE=(\S+)$", script, re.M)
    assert exchange and exchange.group(1) == exchange_root()


def heredocs(script: str) -> list[str]:
    return [m.group(2) for m in re.finditer(r"<<-?\s*'?(\w+)'?\n(.*?)\n\1\n", script, re.S)]


def test_the_setup_script_is_valid_bash_and_its_python_compiles() -> None:
    script = DEPLOY / "tljh" / "setup.sh"
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash")
    result = subprocess.run([bash, "-n", str(script)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    bodies = heredocs(script.read_text(encoding="utf-8"))
    assert bodies, "setup.sh writes the TLJH jupyterhub_config.d file from a heredoc"
    for body in bodies:
        compile(body, "setup.sh heredoc", "exec")


# --- the glossary ---------------------------------------------------------------------------------

STANDARD_TERMS = ("区块链", "哈希", "默克尔树", "共识", "工作量证明", "权威证明", "联盟链", "智能合约",
                  "双花", "分叉", "重组")


@pytest.mark.parametrize("name", ["glossary.md", f"glossary{ZH}"])
def test_the_glossary_has_english_and_chinese_side_by_side(name: str) -> None:
    text = (COURSE / name).read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("|") and not line.startswith("|---")]
    assert rows and rows[0].startswith("| English | 中文 |")
    missing = [term for term in STANDARD_TERMS if not any(term in row for row in rows)]
    assert not missing, f"course/{name} lacks the standard terms {missing}"

