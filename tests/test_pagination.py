"""The paginator against a server whose cursors we script: what a real server may answer."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiohttp import web

from lanying_async import LanyingClient, Paginator, ResponseDecodeError
from tests.rawserver import ScriptedServer

pytestmark = pytest.mark.anyio


async def _walk(paginator: Paginator[Any], seen: list[int]) -> None:
    async for item in paginator:
        seen.append(item.msg_id if hasattr(item, "msg_id") else item.user_id)


def _members_server(pages: dict[str | None, tuple[list[int], str | None]]) -> ScriptedServer:
    """``GET /group/member_list``: cursor -> (member ids, next cursor)."""

    async def handler(request: web.Request) -> web.Response:
        ids, following = pages[request.query.get("cursor")]
        body: dict[str, object] = {"code": 200, "data": [{"user_id": i} for i in ids]}
        if following is not None:
            body["cursor"] = following
        return web.Response(body=json.dumps(body).encode())

    return ScriptedServer(handler)


async def test_an_empty_page_that_carries_a_cursor_is_followed() -> None:
    pages: dict[str | None, tuple[list[int], str | None]] = {
        None: ([1, 2], "a"),
        "a": ([], "b"),  # nothing on this page, but more to come
        "b": ([3], None),
    }
    async with _members_server(pages) as server:
        async with LanyingClient(server.url, "app", "tok") as client:
            members = [m.user_id async for m in client.as_user(1).groups.members(5)]
    assert members == [1, 2, 3]
    assert server.attempts == 3


async def test_a_cursor_that_does_not_advance_raises_before_repeating_items() -> None:
    pages: dict[str | None, tuple[list[int], str | None]] = {
        None: ([1], "a"),
        "a": ([2], "a"),
    }
    seen: list[int] = []
    async with _members_server(pages) as server:
        async with LanyingClient(server.url, "app", "tok") as client:
            with pytest.raises(ResponseDecodeError, match="did not advance"):
                await _walk(client.as_user(1).groups.members(5), seen)
    assert seen == [1, 2]


async def test_the_start_token_counts_as_seen() -> None:
    """A history page whose next start is the one asked for ends the walk at once."""

    async def handler(request: web.Request) -> web.Response:
        start = int(request.query["msg_id_start"])
        data = {"messages": [{"msg_id": start}], "is_last": False, "next_msg_id": start}
        return web.Response(body=json.dumps({"code": 200, "data": data}).encode())

    seen: list[int] = []
    async with ScriptedServer(handler) as server:
        async with LanyingClient(server.url, "app", "tok") as client:
            history = client.as_user(1).messages.history(2, start_msg_id=40)
            with pytest.raises(ResponseDecodeError, match="did not advance"):
                await _walk(history, seen)
    assert seen == [40]  # yielded once, never twice
    assert server.attempts == 1
