"""The in-memory world served by the emulator.

`ServerState` is the root: id counters shared by every app, a
clock, the per-route execution counters and one `AppState` per
app. Each app is an isolated world (users, rosters, groups, messages,
push tasks); new domains are added as further fields of `AppState`
holding plain dataclasses, in the same style.

The objects are deliberately plain and mutable so that tests can inspect
and seed them directly.
"""

from __future__ import annotations

import secrets
import time
from bisect import bisect_right
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import msgspec

from .state_accounts import AccountsState
from .state_group_moderation import ModerationState
from .state_groups import GroupsState
from .state_messages import MessagingState
from .state_roster import RosterState
from .state_services import ServicesState
from .state_user_prefs import UserPrefsState

__all__ = [
    "AppState",
    "Group",
    "GroupMember",
    "IdCounter",
    "MemberList",
    "MemberRole",
    "MessageRecord",
    "PushTask",
    "RosterItem",
    "ServerState",
    "TransactionEntry",
    "User",
    "UserSettings",
    "wall_clock_ms",
]


def wall_clock_ms() -> int:
    """Current Unix time in milliseconds."""
    return time.time_ns() // 1_000_000


@dataclass(slots=True)
class IdCounter:
    """Hands out increasing integer ids: `start`, `start + step`, ..."""

    next_id: int
    step: int = 1

    def take(self) -> int:
        value = self.next_id
        self.next_id += self.step
        return value


# --- users and rosters -------------------------------------------------------


INDEXED_SETTINGS = ("group_confirm", "no_push")
"""Settings that one request reads for many users at once (a push counting its
reach, a mass invite): the users who have them on are indexed per app, so
those requests need not visit every user's settings."""


@dataclass(slots=True)
class UserSettings:
    """Per-user settings (spec model `UserSettings`)."""

    auto_download: bool = False
    group_confirm: bool = False
    no_sounds: bool = False
    no_push: bool = False
    vibratory: bool = False
    no_push_detail: bool = False
    auth_mode: int = 0
    no_push_start_hour: int = 0
    no_push_end_hour: int = 0
    auth_question: str | None = None
    auth_answer: str | None = None
    push_nick_name: str | None = None
    push_token: str | None = None
    silence_start_time: int | None = None
    silence_end_time: int | None = None


@dataclass(slots=True)
class User:
    user_id: int
    username: str
    password: str
    created_at: int
    settings: UserSettings = field(default_factory=UserSettings)


@dataclass(slots=True)
class RosterItem:
    """One direction of a friendship, owned by the user whose roster holds it."""

    added_at: int
    alias: str = ""
    ext: str = ""
    mute_notification: bool = False


# --- groups ------------------------------------------------------------------


