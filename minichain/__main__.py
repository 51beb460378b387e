"""`python -m minichain` runs the CLI."""

import sys

from minichain.cli import main

sys.exit(main())
