"""pydantic mirrors of the SDK's structs, for the httpx + pydantic baseline.

Same fields and defaults as ``lanying_async.models`` (unknown fields ignored),
so both typed clients build the same objects from the same bytes.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel

__all__ = ["CreateGroupBody", "Envelope", "GroupInfo", "GroupMember", "PagedEnvelope"]

T = TypeVar("T")


class Envelope(BaseModel, Generic[T]):
    code: int = -1
    message: str | None = None
    data: T | None = None


class PagedEnvelope(Envelope[list[T]], Generic[T]):
    cursor: str | None = None
    total: int | None = None
    version: int | None = None


class CreateGroupBody(BaseModel):
    name: str
    description: str | None = None
    avatar: str | None = None
    type: int | None = None
    user_list: list[int] | None = None


class GroupInfo(BaseModel):
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


class GroupMember(BaseModel):
    user_id: int = 0
    join_time: int = 0
    display_name: str | None = None
    expired_time: int | None = None
