"""Write the lab notebooks from their text sources, one language at a time.

    python labs/tools/build.py [LAB ...]           # labs/text/LAB/*.py -> labs/source/LAB (zh-CN)
                                                   #                     and labs/source_en/LAB (en)
    python labs/tools/build.py --check [LAB ...]   # exit 1 if a notebook is not what its text gives

A text source is a jupytext "percent" file (https://jupytext.readthedocs.io/en/latest/formats-scripts.html):
ordinary Python that ruff checks, with cells marked `# %%` and the cell metadata on that line.
  # %% [markdown] lang="zh-CN"      a text cell in one language (lang="en" for English; none: both)
  # %% nbgrader={"grade_id": "q1"}  nbgrader's metadata; schema_version, flags and locks are filled in
  # %% omit=true                     only for the text source (e.g. `from labkit import tr`)
  # %% show=true                     an officials' notebook shows this cell's code (else it is folded)
  # %% nbgrader={"grade_id": "q1", "locked": true} answer="b"
                                     a question's model answer, as a learner would click it: the source
                                     notebook carries it as a recorded answer (the release does not),
                                     and `grader validate` proves the hidden tests give it full marks
In code, `tr("中文", "English")` becomes the notebook language's string (and the set-up cell's
`from labkit import tr` is dropped), and a comment line `# zh: ...` or `# en: ...` is kept (as
`# ...`) only in its language.
"""

from __future__ import annotations

import argparse
import ast
import copy
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jupytext
import nbformat
from nbformat.notebooknode import NotebookNode

LABS = Path(__file__).resolve().parents[1]
TEXT = LABS / "text"
OUTPUT = {"zh-CN": LABS / "source", "en": LABS / "source_en"}
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python", "version": "3.11"}
FLAGS = ("grade", "solution", "locked", "task")
LANG_COMMENT = re.compile(r"^(?P<indent>[ \t]*)# (?P<lang>zh|en): ?(?P<text>.*)$")
TR_IMPORT = "from labkit import tr"
INLINE_LANG_COMMENT = re.compile(r"# (zh|en):")
CELL_KEYS = {"lang", "omit", "show", "nbgrader", "answer"}
JUPYTEXT_KEYS = {"lines_to_next_cell", "lines_to_end_of_cell_marker"}  # how jupytext lays out the text
ANSWER_MIME = "application/vnd.minichain.answer+json"   # labkit.answers.MIME


class TextError(Exception):
    """A text source that cannot become a notebook; the message names the file and cell."""


@dataclass(frozen=True)
class Place:
    path: Path
    index: int   # cell number in the text source, from 1

    def __str__(self) -> str:
        return f"{self.path.relative_to(LABS.parent)} cell {self.index}"


# --- code: one language's strings and comments ------------------------------------------------


def _offsets(source: str) -> list[int]:
    """Where each line starts (characters), lines split on "\\n" as the tokenizer does."""
    starts = [0]
    for line in source.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    return starts


def substitute_tr(source: str, lang: str, where: Place) -> str:
    """Replace every tr(zh, en) call by the source text of the argument for `lang`."""
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        raise TextError(f"{where}: not valid Python: {error.msg} (line {error.lineno})") from None
    starts = _offsets(source)
    spans: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr":
            if len(node.args) != 2 or node.keywords:
                raise TextError(f"{where}: tr() takes two strings, Chinese then English (line {node.lineno})")
            chosen = node.args[0 if lang == "zh-CN" else 1]
            text = ast.get_source_segment(source, chosen)
            if text is None or node.end_lineno is None or node.end_col_offset is None:
                raise TextError(f"{where}: cannot read the tr() call at line {node.lineno}")
            if "\n" in text:   # strings joined across lines stay inside the call's parentheses
                text = f"({text})"
            start = starts[node.lineno - 1] + _char_col(source, starts, node.lineno, node.col_offset)
            end = (starts[node.end_lineno - 1]
                   + _char_col(source, starts, node.end_lineno, node.end_col_offset))
            spans.append((start, end, text))
    for outer in spans:
        if any(o is not outer and o[0] <= outer[0] and outer[1] <= o[1] for o in spans):
            raise TextError(f"{where}: a tr() call inside another tr() call")
    for start, end, text in sorted(spans, reverse=True):
        source = source[:start] + text + source[end:]
    return source


def _char_col(source: str, starts: list[int], lineno: int, byte_col: int) -> int:
    """ast gives UTF-8 byte columns; Chinese text needs them as character columns."""
    line = source[starts[lineno - 1]:starts[lineno]]
    return len(line.encode("utf-8")[:byte_col].decode("utf-8"))


