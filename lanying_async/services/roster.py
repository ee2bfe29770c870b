"""Friends (roster): applications, friend lists, block lists, search and extensions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import msgspec

from lanying_async.bulk.engine import BulkJob, Items
from lanying_async.bulk.item_codes import ROSTER_TARGET_CODES
from lanying_async.bulk.options import BulkOptions
from lanying_async.bulk.report import ChunkResult, ItemError
from lanying_async.errors import ValidationError
from lanying_async.models.base import Envelope, PagedEnvelope
from lanying_async.models.roster import (
    AddRosterRequest,
    RosterApplication,
    RosterApplicationInfo,
    RosterApplyRequest,
    RosterApplyResult,
    RosterDeclineRequest,
    RosterEntry,
    RosterExtRequest,
    RosterIdsRequest,
    RosterItem,
)
from lanying_async.pagination import Page, Paginator
from lanying_async.services.base import Service, require_data
from lanying_async.transport.endpoint import Endpoint
from lanying_async.validation import (
    check_id,
    check_ids,
    check_int,
    check_text,
    optional_bool,
    optional_json_text,
    optional_text,
)

__all__ = ["RosterService"]

ADD = Endpoint("POST", "/user/add_roster", Envelope[bool])
LIST = Endpoint("GET", "/user/rosters", Envelope[list[RosterEntry]])
APPLY = Endpoint("POST", "/roster/apply", Envelope[bool])
APPLY_BATCH = Endpoint("POST", "/roster/apply/batch", Envelope[RosterApplyResult])
APPLICATIONS = Endpoint("GET", "/roster/apply/list", PagedEnvelope[RosterApplicationInfo])
ACCEPT = Endpoint("PUT", "/roster/accept", Envelope[bool])
DECLINE = Endpoint("PUT", "/roster/decline", Envelope[bool])
REMOVE = Endpoint("DELETE", "/roster/delete", Envelope[bool])
SET_EXT = Endpoint("PUT", "/roster/ext", Envelope[bool])
FRIEND_IDS = Endpoint("GET", "/roster/list", PagedEnvelope[int])
FRIENDS = Endpoint("POST", "/roster/list", Envelope[list[RosterItem]])
BLOCK = Endpoint("PUT", "/roster/block", Envelope[bool])
UNBLOCK = Endpoint("DELETE", "/roster/unblock", Envelope[bool])
BLOCKED = Endpoint("GET", "/roster/blocked_list", Envelope[list[int]])
MAY_MESSAGE = Endpoint("GET", "/roster/may_message", Envelope[bool])
SEARCH_BY_ID = Endpoint("GET", "/roster/id", Envelope[RosterItem])
SEARCH_BY_NAME = Endpoint("GET", "/roster/name", Envelope[RosterItem])
SEARCH_BY_MOBILE = Endpoint("GET", "/roster/mobile", Envelope[RosterItem])

_encode = msgspec.json.Encoder().encode

T = TypeVar("T")


def _batch_entry(value: RosterApplication | int, index: int) -> RosterApplication:
    field = f"applications[{index}]"
    if isinstance(value, RosterApplication):
        check_id(value.user_id, f"{field}.user_id")
        optional_text(value.alias, f"{field}.alias", allow_empty=True)
        optional_text(value.reason, f"{field}.reason", allow_empty=True)
        return value
    return RosterApplication(user_id=check_id(value, field))


def _target_of(value: RosterApplication | int) -> int:
    return value.user_id if isinstance(value, RosterApplication) else value


class RosterService(Service):
    """Friend operations; call them on a user view (`client.as_user(user_id)`)."""

    __slots__ = ()

    def _pages(self, endpoint: Endpoint[PagedEnvelope[T]], limit: int | None) -> Paginator[T]:
        """A cursor-paged listing; `limit` (when given) is the page size asked for."""
        params: dict[str, str | int] = {}
        if limit is not None:
            params["limit"] = check_int(limit, "limit", minimum=1)

        async def fetch(cursor: str | int | None) -> Page[T]:
            query = params if cursor is None else {**params, "cursor": cursor}
            envelope = await self._call(endpoint, params=query)
            return Page(
                items=envelope.data or [],
                next_token=envelope.cursor or None,
                total=envelope.total,
                version=envelope.version,
            )

        return Paginator(fetch)

    async def add(self, user_ids: Iterable[int]) -> bool:
        """Make the given users friends of the current user, without an application.

        `POST /user/add_roster`. Raises `UserNotFoundError` (10000) when a
        target does not exist.
        """
        body = AddRosterRequest(list=check_ids(user_ids, "user_ids"))
        return await self._flag(ADD, body=body)

    # --- applications ---------------------------------------------------------

    async def apply(
        self,
        user_id: int,
        *,
        reason: str | None = None,
        alias: str | None = None,
        answer: str | None = None,
    ) -> bool:
        """Ask a user to become the current user's friend.

        `POST /roster/apply`. What happens depends on the target's auth mode:
        anyone may add them (friends at once), they confirm (a pending
        application they can accept or decline), they ask a question (give
        `answer`; friends at once when it is right), or they refuse all.
        `alias` is the name the current user keeps for the new friend. Raises
        `UserNotFoundError` (10000), `AlreadyFriendsError` (10005),
        `UserBlockedError` (10006) when the target blocked the current user,
        and `FriendApplicationDeclinedError` (10012) when the target refuses
        all applications or the answer is wrong.
        """
        body = RosterApplyRequest(
            user_id=check_id(user_id, "user_id"),
            alias=optional_text(alias, "alias", allow_empty=True),
            reason=optional_text(reason, "reason", allow_empty=True),
            auth_answer=optional_text(answer, "answer", allow_empty=True),
        )
        return await self._flag(APPLY, body=body)

    def bulk_apply(
        self,
        applications: Items[RosterApplication | int],
        *,
        options: BulkOptions | None = None,
    ) -> BulkJob[RosterApplication | int, int]:
        """Apply to befriend any number of users, in chunks of `POST /roster/apply/batch`.

        Each entry is a user id or a
        [`RosterApplication`][lanying_async.models.roster.RosterApplication]; the input may be a
        list or any (async) iterable. The report is keyed by target user id: succeeded when the
        application reached the user, failed with the server's reason (unknown user, already
        friends, blocked, refused).
        """
        if isinstance(applications, list | tuple):
            entries = [_batch_entry(value, index) for index, value in enumerate(applications)]
            if not entries:
                raise ValidationError("applications", "must not be empty")

        async def send(chunk: list[RosterApplication | int]) -> ChunkResult[int]:
            reply = await self.apply_batch(chunk)
            failed = {f.user_id: ItemError(None, f.reason or "failed") for f in reply.fails}
            return ChunkResult(list(reply.success), failed)

        return self._bulk(
            applications,
            send,
            options,
            key=_target_of,
            validate=lambda value: _batch_entry(value, 0),
            item_codes=ROSTER_TARGET_CODES,
            name="POST /roster/apply/batch",
        )

    async def apply_batch(
        self, applications: Iterable[RosterApplication | int]
    ) -> RosterApplyResult:
        """Send friend applications to several users at once; returns per-user outcomes.

        `POST /roster/apply/batch`. Each entry is a user id or a
        [`RosterApplication`][lanying_async.models.roster.RosterApplication] with its own alias and
        reason. The same rules as [`apply()`][lanying_async.services.roster.RosterService.apply]
        hold per user (no question can be answered here); `success` lists the users the
        application reached and `fails` the others with the reason (unknown user, already friends,
        blocked, refused).
        """
        if isinstance(applications, str | bytes) or not isinstance(applications, Iterable):
            raise ValidationError("applications", "must be a list of user ids or applications")
        entries = [_batch_entry(value, index) for index, value in enumerate(applications)]
        if not entries:
            raise ValidationError("applications", "must not be empty")
        envelope = await self._transport.request(APPLY_BATCH, self._scope, None, _encode(entries))
        return require_data(envelope, APPLY_BATCH)

    def applications(self, *, limit: int | None = None) -> Paginator[RosterApplicationInfo]:
        """Friend applications the current user received, page by page.

        `GET /roster/apply/list`. Each item names the applicant, the reason,
        its status (compare with `RosterApplicationStatus`) and when it
        expires. Await it for the first page or `async for` over every
        application; `limit` sets the page size (the server may serve fewer).
        """
        return self._pages(APPLICATIONS, limit)

    async def accept(self, user_id: int) -> bool:
        """Accept the pending friend application `user_id` sent to the current user.

        `PUT /roster/accept`. Both users become friends. Raises
        `UserNotFoundError` (10000) for an unknown applicant and
        `FriendApplicationNotFoundError` (10007) when no pending application
        exists or it expired.
        """
        return await self._flag(ACCEPT, params={"user_id": check_id(user_id, "user_id")})

    async def decline(self, user_id: int, *, reason: str | None = None) -> bool:
        """Decline the pending friend application `user_id` sent to the current user.

        `PUT /roster/decline`. `reason` is passed on to the applicant.
        Raises `UserNotFoundError` (10000) for an unknown applicant and
        `FriendApplicationNotFoundError` (10007) when no pending application
        exists or it expired.
        """
        body = RosterDeclineRequest(
            user_id=check_id(user_id, "user_id"),
            reason=optional_text(reason, "reason", allow_empty=True),
        )
        return await self._flag(DECLINE, body=body)

    # --- friends --------------------------------------------------------------

    async def remove(self, user_id: int) -> bool:
        """Delete a friend; the friendship ends for both users.

        `DELETE /roster/delete`. Raises `UserNotFoundError` (10000) for an
        unknown user and `InvalidParameterError` (10002) when the user is not
        a friend of the current user.
        """
        return await self._flag(REMOVE, params={"user_id": check_id(user_id, "user_id")})

    async def set_ext(
        self,
        user_id: int,
        *,
        alias: str | None = None,
        ext: str | Mapping[str, Any] | None = None,
        mute_notification: bool | None = None,
    ) -> bool:
        """Change the current user's alias, extension or mute flag for one friend.

        `PUT /roster/ext`. Only the given fields change; a mapping `ext` is
        sent as its JSON text. Raises `UserNotFoundError` (10000) for an
        unknown user and `InvalidParameterError` (10002) when the user is not
        a friend.
        """
        uid = check_id(user_id, "user_id")
        mute = optional_bool(mute_notification, "mute_notification")
        if alias is None and ext is None and mute is None:
            raise ValidationError("alias", "give at least one of alias, ext, mute_notification")
        body = RosterExtRequest(
            user_id=uid,
            alias=optional_text(alias, "alias", allow_empty=True),
            ext=optional_json_text(ext, "ext"),
            mute_notification=mute,
        )
        return await self._flag(SET_EXT, body=body)

    def friend_ids(self, *, limit: int | None = None) -> Paginator[int]:
        """The current user's friends as user ids, page by page.

        `GET /roster/list`. Await it for the first page (its `version` tells whether the list
        changed since a previous sync) or `async for` over every id; `limit` sets the page size
        (the server may serve fewer). Use
        [`friends()`][lanying_async.services.roster.RosterService.friends] for their details.
        """
        return self._pages(FRIEND_IDS, limit)

    async def friends(self, user_ids: Iterable[int]) -> list[RosterItem]:
        """Details of the given friends of the current user (profile, alias, ext, relation).

        `POST /roster/list`. Ids that are not friends of the current user are
        left out of the result.
        """
        body = RosterIdsRequest(list=check_ids(user_ids, "user_ids"))
        envelope = await self._call(FRIENDS, body=body)
        return envelope.data or []

    # --- block list -----------------------------------------------------------

    async def block(self, user_id: int) -> bool:
        """Add a user to the current user's block list; they can no longer message or apply.

        `PUT /roster/block`. A friendship is kept. Raises
        `UserNotFoundError` (10000) for an unknown user and
        `InvalidParameterError` (10002) for the current user itself.
        """
        return await self._flag(BLOCK, params={"user_id": check_id(user_id, "user_id")})

    async def unblock(self, user_id: int) -> bool:
        """Remove a user from the current user's block list (no error if absent).

        `DELETE /roster/unblock`. Raises `UserNotFoundError` (10000) for an
        unknown user.
        """
        return await self._flag(UNBLOCK, params={"user_id": check_id(user_id, "user_id")})

    async def blocked(self) -> list[int]:
        """The ids of the users in the current user's block list, oldest first.

        `GET /roster/blocked_list`.
        """
        envelope = await self._call(BLOCKED)
        return envelope.data or []

    async def may_message(self, user_id: int, roster_id: int) -> bool:
        """Whether `user_id` and `roster_id` may message each other.

        `GET /roster/may_message`. False when either has the other in its
        block list. Works on any client view. Raises `UserNotFoundError`
        (10000) when either user does not exist; what a user asked about itself
        gets is the server's answer.
        """
        params = {
            "user_id": check_id(user_id, "user_id"),
            "roster_id": check_id(roster_id, "roster_id"),
        }
        envelope = await self._call(MAY_MESSAGE, params=params)
        return require_data(envelope, MAY_MESSAGE)

    # --- search ---------------------------------------------------------------

    async def search_by_id(self, user_id: int) -> RosterItem:
        """Look a user up by id, as the current user sees them.

        `GET /roster/id`. The result carries the public profile, the auth
        mode and question and the relation to the current user (compare with
        `RosterRelation`). Raises `UserNotFoundError` (10000).
        """
        params = {"user_id": check_id(user_id, "user_id")}
        return require_data(await self._call(SEARCH_BY_ID, params=params), SEARCH_BY_ID)

    async def search_by_name(self, username: str) -> RosterItem:
        """Look a user up by username, as the current user sees them.

        `GET /roster/name`. Same result as
        [`search_by_id()`][lanying_async.services.roster.RosterService.search_by_id]. Raises
        `UserNotFoundError` (10000) when no user has that name.
        """
        params = {"username": check_text(username, "username")}
        return require_data(await self._call(SEARCH_BY_NAME, params=params), SEARCH_BY_NAME)

    async def search_by_mobile(self, mobile: str) -> RosterItem:
        """Look a user up by the mobile number on their profile.

        `GET /roster/mobile`. Only a non-empty string is checked before
        sending: which numbers are valid is the server's call (the vendor has
        widened its number pattern between spec versions). Raises
        `UserNotFoundError` (10000) when no user has that number and
        `InvalidParameterError` (10002) for a number the server refuses.
        """
        params = {"mobile": check_text(mobile, "mobile")}
        return require_data(await self._call(SEARCH_BY_MOBILE, params=params), SEARCH_BY_MOBILE)

    # Last in the class: its name would shadow the builtin in later annotations.
    async def list(self) -> list[RosterEntry]:
        """The current user's friends with their usernames, all in one list.

        `GET /user/rosters`. For large rosters page through
        [`friend_ids()`][lanying_async.services.roster.RosterService.friend_ids] and fetch details
        with [`friends()`][lanying_async.services.roster.RosterService.friends] instead.
        """
        envelope = await self._call(LIST)
        return envelope.data or []
