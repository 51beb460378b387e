"""The instructors' grading toolchain over nbgrader: `python -m grader release|validate|autograde|...`.

It grades whole classes honestly: restored tests for tampered notebooks, typed statuses instead of silent
zeros, one sandboxed kernel per notebook in parallel, feedback without hidden tests. It is built on
nbgrader's own preprocessors and converters (see nbgrader.readthedocs.io, "Autograding").
"""

from __future__ import annotations

import sys

# Importing nbformat pulls jsonschema, which builds the rfc3987-syntax IRI grammar at import time
# (measured here: 1.7 s of a 2.2 s start, see shared/FACTS.md). No notebook schema uses the "iri" format,
# so the grader's processes skip that optional checker; jsonschema treats the module as not installed.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

__version__ = "0.1.0"
STATUSES = ("ok", "missing", "error", "timeout", "tampered")