def keep_language_comments(source: str, lang: str, where: Place) -> str:
    """`# zh: ...` lines only in Chinese notebooks, `# en: ...` only in English ones (and no import of
    `tr`, which no longer appears in the notebook)."""
    short = "zh" if lang == "zh-CN" else "en"
    lines = []
    for line in source.split("\n"):
        if line == TR_IMPORT:
            continue
        if INLINE_LANG_COMMENT.search(line) and not LANG_COMMENT.match(line):
            raise TextError(f"{where}: a `# zh:` / `# en:` comment needs a line of its own: {line.strip()!r}")
        found = LANG_COMMENT.match(line)
        if not found:
            lines.append(line)
        elif found["lang"] == short:
            lines.append(f"{found['indent']}# {found['text']}".rstrip())
    return "\n".join(lines)


# --- text: Chinese paragraphs ---------------------------------------------------------------------

BLOCK_START = re.compile(r"^\s*([*+-]\s|\d+[.)]\s|#|\||>|===|```|<)")


def _cjk(char: str) -> bool:
    return "\u2e80" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef" or "\u3000" <= char <= "\u303f"


def _cjk_punctuation(char: str) -> bool:
    return "\uff00" <= char <= "\uffef" or "\u3000" <= char <= "\u303f"


def join_cjk_lines(text: str) -> str:
    """Join a paragraph's wrapped lines where both sides are Chinese: a browser shows a line break
    inside a paragraph as a space, which Chinese text does not have."""
    out: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if (out and out[-1].strip() and stripped and not BLOCK_START.match(line)
                and ((_cjk(out[-1].rstrip()[-1]) and _cjk(stripped[0])) or _cjk_punctuation(stripped[0]))):
            out[-1] = out[-1].rstrip() + stripped
        else:
            out.append(line)
    return "\n".join(out)


# --- cells --------------------------------------------------------------------------------------


def nbgrader_metadata(given: Any, where: Place) -> dict[str, Any]:
    """nbgrader's schema-3 metadata from the text's short form: ids and points given, the rest filled."""
    if not isinstance(given, dict) or not isinstance(given.get("grade_id"), str):
        raise TextError(f"{where}: nbgrader metadata needs a grade_id")
    unknown = set(given) - {"grade_id", "points", *FLAGS}
    if unknown:
        raise TextError(f"{where}: unknown nbgrader keys {sorted(unknown)}")
    meta: dict[str, Any] = {flag: bool(given.get(flag, False)) for flag in FLAGS}
    meta["grade_id"] = given["grade_id"]
    meta["schema_version"] = 3
    if meta["grade"] or meta["task"]:
        points = given.get("points")
        if not isinstance(points, (int, float)) or points < 0:
            raise TextError(f"{where}: graded cell {given['grade_id']!r} needs points")
        meta["points"] = points
        meta["locked"] = meta["locked"] or not meta["solution"]   # tests and tasks are read-only
    if "locked" in given:
        meta["locked"] = bool(given["locked"])
    return meta


def _markers_ok(cell: NotebookNode, meta: dict[str, Any] | None, where: Place) -> None:
    source = cell.source
    if "BEGIN HIDDEN TESTS" in source and not (meta and meta["grade"] and not meta["solution"]):
        raise TextError(f"{where}: hidden tests belong in a graded test cell")
    if "BEGIN SOLUTION" in source and not (meta and meta["solution"]):
        raise TextError(f"{where}: a solution region outside a solution cell")
    if "BEGIN MARK SCHEME" in source and not (meta and meta["task"]):
        raise TextError(f"{where}: a mark scheme belongs in a task cell")
    if cell.cell_type == "markdown":  # a wrapped line starting "#5" would become a heading
        stray = [line for line in source.splitlines() if re.match(r"#+[^#\s]", line)]
        if stray:
            raise TextError(f"{where}: a text line starts with '#': {stray[0]!r}")


def language_cell(cell: NotebookNode, lang: str, explore: bool, where: Place) -> NotebookNode | None:
    """The cell as the `lang` notebook has it, or None if it is not in that notebook."""
    for key in JUPYTEXT_KEYS:
        cell.metadata.pop(key, None)
    extra = set(cell.metadata) - CELL_KEYS
    if extra:
        raise TextError(f"{where}: unknown cell metadata {sorted(extra)}")
    if cell.metadata.get("omit"):
        return None
    cell_lang = cell.metadata.get("lang")
    if cell_lang not in (None, "zh-CN", "en"):
        raise TextError(f"{where}: lang must be zh-CN or en, not {cell_lang!r}")
    if cell_lang not in (None, lang):
        return None
    out = copy.deepcopy(cell)
    out.metadata = nbformat.NotebookNode()
    meta = nbgrader_metadata(cell.metadata["nbgrader"], where) if "nbgrader" in cell.metadata else None
    if cell.cell_type == "code":
        out.source = keep_language_comments(substitute_tr(cell.source, lang, where), lang, where).strip("\n")
        out.outputs, out.execution_count = [], None
        if explore and not cell.metadata.get("show"):
            out.metadata["jupyter"] = {"source_hidden": True}
            if not out.source.startswith("#"):  # JupyterLab shows a folded cell's first line
                raise TextError(f"{where}: a folded cell starts with a comment that says what it shows")
    elif lang == "zh-CN":
        out.source = join_cjk_lines(out.source)
    if "answer" in cell.metadata:
        out.outputs = [_model_answer(cell, meta, where)]
    if meta is not None:
        out.metadata["nbgrader"] = meta
        if meta["locked"]:
            out.metadata["deletable"] = False
            out.metadata["editable"] = False
    _markers_ok(out, meta, where)
    return out


