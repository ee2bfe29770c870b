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
    """Users."""
    GROUP = 2
    """Groups."""


class ContentType(IntEnum):
    """The kind of a message's content."""

    TEXT = 0
    """Plain text."""
    IMAGE = 1
    """An image."""
    AUDIO = 2
    """A voice recording."""
    VIDEO = 3
    """A video."""
    FILE = 4
    """A file."""
    LOCATION = 5
    """A location."""
    COMMAND = 6
    """A custom command."""
    FORWARD = 7
    """A forwarded message."""
    READ_ACK = 9
    """A read receipt for an earlier message."""
    RECALL = 10
    """The recall of an earlier message."""
    APPEND = 11
    """Code 11, which the API names `APPEND` without describing it."""
    REPLACE = 12
    """Code 12, which the API names `REPLACE` without describing it."""


class GroupType(IntEnum):
    """A private group or a chat room."""

    PRIVATE = 0
    """A private group."""
    CHATROOM = 2
    """A chat room."""


class GroupStatus(IntEnum):
    NORMAL = 0
    """The group is in use."""
    DESTROYED = 1
    """The group was dissolved."""


class ApplyApproval(IntEnum):
    """How applications to join a group are handled."""

    ACCEPT_ALL = 0
    """Every application is accepted."""
    ADMIN_APPROVAL = 1
    """An admin accepts or declines each application."""
    REJECT_ALL = 2
    """Every application is declined."""


class AuthMode(IntEnum):
    """How a user accepts friend applications."""

    ANYONE = 0
    """Anyone may add the user as a friend, unchecked."""
    CONFIRM = 1
    """The user accepts or declines each application."""
    QUESTION = 2
    """Applicants must answer the user's question correctly."""
    REJECT_ALL = 3
    """Every friend application is declined."""


class PushMessageType(str, Enum):
    """A push notification's type: shown text, shown image, or silent pass-through."""

    TEXT = "text"
    """A notification that shows text."""
    IMAGE = "image"
    """A notification that shows an image."""
    CMD = "cmd"
    """A silent pass-through message, not shown to the user."""


class DistributionStrategy(str, Enum):
    """Which channels deliver a push: Lanying's own, the OS vendors', or both."""

    COMBINED = "combined"
    """Lanying's channel first; the vendors' when the device is not online (the default)."""
    MXPUSH_ONLY = "mxpush_only"
    """Lanying's own channel only."""
    OSPUSH_ONLY = "ospush_only"
    """The OS vendors' channels only."""


class OsPushChannel(str, Enum):
    """An OS vendor push channel, for `PushSetting.ospush_sequence`."""

    UPS = "ups"
    """The domestic vendors' channels (Xiaomi, Huawei, Meizu, OPPO, vivo)."""
    FCM = "fcm"
    """Firebase Cloud Messaging."""
    HUAWEI = "huawei"
    """Huawei's channel."""
    XIAOMI = "xiaomi"
    """Xiaomi's channel."""
    OPPO = "oppo"
    """OPPO's channel."""
    VIVO = "vivo"
    """vivo's channel."""
    MEIZU = "meizu"
    """Meizu's channel."""


class ClickAction(str, Enum):
    """What tapping an Android notification does."""

    INTENT = "intent"
    """Open the page given by `intent`."""
    OPEN_APP = "open_app"
    """Open the app's home page."""
