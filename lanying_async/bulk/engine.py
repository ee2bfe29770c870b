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
    LanyingError,
    OutcomeUnknownError,
    ResponseDecodeError,
    ValidationError,
)
from lanying_async.errors.base import reached_server_unanswered

if sys.version_info < (3, 11):  # pragma: no cover
    from exceptiongroup import BaseExceptionGroup

__all__ = ["BulkJob", "Items", "SendChunk"]

ItemT = TypeVar("ItemT")  # an input item
KeyT = TypeVar("KeyT", bound=Hashable)  # the key an item is reported under

Items = Iterable[ItemT] | AsyncIterable[ItemT]
SendChunk = Callable[[list[ItemT]], Awaitable[ChunkResult[KeyT]]]
Progress = Callable[[ChunkOutcome[KeyT], BulkReport[KeyT]], object]

_NO_RESULT = ItemError(None, "the reply did not mention this item")


def _uncertain(exc: LanyingError) -> bool:
    """Did the request reach the server without us learning what it did?

    A garbled answer (``ResponseDecodeError``) counts: the server answered, so
    a write may well have run.
    """
    if isinstance(exc, OutcomeUnknownError | ResponseDecodeError):
        return True
    return reached_server_unanswered(exc)


class BulkJob(Generic[ItemT, KeyT]):
    """One bulk operation over many items; runs once (awaited or streamed).

    Items are reported under ``key(item)`` (the item itself by default): a user
    id, a username, ... ``send_chunk`` sends one request for a list of items and
    says, by key, which succeeded and which failed.
    """

    def __init__(
        self,
        items: Items[ItemT],
        send_chunk: SendChunk[ItemT, KeyT],
        *,
        chunk_size: int,
        concurrency: int,
        key: Callable[[ItemT], KeyT] | None = None,
        limiter: Callable[[], anyio.CapacityLimiter] | None = None,
        validate: Callable[[ItemT], ItemT] | None = None,
        dedupe: bool = True,
        keep_succeeded: bool = True,
        fail_fast: bool = False,
        is_write: bool = True,
        on_progress: Progress[KeyT] | None = None,
    ) -> None:
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
        self._started = False
        self._in_flight: dict[int, list[KeyT]] = {}
        self._held: list[KeyT] | None = None  # taken from the input, waiting for a slot
        self._abort: LanyingError | None = None

    # --- running ------------------------------------------------------------

    def __await__(self) -> Generator[object, None, BulkReport[KeyT]]:
        return self.run().__await__()

    async def run(self) -> BulkReport[KeyT]:
        """Run to the end and return the report."""
        async with self.stream() as outcomes:
            async for _ in outcomes:
                pass
        return self.report

    @asynccontextmanager
    async def stream(self) -> AsyncIterator[MemoryObjectReceiveStream[ChunkOutcome[KeyT]]]:
        """Yield chunk outcomes as they complete; leaving the block early cancels the rest.

        After cancellation ``job.report`` holds what completed; chunks that were
        in flight are ``outcome_unknown`` and chunks taken but not sent are
        ``not_started``.
        """
        if self._started:
            raise RuntimeError("a BulkJob runs once; call the bulk method again")
        self._started = True
        send, receive = anyio.create_memory_object_stream[ChunkOutcome[KeyT]](self.concurrency)
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

    async def _produce(self, send: MemoryObjectSendStream[ChunkOutcome[KeyT]]) -> None:
        slots = anyio.Semaphore(self.concurrency)
        async with send, anyio.create_task_group() as workers:
            index = 0
            async with aclosing(self._chunks()) as chunks:
                async for items, keys in chunks:
                    self._held = keys
                    await slots.acquire()
                    if self._abort is not None:
                        slots.release()
                        break
                    self._held = None
                    self._in_flight[index] = keys
                    workers.start_soon(self._work, index, items, keys, send, slots)
                    index += 1

    async def _chunks(self) -> AsyncGenerator[tuple[list[ItemT], list[KeyT]], None]:
        source = self._items
        if isinstance(source, list | tuple) and self._key is _identity and self._validate is None:
            # In memory and already checked: slice, no per-item Python work.
            async with aclosing(self._sliced(source)) as parts:
                async for part in parts:
                    yield part
            return
        async with aclosing(self._item_by_item()) as parts:
            async for part in parts:
                yield part

    async def _sliced(
        self, source: list[ItemT] | tuple[ItemT, ...]
    ) -> AsyncGenerator[tuple[list[ItemT], list[KeyT]], None]:
        seen: set[KeyT] = set()
        size = self.chunk_size
        for start in range(0, len(source), size):
            part = list(source[start : start + size])
            if self._dedupe:
                fresh = set(part)
                if len(fresh) == len(part) and seen.isdisjoint(fresh):
                    seen |= fresh  # type: ignore[arg-type]
                else:
                    part = self._drop_repeats(part, seen)  # type: ignore[arg-type, assignment]
            if part:
                # The same list serves as items and keys: the key is the item.
                yield part, part  # type: ignore[misc]

    def _drop_repeats(self, part: list[KeyT], seen: set[KeyT]) -> list[KeyT]:
        kept: list[KeyT] = []
        for key in part:
            if key in seen:
                self.report.skipped.append(key)
            else:
                seen.add(key)
                kept.append(key)
        return kept

    async def _item_by_item(self) -> AsyncGenerator[tuple[list[ItemT], list[KeyT]], None]:
        source = self._items
        add = self._collector()
        if isinstance(source, AsyncIterable):
            async for item in source:
                full = add(item)
                if full is not None:
                    yield full
        else:
            for item in source:
                full = add(item)
                if full is not None:
                    yield full
        last = add(None, flush=True)
        if last is not None:
            yield last

    def _collector(
        self,
    ) -> Callable[..., tuple[list[ItemT], list[KeyT]] | None]:
        """A function taking items one at a time and handing back each full chunk."""
        seen: set[KeyT] = set()
        items: list[ItemT] = []
        keys: list[KeyT] = []
        size = self.chunk_size
        key_of = self._key
        validate = self._validate
        dedupe = self._dedupe
        report = self.report

        def add(item: ItemT, flush: bool = False) -> tuple[list[ItemT], list[KeyT]] | None:
            nonlocal items, keys
            if not flush:
                if validate is not None:
                    try:
                        item = validate(item)
                    except ValidationError as exc:
                        report.failed[key_of(item)] = ItemError(None, exc.reason, exc)
                        return None
                key = key_of(item)
                if dedupe:
                    if key in seen:
                        report.skipped.append(key)
                        return None
                    seen.add(key)
                items.append(item)
                keys.append(key)
                if len(items) < size:
                    return None
            elif not items:
                return None
            full = (items, keys)
            items, keys = [], []
            return full

        return add

    async def _work(
        self,
        index: int,
        items: list[ItemT],
        keys: list[KeyT],
        send: MemoryObjectSendStream[ChunkOutcome[KeyT]],
        slots: anyio.Semaphore,
    ) -> None:
        try:
            try:
                if self._limiter is None:
                    result = await self._send_chunk(items)
                else:
                    async with self._limiter():
                        result = await self._send_chunk(items)
            except LanyingError as exc:
                outcome = self._chunk_failed(index, keys, exc)
            else:
                outcome = self._chunk_done(index, keys, result)
            del self._in_flight[index]
            self._record(outcome)
            if outcome.error is not None and self._fail_fast and self._abort is None:
                self._abort = outcome.error
            if self._on_progress is not None:
                self._on_progress(outcome, self.report)
            await send.send(outcome)
        finally:
            slots.release()

    def _chunk_done(
        self, index: int, chunk: list[KeyT], result: ChunkResult[KeyT]
    ) -> ChunkOutcome[KeyT]:
        if result.succeeded is chunk and not result.failed:  # everything went through
            return ChunkOutcome(index, chunk, chunk, {}, None, result.value, results=result.results)
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

    def _chunk_failed(self, index: int, chunk: list[KeyT], exc: LanyingError) -> ChunkOutcome[KeyT]:
        if self._is_write and _uncertain(exc):
            return ChunkOutcome(index, chunk, [], {}, exc, unknown=list(chunk))
        error = ItemError.from_exception(exc)
        return ChunkOutcome(index, chunk, [], dict.fromkeys(chunk, error), exc)

    def _record(self, outcome: ChunkOutcome[KeyT]) -> None:
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


def _identity(item: ItemT) -> ItemT:
    return item


def _reraise_single(grouped: BaseExceptionGroup[BaseException]) -> None:
    """Task groups wrap errors; callers get the single underlying error back."""
    errors = grouped.exceptions
    if len(errors) == 1:
        inner = errors[0]
        if isinstance(inner, BaseExceptionGroup):
            _reraise_single(inner)
        raise inner
    raise grouped
