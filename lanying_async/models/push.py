"""Push notification models: the audience, the message and the delivery settings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from lanying_async.models.base import Request, Response
from lanying_async.models.enums import (
    ClickAction,
    DistributionStrategy,
    OsPushChannel,
    PushMessageType,
)

__all__ = [
    "AndroidOptions",
    "Audience",
    "AudienceSelector",
    "HuaweiOptions",
    "IosOptions",
    "NotifyRequest",
    "PushMessage",
    "PushSetting",
    "PushTask",
    "VendorOptions",
    "VivoOptions",
]

AudienceKind = Literal["all", "user_id", "alias", "tag", "push_token"]


class AudienceSelector(Request):
    """The wire form of a targeted audience (exactly one list is set)."""

    tag: list[str] | None = None
    alias: list[str] | None = None
    user_id: list[int] | None = None
    push_token: list[str] | None = None


class Audience:
    """Who a push goes to: everyone, or devices matching user ids, aliases, tags or tokens.

    Build one with :meth:`all`, :meth:`user_ids`, :meth:`aliases`, :meth:`tags` or
    :meth:`push_tokens`. A device matches if it matches any value of the list.
    """

    __slots__ = ("kind", "values")

    kind: AudienceKind
    values: tuple[int, ...] | tuple[str, ...]

    def __init__(self, kind: AudienceKind, values: tuple[int, ...] | tuple[str, ...]) -> None:
        self.kind = kind
        self.values = values

    @classmethod
    def all(cls) -> Audience:
        return cls("all", ())

    @classmethod
    def user_ids(cls, ids: Iterable[int]) -> Audience:
        return cls("user_id", tuple(ids))

    @classmethod
    def aliases(cls, names: Iterable[str]) -> Audience:
        return cls("alias", tuple(names))

    @classmethod
    def tags(cls, names: Iterable[str]) -> Audience:
        return cls("tag", tuple(names))

    @classmethod
    def push_tokens(cls, tokens: Iterable[str]) -> Audience:
        return cls("push_token", tuple(tokens))

    def __len__(self) -> int:
        return len(self.values)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Audience) and other.kind == self.kind and other.values == self.values
        )

    def __hash__(self) -> int:
        return hash((self.kind, self.values))

    def __repr__(self) -> str:
        if self.kind == "all":
            return "Audience.all()"
        shown = ", ".join(repr(v) for v in self.values[:5])
        more = f", ... {len(self.values)} in all" if len(self.values) > 5 else ""
        return f"Audience({self.kind}=[{shown}{more}])"

    def to_wire(self) -> Literal["all"] | AudienceSelector:
        if self.kind == "all":
            return "all"
        values = list(self.values)
        if self.kind == "user_id":
            return AudienceSelector(user_id=values)  # type: ignore[arg-type]
        if self.kind == "alias":
            return AudienceSelector(alias=values)  # type: ignore[arg-type]
        if self.kind == "tag":
            return AudienceSelector(tag=values)  # type: ignore[arg-type]
        return AudienceSelector(push_token=values)  # type: ignore[arg-type]


class IosOptions(Request):
    """APNs extras."""

    sound: str | None = None
    content_available: bool | None = None
    mutable_content: bool | None = None
    category: str | None = None
    thread_id: str | None = None
    subtitle: str | None = None
    apns_collapse_id: str | None = None


class AndroidOptions(Request):
    """Extras for Android and the OS vendor channels."""

    sound: str | None = None
    channel_id: str | None = None
    click_action: ClickAction | None = None
    intent: str | None = None


class VendorOptions(AndroidOptions):
    """Extras for a vendor channel (Xiaomi, OPPO, Flyme, FCM)."""


class HuaweiOptions(AndroidOptions):
    badge_class: str | None = None


class VivoOptions(AndroidOptions):
    #: 0 production, 1 testing.
    push_mode: int | None = None
    #: 0 operational message, 1 system message.
    classification: int | None = None


class PushMessage(Request):
    """A push notification's content.

    ``type`` defaults to text on the server; ``badge`` is a number or ``"+N"``;
    ``show_begin_time``/``show_end_time`` are epoch seconds; ``ext`` is any JSON
    object delivered with the notification.
    """

    type: PushMessageType | None = None
    title: str | None = None
    body: str | None = None
    attachment_url: str | None = None
    big_text: str | None = None
    badge: str | None = None
    ext: dict[str, Any] | None = None
    show_begin_time: int | None = None
    show_end_time: int | None = None
    ios: IosOptions | None = None
    android: AndroidOptions | None = None
    huawei: HuaweiOptions | None = None
    xiaomi: VendorOptions | None = None
    oppo: VendorOptions | None = None
    vivo: VivoOptions | None = None
    flyme: VendorOptions | None = None
    fcm: VendorOptions | None = None


class PushSetting(Request):
    """Delivery settings. ``request_id`` de-duplicates: the SDK fills it once per call."""

    request_id: str | None = None
    distribution_strategy: DistributionStrategy | None = None
    ospush_sequence: list[OsPushChannel] | None = None


class NotifyRequest(Request):
    audience: Literal["all"] | AudienceSelector
    message: PushMessage
    setting: PushSetting | None = None


class PushTask(Response):
    """The push task created by a notify call."""

    task_id: int = 0
