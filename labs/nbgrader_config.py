"""nbgrader configuration for the minichain course (labs 01-08), in Chinese (default) or English.

Every lab exists in both languages: source/ holds the Chinese notebooks, source_en/ the English ones,
both written by labs/tools/build.py from labs/text/. The language is chosen with $MINICHAIN_LANG
(zh-CN or en); instructors use `python -m grader release LAB --lang en`, which sets it.
"""

import os

c = get_config()  # type: ignore[name-defined]  # noqa: F821  (injected by traitlets)

LANG = os.environ.get("MINICHAIN_LANG", "zh-CN")
SOURCES = {"zh-CN": "source", "en": "source_en"}
if LANG not in SOURCES:
    raise ValueError(f"MINICHAIN_LANG={LANG!r}: the labs exist in {', '.join(SOURCES)}")

c.CourseDirectory.course_id = "minichain"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.source_directory = SOURCES[LANG]

# Every notebook runs headless in well under a minute; a learner's infinite loop is interrupted here.
c.ExecutePreprocessor.timeout = 60
c.Execute.timeout = 60

# Release: solutions become stubs, hidden tests are removed.
STUBS = {"zh-CN": ("# 在这里写你的代码\nraise NotImplementedError()", "在这里写你的回答"),
         "en": ("# YOUR CODE HERE\nraise NotImplementedError()", "YOUR ANSWER HERE")}
c.ClearSolutions.code_stub = {"python": STUBS[LANG][0]}
c.ClearSolutions.text_stub = STUBS[LANG][1]

# Feedback must not reveal the hidden tests (their cells are also kept separate from visible tests,
# so a failing hidden test's traceback only ever appears in its own, cleared, cell).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
