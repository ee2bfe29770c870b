"""Every item that did not succeed, for the failure report and the exit status.

A `FailureLedger` collects invalid input lines as they are read and
the reports of the bulk jobs a command runs (live objects, so a job that is
interrupted still leaves its partial report). ``--report PATH`` writes one
JSON object per line:

```json
{"item": 2199040544848, "status": "failed", "code": 20017, "reason": "already a member"}
```

``status`` is ``failed`` (the server or the SDK refused the item),
``unknown`` (sent, but no answer came back: check before retrying),
``not_started`` (read, but never sent: the job stopped first), ``invalid``
(an input line that could not be read, with its ``line`` number) or
``not_read`` (the job stopped before reading it). A job that stops early
(an interrupt, ``--fail-fast``, an error every request would meet) ends its
report with one row for the rest of its input:

```json
{"item": null, "status": "not_read", "code": null, "reason": "...", "line": 4321}
```

Rows of ``users import`` also carry the ``line`` of each user. Give the report
back with ``--retry-from REPORT`` (and the same input) to retry exactly the
items it lists and the unread rest; see `lanying_async.cli.retry`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TextIO

from lanying_async.bulk.report import BulkReport
from lanying_async.cli.errors import UsageError

__all__ = [
    "NOT_READ",
    "Details",
    "FailureLedger",
    "FailureRow",
    "Status",
    "item_count",
    "summary",
    "unread_note",
]

Status = Literal["failed", "unknown", "not_started", "invalid", "not_read"]
NOT_READ: Status = "not_read"

_UNKNOWN = "sent, but no answer came back (connection lost or job interrupted); check it"
_NOT_STARTED = "not sent: the job stopped first"
_NOT_READ = "not read: the job stopped first"
SHOWN_ON_STDERR = 10
"""Failures listed on stderr when there is no report file."""

Details = Callable[[Any], Mapping[str, object]]
"""The extra fields of an item's row (its ``line``, a ``user_id``...)."""


