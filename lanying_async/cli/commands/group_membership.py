"""``lanying groups invite`` and ``lanying groups kick``: many users into or out of a group."""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from lanying_async.bulk.engine import BulkJob, Items
from lanying_async.cli.command import Command
from lanying_async.cli.connect import acting_view
from lanying_async.cli.inputs import Keep, Record, parse_ids
from lanying_async.cli.listjob import ListJob, run_list_job
from lanying_async.cli.options import (
    add_acting_options,
    add_connection_options,
    add_input_argument,
    add_input_options,
    add_job_options,
    bulk_options,
    positive_int,
)
from lanying_async.cli.reports import FailureLedger
from lanying_async.client import LanyingClient

if TYPE_CHECKING:
    from lanying_async.testing import Emulator

__all__ = ["INVITE", "KICK"]

EXAMPLES = """examples:
  lanying groups invite 2306414607729 new_members.txt --as-user 2199040544848
  lanying users export | lanying groups invite 2306414607729 --as-group-admin
  lanying groups kick 2306414607729 spammers.txt --as-user 2199040544848 --report kick.jsonl
"""


def _configure(parser: argparse.ArgumentParser, *, invite: bool) -> None:
    parser.add_argument("group_id", type=positive_int, metavar="GROUP_ID", help="the group")
    add_input_argument(parser, "user ids")
    add_acting_options(parser)
    if invite:
        parser.add_argument("--reason", help="message shown with the invitation")
    add_input_options(parser)
    add_job_options(parser)
    add_connection_options(parser)


def _user_ids(
    lines: Iterable[str], ledger: FailureLedger, keep: Keep | None
) -> Iterator[Record[int]]:
    return parse_ids(lines, "user_id", ledger, what="user id", keep=keep)


# lanying_async.cli.rehearsal loads the emulator: imported only when --emulator is given.


def _owner(emu: Emulator, args: argparse.Namespace) -> int:
    from lanying_async.cli.rehearsal import new_user_id

    return args.as_user if args.as_user is not None else new_user_id(emu)


def _run_invite(args: argparse.Namespace) -> int:
    group_id: int = args.group_id

    def start(client: LanyingClient, user_ids: Items[int]) -> BulkJob[int, int]:
        groups = acting_view(client, args, group_id).groups
        return groups.invite(group_id, user_ids, reason=args.reason, options=bulk_options(args))

    def seed(emu: Emulator, user_ids: list[int]) -> None:
        from lanying_async.cli.rehearsal import add_group, add_users

        add_group(emu, group_id, _owner(emu, args))
        add_users(emu, user_ids)

    spec = ListJob("invite", f"invited into group {group_id}", "user_id", _user_ids, start, seed)
    return run_list_job(args, spec)


def _run_kick(args: argparse.Namespace) -> int:
    group_id: int = args.group_id

    def start(client: LanyingClient, user_ids: Items[int]) -> BulkJob[int, int]:
        groups = acting_view(client, args, group_id).groups
        return groups.bulk_kick(group_id, user_ids, options=bulk_options(args))

    def seed(emu: Emulator, user_ids: list[int]) -> None:
        from lanying_async.cli.rehearsal import add_group

        add_group(emu, group_id, _owner(emu, args), user_ids)

    spec = ListJob("kick", f"kicked from group {group_id}", "user_id", _user_ids, start, seed)
    return run_list_job(args, spec)


INVITE = Command(
    "invite",
    "invite users (ids from a file or stdin) into a group",
    lambda parser: _configure(parser, invite=True),
    _run_invite,
    description="Invite every user listed into the group, in concurrent chunks, acting as a "
    "user of the group or as its admin. Users who cannot join (unknown, already members, "
    "blocked) are reported, the others go on.",
    epilog=EXAMPLES,
)

KICK = Command(
    "kick",
    "remove users (ids from a file or stdin) from a group",
    lambda parser: _configure(parser, invite=False),
    _run_kick,
    description="Remove every user listed from the group, in concurrent chunks, acting as the "
    "owner, an admin, or the group's admin. Users who cannot be removed are reported.",
    epilog=EXAMPLES,
)
