"""Group moderation (mixed into GroupsService)."""

from __future__ import annotations

from lanying_async.services.base import Service

__all__ = ["GroupModerationOps"]


class GroupModerationOps(Service):
    """Group moderation (mixed into GroupsService)."""

    __slots__ = ()
