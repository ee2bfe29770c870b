"""Group moderation: announcements, applications, invitations, bans, block
lists, shared files and invitation QR codes (mixed into GroupsService)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from lanying_async.models.base import Envelope, PagedEnvelope, Request
from lanying_async.models.group_moderation import (
    GroupAnnouncement,
    GroupAnnouncementRequest,
    GroupApplication,
    GroupApplicationRequest,
    GroupApprovalRequest,
    GroupBanAllRequest,
    GroupBanAllResult,
    GroupBanRequest,
    GroupBlockedUser,
    GroupFileDeleteRequest,
    GroupFileRenameRequest,
    GroupFileResult,
    GroupFileUploadRequest,
    GroupIdRequest,
    GroupInvitation,
    GroupQrCode,
    GroupQrInviteRequest,
    GroupSharedFile,
    GroupUsersRequest,
)
from lanying_async.models.groups import GroupIdListRequest, GroupMember, MemberResult
from lanying_async.pagination import Page, Paginator
from lanying_async.services.base import Service, require_data
from lanying_async.transport.endpoint import Endpoint, OperationKind
from lanying_async.validation import (
    INT64_MAX,
    INT64_MIN,
    check_bool,
    check_id,
    check_ids,
    check_int,
    check_text,
    optional_text,
)

if TYPE_CHECKING:
    from lanying_async.transport.pipeline import Params

__all__ = ["MAX_MODERATION_PAGE", "GroupModerationOps", "ban_minutes"]

ANNOUNCEMENT = Endpoint("GET", "/group/announcement", Envelope[GroupAnnouncement])
DELETE_ANNOUNCEMENT = Endpoint("DELETE", "/group/announcement/delete", Envelope[Any])
EDIT_ANNOUNCEMENT = Endpoint("POST", "/group/announcement/edit", Envelope[GroupAnnouncement])
LAST_ANNOUNCEMENT = Endpoint("GET", "/group/announcement/last", Envelope[GroupAnnouncement])
ANNOUNCEMENT_LIST = Endpoint("GET", "/group/announcement/list", Envelope[list[GroupAnnouncement]])
# A listing sent as POST (the group ids travel in the body): safe to retry.
APPLICATION_LIST = Endpoint(
    "POST",
    "/group/application_list",
    PagedEnvelope[GroupApplication],
    kind=OperationKind.READ,
)
APPLY = Endpoint("POST", "/group/apply", Envelope[MemberResult])
HANDLE_APPLICATION = Endpoint("PUT", "/group/apply/handle", Envelope[MemberResult])
BAN = Endpoint("POST", "/group/ban", Envelope[list[MemberResult]])
BANNED_LIST = Endpoint("GET", "/group/banned_list", PagedEnvelope[GroupMember])
BLOCK = Endpoint("POST", "/group/block", Envelope[list[MemberResult]])
BLOCKED_LIST = Endpoint("GET", "/group/blocked_list", PagedEnvelope[GroupBlockedUser])
FILE = Endpoint("GET", "/group/file", Envelope[GroupSharedFile])
DELETE_FILES = Endpoint("DELETE", "/group/file/delete", Envelope[list[GroupFileResult]])
FILE_LIST = Endpoint("GET", "/group/file/list", Envelope[list[GroupSharedFile]])
RENAME_FILE = Endpoint("PUT", "/group/file/update_name", Envelope[bool])
UPLOAD_FILE = Endpoint("POST", "/group/file/upload", Envelope[GroupSharedFile])
INVITATION_LIST = Endpoint("GET", "/group/invitation_list", PagedEnvelope[GroupInvitation])
HANDLE_INVITATION = Endpoint("PUT", "/group/invite/handle", Envelope[bool])
QRCODE_INVITE = Endpoint("POST", "/group/qrcode/invite", Envelope[Any])
QRCODE_SIGN = Endpoint("GET", "/group/qrcode/sign", Envelope[GroupQrCode])
BAN_ALL = Endpoint("POST", "/group/settings/ban_all", Envelope[GroupBanAllResult])
UNBAN_ALL = Endpoint("POST", "/group/settings/unban_all", Envelope[bool])
UNBAN = Endpoint("POST", "/group/unban", Envelope[list[MemberResult]])
UNBLOCK = Endpoint("DELETE", "/group/unblock", Envelope[list[MemberResult]])

MAX_MODERATION_PAGE = 1000
"""The largest page the moderation listings are asked for."""
DEFAULT_REQUEST_PAGE = 100
"""Page sizes the API uses when none is given."""
DEFAULT_LIST_PAGE = 1000


def ban_minutes(value: object, field: str = "minutes") -> int:
    """A ban's `duration`: the spec says an int64 number of minutes and no more,
    so what a zero or negative one does is left to the server."""
    return check_int(
        value, field, minimum=INT64_MIN, maximum=INT64_MAX, kind="an int64 number of minutes"
    )


class GroupModerationOps(Service):
    """Moderation operations of `/group`: announcements, applications, invitations,
    bans, block lists, shared files and invitation QR codes."""

    __slots__ = ()

    # --- helpers -------------------------------------------------------------

    async def _done(
        self,
        endpoint: Endpoint[Envelope[Any]],
        *,
        params: Params | None = None,
        body: Request | None = None,
    ) -> bool:
        """Call an operation whose `data` the API leaves open; success is True."""
        envelope = await self._call(endpoint, params=params, body=body)
        return envelope.data is not False

    def _paged(
        self,
        endpoint: Endpoint[PagedEnvelope[Any]],
        params: dict[str, str | int],
        limit: int,
        body: Request | None = None,
        *,
        maximum: int = MAX_MODERATION_PAGE,
    ) -> Paginator[Any]:
        """A cursor-paged listing of `limit` items a page (1 to `maximum`)."""
        size = check_int(limit, "limit", minimum=1, maximum=maximum)
        params = {**params, "limit": size}

        async def fetch(cursor: str | int | None) -> Page[Any]:
            query = params if cursor is None else {**params, "cursor": cursor}
            envelope = await self._call(endpoint, params=query, body=body)
            return Page(
                items=envelope.data or [],
                next_token=envelope.cursor or None,
                total=envelope.total,
                version=envelope.version,
            )

        return Paginator(fetch)

    # --- announcements -------------------------------------------------------

    async def announcement(self, group_id: int, announcement_id: int) -> GroupAnnouncement:
        """One announcement of a group, by id; any member may read it.

        `GET /group/announcement`. Raises `GroupNotFoundError` (20001),
        `GroupMemberRequiredError` (20011) or `AnnouncementNotFoundError`
        (20020) when the group has no announcement with that id.
        """
        params = {
            "group_id": check_id(group_id, "group_id"),
            "announcement_id": check_id(announcement_id, "announcement_id"),
        }
        return require_data(await self._call(ANNOUNCEMENT, params=params), ANNOUNCEMENT)

    async def delete_announcement(self, group_id: int, announcement_id: int) -> bool:
        """Delete one announcement of a group; only its admins and owner may.

        `DELETE /group/announcement/delete`. Raises `GroupNotFoundError`
        (20001), `GroupMemberRequiredError` (20011), `GroupAdminRequiredError`
        (20012) or `AnnouncementNotFoundError` (20020).
        """
        params = {
            "group_id": check_id(group_id, "group_id"),
            "announcement_id": check_id(announcement_id, "announcement_id"),
        }
        return await self._done(DELETE_ANNOUNCEMENT, params=params)

    async def edit_announcement(self, group_id: int, title: str, content: str) -> GroupAnnouncement:
        """Publish a new announcement in a group and return it (with its id).

        `POST /group/announcement/edit`. The newest announcement is the one
        [`last_announcement()`][lanying_async.services.group_moderation.GroupModerationOps.last_announcement]
        returns; earlier ones stay listed. Only the group's admins and owner may publish: raises
        `GroupNotFoundError` (20001), `GroupMemberRequiredError` (20011) or
        `GroupAdminRequiredError` (20012).
        """
        body = GroupAnnouncementRequest(
            group_id=check_id(group_id, "group_id"),
            title=check_text(title, "title"),
            content=check_text(content, "content"),
        )
        return require_data(await self._call(EDIT_ANNOUNCEMENT, body=body), EDIT_ANNOUNCEMENT)

    async def last_announcement(self, group_id: int) -> GroupAnnouncement:
        """The group's most recently published announcement; any member may read it.

        `GET /group/announcement/last`. Raises `GroupNotFoundError` (20001),
        `GroupMemberRequiredError` (20011), or `AnnouncementNotFoundError`
        (20020) when the group has no announcement.
        """
        params = {"group_id": check_id(group_id, "group_id")}
        return require_data(await self._call(LAST_ANNOUNCEMENT, params=params), LAST_ANNOUNCEMENT)

    async def announcements(self, group_id: int) -> list[GroupAnnouncement]:
        """Every announcement of a group, newest first; any member may list them.

        `GET /group/announcement/list`. Raises `GroupNotFoundError` (20001)
        or `GroupMemberRequiredError` (20011).
        """
        params = {"group_id": check_id(group_id, "group_id")}
        envelope = await self._call(ANNOUNCEMENT_LIST, params=params)
        return envelope.data or []

    # --- applications --------------------------------------------------------

    def applications(
        self, group_ids: Iterable[int], *, limit: int = DEFAULT_REQUEST_PAGE
    ) -> Paginator[GroupApplication]:
        """Applications to join the given groups, page by page (`limit` per page).

        `POST /group/application_list` (a read: the group ids travel in the
        body). Await it for the first page or `async for` over every
        application; check `status` against `GroupRequestStatus`. The caller
        must administer every group: raises `GroupNotFoundError` (20001),
        `GroupMemberRequiredError` (20011) or `GroupAdminRequiredError` (20012).
        """
        body = GroupIdListRequest(group_list=check_ids(group_ids, "group_ids"))
        paginator: Paginator[GroupApplication] = self._paged(APPLICATION_LIST, {}, limit, body)
        return paginator

    async def apply(self, group_id: int, reason: str | None = None) -> MemberResult:
        """Apply, as the current user, to join a group.

        `POST /group/apply`. What follows depends on the group's `apply_approval`:
        `ACCEPT_ALL` joins at once, `ADMIN_APPROVAL` leaves a pending application for an admin
        (see
        [`handle_application()`][lanying_async.services.group_moderation.GroupModerationOps.handle_application]),
        `REJECT_ALL` answers a `fail` result. Raises `InvalidParameterError` (10002) without a
        user scope, `GroupNotFoundError` (20001), `AlreadyGroupMemberError` (20017),
        `GroupBlockedUserError` (20018) or `GroupFullError` (20010).
        """
        body = GroupApplicationRequest(
            group_id=check_id(group_id, "group_id"),
            reason=optional_text(reason, "reason", allow_empty=True),
        )
        return require_data(await self._call(APPLY, body=body), APPLY)

    async def handle_application(
        self, group_id: int, user_id: int, *, approve: bool
    ) -> MemberResult:
        """Accept or decline a user's pending application to join a group.

        `PUT /group/apply/handle`; `user_id` is the applicant and an
        accepted applicant joins at once. Only the group's admins and owner may
        decide: raises `GroupAdminRequiredError` (20012),
        `GroupApplicationExpiredError` (20014) when there is no pending
        application (expired or already handled), `GroupBlockedUserError`
        (20018) or `GroupFullError` (20010).
        """
        body = GroupApprovalRequest(
            group_id=check_id(group_id, "group_id"),
            user_id=check_id(user_id, "user_id"),
            approval=check_bool(approve, "approve"),
        )
        return require_data(await self._call(HANDLE_APPLICATION, body=body), HANDLE_APPLICATION)

    # --- invitations ---------------------------------------------------------

    def invitations(self, *, limit: int = DEFAULT_REQUEST_PAGE) -> Paginator[GroupInvitation]:
        """The current user's invitations into groups, page by page.

        `GET /group/invitation_list`. Invitations appear when a user whose settings ask to confirm
        group invitations is invited; answer them with
        [`handle_invitation()`][lanying_async.services.group_moderation.GroupModerationOps.handle_invitation].
        Check `status` against `GroupRequestStatus`. Raises `InvalidParameterError` (10002)
        without a user scope.
        """
        paginator: Paginator[GroupInvitation] = self._paged(INVITATION_LIST, {}, limit)
        return paginator

    async def handle_invitation(self, group_id: int, inviter_id: int, *, accept: bool) -> bool:
        """Accept (join the group) or decline, as the invitee, a pending invitation.

        `PUT /group/invite/handle`; `inviter_id` names who invited the
        current user. Raises `InvalidParameterError` (10002) without a user
        scope, `GroupInvitationExpiredError` (20015) when there is no pending
        invitation (expired or already handled), `GroupNotFoundError` (20001)
        or `GroupFullError` (20010).
        """
        body = GroupApprovalRequest(
            group_id=check_id(group_id, "group_id"),
            user_id=check_id(inviter_id, "inviter_id"),
            approval=check_bool(accept, "accept"),
        )
        return await self._flag(HANDLE_INVITATION, body=body)

    # --- QR codes ------------------------------------------------------------

    async def qrcode(self, group_id: int) -> GroupQrCode:
        """Sign an invitation QR code for a group; anyone who scans it may join.

        `GET /group/qrcode/sign`. Show `qr_info` as a QR code; it works until `expire_at`
        through
        [`join_by_qrcode()`][lanying_async.services.group_moderation.GroupModerationOps.join_by_qrcode].
        Members may sign one unless the group reserves inviting to admins: raises
        `GroupNotFoundError` (20001), `GroupMemberRequiredError` (20011) or
        `GroupAdminRequiredError` (20012).
        """
        params = {"group_id": check_id(group_id, "group_id")}
        return require_data(await self._call(QRCODE_SIGN, params=params), QRCODE_SIGN)

    async def join_by_qrcode(self, qr_info: str) -> bool:
        """Join, as the current user, the group a scanned invitation QR code names.

        `POST /group/qrcode/invite` with the `qr_info` from
        [`qrcode()`][lanying_async.services.group_moderation.GroupModerationOps.qrcode]. Raises
        `InvalidGroupQrCodeError` (20024), `GroupQrCodeExpiredError` (20025),
        `AlreadyGroupMemberError` (20017), `GroupBlockedUserError` (20018) or
        `InvalidParameterError` (10002) without a user scope.
        """
        body = GroupQrInviteRequest(qr_info=check_text(qr_info, "qr_info"))
        return await self._done(QRCODE_INVITE, body=body)

    # --- bans ----------------------------------------------------------------

    async def ban(self, group_id: int, user_ids: Iterable[int], minutes: int) -> list[MemberResult]:
        """Ban members from speaking in a group for `minutes`; one result per user.

        `POST /group/ban` (sent as `duration`). The member list and
        [`banned()`][lanying_async.services.group_moderation.GroupModerationOps.banned] show each
        ban's expiry as `expired_time`. The owner cannot be banned, and only the owner may ban an
        admin. Raises `GroupNotFoundError` (20001), `GroupMemberRequiredError` (20011) or
        `GroupAdminRequiredError` (20012).
        """
        body = GroupBanRequest(
            group_id=check_id(group_id, "group_id"),
            user_list=check_ids(user_ids, "user_ids"),
            duration=ban_minutes(minutes),
        )
        return (await self._call(BAN, body=body)).data or []

    async def unban(self, group_id: int, user_ids: Iterable[int]) -> list[MemberResult]:
        """Lift the bans of users in a group; one result per user.

        `POST /group/unban`. Lifting a ban that is not there succeeds. Raises
        `GroupNotFoundError` (20001), `GroupMemberRequiredError` (20011) or
        `GroupAdminRequiredError` (20012).
        """
        body = GroupUsersRequest(
            group_id=check_id(group_id, "group_id"), user_list=check_ids(user_ids, "user_ids")
        )
        return (await self._call(UNBAN, body=body)).data or []

    def banned(self, group_id: int, *, limit: int = DEFAULT_LIST_PAGE) -> Paginator[GroupMember]:
        """The group's banned members with their ban expiry, page by page.

        `GET /group/banned_list`. Each member's `expired_time` is when the
        ban ends (ms). Await it for the first page or `async for` over every
        banned member. Raises `GroupNotFoundError` (20001) or
        `GroupMemberRequiredError` (20011).
        """
        params: dict[str, str | int] = {"group_id": check_id(group_id, "group_id")}
        paginator: Paginator[GroupMember] = self._paged(BANNED_LIST, params, limit)
        return paginator

    async def ban_all(self, group_id: int, minutes: int) -> GroupBanAllResult:
        """Ban the whole group for `minutes`: only its admins and owner may speak.

        `POST /group/settings/ban_all` (sent as `duration`). Returns the
        group's `ban_expire_time` (seconds), also shown in the group's info.
        Raises `GroupNotFoundError` (20001), `GroupMemberRequiredError`
        (20011) or `GroupAdminRequiredError` (20012).
        """
        body = GroupBanAllRequest(
            group_id=check_id(group_id, "group_id"),
            duration=ban_minutes(minutes),
        )
        return require_data(await self._call(BAN_ALL, body=body), BAN_ALL)

    async def unban_all(self, group_id: int) -> bool:
        """Lift the whole-group ban, so every member may speak again.

        `POST /group/settings/unban_all`. Bans of single members stay.
        Raises `GroupNotFoundError` (20001), `GroupMemberRequiredError`
        (20011) or `GroupAdminRequiredError` (20012).
        """
        body = GroupIdRequest(group_id=check_id(group_id, "group_id"))
        return await self._flag(UNBAN_ALL, body=body)

    # --- block list ----------------------------------------------------------

    async def block(self, group_id: int, user_ids: Iterable[int]) -> list[MemberResult]:
        """Put users on a group's block list; one result per user.

        `POST /group/block`. A blocked member leaves the group, and a blocked
        user can neither apply nor be invited nor join by QR code. The owner
        cannot be blocked, and only the owner may block an admin. Raises
        `GroupNotFoundError` (20001), `GroupMemberRequiredError` (20011) or
        `GroupAdminRequiredError` (20012).
        """
        body = GroupUsersRequest(
            group_id=check_id(group_id, "group_id"), user_list=check_ids(user_ids, "user_ids")
        )
        return (await self._call(BLOCK, body=body)).data or []

    async def unblock(self, group_id: int, user_ids: Iterable[int]) -> list[MemberResult]:
        """Take users off a group's block list; one result per user.

        `DELETE /group/unblock` (the user ids travel in the body). They do
        not rejoin by themselves. Raises `GroupNotFoundError` (20001),
        `GroupMemberRequiredError` (20011) or `GroupAdminRequiredError` (20012).
        """
        body = GroupUsersRequest(
            group_id=check_id(group_id, "group_id"), user_list=check_ids(user_ids, "user_ids")
        )
        return (await self._call(UNBLOCK, body=body)).data or []

    def blocked(
        self, group_id: int, *, limit: int = DEFAULT_LIST_PAGE
    ) -> Paginator[GroupBlockedUser]:
        """The group's block list, page by page, oldest entry first.

        `GET /group/blocked_list`. Await it for the first page or
        `async for` over every entry. Only the group's admins and owner may
        read it: raises `GroupNotFoundError` (20001),
        `GroupMemberRequiredError` (20011) or `GroupAdminRequiredError` (20012).
        """
        params: dict[str, str | int] = {"group_id": check_id(group_id, "group_id")}
        paginator: Paginator[GroupBlockedUser] = self._paged(BLOCKED_LIST, params, limit)
        return paginator

    # --- shared files --------------------------------------------------------

    async def upload_file(
        self,
        group_id: int,
        name: str,
        url: str,
        size: int,
        *,
        type: str | None = None,
    ) -> GroupSharedFile:
        """Share a file in a group: record the name, address and size of uploaded content.

        `POST /group/file/upload`. Upload the bytes first (see the files
        service) and pass their `url`; `size` is in bytes and `type` a
        free-form kind such as a MIME type. Any member may share. Raises
        `GroupNotFoundError` (20001) or `GroupMemberRequiredError` (20011).
        """
        byte_count = check_int(size, "size", minimum=0, kind="an int number of bytes")
        body = GroupFileUploadRequest(
            group_id=check_id(group_id, "group_id"),
            name=check_text(name, "name"),
            url=check_text(url, "url"),
            size=byte_count,
            type=optional_text(type, "type"),
        )
        return require_data(await self._call(UPLOAD_FILE, body=body), UPLOAD_FILE)

    async def file(self, group_id: int, file_id: int) -> GroupSharedFile:
        """One shared file of a group, with the `url` to download it from.

        `GET /group/file`. Any member may read it. Raises
        `GroupNotFoundError` (20001), `GroupMemberRequiredError` (20011) or
        `SharedFileNotFoundError` (20022).
        """
        params = {
            "group_id": check_id(group_id, "group_id"),
            "file_id": check_id(file_id, "file_id"),
        }
        return require_data(await self._call(FILE, params=params), FILE)

    async def files(self, group_id: int) -> list[GroupSharedFile]:
        """Every file shared in a group, oldest first; any member may list them.

        `GET /group/file/list`. Raises `GroupNotFoundError` (20001) or
        `GroupMemberRequiredError` (20011).
        """
        params = {"group_id": check_id(group_id, "group_id")}
        return (await self._call(FILE_LIST, params=params)).data or []

    async def rename_file(self, group_id: int, file_id: int, name: str) -> bool:
        """Rename a shared file of a group.

        `PUT /group/file/update_name`. Its uploader, the group's admins and
        its owner may. Raises `GroupMemberRequiredError` (20011),
        `SharedFileNotFoundError` (20022) or `SharedFilePermissionError`
        (20023) when a plain member renames someone else's file.
        """
        body = GroupFileRenameRequest(
            group_id=check_id(group_id, "group_id"),
            file_id=check_id(file_id, "file_id"),
            name=check_text(name, "name"),
        )
        return await self._flag(RENAME_FILE, body=body)

    async def delete_files(self, group_id: int, file_ids: Iterable[int]) -> list[GroupFileResult]:
        """Delete shared files of a group; one result per file.

        `DELETE /group/file/delete` (the file ids travel in the body). Each
        file's uploader, the group's admins and its owner may delete it; other
        files answer a `fail` result, and a single-file call raises
        `SharedFileNotFoundError` (20022) or `SharedFilePermissionError`
        (20023) instead. Raises `GroupMemberRequiredError` (20011).
        """
        body = GroupFileDeleteRequest(
            group_id=check_id(group_id, "group_id"), file_list=check_ids(file_ids, "file_ids")
        )
        return (await self._call(DELETE_FILES, body=body)).data or []
