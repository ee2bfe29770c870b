"""Errors raised by bulk jobs; each carries the (partial) report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lanying_async.errors import LanyingError

if TYPE_CHECKING:
    from lanying_async.bulk.report import BulkReport

__all__ = ["BulkAbortedError", "BulkError"]


class BulkError(LanyingError):
    """A bulk job left items failed, unknown or not started (see `report`)."""

    def __init__(self, report: BulkReport[Any], message: str | None = None) -> None:
        self.report = report
        super().__init__(message or f"bulk job incomplete: {report!r}")


class BulkAbortedError(BulkError):
    """The job stopped early after a chunk failed as a whole (the error is `__cause__`).

    `job_wide` is True when that error is one no other chunk could escape
    (a wrong token, an unknown app, the job's group gone, the server out of
    reach: see [`lanying_async.bulk.stops`][lanying_async.bulk.stops]), False for a `fail_fast`
    stop. Chunks in flight finished first; the rest are `not_started`
    (or, for lazy input, unread: see `report.input_exhausted`).
    """

    def __init__(
        self, report: BulkReport[Any], message: str | None = None, *, job_wide: bool = False
    ) -> None:
        self.job_wide = job_wide
        super().__init__(report, message)
