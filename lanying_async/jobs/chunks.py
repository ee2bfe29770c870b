"""One chunk as an operation sees it while it runs, and the ids its requests carry.

A chunk's requests carry ids derived from where they belong: the job, the
chunk's index, the part (0 for the chunk's own request, then 1, 2... for the
parts of a chunk refused as a whole and split) and the items the part holds.
Every process that sends the chunk, on every attempt, gives the same request
the same id, so a server that de-duplicates drops what already ran. The items
are in the id too: the split of a chunk follows the server's answers, and a
part that holds other items on another attempt must not be taken for a repeat.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import msgspec

from lanying_async.errors import (
    HTTPStatusError,
    LanyingConnectionError,
    LanyingError,
    LanyingTimeoutError,
    LanyingTLSError,
    OutcomeUnknownError,
)
from lanying_async.jobs.model import ChunkRecord, FailedItem, JobSpec, Lease

if TYPE_CHECKING:
    from lanying_async.bulk.report import BulkReport
    from lanying_async.client import LanyingClient
    from lanying_async.jobs.store import JobStore

__all__ = [
    "ChunkStopped",
    "ChunkTask",
    "Sent",
    "chunk_record",
    "is_transient",
    "message_transaction_id",
    "push_request_id",
    "request_digest",
]

_encode = msgspec.json.Encoder().encode


def is_transient(error: LanyingError | None) -> bool:
    """Is this failure of a whole chunk one to run the chunk again for?

    A connection that failed or broke (not TLS: that fails the same way
    again), a timeout, HTTP 5xx and 429 (after the SDK's own retries), and a
    write whose answer was lost: the chunk runs again, its redelivery rule
    deciding what is sent.
    """
    if isinstance(error, LanyingTLSError):
        return False
    if isinstance(error, LanyingConnectionError | LanyingTimeoutError | OutcomeUnknownError):
        return True
    if isinstance(error, HTTPStatusError):
        return error.status == 429 or error.status >= 500
    return False


class ChunkStopped(Exception):
    """The chunk must not send another request: the job was cancelled or the lease lost."""


def request_digest(job_id: str, index: int, part: int, items: Sequence[Any]) -> bytes:
    """16 bytes naming one request of a job's chunk (the same in every process)."""
    text = _encode([job_id, index, part, list(items)])
    return hashlib.blake2b(text, digest_size=16).digest()


def push_request_id(job_id: str, index: int, part: int, items: Sequence[Any]) -> str:
    """The push ``setting.request_id`` of one request of a chunk."""
    return f"job-{job_id}-{index}-{part}-{request_digest(job_id, index, part, items).hex()[:12]}"


def message_transaction_id(job_id: str, index: int, part: int, items: Sequence[Any]) -> int:
    """The message ``transaction_id`` of one request of a chunk: a positive 63-bit int."""
    digest = request_digest(job_id, index, part, items)
    return (int.from_bytes(digest[:8], "big") >> 2) + 1


@dataclass(slots=True)
class Sent:
    """What one attempt at a chunk came to.

    ``record`` holds every item in one bucket; ``error`` is the failure of the
    chunk as a whole, if any (the runner decides whether it is transient and
    the chunk runs again, or stops the job); ``job_wide`` says the bulk
    engine took it for an error every chunk would meet.
    """

    record: ChunkRecord
    error: LanyingError | None = None
    job_wide: bool = False


@dataclass(slots=True)
class ChunkTask:
    """One attempt at one chunk: its items, its lease and the means to send."""

    client: LanyingClient
    store: JobStore
    spec: JobSpec
    job_id: str
    index: int
    items: list[Any]
    """The chunk's items as stored (register rows hold their password)."""
    lease: Lease
    turn: Callable[[], Awaitable[float]]
    """Await before each request: takes a turn of the job's shared rate limit and records that a
    request leaves; returns the chunk's first send time. Raises
    [`ChunkStopped`][lanying_async.jobs.chunks.ChunkStopped] once the job is cancelled or the lease
    lost."""
    clock: Callable[[], float]
    _parts: int = field(default=0, repr=False)

    @property
    def redelivered(self) -> bool:
        """Has an earlier attempt taken this chunk? (``attempt > 1`` or a send recorded)"""
        return self.lease.attempt > 1 or self.lease.first_sent_at is not None

    @property
    def may_have_left(self) -> bool:
        """Did an earlier attempt send a request for this chunk?"""
        return self.lease.first_sent_at is not None

    def next_part(self) -> int:
        """The number of the chunk's next request (0 first), in the order they are made."""
        part = self._parts
        self._parts += 1
        return part

    def push_request_id(self, items: list[Any]) -> str:
        return push_request_id(self.job_id, self.index, self.next_part(), items)

    def transaction_id(self, items: list[int]) -> int:
        return message_transaction_id(self.job_id, self.index, self.next_part(), items)


def chunk_record(
    keys: list[Any], report: BulkReport[Any], *, extra_requests: int = 0
) -> ChunkRecord:
    """A chunk's record from the report of the bulk job that ran it.

    Keys the report does not place (none, as the bulk engine reports every
    item it takes) are taken as not started.
    """
    failed = [FailedItem(key, error.code, error.reason) for key, error in report.failed.items()]
    placed: set[Hashable] = {f.item for f in failed}
    placed.update(report.succeeded, report.outcome_unknown, report.not_started)
    missing = [key for key in keys if key not in placed]
    results = {str(key): value for key, value in report.results.items()}
    return ChunkRecord(
        items=keys,
        succeeded=list(report.succeeded),
        failed=failed,
        outcome_unknown=list(report.outcome_unknown),
        not_started=[*report.not_started, *missing],
        values=list(report.values),
        results=results,
        requests=report.requests + extra_requests,
    )
