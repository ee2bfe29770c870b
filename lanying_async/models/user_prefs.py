"""Models for a user's settings and push preferences.

The settings themselves are read as [`UserSettings`][lanying_async.models.users.UserSettings]
(`GET /user/settings`); the request bodies below are what the setters send.
"""

from __future__ import annotations

from lanying_async.models.base import Request
from lanying_async.models.enums import AuthMode

__all__ = [
    "BindPushTokenRequest",
    "PushAliasRequest",
    "PushBadgeRequest",
    "PushTagsRequest",
    "UpdateSettingsRequest",
]


class PushAliasRequest(Request):
    """Body of `POST /user/push/alias`: the alias pushes can target this user by."""

    alias: str
    """The alias to give the user's push device."""
    push_token: str | None = None
    """The push token of the device the alias is attached to (optional)."""


class PushBadgeRequest(Request):
    """Body of `POST /user/push/badge`: the app icon's badge number."""

    badge: int
    """The new badge number."""


class PushTagsRequest(Request):
    """Body of `POST`/`DELETE /user/push/tag`: the tags to add or remove."""

    tags: list[str]
    """The push tags."""


class BindPushTokenRequest(Request):
    """Body of `PUT /user/token/bind`: a device's OS vendor push token."""

    device_sn: int
    """The serial number of the user's device the token belongs to."""
    device_token: str
    """The token the vendor (APNs, FCM, Huawei, ...) issued to the device."""
    notifier_name: str
    """The name of the push certificate (notifier) configured for the app."""


class UpdateSettingsRequest(Request):
    """Body of `PUT /user/settings`; fields left unset keep their current value.

    `auth_mode` takes [`AuthMode`][lanying_async.models.enums.AuthMode] values; the hour fields
    take 0 to 23.
    """

    user_id: int | None = None
    """The user whose settings change (required by the API; the SDK always fills it)."""
    auto_download: bool | None = None
    """Whether files download automatically."""
    group_confirm: bool | None = None
    """Whether group invitations wait for this user's consent."""
    no_sounds: bool | None = None
    """Whether incoming messages play no sound."""
    no_push: bool | None = None
    """Whether push notifications are off."""
    vibratory: bool | None = None
    """Whether the device vibrates on incoming messages."""
    no_push_detail: bool | None = None
    """Whether push notifications leave out the message details."""
    auth_mode: AuthMode | None = None
    """How others may add the user as a friend."""
    auth_question: str | None = None
    """The question a friend applicant must answer."""
    auth_answer: str | None = None
    """The expected answer to `auth_question`."""
    no_push_start_hour: int | None = None
    """Hour (0-23) at which push do-not-disturb begins."""
    no_push_end_hour: int | None = None
    """Hour (0-23) at which push do-not-disturb ends."""
    silence_start_time: int | None = None
    """Hour (0-23) at which silent pushes (no alert) begin."""
    silence_end_time: int | None = None
    """Hour (0-23) at which silent pushes (no alert) end."""
    push_nick_name: str | None = None
    """The name shown for the user in push notifications."""
