"""``lanying messages send``: one message to many users or groups."""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from lanying_async.bulk.engine import BulkJob, Items
from lanying_async.cli.command import Command
from lanying_async.cli.inputs import Keep, Record, parse_ids
from lanying_async.cli.listjob import ListJob, run_list_job
from lanying_async.cli.options import (
    add_connection_options,
    add_input_argument,
    add_input_options,
    add_job_options,
    bulk_options,
    positive_int,
)
from lanying_async.cli.reports import FailureLedger
from lanying_async.client import LanyingClient
from lanying_async.models.enums import TargetType

if TYPE_CHECKING:
    from lanying_async.testing import Emulator

__all__ = ["SEND"]


def _configure(parser: argparse.ArgumentParser) -> None:
    add_input_argument(parser, "user ids (group ids with --groups)")
    parser.add_argument("--text", required=True, help="the message text")
    parser.add_argument(
        "--groups", action="store_true", help="the input lists group ids, not user ids"
    )
    parser.add_argument(
        "--from-user", type=positive_int, metavar="USER_ID", help="send as this user"
    )
    add_input_options(parser)
    add_job_options(parser)
    add_connection_options(parser)


def _run(args: argparse.Namespace) -> int:
    target_type = TargetType.GROUP if args.groups else TargetType.USER
    key = "group_id" if args.groups else "user_id"
    what = "group id" if args.groups else "user id"

    def targets(
        lines: Iterable[str], ledger: FailureLedger, keep: Keep | None
    ) -> Iterator[Record[int]]:
        return parse_ids(lines, key, ledger, what=what, keep=keep)

    def start(client: LanyingClient, ids: Items[int]) -> BulkJob[int, int]:
        return client.messages.send(
            ids,
            args.text,
            target_type=target_type,
            from_user_id=args.from_user,
            options=bulk_options(args),
        )

    def seed(emu: Emulator, ids: list[int]) -> None:
        # Loads the emulator: only ever imported for --emulator.
        from lanying_async.cli.rehearsal import add_group, add_users, new_user_id

        if args.from_user is not None:
            add_users(emu, [args.from_user])
        if not args.groups:
            add_users(emu, ids)
            return
        owner = args.from_user if args.from_user is not None else new_user_id(emu)
        for group_id in ids:
            add_group(emu, group_id, owner)

    noun = "groups" if args.groups else "users"
    return run_list_job(args, ListJob("send", f"sent to {noun}", key, targets, start, seed))


SEND = Command(
    "send",
    "send one text message to many users or groups (ids from a file or stdin)",
    _configure,
    _run,
    description="Send one text message to every user (or group) listed, in concurrent "
    "chunks; each chunk is sent once even when retried.",
    epilog="""examples:
  lanying messages send new_users.txt --text "Welcome aboard!" --from-user 2199040544848
  lanying messages send --groups rooms.txt --text "Server upgrade at 22:00"
""",
)
