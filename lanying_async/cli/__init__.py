"""The ``lanying`` command line: the demo, the emulator and batch jobs for admins.

``main(argv)`` runs one command and returns its exit status (see
`lanying_async.cli.errors`); the console script calls it.
"""

from lanying_async.cli.app import main

__all__ = ["main"]
