"""AI assistant messages."""

from __future__ import annotations

from lanying_async.services.base import Service

__all__ = ["AiService"]


class AiService(Service):
    """AI assistant messages."""

    __slots__ = ()
