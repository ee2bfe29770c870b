"""Message and conversation routes.

`POST`/`PUT /message/send` delivers one message per target; as the spec
says, `msg_ids` (the new message's id) is answered only when there is
exactly one target, and left out for more. A repeated `transaction_id`
within the de-duplication window is not executed again and answers as the
first execution did.

Conversations are derived from the delivered messages (`AppState.messages`,
indexed lazily into `AppState.messaging`): a one-to-one message puts the
conversation at the front of both users' lists, a group message at the front
of every member's list. The conversation id is the peer user's id or the
group's id. A direct message without a sender (admin token, no
`from_user_id`) is delivered but belongs to no conversation. Messages of
content type READ_ACK (9) and RECALL (10) act on `related_mid` as a read
receipt or a recall by its sender; APPEND (11) and REPLACE (12) edit the
content of their sender's message `related_mid`. None of those four is
listed as a message of its own. Every other delivered message (sends and
notifications) is handed to the emulator's message-callback dispatcher, when
one is configured (`announce()`, `callbacks`).

Rules of the other routes (every user-scoped one answers 10002 without a
user caller):

* `GET /message/unread`: the caller's conversations, most recent first,
  with the number of received messages above the caller's read mark.
* `GET /message/ack`: `conversation_id` and `msg_id` are required; the
  conversation must be in the caller's list and the message in it (10002
  otherwise). Moves the caller's read mark up to `msg_id`.
* `GET /message/conversation`: messages newest first from `msg_id_start`
  (inclusive; 0 = the latest), at most `limit`; `next_msg_id` is the next
  older message and `is_last` tells when none is left. Unknown peer 10000,
  destroyed group 20001, non-member 20011. Recalled messages and history the
  caller deleted are not listed.
* `DELETE /message/conversation`: removes the conversation from the list
  and hides its messages so far from the caller; a new message brings it back.
  Unknown id 10000.
* `POST`/`PUT /message/recall`: unknown message or a message outside
  `conversation_id` 10002; only its sender, the app admin or (in a group) a
  group admin or owner may recall it, others 10010. A recalled message leaves
  the history and the unread counts; recalling it again changes nothing.
* `POST`/`PUT /message/notify`: a system notification, with the admin
  token alone (10010 otherwise); targets are checked like a send and a
  repeated `transaction_id` answers as the first did. Recorded in
  `messaging.notifications`, outside every conversation.
* `POST /message/broadcast`: with the admin token alone (10010 otherwise);
  `type` must be 1 and `content_type` 0-6. Answers how many users of the
  app it reached.
* `POST`/`PUT /user/conversation/pin` and `unpin`,
  `GET /user/conversation/pin_list`: pins per user in pin order. Pinning
  needs a known user (10000) or an active group (20001) the caller belongs
  to (20011), never the caller itself (10002). Pinning twice or unpinning a
  conversation that is not pinned changes nothing.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

import msgspec
from aiohttp import web

from ..auth import Caller, CallerKind
from ..callbacks import CALLBACKS_KEY
from ..codes import Code
from ..envelope import BusinessError, ok_response
from ..state import AppState, MessageRecord, TransactionEntry
from ..state_messages import (
    Broadcast,
    IndexedMessage,
    MessagingState,
    ThreadKey,
    add_sorted,
    remove_sorted,
    thread_key,
)
from ._common import (
    Access,
    access_to,
    app_of,
    body_as,
    caller_of,
    invalid,
    mark_executed,
    positive_id,
    query_int,
    require_active_group,
    require_user,
    state_of,
)

__all__ = [
    "CTYPE_NAMES",
    "SendBody",
    "announce",
    "callback_payload",
    "check_targets",
    "message_record",
    "replay",
    "setup",
    "sync",
    "validate_send",
    "xid",
]

TARGET_USERS = 1
TARGET_GROUPS = 2
CONTENT_TYPES = range(13)
"""0 text ... 7 forward, 9 read ack, 10 recall, 11 append, 12 replace."""
BROADCAST_CONTENT_TYPES = range(7)
"""Broadcasts carry 0 text ... 6 command."""
READ_ACK, RECALL, APPEND, REPLACE = 9, 10, 11, 12
CONTROL_TYPES = frozenset({READ_ACK, RECALL, APPEND, REPLACE})
CTYPE_NAMES: dict[int, str] = {
    0: "TEXT",
    1: "IMAGE",
    2: "AUDIO",
    3: "VIDEO",
    4: "FILE",
    5: "LOCATION",
    6: "COMMAND",
    7: "FORWARD",
}


class SendBody(msgspec.Struct):
    targets: list[int]
    type: int
    content: str
    content_type: int
    ext: str | None = None
    config: str | None = None
    attachment: str | None = None
    from_user_id: int | None = None
    online_only: bool | None = None
    related_mid: int | None = None
    transaction_id: int | None = None


class BroadcastBody(msgspec.Struct):
    type: int
    content_type: int
    content: str = ""
    ext: str | None = None
    config: str | None = None
    attachment: str | None = None


class RecallBody(msgspec.Struct):
    conversation_id: int
    msg_id: int


class ConversationBody(msgspec.Struct):
    conversation_id: int


# --- shared helpers -----------------------------------------------------------


class _Timed(Protocol):
    @property
    def at_ms(self) -> int: ...


E = TypeVar("E", bound=_Timed)


def replay(seen: OrderedDict[int, E], transaction_id: int, now: int, window: int) -> E | None:
    """The earlier execution of `transaction_id` still inside the window, if any."""
    while seen:
        oldest = seen[next(iter(seen))]
        if now - oldest.at_ms < window:
            break
        seen.popitem(last=False)
    return seen.get(transaction_id)


def validate_send(body: SendBody) -> None:
    if not body.targets:
        raise invalid("targets must not be empty")
    if body.type not in (TARGET_USERS, TARGET_GROUPS):
        raise invalid("type must be 1 (users) or 2 (groups)")
    if body.content_type not in CONTENT_TYPES:
        raise invalid("content_type must be between 0 and 12")


def check_targets(app: AppState, body: SendBody) -> None:
    """10000 for an unknown user target, 20001 for an unknown or destroyed group."""
    for target in body.targets:
        if body.type == TARGET_USERS:
            if target not in app.users:
                raise BusinessError(Code.USER_NOT_FOUND, f"user {target} not found")
        else:
            require_active_group(app, target)


def xid(uid: int | None) -> dict[str, int]:
    """A `{uid, device_sn}` pair; server-side sends carry device 0."""
    return {"uid": uid or 0, "device_sn": 0}


def callback_payload(app_id: str, record: MessageRecord) -> dict[str, Any]:
    """The message callback of one delivered message (`from.uid` 0 without a sender)."""
    payload: dict[str, Any] = {
        "appId": app_id,
        "msgId": record.msg_id,
        "from": {"uid": record.from_user_id or 0},
        "to": {"uid": record.to_id},
        "type": "GROUPCHAT" if record.target_type == TARGET_GROUPS else "CHAT",
        "ctype": CTYPE_NAMES.get(record.content_type, str(record.content_type)),
        "content": record.content,
    }
    for name in ("ext", "config", "attachment"):
        value = getattr(record, name)
        if value is not None:
            payload[name] = value
    return payload


def announce(request: web.Request, records: Sequence[MessageRecord]) -> None:
    """Hand delivered messages to the emulator's callback dispatcher, when there is one.

    Read receipts, recalls and edits (content types 9-12) act on other
    messages and are not announced.
    """
    dispatcher = request.app.get(CALLBACKS_KEY)
    if dispatcher is None:
        return
    app_id = app_of(request).app_id
    if dispatcher.target_for(app_id) is None:
        return
    dispatcher.dispatch(
        app_id,
        [
            callback_payload(app_id, record)
            for record in records
            if record.content_type not in CONTROL_TYPES
        ],
    )


# --- the conversation index -----------------------------------------------------


def sync(app: AppState) -> MessagingState:
    """Absorb the messages delivered since the last call into the indexes."""
    m = app.messaging
    records = app.messages
    while m.indexed < len(records):
        record = records[m.indexed]
        m.indexed += 1
        _absorb(app, m, record)
    return m


def _absorb(app: AppState, m: MessagingState, record: MessageRecord) -> None:
    if record.content_type in CONTROL_TYPES:
        _apply_control(m, record)
        return
    msg_id, sender, at = record.msg_id, record.from_user_id, record.timestamp
    key: ThreadKey | None
    recipients: tuple[int, ...]
    if record.target_type == TARGET_GROUPS:
        group_id = record.to_id
        key = thread_key(TARGET_GROUPS, 0, group_id)
        group = app.groups.get(group_id)
        members = () if group is None else tuple(member.user_id for member in group.members)
        recipients = tuple(user_id for user_id in members if user_id != sender)
        add_sorted(m.threads.setdefault(key, []), msg_id)
        if sender is not None:
            m.touch(sender, group_id, TARGET_GROUPS, msg_id, at)
        for user_id in recipients:
            add_sorted(m.touch(user_id, group_id, TARGET_GROUPS, msg_id, at).incoming, msg_id)
    elif sender is None:
        key, recipients = None, (record.to_id,)
    else:
        peer = record.to_id
        key = thread_key(TARGET_USERS, sender, peer)
        add_sorted(m.threads.setdefault(key, []), msg_id)
        m.touch(sender, peer, TARGET_USERS, msg_id, at)
        recipients = () if peer == sender else (peer,)
        for user_id in recipients:
            add_sorted(m.touch(user_id, sender, TARGET_USERS, msg_id, at).incoming, msg_id)
    m.messages[msg_id] = IndexedMessage(record, key, recipients, record.content)


def _conversation_for(msg: IndexedMessage, user_id: int) -> int | None:
    """The id under which `user_id` sees the message's conversation."""
    if msg.thread is None:
        return None
    low, high = msg.thread
    if low == 0:
        return high
    if user_id == low:
        return high
    return low if user_id == high else None


