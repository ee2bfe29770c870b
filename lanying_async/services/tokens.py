"""User access tokens, obtained with a user's password."""

from __future__ import annotations

from lanying_async.models.base import Envelope
from lanying_async.models.tokens import (
    LoginNameTokenRequest,
    TokenInfo,
    UserIdTokenRequest,
    UsernameTokenRequest,
)
from lanying_async.services.base import Service, require_data
from lanying_async.transport.endpoint import Endpoint
from lanying_async.validation import check_id, check_text, optional_text

__all__ = ["TokensService"]

BY_USER_ID = Endpoint("POST", "/token/id", Envelope[TokenInfo])
BY_USERNAME = Endpoint("POST", "/token/user", Envelope[TokenInfo])
LOGIN = Endpoint("POST", "/token/login", Envelope[TokenInfo])


class TokensService(Service):
    """Operations under `/token`: a user's access token from their password.

    The returned [`TokenInfo.token`][lanying_async.models.tokens.TokenInfo.token] builds a client
    that acts only as that user: `LanyingClient(api_endpoint=..., app_id=...,
    access_token=token)`.
    """

    __slots__ = ()

    async def by_user_id(
        self, user_id: int, password: str, *, device_guid: str | None = None
    ) -> TokenInfo:
        """Get an access token for a user identified by id and password.

        `POST /token/id`. With `device_guid` the answer also carries that
        device's push token. Raises `UserNotFoundError` (10000) for an
        unknown user, `InvalidParameterError` (10002) for a wrong password and
        `PermissionDeniedError` (10010) when the user is disabled.
        """
        body = UserIdTokenRequest(
            user_id=check_id(user_id, "user_id"),
            password=check_text(password, "password"),
            device_guid=optional_text(device_guid, "device_guid"),
        )
        return require_data(await self._call(BY_USER_ID, body=body), BY_USER_ID)

    async def by_username(
        self, username: str, password: str, *, device_guid: str | None = None
    ) -> TokenInfo:
        """Get an access token for a user identified by username and password.

        `POST /token/user`. With `device_guid` the answer also carries that
        device's push token. Raises `UserNotFoundError` (10000) for an
        unknown username, `InvalidParameterError` (10002) for a wrong password
        and `PermissionDeniedError` (10010) when the user is disabled.
        """
        body = UsernameTokenRequest(
            name=check_text(username, "username"),
            password=check_text(password, "password"),
            device_guid=optional_text(device_guid, "device_guid"),
        )
        return require_data(await self._call(BY_USERNAME, body=body), BY_USERNAME)

    async def login(
        self, login_name: str, password: str, *, device_guid: str | None = None
    ) -> TokenInfo:
        """Get an access token for a user who logs in by username, mobile number or email.

        `POST /token/login`. `login_name` is matched against usernames
        first, then against bound mobile numbers and email addresses. Raises
        `UserNotFoundError` (10000) when nothing matches,
        `InvalidParameterError` (10002) for a wrong password and
        `PermissionDeniedError` (10010) when the user is disabled.
        """
        body = LoginNameTokenRequest(
            login_name=check_text(login_name, "login_name"),
            password=check_text(password, "password"),
            device_guid=optional_text(device_guid, "device_guid"),
        )
        return require_data(await self._call(LOGIN, body=body), LOGIN)
