"""Observation hooks see every attempt, answer and retry, and never the token."""

from __future__ import annotations

import logging

import pytest
from aiohttp import web

from lanying_async import (
    Hooks,
    LanyingClient,
    RequestEvent,
    ResponseEvent,
    RetryConfig,
    RetryEvent,
    UserNotFoundError,
)
from lanying_async.testing import Emulator
from tests.rawserver import ScriptedServer

pytestmark = pytest.mark.anyio

TOKEN = "hook-secret-token"


class Recorder:
    def __init__(self) -> None:
        self.events: list[object] = []

    def hooks(self) -> Hooks:
        return Hooks(
            on_request=self.events.append,
            on_response=self.events.append,
            on_retry=self.events.append,
        )


async def test_success_and_business_error(emu: Emulator) -> None:
    seen = Recorder()
    async with emu.client(hooks=seen.hooks()) as client:
        await client.users.register(username="hooked", password="pw")
        with pytest.raises(UserNotFoundError):
            await client.as_user(424242).roster.list()
    request, response, request2, response2 = seen.events
    assert request == RequestEvent("POST", "/user/register/v2", 1)
    assert isinstance(response, ResponseEvent)
    assert (response.status, response.code, response.error) == (200, 200, None)
    assert response.elapsed >= 0
    assert isinstance(response2, ResponseEvent) and response2.code == 10000
    assert isinstance(response2.error, UserNotFoundError)
    assert request2 == RequestEvent("GET", "/user/rosters", 1)
    assert all(TOKEN not in repr(e) and emu.admin_token not in repr(e) for e in seen.events)


async def test_retries_are_announced() -> None:
    answers = iter([503, 200])

    async def handler(request: web.Request) -> web.Response:
        status = next(answers)
        return web.Response(status=status, body=b'{"code":200,"data":[]}')

    seen = Recorder()
    retry = RetryConfig(base_delay=0.001, max_delay=0.002)
    async with ScriptedServer(handler) as server:
        async with LanyingClient(
            api_endpoint=server.url,
            app_id="a",
            access_token=TOKEN,
            retry=retry,
            hooks=seen.hooks(),
        ) as client:
            await client.roster.list()
    kinds = [type(e).__name__ for e in seen.events]
    assert kinds == ["RequestEvent", "ResponseEvent", "RetryEvent", "RequestEvent", "ResponseEvent"]
    retry_event = seen.events[2]
    assert isinstance(retry_event, RetryEvent) and retry_event.attempt == 1
    first = seen.events[1]
    assert isinstance(first, ResponseEvent) and first.status == 503
    assert all(TOKEN not in repr(e) for e in seen.events)


async def test_a_failing_hook_does_not_break_the_call(
    emu: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(event: object) -> None:
        raise RuntimeError("observer bug")

    caplog.set_level(logging.ERROR, logger="lanying_async")
    async with emu.client(hooks=Hooks(on_request=broken, on_response=broken)) as client:
        user = await client.users.register(username="still_works", password="pw")
    assert user.user_id > 0
    assert any("hook" in r.getMessage() for r in caplog.records)
