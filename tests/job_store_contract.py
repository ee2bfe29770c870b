"""The contract every job store keeps (``lanying_async.jobs.store.JobStore``).

``tests/test_job_stores.py`` runs these checks against each store. Each check
takes a fresh, empty store and uses explicit ``now`` values, so nothing waits
on a clock.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from lanying_async.jobs.model import ChunkRecord, FailedItem, JobSpec, JobState
from lanying_async.jobs.store import JobNotFoundError, JobStore

__all__ = ["CHECKS"]

SPEC = JobSpec(operation="invite", arguments={"group_id": 7, "as_user": 1}, chunk_size=2)
CHUNKS = [[1, 2], [3, 4], [5]]
T0 = 1_000_000.0


async def _job(store: JobStore) -> str:
    return await store.create_job(SPEC, CHUNKS)


async def a_job_reads_back_as_written(store: JobStore) -> None:
    job = await _job(store)
    assert await store.spec(job) == SPEC
    assert [await store.chunk_items(job, i) for i in range(3)] == CHUNKS
    status = await store.status(job)
    assert (status.job_id, status.state, status.total) == (job, JobState.QUEUED, 5)
    assert (status.chunks_done, status.chunks_total, status.not_started) == (0, 3, 5)
    other = await _job(store)
    assert other != job
    with pytest.raises(JobNotFoundError):
        await store.spec("no-such-job")


async def one_live_lease_per_chunk(store: JobStore) -> None:
    job = await _job(store)
    first = await store.take_lease(job, 0, "a", 30, T0)
    assert first is not None and (first.token, first.attempt) == ("a", 1)
    assert first.expires_at == T0 + 30 and first.first_sent_at is None
    assert await store.take_lease(job, 0, "b", 30, T0 + 29) is None  # still a's
    assert await store.renew_lease(job, 0, "a", 30, T0 + 29)
    assert await store.take_lease(job, 0, "b", 30, T0 + 58) is None  # renewed to T0 + 59
    again = await store.take_lease(job, 0, "b", 30, T0 + 60)  # lapsed: b takes it
    assert again is not None and (again.token, again.attempt) == ("b", 2)
    assert not await store.renew_lease(job, 0, "a", 30, T0 + 61)  # a lost it


async def many_takers_at_once_one_wins(store: JobStore) -> None:
    job = await _job(store)
    leases = await asyncio.gather(*(store.take_lease(job, 1, f"t{i}", 30, T0) for i in range(20)))
    assert sum(lease is not None for lease in leases) == 1


async def the_first_send_time_is_kept_across_attempts(store: JobStore) -> None:
    job = await _job(store)
    await store.take_lease(job, 0, "a", 30, T0)
    assert await store.mark_sent(job, 0, "a", T0 + 1) == T0 + 1
    assert await store.mark_sent(job, 0, "a", T0 + 2) == T0 + 1
    assert await store.mark_sent(job, 0, "x", T0 + 3) is None  # not the holder
    lease = await store.take_lease(job, 0, "b", 30, T0 + 100)
    assert lease is not None and lease.first_sent_at == T0 + 1
    assert await store.mark_sent(job, 0, "b", T0 + 101) == T0 + 1


async def a_chunk_is_recorded_once_and_only_by_its_holder(store: JobStore) -> None:
    job = await _job(store)
    record = ChunkRecord(
        items=[1, 2],
        succeeded=[1],
        failed=[FailedItem(2, 20017, "already a member")],
        requests=1,
    )
    await store.take_lease(job, 0, "a", 30, T0)
    assert not await store.finish_chunk(job, 0, "x", record, T0 + 1)  # not the holder
    assert not await store.chunk_done(job, 0)
    assert await store.finish_chunk(job, 0, "a", record, T0 + 1)
    assert await store.chunk_done(job, 0)
    assert not await store.chunk_done(job, 1)
    assert not await store.finish_chunk(job, 0, "a", record, T0 + 2)  # done already
    assert await store.take_lease(job, 0, "b", 30, T0 + 100) is None  # done: never again
    status = await store.status(job)
    assert (status.state, status.succeeded, status.failed, status.chunks_done) == (
        JobState.RUNNING,
        1,
        1,
        1,
    )
    assert status.not_started == 3
    # A lapsed holder cannot record after another took the chunk.
    await store.take_lease(job, 1, "c", 30, T0)
    await store.take_lease(job, 1, "d", 30, T0 + 31)
    late = ChunkRecord(items=[3, 4], succeeded=[3, 4], requests=1)
    assert not await store.finish_chunk(job, 1, "c", late, T0 + 32)
    assert await store.finish_chunk(job, 1, "d", late, T0 + 32)


async def the_job_is_done_when_every_chunk_is(store: JobStore) -> None:
    job = await _job(store)
    records = [
        ChunkRecord(items=[1, 2], succeeded=[1, 2], values=[91], requests=1),
        ChunkRecord(items=[3, 4], outcome_unknown=[3, 4], requests=1),
        ChunkRecord(items=["five"], succeeded=["five"], results={"five": 5}, requests=2),
    ]
    for index, record in enumerate(records):
        await store.take_lease(job, index, "a", 30, T0)
        assert await store.finish_chunk(job, index, "a", record, T0 + 1)
    status = await store.status(job)
    assert status.state is JobState.DONE and status.chunks_done == 3
    assert (status.succeeded, status.outcome_unknown, status.not_started) == (3, 2, 0)
    assert await store.chunk_items(job, 2) == ["five"]  # the record's items replace the rows
    seen = [(index, record) async for index, record in store.records(job)]
    assert seen == list(enumerate(records))
    assert await store.unfinished(job, T0 + 1000) == []


async def unfinished_chunks_are_those_without_a_live_lease(store: JobStore) -> None:
    job = await _job(store)
    await store.take_lease(job, 0, "a", 30, T0)
    await store.take_lease(job, 1, "b", 30, T0)
    await store.finish_chunk(job, 1, "b", ChunkRecord(items=[3, 4], succeeded=[3, 4]), T0)
    assert await store.unfinished(job, T0 + 10) == [2]  # 0 is leased, 1 is done
    assert await store.unfinished(job, T0 + 31) == [0, 2]  # 0's lease lapsed
    await store.release_lease(job, 2, "nobody")  # not leased: nothing happens
    await store.take_lease(job, 2, "c", 30, T0 + 31)
    await store.release_lease(job, 2, "c")
    assert await store.unfinished(job, T0 + 32) == [0, 2]
    lease = await store.take_lease(job, 2, "d", 30, T0 + 32)
    assert lease is not None and lease.attempt == 2


async def a_cancelled_job_grants_no_lease(store: JobStore) -> None:
    job = await _job(store)
    await store.take_lease(job, 0, "a", 30, T0)
    await store.take_lease(job, 2, "c", 30, T0)
    await store.cancel(job)
    assert await store.take_lease(job, 1, "b", 30, T0) is None
    assert await store.mark_sent(job, 2, "c", T0) is None  # held, but must not send now
    # the chunk in flight may still be recorded
    record = ChunkRecord(items=[1, 2], succeeded=[1, 2], requests=1)
    assert await store.finish_chunk(job, 0, "a", record, T0 + 1)
    status = await store.status(job)
    assert status.state is JobState.CANCELLED
    assert (status.succeeded, status.not_started, status.chunks_done) == (2, 3, 1)


async def the_rate_limit_is_one_bucket_for_all(store: JobStore) -> None:
    job = await _job(store)
    other = await _job(store)
    waits = [await store.rate_wait(job, 2.0, T0) for _ in range(5)]
    assert waits == pytest.approx([0.0, 0.5, 1.0, 1.5, 2.0])  # paced: 2 a second from the first
    assert await store.rate_wait(other, 2.0, T0) == 0.0  # each job its own bucket
    assert await store.rate_wait(job, 2.0, T0 + 10) == 0.0  # refilled, but only one turn
    assert await store.rate_wait(job, 2.0, T0 + 10) == pytest.approx(0.5)
    assert await store.rate_wait(job, 2.0, T0 + 10) == pytest.approx(1.0)


async def a_missing_job_or_chunk_is_reported(store: JobStore) -> None:
    job = await _job(store)
    missing = "0123456789abcdef"
    calls: list[Callable[[], Awaitable[object]]] = [
        lambda: store.spec(missing),
        lambda: store.chunk_items(missing, 0),
        lambda: store.take_lease(missing, 0, "a", 30, T0),
        lambda: store.mark_sent(missing, 0, "a", T0),
        lambda: store.finish_chunk(missing, 0, "a", ChunkRecord(items=[1]), T0),
        lambda: store.cancel(missing),
        lambda: store.unfinished(missing, T0),
        lambda: store.status(missing),
        lambda: store.rate_wait(missing, 1.0, T0),
        lambda: store.chunk_items(job, 3),
        lambda: store.chunk_done(missing, 0),
        lambda: store.chunk_done(job, 3),
        lambda: store.take_lease(job, 3, "a", 30, T0),
        lambda: store.mark_sent(job, 3, "a", T0),
    ]
    for call in calls:
        with pytest.raises(JobNotFoundError):
            await call()
    with pytest.raises(JobNotFoundError):
        [entry async for entry in store.records(missing)]
    # A lease that is not there is simply not held.
    assert not await store.renew_lease(missing, 0, "a", 30, T0)
    await store.release_lease(missing, 0, "a")


async def a_clock_behind_refills_no_turn(store: JobStore) -> None:
    job = await _job(store)
    assert await store.rate_wait(job, 2.0, T0) == 0.0
    assert await store.rate_wait(job, 2.0, T0 - 5) == pytest.approx(0.5)  # another's clock
    # Refilled from T0, not T0 - 5: two turns were taken, two more come in one second.
    assert await store.rate_wait(job, 2.0, T0 + 1) == 0.0
    assert await store.rate_wait(job, 2.0, T0 + 1) == pytest.approx(0.5)


CHECKS: list[Callable[[JobStore], Awaitable[None]]] = [
    a_job_reads_back_as_written,
    one_live_lease_per_chunk,
    many_takers_at_once_one_wins,
    the_first_send_time_is_kept_across_attempts,
    a_chunk_is_recorded_once_and_only_by_its_holder,
    the_job_is_done_when_every_chunk_is,
    unfinished_chunks_are_those_without_a_live_lease,
    a_cancelled_job_grants_no_lease,
    the_rate_limit_is_one_bucket_for_all,
    a_clock_behind_refills_no_turn,
    a_missing_job_or_chunk_is_reported,
]
