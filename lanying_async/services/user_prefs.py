"""A user's settings and push preferences (mixed into `UsersService`).

Every operation here acts on the view's user: call them on
`client.as_user(user_id).users` or on a client holding a user token. A
plain admin view has no user to act on and the server answers
`InvalidParameterError` (10002).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lanying_async.errors import ValidationError
from lanying_async.models.base import Envelope
from lanying_async.models.enums import AuthMode
from lanying_async.models.user_prefs import (
    BindPushTokenRequest,
    PushAliasRequest,
    PushBadgeRequest,
    PushTagsRequest,
    UpdateSettingsRequest,
)
from lanying_async.models.users import UserSettings
from lanying_async.services.base import Service, require_data
from lanying_async.transport.endpoint import Endpoint
from lanying_async.validation import (
    INT32_MAX,
    check_bool,
    check_enum,
    check_id,
    check_int,
    check_strings,
    check_text,
    optional_bool,
    optional_text,
)

__all__ = ["UserPrefsOps"]

SET_AUTH_MODE = Endpoint("PUT", "/user/authmode", Envelope[bool])
SET_AUTO_DOWNLOAD = Endpoint("PUT", "/user/download", Envelope[bool])
SET_NO_PUSH = Endpoint("PUT", "/user/push", Envelope[bool])
SET_PUSH_ALIAS = Endpoint("POST", "/user/push/alias", Envelope[bool])
SET_PUSH_BADGE = Endpoint("POST", "/user/push/badge", Envelope[bool])
SET_NO_PUSH_DETAIL = Endpoint("PUT", "/user/push/detail", Envelope[bool])
SET_PUSH_QUIET_HOURS = Endpoint("PUT", "/user/push/limit", Envelope[bool])
SET_PUSH_NICKNAME = Endpoint("PUT", "/user/push/nickname", Envelope[bool])
PUSH_TAGS = Endpoint("GET", "/user/push/tag", Envelope[list[str]])
ADD_PUSH_TAGS = Endpoint("POST", "/user/push/tag", Envelope[bool])
REMOVE_PUSH_TAGS = Endpoint("DELETE", "/user/push/tag", Envelope[bool])
CLEAR_PUSH_TAGS = Endpoint("DELETE", "/user/push/tag/all", Envelope[bool])
SETTINGS = Endpoint("GET", "/user/settings", Envelope[UserSettings])
UPDATE_SETTINGS = Endpoint("PUT", "/user/settings", Envelope[bool])
SET_NO_SOUNDS = Endpoint("PUT", "/user/sounds", Envelope[bool])
SET_VIBRATORY = Endpoint("PUT", "/user/vibratory", Envelope[bool])
BIND_PUSH_TOKEN = Endpoint("PUT", "/user/token/bind", Envelope[bool])
UNBIND_PUSH_TOKEN = Endpoint("DELETE", "/user/token/unbind", Envelope[Any])


def _flag_param(value: object, field: str) -> str:
    """A bool as the `true`/`false` query value the API expects."""
    return "true" if check_bool(value, field) else "false"


def _hour(value: object, field: str) -> int:
    """An hour of the day, 0 to 23."""
    return check_int(value, field, minimum=0, maximum=23, kind="an int hour")


def _optional_hour(value: int | None, field: str) -> int | None:
    return None if value is None else _hour(value, field)


class UserPrefsOps(Service):
    """The current user's settings, notification switches and push targeting."""

    __slots__ = ()

    def _scope_user_id(self) -> int | None:
        raw = self._scope.headers.get("user_id")
        return None if raw is None else int(raw)

    def _settings_user(self, user_id: int | None) -> int:
        """The user a `PUT /user/settings` names in its body, which the API requires."""
        if user_id is not None:
            return check_id(user_id, "user_id")
        acting = self._scope_user_id()
        if acting is None:
            raise ValidationError(
                "user_id",
                "is required by PUT /user/settings: call on as_user(...) or pass user_id",
            )
        return acting

    async def settings(self) -> UserSettings:
        """Read every setting of the current user in one call.

        `GET /user/settings`. Returns [`UserSettings`][lanying_async.models.users.UserSettings]
        (notification switches, quiet hours, friend-request mode, push nickname...); compare
        `auth_mode` with [`AuthMode`][lanying_async.models.enums.AuthMode]. Raises
        `InvalidParameterError` (10002) on a view that does not act as a user.
        """
        return require_data(await self._call(SETTINGS), SETTINGS)

    async def update_settings(
        self,
        *,
        auto_download: bool | None = None,
        group_confirm: bool | None = None,
        no_sounds: bool | None = None,
        no_push: bool | None = None,
        vibratory: bool | None = None,
        no_push_detail: bool | None = None,
        auth_mode: AuthMode | int | None = None,
        auth_question: str | None = None,
        auth_answer: str | None = None,
        no_push_start_hour: int | None = None,
        no_push_end_hour: int | None = None,
        silence_start_time: int | None = None,
        silence_end_time: int | None = None,
        push_nick_name: str | None = None,
        user_id: int | None = None,
    ) -> bool:
        """Change several settings of the current user at once; the ones not passed are kept.

        `PUT /user/settings`. At least one setting must be given; hours are 0 to 23 and
        `auth_mode` an [`AuthMode`][lanying_async.models.enums.AuthMode] (checked before sending).
        `AuthMode.QUESTION` needs a question and answer, given here or stored earlier. The body
        names the user, as the API requires: the view's user (`as_user`) unless `user_id` is
        given, which a client holding a user's own token must pass. Raises `InvalidParameterError`
        (10002) when the server refuses a value, `PermissionDeniedError` (10010) for another
        user's settings.
        """
        body = UpdateSettingsRequest(
            auto_download=optional_bool(auto_download, "auto_download"),
            group_confirm=optional_bool(group_confirm, "group_confirm"),
            no_sounds=optional_bool(no_sounds, "no_sounds"),
            no_push=optional_bool(no_push, "no_push"),
            vibratory=optional_bool(vibratory, "vibratory"),
            no_push_detail=optional_bool(no_push_detail, "no_push_detail"),
            auth_mode=None if auth_mode is None else check_enum(AuthMode, auth_mode, "auth_mode"),
            auth_question=optional_text(auth_question, "auth_question", allow_empty=True),
            auth_answer=optional_text(auth_answer, "auth_answer", allow_empty=True),
            no_push_start_hour=_optional_hour(no_push_start_hour, "no_push_start_hour"),
            no_push_end_hour=_optional_hour(no_push_end_hour, "no_push_end_hour"),
            silence_start_time=_optional_hour(silence_start_time, "silence_start_time"),
            silence_end_time=_optional_hour(silence_end_time, "silence_end_time"),
            push_nick_name=optional_text(push_nick_name, "push_nick_name", allow_empty=True),
        )
        if body == UpdateSettingsRequest():
            raise ValidationError("settings", "pass at least one setting to change")
        body.user_id = self._settings_user(user_id)
        return await self._flag(UPDATE_SETTINGS, body=body)

    async def set_auth_mode(
        self,
        mode: AuthMode | int,
        *,
        question: str | None = None,
        answer: str | None = None,
    ) -> bool:
        """Choose how the current user accepts friend requests (an
        [`AuthMode`][lanying_async.models.enums.AuthMode]).

        `PUT /user/authmode`. `AuthMode.QUESTION` lets in whoever answers the user's question:
        pass `question` and `answer` together to set them with the mode in one request (then
        sent as `PUT /user/settings`, on a view acting as a user; with a user's own token use
        [`update_settings()`][lanying_async.services.user_prefs.UserPrefsOps.update_settings] and
        its `user_id`), or omit both to keep the stored ones. Raises `InvalidParameterError`
        (10002) when the server has no question for that mode.
        """
        value = check_enum(AuthMode, mode, "mode")
        if question is None and answer is None:
            return await self._flag(SET_AUTH_MODE, params={"value": int(value)})
        if value is not AuthMode.QUESTION:
            raise ValidationError(
                "question" if question is not None else "answer",
                "is only used with AuthMode.QUESTION",
            )
        if question is None:
            raise ValidationError("question", "must be given together with answer")
        if answer is None:
            raise ValidationError("answer", "must be given together with question")
        body = UpdateSettingsRequest(
            user_id=self._settings_user(None),
            auth_mode=value,
            auth_question=check_text(question, "question"),
            auth_answer=check_text(answer, "answer"),
        )
        return await self._flag(UPDATE_SETTINGS, body=body)

    async def set_auto_download(self, enabled: bool) -> bool:
        """Turn the automatic download of thumbnails and files on or off for the current user.

        `PUT /user/download`. Sent as `value=true`/`false`. Raises
        `InvalidParameterError` (10002) on a view that does not act as a user.
        """
        return await self._flag(
            SET_AUTO_DOWNLOAD, params={"value": _flag_param(enabled, "enabled")}
        )

    async def set_no_push(self, disabled: bool) -> bool:
        """Switch push notifications off (`True`) or back on (`False`) for the current user.

        `PUT /user/push`. Sent as `value=true`/`false`; `true` means the
        user receives no pushes. Raises `InvalidParameterError` (10002) on a
        view that does not act as a user.
        """
        return await self._flag(SET_NO_PUSH, params={"value": _flag_param(disabled, "disabled")})

    async def set_no_push_detail(self, hidden: bool) -> bool:
        """Hide (`True`) or show (`False`) message content in the current user's pushes.

        `PUT /user/push/detail`. With details hidden a push only says that a
        message arrived. Raises `InvalidParameterError` (10002) on a view that
        does not act as a user.
        """
        return await self._flag(SET_NO_PUSH_DETAIL, params={"value": _flag_param(hidden, "hidden")})

    async def set_no_sounds(self, muted: bool) -> bool:
        """Mute (`True`) or unmute (`False`) the sound played when a new message arrives.

        `PUT /user/sounds`. Applies to the current user's devices. Raises
        `InvalidParameterError` (10002) on a view that does not act as a user.
        """
        return await self._flag(SET_NO_SOUNDS, params={"value": _flag_param(muted, "muted")})

    async def set_vibratory(self, enabled: bool) -> bool:
        """Turn vibration on new messages on (`True`) or off (`False`) for the current user.

        `PUT /user/vibratory`. Applies to the current user's devices. Raises
        `InvalidParameterError` (10002) on a view that does not act as a user.
        """
        return await self._flag(SET_VIBRATORY, params={"value": _flag_param(enabled, "enabled")})

    async def set_push_quiet_hours(self, start_hour: int, end_hour: int) -> bool:
        """Set the daily do-not-disturb window of the current user's pushes.

        `PUT /user/push/limit`. `start_hour` and `end_hour` are hours of
        the day from 0 to 23 (checked before sending); a window may wrap past
        midnight, e.g. 22 to 7. Raises `InvalidParameterError` (10002) when
        the server refuses an hour.
        """
        params = {
            "no_push_start_hour": _hour(start_hour, "start_hour"),
            "no_push_end_hour": _hour(end_hour, "end_hour"),
        }
        return await self._flag(SET_PUSH_QUIET_HOURS, params=params)

    async def set_push_nickname(self, nickname: str) -> bool:
        """Set the sender name shown in the push notifications of the current user's messages.

        `PUT /user/push/nickname`. The nickname must not be empty (checked
        before sending). Raises `InvalidParameterError` (10002) on a view that
        does not act as a user.
        """
        return await self._flag(
            SET_PUSH_NICKNAME, params={"value": check_text(nickname, "nickname")}
        )

    async def set_push_alias(self, alias: str, *, push_token: str | None = None) -> bool:
        """Bind an alias to the current user so that pushes can target it by name.

        `POST /user/push/alias`. A user has one alias and an alias names one
        user: binding it again replaces the user's previous alias, and an alias
        held by another user moves to this one. `push_token` names the device
        it belongs to. Raises `InvalidParameterError` (10002) for an empty alias.
        """
        body = PushAliasRequest(
            alias=check_text(alias, "alias"),
            push_token=optional_text(push_token, "push_token"),
        )
        return await self._flag(SET_PUSH_ALIAS, body=body)

    async def set_push_badge(self, badge: int) -> bool:
        """Set the badge number the current user's app icon shows (0 clears it).

        `POST /user/push/badge`. `badge` is an int from 0 to 2**31-1
        (checked before sending); later pushes count on from it. Raises
        `InvalidParameterError` (10002) when the server refuses the value.
        """
        return await self._flag(
            SET_PUSH_BADGE,
            body=PushBadgeRequest(badge=check_int(badge, "badge", minimum=0, maximum=INT32_MAX)),
        )

    async def push_tags(self) -> list[str]:
        """The push tags bound to the current user, in the order they were added.

        `GET /user/push/tag`. Pushes sent to `Audience.tags([...])` reach
        the users holding any of those tags. Raises `InvalidParameterError`
        (10002) on a view that does not act as a user.
        """
        envelope = await self._call(PUSH_TAGS)
        return envelope.data or []

    async def add_push_tags(self, tags: Iterable[str]) -> bool:
        """Bind push tags to the current user; tags it already holds are kept once.

        `POST /user/push/tag`. `tags` is a non-empty list of non-empty
        strings (checked before sending). Raises `InvalidParameterError`
        (10002) when the server refuses the list.
        """
        body = PushTagsRequest(tags=check_strings(tags, "tags"))
        return await self._flag(ADD_PUSH_TAGS, body=body)

    async def remove_push_tags(self, tags: Iterable[str]) -> bool:
        """Unbind the given push tags from the current user; tags it does not hold are ignored.

        `DELETE /user/push/tag` with the tags in a JSON body. `tags` is a
        non-empty list of non-empty strings (checked before sending). Raises
        `InvalidParameterError` (10002) when the server refuses the list.
        """
        body = PushTagsRequest(tags=check_strings(tags, "tags"))
        return await self._flag(REMOVE_PUSH_TAGS, body=body)

    async def clear_push_tags(self) -> bool:
        """Unbind every push tag of the current user at once.

        `DELETE /user/push/tag/all`. Succeeds as well when the user holds no
        tags. Raises `InvalidParameterError` (10002) on a view that does not
        act as a user.
        """
        return await self._flag(CLEAR_PUSH_TAGS)

    async def bind_push_token(self, device_sn: int, device_token: str, notifier_name: str) -> bool:
        """Bind an OS vendor push token (APNs, FCM, Huawei...) to one of the current user's devices.

        `PUT /user/token/bind`. `device_sn` is the device's serial number,
        `notifier_name` the push certificate configured for the app. A token
        bound to another user or device moves to this one. Raises
        `InvalidParameterError` (10002) for a missing value.
        """
        body = BindPushTokenRequest(
            device_sn=check_int(device_sn, "device_sn", minimum=0, maximum=INT32_MAX),
            device_token=check_text(device_token, "device_token"),
            notifier_name=check_text(notifier_name, "notifier_name"),
        )
        return await self._flag(BIND_PUSH_TOKEN, body=body)

    async def unbind_push_token(self, device_sn: int) -> None:
        """Remove the push token bound to one of the current user's devices, if any.

        `DELETE /user/token/unbind` with `deviceSn` in the query. The device
        stops receiving vendor pushes; unbinding a device without a token is not
        an error. Raises `InvalidParameterError` (10002) for a bad serial number.
        """
        await self._call(
            UNBIND_PUSH_TOKEN,
            params={"deviceSn": check_int(device_sn, "device_sn", minimum=0, maximum=INT32_MAX)},
        )
