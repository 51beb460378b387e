"""The labs' toolkit: what every notebook imports besides minichain.

- `labkit.i18n`: the two languages of the course (zh-CN first, en) and `tr`, which the lab builder
  replaces by one language's string when it writes a notebook.
- `labkit.answers`: answers given by clicking, recorded the moment they are given (in the notebook
  itself and in a file beside it) and read back by a restarted kernel and by the grader.
- `labkit.ask`: the widgets officials answer with (choice buttons, number boxes, sliders, a text area).
- `labkit.checks`: visible tests for the build notebooks that say what they expected and what they found.
"""

from labkit.i18n import LANGS, tr

__all__ = ["LANGS", "tr"]
