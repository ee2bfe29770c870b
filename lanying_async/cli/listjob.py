"""The shape every "do X to each item of a list" command shares.

Invite, kick, push and send all read items (ids or names) from a file or
stdin, start one bulk job over them, show its progress and report what did
not succeed. A `ListJob` says what differs: how to read an item, how
to start the job, how to seed a rehearsal and what to print at the end.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from lanying_async.bulk.engine import BulkJob, Items
from lanying_async.bulk.report import BulkReport
from lanying_async.cli.connect import Seed, connect
from lanying_async.cli.feed import Feed
from lanying_async.cli.inputs import Keep, Record
from lanying_async.cli.jobs import BatchRun, run_batch, run_bulk
from lanying_async.cli.output import say
from lanying_async.cli.reports import FailureLedger, summary
from lanying_async.cli.text_input import open_input
from lanying_async.client import LanyingClient

if TYPE_CHECKING:
    from lanying_async.testing import Emulator

__all__ = ["ListJob", "Parse", "run_list_job"]

T = TypeVar("T")

Parse = Callable[[Iterable[str], FailureLedger, "Keep | None"], Iterator[Record[T]]]
"""Reads the items of input lines: bad lines to the ledger, only those ``keep`` takes."""


@dataclass(frozen=True, slots=True)
class ListJob(Generic[T]):
    """What one list command does with its items."""

    label: str
    """Progress label, e.g. ``invite``."""
    verb: str
    """Start of the summary line, e.g. ``invited into group 42``."""
    key: str
    """The column name of an item (``user_id``): a header line, or the field of a JSON line."""
    parse: Parse[T] | None
    """Reads the items (None: the command takes no input)."""
    start: Callable[[LanyingClient, Items[T]], BulkJob[Any, Any]]
    seed: Callable[[Emulator, list[T]], None] | None = None
    """Puts the items' users or groups into the ``--emulator`` rehearsal."""
    conclude: Callable[[BulkReport[Any]], str] | None = None
    """An extra line after the summary (e.g. the push task ids)."""


def _count(parse: Parse[T], lines: Iterator[str], keep: Keep | None) -> int:
    """Items and unreadable lines the job will meet (the total of its progress)."""
    ledger = FailureLedger()
    return sum(1 for _ in parse(lines, ledger, keep)) + len(ledger.invalid)


def run_list_job(args: argparse.Namespace, spec: ListJob[T]) -> int:
    """Run ``spec`` over the items of ``args.file`` (or no input); returns the exit status.

    The whole input is read once first, to count it and check its encoding:
    a problem there stops the command before it sends anything.
    """
    run = BatchRun.prepare(args)
    parse = spec.parse
    if parse is None:
        return run_batch(run, lambda: _work(run, spec, None, 1))
    with run.until_sending(), open_input(args.file, args.encoding) as text:
        total = text.count(lambda lines: _count(parse, lines, run.keep))
        with text.lines() as lines:
            feed = run.feed(parse(lines, run.ledger, run.keep))
            return run_batch(run, lambda: _work(run, spec, feed, total))


def _values(feed: Feed[T]) -> Iterator[T]:
    for record in feed:
        yield record.value


async def _work(run: BatchRun, spec: ListJob[T], feed: Feed[T] | None, total: int) -> None:
    seed: Seed | None = None
    if feed is not None and run.args.emulator and spec.seed is not None:
        # A rehearsal needs every item up front to seed them.
        listed = list(feed)
        feed = run.feed(iter(listed))
        values = [record.value for record in listed]
        add = spec.seed

        async def seed_listed(emu: Emulator, client: LanyingClient) -> None:
            add(emu, values)

        seed = seed_listed
    async with connect(run.args, seed) as client:
        job = spec.start(client, () if feed is None else _values(feed))
        run.ledger.track(job.report)
        report = await run_bulk(job, spec.label, total, run)
    if feed is not None:
        feed.account_unread(run.ledger, run.plan)
    say(summary(spec.verb, report, len(run.ledger.invalid)))
    if spec.conclude is not None:
        say(spec.conclude(report))
