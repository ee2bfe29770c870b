"""``lanying jobs status|report|cancel JOB_ID --store URL``: watching and stopping a job.

They read and change the store only (no API settings needed), whichever
runs the job: ``lanying jobs run`` here, or workers elsewhere.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import msgspec

from lanying_async import jobs
from lanying_async.cli import event_loop
from lanying_async.cli.command import Command
from lanying_async.cli.commands.jobs_run import add_store_option
from lanying_async.cli.errors import EXIT_FAILURES, EXIT_OK, UsageError
from lanying_async.cli.output import say
from lanying_async.cli.reports import FailureLedger, summary

__all__ = ["JOBS_CANCEL", "JOBS_REPORT", "JOBS_STATUS", "describe_status"]

T = TypeVar("T")


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("job_id", metavar="JOB_ID", help="the job's id (printed when it started)")
    add_store_option(parser)


def _on_job(args: argparse.Namespace, step: Callable[[jobs.JobStore], Awaitable[T]]) -> T:
    """Run ``step`` on the store of ``--store``; an unknown job is a usage error."""

    async def main() -> T:
        store = await jobs.open_store(args.store)
        try:
            return await step(store)
        except jobs.JobNotFoundError:
            raise UsageError(f"no job {args.job_id} in {args.store}") from None
        finally:
            await store.aclose()

    return event_loop.run(main())


def describe_status(status: jobs.JobStatus) -> str:
    """``job ID: running, 12/40 chunks done; 5,400 succeeded, ... (of 20,000)``."""
    counts = (
        f"{status.succeeded:,} succeeded, {status.failed:,} failed, "
        f"{status.outcome_unknown:,} unknown, {status.not_started:,} not started"
    )
    return (
        f"job {status.job_id}: {status.state.value}, "
        f"{status.chunks_done:,}/{status.chunks_total:,} chunks done; "
        f"{counts} (of {status.total:,})"
    )


def _status(args: argparse.Namespace) -> int:
    status = _on_job(args, lambda store: jobs.status(store, args.job_id))
    if args.json:
        say(json.dumps(msgspec.to_builtins(status)))
    else:
        say(describe_status(status))
    return EXIT_OK


def _configure_status(parser: argparse.ArgumentParser) -> None:
    _configure(parser)
    parser.add_argument(
        "--json",
        action="store_true",
        help="one JSON object: state, total, succeeded, failed, outcome_unknown, not_started, "
        "chunks_done, chunks_total",
    )


def _report(args: argparse.Namespace) -> int:
    report = _on_job(args, lambda store: jobs.report(store, args.job_id))
    ledger = FailureLedger()
    ledger.track(report)
    if args.output:
        ledger.write(Path(args.output))
    say(summary(f"job {args.job_id}", report))
    return EXIT_FAILURES if ledger.count() else EXIT_OK


def _configure_report(parser: argparse.ArgumentParser) -> None:
    _configure(parser)
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="write every item that did not succeed to PATH, as JSON lines (the format of "
        "--report; give it to --retry-from)",
    )


def _cancel(args: argparse.Namespace) -> int:
    status = _on_job(args, lambda store: jobs.cancel(store, args.job_id))
    say(describe_status(status))
    return EXIT_OK


JOBS_STATUS = Command(
    "status",
    "a durable job's state and counts",
    _configure_status,
    _status,
    description="Show a job's state (queued, running, done or cancelled), its chunks done "
    "and how many of its items succeeded, failed, are unknown or not started.",
)
JOBS_REPORT = Command(
    "report",
    "the report of a durable job: every item that did not succeed",
    _configure_report,
    _report,
    description="Summarise a job's outcome and, with -o, write every item that did not "
    "succeed in the format of a batch command's --report. Exits with 1 when some did not.",
)
JOBS_CANCEL = Command(
    "cancel",
    "cancel a durable job: its workers start no further request",
    _configure,
    _cancel,
    description="Cancel a job: the chunks in flight finish and are recorded, the others' "
    "items end not started. A job already done stays done.",
)
