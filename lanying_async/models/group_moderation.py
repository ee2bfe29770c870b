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
    """The group to announce in."""
    title: str
    """The announcement's title."""
    content: str
    """The announcement's text."""


class GroupIdRequest(Request):
    group_id: int
    """The group's id."""


class GroupApplicationRequest(Request):
    group_id: int
    """The group to join."""
    reason: str | None = None
    """Why the user wants to join."""


class GroupApprovalRequest(Request):
    """Accept (`approval=True`) or decline an application or an invitation.

    `user_id` is the applicant when an admin handles an application, and the
    inviter when the invitee handles an invitation.
    """

    group_id: int
    """The group's id."""
    user_id: int
    """The applicant, or the inviter when answering an invitation."""
    approval: bool
    """True to accept, false to decline."""


class GroupUsersRequest(Request):
    group_id: int
    """The group's id."""
    user_list: list[int]
    """The users concerned."""


class GroupBanRequest(Request):
    group_id: int
    """The group's id."""
    user_list: list[int]
    """The members to ban."""
    duration: int
    """Minutes."""


class GroupBanAllRequest(Request):
    group_id: int
    """The group's id."""
    duration: int
    """Minutes."""


class GroupFileUploadRequest(Request):
    group_id: int
    """The group to share the file in."""
    name: str
    """The file's name."""
    url: str
    """Where the file's content is stored."""
    size: int
    """The file's size in bytes."""
    type: str | None = None
    """The file's type."""


class GroupFileDeleteRequest(Request):
    group_id: int
    """The group's id."""
    file_list: list[int]
    """Ids of the shared files to delete."""


class GroupFileRenameRequest(Request):
    group_id: int
    """The group's id."""
    file_id: int
    """The shared file's id."""
    name: str
    """The file's new name."""


class GroupQrInviteRequest(Request):
    qr_info: str
    """The signed QR code information (from `GET /group/qrcode/sign`)."""


# --- responses ---------------------------------------------------------------


class GroupAnnouncement(Record):
    """One published group announcement."""

    id: int = 0
    """The announcement id."""
    group_id: int = 0
    """The group it was published in."""
    title: str | None = None
    """The announcement's title."""
    content: str | None = None
    """The announcement's text."""
    author: int = 0
    """User id of the publisher."""
    created_at: int = 0
    """When it was published, in milliseconds since the epoch."""


class GroupApplication(Record):
    """A user's application to join a group.

    `status` compares with
    [`GroupRequestStatus`][lanying_async.models.group_moderation.GroupRequestStatus];
    `expired_time` is when a pending application lapses.
    """

    group_id: int = 0
    """The group applied to."""
    applicant_id: int = 0
    """User id of the applicant."""
    reason: str | None = None
    """Why the applicant wants to join."""
    status: int = 0
    """0 pending, 1 accepted, 2 declined."""
    expired_time: int = 0
    """When a pending application lapses, in milliseconds since the epoch."""


class GroupInvitation(Record):
    """An invitation into a group waiting for (or answered by) the invitee.

    `status` compares with
    [`GroupRequestStatus`][lanying_async.models.group_moderation.GroupRequestStatus];
    `expired_time` is when a pending invitation lapses; `updated_at` is a date-time string as
    the server formats it.
    """

    group_id: int = 0
    """The group invited into."""
    inviter_id: int = 0
    """User id of who sent the invitation."""
    invitee_id: int = 0
    """User id of who was invited."""
    reason: str | None = None
    """The reason given with the invitation."""
    status: int = 0
    """0 pending, 1 accepted, 2 declined."""
    expired_time: int = 0
    """When a pending invitation lapses, in milliseconds since the epoch."""
    updated_at: str | None = None
    """When the invitation last changed, as the server formats it."""


class GroupBlockedUser(Record):
    """One entry of a group's block list; `created_at` is a date-time string."""

    group_id: int = 0
    """The group's id."""
    user_id: int = 0
    """The blocked user's id."""
    created_at: str | None = None
    """When the user was blocked, as the server formats it."""


class GroupSharedFile(Record):
    """A file shared in a group: its metadata and the address of its content."""

    file_id: int = 0
    """The shared file's id."""
    group_id: int = 0
    """The group it is shared in."""
    name: str | None = None
    """The file's name."""
    type: str | None = None
    """The file's type."""
    size: int = 0
    """Bytes."""
    url: str | None = None
    """Where the file's content is stored."""
    uploader: int = 0
    """User id of the uploader."""
    created_at: int = 0
    """When it was shared, in milliseconds since the epoch."""
    updated_at: int = 0
    """When it last changed, in milliseconds since the epoch."""


class GroupFileResult(Record):
    """The per-file outcome of deleting shared files."""

    file_id: int = 0
    """The shared file the outcome is for."""
    result: str = ""
    """`success` or `fail`."""
    reason: str | None = None
    """Why it failed."""

    @property
    def ok(self) -> bool:
        return self.result == "success"


class GroupQrCode(Record):
    """A signed invitation QR code: encode `qr_info` in the picture you show."""

    qr_info: str = ""
    """The signed information to encode in the QR code."""
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
    """When the ban ends, in seconds since the epoch (-1: for ever; 0 or past: none)."""
