"""Groups: creation, membership, settings and administration."""

from __future__ import annotations

from collections.abc import Iterable

from lanying_async.errors import ValidationError
from lanying_async.models.base import Envelope, PagedEnvelope
from lanying_async.models.enums import GroupType
from lanying_async.models.groups import (
    CreateGroupRequest,
    GroupInfo,
    GroupMember,
    InviteRequest,
    MemberResult,
)
from lanying_async.pagination import Page, Paginator
from lanying_async.services.base import require_data
from lanying_async.services.group_moderation import GroupModerationOps
from lanying_async.transport.endpoint import Endpoint
from lanying_async.validation import check_id, check_ids, check_text

__all__ = ["GroupsService"]

CREATE = Endpoint("POST", "/group/create", Envelope[GroupInfo])
INVITE = Endpoint("POST", "/group/invite", Envelope[list[MemberResult]])
MEMBER_LIST = Endpoint("GET", "/group/member_list", PagedEnvelope[GroupMember])
DESTROY = Endpoint("DELETE", "/group/destroy", Envelope[bool])

#: The largest page ``/group/member_list`` serves.
MAX_MEMBER_PAGE = 1000


class GroupsService(GroupModerationOps):
    """Operations under ``/group``; act as a user (``as_user``) or group admin."""

    __slots__ = ()

    async def create(
        self,
        name: str,
        description: str | None = None,
        *,
        avatar: str | None = None,
        type: GroupType | None = None,
        members: Iterable[int] | None = None,
    ) -> GroupInfo:
        """Create a group owned by the current user and return its info and settings.

        ``POST /group/create``. ``members`` are added at creation. Raises
        ``InvalidParameterError`` (10002) without a user scope,
        ``CreatedGroupLimitError`` (20008) past the per-user quota.
        """
        body = CreateGroupRequest(
            name=check_text(name, "name"),
            description=description,
            avatar=avatar,
            type=None if type is None else int(GroupType(type)),
            user_list=None if members is None else check_ids(members, "members"),
        )
        return require_data(await self._call(CREATE, body=body), CREATE)

    async def invite(
        self, group_id: int, user_ids: Iterable[int], *, reason: str | None = None
    ) -> list[MemberResult]:
        """Invite users into a group; returns one result per user.

        ``POST /group/invite``. Each result says ``success`` or ``fail`` with a
        reason (unknown user, already a member, ...). Raises
        ``GroupNotFoundError`` (20001), ``GroupMemberRequiredError`` (20011) or
        ``GroupAdminRequiredError`` (20012) for the call as a whole.
        """
        body = InviteRequest(
            group_id=check_id(group_id, "group_id"),
            user_list=check_ids(user_ids, "user_ids"),
            reason=reason,
        )
        envelope = await self._call(INVITE, body=body)
        return envelope.data or []

    def members(self, group_id: int, *, limit: int = MAX_MEMBER_PAGE) -> Paginator[GroupMember]:
        """The group's members, page by page (``limit`` per page, at most 1000).

        ``GET /group/member_list``. Await it for the first page, or ``async for``
        over every member (the cursor is followed for you). Raises
        ``GroupNotFoundError`` (20001) or ``GroupMemberRequiredError`` (20011).
        """
        gid = check_id(group_id, "group_id")
        if (
            isinstance(limit, bool)
            or not isinstance(limit, int)
            or not (1 <= limit <= MAX_MEMBER_PAGE)
        ):
            raise ValidationError("limit", f"must be an int from 1 to {MAX_MEMBER_PAGE}")

        async def fetch(cursor: str | int | None) -> Page[GroupMember]:
            params: dict[str, str | int] = {"group_id": gid, "limit": limit}
            if cursor is not None:
                params["cursor"] = cursor
            envelope = await self._call(MEMBER_LIST, params=params)
            return Page(
                items=envelope.data or [],
                next_token=envelope.cursor or None,
                total=envelope.total,
                version=envelope.version,
            )

        return Paginator(fetch)

    async def destroy(self, group_id: int) -> bool:
        """Dissolve a group; only its owner may.

        ``DELETE /group/destroy``. Raises ``GroupNotFoundError`` (20001) or
        ``GroupOwnerRequiredError`` (20013).
        """
        return await self._flag(DESTROY, params={"group_id": check_id(group_id, "group_id")})