def _apply_control(m: MessagingState, record: MessageRecord) -> None:
    sender = record.from_user_id
    target = None if record.related_mid is None else m.messages.get(record.related_mid)
    if sender is None or target is None:
        return
    if record.content_type == READ_ACK:
        conversation_id = _conversation_for(target, sender)
        if conversation_id is not None:
            m.mark_read(sender, conversation_id, target.record.msg_id)
    elif sender == target.record.from_user_id and not target.recalled:
        if record.content_type == RECALL:
            recall(m, target, sender)
        elif record.content_type == APPEND:
            target.content += record.content
        else:
            target.content = record.content


def recall(m: MessagingState, msg: IndexedMessage, by: int) -> None:
    """Mark the message recalled and drop it from the thread and the unread counts."""
    msg.recalled_by = by
    msg_id = msg.record.msg_id
    if msg.thread is not None:
        remove_sorted(m.threads.get(msg.thread, []), msg_id)
    for user_id in msg.recipients:
        conversation_id = _conversation_for(msg, user_id)
        convs = m.conversations.get(user_id)
        conv = None if convs is None or conversation_id is None else convs.get(conversation_id)
        if conv is not None:
            remove_sorted(conv.incoming, msg_id)


def _status(m: MessagingState, msg: IndexedMessage, viewer: int, conversation_id: int) -> str:
    msg_id = msg.record.msg_id
    if msg.record.from_user_id == viewer:
        if msg.record.target_type == TARGET_GROUPS or conversation_id == viewer:
            return "DELIVERED"
        peer_mark = m.read_marks.get((conversation_id, viewer), 0)
        return "READ" if peer_mark >= msg_id else "DELIVERED"
    own_mark = m.read_marks.get((viewer, conversation_id), 0)
    return "READ" if own_mark >= msg_id else "UNREAD"


