"""Numeric and string codes of the API as enums.

Request arguments take these enums (plain ints/strings with the same value work
too). Response fields keep plain `int`/`str` so that a value added by a newer
server still decodes; compare them with these enums (`IntEnum` equals its int).
"""

from __future__ import annotations

from enum import Enum, IntEnum

__all__ = [
    "ApplyApproval",
    "AuthMode",
    "ClickAction",
    "ContentType",
    "DistributionStrategy",
    "GroupStatus",
    "GroupType",
    "OsPushChannel",
    "PushMessageType",
    "TargetType",
]


class TargetType(IntEnum):
    """Who a message goes to: users or groups (never mixed in one request)."""

    USER = 1
    GROUP = 2


class ContentType(IntEnum):
    """The kind of a message's content."""

    TEXT = 0
    IMAGE = 1
    AUDIO = 2
    VIDEO = 3
    FILE = 4
    LOCATION = 5
    COMMAND = 6
    FORWARD = 7
    READ_ACK = 9
    RECALL = 10
    APPEND = 11
    REPLACE = 12


class GroupType(IntEnum):
    """A private group or a chat room."""

    PRIVATE = 0
    CHATROOM = 2


class GroupStatus(IntEnum):
    NORMAL = 0
    DESTROYED = 1


class ApplyApproval(IntEnum):
    """How applications to join a group are handled."""

    ACCEPT_ALL = 0
    ADMIN_APPROVAL = 1
    REJECT_ALL = 2


class AuthMode(IntEnum):
    """How a user accepts friend applications."""

    ANYONE = 0
    CONFIRM = 1
    QUESTION = 2
    REJECT_ALL = 3


class PushMessageType(str, Enum):
    """A push notification's type: shown text, shown image, or silent pass-through."""

    TEXT = "text"
    IMAGE = "image"
    CMD = "cmd"


class DistributionStrategy(str, Enum):
    """Which channels deliver a push: Lanying's own, the OS vendors', or both."""

    COMBINED = "combined"
    MXPUSH_ONLY = "mxpush_only"
    OSPUSH_ONLY = "ospush_only"


class OsPushChannel(str, Enum):
    """An OS vendor push channel, for `PushSetting.ospush_sequence`."""

    UPS = "ups"
    FCM = "fcm"
    HUAWEI = "huawei"
    XIAOMI = "xiaomi"
    OPPO = "oppo"
    VIVO = "vivo"
    MEIZU = "meizu"


class ClickAction(str, Enum):
    """What tapping an Android notification does."""

    INTENT = "intent"
    OPEN_APP = "open_app"
