"""Group moderation routes: announcements, applications, invitations, bans,
block lists, shared files and invitation QR codes.

Rules served here:

* Access: reading announcements, files, the banned list and signing QR codes
  takes membership (20011); publishing or deleting announcements, handling
  applications, listing them, banning, blocking and the block list take an
  admin or the owner (20012, or 20011 for a non-member). The app's admin
  token alone acts as a superuser; with a `group_id` header it administers
  that group.
* Applications follow the group's `apply_approval`: 0 joins at once, 1
  leaves a pending application for an admin, 2 answers a `fail` result. A
  member cannot apply (20017), a blocked user neither (20018). Handling an
  application that is not pending (expired, handled, unknown) -> 20014.
* Invitations are created by `/group/invite` for users who confirm group
  invitations; the invitee handles them here, naming the inviter (anything
  but a pending, unexpired invitation from that inviter -> 20015).
* Bans carry an expiry (`duration` minutes from now), shown as the member's
  `expired_time`; expired bans drop out of the banned list. A whole-group
  ban sets the group's `ban_expire_time` (seconds). Blocking removes the
  user from the group.
* Announcements: 20020 for an unknown id or an empty group history.
* Shared files: 20022 for an unknown file; a plain member may rename or
  delete only files they uploaded (20023).
* QR codes: signing returns an opaque code valid for
  `ModerationState.qrcode_ttl_ms`; an unknown code -> 20024, an expired
  one -> 20025.
* Joining through any of these paths needs room in the group (20010) and is
  refused to a member (20017), a blocked user (20018) and a user kicked from
  the group too often (20016).
"""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import msgspec
from aiohttp import web

from ..codes import Code
from ..envelope import BusinessError, ok_response, paged_response
from ..state import AppState, Group, MemberRole
from ..state_group_moderation import (
    Announcement,
    Application,
    Invitation,
    QrGrant,
    RequestStatus,
    SeqMap,
    SharedFile,
)
from ._common import (
    Access,
    access_to,
    app_of,
    body_as,
    caller_of,
    invalid,
    mark_executed,
    member_result,
    query_int,
    require_active_group,
    require_user,
    require_users,
    state_of,
)

__all__ = ["setup"]

MAX_PAGE = 1000
REQUEST_PAGE = 100
"""Default page of the application and invitation lists."""
LIST_PAGE = 1000
"""Default page of the banned and blocked lists."""
MINUTE_MS = 60_000


# --- request bodies ----------------------------------------------------------


class AnnouncementBody(msgspec.Struct):
    group_id: int
    title: str
    content: str


class GroupListBody(msgspec.Struct):
    group_list: list[int]


class GroupIdBody(msgspec.Struct):
    group_id: int


class ApplyBody(msgspec.Struct):
    group_id: int
    reason: str | None = None


class ApprovalBody(msgspec.Struct):
    group_id: int
    user_id: int
    approval: bool


class UsersBody(msgspec.Struct):
    group_id: int
    user_list: list[int]


class BanBody(msgspec.Struct):
    group_id: int
    user_list: list[int]
    duration: int


class BanAllBody(msgspec.Struct):
    group_id: int
    duration: int


class UploadBody(msgspec.Struct):
    group_id: int
    name: str
    url: str
    size: int
    type: str | None = None


class DeleteFilesBody(msgspec.Struct):
    group_id: int
    file_list: list[int]


class RenameBody(msgspec.Struct):
    group_id: int
    file_id: int
    name: str


class QrInviteBody(msgspec.Struct):
    qr_info: str


# --- helpers -----------------------------------------------------------------


def _group(request: web.Request, group_id: int, need: Access) -> tuple[Group, Access]:
    """The active group and the caller's access; 20001/20011/20012 when short."""
    group = require_active_group(app_of(request), group_id)
    access = access_to(caller_of(request), group)
    if access is Access.NONE:
        raise BusinessError(Code.MEMBER_REQUIRED)
    if access < need:
        raise BusinessError(Code.ADMIN_REQUIRED)
    return group, access


