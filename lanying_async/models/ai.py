"""Models for AI assistant messages."""

from __future__ import annotations

from enum import Enum

import msgspec

from lanying_async.models.base import Response
from lanying_async.models.messages import Xid

__all__ = ["AiReplies", "AiReply", "ChatType"]


class ChatType(str, Enum):
    """Whether a message belongs to a one-to-one chat or a group chat."""

    CHAT = "CHAT"
    GROUPCHAT = "GROUPCHAT"


class AiReply(Response):
    """One message the assistant answered with.

    `type` compares with [`ChatType`][lanying_async.models.ai.ChatType], `ctype` with
    [`ContentTypeName`][lanying_async.models.messages.ContentTypeName]; `timestamp` is
    milliseconds since the epoch.
    """

    msg_id: int = 0
    """The message's id."""
    from_xid: Xid = msgspec.field(default_factory=Xid)
    """Who sent the message, and from which device."""
    to_xid: Xid = msgspec.field(default_factory=Xid)
    """Who the message went to."""
    type: str = ""
    """`CHAT` for a one-to-one chat, `GROUPCHAT` for a group chat."""
    ctype: str = ""
    """The kind of content, by name (`TEXT`, `IMAGE`, ...)."""
    content: str = ""
    """The message's content."""
    ext: str | None = None
    """Extension data attached to the message, as a string."""
    config: str | None = None
    """Extension data the client SDK uses, as a string."""
    attachment: str | None = None
    """For image, audio, video and file messages: the file's details, URL included."""
    timestamp: int = 0
    """When the message was sent, in milliseconds since the epoch."""


class AiReplies(Response):
    """The assistant's reply messages and how much message quota they used."""

    messages: list[AiReply] = msgspec.field(default_factory=list)
    """The reply messages."""
    message_quota_usage: float = 0.0
    """Number of AI messages charged (fractions are possible)."""
