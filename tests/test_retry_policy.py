"""The retry policy: transient codes, Retry-After on 503, the retry budget, the 429 pause,
the body-size cap, the deadline and cancellation."""

from __future__ import annotations

import asyncio
import gzip
import itertools
import logging

import anyio
import pytest
from aiohttp import web

from lanying_async import (
    HTTPStatusError,
    LanyingClient,
    LanyingTimeoutError,
    ResponseTooLargeError,
    RetryConfig,
    ServerDatabaseError,
    Timeouts,
)
from tests.pool import checked_out
from tests.rawserver import ScriptedServer

pytestmark = pytest.mark.anyio

OK_ROSTER = b'{"code":200,"data":[{"user_id":1,"name":"a"}]}'
OK_SETTINGS = b'{"code":200,"data":{"user_id":7}}'
DB_HICCUP = b'{"code":20000,"message":"database busy","data":null}'
FAST = RetryConfig(max_attempts=3, base_delay=0.001, max_delay=0.005)


def _client(url: str, **kwargs: object) -> LanyingClient:
    kwargs.setdefault("retry", FAST)
    return LanyingClient(api_endpoint=url, app_id="app", access_token="tok", **kwargs)  # type: ignore[arg-type]


def _sequence(*answers: tuple[int, bytes, dict[str, str]]) -> ScriptedServer:
    script = itertools.chain(answers, itertools.repeat(answers[-1]))

    async def handler(request: web.Request) -> web.Response:
        status, body, headers = next(script)
        return web.Response(status=status, body=body, headers=headers)

    return ScriptedServer(handler)


async def test_transient_business_code_retries_reads_not_plain_writes() -> None:
    async with _sequence((200, DB_HICCUP, {}), (200, OK_ROSTER, {})) as server:
        async with _client(server.url) as client:
            assert [r.user_id for r in await client.roster.list()] == [1]
    assert server.attempts == 2
    async with _sequence((200, DB_HICCUP, {}), (200, OK_SETTINGS, {})) as server:
        async with _client(server.url) as client:
            with pytest.raises(ServerDatabaseError):
                await client.users.register(username="u", password="p")
    assert server.attempts == 1


async def test_transient_codes_are_configurable() -> None:
    retry = RetryConfig(max_attempts=3, base_delay=0.001, transient_codes=frozenset())
    async with _sequence((200, DB_HICCUP, {}), (200, OK_ROSTER, {})) as server:
        async with _client(server.url, retry=retry) as client:
            with pytest.raises(ServerDatabaseError):
                await client.roster.list()
    assert server.attempts == 1


async def test_503_retry_after_is_honoured() -> None:
    async with _sequence((503, b"busy", {"Retry-After": "0.3"}), (200, OK_ROSTER, {})) as server:
        async with _client(server.url) as client:
            await client.roster.list()
    assert server.attempts == 2
    assert server.seen[1][2] - server.seen[0][2] >= 0.3


async def test_garbage_retry_after_is_ignored() -> None:
    async with _sequence((503, b"", {"Retry-After": "soon-ish"}), (200, OK_ROSTER, {})) as server:
        async with _client(server.url, timeouts=Timeouts(total=5)) as client:
            await client.roster.list()
    assert server.attempts == 2


async def test_retry_budget_stops_retries_in_an_outage_and_refills() -> None:
    retry = RetryConfig(max_attempts=5, base_delay=0.001, max_delay=0.002, budget=10, retry_cost=5)
    async with _sequence((503, b"down", {})) as server, _client(server.url, retry=retry) as client:
        with pytest.raises(HTTPStatusError):
            await client.roster.list()
        assert server.attempts == 3  # two retries spent the budget
        server.seen.clear()
        for _ in range(3):
            with pytest.raises(HTTPStatusError):
                await client.roster.list()
        assert server.attempts == 3  # fail fast: one attempt each, no retries left
    # successes pay the budget back
    answers = [(503, b"down", {})] + [(200, OK_ROSTER, {})] * 10
    async with _sequence(*answers) as server, _client(server.url, retry=retry) as client:
        transport = client._transport
        transport._budget.level = 0
        with pytest.raises(HTTPStatusError):
            await client.roster.list()
        for _ in range(10):
            await client.roster.list()
        assert transport._budget.level == 10


