"""Durable bulk jobs: a job's chunks, leased by workers, recorded in a store.

A job outlives the process that submitted it: its chunk plan is fixed once
and written to a store (:class:`~lanying_async.jobs.store.JobStore`), workers
take chunks by lease and record each chunk's outcome once, and a killed
worker's chunk is taken again with the same request ids, so the server drops
what already ran. See :mod:`lanying_async.jobs.model` for the data.
"""

from lanying_async.jobs.model import (
    OPERATIONS,
    ChunkRecord,
    FailedItem,
    JobSpec,
    JobState,
    JobStatus,
    Lease,
)
from lanying_async.jobs.store import JobNotFoundError, JobStore

__all__ = [
    "OPERATIONS",
    "ChunkRecord",
    "FailedItem",
    "JobNotFoundError",
    "JobSpec",
    "JobState",
    "JobStatus",
    "JobStore",
    "Lease",
]
