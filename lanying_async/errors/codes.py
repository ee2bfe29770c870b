"""Business error codes: one exception class per documented code, and the registry.

The registry maps a code to its class. Unknown codes fall back to the base class of their range
(1xxxx user/friend, 12xxx push, 2xxxx group, 3xxxx license, 4xxxx app) and finally to
[`LanyingAPIError`][lanying_async.errors.base.LanyingAPIError], always keeping the code. Register
your own classes with
[`ErrorRegistry.register()`][lanying_async.errors.codes.ErrorRegistry.register].
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from lanying_async.errors.base import LanyingAPIError

__all__ = [
    "AlreadyFriendsError",
    "AlreadyGroupMemberError",
    "AnnouncementDisabledError",
    "AnnouncementNotFoundError",
    "AppAPIError",
    "AppGroupLimitError",
    "AppNotFoundError",
    "CreatedGroupLimitError",
    "ErrorRegistry",
    "FriendApplicationDeclinedError",
    "FriendApplicationNotFoundError",
    "GroupAPIError",
    "GroupAdminRequiredError",
    "GroupApplicationExpiredError",
    "GroupBlockedUserError",
    "GroupFullError",
    "GroupInRepairModeError",
    "GroupInvitationExpiredError",
    "GroupMemberRequiredError",
    "GroupNotFoundError",
    "GroupOwnerRequiredError",
    "GroupQrCodeExpiredError",
    "InvalidAccessTokenError",
    "InvalidGroupQrCodeError",
    "InvalidMsgPushModeError",
    "InvalidParameterError",
    "JoinedGroupLimitError",
    "KickLimitExceededError",
    "LicenseAPIError",
    "LicenseExpiredError",
    "LicenseInvalidError",
    "LicenseLimitExceededError",
    "MissingAccessTokenError",
    "NotGroupMemberError",
    "OwnerCannotLeaveError",
    "PermissionDeniedError",
    "PushAPIError",
    "PushImageTooLargeError",
    "PushImageUnreachableError",
    "PushImageUploadOppoError",
    "PushImageUploadXiaomiError",
    "PushNotEnabledError",
    "PushTargetLimitError",
    "ServerDatabaseError",
    "SharedFileNotFoundError",
    "SharedFilePermissionError",
    "StorageServiceError",
    "TransferTargetNotMemberError",
    "UserAPIError",
    "UserAlreadyExistsError",
    "UserBlockedError",
    "UserIdAlreadyBoundError",
    "UserNotFoundError",
    "VerificationCodeError",
    "default_registry",
]

E = TypeVar("E", bound=type[LanyingAPIError])


# --- domain bases -----------------------------------------------------------


class UserAPIError(LanyingAPIError):
    """Codes 10xxx: users and friends."""


class PushAPIError(LanyingAPIError):
    """Codes 12xxx: push notifications."""


class GroupAPIError(LanyingAPIError):
    """Codes 2xxxx: groups."""


class LicenseAPIError(LanyingAPIError):
    """Codes 3xxxx: the server licence."""


class AppAPIError(LanyingAPIError):
    """Codes 4xxxx: the app itself."""


# --- 10xxx users and friends ------------------------------------------------


class UserNotFoundError(UserAPIError):
    default_code = 10000


class VerificationCodeError(UserAPIError):
    default_code = 10001


class InvalidParameterError(UserAPIError):
    default_code = 10002


class MissingAccessTokenError(UserAPIError):
    default_code = 10003


class UserAlreadyExistsError(UserAPIError):
    default_code = 10004


class AlreadyFriendsError(UserAPIError):
    default_code = 10005


class UserBlockedError(UserAPIError):
    default_code = 10006


class FriendApplicationNotFoundError(UserAPIError):
    default_code = 10007


class InvalidAccessTokenError(UserAPIError):
    default_code = 10008


class StorageServiceError(UserAPIError):
    default_code = 10009


class PermissionDeniedError(UserAPIError):
    default_code = 10010


class UserIdAlreadyBoundError(UserAPIError):
    default_code = 10011


class FriendApplicationDeclinedError(UserAPIError):
    default_code = 10012


# --- 12xxx push -------------------------------------------------------------


class PushImageUploadXiaomiError(PushAPIError):
    default_code = 12001


class PushImageTooLargeError(PushAPIError):
    default_code = 12002


class PushImageUploadOppoError(PushAPIError):
    default_code = 12003


class PushImageUnreachableError(PushAPIError):
    default_code = 12004


class PushTargetLimitError(PushAPIError):
    default_code = 12005


class PushNotEnabledError(PushAPIError):
    default_code = 12006


# --- 2xxxx groups -----------------------------------------------------------


class ServerDatabaseError(GroupAPIError):
    default_code = 20000


class GroupNotFoundError(GroupAPIError):
    default_code = 20001


class NotGroupMemberError(GroupAPIError):
    default_code = 20002


class InvalidMsgPushModeError(GroupAPIError):
    default_code = 20003


class OwnerCannotLeaveError(GroupAPIError):
    default_code = 20004


class TransferTargetNotMemberError(GroupAPIError):
    default_code = 20005


class GroupInRepairModeError(GroupAPIError):
    default_code = 20006


class AppGroupLimitError(GroupAPIError):
    default_code = 20007


class CreatedGroupLimitError(GroupAPIError):
    default_code = 20008


class JoinedGroupLimitError(GroupAPIError):
    default_code = 20009


class GroupFullError(GroupAPIError):
    default_code = 20010


class GroupMemberRequiredError(GroupAPIError):
    default_code = 20011


class GroupAdminRequiredError(GroupAPIError):
    default_code = 20012


class GroupOwnerRequiredError(GroupAPIError):
    default_code = 20013


class GroupApplicationExpiredError(GroupAPIError):
    default_code = 20014


class GroupInvitationExpiredError(GroupAPIError):
    default_code = 20015


class KickLimitExceededError(GroupAPIError):
    default_code = 20016


class AlreadyGroupMemberError(GroupAPIError):
    default_code = 20017


class GroupBlockedUserError(GroupAPIError):
    default_code = 20018


class AnnouncementNotFoundError(GroupAPIError):
    default_code = 20020


class AnnouncementDisabledError(GroupAPIError):
    default_code = 20021


class SharedFileNotFoundError(GroupAPIError):
    default_code = 20022


class SharedFilePermissionError(GroupAPIError):
    default_code = 20023


class InvalidGroupQrCodeError(GroupAPIError):
    default_code = 20024


class GroupQrCodeExpiredError(GroupAPIError):
    default_code = 20025


# --- 3xxxx licence ----------------------------------------------------------


class LicenseInvalidError(LicenseAPIError):
    default_code = 30021


class LicenseExpiredError(LicenseAPIError):
    default_code = 30022


class LicenseLimitExceededError(LicenseAPIError):
    default_code = 30023


# --- 4xxxx app --------------------------------------------------------------


class AppNotFoundError(AppAPIError):
    default_code = 40000


# --- registry ---------------------------------------------------------------

# Range fallbacks, checked in order (the 12xxx push range sits inside 1xxxx).
_RANGES: tuple[tuple[int, int, type[LanyingAPIError]], ...] = (
    (12000, 12999, PushAPIError),
    (10000, 19999, UserAPIError),
    (20000, 29999, GroupAPIError),
    (30000, 39999, LicenseAPIError),
    (40000, 49999, AppAPIError),
)


class ErrorRegistry:
    """Maps business codes to exception classes."""

    __slots__ = ("_classes",)

    def __init__(self) -> None:
        self._classes: dict[int, type[LanyingAPIError]] = {}

    def register(self, code: int, cls: type[LanyingAPIError]) -> None:
        """Raise `cls` for `code` from now on (replacing any earlier class)."""
        if not (isinstance(cls, type) and issubclass(cls, LanyingAPIError)):
            raise TypeError("cls must be a subclass of LanyingAPIError")
        self._classes[code] = cls

    def error_class(self, code: int) -> Callable[[E], E]:
        """Class decorator form of
        [`register()`][lanying_async.errors.codes.ErrorRegistry.register]."""

        def decorate(cls: E) -> E:
            self.register(code, cls)
            return cls

        return decorate

    def lookup(self, code: int) -> type[LanyingAPIError]:
        """The class for `code`: exact match, then its range's base, then the root."""
        cls = self._classes.get(code)
        if cls is not None:
            return cls
        for low, high, base in _RANGES:
            if low <= code <= high:
                return base
        return LanyingAPIError

    def build(
        self, code: int, message: str | None, method: str = "", path: str = ""
    ) -> LanyingAPIError:
        """An exception instance for `code` (not raised)."""
        return self.lookup(code)(code, message, method, path)

    def codes(self) -> dict[int, type[LanyingAPIError]]:
        """A copy of the explicit code → class mapping."""
        return dict(self._classes)

    def copy(self) -> ErrorRegistry:
        """An independent registry starting from this one's mapping."""
        other = ErrorRegistry()
        other._classes.update(self._classes)
        return other


def _documented() -> list[type[LanyingAPIError]]:
    found: list[type[LanyingAPIError]] = []
    stack: list[type[LanyingAPIError]] = [LanyingAPIError]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub.__module__ == __name__:
                stack.append(sub)
                if sub.default_code:
                    found.append(sub)
    return found


default_registry = ErrorRegistry()
"""The registry used by every client unless one is passed explicitly."""
for _cls in _documented():
    default_registry.register(_cls.default_code, _cls)
del _cls