def _model_answer(cell: NotebookNode, meta: dict[str, Any] | None, where: Place) -> NotebookNode:
    """The output a click on the model answer leaves in a question cell (see labkit.answers)."""
    value = cell.metadata["answer"]
    if cell.cell_type != "code" or meta is None or meta["grade"] or meta["solution"]:
        raise TextError(f"{where}: answer= belongs on a question cell (code, with a grade_id, not graded)")
    qid = meta["grade_id"]
    if f'("{qid}"' not in cell.source:
        raise TextError(f"{where}: the question cell {qid!r} must ask question {qid!r} "
                        f"(sheet.…(\"{qid}\", …))")
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise TextError(f"{where}: a model answer is a string or a number, not {value!r}")
    record = {"qid": qid, "value": value, "time": 0.0, "seq": 0}
    data = {ANSWER_MIME: record, "text/plain": f"{qid} = {value!r}"}
    return nbformat.v4.new_output("display_data", data=data)


def _title(meta: dict[str, Any], lang: str, path: Path) -> str:
    titles = meta.get("title")
    if not isinstance(titles, dict) or not isinstance(titles.get(lang), str):
        raise TextError(f"{path}: the header needs minichain.title.{lang}")
    return str(titles[lang])


def build_notebook(path: Path, lang: str) -> NotebookNode:
    """The `lang` notebook of one text source."""
    text = jupytext.read(path, fmt="py:percent")
    info = text.metadata.get("minichain")
    if not isinstance(info, dict) or info.get("lab") != path.parent.name or info.get("notebook") != path.stem:
        raise TextError(f"{path}: the header needs minichain: {{lab: {path.parent.name}, "
                        f"notebook: {path.stem}, title: ...}}")
    explore = path.stem == "explore"
    cells = []
    for index, cell in enumerate(text.cells, start=1):
        made = language_cell(cell, lang, explore, Place(path, index))
        if made is not None:
            cells.append(made)
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata["language_info"] = LANGUAGE_INFO
    nb.metadata["title"] = _title(info, lang, path)
    nb.metadata["minichain"] = {"lab": path.parent.name, "notebook": path.stem, "lang": lang}
    ids = [c.metadata["nbgrader"]["grade_id"] for c in cells if "nbgrader" in c.metadata]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise TextError(f"{path} ({lang}): duplicate grade_id {duplicates}")
    for index, cell in enumerate(cells):  # stable ids: rebuilding gives identical files
        cell["id"] = f"c{index:03d}"
    nbformat.validate(nb)
    return nb


def graded_shape(nb: NotebookNode) -> list[tuple[str, str, tuple[Any, ...]]]:
    """What grading depends on, which both languages must share: ids, cell types, flags and points."""
    return [(c.metadata["nbgrader"]["grade_id"], c.cell_type,
             tuple(c.metadata["nbgrader"].get(k) for k in (*FLAGS, "points")))
            for c in nb.cells if "nbgrader" in c.metadata]


def render(nb: NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def build_lab(lab: str) -> dict[Path, str]:
    """Every notebook file of one lab, in both languages: {path: content}."""
    sources = sorted((TEXT / lab).glob("*.py"))
    if not sources:
        raise TextError(f"no text sources in {TEXT / lab}")
    files: dict[Path, str] = {}
    for path in sources:
        made = {lang: build_notebook(path, lang) for lang in OUTPUT}
        shapes = {lang: graded_shape(nb) for lang, nb in made.items()}
        if shapes["zh-CN"] != shapes["en"]:
            diff = next((a, b) for a, b in zip(shapes["zh-CN"], shapes["en"] + [None] * 99, strict=False)
                        if a != b)
            raise TextError(f"{path}: the zh-CN and en notebooks must grade alike; first difference {diff}")
        for lang, nb in made.items():
            files[OUTPUT[lang] / lab / f"{path.stem}.ipynb"] = render(nb)
    return files


def labs() -> list[str]:
    return sorted(p.name for p in TEXT.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if anything is stale")
    parser.add_argument("labs", nargs="*", metavar="LAB")
    args = parser.parse_args(argv)
    stale = []
    try:
        for lab in args.labs or labs():
            for path, content in build_lab(lab).items():
                current = path.read_text(encoding="utf-8") if path.exists() else None
                if current == content:
                    continue
                if args.check:
                    stale.append(path)
                    continue
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(content, encoding="utf-8")
                print("wrote", path.relative_to(LABS.parent))
    except TextError as error:
        print(f"build.py: error: {error}", file=sys.stderr)
        return 2
    for path in stale:
        print(f"stale: {path.relative_to(LABS.parent)} (run python labs/tools/build.py)", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
