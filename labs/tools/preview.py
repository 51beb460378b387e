"""Run a lab notebook headless and write a static HTML preview, widgets drawn from their saved state.

    python labs/tools/preview.py labs/source/lab01_hashing/explore.ipynb /tmp/lab01-explore.html

nbconvert's HTML loads the widget JavaScript from a CDN; offline (or in a review without a kernel)
widgets would show as plain text. Here each widget view is replaced by simple HTML built from the
widget state the execution saved: pictures (HTML widgets) exactly as learners see them, controls as
read-only look-alikes. For reviewing what learners see; learners use JupyterLab.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

VIEW = "application/vnd.jupyter.widget-view+json"
STATE = "application/vnd.jupyter.widget-state+json"


def _widget_html(model_id: str, state: dict[str, Any]) -> str:
    entry = state.get(model_id, {})
    name, values = entry.get("model_name", ""), entry.get("state", {})
    label = html.escape(str(values.get("description", "")))
    children = [child.removeprefix("IPY_MODEL_") for child in values.get("children", [])]
    if name in ("VBoxModel", "HBoxModel"):
        direction = "column" if name == "VBoxModel" else "row"
        inner = "".join(_widget_html(child, state) for child in children)
        return f'<div style="display:flex;flex-direction:{direction};gap:8px;margin:4px 0">{inner}</div>'
    if name == "HTMLModel":
        return f"<div>{values.get('value', '')}</div>"
    if name in ("TextModel", "TextareaModel", "BoundedIntTextModel", "IntTextModel"):
        return (f"<label>{label} <input readonly value=\"{html.escape(str(values.get('value', '')))}\" "
                "style='width:22em'></label>")
    if name in ("IntSliderModel", "FloatSliderModel"):
        return (f"<label>{label} <input type=range readonly min={values.get('min')} max={values.get('max')} "
                f"value={values.get('value')}> {values.get('value')}</label>")
    if name in ("DropdownModel", "RadioButtonsModel"):
        options = values.get("_options_labels", [])
        index = values.get("index")
        chosen = options[index] if isinstance(index, int) and index < len(options) else ""
        if name == "DropdownModel":
            return f"<label>{label} <select><option>{html.escape(str(chosen))}</option></select></label>"
        items = "".join(f"<div>{'◉' if option == chosen else '○'} {html.escape(str(option))}</div>"
                        for option in options)
        return f"<div><b>{label}</b>{items}</div>"
    if name == "ButtonModel":
        return f"<button>{html.escape(str(values.get('description', '')))}</button>"
    return f"<div>[{html.escape(name)}]</div>"


def preview(source: Path, target: Path) -> None:
    nb = nbformat.read(source, as_version=4)
    NotebookClient(nb, timeout=60, store_widget_state=True, allow_errors=True,
                   resources={"metadata": {"path": str(source.parent)}}).execute()
    state = nb.metadata.get("widgets", {}).get(STATE, {}).get("state", {})
    for cell in nb.cells:
        if cell.get("metadata", {}).get("jupyter", {}).get("source_hidden"):
            cell.metadata["transient"] = {"remove_source": True}  # collapsed in JupyterLab too
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(VIEW)
            if view:
                output["data"] = {"text/html": _widget_html(view["model_id"], state)}
    nb.metadata.pop("widgets", None)
    body, _ = HTMLExporter().from_notebook_node(nb)
    target.write_text(body, encoding="utf-8")


if __name__ == "__main__":
    preview(Path(sys.argv[1]), Path(sys.argv[2]))
