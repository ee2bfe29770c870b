"""Errors raised by bulk jobs; each carries the (partial) report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lanying_async.errors import LanyingError

if TYPE_CHECKING:
    from lanying_async.bulk.report import BulkReport

__all__ = ["BulkAbortedError", "BulkError"]


class BulkError(LanyingError):
    """A bulk job left items failed, unknown or not started (see ``report``)."""

    def __init__(self, report: BulkReport[Any], message: str | None = None) -> None:
        self.report = report
        super().__init__(message or f"bulk job incomplete: {report!r}")


class BulkAbortedError(BulkError):
    """``fail_fast`` stopped the job after a chunk failed as a whole (``__cause__``)."""