def _now(request: web.Request) -> int:
    return state_of(request).now_ms()


def _acting_user(request: web.Request) -> int:
    """The acting user's id, or 0 for the app's admin token alone."""
    return caller_of(request).user_id or 0


def _limit(request: web.Request, default: int) -> int:
    limit = query_int(request, "limit", default)
    if not 1 <= limit <= MAX_PAGE:
        raise invalid(f"limit must be between 1 and {MAX_PAGE}")
    return limit


def _encode_cursor(tag: str, first: int, seq: int) -> str:
    text = f"{tag}:{first}:{seq}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode_cursor(request: web.Request, tag: str) -> tuple[int, int] | None:
    """`(scope, seq)` of the request's cursor, None without one; 10002 when foreign."""
    raw = request.query.get("cursor") or None
    if raw is None:
        return None
    try:
        padded = raw + "=" * (-len(raw) % 4)
        text = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
        found, first, seq = text.split(":")
        if found == tag and int(seq) >= 0:
            return int(first), int(seq)
    except (ValueError, UnicodeError, binascii.Error):
        pass
    raise invalid("cursor is invalid")


def _scoped_seq(request: web.Request, tag: str, scope: int) -> int:
    cursor = _decode_cursor(request, tag)
    if cursor is None:
        return 0
    if cursor[0] != scope:
        raise invalid("cursor is invalid")
    return cursor[1]


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).isoformat(timespec="milliseconds")


def _join(group: Group, user_id: int, now: int) -> None:
    """Add `user_id` as a plain member; 20010 when the group is full."""
    if len(group.members) >= group.capacity:
        raise BusinessError(Code.GROUP_FULL)
    group.members.add(user_id, MemberRole.MEMBER, now)
    group.bump_members_version(now)


def _may_join(app: AppState, group: Group, user_id: int) -> None:
    if user_id in group.members:
        raise BusinessError(Code.ALREADY_MEMBER)
    if app.moderation.is_blocked(group.group_id, user_id):
        raise BusinessError(Code.IN_GROUP_BLOCK_LIST)
    if app.group_ext.kicked_too_often(group.group_id, user_id):
        raise BusinessError(Code.KICKED_TOO_OFTEN)


def _protected(group: Group, access: Access, user_id: int, verb: str) -> str | None:
    """Why the caller may not `verb` this member (None when allowed)."""
    member = group.members.get(user_id)
    if member is None:
        return None
    if member.role is MemberRole.OWNER:
        return f"the group owner cannot be {verb}"
    if member.role is MemberRole.ADMIN and access < Access.OWNER:
        return f"only the group owner may have an admin {verb}"
    return None


# --- announcements -----------------------------------------------------------


def _announcement_view(a: Announcement) -> dict[str, Any]:
    return {
        "id": a.announcement_id,
        "group_id": a.group_id,
        "title": a.title,
        "content": a.content,
        "author": a.author,
        "created_at": a.created_at,
    }


def _announcement(request: web.Request, group_id: int) -> Announcement:
    announcement_id = query_int(request, "announcement_id")
    history = app_of(request).moderation.announcements.get(group_id)
    found = None if history is None else history.get(announcement_id)
    if found is None:
        raise BusinessError(Code.ANNOUNCEMENT_NOT_FOUND)
    return found


async def get_announcement(request: web.Request) -> web.Response:
    group_id = query_int(request, "group_id")
    _group(request, group_id, Access.MEMBER)
    return ok_response(_announcement_view(_announcement(request, group_id)))


async def delete_announcement(request: web.Request) -> web.Response:
    group_id = query_int(request, "group_id")
    _group(request, group_id, Access.ADMIN)
    found = _announcement(request, group_id)
    del app_of(request).moderation.announcements[group_id][found.announcement_id]
    mark_executed(request)
    return ok_response(None)


