"""Typed doors to nbformat and nbconvert, whose functions carry no annotations.

The grader reads, writes and builds notebooks only through these, so the rest of the package type-checks
under mypy --strict without scattering ignores.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import nbformat
from nbformat import NotebookNode
from nbformat import v4 as _v4


def reads(text: str) -> NotebookNode:
    return cast(NotebookNode, nbformat.reads(text, as_version=4))  # type: ignore[no-untyped-call]


def read(path: Path | str) -> NotebookNode:
    return cast(NotebookNode, nbformat.read(str(path), as_version=4))  # type: ignore[no-untyped-call]


def writes(nb: NotebookNode) -> str:
    return cast(str, nbformat.writes(nb))  # type: ignore[no-untyped-call]


def write(nb: NotebookNode, path: Path | str) -> None:
    nbformat.write(nb, str(path))  # type: ignore[no-untyped-call]


def new_notebook(**kwargs: Any) -> NotebookNode:
    return cast(NotebookNode, _v4.new_notebook(**kwargs))  # type: ignore[no-untyped-call]


def new_code_cell(source: str = "", **kwargs: Any) -> NotebookNode:
    return cast(NotebookNode, _v4.new_code_cell(source, **kwargs))  # type: ignore[no-untyped-call]


def new_markdown_cell(source: str = "", **kwargs: Any) -> NotebookNode:
    return cast(NotebookNode, _v4.new_markdown_cell(source, **kwargs))  # type: ignore[no-untyped-call]


def new_output(output_type: str, **kwargs: Any) -> NotebookNode:
    return cast(NotebookNode, _v4.new_output(output_type, **kwargs))  # type: ignore[no-untyped-call]


def html_exporter(**kwargs: Any) -> Any:
    from nbconvert.exporters import HTMLExporter

    return HTMLExporter(**kwargs)  # type: ignore[no-untyped-call]


def css_header(nb: NotebookNode, resources: dict[str, Any]) -> tuple[NotebookNode, dict[str, Any]]:
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor

    return cast(tuple[NotebookNode, dict[str, Any]],
                CSSHTMLHeaderPreprocessor()(nb, resources))  # type: ignore[no-untyped-call]
