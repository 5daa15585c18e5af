"""`python -m macros`: the contributor command line (see macros/cli.py)."""

import sys

from macros.cli import main

sys.exit(main())
