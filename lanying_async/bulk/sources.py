"""Where a bulk job's chunks come from: its input, cut into lists, repeats left out.

Two sources, chosen by the input:

- [`SlicedSource`][lanying_async.bulk.sources.SlicedSource] for a list or tuple already checked:
  chunks are slices, with no Python work per item. Keys arriving in strictly increasing order (ids
  read from a sorted table) are de-duplicated by comparing each chunk with the previous one, so no
  set of every id is built; the first chunk out of order switches to a set made from what came
  before.
- [`CollectedSource`][lanying_async.bulk.sources.CollectedSource] for anything else, item by item:
  each item is checked, keyed and remembered as it is taken (a bad one fails alone, in the report,
  and never reaches a chunk); async iterables are pulled by one worker at a time.

Both hand out `(index, items, keys)` and return None once the input is used up or the source is
stopped. After the job,
[`ChunkSource.leftovers()`][lanying_async.bulk.sources.ChunkSource.leftovers] gives what was read
(or, for a list, is left in it) but never put in a chunk.
"""

from __future__ import annotations

import operator
import reprlib
from collections.abc import AsyncIterable, AsyncIterator, Callable, Hashable, Iterable, Iterator
from typing import Any, Generic, Protocol, TypeVar, cast

import anyio

from lanying_async.bulk.report import BulkReport, InvalidItem, ItemError
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

    def stop(self) -> None:
        """Hand out no more chunks (and, for lazy input, read no further)."""
        ...

    def leftovers(self) -> list[KeyT]:
        """After the job: keys read but in no chunk, and what a list still holds.

        Repeats among them (when de-duplicating) go to the report's `skipped`.
        """
        ...

    @property
    def exhausted(self) -> bool:
        """Has every input item been read (or, for a list, been given out)?"""
        ...

    def chunks_left(self) -> int | None:
        """How many chunks are still to come, at most; None when the input is lazy."""
        ...

    async def aclose(self) -> None: ...


_less = cast("Callable[[Any, Any], bool]", operator.lt)


def _increasing(part: list[KeyT], after: KeyT | None) -> bool:
    """Is `part` strictly increasing, and above `after`? (ints or strs only)"""
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
        self._stopped = False

    async def take(self) -> Chunk[KeyT, KeyT] | None:
        return None if self._stopped else self.next_chunk()

    def stop(self) -> None:
        self._stopped = True

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

    def leftovers(self) -> list[KeyT]:
        """The part of the list no chunk took (a slice at stop time: nothing per item before)."""
        source, start = self._source, self._start
        if start >= len(source):
            return []
        self._start = len(source)
        rest = list(source[start:])
        if not self._dedupe:
            return rest
        if self._seen is None:  # keys were increasing so far: all of them were distinct
            self._seen = set(source[:start])
        return self._fresh(rest, start)

    @property
    def exhausted(self) -> bool:
        return self._start >= len(self._source)

    async def aclose(self) -> None:
        return None


