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
    from_xid: Xid = msgspec.field(default_factory=Xid)
    to_xid: Xid = msgspec.field(default_factory=Xid)
    type: str = ""
    ctype: str = ""
    content: str = ""
    ext: str | None = None
    config: str | None = None
    attachment: str | None = None
    timestamp: int = 0


class AiReplies(Response):
    """The assistant's reply messages and how much message quota they used."""

    messages: list[AiReply] = msgspec.field(default_factory=list)
    message_quota_usage: float = 0.0
    """Number of AI messages charged (fractions are possible)."""
