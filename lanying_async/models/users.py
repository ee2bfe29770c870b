"""User models: registration, profiles, devices and account administration."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from enum import IntEnum

from lanying_async.models.base import Record, Request

__all__ = [
    "AvatarItem",
    "AvatarRequest",
    "BatchAvatarRequest",
    "BatchProfileRequest",
    "BatchRegisterRequest",
    "DeleteUserRequest",
    "DeviceInfo",
    "DevicePlatform",
    "OnlineStatus",
    "PasswordChangeRequest",
    "PasswordResetRequest",
    "ProfileUpdate",
    "PushUserRegisterRequest",
    "RegisterResult",
    "RegisterUserRequest",
    "UpdateProfileRequest",
    "UserIdsRequest",
    "UserProfile",
    "UserResult",
    "UserSettings",
    "UserStatus",
    "UserSummary",
]


# --- enums -------------------------------------------------------------------


class UserStatus(IntEnum):
    """An account's status as listed by `GET /user/list`."""

    NORMAL = 0
    DISABLED = 1


class DevicePlatform(IntEnum):
    """The platform a device logged in from."""

    IOS = 1
    ANDROID = 2
    WINDOWS = 3
    MAC = 4
    LINUX = 5
    WEB = 6


# --- requests ----------------------------------------------------------------


class RegisterUserRequest(Request):
    username: str
    password: str


class BatchRegisterRequest(Request):
    """Body of `POST /user/register/batch`."""

    list: builtins.list[RegisterUserRequest]


class PushUserRegisterRequest(Request):
    """Body of `POST /user/register/push`."""

    username: str
    password: str
    alias: str | None = None
    device_guid: str | None = None
    push_token: str | None = None
    sign: str | None = None


class AvatarRequest(Request):
    avatar: str
    """The avatar's URL."""


class AvatarItem(Request):
    """One user's new avatar in a batch update."""

    user_id: int
    avatar: str


class BatchAvatarRequest(Request):
    list: builtins.list[AvatarItem]


class PasswordChangeRequest(Request):
    old_password: str
    new_password: str


class PasswordResetRequest(Request):
    password: str


class DeleteUserRequest(Request):
    password: str | None = None
    """Needed only when the call is made with the user's own token."""


class UserIdsRequest(Request):
    """A `{"list": [user ids]}` body (disable, enable)."""

    list: builtins.list[int]


class UpdateProfileRequest(Request):
    """Profile fields to change; fields left unset are kept as they are."""

    nick_name: str | None = None
    description: str | None = None
    public_info: str | None = None
    private_info: str | None = None


class ProfileUpdate(Request):
    """One user's profile changes in a batch update (unset fields are kept)."""

    user_id: int
    nick_name: str | None = None
    description: str | None = None
    public_info: str | None = None
    private_info: str | None = None


class BatchProfileRequest(Request):
    list: builtins.list[ProfileUpdate]


# --- responses ---------------------------------------------------------------


class UserSettings(Record):
    """A user's id and settings, as returned by registration and `GET /user/settings`.

    `auth_mode` compares equal to [`AuthMode`][lanying_async.models.enums.AuthMode] members.
    `id` is the id the server gives the settings record itself, which the
    spec lists without saying more; the user is `user_id`.
    """

    user_id: int = 0
    id: int | None = None
    auto_download: bool = False
    group_confirm: bool = False
    no_sounds: bool = False
    no_push: bool = False
    vibratory: bool = False
    no_push_detail: bool = False
    auth_mode: int = 0
    auth_question: str | None = None
    auth_answer: str | None = None
    no_push_start_hour: int = 0
    no_push_end_hour: int = 0
    silence_start_time: int | None = None
    silence_end_time: int | None = None
    push_nick_name: str | None = None
    push_token: str | None = None


class UserProfile(Record):
    """A user's profile. `private_info` is visible to the user alone."""

    user_id: int = 0
    username: str | None = None
    nick_name: str | None = None
    avatar: str | None = None
    mobile: str | None = None
    email: str | None = None
    description: str | None = None
    public_info: str | None = None
    """Visible to friends and strangers alike."""
    private_info: str | None = None


class UserSummary(Record):
    """One account as listed by `GET /user/list`.

    `status` compares with [`UserStatus`][lanying_async.models.users.UserStatus] (0 normal, 1
    disabled).
    """

    user_id: int = 0
    username: str | None = None
    status: int = 0

    @property
    def disabled(self) -> bool:
        return self.status == UserStatus.DISABLED


class DeviceInfo(Record):
    """One device a user logged in from; `platform` compares with
    [`DevicePlatform`][lanying_async.models.users.DevicePlatform]."""

    user_id: int = 0
    device_sn: int = 0
    """The device's serial number (what `kick_device`/`remove_device` take)."""
    platform: int = 0
    user_agent: str | None = None


class OnlineStatus(Record):
    """Whether a user has at least one device online."""

    online: bool = False


class UserResult(Record):
    """The per-user outcome of a batch update (avatars, profiles)."""

    user_id: int = 0
    success: bool = False
    reason: str | None = None
    """Why the update failed for this user (None on success)."""

    @property
    def ok(self) -> bool:
        return self.success

    @staticmethod
    def succeeded_ids(results: Sequence[UserResult]) -> list[int]:
        """The users of `results` that succeeded, in order (see `MemberResult`)."""
        return [r.user_id for r in results if r.success]


class RegisterResult(Record):
    """The per-user outcome of a batch registration."""

    username: str | None = None
    user_id: int = 0
    """The new user's id (0 when registration failed)."""
    success: bool = False
    reason: str | None = None
    """Why this user was not registered (None on success)."""
