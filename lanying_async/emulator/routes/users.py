"""User account routes: registration, profiles, passwords, devices and administration.

Rules shared by these routes:

* Operations on "the current user" need a caller acting as a user (admin
  token + `user_id` header, or the user's own token); otherwise 10002.
* Administration (listing, disabling, batch updates, batch registration)
  needs the app's admin token; a user token gets 10010.
* Wrong passwords (`change_password`, `delete` with a user token) are
  answered with 10002.
* Batch operations answer one result per item; a bad item fails alone.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Awaitable, Callable
from itertools import islice
from typing import Any, TypeVar

import msgspec
from aiohttp import web

from ..auth import Caller
from ..codes import Code
from ..envelope import BusinessError, ok_response
from ..recorder import BODY_KEY
from ..state import AppState, User
from ..state_accounts import Device, Profile, PushRegistration
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

__all__ = ["DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE", "profile_view", "setup", "validate_username"]

# Letters, digits and underscores (the spec's pattern also admits CJK
# ideographs), at least one non-digit, not starting with "maxim" or "mta"
# (the pattern's (?!mta|maxim) is case-sensitive: "Maxim_1" is accepted).
_USERNAME = re.compile(r"[A-Za-z0-9_\u4e00-\u9fa5]+")
_RESERVED_PREFIXES = ("maxim", "mta")

Handler = Callable[[web.Request], Awaitable[web.Response]]

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
"""`GET /user/list` serves at most this many users per page."""


# --- bodies --------------------------------------------------------------------


class RegisterBody(msgspec.Struct):
    username: str
    password: str


class RegisterBatchBody(msgspec.Struct):
    list: builtins.list[RegisterBody]


class PushRegisterBody(msgspec.Struct):
    username: str
    password: str
    alias: str | None = None
    device_guid: str | None = None
    push_token: str | None = None
    sign: str | None = None


class AvatarBody(msgspec.Struct):
    avatar: str | None = None


class AvatarItemBody(msgspec.Struct):
    user_id: int
    avatar: str | None = None


class AvatarBatchBody(msgspec.Struct):
    list: builtins.list[AvatarItemBody]


class PasswordChangeBody(msgspec.Struct):
    old_password: str | None = None
    new_password: str | None = None


class PasswordBody(msgspec.Struct):
    password: str | None = None


class IdListBody(msgspec.Struct):
    list: builtins.list[int]


class ProfileBody(msgspec.Struct):
    nick_name: str | None = None
    description: str | None = None
    public_info: str | None = None
    private_info: str | None = None


class ProfileItemBody(msgspec.Struct):
    user_id: int
    nick_name: str | None = None
    description: str | None = None
    public_info: str | None = None
    private_info: str | None = None


class ProfileBatchBody(msgspec.Struct):
    list: builtins.list[ProfileItemBody]


_Item = TypeVar("_Item", AvatarItemBody, ProfileItemBody)


# --- helpers -------------------------------------------------------------------


def validate_username(username: str) -> None:
    if not _USERNAME.fullmatch(username):
        raise invalid("username may contain only letters, digits and underscores")
    if username.isdigit():
        raise invalid("username must not be all digits")
    if username.startswith(_RESERVED_PREFIXES):
        raise invalid("username must not start with maxim or mta")


def _require_admin(caller: Caller) -> None:
    """Administration needs the app's admin token (whatever the scope headers say)."""
    if caller.via_user_token:
        raise BusinessError(Code.PERMISSION_DENIED, "this operation needs the admin token")


def _query_text(request: web.Request, name: str) -> str:
    value = request.query.get(name)
    if value is None or not value.strip():
        raise invalid(f"query parameter {name} is required")
    return value


def _text_body(request: web.Request) -> str:
    """The raw body as text (these routes take a plain string, not a JSON object)."""
    raw = request[BODY_KEY].raw
    if not raw.strip():
        raise invalid("request body is required")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise invalid("request body must be UTF-8 text") from None


def _current_user(request: web.Request) -> User:
    user_id = require_user(caller_of(request))
    user = app_of(request).users.get(user_id)
    if user is None:  # pragma: no cover - authentication already checked it
        raise BusinessError(Code.USER_NOT_FOUND)
    return user


