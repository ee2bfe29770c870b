"""What a durable job is made of: its spec, its chunks, a chunk's lease and its record.

A job is one operation over a fixed list of chunks. Submitting it writes the
spec and every chunk to a store once; from then on workers (any number, in
any process) take chunks by lease, run them and record what happened, and
the store alone says what is done. Everything here is plain data that
encodes to JSON (``msgspec``), so every store keeps it the same way.
"""

from __future__ import annotations

import enum
from typing import Any

import msgspec

__all__ = [
    "OPERATIONS",
    "ChunkRecord",
    "FailedItem",
    "JobSpec",
    "JobState",
    "JobStatus",
    "Lease",
]

OPERATIONS = ("push", "send", "invite", "kick", "register")
"""The operations a durable job can run, by the name the CLI and the store use."""


class JobState(str, enum.Enum):
    """Where a job stands. ``DONE`` and ``CANCELLED`` are final."""

    QUEUED = "queued"
    """Submitted; no chunk finished yet."""
    RUNNING = "running"
    """At least one chunk finished, some are left."""
    DONE = "done"
    """Every chunk finished (each item is in one bucket)."""
    CANCELLED = "cancelled"
    """Cancelled: chunks in flight finished, the others' items are ``not_started``."""


class JobSpec(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One operation and how to run it; fixed when the job is submitted.

    ``arguments`` are the operation's own (the message, the group, the acting
    user...), as JSON values. ``dedup_window`` (seconds) is how long the
    server is trusted to drop a repeated message ``transaction_id``: a message
    chunk first sent longer ago is not sent again on redelivery but reported
    outcome-unknown, unless ``force_resend``. ``rate_limit`` (requests per
    second) is shared by every worker of the job. ``skipped`` lists the
    repeats of earlier input items the plan left out (reported as skipped).
    """

    operation: str
    arguments: dict[str, Any]
    chunk_size: int
    max_attempts: int = 5
    """Attempts a chunk gets before it is given up (a poison chunk fails its items)."""
    lease_seconds: float = 60.0
    """How long a worker holds a chunk without renewing its lease."""
    dedup_window: float = 300.0
    force_resend: bool = False
    rate_limit: float | None = None
    skipped: list[Any] = msgspec.field(default_factory=list)


class Lease(msgspec.Struct, frozen=True):
    """A worker's hold on one chunk: only the holder of ``token`` may record it."""

    token: str
    expires_at: float
    """Wall-clock time (seconds since the epoch) the lease lapses unless renewed."""
    attempt: int
    """1 for the first time the chunk is taken, 2 for the next..."""
    first_sent_at: float | None = None
    """When a request for the chunk first left, by any attempt (None: never)."""


class FailedItem(msgspec.Struct, frozen=True, array_like=True):
    """An item that failed, with the business code (None otherwise) and the reason."""

    item: Any
    code: int | None
    reason: str


class ChunkRecord(msgspec.Struct, frozen=True):
    """What running one chunk came to: each of its items in exactly one bucket.

    ``items`` are the chunk's items as reported (for ``register``, the
    usernames: the stored rows, passwords included, are replaced by these once
    the chunk is recorded). ``values`` are the request results worth keeping
    (push task ids), ``results`` per-item values (a new user's id), and
    ``requests`` how many requests the chunk cost.
    """

    items: list[Any]
    succeeded: list[Any] = msgspec.field(default_factory=list)
    failed: list[FailedItem] = msgspec.field(default_factory=list)
    outcome_unknown: list[Any] = msgspec.field(default_factory=list)
    not_started: list[Any] = msgspec.field(default_factory=list)
    values: list[Any] = msgspec.field(default_factory=list)
    results: dict[str, Any] = msgspec.field(default_factory=dict)
    requests: int = 0


class JobStatus(msgspec.Struct, frozen=True):
    """A job's progress: counts per bucket and chunks finished."""

    job_id: str
    state: JobState
    total: int
    succeeded: int
    failed: int
    outcome_unknown: int
    not_started: int
    chunks_done: int
    chunks_total: int

    @classmethod
    def from_counts(
        cls,
        job_id: str,
        *,
        cancelled: bool,
        total: int,
        chunks_total: int,
        chunks_done: int,
        items_done: int,
        succeeded: int,
        failed: int,
        outcome_unknown: int,
        not_started: int,
    ) -> JobStatus:
        """The status of a job as a store counts it: `items_done` items are in the
        chunks recorded; the items of the other chunks count as not started."""
        if cancelled:
            state = JobState.CANCELLED
        elif chunks_done == chunks_total:
            state = JobState.DONE
        else:
            state = JobState.RUNNING if chunks_done else JobState.QUEUED
        return cls(
            job_id=job_id,
            state=state,
            total=total,
            succeeded=succeeded,
            failed=failed,
            outcome_unknown=outcome_unknown,
            not_started=not_started + total - items_done,
            chunks_done=chunks_done,
            chunks_total=chunks_total,
        )
