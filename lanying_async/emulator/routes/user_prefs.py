"""Routes of a user's settings and push preferences (`/user/settings`, `/user/push/...`).

Rules:

* Every route acts on the calling user (admin token + `user_id` header, or
  a user token); any other caller gets 10002, a user deleted meanwhile 10000.
* The switches (`/user/download`, `/user/push`, `/user/push/detail`,
  `/user/sounds`, `/user/vibratory`) take `value=true|false` (also
  `1|0`) in the query; anything else is 10002.
* `/user/authmode` takes `value` 0..3; mode 2 (answer a question) needs a
  question and an answer stored in the settings first (10002 otherwise).
* Hours (`/user/push/limit` and the settings' hour fields) are 0..23.
* `PUT /user/settings` changes only the fields present; `user_id` in the
  body, when given, must be the caller (10010). A change leaving mode 2
  without a question and answer is refused (10002) and nothing is applied.
* An alias names one user: binding an alias held by another user moves it.
  Tags are non-empty strings; adding a held tag or removing a missing one is
  a no-op. A device token names one device: binding it again moves it.
  Unbinding a device without a token succeeds.
* Routes answering two verbs (POST/PUT, POST/DELETE) share one handler.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import msgspec
from aiohttp import web

from ..codes import Code
from ..envelope import BusinessError, ok_response
from ..state import AppState, User
from ..state_user_prefs import PushDevice
from ..views import user_settings_view
from ._common import (
    app_of,
    body_as,
    caller_of,
    invalid,
    mark_executed,
    query_int,
    require_user,
    state_of,
)

__all__ = ["setup"]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

INT32_MAX = 2**31 - 1
AUTH_MODE_QUESTION = 2
AUTH_MODES = range(4)
HOURS = range(24)
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})
_HOUR_FIELDS = ("no_push_start_hour", "no_push_end_hour", "silence_start_time", "silence_end_time")


class AliasBody(msgspec.Struct):
    alias: str
    push_token: str | None = None


class BadgeBody(msgspec.Struct):
    badge: int


class TagsBody(msgspec.Struct):
    tags: list[str]


class BindTokenBody(msgspec.Struct):
    device_sn: int
    device_token: str
    notifier_name: str


class SettingsBody(msgspec.Struct):
    """The writable fields of spec model `UserSettings`; absent means unchanged."""

    user_id: int | None = None
    auto_download: bool | None = None
    group_confirm: bool | None = None
    no_sounds: bool | None = None
    no_push: bool | None = None
    vibratory: bool | None = None
    no_push_detail: bool | None = None
    auth_mode: int | None = None
    auth_question: str | None = None
    auth_answer: str | None = None
    no_push_start_hour: int | None = None
    no_push_end_hour: int | None = None
    silence_start_time: int | None = None
    silence_end_time: int | None = None
    push_nick_name: str | None = None
    push_token: str | None = None


# --- helpers -------------------------------------------------------------------


def _caller_user(request: web.Request) -> tuple[AppState, User]:
    user_id = require_user(caller_of(request))
    app = app_of(request)
    user = app.users.get(user_id)
    if user is None:
        raise BusinessError(Code.USER_NOT_FOUND)
    return app, user


def _query_flag(request: web.Request, name: str = "value") -> bool:
    raw = (request.query.get(name) or "").lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise invalid(f"query parameter {name} must be true or false")


def _query_hour(request: web.Request, name: str) -> int:
    hour = query_int(request, name)
    _check_hour(hour, name)
    return hour


def _check_hour(hour: int | None, name: str) -> None:
    if hour is not None and hour not in HOURS:
        raise invalid(f"{name} must be an hour from 0 to 23")


def _check_auth_mode(mode: int | None) -> None:
    if mode is not None and mode not in AUTH_MODES:
        raise invalid("auth mode must be 0, 1, 2 or 3")


def _has_question(question: str | None, answer: str | None) -> bool:
    return bool(question) and bool(answer)


def _non_empty(value: str, name: str) -> str:
    if not value:
        raise invalid(f"{name} must not be empty")
    return value


def _int32(value: int, name: str) -> int:
    if not 0 <= value <= INT32_MAX:
        raise invalid(f"{name} must be from 0 to {INT32_MAX}")
    return value


# --- settings ------------------------------------------------------------------


async def get_settings(request: web.Request) -> web.Response:
    _, user = _caller_user(request)
    return ok_response(user_settings_view(user))


async def update_settings(request: web.Request) -> web.Response:
    app, user = _caller_user(request)
    body = body_as(request, SettingsBody)
    if body.user_id is not None and body.user_id != user.user_id:
        raise BusinessError(Code.PERMISSION_DENIED, "settings of another user")
    _check_auth_mode(body.auth_mode)
    for name in _HOUR_FIELDS:
        _check_hour(getattr(body, name), name)
    s = user.settings
    mode = s.auth_mode if body.auth_mode is None else body.auth_mode
    question = s.auth_question if body.auth_question is None else body.auth_question
    answer = s.auth_answer if body.auth_answer is None else body.auth_answer
    if mode == AUTH_MODE_QUESTION and not _has_question(question, answer):
        raise invalid("auth mode 2 needs auth_question and auth_answer")
    for name in SettingsBody.__struct_fields__:
        value = getattr(body, name)
        if name != "user_id" and value is not None:
            app.change_setting(user, name, value)
    mark_executed(request)
    return ok_response(True)


def _switch(attribute: str) -> Handler:
    """A handler setting one boolean field of the caller's settings from `value`."""

    async def handler(request: web.Request) -> web.Response:
        app, user = _caller_user(request)
        app.change_setting(user, attribute, _query_flag(request))
        mark_executed(request)
        return ok_response(True)

    return handler


