"""User access tokens."""

from __future__ import annotations

from lanying_async.services.base import Service

__all__ = ["TokensService"]


class TokensService(Service):
    """User access tokens."""

    __slots__ = ()
