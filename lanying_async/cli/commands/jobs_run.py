"""``lanying jobs run``: a batch command as a durable job, run in this process.

The job (its plan, and each chunk's outcome once done) is kept in a store, by default the SQLite
file ``./lanying-jobs.sqlite3``. The command prints ``job: ID`` on stderr before its first request;
killed at any point (even by SIGKILL), ``--resume ID`` with the same command line finishes that job:
chunks recorded are not sent again, and a chunk that was in flight is sent again by its operation's
rule ([`lanying_async.jobs.operations`][lanying_async.jobs.operations]), with the same request ids.
SIGINT or SIGTERM stops it as they stop a batch command: no new request, the requests in flight end,
the report is written, and the job waits for ``--resume``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from lanying_async import jobs
from lanying_async.bulk.errors import BulkAbortedError
from lanying_async.bulk.report import BulkReport
from lanying_async.cli.command import Command
from lanying_async.cli.commands.jobs_args import (
    JOB_COMMANDS,
    JobCommand,
    add_job_operations,
    job_arguments,
    job_options,
    read_job_input,
)
from lanying_async.cli.connect import connect, settings_from
from lanying_async.cli.errors import UsageError
from lanying_async.cli.export import open_output
from lanying_async.cli.jobs import BatchRun, run_batch
from lanying_async.cli.output import say
from lanying_async.cli.progress import make_progress
from lanying_async.cli.reports import summary
from lanying_async.client import LanyingClient
from lanying_async.jobs.runner import ChunkRun, ChunkStep

__all__ = ["JOBS_RUN", "add_store_option"]

_STORE_HELP = (
    "where the job is kept: sqlite:///PATH (a relative path; sqlite:////PATH for an "
    "absolute one), or redis://HOST:PORT/DB with the jobs extra "
    f"(default: {jobs.DEFAULT_STORE_URL})"
)


def add_store_option(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    parser.add_argument("--store", default=jobs.DEFAULT_STORE_URL, metavar="URL", help=_STORE_HELP)


def _extra(group: argparse.ArgumentParser) -> None:
    add_store_option(group)
    group.add_argument(
        "--resume",
        metavar="JOB_ID",
        help="finish the job this command printed as 'job: ID' (the input is not read again; "
        "give the same arguments)",
    )


class _Embedded:
    """One ``jobs run``: submit (or find) the job, run it here, report it."""

    def __init__(
        self,
        run: BatchRun,
        job: JobCommand,
        arguments: dict[str, Any],
        items: list[Any] | None,
    ) -> None:
        self.run = run
        self.args = run.args
        self.job = job
        self.arguments = arguments
        self.items = items

    async def work(self) -> None:
        store = await jobs.open_store(self.args.store)
        try:
            job_id = await self._job_id(store)
            sys.stderr.write(f"job: {job_id}\n")
            sys.stderr.flush()
            async with connect(self.args) as client:
                await self._run(store, client, job_id)
            report = await jobs.report(store, job_id)
            state = (await jobs.status(store, job_id)).state
        finally:
            await store.aclose()
        self._conclude(job_id, report, state)

    async def _job_id(self, store: jobs.JobStore) -> str:
        args = self.args
        if self.items is not None:
            return await jobs.submit(
                store, self.job.operation, self.items, self.arguments, job_options(args)
            )
        job_id: str = args.resume
        try:
            spec = await store.spec(job_id)
        except jobs.JobNotFoundError:
            raise UsageError(f"no job {job_id} in {args.store}") from None
        if spec.operation != self.job.operation:
            raise UsageError(f"job {job_id} is a {spec.operation} job, not {self.job.operation}")
        if spec.arguments != self.arguments:
            raise UsageError(
                f"job {job_id} was started with other arguments: give the same ones to resume it"
            )
        return job_id

    async def _run(self, store: jobs.JobStore, client: LanyingClient, job_id: str) -> None:
        run = self.run
        status = await jobs.status(store, job_id)
        progress = make_progress(self.job.label, status.total, self.args.progress)
        counts = [
            status.succeeded + status.failed + status.outcome_unknown,
            status.failed + status.outcome_unknown,
        ]

        def count(chunk: ChunkRun) -> None:
            record = chunk.record
            if chunk.step is ChunkStep.RECORDED and record is not None:
                counts[0] += len(record.items)
                counts[1] += len(record.items) - len(record.succeeded)
                progress.update(*counts)

        progress.update(*counts)
        try:
            with run.interrupts.waiting():
                await jobs.run(
                    store,
                    client,
                    job_id,
                    concurrency=self.args.concurrency,
                    on_chunk=count,
                    stopping=lambda: run.interrupts.stopping,
                )
        except BulkAbortedError as stop:
            run.aborted = stop
        finally:
            progress.finish()

    def _conclude(self, job_id: str, report: BulkReport[Any], state: jobs.JobState) -> None:
        run = self.run
        run.ledger.track(report)
        say(summary(self.job.verb(self.args), report, len(run.ledger.invalid)))
        if self.job.operation == "push":
            say(f"push tasks: {' '.join(str(task) for task in report.values) or 'none'}")
        output = getattr(self.args, "output", None)
        if output and report.results:
            with open_output(output) as out:
                for name, user_id in report.results.items():
                    out.write(json.dumps({"username": name, "user_id": user_id}) + "\n")
        if state is jobs.JobState.CANCELLED:
            sys.stderr.write(f"job {job_id} was cancelled: its chunks not done never started\n")
        elif state is not jobs.JobState.DONE:
            sys.stderr.write(
                f"job {job_id} is not finished: run the same command with --resume {job_id}\n"
            )


def _run(args: argparse.Namespace) -> int:
    job = JOB_COMMANDS[args.operation]
    arguments = job_arguments(args)
    job_options(args)  # refused now, before anything is read
    settings_from(args)  # and the connection settings, before a job is written
    if args.resume is not None and args.retry_from:
        raise UsageError("--retry-from picks the items of a new job: leave it out with --resume")
    run = BatchRun.prepare(args)
    items: list[Any] | None = None
    if args.resume is None:
        with run.until_sending():
            items = read_job_input(args, run, arguments)
    return run_batch(run, _Embedded(run, job, arguments, items).work)


JOBS_RUN = Command(
    "run",
    "run a batch command as a durable job in this process (resumable after a crash)",
    lambda parser: add_job_operations(parser, _extra),
    _run,
    description="Run push, send, invite, kick or register as a durable job: its plan and "
    "each chunk's outcome are kept in a store (a SQLite file by default), so a run killed "
    "at any point is finished by the same command with --resume JOB_ID, sending no chunk "
    "twice. Takes the arguments of the matching batch command.",
    epilog="""examples:
  lanying jobs run push vip_ids.txt --title "Sale" --body "Starts at noon" --report push.jsonl
  lanying jobs run push vip_ids.txt --title "Sale" --body "Starts at noon" --resume 3f2a...
  lanying jobs run invite 2306414607729 new_members.txt --as-user 2199040544848 \\
      --store sqlite:////var/lib/lanying/jobs.sqlite3
""",
)
