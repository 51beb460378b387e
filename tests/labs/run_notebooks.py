"""Run notebooks top to bottom as a learner's *Run All* does, and report what each one shows.

    python tests/labs/run_notebooks.py OUT.json NOTEBOOK.ipynb ...

Each notebook runs in its own kernel in its own folder (nbclient, widget state kept, as JupyterLab
keeps it). OUT.json maps each path to: the cells that raised, anything written to stderr, the run time,
and every piece of text a reader sees: Markdown, printed and displayed text, and the words inside the
widgets (labels, options, placeholders, HTML), which live in the widget state, not in cell outputs.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

WIDGET_TEXT_KEYS = ("description", "_options_labels", "placeholder", "tooltip", "value", "readout_format")
TAG = re.compile(r"<(style|script|code)\b.*?</\1>|<[^>]+>", re.S)  # code spans are codes


def _widget_texts(nb: Any) -> list[str]:
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    texts = []
    for model in state.get("state", {}).values():
        if not model.get("model_module", "").startswith("@jupyter-widgets/controls"):
            continue
        fields = model.get("state", {})
        name = model.get("model_name", "")
        for key in WIDGET_TEXT_KEYS:
            value = fields.get(key)
            if key == "value" and name not in ("HTMLModel", "LabelModel", "HTMLMathModel"):
                continue  # a text box's value is the learner's to type
            if isinstance(value, str) and value.strip():
                texts.append(TAG.sub(" ", value))
            elif isinstance(value, list):
                texts.extend(str(v) for v in value if isinstance(v, str))
    return texts


def report(path: Path) -> dict[str, Any]:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                            store_widget_state=True, resources={"metadata": {"path": str(path.parent)}})
    started = time.monotonic()
    try:
        client.execute()
    except Exception as exc:  # the kernel died or did not start: report it as the notebook's error
        return {"errors": [f"notebook: {type(exc).__name__}: {exc}"], "stderr": [], "texts": [],
                "seconds": time.monotonic() - started}
    errors, stderr, texts = [], [], []
    for index, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "markdown":
            texts.append(cell.source)
            continue
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            kind = output.get("output_type")
            if kind == "error":
                errors.append(f"cell {index}: {output.get('ename')}: {output.get('evalue')}")
            elif kind == "stream" and output.get("name") == "stderr":
                stderr.append(f"cell {index}: {output.get('text', '')[:300]}")
            elif kind == "stream":
                texts.append(output.get("text", ""))
            elif kind in ("display_data", "execute_result"):
                data = output.get("data", {})
                if "application/vnd.jupyter.widget-view+json" in data:
                    continue
                if "text/html" in data:
                    texts.append(TAG.sub(" ", str(data["text/html"])))
                elif "text/plain" in data:
                    texts.append(str(data["text/plain"]))
    texts.extend(_widget_texts(nb))
    return {"errors": errors, "stderr": stderr, "texts": texts, "seconds": time.monotonic() - started}


def main(out: Path, paths: list[Path]) -> int:
    results = {str(path): report(path) for path in paths}
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]]))
