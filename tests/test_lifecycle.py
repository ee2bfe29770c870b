"""The pool: lazy creation, reuse, limits, closing, and use from the wrong loop."""

from __future__ import annotations

import asyncio
import logging
import threading

import anyio
import pytest
from aiohttp import web

from lanying_async import (
    ClientClosedError,
    Hooks,
    LanyingClient,
    PoolLimits,
    RequestPhase,
    RetryConfig,
    WrongEventLoopError,
)
from lanying_async.testing import Emulator
from tests.rawserver import ScriptedServer

pytestmark = pytest.mark.anyio


async def test_client_built_outside_a_loop_binds_to_the_first_one(emu: Emulator) -> None:
    client = emu.client()  # no request yet: no session exists
    assert client._transport.sessions.session is None
    async with client:
        await client.users.register(username="late_binder", password="pw")
        assert client._transport.sessions.session is not None


async def test_many_calls_reuse_few_connections(client: LanyingClient, emu: Emulator) -> None:
    emu.reset_metrics()
    for i in range(200):
        await client.users.register(username=f"seq_{i}", password="pw")
    assert emu.connections_opened == 1

    emu.reset_metrics()
    await asyncio.gather(
        *(client.users.register(username=f"par_{i}", password="pw") for i in range(300))
    )
    assert emu.requests_served == 300
    assert emu.connections_opened <= 100


async def test_pool_limit_caps_connections(emu: Emulator) -> None:
    emu.latency = 0.01
    async with emu.client(limits=PoolLimits(max_connections=4, max_per_host=4)) as client:
        await asyncio.gather(
            *(client.users.register(username=f"u{i}", password="pw") for i in range(40))
        )
    assert emu.connections_opened <= 4
    assert emu.peak_in_flight <= 4


async def test_scoped_views_share_the_pool(client: LanyingClient, emu: Emulator) -> None:
    users = [await client.users.register(username=f"v{i}", password="pw") for i in range(5)]
    emu.reset_metrics()
    for user in users:
        await client.as_user(user.user_id).roster.list()
        await client.as_user(user.user_id).with_options(timeout=5).roster.list()
    assert emu.requests_served == 10
    assert emu.connections_opened == 0  # all ten reused the connection opened before


async def test_closed_client_fails_fast_and_close_is_idempotent(emu: Emulator) -> None:
    client = emu.client()
    async with client:
        await client.users.register(username="before", password="pw")
    assert client.closed
    served = emu.requests_served
    with pytest.raises(ClientClosedError):
        await client.users.register(username="after", password="pw")
    with pytest.raises(ClientClosedError):
        client.as_user(1)
    with pytest.raises(ClientClosedError):
        async with client:
            pass
    await client.aclose()
    await client.aclose()
    assert emu.requests_served == served  # nothing went out


async def test_views_of_a_closed_client_are_closed_too(emu: Emulator) -> None:
    client = emu.client()
    view = client.as_user(12345)
    await client.aclose()
    with pytest.raises(ClientClosedError):
        await view.roster.list()


async def test_closing_the_client_under_a_retrying_call_raises_client_closed() -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(status=503)  # a read retries this, after a backoff

    backing_off = anyio.Event()
    hooks = Hooks(on_retry=lambda event: backing_off.set())
    retry = RetryConfig(max_attempts=5, base_delay=0.5, max_delay=0.5)
    async with ScriptedServer(handler) as server:
        client = LanyingClient(server.url, "app", "tok", retry=retry, hooks=hooks)

        async def close_during_the_backoff() -> None:
            await backing_off.wait()
            await client.aclose()

        async with anyio.create_task_group() as group:
            group.start_soon(close_during_the_backoff)
            with pytest.raises(ClientClosedError) as info:
                await client.roster.list()
    # The first attempt was answered 503 (nothing ran); the retry never left.
    assert info.value.request_sent and not info.value.may_have_run
    assert server.attempts == 1


@pytest.mark.parametrize("write", [False, True], ids=["read", "write"])
async def test_closing_the_client_under_a_call_in_flight_raises_client_closed(
    write: bool,
) -> None:
    arrived = anyio.Event()

    async def handler(request: web.Request) -> web.Response:
        arrived.set()
        await anyio.sleep(5)
        return web.Response(body=b'{"code":200,"data":[]}')

    async with ScriptedServer(handler) as server:
        client = LanyingClient(server.url, "app", "tok")

        async def close_once_it_arrived() -> None:
            await arrived.wait()
            await client.aclose()

        async with anyio.create_task_group() as group:
            group.start_soon(close_once_it_arrived)
            call = client.as_user(1).groups.create(name="g") if write else client.roster.list()
            with pytest.raises(ClientClosedError) as info:
                await call
    # The request had left: a write may have run, and the error says so.
    assert info.value.phase is RequestPhase.SENT and info.value.may_have_run
    assert server.attempts == 1


async def test_close_releases_every_connection(emu: Emulator) -> None:
    client = emu.client()
    await asyncio.gather(
        *(client.users.register(username=f"c{i}", password="pw") for i in range(20))
    )
    session = client._transport.sessions.session
    assert session is not None
    connector = session.connector
    assert connector is not None
    await client.aclose()
    assert session.closed and connector.closed


async def test_use_from_another_loop_raises_instead_of_hanging(emu: Emulator) -> None:
    async with emu.client() as client:
        await client.users.register(username="home", password="pw")
        outcome: list[BaseException] = []

        def elsewhere() -> None:
            try:
                asyncio.run(client.users.register(username="away", password="pw"))
            except BaseException as exc:  # recorded for the assertion below
                outcome.append(exc)

        thread = threading.Thread(target=elsewhere)
        thread.start()
        await asyncio.to_thread(thread.join)
        assert len(outcome) == 1 and isinstance(outcome[0], WrongEventLoopError)
        # the client still works in its own loop
        await client.users.register(username="still_home", password="pw")


async def test_one_debug_line_per_attempt(
    client: LanyingClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="lanying_async")
    user = await client.users.register(username="logged", password="pw")
    await client.as_user(user.user_id).roster.list()
    lines = [r.getMessage() for r in caplog.records if r.name == "lanying_async"]
    assert len(lines) == 2
    assert lines[0].startswith("POST /user/register/v2 status=200 code=200 attempt=1 elapsed=")
    assert lines[1].startswith("GET /user/rosters status=200 code=200 attempt=1")
    assert lines[0].endswith("ms")
