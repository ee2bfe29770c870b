"""Catalog: messages, conversations and AI assistant messages."""

from __future__ import annotations

from lanying_async.catalog.model import Operation, body, op, opt, req

MESSAGE = body(
    opt("attachment", "string"),
    opt("config", "string"),
    req("content", "string"),
    req("content_type", "int32"),
    opt("ext", "string"),
    opt("from_user_id", "int64"),
    opt("online_only", "boolean"),
    opt("related_mid", "int64"),
    req("targets", "int64[]"),
    opt("transaction_id", "int64"),
    req("type", "int32"),
)
CONVERSATION = body(req("conversation_id", "int64"))

OPERATIONS: tuple[Operation, ...] = (
    op("POST/PUT", "/ai/message/send", "ai.send_message", "POST", body=MESSAGE),
    op(
        "GET",
        "/message/ack",
        "messages.ack",
        query=(
            opt("conversation_id", "int64"),
            opt("device_sn", "int32"),
            opt("msg_id", "int64"),
        ),
    ),
    op(
        "POST",
        "/message/broadcast",
        "messages.broadcast",
        body=body(
            opt("attachment", "string"),
            opt("config", "string"),
            opt("content", "string"),
            req("content_type", "int32"),
            opt("ext", "string"),
            req("type", "int32"),
        ),
    ),
    op(
        "GET",
        "/message/conversation",
        "messages.history",
        query=(
            req("limit", "int32"),
            req("msg_id_start", "int64"),
            req("opposite_id", "int64"),
        ),
    ),
    op(
        "DELETE",
        "/message/conversation",
        "messages.delete_conversation",
        query=(req("conversation_id", "int64"),),
    ),
    op("POST/PUT", "/message/notify", "messages.notify", "POST", body=MESSAGE),
    op(
        "POST/PUT",
        "/message/recall",
        "messages.recall",
        body=body(req("conversation_id", "int64"), req("msg_id", "int64")),
    ),
    op("POST/PUT", "/message/send", "messages.send", "POST", body=MESSAGE),
    op("GET", "/message/unread", "messages.unread"),
    op("POST/PUT", "/user/conversation/pin", "messages.pin_conversation", body=CONVERSATION),
    op("GET", "/user/conversation/pin_list", "messages.pinned_conversations"),
    op("POST/PUT", "/user/conversation/unpin", "messages.unpin_conversation", body=CONVERSATION),
)
