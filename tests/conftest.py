"""How the suite is shared between pytest-xdist workers when asked: `pytest -n 2 --dist loadgroup`.

Not the default: on a 2-core machine already busy with other runs, two workers starved the labs'
session fixture past pytest-timeout's 300 s and a browser wait past 60 s (a measured run).

Every test goes to a group, and a group runs whole on one worker, in file order:
* a test module is a group, so its module-scoped fixtures (a graded class, a Streamlit server on its
  fixed port, a browser) are made once and no two workers ever want the same port;
* the modules whose tests use a costly session fixture form one group, so it is made once in the
  whole run: every lab validated, released and run (`prepared`), the grader's sample class graded
  (`course`, `klass`), the warm Solidity compiler (`compiler`, `samples`).
Without xdist the marks do nothing.
"""

from __future__ import annotations

import pytest

SHARED = {  # session fixture -> the one group of every test that uses it
    "prepared": "labs-prepared",
    "klass": "grader-class",
    "course": "grader-class",
    "compiler": "contracts-compiler",
    "samples": "contracts-compiler",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # a module that uses a shared fixture joins that fixture's group whole (never split between
    # workers), and groups that meet in one module merge: a small union-find over names
    parent: dict[str, str] = {}

    def root(name: str) -> str:
        while parent.setdefault(name, name) != name:
            name = parent[name]
        return name

    for item in items:
        module = item.nodeid.split("::")[0]
        for name in getattr(item, "fixturenames", ()):
            if name in SHARED:
                parent[root(module)] = root(SHARED[name])
    for item in items:
        item.add_marker(pytest.mark.xdist_group(root(item.nodeid.split("::")[0])))
