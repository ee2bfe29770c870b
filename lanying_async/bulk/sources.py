"""Where a bulk job's chunks come from: its input, cut into lists, repeats left out.

Two sources, chosen by the input:

- :class:`SlicedSource` for a list or tuple already checked: chunks are slices,
  with no Python work per item. Keys arriving in strictly increasing order
  (ids read from a sorted table) are de-duplicated by comparing each chunk with
  the previous one, so no set of every id is built; the first chunk out of
  order switches to a set made from what came before.
- :class:`CollectedSource` for anything else, item by item: each item is
  checked, keyed and remembered as it is taken; async iterables are pulled by
  one worker at a time.

Both hand out ``(index, items, keys)`` and return None once the input is used up.
"""

from __future__ import annotations

import operator
from collections.abc import AsyncIterable, AsyncIterator, Callable, Hashable, Iterable, Iterator
from typing import Any, Generic, Protocol, TypeVar, cast

import anyio

from lanying_async.bulk.report import BulkReport, ItemError
from lanying_async.errors import ValidationError

__all__ = ["Chunk", "ChunkSource", "CollectedSource", "SlicedSource"]

ItemT = TypeVar("ItemT")
KeyT = TypeVar("KeyT", bound=Hashable)

Chunk = tuple[int, list[ItemT], list[KeyT]]
"""A chunk's index, its items and their keys."""


class ChunkSource(Protocol[ItemT, KeyT]):
    async def take(self) -> Chunk[ItemT, KeyT] | None:
        """The next chunk, or None when the input is used up."""
        ...

    def pending(self) -> list[KeyT]:
        """Keys taken from the input but not yet in any chunk (after a stop)."""
        ...

    def chunks_left(self) -> int | None:
        """How many chunks are still to come, at most; None when the input is lazy."""
        ...

    async def aclose(self) -> None: ...


_less = cast("Callable[[Any, Any], bool]", operator.lt)


def _increasing(part: list[KeyT], after: KeyT | None) -> bool:
    """Is ``part`` strictly increasing, and above ``after``? (ints or strs only)"""
    first = part[0]
    if type(first) is not int and type(first) is not str:
        return False
    try:
        if after is not None and not first > after:  # type: ignore[operator]
            return False
        # A slice, not ``islice``: copying 500 pointers costs less than an
        # iterator step per pair.
        return all(map(_less, part, part[1:]))
    except TypeError:  # mixed types cannot be ordered
        return False


class SlicedSource(Generic[KeyT]):
    """An in-memory sequence whose items are their own keys, cut by slicing."""

    def __init__(
        self,
        source: list[KeyT] | tuple[KeyT, ...],
        size: int,
        report: BulkReport[KeyT],
        *,
        dedupe: bool,
    ) -> None:
        self._source = source
        self._size = size
        self._report = report
        self._dedupe = dedupe
        self._start = 0
        self._index = 0
        self._last: KeyT | None = None  # the greatest key so far, while keys increase
        self._seen: set[KeyT] | None = None  # every key so far, once they stopped increasing

    async def take(self) -> Chunk[KeyT, KeyT] | None:
        return self.next_chunk()

    def chunks_left(self) -> int:
        return -(-(len(self._source) - self._start) // self._size)  # fewer if repeats empty some

    def next_chunk(self) -> Chunk[KeyT, KeyT] | None:
        source, size = self._source, self._size
        while self._start < len(source):
            start = self._start
            self._start = start + size
            part = source[start : start + size]
            if type(part) is not list:  # a tuple's slice: the job needs a list
                part = list(part)
            if self._dedupe:
                part = self._fresh(part, start)
            if part:
                index = self._index
                self._index += 1
                # The same list serves as items and keys: the key is the item.
                return index, part, part
        return None

    def _fresh(self, part: list[KeyT], start: int) -> list[KeyT]:
        seen = self._seen
        if seen is None:
            if _increasing(part, self._last):
                self._last = part[-1]
                return part
            # Everything before ``start`` was distinct (it kept increasing).
            seen = self._seen = set(self._source[:start])
        if seen.isdisjoint(part):
            before = len(seen)
            seen.update(part)
            if len(seen) - before == len(part):
                return part
            seen.difference_update(part)  # repeats inside the chunk: none was seen before
        kept: list[KeyT] = []
        skipped = self._report.skipped
        for key in part:
            if key in seen:
                skipped.append(key)
            else:
                seen.add(key)
                kept.append(key)
        return kept

    def pending(self) -> list[KeyT]:
        return []

    async def aclose(self) -> None:
        return None


class CollectedSource(Generic[ItemT, KeyT]):
    """Any iterable or async iterable, taken item by item (checked, keyed, de-duplicated)."""

    def __init__(
        self,
        source: Iterable[ItemT] | AsyncIterable[ItemT],
        size: int,
        report: BulkReport[KeyT],
        *,
        key: Callable[[ItemT], KeyT],
        validate: Callable[[ItemT], ItemT] | None,
        dedupe: bool,
    ) -> None:
        self._sync: Iterator[ItemT] | None = None
        self._async: AsyncIterator[ItemT] | None = None
        if isinstance(source, AsyncIterable):
            self._async = aiter(source)
        else:
            self._sync = iter(source)
        self._size = size
        self._report = report
        self._key = key
        self._validate = validate
        self._seen: set[KeyT] | None = set() if dedupe else None
        self._items: list[ItemT] = []
        self._keys: list[KeyT] = []
        self._index = 0
        self._done = False
        self._lock: anyio.Lock | None = None  # one puller at a time (async input only)

    async def take(self) -> Chunk[ItemT, KeyT] | None:
        if self._async is None:
            return self._fill_from(self._sync)  # type: ignore[arg-type]
        lock = self._lock
        if lock is None:
            lock = self._lock = anyio.Lock(fast_acquire=True)
        async with lock:
            pull = self._async.__anext__
            while not self._done:
                try:
                    item = await pull()
                except StopAsyncIteration:
                    self._done = True
                    break
                if self._add(item):
                    return self._cut()
            return self._cut() if self._items else None

    def _fill_from(self, items: Iterator[ItemT]) -> Chunk[ItemT, KeyT] | None:
        if not self._done:
            for item in items:
                if self._add(item):
                    return self._cut()
            self._done = True
        return self._cut() if self._items else None

    def _add(self, item: ItemT) -> bool:
        """Take one item; True once the chunk is full."""
        if self._validate is not None:
            try:
                item = self._validate(item)
            except ValidationError as exc:
                self._report.failed[self._key(item)] = ItemError(None, exc.reason, exc)
                return False
        key = self._key(item)
        seen = self._seen
        if seen is not None:
            if key in seen:
                self._report.skipped.append(key)
                return False
            seen.add(key)
        self._items.append(item)
        self._keys.append(key)
        return len(self._items) >= self._size

    def _cut(self) -> Chunk[ItemT, KeyT]:
        chunk = (self._index, self._items, self._keys)
        self._index += 1
        self._items, self._keys = [], []
        return chunk

    def pending(self) -> list[KeyT]:
        return self._keys

    def chunks_left(self) -> None:
        return None

    async def aclose(self) -> None:
        close = getattr(self._async, "aclose", None)
        if close is not None:
            with anyio.CancelScope(shield=True):  # let the generator clean up, even on cancel
                await close()
