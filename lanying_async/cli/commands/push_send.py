"""``lanying push send``: one notification to many user ids, aliases, tags or push tokens."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from lanying_async.bulk.engine import BulkJob, Items
from lanying_async.bulk.report import BulkReport
from lanying_async.cli.command import Command
from lanying_async.cli.errors import UsageError
from lanying_async.cli.inputs import parse_ids, parse_strings
from lanying_async.cli.listjob import ListJob, Parse, run_list_job
from lanying_async.cli.options import (
    add_connection_options,
    add_input_argument,
    add_input_options,
    add_job_options,
    bulk_options,
)
from lanying_async.client import LanyingClient
from lanying_async.models.enums import PushMessageType
from lanying_async.models.push import Audience, PushMessage

if TYPE_CHECKING:
    from lanying_async.testing import Emulator

__all__ = ["KINDS", "PUSH_SEND", "push_message"]

KINDS = {"user-id": "user_id", "alias": "alias", "tag": "tag", "push-token": "push_token"}
"""``--to`` choices (besides ``all``) and the audience kind / input column of each."""
PLURALS = {"user-id": "user ids", "alias": "aliases", "tag": "tags", "push-token": "push tokens"}


def _configure(parser: argparse.ArgumentParser) -> None:
    add_input_argument(parser, "user ids, aliases, tags or push tokens (see --to)")
    parser.add_argument(
        "--to",
        choices=(*KINDS, "all"),
        default="user-id",
        help="what the input lists (default: user-id); 'all' pushes to every device, no input",
    )
    parser.add_argument("--title", help="notification title")
    parser.add_argument("--body", help="notification text")
    parser.add_argument(
        "--type",
        choices=[t.value for t in PushMessageType],
        default=None,
        help="text, image or cmd (silent pass-through); the server's default is text",
    )
    add_input_options(parser)
    add_job_options(parser)
    add_connection_options(parser)


def push_message(args: argparse.Namespace) -> PushMessage:
    """The notification --title, --body and --type describe (one of the first two at least)."""
    if not args.title and not args.body:
        raise UsageError("give the notification a --title, a --body or both")
    kind = PushMessageType(args.type) if args.type else None
    return PushMessage(type=kind, title=args.title, body=args.body)


def _parser(kind: str) -> Parse[Any]:
    if kind == "user_id":
        return lambda lines, ledger, keep: parse_ids(lines, kind, ledger, what="user id", keep=keep)
    return lambda lines, ledger, keep: parse_strings(lines, kind, ledger, keep=keep)


def _tasks(report: BulkReport[Any]) -> str:
    tasks = " ".join(str(task) for task in report.values) or "none"
    return f"push tasks: {tasks}"


def _seed_users(emu: Emulator, user_ids: list[Any]) -> None:
    # Loads the emulator: only ever imported for --emulator.
    from lanying_async.cli.rehearsal import add_users

    add_users(emu, [uid for uid in user_ids if isinstance(uid, int)])


def _run(args: argparse.Namespace) -> int:
    message = push_message(args)
    options = bulk_options(args)
    if args.to == "all":

        def start_all(client: LanyingClient, _: Items[Any]) -> BulkJob[Any, Any]:
            return client.push.notify(Audience.all(), message, options=options)

        spec: ListJob[Any] = ListJob(
            "push", "pushed to every device", "all", None, start_all, conclude=_tasks
        )
        return run_list_job(args, spec)

    kind = KINDS[args.to]

    def start(client: LanyingClient, values: Items[Any]) -> BulkJob[Any, Any]:
        audience = Audience(kind, values)  # type: ignore[arg-type]  # kind comes from KINDS
        return client.push.notify(audience, message, options=options)

    spec = ListJob(
        "push",
        f"pushed to {PLURALS[args.to]}",
        kind,
        _parser(kind),
        start,
        seed=_seed_users if kind == "user_id" else None,
        conclude=_tasks,
    )
    return run_list_job(args, spec)


PUSH_SEND = Command(
    "send",
    "push one notification to many user ids, aliases, tags or tokens (or everyone)",
    _configure,
    _run,
    description="Push one notification to every value listed, in requests of at most 500 "
    "values. Prints the push task ids (see 'lanying push task').",
    epilog="""examples:
  lanying push send vip_ids.txt --title "Sale" --body "Starts at noon" --report push.jsonl
  lanying push send beta_aliases.txt --to alias --body "New build available"
  lanying push send --to all --title "Maintenance tonight" --body "22:00-23:00"
""",
)
