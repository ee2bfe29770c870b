"""Group routes: lifecycle, membership, roles, group info and settings.

Roles are owner, admin and member (see `MemberRole`). The
rules served here:

* Unknown or destroyed group -> 20001. A caller outside the group -> 20011.
* Admin operations (kick, settings, and info edits unless the group allows
  members to modify it) -> 20012 for plain members; owner operations
  (admins, transfer, destroy) -> 20013 for everyone but the owner. The app
  superuser may do everything; an admin-token call with a `group_id`
  header acts as an admin of that group.
* Operations on the caller's own membership (leave, group card, mute and
  push modes, joined groups) need a user caller -> 10002.
* The owner cannot leave (20004); ownership goes only to a member (20005).
* A user kicked `GroupsState.kick_limit` times cannot be added back (20016);
  a user on the group's block list cannot be invited (20018); a full group
  takes nobody (20010). For a single invitee these are the call's code, for
  several they are per-user `fail` results; either way with the code's one
  text (`codes.DEFAULT_MESSAGES`), so a refusal reads the same in both.
* Inviting a user whose settings ask to confirm group invitations records a
  pending invitation (`AppState.moderation`) instead of adding them.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
from aiohttp import web

from ..auth import Caller, CallerKind
from ..codes import Code, default_message
from ..envelope import BusinessError, ok_response, paged_response
from ..state import AppState, Group, GroupMember, MemberRole
from ..state_group_moderation import Invitation
from ..state_groups import MemberPrefs
from ..views import group_view, member_view
from ._common import (
    Access,
    access_to,
    app_of,
    body_as,
    caller_of,
    invalid,
    mark_executed,
    member_result,
    member_successes,
    query_int,
    require_active_group,
    require_user,
    require_users,
    state_of,
)

__all__ = ["decode_cursor", "encode_cursor", "setup"]

GROUP_TYPES = frozenset({0, 2})
"""0 private group, 2 chatroom."""
CHATROOM = 2
MAX_PAGE = 1000
MUTE_MODES = frozenset({0, 1, 2})
"""0 not muted, 1 no local notifications, 2 messages blocked."""
PUSH_MODES = frozenset({0, 1, 2, 3, 4})
"""0 all, 1 none, 2 admins and mentions, 3 admins only, 4 mentions only."""
APPLY_APPROVALS = frozenset({0, 1, 2})
"""0 accept all, 1 admin approval, 2 reject all."""
INVITATION_TTL_MS = 7 * 24 * 3600 * 1000
"""How long a pending invitation stays valid."""

Handler = Callable[[web.Request], Awaitable[web.Response]]

_REQUIRED = {
    Access.MEMBER: Code.MEMBER_REQUIRED,
    Access.ADMIN: Code.ADMIN_REQUIRED,
    Access.OWNER: Code.OWNER_REQUIRED,
}


# --- bodies --------------------------------------------------------------------


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


class GroupUsersBody(msgspec.Struct):
    group_id: int
    user_list: list[int]


class ValueBody(msgspec.Struct):
    group_id: int
    value: str


class SettingBody(msgspec.Struct):
    group_id: int
    value: bool


class GroupListBody(msgspec.Struct):
    group_list: list[int]


class MuteModeBody(msgspec.Struct):
    group_id: int
    msg_mute_mode: int


class PushModeBody(msgspec.Struct):
    group_id: int
    msg_push_mode: int


class ApplyApprovalBody(msgspec.Struct):
    group_id: int
    apply_approval: int


class TransferBody(msgspec.Struct):
    group_id: int
    new_owner: int


# --- helpers -------------------------------------------------------------------


def _enter(request: web.Request, group_id: int, need: Access) -> tuple[AppState, Group, Access]:
    """The app, the active group and the caller's access, which must reach `need`."""
    app = app_of(request)
    group = require_active_group(app, group_id)
    access = access_to(caller_of(request), group)
    if access is Access.NONE:
        raise BusinessError(Code.MEMBER_REQUIRED)
    if access < need:
        raise BusinessError(_REQUIRED[need])
    return app, group, access


