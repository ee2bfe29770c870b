"""``python -m lanying_async.cli``: the same as the ``lanying`` command."""

import sys

from lanying_async.cli import main

sys.exit(main())