def _message_view(
    m: MessagingState, msg: IndexedMessage, viewer: int, conversation_id: int
) -> dict[str, Any]:
    record = msg.record
    view: dict[str, Any] = {
        "msg_id": record.msg_id,
        "from_xid": xid(record.from_user_id),
        "to_xid": xid(record.to_id),
        "ctype": CTYPE_NAMES.get(record.content_type, str(record.content_type)),
        "content": msg.content,
        "status": _status(m, msg, viewer, conversation_id),
        "timestamp": record.timestamp,
    }
    for name in ("ext", "config", "attachment"):
        value = getattr(record, name)
        if value is not None:
            view[name] = value
    return view


def _resolve(app: AppState, viewer: int, conversation_id: int) -> tuple[int, ThreadKey]:
    """Target type and thread of a conversation the viewer may use."""
    group = app.groups.get(conversation_id)
    if group is not None:
        if not group.active:
            raise BusinessError(Code.GROUP_NOT_FOUND)
        if viewer not in group.members:
            raise BusinessError(Code.MEMBER_REQUIRED)
        return TARGET_GROUPS, thread_key(TARGET_GROUPS, viewer, conversation_id)
    if conversation_id in app.users:
        return TARGET_USERS, thread_key(TARGET_USERS, viewer, conversation_id)
    raise BusinessError(Code.USER_NOT_FOUND, f"conversation {conversation_id} not found")