class MemberRole(str, Enum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"


class GroupMember(msgspec.Struct, gc=False):
    """One membership: built in C and never tracked by the garbage collector, as a mass
    invite creates thousands at once (it holds no containers, so it is in no cycle)."""

    user_id: int
    join_time: int
    role: MemberRole
    seq: int
    """Position in join order; paging cursors refer to it."""
    display_name: str | None = None
    expired_time: int | None = None


class MemberList:
    """Group members kept in join order, with O(log n + page) paging.

    Each join gets a new, increasing sequence number, so a cursor naming
    the last sequence seen stays valid when members leave.
    """

    __slots__ = ("_by_id", "_ids", "_next_seq", "_seqs")

    def __init__(self) -> None:
        self._by_id: dict[int, GroupMember] = {}
        self._seqs: list[int] = []
        self._ids: list[int] = []
        self._next_seq = 1

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, user_id: object) -> bool:
        return user_id in self._by_id

    def __iter__(self) -> Iterator[GroupMember]:
        by_id = self._by_id
        return (by_id[user_id] for user_id in self._ids)

    def get(self, user_id: int) -> GroupMember | None:
        return self._by_id.get(user_id)

    def isdisjoint(self, user_ids: Iterable[int]) -> bool:
        """True when none of `user_ids` is a member."""
        return self._by_id.keys().isdisjoint(user_ids)

    def add_all(self, user_ids: list[int], role: MemberRole, join_time: int) -> None:
        """Add distinct non-members at once, in order (the caller checked both)."""
        first = self._next_seq
        seqs = range(first, first + len(user_ids))
        self._next_seq = seqs.stop
        members = [GroupMember(u, join_time, role, q) for u, q in zip(user_ids, seqs, strict=True)]
        self._by_id.update(zip(user_ids, members, strict=True))
        self._seqs.extend(seqs)
        self._ids.extend(user_ids)

    def add(self, user_id: int, role: MemberRole, join_time: int) -> GroupMember:
        if user_id in self._by_id:
            raise ValueError(f"user {user_id} is already a member")
        member = GroupMember(user_id, join_time, role, self._next_seq)
        self._next_seq += 1
        self._by_id[user_id] = member
        self._seqs.append(member.seq)
        self._ids.append(user_id)
        return member

    def remove(self, user_id: int) -> GroupMember | None:
        member = self._by_id.pop(user_id, None)
        if member is not None:
            index = bisect_right(self._seqs, member.seq) - 1
            del self._seqs[index]
            del self._ids[index]
        return member

    def page(self, after_seq: int, limit: int) -> tuple[list[GroupMember], bool]:
        """Members joined after `after_seq` (at most `limit`) and whether more remain."""
        start = bisect_right(self._seqs, after_seq)
        stop = start + limit
        by_id = self._by_id
        members = [by_id[user_id] for user_id in self._ids[start:stop]]
        return members, stop < len(self._ids)


@dataclass(slots=True)
class Group:
    """A group (spec model `GroupInfoAndSettingsDto`) and its members."""

    group_id: int
    name: str
    owner_id: int
    created_at: int
    updated_at: int
    description: str = ""
    avatar: str = ""
    type: int = 0
    status: int = 0
    """0 normal, 1 destroyed."""
    member_invite: bool = True
    apply_approval: int = 1
    read_ack: bool = False
    history_visible: bool = False
    member_modify: bool = False
    hide_member_info: bool = False
    capacity: int = 2000
    ext: str = ""
    ban_expire_time: int = 0
    msg_push_mode: int = 0
    msg_mute_mode: int = 0
    members: MemberList = field(default_factory=MemberList)
    members_version: int = 0
    """Millisecond timestamp of the last membership change (strictly increasing)."""

    @property
    def active(self) -> bool:
        return self.status == 0

    def bump_members_version(self, now_ms: int) -> None:
        self.members_version = max(now_ms, self.members_version + 1)


# --- messages and push -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MessageRecord:
    """One delivered message: a send to N targets records N of these."""

    msg_id: int
    target_type: int
    """1 user, 2 group."""
    to_id: int
    from_user_id: int | None
    content: str
    content_type: int
    timestamp: int
    ext: str | None = None
    config: str | None = None
    attachment: str | None = None
    online_only: bool = False
    related_mid: int | None = None
    transaction_id: int | None = None


@dataclass(frozen=True, slots=True)
class TransactionEntry:
    """Result of an executed send, replayed for a repeated `transaction_id`."""

    at_ms: int
    msg_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PushTask:
    task_id: int
    created_at: int
    request: dict[str, Any]
    request_id: str | None = None


# --- apps and the root -------------------------------------------------------