async def edit_announcement(request: web.Request) -> web.Response:
    body = body_as(request, AnnouncementBody)
    if not body.title.strip() or not body.content:
        raise invalid("title and content are required")
    group, _ = _group(request, body.group_id, Access.ADMIN)
    moderation = app_of(request).moderation
    announcement = Announcement(
        announcement_id=moderation.take_id(),
        group_id=group.group_id,
        title=body.title,
        content=body.content,
        author=_acting_user(request),
        created_at=_now(request),
    )
    history = moderation.announcements.setdefault(group.group_id, SeqMap())
    history[announcement.announcement_id] = announcement
    mark_executed(request)
    return ok_response(_announcement_view(announcement))


async def last_announcement(request: web.Request) -> web.Response:
    group_id = query_int(request, "group_id")
    _group(request, group_id, Access.MEMBER)
    history = app_of(request).moderation.announcements.get(group_id)
    latest = None if history is None else history.last()
    if latest is None:
        raise BusinessError(Code.ANNOUNCEMENT_NOT_FOUND)
    return ok_response(_announcement_view(latest))


async def list_announcements(request: web.Request) -> web.Response:
    group_id = query_int(request, "group_id")
    _group(request, group_id, Access.MEMBER)
    history = app_of(request).moderation.announcements.get(group_id)
    items = [] if history is None else [_announcement_view(a) for a in history.newest_first()]
    return ok_response(items)


# --- applications --------------------------------------------------------------


def _application_view(a: Application) -> dict[str, Any]:
    view: dict[str, Any] = {
        "group_id": a.group_id,
        "applicant_id": a.applicant_id,
        "status": int(a.status),
        "expired_time": a.expire_at,
    }
    if a.reason is not None:
        view["reason"] = a.reason
    return view


async def application_list(request: web.Request) -> web.Response:
    body = body_as(request, GroupListBody)
    group_ids = list(dict.fromkeys(body.group_list))
    if not group_ids:
        raise invalid("group_list must not be empty")
    limit = _limit(request, REQUEST_PAGE)
    cursor = _decode_cursor(request, "applications")
    start, after = (0, 0) if cursor is None else cursor
    if not 0 <= start < len(group_ids):
        raise invalid("cursor is invalid")
    for group_id in group_ids:
        _group(request, group_id, Access.ADMIN)

    applications = app_of(request).moderation.applications
    found: list[tuple[int, int, Application]] = []
    total = 0
    for index, group_id in enumerate(group_ids):
        bucket = applications.bucket(group_id)
        if bucket is None:
            continue
        total += len(bucket)
        if index < start or len(found) > limit:
            continue
        for seq, _, application in bucket.after(after if index == start else 0):
            found.append((index, seq, application))
            if len(found) > limit:
                break
    page = found[:limit]
    next_cursor = None
    if len(found) > limit:
        index, seq, _ = page[-1]
        next_cursor = _encode_cursor("applications", index, seq)
    return paged_response(
        [_application_view(a) for _, _, a in page], cursor=next_cursor, total=total, version=0
    )


async def apply(request: web.Request) -> web.Response:
    user_id = require_user(caller_of(request))
    body = body_as(request, ApplyBody)
    app = app_of(request)
    group = require_active_group(app, body.group_id)
    _may_join(app, group, user_id)
    now = _now(request)
    if group.apply_approval == 2:
        return ok_response(member_result(user_id, "the group accepts no applications"))
    if group.apply_approval == 0:
        _join(group, user_id, now)
    else:
        moderation = app.moderation
        key = (group.group_id, user_id)
        if key in moderation.applications:
            del moderation.applications[key]  # a new application goes to the end
        moderation.applications[key] = Application(
            group_id=group.group_id,
            applicant_id=user_id,
            reason=body.reason,
            created_at=now,
            expire_at=now + moderation.application_ttl_ms,
        )
    mark_executed(request)
    return ok_response(member_result(user_id))


