"""The five operations of ``lanying jobs run`` and ``lanying jobs submit``, in one place.

Each takes the arguments of its batch command (``push send``, ``messages
send``, ``groups invite``, ``groups kick``, ``users import``) and reads its
input the same way, plus the settings of a durable job. What differs:

- ``--rate-limit`` is the job's, shared by every worker that runs it;
- ``--chunk-size`` is fixed in the job's plan; ``--concurrency`` is this
  process's workers;
- ``--fail-fast`` and ``--emulator`` are refused: a durable job records every
  chunk whatever another did, and runs against a server that outlives it.

The whole input is read before the job is written: unreadable lines go to
the failure report of the command that submits it, as for a batch command,
and so do items the operation refuses (an id out of range, a bad username).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from lanying_async.cli.command import Command
from lanying_async.cli.commands.group_membership import INVITE, KICK
from lanying_async.cli.commands.messages_send import SEND
from lanying_async.cli.commands.push_send import KINDS, PUSH_SEND, push_message
from lanying_async.cli.commands.users_import import IMPORT_USERS
from lanying_async.cli.errors import UsageError
from lanying_async.cli.inputs import Keep, Record, parse_ids, parse_strings
from lanying_async.cli.jobs import BatchRun
from lanying_async.cli.options import positive_float, positive_int
from lanying_async.cli.reports import FailureLedger
from lanying_async.cli.text_input import open_input
from lanying_async.cli.user_rows import read_users, user_format
from lanying_async.errors import ValidationError
from lanying_async.jobs.operations import operation_named
from lanying_async.jobs.plan import JobOptions

__all__ = [
    "JOB_COMMANDS",
    "JobCommand",
    "add_job_operations",
    "job_arguments",
    "job_options",
    "read_job_input",
]

Read = Callable[[argparse.Namespace, Iterable[str], FailureLedger, "Keep | None"], Iterator[Any]]
"""Reads the input lines' records (bad lines to the ledger, only those ``keep`` takes)."""


@dataclass(frozen=True, slots=True)
class JobCommand:
    """One operation as the command line gives it."""

    operation: str
    """Its name in ``lanying_async.jobs.OPERATIONS``."""
    batch: Command
    """The batch command whose arguments it takes."""
    label: str
    """The progress label."""
    verb: Callable[[argparse.Namespace], str]
    """The start of the summary line."""
    arguments: Callable[[argparse.Namespace], dict[str, Any]]
    """The operation's arguments, from the flags."""
    read: Read
    """The input's records."""


def _push_arguments(args: argparse.Namespace) -> dict[str, Any]:
    to = "all" if args.to == "all" else KINDS[args.to]
    return {"to": to, "message": push_message(args)}


def _push_records(
    args: argparse.Namespace, lines: Iterable[str], ledger: FailureLedger, keep: Keep | None
) -> Iterator[Record[Any]]:
    if args.to == "all":
        return iter(())
    kind = KINDS[args.to]
    if kind == "user_id":
        return parse_ids(lines, kind, ledger, what="user id", keep=keep)
    return parse_strings(lines, kind, ledger, keep=keep)


def _send_arguments(args: argparse.Namespace) -> dict[str, Any]:
    arguments: dict[str, Any] = {"content": args.text, "target_type": 2 if args.groups else 1}
    if args.from_user is not None:
        arguments["from_user_id"] = args.from_user
    return arguments


def _send_records(
    args: argparse.Namespace, lines: Iterable[str], ledger: FailureLedger, keep: Keep | None
) -> Iterator[Record[int]]:
    key, what = ("group_id", "group id") if args.groups else ("user_id", "user id")
    return parse_ids(lines, key, ledger, what=what, keep=keep)


def _group_arguments(args: argparse.Namespace) -> dict[str, Any]:
    arguments: dict[str, Any] = {"group_id": args.group_id}
    if args.as_user is not None:
        arguments["as_user"] = args.as_user
    else:
        arguments["as_group_admin"] = True
    if getattr(args, "reason", None) is not None:
        arguments["reason"] = args.reason
    return arguments


def _user_ids(
    args: argparse.Namespace, lines: Iterable[str], ledger: FailureLedger, keep: Keep | None
) -> Iterator[Record[int]]:
    return parse_ids(lines, "user_id", ledger, what="user id", keep=keep)


def _user_rows(
    args: argparse.Namespace, lines: Iterable[str], ledger: FailureLedger, keep: Keep | None
) -> Iterator[Record[tuple[str, str, dict[str, str]]]]:
    for record in read_users(lines, user_format(args.file, args.format), ledger, keep):
        user = record.value
        yield Record(record.line, record.after, (user.username, user.password, user.profile))