def _create_user(request: web.Request, username: str, password: str) -> User:
    """Register a user; 10002 for a bad name or an empty password, 10004 if taken."""
    validate_username(username)
    if not password:
        raise invalid("password is required")
    app = app_of(request)
    if username in app.user_ids_by_name:
        raise BusinessError(Code.USER_EXISTS)
    state = state_of(request)
    user = User(state.user_ids.take(), username, password, state.now_ms())
    app.users[user.user_id] = user
    app.user_ids_by_name[user.username] = user.user_id
    return user


def _apply_profile(profile: Profile, body: ProfileBody | ProfileItemBody) -> None:
    """Copy the fields that have content; empty or missing ones are kept."""
    if body.nick_name:
        profile.nick_name = body.nick_name
    if body.description:
        profile.description = body.description
    if body.public_info:
        profile.public_info = body.public_info
    if body.private_info:
        profile.private_info = body.private_info


def profile_view(user: User, profile: Profile | None) -> dict[str, Any]:
    """Spec model `UserProfileDto`; unset fields are omitted."""
    view: dict[str, Any] = {"user_id": user.user_id, "username": user.username}
    if profile is not None:
        fields = {
            "nick_name": profile.nick_name,
            "avatar": profile.avatar,
            "mobile": profile.mobile,
            "email": profile.email,
            "description": profile.description,
            "public_info": profile.public_info,
            "private_info": profile.private_info,
        }
        view.update((k, v) for k, v in fields.items() if v is not None)
    return view


def _device_view(user_id: int, device: Device) -> dict[str, Any]:
    """Spec model `DeviceDto`."""
    view: dict[str, Any] = {
        "user_id": user_id,
        "device_sn": device.device_sn,
        "platform": device.platform,
    }
    if device.user_agent is not None:
        view["user_agent"] = device.user_agent
    return view


def _result(user_id: int, reason: str | None = None) -> dict[str, Any]:
    if reason is None:
        return {"user_id": user_id, "success": True}
    return {"user_id": user_id, "success": False, "reason": reason}


def _forget_user(app: AppState, user: User) -> None:
    """Remove a deleted user and what other users keep about it in their rosters."""
    del app.users[user.user_id]
    if app.user_ids_by_name.get(user.username) == user.user_id:
        del app.user_ids_by_name[user.username]
    for friend_id in app.rosters.pop(user.user_id, {}):
        app.rosters.get(friend_id, {}).pop(user.user_id, None)
    app.accounts.forget(user.user_id)
    app.prefs.forget_user(user.user_id)


# --- registration --------------------------------------------------------------


async def register(request: web.Request) -> web.Response:
    body = body_as(request, RegisterBody)
    user = _create_user(request, body.username, body.password)
    mark_executed(request)
    return ok_response(user_settings_view(user))


async def register_batch(request: web.Request) -> web.Response:
    _require_admin(caller_of(request))
    body = body_as(request, RegisterBatchBody)
    if not body.list:
        raise invalid("list must not be empty")
    results: list[dict[str, Any]] = []
    for item in body.list:
        try:
            user = _create_user(request, item.username, item.password)
        except BusinessError as exc:
            results.append({"username": item.username, "success": False, "reason": exc.message})
        else:
            results.append({"username": user.username, "user_id": user.user_id, "success": True})
    mark_executed(request)
    return ok_response(results)


async def register_push(request: web.Request) -> web.Response:
    body = body_as(request, PushRegisterBody)
    user = _create_user(request, body.username, body.password)
    user.settings.push_token = body.push_token or None
    app_of(request).accounts.push_registrations[user.user_id] = PushRegistration(
        push_token=body.push_token,
        device_guid=body.device_guid,
        alias=body.alias,
        sign=body.sign,
    )
    mark_executed(request)
    return ok_response(user_settings_view(user))


# --- the current user ------------------------------------------------------------


async def get_profile(request: web.Request) -> web.Response:
    user = _current_user(request)
    return ok_response(profile_view(user, app_of(request).accounts.profiles.get(user.user_id)))


