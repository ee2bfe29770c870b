"""The bulk engine: split any (async) iterable into chunks, run them concurrently, merge.

One [`BulkJob`][lanying_async.bulk.engine.BulkJob] per bulk call. Input is consumed lazily (see
[`sources`][lanying_async.bulk.sources]), so memory is bounded by the chunks in flight, not by the
input. Concurrency is bounded per job (`concurrency`) and client-wide (a semaphore sized to the
connection pool, shared by every job of the client), so jobs never wait on the pool. Await the job
for its [`BulkReport`][lanying_async.bulk.report.BulkReport], or stream chunk outcomes as they
complete:

```python
report = await client.groups.invite(group_id, user_ids)

async with client.groups.invite(group_id, user_ids).stream() as outcomes:
    async for outcome in outcomes:
        print(outcome.index, len(outcome.succeeded))
```
"""

from __future__ import annotations

import sys
import warnings
from collections import Counter
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Collection,
    Generator,
    Hashable,
    Iterable,
)
from contextlib import asynccontextmanager
from typing import Generic, TypeGuard, TypeVar

import anyio
import anyio.abc
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from lanying_async.bulk.errors import BulkAbortedError
from lanying_async.bulk.isolation import ChunkCalls, Isolation
from lanying_async.bulk.report import BulkReport, ChunkOutcome, ChunkResult, ItemError
from lanying_async.bulk.sources import ChunkSource, CollectedSource, SlicedSource
from lanying_async.bulk.stops import JobWideErrors
from lanying_async.errors import LanyingAPIError, LanyingError, ValidationError
from lanying_async.transport.pipeline import turn_pending

if sys.version_info < (3, 11):  # pragma: no cover
    from exceptiongroup import BaseExceptionGroup

__all__ = ["BulkJob", "Items", "SendChunk"]

ItemT = TypeVar("ItemT")  # an input item
KeyT = TypeVar("KeyT", bound=Hashable)  # the key an item is reported under

Items = Iterable[ItemT] | AsyncIterable[ItemT]
SendChunk = Callable[[list[ItemT]], Awaitable[ChunkResult[KeyT]]]
"""Sends one request for a chunk of items and says what became of each."""
Progress = Callable[[ChunkOutcome[KeyT], BulkReport[KeyT]], object]

_NO_RESULT = ItemError(None, "the reply did not mention this item")


