"""``lanying push task``: delivery statistics of push tasks."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

import msgspec

from lanying_async.cli import event_loop
from lanying_async.cli.command import Command
from lanying_async.cli.connect import connect
from lanying_async.cli.errors import EXIT_FAILURES, EXIT_OK
from lanying_async.cli.options import add_connection_options, positive_int
from lanying_async.client import LanyingClient
from lanying_async.models.push import PushTaskDetail

if TYPE_CHECKING:
    from lanying_async.testing import Emulator

__all__ = ["PUSH_TASK"]

REHEARSAL_REACH = 3
"""Devices each push task of an ``--emulator`` rehearsal reached."""


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "task_ids", type=positive_int, nargs="+", metavar="TASK_ID", help="push task ids"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per task")
    add_connection_options(parser)


def _line(detail: PushTaskDetail) -> str:
    return (
        f"task {detail.task_id}: {detail.total_target:,} targets, {detail.total_sent:,} sent, "
        f"{detail.total_received:,} received"
    )


async def _query(args: argparse.Namespace) -> int:
    task_ids: list[int] = list(dict.fromkeys(args.task_ids))

    async def seed(emu: Emulator, client: LanyingClient) -> None:
        # Loads the emulator: only ever imported for --emulator.
        from lanying_async.cli.rehearsal import add_push_tasks

        add_push_tasks(emu, task_ids, REHEARSAL_REACH)

    async with connect(args, seed) as client:
        details = await client.push.task_details(task_ids)
    found = {detail.task_id: detail for detail in details}
    for task_id in task_ids:
        detail = found.get(task_id)
        if detail is None:
            sys.stderr.write(f"task {task_id}: not found\n")
        elif args.json:
            print(msgspec.json.encode(detail).decode())
        else:
            print(_line(detail))
    return EXIT_OK if len(found) == len(task_ids) else EXIT_FAILURES


def _run(args: argparse.Namespace) -> int:
    return event_loop.run(_query(args))


PUSH_TASK = Command(
    "task",
    "show how many devices push tasks targeted, reached and were delivered to",
    _configure,
    _run,
    epilog="example:\n  lanying push task 100000001 100000002 --json",
)
