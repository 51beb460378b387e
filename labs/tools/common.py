"""Cells every lab shares: how to use the notebook, and the answer checks of the officials' track."""

from __future__ import annotations

from nbkit import md

HOW_TO_EXPLORE = """
**How this notebook works**

* Run the cells from top to bottom: click a cell, then press **Shift + Enter** (or the ▶ button).
* Grey panels with sliders, boxes and buttons are live: change them and the picture redraws.
* **Questions** are answered in a code cell. It first shows two lines, `# YOUR CODE HERE` and
  `raise NotImplementedError()`: replace both with the one answer line the question asks for,
  for example `answer_changed_bits = 120`, then run the cell. The cell after it checks that your
  answer has the right form (a number, one of the letters…); whether it is *correct* is marked
  when you hand the lab in.
* **Written answers**: double-click the cell that says *YOUR ANSWER HERE*, type a few sentences,
  then press Shift + Enter.
"""

HOW_TO_BUILD = """
**How this notebook works**

Each exercise is a function with its steps numbered in comments. Replace `# YOUR CODE HERE` and
`raise NotImplementedError()` with your code, run the cell, then run the test cell below it. The
tests hand what your function produces to the real `minichain` validators, so a failing test
shows the typed error a node would give, with its rule id in brackets, e.g.
`[block-merkle-root] block 3: header says merkle root 1a2b3c4d, its 1 transactions hash to …`.
More tests run when your lab is graded: make your function right, not just the visible example.
"""

# Answer checks for the officials' track: the form only (the value is marked at grading).
CHECKS = '''
def check_number(value, low, high):
    """The answer is a whole number between low and high."""
    assert isinstance(value, int) and not isinstance(value, bool), \\
        f"write a whole number, such as 12 (found {value!r})"
    assert low <= value <= high, f"{value} cannot be right: the answer lies between {low} and {high}"
    print(f"✓ answer recorded: {value}. It is marked when you hand the lab in.")


def check_choice(value, options):
    """The answer is one of the offered options."""
    assert value in options, f"choose one of {', '.join(map(repr, options))} (found {value!r})"
    print(f"✓ answer recorded: {value!r}. It is marked when you hand the lab in.")
'''


def how_to_explore() -> object:
    return md(HOW_TO_EXPLORE)


def how_to_build() -> object:
    return md(HOW_TO_BUILD)
