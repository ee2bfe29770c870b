"""AI assistant route: `POST`/`PUT /ai/message/send`.

The body is a message request (targets, type, content, ...). The sender is
`from_user_id` or the calling user (10002 when there is neither, 10000
when unknown). Each target gets the user's message, and the assistant
answers at once with a deterministic text reply (see `reply_text()`):
for a user target the reply comes from that user (the assistant account) to
the sender, for a group it is posted to the group without a sender (the
sender must be a member: 20011). Both messages are delivered like any other,
so they show up in conversations and history. Every reply costs one message
of quota. A repeated `transaction_id` within the de-duplication window
answers the first result without running again.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..codes import Code
from ..envelope import BusinessError, ok_response
from ..state import MessageRecord
from ..state_messages import AiExchange
from ._common import (
    app_of,
    body_as,
    caller_of,
    invalid,
    mark_executed,
    require_active_group,
    state_of,
)
from .messages import (
    CTYPE_NAMES,
    TARGET_GROUPS,
    SendBody,
    announce,
    check_targets,
    message_record,
    replay,
    sync,
    validate_send,
    xid,
)

__all__ = ["reply_text", "setup"]

QUOTA_PER_REPLY = 1.0


def reply_text(content: str) -> str:
    """The emulated assistant's answer to `content`."""
    return f"AI reply: {content}"


async def send_message(request: web.Request) -> web.Response:
    body = body_as(request, SendBody)
    validate_send(body)
    app = app_of(request)
    m = app.messaging
    state = state_of(request)
    now = state.now_ms()
    tid = body.transaction_id
    if tid is not None:
        replayed = replay(m.ai_transactions, tid, now, state.transaction_window_ms)
        if replayed is not None:
            return ok_response(replayed.data)

    sender = body.from_user_id
    if sender is None:
        sender = caller_of(request).user_id
    if sender is None:
        raise invalid("from_user_id (or a user_id header) is required")
    if sender not in app.users:
        raise BusinessError(Code.USER_NOT_FOUND, f"user {sender} not found")
    check_targets(app, body)
    group_chat = body.type == TARGET_GROUPS
    if group_chat:
        for target in body.targets:
            if sender not in require_active_group(app, target).members:
                raise BusinessError(Code.MEMBER_REQUIRED)

    replies: list[dict[str, Any]] = []
    delivered: list[MessageRecord] = []
    for target in body.targets:
        delivered.append(message_record(body, state.msg_ids.take(), target, sender, now))
        reply = MessageRecord(
            msg_id=state.msg_ids.take(),
            target_type=body.type,
            to_id=target if group_chat else sender,
            from_user_id=None if group_chat else target,
            content=reply_text(body.content),
            content_type=0,
            timestamp=now,
        )
        delivered.append(reply)
        replies.append(
            {
                "msg_id": reply.msg_id,
                "from_xid": xid(reply.from_user_id),
                "to_xid": xid(reply.to_id),
                "type": "GROUPCHAT" if group_chat else "CHAT",
                "ctype": CTYPE_NAMES[reply.content_type],
                "content": reply.content,
                "timestamp": reply.timestamp,
            }
        )
    app.messages.extend(delivered)
    sync(app)
    data = {"message_quota_usage": QUOTA_PER_REPLY * len(replies), "messages": replies}
    if tid is not None:
        m.ai_transactions.pop(tid, None)
        m.ai_transactions[tid] = AiExchange(now, data)
    mark_executed(request)
    announce(request, delivered)
    return ok_response(data)


def setup(app: web.Application) -> None:
    """Register this domain's routes."""
    app.router.add_post("/ai/message/send", send_message)
    app.router.add_put("/ai/message/send", send_message)
