"""``python -m sphinx_codeexamples``."""

import sys

from .cli import main

sys.exit(main())