class BulkJob(Generic[ItemT, KeyT]):
    """One bulk operation over many items; runs once (awaited or streamed).

    Items are reported under `key(item)` (the item itself by default): a user
    id, a username, ... `send_chunk` sends one request for a list of items and
    says, by key, which succeeded and which failed.

    Up to `concurrency` workers each take the next chunk from the input, send
    it and record the outcome, then take another: nothing is spawned, queued or
    handed over per chunk, so a worker's next request leaves as soon as its
    previous answer is read.

    A chunk refused as a whole with one of `item_codes` (codes that name an
    item) is split to find the items refused ([`isolation`][lanying_async.bulk.isolation]);
    `deduplicated` says the server de-duplicates each request, so a refusal
    after an attempt that may have run still proves nothing ran. `name` (the
    operation, e.g. `"POST /message/send"`) is shown in the `RuntimeWarning`
    given when a job is garbage-collected without ever having run.
    """

    def __init__(
        self,
        items: Items[ItemT],
        send_chunk: SendChunk[ItemT, KeyT],
        *,
        chunk_size: int,
        concurrency: int,
        key: Callable[[ItemT], KeyT] | None = None,
        limiter: Callable[[], anyio.Semaphore] | None = None,
        validate: Callable[[ItemT], ItemT] | None = None,
        dedupe: bool = True,
        keep_succeeded: bool = True,
        fail_fast: bool = False,
        is_write: bool = True,
        on_progress: Progress[KeyT] | None = None,
        job_wide: Callable[[LanyingError], bool] | None = None,
        item_codes: Collection[int] = (),
        deduplicated: bool = False,
        name: str | None = None,
    ) -> None:
        self._started = True  # until set up: a job refused here has nothing to warn about
        if chunk_size < 1:
            raise ValidationError("chunk_size", "must be at least 1")
        if concurrency < 1:
            raise ValidationError("concurrency", "must be at least 1")
        self._items = items
        self._send_chunk = send_chunk
        self._key: Callable[[ItemT], KeyT] = key if key is not None else _identity  # type: ignore[assignment]
        self.chunk_size = chunk_size
        self.concurrency = concurrency
        self._limiter = limiter
        self._validate = validate
        self._dedupe = dedupe
        self._fail_fast = fail_fast
        self._is_write = is_write
        self._on_progress = on_progress
        self.report: BulkReport[KeyT] = BulkReport(keep_succeeded=keep_succeeded)
        self.name = name
        self._workers = 0
        self._grows = False  # do workers join as input comes? (lazy input)
        self._shared: anyio.Semaphore | None = None
        self._source: ChunkSource[ItemT, KeyT] | None = None
        self._waiting: dict[int, list[KeyT]] = {}  # taken, waiting for the shared limiter
        self._in_flight: dict[int, list[KeyT]] = {}
        self._job_wide = job_wide if job_wide is not None else JobWideErrors()
        self._abort: LanyingError | None = None  # the chunk error that stopped the job
        self._abort_job_wide = False
        self._halted = False  # fail-fast, a job-wide error or the stream's reader stopped it
        self._isolation: Isolation | None = None
        if item_codes and chunk_size > 1:
            self._isolation = Isolation(
                item_codes, chunk_size=chunk_size, is_write=is_write, deduplicated=deduplicated
            )
        self._started = False

    def __del__(self) -> None:
        # As an un-awaited coroutine does: a job never run sent nothing, which its
        # caller would not otherwise learn.
        if not self._started:
            what = f"BulkJob for {self.name}" if self.name else "BulkJob"
            warnings.warn(f"{what} was never awaited", RuntimeWarning, stacklevel=1, source=self)

    # --- running ------------------------------------------------------------

    def __await__(self) -> Generator[object, None, BulkReport[KeyT]]:
        return self.run().__await__()

    async def run(self) -> BulkReport[KeyT]:
        """Run to the end and return the report."""
        self._begin()
        try:
            await self._drive(None)
        finally:
            self._settle()
        self._raise_if_aborted()
        return self.report

    @asynccontextmanager
    async def stream(self) -> AsyncIterator[MemoryObjectReceiveStream[ChunkOutcome[KeyT]]]:
        """Yield chunk outcomes as they complete; leaving the block early stops the job.

        Leaving the block (`break`, `return`, an exception) stops the workers before the stream
        closes, then `job.report` holds what completed: chunks that were in flight are
        `outcome_unknown`, chunks taken but not sent and what is left of an in-memory input are
        `not_started` (see [`BulkReport`][lanying_async.bulk.report.BulkReport] for lazy input).
        An exception raised inside the block propagates as itself.
        """
        self._begin()
        send, receive = anyio.create_memory_object_stream[ChunkOutcome[KeyT]](self.concurrency)
        failure: BaseException | None = None
        try:
            async with anyio.create_task_group() as group:
                group.start_soon(self._drive_into, send)
                try:
                    yield receive
                except Exception as exc:  # the reader's own error: raised again, as itself
                    failure = exc
                finally:
                    # Stop the workers first: closing the stream under a worker
                    # that is handing over an outcome would break it instead.
                    # A worker whose answer is already in may run on before the
                    # cancellation reaches it: the flag keeps it from sending more.
                    self._halted = True
                    group.cancel_scope.cancel()
        except BaseExceptionGroup as grouped:
            if failure is None:
                failure = _first_error(grouped)
        finally:
            send.close()  # the workers' end too, in case they never started
            receive.close()
            self._settle()
        if failure is not None:
            raise failure
        self._raise_if_aborted()

    # --- internals ----------------------------------------------------------

    def _stops(self, error: LanyingError) -> bool:
        """Does this chunk's error stop the job? (fail-fast, or no chunk could escape it)"""
        if self._job_wide(error):
            self._abort_job_wide = True
            return True
        return self._fail_fast

    def _stopped(self) -> bool:
        """Has the job been stopped? (a call: asked again after every wait)"""
        return self._halted

    def _begin(self) -> None:
        if self._started:
            raise RuntimeError("a BulkJob runs once; call the bulk method again")
        self._started = True

    def _raise_if_aborted(self) -> None:
        error = self._abort
        if error is None:
            return
        if self._abort_job_wide:
            message = f"stopped: every chunk would fail the same way: {error}"
        else:
            message = f"stopped after a chunk failed (fail_fast): {error}"
        raise BulkAbortedError(self.report, message, job_wide=self._abort_job_wide) from error

    def _open_source(self) -> ChunkSource[ItemT, KeyT]:
        source = self._items
        identity = self._key is _identity
        if isinstance(source, list | tuple) and identity and self._validate is None:
            # In memory and already checked: slice, no per-item Python work.
            return SlicedSource(source, self.chunk_size, self.report, dedupe=self._dedupe)
        return CollectedSource(
            source,
            self.chunk_size,
            self.report,
            key=self._key,
            validate=self._validate,
            dedupe=self._dedupe,
            show_items=identity,  # records (pairs with a password...) are never echoed
        )

    async def _drive_into(self, send: MemoryObjectSendStream[ChunkOutcome[KeyT]]) -> None:
        async with send:
            await self._drive(send)

    async def _drive(self, emit: MemoryObjectSendStream[ChunkOutcome[KeyT]] | None) -> None:
        """Run the workers until the input is used up (or a fail-fast stop)."""
        source = self._source = self._open_source()
        if self._limiter is not None:
            self._shared = self._limiter()
        # Chunks of a list are counted up front: that many workers (at most the
        # concurrency) start at once. Lazy input grows its workers as it yields.
        known = source.chunks_left()
        self._grows = known is None
        self._workers = 1 if known is None else max(1, min(self.concurrency, known))
        failure: BaseException | None = None
        try:
            async with anyio.create_task_group() as workers:
                for _ in range(self._workers):
                    workers.start_soon(self._worker, workers, source, emit)
        except BaseExceptionGroup as grouped:
            failure = _first_error(grouped)
        finally:
            await source.aclose()
        if failure is not None:
            raise failure  # outside the handler: the error comes back as itself

    async def _worker(
        self,
        workers: anyio.abc.TaskGroup,
        source: ChunkSource[ItemT, KeyT],
        emit: MemoryObjectSendStream[ChunkOutcome[KeyT]] | None,
    ) -> None:
        joined = False
        while True:
            if self._stopped():  # what is left of the input stays unread, or not started
                return
            chunk = await source.take()
            if chunk is None:
                return
            if not joined and self._grows and self._workers < self.concurrency:
                # There is input: one more worker joins, until the job's concurrency.
                joined = True
                self._workers += 1
                workers.start_soon(self._worker, workers, source, emit)
            outcome = await self._send(*chunk)
            if outcome is None:  # stopped before it was sent: not started
                return
            self._record(outcome)
            if outcome.error is not None and self._abort is None and self._stops(outcome.error):
                self._abort = self.report.stopped_by = outcome.error
                self._halted = True
                source.stop()
            if self._on_progress is not None:
                self._on_progress(outcome, self.report)
            if emit is not None:
                try:
                    emit.send_nowait(outcome)
                except anyio.WouldBlock:  # the reader is behind: wait for it
                    await emit.send(outcome)

    async def _send(
        self, index: int, items: list[ItemT], keys: list[KeyT]
    ) -> ChunkOutcome[KeyT] | None:
        """Send one chunk under the client-wide cap; its outcome (never raises LanyingError).

        None when the job was stopped before it was sent (fail-fast, or its
        reader left while it waited for the cap): it stays among the chunks
        taken but never sent.
        """
        shared = self._shared
        if self._stopped():  # the job was stopped while the chunk was read
            self._waiting[index] = keys
            return None
        if shared is not None:
            try:
                shared.acquire_nowait()
            except anyio.WouldBlock:
                self._waiting[index] = keys  # a stop now leaves it not started
                await shared.acquire()
                if self._stopped():
                    shared.release()
                    return None
                del self._waiting[index]
        self._in_flight[index] = keys
        turn_pending.set(False)
        try:
            try:
                result = await self._send_chunk(items)
            except LanyingError as exc:
                # A cancellation while the chunk is split leaves it in flight: its
                # parts may have run, so it is outcome_unknown, never not_started.
                if self._splits(exc, items):
                    outcome = await self._isolate(index, items, keys, exc)
                else:
                    outcome = self._chunk_failed(index, keys, exc)
            except BaseException:
                if turn_pending.get():  # stopped while its request waited for its turn
                    del self._in_flight[index]
                    self._waiting[index] = keys
                raise
            else:
                outcome = self._chunk_done(index, keys, result)
                if self._isolation is not None:  # refusals are about items from now on
                    self._isolation.answered = True
        finally:
            if shared is not None:
                shared.release()
        del self._in_flight[index]
        return outcome

    def _splits(self, error: LanyingError, items: list[ItemT]) -> TypeGuard[LanyingAPIError]:
        """Is this chunk's refusal one to isolate the refused items of?"""
        isolation = self._isolation
        return (
            isolation is not None
            and len(items) > 1
            and isolation.splits(error)
            and not self._job_wide(error)
        )

    async def _isolate(
        self, index: int, items: list[ItemT], keys: list[KeyT], error: LanyingAPIError
    ) -> ChunkOutcome[KeyT]:
        assert self._isolation is not None  # as _splits said
        # Made for each search: kept on the job, its bound methods would hold the job
        # in a cycle, and a job never run would warn only when the collector runs.
        calls = ChunkCalls(self._send_chunk, self._chunk_done, self._chunk_failed, self._stopped)
        return await self._isolation.search(index, items, keys, error, calls)

    def _chunk_done(
        self, index: int, chunk: list[KeyT], result: ChunkResult[KeyT]
    ) -> ChunkOutcome[KeyT]:
        succeeded = result.succeeded
        if not result.failed and (succeeded is chunk or succeeded == chunk):
            return ChunkOutcome(index, chunk, chunk, {}, None, result.value, results=result.results)
        # Reconcile the reply with the chunk: items it did not ask about are
        # dropped, items it forgot fail, a failure outweighs a success.
        wanted = set(chunk)
        failed = {i: e for i, e in result.failed.items() if i in wanted}
        if len(wanted) == len(chunk):  # each item once: one outcome each
            succeeded = list(dict.fromkeys(i for i in succeeded if i in wanted and i not in failed))
            if len(succeeded) + len(failed) != len(chunk):
                done = failed.keys() | set(succeeded)
                for item in chunk:
                    if item not in done:
                        failed[item] = _NO_RESULT
        else:  # repeats, sent as they came (dedupe off): one outcome per occurrence
            succeeded = _per_occurrence(chunk, succeeded, failed)
        results = result.results
        if results is not None:
            ok = set(succeeded)
            results = {i: v for i, v in results.items() if i in ok}
        return ChunkOutcome(index, chunk, succeeded, failed, None, result.value, results=results)

    def _chunk_failed(self, index: int, chunk: list[KeyT], exc: LanyingError) -> ChunkOutcome[KeyT]:
        if self._is_write and exc.may_have_run:
            return ChunkOutcome(index, chunk, [], {}, exc, unknown=list(chunk))
        error = ItemError.from_exception(exc)
        return ChunkOutcome(index, chunk, [], dict.fromkeys(chunk, error), exc)

    def _record(self, outcome: ChunkOutcome[KeyT]) -> None:
        report = self.report
        report.chunks += 1
        report.requests += outcome.requests
        report.add_succeeded(outcome.succeeded)
        if outcome.failed:
            report.failed.update(outcome.failed.items())
            report.failed_count += outcome.failed_count
        report.outcome_unknown.extend(outcome.unknown)
        if outcome.value is not None:
            report.values.append(outcome.value)
        if outcome.requests > 1:  # split to isolate its refused items
            report.isolation_requests += outcome.requests - 1
            report.isolated.extend(outcome.isolated)
            report.values.extend(outcome.more_values)
        if outcome.results and report.keep_succeeded:
            report.results.update(outcome.results)

    def _settle(self) -> None:
        """After the job: in-flight chunks are unknown, taken but unsent items not started.

        So is what the source read but put in no chunk, and what is left of an
        in-memory input after a stop.
        """
        report = self.report
        for chunk in self._in_flight.values():
            report.outcome_unknown.extend(chunk)
        self._in_flight.clear()
        for chunk in self._waiting.values():
            report.not_started.extend(chunk)
        self._waiting.clear()
        source = self._source
        if source is not None:
            report.not_started.extend(source.leftovers())
            report.input_exhausted = source.exhausted


