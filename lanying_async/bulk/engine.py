"""The bulk engine: split any (async) iterable into chunks, run them concurrently, merge.

One :class:`BulkJob` per bulk call. Input is consumed lazily, so memory is
bounded by the chunks in flight, not by the input. Concurrency is bounded per
job (``concurrency``) and client-wide (a ``CapacityLimiter`` sized to the
connection pool, shared by every job of the client), so jobs never wait on the
pool. Await the job for its :class:`BulkReport`, or stream chunk outcomes as
they complete::

    report = await client.groups.invite(group_id, user_ids)

    async with client.groups.invite(group_id, user_ids).stream() as outcomes:
        async for outcome in outcomes:
            print(outcome.index, len(outcome.succeeded))
"""

from __future__ import annotations

import sys
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Hashable,
    Iterable,
)
from contextlib import aclosing, asynccontextmanager
from typing import Generic, TypeVar

import anyio
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from lanying_async.bulk.errors import BulkAbortedError
from lanying_async.bulk.report import BulkReport, ChunkOutcome, ChunkResult, ItemError
from lanying_async.errors import (
    LanyingConnectionError,
    LanyingError,
    LanyingTimeoutError,
    ValidationError,
)

if sys.version_info < (3, 11):  # pragma: no cover
    from exceptiongroup import BaseExceptionGroup

__all__ = ["BulkJob", "Items", "SendChunk"]

T = TypeVar("T", bound=Hashable)

Items = Iterable[T] | AsyncIterable[T]
SendChunk = Callable[[list[T]], Awaitable[ChunkResult[T]]]
Progress = Callable[[ChunkOutcome[T], BulkReport[T]], object]

_NO_RESULT = ItemError(None, "the reply did not mention this item")


def _uncertain(exc: LanyingError) -> bool:
    """Did the request reach the server without us learning what it did?"""
    return isinstance(exc, LanyingConnectionError | LanyingTimeoutError) and exc.request_sent


