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

    lines = []
    for op in CATALOG:
        others = [method for method in op.methods if method != op.sends]
        also = f"  (also {', '.join(others)})" if others else ""
        lines.append(f"{op.sends:<7} {op.path:<44} client.{op.sdk}{also}")
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
    # The count on stderr, so that stdout stays one operation a line.
    pairs = sum(len(op.methods) for op in CATALOG)
    sys.stderr.write(f"{len(CATALOG)} operations, {pairs} method and path pairs\n")
    return 0


OPERATIONS = Command(
    "operations",
    "list every API operation and the SDK method that performs it",
    _configure,
    _run,
    description="List every operation of the API, one a line: the HTTP method the SDK sends, "
    "the path, the SDK method, and the other methods the path accepts for it.",
)
