"""The fault matrix: every injected fault against each class of operation.

For a safe read (``GET /user/rosters``), a de-duplicated write
(``POST /message/send``) and a plain write (``POST /group/create``), the
first request to the route meets the fault. Each case asserts the error
raised (or success), the attempts the server saw, how many times the write
really ran (never more than once), and that no connection stays checked out.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import anyio
import pytest

from lanying_async import (
    HTTPStatusError,
    LanyingClient,
    OutcomeUnknownError,
    ResponseDecodeError,
    ResponseTooLargeError,
    RetryConfig,
    ServerDatabaseError,
    Timeouts,
)
from lanying_async.bulk import BulkOptions
from lanying_async.emulator.faults import (
    ALL_KINDS,
    BusinessCode,
    CloseAfterHandling,
    CloseBeforeHandling,
    EndlessBody,
    Fault,
    Latency,
    Malformed,
    Oversized,
    ResetMidBody,
    RetryAfter,
    ServerError,
)
from lanying_async.testing import Emulator, FaultPlan
from tests.pool import checked_out

pytestmark = pytest.mark.anyio

READ = ("GET", "/user/rosters")
DEDUP = ("POST", "/message/send")
WRITE = ("POST", "/group/create")

OK = None  # the call succeeds


@dataclass
class World:
    emu: Emulator
    client: LanyingClient
    plan: FaultPlan
    alice: int
    bob: int


@pytest.fixture
async def world() -> AsyncIterator[World]:
    plan = FaultPlan(seed=5)
    async with Emulator(faults=plan) as emu:
        # The users come first, with default timeouts: on a busy machine a first request
        # may take longer than the half second the client under test waits for an answer.
        async with emu.client() as setup:
            alice = (await setup.users.register(username="alice", password="pw")).user_id
            bob = (await setup.users.register(username="bob", password="pw")).user_id
        async with emu.client(
            timeouts=Timeouts(connect=2, read=0.5, total=10),
            retry=RetryConfig(max_attempts=3, base_delay=0.001, max_delay=0.01),
            max_response_bytes=1_000_000,
        ) as client:
            yield World(emu, client, plan, alice, bob)


def _call(world: World, route: tuple[str, str]) -> Callable[[], Awaitable[object]]:
    if route == READ:
        return world.client.as_user(world.alice).roster.list
    if route == DEDUP:
        return lambda: world.client.messages.send_once([world.bob], "hi", from_user_id=world.alice)
    return lambda: world.client.as_user(world.alice).groups.create(name="g")


async def _settled(emu: Emulator) -> None:
    """Wait until the emulator has finished every request it accepted."""
    with anyio.fail_after(5):
        await emu.wait_idle()


# fault, route, expected error (None: success), attempts the server sees, executions (writes)
CASES: list[tuple[str, Fault, tuple[str, str], type[Exception] | None, int, int]] = []


def case(name: str, fault: Fault, outcomes: dict[tuple[str, str], tuple[object, int, int]]) -> None:
    for route, (error, attempts, executions) in outcomes.items():
        CASES.append((name, fault, route, error, attempts, executions))  # type: ignore[arg-type]


retried = {READ: (OK, 2, 0), DEDUP: (OK, 2, 1)}

case("slow headers", Latency(0.1), {READ: (OK, 1, 0), DEDUP: (OK, 1, 1), WRITE: (OK, 1, 1)})
case(
    "slow body",
    Latency(0.1, phase="body"),
    {READ: (OK, 1, 0), DEDUP: (OK, 1, 1), WRITE: (OK, 1, 1)},
)
case("stall past read timeout", Latency(1.0), {**retried, WRITE: (OutcomeUnknownError, 1, 1)})
case("close before running", CloseBeforeHandling(), {**retried, WRITE: (OutcomeUnknownError, 1, 0)})
case("close after running", CloseAfterHandling(), {**retried, WRITE: (OutcomeUnknownError, 1, 1)})
case("reset mid-body", ResetMidBody(), {**retried, WRITE: (OutcomeUnknownError, 1, 1)})
for status in (500,):
    for page in ("json", "html"):
        case(
            f"HTTP {status} {page}",
            ServerError(status=status, page=page),
            {
                READ: (HTTPStatusError, 1, 0),
                DEDUP: (HTTPStatusError, 1, 0),
                WRITE: (HTTPStatusError, 1, 0),
            },
        )
for status in (502, 504):
    case(
        f"HTTP {status}",
        ServerError(status=status),
        {**retried, WRITE: (OutcomeUnknownError, 1, 0)},
    )
case("HTTP 503", ServerError(status=503), {**retried, WRITE: (HTTPStatusError, 1, 0)})
case("429 Retry-After", RetryAfter(seconds=0.2), {**retried, WRITE: (OK, 2, 1)})
case("429 Retry-After date", RetryAfter(seconds=1, http_date=True), {READ: (OK, 2, 0)})
case(
    "503 Retry-After",
    RetryAfter(seconds=0.2, status=503),
    {**retried, WRITE: (HTTPStatusError, 1, 0)},
)
case("business 20000", BusinessCode(code=20000), {**retried, WRITE: (ServerDatabaseError, 1, 0)})
for shape, ran in (("html", 0), ("not_json", 0), ("truncated_json", 1), ("missing_code", 1)):
    case(
        f"malformed {shape}",
        Malformed(shape=shape),  # type: ignore[arg-type]
        {
            READ: (ResponseDecodeError, 1, 0),
            DEDUP: (ResponseDecodeError, 1, ran),
            # A 200 answer that cannot be read may follow a write that ran.
            WRITE: (OutcomeUnknownError, 1, ran),
        },
    )
case(
    "oversized",
    Oversized(size=5_000_000),
    {
        READ: (ResponseTooLargeError, 1, 0),
        DEDUP: (ResponseTooLargeError, 1, 0),
        WRITE: (OutcomeUnknownError, 1, 0),  # its 200 status says nothing of its code
    },
)
case(
    "endless body",
    EndlessBody(),
    {
        READ: (ResponseTooLargeError, 1, 0),
        DEDUP: (ResponseTooLargeError, 1, 0),
        WRITE: (OutcomeUnknownError, 1, 0),
    },
)


@pytest.mark.parametrize(
    ("fault", "route", "error", "attempts", "executions"),
    [c[1:] for c in CASES],
    ids=[f"{c[0]} / {c[2][0]} {c[2][1]}" for c in CASES],
)
async def test_fault(
    world: World,
    fault: Fault,
    route: tuple[str, str],
    error: type[Exception] | None,
    attempts: int,
    executions: int,
) -> None:
    world.emu.clear_requests()
    world.plan.add(fault, method=route[0], path=route[1], requests=[1])
    call = _call(world, route)
    if error is None:
        await call()
    else:
        with pytest.raises(error):
            await call()
    await _settled(world.emu)
    assert len(world.emu.requests_to(*route)) == attempts
    if route != READ:
        assert world.emu.state.executions[route] == executions
    assert checked_out(world.client) == 0
    assert world.plan.injected[fault.kind] == 1


async def test_outcome_unknown_says_why(world: World) -> None:
    world.plan.add(CloseAfterHandling(), method=WRITE[0], path=WRITE[1], requests=[1])
    with pytest.raises(OutcomeUnknownError) as info:
        await _call(world, WRITE)()
    assert "may have run" in str(info.value)
    assert info.value.path == WRITE[1]
    assert world.emu.state.executions[WRITE] == 1


async def test_chaos_bulk_job_accounts_for_every_item() -> None:
    plan = FaultPlan(seed=2024)
    async with Emulator(faults=plan) as emu:
        async with emu.client() as setup:  # no faults yet: 20,000 users to message
            people = [(f"chaos_{i:05d}", "pw") for i in range(20_000)]
            registered = await setup.users.bulk_register(people)
            assert registered.ok
            ids = list(registered.results.values())
            sender = ids[0]
        async with emu.client(
            timeouts=Timeouts(connect=2, read=0.5, total=30),
            retry=RetryConfig(
                max_attempts=4, base_delay=0.001, max_delay=0.02, max_retry_after=0.5
            ),
            max_response_bytes=1_000_000,
        ) as client:
            plan.chaos(rate=0.1)
            report = await client.messages.send(
                ids, "chaos", from_user_id=sender, options=BulkOptions(chunk_size=20)
            )
            await _settled(emu)
            assert checked_out(client) == 0

    buckets = [
        set(report.succeeded),
        set(report.failed),
        set(report.skipped),
        set(report.outcome_unknown),
        set(report.not_started),
    ]
    assert sum(len(b) for b in buckets) == len(ids) == report.total
    assert set().union(*buckets) == set(ids)
    delivered: dict[int, int] = {}
    for record in emu.app_state().messages:
        if record.content == "chaos":
            delivered[record.to_id] = delivered.get(record.to_id, 0) + 1
    assert max(delivered.values()) == 1  # no item executed twice
    assert set(report.succeeded) <= set(delivered)  # what we call a success really happened
    assert sum(plan.injected.values()) >= 60  # about 10% of some 1,100 requests
    assert set(plan.injected) == set(ALL_KINDS)  # every kind of fault showed up


# HTTP method -> (path, a call that sends it, the error it ends in when its answer is lost)
BY_METHOD: dict[str, tuple[str, Callable[[World], Awaitable[object]], type[Exception] | None]] = {
    "GET": ("/user/rosters", lambda w: w.client.as_user(w.alice).roster.list(), None),
    "POST": (
        "/group/create",
        lambda w: w.client.as_user(w.alice).groups.create(name="g"),
        OutcomeUnknownError,
    ),
    "PUT": ("/user/disable", lambda w: w.client.users.disable([w.bob]), OutcomeUnknownError),
    "DELETE": (
        "/user/delete",
        lambda w: w.client.as_user(w.bob).users.delete(),
        OutcomeUnknownError,
    ),
}


@pytest.mark.parametrize("connection", ["first", "reused"])
@pytest.mark.parametrize("method", list(BY_METHOD))
async def test_close_after_running_on_the_first_and_on_a_reused_connection(
    method: str, connection: str
) -> None:
    """The emulator runs the request, then drops the connection: a write runs once."""
    plan = FaultPlan(seed=3)
    async with Emulator(faults=plan) as emu:
        async with emu.client() as setup:
            alice = (await setup.users.register(username="alice", password="pw")).user_id
            bob = (await setup.users.register(username="bob", password="pw")).user_id
        retry = RetryConfig(base_delay=0.001, max_delay=0.01)
        async with emu.client(retry=retry) as client:
            world = World(emu, client, plan, alice, bob)
            if connection == "reused":
                await client.as_user(alice).users.profile()
            opened = emu.connections_opened
            path, call, error = BY_METHOD[method]
            plan.add(CloseAfterHandling(), method=method, path=path, requests=[1])
            if error is None:
                await call(world)
            else:
                with pytest.raises(error):
                    await call(world)
            await _settled(emu)
            assert checked_out(client) == 0
        attempts = len(emu.requests_to(method, path))
        if method == "GET":
            assert attempts == 2  # the SDK's own retry of a read
            assert emu.connections_opened == opened + 2 - (connection == "reused")
        else:
            assert attempts == 1
            assert emu.state.executions[(method, path)] == 1
            # the request went over the pooled connection when there was one
            assert emu.connections_opened == opened + (connection == "first")