# --- routes ---------------------------------------------------------------------


def message_record(
    body: SendBody, msg_id: int, target: int, sender: int | None, now: int
) -> MessageRecord:
    """The record of `body` delivered to one `target`."""
    return MessageRecord(
        msg_id=msg_id,
        target_type=body.type,
        to_id=target,
        from_user_id=sender,
        content=body.content,
        content_type=body.content_type,
        timestamp=now,
        ext=body.ext,
        config=body.config,
        attachment=body.attachment,
        online_only=bool(body.online_only),
        related_mid=body.related_mid,
        transaction_id=body.transaction_id,
    )


def _deliver(
    request: web.Request,
    body: SendBody,
    sender: int | None,
    seen: OrderedDict[int, TransactionEntry],
    sink: list[MessageRecord],
) -> web.Response:
    """Record one message per target into `sink`, once per `transaction_id` in `seen`."""
    app = app_of(request)
    state = state_of(request)
    now = state.now_ms()
    tid = body.transaction_id
    if tid is not None:
        replayed = replay(seen, tid, now, state.transaction_window_ms)
        if replayed is not None:
            return ok_response(True, _ids_answer(replayed.msg_ids))

    if body.from_user_id is not None and body.from_user_id not in app.users:
        raise BusinessError(Code.USER_NOT_FOUND, f"user {body.from_user_id} not found")
    check_targets(app, body)
    records = [
        message_record(body, state.msg_ids.take(), target, sender, now) for target in body.targets
    ]
    sink.extend(records)
    msg_ids = [record.msg_id for record in records]
    if tid is not None:
        seen.pop(tid, None)
        seen[tid] = TransactionEntry(now, tuple(msg_ids))
    sync(app)
    mark_executed(request)
    announce(request, records)
    return ok_response(True, _ids_answer(msg_ids))


def _ids_answer(msg_ids: Sequence[int]) -> dict[str, Any] | None:
    """`msg_ids` beside `data`, for a single receiver only (the spec's `msg_ids`)."""
    return {"msg_ids": list(msg_ids)} if len(msg_ids) == 1 else None


async def send(request: web.Request) -> web.Response:
    body = body_as(request, SendBody)
    validate_send(body)
    sender = body.from_user_id
    if sender is None:
        sender = caller_of(request).user_id
    app = app_of(request)
    return _deliver(request, body, sender, app.transactions, app.messages)


