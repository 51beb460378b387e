"""The lab tests' one fixture: every selected lab validated, released and run once per session."""

from __future__ import annotations

import importlib.util

import pytest
from harness import Prepared, lab_names, prepare


@pytest.fixture(scope="session")
def prepared(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    """Every lab a selected test needs, in both languages, prepared once per session."""
    if importlib.util.find_spec("nbgrader") is None:
        pytest.fail("nbgrader is not installed in this Python (install minichain[lab]: `make setup`)")
    labs = sorted({item.callspec.params["notebook"].split("/")[0]
                   for item in request.session.items
                   if hasattr(item, "callspec") and "notebook" in item.callspec.params
                   and "prepared" in getattr(item, "fixturenames", ())}) or lab_names()
    return prepare(tmp_path_factory.mktemp("labs"), labs)