async def handle_application(request: web.Request) -> web.Response:
    body = body_as(request, ApprovalBody)
    group, _ = _group(request, body.group_id, Access.ADMIN)
    app = app_of(request)
    now = _now(request)
    application = app.moderation.applications.get((group.group_id, body.user_id))
    if (
        application is None
        or application.status != RequestStatus.PENDING
        or application.expire_at < now
    ):
        raise BusinessError(Code.APPLICATION_GONE)
    if body.approval:
        _may_join(app, group, body.user_id)
        _join(group, body.user_id, now)
        application.status = RequestStatus.ACCEPTED
    else:
        application.status = RequestStatus.DECLINED
    mark_executed(request)
    return ok_response(member_result(body.user_id))


# --- invitations -------------------------------------------------------------


def _invitation_view(i: Invitation) -> dict[str, Any]:
    view: dict[str, Any] = {
        "group_id": i.group_id,
        "inviter_id": i.inviter_id,
        "invitee_id": i.invitee_id,
        "status": int(i.status),
        "expired_time": i.expire_at,
        "updated_at": _iso(i.created_at if i.updated_at is None else i.updated_at),
    }
    if i.reason is not None:
        view["reason"] = i.reason
    return view


async def invitation_list(request: web.Request) -> web.Response:
    user_id = require_user(caller_of(request))
    limit = _limit(request, REQUEST_PAGE)
    after = _scoped_seq(request, "invitations", user_id)
    bucket = app_of(request).moderation.invitations.bucket(user_id)
    if bucket is None:
        return paged_response([], cursor=None, total=0, version=0)
    found: list[tuple[int, Invitation]] = []
    for seq, _, invitation in bucket.after(after):
        found.append((seq, invitation))
        if len(found) > limit:
            break
    page = found[:limit]
    next_cursor = (
        _encode_cursor("invitations", user_id, page[-1][0]) if len(found) > limit else None
    )
    return paged_response(
        [_invitation_view(i) for _, i in page], cursor=next_cursor, total=len(bucket), version=0
    )


async def handle_invitation(request: web.Request) -> web.Response:
    user_id = require_user(caller_of(request))
    body = body_as(request, ApprovalBody)
    app = app_of(request)
    now = _now(request)
    invitation = app.moderation.invitations.get((body.group_id, user_id))
    if (
        invitation is None
        or invitation.inviter_id != body.user_id
        or invitation.status != RequestStatus.PENDING
        or invitation.expire_at < now
    ):
        raise BusinessError(Code.INVITATION_GONE)
    group = require_active_group(app, body.group_id)
    if body.approval:
        _may_join(app, group, user_id)
        _join(group, user_id, now)
        invitation.status = RequestStatus.ACCEPTED
    else:
        invitation.status = RequestStatus.DECLINED
    invitation.updated_at = now
    mark_executed(request)
    return ok_response(True)


# --- QR codes ----------------------------------------------------------------


async def sign_qrcode(request: web.Request) -> web.Response:
    group, access = _group(request, query_int(request, "group_id"), Access.MEMBER)
    if not group.member_invite and access < Access.ADMIN:
        raise BusinessError(Code.ADMIN_REQUIRED)
    moderation = app_of(request).moderation
    now = _now(request)
    grant = QrGrant(
        group_id=group.group_id,
        inviter_id=_acting_user(request) or group.owner_id,
        created_at=now,
        expire_at=now + moderation.qrcode_ttl_ms,
    )
    code = secrets.token_urlsafe(24)
    moderation.qrcodes[code] = grant
    return ok_response({"qr_info": code, "create_at": now, "expire_at": grant.expire_at})


async def join_by_qrcode(request: web.Request) -> web.Response:
    user_id = require_user(caller_of(request))
    body = body_as(request, QrInviteBody)
    app = app_of(request)
    grant = app.moderation.qrcodes.get(body.qr_info)
    if grant is None:
        raise BusinessError(Code.INVALID_INVITE_QR_CODE)
    now = _now(request)
    if grant.expire_at < now:
        raise BusinessError(Code.EXPIRED_INVITE_QR_CODE)
    group = require_active_group(app, grant.group_id)
    _may_join(app, group, user_id)
    _join(group, user_id, now)
    mark_executed(request)
    return ok_response(None)


