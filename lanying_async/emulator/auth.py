"""Resolution of the caller from the request headers.

Rules (checked in this order):

* `app_id` header missing -> 10002; unknown app -> 40000.
* `access-token` missing -> 10003, except on open routes
  (`POST /user/register/v2`), where the caller is anonymous.
* The app's admin token:
  with a `user_id` header the caller acts as that user (not an integer
  -> 10002, unknown user -> 10000); otherwise with a `group_id` header
  (not an integer -> 10002) it acts as an admin of that group; with
  neither it is the app superuser.
* A user token of the app acts as its user only (a different `user_id`
  header -> 10010).
* Any other token -> 10008.

The resolved `Caller` and the caller's `AppState` are stored
on the request under `CALLER_KEY` and `APP_STATE_KEY`.
Requests that match no route skip this step and get the HTTP 404/405.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum

from aiohttp import web
from multidict import CIMultiDictProxy

from .codes import Code
from .envelope import BusinessError
from .keys import STATE_KEY
from .state import AppState

__all__ = [
    "APP_STATE_KEY",
    "CALLER_KEY",
    "OPEN_ROUTES",
    "Caller",
    "CallerKind",
    "auth_middleware",
    "resolve_caller",
]

OPEN_ROUTES: frozenset[tuple[str, str]] = frozenset({("POST", "/user/register/v2")})
"""Routes that need only the `app_id` header."""


class CallerKind(Enum):
    ANONYMOUS = "anonymous"
    """No token (open routes only)."""
    SUPERUSER = "superuser"
    """Admin token without user_id/group_id headers."""
    USER = "user"
    """Acting as `user_id` (admin token + user_id header, or a user token)."""
    GROUP_ADMIN = "group_admin"
    """Admin token + group_id header: an admin of `group_id`."""


@dataclass(frozen=True, slots=True)
class Caller:
    app_id: str
    kind: CallerKind
    user_id: int | None = None
    group_id: int | None = None
    via_user_token: bool = False

    @property
    def is_superuser(self) -> bool:
        return self.kind is CallerKind.SUPERUSER


CALLER_KEY = web.RequestKey("lanying_emulator_caller", Caller)
APP_STATE_KEY = web.RequestKey("lanying_emulator_app", AppState)


def _int_header(headers: CIMultiDictProxy[str], name: str) -> int | None:
    value = headers.get(name)
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        raise BusinessError(Code.INVALID_PARAMETER, f"header {name} must be an integer") from None


def _resolve_token(app: AppState, token: str, headers: CIMultiDictProxy[str]) -> Caller:
    if token == app.admin_token:
        user_id = _int_header(headers, "user_id")
        if user_id is not None:
            if user_id not in app.users:
                raise BusinessError(Code.USER_NOT_FOUND)
            return Caller(app.app_id, CallerKind.USER, user_id=user_id)
        group_id = _int_header(headers, "group_id")
        if group_id is not None:
            return Caller(app.app_id, CallerKind.GROUP_ADMIN, group_id=group_id)
        return Caller(app.app_id, CallerKind.SUPERUSER)

    owner = app.user_tokens.get(token)
    if owner is None or owner not in app.users:
        raise BusinessError(Code.INVALID_ACCESS_TOKEN)
    if owner in app.accounts.disabled:
        raise BusinessError(Code.PERMISSION_DENIED, "user is disabled")
    claimed = _int_header(headers, "user_id")
    if claimed is not None and claimed != owner:
        raise BusinessError(Code.PERMISSION_DENIED)
    return Caller(app.app_id, CallerKind.USER, user_id=owner, via_user_token=True)


def resolve_caller(request: web.Request) -> tuple[AppState, Caller]:
    """Apply the rules above; raises `BusinessError` on failure."""
    headers = request.headers
    app_id = headers.get("app_id")
    if not app_id:
        raise BusinessError(Code.INVALID_PARAMETER, "header app_id is missing")
    app = request.app[STATE_KEY].apps.get(app_id)
    if app is None:
        raise BusinessError(Code.APP_NOT_FOUND)
    token = headers.get("access-token")
    if not token:
        if (request.method, request.path) in OPEN_ROUTES:
            return app, Caller(app.app_id, CallerKind.ANONYMOUS)
        raise BusinessError(Code.MISSING_ACCESS_TOKEN)
    return app, _resolve_token(app, token, headers)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.match_info.http_exception is None:
        app, caller = resolve_caller(request)
        request[APP_STATE_KEY] = app
        request[CALLER_KEY] = caller
    return await handler(request)
