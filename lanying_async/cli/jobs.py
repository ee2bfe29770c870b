"""Running a command: its event loop, its bulk jobs with progress, its report and exit status."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Coroutine, Hashable
from pathlib import Path
from typing import Any, TypeVar

from lanying_async.bulk.engine import BulkJob
from lanying_async.bulk.report import BulkReport
from lanying_async.cli import event_loop
from lanying_async.cli.errors import EXIT_FAILURES, EXIT_OK
from lanying_async.cli.progress import make_progress
from lanying_async.cli.reports import FailureLedger, item_count

__all__ = ["run_bulk", "run_with_report"]

K = TypeVar("K", bound=Hashable)


async def run_bulk(
    job: BulkJob[Any, K],
    label: str,
    total: int | None,
    args: argparse.Namespace,
    ledger: FailureLedger,
    *,
    reads_input: bool = True,
) -> BulkReport[K]:
    """Run ``job`` with a progress display (the caller tracks its report in ``ledger``).

    For the job that consumes the input (``reads_input``), unreadable input
    lines count as done and failed, so the display matches the input file.
    """
    progress = make_progress(label, total, args.progress)
    report = job.report

    def refresh() -> None:
        invalid = len(ledger.invalid) if reads_input else 0
        failed = report.failed_count + len(report.outcome_unknown) + len(report.not_started)
        failed += invalid
        progress.update(report.total + invalid, failed)

    try:
        async with job.stream() as outcomes:
            async for _ in outcomes:
                refresh()
    finally:
        refresh()
        progress.finish()
    return report


def run_with_report(
    args: argparse.Namespace,
    work: Callable[[FailureLedger], Coroutine[Any, Any, None]],
) -> int:
    """Run ``work`` on a new event loop, then write the failure report and pick the status.

    The report is written even when the run is interrupted or fails, from
    whatever the jobs had done by then.
    """
    ledger = FailureLedger()
    if args.report:  # refuse an unwritable report before anything is sent
        ledger.write(Path(args.report))
    try:
        event_loop.run(work(ledger))
    finally:
        failures = ledger.count()
        if args.report:
            written = ledger.write(Path(args.report))
            if written:
                sys.stderr.write(f"{item_count(written)} did not succeed: see {args.report}\n")
        elif failures:
            sys.stderr.write(f"{item_count(failures)} did not succeed:\n")
            ledger.show(sys.stderr)
    return EXIT_FAILURES if failures else EXIT_OK