# --- bans --------------------------------------------------------------------


def _moderated_users(request: web.Request) -> tuple[AppState, Group, Access, list[int]]:
    """The app, group, caller's access and users of a moderation request; admins only."""
    body = body_as(request, UsersBody)
    users = require_users(body.user_list)
    group, access = _group(request, body.group_id, Access.ADMIN)
    return app_of(request), group, access, users


def _each_user(
    app: AppState, users: list[int], act: Callable[[int], str | None]
) -> list[dict[str, Any]]:
    """One result per user: unknown users fail, the others as `act` answers (a refusal)."""
    results: list[dict[str, Any]] = []
    for user_id in users:
        why = "user not found" if user_id not in app.users else act(user_id)
        results.append(member_result(user_id, why))
    return results


async def ban(request: web.Request) -> web.Response:
    body = body_as(request, BanBody)
    users = require_users(body.user_list)
    if body.duration <= 0:
        raise invalid("duration must be a positive number of minutes")
    group, access = _group(request, body.group_id, Access.ADMIN)
    app = app_of(request)
    bans = app.moderation.bans.setdefault(group.group_id, SeqMap())
    expiry = _now(request) + body.duration * MINUTE_MS

    def act(user_id: int) -> str | None:
        member = group.members.get(user_id)
        if member is None:
            return "not a group member"
        why = _protected(group, access, user_id, "banned")
        if why is None:
            bans[user_id] = expiry
            member.expired_time = expiry
        return why

    results = _each_user(app, users, act)
    mark_executed(request)
    return ok_response(results)


def _lift_ban(app: AppState, group: Group, user_id: int) -> None:
    bans = app.moderation.bans.get(group.group_id)
    if bans is not None:
        bans.pop(user_id, None)
    member = group.members.get(user_id)
    if member is not None:
        member.expired_time = None


async def unban(request: web.Request) -> web.Response:
    app, group, _, users = _moderated_users(request)

    def act(user_id: int) -> None:
        _lift_ban(app, group, user_id)

    results = _each_user(app, users, act)
    mark_executed(request)
    return ok_response(results)


async def banned_list(request: web.Request) -> web.Response:
    group_id = query_int(request, "group_id")
    limit = _limit(request, LIST_PAGE)
    after = _scoped_seq(request, "banned", group_id)
    group, _ = _group(request, group_id, Access.MEMBER)
    app = app_of(request)
    bans = app.moderation.bans.get(group_id)
    if bans is None:
        return paged_response([], cursor=None, total=0, version=0)
    now = _now(request)
    found: list[tuple[int, dict[str, Any]]] = []
    lapsed: list[int] = []
    for seq, user_id, expiry in bans.after(after):
        member = group.members.get(user_id)
        if member is None or (expiry != -1 and expiry <= now):
            lapsed.append(user_id)  # pruned once, so pages stay O(page) overall
            continue
        view: dict[str, Any] = {
            "user_id": user_id,
            "join_time": member.join_time,
            "expired_time": expiry,
        }
        if member.display_name is not None:
            view["display_name"] = member.display_name
        found.append((seq, view))
        if len(found) > limit:
            break
    for user_id in lapsed:
        _lift_ban(app, group, user_id)
    page = found[:limit]
    next_cursor = _encode_cursor("banned", group_id, page[-1][0]) if len(found) > limit else None
    return paged_response(
        [view for _, view in page], cursor=next_cursor, total=len(bans), version=0
    )


async def ban_all(request: web.Request) -> web.Response:
    body = body_as(request, BanAllBody)
    if body.duration <= 0:
        raise invalid("duration must be a positive number of minutes")
    group, _ = _group(request, body.group_id, Access.ADMIN)
    until = _now(request) + body.duration * MINUTE_MS
    app_of(request).moderation.ban_all_until[group.group_id] = until
    group.ban_expire_time = until // 1000
    mark_executed(request)
    return ok_response({"ban_expire_time": group.ban_expire_time})


