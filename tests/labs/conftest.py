"""The lab tests' one fixture: every selected lab graded once per session, two labs at a time."""

from __future__ import annotations

import pytest
from labkit import HAVE_NBGRADER, GradedLab, grade_labs


@pytest.fixture(scope="session")
def graded_labs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                ) -> dict[str, GradedLab]:
    """Every lab that a selected test needs, graded once per session, two at a time."""
    if not HAVE_NBGRADER:
        pytest.skip("nbgrader is not installed in this Python (install minichain[lab])")
    labs = sorted({item.callspec.params["notebook"].split("/")[0]
                   for item in request.session.items
                   if hasattr(item, "callspec") and "notebook" in item.callspec.params
                   and "graded_labs" in getattr(item, "fixturenames", ())})
    return grade_labs(labs, tmp_path_factory.mktemp("course"))