async def test_429_pauses_the_whole_client(caplog: pytest.LogCaptureFixture) -> None:
    count = itertools.count()

    async def handler(request: web.Request) -> web.Response:
        if next(count) == 0:
            return web.Response(status=429, headers={"Retry-After": "0.4"})
        return web.Response(body=OK_ROSTER)

    rejected = anyio.Event()

    class OnRejection(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "status=429" in record.getMessage():
                rejected.set()

    watcher = OnRejection()
    logger = logging.getLogger("lanying_async")
    logger.addHandler(watcher)
    caplog.set_level(logging.DEBUG, logger="lanying_async")
    try:
        async with ScriptedServer(handler) as server, _client(server.url) as client:

            async def later() -> None:
                await rejected.wait()  # the client has seen the 429
                await client.roster.list()

            async with anyio.create_task_group() as group:
                group.start_soon(client.roster.list)
                group.start_soon(later)
    finally:
        logger.removeHandler(watcher)
    assert server.attempts == 3
    rejected_at = server.seen[0][2]
    # the other call waited for the pause too, although it never saw a 429 itself
    assert all(at - rejected_at >= 0.35 for _, _, at in server.seen[1:])


async def test_oversized_bodies_are_refused_and_the_connection_dropped() -> None:
    big = b'{"code":200,"data":[' + b'{"user_id":1},' * 200_000 + b'{"user_id":2}]}'

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=big)

    async with ScriptedServer(handler) as server:
        async with _client(server.url, max_response_bytes=1_000_000) as client:
            with pytest.raises(ResponseTooLargeError) as info:
                await client.roster.list()
            assert info.value.limit == 1_000_000
            assert checked_out(client) == 0
    assert server.attempts == 1


async def test_endless_chunked_body_is_cut_off() -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        try:
            for _ in range(10_000):
                await response.write(b"x" * 65_536)
        except (ConnectionResetError, RuntimeError):
            pass  # the client went away, as it should
        return response

    async with ScriptedServer(handler) as server:
        async with _client(server.url, max_response_bytes=500_000) as client:
            with pytest.raises(ResponseTooLargeError):
                await client.roster.list()


async def test_the_deadline_is_never_slept_past() -> None:
    async with _sequence((503, b"", {"Retry-After": "30"})) as server:
        retry = RetryConfig(max_attempts=5, base_delay=0.001, max_retry_after=60)
        async with _client(server.url, retry=retry, timeouts=Timeouts(total=0.5)) as client:
            loop = asyncio.get_running_loop()
            started = loop.time()
            with pytest.raises(LanyingTimeoutError) as info:
                await client.roster.list()
            assert loop.time() - started < 2.0  # not the 30 s the server asked for
    assert info.value.attempts == 1 and isinstance(info.value.last_cause, HTTPStatusError)
    assert "HTTP 503" in str(info.value)


async def test_cancellation_is_not_retried_or_swallowed() -> None:
    arrived = anyio.Event()

    async def handler(request: web.Request) -> web.Response:
        arrived.set()
        await asyncio.sleep(10)
        return web.Response(body=OK_ROSTER)

    async with ScriptedServer(handler) as server, _client(server.url) as client:
        with anyio.CancelScope() as scope:
            async with anyio.create_task_group() as group:
                group.start_soon(client.roster.list)
                await arrived.wait()
                scope.cancel()
        assert scope.cancelled_caught
    assert server.attempts == 1


async def test_a_call_cancelled_mid_body_gives_its_connection_up() -> None:
    peers: list[object] = []
    never = anyio.Event()

    async def handler(request: web.Request) -> web.StreamResponse:
        assert request.transport is not None
        peers.append(request.transport.get_extra_info("peername"))
        if len(peers) > 1:
            return web.Response(body=OK_ROSTER)
        response = web.StreamResponse(headers={"Content-Length": str(len(OK_ROSTER))})
        await response.prepare(request)
        await response.write(OK_ROSTER[:10])  # the rest never comes
        await never.wait()
        return response

    async with ScriptedServer(handler) as server, _client(server.url) as client:
        with anyio.move_on_after(0.5) as scope:
            await client.roster.list()
        assert scope.cancelled_caught
        assert checked_out(client) == 0
        # the half-read connection was closed, not pooled: the next call opens another
        assert [r.user_id for r in await client.roster.list()] == [1]
    assert server.attempts == 2 and peers[0] != peers[1]


async def test_the_cap_counts_a_compressed_body_once_unpacked() -> None:
    padded = b'{"code":200,"data":[{"user_id":1,"name":"' + b" " * 2_000_000 + b'"}]}'

    async def handler(request: web.Request) -> web.Response:
        body = padded if request.path == "/user/rosters" else OK_SETTINGS
        return web.Response(body=gzip.compress(body), headers={"Content-Encoding": "gzip"})

    async with ScriptedServer(handler) as server:
        async with _client(server.url, max_response_bytes=1_000_000) as client:
            with pytest.raises(ResponseTooLargeError):
                await client.roster.list()  # a few KB on the wire, 2 MB unpacked
            assert (await client.users.settings()).user_id == 7  # small ones still decode
