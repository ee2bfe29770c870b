"""Per-app group state beyond the core `Group` record (held by `AppState.group_ext`).

* Each member's own message settings (mute and push modes), tied to the
  membership they were set in: after leaving and re-joining a group a user
  starts again from the defaults.
* How often each user was kicked from each group; past `kick_limit` the
  user can no longer be added back (code 20016).
* The groups listed by `GET /group/public_list`, in creation order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["DEFAULT_KICK_LIMIT", "GroupsState", "MemberPrefs"]

DEFAULT_KICK_LIMIT = 3
"""How many kicks from one group a user may get before re-joining is refused."""


@dataclass(slots=True)
class MemberPrefs:
    """One member's message settings for one group."""

    seq: int
    """Join sequence of the membership these settings belong to."""
    msg_mute_mode: int = 0
    msg_push_mode: int = 0


@dataclass(slots=True)
class GroupsState:
    """Group data of one app that the `Group` record does not hold."""

    prefs: dict[tuple[int, int], MemberPrefs] = field(default_factory=dict)
    """(group id, user id) -> that member's message settings."""
    kicks: dict[tuple[int, int], int] = field(default_factory=dict)
    """(group id, user id) -> how many times the user was kicked from the group."""
    kick_limit: int = DEFAULT_KICK_LIMIT
    public: dict[int, None] = field(default_factory=dict)
    """Ids of public groups (an ordered set). Chatrooms are added on creation;
    tests may add any group."""

    def prefs_of(self, group_id: int, user_id: int, seq: int) -> MemberPrefs | None:
        """The settings of the membership with join sequence `seq`, if any were set."""
        prefs = self.prefs.get((group_id, user_id))
        if prefs is None or prefs.seq != seq:
            return None
        return prefs

    def prefs_for_update(self, group_id: int, user_id: int, seq: int) -> MemberPrefs:
        """The settings of that membership, created with defaults when missing or stale."""
        prefs = self.prefs_of(group_id, user_id, seq)
        if prefs is None:
            prefs = self.prefs[(group_id, user_id)] = MemberPrefs(seq)
        return prefs

    def forget_member(self, group_id: int, user_id: int) -> None:
        self.prefs.pop((group_id, user_id), None)

    def count_kick(self, group_id: int, user_id: int) -> int:
        count = self.kicks.get((group_id, user_id), 0) + 1
        self.kicks[(group_id, user_id)] = count
        return count

    def kicked_too_often(self, group_id: int, user_id: int) -> bool:
        return self.kicks.get((group_id, user_id), 0) >= self.kick_limit

    def any_kicked_too_often(self, group_id: int, user_ids: list[int]) -> bool:
        if not self.kicks:  # the usual case: nobody was ever kicked
            return False
        return any(self.kicked_too_often(group_id, user_id) for user_id in user_ids)