def _own_membership(request: web.Request, group_id: int) -> tuple[AppState, Group, GroupMember]:
    """For operations on the calling user's own membership."""
    user_id = require_user(caller_of(request))
    app = app_of(request)
    group = require_active_group(app, group_id)
    member = group.members.get(user_id)
    if member is None:
        raise BusinessError(Code.MEMBER_REQUIRED)
    return app, group, member


def _modes(app: AppState, caller: Caller, group: Group) -> tuple[int, int]:
    """The caller's (mute mode, push mode) in `group`; the group defaults otherwise."""
    if caller.kind is CallerKind.USER and caller.user_id is not None:
        member = group.members.get(caller.user_id)
        if member is not None:
            prefs = app.group_ext.prefs_of(group.group_id, member.user_id, member.seq)
            if prefs is not None:
                return prefs.msg_mute_mode, prefs.msg_push_mode
    return group.msg_mute_mode, group.msg_push_mode


def _info_view(app: AppState, caller: Caller, group: Group) -> dict[str, Any]:
    view = group_view(group)
    view["msg_mute_mode"], view["msg_push_mode"] = _modes(app, caller, group)
    return view


def _brief_view(app: AppState, caller: Caller, group: Group) -> dict[str, Any]:
    """Spec model of a group's brief information with the caller's message settings."""
    mute, push = _modes(app, caller, group)
    return {
        "group_id": group.group_id,
        "name": group.name,
        "avatar": group.avatar,
        "owner": group.owner_id,
        "type": group.type,
        "status": group.status,
        "capacity": group.capacity,
        "count": len(group.members),
        "apply_approval": group.apply_approval,
        "msg_mute_mode": mute,
        "msg_push_mode": push,
    }


def _touch(request: web.Request, group: Group) -> None:
    group.updated_at = max(state_of(request).now_ms(), group.updated_at)


# --- lifecycle and membership ----------------------------------------------------


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
        capacity=state.chatroom_capacity if body.type == CHATROOM else state.group_capacity,
    )
    group.members.add(owner_id, MemberRole.OWNER, now)
    for user_id in initial:
        group.members.add(user_id, MemberRole.MEMBER, now)
    group.bump_members_version(now)
    app.groups[group.group_id] = group
    if group.type == CHATROOM:
        app.group_ext.public[group.group_id] = None
    mark_executed(request)
    return ok_response(group_view(group))


class _Invitations:
    """Why a user cannot be invited into one group; the group's lookups done once per request."""

    __slots__ = ("_app", "_capacity", "_gid", "_members", "_users")

    def __init__(self, app: AppState, group: Group) -> None:
        self._app = app
        self._users = app.users
        self._members = group.members
        self._gid = group.group_id
        self._capacity = group.capacity

    def refusal(self, user_id: int) -> Code | None:
        """The code refusing `user_id`, or None."""
        if user_id not in self._users:
            return Code.USER_NOT_FOUND
        if user_id in self._members:
            return Code.ALREADY_MEMBER
        if self._app.moderation.is_blocked(self._gid, user_id):
            return Code.IN_GROUP_BLOCK_LIST
        if self._app.group_ext.kicked_too_often(self._gid, user_id):
            return Code.KICKED_TOO_OFTEN
        if len(self._members) >= self._capacity:
            return Code.GROUP_FULL
        return None

    def all_join(self, user_ids: list[int]) -> bool:
        """Can all of `user_ids` join right away? (checked a set at a time)

        True when they are distinct known users, none a member, blocked,
        kicked too often or asking to confirm invitations, and all fit.
        """
        users, members, app = self._users, self._members, self._app
        return (
            len(members) + len(user_ids) <= self._capacity
            and all(map(users.__contains__, user_ids))
            and members.isdisjoint(user_ids)
            and len(set(user_ids)) == len(user_ids)
            and not app.moderation.any_blocked(self._gid, user_ids)
            and not app.group_ext.any_kicked_too_often(self._gid, user_ids)
            and app.users_with_setting["group_confirm"].isdisjoint(user_ids)
        )


_SINGLE_TARGET_CODES = frozenset(
    {Code.ALREADY_MEMBER, Code.IN_GROUP_BLOCK_LIST, Code.KICKED_TOO_OFTEN, Code.GROUP_FULL}
)
"""Refusals that are the call's own code when a single user is invited."""


