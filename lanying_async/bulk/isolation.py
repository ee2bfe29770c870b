"""Finding the items behind a chunk refused as a whole, by sending parts of it again.

When a request fails as a whole with a business code that names an item (an
unknown target user, say; [`item_codes`][lanying_async.bulk.item_codes] lists the codes
of each operation), every item of its chunk would fail with it, and sending
those failures again would fail the same way. The chunk is split instead and
its parts sent again until the refused items stand alone: only they fail, with
the refusal that named them, and the others get their normal outcome.

The search (adaptive group testing): a part known to hold a refused item is
halved and its first half sent. When that half is answered, every refused item
of the part is in the other half, which is halved in turn without being sent;
when it is refused, the search goes on inside it and the other half waits, to
be sent at the end in one request with every other waiting part. An item left
alone by elimination is sent alone before it is blamed, so only a refusal of
its own condemns it (a refusal that does not recur blames nobody). Finding one
refused item among n costs at most ⌈log2 n⌉ + 1 requests, and each request
carrying the waiting parts is either answered or leads to one more refused
item: c refused items in a chunk of n cost at most c·(⌈log2 n⌉ + 2) requests,
plus one.

An error about the request itself (an unknown sender) refuses every part
alike, and only an answer tells it from refused items. So until one of the
job's requests has been answered, a search sends both halves of what it
splits, and stops when the chunk's halves and then the halves of one of them
are all refused: the error is taken to be about the request (or the chunk
holds so many refused items that smaller chunks would serve better). Those
requests come out of the job's budget of 4·⌈log2 n⌉ (n: its chunk size); a
search that finds it spent stops. An error about the request thus costs a job
at most 4·⌈log2 n⌉ requests. Once a request has been answered, refusals are
about items, and a search stops only at its cap of 4·⌈log2 n⌉ requests.

Items a search has not placed when it stops (at its cap, for want of budget,
by the rule above, or because the job was stopped) fail with the chunk's
refusal; a part that fails otherwise (a lost connection, a code naming no
item) takes that failure, and the search ends.

Safety: only a refusal that proves nothing ran is split. A write the server
does not de-duplicate must not have run on any attempt (`may_have_run`
False). A de-duplicated write (`messages.send`, `push.notify`) was refused
under the id of its last attempt, and the server answers the repeat of a
request that ran with that request's outcome, so its refusal proves nothing ran
either. Each part is a new request: a de-duplicated one gets its own id, as
every chunk does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeGuard, TypeVar

from lanying_async.bulk.report import ChunkOutcome, ChunkResult, ItemError
from lanying_async.errors import LanyingAPIError, LanyingError

__all__ = ["ChunkCalls", "Isolation"]

ItemT = TypeVar("ItemT")
KeyT = TypeVar("KeyT", bound=Hashable)


@dataclass(frozen=True, slots=True)
class ChunkCalls(Generic[ItemT, KeyT]):
    """What a search needs of its job."""

    send: Callable[[list[ItemT]], Awaitable[ChunkResult[KeyT]]]
    """Sends a part, as a chunk is sent."""
    answered: Callable[[int, list[KeyT], ChunkResult[KeyT]], ChunkOutcome[KeyT]]
    """A part's outcome, of its answer."""
    failed: Callable[[int, list[KeyT], LanyingError], ChunkOutcome[KeyT]]
    """A part's outcome, of its failure."""
    stopped: Callable[[], bool]
    """Has the job been stopped?"""


BLIND_SPLITS = 2
"""A search stops once this many of its splits had both halves refused before any answer."""


def depth(size: int) -> int:
    """⌈log2 size⌉, at least 1: how many halvings bring `size` items down to one."""
    return max(1, (size - 1).bit_length())


