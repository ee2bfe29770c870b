"""No object reachable from an SDK exception holds the access token.

Each failure below is provoked over real sockets; the test then walks every
object the raised exception can reach (its attributes, causes, contexts,
arguments and the containers among them — not traceback frames) and looks
for the token in every string, byte string and ``repr``.
"""

from __future__ import annotations

import socket
import types
from collections.abc import Awaitable, Callable, Iterator, Mapping

import aiohttp
import anyio
import pytest
from aiohttp import web

from lanying_async import LanyingClient, LanyingError, PoolLimits, RetryConfig, Timeouts
from tests.bare_http import Action, Seen, SocketServer
from tests.rawserver import ScriptedServer

pytestmark = pytest.mark.anyio

TOKEN = "tok-SECRET-0123456789"
ONE_TRY = RetryConfig(max_attempts=1)
_SKIP = (
    types.TracebackType,
    types.FrameType,
    types.ModuleType,
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.CodeType,
    type,
)


def _children(obj: object) -> Iterator[object]:
    if isinstance(obj, BaseException):
        yield obj.__cause__
        yield obj.__context__
        yield from obj.args
    if isinstance(obj, Mapping):
        for key in obj:
            yield key
            yield obj[key]
    elif isinstance(obj, list | tuple | set | frozenset):
        yield from obj
    if hasattr(obj, "__dict__"):
        yield from vars(obj).values()
    for klass in type(obj).__mro__:
        for name in getattr(klass, "__slots__", ()):
            if not name.startswith("__"):
                yield getattr(obj, name, None)


def holders_of_token(root: object) -> list[str]:
    """Every reachable object whose value or repr contains the token."""
    found: list[str] = []
    seen: set[int] = set()
    stack = [root]
    while stack and len(seen) < 20_000:
        obj = stack.pop()
        if obj is None or id(obj) in seen or isinstance(obj, _SKIP):
            continue
        seen.add(id(obj))
        if isinstance(obj, bytes | bytearray):
            text = bytes(obj).decode("latin-1")
        elif isinstance(obj, str):
            text = obj
        else:
            try:
                text = repr(obj) + str(obj)
            except Exception:
                text = ""
        if TOKEN in text:
            found.append(f"{type(obj).__name__}: {text[:120]!r}")
        if not isinstance(obj, str | bytes | bytearray | int | float):
            stack.extend(_children(obj))
    return found


async def test_the_walk_finds_a_token_where_aiohttp_keeps_it() -> None:
    """The oracle itself: aiohttp's own error for a malformed answer holds the headers."""
    async with SocketServer(lambda seen: (Action.GARBAGE, b"")) as server:
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.ClientResponseError) as info:
                await session.get(server.url + "/x", headers={"access-token": TOKEN})
    assert holders_of_token(info.value)


def _client(url: str, **kwargs: object) -> LanyingClient:
    kwargs.setdefault("retry", ONE_TRY)
    return LanyingClient(api_endpoint=url, app_id="app", access_token=TOKEN, **kwargs)  # type: ignore[arg-type]


Call = Callable[[LanyingClient], Awaitable[object]]
READ: Call = lambda c: c.roster.list()  # noqa: E731
WRITE: Call = lambda c: c.as_user(1).groups.create(name="g")  # noqa: E731


def _bare(action: Action) -> Callable[[], SocketServer]:
    return lambda: SocketServer(lambda seen: (action, b""))


def _scripted(
    status: int, body: bytes, headers: dict[str, str] | None = None
) -> Callable[[], ScriptedServer]:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(status=status, body=body, headers=headers)

    return lambda: ScriptedServer(handler)


def _stalling() -> ScriptedServer:
    async def handler(request: web.Request) -> web.Response:
        await anyio.sleep(5)
        return web.Response(body=b"{}")

    return ScriptedServer(handler)


SERVERS: dict[str, Callable[[], SocketServer | ScriptedServer]] = {
    "malformed HTTP": _bare(Action.GARBAGE),
    "reset after the request": _bare(Action.RESET_AFTER),
    "closed before the request": _bare(Action.CLOSE_BEFORE),
    "HTTP 500": _scripted(500, b"<html>oops</html>"),
    "HTTP 429": _scripted(429, b"", {"Retry-After": "1"}),
    "not an envelope": _scripted(200, b"<html>hello</html>"),
    "business code": _scripted(200, b'{"code":10008,"message":"bad token"}'),
    "read timeout": _stalling,
}


@pytest.mark.parametrize("call", [READ, WRITE], ids=["read", "write"])
@pytest.mark.parametrize("failure", list(SERVERS))
async def test_no_error_reaches_the_token(failure: str, call: Call) -> None:
    timeouts = Timeouts(read=0.2, total=1)
    async with SERVERS[failure]() as server, _client(server.url, timeouts=timeouts) as client:
        with pytest.raises(LanyingError) as info:
            await call(client)
    assert holders_of_token(info.value) == []


async def test_a_refused_connect_does_not_reach_the_token() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with _client(f"http://127.0.0.1:{port}") as client:
        with pytest.raises(LanyingError) as info:
            await READ(client)
    assert holders_of_token(info.value) == []


async def test_deadlines_and_a_closed_client_do_not_reach_the_token() -> None:
    arrived = anyio.Event()

    async def handler(request: web.Request) -> web.Response:
        arrived.set()
        await anyio.sleep(5)
        return web.Response(body=b"{}")

    limits = PoolLimits(max_connections=1, max_per_host=1)
    errors: list[BaseException] = []

    async def keep(call: Callable[[], Awaitable[object]]) -> None:
        try:
            await call()
        except LanyingError as exc:
            errors.append(exc)

    async with ScriptedServer(handler) as server:
        client = _client(server.url, limits=limits, timeouts=Timeouts(total=10))
        async with anyio.create_task_group() as group:
            group.start_soon(keep, lambda: READ(client))
            await arrived.wait()
            # waits for the only connection past its deadline
            await keep(lambda: client.with_options(timeout=0.2).roster.list())
            await client.aclose()  # the first call is still in flight
    assert len(errors) == 2
    for error in errors:
        assert holders_of_token(error) == []


def test_a_seen_record_is_not_a_token_holder() -> None:
    # The walk reports only what holds the token, not everything it visits.
    assert holders_of_token(Seen(1, "GET", "/x", executed=True)) == []
