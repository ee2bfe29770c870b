"""``lanying operations``: every API operation and the SDK method that performs it."""

from __future__ import annotations

import argparse
import sys

from lanying_async.cli.command import Command

__all__ = ["OPERATIONS"]


def _configure(parser: argparse.ArgumentParser) -> None:
    pass


def _run(args: argparse.Namespace) -> int:
    from lanying_async.catalog import CATALOG

    lines = [f"{op.sends:<7} {op.path:<44} client.{op.sdk}" for op in CATALOG]
    try:
        sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
    return 0


OPERATIONS = Command(
    "operations", "list every API operation and the SDK method that performs it", _configure, _run
)
