"""A job's chunk plan: its spec and its chunks, fixed once from the operation and its input.

The plan checks the operation's arguments and every input item before
anything is stored (``ValidationError`` naming the argument or the item's
place, ``items[12]``), leaves out repeats of an earlier item (kept in
``JobSpec.skipped``, reported as skipped) and cuts the rest into chunks of
``chunk_size`` items in input order (push chunks hold at most 500, the API's
limit). Every item read lands in exactly one chunk or among the skipped.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from lanying_async.errors import ValidationError
from lanying_async.jobs.model import JobSpec
from lanying_async.jobs.operations import operation_named

__all__ = ["JobInput", "JobOptions", "JobPlan", "plan_job", "plan_job_async"]

JobInput = Iterable[Any] | AsyncIterable[Any]
"""A job's items: ids, names, or register rows (any iterable, or an async iterable)."""


@dataclass(frozen=True, slots=True)
class JobPlan:
    """What submitting a job writes to the store."""

    spec: JobSpec
    chunks: list[list[Any]]

    @property
    def total(self) -> int:
        """Items in the job's chunks (repeats left out)."""
        return sum(len(chunk) for chunk in self.chunks)


@dataclass(frozen=True, slots=True)
class JobOptions:
    """How a durable job runs; fixed in its [`JobSpec`][lanying_async.jobs.model.JobSpec] when it is
    submitted.

    - ``chunk_size``: items per chunk (default: the operation's, as the bulk
      methods use: 500 for push, the most a push may carry; 100 for register;
      200 otherwise).
    - ``max_attempts``: times a chunk is taken before it is given up (a poison
      chunk: its items fail, or are ``outcome_unknown`` if a request may have run).
    - ``lease_seconds``: how long a worker holds a chunk without renewing its
      lease (it renews every third of that); a worker that dies holds its
      chunk that long.
    - ``dedup_window``: seconds a message chunk may be sent again after its
      first send (the server drops a repeated ``transaction_id`` only for a
      while); later, it is reported ``outcome_unknown`` instead, unless
      ``force_resend``.
    - ``rate_limit``: requests per second for all the job's workers together, paced
      ``1 / rate_limit`` apart (no burst at the start).
    """

    chunk_size: int | None = None
    max_attempts: int = 5
    lease_seconds: float = 60.0
    dedup_window: float = 300.0
    force_resend: bool = False
    rate_limit: float | None = None

    def __post_init__(self) -> None:
        size, attempts = self.chunk_size, self.max_attempts
        if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 1):
            raise ValidationError("chunk_size", "must be a positive int or None")
        if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
            raise ValidationError("max_attempts", "must be a positive int")
        for name in ("lease_seconds", "dedup_window"):
            if not _positive(getattr(self, name)):
                raise ValidationError(name, "must be a number of seconds above 0")
        if not isinstance(self.force_resend, bool):
            raise ValidationError("force_resend", "must be a bool")
        if self.rate_limit is not None and not _positive(self.rate_limit):
            raise ValidationError("rate_limit", "must be a number of requests per second above 0")


def _positive(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float) and value > 0


class _Planner:
    def __init__(
        self, operation: str, arguments: Mapping[str, Any] | None, options: JobOptions
    ) -> None:
        if not isinstance(options, JobOptions):
            raise ValidationError("options", "must be a JobOptions")
        self.operation = operation_named(operation)
        self.arguments = self.operation.check_arguments(arguments or {})
        self.size = self.operation.chunk_size(options.chunk_size)
        self.options = options
        self.chunks: list[list[Any]] = []
        self.skipped: list[Any] = []
        self.seen: set[Hashable] = set()
        self.position = 0

    @property
    def everyone(self) -> bool:
        """A push to every device: one request, no input."""
        return self.arguments.get("to") == "all"

    def add(self, item: Any) -> None:
        field = f"items[{self.position}]"
        self.position += 1
        if self.everyone:
            raise ValidationError(field, "a push to everyone takes no items")
        stored = self.operation.check_item(item, field, self.arguments)
        key = self.operation.key(stored)
        if key in self.seen:
            self.skipped.append(key)
            return
        self.seen.add(key)
        if not self.chunks or len(self.chunks[-1]) >= self.size:
            self.chunks.append([])
        self.chunks[-1].append(stored)

    def plan(self) -> JobPlan:
        if self.everyone:
            self.chunks = [["all"]]
        if not self.chunks:
            raise ValidationError("items", "must not be empty")
        options = self.options
        spec = JobSpec(
            operation=self.operation.name,
            arguments=self.arguments,
            chunk_size=self.size,
            max_attempts=options.max_attempts,
            lease_seconds=float(options.lease_seconds),
            dedup_window=float(options.dedup_window),
            force_resend=options.force_resend,
            rate_limit=None if options.rate_limit is None else float(options.rate_limit),
            skipped=self.skipped,
        )
        return JobPlan(spec, self.chunks)


def _rows(items: Any) -> Any:
    """``{username: password}`` as register rows; any other input as it is."""
    if isinstance(items, Mapping):
        return list(items.items())
    if isinstance(items, str | bytes):
        raise ValidationError("items", "must be an iterable of items, not a string")
    return items


def plan_job(
    operation: str,
    items: Iterable[Any],
    arguments: Mapping[str, Any] | None = None,
    options: JobOptions | None = None,
) -> JobPlan:
    """The plan of ``operation`` over ``items`` (see the module for the rules).

    ``arguments`` are the operation's own (see [`lanying_async.jobs`][lanying_async.jobs]).
    Raises ``ValidationError`` for a bad argument, a bad item or an empty input.
    """
    planner = _Planner(operation, arguments, options or JobOptions())
    source = _rows(items)
    if not isinstance(source, Iterable):
        raise ValidationError("items", "must be an iterable (use plan_job_async for async input)")
    for item in source:
        planner.add(item)
    return planner.plan()


async def plan_job_async(
    operation: str,
    items: JobInput,
    arguments: Mapping[str, Any] | None = None,
    options: JobOptions | None = None,
) -> JobPlan:
    """[`plan_job()`][lanying_async.jobs.plan.plan_job] for an input that may also be an async
    iterable."""
    source = _rows(items)
    if not isinstance(source, AsyncIterable):
        return plan_job(operation, source, arguments, options)
    planner = _Planner(operation, arguments, options or JobOptions())
    async for item in source:
        planner.add(item)
    return planner.plan()