def _require_superuser(caller: Caller) -> None:
    if caller.kind is not CallerKind.SUPERUSER:
        raise BusinessError(Code.PERMISSION_DENIED, "this operation needs the app admin token")


async def notify(request: web.Request) -> web.Response:
    _require_superuser(caller_of(request))
    body = body_as(request, SendBody)
    validate_send(body)
    m = app_of(request).messaging
    return _deliver(request, body, body.from_user_id, m.notify_transactions, m.notifications)


async def broadcast(request: web.Request) -> web.Response:
    _require_superuser(caller_of(request))
    body = body_as(request, BroadcastBody)
    if body.type != TARGET_USERS:
        raise invalid("type must be 1 (users)")
    if body.content_type not in BROADCAST_CONTENT_TYPES:
        raise invalid("content_type must be between 0 and 6")
    app = app_of(request)
    state = state_of(request)
    sent = len(app.users)
    app.messaging.broadcasts.append(
        Broadcast(
            msg_id=state.msg_ids.take(),
            at_ms=state.now_ms(),
            content=body.content,
            content_type=body.content_type,
            send_num=sent,
            ext=body.ext,
            config=body.config,
            attachment=body.attachment,
        )
    )
    mark_executed(request)
    return ok_response({"success": True, "send_num": sent})


async def unread(request: web.Request) -> web.Response:
    viewer = require_user(caller_of(request))
    m = sync(app_of(request))
    convs = m.conversations.get(viewer) or {}
    return ok_response(
        [
            {"conversation_id": {"uid": conv.conversation_id}, "num": m.unread(viewer, conv)}
            for conv in reversed(convs.values())
        ]
    )


async def ack(request: web.Request) -> web.Response:
    viewer = require_user(caller_of(request))
    conversation_id = positive_id(query_int(request, "conversation_id"), "conversation_id")
    msg_id = positive_id(query_int(request, "msg_id"), "msg_id")
    if query_int(request, "device_sn", 0) < 0:
        raise invalid("device_sn must not be negative")
    m = sync(app_of(request))
    conv = m.conversations_of(viewer).get(conversation_id)
    if conv is None:
        raise invalid(f"conversation {conversation_id} not found")
    msg = m.messages.get(msg_id)
    if msg is None or msg.thread != thread_key(conv.target_type, viewer, conversation_id):
        raise invalid(f"message {msg_id} not found in conversation {conversation_id}")
    m.mark_read(viewer, conversation_id, msg_id)
    mark_executed(request)
    return ok_response(True)


async def history(request: web.Request) -> web.Response:
    viewer = require_user(caller_of(request))
    conversation_id = positive_id(query_int(request, "opposite_id"), "opposite_id")
    start = query_int(request, "msg_id_start")
    limit = query_int(request, "limit")
    if start < 0:
        raise invalid("msg_id_start must not be negative")
    if limit < 1:
        raise invalid("limit must be positive")
    app = app_of(request)
    _, key = _resolve(app, viewer, conversation_id)
    m = sync(app)
    ids = m.threads.get(key, [])
    low = bisect_right(ids, m.cleared.get((viewer, conversation_id), 0))
    high = len(ids) if start == 0 else bisect_right(ids, start)
    first = max(low, high - limit)
    page = [
        _message_view(m, m.messages[msg_id], viewer, conversation_id)
        for msg_id in reversed(ids[first:high])
    ]
    data: dict[str, Any] = {"messages": page, "is_last": first <= low}
    if first > low:
        data["next_msg_id"] = ids[first - 1]
    return ok_response(data)


