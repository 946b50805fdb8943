"""Run the ``clarinb`` command as ``python -m clarinb.cli``."""

import sys

from clarinb.cli import main

sys.exit(main())
