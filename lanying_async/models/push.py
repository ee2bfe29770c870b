"""Push notification models: the audience, the message and the delivery settings."""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable, Sequence
from enum import IntEnum
from typing import Any, Literal

import msgspec

from lanying_async.models.base import Record, Request
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
    "PushCertificate",
    "PushEnvironment",
    "PushMessage",
    "PushProvider",
    "PushSetting",
    "PushTask",
    "PushTaskDetail",
    "TaskIdsRequest",
    "VendorOptions",
    "VivoOptions",
]

AudienceKind = Literal["all", "user_id", "alias", "tag", "push_token"]


class AudienceSelector(Request):
    """The wire form of a targeted audience (exactly one list is set)."""

    tag: list[str] | None = None
    """Devices with any of these tags."""
    alias: list[str] | None = None
    """Devices with any of these aliases."""
    user_id: list[int] | None = None
    """Devices of any of these users."""
    push_token: list[str] | None = None
    """Devices with any of these push tokens."""


class Audience:
    """Who a push goes to: everyone, or devices matching user ids, aliases, tags or tokens.

    Build one with [`all()`][lanying_async.models.push.Audience.all],
    [`user_ids()`][lanying_async.models.push.Audience.user_ids],
    [`aliases()`][lanying_async.models.push.Audience.aliases],
    [`tags()`][lanying_async.models.push.Audience.tags] or
    [`push_tokens()`][lanying_async.models.push.Audience.push_tokens]. A device matches if it
    matches any value of the list. A list, tuple or set is kept as given; any other iterable or
    async iterable (a generator, a `range`, a database cursor) stays lazy, so `push.notify` can
    stream millions of values in 500-value requests without holding them all.
    """

    __slots__ = ("kind", "source", "values")

    kind: AudienceKind
    """How the audience is selected: all devices, or by user id, alias, tag or push token."""
    values: Sequence[int] | Sequence[str]
    """The selecting values, when held in memory."""
    source: Iterable[Any] | AsyncIterable[Any] | None
    """The lazy source of values, consumed on sending (None when `values` holds them)."""

    def __init__(
        self,
        kind: AudienceKind,
        values: Iterable[Any] | AsyncIterable[Any],
    ) -> None:
        self.kind = kind
        if isinstance(values, list | tuple):
            self.values = values  # no copy: a million ids would cost a pass and a GC traversal
            self.source = None
        elif isinstance(values, set | frozenset):
            self.values = tuple(values)
            self.source = None
        else:
            self.values = ()
            self.source = values

    @classmethod
    def all(cls) -> Audience:
        return cls("all", ())

    @classmethod
    def user_ids(cls, ids: Iterable[int] | AsyncIterable[int]) -> Audience:
        return cls("user_id", ids)

    @classmethod
    def aliases(cls, names: Iterable[str] | AsyncIterable[str]) -> Audience:
        return cls("alias", names)

    @classmethod
    def tags(cls, names: Iterable[str] | AsyncIterable[str]) -> Audience:
        return cls("tag", names)

    @classmethod
    def push_tokens(cls, tokens: Iterable[str] | AsyncIterable[str]) -> Audience:
        return cls("push_token", tokens)

    @property
    def lazy(self) -> bool:
        """True when the values come from an iterator consumed on sending."""
        return self.source is not None

    def items(self) -> Iterable[Any] | AsyncIterable[Any]:
        """The values to send (the lazy source, or the stored list or tuple)."""
        return self.source if self.source is not None else self.values

    def __len__(self) -> int:
        if self.source is not None:
            raise TypeError("a lazy audience has no length until it is consumed")
        return len(self.values)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Audience):
            return False
        if self.source is not None or other.source is not None:
            return self is other
        return other.kind == self.kind and tuple(other.values) == tuple(self.values)

    def __hash__(self) -> int:
        if self.source is not None:
            return id(self)
        return hash((self.kind, tuple(self.values)))

    def __repr__(self) -> str:
        if self.kind == "all":
            return "Audience.all()"
        if self.source is not None:
            return f"Audience({self.kind}=<lazy {type(self.source).__name__}>)"
        shown = ", ".join(repr(v) for v in self.values[:5])
        more = f", ... {len(self.values)} in all" if len(self.values) > 5 else ""
        return f"Audience({self.kind}=[{shown}{more}])"

    def selector(self, values: list[Any]) -> AudienceSelector:
        """The wire form of this audience's kind with just `values` (one request's worth)."""
        if self.kind == "user_id":
            return AudienceSelector(user_id=values)
        if self.kind == "alias":
            return AudienceSelector(alias=values)
        if self.kind == "tag":
            return AudienceSelector(tag=values)
        if self.kind == "push_token":
            return AudienceSelector(push_token=values)
        raise TypeError("Audience.all() has no values to select")

    def to_wire(self) -> Literal["all"] | AudienceSelector:
        if self.kind == "all":
            return "all"
        if self.source is not None:
            raise TypeError("a lazy audience is sent in parts; push.notify() cuts it")
        return self.selector(list(self.values))


