"""The search for refused items on its own: a model server refuses any request holding one.

The model is the rule itself, not an emulator of ours: a request is refused
(10000, naming its first bad item) when it holds a bad item, and answered
otherwise. What the search reports is checked against the bad items drawn.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

import anyio
import anyio.lowlevel
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lanying_async import InvalidParameterError, UserNotFoundError
from lanying_async.bulk import BulkAbortedError, BulkJob, ChunkOutcome, ChunkResult
from lanying_async.errors import LanyingAPIError
from lanying_async.models.base import Envelope
from lanying_async.transport.endpoint import Endpoint, OperationKind
from lanying_async.transport.failures import final

pytestmark = pytest.mark.anyio


class Model:
    """Refuses a request holding a bad item, as ``/message/send`` refuses an unknown target."""

    def __init__(self, bad: Iterable[int], *, sender_unknown: bool = False) -> None:
        self.bad = set(bad)
        self.sender_unknown = sender_unknown
        self.requests: list[list[int]] = []
        self.ran: Counter[int] = Counter()
        self.refuse_next_with: LanyingAPIError | None = None
        self.gate: anyio.Event | None = None

    async def __call__(self, chunk: list[int]) -> ChunkResult[int]:
        self.requests.append(list(chunk))
        await anyio.lowlevel.checkpoint()
        if self.gate is not None and len(self.requests) > 1:
            await self.gate.wait()
        if self.refuse_next_with is not None:
            error, self.refuse_next_with = self.refuse_next_with, None
            raise error
        if self.sender_unknown:
            raise UserNotFoundError(10000, "user 1 not found")
        for item in chunk:
            if item in self.bad:
                raise UserNotFoundError(10000, f"user {item} not found")
        self.ran.update(chunk)
        return ChunkResult(chunk)


def _job(items: list[int], model: Model, size: int, **options: object) -> BulkJob[int, int]:
    return BulkJob(items, model, chunk_size=size, item_codes={10000}, **options)  # type: ignore[arg-type]


@st.composite
def jobs(draw: st.DrawFn) -> tuple[int, int, int, set[int]]:
    count = draw(st.integers(1, 200))
    size = draw(st.integers(1, 40))
    concurrency = draw(st.integers(1, 4))
    bad = draw(st.sets(st.integers(1, count), max_size=min(count, 25)))
    return count, size, concurrency, bad


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(case=jobs())
@example(case=(5, 2, 1, {3, 5}))  # the last chunk is [5] alone: refused whole, never split
async def test_the_search_places_every_item_and_isolates_only_bad_ones(
    case: tuple[int, int, int, set[int]],
) -> None:
    count, size, concurrency, bad = case
    items = list(range(1, count + 1))
    model = Model(bad)
    report = await _job(items, model, size, concurrency=concurrency)

    assert sorted([*report.succeeded, *report.failed]) == items  # one bucket each
    assert not bad & set(report.succeeded)  # nothing refused is called a success
    assert Counter(report.succeeded) == model.ran and max(model.ran.values(), default=1) == 1
    assert set(report.isolated) <= bad
    for item in report.isolated:  # refused by a request in which it was the only bad item
        assert report.failed[item].code == 10000
        assert report.failed[item].reason == f"user {item} not found"
    depth = math.ceil(math.log2(size)) if size > 1 else 0
    per_chunk = Counter((item - 1) // size for item in bad)
    assert report.isolation_requests <= sum(c * (depth + 2) + 1 for c in per_chunk.values())
    assert report.requests == len(model.requests) == report.chunks + report.isolation_requests

    # The first chunk answered before any other was sent, every chunk holding at most two
    # bad items: then exactly the bad items fail, each found alone by a split, except in
    # a last chunk of one item (its refusal names it already: nothing to split).
    if (
        concurrency == 1
        and size > 1
        and 0 not in per_chunk
        and max(per_chunk.values(), default=0) <= 2
    ):
        unsplit = {count} & bad if count % size == 1 else set()
        assert set(report.failed) == bad and set(report.isolated) == bad - unsplit


async def test_an_error_about_the_request_costs_the_job_its_budget_at_most() -> None:
    for concurrency in (1, 3):
        model = Model((), sender_unknown=True)
        report = await _job(list(range(1, 2_001)), model, 100, concurrency=concurrency)
        assert report.failed_count == 2_000 and report.isolated == []
        assert report.isolation_requests == 4 * 7  # the whole budget, and no more
        assert report.requests == 20 + 28


PLAIN = Endpoint("POST", "/plain", Envelope[bool])
DEDUPLICATED = Endpoint("POST", "/dedup", Envelope[bool], kind=OperationKind.DEDUPLICATED_WRITE)


def _refused_after_a_run(endpoint: Endpoint[Envelope[bool]]) -> LanyingAPIError:
    """10000 for user 3, answered after an earlier attempt of the call that may have run."""
    return final(UserNotFoundError(10000, "user 3 not found"), endpoint, earlier=2)  # type: ignore[return-value]


async def test_a_plain_write_that_may_have_run_is_not_split() -> None:
    sent: list[list[int]] = []

    async def plain(chunk: list[int]) -> ChunkResult[int]:
        sent.append(chunk)
        raise _refused_after_a_run(PLAIN)

    report = await BulkJob([1, 2, 3, 4], plain, chunk_size=4, concurrency=1, item_codes={10000})
    assert _refused_after_a_run(PLAIN).may_have_run
    assert sent == [[1, 2, 3, 4]] and report.isolation_requests == 0
    assert sorted(report.outcome_unknown) == [1, 2, 3, 4] and not report.failed


async def test_a_deduplicated_write_refused_after_a_run_is_split() -> None:
    sent: list[list[int]] = []

    async def deduplicated(chunk: list[int]) -> ChunkResult[int]:
        sent.append(chunk)
        if 3 in chunk:
            raise _refused_after_a_run(DEDUPLICATED)
        return ChunkResult(chunk)

    report = await BulkJob(
        [1, 2, 3, 4],
        deduplicated,
        chunk_size=4,
        concurrency=1,
        item_codes={10000},
        deduplicated=True,
    )
    assert list(report.failed) == [3] and sorted(report.succeeded) == [1, 2, 4]
    assert report.isolated == [3] and len(sent) == report.requests == 4


async def test_reads_split_whatever_the_earlier_attempts() -> None:
    async def read(chunk: list[int]) -> ChunkResult[int]:
        if 3 in chunk:
            raise _refused_after_a_run(PLAIN)
        return ChunkResult(chunk)

    report = await BulkJob(
        [1, 2, 3, 4], read, chunk_size=4, concurrency=1, item_codes={10000}, is_write=False
    )
    assert list(report.failed) == [3] and report.succeeded_count == 3


async def test_a_part_that_fails_otherwise_ends_the_search() -> None:
    sent: list[list[int]] = []

    async def send(chunk: list[int]) -> ChunkResult[int]:
        sent.append(chunk)
        if len(sent) == 2:  # the first part: refused with a code that names no item
            raise InvalidParameterError(10002, "bad part")
        raise UserNotFoundError(10000, "user 2 not found")

    with pytest.raises(BulkAbortedError) as info:
        await BulkJob(
            list(range(1, 9)), send, chunk_size=8, concurrency=1, item_codes={10000}, fail_fast=True
        )
    report = info.value.report
    assert sent == [list(range(1, 9)), [1, 2, 3, 4]]  # nothing more once it failed otherwise
    assert report.stopped_by is not None and getattr(report.stopped_by, "code", 0) == 10002
    assert {report.failed[i].code for i in range(1, 5)} == {10002}  # that part: its failure
    assert {report.failed[i].code for i in range(5, 9)} == {10000}  # the rest: the chunk's
    assert report.isolated == [] and report.isolation_requests == 1


async def test_a_chunk_whose_refused_items_were_found_does_not_stop_a_fail_fast_job() -> None:
    model = Model({3})
    report = await _job(list(range(1, 21)), model, 5, concurrency=1, fail_fast=True)
    assert list(report.failed) == [3] and report.succeeded_count == 19
    assert report.stopped_by is None


async def test_cancelled_while_splitting_the_chunk_is_outcome_unknown() -> None:
    scope = anyio.CancelScope()

    async def send(chunk: list[int]) -> ChunkResult[int]:
        if len(chunk) < 6:  # a part: the caller is cancelled while it is out
            scope.cancel()
            await anyio.lowlevel.checkpoint()
        raise UserNotFoundError(10000, "user 3 not found")

    job = BulkJob([1, 2, 3, 4, 5, 6], send, chunk_size=6, concurrency=1, item_codes={10000})
    with scope:
        await job
    # A part may have run: the whole chunk is unknown, none of it failed or not started.
    assert sorted(job.report.outcome_unknown) == [1, 2, 3, 4, 5, 6]
    assert not job.report.failed and not job.report.not_started


async def test_a_search_ends_when_another_chunk_stops_the_job() -> None:
    split_started = anyio.Event()
    other_failed = anyio.Event()
    sent: list[list[int]] = []

    async def send(chunk: list[int]) -> ChunkResult[int]:
        sent.append(chunk)
        if 9 in chunk:  # the other chunk fails whole once the first one's search is under way
            await split_started.wait()
            raise InvalidParameterError(10002, "repair")
        if len(chunk) < 8:
            split_started.set()
            await other_failed.wait()
        raise UserNotFoundError(10000, "user 1 not found")

    def progress(outcome: ChunkOutcome[int], report: object) -> None:
        if outcome.error is not None and getattr(outcome.error, "code", 0) == 10002:
            other_failed.set()

    job = BulkJob(
        list(range(1, 17)),
        send,
        chunk_size=8,
        concurrency=2,
        item_codes={10000},
        fail_fast=True,
        on_progress=progress,
    )
    with pytest.raises(BulkAbortedError):
        await job
    report = job.report
    assert len(sent) == 3 and report.isolation_requests == 1  # one part, then the stop
    assert {report.failed[i].code for i in range(1, 9)} == {10000}
    assert {report.failed[i].code for i in range(9, 17)} == {10002}