@dataclass(frozen=True, slots=True)
class FailureRow:
    """One item that did not succeed."""

    item: object
    status: Status
    code: int | None
    reason: str
    line: int | None = None
    extra: Mapping[str, object] | None = None
    """More fields for the report (never a password)."""

    def to_json(self) -> str:
        row: dict[str, object] = {
            "item": self.item,
            "status": self.status,
            "code": self.code,
            "reason": self.reason,
        }
        if self.line is not None:
            row["line"] = self.line
        if self.extra:
            row.update(self.extra)
        return json.dumps(row, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class _Tracked:
    report: BulkReport[Any]
    name: Callable[[Any], object]
    context: str
    details: Details | None


def _same(item: object) -> object:
    return item


class FailureLedger:
    """The failures of one command run: invalid input, every tracked job, what was not read."""

    def __init__(self) -> None:
        self.invalid: list[FailureRow] = []
        self.unread: list[FailureRow] = []
        self.resume_line: int | None = None
        """The line the unread rest of the input starts at (None: read to the end)."""
        self._tracked: list[_Tracked] = []

    def reject(self, line: int, item: object, reason: str) -> None:
        """Record an input line that could not be read (``item``: what to show of it)."""
        self.invalid.append(FailureRow(item, "invalid", None, f"line {line}: {reason}", line))

    def not_read(self, line: int, item: object) -> None:
        """Record one item of the input that the job stopped before reading."""
        self.unread.append(FailureRow(item, NOT_READ, None, _NOT_READ, line))

    def resume_at(self, line: int) -> None:
        """Record that the job read nothing of its input from ``line`` on."""
        self.resume_line = line

    def track(
        self,
        report: BulkReport[Any],
        *,
        name: Callable[[Any], object] = _same,
        context: str = "",
        details: Details | None = None,
    ) -> None:
        """Include a job's report; ``name`` turns its keys into the items to show."""
        self._tracked.append(_Tracked(report, name, context, details))

    def rows(self) -> Iterator[FailureRow]:
        yield from self.invalid
        for tracked in self._tracked:
            report, prefix = tracked.report, tracked.context
            for key, error in report.failed.items():
                yield self._row(tracked, key, "failed", error.code, prefix + error.reason)
            for key in report.outcome_unknown:
                yield self._row(tracked, key, "unknown", None, prefix + _UNKNOWN)
            for key in report.not_started:
                yield self._row(tracked, key, "not_started", None, prefix + _NOT_STARTED)
        yield from self.unread
        if self.resume_line is not None:
            line = self.resume_line
            reason = f"the job stopped first: the input from line {line} on was not read"
            yield FailureRow(None, NOT_READ, None, reason, line)

    @staticmethod
    def _row(
        tracked: _Tracked, key: object, status: Status, code: int | None, reason: str
    ) -> FailureRow:
        if tracked.details is None:
            return FailureRow(tracked.name(key), status, code, reason)
        extra = dict(tracked.details(key))
        line = extra.pop("line", None)
        return FailureRow(
            tracked.name(key),
            status,
            code,
            reason,
            line if isinstance(line, int) else None,
            extra,
        )

    def count(self) -> int:
        """Rows of the report: items that did not succeed, and the unread rest as one."""
        return (
            len(self.invalid)
            + sum(
                t.report.failed_count + len(t.report.outcome_unknown) + len(t.report.not_started)
                for t in self._tracked
            )
            + len(self.unread)
            + (self.resume_line is not None)
        )

    def write(self, path: Path) -> int:
        """Write the report file (empty when all went well); returns the rows written."""
        written = 0
        try:
            with path.open("w", encoding="utf-8") as out:
                for row in self.rows():
                    out.write(row.to_json() + "\n")
                    written += 1
        except OSError as exc:
            raise UsageError(f"cannot write report {path}: {exc.strerror or exc}") from None
        return written

    def show(self, stream: TextIO, limit: int = SHOWN_ON_STDERR) -> None:
        """List the first failures on ``stream`` (for runs without a report file)."""
        for shown, row in enumerate(self.rows()):
            if shown == limit:
                more = self.count() - limit
                stream.write(f"  ... and {more:,} more (write them all with --report FILE)\n")
                break
            code = f" [{row.code}]" if row.code is not None else ""
            item = "" if row.item is None else f" {row.item}"
            stream.write(f"  {row.status}{item}{code}: {row.reason}\n")


def item_count(count: int) -> str:
    """``1 item``, ``2,000 items``."""
    return f"{count:,} item" if count == 1 else f"{count:,} items"


def summary(verb: str, report: BulkReport[Any], invalid: int = 0) -> str:
    """``invited: 98 succeeded, 2 failed, 1 skipped as repeats``: the counts that are not zero."""
    counts = [
        (report.succeeded_count, "succeeded"),
        (report.failed_count, "failed"),
        (len(report.outcome_unknown), "unknown"),
        (len(report.not_started), "not started"),
        (len(report.skipped), "skipped as repeats"),
        (invalid, "unreadable in the input"),
    ]
    shown = [f"{n:,} {what}" for n, what in counts if n or what == "succeeded"]
    if report.isolated:  # failures found by splitting a refused chunk
        extra = item_count(report.isolation_requests).replace("item", "extra request")
        shown.append(f"{len(report.isolated):,} of the failures isolated ({extra})")
    return f"{verb}: " + ", ".join(shown)


def unread_note(ledger: FailureLedger) -> str | None:
    """What a job that stopped early left unread, for its summary (None: nothing)."""
    parts: list[str] = []
    if ledger.unread:
        parts.append(f"{item_count(len(ledger.unread))} the retry named")
    if ledger.resume_line is not None:
        parts.append(f"the input from line {ledger.resume_line} on")
    if not parts:
        return None
    return "not read: " + " and ".join(parts)
