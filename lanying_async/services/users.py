"""Users: registration, profile, settings and account management."""

from __future__ import annotations

from lanying_async.models.base import Envelope
from lanying_async.models.users import RegisterUserRequest, UserSettings
from lanying_async.services.base import require_data
from lanying_async.services.user_prefs import UserPrefsOps
from lanying_async.transport.endpoint import Endpoint
from lanying_async.validation import check_text, check_username

__all__ = ["UsersService"]

REGISTER = Endpoint("POST", "/user/register/v2", Envelope[UserSettings])


class UsersService(UserPrefsOps):
    """Operations under ``/user`` that manage accounts."""

    __slots__ = ()

    async def register(self, username: str, password: str) -> UserSettings:
        """Register a new user and return its id and default settings.

        ``POST /user/register/v2``. The username may hold letters, digits and
        underscores, must not be all digits and must not start with ``maxim`` or
        ``mta`` (checked before sending). Raises ``UserAlreadyExistsError`` (10004)
        when the name is taken, ``InvalidParameterError`` (10002) for bad input.
        """
        body = RegisterUserRequest(
            username=check_username(username), password=check_text(password, "password")
        )
        return require_data(await self._call(REGISTER, body=body), REGISTER)
