"""``lanying users export``: every user of the app as JSON lines."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from lanying_async.cli.command import Command
from lanying_async.cli.export import add_export_options, run_export
from lanying_async.cli.options import positive_int
from lanying_async.client import LanyingClient
from lanying_async.services.users import MAX_USER_PAGE

if TYPE_CHECKING:
    from lanying_async.testing import Emulator

__all__ = ["EXPORT_USERS"]

REHEARSAL_USERS = 25
"""Users an ``--emulator`` rehearsal starts with, so there is something to export."""


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--page-size",
        type=positive_int,
        default=MAX_USER_PAGE,
        metavar="N",
        help=f"users per request, at most {MAX_USER_PAGE} (default: {MAX_USER_PAGE})",
    )
    add_export_options(parser)


async def _seed(emu: Emulator, client: LanyingClient) -> None:
    people = [(f"rehearsal_user_{i:03d}", f"pw-{i}") for i in range(1, REHEARSAL_USERS + 1)]
    (await client.users.bulk_register(people)).raise_for_failures()


def _run(args: argparse.Namespace) -> int:
    page_size = min(args.page_size, MAX_USER_PAGE)
    return run_export(args, "users", lambda client: client.users.list(page_size=page_size), _seed)


EXPORT_USERS = Command(
    "export",
    "write every user of the app (id, username, status) as JSON lines",
    _configure,
    _run,
    epilog="example:\n  lanying users export -o users.jsonl --config prod.toml",
)