async def unban_all(request: web.Request) -> web.Response:
    body = body_as(request, GroupIdBody)
    group, _ = _group(request, body.group_id, Access.ADMIN)
    app_of(request).moderation.ban_all_until.pop(group.group_id, None)
    group.ban_expire_time = 0
    mark_executed(request)
    return ok_response(True)


# --- block list --------------------------------------------------------------


async def block(request: web.Request) -> web.Response:
    app, group, access, users = _moderated_users(request)
    blocked = app.moderation.blocked.setdefault(group.group_id, SeqMap())
    now = _now(request)
    members_before = len(group.members)

    def act(user_id: int) -> str | None:
        why = _protected(group, access, user_id, "blocked")
        if why is None:
            if user_id not in blocked:
                blocked[user_id] = now
            _lift_ban(app, group, user_id)
            group.members.remove(user_id)
        return why

    results = _each_user(app, users, act)
    if len(group.members) != members_before:
        group.bump_members_version(now)
    mark_executed(request)
    return ok_response(results)


async def unblock(request: web.Request) -> web.Response:
    app, group, _, users = _moderated_users(request)
    blocked = app.moderation.blocked.get(group.group_id)

    def act(user_id: int) -> None:
        if blocked is not None:
            blocked.pop(user_id, None)

    results = _each_user(app, users, act)
    mark_executed(request)
    return ok_response(results)


async def blocked_list(request: web.Request) -> web.Response:
    group_id = query_int(request, "group_id")
    limit = _limit(request, LIST_PAGE)
    after = _scoped_seq(request, "blocked", group_id)
    _group(request, group_id, Access.ADMIN)
    blocked = app_of(request).moderation.blocked.get(group_id)
    if blocked is None:
        return paged_response([], cursor=None, total=0, version=0)
    found: list[tuple[int, dict[str, Any]]] = []
    for seq, user_id, blocked_at in blocked.after(after):
        found.append(
            (seq, {"group_id": group_id, "user_id": user_id, "created_at": _iso(blocked_at)})
        )
        if len(found) > limit:
            break
    page = found[:limit]
    next_cursor = _encode_cursor("blocked", group_id, page[-1][0]) if len(found) > limit else None
    return paged_response(
        [view for _, view in page], cursor=next_cursor, total=len(blocked), version=0
    )


# --- shared files ------------------------------------------------------------


def _file_view(f: SharedFile) -> dict[str, Any]:
    return {
        "file_id": f.file_id,
        "group_id": f.group_id,
        "name": f.name,
        "type": f.type,
        "size": f.size,
        "url": f.url,
        "uploader": f.uploader,
        "created_at": f.created_at,
        "updated_at": f.updated_at,
    }


def _shared_file(app: AppState, group_id: int, file_id: int) -> SharedFile:
    files = app.moderation.files.get(group_id)
    found = None if files is None else files.get(file_id)
    if found is None:
        raise BusinessError(Code.SHARED_FILE_NOT_FOUND)
    return found


def _may_change(request: web.Request, access: Access, shared: SharedFile) -> bool:
    return access >= Access.ADMIN or caller_of(request).user_id == shared.uploader


async def upload_file(request: web.Request) -> web.Response:
    body = body_as(request, UploadBody)
    if not body.name.strip() or not body.url.strip():
        raise invalid("name and url are required")
    if body.size < 0:
        raise invalid("size must not be negative")
    group, _ = _group(request, body.group_id, Access.MEMBER)
    moderation = app_of(request).moderation
    now = _now(request)
    shared = SharedFile(
        file_id=moderation.take_id(),
        group_id=group.group_id,
        name=body.name,
        url=body.url,
        size=body.size,
        type=body.type or "",
        uploader=_acting_user(request),
        created_at=now,
        updated_at=now,
    )
    moderation.files.setdefault(group.group_id, SeqMap())[shared.file_id] = shared
    mark_executed(request)
    return ok_response(_file_view(shared))


