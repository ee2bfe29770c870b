"""Waiting for a turn: the rate limit and the 429 pause, inside the call's one deadline."""

from __future__ import annotations

import asyncio
import itertools

import anyio
import pytest
from aiohttp import web

from lanying_async import (
    Hooks,
    LanyingClient,
    LanyingTimeoutError,
    OutcomeUnknownError,
    RequestPhase,
    RetryConfig,
    Timeouts,
)
from tests.pool import checked_out
from tests.rawserver import ScriptedServer

pytestmark = pytest.mark.anyio

OK_ROSTER = b'{"code":200,"data":[]}'
OK_GROUP = b'{"code":200,"data":{"group_id":7,"name":"g","owner_id":1}}'
FAST = RetryConfig(max_attempts=4, base_delay=0.001, max_delay=0.005)


def _client(url: str, **kwargs: object) -> LanyingClient:
    kwargs.setdefault("retry", FAST)
    return LanyingClient(api_endpoint=url, app_id="app", access_token="tok", **kwargs)  # type: ignore[arg-type]


def _answering(body: bytes) -> ScriptedServer:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=body)

    return ScriptedServer(handler)


async def _gather_errors(calls: int, call: object) -> list[BaseException | None]:
    results: list[BaseException | None] = []

    async def one() -> None:
        try:
            await call()  # type: ignore[operator]
        except Exception as exc:
            results.append(exc)
        else:
            results.append(None)

    async with anyio.create_task_group() as group:
        for _ in range(calls):
            group.start_soon(one)
    return results


async def test_a_turn_of_the_rate_limit_after_the_deadline_is_refused_unsent() -> None:
    # 4 per second, bursts of 4: turns at 0, 0, 0, 0, 0.25, 0.5, 0.75, 1.0, ...
    async with _answering(OK_GROUP) as server:
        async with _client(server.url, rate_limit=4, timeouts=Timeouts(total=0.6)) as client:
            results = await _gather_errors(10, lambda: client.as_user(1).groups.create(name="g"))
            assert checked_out(client) == 0
    refused = [r for r in results if r is not None]
    # The four whose turn comes at 0.75 s or later never wait: nothing is sent for them,
    # and a write refused that way is not outcome-unknown.
    assert len(refused) == 4 and server.attempts == 6
    for error in refused:
        assert type(error) is LanyingTimeoutError
        assert error.phase is RequestPhase.NOT_SENT and not error.may_have_run
        assert "rate limit" in str(error)


async def test_callers_cancelled_while_waiting_give_their_turn_back() -> None:
    async with _answering(OK_ROSTER) as server, _client(server.url, rate_limit=4) as client:
        for _ in range(4):  # the burst is spent
            await client.roster.list()
        with anyio.CancelScope() as scope:
            async with anyio.create_task_group() as group:
                for _ in range(40):  # each reserves a turn, up to 10 s ahead
                    group.start_soon(client.roster.list)
                await anyio.wait_all_tasks_blocked()
                scope.cancel()
        # Had the 40 kept their turns, this call's would come 10 s from now, past its
        # deadline, and it would be refused at once.
        await client.with_options(timeout=2).roster.list()
    assert server.attempts == 5


async def test_after_a_429_pause_requests_resume_in_slow_start() -> None:
    """One request first; each answer lets two more go: the release is spread out."""
    calls = 60
    arrivals = itertools.count()
    answers = 0
    after_pause: list[int] = []  # for each request after the pause: answers sent before it

    async def handler(request: web.Request) -> web.Response:
        nonlocal answers
        if next(arrivals) < calls:  # every call's first attempt is refused
            return web.Response(status=429, headers={"Retry-After": "0.2"})
        after_pause.append(answers)
        await asyncio.sleep(0.005)  # the server's own work
        answers += 1
        return web.Response(body=OK_ROSTER)

    async with ScriptedServer(handler) as server, _client(server.url) as client:
        results = await _gather_errors(calls, client.roster.list)
    assert results == [None] * calls
    assert len(after_pause) == calls
    # Slow start: the i-th request after the pause left only once the server had sent
    # at least i/2 answers (all 60 at once would each see 0).
    assert all(i <= 2 * before for i, before in enumerate(after_pause)), after_pause


