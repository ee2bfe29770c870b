"""Message and conversation models."""

from __future__ import annotations

from enum import Enum

import msgspec

from lanying_async.models.base import Record, Request, Response

__all__ = [
    "BroadcastRequest",
    "BroadcastResult",
    "ContentTypeName",
    "ConversationHistory",
    "ConversationIdRequest",
    "ConversationInfo",
    "ConversationMessage",
    "MessageStatus",
    "PinnedConversations",
    "RecallRequest",
    "SendMessageRequest",
    "SendResult",
    "UnreadConversation",
    "Xid",
]


class ContentTypeName(str, Enum):
    """The content type as responses spell it (the `ctype` field).

    The name form of [`ContentType`][lanying_async.models.enums.ContentType], which requests use.
    """

    TEXT = "TEXT"
    IMAGE = "IMAGE"
    AUDIO = "AUDIO"
    VIDEO = "VIDEO"
    FILE = "FILE"
    LOCATION = "LOCATION"
    COMMAND = "COMMAND"
    FORWARD = "FORWARD"


class MessageStatus(str, Enum):
    """Delivery state of a message in a conversation (the `status` field)."""

    UNREAD = "UNREAD"
    DELIVERED = "DELIVERED"
    READ = "READ"


class SendMessageRequest(Request):
    targets: list[int]
    type: int
    content: str
    content_type: int
    ext: str | None = None
    config: str | None = None
    attachment: str | None = None
    from_user_id: int | None = None
    online_only: bool | None = None
    related_mid: int | None = None
    transaction_id: int | None = None


class SendResult(Response):
    """What a send returned: `ok`, the `transaction_id` the SDK used to make
    retries safe, and `msg_ids`: the new message's id when the send had
    exactly one target, empty for more (the server returns ids only then)."""

    ok: bool = False
    msg_ids: list[int] = msgspec.field(default_factory=list)
    transaction_id: int | None = None


class BroadcastRequest(Request):
    type: int
    content_type: int
    content: str
    ext: str | None = None
    config: str | None = None
    attachment: str | None = None


class BroadcastResult(Record):
    """The outcome of a broadcast: whether it went out and to how many users."""

    success: bool = False
    send_num: int = 0


class RecallRequest(Request):
    conversation_id: int
    msg_id: int


class ConversationIdRequest(Request):
    """Body naming one conversation (pin and unpin)."""

    conversation_id: int


class Xid(Record):
    """A user (or group) and the device a message came from or went to."""

    uid: int = 0
    """User id, or the group id for a group message's receiver; 0 for the system."""
    device_sn: int = 0


class ConversationMessage(Response):
    """One message of a conversation's history.

    `ctype` compares with [`ContentTypeName`][lanying_async.models.messages.ContentTypeName],
    `status` with [`MessageStatus`][lanying_async.models.messages.MessageStatus]; `timestamp` is
    milliseconds since the epoch.
    """

    msg_id: int = 0
    from_xid: Xid = msgspec.field(default_factory=Xid)
    to_xid: Xid = msgspec.field(default_factory=Xid)
    ctype: str = ""
    content: str = ""
    ext: str | None = None
    config: str | None = None
    attachment: str | None = None
    """File address and metadata (JSON) of image, audio, video and file messages."""
    status: str = ""
    timestamp: int = 0

    @property
    def sender_id(self) -> int:
        """The sending user's id (0 for a message sent by the system)."""
        return self.from_xid.uid


class ConversationHistory(Response):
    """One page of a conversation's messages, newest first.

    When `is_last` is false, pass `next_msg_id` as the next start to
    continue with older messages.
    """

    messages: list[ConversationMessage] = msgspec.field(default_factory=list)
    is_last: bool = True
    next_msg_id: int | None = None


class ConversationInfo(Record):
    """Identifies a conversation: the peer user's id or the group's id."""

    uid: int = 0


class UnreadConversation(Response):
    """A recent conversation of a user and its number of unread messages."""

    conversation_id: ConversationInfo = msgspec.field(default_factory=ConversationInfo)
    num: int = 0

    @property
    def uid(self) -> int:
        """The conversation's id: the peer user's id or the group's id."""
        return self.conversation_id.uid


class PinnedConversations(Response):
    conversation_ids: list[int] = msgspec.field(default_factory=list)
