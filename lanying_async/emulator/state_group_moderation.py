"""Per-app group moderation state: invitations, applications, bans, blocks, and more.

Held by ``AppState.moderation``. The group routes read it too: an invite to a
user whose settings ask for confirmation creates a pending :class:`Invitation`,
and a blocked user cannot be invited or apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

__all__ = ["Application", "Invitation", "ModerationState", "RequestStatus"]


class RequestStatus(IntEnum):
    PENDING = 0
    ACCEPTED = 1
    DECLINED = 2


@dataclass(slots=True)
class Invitation:
    """A pending (or handled) invitation of ``invitee_id`` into ``group_id``."""

    group_id: int
    inviter_id: int
    invitee_id: int
    reason: str | None
    created_at: int
    expire_at: int
    status: RequestStatus = RequestStatus.PENDING


@dataclass(slots=True)
class Application:
    """A (pending or handled) application of ``applicant_id`` to join ``group_id``."""

    group_id: int
    applicant_id: int
    reason: str | None
    created_at: int
    expire_at: int
    status: RequestStatus = RequestStatus.PENDING


@dataclass(slots=True)
class ModerationState:
    """Moderation data of one app."""

    invitations: dict[tuple[int, int], Invitation] = field(default_factory=dict)
    """(group id, invitee id) -> latest invitation."""
    applications: dict[tuple[int, int], Application] = field(default_factory=dict)
    """(group id, applicant id) -> latest application."""
    bans: dict[int, dict[int, int]] = field(default_factory=dict)
    """group id -> {user id -> ban expiry in ms, -1 for ever}."""
    ban_all_until: dict[int, int] = field(default_factory=dict)
    """group id -> whole-group ban expiry in ms (-1 for ever)."""
    blocked: dict[int, set[int]] = field(default_factory=dict)
    """group id -> users on the group's block list."""

    def is_blocked(self, group_id: int, user_id: int) -> bool:
        return user_id in self.blocked.get(group_id, ())
