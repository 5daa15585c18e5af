"""`python -m qbank`: the contributor command line (see qbank/cli.py)."""

import sys

from qbank.cli import main

sys.exit(main())