async def set_auth_mode(request: web.Request) -> web.Response:
    _, user = _caller_user(request)
    mode = query_int(request, "value")
    _check_auth_mode(mode)
    s = user.settings
    if mode == AUTH_MODE_QUESTION and not _has_question(s.auth_question, s.auth_answer):
        raise invalid("set auth_question and auth_answer before choosing auth mode 2")
    s.auth_mode = mode
    mark_executed(request)
    return ok_response(True)


async def set_quiet_hours(request: web.Request) -> web.Response:
    _, user = _caller_user(request)
    start = _query_hour(request, "no_push_start_hour")
    end = _query_hour(request, "no_push_end_hour")
    user.settings.no_push_start_hour = start
    user.settings.no_push_end_hour = end
    mark_executed(request)
    return ok_response(True)


async def set_push_nickname(request: web.Request) -> web.Response:
    _, user = _caller_user(request)
    nickname = request.query.get("value")
    if not nickname:
        raise invalid("query parameter value is required")
    user.settings.push_nick_name = nickname
    mark_executed(request)
    return ok_response(True)


# --- push targeting ------------------------------------------------------------


async def set_alias(request: web.Request) -> web.Response:
    app, user = _caller_user(request)
    body = body_as(request, AliasBody)
    alias = _non_empty(body.alias, "alias")
    push_token = None if body.push_token is None else _non_empty(body.push_token, "push_token")
    app.prefs.bind_alias(user.user_id, alias, push_token)
    mark_executed(request)
    return ok_response(True)


async def set_badge(request: web.Request) -> web.Response:
    app, user = _caller_user(request)
    body = body_as(request, BadgeBody)
    app.prefs.badges[user.user_id] = _int32(body.badge, "badge")
    mark_executed(request)
    return ok_response(True)


def _tags(request: web.Request) -> list[str]:
    tags = body_as(request, TagsBody).tags
    if not tags:
        raise invalid("tags must not be empty")
    for tag in tags:
        _non_empty(tag, "each tag")
    return tags


async def get_tags(request: web.Request) -> web.Response:
    app, user = _caller_user(request)
    return ok_response(app.prefs.tags_of(user.user_id))


async def add_tags(request: web.Request) -> web.Response:
    app, user = _caller_user(request)
    app.prefs.add_tags(user.user_id, _tags(request))
    mark_executed(request)
    return ok_response(True)


async def remove_tags(request: web.Request) -> web.Response:
    app, user = _caller_user(request)
    app.prefs.remove_tags(user.user_id, _tags(request))
    mark_executed(request)
    return ok_response(True)


async def clear_tags(request: web.Request) -> web.Response:
    app, user = _caller_user(request)
    app.prefs.clear_tags(user.user_id)
    mark_executed(request)
    return ok_response(True)


async def bind_token(request: web.Request) -> web.Response:
    app, user = _caller_user(request)
    body = body_as(request, BindTokenBody)
    device = PushDevice(
        user_id=user.user_id,
        device_sn=_int32(body.device_sn, "device_sn"),
        device_token=_non_empty(body.device_token, "device_token"),
        notifier_name=_non_empty(body.notifier_name, "notifier_name"),
        bound_at=state_of(request).now_ms(),
    )
    app.prefs.bind_device(device)
    mark_executed(request)
    return ok_response(True)


async def unbind_token(request: web.Request) -> web.Response:
    app, user = _caller_user(request)
    device_sn = _int32(query_int(request, "deviceSn"), "deviceSn")
    app.prefs.unbind_device(user.user_id, device_sn)
    mark_executed(request)
    return ok_response(None)


# --- registration ----------------------------------------------------------------


def setup(app: web.Application) -> None:
    """Register this domain's routes (both verbs where the API accepts two)."""
    router = app.router
    both: list[tuple[str, Handler]] = [
        ("/user/authmode", set_auth_mode),
        ("/user/download", _switch("auto_download")),
        ("/user/push", _switch("no_push")),
        ("/user/push/detail", _switch("no_push_detail")),
        ("/user/push/limit", set_quiet_hours),
        ("/user/push/nickname", set_push_nickname),
        ("/user/settings", update_settings),
        ("/user/sounds", _switch("no_sounds")),
        ("/user/token/bind", bind_token),
        ("/user/vibratory", _switch("vibratory")),
    ]
    for path, handler in both:
        router.add_post(path, handler)
        router.add_put(path, handler)
    router.add_post("/user/token/unbind", unbind_token)
    router.add_delete("/user/token/unbind", unbind_token)
    router.add_post("/user/push/alias", set_alias)
    router.add_post("/user/push/badge", set_badge)
    router.add_get("/user/push/tag", get_tags)
    router.add_post("/user/push/tag", add_tags)
    router.add_delete("/user/push/tag", remove_tags)
    router.add_delete("/user/push/tag/all", clear_tags)
    router.add_get("/user/settings", get_settings)
