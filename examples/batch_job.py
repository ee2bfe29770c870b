"""A batch job with lanying-async: import users, invite them into a group, push to them.

    python examples/batch_job.py [users.csv] [--report failures.jsonl]

``users.csv`` has a header row with ``username`` and ``password`` columns;
without it the job makes up 2,000 users (plus one the server refuses, to show
the report). The first imported user creates the group and invites the rest.
Each phase prints a progress line as its chunks complete; every user that did
not make it through a phase goes to the JSON-lines failure report, and the
exit status is 1 when there is any.

Runs against your app when LANYING_API_ENDPOINT, LANYING_APP_ID and
LANYING_ACCESS_TOKEN are set, and against the embedded emulator otherwise.
The ``lanying users import``, ``lanying groups invite`` and ``lanying push
send`` commands do the same from the shell.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import sys
import time
import uuid
from collections.abc import Hashable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any, TextIO

from lanying_async import (
    Audience,
    BulkJob,
    BulkReport,
    GroupType,
    LanyingClient,
    PushMessage,
)
from lanying_async.testing import Emulator

SAMPLE_USERS = 2_000


def load_users(path: Path | None) -> list[tuple[str, str]]:
    """``(username, password)`` pairs from a CSV file, or a made-up batch."""
    if path is None:
        batch = uuid.uuid4().hex[:6]
        users = [(f"batch_{batch}_{i:05d}", f"pw-{uuid.uuid4().hex}") for i in range(SAMPLE_USERS)]
        users.append(("12345", "pw"))  # all digits: refused, and reported
        return users
    with path.open(newline="", encoding="utf-8-sig") as rows:
        return [(row["username"], row["password"]) for row in csv.DictReader(rows)]


async def run_phase(name: str, job: BulkJob[Any, Any], total: int) -> BulkReport[Any]:
    """Run one bulk job, printing a progress line each time a second has passed."""
    started = last = time.monotonic()
    async with job.stream() as outcomes:
        async for _ in outcomes:
            now = time.monotonic()
            if now - last >= 1.0:
                last = now
                report = job.report
                print(f"  {name}: {report.total:,}/{total:,}, {report.failed_count:,} failed")
    report = job.report
    elapsed = time.monotonic() - started
    print(
        f"{name}: {report.succeeded_count:,} succeeded, {report.failed_count:,} failed, "
        f"{len(report.outcome_unknown):,} unknown, in {elapsed:.2f}s ({report.requests} requests)"
    )
    return report


def write_failures(out: TextIO, phase: str, report: BulkReport[Hashable]) -> int:
    """One JSON line per user the phase did not get through; returns how many."""
    rows = [
        {"phase": phase, "item": item, "code": error.code, "reason": error.reason}
        for item, error in report.failed.items()
    ]
    rows += [
        {"phase": phase, "item": item, "code": None, "reason": "outcome unknown"}
        for item in [*report.outcome_unknown, *report.not_started]
    ]
    for row in rows:
        out.write(json.dumps(row) + "\n")
    return len(rows)


async def batch_job(client: LanyingClient, users: list[tuple[str, str]], out: TextIO) -> int:
    registered = await run_phase("register", client.users.bulk_register(users), len(users))
    failures = write_failures(out, "register", registered)
    user_ids = [registered.results[name] for name, _ in users if name in registered.results]
    if len(user_ids) < 2:
        print("fewer than two users registered: nothing to invite")
        return failures

    owner = client.as_user(user_ids[0])
    group = await owner.groups.create(name="announcements", type=GroupType.CHATROOM)
    print(f"created group {group.group_id}, owned by user {user_ids[0]}")
    members = user_ids[1:]
    invited = await run_phase("invite", owner.groups.invite(group.group_id, members), len(members))
    failures += write_failures(out, "invite", invited)

    welcome = PushMessage(title="Welcome", body="You have joined the announcements group")
    pushed = await run_phase(
        "push", client.push.notify(Audience.user_ids(invited.succeeded), welcome), len(members)
    )
    failures += write_failures(out, "push", pushed)
    print(f"push tasks: {', '.join(map(str, pushed.values))}")
    return failures


async def run(users: list[tuple[str, str]], out: TextIO) -> int:
    """The job against your app (LANYING_* set) or the embedded emulator; returns failures."""
    async with AsyncExitStack() as stack:
        if os.environ.get("LANYING_API_ENDPOINT"):
            client = await stack.enter_async_context(LanyingClient())
        else:
            emu = await stack.enter_async_context(Emulator())
            print(f"no LANYING_API_ENDPOINT set: using the embedded emulator at {emu.url}")
            client = await stack.enter_async_context(emu.client())
        return await batch_job(client, users, out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("users", nargs="?", type=Path, help="CSV with username,password")
    parser.add_argument("--report", type=Path, default=Path("failures.jsonl"))
    args = parser.parse_args()
    users = load_users(args.users)
    with args.report.open("w", encoding="utf-8") as out:
        failures = asyncio.run(run(users, out))
    print(f"users that did not get through every phase: {failures:,} (see {args.report})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
