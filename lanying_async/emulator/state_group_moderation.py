"""Per-app group moderation state: invitations, applications, bans, blocks, and more.

Held by `AppState.moderation`. The group routes read it too: an invite to a
user whose settings ask for confirmation creates a pending `Invitation`,
and a blocked user cannot be invited or apply.

Lists that the API pages through are kept in `SeqMap` containers: each
entry gets an increasing sequence number when it is first stored, so a cursor
naming the last sequence seen stays valid while entries come and go, and a
page costs O(log n + page).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Hashable, Iterator, MutableMapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Generic, TypeVar

__all__ = [
    "Announcement",
    "Application",
    "Invitation",
    "ModerationState",
    "PairIndex",
    "QrGrant",
    "RequestStatus",
    "SeqMap",
    "SharedFile",
]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

DAY_MS = 86_400_000


class RequestStatus(IntEnum):
    PENDING = 0
    ACCEPTED = 1
    DECLINED = 2


class SeqMap(MutableMapping[K, V]):
    """A mapping in insertion order whose entries carry increasing sequence numbers.

    Replacing the value of a present key keeps its place; deleting and storing
    it again moves it to the end. `after()` walks the entries stored after
    a given sequence number, which is what paging cursors refer to.
    """

    __slots__ = ("_entries", "_keys", "_next_seq", "_seqs")

    def __init__(self) -> None:
        self._entries: dict[K, tuple[int, V]] = {}
        self._seqs: list[int] = []
        self._keys: list[K] = []
        self._next_seq = 1

    def __getitem__(self, key: K) -> V:
        return self._entries[key][1]

    def __setitem__(self, key: K, value: V) -> None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries[key] = (entry[0], value)
            return
        seq = self._next_seq
        self._next_seq += 1
        self._entries[key] = (seq, value)
        self._seqs.append(seq)
        self._keys.append(key)

    def __delitem__(self, key: K) -> None:
        seq, _ = self._entries.pop(key)
        index = bisect_left(self._seqs, seq)
        del self._seqs[index]
        del self._keys[index]

    def __iter__(self) -> Iterator[K]:
        return iter(list(self._keys))

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __repr__(self) -> str:
        items = ", ".join(f"{k!r}: {v!r}" for k, (_, v) in self._entries.items())
        return f"SeqMap({{{items}}})"

    def seq_of(self, key: K) -> int:
        """The sequence number of `key` (KeyError when absent)."""
        return self._entries[key][0]

    def after(self, after_seq: int) -> Iterator[tuple[int, K, V]]:
        """`(seq, key, value)` of the entries stored after `after_seq`, oldest first.

        Do not change the map while iterating; collect first, then change it.
        """
        keys = self._keys
        entries = self._entries
        for index in range(bisect_right(self._seqs, after_seq), len(keys)):
            key = keys[index]
            seq, value = entries[key]
            yield seq, key, value

    def newest_first(self) -> Iterator[V]:
        entries = self._entries
        return (entries[key][1] for key in reversed(self._keys))

    def last(self) -> V | None:
        """The most recently stored value, or None when empty."""
        if not self._keys:
            return None
        return self._entries[self._keys[-1]][1]


class PairIndex(MutableMapping[tuple[int, int], V], Generic[V]):
    """A mapping keyed by `(group id, user id)`, bucketed by one side of the key.

    `by=0` groups entries by group id, `by=1` by user id; `bucket()`
    gives one side's entries as a `SeqMap` in the order they were stored,
    so listing one group's applications or one user's invitations is cheap.
    """

    __slots__ = ("_buckets", "_by", "_count")

    def __init__(self, by: int) -> None:
        if by not in (0, 1):
            raise ValueError("by must be 0 (group id) or 1 (user id)")
        self._by = by
        self._buckets: dict[int, SeqMap[tuple[int, int], V]] = {}
        self._count = 0

    def __getitem__(self, key: tuple[int, int]) -> V:
        bucket = self._buckets.get(key[self._by])
        if bucket is None:
            raise KeyError(key)
        return bucket[key]

    def __setitem__(self, key: tuple[int, int], value: V) -> None:
        side = key[self._by]
        bucket = self._buckets.get(side)
        if bucket is None:
            bucket = self._buckets[side] = SeqMap()
        if key not in bucket:
            self._count += 1
        bucket[key] = value

    def __delitem__(self, key: tuple[int, int]) -> None:
        side = key[self._by]
        bucket = self._buckets.get(side)
        if bucket is None:
            raise KeyError(key)
        del bucket[key]
        self._count -= 1
        if not bucket:
            del self._buckets[side]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        for bucket in list(self._buckets.values()):
            yield from bucket

    def __len__(self) -> int:
        return self._count

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, tuple) or len(key) != 2:
            return False
        bucket = self._buckets.get(key[self._by])
        return bucket is not None and key in bucket

    def bucket(self, side_id: int) -> SeqMap[tuple[int, int], V] | None:
        """The entries whose bucketed side is `side_id`, oldest first."""
        return self._buckets.get(side_id)


@dataclass(slots=True)
class Invitation:
    """A pending (or handled) invitation of `invitee_id` into `group_id`."""

    group_id: int
    inviter_id: int
    invitee_id: int
    reason: str | None
    created_at: int
    expire_at: int
    status: RequestStatus = RequestStatus.PENDING
    updated_at: int | None = None
    """When it was last changed (ms); `created_at` until handled."""


@dataclass(slots=True)
class Application:
    """A (pending or handled) application of `applicant_id` to join `group_id`."""

    group_id: int
    applicant_id: int
    reason: str | None
    created_at: int
    expire_at: int
    status: RequestStatus = RequestStatus.PENDING


@dataclass(slots=True)
class Announcement:
    """One published group announcement."""

    announcement_id: int
    group_id: int
    title: str
    content: str
    author: int
    """User id of the publisher; 0 when published with the app's admin token alone."""
    created_at: int