async def update_profile(request: web.Request) -> web.Response:
    user = _current_user(request)
    body = body_as(request, ProfileBody)
    _apply_profile(app_of(request).accounts.profile(user.user_id), body)
    mark_executed(request)
    return ok_response(True)


def _body_avatar(request: web.Request) -> str:
    avatar = body_as(request, AvatarBody).avatar
    if not avatar:
        raise invalid("avatar is required")
    return avatar


def _profile_setter(attribute: str, read: Callable[[web.Request], str]) -> Handler:
    """A handler storing one profile field of the current user, as `read` takes it."""

    async def handler(request: web.Request) -> web.Response:
        user = _current_user(request)
        value = read(request)
        setattr(app_of(request).accounts.profile(user.user_id), attribute, value)
        mark_executed(request)
        return ok_response(True)

    return handler


set_avatar = _profile_setter("avatar", _body_avatar)
set_nickname = _profile_setter("nick_name", lambda request: _query_text(request, "nick_name"))
set_mobile = _profile_setter("mobile", lambda request: _query_text(request, "mobile"))
set_public_info = _profile_setter("public_info", _text_body)
set_private_info = _profile_setter("private_info", _text_body)


async def set_username(request: web.Request) -> web.Response:
    user = _current_user(request)
    username = _query_text(request, "username")
    validate_username(username)
    app = app_of(request)
    holder = app.user_ids_by_name.get(username)
    if holder is not None and holder != user.user_id:
        raise BusinessError(Code.USER_EXISTS)
    if holder is None:
        if app.user_ids_by_name.get(user.username) == user.user_id:
            del app.user_ids_by_name[user.username]
        app.user_ids_by_name[username] = user.user_id
        user.username = username
    mark_executed(request)
    return ok_response(True)


async def change_password(request: web.Request) -> web.Response:
    user = _current_user(request)
    body = body_as(request, PasswordChangeBody)
    if not body.old_password or not body.new_password:
        raise invalid("old_password and new_password are required")
    if body.old_password != user.password:
        raise invalid("old_password is incorrect")
    user.password = body.new_password
    mark_executed(request)
    return ok_response(True)


async def reset_password(request: web.Request) -> web.Response:
    caller = caller_of(request)
    _require_admin(caller)
    user = _current_user(request)
    body = body_as(request, PasswordBody)
    if not body.password:
        raise invalid("password is required")
    user.password = body.password
    mark_executed(request)
    return ok_response(True)


async def delete(request: web.Request) -> web.Response:
    caller = caller_of(request)
    user = _current_user(request)
    body = body_as(request, PasswordBody)
    if caller.via_user_token:
        if not body.password:
            raise invalid("password is required with a user token")
        if body.password != user.password:
            raise invalid("password is incorrect")
    _forget_user(app_of(request), user)
    mark_executed(request)
    return ok_response(True)


# --- devices and presence ------------------------------------------------------------


async def devices(request: web.Request) -> web.Response:
    user = _current_user(request)
    found = app_of(request).accounts.devices_of(user.user_id)
    data = [_device_view(user.user_id, device) for device in found.values()]
    return ok_response(data, extra={"version": state_of(request).now_ms()})


async def remove_device(request: web.Request) -> web.Response:
    user = _current_user(request)
    device_sn = query_int(request, "device_sn")
    found = app_of(request).accounts.devices.get(user.user_id, {})
    if found.pop(device_sn, None) is None:
        raise invalid(f"device {device_sn} not found")
    mark_executed(request)
    return ok_response(True)


async def kick(request: web.Request) -> web.Response:
    user = _current_user(request)
    found = app_of(request).accounts.devices_of(user.user_id)
    if "device_sn" in request.query:
        device_sn = query_int(request, "device_sn")
        device = found.get(device_sn)
        if device is None:
            raise invalid(f"device {device_sn} not found")
        device.online = False
    else:
        for device in found.values():
            device.online = False
    mark_executed(request)
    return ok_response(True)


async def online_status(request: web.Request) -> web.Response:
    user = _current_user(request)
    return ok_response({"online": app_of(request).accounts.is_online(user.user_id)})


# --- administration --------------------------------------------------------------


