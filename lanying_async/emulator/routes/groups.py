"""Group routes: create, invite, member list (paged) and destroy."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import msgspec
from aiohttp import web

from ..codes import Code
from ..envelope import BusinessError, ok_response, paged_response
from ..state import Group, MemberRole
from ..views import group_view, member_view
from ._common import (
    Access,
    access_to,
    app_of,
    body_as,
    caller_of,
    invalid,
    mark_executed,
    query_int,
    require_active_group,
    require_user,
    state_of,
)

__all__ = ["decode_cursor", "encode_cursor", "setup"]

GROUP_TYPES = frozenset({0, 2})
"""0 private group, 2 chatroom."""
MAX_PAGE = 1000


class CreateGroupBody(msgspec.Struct):
    name: str | None = None
    description: str | None = None
    avatar: str | None = None
    type: int = 0
    user_list: list[int] | None = None


class InviteBody(msgspec.Struct):
    group_id: int
    user_list: list[int]
    reason: str | None = None


async def create(request: web.Request) -> web.Response:
    owner_id = require_user(caller_of(request))
    body = body_as(request, CreateGroupBody)
    if body.name is None or not body.name.strip():
        raise invalid("name is required")
    if body.type not in GROUP_TYPES:
        raise invalid("type must be 0 (private group) or 2 (chatroom)")
    app = app_of(request)
    initial: list[int] = []
    for user_id in body.user_list or ():
        if user_id not in app.users:
            raise BusinessError(Code.USER_NOT_FOUND, f"user {user_id} not found")
        if user_id != owner_id and user_id not in initial:
            initial.append(user_id)

    state = state_of(request)
    now = state.now_ms()
    group = Group(
        group_id=state.group_ids.take(),
        name=body.name,
        owner_id=owner_id,
        created_at=now,
        updated_at=now,
        description=body.description or "",
        avatar=body.avatar or "",
        type=body.type,
    )
    group.members.add(owner_id, MemberRole.OWNER, now)
    for user_id in initial:
        group.members.add(user_id, MemberRole.MEMBER, now)
    group.bump_members_version(now)
    app.groups[group.group_id] = group
    mark_executed(request)
    return ok_response(group_view(group))


async def invite(request: web.Request) -> web.Response:
    body = body_as(request, InviteBody)
    if not body.user_list:
        raise invalid("user_list must not be empty")
    app = app_of(request)
    group = require_active_group(app, body.group_id)
    access = access_to(caller_of(request), group)
    if access is Access.NONE:
        raise BusinessError(Code.MEMBER_REQUIRED)
    if not group.member_invite and access < Access.ADMIN:
        raise BusinessError(Code.ADMIN_REQUIRED)
    members = group.members
    if len(body.user_list) == 1 and body.user_list[0] in members:
        raise BusinessError(Code.ALREADY_MEMBER)

    now = state_of(request).now_ms()
    results: list[dict[str, Any]] = []
    added = False
    for user_id in body.user_list:
        if user_id not in app.users:
            results.append(_fail(user_id, "user not found"))
        elif user_id in members:
            results.append(_fail(user_id, "already a member"))
        else:
            members.add(user_id, MemberRole.MEMBER, now)
            added = True
            results.append({"user_id": user_id, "result": "success"})
    if added:
        group.bump_members_version(now)
    mark_executed(request)
    return ok_response(results)


def _fail(user_id: int, reason: str) -> dict[str, Any]:
    return {"user_id": user_id, "result": "fail", "reason": reason}


def encode_cursor(group_id: int, seq: int) -> str:
    """Opaque cursor pointing after the member with join sequence ``seq``."""
    return base64.urlsafe_b64encode(f"{group_id}:{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str, group_id: int) -> int:
    """The join sequence named by ``cursor``; 10002 when it is not ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
        owner, _, seq = text.partition(":")
        if int(owner) == group_id and int(seq) >= 0:
            return int(seq)
    except (ValueError, UnicodeError, binascii.Error):
        pass
    raise invalid("cursor is invalid")


async def member_list(request: web.Request) -> web.Response:
    group_id = query_int(request, "group_id")
    limit = query_int(request, "limit", MAX_PAGE)
    if not 1 <= limit <= MAX_PAGE:
        raise invalid(f"limit must be between 1 and {MAX_PAGE}")
    cursor = request.query.get("cursor") or None
    after = 0 if cursor is None else decode_cursor(cursor, group_id)
    group = require_active_group(app_of(request), group_id)
    if access_to(caller_of(request), group) is Access.NONE:
        raise BusinessError(Code.MEMBER_REQUIRED)

    page, more = group.members.page(after, limit)
    next_cursor = encode_cursor(group_id, page[-1].seq) if more and page else None
    return paged_response(
        [member_view(m) for m in page],
        cursor=next_cursor,
        total=len(group.members),
        version=group.members_version,
    )


async def destroy(request: web.Request) -> web.Response:
    group_id = query_int(request, "group_id")
    group = require_active_group(app_of(request), group_id)
    access = access_to(caller_of(request), group)
    if access is Access.NONE:
        raise BusinessError(Code.MEMBER_REQUIRED)
    if access < Access.OWNER:
        raise BusinessError(Code.OWNER_REQUIRED)
    group.status = 1
    group.updated_at = state_of(request).now_ms()
    mark_executed(request)
    return ok_response(True)


def setup(app: web.Application) -> None:
    router = app.router
    router.add_post("/group/create", create)
    router.add_post("/group/invite", invite)
    router.add_get("/group/member_list", member_list)
    router.add_delete("/group/destroy", destroy)
    router.add_post("/group/destroy", destroy)