async def get_file(request: web.Request) -> web.Response:
    group_id = query_int(request, "group_id")
    file_id = query_int(request, "file_id")
    _group(request, group_id, Access.MEMBER)
    return ok_response(_file_view(_shared_file(app_of(request), group_id, file_id)))


async def list_files(request: web.Request) -> web.Response:
    group_id = query_int(request, "group_id")
    _group(request, group_id, Access.MEMBER)
    files = app_of(request).moderation.files.get(group_id)
    return ok_response([] if files is None else [_file_view(f) for f in files.values()])


async def rename_file(request: web.Request) -> web.Response:
    body = body_as(request, RenameBody)
    if not body.name.strip():
        raise invalid("name is required")
    group, access = _group(request, body.group_id, Access.MEMBER)
    shared = _shared_file(app_of(request), group.group_id, body.file_id)
    if not _may_change(request, access, shared):
        raise BusinessError(Code.SHARED_FILE_FORBIDDEN)
    shared.name = body.name
    shared.updated_at = _now(request)
    mark_executed(request)
    return ok_response(True)


async def delete_files(request: web.Request) -> web.Response:
    body = body_as(request, DeleteFilesBody)
    if not body.file_list:
        raise invalid("file_list must not be empty")
    group, access = _group(request, body.group_id, Access.MEMBER)
    files = app_of(request).moderation.files.get(group.group_id)
    results: list[dict[str, Any]] = []
    deleted = False
    for file_id in body.file_list:
        shared = None if files is None else files.get(file_id)
        if shared is None:
            code, reason = Code.SHARED_FILE_NOT_FOUND, "file not found"
        elif not _may_change(request, access, shared):
            code, reason = Code.SHARED_FILE_FORBIDDEN, "only its uploader or an admin may"
        else:
            assert files is not None
            del files[file_id]
            deleted = True
            results.append({"file_id": file_id, "result": "success"})
            continue
        if len(body.file_list) == 1:
            raise BusinessError(code)
        results.append({"file_id": file_id, "result": "fail", "reason": reason})
    if deleted:
        mark_executed(request)
    return ok_response(results)


def setup(app: web.Application) -> None:
    """Register this domain's routes (both verbs where the API takes two)."""
    router = app.router
    router.add_get("/group/announcement", get_announcement)
    router.add_post("/group/announcement/delete", delete_announcement)
    router.add_delete("/group/announcement/delete", delete_announcement)
    router.add_post("/group/announcement/edit", edit_announcement)
    router.add_get("/group/announcement/last", last_announcement)
    router.add_get("/group/announcement/list", list_announcements)
    router.add_post("/group/application_list", application_list)
    router.add_post("/group/apply", apply)
    router.add_post("/group/apply/handle", handle_application)
    router.add_put("/group/apply/handle", handle_application)
    router.add_post("/group/ban", ban)
    router.add_get("/group/banned_list", banned_list)
    router.add_post("/group/block", block)
    router.add_get("/group/blocked_list", blocked_list)
    router.add_get("/group/file", get_file)
    router.add_post("/group/file/delete", delete_files)
    router.add_delete("/group/file/delete", delete_files)
    router.add_get("/group/file/list", list_files)
    router.add_post("/group/file/update_name", rename_file)
    router.add_put("/group/file/update_name", rename_file)
    router.add_post("/group/file/upload", upload_file)
    router.add_get("/group/invitation_list", invitation_list)
    router.add_post("/group/invite/handle", handle_invitation)
    router.add_put("/group/invite/handle", handle_invitation)
    router.add_post("/group/qrcode/invite", join_by_qrcode)
    router.add_get("/group/qrcode/sign", sign_qrcode)
    router.add_post("/group/settings/ban_all", ban_all)
    router.add_post("/group/settings/unban_all", unban_all)
    router.add_post("/group/unban", unban)
    router.add_post("/group/unblock", unblock)
    router.add_delete("/group/unblock", unblock)