def _identity(item: ItemT) -> ItemT:
    return item


def _per_occurrence(
    chunk: list[KeyT], succeeded: list[KeyT], failed: dict[KeyT, ItemError]
) -> list[KeyT]:
    """The successes of a chunk that holds an item more than once, one per occurrence.

    An item succeeds as many times as the reply lists it as succeeded, at most
    once per occurrence, and one time fewer if the reply also reports a
    failure for it; its other occurrences fail (added to `failed`).
    """
    sent = Counter(chunk)
    wins = Counter(i for i in succeeded if i in sent)
    for item, count in wins.items():
        wins[item] = min(count, sent[item] - (item in failed))
    kept: list[KeyT] = []
    for item in chunk:
        if wins[item] > 0:
            wins[item] -= 1
            kept.append(item)
        elif item not in failed:
            failed[item] = _NO_RESULT
    return kept


def _first_error(grouped: BaseExceptionGroup[BaseException]) -> BaseException:
    """The error that stopped the job, out of the task group's wrapping.

    The first one stops the job; workers that finish a step meanwhile may raise
    again (a failing `on_progress` is called by each), so the rest are its
    echoes. An interrupt (a `BaseException` that is no `Exception`) wins.
    """
    errors: list[BaseException] = []
    pending: list[BaseException] = [grouped]
    while pending:
        error = pending.pop(0)
        if isinstance(error, BaseExceptionGroup):
            pending[:0] = error.exceptions
        else:
            errors.append(error)
    interrupts = [error for error in errors if not isinstance(error, Exception)]
    return (interrupts or errors)[0]
