"""Running bulk jobs on the emulator and checking their reports, for the property tests.

:func:`run_job` starts a job with drawn settings, faults and a way to stop, and
runs it to its end; :func:`settle` waits for the server and checks that nothing
is left behind; the ``assert_*`` checks hold for any report, whatever happened.
"""

from __future__ import annotations

import asyncio
from collections import Counter, deque
from collections.abc import AsyncIterator, Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import anyio
import anyio.lowlevel
import pytest
from hypothesis import event

from lanying_async import LanyingClient, ValidationError
from lanying_async.bulk import BulkAbortedError, BulkJob, BulkOptions, BulkReport, InvalidItem
from lanying_async.hooks import RequestEvent, ResponseEvent
from lanying_async.testing import Emulator, FaultPlan
from tests.pool import checked_out

INVITE = ("POST", "/group/invite")
SEND = ("POST", "/message/send")
REGISTER = ("POST", "/user/register/batch")


class ReaderError(Exception):
    """Raised by the code reading ``job.stream()``."""


class ProgressError(Exception):
    """Raised by an ``on_progress`` callback."""


class Interrupt(BaseException):
    """A ``KeyboardInterrupt``-like error in the middle of a chunk (asyncio lets it through
    to the job, where a real ``KeyboardInterrupt`` would stop the event loop itself)."""


@dataclass
class Watch:
    """What the client did, seen through its public hooks; raises ``Interrupt`` on cue."""

    calls: Counter[tuple[str, str]] = field(default_factory=Counter)
    answers: int = 0
    interrupt_at: int | None = None
    """Raise on this answer of the job's route (1-based), when set."""
    route: tuple[str, str] | None = None

    def reset(self, route: tuple[str, str] | None = None, interrupt_at: int | None = None) -> None:
        self.calls.clear()
        self.answers = 0
        self.route = route
        self.interrupt_at = interrupt_at

    def on_request(self, request: RequestEvent) -> None:
        if request.attempt == 1:  # one logical call (its retries are further attempts)
            self.calls[(request.method, request.path)] += 1

    def on_response(self, response: ResponseEvent) -> None:
        if (response.method, response.path) != self.route:
            return
        self.answers += 1
        if self.answers == self.interrupt_at:
            raise Interrupt  # after the answer was read: the chunk may have run


@dataclass
class World:
    emu: Emulator
    client: LanyingClient
    """Runs the jobs: short timeouts, quick retries, hooks that watch its calls."""
    setup: LanyingClient
    """Prepares each example, unhurried (the jobs' client could time out doing it)."""
    plan: FaultPlan
    watch: Watch
    owner: int
    pool: list[int]
    """Registered users that are in no group until an example invites them."""
    members: list[int]
    """Users put in each example's group when it is created (inviting them fails)."""
    runs: Iterator[int]


STOPS = ("none", "none", "none", "none", "cancel", "break", "raise", "progress", "interrupt")


@dataclass(frozen=True)
class Stop:
    how: str
    """One of ``STOPS``: how the example ends its job."""
    after: int
    """Chunks done (answers read, to interrupt) before it stops the job."""


SHAPES = ("list", "tuple", "deque", "iterator", "async")
LAZY = ("iterator", "async")


class Feed:
    """The input in the drawn container, counting the items the job reads from it."""

    def __init__(self, values: list[object], shape: str) -> None:
        self.values = values
        self.shape = shape
        self.read = 0
        self.exhausted = False

    @property
    def lazy(self) -> bool:
        return self.shape in LAZY

    def container(self) -> object:
        if self.shape == "list":
            return list(self.values)
        if self.shape == "tuple":
            return tuple(self.values)
        if self.shape == "deque":
            return deque(self.values)
        if self.shape == "iterator":
            return self._iterate()
        return self._iterate_async()

    def _iterate(self) -> Iterator[object]:
        for value in self.values:
            self.read += 1
            yield value
        self.exhausted = True

    async def _iterate_async(self) -> AsyncIterator[object]:
        for value in self.values:
            await anyio.lowlevel.checkpoint()  # a real wait: the job may be stopped here
            self.read += 1
            yield value
        self.exhausted = True

    def items_read(self) -> list[object]:
        return self.values[: self.read] if self.lazy else self.values


