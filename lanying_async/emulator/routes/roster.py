"""Roster routes: friends, friend applications, block lists and user search.

Friendships are symmetric: both users' entries in `AppState.rosters` are
created and removed together; each side keeps its own alias, ext and mute
flag on its `RosterItem`. Applying respects the target's `auth_mode`
(0 anyone, 1 confirmation, 2 verification question, 3 reject all).
Everything except `GET /roster/may_message` acts as a user.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

import msgspec
from aiohttp import web

from ..codes import Code
from ..envelope import BusinessError, ok_response
from ..state import AppState, RosterItem
from ..state_roster import ApplicationStatus, FriendApplication, RosterState
from ._common import (
    app_of,
    body_as,
    caller_of,
    invalid,
    mark_executed,
    positive_id,
    query_int,
    require_user,
    state_of,
)

__all__ = ["befriend", "may_message_between", "setup", "unfriend"]

DEFAULT_PAGE = 100
MAX_PAGE = 1000
"""Larger `limit` values are served as this many items per page."""
MOBILE = re.compile(r"\+[0-9]{8,}|1[3-9][0-9]{9}")
"""Mobile numbers the search accepts: international with `+` or mainland (the
spec's pattern; its `\\d` is Java's, ASCII digits only)."""


class AddRosterBody(msgspec.Struct):
    friend_ids: list[int] = msgspec.field(name="list")


class IdsBody(msgspec.Struct):
    ids: list[int] = msgspec.field(name="list")


class ApplyBody(msgspec.Struct):
    user_id: int
    alias: str | None = None
    reason: str | None = None
    auth_answer: str | None = None


class BatchItem(msgspec.Struct):
    user_id: int
    alias: str | None = None
    reason: str | None = None


class DeclineBody(msgspec.Struct):
    user_id: int
    reason: str | None = None


class ExtBody(msgspec.Struct):
    user_id: int
    alias: str | None = None
    ext: str | None = None
    mute_notification: bool | None = None


# --- shared rules ------------------------------------------------------------


def _require_known(app: AppState, user_id: int) -> None:
    if user_id not in app.users:
        raise BusinessError(Code.USER_NOT_FOUND, f"user {user_id} not found")


def _known_id(app: AppState, user_id: int, label: str = "user_id") -> int:
    """`user_id` when it is positive (10002 naming `label`) and a known user (10000)."""
    _require_known(app, positive_id(user_id, label))
    return user_id


def _query_user(request: web.Request, name: str = "user_id") -> int:
    """A positive user id from the query string of a known user."""
    return _known_id(app_of(request), query_int(request, name), f"query parameter {name}")


def _limit(request: web.Request) -> int:
    limit = query_int(request, "limit", DEFAULT_PAGE)
    if limit < 1:
        raise invalid("limit must be positive")
    return min(limit, MAX_PAGE)


def _cursor(request: web.Request) -> int:
    raw = request.query.get("cursor") or None
    if raw is None:
        return 0
    try:
        value = int(raw)
    except ValueError:
        raise invalid("cursor is invalid") from None
    if value < 0:
        raise invalid("cursor is invalid")
    return value


def _listing(data: list[Any], cursor: int | None, version: int) -> web.Response:
    extra: dict[str, Any] = {}
    if cursor is not None:
        extra["cursor"] = str(cursor)
    extra["version"] = version
    return ok_response(data, extra)


def befriend(app: AppState, a: int, b: int, now_ms: int, alias: str | None = None) -> None:
    """Make `a` and `b` friends (`alias` is `a`'s name for `b`).

    Pending applications between them count as accepted.
    """
    ext = app.roster_ext
    for owner, friend in ((a, b), (b, a)):
        roster = app.roster_of(owner)
        if friend not in roster:
            roster[friend] = RosterItem(now_ms)
            ext.index_add(owner, friend)
            ext.bump_version(owner, now_ms)
        former = ext.former.get(owner)
        if former is not None:
            former.discard(friend)
        inbox = ext.inboxes.get(owner)
        entry = None if inbox is None else inbox.get(friend)
        if inbox is not None and entry is not None and entry.pending_at(now_ms):
            entry.status = ApplicationStatus.ACCEPTED
            inbox.touch(now_ms)
    if alias:
        app.roster_of(a)[b].alias = alias


def unfriend(app: AppState, a: int, b: int, now_ms: int) -> None:
    """End the friendship of `a` and `b` on both sides."""
    ext = app.roster_ext
    for owner, friend in ((a, b), (b, a)):
        roster = app.rosters.get(owner)
        if roster is not None and roster.pop(friend, None) is not None:
            ext.index_remove(owner, friend)
            ext.bump_version(owner, now_ms)
            ext.former.setdefault(owner, set()).add(friend)


def may_message_between(ext: RosterState, a: int, b: int) -> bool:
    """Whether `a` and `b` may message each other: neither blocked the other."""
    return not (ext.blocks(a, b) or ext.blocks(b, a))


def _sorted_friends(app: AppState, user_id: int) -> list[int]:
    """The user's friend ids ascending; the index is rebuilt if the roster moved under it."""
    roster = app.rosters.get(user_id, {})
    ids = app.roster_ext.friend_index.get(user_id)
    if ids is None or len(ids) != len(roster):
        ids = app.roster_ext.friend_index[user_id] = sorted(roster)
    return ids


def _relation(app: AppState, viewer: int, user_id: int) -> int:
    ext = app.roster_ext
    if ext.blocks(viewer, user_id):
        return 3
    if user_id in app.rosters.get(viewer, {}):
        return 0
    former = ext.former.get(viewer)
    if former is not None and user_id in former:
        return 1
    return 2


def _item_view(app: AppState, viewer: int, user_id: int) -> dict[str, Any]:
    """`RosterItemDto` of `user_id` as `viewer` sees it."""
    user = app.users[user_id]
    profile = app.accounts.profiles.get(user_id)
    view: dict[str, Any] = {
        "user_id": user_id,
        "username": user.username,
        "nick_name": None if profile is None else profile.nick_name,
        "avatar": None if profile is None else profile.avatar,
        "description": None if profile is None else profile.description,
        "public_info": None if profile is None else profile.public_info,
        "auth_mode": user.settings.auth_mode,
        "auth_question": user.settings.auth_question,
        "relation": _relation(app, viewer, user_id),
    }
    item = app.rosters.get(viewer, {}).get(user_id)
    if item is not None:
        view["alias"] = item.alias or None
        view["ext"] = item.ext or None
        view["mute_notification"] = item.mute_notification
    return view


def _apply(
    request: web.Request,
    applicant: int,
    target: int,
    *,
    alias: str | None,
    reason: str | None,
    answer: str | None,
) -> None:
    """Send one friend application; raises the documented code when refused."""
    app = app_of(request)
    positive_id(target, "user_id")
    if target == applicant:
        raise invalid("cannot apply to oneself")
    _require_known(app, target)
    if target in app.rosters.get(applicant, {}):
        raise BusinessError(Code.ALREADY_FRIENDS)
    ext = app.roster_ext
    if ext.blocks(target, applicant):
        raise BusinessError(Code.USER_BLOCKED)
    settings = app.users[target].settings
    now = state_of(request).now_ms()
    if settings.auth_mode == 3:
        raise BusinessError(Code.ROSTER_APPLICATION_DECLINED)
    if settings.auth_mode == 2:
        expected = settings.auth_answer
        if expected is not None and answer != expected:
            raise BusinessError(
                Code.ROSTER_APPLICATION_DECLINED, "incorrect answer to the verification question"
            )
        befriend(app, applicant, target, now, alias)
    elif settings.auth_mode == 0:
        befriend(app, applicant, target, now, alias)
    else:
        ext.inbox(target).put(applicant, now, ext.application_ttl_ms, reason=reason, alias=alias)


def _pending(request: web.Request, owner: int, applicant: int) -> FriendApplication:
    app = app_of(request)
    inbox = app.roster_ext.inboxes.get(owner)
    entry = None if inbox is None else inbox.get(applicant)
    if entry is None or not entry.pending_at(state_of(request).now_ms()):
        raise BusinessError(Code.ROSTER_APPLICATION_GONE)
    return entry


# --- guide routes ------------------------------------------------------------


async def add_roster(request: web.Request) -> web.Response:
    user_id = require_user(caller_of(request))
    body = body_as(request, AddRosterBody)
    if not body.friend_ids:
        raise invalid("list must not be empty")
    app = app_of(request)
    for friend_id in body.friend_ids:
        if friend_id == user_id:
            raise invalid("cannot add oneself as a friend")
        _require_known(app, friend_id)
    now = state_of(request).now_ms()
    for friend_id in body.friend_ids:
        befriend(app, user_id, friend_id, now)
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


# --- applications ------------------------------------------------------------


async def apply(request: web.Request) -> web.Response:
    user_id = require_user(caller_of(request))
    body = body_as(request, ApplyBody)
    _apply(
        request,
        user_id,
        body.user_id,
        alias=body.alias,
        reason=body.reason,
        answer=body.auth_answer,
    )
    mark_executed(request)
    return ok_response(True)


async def apply_batch(request: web.Request) -> web.Response:
    user_id = require_user(caller_of(request))
    items = body_as(request, list[BatchItem])
    if not items:
        raise invalid("the application list must not be empty")
    success: list[int] = []
    fails: list[dict[str, Any]] = []
    for item in items:
        try:
            _apply(
                request, user_id, item.user_id, alias=item.alias, reason=item.reason, answer=None
            )
        except BusinessError as exc:
            fails.append({"user_id": item.user_id, "reason": exc.message})
        else:
            success.append(item.user_id)
    mark_executed(request)
    return ok_response({"success": success, "fails": fails})


async def applications(request: web.Request) -> web.Response:
    user_id = require_user(caller_of(request))
    limit = _limit(request)
    after = _cursor(request)
    inbox = app_of(request).roster_ext.inboxes.get(user_id)
    if inbox is None:
        return _listing([], None, 0)
    page, more = inbox.page(after, limit)
    data = [
        {
            "user_id": e.applicant_id,
            "reason": e.reason,
            "status": int(e.status),
            "expired_time": e.expired_time,
        }
        for e in page
    ]
    return _listing(data, page[-1].seq if more and page else None, inbox.version)


async def accept(request: web.Request) -> web.Response:
    user_id = require_user(caller_of(request))
    applicant = _query_user(request)
    entry = _pending(request, user_id, applicant)
    app = app_of(request)
    now = state_of(request).now_ms()
    befriend(app, applicant, user_id, now, entry.alias)  # marks the application accepted
    mark_executed(request)
    return ok_response(True)


async def decline(request: web.Request) -> web.Response:
    user_id = require_user(caller_of(request))
    body = body_as(request, DeclineBody)
    app = app_of(request)
    _known_id(app, body.user_id)
    entry = _pending(request, user_id, body.user_id)
    entry.status = ApplicationStatus.DECLINED
    entry.decline_reason = body.reason
    app.roster_ext.inbox(user_id).touch(state_of(request).now_ms())
    mark_executed(request)
    return ok_response(True)


# --- friends -----------------------------------------------------------------


async def remove(request: web.Request) -> web.Response:
    user_id = require_user(caller_of(request))
    friend_id = _query_user(request)
    app = app_of(request)
    if friend_id not in app.rosters.get(user_id, {}):
        raise invalid(f"user {friend_id} is not a friend")
    unfriend(app, user_id, friend_id, state_of(request).now_ms())
    mark_executed(request)
    return ok_response(True)


async def set_ext(request: web.Request) -> web.Response:
    user_id = require_user(caller_of(request))
    body = body_as(request, ExtBody)
    app = app_of(request)
    _known_id(app, body.user_id)
    item = app.rosters.get(user_id, {}).get(body.user_id)
    if item is None:
        raise invalid(f"user {body.user_id} is not a friend")
    if body.alias is not None:
        item.alias = body.alias
    if body.ext is not None:
        item.ext = body.ext
    if body.mute_notification is not None:
        item.mute_notification = body.mute_notification
    app.roster_ext.bump_version(user_id, state_of(request).now_ms())
    mark_executed(request)
    return ok_response(True)


async def friend_ids(request: web.Request) -> web.Response:
    user_id = require_user(caller_of(request))
    limit = _limit(request)
    after = _cursor(request)
    app = app_of(request)
    ids = _sorted_friends(app, user_id)
    start = bisect_right(ids, after)
    stop = start + limit
    roster = app.rosters.get(user_id, {})
    users = app.users
    page = [fid for fid in ids[start:stop] if fid in roster and fid in users]
    more = stop < len(ids)
    next_cursor = ids[stop - 1] if more else None
    return _listing(page, next_cursor, app.roster_ext.versions.get(user_id, 0))


async def friends(request: web.Request) -> web.Response:
    user_id = require_user(caller_of(request))
    body = body_as(request, IdsBody)
    if not body.ids:
        raise invalid("list must not be empty")
    app = app_of(request)
    roster = app.rosters.get(user_id, {})
    seen: set[int] = set()
    data = []
    for friend_id in body.ids:
        if friend_id in roster and friend_id in app.users and friend_id not in seen:
            seen.add(friend_id)
            data.append(_item_view(app, user_id, friend_id))
    return ok_response(data)


# --- block list --------------------------------------------------------------


async def block(request: web.Request) -> web.Response:
    user_id = require_user(caller_of(request))
    target = _query_user(request)
    if target == user_id:
        raise invalid("cannot block oneself")
    app = app_of(request)
    app.roster_ext.blocked.setdefault(user_id, {})[target] = None
    mark_executed(request)
    return ok_response(True)


async def unblock(request: web.Request) -> web.Response:
    user_id = require_user(caller_of(request))
    target = _query_user(request)
    own = app_of(request).roster_ext.blocked.get(user_id)
    if own is not None:
        own.pop(target, None)
    mark_executed(request)
    return ok_response(True)


async def blocked_list(request: web.Request) -> web.Response:
    user_id = require_user(caller_of(request))
    app = app_of(request)
    own = app.roster_ext.blocked.get(user_id, {})
    return ok_response([blocked_id for blocked_id in own if blocked_id in app.users])


async def may_message(request: web.Request) -> web.Response:
    user_id = _query_user(request, "user_id")
    roster_id = _query_user(request, "roster_id")
    if user_id == roster_id:
        raise invalid("user_id and roster_id must differ")
    return ok_response(may_message_between(app_of(request).roster_ext, user_id, roster_id))


# --- search ------------------------------------------------------------------


async def search_by_id(request: web.Request) -> web.Response:
    viewer = require_user(caller_of(request))
    user_id = _query_user(request)
    return ok_response(_item_view(app_of(request), viewer, user_id))


async def search_by_name(request: web.Request) -> web.Response:
    viewer = require_user(caller_of(request))
    username = request.query.get("username", "")
    if not username:
        raise invalid("query parameter username is required")
    app = app_of(request)
    user_id = app.user_ids_by_name.get(username)
    if user_id is None or user_id not in app.users:
        raise BusinessError(Code.USER_NOT_FOUND)
    return ok_response(_item_view(app, viewer, user_id))


def _user_by_mobile(app: AppState, mobile: str) -> int | None:
    """Look the mobile up in the cached index, rebuilding it from the profiles on a miss."""
    index = app.roster_ext.mobile_index
    profiles = app.accounts.profiles
    user_id = index.get(mobile)
    if user_id is not None:
        profile = profiles.get(user_id)
        if profile is not None and profile.mobile == mobile and user_id in app.users:
            return user_id
    index.clear()
    for uid, profile in profiles.items():
        if profile.mobile and uid in app.users:
            index[profile.mobile] = uid
    return index.get(mobile)


async def search_by_mobile(request: web.Request) -> web.Response:
    viewer = require_user(caller_of(request))
    mobile = request.query.get("mobile", "")
    if not MOBILE.fullmatch(mobile):
        raise invalid("query parameter mobile is not a valid mobile number")
    app = app_of(request)
    user_id = _user_by_mobile(app, mobile)
    if user_id is None:
        raise BusinessError(Code.USER_NOT_FOUND)
    return ok_response(_item_view(app, viewer, user_id))


def setup(app: web.Application) -> None:
    router = app.router
    router.add_post("/user/add_roster", add_roster)
    router.add_get("/user/rosters", rosters)
    router.add_post("/roster/apply", apply)
    router.add_post("/roster/apply/batch", apply_batch)
    router.add_get("/roster/apply/list", applications)
    for method in ("POST", "PUT"):
        router.add_route(method, "/roster/accept", accept)
        router.add_route(method, "/roster/decline", decline)
        router.add_route(method, "/roster/block", block)
        router.add_route(method, "/roster/ext", set_ext)
    for method in ("POST", "DELETE"):
        router.add_route(method, "/roster/delete", remove)
        router.add_route(method, "/roster/unblock", unblock)
    router.add_get("/roster/blocked_list", blocked_list)
    router.add_get("/roster/list", friend_ids)
    router.add_post("/roster/list", friends)
    router.add_get("/roster/may_message", may_message)
    router.add_get("/roster/id", search_by_id)
    router.add_get("/roster/name", search_by_name)
    router.add_get("/roster/mobile", search_by_mobile)
