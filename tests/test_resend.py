"""A write goes out exactly once, whatever HTTP method it uses and whichever connection.

aiohttp, left to itself, re-sends a GET, PUT or DELETE once, silently, when a
pooled keep-alive connection dies after the request went out. These tests
run the SDK against a bare socket server (not the emulator) that runs the
request and then drops the connection, on the client's first connection and
on a reused keep-alive one, and count what reached the server and on which
connection. If aiohttp's re-send came back, the PUT and DELETE cases would
see two executions.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from lanying_async import LanyingClient, OutcomeUnknownError, RequestPhase, RetryConfig
from tests.bare_http import Action, Seen, SocketServer
from tests.pool import checked_out

pytestmark = pytest.mark.anyio

WARM_UP = ("GET", "/user/profile")
_GROUP = b'{"code":200,"data":{"group_id":7,"name":"g","owner_id":1}}'
_PROFILE = b'{"code":200,"data":{"user_id":1,"username":"u"}}'
_LIST = b'{"code":200,"data":[]}'
_TRUE = b'{"code":200,"data":true}'

Call = Callable[[LanyingClient], Awaitable[object]]

# HTTP method -> (path, the SDK call that sends it, its answer when answered)
OPERATIONS: dict[str, tuple[str, Call, bytes]] = {
    "GET": ("/user/rosters", lambda c: c.as_user(1).roster.list(), _LIST),
    "POST": ("/group/create", lambda c: c.as_user(1).groups.create(name="g"), _GROUP),
    "PUT": ("/user/disable", lambda c: c.users.disable([2]), _TRUE),
    "DELETE": ("/user/delete", lambda c: c.as_user(2).users.delete(), _TRUE),
}


def _script(method: str, fault: Action) -> Callable[[Seen], tuple[Action, bytes]]:
    path, _, answer = OPERATIONS[method]
    faulted: list[Seen] = []

    def script(request: Seen) -> tuple[Action, bytes]:
        if (request.method, request.path) == WARM_UP:
            return Action.ANSWER, _PROFILE
        if (request.method, request.path) == (method, path) and not faulted:
            faulted.append(request)
            return fault, b""
        return Action.ANSWER, answer

    return script


@pytest.mark.parametrize("fault", [Action.CLOSE_AFTER, Action.RESET_AFTER])
@pytest.mark.parametrize("connection", ["first", "reused"])
@pytest.mark.parametrize("method", list(OPERATIONS))
async def test_a_request_whose_connection_dies_after_it_ran(
    method: str, connection: str, fault: Action
) -> None:
    path, call, _ = OPERATIONS[method]
    retry = RetryConfig(base_delay=0.001, max_delay=0.002)
    async with SocketServer(_script(method, fault)) as server:
        async with LanyingClient(server.url, "app", "tok", retry=retry) as client:
            if connection == "reused":
                await client.as_user(1).users.profile()
                assert server.connections == 1  # the pool keeps it for the next call
            if method == "GET":
                await call(client)  # a read: the SDK's own retry, on a new connection
            else:
                with pytest.raises(OutcomeUnknownError) as info:
                    await call(client)
                assert info.value.phase is RequestPhase.SENT and info.value.may_have_run
            assert checked_out(client) == 0
    attempts = [s for s in server.seen if (s.method, s.path) == (method, path)]
    # The faulted request came on the connection under test: the warm-up's, or the first.
    assert attempts[0].connection == 1
    if method == "GET":
        assert [s.connection for s in attempts] == [1, 2]
    else:
        # Exactly once: neither aiohttp nor the SDK sent the write again.
        assert len(attempts) == 1
        assert server.executed(method, path) == 1
        assert server.connections == 1
