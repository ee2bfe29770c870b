"""Catalog: push notifications, their statistics and the push certificates."""

from __future__ import annotations

from lanying_async.catalog.model import ID_LIST, Operation, body, op, opt, req

ANDROID = (
    opt("channel_id", "string"),
    opt("click_action", "string"),
    opt("intent", "string"),
    opt("sound", "string"),
)
"""The options of Android and of each Android vendor's push channel."""

OPERATIONS: tuple[Operation, ...] = (
    op(
        "GET",
        "/push/certificate",
        "push.certificate",
        query=(
            opt("environment", "int32"),
            req("provider", "int32"),
        ),
    ),
    op(
        "POST",
        "/push/notify",
        "push.notify",
        body=body(
            opt("audience", "object"),
            opt(
                "message",
                "object",
                opt("android", "object", *ANDROID),
                opt("attachment_url", "string"),
                opt("badge", "string"),
                opt("big_text", "string"),
                opt("body", "string"),
                opt("ext", "object"),
                opt("fcm", "object", *ANDROID),
                opt("flyme", "object", *ANDROID),
                opt("huawei", "object", opt("badge_class", "string"), *ANDROID),
                opt(
                    "ios",
                    "object",
                    opt("apns_collapse_id", "string"),
                    opt("category", "string"),
                    opt("content_available", "boolean"),
                    opt("mutable_content", "boolean"),
                    opt("sound", "string"),
                    opt("subtitle", "string"),
                    opt("thread_id", "string"),
                ),
                opt("oppo", "object", *ANDROID),
                opt("show_begin_time", "int64"),
                opt("show_end_time", "int64"),
                opt("title", "string"),
                opt("type", "string"),
                opt(
                    "vivo",
                    "object",
                    opt("classification", "int32"),
                    opt("push_mode", "int32"),
                    *ANDROID,
                ),
                opt("xiaomi", "object", *ANDROID),
            ),
            opt(
                "setting",
                "object",
                opt("distribution_strategy", "string"),
                opt("ospush_sequence", "string[]"),
                opt("request_id", "string"),
            ),
        ),
    ),
    op("POST", "/push/task/detail", "push.task_details", body=ID_LIST),
)
