"""The typed message callback and its decoder.

What the service POSTs to the app's callback URL for each routed message is a
JSON object (field names as sent on the wire):

```json
{"appId": "...", "msgId": 1130000000000000001,
 "from": {"uid": 2199040544848}, "to": {"uid": 2199040544992},
 "type": "CHAT", "ctype": "TEXT", "content": "hello",
 "ext": "...", "config": "...", "attachment": "..."}
```

The server-API specification does not describe callbacks, so these are the
assumptions made here, chosen to accept what the service sends and refuse
what cannot be a message:

* `appId`, `from.uid`, `to.uid`, `type` and `ctype` are required;
  `msgId` is optional (`None` when absent) and `content` defaults to "".
* `from.uid` is the sending user, 0 when no user sent it (a system
  notification, or a message sent with the admin token alone); `to.uid` is
  the receiving user for `CHAT` and the group for `GROUPCHAT`.
* ids are integers; ids sent as numeric strings are accepted too.
* `ext`, `config` and `attachment` are JSON text, as in a message send.
* a `type` this version does not list still decodes, as a member of
  [`ChatType`][lanying_async.webhooks.models.ChatType] of its own that keeps the value received;
  `ctype` is kept as the string received.
* Fields this version does not know are ignored.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import msgspec

from .errors import WebhookPayloadError

__all__ = ["CallbackPeer", "ChatType", "MessageCallback", "parse_callback"]

_REASON_LIMIT = 200


class _OpenStrEnum(str, Enum):
    """A string enum that also accepts values it does not list.

    An unlisted value becomes a member of its own (not one of the listed ones)
    that keeps the value received, so a newer server's value still decodes and
    compares equal to its string.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member


class ChatType(_OpenStrEnum):
    """Where a message was sent: to a user or to a group."""

    CHAT = "CHAT"
    GROUPCHAT = "GROUPCHAT"


class CallbackPeer(msgspec.Struct, frozen=True, kw_only=True):
    """One end of a message: a user, or the group of a group message's `to`."""

    uid: int


class MessageCallback(msgspec.Struct, frozen=True, kw_only=True):
    """One routed message, as delivered to the app's callback URL.

    Attribute names are pythonic: `app_id` is `appId`, `msg_id` is
    `msgId` and `from_` is `from` on the wire. `ctype` is a plain
    string, like in conversation history: compare it with
    [`ContentTypeName`][lanying_async.models.messages.ContentTypeName] (`message.ctype ==
    ContentTypeName.TEXT`).
    """

    app_id: str = msgspec.field(name="appId")
    msg_id: int | None = msgspec.field(default=None, name="msgId")
    from_: CallbackPeer = msgspec.field(name="from")
    to: CallbackPeer
    type: ChatType
    ctype: str
    content: str = ""
    ext: str | None = None
    config: str | None = None
    attachment: str | None = None

    @property
    def sender_id(self) -> int:
        """The sending user's id (0 when no user sent it)."""
        return self.from_.uid

    @property
    def target_id(self) -> int:
        """The receiving user's id, or the group's id for a group message."""
        return self.to.uid

    @property
    def is_group(self) -> bool:
        return self.type is ChatType.GROUPCHAT


# strict=False: ids that arrive as numeric strings still decode as ints.
_decoder = msgspec.json.Decoder(MessageCallback, strict=False)


def parse_callback(raw: bytes | bytearray | memoryview | str) -> MessageCallback:
    """Decode a callback's raw body in one pass into a
    [`MessageCallback`][lanying_async.webhooks.models.MessageCallback].

    Raises `WebhookPayloadError` when the body is not JSON, not an object, or lacks a required
    field or has one of the wrong type (its path is named). Check the signature first: see
    [`verify_signature()`][lanying_async.webhooks.signature.verify_signature].
    """
    try:
        return _decoder.decode(raw)
    except msgspec.DecodeError as exc:
        raise WebhookPayloadError(str(exc)[:_REASON_LIMIT]) from None
