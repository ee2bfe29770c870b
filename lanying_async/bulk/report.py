"""What a bulk job reports: every input item read lands in exactly one bucket.

`succeeded`, `failed` (item -> [`ItemError`][lanying_async.bulk.report.ItemError]), `skipped`
(repeats of an earlier item, one entry each), `outcome_unknown` (the request was in flight when
the job stopped, or the connection broke after sending a write the server does not de-duplicate) and
`not_started` (read from the input, or left in an in-memory input, but never sent).
`report.total` is the number of input items read.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from lanying_async.errors import LanyingAPIError, LanyingError

__all__ = ["BulkReport", "ChunkOutcome", "ChunkResult", "InvalidItem", "ItemError"]

T = TypeVar("T", bound=Hashable)


@dataclass(frozen=True, slots=True)
class ItemError:
    """Why one item failed: the business `code` (None for transport or client errors)."""

    code: int | None
    reason: str
    error: LanyingError | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_exception(cls, exc: LanyingError) -> ItemError:
        if isinstance(exc, LanyingAPIError):
            return cls(exc.code, exc.message or type(exc).__name__, exc)
        return cls(None, f"{type(exc).__name__}: {exc}", exc)


@dataclass(frozen=True, slots=True)
class InvalidItem:
    """Stands in `report.failed` for an input item that cannot be a key.

    An item whose key cannot be taken or hashed (`None` where a pair is
    expected, a list where an id is) fails alone under this key: `position`
    is its place in the input (counting from 0), `text` shows it (its
    `repr`, shortened, when the items are their own keys; only its type when
    they are records, whose other fields may be private, such as a password).
    """

    position: int
    text: str


@dataclass(slots=True)
class ChunkResult(Generic[T]):
    """What one request said about its items (built by the operation's chunk sender).

    `value` carries the request's own result (a push task id, message ids...).
    Items the reply does not mention are counted as failed by the engine.
    """

    succeeded: list[T] = field(default_factory=list)
    failed: dict[T, ItemError] = field(default_factory=dict)
    value: Any = None
    results: dict[T, Any] | None = None
    """Per-item values the reply carried (a new user's id, a group's info...)."""


@dataclass(slots=True)
class ChunkOutcome(Generic[T]):
    """One chunk's outcome, as streamed by `BulkJob.stream()`.

    `succeeded` is shared with the job's report, not copied: read it, do not
    change it. `error` is set when the chunk failed as a whole: refused with
    a code naming no item, or with one naming an item when the split that
    followed could not place every item (they failed with it).
    """

    index: int
    items: list[T]
    succeeded: list[T]
    failed: dict[T, ItemError]
    error: LanyingError | None = None
    """Set when the chunk failed as a whole."""
    value: Any = None
    unknown: list[T] = field(default_factory=list)
    """Items whose request was sent but whose outcome is unknown."""
    results: dict[T, Any] | None = None
    isolated: Sequence[T] = ()
    """Items found failing on their own after the chunk was refused as a whole and split
    (see [`isolation`][lanying_async.bulk.isolation]); they are in `failed`."""
    requests: int = 1
    """Requests the chunk took: one, and those its split sent."""
    more_values: Sequence[Any] = ()
    """When the chunk was split: the values of its answered requests after the first
    (`value`)."""

    @property
    def ok(self) -> bool:
        return not self.failed and not self.unknown and self.error is None

    @property
    def failed_count(self) -> int:
        """Occurrences that failed (more than `len(failed)` when an item repeats)."""
        return len(self.items) - len(self.succeeded) - len(self.unknown)


class BulkReport(Generic[T]):
    """The result of a bulk operation; complete after the job, partial while it runs.

    Every input item read is counted once, in one bucket, so `total` is the
    number of items read. With `dedupe` (the default) an item is sent once
    and reported once; later items equal to it (as dict keys are equal:
    `1 == 1.0 == True`) are `skipped`. With `dedupe=False` every
    occurrence is sent and counted: `succeeded`, `outcome_unknown` and
    `not_started` hold an entry per occurrence, `failed` one entry per
    distinct item (its latest error) and `failed_count` the occurrences.
    When one request carries an item more than once, as many of its
    occurrences succeed as the reply reports successes for it (at most), and
    each failure the reply reports for it takes at least one.

    After a stop (`fail_fast`, a cancellation, leaving `stream()` early),
    what is left of an in-memory input is `not_started`. Lazy input (an
    iterator, an async iterable) is not read further, so `input_exhausted`
    is False: the job read the first `total` items, and to resume, skip
    that many items of the input (after sending `not_started` again).
    """

    __slots__ = (
        "_succeeded",
        "_unjoined",
        "chunks",
        "failed",
        "failed_count",
        "input_exhausted",
        "isolated",
        "isolation_requests",
        "keep_succeeded",
        "not_started",
        "outcome_unknown",
        "requests",
        "results",
        "skipped",
        "stopped_by",
        "succeeded_count",
        "values",
    )

    def __init__(self, *, keep_succeeded: bool = True) -> None:
        self.keep_succeeded = keep_succeeded
        self._succeeded: list[T] = []
        # Succeeded chunks kept as they came and joined when first read: growing
        # one list of a million ids chunk by chunk would copy it again and again
        # while the job runs.
        self._unjoined: list[Collection[T]] = []
        self.succeeded_count = 0
        self.failed: dict[T | InvalidItem, ItemError] = {}
        """Item -> why it failed: one entry per distinct item."""
        self.failed_count = 0
        """Occurrences that failed (`len(failed)` unless `dedupe=False` and items repeat)."""
        self.skipped: list[T] = []
        self.outcome_unknown: list[T] = []
        self.not_started: list[T] = []
        self.input_exhausted = False
        """True once every input item is in the report (False while the job runs, and
        after a stop for lazy input left unread: resume after the first `total` items)."""
        self.chunks = 0
        """Chunks that completed (successfully or not)."""
        self.requests = 0
        """Requests the job sent: one per chunk, and those sent to isolate failing items."""
        self.isolated: list[T] = []
        """Items that failed on their own once the chunk that refused them as a whole was
        split (see [`isolation`][lanying_async.bulk.isolation]); each is also in `failed`."""
        self.isolation_requests = 0
        """Requests sent to isolate failing items (counted in `requests` too)."""
        self.values: list[Any] = []
        """Each answered request's `value` (e.g. push task ids), in completion order."""
        self.results: dict[T, Any] = {}
        """Per-item values (e.g. username -> new user id), for operations that have them."""
        self.stopped_by: LanyingError | None = None
        """The chunk error that stopped the job early (`fail_fast`, or an error no other chunk
        could escape: see [`BulkAbortedError`][lanying_async.bulk.errors.BulkAbortedError]), if
        any."""

    @property
    def succeeded(self) -> list[T]:
        """Items that succeeded (empty when the job ran with `keep_succeeded=False`)."""
        unjoined = self._unjoined
        if unjoined:
            joined = self._succeeded
            for part in unjoined:
                joined += part
            unjoined.clear()
        return self._succeeded

    @property
    def total(self) -> int:
        """Every item read from the input, whatever became of it (each occurrence once)."""
        return (
            self.succeeded_count
            + self.failed_count
            + len(self.skipped)
            + len(self.outcome_unknown)
            + len(self.not_started)
        )

    @property
    def ok(self) -> bool:
        """True when nothing failed, was left unknown or was not started."""
        return not (self.failed or self.outcome_unknown or self.not_started)

    def add_succeeded(self, items: Collection[T]) -> None:
        if self.keep_succeeded:
            self._unjoined.append(items)
        self.succeeded_count += len(items)

    def add_failed(self, key: T | InvalidItem, error: ItemError) -> None:
        """Count one failed occurrence of `key`."""
        self.failed[key] = error
        self.failed_count += 1

    def failures(self) -> Iterator[tuple[T | InvalidItem, ItemError]]:
        return iter(self.failed.items())

    def raise_for_failures(self) -> None:
        """Raise [`BulkError`][lanying_async.bulk.errors.BulkError] if anything did not succeed."""
        if not self.ok:
            from lanying_async.bulk.errors import BulkError

            raise BulkError(self)

    def __repr__(self) -> str:
        return (
            f"BulkReport(succeeded={self.succeeded_count}, failed={self.failed_count}, "
            f"skipped={len(self.skipped)}, outcome_unknown={len(self.outcome_unknown)}, "
            f"not_started={len(self.not_started)}, chunks={self.chunks})"
        )
