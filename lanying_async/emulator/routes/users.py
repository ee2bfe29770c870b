"""User routes: ``POST /user/register/v2``."""

from __future__ import annotations

import re

import msgspec
from aiohttp import web

from ..codes import Code
from ..envelope import BusinessError, ok_response
from ..state import User
from ..views import user_settings_view
from ._common import app_of, body_as, invalid, mark_executed, state_of

__all__ = ["setup"]

# Letters, digits and underscores (the spec's pattern also admits CJK
# ideographs), at least one non-digit, not starting with "maxim" or "mta".
_USERNAME = re.compile(r"[A-Za-z0-9_\u4e00-\u9fa5]+")
_RESERVED_PREFIXES = ("maxim", "mta")


class RegisterBody(msgspec.Struct):
    username: str
    password: str


def validate_username(username: str) -> None:
    if not _USERNAME.fullmatch(username):
        raise invalid("username may contain only letters, digits and underscores")
    if username.isdigit():
        raise invalid("username must not be all digits")
    if username.lower().startswith(_RESERVED_PREFIXES):
        raise invalid("username must not start with maxim or mta")


async def register(request: web.Request) -> web.Response:
    body = body_as(request, RegisterBody)
    validate_username(body.username)
    if not body.password:
        raise invalid("password is required")
    app = app_of(request)
    if body.username in app.user_ids_by_name:
        raise BusinessError(Code.USER_EXISTS)
    state = state_of(request)
    user = User(state.user_ids.take(), body.username, body.password, state.now_ms())
    app.users[user.user_id] = user
    app.user_ids_by_name[user.username] = user.user_id
    mark_executed(request)
    return ok_response(user_settings_view(user))


def setup(app: web.Application) -> None:
    app.router.add_post("/user/register/v2", register)
