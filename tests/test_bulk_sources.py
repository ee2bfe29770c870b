"""Chunk sources: slicing, de-duplication (sorted or not), item-by-item collection."""

from __future__ import annotations

import random
import tracemalloc
from collections.abc import AsyncIterator, Hashable, Iterator, Sequence

import pytest

from lanying_async.bulk.report import BulkReport
from lanying_async.bulk.sources import CollectedSource, SlicedSource
from lanying_async.errors import ValidationError

pytestmark = pytest.mark.anyio


def _expected(items: Sequence[Hashable]) -> tuple[list[Hashable], list[Hashable]]:
    """Order-preserving de-duplication: (kept, repeats)."""
    seen: set[Hashable] = set()
    kept: list[Hashable] = []
    repeats: list[Hashable] = []
    for item in items:
        (repeats if item in seen else kept).append(item)
        seen.add(item)
    return kept, repeats


def _drain_sliced(items: list[Hashable], size: int) -> tuple[list[list[Hashable]], list[Hashable]]:
    report: BulkReport[Hashable] = BulkReport()
    source = SlicedSource(items, size, report, dedupe=True)
    chunks = []
    while (chunk := source.next_chunk()) is not None:
        index, part, keys = chunk
        assert index == len(chunks) and part is keys and 0 < len(part) <= size
        chunks.append(part)
    return chunks, report.skipped


def _inputs() -> list[list[Hashable]]:
    rng = random.Random(7)
    ascending = list(range(1_000, 1_000 + 7 * 300, 7))
    return [
        ascending,  # sorted ids: the common case
        [*ascending, 1_000],  # sorted, then a repeat of the first
        [*ascending[:150], *ascending[100:]],  # a sorted run that starts again
        [rng.randrange(1, 400) for _ in range(1_000)],  # random with many repeats
        rng.sample(range(1, 10**9), 900),  # unsorted, all distinct
        [5, 5, 6, 7, 7, 7, 8],  # repeats inside one chunk
        [3, 2, 1],  # descending
        ["ann", "bob", "cat", "ann"],  # strings
        [1, "1", 2, "2", 1],  # mixed types never compare, still de-duplicated
        [1, True, 2, 2.0],  # equal across types: True == 1, 2.0 == 2
    ]


@pytest.mark.parametrize("size", [1, 3, 64, 500])
@pytest.mark.parametrize("case", range(len(_inputs())))
def test_sliced_source_keeps_first_occurrences_in_order(case: int, size: int) -> None:
    items = _inputs()[case]
    chunks, skipped = _drain_sliced(items, size)
    kept, repeats = _expected(items)
    assert [key for chunk in chunks for key in chunk] == kept
    assert sorted(map(repr, skipped)) == sorted(map(repr, repeats))


def test_sorted_ids_are_de_duplicated_without_remembering_them() -> None:
    ids = list(range(10**6, 10**6 + 200_000))
    report: BulkReport[int] = BulkReport()
    source = SlicedSource(ids, 500, report, dedupe=True)
    tracemalloc.start()
    try:
        sent = 0
        while (chunk := source.next_chunk()) is not None:
            sent += len(chunk[1])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sent == len(ids) and not report.skipped
    # A set of 200,000 ids would take several MB; one chunk at a time is a few KB.
    assert peak < 256 * 1024


async def test_collected_source_checks_keys_and_remembers_repeats() -> None:
    report: BulkReport[str] = BulkReport()

    def validate(name: str) -> str:
        if not name:
            raise ValidationError("usernames", "must not be empty")
        return name.strip()

    source = CollectedSource(
        iter(["ann ", "bob", "", "ann", "cat"]),
        2,
        report,
        key=str.upper,
        validate=validate,
        dedupe=True,
    )
    chunks = []
    while (chunk := await source.take()) is not None:
        chunks.append(chunk)
    assert chunks == [(0, ["ann", "bob"], ["ANN", "BOB"]), (1, ["cat"], ["CAT"])]
    assert report.skipped == ["ANN"] and list(report.failed) == [""]
    assert source.leftovers() == [] and source.exhausted


@pytest.mark.parametrize("lazy", ["iterator", "async iterable"])
async def test_input_that_raised_is_not_taken_for_ended(lazy: str) -> None:
    def ids() -> Iterator[int]:
        yield 1
        raise LookupError("the cursor broke")

    async def ids_async() -> AsyncIterator[int]:
        for item in ids():
            yield item

    report: BulkReport[int] = BulkReport()
    source = CollectedSource(
        ids() if lazy == "iterator" else ids_async(),
        2,
        report,
        key=lambda item: item,
        validate=None,
        dedupe=True,
    )
    with pytest.raises(LookupError):
        await source.take()
    # Another worker asking next must not read the finished generator's end as the input's.
    assert await source.take() is None
    assert not source.exhausted and source.leftovers() == [1]