class IosOptions(Request):
    """APNs extras."""

    sound: str | None = None
    """The alert sound."""
    content_available: bool | None = None
    """APNs `content-available`."""
    mutable_content: bool | None = None
    """APNs `mutable-content`."""
    category: str | None = None
    """APNs `category`."""
    thread_id: str | None = None
    """APNs `thread-id`, which groups notifications."""
    subtitle: str | None = None
    """APNs subtitle."""
    apns_collapse_id: str | None = None
    """APNs `apns-collapse-id`: notifications with the same id show as one."""


class AndroidOptions(Request):
    """Extras for Android and the OS vendor channels."""

    sound: str | None = None
    """The alert sound."""
    channel_id: str | None = None
    """The notification channel."""
    click_action: ClickAction | None = None
    """What tapping the notification does: open a page or the app."""
    intent: str | None = None
    """The page to open; needed when `click_action` is `intent`."""


class VendorOptions(AndroidOptions):
    """Extras for a vendor channel (Xiaomi, OPPO, Flyme, FCM)."""


class HuaweiOptions(AndroidOptions):
    badge_class: str | None = None
    """The app's entry activity class behind the home-screen icon, for badges."""


class VivoOptions(AndroidOptions):
    push_mode: int | None = None
    """0 production, 1 testing."""
    classification: int | None = None
    """0 operational message, 1 system message."""


class PushMessage(Request):
    """A push notification's content.

    `type` defaults to text on the server; `badge` is a number or `"+N"`;
    `show_begin_time`/`show_end_time` are epoch seconds; `ext` is any JSON
    object delivered with the notification.
    """

    type: PushMessageType | None = None
    """Text, image, or silent pass-through."""
    title: str | None = None
    """The notification's title."""
    body: str | None = None
    """The notification's text."""
    attachment_url: str | None = None
    """URL of an image, audio or video to show with it."""
    big_text: str | None = None
    """Longer text, for vendors that can show it."""
    badge: str | None = None
    """The badge number, or `+N` to add N."""
    ext: dict[str, Any] | None = None
    """JSON object delivered with the notification."""
    show_begin_time: int | None = None
    """When to start showing it, in seconds since the epoch (unset: at once)."""
    show_end_time: int | None = None
    """When to stop showing it, in seconds since the epoch."""
    ios: IosOptions | None = None
    """iOS extras."""
    android: AndroidOptions | None = None
    """Android extras."""
    huawei: HuaweiOptions | None = None
    """Huawei extras, overriding `android`."""
    xiaomi: VendorOptions | None = None
    """Xiaomi extras, overriding `android`."""
    oppo: VendorOptions | None = None
    """OPPO extras, overriding `android`."""
    vivo: VivoOptions | None = None
    """vivo extras, overriding `android`."""
    flyme: VendorOptions | None = None
    """Meizu (Flyme) extras, overriding `android`."""
    fcm: VendorOptions | None = None
    """FCM extras, overriding `android`."""


class PushSetting(Request):
    """Delivery settings. `request_id` de-duplicates: the SDK fills it once per call."""

    request_id: str | None = None
    """Deduplication id: a push whose id was seen before is not sent."""
    distribution_strategy: DistributionStrategy | None = None
    """Which channels deliver the push."""
    ospush_sequence: list[OsPushChannel] | None = None
    """The OS vendor channels in order of preference."""


class NotifyRequest(Request):
    audience: Literal["all"] | AudienceSelector
    """Which devices to push to: `all` or a selector."""
    message: PushMessage
    """The notification to push."""
    setting: PushSetting | None = None
    """How to deliver it."""


class PushTask(Record):
    """What a notify call answered: the push task it created, when the server names one.

    The spec answers `{"task_id": ...}`; the guide's example answers
    `"data": true`, which names no task: `task_id` is then None.
    `accepted` is False only when the server answered `"data": false`.
    """

    task_id: int | None = None
    """The push task's id, when the server names one."""
    accepted: bool = True
    """False only when the server answered that it did not take the push."""


