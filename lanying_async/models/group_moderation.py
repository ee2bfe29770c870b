"""Models of group moderation: announcements, applications, invitations, bans,
block lists, shared files and invitation QR codes.

Times are milliseconds since the epoch unless a field says otherwise. Status
fields stay plain ints so that a value added by a newer server still decodes;
compare them with [`GroupRequestStatus`][lanying_async.models.group_moderation.GroupRequestStatus].
"""

from __future__ import annotations

from enum import IntEnum

from lanying_async.models.base import Record, Request

__all__ = [
    "GroupAnnouncement",
    "GroupAnnouncementRequest",
    "GroupApplication",
    "GroupApplicationRequest",
    "GroupApprovalRequest",
    "GroupBanAllRequest",
    "GroupBanAllResult",
    "GroupBanRequest",
    "GroupBlockedUser",
    "GroupFileDeleteRequest",
    "GroupFileRenameRequest",
    "GroupFileResult",
    "GroupFileUploadRequest",
    "GroupIdRequest",
    "GroupInvitation",
    "GroupQrCode",
    "GroupQrInviteRequest",
    "GroupRequestStatus",
    "GroupSharedFile",
    "GroupUsersRequest",
]


class GroupRequestStatus(IntEnum):
    """Where an application to join a group, or an invitation into one, stands."""

    PENDING = 0
    ACCEPTED = 1
    DECLINED = 2


# --- requests ----------------------------------------------------------------


class GroupAnnouncementRequest(Request):
    group_id: int
    title: str
    content: str


class GroupIdRequest(Request):
    group_id: int


class GroupApplicationRequest(Request):
    group_id: int
    reason: str | None = None


class GroupApprovalRequest(Request):
    """Accept (`approval=True`) or decline an application or an invitation.

    `user_id` is the applicant when an admin handles an application, and the
    inviter when the invitee handles an invitation.
    """

    group_id: int
    user_id: int
    approval: bool


class GroupUsersRequest(Request):
    group_id: int
    user_list: list[int]


class GroupBanRequest(Request):
    group_id: int
    user_list: list[int]
    duration: int
    """Minutes."""


class GroupBanAllRequest(Request):
    group_id: int
    duration: int
    """Minutes."""


class GroupFileUploadRequest(Request):
    group_id: int
    name: str
    url: str
    size: int
    type: str | None = None


class GroupFileDeleteRequest(Request):
    group_id: int
    file_list: list[int]


class GroupFileRenameRequest(Request):
    group_id: int
    file_id: int
    name: str


class GroupQrInviteRequest(Request):
    qr_info: str


# --- responses ---------------------------------------------------------------


class GroupAnnouncement(Record):
    """One published group announcement."""

    id: int = 0
    """The announcement id."""
    group_id: int = 0
    title: str | None = None
    content: str | None = None
    author: int = 0
    """User id of the publisher."""
    created_at: int = 0


class GroupApplication(Record):
    """A user's application to join a group.

    `status` compares with
    [`GroupRequestStatus`][lanying_async.models.group_moderation.GroupRequestStatus];
    `expired_time` is when a pending application lapses.
    """

    group_id: int = 0
    applicant_id: int = 0
    reason: str | None = None
    status: int = 0
    expired_time: int = 0


class GroupInvitation(Record):
    """An invitation into a group waiting for (or answered by) the invitee.

    `status` compares with
    [`GroupRequestStatus`][lanying_async.models.group_moderation.GroupRequestStatus];
    `expired_time` is when a pending invitation lapses; `updated_at` is a date-time string as
    the server formats it.
    """

    group_id: int = 0
    inviter_id: int = 0
    invitee_id: int = 0
    reason: str | None = None
    status: int = 0
    expired_time: int = 0
    updated_at: str | None = None


class GroupBlockedUser(Record):
    """One entry of a group's block list; `created_at` is a date-time string."""

    group_id: int = 0
    user_id: int = 0
    created_at: str | None = None


class GroupSharedFile(Record):
    """A file shared in a group: its metadata and the address of its content."""

    file_id: int = 0
    group_id: int = 0
    name: str | None = None
    type: str | None = None
    size: int = 0
    """Bytes."""
    url: str | None = None
    uploader: int = 0
    """User id of the uploader."""
    created_at: int = 0
    updated_at: int = 0


class GroupFileResult(Record):
    """The per-file outcome of deleting shared files."""

    file_id: int = 0
    result: str = ""
    """`success` or `fail`."""
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.result == "success"


class GroupQrCode(Record):
    """A signed invitation QR code: encode `qr_info` in the picture you show."""

    qr_info: str = ""
    create_at: int = 0
    """When it was signed (ms)."""
    expire_at: int = 0
    """When it stops working (ms)."""


class GroupBanAllResult(Record):
    """The group's whole-group ban after `ban_all`.

    `ban_expire_time` is in seconds since the epoch; -1 means for ever, and 0
    or a time in the past means no ban.
    """

    ban_expire_time: int = 0
