"""Handing a bulk job its input one item at a time, and knowing where the input stands.

A `Feed` is the plain iterator a job reads its items from. It reads
the input only when the job asks for the next item, on the event loop and
without waiting (the input is a regular file: stdin is copied to one first),
so a job's chunk is always filled in one step: once the command is told to
stop, the next item the job asks for is the end of the input, and no chunk
is sent half filled. What the job never asked for is "not read": after the
job, `Feed.account_unread()` puts it in the failure ledger, as the line
the unread rest starts at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from lanying_async.cli.inputs import Record
from lanying_async.cli.reports import FailureLedger
from lanying_async.cli.retry import RetryPlan

__all__ = ["Feed", "ListFeed"]

T = TypeVar("T")


def _same(value: object) -> object:
    return value


class Feed(Generic[T]):
    """The records of an input, one per ``next()``, until the input ends or ``stopping()``."""

    def __init__(self, records: Iterator[Record[T]], stopping: Callable[[], bool]) -> None:
        self._records = records
        self._stopping = stopping
        self.finished = False
        """Has the whole input been read?"""
        self.next_line = 1
        """The line after the last record handed out: where the unread rest starts."""

    def __iter__(self) -> Feed[T]:
        return self

    def __next__(self) -> Record[T]:
        if self.finished or self._stopping():
            raise StopIteration
        try:
            record = next(self._records)
        except StopIteration:
            self.finished = True
            raise
        self.next_line = record.after
        return record

    def account_unread(
        self,
        ledger: FailureLedger,
        plan: RetryPlan | None,
        name: Callable[[T], object] = _same,
    ) -> None:
        """Put in ``ledger`` what the job did not read (nothing when it read it all).

        Without a retry plan that is every line from `next_line` on. A
        retry wants only some items before the plan's own resume line: those
        are read now (nothing is sent) and listed one by one, so that feeding
        this report back retries them and nothing that succeeded before.
        """
        if self.finished:
            return
        limit = None if plan is None else plan.resume_line
        if plan is None or (limit is not None and self.next_line >= limit):
            ledger.resume_at(self.next_line)
            return
        for record in self._records:
            if limit is not None and record.line >= limit:
                ledger.resume_at(limit)
                # Lines the resume row covers are no rows of their own.
                ledger.invalid = [row for row in ledger.invalid if (row.line or 0) < limit]
                return
            ledger.not_read(record.line, name(record.value))
        self.finished = True


class ListFeed(Generic[T]):
    """A list handed to a job one item at a time, until ``stopping()``: the rest stays unsent."""

    def __init__(self, items: list[T], stopping: Callable[[], bool]) -> None:
        self._items = items
        self._stopping = stopping
        self._handed = 0

    def __iter__(self) -> ListFeed[T]:
        return self

    def __next__(self) -> T:
        if self._handed >= len(self._items) or self._stopping():
            raise StopIteration
        self._handed += 1
        return self._items[self._handed - 1]

    def rest(self) -> list[T]:
        """The items never handed out."""
        return self._items[self._handed :]
