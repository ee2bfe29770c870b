"""Transport edge cases against scripted real servers: statuses, bodies, retries, timeouts."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Iterator

import pytest
from aiohttp import web

from lanying_async import (
    HTTPStatusError,
    LanyingClient,
    LanyingConnectionError,
    LanyingTimeoutError,
    OutcomeUnknownError,
    RateLimitedError,
    RequestPhase,
    ResponseDecodeError,
    RetryConfig,
    RosterEntry,
    Timeouts,
    UserNotFoundError,
    ValidationError,
)
from lanying_async.models.base import Envelope
from lanying_async.transport.endpoint import Endpoint
from lanying_async.transport.retry import parse_retry_after
from tests.rawserver import ScriptedServer

pytestmark = pytest.mark.anyio

FAST = RetryConfig(max_attempts=3, base_delay=0.001, max_delay=0.005)
OK_SETTINGS = b'{"code":200,"message":null,"data":{"user_id":7}}'
OK_ROSTER = b'{"code":200,"data":[{"user_id":1,"name":"a"}]}'


def _client(url: str, **kwargs: object) -> LanyingClient:
    kwargs.setdefault("retry", FAST)
    return LanyingClient(api_endpoint=url, app_id="app", access_token="tok", **kwargs)  # type: ignore[arg-type]


def _answers(
    *answers: tuple[int, bytes] | tuple[int, bytes, dict[str, str]],
) -> Iterator[tuple[int, bytes, dict[str, str]]]:
    for answer in answers:
        yield (answer[0], answer[1], answer[2] if len(answer) == 3 else {})  # type: ignore[misc]


def _scripted(*answers: tuple[int, bytes] | tuple[int, bytes, dict[str, str]]) -> ScriptedServer:
    script = _answers(*answers)

    async def handler(request: web.Request) -> web.Response:
        status, body, headers = next(script)
        return web.Response(status=status, body=body, headers=headers)

    return ScriptedServer(handler)


async def test_html_error_page_is_http_status_error_with_excerpt() -> None:
    page = b"<html><body>" + b"Bad Gateway " * 50 + b"</body></html>"
    async with _scripted((500, page)) as server, _client(server.url) as client:
        with pytest.raises(HTTPStatusError) as info:
            await client.roster.list()
    assert info.value.status == 500
    assert info.value.excerpt.startswith("<html><body>Bad Gateway")
    assert len(info.value.excerpt) <= 210
    assert server.attempts == 1  # 500 is not transient


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<html>maintenance</html>", "not a JSON envelope"),
        (b'{"code":200,"data":{"user_', "not a JSON envelope"),
        (b'{"data":{"user_id":7}}', "no 'code'"),
        (b'{"code":200,"data":"surprise"}', "expected shape"),
        (b"[1,2,3]", "not a JSON envelope"),
    ],
)
async def test_bodies_that_are_not_the_envelope_are_decode_errors(body: bytes, reason: str) -> None:
    async with _scripted((200, body)) as server, _client(server.url) as client:
        with pytest.raises(OutcomeUnknownError) as info:
            # A write answered 200 with a body that cannot be read may have run.
            await client.users.register(username="u", password="p")
    decode = info.value.cause
    assert isinstance(decode, ResponseDecodeError)
    assert info.value.may_have_run and decode.phase is RequestPhase.ANSWERED
    assert reason in str(decode)
    assert decode.excerpt == body.decode()[:200]
    assert "tok" not in str(info.value)


async def test_business_error_with_unexpected_data_shape_still_maps_the_code() -> None:
    body = b'{"code":10000,"message":"no such user","data":"whatever"}'
    async with _scripted((200, body)) as server, _client(server.url) as client:
        with pytest.raises(UserNotFoundError) as info:
            await client.users.register(username="u", password="p")
    assert info.value.message == "no such user"


async def test_unknown_fields_are_ignored_and_missing_ones_defaulted() -> None:
    body = b'{"code":200,"data":{"user_id":7,"brand_new":{"x":1}},"extra":true}'
    async with _scripted((200, body)) as server, _client(server.url) as client:
        user = await client.users.register(username="u", password="p")
    assert user.user_id == 7 and user.no_push is False and user.push_token is None


@pytest.mark.parametrize("status", [502, 503, 504])
async def test_reads_retry_gateway_errors(status: int) -> None:
    async with _scripted((status, b"busy"), (status, b"busy"), (200, OK_ROSTER)) as server:
        async with _client(server.url) as client:
            roster = await client.roster.list()
    assert [r.user_id for r in roster] == [1]
    assert server.attempts == 3


async def test_plain_writes_do_not_retry_gateway_errors() -> None:
    async with _scripted((503, b"busy"), (200, OK_SETTINGS)) as server:
        async with _client(server.url) as client:
            with pytest.raises(HTTPStatusError) as info:
                await client.users.register(username="u", password="p")
    assert info.value.status == 503
    assert server.attempts == 1


async def test_deduplicated_writes_retry_with_the_same_transaction_id() -> None:
    bodies: list[bytes] = []
    script = iter([503, 502, 200])

    async def handler(request: web.Request) -> web.Response:
        bodies.append(await request.read())
        status = next(script)
        return web.Response(status=status, body=b'{"code":200,"data":true,"msg_ids":[9]}')

    async with ScriptedServer(handler) as server, _client(server.url) as client:
        result = await client.messages.send_once([5], "hi")
    assert result.msg_ids == [9]
    assert len(bodies) == 3 and len(set(bodies)) == 1  # identical, same transaction_id


async def test_gives_up_after_max_attempts() -> None:
    async with _scripted(*[(503, b"busy")] * 5) as server, _client(server.url) as client:
        with pytest.raises(HTTPStatusError):
            await client.roster.list()
    assert server.attempts == FAST.max_attempts


async def test_429_retry_after_is_honoured_even_for_writes() -> None:
    async with _scripted((429, b"slow down", {"Retry-After": "0.2"}), (200, OK_SETTINGS)) as server:
        async with _client(server.url) as client:
            user = await client.users.register(username="u", password="p")
    assert user.user_id == 7
    assert server.attempts == 2
    gap = server.seen[1][2] - server.seen[0][2]
    assert gap >= 0.2


async def test_429_retry_after_is_capped() -> None:
    retry = RetryConfig(max_attempts=2, base_delay=0.001, max_delay=0.005, max_retry_after=0.05)
    async with _scripted((429, b"", {"Retry-After": "3600"}), (200, OK_ROSTER)) as server:
        async with _client(server.url, retry=retry, timeouts=Timeouts(total=5)) as client:
            await client.roster.list()
    assert server.attempts == 2


async def test_429_exhausted_raises_rate_limited_with_hint() -> None:
    retry = RetryConfig(max_attempts=1)
    async with _scripted((429, b"", {"Retry-After": "7"})) as server:
        async with _client(server.url, retry=retry) as client:
            with pytest.raises(RateLimitedError) as info:
                await client.roster.list()
    assert info.value.retry_after == 7.0


def test_parse_retry_after_forms() -> None:
    assert parse_retry_after({"Retry-After": "12"}) == 12.0
    assert parse_retry_after({"Retry-After": "garbage"}) is None
    assert parse_retry_after({}) is None
    assert parse_retry_after({"Retry-After": "-3"}) == 0.0
    now = 1_700_000_000.0
    assert parse_retry_after({"Retry-After": "Tue, 14 Nov 2023 22:13:40 GMT"}, now=now) == 20.0
    assert parse_retry_after({"Retry-After": "Tue, 14 Nov 2023 22:13:00 GMT"}, now=now) == 0.0


async def test_redirects_are_not_followed() -> None:
    async with _scripted((302, b"", {"Location": "https://elsewhere.example/"})) as server:
        async with _client(server.url) as client:
            with pytest.raises(HTTPStatusError) as info:
                await client.roster.list()
    assert info.value.status == 302 and server.attempts == 1


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_failed_connect_is_retried_even_for_writes(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="lanying_async")
    async with _client(f"http://127.0.0.1:{_closed_port()}") as client:
        with pytest.raises(LanyingConnectionError) as info:
            await client.users.register(username="u", password="p")
    assert info.value.request_sent is False
    attempts = [r for r in caplog.records if r.name == "lanying_async"]
    assert len(attempts) == FAST.max_attempts
    assert "attempt=3" in attempts[-1].getMessage()


async def _hang(request: web.Request) -> web.Response:
    await asyncio.sleep(30)
    return web.Response(body=OK_ROSTER)


async def test_read_timeout_retries_reads_only() -> None:
    timeouts = Timeouts(connect=1, read=0.1, total=5)
    async with ScriptedServer(_hang) as server, _client(server.url, timeouts=timeouts) as client:
        with pytest.raises(LanyingTimeoutError):
            await client.roster.list()
        assert server.attempts == FAST.max_attempts
        server.seen.clear()
        with pytest.raises(OutcomeUnknownError) as info:
            await client.users.register(username="u", password="p")
        assert isinstance(info.value.cause, LanyingTimeoutError)
        assert "may have run" in str(info.value)
        assert server.attempts == 1


async def test_overall_deadline_covers_every_attempt() -> None:
    retry = RetryConfig(max_attempts=50, base_delay=0.001, max_delay=0.005)
    timeouts = Timeouts(connect=1, read=0.05, total=0.3)
    async with ScriptedServer(_hang) as server:
        async with _client(server.url, timeouts=timeouts, retry=retry) as client:
            loop = asyncio.get_running_loop()
            started = loop.time()
            with pytest.raises(LanyingTimeoutError) as info:
                await client.roster.list()
            spent = loop.time() - started
    assert spent < 2.0  # bounded by the deadline, not by 50 attempts x 30 s
    assert info.value.attempts >= 2


async def test_per_call_timeout_override() -> None:
    async with ScriptedServer(_hang) as server, _client(server.url) as client:
        with pytest.raises(LanyingTimeoutError):
            await client.with_options(timeout=0.2, max_attempts=1).roster.list()
    assert server.attempts == 1


async def test_a_header_is_replaced_whatever_its_case_never_sent_twice() -> None:
    seen: list[dict[str, list[str]]] = []

    async def handler(request: web.Request) -> web.Response:
        names = ("User-Agent", "X-Trace", "user_id")
        seen.append({name: request.headers.getall(name, []) for name in names})
        return web.Response(body=OK_ROSTER)

    async with ScriptedServer(handler) as server, _client(server.url) as client:
        view = client.with_options(extra_headers={"user-agent": "mine/1", "x-trace": "a"})
        await view.with_options(extra_headers={"X-TRACE": "b"}).roster.list()
        await view.with_options(extra_headers={"User_Id": "5"}).as_user(7).roster.list()
    assert seen[0] == {"User-Agent": ["mine/1"], "X-Trace": ["b"], "user_id": []}
    assert seen[1] == {"User-Agent": ["mine/1"], "X-Trace": ["a"], "user_id": ["7"]}


async def test_extra_headers_are_sent_but_cannot_replace_credentials() -> None:
    seen: list[dict[str, str]] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(dict(request.headers))
        return web.Response(body=OK_ROSTER)

    async with ScriptedServer(handler) as server, _client(server.url) as client:
        await client.with_options(extra_headers={"X-Trace": "abc"}).roster.list()
        with pytest.raises(ValueError, match="credentials"):
            client.with_options(extra_headers={"access-token": "x"})
    assert seen[0]["X-Trace"] == "abc" and seen[0]["access-token"] == "tok"


@pytest.mark.parametrize(
    ("headers", "named"),
    [
        ({"X-Trace": "a\r\nX-Evil: 1"}, "X-Trace"),
        ({"X-Trace": "a\nb"}, "X-Trace"),
        ({"X-Trace": "a\x00b"}, "X-Trace"),
        ({"X-Trace": "a\udc80b"}, "X-Trace"),
        ({"X-Trace": 5}, "X-Trace"),
        ({"X Trace": "a"}, "X Trace"),
        ({"X-Trace:": "a"}, "X-Trace:"),
        ({"": "a"}, "''"),
    ],
)
async def test_extra_headers_that_cannot_go_out_as_given_are_refused(
    headers: dict[str, object], named: str
) -> None:
    async with _scripted((200, OK_ROSTER)) as server, _client(server.url) as client:
        with pytest.raises(ValidationError) as info:
            client.with_options(extra_headers=headers)  # type: ignore[arg-type]
    assert named in info.value.field
    assert server.attempts == 0


async def test_a_query_value_that_cannot_be_sent_as_given_is_refused() -> None:
    """yarl would drop a lone surrogate from the query silently: the transport refuses it."""
    endpoint = Endpoint("GET", "/roster/name", Envelope[list[RosterEntry]])
    async with _scripted((200, OK_ROSTER)) as server, _client(server.url) as client:
        transport = client._transport
        with pytest.raises(ValidationError) as info:
            await transport.request(endpoint, transport.base_scope(), {"name": "a\udc80b"})
        await transport.request(endpoint, transport.base_scope(), {"name": "é"})
    assert info.value.field == "name"
    assert server.attempts == 1  # only the valid one