async def invite(request: web.Request) -> web.Response:
    body = body_as(request, InviteBody)
    require_users(body.user_list)
    caller = caller_of(request)
    app = app_of(request)
    group = require_active_group(app, body.group_id)
    access = access_to(caller, group)
    if access is Access.NONE:
        raise BusinessError(Code.MEMBER_REQUIRED)
    if not group.member_invite and access < Access.ADMIN:
        raise BusinessError(Code.ADMIN_REQUIRED)
    checks = _Invitations(app, group)
    if len(body.user_list) == 1:
        refusal = checks.refusal(body.user_list[0])
        if refusal is not None and refusal in _SINGLE_TARGET_CODES:
            raise BusinessError(refusal)

    now = state_of(request).now_ms()
    if checks.all_join(body.user_list):  # a mass invite of new members: no per-user rules
        group.members.add_all(body.user_list, MemberRole.MEMBER, now)
        group.bump_members_version(now)
        mark_executed(request)
        return ok_response(member_successes(body.user_list))
    inviter = caller.user_id if caller.user_id is not None else group.owner_id
    confirming = app.users_with_setting["group_confirm"]
    results: list[dict[str, Any]] = []
    added = False
    for user_id in body.user_list:
        refusal = checks.refusal(user_id)
        if refusal is not None:
            results.append(member_result(user_id, default_message(refusal)))
            continue
        if user_id in confirming:
            app.moderation.invitations[(group.group_id, user_id)] = Invitation(
                group_id=group.group_id,
                inviter_id=inviter,
                invitee_id=user_id,
                reason=body.reason,
                created_at=now,
                expire_at=now + INVITATION_TTL_MS,
            )
        else:
            group.members.add(user_id, MemberRole.MEMBER, now)
            added = True
        results.append(member_result(user_id))
    if added:
        group.bump_members_version(now)
    mark_executed(request)
    return ok_response(results)