@dataclass(slots=True)
class AppState:
    """Everything that belongs to one app."""

    app_id: str
    admin_token: str
    user_tokens: dict[str, int] = field(default_factory=dict)
    """User access tokens: token -> user id (a user token acts as that user)."""
    users: dict[int, User] = field(default_factory=dict)
    user_ids_by_name: dict[str, int] = field(default_factory=dict)
    rosters: dict[int, dict[int, RosterItem]] = field(default_factory=dict)
    """user id -> {friend id -> item}, insertion ordered."""
    groups: dict[int, Group] = field(default_factory=dict)
    messages: list[MessageRecord] = field(default_factory=list)
    transactions: OrderedDict[int, TransactionEntry] = field(default_factory=OrderedDict)
    """transaction_id -> executed send, oldest first."""
    push_tasks: dict[int, PushTask] = field(default_factory=dict)
    push_request_ids: dict[str, int] = field(default_factory=dict)
    """setting.request_id -> task id."""
    users_with_setting: dict[str, set[int]] = field(
        default_factory=lambda: {name: set() for name in INDEXED_SETTINGS}
    )
    """Setting name -> ids of the users who have it on (see `change_setting()`).

    May still hold deleted users' ids: readers look at known users only.
    """
    # Further domains keep their state in their own modules.
    accounts: AccountsState = field(default_factory=AccountsState)
    prefs: UserPrefsState = field(default_factory=UserPrefsState)
    roster_ext: RosterState = field(default_factory=RosterState)
    group_ext: GroupsState = field(default_factory=GroupsState)
    moderation: ModerationState = field(default_factory=ModerationState)
    messaging: MessagingState = field(default_factory=MessagingState)
    services: ServicesState = field(default_factory=ServicesState)

    def user(self, user_id: int) -> User | None:
        return self.users.get(user_id)

    def change_setting(self, user: User, name: str, value: object) -> None:
        """Set one of `user`'s settings, keeping `users_with_setting` in step."""
        setattr(user.settings, name, value)
        holders = self.users_with_setting.get(name)
        if holders is not None:
            if value:
                holders.add(user.user_id)
            else:
                holders.discard(user.user_id)

    def active_group(self, group_id: int) -> Group | None:
        """The group with that id unless it does not exist or was destroyed."""
        group = self.groups.get(group_id)
        if group is None or not group.active:
            return None
        return group

    def roster_of(self, user_id: int) -> dict[int, RosterItem]:
        roster = self.rosters.get(user_id)
        if roster is None:
            roster = self.rosters[user_id] = {}
        return roster

    def issue_user_token(self, user_id: int) -> str:
        """Create an access token that acts only as `user_id`."""
        token = secrets.token_urlsafe(24)
        self.user_tokens[token] = user_id
        return token


@dataclass(slots=True)
class ServerState:
    """Root of the emulated world."""

    apps: dict[str, AppState] = field(default_factory=dict)
    # Odd steps: CPython hashes an int to itself, so ids that share their low
    # bits (a step of 144 shares four) crowd into a few of a dict's slots, and
    # a mass invite or push looks up hundreds of user ids per request.
    user_ids: IdCounter = field(default_factory=lambda: IdCounter(2_199_040_544_848, 7))
    group_ids: IdCounter = field(default_factory=lambda: IdCounter(2_306_414_607_729, 97))
    msg_ids: IdCounter = field(default_factory=lambda: IdCounter(1_130_000_000_000_000_001, 7))
    task_ids: IdCounter = field(default_factory=lambda: IdCounter(100_000_001))
    executions: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(method, path) -> how many times a write on that route actually ran."""
    clock: Callable[[], int] = wall_clock_ms
    """Millisecond clock; replace it to control time in tests."""
    group_capacity: int = 2000
    """Member limit of new private groups (20010 past it)."""
    chatroom_capacity: int = 100_000
    """Member limit of new chatrooms."""
    transaction_window_ms: int = 600_000
    """How long a message `transaction_id` de-duplicates repeats."""

    def now_ms(self) -> int:
        return self.clock()

    def add_app(self, app_id: str, admin_token: str | None = None) -> AppState:
        if app_id in self.apps:
            raise ValueError(f"app {app_id!r} already exists")
        token = admin_token if admin_token is not None else secrets.token_urlsafe(32)
        app = AppState(app_id, token)
        self.apps[app_id] = app
        return app
