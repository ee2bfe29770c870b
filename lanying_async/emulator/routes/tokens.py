"""Token routes: a user's access token from their password.

* `POST /token/id`: `{"user_id", "password", "device_guid"?}`.
* `POST /token/user`: `{"name", "password", "device_guid"?}`.
* `POST /token/login`: `{"login_name", "password", "device_guid"?}`;
  the login name is a username, else a mobile number or email of a profile.

Missing fields -> 10002; no such user -> 10000; wrong password -> 10002;
a disabled user (`accounts.disabled`) -> 10010. The issued token acts only
as its user (see `auth`). With `device_guid` the answer carries the
device's push token, the same one on every login from that device.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping

import msgspec
from aiohttp import web

from ..codes import Code
from ..envelope import BusinessError, ok_response
from ..state import AppState
from ._common import app_of, body_as, invalid, mark_executed, state_of

__all__ = ["TOKEN_LIFETIME_MS", "setup"]

TOKEN_LIFETIME_MS = 7 * 24 * 3600 * 1000
"""How long an issued user token is said to be valid."""

PUBLIC_KEY = (
    "-----BEGIN PUBLIC KEY-----\n"
    "TUZrd0V3WUhLb1pJemowQ0FRWUlLb1pJemowREFRY0RRZ0FFbGFueWluZ2VtdWxhdG9y\n"
    "-----END PUBLIC KEY-----"
)


class UserIdBody(msgspec.Struct):
    user_id: int | None = None
    password: str | None = None
    device_guid: str | None = None


class UsernameBody(msgspec.Struct):
    name: str | None = None
    password: str | None = None
    device_guid: str | None = None


class LoginBody(msgspec.Struct):
    login_name: str | None = None
    password: str | None = None
    device_guid: str | None = None


def _required(value: str | None, name: str) -> str:
    if not value:
        raise invalid(f"{name} is required")
    return value


def _by_contact(app: AppState, login_name: str) -> int | None:
    """The user whose profile has this mobile number or email (if profiles are kept)."""
    profiles = getattr(app.accounts, "profiles", None)
    if not isinstance(profiles, Mapping):
        return None
    for user_id, profile in profiles.items():
        if login_name in (getattr(profile, "mobile", None), getattr(profile, "email", None)):
            return int(user_id)
    return None


def _issue(
    request: web.Request, app: AppState, user_id: int | None, password: str, device: str | None
) -> web.Response:
    user = None if user_id is None else app.users.get(user_id)
    if user is None:
        raise BusinessError(Code.USER_NOT_FOUND)
    if user.password != password:
        raise invalid("incorrect password")
    if user.user_id in getattr(app.accounts, "disabled", ()):
        raise BusinessError(Code.PERMISSION_DENIED, "user is disabled")
    services = app.services
    token = app.issue_user_token(user.user_id)
    store_token = secrets.token_urlsafe(18)
    services.store_tokens[store_token] = user.user_id
    push_token = None
    if device is not None:
        key = (user.user_id, device)
        push_token = services.device_push_tokens.get(key)
        if push_token is None:
            seed = f"{app.app_id}:{user.user_id}:{device}".encode()
            push_token = hashlib.sha256(seed).hexdigest()[:32]
            services.device_push_tokens[key] = push_token
            services.push_tokens[push_token] = user.user_id
    mark_executed(request)
    return ok_response(
        {
            "token": token,
            "user_id": user.user_id,
            "expire": state_of(request).now_ms() + TOKEN_LIFETIME_MS,
            "push_token": push_token,
            "store_token": store_token,
            "access_key_secret": secrets.token_hex(16),
            "public_key": PUBLIC_KEY,
            "encrypt_type": 0,
        }
    )


async def by_user_id(request: web.Request) -> web.Response:
    body = body_as(request, UserIdBody)
    if body.user_id is None or body.user_id <= 0:
        raise invalid("user_id is required")
    password = _required(body.password, "password")
    return _issue(request, app_of(request), body.user_id, password, body.device_guid)


async def by_username(request: web.Request) -> web.Response:
    body = body_as(request, UsernameBody)
    name = _required(body.name, "name")
    password = _required(body.password, "password")
    app = app_of(request)
    return _issue(request, app, app.user_ids_by_name.get(name), password, body.device_guid)


async def login(request: web.Request) -> web.Response:
    body = body_as(request, LoginBody)
    login_name = _required(body.login_name, "login_name")
    password = _required(body.password, "password")
    app = app_of(request)
    user_id = app.user_ids_by_name.get(login_name)
    if user_id is None:
        user_id = _by_contact(app, login_name)
    return _issue(request, app, user_id, password, body.device_guid)


def setup(app: web.Application) -> None:
    """Register this domain's routes."""
    router = app.router
    router.add_post("/token/id", by_user_id)
    router.add_post("/token/user", by_username)
    router.add_post("/token/login", login)