@dataclass
class Outcome:
    report: BulkReport[Any]
    raised: BaseException | None
    stopped: bool
    """Did the job stop before its end (any drawn stop, or fail-fast)?"""


async def checked_run(
    world: World,
    start: Callable[[BulkOptions], BulkJob[Any, Any]],
    case: dict[str, Any],
    route: tuple[str, str],
    feed: Feed,
    *,
    field: str = "",
    key: Callable[[object], object] = lambda item: item,
) -> BulkReport[Any] | None:
    """Run the drawn job and check what holds for every operation; its report.

    None when the input is in memory and holds a bad id: then the call must
    refuse it whole, naming ``field``, before sending anything. ``key`` turns an
    input item into what the report files it under.
    """
    tasks_before = asyncio.all_tasks()
    if refused_whole(feed):
        world.watch.reset()
        with pytest.raises(ValidationError, match=field):
            start(BulkOptions())
        assert world.watch.calls[route] == 0
        return None
    before = world.emu.state.executions[route]
    outcome = await run_job(world, start, case, route)
    await settle(world, tasks_before)
    report = outcome.report
    assert_one_bucket(report, [key(item) for item in feed.items_read()], case["options"]["dedupe"])
    assert_resume_point(report, feed, outcome)
    assert_calls_ran_once(world, route, before)
    assert_requests_counted(report, world.watch.calls[route], outcome)
    return report


async def run_job(
    world: World,
    start: Callable[[BulkOptions], BulkJob[Any, Any]],
    case: dict[str, Any],
    route: tuple[str, str],
) -> Outcome:
    """Start the job with the drawn settings and run it to the drawn end."""
    stop: Stop = case["stop"]
    world.plan.clear()
    for number, fault in case["faults"].items():
        world.plan.add(fault, method=route[0], path=route[1], requests=[number])
    world.emu.clear_forced_errors()
    if case["forced"]:
        world.emu.force_error(*route, 20006, "repair mode", times=case["forced"])
    world.watch.reset(route, stop.after if stop.how == "interrupt" else None)

    cancel = anyio.CancelScope()
    done = 0

    def on_progress(outcome: object, report: object) -> None:
        nonlocal done
        done += 1
        if done == stop.after and stop.how == "cancel":
            cancel.cancel()
        if done == stop.after and stop.how == "progress":
            raise ProgressError

    job = start(BulkOptions(**case["options"], on_progress=on_progress))
    raised: BaseException | None = None
    left = False
    try:
        with cancel:
            if case["streamed"] or stop.how in ("break", "raise"):
                async with job.stream() as outcomes:
                    read = 0
                    async for _ in outcomes:
                        read += 1
                        if case["slow_reader"]:
                            await anyio.sleep(0.002)  # the workers fill the stream meanwhile
                        if read == stop.after and stop.how == "break":
                            left = True
                            break
                        if read == stop.after and stop.how == "raise":
                            raise ReaderError
            else:
                await job
    except (BulkAbortedError, ReaderError, ProgressError, Interrupt) as exc:
        raised = exc
    if raised is not None:
        expected = {
            BulkAbortedError: case["options"]["fail_fast"],
            ReaderError: stop.how == "raise",
            ProgressError: stop.how == "progress",
            Interrupt: stop.how == "interrupt",
        }
        assert expected[type(raised)], f"unexpected {raised!r}"
    if isinstance(raised, BulkAbortedError):
        assert raised.report is job.report
    world.watch.interrupt_at = None
    _events(case, job.report, raised)
    return Outcome(job.report, raised, raised is not None or left or cancel.cancel_called)


def _events(case: dict[str, Any], report: BulkReport[Any], raised: BaseException | None) -> None:
    """What the example came to (``pytest --hypothesis-show-statistics`` counts them)."""
    event(f"input: {case['shape']}")
    event(f"ended by: {type(raised).__name__ if raised else case['stop'].how}")
    filled = [
        name
        for name in ("succeeded", "failed", "skipped", "outcome_unknown", "not_started")
        if getattr(report, name)
    ]
    event(f"buckets: {', '.join(filled) or 'none'}")
    if any(isinstance(key, InvalidItem) for key in report.failed):
        event("an unhashable item stood in for")
    if report.isolation_requests:
        event(f"chunks split: {'items isolated' if report.isolated else 'none isolated'}")


