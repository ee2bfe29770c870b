"""Typed request and response models (msgspec structs), one module per domain."""

from lanying_async.models.base import Envelope, PagedEnvelope, Request, Response, SendEnvelope
from lanying_async.models.enums import (
    ApplyApproval,
    AuthMode,
    ClickAction,
    ContentType,
    DistributionStrategy,
    GroupStatus,
    GroupType,
    OsPushChannel,
    PushMessageType,
    TargetType,
)
from lanying_async.models.groups import GroupInfo, GroupMember, MemberResult
from lanying_async.models.messages import SendResult
from lanying_async.models.push import (
    AndroidOptions,
    Audience,
    HuaweiOptions,
    IosOptions,
    PushMessage,
    PushSetting,
    PushTask,
    VendorOptions,
    VivoOptions,
)
from lanying_async.models.roster import RosterEntry
from lanying_async.models.users import UserSettings

__all__ = [
    "AndroidOptions",
    "ApplyApproval",
    "Audience",
    "AuthMode",
    "ClickAction",
    "ContentType",
    "DistributionStrategy",
    "Envelope",
    "GroupInfo",
    "GroupMember",
    "GroupStatus",
    "GroupType",
    "HuaweiOptions",
    "IosOptions",
    "MemberResult",
    "OsPushChannel",
    "PagedEnvelope",
    "PushMessage",
    "PushMessageType",
    "PushSetting",
    "PushTask",
    "Request",
    "Response",
    "RosterEntry",
    "SendEnvelope",
    "SendResult",
    "TargetType",
    "UserSettings",
    "VendorOptions",
    "VivoOptions",
]