@dataclass(slots=True)
class SharedFile:
    """Metadata of one file shared in a group (the content lives at `url`)."""

    file_id: int
    group_id: int
    name: str
    url: str
    size: int
    type: str
    uploader: int
    """User id of the uploader; 0 when uploaded with the app's admin token alone."""
    created_at: int
    updated_at: int


@dataclass(frozen=True, slots=True)
class QrGrant:
    """What a signed invitation QR code stands for."""

    group_id: int
    inviter_id: int
    created_at: int
    expire_at: int


@dataclass(slots=True)
class ModerationState:
    """Moderation data of one app."""

    invitations: PairIndex[Invitation] = field(default_factory=lambda: PairIndex(by=1))
    """(group id, invitee id) -> latest invitation; bucketed by invitee."""
    applications: PairIndex[Application] = field(default_factory=lambda: PairIndex(by=0))
    """(group id, applicant id) -> latest application; bucketed by group."""
    bans: dict[int, SeqMap[int, int]] = field(default_factory=dict)
    """group id -> {user id -> ban expiry in ms, -1 for ever}."""
    ban_all_until: dict[int, int] = field(default_factory=dict)
    """group id -> whole-group ban expiry in ms (-1 for ever)."""
    blocked: dict[int, SeqMap[int, int]] = field(default_factory=dict)
    """group id -> {user on the group's block list -> when it was blocked, in ms}."""
    announcements: dict[int, SeqMap[int, Announcement]] = field(default_factory=dict)
    """group id -> {announcement id -> announcement}, oldest first."""
    files: dict[int, SeqMap[int, SharedFile]] = field(default_factory=dict)
    """group id -> {file id -> shared file}, oldest first."""
    qrcodes: dict[str, QrGrant] = field(default_factory=dict)
    """Signed invitation QR code -> what it grants."""
    application_ttl_ms: int = 7 * DAY_MS
    """How long an application stays pending before it expires."""
    qrcode_ttl_ms: int = 7 * DAY_MS
    """How long a signed invitation QR code stays valid."""
    next_id: int = 1_000_001
    """Next announcement or shared file id."""

    def take_id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def is_blocked(self, group_id: int, user_id: int) -> bool:
        return user_id in self.blocked.get(group_id, ())

    def any_blocked(self, group_id: int, user_ids: list[int]) -> bool:
        blocked = self.blocked.get(group_id)
        return blocked is not None and any(map(blocked.__contains__, user_ids))

    def ban_expiry(self, group_id: int, user_id: int, now_ms: int) -> int | None:
        """The user's own ban expiry in the group (ms, -1 for ever), None when not banned."""
        bans = self.bans.get(group_id)
        expiry = None if bans is None else bans.get(user_id)
        if expiry is None or (expiry != -1 and expiry <= now_ms):
            return None
        return expiry

    def is_banned(self, group_id: int, user_id: int, now_ms: int) -> bool:
        """Whether the user is banned on their own (the whole-group ban aside)."""
        return self.ban_expiry(group_id, user_id, now_ms) is not None

    def group_banned(self, group_id: int, now_ms: int) -> bool:
        """Whether the whole group is banned (only its admins and owner may speak)."""
        until = self.ban_all_until.get(group_id, 0)
        return until == -1 or until > now_ms