class Isolation:
    """One job's isolation: the codes it splits on, whether that is safe, its budget."""

    __slots__ = ("_deduplicated", "_is_write", "answered", "budget", "codes", "per_chunk")

    def __init__(
        self,
        codes: Collection[int],
        *,
        chunk_size: int,
        is_write: bool,
        deduplicated: bool,
    ) -> None:
        self.codes = frozenset(codes)
        self.per_chunk = 4 * depth(chunk_size)
        """Requests one chunk's search may send."""
        self.budget = 4 * depth(chunk_size)
        """Requests the job's searches may still send before any of its requests is answered."""
        self.answered = False
        """Has any request of the job been answered? (then refusals are about items)"""
        self._is_write = is_write
        self._deduplicated = deduplicated

    def splits(self, error: LanyingError) -> TypeGuard[LanyingAPIError]:
        """Does `error` name an item, and does it prove the request did not run?"""
        return (
            isinstance(error, LanyingAPIError)
            and error.code in self.codes
            and (self._deduplicated or not self._is_write or not error.may_have_run)
        )

    async def search(
        self,
        index: int,
        items: list[ItemT],
        keys: list[KeyT],
        refusal: LanyingAPIError,
        calls: ChunkCalls[ItemT, KeyT],
    ) -> ChunkOutcome[KeyT]:
        """The outcome of chunk `index`, refused as a whole, once its refused items are found."""
        search = _Search(self, index, refusal, calls)
        await search.run(_Part(items, keys, refusal))
        return search.outcome(keys)


class _Part(Generic[ItemT, KeyT]):
    """Some items of a chunk; `refusal` is set once they are known to hold a refused one."""

    __slots__ = ("confirmed", "items", "keys", "refusal")

    def __init__(
        self, items: list[ItemT], keys: list[KeyT], refusal: LanyingAPIError | None = None
    ) -> None:
        self.items = items
        self.keys = keys
        self.refusal = refusal
        """The refusal of the smallest request that held these items and was refused."""
        self.confirmed = False
        """Was that request these items exactly? (else the refusal was inferred)"""

    def halves(self) -> tuple[_Part[ItemT, KeyT], _Part[ItemT, KeyT]]:
        middle = (len(self.keys) + 1) // 2
        return (
            _Part(self.items[:middle], self.keys[:middle]),
            _Part(self.items[middle:], self.keys[middle:]),
        )


