"""Visible tests that teach: each failure says what was checked, what was expected and what was found.

A build notebook's test cell never uses a bare `assert` (it would print `AssertionError:` and nothing
else) and never judges the learner's function with another of the learner's functions: the expected
values come from minichain itself or from numbers worked out in the text.

    check = Checks("zh-CN")
    check.equal(found=state.nonce(alice), expected=1, what="爱丽丝的 nonce")
    check.raises(ValueError, build_transfer, dave, state, ..., what="余额不足的转账")
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from labkit.i18n import pick


class CheckFailed(AssertionError):
    """A visible test found something other than what it expected; the message says both."""


def _show(value: Any, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Checks:
    """The checks of one notebook, speaking its language."""

    def __init__(self, lang: str = "zh-CN") -> None:
        pick(lang, "", "")  # refuses an unknown language
        self.lang = lang

    def _say(self, zh: str, en: str) -> str:
        return pick(self.lang, zh, en)

    def fail(self, message: str) -> None:
        raise CheckFailed(message)

    def true(self, condition: bool, message: str) -> None:
        """condition must hold; message says what went wrong if it does not."""
        if not condition:
            raise CheckFailed(message)

    def equal(self, found: Any, expected: Any, what: str, hint: str = "") -> None:
        """found must equal expected, compared as plain values (exact type too: True is not 1)."""
        same = type(found) is type(expected) and found == expected
        if not same:
            message = self._say(f"{what}：应为 {_show(expected)}，实际是 {_show(found)}",
                                f"{what}: expected {_show(expected)}, found {_show(found)}")
            raise CheckFailed(message + (f"\n{hint}" if hint else ""))

    def instance(self, found: Any, kind: type, what: str) -> None:
        if not isinstance(found, kind):
            kind_found = type(found).__name__
            raise CheckFailed(self._say(f"{what}：应为 {kind.__name__}，实际是 {kind_found}",
                                        f"{what}: expected a {kind.__name__}, found a {kind_found}"))

    def raises(self, kind: type[BaseException], function: Callable[..., Any], *args: Any, what: str,
               **kwargs: Any) -> BaseException:
        """function(*args) must raise `kind`; returns the exception for further checks."""
        try:
            function(*args, **kwargs)
        except kind as error:
            return error
        except Exception as error:
            message = self._say(f"{what}：应抛出 {kind.__name__}，实际抛出 {type(error).__name__}: {error}",
                                f"{what}: expected {kind.__name__}, but {type(error).__name__} was raised: "
                                f"{error}")
            raise CheckFailed(message) from error
        raise CheckFailed(self._say(f"{what}：应抛出 {kind.__name__}，但没有抛出任何异常",
                                    f"{what}: expected {kind.__name__}, but nothing was raised"))

    def accepted(self, verdict: str | None, what: str) -> None:
        """minichain's verdict on the learner's result must be None (accepted); else it is its reason."""
        if verdict is not None:
            raise CheckFailed(self._say(f"{what}：minichain 拒绝了它：{verdict}",
                                        f"{what}: minichain refuses it: {verdict}"))

    def refused(self, verdict: str | None, rule: str, what: str) -> None:
        """minichain must refuse it, for the rule named (its verdict starts with `[rule]`)."""
        if verdict is None:
            raise CheckFailed(self._say(f"{what}：minichain 应以 [{rule}] 拒绝，却接受了",
                                        f"{what}: minichain should refuse it with [{rule}], but accepted it"))
        if not verdict.startswith(f"[{rule}]"):
            raise CheckFailed(self._say(f"{what}：应违反规则 [{rule}]，实际是 {verdict}",
                                        f"{what}: expected rule [{rule}], found {verdict}"))

    def passed(self, message: str) -> None:
        print("✓ " + message)
