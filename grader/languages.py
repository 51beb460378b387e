"""The languages every lab exists in. Chinese first: the default class is a Chinese one.

The course's nbgrader_config.py maps each language to its source folder (source/ for zh-CN,
source_en/ for en) and reads the choice from $MINICHAIN_LANG; labs/tools/build.py writes both.
"""

LANGS = ("zh-CN", "en")
DEFAULT_LANG = "zh-CN"
