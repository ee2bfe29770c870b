"""Running a batch command: its event loop, its bulk jobs, their stops, its report and status.

A batch command's exit status is, in this order: 130 or 143 when SIGINT or
SIGTERM stopped it (see `lanying_async.cli.signals`); 2 when a job
stopped on an error every request would meet (a wrong token, an unknown
group, a server out of reach); 1 when some item did not succeed or was not
read (``--fail-fast`` stops included); else 0. Whatever stopped it, the
report and the outputs are written in full first, and a stop says why in
one line on stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Coroutine, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from lanying_async.bulk.engine import BulkJob
from lanying_async.bulk.errors import BulkAbortedError
from lanying_async.bulk.report import BulkReport, ChunkOutcome
from lanying_async.cli import event_loop
from lanying_async.cli.errors import EXIT_FAILURES, EXIT_OK, EXIT_USAGE, UsageError
from lanying_async.cli.feed import Feed
from lanying_async.cli.inputs import Keep, Record
from lanying_async.cli.output import say
from lanying_async.cli.progress import make_progress
from lanying_async.cli.reports import FailureLedger, item_count, unread_note
from lanying_async.cli.retry import RetryPlan, load_retry_plan
from lanying_async.cli.signals import Interrupts, Terminated

__all__ = ["BatchRun", "run_batch", "run_bulk"]

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


@dataclass(slots=True)
class BatchRun:
    """One run of a batch command: what did not succeed, the signals it got, why it stopped."""

    args: argparse.Namespace
    ledger: FailureLedger = field(default_factory=FailureLedger)
    interrupts: Interrupts = field(default_factory=Interrupts)
    plan: RetryPlan | None = None
    """What ``--retry-from`` asks for (None: the whole input)."""
    aborted: BulkAbortedError | None = None
    """The stop of a job on a chunk's error (job-wide, or ``--fail-fast``)."""
    sending: bool = False
    """Has the work begun (on the event loop, with the signal handlers in place)?"""

    @classmethod
    def prepare(cls, args: argparse.Namespace) -> BatchRun:
        """Read ``--retry-from`` and make sure ``--report`` can be written, before any request."""
        retry_from = getattr(args, "retry_from", None)
        run = cls(args, plan=load_retry_plan(retry_from) if retry_from else None)
        if args.report:
            _check_writable(Path(args.report))
        return run

    @contextmanager
    def until_sending(self) -> Iterator[None]:
        """The steps before any request (reading stdin, counting the input).

        Stopped there by SIGINT or SIGTERM, the command leaves a report that
        asks for everything it was to do: the earlier report it retries, or
        the whole input.
        """
        try:
            yield
        except (KeyboardInterrupt, Terminated):
            report = self.args.report
            if report and not self.sending:
                if self.plan is not None:
                    _write_text(Path(report), self.plan.source)
                else:
                    nothing = FailureLedger()
                    nothing.resume_at(1)
                    nothing.write(Path(report))
            raise

    @property
    def stopping(self) -> bool:
        """Should no further work start? (a signal, or a job stopped on an error)"""
        return self.interrupts.stopping or self.aborted is not None

    @property
    def keep(self) -> Keep | None:
        """The input filter of ``--retry-from`` (None: take everything)."""
        return None if self.plan is None else self.plan.wants

    def feed(self, records: Iterator[Record[T]]) -> Feed[T]:
        """The input as a job reads it: it ends early once a signal asks to stop."""
        return Feed(records, lambda: self.interrupts.stopping)

    def status(self) -> int:
        signalled = self.interrupts.status
        if signalled is not None:
            return signalled
        if self.aborted is not None and self.aborted.job_wide:
            return EXIT_USAGE
        return EXIT_FAILURES if self.ledger.count() else EXIT_OK


async def run_bulk(
    job: BulkJob[Any, K],
    label: str,
    total: int | None,
    run: BatchRun,
    *,
    reads_input: bool = True,
    on_outcome: Callable[[ChunkOutcome[K]], object] | None = None,
) -> BulkReport[K]:
    """Run ``job`` with a progress display; the caller tracks its report in ``run.ledger``.

    ``on_outcome`` sees each chunk as it completes (to write results as they
    come). A second signal stops waiting for the chunks in flight (leaving the
    stream stops the job). For the job that consumes the input
    (``reads_input``), unreadable input lines count as done and failed, so the
    display matches the input file.
    """
    progress = make_progress(label, total, run.args.progress)
    report = job.report
    ledger = run.ledger

    def refresh() -> None:
        invalid = len(ledger.invalid) if reads_input else 0
        failed = report.failed_count + len(report.outcome_unknown) + len(report.not_started)
        failed += invalid
        progress.update(report.total + invalid, failed)

    try:
        async with job.stream() as outcomes:
            with run.interrupts.waiting():
                async for outcome in outcomes:
                    if on_outcome is not None:
                        on_outcome(outcome)
                    refresh()
    except BulkAbortedError as stop:
        if run.aborted is None:
            run.aborted = stop
    finally:
        refresh()
        progress.finish()
    return report


def run_batch(run: BatchRun, work: Callable[[], Coroutine[Any, Any, None]]) -> int:
    """Run ``work`` on a new event loop, then write the failure report; returns the status.

    SIGINT and SIGTERM are handled on the loop (see `Interrupts`). The
    report is written even when the run is stopped or fails, from whatever
    the jobs had done by then.
    """
    return event_loop.run(_run(run, work), handles_signals=True)


async def _run(run: BatchRun, work: Callable[[], Coroutine[Any, Any, None]]) -> int:
    with run.interrupts.installed():
        run.sending = True
        try:
            await work()
        finally:
            _conclude(run)
        return run.status()


def _conclude(run: BatchRun) -> None:
    ledger, report = run.ledger, run.args.report
    note = unread_note(ledger)
    if note is not None:
        say(note)
    failures = ledger.count()
    if report:
        written = ledger.write(Path(report))
        if written:
            sys.stderr.write(f"{_did_not_succeed(ledger, written)}: see {report}\n")
    elif failures:
        sys.stderr.write(f"{_did_not_succeed(ledger, failures)}:\n")
        ledger.show(sys.stderr)
    if run.aborted is not None:
        sys.stderr.write(f"lanying: error: {_why(run.aborted)}\n")


def _check_writable(path: Path) -> None:
    # Opened to append: an earlier report (maybe the one --retry-from reads) stays as it is.
    try:
        with path.open("a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise UsageError(f"cannot write report {path}: {exc.strerror or exc}") from None


def _write_text(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write report {path}: {exc.strerror or exc}") from None


def _did_not_succeed(ledger: FailureLedger, rows: int) -> str:
    unread = ledger.resume_line
    items = rows - (unread is not None)
    parts = [f"{item_count(items)} did not succeed"] if items else []
    if unread is not None:
        parts.append(f"the input from line {unread} on was not read")
    return ", ".join(parts)


def _why(stop: BulkAbortedError) -> str:
    cause = " ".join(str(stop.__cause__ or stop).split())  # one line, whatever the server said
    if stop.job_wide:
        return f"stopped: every request would fail the same way: {cause}"
    return f"stopped after a request failed (--fail-fast): {cause}"