def _known_ids(request: web.Request) -> list[int]:
    _require_admin(caller_of(request))
    body = body_as(request, IdListBody)
    if not body.list:
        raise invalid("list must not be empty")
    users = app_of(request).users
    for user_id in body.list:
        if user_id not in users:
            raise BusinessError(Code.USER_NOT_FOUND, f"user {user_id} not found")
    return body.list


async def disable(request: web.Request) -> web.Response:
    accounts = app_of(request).accounts
    for user_id in _known_ids(request):
        accounts.disabled.add(user_id)
        for device in accounts.devices_of(user_id).values():
            device.online = False
    mark_executed(request)
    return ok_response(True)


async def enable(request: web.Request) -> web.Response:
    accounts = app_of(request).accounts
    for user_id in _known_ids(request):
        accounts.disabled.discard(user_id)
    mark_executed(request)
    return ok_response(True)


async def list_users(request: web.Request) -> web.Response:
    _require_admin(caller_of(request))
    page_num = query_int(request, "page_num", 1)
    page_size = query_int(request, "page_size", DEFAULT_PAGE_SIZE)
    if page_num < 1:
        raise invalid("page_num must be greater than 0")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise invalid(f"page_size must be from 1 to {MAX_PAGE_SIZE}")
    app = app_of(request)
    disabled = app.accounts.disabled
    start = (page_num - 1) * page_size
    page = islice(app.users.values(), start, start + page_size)
    data = [
        {
            "user_id": user.user_id,
            "username": user.username,
            "status": 1 if user.user_id in disabled else 0,
        }
        for user in page
    ]
    return ok_response(data)


def _update_each(
    request: web.Request,
    items: builtins.list[_Item],
    update: Callable[[AppState, _Item], str | None],
) -> web.Response:
    """Apply `update` to each known user's item; one result per item (its refusal reason)."""
    if not items:
        raise invalid("list must not be empty")
    app = app_of(request)
    results: list[dict[str, Any]] = []
    for item in items:
        reason = "user not found" if item.user_id not in app.users else update(app, item)
        results.append(_result(item.user_id, reason))
    mark_executed(request)
    return ok_response(results)


def _update_avatar(app: AppState, item: AvatarItemBody) -> str | None:
    if not item.avatar:
        return "avatar is required"
    app.accounts.profile(item.user_id).avatar = item.avatar
    return None


def _update_profile(app: AppState, item: ProfileItemBody) -> str | None:
    _apply_profile(app.accounts.profile(item.user_id), item)
    return None


async def set_avatars(request: web.Request) -> web.Response:
    _require_admin(caller_of(request))
    return _update_each(request, body_as(request, AvatarBatchBody).list, _update_avatar)


async def update_profiles(request: web.Request) -> web.Response:
    _require_admin(caller_of(request))
    return _update_each(request, body_as(request, ProfileBatchBody).list, _update_profile)


# --- registration of the routes ----------------------------------------------------


def setup(app: web.Application) -> None:
    router = app.router
    router.add_post("/user/register/v2", register)
    router.add_post("/user/register/batch", register_batch)
    router.add_post("/user/register/push", register_push)
    router.add_get("/user/profile", get_profile)
    router.add_post("/user/change_password", change_password)
    router.add_post("/user/change_password_admin", reset_password)
    router.add_get("/user/device/list", devices)
    router.add_put("/user/disable", disable)
    router.add_put("/user/enable", enable)
    router.add_get("/user/list", list_users)
    router.add_get("/user/online_status", online_status)
    two_verbs = (
        ("PUT", "/user/avatar", set_avatar),
        ("PUT", "/user/avatar/batch", set_avatars),
        ("DELETE", "/user/delete", delete),
        ("DELETE", "/user/device/remove", remove_device),
        ("PUT", "/user/kick", kick),
        ("PUT", "/user/mobile", set_mobile),
        ("PUT", "/user/nickname", set_nickname),
        ("PUT", "/user/private", set_private_info),
        ("PUT", "/user/profile", update_profile),
        ("PUT", "/user/profile/batch", update_profiles),
        ("PUT", "/user/public", set_public_info),
        ("PUT", "/user/username", set_username),
    )
    for other, path, handler in two_verbs:
        router.add_post(path, handler)
        router.add_route(other, path, handler)
