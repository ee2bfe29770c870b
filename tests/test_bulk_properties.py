"""Bulk jobs keep every input item in exactly one bucket, whatever happens (property tests).

Hypothesis draws the input (users that join, users that fail alone, unknown
users, invalid and unhashable values, repeats), its container (list, tuple,
deque, iterator, async iterable), the job's settings (``chunk_size``,
``concurrency``, ``dedupe``, ``fail_fast``), faults on the wire and forced
business errors, and a way to stop (a cancellation, leaving ``stream()``, an
error raised by the reader or by ``on_progress``, a ``BaseException`` in the
middle of a chunk). Each example runs the real SDK against the emulator over
loopback sockets and checks, with the emulator's state as the witness:

- every item read is in exactly one bucket and ``report.total`` is the number
  read; lazy input says where to resume (``input_exhausted``, ``total``);
- nothing is reported succeeded that the server did not do, and nothing the
  server did is reported failed or not started;
- no write ran twice;
- no connection stays checked out and no task is left behind.

The examples are derandomized and fixed in number, so a CI run is
reproducible. To search further, set a number of examples; each run then draws
new ones::

    LANYING_BULK_EXAMPLES=2000 python -W error -m pytest tests/test_bulk_properties.py
"""

from __future__ import annotations

import itertools
import os
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lanying_async import GroupType, Hooks, RetryConfig, Timeouts
from lanying_async.bulk import BulkJob, BulkOptions
from lanying_async.emulator import faults as wire
from lanying_async.testing import Emulator, FaultPlan
from tests.bulk_runs import (
    INVITE,
    LAZY,
    REGISTER,
    SEND,
    SHAPES,
    STOPS,
    UNKNOWN_BASE,
    Feed,
    Stop,
    Watch,
    World,
    checked_run,
    resolve,
    valid_id,
)

pytestmark = pytest.mark.anyio

EXAMPLES = int(os.environ.get("LANYING_BULK_EXAMPLES") or 0)


