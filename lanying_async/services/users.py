"""Users: registration, profile, settings and account management."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from lanying_async.errors import ValidationError
from lanying_async.models.base import Envelope, PagedEnvelope
from lanying_async.models.users import (
    AvatarItem,
    AvatarRequest,
    BatchAvatarRequest,
    BatchProfileRequest,
    BatchRegisterRequest,
    DeleteUserRequest,
    DeviceInfo,
    OnlineStatus,
    PasswordChangeRequest,
    PasswordResetRequest,
    ProfileUpdate,
    PushUserRegisterRequest,
    RegisterResult,
    RegisterUserRequest,
    UpdateProfileRequest,
    UserIdsRequest,
    UserProfile,
    UserResult,
    UserSettings,
    UserSummary,
)
from lanying_async.pagination import Page, Paginator
from lanying_async.services.base import require_data
from lanying_async.services.user_prefs import UserPrefsOps
from lanying_async.services.users_bulk import UserBulkOps, check_profile_update
from lanying_async.transport.endpoint import Endpoint
from lanying_async.validation import (
    INT32_MAX,
    check_id,
    check_ids,
    check_int,
    check_text,
    check_username,
    json_text,
    optional_json_text,
    optional_text,
)

__all__ = ["DEFAULT_USER_PAGE", "MAX_USER_PAGE", "UsersService"]

REGISTER = Endpoint("POST", "/user/register/v2", Envelope[UserSettings])
REGISTER_BATCH = Endpoint("POST", "/user/register/batch", Envelope[list[RegisterResult]])
REGISTER_PUSH = Endpoint("POST", "/user/register/push", Envelope[UserSettings])
SET_AVATAR = Endpoint("PUT", "/user/avatar", Envelope[bool])
SET_AVATARS = Endpoint("PUT", "/user/avatar/batch", Envelope[list[UserResult]])
CHANGE_PASSWORD = Endpoint("POST", "/user/change_password", Envelope[bool])
RESET_PASSWORD = Endpoint("POST", "/user/change_password_admin", Envelope[bool])
DELETE = Endpoint("DELETE", "/user/delete", Envelope[bool])
DEVICES = Endpoint("GET", "/user/device/list", PagedEnvelope[DeviceInfo])
REMOVE_DEVICE = Endpoint("DELETE", "/user/device/remove", Envelope[bool])
DISABLE = Endpoint("PUT", "/user/disable", Envelope[bool])
ENABLE = Endpoint("PUT", "/user/enable", Envelope[bool])
KICK_DEVICE = Endpoint("PUT", "/user/kick", Envelope[bool])
LIST = Endpoint("GET", "/user/list", Envelope[list[UserSummary]])
SET_MOBILE = Endpoint("PUT", "/user/mobile", Envelope[bool])
SET_NICKNAME = Endpoint("PUT", "/user/nickname", Envelope[bool])
SET_USERNAME = Endpoint("PUT", "/user/username", Envelope[bool])
ONLINE_STATUS = Endpoint("GET", "/user/online_status", Envelope[OnlineStatus])
SET_PRIVATE_INFO = Endpoint("PUT", "/user/private", Envelope[bool])
SET_PUBLIC_INFO = Endpoint("PUT", "/user/public", Envelope[bool])
PROFILE = Endpoint("GET", "/user/profile", Envelope[UserProfile])
UPDATE_PROFILE = Endpoint("PUT", "/user/profile", Envelope[bool])
UPDATE_PROFILES = Endpoint("PUT", "/user/profile/batch", Envelope[list[UserResult]])

DEFAULT_USER_PAGE = 50
"""The page size `GET /user/list` uses when none is given."""
MAX_USER_PAGE = 200
"""The largest page `GET /user/list` serves."""

InfoText = str | Mapping[str, Any]
"""Extension info: a string, or a mapping sent as its JSON text."""


def _check_mapping(value: object, field: str) -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):
        raise ValidationError(field, "must be a mapping")
    if not value:
        raise ValidationError(field, "must not be empty")
    return value


class UsersService(UserBulkOps, UserPrefsOps):
    """Operations under `/user` that manage accounts.

    Operations on "the current user" act as the user of the view: call them on
    `client.as_user(user_id)` (or a client holding that user's token).
    """

    __slots__ = ()

    # --- registration ------------------------------------------------------

    async def register(self, username: str, password: str) -> UserSettings:
        """Register a new user and return its id and default settings.

        `POST /user/register/v2`. The username may hold letters, digits,
        underscores and CJK ideographs, must not be all digits and must not
        start with `maxim` or `mta` (lower case; checked before sending).
        Raises `UserAlreadyExistsError` (10004) when the name is taken,
        `InvalidParameterError` (10002) for bad input.
        """
        body = RegisterUserRequest(
            username=check_username(username), password=check_text(password, "password")
        )
        return require_data(await self._call(REGISTER, body=body), REGISTER)

    async def register_batch(self, users: Mapping[str, str]) -> list[RegisterResult]:
        """Register several users at once (`{username: password}`); one result per user.

        `POST /user/register/batch`. Every username must follow the same rule as
        [`register()`][lanying_async.services.users.UsersService.register] (checked before sending).
        A taken name fails only its own entry: the result says `success=False` with a `reason`.
        Needs the admin token; a user token gets `PermissionDeniedError` (10010).
        """
        entries = _check_mapping(users, "users")
        items = [
            RegisterUserRequest(
                username=check_username(name, f"users[{name!r}]"),
                password=check_text(password, f"users[{name!r}].password"),
            )
            for name, password in entries.items()
        ]
        envelope = await self._call(REGISTER_BATCH, body=BatchRegisterRequest(list=items))
        return envelope.data or []

    async def register_push_user(
        self,
        username: str,
        password: str,
        *,
        push_token: str | None = None,
        device_guid: str | None = None,
        alias: str | None = None,
        sign: str | None = None,
    ) -> UserSettings:
        """Register a user for push delivery, with its device's push token and alias.

        `POST /user/register/push`. Returns the new user's id and settings (`push_token`
        included). The username follows the rule of
        [`register()`][lanying_async.services.users.UsersService.register]. Raises
        `UserAlreadyExistsError` (10004) when the name is taken, `InvalidParameterError` (10002)
        for bad input.
        """
        body = PushUserRegisterRequest(
            username=check_username(username),
            password=check_text(password, "password"),
            push_token=optional_text(push_token, "push_token"),
            device_guid=optional_text(device_guid, "device_guid"),
            alias=optional_text(alias, "alias"),
            sign=optional_text(sign, "sign"),
        )
        return require_data(await self._call(REGISTER_PUSH, body=body), REGISTER_PUSH)

    # --- the current user's account ---------------------------------------

    async def profile(self) -> UserProfile:
        """The current user's profile: names, avatar, mobile, email and extension info.

        `GET /user/profile`. Needs a user view (`as_user`); without one the
        server answers `InvalidParameterError` (10002). A deleted user gives
        `UserNotFoundError` (10000).
        """
        return require_data(await self._call(PROFILE), PROFILE)

    async def update_profile(
        self,
        *,
        nick_name: str | None = None,
        description: str | None = None,
        public_info: InfoText | None = None,
        private_info: InfoText | None = None,
    ) -> bool:
        """Change some of the current user's profile fields; unset fields are kept.

        `PUT /user/profile`. At least one field must be given (checked before
        sending); `public_info`/`private_info` take a string or a mapping
        (sent as JSON text). Raises `InvalidParameterError` (10002) without a
        user view.
        """
        body = UpdateProfileRequest(
            nick_name=optional_text(nick_name, "nick_name"),
            description=optional_text(description, "description"),
            public_info=optional_json_text(public_info, "public_info", allow_empty=False),
            private_info=optional_json_text(private_info, "private_info", allow_empty=False),
        )
        if body == UpdateProfileRequest():
            raise ValidationError("profile", "set at least one field to update")
        return await self._flag(UPDATE_PROFILE, body=body)

    async def set_avatar(self, avatar: str) -> bool:
        """Set the current user's avatar to the URL of an uploaded image.

        `PUT /user/avatar`. Upload the image first (`files.user_avatar_upload_url`)
        and pass its URL. Raises `InvalidParameterError` (10002) without a user
        view or for an empty URL.
        """
        body = AvatarRequest(avatar=check_text(avatar, "avatar"))
        return await self._flag(SET_AVATAR, body=body)

    async def set_nickname(self, nickname: str) -> bool:
        """Set the current user's nickname (the name shown to other users).

        `PUT /user/nickname`; sent as the `nick_name` query parameter. Raises
        `InvalidParameterError` (10002) without a user view or for an empty name.
        """
        return await self._flag(
            SET_NICKNAME, params={"nick_name": check_text(nickname, "nickname")}
        )

    async def set_mobile(self, mobile: str) -> bool:
        """Set the current user's mobile phone number (friends can search by it).

        `PUT /user/mobile`; sent as the `mobile` query parameter. Raises
        `InvalidParameterError` (10002) without a user view or for an empty
        number.
        """
        return await self._flag(SET_MOBILE, params={"mobile": check_text(mobile, "mobile")})

    async def set_username(self, username: str) -> bool:
        """Rename the current user's login name; the new name must be unused.

        `PUT /user/username`; sent as the `username` query parameter. The
        spec states no rule for this parameter, so only a non-empty string is
        checked before sending. Raises `UserAlreadyExistsError` (10004) when
        another user has the name, `InvalidParameterError` (10002) for a name
        the server refuses.
        """
        return await self._flag(SET_USERNAME, params={"username": check_text(username, "username")})

    async def set_public_info(self, info: InfoText) -> bool:
        """Set the current user's public extension info, visible to friends and strangers.

        `PUT /user/public`. The body is the info text itself (a mapping is sent
        as its JSON text). Raises `InvalidParameterError` (10002) without a user
        view or for empty info.
        """
        return await self._send_text(SET_PUBLIC_INFO, json_text(info, "info", allow_empty=False))

    async def set_private_info(self, info: InfoText) -> bool:
        """Set the current user's private extension info, visible to that user alone.

        `PUT /user/private`. The body is the info text itself (a mapping is sent
        as its JSON text). Raises `InvalidParameterError` (10002) without a user
        view or for empty info.
        """
        return await self._send_text(SET_PRIVATE_INFO, json_text(info, "info", allow_empty=False))

    async def change_password(self, old_password: str, new_password: str) -> bool:
        """Change the current user's password, proving the old one.

        `POST /user/change_password`. Raises `InvalidParameterError` (10002)
        when the old password is wrong, the new one is empty, or there is no
        user view.
        """
        body = PasswordChangeRequest(
            old_password=check_text(old_password, "old_password"),
            new_password=check_text(new_password, "new_password"),
        )
        return await self._flag(CHANGE_PASSWORD, body=body)

    async def reset_password(self, password: str) -> bool:
        """Set a user's password as the app admin, without the old one.

        `POST /user/change_password_admin`. Call it on `client.as_user(user_id)`
        with the admin token; the user is the one named by the view. Raises
        `PermissionDeniedError` (10010) with a user's own token,
        `InvalidParameterError` (10002) without a user view.
        """
        body = PasswordResetRequest(password=check_text(password, "password"))
        return await self._flag(RESET_PASSWORD, body=body)

    async def delete(self, *, password: str | None = None) -> bool:
        """Delete the current user's account; later calls on it get `UserNotFoundError`.

        `DELETE /user/delete`. With the admin token (`as_user`) no password is
        needed; with the user's own token pass `password`. Raises
        `InvalidParameterError` (10002) when a needed password is missing or
        wrong, or without a user view.
        """
        body = DeleteUserRequest(password=optional_text(password, "password"))
        return await self._flag(DELETE, body=body)

    # --- devices and presence ----------------------------------------------

    async def devices(self) -> list[DeviceInfo]:
        """The devices the current user has logged in from.

        `GET /user/device/list`. Each has the `device_sn` that
        [`kick_device()`][lanying_async.services.users.UsersService.kick_device] and
        [`remove_device()`][lanying_async.services.users.UsersService.remove_device] take. Raises
        `InvalidParameterError` (10002) without a user view.
        """
        envelope = await self._call(DEVICES)
        return envelope.data or []

    async def kick_device(self, device_sn: int | None = None) -> bool:
        """Log the current user out of one device, or out of every device.

        `PUT /user/kick`. Without `device_sn` all devices are kicked. Raises
        `InvalidParameterError` (10002) for an unknown device or without a user
        view.
        """
        if device_sn is None:
            return await self._flag(KICK_DEVICE)
        return await self._flag(
            KICK_DEVICE,
            params={"device_sn": check_int(device_sn, "device_sn", minimum=0, maximum=INT32_MAX)},
        )

    async def remove_device(self, device_sn: int) -> bool:
        """Remove one of the current user's devices from its device list.

        `DELETE /user/device/remove`; the device goes as the `device_sn`
        query parameter. Raises `InvalidParameterError` (10002) for an unknown
        device or without a user view.
        """
        return await self._flag(
            REMOVE_DEVICE,
            params={"device_sn": check_int(device_sn, "device_sn", minimum=0, maximum=INT32_MAX)},
        )

    async def online_status(self) -> OnlineStatus:
        """Whether the current user is online (has at least one connected device).

        `GET /user/online_status`. Read `.online` of the result. Raises
        `InvalidParameterError` (10002) without a user view.
        """
        return require_data(await self._call(ONLINE_STATUS), ONLINE_STATUS)

    # --- administration (admin token) ---------------------------------------

    async def disable(self, user_ids: Iterable[int]) -> bool:
        """Disable accounts: the users are logged out and can no longer get tokens.

        `PUT /user/disable`. Needs the admin token. Raises `UserNotFoundError`
        (10000) when an id is unknown (nothing changes then),
        `PermissionDeniedError` (10010) with a user's token.
        """
        body = UserIdsRequest(list=check_ids(user_ids, "user_ids"))
        return await self._flag(DISABLE, body=body)

    async def enable(self, user_ids: Iterable[int]) -> bool:
        """Enable accounts disabled earlier, so the users can log in again.

        `PUT /user/enable`. Needs the admin token. Raises `UserNotFoundError`
        (10000) when an id is unknown (nothing changes then),
        `PermissionDeniedError` (10010) with a user's token.
        """
        body = UserIdsRequest(list=check_ids(user_ids, "user_ids"))
        return await self._flag(ENABLE, body=body)

    async def set_avatars(self, avatars: Mapping[int, str]) -> list[UserResult]:
        """Set several users' avatars at once (`{user_id: avatar_url}`); one result each.

        `PUT /user/avatar/batch`. An unknown user fails only its own entry
        (`success=False` with a `reason`). Needs the admin token; a user
        token gets `PermissionDeniedError` (10010).
        """
        entries = _check_mapping(avatars, "avatars")
        items = [
            AvatarItem(
                user_id=check_id(user_id, "avatars key"),
                avatar=check_text(url, f"avatars[{user_id!r}]"),
            )
            for user_id, url in entries.items()
        ]
        envelope = await self._call(SET_AVATARS, body=BatchAvatarRequest(list=items))
        return envelope.data or []

    async def update_profiles(self, updates: Iterable[ProfileUpdate]) -> list[UserResult]:
        """Change several users' profiles at once; one result per user.

        `PUT /user/profile/batch`. Each
        [`ProfileUpdate`][lanying_async.models.users.ProfileUpdate] names a user and the fields to
        change (at least one; unset fields are kept). An unknown user fails only its own entry.
        Needs the admin token; a user token gets `PermissionDeniedError` (10010).
        """
        if isinstance(updates, ProfileUpdate) or not isinstance(updates, Iterable):
            raise ValidationError("updates", "must be a list of ProfileUpdate")
        items = [check_profile_update(u, f"updates[{i}]") for i, u in enumerate(updates)]
        if not items:
            raise ValidationError("updates", "must not be empty")
        envelope = await self._call(UPDATE_PROFILES, body=BatchProfileRequest(list=items))
        return envelope.data or []

    def list(
        self, *, page_size: int = DEFAULT_USER_PAGE, page_num: int = 1
    ) -> Paginator[UserSummary]:
        """Every account of the app with its status, page by page (oldest first).

        `GET /user/list`. `page_size` is 1 to 200 (default 50); iteration
        starts at `page_num` (default 1) and asks for the next page number
        until a short page. Await it for one page, or `async for` every user.
        Needs the admin token; a user token gets `PermissionDeniedError` (10010).
        """
        size = check_int(page_size, "page_size", minimum=1, maximum=MAX_USER_PAGE)
        first = check_int(page_num, "page_num", minimum=1)

        async def fetch(token: str | int | None) -> Page[UserSummary]:
            number = first if token is None else int(token)
            params = {"page_num": number, "page_size": size}
            items = (await self._call(LIST, params=params)).data or []
            return Page(items=items, next_token=number + 1 if len(items) >= size else None)

        return Paginator(fetch)

    # --- helpers -------------------------------------------------------------

    async def _send_text(self, endpoint: Endpoint[Envelope[bool]], text: str) -> bool:
        """Send `text` itself as the body (the API reads it as a plain string)."""
        envelope = await self._transport.request(endpoint, self._scope, None, text.encode())
        return envelope.data is not False
