"""Why was it refused? One sentence per rule, in English or Simplified Chinese, from the error's facts.

Every error names its rule (`error.rule`) and carries the facts of the case as attributes
(`height`, `txid`, `expected`, `found`...; see minichain.errors). `explain(error, lang)` picks the
sentence for the rule, and for the check of the rule that failed, and fills it with those facts, so
the explorer and the labs can say in Chinese what the command line says in English. An error that
lacks the facts (one re-built from a node's HTTP answer, say) gets the rule's one-line summary; a
rule this catalog does not know gets a sentence that names it. `explain` never raises.

Terms follow course/glossary.zh-CN.md: 交易序号 is a transaction's nonce, 随机数 a block's.
"""

from __future__ import annotations

import string

from minichain.errors import BlockTransactionInvalid, MinichainError
from minichain.sentences import EN_VALUES, SUMMARIES, TEMPLATES, ZH_VALUES

__all__ = ["LANGUAGES", "SUMMARIES", "TEMPLATES", "explain"]

LANGUAGES = ("en", "zh-CN")
MAX_VALUE_CHARS = 100  # a fact shown longer than this (a hostile chain id, a typed address) is cut

# The catalog lives in sentences.py; explain.py fills it with an error's facts.
def explain(error: MinichainError, lang: str = "en") -> str:
    """What `error` means, in `lang` ("en" or "zh-CN"; "zh" also means Chinese), without its rule id
    (callers show `error.rule` next to it). Never raises."""
    chinese = lang.lower().startswith("zh")
    try:
        return _explain(error, chinese)
    except Exception:  # a sentence must never take a page or a lab down with it
        return _summary(error.rule, chinese, str(error))


def _explain(error: MinichainError, chinese: bool) -> str:
    values = _values(error, chinese)
    if isinstance(error, BlockTransactionInvalid):
        cause = _explain(error.cause, chinese)
        if error.height is None:
            return cause
        return _fill(TEMPLATES["block-tx"], chinese, {**values, "cause": cause}) or cause
    key = f"{error.rule}/{error.check}" if getattr(error, "check", None) else error.rule
    sentence = TEMPLATES.get(key)
    filled = _fill(sentence, chinese, values) if sentence else None
    return filled or _summary(error.rule, chinese, str(error))


def _fill(sentence: tuple[str, str], chinese: bool, values: dict[str, object]) -> str | None:
    """The sentence with every placeholder filled, or None if a fact it needs is missing."""
    template = sentence[1] if chinese else sentence[0]
    needed = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    if any(values.get(name) is None for name in needed):
        return None
    return template.format(**values)


def _summary(rule: str, chinese: bool, message: str) -> str:
    if not chinese and message:
        return message  # the library's own English says it best
    known = SUMMARIES.get(rule)
    if known is not None:
        return known[1] if chinese else known[0]
    return f"操作被拒绝（规则 {rule}）" if chinese else f"refused (rule {rule})"


def _values(error: MinichainError, chinese: bool) -> dict[str, object]:
    words = ZH_VALUES if chinese else EN_VALUES
    values: dict[str, object] = {}
    for name, value in error.facts().items():
        if isinstance(value, bytes):
            value = value.hex()
        if isinstance(value, str):
            value = words.get(name, {}).get(value, value)
            if len(value) > MAX_VALUE_CHARS:
                value = value[:MAX_VALUE_CHARS] + "…"
        values[name] = value
    index, target = values.get("index"), values.get("target")
    if isinstance(index, int):
        values["ordinal"] = index + 1
    if isinstance(target, int):
        values["target_hex"] = f"{target:064x}"
    return values
