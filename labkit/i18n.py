"""The course's two languages. Chinese comes first: a Chinese class is the default audience.

A lab's text source writes each visible string once per language, `tr("中文", "English")`; the lab
builder (labs/tools/build.py) replaces every such call by the string of the notebook's language, so a
notebook holds only its own language. `tr` itself is here so the text source also runs as plain Python.
"""

from __future__ import annotations

import os

LANGS = ("zh-CN", "en")
DEFAULT = "zh-CN"


def language() -> str:
    """The language of plain-Python runs of a text source: $MINICHAIN_LANG, else Chinese."""
    lang = os.environ.get("MINICHAIN_LANG", DEFAULT)
    return lang if lang in LANGS else DEFAULT


def tr(zh: str, en: str) -> str:
    """The string in the current language (the builder substitutes these calls in notebooks)."""
    return zh if language() == "zh-CN" else en


def pick(lang: str, zh: str, en: str) -> str:
    """The string for `lang` (labkit's own messages, in the notebook's language)."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGS)}")
    return zh if lang == "zh-CN" else en
