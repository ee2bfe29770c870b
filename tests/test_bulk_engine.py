"""The bulk engine on its own: accounting, bounds, laziness, failures, cancellation."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import anyio
import anyio.lowlevel
import pytest

from lanying_async import InvalidParameterError, LanyingConnectionError, ValidationError
from lanying_async.bulk import (
    BulkAbortedError,
    BulkJob,
    BulkReport,
    ChunkOutcome,
    ChunkResult,
    InvalidItem,
    ItemError,
)
from lanying_async.bulk.inputs import member_results
from lanying_async.models.groups import MemberResult
from lanying_async.models.users import UserResult
from lanying_async.validation import check_id

pytestmark = pytest.mark.anyio


class Recorder:
    """A chunk sender that records chunk sizes and peak concurrency."""

    def __init__(self, fail_items: set[int] = frozenset(), fail_chunk_with: int | None = None):
        self.chunks: list[list[int]] = []
        self.in_flight = 0
        self.peak = 0
        self.fail_items = fail_items
        self.fail_chunk_with = fail_chunk_with
        self.gate: anyio.Event | None = None
        self.crowd: tuple[int, anyio.Event] | None = None

    async def __call__(self, chunk: list[int]) -> ChunkResult[int]:
        self.chunks.append(chunk)
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            if self.gate is not None:
                await self.gate.wait()
            elif self.crowd is not None:
                # Hold every chunk until `size` run at once, so the bound is reached.
                size, crowded = self.crowd
                if self.in_flight >= size:
                    crowded.set()
                await crowded.wait()
            else:
                await anyio.lowlevel.checkpoint()
            if self.fail_chunk_with is not None and self.fail_chunk_with in chunk:
                raise InvalidParameterError(10002, "bad chunk")
            ok = [i for i in chunk if i not in self.fail_items]
            failed = {
                i: ItemError(20017, "already a member") for i in chunk if i in self.fail_items
            }
            return ChunkResult(ok, failed)
        finally:
            self.in_flight -= 1


def _accounted(report: BulkReport[int]) -> list[int]:
    return sorted(
        [
            *report.succeeded,
            *report.failed,
            *report.skipped,
            *report.outcome_unknown,
            *report.not_started,
        ]
    )


async def test_every_item_lands_in_exactly_one_bucket() -> None:
    sender = Recorder(fail_items={7, 8})
    items = [*range(1, 101), 5, 6, 5]
    report = await BulkJob(items, sender, chunk_size=10, concurrency=4)
    assert report.succeeded_count == 98 and set(report.failed) == {7, 8}
    assert report.failed[7].code == 20017
    assert report.skipped == [5, 6, 5]
    assert _accounted(report) == sorted(items)
    assert report.total == len(items)
    assert all(len(c) <= 10 for c in sender.chunks) and len(sender.chunks) == 10
    assert report.chunks == report.requests == 10


async def test_concurrency_is_bounded_per_job_and_by_the_shared_limiter() -> None:
    for items in (range(1, 1001), list(range(1, 1001))):  # lazy, and a list cut up front
        sender = Recorder()
        sender.crowd = (7, anyio.Event())
        await BulkJob(items, sender, chunk_size=5, concurrency=7)
        assert sender.peak == 7
    sender = Recorder()
    sender.crowd = (3, anyio.Event())
    await BulkJob(list(range(1, 16)), sender, chunk_size=5, concurrency=7)
    assert sender.peak == 3 and len(sender.chunks) == 3  # three chunks, all at once
    shared = anyio.Semaphore(3)
    sender = Recorder()
    sender.crowd = (3, anyio.Event())
    await BulkJob(range(1, 1001), sender, chunk_size=5, concurrency=7, limiter=lambda: shared)
    assert sender.peak == 3


async def test_input_is_consumed_lazily() -> None:
    pulled = 0

    async def ids() -> AsyncIterator[int]:
        nonlocal pulled
        for i in range(1, 100_001):
            pulled += 1
            yield i

    seen_at_first_chunk: list[int] = []

    async def send(chunk: list[int]) -> ChunkResult[int]:
        if not seen_at_first_chunk:
            seen_at_first_chunk.append(pulled)
        await anyio.lowlevel.checkpoint()
        return ChunkResult(chunk)

    report = await BulkJob(ids(), send, chunk_size=100, concurrency=4, keep_succeeded=False)
    assert seen_at_first_chunk[0] <= 100 * 2
    assert report.succeeded_count == 100_000 and report.succeeded == []


async def test_a_failing_chunk_does_not_sink_the_others() -> None:
    sender = Recorder(fail_chunk_with=55)
    report = await BulkJob(range(1, 101), sender, chunk_size=10, concurrency=3)
    assert sorted(report.failed) == list(range(51, 61))
    assert report.failed[55].code == 10002
    assert report.succeeded_count == 90


async def test_fail_fast_stops_launching_and_keeps_the_report() -> None:
    sender = Recorder(fail_chunk_with=15)
    job = BulkJob(range(1, 1001), sender, chunk_size=10, concurrency=1, fail_fast=True)
    with pytest.raises(BulkAbortedError) as info:
        await job
    report = info.value.report
    assert report is job.report
    assert isinstance(info.value.__cause__, InvalidParameterError)
    assert sorted(report.failed) == list(range(11, 21))
    assert report.succeeded == list(range(1, 11))
    assert len(sender.chunks) == 2  # nothing launched after the failure


async def test_missing_replies_fail_and_strangers_are_ignored() -> None:
    async def send(chunk: list[int]) -> ChunkResult[int]:
        return ChunkResult([*chunk[1:], 999_999])  # forgets the first, adds a stranger

    report = await BulkJob([1, 2, 3], send, chunk_size=3, concurrency=1)
    assert report.succeeded == [2, 3]
    assert list(report.failed) == [1] and report.failed[1].code is None


async def test_stream_yields_each_chunk_as_it_completes() -> None:
    seen: list[ChunkOutcome[int]] = []
    job = BulkJob(range(1, 26), Recorder(), chunk_size=10, concurrency=2)
    async with job.stream() as outcomes:
        async for outcome in outcomes:
            seen.append(outcome)
    assert sorted(o.index for o in seen) == [0, 1, 2]
    assert sorted(len(o.items) for o in seen) == [5, 10, 10]
    assert job.report.succeeded_count == 25


async def test_progress_callback_sees_the_running_report() -> None:
    progress: list[int] = []
    seen: list[list[int]] = []

    def on_progress(outcome: ChunkOutcome[int], report: BulkReport[int]) -> None:
        progress.append(report.succeeded_count)
        if outcome.index % 2 == 0:  # read after some chunks only: the rest join later
            seen.append(list(report.succeeded))

    report = await BulkJob(
        list(range(1, 51)), Recorder(), chunk_size=10, concurrency=1, on_progress=on_progress
    )
    assert progress == [10, 20, 30, 40, 50]
    assert seen == [list(range(1, 11)), list(range(1, 31)), list(range(1, 51))]
    assert report.succeeded == list(range(1, 51)) and report.succeeded is report.succeeded


async def test_cancellation_keeps_the_partial_report() -> None:
    sender = Recorder()
    sender.gate = anyio.Event()
    ids = iter(range(1, 101))
    shared = anyio.Semaphore(2)
    job = BulkJob(ids, sender, chunk_size=10, concurrency=3, limiter=lambda: shared)
    with anyio.move_on_after(0.2):
        async with job.stream() as outcomes:
            async for _ in outcomes:
                pass
    report = job.report
    assert sorted(report.outcome_unknown) == list(range(1, 21))  # two chunks were in flight
    assert report.not_started == list(range(21, 31))  # one waited for the shared limiter
    assert report.succeeded_count == 0 and not report.failed
    assert sender.in_flight == 0 and shared.value == 2
    assert next(ids) == 31  # nothing more was taken from the input


async def test_items_taken_into_an_unfinished_chunk_are_not_lost() -> None:
    stalled = anyio.Event()

    async def ids() -> AsyncIterator[int]:
        for i in range(1, 16):
            yield i
        stalled.set()
        await anyio.sleep_forever()  # the input stalls halfway through the second chunk

    sender = Recorder()
    sender.gate = anyio.Event()
    job = BulkJob(ids(), sender, chunk_size=10, concurrency=2)
    async with anyio.create_task_group() as group:
        group.start_soon(job.run)
        await stalled.wait()
        group.cancel_scope.cancel()
    assert sorted(job.report.outcome_unknown) == list(range(1, 11))
    assert job.report.not_started == list(range(11, 16))
    assert job.report.total == 15


async def test_leaving_the_stream_early_cancels_the_rest() -> None:
    sender = Recorder()
    job = BulkJob(range(1, 1001), sender, chunk_size=10, concurrency=2)
    async with job.stream() as outcomes:
        async for _ in outcomes:
            break
    assert sender.in_flight == 0
    assert job.report.succeeded_count >= 10
    assert job.report.total <= 1000 and not job.report.input_exhausted
    assert len(sender.chunks) < 100


@pytest.mark.parametrize("shape", ["list", "iterator"])
async def test_leaving_the_stream_while_workers_wait_to_hand_over(shape: str) -> None:
    # Every worker is blocked handing an outcome to a reader that stopped reading:
    # closing the stream under them used to break them (BrokenResourceError).
    ids = list(range(1, 101))
    sender = Recorder()
    job = BulkJob(ids if shape == "list" else iter(ids), sender, chunk_size=5, concurrency=3)
    tasks_before = asyncio.all_tasks()
    async with job.stream() as outcomes:
        async for _ in outcomes:
            await anyio.wait_all_tasks_blocked()  # the stream is full, the workers wait on it
            break
    report = job.report
    assert asyncio.all_tasks() <= tasks_before and sender.in_flight == 0
    assert report.succeeded_count == 5 * len(sender.chunks)  # every chunk sent completed
    assert report.total == (100 if shape == "list" else 5 * len(sender.chunks))
    assert report.not_started == (ids[report.succeeded_count :] if shape == "list" else [])
    assert report.input_exhausted == (shape == "list")


async def test_a_stream_left_at_once_sends_nothing() -> None:
    sender = Recorder()
    listed = BulkJob([1, 2, 3], sender, chunk_size=1, concurrency=2)
    async with listed.stream():
        pass
    assert listed.report.not_started == [1, 2, 3] and listed.report.total == 3
    lazy = BulkJob(iter([1, 2, 3]), sender, chunk_size=1, concurrency=2)
    async with lazy.stream():
        pass
    assert lazy.report.total == 0 and not lazy.report.input_exhausted
    assert sender.chunks == []


async def test_an_error_raised_while_reading_the_stream_comes_back_as_itself() -> None:
    job = BulkJob(list(range(1, 101)), Recorder(), chunk_size=5, concurrency=3)
    mistake = ValueError("the reader's own")

    async def read() -> None:
        async with job.stream() as outcomes:
            async for _ in outcomes:
                await anyio.wait_all_tasks_blocked()
                raise mistake

    with pytest.raises(ValueError, match="the reader's own") as info:
        await read()
    assert info.value is mistake and info.value.__context__ is None
    assert job.report.total == 100 and job.report.not_started


async def test_a_stop_leaves_the_rest_of_a_list_not_started() -> None:
    # fail-fast after the first chunk; repeats among what is left are skipped, not listed twice
    sender = Recorder(fail_chunk_with=1)
    items = [1, 2, 3, 4, 1, 5, 5]
    with pytest.raises(BulkAbortedError) as info:
        await BulkJob(items, sender, chunk_size=2, concurrency=1, fail_fast=True)
    report = info.value.report
    assert sorted(report.failed) == [1, 2] and sender.chunks == [[1, 2]]
    assert report.not_started == [3, 4, 5] and report.skipped == [1, 5]
    assert report.total == len(items) and report.input_exhausted


async def test_a_stop_says_where_lazy_input_resumes() -> None:
    sender = Recorder(fail_chunk_with=13)
    ids = iter(range(1, 101))
    with pytest.raises(BulkAbortedError) as info:
        await BulkJob(ids, sender, chunk_size=5, concurrency=1, fail_fast=True)
    report = info.value.report
    assert report.total == 15 and not report.input_exhausted  # read 15 items, no more
    assert next(ids) == report.total + 1  # so the input resumes right after them
    done = await BulkJob(iter(range(1, 11)), Recorder(), chunk_size=5, concurrency=2)
    assert done.input_exhausted and done.total == 10


async def test_bad_items_of_lazy_input_fail_alone_once_each() -> None:
    def check(item: object) -> int:
        return check_id(item, "user_ids")  # type: ignore[arg-type]

    items: list[object] = [0, 0, 7, None, [1], {}, [1], -3]
    report = await BulkJob(iter(items), Recorder(), chunk_size=2, concurrency=1, validate=check)
    assert report.succeeded == [7] and report.skipped == [0]
    assert report.failed.keys() == {
        0,
        None,
        InvalidItem(4, "[1]"),
        InvalidItem(5, "{}"),
        InvalidItem(6, "[1]"),
        -3,
    }
    assert "list" in report.failed[InvalidItem(4, "[1]")].reason
    assert report.total == len(items) == report.failed_count + 2

    def first(pair: tuple[str, str]) -> str:
        return pair[0]

    async def register(chunk: list[tuple[str, str]]) -> ChunkResult[str]:
        return ChunkResult([name for name, _ in chunk])

    rows: list[object] = [("ann", "secret"), None, {"name": "secret"}]
    unkeyed = await BulkJob(iter(rows), register, chunk_size=2, concurrency=1, key=first)  # type: ignore[arg-type]
    assert unkeyed.succeeded == ["ann"]
    assert unkeyed.failed.keys() == {InvalidItem(1, "<NoneType>"), InvalidItem(2, "<dict>")}
    assert "secret" not in repr(unkeyed.failed) and unkeyed.total == 3


async def test_without_dedupe_each_occurrence_counts() -> None:
    async def send(chunk: list[int]) -> ChunkResult[int]:
        # the server takes the first 5 of a request and refuses the second
        return ChunkResult(
            [5], {5: ItemError(20017, "already a member")} if chunk.count(5) > 1 else {}
        )

    report = await BulkJob([5, 5, 5], send, chunk_size=2, concurrency=1, dedupe=False)
    assert report.succeeded == [5, 5] and report.failed_count == 1 and list(report.failed) == [5]
    assert report.total == 3 and not report.skipped


async def test_a_failing_progress_callback_or_a_base_exception_stops_the_job_cleanly() -> None:
    class Interrupt(BaseException):
        pass

    def on_progress(outcome: ChunkOutcome[int], report: BulkReport[int]) -> None:
        raise LookupError("from the callback")

    sender = Recorder()
    job = BulkJob(list(range(1, 51)), sender, chunk_size=5, concurrency=2, on_progress=on_progress)
    with pytest.raises(LookupError, match="from the callback"):
        await job
    report = job.report
    assert report.total == 50 and sender.in_flight == 0
    assert report.succeeded_count == 5 * report.chunks and report.not_started

    async def interrupted(chunk: list[int]) -> ChunkResult[int]:
        await anyio.lowlevel.checkpoint()
        if 12 in chunk:
            raise Interrupt
        return ChunkResult(chunk)

    job = BulkJob(list(range(1, 51)), interrupted, chunk_size=5, concurrency=2)
    with pytest.raises(Interrupt):
        await job
    report = job.report
    assert set(range(11, 16)) <= set(report.outcome_unknown)  # it may have run
    assert report.total == 50 and report.not_started


async def test_writes_cut_off_after_sending_are_outcome_unknown() -> None:
    async def send(chunk: list[int]) -> ChunkResult[int]:
        raise LanyingConnectionError("reset", request_sent=True)

    report = await BulkJob([1, 2], send, chunk_size=1, concurrency=1)
    assert sorted(report.outcome_unknown) == [1, 2] and not report.failed
    read = await BulkJob([1, 2], send, chunk_size=1, concurrency=1, is_write=False)
    assert sorted(read.failed) == [1, 2]


async def test_invalid_items_fail_alone() -> None:
    report = await BulkJob(
        [1, 0, 2, -3],
        Recorder(),
        chunk_size=10,
        concurrency=1,
        validate=lambda i: check_id(i, "user_ids"),
    )
    assert report.succeeded == [1, 2]
    assert sorted(report.failed) == [-3, 0]
    assert isinstance(report.failed[0].error, ValidationError)


async def test_a_job_runs_once_and_bad_settings_are_refused() -> None:
    job = BulkJob([1], Recorder(), chunk_size=1, concurrency=1)
    await job
    with pytest.raises(RuntimeError):
        await job
    with pytest.raises(ValidationError, match="chunk_size"):
        BulkJob([1], Recorder(), chunk_size=0, concurrency=1)


@pytest.mark.parametrize(
    ("won", "lost"),
    [
        (lambda uid: MemberResult(uid, "success"), lambda uid: MemberResult(uid, "fail", "no")),
        (lambda uid: UserResult(uid, True), lambda uid: UserResult(uid, False, "no")),
    ],
    ids=["member results", "user results"],
)
def test_per_user_replies_become_chunk_results(
    won: Callable[[int], MemberResult | UserResult],
    lost: Callable[[int], MemberResult | UserResult],
) -> None:
    everyone = member_results([won(1), won(2), won(3)])
    assert (everyone.succeeded, everyone.failed) == ([1, 2, 3], {})
    mixed = member_results([won(1), lost(2), won(3)])
    assert mixed.succeeded == [1, 3]
    assert list(mixed.failed) == [2] and mixed.failed[2].reason == "no"
    assert member_results([]).succeeded == []
