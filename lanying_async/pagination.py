"""Typed async pagination: await the first page, or `async for` every item.

A [`Paginator`][lanying_async.pagination.Paginator] is both awaitable (giving the first
[`Page`][lanying_async.pagination.Page]) and async-iterable (yielding items across all pages,
fetching the next page only when the current one is used up). `pages()` iterates page by page.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Sequence
from contextlib import aclosing
from dataclasses import dataclass
from typing import Generic, TypeVar

from lanying_async.errors import ResponseDecodeError

__all__ = ["Page", "Paginator"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of results.

    `next_token` is what fetches the following page (a cursor, or a page
    number); it is None on the last page.
    """

    items: Sequence[T]
    next_token: str | int | None = None
    total: int | None = None
    version: int | None = None

    @property
    def has_next(self) -> bool:
        """Is there a following page? (An empty page may still point to one.)"""
        return self.next_token is not None

    def __len__(self) -> int:
        return len(self.items)


Fetch = Callable[[str | int | None], Awaitable[Page[T]]]


class Paginator(Generic[T]):
    """Lazily walks pages produced by `fetch(next_token)`."""

    __slots__ = ("_fetch", "_start")

    def __init__(self, fetch: Fetch[T], start: str | int | None = None) -> None:
        self._fetch = fetch
        self._start = start

    def __await__(self) -> Generator[object, None, Page[T]]:
        return self._fetch(self._start).__await__()

    async def pages(self) -> AsyncGenerator[Page[T], None]:
        """Every page in order, fetched one at a time.

        A page without items that still names a following page is passed through and followed. A
        token the walk has already fetched (the start token included) means the server's cursor did
        not advance: that raises
        [`ResponseDecodeError`][lanying_async.errors.base.ResponseDecodeError] before any page is
        yielded twice.
        """
        token = self._start
        seen: set[str | int] = set() if token is None else {token}
        while True:
            page = await self._fetch(token)
            yield page
            if not page.has_next:
                return
            assert page.next_token is not None
            if page.next_token in seen:
                raise ResponseDecodeError(
                    "pagination token did not advance", str(page.next_token).encode()
                )
            seen.add(page.next_token)
            token = page.next_token

    async def __aiter__(self) -> AsyncGenerator[T, None]:
        async with aclosing(self.pages()) as pages:
            async for page in pages:
                for item in page.items:
                    yield item

    async def collect(self, limit: int | None = None) -> list[T]:
        """Every item (or the first `limit`) as a list."""
        out: list[T] = []
        async with aclosing(self.__aiter__()) as items:
            async for item in items:
                out.append(item)
                if limit is not None and len(out) >= limit:
                    break
        return out