SERVER_SIDE = ("RequestHandler", "BaseSelectorEventLoop._accept_connection")
"""The emulator's own tasks: serving a connection, accepting one."""


async def settle(world: World, tasks_before: set[asyncio.Task[Any]]) -> None:
    """Wait for the emulator's handlers, then check that nothing of the job is left."""
    with anyio.fail_after(5):
        # A request whose sender gave up may still sit in the server's socket: once every
        # task waits, the server has read it and started its handler, which wait_idle awaits
        # (else it would run, and count as run, during the next example).
        await anyio.wait_all_tasks_blocked()
        await world.emu.wait_idle()
    assert checked_out(world.client) == 0
    left = [
        task
        for task in asyncio.all_tasks() - tasks_before
        if not task.get_coro().__qualname__.startswith(SERVER_SIDE)  # type: ignore[union-attr]
    ]
    assert left == []


def _hashable(value: object) -> bool:
    return isinstance(value, Hashable)


def assert_one_bucket(report: BulkReport[Any], read: Sequence[object], dedupe: bool) -> None:
    """Every item read is in exactly one bucket, each occurrence once."""
    assert report.total == len(read)
    stand_ins = [key for key in report.failed if isinstance(key, InvalidItem)]
    unhashable = [(i, v) for i, v in enumerate(read) if not _hashable(v)]
    assert sorted((s.position, s.text) for s in stand_ins) == [(i, repr(v)) for i, v in unhashable]
    keys = [v for v in read if _hashable(v)]
    failed = {key for key in report.failed if not isinstance(key, InvalidItem)}
    placed = Counter(report.succeeded) + Counter(report.outcome_unknown)
    placed += Counter(report.not_started)
    if dedupe:
        firsts = Counter(dict.fromkeys(keys, 1))
        assert placed + Counter(failed) == firsts
        assert Counter(report.skipped) == Counter(keys) - firsts
        assert report.failed_count == len(report.failed)
        return
    assert report.skipped == []
    read_counts = Counter(keys)
    assert all(read_counts[key] >= count for key, count in placed.items())
    failed_occurrences = read_counts - placed
    assert set(failed_occurrences) == failed
    assert report.failed_count == sum(failed_occurrences.values()) + len(stand_ins)


def assert_resume_point(report: BulkReport[Any], feed: Feed, outcome: Outcome) -> None:
    """Lazy input: read exactly ``total`` items, and says whether it read them all."""
    if feed.lazy:
        assert feed.read == report.total
        assert report.input_exhausted == feed.exhausted
    else:
        assert report.input_exhausted  # what a stop left of a list is in not_started
    if not outcome.stopped:
        assert report.input_exhausted and not report.not_started


def assert_calls_ran_once(world: World, route: tuple[str, str], before: int) -> None:
    """The server ran each call at most once, whatever was retried."""
    assert world.emu.state.executions[route] - before <= world.watch.calls[route]


def assert_requests_counted(report: BulkReport[Any], calls: int, outcome: Outcome) -> None:
    """``requests`` counts the calls of the chunks that ended, splits included; isolated
    items failed."""
    assert report.requests == report.chunks + report.isolation_requests
    assert report.requests <= calls
    if not outcome.stopped:  # every call made belongs to a chunk that ended
        assert report.requests == calls
    assert set(report.isolated) <= set(report.failed)


UNKNOWN_BASE = 9_000_000_000_000
"""Ids above it belong to no user."""


def resolve(world: World, token: object) -> object:
    """The item a drawn token stands for: ("pool", i), ("member", i), ("unknown", i) or itself."""
    if isinstance(token, tuple) and len(token) == 2 and isinstance(token[0], str):
        kind, index = token
        if kind == "pool":
            return world.pool[index]
        if kind == "member":
            return world.members[index]
        return UNKNOWN_BASE + index
    return token


def refused_whole(feed: Feed) -> bool:
    """In-memory input is checked whole before sending: empty or one bad id refuses it."""
    return not feed.lazy and (not feed.values or not all(map(valid_id, feed.values)))


def valid_id(value: object) -> bool:
    return type(value) is int and value > 0
