"""``lanying groups create``: one group, owned by a user; prints its id."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from lanying_async.cli import event_loop
from lanying_async.cli.command import Command
from lanying_async.cli.connect import connect
from lanying_async.cli.errors import EXIT_OK
from lanying_async.cli.options import add_connection_options, positive_int
from lanying_async.cli.output import say
from lanying_async.client import LanyingClient
from lanying_async.models.enums import GroupType

if TYPE_CHECKING:
    from lanying_async.testing import Emulator

__all__ = ["CREATE_GROUP"]

TYPES = {"private": GroupType.PRIVATE, "chatroom": GroupType.CHATROOM}


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", help="the group's name")
    parser.add_argument("--description", help="the group's description")
    parser.add_argument(
        "--as-user",
        type=positive_int,
        required=True,
        metavar="OWNER",
        help="the user who creates the group and owns it",
    )
    parser.add_argument(
        "--type",
        choices=tuple(TYPES),
        default=None,
        help="a private group or a chat room (default: left to the server)",
    )
    add_connection_options(parser)


async def _create(args: argparse.Namespace) -> int:
    async def seed(emu: Emulator, client: LanyingClient) -> None:
        # Loads the emulator: only ever imported for --emulator.
        from lanying_async.cli.rehearsal import add_users

        add_users(emu, [args.as_user])

    async with connect(args, seed) as client:
        group = await client.as_user(args.as_user).groups.create(
            args.name,
            args.description,
            type=None if args.type is None else TYPES[args.type],
        )
    say(str(group.group_id))
    return EXIT_OK


CREATE_GROUP = Command(
    "create",
    "create a group owned by a user, and print its id",
    _configure,
    lambda args: event_loop.run(_create(args)),
    description="Create one group, owned by the user --as-user names, and print its id "
    "alone on stdout (to use in a script).",
    epilog="""example:
  GROUP_ID=$(lanying groups create "Beta testers" --as-user 2199040544848)
  lanying groups invite "$GROUP_ID" testers.txt --as-user 2199040544848
""",
)
