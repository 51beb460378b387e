"""The grader's exception tree, nothing else.

Every failure an instructor can cause or meet (a missing course root, an unknown lab, an unreadable
submissions zip, a bad CSV) is a GraderError subclass whose message is one line naming what was
expected and what was found; the CLI prints it and exits non-zero, never a traceback.
"""

from __future__ import annotations


class GraderError(Exception):
    """Base of every error the grader reports to the instructor."""

    exit_code = 2


class CourseError(GraderError):
    """The course root is missing, incomplete or its nbgrader configuration cannot be loaded."""


class LabError(CourseError):
    """A lab (nbgrader assignment) is unknown or its source notebooks cannot be processed."""


class SubmissionsError(GraderError):
    """The submissions folder, zip or exchange inbound cannot be read."""


class OutputPathError(GraderError):
    """An output path would write into the submissions (which are never modified)."""


class ReportError(GraderError):
    """A results CSV cannot be read or does not have the grader's columns."""


class ValidationFailed(GraderError):
    """`grader validate` found a notebook that cannot be graded as intended."""

    exit_code = 1


class SandboxUnavailable(GraderError):
    """Learner code cannot be run in the sandbox here (no bwrap, or it fails): nothing is graded."""


class RosterError(GraderError):
    """The roster file cannot be read or names a learner or track wrongly."""


class MarkError(GraderError):
    """A manual mark is out of range, or names a learner, notebook or cell that has no such answer."""