def _settings(examples: int) -> settings:
    return settings(
        max_examples=EXAMPLES or examples,
        derandomize=not EXAMPLES,
        database=None,
        deadline=None,  # real I/O: timeouts and server delays are part of the draw
        # One emulator and client per test function, reset between examples.
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


READ_TIMEOUT = 0.15
FAULTS: list[wire.Fault] = [
    wire.CloseBeforeHandling(),
    wire.CloseAfterHandling(),
    wire.ResetMidBody(),
    *(wire.ServerError(status=status) for status in (500, 502, 503, 504)),
    wire.ServerError(status=502, page="html"),
    wire.RetryAfter(seconds=0),
    wire.BusinessCode(code=20000),
    *(wire.Malformed(shape=shape) for shape in ("html", "not_json", "truncated_json")),
    wire.Malformed(shape="missing_code"),
    wire.Oversized(size=100_000),
    wire.EndlessBody(),
    wire.Latency(READ_TIMEOUT * 2),  # the client times out after sending
    wire.Latency(READ_TIMEOUT * 2, phase="body"),
]
"""Faults that tell the truth about what ran (none of the ``execute=True`` lies)."""

INVALID: list[object] = [0, -7, True, False, "7", None, 1.5, [1], {}]
"""Values no id check lets through; ``[1]`` and ``{}`` cannot even be keys."""


# --- the world: one emulator and client per test function ---------------------------


@pytest.fixture
async def world() -> AsyncIterator[World]:
    plan = FaultPlan(seed=11)
    watch = Watch()
    # Setting an example up goes through a client of its own, with the usual timeouts.
    async with Emulator(faults=plan) as emu, emu.client() as setup:
        names = [f"prop_{i:02d}" for i in range(15)]
        registered = await setup.users.bulk_register([(name, "pw") for name in names])
        await setup.users.register(username="taken_name", password="pw")
        ids = [registered.results[name] for name in names]
        async with emu.client(
            timeouts=Timeouts(connect=2, read=READ_TIMEOUT, total=5),
            retry=RetryConfig(
                max_attempts=3,
                base_delay=0.001,
                max_delay=0.005,
                max_retry_after=0.05,
                budget=1_000_000,  # every example may retry: none drains it for the next
            ),
            max_response_bytes=64_000,
            hooks=Hooks(on_request=watch.on_request, on_response=watch.on_response),
        ) as client:
            owner, pool, members = ids[0], ids[1:11], ids[11:]
            yield World(emu, client, setup, plan, watch, owner, pool, members, itertools.count())


# --- drawing an example -----------------------------------------------------------


@st.composite
def tokens(draw: st.DrawFn, *, members: bool = True, invalid: bool = True) -> list[object]:
    """Symbolic items: ("pool", i), ("member", i), ("unknown", i) or an invalid value."""
    pool = st.tuples(st.just("pool"), st.integers(0, 9))
    kinds: list[st.SearchStrategy[object]] = [
        pool,
        pool,
        pool,  # most items are users that can join
        st.tuples(st.just("unknown"), st.integers(0, 2)),
    ]
    if members:
        kinds.append(st.tuples(st.just("member"), st.integers(0, 3)))
    if invalid:
        kinds.append(st.sampled_from(INVALID))
    size = draw(st.integers(0, 40))  # drawn first: a list strategy keeps to short lists
    return draw(st.lists(st.one_of(kinds), min_size=size, max_size=size))


def faults(requests: int, most: int) -> st.SearchStrategy[dict[int, wire.Fault]]:
    """Half the time none; else a few faults, each on a request number of the job's route."""
    numbers = st.integers(1, requests)
    some = st.dictionaries(numbers, st.sampled_from(FAULTS), min_size=1, max_size=most)
    return st.one_of(st.just({}), some)


def job_options(*, largest_chunk: int, most_workers: int) -> st.SearchStrategy[dict[str, Any]]:
    """``BulkOptions`` settings; fail-fast a quarter of the time (it ends most jobs early)."""
    return st.fixed_dictionaries(
        {
            "chunk_size": st.integers(1, largest_chunk),
            "concurrency": st.integers(1, most_workers),
            "dedupe": st.booleans(),
            "fail_fast": st.sampled_from((False, False, False, True)),
            "isolate": st.sampled_from((True, True, True, False)),
        }
    )


@st.composite
def jobs(draw: st.DrawFn) -> dict[str, Any]:
    shape = draw(st.sampled_from(SHAPES))
    # In-memory input with a bad value is refused whole; give it valid input most often.
    invalid = shape in LAZY or draw(st.integers(0, 3)) == 0
    return {
        "shape": shape,
        "sender": draw(st.sampled_from(("owner", "owner", "owner", "unknown"))),
        "tokens": draw(tokens(invalid=invalid)),
        "options": draw(job_options(largest_chunk=6, most_workers=4)),
        "faults": draw(faults(8, 3)),
        "forced": draw(st.sampled_from((0, 0, 0, 1, 2))),
        "stop": draw(st.builds(Stop, st.sampled_from(STOPS), st.integers(1, 4))),
        "streamed": draw(st.booleans()),
        "slow_reader": draw(st.booleans()),
    }


# --- the properties -------------------------------------------------------------------


@_settings(400)
@given(case=jobs())
async def test_invites_account_for_every_item(world: World, case: dict[str, Any]) -> None:
    run = next(world.runs)
    feed = Feed([resolve(world, t) for t in case["tokens"]], case["shape"])
    owner = world.client.as_user(world.owner).groups
    room = await world.setup.as_user(world.owner).groups.create(
        name=f"room {run}", type=GroupType.CHATROOM, members=world.members
    )

    def start(options: BulkOptions) -> BulkJob[Any, Any]:
        return owner.invite(room.group_id, feed.container(), options=options)  # type: ignore[arg-type]

    report = await checked_run(world, start, case, INVITE, feed, field="user_ids")
    if report is None:
        return
    members = {m.user_id for m in world.emu.app_state().groups[room.group_id].members}
    joined = members - {world.owner, *world.members}
    assert set(report.succeeded) <= joined  # nothing called a success that did not happen
    assert joined <= set(report.succeeded) | set(report.outcome_unknown)  # nor the reverse


@_settings(250)
@given(case=jobs())
async def test_messages_account_for_every_item(world: World, case: dict[str, Any]) -> None:
    run = next(world.runs)
    case["tokens"] = [t for t in case["tokens"] if not (isinstance(t, tuple) and t[0] == "member")]
    feed = Feed([resolve(world, t) for t in case["tokens"]], case["shape"])
    text = f"property message {run}"
    # An unknown sender refuses every request alike, as an unknown target refuses its own.
    sender = world.owner if case["sender"] == "owner" else UNKNOWN_BASE + 99

    def start(options: BulkOptions) -> BulkJob[Any, Any]:
        return world.client.messages.send(
            feed.container(),  # type: ignore[arg-type]
            text,
            from_user_id=sender,
            options=options,
        )

    report = await checked_run(world, start, case, SEND, feed, field="targets")
    if report is None:
        return
    delivered = Counter(m.to_id for m in world.emu.app_state().messages if m.content == text)
    sent = Counter(v for v in feed.items_read() if valid_id(v))
    limit = Counter(dict.fromkeys(sent, 1)) if case["options"]["dedupe"] else sent
    assert all(count <= limit[target] for target, count in delivered.items())  # none twice
    assert Counter(report.succeeded) <= delivered
    assert set(delivered) <= set(report.succeeded) | set(report.outcome_unknown)
    # Only unknown targets are found refused on their own; never any with an unknown sender.
    unknown = {v for v in sent if v >= UNKNOWN_BASE}
    assert set(report.isolated) <= (unknown if sender == world.owner else set())
    if not case["options"]["isolate"]:
        assert report.isolation_requests == 0
    if sender != world.owner:
        assert not report.succeeded and not delivered


SECRET = "pw-secret"

ROWS: list[object] = [
    None,
    {"name": "x", "password": SECRET},  # no key: its first field cannot be taken
    ["row_0", SECRET],  # a list, not a pair: keyed by its first field, refused
    ("", SECRET),  # an empty name
    ("taken_name", SECRET),  # registered with the world: fails alone, on the server
    (1, SECRET),  # a number for a name
]


@st.composite
def registrations(draw: st.DrawFn) -> dict[str, Any]:
    rows = st.one_of(
        st.tuples(st.just("new"), st.integers(0, 7)),
        st.sampled_from(range(len(ROWS))),
    )
    return {
        "rows": draw(st.lists(rows, max_size=16)),
        "shape": draw(st.sampled_from(LAZY)),
        "options": draw(job_options(largest_chunk=5, most_workers=3)),
        "faults": draw(faults(6, 2)),
        "forced": draw(st.sampled_from((0, 0, 0, 1))),
        "stop": draw(
            # no "progress" or "interrupt": the other properties cover them
            st.builds(Stop, st.sampled_from(STOPS[:7]), st.integers(1, 3))
        ),
        "streamed": draw(st.booleans()),
        "slow_reader": False,
    }


@_settings(150)
@given(case=registrations())
async def test_registrations_account_for_every_row(world: World, case: dict[str, Any]) -> None:
    run = next(world.runs)
    rows = [
        (f"new_{run}_{row[1]}", SECRET) if isinstance(row, tuple) else ROWS[row]
        for row in case["rows"]
    ]
    feed = Feed(rows, case["shape"])

    def start(options: BulkOptions) -> BulkJob[Any, Any]:
        return world.client.users.bulk_register(feed.container(), options=options)  # type: ignore[arg-type]

    report = await checked_run(world, start, case, REGISTER, feed, key=_row_key)
    assert report is not None  # lazy input is never refused whole
    users = world.emu.app_state().user_ids_by_name
    assert all(name in users for name in report.succeeded)
    made = {name for name in users if name.startswith(f"new_{run}_")}
    assert made <= set(report.succeeded) | set(report.outcome_unknown)
    assert SECRET not in repr(report.failed)  # passwords never reach the report


class _Unkeyed:
    """Where a row has no key: the report's stand-in shows only its type."""

    def __init__(self, row: object) -> None:
        self.row = row

    def __repr__(self) -> str:
        return f"<{type(self.row).__name__}>"

    __hash__ = None  # type: ignore[assignment]


def _row_key(row: object) -> object:
    try:
        return row[0]  # type: ignore[index]
    except (TypeError, KeyError, IndexError):
        return _Unkeyed(row)