def encode_cursor(group_id: int, seq: int) -> str:
    """Opaque cursor pointing after the member with join sequence `seq`."""
    return base64.urlsafe_b64encode(f"{group_id}:{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str, group_id: int) -> int:
    """The join sequence named by `cursor`; 10002 when it is not ours."""
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
    app, group, _ = _enter(request, group_id, Access.OWNER)
    group.status = 1
    _touch(request, group)
    app.group_ext.public.pop(group_id, None)
    mark_executed(request)
    return ok_response(True)


async def kick(request: web.Request) -> web.Response:
    body = body_as(request, GroupUsersBody)
    require_users(body.user_list)
    app, group, access = _enter(request, body.group_id, Access.ADMIN)
    ext = app.group_ext
    results: list[dict[str, Any]] = []
    removed = False
    for user_id in body.user_list:
        member = group.members.get(user_id)
        if member is None:
            results.append(member_result(user_id, "not a group member"))
        elif member.role is MemberRole.OWNER:
            results.append(member_result(user_id, "the owner cannot be kicked"))
        elif member.role is MemberRole.ADMIN and access < Access.OWNER:
            results.append(member_result(user_id, "only the owner may kick an admin"))
        else:
            group.members.remove(user_id)
            ext.forget_member(group.group_id, user_id)
            ext.count_kick(group.group_id, user_id)
            removed = True
            results.append(member_result(user_id))
    if removed:
        group.bump_members_version(state_of(request).now_ms())
    mark_executed(request)
    return ok_response(results)


async def leave(request: web.Request) -> web.Response:
    group_id = query_int(request, "group_id")
    app, group, member = _own_membership(request, group_id)
    if member.role is MemberRole.OWNER:
        raise BusinessError(Code.OWNER_CANNOT_LEAVE)
    group.members.remove(member.user_id)
    app.group_ext.forget_member(group_id, member.user_id)
    group.bump_members_version(state_of(request).now_ms())
    mark_executed(request)
    return ok_response(True)


async def joined(request: web.Request) -> web.Response:
    user_id = require_user(caller_of(request))
    app = app_of(request)
    ids = [g.group_id for g in app.groups.values() if g.active and user_id in g.members]
    return ok_response(ids)


async def public_list(request: web.Request) -> web.Response:
    app = app_of(request)
    return ok_response([gid for gid in app.group_ext.public if app.active_group(gid)])


# --- roles ---------------------------------------------------------------------------


def _role_change(refusal: Callable[[GroupMember], str | None], role: MemberRole) -> Handler:
    """A handler giving members `role`, owner only; `refusal` says why a member is skipped."""

    async def handler(request: web.Request) -> web.Response:
        body = body_as(request, GroupUsersBody)
        require_users(body.user_list)
        _, group, _ = _enter(request, body.group_id, Access.OWNER)
        results: list[dict[str, Any]] = []
        for user_id in body.user_list:
            member = group.members.get(user_id)
            if member is None:
                results.append(member_result(user_id, "not a group member"))
            elif (reason := refusal(member)) is not None:
                results.append(member_result(user_id, reason))
            else:
                member.role = role
                results.append(member_result(user_id))
        mark_executed(request)
        return ok_response(results)

    return handler


def _not_promotable(member: GroupMember) -> str | None:
    if member.role is MemberRole.OWNER:
        return "the owner"
    return "already an admin" if member.role is MemberRole.ADMIN else None


def _not_admin(member: GroupMember) -> str | None:
    return None if member.role is MemberRole.ADMIN else "not an admin"


add_admins = _role_change(_not_promotable, MemberRole.ADMIN)
remove_admins = _role_change(_not_admin, MemberRole.MEMBER)


async def admin_list(request: web.Request) -> web.Response:
    group_id = query_int(request, "group_id")
    _, group, _ = _enter(request, group_id, Access.MEMBER)
    return ok_response([member_view(m) for m in group.members if m.role is MemberRole.ADMIN])


async def transfer(request: web.Request) -> web.Response:
    body = body_as(request, TransferBody)
    app, group, _ = _enter(request, body.group_id, Access.OWNER)
    if body.new_owner == group.owner_id:
        raise invalid("new_owner already owns the group")
    if body.new_owner not in app.users:
        raise BusinessError(Code.USER_NOT_FOUND)
    target = group.members.get(body.new_owner)
    if target is None:
        raise BusinessError(Code.TRANSFER_TARGET_NOT_MEMBER)
    previous = group.members.get(group.owner_id)
    if previous is not None:
        previous.role = MemberRole.MEMBER
    target.role = MemberRole.OWNER
    group.owner_id = target.user_id
    _touch(request, group)
    mark_executed(request)
    return ok_response(member_result(target.user_id))


# --- the caller's own membership ---------------------------------------------------


async def set_display_name(request: web.Request) -> web.Response:
    body = body_as(request, ValueBody)
    _, _, member = _own_membership(request, body.group_id)
    member.display_name = body.value or None
    mark_executed(request)
    return ok_response(True)


async def member_display_names(request: web.Request) -> web.Response:
    body = body_as(request, GroupUsersBody)
    require_users(body.user_list)
    _, group, _ = _enter(request, body.group_id, Access.MEMBER)
    views = []
    for user_id in dict.fromkeys(body.user_list):
        member = group.members.get(user_id)
        if member is not None:
            views.append(member_view(member))
    return ok_response(views)


def _own_prefs(request: web.Request, group_id: int) -> MemberPrefs:
    """The calling member's own message settings in the group, to change."""
    app, group, member = _own_membership(request, group_id)
    return app.group_ext.prefs_for_update(group.group_id, member.user_id, member.seq)


async def set_mute_mode(request: web.Request) -> web.Response:
    body = body_as(request, MuteModeBody)
    if body.msg_mute_mode not in MUTE_MODES:
        raise invalid("msg_mute_mode must be 0, 1 or 2")
    _own_prefs(request, body.group_id).msg_mute_mode = body.msg_mute_mode
    mark_executed(request)
    return ok_response(True)


async def set_push_mode(request: web.Request) -> web.Response:
    body = body_as(request, PushModeBody)
    if body.msg_push_mode not in PUSH_MODES:
        raise BusinessError(Code.INVALID_MSG_PUSH_MODE)
    _own_prefs(request, body.group_id).msg_push_mode = body.msg_push_mode
    mark_executed(request)
    return ok_response(True)


# --- group info and settings --------------------------------------------------------


async def info(request: web.Request) -> web.Response:
    group_id = query_int(request, "group_id")
    app = app_of(request)
    group = require_active_group(app, group_id)
    return ok_response(_info_view(app, caller_of(request), group))


async def info_batch(request: web.Request) -> web.Response:
    body = body_as(request, GroupListBody)
    if not body.group_list:
        raise invalid("group_list must not be empty")
    app = app_of(request)
    caller = caller_of(request)
    views = []
    for group_id in dict.fromkeys(body.group_list):
        group = app.groups.get(group_id)
        if group is not None:
            views.append(_brief_view(app, caller, group))
    return ok_response(views)


async def settings(request: web.Request) -> web.Response:
    group_id = query_int(request, "group_id")
    app, group, _ = _enter(request, group_id, Access.MEMBER)
    return ok_response(_info_view(app, caller_of(request), group))


def _info_editor(attribute: str) -> Handler:
    """A handler changing one piece of group info; plain members need `member_modify`."""

    async def handler(request: web.Request) -> web.Response:
        body = body_as(request, ValueBody)
        _, group, access = _enter(request, body.group_id, Access.MEMBER)
        if access < Access.ADMIN and not group.member_modify:
            raise BusinessError(Code.ADMIN_REQUIRED)
        if attribute in _NON_BLANK_INFO and not body.value.strip():
            raise invalid(f"value (the group {attribute}) must not be blank")
        setattr(group, attribute, body.value)
        _touch(request, group)
        mark_executed(request)
        return ok_response(True)

    return handler


def _setting_editor(attribute: str) -> Handler:
    """A handler switching one boolean group setting; admins only."""

    async def handler(request: web.Request) -> web.Response:
        body = body_as(request, SettingBody)
        _, group, _ = _enter(request, body.group_id, Access.ADMIN)
        setattr(group, attribute, body.value)
        _touch(request, group)
        mark_executed(request)
        return ok_response(True)

    return handler


async def set_apply_approval(request: web.Request) -> web.Response:
    body = body_as(request, ApplyApprovalBody)
    if body.apply_approval not in APPLY_APPROVALS:
        raise invalid("apply_approval must be 0, 1 or 2")
    _, group, _ = _enter(request, body.group_id, Access.ADMIN)
    group.apply_approval = body.apply_approval
    _touch(request, group)
    mark_executed(request)
    return ok_response(True)


_SETTINGS = {
    "/group/settings/allow_member_invitation": "member_invite",
    "/group/settings/allow_member_modify": "member_modify",
    "/group/settings/enable_read_ack": "read_ack",
    "/group/settings/hide_member_info": "hide_member_info",
    "/group/settings/history_visible": "history_visible",
}

_INFO_EDITS = {
    "/group/info/name": "name",
    "/group/info/avatar": "avatar",
    "/group/info/description": "description",
    "/group/info/ext": "ext",
}
_NON_BLANK_INFO = frozenset({"name"})


def setup(app: web.Application) -> None:
    router = app.router

    def both(first: str, second: str, path: str, handler: Handler) -> None:
        router.add_route(first, path, handler)
        router.add_route(second, path, handler)

    router.add_post("/group/create", create)
    router.add_post("/group/invite", invite)
    router.add_get("/group/member_list", member_list)
    both("DELETE", "POST", "/group/destroy", destroy)
    both("DELETE", "POST", "/group/kick", kick)
    both("DELETE", "POST", "/group/leave", leave)
    router.add_get("/group/user_joined", joined)
    router.add_get("/group/public_list", public_list)

    router.add_post("/group/admin/add", add_admins)
    both("DELETE", "POST", "/group/admin/remove", remove_admins)
    router.add_get("/group/admin_list", admin_list)
    both("PUT", "POST", "/group/transfer", transfer)

    both("PUT", "POST", "/group/display_name", set_display_name)
    router.add_post("/group/members/display_name", member_display_names)
    both("PUT", "POST", "/group/msg/mute_mode", set_mute_mode)
    both("PUT", "POST", "/group/msg/push_mode", set_push_mode)

    router.add_get("/group/info", info)
    router.add_post("/group/info/batch", info_batch)
    router.add_get("/group/settings", settings)
    for path, attribute in _INFO_EDITS.items():
        both("PUT", "POST", path, _info_editor(attribute))
    for path, attribute in _SETTINGS.items():
        both("PUT", "POST", path, _setting_editor(attribute))
    both("PUT", "POST", "/group/settings/require_admin_approval", set_apply_approval)
