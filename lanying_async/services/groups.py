"""Groups: creation, membership, roles, group information and settings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from lanying_async.models.base import Envelope, PagedEnvelope
from lanying_async.models.enums import ApplyApproval, GroupType
from lanying_async.models.groups import (
    CreateGroupRequest,
    GroupApplyApprovalRequest,
    GroupBrief,
    GroupIdListRequest,
    GroupInfo,
    GroupInfoUpdateRequest,
    GroupMember,
    GroupMemberRequest,
    GroupMuteMode,
    GroupMuteModeRequest,
    GroupPushMode,
    GroupPushModeRequest,
    GroupSettingUpdateRequest,
    GroupTransferRequest,
    InviteRequest,
    MemberResult,
)
from lanying_async.pagination import Paginator
from lanying_async.services.base import require_data
from lanying_async.services.group_moderation import GroupModerationOps
from lanying_async.services.groups_bulk import GroupBulkOps
from lanying_async.transport.endpoint import Endpoint
from lanying_async.validation import (
    check_bool,
    check_enum,
    check_id,
    check_ids,
    check_text,
    json_text,
    optional_text,
)

__all__ = ["GroupsService"]

CREATE = Endpoint("POST", "/group/create", Envelope[GroupInfo])
INVITE = Endpoint("POST", "/group/invite", Envelope[list[MemberResult]])
MEMBER_LIST = Endpoint("GET", "/group/member_list", PagedEnvelope[GroupMember])
DESTROY = Endpoint("DELETE", "/group/destroy", Envelope[bool])
KICK = Endpoint("DELETE", "/group/kick", Envelope[list[MemberResult]])
LEAVE = Endpoint("DELETE", "/group/leave", Envelope[bool])
JOINED = Endpoint("GET", "/group/user_joined", Envelope[list[int]])
PUBLIC_LIST = Endpoint("GET", "/group/public_list", Envelope[list[int]])
ADD_ADMINS = Endpoint("POST", "/group/admin/add", Envelope[list[MemberResult]])
REMOVE_ADMINS = Endpoint("DELETE", "/group/admin/remove", Envelope[list[MemberResult]])
ADMIN_LIST = Endpoint("GET", "/group/admin_list", Envelope[list[GroupMember]])
TRANSFER = Endpoint("PUT", "/group/transfer", Envelope[MemberResult])
SET_DISPLAY_NAME = Endpoint("PUT", "/group/display_name", Envelope[bool])
MEMBER_DISPLAY_NAMES = Endpoint("POST", "/group/members/display_name", Envelope[list[GroupMember]])
SET_MUTE_MODE = Endpoint("PUT", "/group/msg/mute_mode", Envelope[Any])
SET_PUSH_MODE = Endpoint("PUT", "/group/msg/push_mode", Envelope[Any])
INFO = Endpoint("GET", "/group/info", Envelope[GroupInfo])
INFO_BATCH = Endpoint("POST", "/group/info/batch", Envelope[list[GroupBrief]])
SETTINGS = Endpoint("GET", "/group/settings", Envelope[GroupInfo])
SET_NAME = Endpoint("PUT", "/group/info/name", Envelope[bool])
SET_AVATAR = Endpoint("PUT", "/group/info/avatar", Envelope[bool])
SET_DESCRIPTION = Endpoint("PUT", "/group/info/description", Envelope[bool])
SET_EXT = Endpoint("PUT", "/group/info/ext", Envelope[bool])
SET_MEMBER_INVITE = Endpoint("PUT", "/group/settings/allow_member_invitation", Envelope[bool])
SET_MEMBER_MODIFY = Endpoint("PUT", "/group/settings/allow_member_modify", Envelope[bool])
SET_READ_ACK = Endpoint("PUT", "/group/settings/enable_read_ack", Envelope[bool])
SET_HIDE_MEMBER_INFO = Endpoint("PUT", "/group/settings/hide_member_info", Envelope[bool])
SET_HISTORY_VISIBLE = Endpoint("PUT", "/group/settings/history_visible", Envelope[bool])
SET_APPLY_APPROVAL = Endpoint("PUT", "/group/settings/require_admin_approval", Envelope[bool])

MAX_MEMBER_PAGE = 1000
"""The largest page `/group/member_list` serves."""


class GroupsService(GroupBulkOps, GroupModerationOps):
    """Operations under `/group`; act as a user (`as_user`) or group admin."""

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

        `POST /group/create`. `members` are added at creation. Raises
        `InvalidParameterError` (10002) without a user scope,
        `CreatedGroupLimitError` (20008) past the per-user quota.
        """
        body = CreateGroupRequest(
            name=check_text(name, "name"),
            description=optional_text(description, "description", allow_empty=True),
            avatar=optional_text(avatar, "avatar", allow_empty=True),
            type=None if type is None else int(check_enum(GroupType, type, "type")),
            user_list=None if members is None else check_ids(members, "members"),
        )
        return require_data(await self._call(CREATE, body=body), CREATE)

    async def invite_once(
        self, group_id: int, user_ids: Iterable[int], *, reason: str | None = None
    ) -> list[MemberResult]:
        """Invite users into a group with exactly one request; returns one result per user.

        `POST /group/invite`. Each result says `success` or `fail` with a
        reason (unknown user, already a member, on the block list, kicked too
        often, group full). A user whose settings ask to confirm group
        invitations gets a pending invitation instead of joining at once (still
        a `success`). Raises `GroupNotFoundError` (20001),
        `GroupMemberRequiredError` (20011) or `GroupAdminRequiredError`
        (20012) for the call as a whole; with a single invitee the refusal is
        the call's error: `AlreadyGroupMemberError` (20017),
        `GroupBlockedUserError` (20018), `KickLimitExceededError` (20016)
        or `GroupFullError` (20010).
        """
        return await self._invite(
            check_id(group_id, "group_id"),
            check_ids(user_ids, "user_ids"),
            optional_text(reason, "reason", allow_empty=True),
        )

    async def _invite(
        self, group_id: int, user_ids: list[int], reason: str | None
    ) -> list[MemberResult]:
        """One `POST /group/invite` with checked arguments."""
        body = InviteRequest(group_id=group_id, user_list=user_ids, reason=reason)
        return (await self._call(INVITE, body=body)).data or []

    def members(self, group_id: int, *, limit: int = MAX_MEMBER_PAGE) -> Paginator[GroupMember]:
        """The group's members, page by page (`limit` per page, at most 1000).

        `GET /group/member_list`. Await it for the first page, or `async for`
        over every member (the cursor is followed for you). Raises
        `GroupNotFoundError` (20001) or `GroupMemberRequiredError` (20011).
        """
        params: dict[str, str | int] = {"group_id": check_id(group_id, "group_id")}
        paginator: Paginator[GroupMember] = self._paged(
            MEMBER_LIST, params, limit, maximum=MAX_MEMBER_PAGE
        )
        return paginator

    async def destroy(self, group_id: int) -> bool:
        """Dissolve a group; only its owner may.

        `DELETE /group/destroy`. Raises `GroupNotFoundError` (20001) or
        `GroupOwnerRequiredError` (20013).
        """
        return await self._flag(DESTROY, params={"group_id": check_id(group_id, "group_id")})

    # --- membership -------------------------------------------------------------

    async def kick(self, group_id: int, user_ids: Iterable[int]) -> list[MemberResult]:
        """Remove members from a group; returns one result per user.

        `DELETE /group/kick`. Admins may kick plain members, only the owner may
        kick admins, and nobody kicks the owner; those and non-members come back
        as `fail` results. A user kicked from the same group too often can no
        longer be invited back (`KickLimitExceededError`, 20016). Raises
        `GroupNotFoundError` (20001), `GroupMemberRequiredError` (20011) or
        `GroupAdminRequiredError` (20012) for the call as a whole.
        """
        body = GroupMemberRequest(
            group_id=check_id(group_id, "group_id"), user_list=check_ids(user_ids, "user_ids")
        )
        return (await self._call(KICK, body=body)).data or []

    async def leave(self, group_id: int) -> bool:
        """Leave a group as the current user (needs a user scope, see `as_user`).

        `DELETE /group/leave`. The owner must hand the group over with
        [`transfer()`][lanying_async.services.groups.GroupsService.transfer] first. Raises
        `InvalidParameterError` (10002) without a user scope, `GroupNotFoundError` (20001),
        `GroupMemberRequiredError` (20011) when not a member, or `OwnerCannotLeaveError`
        (20004).
        """
        return await self._flag(LEAVE, params={"group_id": check_id(group_id, "group_id")})

    async def joined(self) -> list[int]:
        """The ids of the groups the current user belongs to (needs a user scope).

        `GET /group/user_joined`. Destroyed groups are not listed. Raises
        `InvalidParameterError` (10002) without a user scope.
        """
        return (await self._call(JOINED)).data or []

    async def public_groups(self) -> list[int]:
        """The ids of the app's public groups, which anyone may look up and apply to.

        `GET /group/public_list`. Fetch their details with
        [`info_batch()`][lanying_async.services.groups.GroupsService.info_batch].
        """
        return (await self._call(PUBLIC_LIST)).data or []

    async def member_display_names(
        self, group_id: int, user_ids: Iterable[int]
    ) -> list[GroupMember]:
        """The group cards (`display_name`) of some members, one entry per member.

        `POST /group/members/display_name`. Users who are not members are left
        out; a member without a card has `display_name` None. Raises
        `GroupNotFoundError` (20001) or `GroupMemberRequiredError` (20011).
        """
        body = GroupMemberRequest(
            group_id=check_id(group_id, "group_id"), user_list=check_ids(user_ids, "user_ids")
        )
        return (await self._call(MEMBER_DISPLAY_NAMES, body=body)).data or []

    async def set_display_name(self, group_id: int, display_name: str) -> bool:
        """Set the current user's group card (display name) in a group.

        `PUT /group/display_name`. An empty string clears it. Needs a user
        scope (`InvalidParameterError`, 10002). Raises `GroupNotFoundError`
        (20001) or `GroupMemberRequiredError` (20011).
        """
        body = GroupInfoUpdateRequest(
            group_id=check_id(group_id, "group_id"),
            value=check_text(display_name, "display_name", allow_empty=True),
        )
        return await self._flag(SET_DISPLAY_NAME, body=body)

    async def set_mute_mode(self, group_id: int, mode: GroupMuteMode) -> bool:
        """Set how the current user's clients treat the group's messages.

        `PUT /group/msg/mute_mode`. `mode` is a
        [`GroupMuteMode`][lanying_async.models.groups.GroupMuteMode]: notify as usual, receive
        without notifications, or block the messages. It is the member's own setting (needs a user
        scope, else `InvalidParameterError` 10002). Raises `GroupNotFoundError` (20001) or
        `GroupMemberRequiredError` (20011).
        """
        body = GroupMuteModeRequest(
            group_id=check_id(group_id, "group_id"),
            msg_mute_mode=check_enum(GroupMuteMode, mode, "mode"),
        )
        return (await self._call(SET_MUTE_MODE, body=body)).data is not False

    async def set_push_mode(self, group_id: int, mode: GroupPushMode) -> bool:
        """Choose which of the group's messages reach the current user as pushes.

        `PUT /group/msg/push_mode`. `mode` is a
        [`GroupPushMode`][lanying_async.models.groups.GroupPushMode] (all, none, admins and
        mentions, admins only, mentions only); a member's own setting, so it needs a user scope
        (`InvalidParameterError`, 10002). Raises `InvalidMsgPushModeError` (20003) for a mode
        the server does not know, `GroupNotFoundError` (20001) or `GroupMemberRequiredError`
        (20011).
        """
        body = GroupPushModeRequest(
            group_id=check_id(group_id, "group_id"),
            msg_push_mode=check_enum(GroupPushMode, mode, "mode"),
        )
        return (await self._call(SET_PUSH_MODE, body=body)).data is not False

    # --- roles --------------------------------------------------------------------

    async def add_admins(self, group_id: int, user_ids: Iterable[int]) -> list[MemberResult]:
        """Make members admins of the group; only its owner may.

        `POST /group/admin/add`. Returns one result per user: non-members, the
        owner and existing admins come back as `fail`. Raises
        `GroupNotFoundError` (20001), `GroupMemberRequiredError` (20011) or
        `GroupOwnerRequiredError` (20013).
        """
        body = GroupMemberRequest(
            group_id=check_id(group_id, "group_id"), user_list=check_ids(user_ids, "user_ids")
        )
        return (await self._call(ADD_ADMINS, body=body)).data or []

    async def remove_admins(self, group_id: int, user_ids: Iterable[int]) -> list[MemberResult]:
        """Turn admins back into plain members; only the group's owner may.

        `DELETE /group/admin/remove`. Returns one result per user; users who
        are not admins come back as `fail`. Raises `GroupNotFoundError`
        (20001), `GroupMemberRequiredError` (20011) or
        `GroupOwnerRequiredError` (20013).
        """
        body = GroupMemberRequest(
            group_id=check_id(group_id, "group_id"), user_list=check_ids(user_ids, "user_ids")
        )
        return (await self._call(REMOVE_ADMINS, body=body)).data or []

    async def admins(self, group_id: int) -> list[GroupMember]:
        """The group's admins (the owner is not listed), in joining order.

        `GET /group/admin_list`. Any member may ask. Raises
        `GroupNotFoundError` (20001) or `GroupMemberRequiredError` (20011).
        """
        params = {"group_id": check_id(group_id, "group_id")}
        return (await self._call(ADMIN_LIST, params=params)).data or []

    async def transfer(self, group_id: int, new_owner: int) -> MemberResult:
        """Hand the group over to another member, who becomes its owner.

        `PUT /group/transfer`. Only the owner may; the previous owner stays as
        a plain member. Raises `GroupNotFoundError` (20001),
        `GroupOwnerRequiredError` (20013), `UserNotFoundError` (10000) or
        `TransferTargetNotMemberError` (20005) when `new_owner` is not a
        member.
        """
        body = GroupTransferRequest(
            group_id=check_id(group_id, "group_id"),
            new_owner=check_id(new_owner, "new_owner"),
        )
        return require_data(await self._call(TRANSFER, body=body), TRANSFER)

    # --- information --------------------------------------------------------------

    async def info(self, group_id: int) -> GroupInfo:
        """A group's information and settings, with the caller's own message modes.

        `GET /group/info`. Raises `GroupNotFoundError` (20001) for an
        unknown or destroyed group.
        """
        params = {"group_id": check_id(group_id, "group_id")}
        return require_data(await self._call(INFO, params=params), INFO)

    async def info_batch(self, group_ids: Iterable[int]) -> list[GroupBrief]:
        """Brief information on several groups at once, with the caller's message modes.

        `POST /group/info/batch`. Unknown group ids are left out; a destroyed group is listed with
        `status` [`DESTROYED`][lanying_async.models.enums.GroupStatus.DESTROYED].
        """
        body = GroupIdListRequest(group_list=check_ids(group_ids, "group_ids"))
        return (await self._call(INFO_BATCH, body=body)).data or []

    async def settings(self, group_id: int) -> GroupInfo:
        """A group's settings (with its information), for members of the group.

        `GET /group/settings`. `msg_mute_mode`/`msg_push_mode` are the
        caller's own. Raises `GroupNotFoundError` (20001) or
        `GroupMemberRequiredError` (20011).
        """
        params = {"group_id": check_id(group_id, "group_id")}
        return require_data(await self._call(SETTINGS, params=params), SETTINGS)

    async def set_name(self, group_id: int, name: str) -> bool:
        """Rename a group.

        `PUT /group/info/name`. Admins may always; plain members only while the group allows
        members to modify it
        ([`set_allow_member_modify()`][lanying_async.services.groups.GroupsService.set_allow_member_modify]),
        else `GroupAdminRequiredError` (20012). Raises `GroupNotFoundError` (20001) or
        `GroupMemberRequiredError` (20011).
        """
        body = GroupInfoUpdateRequest(
            group_id=check_id(group_id, "group_id"), value=check_text(name, "name")
        )
        return await self._flag(SET_NAME, body=body)

    async def set_avatar(self, group_id: int, avatar: str) -> bool:
        """Set a group's avatar to an uploaded image's URL (empty clears it).

        `PUT /group/info/avatar`. Get an upload URL from `files.group_avatar_upload_url`. Same
        permissions as [`set_name()`][lanying_async.services.groups.GroupsService.set_name]:
        `GroupAdminRequiredError` (20012) for plain members unless the group allows them to modify
        it; `GroupNotFoundError` (20001).
        """
        body = GroupInfoUpdateRequest(
            group_id=check_id(group_id, "group_id"),
            value=check_text(avatar, "avatar", allow_empty=True),
        )
        return await self._flag(SET_AVATAR, body=body)

    async def set_description(self, group_id: int, description: str) -> bool:
        """Set a group's description (empty clears it).

        `PUT /group/info/description`. Same permissions as
        [`set_name()`][lanying_async.services.groups.GroupsService.set_name]:
        `GroupAdminRequiredError` (20012) for plain members unless the group allows them to modify
        it; `GroupNotFoundError` (20001).
        """
        body = GroupInfoUpdateRequest(
            group_id=check_id(group_id, "group_id"),
            value=check_text(description, "description", allow_empty=True),
        )
        return await self._flag(SET_DESCRIPTION, body=body)

    async def set_ext(self, group_id: int, ext: str | Mapping[str, Any]) -> bool:
        """Set a group's extension information, a string the app defines.

        `PUT /group/info/ext`. A mapping is sent as its JSON text. Same permissions as
        [`set_name()`][lanying_async.services.groups.GroupsService.set_name]:
        `GroupAdminRequiredError` (20012) for plain members unless the group allows them to modify
        it; `GroupNotFoundError` (20001).
        """
        body = GroupInfoUpdateRequest(
            group_id=check_id(group_id, "group_id"), value=json_text(ext, "ext")
        )
        return await self._flag(SET_EXT, body=body)

    # --- settings -----------------------------------------------------------------

    async def _setting(
        self, endpoint: Endpoint[Envelope[bool]], group_id: int, value: bool, field: str
    ) -> bool:
        body = GroupSettingUpdateRequest(
            group_id=check_id(group_id, "group_id"), value=check_bool(value, field)
        )
        return await self._flag(endpoint, body=body)

    async def set_allow_member_invitation(self, group_id: int, allow: bool) -> bool:
        """Allow or forbid plain members to invite others into the group.

        `PUT /group/settings/allow_member_invitation`. Admins only: raises
        `GroupAdminRequiredError` (20012), `GroupMemberRequiredError`
        (20011) or `GroupNotFoundError` (20001).
        """
        return await self._setting(SET_MEMBER_INVITE, group_id, allow, "allow")

    async def set_allow_member_modify(self, group_id: int, allow: bool) -> bool:
        """Allow or forbid plain members to change the group's name, avatar and more.

        `PUT /group/settings/allow_member_modify`. Admins only: raises
        `GroupAdminRequiredError` (20012), `GroupMemberRequiredError`
        (20011) or `GroupNotFoundError` (20001).
        """
        return await self._setting(SET_MEMBER_MODIFY, group_id, allow, "allow")

    async def set_read_ack(self, group_id: int, enabled: bool) -> bool:
        """Turn read receipts for the group's messages on or off.

        `PUT /group/settings/enable_read_ack`. Admins only: raises
        `GroupAdminRequiredError` (20012), `GroupMemberRequiredError`
        (20011) or `GroupNotFoundError` (20001).
        """
        return await self._setting(SET_READ_ACK, group_id, enabled, "enabled")

    async def set_hide_member_info(self, group_id: int, hide: bool) -> bool:
        """Hide members' details from other members, or show them again.

        `PUT /group/settings/hide_member_info`. Admins only: raises
        `GroupAdminRequiredError` (20012), `GroupMemberRequiredError`
        (20011) or `GroupNotFoundError` (20001).
        """
        return await self._setting(SET_HIDE_MEMBER_INFO, group_id, hide, "hide")

    async def set_history_visible(self, group_id: int, visible: bool) -> bool:
        """Decide whether new members see the messages sent before they joined.

        `PUT /group/settings/history_visible`. Admins only: raises
        `GroupAdminRequiredError` (20012), `GroupMemberRequiredError`
        (20011) or `GroupNotFoundError` (20001).
        """
        return await self._setting(SET_HISTORY_VISIBLE, group_id, visible, "visible")

    async def set_apply_approval(self, group_id: int, approval: ApplyApproval) -> bool:
        """Decide how applications to join the group are handled.

        `PUT /group/settings/require_admin_approval`. `approval` is an
        [`ApplyApproval`][lanying_async.models.enums.ApplyApproval]: accept all, ask an admin, or
        reject all. Admins only: raises `GroupAdminRequiredError` (20012),
        `GroupMemberRequiredError` (20011) or `GroupNotFoundError` (20001).
        """
        body = GroupApplyApprovalRequest(
            group_id=check_id(group_id, "group_id"),
            apply_approval=check_enum(ApplyApproval, approval, "approval"),
        )
        return await self._flag(SET_APPLY_APPROVAL, body=body)
