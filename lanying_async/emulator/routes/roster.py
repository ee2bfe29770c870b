"""Roster routes: ``POST /user/add_roster`` and ``GET /user/rosters``."""

from __future__ import annotations

import msgspec
from aiohttp import web

from ..codes import Code
from ..envelope import BusinessError, ok_response
from ..state import RosterItem
from ._common import (
    app_of,
    body_as,
    caller_of,
    invalid,
    mark_executed,
    require_user,
    state_of,
)

__all__ = ["setup"]


class AddRosterBody(msgspec.Struct):
    friend_ids: list[int] = msgspec.field(name="list")


async def add_roster(request: web.Request) -> web.Response:
    user_id = require_user(caller_of(request))
    body = body_as(request, AddRosterBody)
    if not body.friend_ids:
        raise invalid("list must not be empty")
    app = app_of(request)
    for friend_id in body.friend_ids:
        if friend_id == user_id:
            raise invalid("cannot add oneself as a friend")
        if friend_id not in app.users:
            raise BusinessError(Code.USER_NOT_FOUND, f"user {friend_id} not found")
    now = state_of(request).now_ms()
    own = app.roster_of(user_id)
    for friend_id in body.friend_ids:
        if friend_id not in own:
            own[friend_id] = RosterItem(now)
        theirs = app.roster_of(friend_id)
        if user_id not in theirs:
            theirs[user_id] = RosterItem(now)
    mark_executed(request)
    return ok_response(True)


async def rosters(request: web.Request) -> web.Response:
    user_id = require_user(caller_of(request))
    app = app_of(request)
    users = app.users
    data = [
        {"user_id": friend_id, "name": users[friend_id].username}
        for friend_id in app.rosters.get(user_id, {})
        if friend_id in users
    ]
    return ok_response(data)


def setup(app: web.Application) -> None:
    app.router.add_post("/user/add_roster", add_roster)
    app.router.add_get("/user/rosters", rosters)