async def delete_conversation(request: web.Request) -> web.Response:
    viewer = require_user(caller_of(request))
    conversation_id = positive_id(query_int(request, "conversation_id"), "conversation_id")
    app = app_of(request)
    m = sync(app)
    conv = m.conversations_of(viewer).get(conversation_id)
    if conv is not None:
        target_type = conv.target_type
    elif conversation_id in app.groups:
        target_type = TARGET_GROUPS
    elif conversation_id in app.users:
        target_type = TARGET_USERS
    else:
        raise BusinessError(Code.USER_NOT_FOUND, f"conversation {conversation_id} not found")
    m.delete_conversation(viewer, conversation_id, thread_key(target_type, viewer, conversation_id))
    mark_executed(request)
    return ok_response(True)


def _recaller(app: AppState, caller: Caller, msg: IndexedMessage) -> int:
    """Who recalls (0 for the app admin); 10010 when the caller may not."""
    if caller.kind is CallerKind.SUPERUSER:
        return 0
    record = msg.record
    if caller.user_id is not None and caller.user_id == record.from_user_id:
        return caller.user_id
    if record.target_type == TARGET_GROUPS:
        group = app.active_group(record.to_id)
        if group is not None and access_to(caller, group) >= Access.ADMIN:
            return caller.user_id or 0
    raise BusinessError(Code.PERMISSION_DENIED, "only the sender or an admin may recall it")


async def recall_message(request: web.Request) -> web.Response:
    body = body_as(request, RecallBody)
    positive_id(body.conversation_id, "conversation_id")
    positive_id(body.msg_id, "msg_id")
    app = app_of(request)
    m = sync(app)
    msg = m.messages.get(body.msg_id)
    if msg is None:
        raise invalid(f"message {body.msg_id} not found")
    record = msg.record
    if record.target_type == TARGET_GROUPS:
        belongs = body.conversation_id == record.to_id
    else:
        belongs = body.conversation_id in (record.to_id, record.from_user_id)
    if not belongs:
        raise invalid(f"message {body.msg_id} is not in conversation {body.conversation_id}")
    by = _recaller(app, caller_of(request), msg)
    if msg.recalled:
        return ok_response(True)
    recall(m, msg, by)
    mark_executed(request)
    return ok_response(True)


async def pin(request: web.Request) -> web.Response:
    viewer = require_user(caller_of(request))
    body = body_as(request, ConversationBody)
    conversation_id = positive_id(body.conversation_id, "conversation_id")
    if conversation_id == viewer:
        raise invalid("a user cannot pin a conversation with itself")
    app = app_of(request)
    _resolve(app, viewer, conversation_id)
    pins = app.messaging.pins_of(viewer)
    if conversation_id not in pins:
        pins[conversation_id] = state_of(request).now_ms()
    mark_executed(request)
    return ok_response(True)


async def unpin(request: web.Request) -> web.Response:
    viewer = require_user(caller_of(request))
    body = body_as(request, ConversationBody)
    conversation_id = positive_id(body.conversation_id, "conversation_id")
    app_of(request).messaging.pins_of(viewer).pop(conversation_id, None)
    mark_executed(request)
    return ok_response(True)


async def pin_list(request: web.Request) -> web.Response:
    viewer = require_user(caller_of(request))
    pins = app_of(request).messaging.pins.get(viewer) or {}
    return ok_response({"conversation_ids": list(pins)})


def setup(app: web.Application) -> None:
    router = app.router
    router.add_post("/message/send", send)
    router.add_put("/message/send", send)
    router.add_post("/message/notify", notify)
    router.add_put("/message/notify", notify)
    router.add_post("/message/broadcast", broadcast)
    router.add_get("/message/unread", unread)
    router.add_get("/message/ack", ack)
    router.add_get("/message/conversation", history)
    router.add_delete("/message/conversation", delete_conversation)
    router.add_post("/message/recall", recall_message)
    router.add_put("/message/recall", recall_message)
    router.add_post("/user/conversation/pin", pin)
    router.add_put("/user/conversation/pin", pin)
    router.add_post("/user/conversation/unpin", unpin)
    router.add_put("/user/conversation/unpin", unpin)
    router.add_get("/user/conversation/pin_list", pin_list)
