"""The exception tree reads as documentation: every exception minichain defines says in one line when
it is thrown, every validate_* (and every engine's check_seal) ends its docstring with `Raises:` naming
each exception it raises itself, and "not yet" (NotYetConnectable) is never "invalid"."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import minichain
from minichain import errors
from minichain.errors import (
    BlockFromFuture,
    InvalidBlock,
    MinichainError,
    NotYetConnectable,
    UnknownParent,
    ValidationError,
)

PACKAGE = Path(minichain.__file__).parent
MODULES = [importlib.import_module(info.name)
           for info in pkgutil.walk_packages(minichain.__path__, "minichain.")
           if not info.name.endswith("__main__")]
EXCEPTIONS = sorted(
    {cls for module in MODULES for _, cls in inspect.getmembers(module, inspect.isclass)
     if issubclass(cls, BaseException) and cls.__module__.startswith("minichain.")},
    key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
MINICHAIN_ERRORS = [cls for cls in EXCEPTIONS if issubclass(cls, MinichainError)]


def test_the_package_defines_the_exceptions_it_should() -> None:
    names = {cls.__name__ for cls in MINICHAIN_ERRORS}
    assert {"NonceMismatch", "WrongSuite", "BlockFromFuture", "Reverted", "CommandError"} <= names
    assert len(MINICHAIN_ERRORS) > 50


@pytest.mark.parametrize("cls", EXCEPTIONS, ids=lambda cls: cls.__qualname__)
def test_every_exception_has_its_own_docstring(cls: type[BaseException]) -> None:
    doc = vars(cls).get("__doc__")  # its own: a class does not inherit its parent's docstring
    assert doc and doc.strip(), f"{cls.__module__}.{cls.__qualname__} has no docstring"


@pytest.mark.parametrize("cls", MINICHAIN_ERRORS, ids=lambda cls: cls.__qualname__)
def test_every_minichain_error_says_in_one_line_when_it_is_thrown(cls: type[MinichainError]) -> None:
    doc = vars(cls)["__doc__"]
    assert doc.startswith("Thrown when ") and "\n" not in doc, (cls, doc)


# --- "not yet" is never "invalid" ---------------------------------------------------------------


def test_not_yet_connectable_is_no_validation_error() -> None:
    assert issubclass(BlockFromFuture, NotYetConnectable) and issubclass(UnknownParent, NotYetConnectable)
    for cls in vars(errors).values():
        if isinstance(cls, type) and issubclass(cls, NotYetConnectable):
            assert not issubclass(cls, ValidationError), cls  # so `except InvalidBlock` never catches it
    assert not issubclass(BlockFromFuture, InvalidBlock)


# --- Raises: in every validate_* ----------------------------------------------------------------


def documented_functions() -> list[tuple[str, ast.FunctionDef]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and (node.name.startswith("validate_")
                                                       or node.name == "check_seal"):
                found.append((f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}", node))
    return found


FUNCTIONS = documented_functions()


def raised_names(function: ast.FunctionDef) -> set[str]:
    """The classes `function` raises by name (`raise Name(...)`), not re-raises."""
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            func = node.exc.func
            if isinstance(func, ast.Name):
                names.add(func.id)
    return names


def test_the_rule_functions_are_found() -> None:
    names = {where.split()[-1] for where, _ in FUNCTIONS}
    assert {"validate_transaction", "validate_header", "validate_body", "check_seal"} <= names


@pytest.mark.parametrize(("where", "function"), FUNCTIONS, ids=[where for where, _ in FUNCTIONS])
def test_every_validate_function_ends_with_raises_naming_what_it_raises(
    where: str, function: ast.FunctionDef
) -> None:
    doc = ast.get_docstring(function)
    assert doc and "\nRaises:\n" in doc, f"{where}: no Raises: section"
    raises = doc.split("\nRaises:\n", 1)[1]
    assert raises.strip() and "\n\n" not in raises.strip(), f"{where}: Raises: must end the docstring"
    missing = {name for name in raised_names(function) if name not in raises}
    assert not missing, f"{where}: raises {sorted(missing)} but its Raises: does not say so"


def test_validate_header_names_every_seal_error_its_engines_raise() -> None:
    header_doc = next(ast.get_docstring(f) or "" for _, f in FUNCTIONS if f.name == "validate_header")
    for where, function in FUNCTIONS:
        if function.name == "check_seal":
            for name in raised_names(function):
                assert name in header_doc, f"validate_header's Raises: lacks {name} ({where})"