class CollectedSource(Generic[ItemT, KeyT]):
    """Any iterable or async iterable, taken item by item (checked, keyed, de-duplicated).

    An item that fails its check, or has no key that can be hashed, fails alone in the report and
    never reaches a chunk (an item that passed a check is trusted to have one); with `dedupe` a
    later item with the same key is a repeat, skipped, whether the first was good or not. An item
    that cannot be keyed at all is reported under an
    [`InvalidItem`][lanying_async.bulk.report.InvalidItem] (`show_items`: whether its text may
    show the item).
    """

    def __init__(
        self,
        source: Iterable[ItemT] | AsyncIterable[ItemT],
        size: int,
        report: BulkReport[KeyT],
        *,
        key: Callable[[ItemT], KeyT],
        validate: Callable[[ItemT], ItemT] | None,
        dedupe: bool,
        show_items: bool = True,
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
        self._show_items = show_items
        self._seen: set[KeyT] | None = set() if dedupe else None
        self._items: list[ItemT] = []
        self._keys: list[KeyT] = []
        self._index = 0
        self._taken = 0  # items handed out in chunks
        self._dropped = 0  # items read but put in no chunk: skipped or failed
        self._done = False
        self._stopped = False
        self._lock: anyio.Lock | None = None  # one puller at a time (async input only)

    async def take(self) -> Chunk[ItemT, KeyT] | None:
        if self._async is None:
            return self._fill_from(self._sync)  # type: ignore[arg-type]
        lock = self._lock
        if lock is None:
            lock = self._lock = anyio.Lock(fast_acquire=True)
        async with lock:
            pull = self._async.__anext__
            while not self._done and not self._stopped:
                try:
                    item = await pull()
                except StopAsyncIteration:
                    self._done = True
                    break
                except BaseException:
                    self._stopped = True  # see _fill_from
                    raise
                if self._add(item):
                    return self._cut()
            return self._cut() if self._items and not self._stopped else None

    def _fill_from(self, items: Iterator[ItemT]) -> Chunk[ItemT, KeyT] | None:
        if self._stopped:
            return None
        if not self._done:
            try:
                for item in items:
                    if self._add(item):
                        return self._cut()
            except BaseException:
                # Reading failed (or was cancelled): read no further. A generator
                # that raised is finished, and its next read would look like the end.
                self._stopped = True
                raise
            self._done = True
        return self._cut() if self._items else None

    def _add(self, item: ItemT) -> bool:
        """Take one item; True once the chunk is full."""
        validate = self._validate
        if validate is not None:
            try:
                item = validate(item)
            except Exception as exc:  # a bad item fails alone, whatever its check raised
                self._reject(item, exc)
                return False
        try:
            key = self._key(item)
            seen = self._seen
            if seen is None:
                if validate is None:  # unchecked input: is the key one the report can hold?
                    hash(key)
            elif key in seen:
                self._report.skipped.append(key)
                self._dropped += 1
                return False
            else:
                seen.add(key)
        except Exception as exc:
            reason = f"has no usable key ({type(exc).__name__}: {exc})"
            self._report.add_failed(self._stand_in(item), ItemError(None, reason))
            self._dropped += 1
            return False
        self._items.append(item)
        self._keys.append(key)
        return len(self._items) >= self._size

    def _reject(self, item: ItemT, exc: Exception) -> None:
        """Report an item that failed its check: under its key if it has one, else a stand-in."""
        if isinstance(exc, ValidationError):
            error = ItemError(None, exc.reason, exc)
        else:
            error = ItemError(None, f"{type(exc).__name__}: {exc}")
        report = self._report
        key: KeyT | InvalidItem
        try:
            own = self._key(item)
            seen = self._seen
            if seen is None:
                hash(own)
            elif own in seen:
                report.skipped.append(own)
                self._dropped += 1
                return
            else:
                seen.add(own)
            key = own
        except Exception:
            key = self._stand_in(item)
        report.add_failed(key, error)
        self._dropped += 1

    def _stand_in(self, item: object) -> InvalidItem:
        """The key of the item being read, which has none of its own."""
        # Every item read before it is in a chunk, the chunk being filled, or dropped.
        position = self._taken + len(self._items) + self._dropped
        text = reprlib.repr(item) if self._show_items else f"<{type(item).__name__}>"
        return InvalidItem(position, text)

    def _cut(self) -> Chunk[ItemT, KeyT]:
        chunk = (self._index, self._items, self._keys)
        self._index += 1
        self._taken += len(self._items)
        self._items, self._keys = [], []
        return chunk

    def stop(self) -> None:
        self._stopped = True

    def leftovers(self) -> list[KeyT]:
        keys = self._keys
        self._items, self._keys = [], []
        return keys

    @property
    def exhausted(self) -> bool:
        return self._done

    def chunks_left(self) -> None:
        return None

    async def aclose(self) -> None:
        close = getattr(self._async, "aclose", None)
        if close is not None:
            with anyio.CancelScope(shield=True):  # let the generator clean up, even on cancel
                await close()
