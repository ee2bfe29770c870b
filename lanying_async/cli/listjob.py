"""The shape every "do X to each item of a list" command shares.

Invite, kick, push and send all read items (ids or names) from a file or
stdin, start one bulk job over them, show its progress and report what did
not succeed. A :class:`ListJob` says what differs: how to read an item, how
to start the job, how to seed a rehearsal and what to print at the end.
"""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from lanying_async.bulk.engine import BulkJob, Items
from lanying_async.bulk.report import BulkReport
from lanying_async.cli.connect import Seed, connect
from lanying_async.cli.inputs import count_records, open_input, pulled, records
from lanying_async.cli.jobs import run_bulk, run_with_report
from lanying_async.cli.reports import FailureLedger, summary
from lanying_async.client import LanyingClient

if TYPE_CHECKING:
    from lanying_async.testing import Emulator

__all__ = ["ListJob", "run_list_job"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ListJob(Generic[T]):
    """What one list command does with its items."""

    label: str
    """Progress label, e.g. ``invite``."""
    verb: str
    """Start of the summary line, e.g. ``invited into group 42``."""
    key: str
    """The column name of an item (``user_id``): a header line, or the field of a JSON line."""
    parse: Callable[[Iterable[str], FailureLedger], Iterator[T]] | None
    """Reads the items (None: the command takes no input)."""
    start: Callable[[LanyingClient, Items[T]], BulkJob[Any, Any]]
    seed: Callable[[Emulator, list[T]], None] | None = None
    """Puts the items' users or groups into the ``--emulator`` rehearsal."""
    conclude: Callable[[BulkReport[Any]], str] | None = None
    """An extra line after the summary (e.g. the push task ids)."""


def run_list_job(args: argparse.Namespace, spec: ListJob[T]) -> int:
    """Run ``spec`` over the items of ``args.file`` (or no input); returns the exit status."""
    if spec.parse is None:
        return run_with_report(args, lambda ledger: _work(args, spec, None, 1, ledger))
    parse = spec.parse
    with open_input(args.file) as stream:
        total = count_records(stream, lambda s: sum(1 for _ in records(s, spec.key)))
        return run_with_report(
            args, lambda ledger: _work(args, spec, pulled(parse(stream, ledger)), total, ledger)
        )


async def _work(
    args: argparse.Namespace,
    spec: ListJob[T],
    source: AsyncIterator[T] | None,
    total: int | None,
    ledger: FailureLedger,
) -> None:
    items: Items[T] = () if source is None else source
    seed: Seed | None = None
    if args.emulator and spec.seed is not None:
        # A rehearsal needs every item up front to seed them.
        listed = [] if source is None else [item async for item in source]
        items = iter(listed)
        add = spec.seed

        async def seed_listed(emu: Emulator, client: LanyingClient) -> None:
            add(emu, listed)

        seed = seed_listed
    async with connect(args, seed) as client:
        job = spec.start(client, items)
        ledger.track(job.report)
        report = await run_bulk(job, spec.label, total, args, ledger)
    print(summary(spec.verb, report, len(ledger.invalid)), flush=True)
    if spec.conclude is not None:
        print(spec.conclude(report), flush=True)