class _Search(Generic[ItemT, KeyT]):
    """The search in one chunk: parts refused, parts waiting, what each request said."""

    def __init__(
        self,
        isolation: Isolation,
        index: int,
        refusal: LanyingAPIError,
        calls: ChunkCalls[ItemT, KeyT],
    ) -> None:
        self._isolation = isolation
        self._index = index
        self._refusal = refusal
        self._calls = calls
        self.refused: list[_Part[ItemT, KeyT]] = []  # each holds a refused item
        self.waiting: list[_Part[ItemT, KeyT]] = []  # not sent alone: may hold one
        self.alone: list[_Part[ItemT, KeyT]] = []  # one item, refused before any answer
        self.culprits: list[_Part[ItemT, KeyT]] = []
        self.outcomes: list[ChunkOutcome[KeyT]] = []  # of each part answered or failed
        self.sent = 0
        self.blind = 0  # splits whose halves were both refused before any answer
        self.ended_by: LanyingError | None = None  # a part failed otherwise
        self.gave_up = False

    async def run(self, chunk: _Part[ItemT, KeyT]) -> None:
        self.refused.append(chunk)
        while not self.gave_up and self.ended_by is None:
            if self.refused:
                part = self.refused.pop()
                if len(part.keys) > 1:
                    await self._split(part)
                elif not part.confirmed:
                    await self._confirm(part)
                elif self._isolation.answered:
                    self.culprits.append(part)
                else:  # alone, but the refusal may still be about the request
                    self.alone.append(part)
            elif self.waiting:
                await self._send_waiting()
            else:
                break
        if self._isolation.answered:
            self.culprits += self.alone
            self.alone = []
        elif self.alone:
            self.gave_up = True  # every request was refused: nothing shows it is the items

    def _may_send(self) -> bool:
        """May the search send one more request? (it gives up when not)"""
        isolation = self._isolation
        if (
            self._calls.stopped()
            or self.sent >= isolation.per_chunk
            or (not isolation.answered and isolation.budget <= 0)
        ):
            self.gave_up = True
            return False
        return True

    async def _send(self, part: _Part[ItemT, KeyT]) -> LanyingAPIError | None:
        """Send `part`: its refusal, or None (answered, or failed otherwise: the end)."""
        isolation = self._isolation
        self.sent += 1
        if not isolation.answered:
            isolation.budget -= 1
        try:
            result = await self._calls.send(part.items)
        except LanyingError as exc:
            if isolation.splits(exc):
                return exc
            self.outcomes.append(self._calls.failed(self._index, part.keys, exc))
            self.ended_by = exc
            return None
        self.outcomes.append(self._calls.answered(self._index, part.keys, result))
        isolation.answered = True
        return None

    async def _confirm(self, part: _Part[ItemT, KeyT]) -> None:
        """Send an item found by elimination alone: only its own refusal condemns it.

        Elimination holds only if the server answers the same request the same
        way twice; a refusal that does not recur must not blame an item.
        """
        if not self._may_send():
            self.refused.append(part)
            return
        refusal = await self._send(part)
        if refusal is not None:
            part.refusal, part.confirmed = refusal, True
            self.refused.append(part)

    async def _split(self, part: _Part[ItemT, KeyT]) -> None:
        first, second = part.halves()
        if not self._may_send():
            self.refused.append(part)
            return
        refusal = await self._send(first)
        if self.ended_by is not None:
            self.waiting.append(second)
            return
        if refusal is None:  # answered: every refused item of the part is in the second half
            second.refusal = part.refusal
            self.refused.append(second)
            return
        first.refusal, first.confirmed = refusal, True
        if self._isolation.answered or not self._may_send():
            self.refused.append(first)
            self.waiting.append(second)
            return
        # No answer yet: send the second half too, to tell items from the request.
        refusal = await self._send(second)
        if refusal is None:  # answered (or the search ended): the first half holds them
            self.refused.append(first)
            return
        second.refusal, second.confirmed = refusal, True
        self.refused += (second, first)  # the first half is searched next
        self.blind += 1
        if self.blind >= BLIND_SPLITS:
            self.gave_up = True

    async def _send_waiting(self) -> None:
        """Send every waiting part in one request (they come from one chunk: it fits)."""
        rest: _Part[ItemT, KeyT] = _Part([], [])
        for part in self.waiting:
            rest.items += part.items
            rest.keys += part.keys
        self.waiting = [rest]
        if not self._may_send():
            return
        self.waiting = []
        refusal = await self._send(rest)
        if refusal is not None:
            rest.refusal, rest.confirmed = refusal, True
            self.refused.append(rest)

    def outcome(self, keys: list[KeyT]) -> ChunkOutcome[KeyT]:
        """The chunk's outcome: its parts', the culprits', and the chunk's refusal for the rest."""
        succeeded: list[KeyT] = []
        failed: dict[KeyT, ItemError] = {}
        unknown: list[KeyT] = []
        results: dict[KeyT, Any] | None = None
        values: list[Any] = []
        isolated: list[KeyT] = []
        for sent in self.outcomes:
            succeeded += sent.succeeded
            unknown += sent.unknown
            if sent.error is None:  # answered: its own failures were hidden by the refusal
                isolated += sent.failed
            failed.update(sent.failed)
            if sent.results:
                results = results or {}
                results.update(sent.results)
            if sent.value is not None:
                values.append(sent.value)
        for culprit in self.culprits:
            assert culprit.refusal is not None  # set on every part known refused
            isolated += culprit.keys
            failed[culprit.keys[0]] = ItemError.from_exception(culprit.refusal)
        whole = ItemError.from_exception(self._refusal)
        for part in (*self.refused, *self.waiting, *self.alone):
            for key in part.keys:
                failed[key] = whole
        error: LanyingError | None = self.ended_by
        if error is None and self.gave_up:
            error = self._refusal
        return ChunkOutcome(
            self._index,
            keys,
            succeeded,
            failed,
            error,
            values[0] if values else None,
            unknown,
            results,
            isolated=isolated,
            requests=1 + self.sent,
            more_values=values[1:],
        )