def _nothing(args: argparse.Namespace) -> dict[str, Any]:
    return {}


JOB_COMMANDS: dict[str, JobCommand] = {
    job.operation: job
    for job in (
        JobCommand(
            "push", PUSH_SEND, "push", lambda args: "pushed", _push_arguments, _push_records
        ),
        JobCommand(
            "send",
            SEND,
            "send",
            lambda args: f"sent to {'groups' if args.groups else 'users'}",
            _send_arguments,
            _send_records,
        ),
        JobCommand(
            "invite",
            INVITE,
            "invite",
            lambda args: f"invited into group {args.group_id}",
            _group_arguments,
            _user_ids,
        ),
        JobCommand(
            "kick",
            KICK,
            "kick",
            lambda args: f"kicked from group {args.group_id}",
            _group_arguments,
            _user_ids,
        ),
        JobCommand(
            "register", IMPORT_USERS, "register", lambda args: "registered", _nothing, _user_rows
        ),
    )
}


_REFUSED = ("fail_fast", "emulator")


def add_job_operations(
    parser: argparse.ArgumentParser, extra: Callable[[argparse.ArgumentParser], None]
) -> None:
    """One subcommand per operation, each with its batch command's arguments, the job's
    settings and what ``extra`` adds (the store, ``--resume``...)."""
    operations = parser.add_subparsers(dest="operation", metavar="OPERATION", required=True)
    for name, job in JOB_COMMANDS.items():
        sub = operations.add_parser(
            name,
            help=f"as 'lanying {_batch_name(job)}'",
            description=job.batch.description or job.batch.help,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        job.batch.configure(sub)
        for action in sub._actions:  # taken for the batch command's sake, refused here
            if action.dest in _REFUSED:
                action.help = argparse.SUPPRESS
        group = sub.add_argument_group("durable job")
        extra(group)  # type: ignore[arg-type]  # an argument group takes arguments alike
        group.add_argument(
            "--max-attempts",
            type=positive_int,
            default=5,
            metavar="N",
            help="times a chunk is tried before its items are given up (default: 5)",
        )
        group.add_argument(
            "--lease-seconds",
            type=positive_float,
            default=60.0,
            metavar="S",
            help="how long a worker holds a chunk without renewing it; a chunk whose worker "
            "died waits that long (default: 60)",
        )
        if name == "send":
            group.add_argument(
                "--dedup-window",
                type=positive_float,
                default=300.0,
                metavar="S",
                help="how long after its first send a chunk may be sent again (the server "
                "drops a repeated message for a short while); older, its items are reported "
                "unknown (default: 300)",
            )
            group.add_argument(
                "--force-resend",
                action="store_true",
                help="send a chunk again even past --dedup-window (a user may get it twice)",
            )


def _batch_name(job: JobCommand) -> str:
    group = {"push": "push", "send": "messages", "register": "users"}.get(job.operation, "groups")
    return f"{group} {job.batch.name}"


def job_options(args: argparse.Namespace) -> JobOptions:
    """The job's settings the flags ask for."""
    return JobOptions(
        chunk_size=args.chunk_size,
        max_attempts=args.max_attempts,
        lease_seconds=args.lease_seconds,
        dedup_window=getattr(args, "dedup_window", 300.0),
        force_resend=getattr(args, "force_resend", False),
        rate_limit=args.rate_limit,
    )


def job_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """The operation's arguments from the flags, checked (``UsageError`` otherwise)."""
    if args.fail_fast:
        raise UsageError("--fail-fast is for batch commands: a durable job records every chunk")
    if args.emulator:
        raise UsageError(
            "--emulator is for batch commands: a durable job needs a server that outlives it"
        )
    job = JOB_COMMANDS[args.operation]
    try:
        return operation_named(job.operation).check_arguments(job.arguments(args))
    except ValidationError as exc:
        raise UsageError(str(exc)) from None


def read_job_input(args: argparse.Namespace, run: BatchRun, arguments: dict[str, Any]) -> list[Any]:
    """The items of the input, each checked by the operation; the others go to the report.

    Reads the whole input (``FILE``, or stdin) once, with ``--encoding`` and
    ``--retry-from`` as the batch commands do.
    """
    job = JOB_COMMANDS[args.operation]
    operation = operation_named(job.operation)
    if arguments.get("to") == "all":
        return []
    items: list[Any] = []
    with open_input(args.file, args.encoding) as text, text.lines() as lines:
        for record in job.read(args, lines, run.ledger, run.keep):
            try:
                operation.check_item(record.value, "item", arguments)
            except ValidationError as exc:
                shown = record.value[0] if job.operation == "register" else record.value
                run.ledger.reject(record.line, shown, exc.reason)
                continue
            items.append(record.value)
    return items
