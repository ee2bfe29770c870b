"""What the ``lanying`` command exits with, and the error that means "fix your command line"."""

from __future__ import annotations

__all__ = ["EXIT_FAILURES", "EXIT_OK", "EXIT_USAGE", "UsageError"]

EXIT_OK = 0
"""Every item succeeded."""
EXIT_FAILURES = 1
"""Some items failed, were left unknown or were never sent (or the command itself failed)."""
EXIT_USAGE = 2
"""A bad command line, configuration or input file: nothing was sent."""


class UsageError(Exception):
    """A problem the user must fix before anything is sent (exit status 2).

    Messages never quote configuration values, so no access token can leak
    through them.
    """
