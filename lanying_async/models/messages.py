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
    """Ids of the receiving users, or of the receiving groups."""
    type: int
    """Who receives it: 1 users, 2 groups."""
    content: str
    """The message's content."""
    content_type: int
    """The kind of content, as a `ContentType` number."""
    ext: str | None = None
    """Extension data to attach, as a string."""
    config: str | None = None
    """Extension data for the client SDK, as a string."""
    attachment: str | None = None
    """For image, audio, video and file messages: the file's details as JSON text."""
    from_user_id: int | None = None
    """The sender's user id."""
    online_only: bool | None = None
    """True to deliver only to receivers online now (default false)."""
    related_mid: int | None = None
    """The message a read receipt or recall refers to."""
    transaction_id: int | None = None
    """Deduplication id: a repeat with the same id shortly after is not executed."""


class SendResult(Response):
    """What a send returned: `ok`, the `transaction_id` the SDK used to make
    retries safe, and `msg_ids`: the new message's id when the send had
    exactly one target, empty for more (the server returns ids only then)."""

    ok: bool = False
    """Whether the server accepted the send."""
    msg_ids: list[int] = msgspec.field(default_factory=list)
    """The new message's id when there was one target; empty otherwise."""
    transaction_id: int | None = None
    """The deduplication id the send used."""


class BroadcastRequest(Request):
    type: int
    """Who receives it (1: users)."""
    content_type: int
    """The kind of content, as a `ContentType` number."""
    content: str
    """The message's content."""
    ext: str | None = None
    """Extension data to attach, as a string."""
    config: str | None = None
    """Extension data for the client SDK, as a string."""
    attachment: str | None = None
    """For image, audio, video and file messages: the file's details as JSON text."""


class BroadcastResult(Record):
    """The outcome of a broadcast: whether it went out and to how many users."""

    success: bool = False
    """Whether the broadcast went out."""
    send_num: int = 0
    """How many it was sent to."""


class RecallRequest(Request):
    conversation_id: int
    """The conversation the message is in."""
    msg_id: int
    """The message to recall."""


class ConversationIdRequest(Request):
    """Body naming one conversation (pin and unpin)."""

    conversation_id: int
    """The conversation's id."""


class Xid(Record):
    """A user (or group) and the device a message came from or went to."""

    uid: int = 0
    """User id, or the group id for a group message's receiver; 0 for the system."""
    device_sn: int = 0
    """The device's serial number."""


class ConversationMessage(Response):
    """One message of a conversation's history.

    `ctype` compares with [`ContentTypeName`][lanying_async.models.messages.ContentTypeName],
    `status` with [`MessageStatus`][lanying_async.models.messages.MessageStatus]; `timestamp` is
    milliseconds since the epoch.
    """

    msg_id: int = 0
    """The message's id."""
    from_xid: Xid = msgspec.field(default_factory=Xid)
    """Who sent the message, and from which device."""
    to_xid: Xid = msgspec.field(default_factory=Xid)
    """Who the message went to."""
    ctype: str = ""
    """The kind of content, by name (`TEXT`, `IMAGE`, ...)."""
    content: str = ""
    """The message's content."""
    ext: str | None = None
    """Extension data attached to the message, as a string."""
    config: str | None = None
    """Extension data the client SDK uses, as a string."""
    attachment: str | None = None
    """File address and metadata (JSON) of image, audio, video and file messages."""
    status: str = ""
    """`UNREAD`, `DELIVERED` or `READ`."""
    timestamp: int = 0
    """When the message was sent, in milliseconds since the epoch."""

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
    """The messages of this page."""
    is_last: bool = True
    """True when no more messages follow."""
    next_msg_id: int | None = None
    """The message id to start the next page from."""


class ConversationInfo(Record):
    """Identifies a conversation: the peer user's id or the group's id."""

    uid: int = 0
    """The conversation's id: the peer user's id or the group's id."""


class UnreadConversation(Response):
    """A recent conversation of a user and its number of unread messages."""

    conversation_id: ConversationInfo = msgspec.field(default_factory=ConversationInfo)
    """Which conversation it is."""
    num: int = 0
    """How many of its messages are unread."""

    @property
    def uid(self) -> int:
        """The conversation's id: the peer user's id or the group's id."""
        return self.conversation_id.uid


class PinnedConversations(Response):
    conversation_ids: list[int] = msgspec.field(default_factory=list)
    """Ids of the pinned conversations."""