class BulkJob(Generic[T]):
    """One bulk operation over many items; runs once (awaited or streamed)."""

    def __init__(
        self,
        items: Items[T],
        send_chunk: SendChunk[T],
        *,
        chunk_size: int,
        concurrency: int,
        limiter: Callable[[], anyio.CapacityLimiter] | None = None,
        validate: Callable[[T], T] | None = None,
        dedupe: bool = True,
        keep_succeeded: bool = True,
        fail_fast: bool = False,
        is_write: bool = True,
        on_progress: Progress[T] | None = None,
    ) -> None:
        if chunk_size < 1:
            raise ValidationError("chunk_size", "must be at least 1")
        if concurrency < 1:
            raise ValidationError("concurrency", "must be at least 1")
        self._items = items
        self._send_chunk = send_chunk
        self.chunk_size = chunk_size
        self.concurrency = concurrency
        self._limiter = limiter
        self._validate = validate
        self._dedupe = dedupe
        self._fail_fast = fail_fast
        self._is_write = is_write
        self._on_progress = on_progress
        self.report: BulkReport[T] = BulkReport(keep_succeeded=keep_succeeded)
        self._started = False
        self._in_flight: dict[int, list[T]] = {}
        self._held: list[T] | None = None  # taken from the input, waiting for a slot
        self._abort: LanyingError | None = None

    # --- running ------------------------------------------------------------

    def __await__(self) -> Generator[object, None, BulkReport[T]]:
        return self.run().__await__()

    async def run(self) -> BulkReport[T]:
        """Run to the end and return the report."""
        async with self.stream() as outcomes:
            async for _ in outcomes:
                pass
        return self.report

    @asynccontextmanager
    async def stream(self) -> AsyncIterator[MemoryObjectReceiveStream[ChunkOutcome[T]]]:
        """Yield chunk outcomes as they complete; leaving the block early cancels the rest.

        After cancellation ``job.report`` holds what completed; chunks that were
        in flight are ``outcome_unknown`` and chunks taken but not sent are
        ``not_started``.
        """
        if self._started:
            raise RuntimeError("a BulkJob runs once; call the bulk method again")
        self._started = True
        send, receive = anyio.create_memory_object_stream[ChunkOutcome[T]](self.concurrency)
        try:
            async with anyio.create_task_group() as group:
                group.start_soon(self._produce, send)
                try:
                    async with receive:
                        yield receive
                finally:
                    group.cancel_scope.cancel()
        except BaseExceptionGroup as grouped:
            _reraise_single(grouped)
        finally:
            self._settle()
        if self._abort is not None:
            raise BulkAbortedError(
                self.report, f"stopped after a chunk failed: {self._abort}"
            ) from self._abort

    # --- internals ----------------------------------------------------------

    async def _produce(self, send: MemoryObjectSendStream[ChunkOutcome[T]]) -> None:
        slots = anyio.Semaphore(self.concurrency)
        async with send, anyio.create_task_group() as workers:
            index = 0
            async with aclosing(self._chunks()) as chunks:
                async for chunk in chunks:
                    self._held = chunk
                    await slots.acquire()
                    if self._abort is not None:
                        slots.release()
                        break
                    self._held = None
                    self._in_flight[index] = chunk
                    workers.start_soon(self._work, index, chunk, send, slots)
                    index += 1

    async def _chunks(self) -> AsyncGenerator[list[T], None]:
        seen: set[T] = set()
        chunk: list[T] = []
        size = self.chunk_size
        async with aclosing(_aiter(self._items)) as source:
            async for item in source:
                if self._validate is not None:
                    try:
                        item = self._validate(item)
                    except ValidationError as exc:
                        self.report.failed[item] = ItemError(None, exc.reason, exc)
                        continue
                if self._dedupe:
                    if item in seen:
                        self.report.skipped.append(item)
                        continue
                    seen.add(item)
                chunk.append(item)
                if len(chunk) >= size:
                    yield chunk
                    chunk = []
        if chunk:
            yield chunk

    async def _work(
        self,
        index: int,
        chunk: list[T],
        send: MemoryObjectSendStream[ChunkOutcome[T]],
        slots: anyio.Semaphore,
    ) -> None:
        try:
            try:
                if self._limiter is None:
                    result = await self._send_chunk(chunk)
                else:
                    async with self._limiter():
                        result = await self._send_chunk(chunk)
            except LanyingError as exc:
                outcome = self._chunk_failed(index, chunk, exc)
            else:
                outcome = self._chunk_done(index, chunk, result)
            del self._in_flight[index]
            self._record(outcome)
            if outcome.error is not None and self._fail_fast and self._abort is None:
                self._abort = outcome.error
            if self._on_progress is not None:
                self._on_progress(outcome, self.report)
            await send.send(outcome)
        finally:
            slots.release()

    def _chunk_done(self, index: int, chunk: list[T], result: ChunkResult[T]) -> ChunkOutcome[T]:
        # Reconcile the reply with the chunk: items it did not ask about are
        # dropped, items it forgot fail, an item reported twice counts once.
        wanted = set(chunk)
        failed = {i: e for i, e in result.failed.items() if i in wanted}
        succeeded = list(
            dict.fromkeys(i for i in result.succeeded if i in wanted and i not in failed)
        )
        if len(succeeded) + len(failed) != len(chunk):
            done = failed.keys() | set(succeeded)
            for item in chunk:
                if item not in done:
                    failed[item] = _NO_RESULT
        results = result.results
        if results is not None:
            results = {i: v for i, v in results.items() if i in wanted and i not in failed}
        return ChunkOutcome(index, chunk, succeeded, failed, None, result.value, results=results)

    def _chunk_failed(self, index: int, chunk: list[T], exc: LanyingError) -> ChunkOutcome[T]:
        if self._is_write and _uncertain(exc):
            outcome: ChunkOutcome[T] = ChunkOutcome(index, chunk, [], {}, exc)
            outcome.unknown = list(chunk)
            return outcome
        error = ItemError.from_exception(exc)
        return ChunkOutcome(index, chunk, [], dict.fromkeys(chunk, error), exc)

    def _record(self, outcome: ChunkOutcome[T]) -> None:
        report = self.report
        report.chunks += 1
        report.requests += 1
        report.add_succeeded(outcome.succeeded)
        report.failed.update(outcome.failed)
        report.outcome_unknown.extend(outcome.unknown)
        if outcome.value is not None:
            report.values.append(outcome.value)
        if outcome.results and report.keep_succeeded:
            report.results.update(outcome.results)

    def _settle(self) -> None:
        """After a stop: in-flight chunks are unknown, held ones never started."""
        for chunk in self._in_flight.values():
            self.report.outcome_unknown.extend(chunk)
        self._in_flight.clear()
        if self._held is not None:
            self.report.not_started.extend(self._held)
            self._held = None


async def _aiter(items: Items[T]) -> AsyncGenerator[T, None]:
    if isinstance(items, AsyncIterable):
        async for item in items:
            yield item
    else:
        for item in items:
            yield item


def _reraise_single(grouped: BaseExceptionGroup[BaseException]) -> None:
    """Task groups wrap errors; callers get the single underlying error back."""
    errors = grouped.exceptions
    if len(errors) == 1:
        inner = errors[0]
        if isinstance(inner, BaseExceptionGroup):
            _reraise_single(inner)
        raise inner
    raise grouped
