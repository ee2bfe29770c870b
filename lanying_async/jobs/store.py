"""The job store: the one place that says which chunks of a job are done.

Workers share nothing but a store. A worker takes a chunk with a *lease*
(a random token and an expiry), renews it while its request runs, and records
the chunk's outcome only while the token still holds, in one atomic step that
also counts the outcome into the job's totals. A chunk recorded once is never
recorded again: a redelivered task for it finds it done and is dropped. A
worker that dies leaves a lease that lapses; the chunk can then be taken again
(its ``attempt`` grows, and ``first_sent_at`` keeps when a request for it first
left, which the operations need to decide whether sending again is safe).

Two stores implement this contract: [`sqlite_store`][lanying_async.jobs.sqlite_store] (one machine,
no server) and `redis_store` (many workers, with the ``jobs`` extra). The test suite runs one
contract test against both.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any, Protocol

from lanying_async.errors import LanyingError
from lanying_async.jobs.model import ChunkRecord, JobSpec, JobStatus, Lease

__all__ = ["JobNotFoundError", "JobStore", "JobStoreError", "JobStoreUnavailableError"]


class JobNotFoundError(LookupError):
    """No job has this id in the store."""


class JobStoreError(LanyingError):
    """The store's server failed a step; the message names the store, password left out."""


class JobStoreUnavailableError(JobStoreError, ConnectionError):
    """The store's server could not be reached, or refused the credentials."""


class JobStore(Protocol):
    """Every method is atomic on its own; times are wall-clock seconds since the epoch."""

    async def create_job(self, spec: JobSpec, chunks: Sequence[Sequence[Any]]) -> str:
        """Write a new job (spec and every chunk's items) and return its id."""
        ...

    async def spec(self, job_id: str) -> JobSpec:
        """The job's spec; raises
        [`JobNotFoundError`][lanying_async.jobs.store.JobNotFoundError]."""
        ...

    async def chunk_items(self, job_id: str, index: int) -> list[Any]:
        """The items chunk ``index`` was given (as recorded, once it is done)."""
        ...

    async def take_lease(
        self, job_id: str, index: int, token: str, seconds: float, now: float
    ) -> Lease | None:
        """Lease the chunk to ``token`` for ``seconds``, counting one more attempt.

        None when the chunk is done, the job is cancelled, or another token's
        lease is still live at ``now``: the caller must leave the chunk alone.
        """
        ...

    async def renew_lease(
        self, job_id: str, index: int, token: str, seconds: float, now: float
    ) -> bool:
        """Push the lease's expiry to ``now + seconds``; False when the token lost it."""
        ...

    async def mark_sent(self, job_id: str, index: int, token: str, now: float) -> float | None:
        """Record that a request for the chunk is about to leave (the first time only).

        Returns the chunk's ``first_sent_at`` (this ``now`` unless an earlier
        attempt set it), or None when the token no longer holds the lease or
        the job was cancelled (the caller must not send, and gives the chunk up).
        """
        ...

    async def release_lease(self, job_id: str, index: int, token: str) -> None:
        """Give the chunk up without recording it (it may be taken again at once)."""
        ...

    async def finish_chunk(
        self, job_id: str, index: int, token: str, record: ChunkRecord, now: float
    ) -> bool:
        """Record the chunk's outcome and count it into the job, atomically.

        Only while ``token`` holds a lease on the chunk and the chunk is not
        done yet: False otherwise, and nothing changes. The chunk's stored
        items become ``record.items``. The job is ``done`` once every chunk is.
        """
        ...

    async def cancel(self, job_id: str) -> None:
        """Cancel the job: no lease is granted any more; chunks not done stay undone."""
        ...

    async def chunk_done(self, job_id: str, index: int) -> bool:
        """Whether chunk `index` is recorded.

        Raises [`JobNotFoundError`][lanying_async.jobs.store.JobNotFoundError] for a job
        or chunk the store does not have.
        """
        ...

    async def unfinished(self, job_id: str, now: float) -> list[int]:
        """Chunks neither done nor leased by a live lease at ``now`` (what resume re-queues)."""
        ...

    async def status(self, job_id: str) -> JobStatus:
        """Counts per bucket and chunks done; items of chunks not done count as not started."""
        ...

    def records(self, job_id: str) -> AsyncIterator[tuple[int, ChunkRecord | None]]:
        """Every chunk in order with its record (None for a chunk not done)."""
        ...

    async def rate_wait(self, job_id: str, rate: float, now: float) -> float:
        """Take one turn of the job's shared rate limit; seconds to wait before using it.

        A token bucket of ``rate`` requests per second shared by every worker of
        the job, holding one turn: turns are paced ``1 / rate`` apart, so any
        span of ``T`` seconds holds at most ``1 + rate * T`` requests (a bucket
        that starts full of ``rate`` turns would allow twice the rate in the
        first second, which a per-second server quota refuses). Each call
        reserves one turn.
        """
        ...

    async def aclose(self) -> None: ...
