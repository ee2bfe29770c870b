"""Friend (roster) models."""

from __future__ import annotations

from lanying_async.models.base import Request, Response

__all__ = ["AddRosterRequest", "RosterEntry"]


class AddRosterRequest(Request):
    list: list[int]


class RosterEntry(Response):
    """One friend of a user."""

    user_id: int = 0
    name: str | None = None
