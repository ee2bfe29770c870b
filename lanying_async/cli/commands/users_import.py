"""``lanying users import``: register users from CSV or JSONL, then set their profiles."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import ExitStack
from typing import TextIO

from lanying_async.bulk.report import BulkReport, ChunkOutcome
from lanying_async.cli.command import Command
from lanying_async.cli.connect import connect
from lanying_async.cli.export import open_output
from lanying_async.cli.feed import Feed, ListFeed
from lanying_async.cli.inputs import Keep
from lanying_async.cli.jobs import BatchRun, run_batch, run_bulk
from lanying_async.cli.options import (
    add_connection_options,
    add_input_options,
    add_job_options,
    bulk_options,
)
from lanying_async.cli.output import say
from lanying_async.cli.reports import summary
from lanying_async.cli.retry import PROFILE_PHASE
from lanying_async.cli.text_input import open_input
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

_PROFILE_NOT_SET = "registered, but profile not set: "


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
        help='write each new user as {"username": ..., "user_id": ...} JSON lines, '
        "as they are registered",
    )
    add_input_options(parser)
    add_job_options(parser)
    add_connection_options(parser)


def _username(user: NewUser) -> str:
    return user.username


class _Import:
    """One import: registrations from the feed, then the profiles of those registered."""

    def __init__(self, run: BatchRun, feed: Feed[NewUser], out: TextIO | None, total: int) -> None:
        self.run = run
        self.feed = feed
        self.out = out
        self.total = total
        self.lines: dict[str, int] = {}
        """Username -> the line of its row, for the report (and a retry)."""
        self.profiles: dict[str, dict[str, str]] = {}
        self.registered_before: dict[str, int] = {}
        """Username -> user id of users a retry only sets the profile of."""

    def credentials(self) -> Iterator[tuple[str, str]]:
        """``(username, password)`` pairs; profile fields are kept aside for the second phase."""
        plan = self.run.plan
        profile_only = {} if plan is None else plan.profile_only
        for record in self.feed:
            user = record.value
            self.lines.setdefault(user.username, record.line)
            if user.profile:
                self.profiles.setdefault(user.username, user.profile)  # a repeat is skipped
            user_id = profile_only.get(record.line)
            if user_id is not None:
                self.registered_before.setdefault(user.username, user_id)
                continue
            yield user.username, user.password

    def line_of(self, username: object) -> dict[str, object]:
        return {"line": self.lines.get(username) if isinstance(username, str) else None}

    def write_new_users(self, outcome: ChunkOutcome[str]) -> None:
        """Append the users a chunk registered to ``-o`` at once (an interrupt loses none)."""
        if self.out is None or not outcome.results:
            return
        self.out.write(
            "".join(
                json.dumps({"username": name, "user_id": user_id}) + "\n"
                for name, user_id in outcome.results.items()
            )
        )
        self.out.flush()

    async def work(self) -> None:
        run = self.run
        async with connect(run.args) as client:
            job = client.users.bulk_register(self.credentials(), options=bulk_options(run.args))
            run.ledger.track(job.report, details=self.line_of)
            registered = await run_bulk(
                job, "register", self.total, run, on_outcome=self.write_new_users
            )
            self.feed.account_unread(run.ledger, run.plan, name=_username)
            say(summary("registered", registered, len(run.ledger.invalid)))
            await self.set_profiles(client, registered)

    async def set_profiles(self, client: LanyingClient, registered: BulkReport[str]) -> None:
        user_ids = {**registered.results, **self.registered_before}
        names: dict[int, str] = {}
        updates: list[ProfileUpdate] = []
        for username, fields in self.profiles.items():
            user_id = user_ids.get(username)
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

        def details(user_id: object) -> dict[str, object]:
            name = names.get(user_id) if isinstance(user_id, int) else None
            return {**self.line_of(name), "user_id": user_id, "phase": PROFILE_PHASE}

        run = self.run
        handed = ListFeed(updates, lambda: run.stopping)
        if run.stopping:  # stopped while registering: the profiles wait for a retry
            report: BulkReport[int] = BulkReport()
            run.ledger.track(report, name=names.get, context=_PROFILE_NOT_SET, details=details)
        else:
            job = client.users.bulk_update_profiles(handed, options=bulk_options(run.args))
            report = job.report
            run.ledger.track(report, name=names.get, context=_PROFILE_NOT_SET, details=details)
            await run_bulk(job, "profiles", len(updates), run, reads_input=False)
        # What a stop left unsent was never read by the job: it is not started all the same.
        report.not_started.extend(update.user_id for update in handed.rest())
        say(summary("profiles set", report))


def _registering(run: BatchRun) -> Keep:
    """The rows to register (for the progress total): a retry's profile rows are not."""
    keep, plan = run.keep, run.plan
    profile_only = {} if plan is None else plan.profile_only

    def registers(line: int, username: object) -> bool:
        return line not in profile_only and (keep is None or keep(line, username))

    return registers


def _run(args: argparse.Namespace) -> int:
    fmt: UserFormat = user_format(args.file, args.format)
    run = BatchRun.prepare(args)
    with run.until_sending(), ExitStack() as files:
        text = files.enter_context(open_input(args.file, args.encoding))
        total = text.count(lambda lines: count_users(lines, fmt, _registering(run)))
        lines = files.enter_context(text.lines())
        users = run.feed(read_users(lines, fmt, run.ledger, run.keep))
        out = files.enter_context(open_output(args.output)) if args.output else None
        return run_batch(run, _Import(run, users, out, total).work)


IMPORT_USERS = Command(
    "import",
    "register users from CSV or JSON lines, and set the profile fields given",
    _configure,
    _run,
    description="Register every user of the file in batches, then set the profile fields "
    f"the file gives ({', '.join(PROFILE_FIELDS)}). Taken or invalid usernames are "
    "reported, the others go on. Passwords never appear in the output or the report: "
    "to retry, give the same file (fixed in place) and --retry-from REPORT.",
    epilog="""CSV example (header row required):
  username,password,nickname
  alice_01,s3cret,Alice

examples:
  lanying users import staff.csv --report import_failures.jsonl -o new_users.jsonl
  lanying users import staff.csv --retry-from import_failures.jsonl --report again.jsonl \\
      -o more_users.jsonl
  lanying groups invite 2306414607729 new_users.jsonl --as-user 2199040544848
""",
)
