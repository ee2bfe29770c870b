"""Message routes: ``POST``/``PUT /message/send``.

A send with N targets delivers N messages and answers their ids in
``msg_ids``. A repeated ``transaction_id`` within the de-duplication window
is not executed again and answers the ids of the first execution.
"""

from __future__ import annotations

import msgspec
from aiohttp import web

from ..codes import Code
from ..envelope import BusinessError, ok_response
from ..state import AppState, MessageRecord, TransactionEntry
from ._common import (
    app_of,
    body_as,
    caller_of,
    invalid,
    mark_executed,
    require_active_group,
    state_of,
)

__all__ = ["setup"]

TARGET_USERS = 1
TARGET_GROUPS = 2
CONTENT_TYPES = range(13)
"""0 text ... 7 forward, 9 read ack, 10 recall, 11 append, 12 replace."""


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


def _replay(app: AppState, transaction_id: int, now: int, window: int) -> tuple[int, ...] | None:
    """Ids of an earlier execution of ``transaction_id`` still inside the window."""
    seen = app.transactions
    while seen:
        oldest = seen[next(iter(seen))]
        if now - oldest.at_ms < window:
            break
        seen.popitem(last=False)
    entry = seen.get(transaction_id)
    return None if entry is None else entry.msg_ids


async def send(request: web.Request) -> web.Response:
    body = body_as(request, SendBody)
    if not body.targets:
        raise invalid("targets must not be empty")
    if body.type not in (TARGET_USERS, TARGET_GROUPS):
        raise invalid("type must be 1 (users) or 2 (groups)")
    if body.content_type not in CONTENT_TYPES:
        raise invalid("content_type must be between 0 and 12")

    app = app_of(request)
    state = state_of(request)
    now = state.now_ms()
    tid = body.transaction_id
    if tid is not None:
        replayed = _replay(app, tid, now, state.transaction_window_ms)
        if replayed is not None:
            return ok_response(True, {"msg_ids": list(replayed)})

    if body.from_user_id is not None and body.from_user_id not in app.users:
        raise BusinessError(Code.USER_NOT_FOUND, f"user {body.from_user_id} not found")
    for target in body.targets:
        if body.type == TARGET_USERS:
            if target not in app.users:
                raise BusinessError(Code.USER_NOT_FOUND, f"user {target} not found")
        else:
            require_active_group(app, target)

    sender = body.from_user_id
    if sender is None:
        sender = caller_of(request).user_id
    msg_ids: list[int] = []
    for target in body.targets:
        msg_id = state.msg_ids.take()
        msg_ids.append(msg_id)
        app.messages.append(
            MessageRecord(
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
                transaction_id=tid,
            )
        )
    if tid is not None:
        app.transactions.pop(tid, None)
        app.transactions[tid] = TransactionEntry(now, tuple(msg_ids))
    mark_executed(request)
    return ok_response(True, {"msg_ids": msg_ids})


def setup(app: web.Application) -> None:
    app.router.add_post("/message/send", send)
    app.router.add_put("/message/send", send)
