"""Command-line options shared by the batch commands.

No option shows a default that could be a secret: the token never has a flag
of its own (see `lanying_async.cli.config`).
"""

from __future__ import annotations

import argparse
from typing import Any

from lanying_async.bulk.options import BulkOptions

__all__ = [
    "add_acting_options",
    "add_connection_options",
    "add_input_argument",
    "add_input_options",
    "add_job_options",
    "add_progress_option",
    "bulk_options",
    "positive_float",
    "positive_int",
]


_PROGRESS: dict[str, Any] = {
    "choices": ("auto", "bar", "lines", "off"),
    "default": "auto",
    "help": "progress on stderr: a bar on a terminal, plain lines otherwise (default: auto)",
}


def positive_int(text: str) -> int:
    """An argparse type: an integer of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def positive_float(text: str) -> float:
    """An argparse type: a number above 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be above 0, got {text}")
    return value


def add_connection_options(parser: argparse.ArgumentParser) -> None:
    """Where to connect: flags, else $LANYING_*, else the config file; or ``--emulator``."""
    group = parser.add_argument_group(
        "connection",
        "Each setting comes from its flag, else the environment\n"
        "(LANYING_API_ENDPOINT, LANYING_APP_ID, LANYING_ACCESS_TOKEN), else the --config file.",
    )
    group.add_argument("--config", metavar="PATH", help="TOML (or .json) file with the settings")
    group.add_argument("--endpoint", metavar="URL", help="API endpoint, e.g. https://...")
    group.add_argument("--app-id", metavar="ID", help="your app id")
    group.add_argument(
        "--access-token-file",
        metavar="PATH",
        help="file holding the admin access token (never pass the token itself as a flag)",
    )
    group.add_argument(
        "--allow-insecure-http",
        action="store_true",
        help="allow plain http:// to a non-loopback host (the token travels unencrypted)",
    )
    group.add_argument(
        "--rate-limit", type=positive_float, metavar="N", help="at most N requests per second"
    )
    group.add_argument(
        "--emulator",
        action="store_true",
        help="rehearse on an in-process emulator seeded with the users and groups named "
        "(no connection settings needed)",
    )


def add_job_options(parser: argparse.ArgumentParser) -> None:
    """How a bulk job runs and reports."""
    group = parser.add_argument_group("job")
    group.add_argument(
        "--report",
        metavar="PATH",
        help="write every item that did not succeed (and where unread input starts) to PATH, "
        "as JSON lines; give it back with --retry-from",
    )
    group.add_argument("--chunk-size", type=positive_int, metavar="N", help="items per request")
    group.add_argument(
        "--concurrency", type=positive_int, metavar="N", help="requests in flight at once"
    )
    group.add_argument(
        "--fail-fast",
        action="store_true",
        help="stop after the first request that fails as a whole (exit status 1)",
    )
    group.add_argument("--progress", **_PROGRESS)


_ENCODING_HELP = (
    "the input's text encoding, e.g. gbk or latin-1 "
    "(default: UTF-8, or UTF-16 when the file starts with its byte-order mark)"
)
_RETRY_HELP = "take only the items a --report file of an earlier run lists (give the same input)"


def add_input_options(parser: argparse.ArgumentParser) -> None:
    """How to read the input: its encoding, and which of its items a retry takes."""
    group = parser.add_argument_group("input")
    group.add_argument("--encoding", metavar="NAME", help=_ENCODING_HELP)
    group.add_argument("--retry-from", metavar="REPORT", help=_RETRY_HELP)


def add_progress_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--progress", **_PROGRESS)


def add_input_argument(parser: argparse.ArgumentParser, what: str) -> None:
    """The optional FILE positional (stdin when left out or ``-``)."""
    parser.add_argument(
        "file",
        nargs="?",
        default="-",
        metavar="FILE",
        help=f"{what}, one per line or JSON lines (default: stdin)",
    )


def add_acting_options(parser: argparse.ArgumentParser) -> None:
    """Who performs a group operation: a user, or the group's admin."""
    acting = parser.add_mutually_exclusive_group(required=True)
    acting.add_argument(
        "--as-user", type=positive_int, metavar="USER_ID", help="act as this user (e.g. the owner)"
    )
    acting.add_argument(
        "--as-group-admin", action="store_true", help="act as an admin of the group"
    )


def bulk_options(args: argparse.Namespace) -> BulkOptions:
    """The per-call bulk settings the flags ask for (the client's defaults otherwise)."""
    return BulkOptions(
        chunk_size=args.chunk_size, concurrency=args.concurrency, fail_fast=args.fail_fast
    )
