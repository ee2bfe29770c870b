"""``lanying groups members``: a group's members as JSON lines."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from lanying_async.cli.command import Command
from lanying_async.cli.connect import acting_view
from lanying_async.cli.export import add_export_options, run_export
from lanying_async.cli.options import add_acting_options, positive_int
from lanying_async.client import LanyingClient
from lanying_async.services.groups import MAX_MEMBER_PAGE

if TYPE_CHECKING:
    from lanying_async.testing import Emulator

__all__ = ["MEMBERS"]

REHEARSAL_MEMBERS = 10
"""Members besides the owner that an ``--emulator`` rehearsal's group starts with."""


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("group_id", type=positive_int, metavar="GROUP_ID", help="the group")
    add_acting_options(parser)
    parser.add_argument(
        "--page-size",
        type=positive_int,
        default=MAX_MEMBER_PAGE,
        metavar="N",
        help=f"members per request, at most {MAX_MEMBER_PAGE} (default: {MAX_MEMBER_PAGE})",
    )
    add_export_options(parser)


def _run(args: argparse.Namespace) -> int:
    group_id: int = args.group_id
    page_size = min(args.page_size, MAX_MEMBER_PAGE)

    async def seed(emu: Emulator, client: LanyingClient) -> None:
        # Loads the emulator: only ever imported for --emulator.
        from lanying_async.cli.rehearsal import add_group, new_user_id

        owner = args.as_user if args.as_user is not None else new_user_id(emu)
        members = [new_user_id(emu) for _ in range(REHEARSAL_MEMBERS)]
        add_group(emu, group_id, owner, members)

    return run_export(
        args,
        "members",
        lambda client: acting_view(client, args, group_id).groups.members(
            group_id, limit=page_size
        ),
        seed,
    )


MEMBERS = Command(
    "members",
    "write a group's members (id, join time, group card) as JSON lines",
    _configure,
    _run,
    epilog="example:\n  lanying groups members 2306414607729 --as-group-admin -o members.jsonl",
)
