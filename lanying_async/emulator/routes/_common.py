"""Helpers shared by the route modules: request parsing and access rules."""

from __future__ import annotations

from enum import IntEnum
from typing import Any, TypeVar

import msgspec
from aiohttp import web

from ..auth import APP_STATE_KEY, CALLER_KEY, Caller, CallerKind
from ..codes import Code
from ..envelope import BusinessError
from ..keys import STATE_KEY
from ..recorder import BODY_KEY, RequestBody
from ..state import AppState, Group, MemberRole, ServerState

__all__ = [
    "Access",
    "access_to",
    "app_of",
    "body_as",
    "body_object",
    "caller_of",
    "invalid",
    "mark_executed",
    "member_result",
    "positive_id",
    "query_int",
    "require_active_group",
    "require_user",
    "require_users",
    "state_of",
]

T = TypeVar("T")


def invalid(message: str) -> BusinessError:
    """A 10002 error with `message`."""
    return BusinessError(Code.INVALID_PARAMETER, message)


def state_of(request: web.Request) -> ServerState:
    return request.app[STATE_KEY]


def app_of(request: web.Request) -> AppState:
    return request[APP_STATE_KEY]


def caller_of(request: web.Request) -> Caller:
    return request[CALLER_KEY]


def mark_executed(request: web.Request) -> None:
    """Count one real execution of this write route."""
    request.app[STATE_KEY].executions[(request.method, request.path)] += 1


def _body(request: web.Request) -> RequestBody:
    if BODY_KEY not in request:  # pragma: no cover - the pipeline always reads it
        raise RuntimeError("request body was not read")
    body = request[BODY_KEY]
    if not body.valid:
        raise invalid("request body is not valid JSON")
    if body.empty:
        raise invalid("request body is required")
    return body


def body_as(request: web.Request, model: type[T]) -> T:
    """Convert the JSON body to `model` (a msgspec Struct); 10002 on mismatch."""
    try:
        return msgspec.convert(_body(request).value, model)
    except msgspec.ValidationError as exc:
        raise invalid(str(exc)) from None


def body_object(request: web.Request) -> dict[str, Any]:
    """The JSON body, which must be an object; 10002 otherwise."""
    value = _body(request).value
    if not isinstance(value, dict):
        raise invalid("request body must be a JSON object")
    return value


def query_int(request: web.Request, name: str, default: int | None = None) -> int:
    """An integer query parameter; 10002 when missing (and no default) or malformed."""
    raw = request.query.get(name)
    if raw is None or raw == "":
        if default is None:
            raise invalid(f"query parameter {name} is required")
        return default
    try:
        return int(raw)
    except ValueError:
        raise invalid(f"query parameter {name} must be an integer") from None


def positive_id(value: int, name: str) -> int:
    """`value` when it is a positive id; 10002 naming `name` otherwise."""
    if value <= 0:
        raise invalid(f"{name} must be a positive id")
    return value


def require_users(user_list: list[int]) -> list[int]:
    """The `user_list` of a request about group members; 10002 when empty."""
    if not user_list:
        raise invalid("user_list must not be empty")
    return user_list


def member_result(user_id: int, refusal: str | None = None) -> dict[str, Any]:
    """One user's outcome in a group operation: `success`, or `fail` with the reason."""
    if refusal is None:
        return {"user_id": user_id, "result": "success"}
    return {"user_id": user_id, "result": "fail", "reason": refusal}


_ONE_SUCCESS = b',"result":"success"}'
_ID_ENCODER = msgspec.json.Encoder()


def member_successes(user_ids: list[int]) -> msgspec.Raw:
    """`[member_result(u) for u in user_ids]`, encoded straight from the ids.

    A mass invite answers hundreds of users per request; joining pre-encoded
    pieces costs a fraction of building and encoding a dict per user.
    """
    if not user_ids:
        return msgspec.Raw(b"[]")
    ids = _ID_ENCODER.encode(user_ids)[1:-1].split(b",")  # ints hold no commas
    return msgspec.Raw(
        b'[{"user_id":' + (_ONE_SUCCESS + b',{"user_id":').join(ids) + _ONE_SUCCESS + b"]"
    )


def require_user(caller: Caller) -> int:
    """The acting user's id; 10002 when the caller does not act as a user."""
    if caller.kind is not CallerKind.USER or caller.user_id is None:
        raise invalid("header user_id is required")
    return caller.user_id


def require_active_group(app: AppState, group_id: int) -> Group:
    group = app.active_group(group_id)
    if group is None:
        raise BusinessError(Code.GROUP_NOT_FOUND)
    return group


class Access(IntEnum):
    """How much a caller may do in a group, weakest first."""

    NONE = 0
    MEMBER = 1
    ADMIN = 2
    OWNER = 3
    SUPERUSER = 4


_ROLE_ACCESS = {
    MemberRole.MEMBER: Access.MEMBER,
    MemberRole.ADMIN: Access.ADMIN,
    MemberRole.OWNER: Access.OWNER,
}


def access_to(caller: Caller, group: Group) -> Access:
    if caller.kind is CallerKind.SUPERUSER:
        return Access.SUPERUSER
    if caller.kind is CallerKind.GROUP_ADMIN:
        return Access.ADMIN if caller.group_id == group.group_id else Access.NONE
    if caller.user_id is None:
        return Access.NONE
    member = group.members.get(caller.user_id)
    return Access.NONE if member is None else _ROLE_ACCESS[member.role]
