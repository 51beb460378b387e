"""What every page shares: the sidebar (language, presenter mode, the pages), per-session state,
pictures, verdicts, tables, and the one way a refusal is said.

Text that comes from outside (a node's answer, a learner's input) is shown as text, never as
Markdown or HTML: `table` escapes every cell and `st.html` does no Markdown, so a node that puts
`![x](http://elsewhere/)` in a field gets those characters shown, not an image fetched."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import streamlit as st

from explorer import presenter
from explorer.i18n import LANGUAGES, language, say, t
from minichain import MinichainError, explain

T = TypeVar("T")
RULE_ID = re.compile(r"[a-z0-9-]{1,40}")
MARKDOWN_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")  # every ASCII punctuation character
AUTOLINK = re.compile(r"://|(?i:w)ww\.|@")  # where GFM's autolink literals start
WORD_JOINER = "\u2060"


def session(key: str, factory: Callable[[], T]) -> T:
    """This browser session's own object under `key`, made on first use."""
    if key not in st.session_state:
        st.session_state[key] = factory()
    value: T = st.session_state[key]
    return value


def sidebar(pages: Iterable[st.Page]) -> None:
    """Language and presenter mode first, so they stay above the fold on a 720-line projector."""
    with st.sidebar:
        st.radio(
            t("sidebar.language"),
            list(LANGUAGES),
            key="lang",
            format_func=lambda code: LANGUAGES[code],
            horizontal=True,
        )
        st.toggle(t("sidebar.presenter"), key="presenter", help=t("sidebar.presenter_help"))
        st.divider()
        for page in pages:
            st.page_link(page)
        # The page's language for the browser (fonts, screen readers), and Streamlit's one English
        # sentence (its "skip to content" link) said in it: run once each time the language changes.
        st.html(f"<script>document.documentElement.lang = {json.dumps(t('html.lang'))};"
                "document.querySelectorAll('[data-testid=\"stSkipToContent\"]').forEach("
                f"link => {{ link.textContent = {json.dumps(t('html.skip'))}; }});</script>",
                unsafe_allow_javascript=True)
    presenter.apply_styles()


def show_svg(svg: str, caption: str = "") -> None:
    """A picture drawn by minichain.viz, then its caption. Inline, so its words are text on the page;
    viz escapes every word it draws, and the SVG holds no blank line for Markdown to act on (st.html
    would be simpler, but its sanitiser removes SVG)."""
    st.markdown(f'<div class="mc-svg">{svg}</div>', unsafe_allow_html=True)
    if caption:
        st.caption(caption)


def verdict(ok: bool, good: str, bad: str) -> None:
    if ok:
        st.success(good)
    else:
        st.error(bad)


def refusal(error: MinichainError, key: str = "error.refused", **values: object) -> str:
    """`error` said in the session's language: the rule's id, then why (minichain.explain), as
    Markdown that shows both as text (a node's refusal can carry anything in its rule and detail)."""
    return refusal_in(language(), error, key, **values)


def refusal_in(lang: str, error: MinichainError, key: str = "error.refused", **values: object) -> str:
    """`refusal` in `lang`, for what is drawn once for everyone (the audience's frames)."""
    rule = error.rule if RULE_ID.fullmatch(error.rule) else "node"
    return say(lang, key, rule=plain(rule), detail=plain(explain(error, lang)), **values)


def plain(text: str) -> str:
    """`text` as Markdown that renders these characters and nothing else: every ASCII punctuation
    mark is backslash-escaped (CommonMark allows it for all of them), so no image, emphasis, math or
    HTML can form; a word joiner (U+2060, invisible) goes into each "://", "www." and "@", which
    Streamlit would still turn into links; line breaks become spaces."""
    joined = AUTOLINK.sub(lambda m: m.group(0)[0] + WORD_JOINER + m.group(0)[1:], " ".join(text.split()))
    return MARKDOWN_PUNCTUATION.sub(r"\\\g<0>", joined)


def table(rows: Sequence[Mapping[str, object]], code: Iterable[str] = (), wrap: Iterable[str] = ()) -> None:
    """Rows as an HTML table, every cell escaped: safe for whatever a node sends. Columns named
    in `code` are set in a monospace font (hashes, addresses); those in `wrap` may break anywhere
    (a 128-digit public key on a 720-line projector)."""
    if rows:
        st.html(table_html(rows, code, wrap))


def table_html(rows: Sequence[Mapping[str, object]], code: Iterable[str] = (),
               wrap: Iterable[str] = ()) -> str:
    columns = list(dict.fromkeys(name for row in rows for name in row))
    mono, long = set(code), set(wrap)

    def classes(name: str) -> str:
        names = [c for c, on in (("mc-code", name in mono), ("mc-long", name in long)) if on]
        return f' class="{" ".join(names)}"' if names else ""

    head = "".join(f"<th>{html.escape(name)}</th>" for name in columns)
    body = "".join(
        "<tr>" + "".join(f"<td{classes(name)}>{cell(row.get(name, ''))}</td>" for name in columns) + "</tr>"
        for row in rows
    )
    return f'<table class="mc-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


@dataclass(frozen=True)
class Part:
    """One piece of what a step shows, as data (drawn by `draw`, or handed to the audience):
    kind "svg" (text: the picture, caption), "table" (text: its HTML), or a verdict's kind
    "success" / "error" / "warning" / "info" / "text" (text: Markdown made with `plain`)."""

    kind: str
    text: str
    caption: str = ""


def draw(parts: Iterable[Part]) -> None:
    for part in parts:
        if part.kind == "svg":
            show_svg(part.text, part.caption)
        elif part.kind == "table":
            st.html(part.text)
        elif part.kind == "text":
            st.write(part.text)
        else:
            getattr(st, part.kind)(part.text)


def cell(value: object) -> str:
    """One value as escaped text, on one line; a missing value is a dash, never `None`."""
    text = "—" if value is None else str(value)
    return html.escape(" ".join(text.split()))
