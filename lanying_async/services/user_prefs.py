"""Users' settings and push preferences (mixed into UsersService)."""

from __future__ import annotations

from lanying_async.services.base import Service

__all__ = ["UserPrefsOps"]


class UserPrefsOps(Service):
    """Users' settings and push preferences (mixed into UsersService)."""

    __slots__ = ()
