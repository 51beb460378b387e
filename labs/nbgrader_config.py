"""nbgrader configuration for the minichain course (labs 01-08).

Run nbgrader from this directory (`cd labs && nbgrader generate_assignment lab01_hashing --force`);
`python -m grader` (in ../grader) wraps the same steps for instructors.
"""

import os

c = get_config()  # type: ignore[name-defined]  # noqa: F821  (injected by traitlets)

c.CourseDirectory.course_id = "minichain"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))

# Every notebook runs headless in well under a minute; a learner's infinite loop is interrupted here.
c.ExecutePreprocessor.timeout = 60
c.Execute.timeout = 60

# Release: solutions become stubs, hidden tests are removed.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Feedback must not reveal the hidden tests (their cells are also kept separate from visible tests,
# so a failing hidden test's traceback only ever appears in its own, cleared, cell).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
