"""Write labs/source/labNN_*/{explore,build}.ipynb for labs 01-04 from their Python definitions.

    python labs/tools/make_notebooks.py            # every lab defined here
    python labs/tools/make_notebooks.py lab02_keys # one lab

Then regenerate the student version: cd labs && nbgrader generate_assignment LAB --force
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import lab02_keys
import lab03_transactions
from nbkit import hide_plain_code, notebook, write

SOURCE = Path(__file__).resolve().parents[1] / "source"
LABS = {
    "lab02_keys": lab02_keys,
    "lab03_transactions": lab03_transactions,
}


def main(names: list[str]) -> None:
    for name in names or list(LABS):
        module = LABS[name]
        for kind in ("explore", "build"):
            path = SOURCE / name / f"{kind}.ipynb"
            cells = getattr(module, kind)()
            if kind == "explore":
                hide_plain_code(cells)
            write(notebook(cells, f"{module.TITLE} · {kind}"), path)
            print("wrote", path.relative_to(SOURCE.parent.parent))


if __name__ == "__main__":
    main(sys.argv[1:])
