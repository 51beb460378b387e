"""`python -m grader ...`: the instructors' grading commands (release, validate, autograde, feedback,
mark, report); the same entry point as the `minichain-grader` console script."""

from grader.cli import main

raise SystemExit(main())