async def test_a_deadline_inside_a_429_pause_sends_nothing_more() -> None:
    count = itertools.count()

    async def handler(request: web.Request) -> web.Response:
        if next(count) == 0:
            return web.Response(status=429, headers={"Retry-After": "5"})
        return web.Response(body=OK_GROUP)

    async with ScriptedServer(handler) as server:
        async with _client(server.url, timeouts=Timeouts(total=1)) as client:
            with pytest.raises(LanyingTimeoutError) as first:
                await client.as_user(1).groups.create(name="g")
            with pytest.raises(LanyingTimeoutError) as second:  # paused: not even tried
                await client.as_user(1).groups.create(name="g")
    assert server.attempts == 1
    for info in (first, second):
        assert not info.value.may_have_run  # a 429 ran nothing; the pause sent nothing
    assert second.value.phase is RequestPhase.NOT_SENT


async def test_a_deadline_while_waiting_for_a_pooled_connection_is_not_sent() -> None:
    arrived, release = anyio.Event(), anyio.Event()

    async def handler(request: web.Request) -> web.Response:
        arrived.set()
        await release.wait()
        return web.Response(body=OK_GROUP)

    async with ScriptedServer(handler) as server:
        client = _client(server.url, limits=_one_connection())
        async with client:
            async with anyio.create_task_group() as group:
                group.start_soon(client.as_user(1).groups.create, "first")
                await arrived.wait()
                slow = client.with_options(timeout=0.3).as_user(1)
                with pytest.raises(LanyingTimeoutError) as info:
                    await slow.groups.create(name="second")  # the only connection is busy
                release.set()
            assert checked_out(client) == 0
    # A write that never got a connection is not outcome-unknown: nothing left the client.
    assert not isinstance(info.value, OutcomeUnknownError)
    assert info.value.phase is RequestPhase.NOT_SENT and not info.value.may_have_run
    assert server.attempts == 1  # the first call only: the second never got a connection


def _one_connection() -> object:
    from lanying_async import PoolLimits

    return PoolLimits(max_connections=1, max_per_host=1)


async def test_a_bulk_job_stopped_while_its_chunks_wait_for_their_turn() -> None:
    """Chunks still waiting for the rate limit when the job stops were never sent."""
    from lanying_async import BulkOptions
    from lanying_async.testing import Emulator

    async with Emulator() as emu:
        async with emu.client() as setup:
            owner = (await setup.users.register(username="owner", password="pw")).user_id
            users = [
                (await setup.users.register(username=f"u{i}", password="pw")).user_id
                for i in range(12)
            ]
            group = await setup.as_user(owner).groups.create(name="g")
        async with emu.client(rate_limit=2) as client:  # two at once, then one per 0.5 s
            job = client.as_user(owner).groups.invite(
                group.group_id, users, options=BulkOptions(chunk_size=1, concurrency=6)
            )
            async with job.stream() as outcomes:
                async for _ in outcomes:
                    break  # the first answer is in; the other chunks wait for their turn
            assert checked_out(client) == 0
    report = job.report
    sent = {user for r in emu.requests_to("POST", "/group/invite") for user in r.body["user_list"]}
    assert report.total == len(users)
    assert set(report.succeeded) | set(report.outcome_unknown) <= sent
    assert set(report.not_started) == set(users) - sent
    assert len(report.not_started) >= 12 - 2 - 1  # at most one more turn came before the stop


async def test_waiting_in_line_after_a_429_ends_at_the_deadline_unsent() -> None:
    count = itertools.count()
    resumed, release = anyio.Event(), anyio.Event()

    async def handler(request: web.Request) -> web.Response:
        if next(count) == 0:
            return web.Response(status=429, headers={"Retry-After": "0.1"})
        resumed.set()  # the first request after the pause: held, so the window stays full
        await release.wait()
        return web.Response(body=OK_ROSTER)

    retried = anyio.Event()
    hooks = Hooks(on_retry=lambda event: retried.set())
    async with ScriptedServer(handler) as server, _client(server.url, hooks=hooks) as client:
        async with anyio.create_task_group() as group:
            group.start_soon(client.roster.list)
            await retried.wait()  # the 429 is in: the client is paused, then slow start
            await resumed.wait()
            with pytest.raises(LanyingTimeoutError) as info:
                await client.with_options(timeout=0.4).roster.list()
            release.set()
    assert info.value.phase is RequestPhase.NOT_SENT and not info.value.request_sent
    assert server.attempts == 2  # the 429 and its retry; the call in line never left
