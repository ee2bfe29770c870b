"""Per-app messaging state: conversations, read marks, recalls, pins and notifications.

Held by `AppState.messaging`. Sent messages stay in `AppState.messages`
(the delivery log); this module keeps the indexes built from that log, so
every operation runs in O(1) or O(log n + page):

* a *thread* is the ordered list of live (not recalled) message ids between
  two users, or of one group;
* a *conversation* is one entry of a user's recent-conversation list: the
  peer user or the group, the ids of the messages the user received there
  and the time of its last message. Lists are kept least recent first, so
  moving a conversation to the front is a dict pop and re-insert;
* a *read mark* is the highest message id a user acknowledged in a
  conversation; unread counts are the received ids above it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .state import MessageRecord, TransactionEntry

__all__ = [
    "AiExchange",
    "Broadcast",
    "Conversation",
    "IndexedMessage",
    "MessagingState",
    "ThreadKey",
    "add_sorted",
    "remove_sorted",
    "thread_key",
]

ThreadKey = tuple[int, int]
"""`(low, high)` user ids of a one-to-one thread, or `(0, group_id)`."""

TARGET_USER = 1
TARGET_GROUP = 2


def thread_key(target_type: int, a: int, b: int) -> ThreadKey:
    """The thread of users `a` and `b` (`target_type` 1) or of group `b` (2)."""
    if target_type == TARGET_GROUP:
        return (0, b)
    return (a, b) if a <= b else (b, a)


def add_sorted(ids: list[int], msg_id: int) -> None:
    """Insert `msg_id` into an ascending list (appending in the usual case)."""
    if not ids or ids[-1] < msg_id:
        ids.append(msg_id)
    else:
        insort(ids, msg_id)


def remove_sorted(ids: list[int], msg_id: int) -> bool:
    """Remove `msg_id` from an ascending list; False when it was not there."""
    index = bisect_left(ids, msg_id)
    if index < len(ids) and ids[index] == msg_id:
        del ids[index]
        return True
    return False


@dataclass(slots=True)
class IndexedMessage:
    """What the index knows about one delivered message."""

    record: MessageRecord
    thread: ThreadKey | None
    """None for a direct message without a sender (it belongs to no conversation)."""
    recipients: tuple[int, ...]
    """Users who received it (its sender excluded)."""
    content: str
    """Current content (APPEND/REPLACE messages edit it)."""
    recalled_by: int | None = None
    """Who recalled it (0 for the app admin); None while it is live."""

    @property
    def sender(self) -> int:
        return self.record.from_user_id or 0

    @property
    def recalled(self) -> bool:
        return self.recalled_by is not None


@dataclass(slots=True)
class Conversation:
    """One entry of a user's recent-conversation list."""

    conversation_id: int
    """The peer user's id, or the group's id."""
    target_type: int
    """1 one-to-one, 2 group."""
    incoming: list[int] = field(default_factory=list)
    """Live messages this user received here, ascending."""
    last_msg_id: int = 0
    last_at: int = 0


@dataclass(frozen=True, slots=True)
class Broadcast:
    """One message broadcast to every user of the app."""

    msg_id: int
    at_ms: int
    content: str
    content_type: int
    send_num: int
    ext: str | None = None
    config: str | None = None
    attachment: str | None = None


@dataclass(frozen=True, slots=True)
class AiExchange:
    """An answered AI request, replayed for a repeated `transaction_id`."""

    at_ms: int
    data: dict[str, Any]


@dataclass(slots=True)
class MessagingState:
    """Conversation indexes and the other messaging records of one app."""

    indexed: int = 0
    """How many records of `AppState.messages` the index has absorbed."""
    messages: dict[int, IndexedMessage] = field(default_factory=dict)
    """msg id -> indexed message."""
    threads: dict[ThreadKey, list[int]] = field(default_factory=dict)
    """thread -> live message ids, ascending."""
    conversations: dict[int, dict[int, Conversation]] = field(default_factory=dict)
    """user id -> {conversation id -> conversation}, least recently active first."""
    read_marks: dict[tuple[int, int], int] = field(default_factory=dict)
    """(user id, conversation id) -> highest acknowledged message id."""
    cleared: dict[tuple[int, int], int] = field(default_factory=dict)
    """(user id, conversation id) -> message id up to which the user deleted history."""
    pins: dict[int, dict[int, int]] = field(default_factory=dict)
    """user id -> {pinned conversation id -> pin time}, in pin order."""
    notifications: list[MessageRecord] = field(default_factory=list)
    """System notifications, one record per target."""
    notify_transactions: OrderedDict[int, TransactionEntry] = field(default_factory=OrderedDict)
    """Notification `transaction_id` -> executed notification, oldest first."""
    broadcasts: list[Broadcast] = field(default_factory=list)
    ai_transactions: OrderedDict[int, AiExchange] = field(default_factory=OrderedDict)
    """AI request `transaction_id` -> answer, oldest first."""

    # --- conversation lists -------------------------------------------------

    def conversations_of(self, user_id: int) -> dict[int, Conversation]:
        found = self.conversations.get(user_id)
        if found is None:
            found = self.conversations[user_id] = {}
        return found

    def touch(
        self, user_id: int, conversation_id: int, target_type: int, msg_id: int, at_ms: int
    ) -> Conversation:
        """Move (or add) a conversation to the front of the user's list."""
        convs = self.conversations_of(user_id)
        conv = convs.pop(conversation_id, None)
        if conv is None:
            conv = Conversation(conversation_id, target_type)
        convs[conversation_id] = conv
        if msg_id > conv.last_msg_id:
            conv.last_msg_id = msg_id
            conv.last_at = at_ms
        return conv

    def unread(self, user_id: int, conv: Conversation) -> int:
        mark = self.read_marks.get((user_id, conv.conversation_id), 0)
        return len(conv.incoming) - bisect_right(conv.incoming, mark)

    def mark_read(self, user_id: int, conversation_id: int, msg_id: int) -> None:
        key = (user_id, conversation_id)
        if msg_id > self.read_marks.get(key, 0):
            self.read_marks[key] = msg_id

    def delete_conversation(self, user_id: int, conversation_id: int, thread: ThreadKey) -> bool:
        """Drop it from the user's list and hide its history so far; False if absent."""
        removed = self.conversations_of(user_id).pop(conversation_id, None) is not None
        ids = self.threads.get(thread)
        if ids:
            key = (user_id, conversation_id)
            self.cleared[key] = max(self.cleared.get(key, 0), ids[-1])
        return removed

    # --- pins ---------------------------------------------------------------

    def pins_of(self, user_id: int) -> dict[int, int]:
        found = self.pins.get(user_id)
        if found is None:
            found = self.pins[user_id] = {}
        return found
