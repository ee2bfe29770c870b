"""Running one chunk of a durable job: lease it, send it, record it once.

[`run_chunk()`][lanying_async.jobs.runner.run_chunk] is all a worker does for a chunk, whoever hands
it the chunk (the embedded runner, a broker's task): it takes the chunk's lease (nothing to do when
the chunk is done, leased by a live lease elsewhere, or the job cancelled), renews the lease every
third of its length while the chunk runs, takes a turn of the job's shared rate limit and records
that a request leaves before each request (a cancelled job stops it there), sends the chunk by its
operation's rules ([`operations`][lanying_async.jobs.operations]) and records the outcome, only
while the lease holds.

What it comes to ([`ChunkStep`][lanying_async.jobs.runner.ChunkStep]):

- a transient failure of the whole chunk (a connection refused or broken, a
  timeout, HTTP 5xx or 429 after the SDK's own retries) records nothing: the
  lease is released and the chunk is to run again (``RELEASED``), each
  attempt counting toward ``JobSpec.max_attempts``;
- a chunk taken more than ``max_attempts`` times (poison), or failing
  transiently on its last attempt, is recorded given up: its items failed
  ("gave up after N attempts"), or ``outcome_unknown`` when a request for it
  may have run;
- an error every chunk would meet (a wrong token, the group gone: see
  [`stops`][lanying_async.bulk.stops]) records nothing either and says so
  (``STOPPED``): whoever runs the job stops, the job can be resumed;
- a lease that could not be renewed stops the chunk's work, and its result is
  not recorded (``LOST``): the chunk belongs to whoever takes it next.
"""

from __future__ import annotations

import enum
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anyio
import anyio.abc

from lanying_async.errors import LanyingError
from lanying_async.jobs.chunks import ChunkStopped, ChunkTask, Sent, is_transient
from lanying_async.jobs.model import ChunkRecord, FailedItem, JobSpec, JobState, Lease
from lanying_async.jobs.operations import operation_named

if TYPE_CHECKING:
    from lanying_async.client import LanyingClient
    from lanying_async.jobs.store import JobStore

__all__ = ["ChunkRun", "ChunkStep", "gave_up", "run_chunk"]

Clock = Callable[[], float]


class ChunkStep(str, enum.Enum):
    """What one call of [`run_chunk()`][lanying_async.jobs.runner.run_chunk] did."""

    RECORDED = "recorded"
    """The chunk ran and its outcome is recorded (or it was given up)."""
    SKIPPED = "skipped"
    """Nothing to do: the chunk is done, leased by a live lease, or the job cancelled."""
    RELEASED = "released"
    """A transient failure: nothing recorded, the chunk is free to run again."""
    LOST = "lost"
    """The lease was lost while the chunk ran: nothing recorded by this worker."""
    CANCELLED = "cancelled"
    """The job was cancelled before the chunk's (next) request: nothing recorded."""
    STOPPED = "stopped"
    """An error every chunk would meet: nothing recorded; whoever runs the job should stop."""


@dataclass(frozen=True, slots=True)
class ChunkRun:
    """The result of one [`run_chunk()`][lanying_async.jobs.runner.run_chunk] call."""

    index: int
    step: ChunkStep
    attempt: int = 0
    """The attempt this was (0 when no lease was taken)."""
    record: ChunkRecord | None = None
    """What was recorded (``RECORDED`` only)."""
    error: LanyingError | None = None
    """The chunk's failure (``RELEASED``, ``STOPPED``)."""


def gave_up(
    keys: list[Any], attempts: int, *, may_have_run: bool, last: ChunkRecord | None = None
) -> ChunkRecord:
    """The record of a chunk given up after ``attempts`` attempts.

    Items the last attempt saw succeed (a part of a split chunk) keep that;
    the others failed, or are ``outcome_unknown`` when a request for them
    may have run.
    """
    last = last if last is not None else ChunkRecord(items=keys)
    done = set(last.succeeded)
    rest = [key for key in keys if key not in done]
    if may_have_run:
        failed, unknown = [], rest
    else:
        reason = f"gave up after {attempts} attempts"
        failed, unknown = [FailedItem(key, None, reason) for key in rest], []
    return ChunkRecord(
        items=keys,
        succeeded=list(last.succeeded),
        failed=failed,
        outcome_unknown=unknown,
        values=last.values,
        results=last.results,
        requests=last.requests,
    )


