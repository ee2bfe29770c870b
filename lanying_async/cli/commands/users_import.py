"""``lanying users import``: register users from CSV or JSONL, then set their profiles."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import ExitStack
from typing import TextIO

import anyio.to_thread

from lanying_async.bulk.report import BulkReport
from lanying_async.cli.command import Command
from lanying_async.cli.connect import connect
from lanying_async.cli.export import open_output
from lanying_async.cli.inputs import count_records, open_input, pulled
from lanying_async.cli.jobs import run_bulk, run_with_report
from lanying_async.cli.options import add_connection_options, add_job_options, bulk_options
from lanying_async.cli.reports import FailureLedger, summary
from lanying_async.cli.user_rows import (
    PROFILE_FIELDS,
    NewUser,
    UserFormat,
    count_users,
    read_users,
    user_format,
)
from lanying_async.client import LanyingClient
from lanying_async.models.users import ProfileUpdate

__all__ = ["IMPORT_USERS"]


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file",
        metavar="FILE",
        help="CSV with a header row, or JSON lines (- for stdin)",
    )
    parser.add_argument(
        "--format",
        choices=("csv", "jsonl"),
        help="the input format (default: from the file name, else CSV)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help='write each new user as {"username": ..., "user_id": ...} JSON lines',
    )
    add_job_options(parser)
    add_connection_options(parser)


def _credentials(
    users: Iterator[NewUser], profiles: dict[str, dict[str, str]]
) -> Iterator[tuple[str, str]]:
    """``(username, password)`` pairs; profile fields are kept aside for the second phase."""
    for user in users:
        if user.profile:
            profiles.setdefault(user.username, user.profile)  # a repeated row is skipped
        yield user.username, user.password


def _write_new_users(out: TextIO, new_ids: dict[str, int]) -> None:
    for username, user_id in new_ids.items():
        out.write(json.dumps({"username": username, "user_id": user_id}) + "\n")
    out.flush()


async def _set_profiles(
    client: LanyingClient,
    registered: BulkReport[str],
    profiles: dict[str, dict[str, str]],
    args: argparse.Namespace,
    ledger: FailureLedger,
) -> None:
    names: dict[int, str] = {}
    updates: list[ProfileUpdate] = []
    for username, fields in profiles.items():
        user_id = registered.results.get(username)
        if user_id is None:  # not registered: already reported
            continue
        names[user_id] = username
        updates.append(
            ProfileUpdate(
                user_id=user_id,
                nick_name=fields.get("nick_name"),
                description=fields.get("description"),
                public_info=fields.get("public_info"),
                private_info=fields.get("private_info"),
            )
        )
    if not updates:
        return
    job = client.users.bulk_update_profiles(updates, options=bulk_options(args))
    ledger.track(job.report, name=names.get, context="registered, but profile not set: ")
    report = await run_bulk(job, "profiles", len(updates), args, ledger, reads_input=False)
    print(summary("profiles set", report), flush=True)


def _run(args: argparse.Namespace) -> int:
    fmt: UserFormat = user_format(args.file, args.format)
    with ExitStack() as files:
        stream = files.enter_context(open_input(args.file))
        out = files.enter_context(open_output(args.output)) if args.output else None
        total = count_records(stream, lambda s: count_users(s, fmt))

        async def work(ledger: FailureLedger) -> None:
            profiles: dict[str, dict[str, str]] = {}
            users = read_users(stream, fmt, ledger)
            credentials = pulled(_credentials(users, profiles))
            async with connect(args) as client:
                job = client.users.bulk_register(credentials, options=bulk_options(args))
                ledger.track(job.report)
                registered = await run_bulk(job, "register", total, args, ledger)
                print(summary("registered", registered, len(ledger.invalid)), flush=True)
                if out is not None:
                    await anyio.to_thread.run_sync(_write_new_users, out, registered.results)
                await _set_profiles(client, registered, profiles, args, ledger)

        return run_with_report(args, work)


IMPORT_USERS = Command(
    "import",
    "register users from CSV or JSON lines, and set the profile fields given",
    _configure,
    _run,
    description="Register every user of the file in batches, then set the profile fields "
    f"the file gives ({', '.join(PROFILE_FIELDS)}). Taken or invalid usernames are "
    "reported, the others go on. Passwords never appear in the output or the report.",
    epilog="""CSV example (header row required):
  username,password,nickname
  alice_01,s3cret,Alice

examples:
  lanying users import staff.csv --report import_failures.jsonl -o new_users.jsonl
  lanying groups invite 2306414607729 new_users.jsonl --as-user 2199040544848
""",
)
