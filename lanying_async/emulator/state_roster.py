"""Per-app roster state beyond the friendships themselves (`AppState.roster_ext`).

Friendships live in `AppState.rosters` (with each friend's alias, ext and
mute flag on its `RosterItem`). This module keeps what surrounds them:
friend applications, block lists, former friends, a sorted index of each
user's friends for cursor paging, and per-user list versions.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field
from enum import IntEnum

__all__ = [
    "APPLICATION_TTL_MS",
    "ApplicationInbox",
    "ApplicationStatus",
    "FriendApplication",
    "RosterState",
]

APPLICATION_TTL_MS = 7 * 24 * 3600 * 1000
"""How long a pending friend application can be accepted or declined."""


class ApplicationStatus(IntEnum):
    PENDING = 0
    ACCEPTED = 1
    DECLINED = 2


@dataclass(slots=True)
class FriendApplication:
    """An application from `applicant_id` to become a friend of the inbox owner."""

    applicant_id: int
    seq: int
    created_at: int
    expired_time: int
    reason: str | None = None
    alias: str | None = None
    status: ApplicationStatus = ApplicationStatus.PENDING
    decline_reason: str | None = None

    def pending_at(self, now_ms: int) -> bool:
        return self.status is ApplicationStatus.PENDING and now_ms < self.expired_time


class ApplicationInbox:
    """Applications received by one user, oldest first, one per applicant.

    A new application from the same applicant replaces the old one and moves
    to the end. Paging walks an append-only sequence index (entries replaced
    later are skipped), so a cursor naming the last sequence seen stays valid.
    """

    __slots__ = ("_ids", "_next_seq", "_seqs", "by_applicant", "version")

    def __init__(self) -> None:
        self.by_applicant: dict[int, FriendApplication] = {}
        self._seqs: list[int] = []
        self._ids: list[int] = []
        self._next_seq = 1
        self.version = 0
        """Millisecond timestamp of the last change (strictly increasing)."""

    def __len__(self) -> int:
        return len(self.by_applicant)

    def get(self, applicant_id: int) -> FriendApplication | None:
        return self.by_applicant.get(applicant_id)

    def touch(self, now_ms: int) -> None:
        self.version = max(now_ms, self.version + 1)

    def put(
        self,
        applicant_id: int,
        now_ms: int,
        ttl_ms: int,
        *,
        reason: str | None,
        alias: str | None,
    ) -> FriendApplication:
        """Record a new pending application (replacing an earlier one)."""
        entry = FriendApplication(
            applicant_id, self._next_seq, now_ms, now_ms + ttl_ms, reason, alias
        )
        self._next_seq += 1
        self.by_applicant[applicant_id] = entry
        self._seqs.append(entry.seq)
        self._ids.append(applicant_id)
        if len(self._ids) > 2 * len(self.by_applicant) + 16:
            self._compact()
        self.touch(now_ms)
        return entry

    def _compact(self) -> None:
        live = sorted(self.by_applicant.values(), key=lambda e: e.seq)
        self._seqs = [e.seq for e in live]
        self._ids = [e.applicant_id for e in live]

    def page(self, after_seq: int, limit: int) -> tuple[list[FriendApplication], bool]:
        """Applications recorded after `after_seq` (at most `limit`); whether more remain."""
        index = bisect_right(self._seqs, after_seq)
        out: list[FriendApplication] = []
        by_applicant = self.by_applicant
        while index < len(self._ids) and len(out) < limit:
            entry = by_applicant.get(self._ids[index])
            if entry is not None and entry.seq == self._seqs[index]:
                out.append(entry)
            index += 1
        return out, index < len(self._ids)


@dataclass(slots=True)
class RosterState:
    """Roster data of one app."""

    inboxes: dict[int, ApplicationInbox] = field(default_factory=dict)
    """user id -> applications that user received."""
    blocked: dict[int, dict[int, None]] = field(default_factory=dict)
    """user id -> users it blocked (an ordered set, oldest first)."""
    former: dict[int, set[int]] = field(default_factory=dict)
    """user id -> users it used to be friends with."""
    friend_index: dict[int, list[int]] = field(default_factory=dict)
    """user id -> its friends' ids, ascending (the paging order of `GET /roster/list`)."""
    versions: dict[int, int] = field(default_factory=dict)
    """user id -> millisecond timestamp of its roster's last change."""
    mobile_index: dict[str, int] = field(default_factory=dict)
    """mobile -> user id, a cache over the account profiles (verified on use)."""
    application_ttl_ms: int = APPLICATION_TTL_MS

    def inbox(self, user_id: int) -> ApplicationInbox:
        found = self.inboxes.get(user_id)
        if found is None:
            found = self.inboxes[user_id] = ApplicationInbox()
        return found

    def blocks(self, user_id: int, other_id: int) -> bool:
        """Whether `user_id` has `other_id` in its block list."""
        own = self.blocked.get(user_id)
        return own is not None and other_id in own

    def bump_version(self, user_id: int, now_ms: int) -> None:
        self.versions[user_id] = max(now_ms, self.versions.get(user_id, 0) + 1)

    def index_add(self, user_id: int, friend_id: int) -> None:
        ids = self.friend_index.get(user_id)
        if ids is None:
            ids = self.friend_index[user_id] = []
        position = bisect_left(ids, friend_id)
        if position == len(ids) or ids[position] != friend_id:
            insort(ids, friend_id)

    def index_remove(self, user_id: int, friend_id: int) -> None:
        ids = self.friend_index.get(user_id)
        if ids is None:
            return
        position = bisect_left(ids, friend_id)
        if position < len(ids) and ids[position] == friend_id:
            del ids[position]