class _Holding:
    """This worker's lease on the chunk: its turns, its renewal, and whether it was lost."""

    def __init__(
        self, store: JobStore, job_id: str, index: int, token: str, spec: JobSpec, clock: Clock
    ) -> None:
        self.store = store
        self.job_id = job_id
        self.index = index
        self.token = token
        self.spec = spec
        self.clock = clock
        self.lost = False
        self.refused = False
        """Did ``mark_sent`` refuse a request (the job cancelled, or the lease gone)?"""

    async def turn(self) -> float:
        """Before a request: the shared rate limit, then record that it leaves."""
        if self.lost:
            raise ChunkStopped
        rate = self.spec.rate_limit
        if rate is not None:
            wait = await self.store.rate_wait(self.job_id, rate, self.clock())
            if wait > 0:
                await anyio.sleep(wait)
        first = await self.store.mark_sent(self.job_id, self.index, self.token, self.clock())
        if first is None or self.lost:
            self.refused = True
            raise ChunkStopped
        return first

    async def keep(self, work: anyio.CancelScope) -> None:
        """Renew the lease every third of its length; when that fails, stop the work."""
        seconds = self.spec.lease_seconds
        while True:
            await anyio.sleep(seconds / 3)
            try:
                held = await self.store.renew_lease(
                    self.job_id, self.index, self.token, seconds, self.clock()
                )
            except Exception:  # the store out of reach: the lease may lapse meanwhile
                held = False
            if not held:
                self.lost = True
                work.cancel()
                return

    async def release(self) -> None:
        with anyio.CancelScope(shield=True):
            await self.store.release_lease(self.job_id, self.index, self.token)

    async def record(self, record: ChunkRecord, attempt: int) -> ChunkRun:
        if self.lost:
            return ChunkRun(self.index, ChunkStep.LOST, attempt)
        with anyio.CancelScope(shield=True):  # once sent, the outcome is worth keeping
            done = await self.store.finish_chunk(
                self.job_id, self.index, self.token, record, self.clock()
            )
        if not done:
            return ChunkRun(self.index, ChunkStep.LOST, attempt)
        return ChunkRun(self.index, ChunkStep.RECORDED, attempt, record)


async def run_chunk(
    store: JobStore,
    client: LanyingClient,
    job_id: str,
    index: int,
    *,
    spec: JobSpec | None = None,
    clock: Clock = time.time,
) -> ChunkRun:
    """Run chunk ``index`` of job ``job_id`` once (see the module for what may come of it).

    ``spec`` saves reading the job's spec again; ``clock`` gives wall-clock
    seconds (the store's times). Cancelled from outside, the chunk's lease is
    released first (its request may have run: the chunk's redelivery rule
    decides what its next attempt sends).
    """
    spec = spec if spec is not None else await store.spec(job_id)
    operation = operation_named(spec.operation)
    token = secrets.token_hex(16)
    lease = await store.take_lease(job_id, index, token, spec.lease_seconds, clock())
    if lease is None:
        return ChunkRun(index, ChunkStep.SKIPPED)
    holding = _Holding(store, job_id, index, token, spec, clock)
    settled = False
    try:
        items = await store.chunk_items(job_id, index)
        keys = operation.keys(items)
        if lease.attempt > spec.max_attempts:  # poison: taken again and again, never recorded
            may_have_run = lease.first_sent_at is not None
            settled = True
            return await holding.record(
                gave_up(keys, spec.max_attempts, may_have_run=may_have_run), lease.attempt
            )
        task = ChunkTask(client, store, spec, job_id, index, items, lease, holding.turn, clock)
        sent = await _attempt(operation.send, task, holding)
        if sent is None:  # stopped before a request, or the lease lost
            settled = True
            await holding.release()
            return await _why_stopped(store, job_id, index, lease, holding)
        error = sent.error
        if error is not None and is_transient(error):
            if lease.attempt < spec.max_attempts:
                settled = True
                await holding.release()
                return ChunkRun(index, ChunkStep.RELEASED, lease.attempt, error=error)
            may_have_run = lease.first_sent_at is not None or error.may_have_run
            record = gave_up(keys, spec.max_attempts, may_have_run=may_have_run, last=sent.record)
            settled = True
            return await holding.record(record, lease.attempt)
        if error is not None and sent.job_wide:
            settled = True
            await holding.release()
            return ChunkRun(index, ChunkStep.STOPPED, lease.attempt, error=error)
        settled = True
        return await holding.record(sent.record, lease.attempt)
    finally:
        if not settled:  # an error or a cancellation from outside
            await holding.release()


async def _attempt(
    send: Callable[[ChunkTask], Awaitable[Sent]], task: ChunkTask, holding: _Holding
) -> Sent | None:
    """Send the chunk while the lease is kept; None when it stopped without a result."""
    sent: Sent | None = None
    async with anyio.create_task_group() as group:
        with anyio.CancelScope() as work:
            group.start_soon(holding.keep, work)
            try:
                sent = await send(task)
            except ChunkStopped:
                pass
            finally:
                group.cancel_scope.cancel()
    return None if holding.lost else sent


async def _why_stopped(
    store: JobStore, job_id: str, index: int, lease: Lease, holding: _Holding
) -> ChunkRun:
    if not holding.lost and (await store.status(job_id)).state is JobState.CANCELLED:
        return ChunkRun(index, ChunkStep.CANCELLED, lease.attempt)
    return ChunkRun(index, ChunkStep.LOST, lease.attempt)