class PushProvider(IntEnum):
    """Who issued a push certificate: Apple or one of the Android push vendors."""

    APNS = 1
    HUAWEI = 2
    XIAOMI = 3
    MEIZU = 4
    VIVO = 5
    OPPO = 6
    FCM = 7


class PushEnvironment(IntEnum):
    """Which environment a certificate serves (it matters for APNs)."""

    DEVELOPMENT = 0
    PRODUCTION = 1


class PushCertificate(Record):
    """The push credentials an app configured for one provider.

    Vendor channels are described by `app_id`/`app_key`/`app_secret`;
    APNs and FCM carry their credential in `certificate`.
    """

    name: str = ""
    """The certificate's name (an APNs bundle id, a vendor package name...)."""
    app_id: str | None = None
    """The vendor channel's app id."""
    app_key: str | None = None
    """The vendor channel's app key."""
    app_secret: str | None = None
    """The vendor channel's app secret."""
    certificate: str | None = None
    """The APNs or FCM credential."""


class TaskIdsRequest(Request):
    """The `{"list": [task ids]}` body of a push statistics query."""

    task_ids: list[int] = msgspec.field(name="list")
    """The push task ids."""


class PushTaskDetail(Record):
    """Delivery statistics of one push task, per channel.

    For each channel, `*_target` counts the valid targets, `*_sent` the
    notifications handed to the channel and `*_received` those delivered.
    `mxpush` is Lanying's own channel; the others are the OS vendor channels.
    """

    task_id: int = 0
    """The push task's id."""
    mxpush_target: int = 0
    """Valid targets on Lanying's own channel."""
    mxpush_sent: int = 0
    """Notifications handed to Lanying's own channel."""
    mxpush_received: int = 0
    """Notifications delivered by Lanying's own channel."""
    apns_target: int = 0
    """Valid targets on the APNs channel."""
    apns_sent: int = 0
    """Notifications handed to the APNs channel."""
    apns_received: int = 0
    """Notifications delivered by the APNs channel."""
    fcm_target: int = 0
    """Valid targets on the FCM channel."""
    fcm_sent: int = 0
    """Notifications handed to the FCM channel."""
    fcm_received: int = 0
    """Notifications delivered by the FCM channel."""
    huawei_target: int = 0
    """Valid targets on the Huawei channel."""
    huawei_sent: int = 0
    """Notifications handed to the Huawei channel."""
    huawei_received: int = 0
    """Notifications delivered by the Huawei channel."""
    xiaomi_target: int = 0
    """Valid targets on the Xiaomi channel."""
    xiaomi_sent: int = 0
    """Notifications handed to the Xiaomi channel."""
    xiaomi_received: int = 0
    """Notifications delivered by the Xiaomi channel."""
    oppo_target: int = 0
    """Valid targets on the OPPO channel."""
    oppo_sent: int = 0
    """Notifications handed to the OPPO channel."""
    oppo_received: int = 0
    """Notifications delivered by the OPPO channel."""
    vivo_target: int = 0
    """Valid targets on the vivo channel."""
    vivo_sent: int = 0
    """Notifications handed to the vivo channel."""
    vivo_received: int = 0
    """Notifications delivered by the vivo channel."""
    flyme_target: int = 0
    """Valid targets on the Meizu (Flyme) channel."""
    flyme_sent: int = 0
    """Notifications handed to the Meizu (Flyme) channel."""
    flyme_received: int = 0
    """Notifications delivered by the Meizu (Flyme) channel."""

    @property
    def total_target(self) -> int:
        """Valid targets over every channel."""
        return (
            self.mxpush_target
            + self.apns_target
            + self.fcm_target
            + self.huawei_target
            + self.xiaomi_target
            + self.oppo_target
            + self.vivo_target
            + self.flyme_target
        )

    @property
    def total_sent(self) -> int:
        """Notifications handed to any channel."""
        return (
            self.mxpush_sent
            + self.apns_sent
            + self.fcm_sent
            + self.huawei_sent
            + self.xiaomi_sent
            + self.oppo_sent
            + self.vivo_sent
            + self.flyme_sent
        )

    @property
    def total_received(self) -> int:
        """Notifications delivered over any channel."""
        return (
            self.mxpush_received
            + self.apns_received
            + self.fcm_received
            + self.huawei_received
            + self.xiaomi_received
            + self.oppo_received
            + self.vivo_received
            + self.flyme_received
        )
