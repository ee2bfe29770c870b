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
    """The new user's username."""
    password: str
    """The new user's password."""


class BatchRegisterRequest(Request):
    """Body of `POST /user/register/batch`."""

    list: builtins.list[RegisterUserRequest]
    """The users to register."""


class PushUserRegisterRequest(Request):
    """Body of `POST /user/register/push`."""

    username: str
    """The new user's username."""
    password: str
    """The new user's password."""
    alias: str | None = None
    """An alias for the user's push device."""
    device_guid: str | None = None
    """The id of the device registering."""
    push_token: str | None = None
    """The device's push token."""
    sign: str | None = None
    """The request's signature."""


class AvatarRequest(Request):
    avatar: str
    """The avatar's URL."""


class AvatarItem(Request):
    """One user's new avatar in a batch update."""

    user_id: int
    """The user whose avatar changes."""
    avatar: str
    """The new avatar's URL."""


class BatchAvatarRequest(Request):
    list: builtins.list[AvatarItem]
    """The avatar changes, one per user."""


class PasswordChangeRequest(Request):
    old_password: str
    """The user's current password."""
    new_password: str
    """The password to change to."""


class PasswordResetRequest(Request):
    password: str
    """The user's new password."""


class DeleteUserRequest(Request):
    password: str | None = None
    """Needed only when the call is made with the user's own token."""


class UserIdsRequest(Request):
    """A `{"list": [user ids]}` body (disable, enable)."""

    list: builtins.list[int]
    """The user ids."""


class UpdateProfileRequest(Request):
    """Profile fields to change; fields left unset are kept as they are."""

    nick_name: str | None = None
    """The new nickname."""
    description: str | None = None
    """The new self-description."""
    public_info: str | None = None
    """New public information, which friends and strangers can see."""
    private_info: str | None = None
    """New private information, which only the user can see."""


class ProfileUpdate(Request):
    """One user's profile changes in a batch update (unset fields are kept)."""

    user_id: int
    """The user whose profile changes."""
    nick_name: str | None = None
    """The new nickname."""
    description: str | None = None
    """The new self-description."""
    public_info: str | None = None
    """New public information, which friends and strangers can see."""
    private_info: str | None = None
    """New private information, which only the user can see."""


class BatchProfileRequest(Request):
    list: builtins.list[ProfileUpdate]
    """The profile changes, one per user."""


# --- responses ---------------------------------------------------------------


class UserSettings(Record):
    """A user's id and settings, as returned by registration and `GET /user/settings`.

    `auth_mode` compares equal to [`AuthMode`][lanying_async.models.enums.AuthMode] members.
    `id` is the id the server gives the settings record itself, which the
    spec lists without saying more; the user is `user_id`.
    """

    user_id: int = 0
    """The user the settings belong to."""
    id: int | None = None
    """The settings record's own id."""
    auto_download: bool = False
    """Whether files download automatically."""
    group_confirm: bool = False
    """Whether group invitations need the user's consent (false: accepted automatically)."""
    no_sounds: bool = False
    """Whether incoming messages play no sound."""
    no_push: bool = False
    """Whether push notifications are off."""
    vibratory: bool = False
    """Whether the device vibrates on incoming messages."""
    no_push_detail: bool = False
    """Whether push notifications leave out the message details."""
    auth_mode: int = 0
    """How others may add the user as a friend."""
    auth_question: str | None = None
    """The question a friend applicant must answer."""
    auth_answer: str | None = None
    """The expected answer to `auth_question`."""
    no_push_start_hour: int = 0
    """Hour (0-23) at which push do-not-disturb begins."""
    no_push_end_hour: int = 0
    """Hour (0-23) at which push do-not-disturb ends."""
    silence_start_time: int | None = None
    """Hour (0-23) at which silent pushes (no alert) begin."""
    silence_end_time: int | None = None
    """Hour (0-23) at which silent pushes (no alert) end."""
    push_nick_name: str | None = None
    """The name shown for the user in push notifications."""
    push_token: str | None = None
    """The user's push token."""


class UserProfile(Record):
    """A user's profile. `private_info` is visible to the user alone."""

    user_id: int = 0
    """The user's id."""
    username: str | None = None
    """The user's username."""
    nick_name: str | None = None
    """The user's nickname."""
    avatar: str | None = None
    """The avatar's URL."""
    mobile: str | None = None
    """The user's mobile number."""
    email: str | None = None
    """The user's email address."""
    description: str | None = None
    """The user's self-description."""
    public_info: str | None = None
    """Visible to friends and strangers alike."""
    private_info: str | None = None
    """Private information, which only the user can see."""


class UserSummary(Record):
    """One account as listed by `GET /user/list`.

    `status` compares with [`UserStatus`][lanying_async.models.users.UserStatus] (0 normal, 1
    disabled).
    """

    user_id: int = 0
    """The user's id."""
    username: str | None = None
    """The user's username."""
    status: int = 0
    """0 for a normal account, 1 for a disabled one."""

    @property
    def disabled(self) -> bool:
        return self.status == UserStatus.DISABLED


class DeviceInfo(Record):
    """One device a user logged in from; `platform` compares with
    [`DevicePlatform`][lanying_async.models.users.DevicePlatform]."""

    user_id: int = 0
    """The user the device belongs to."""
    device_sn: int = 0
    """The device's serial number (what `kick_device`/`remove_device` take)."""
    platform: int = 0
    """The device's platform (1 iOS, 2 Android, 3 Windows, 4 macOS, 5 Linux, 6 web)."""
    user_agent: str | None = None
    """A description of the device."""


class OnlineStatus(Record):
    """Whether a user has at least one device online."""

    online: bool = False
    """True when the user is online."""


class UserResult(Record):
    """The per-user outcome of a batch update (avatars, profiles)."""

    user_id: int = 0
    """The user the outcome is for."""
    success: bool = False
    """Whether the update succeeded for this user."""
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
    """The username that was to be registered."""
    user_id: int = 0
    """The new user's id (0 when registration failed)."""
    success: bool = False
    """Whether this user was registered."""
    reason: str | None = None
    """Why this user was not registered (None on success)."""
