"""Group models."""

from __future__ import annotations

from lanying_async.models.base import Request, Response

__all__ = [
    "CreateGroupRequest",
    "GroupInfo",
    "GroupMember",
    "InviteRequest",
    "MemberResult",
]


class CreateGroupRequest(Request):
    name: str
    description: str | None = None
    avatar: str | None = None
    type: int | None = None
    user_list: list[int] | None = None


class GroupInfo(Response):
    """A group's information and settings.

    ``type`` compares with :class:`~lanying_async.GroupType`, ``status`` with
    :class:`~lanying_async.GroupStatus`, ``apply_approval`` with
    :class:`~lanying_async.ApplyApproval`. Times are milliseconds since the epoch.
    """

    group_id: int = 0
    name: str | None = None
    description: str | None = None
    avatar: str | None = None
    type: int = 0
    status: int = 0
    owner_id: int = 0
    created_at: int = 0
    updated_at: int = 0
    capacity: int | None = None
    count: int | None = None
    ext: str | None = None
    member_invite: bool = False
    member_modify: bool = False
    apply_approval: int = 0
    read_ack: bool = False
    history_visible: bool = False
    hide_member_info: bool = False
    ban_expire_time: int | None = None
    msg_mute_mode: int | None = None
    msg_push_mode: int | None = None


class InviteRequest(Request):
    group_id: int
    user_list: list[int]
    reason: str | None = None


class MemberResult(Response):
    """The per-user outcome of a member operation (invite, kick, ...)."""

    user_id: int = 0
    result: str = ""
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.result == "success"


class GroupMember(Response):
    """One member of a group; times are milliseconds since the epoch."""

    user_id: int = 0
    join_time: int = 0
    display_name: str | None = None
    expired_time: int | None = None
