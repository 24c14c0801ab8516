"""``python -m latentgan.cli``: the ``latentgan`` command, for processes started by the platform."""

import sys

from latentgan.cli import main

sys.exit(main())
