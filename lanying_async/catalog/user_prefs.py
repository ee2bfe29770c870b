"""Catalog: a user's settings and push preferences."""

from __future__ import annotations

from lanying_async.catalog.model import Operation, body, op, opt, req

TAGS = body(req("tags", "string[]"))

OPERATIONS: tuple[Operation, ...] = (
    op("POST/PUT", "/user/authmode", "users.set_auth_mode", query=(req("value", "int32"),)),
    op("POST/PUT", "/user/download", "users.set_auto_download", query=(req("value", "boolean"),)),
    op("POST/PUT", "/user/push", "users.set_no_push", query=(req("value", "boolean"),)),
    op(
        "POST",
        "/user/push/alias",
        "users.set_push_alias",
        body=body(req("alias", "string"), opt("push_token", "string")),
    ),
    op("POST", "/user/push/badge", "users.set_push_badge", body=body(req("badge", "int32"))),
    op(
        "POST/PUT",
        "/user/push/detail",
        "users.set_no_push_detail",
        query=(req("value", "boolean"),),
    ),
    op(
        "POST/PUT",
        "/user/push/limit",
        "users.set_push_quiet_hours",
        query=(
            req("no_push_end_hour", "int32"),
            req("no_push_start_hour", "int32"),
        ),
    ),
    op(
        "POST/PUT",
        "/user/push/nickname",
        "users.set_push_nickname",
        query=(req("value", "string"),),
    ),
    op("GET", "/user/push/tag", "users.push_tags"),
    op("POST", "/user/push/tag", "users.add_push_tags", body=TAGS),
    op("DELETE", "/user/push/tag", "users.remove_push_tags", body=TAGS),
    op("DELETE", "/user/push/tag/all", "users.clear_push_tags"),
    op("GET", "/user/settings", "users.settings"),
    op(
        "POST/PUT",
        "/user/settings",
        "users.update_settings",
        body=body(
            opt("auth_answer", "string"),
            opt("auth_mode", "int32"),
            opt("auth_question", "string"),
            opt("auto_download", "boolean"),
            opt("group_confirm", "boolean"),
            opt("id", "int64"),
            opt("no_push", "boolean"),
            opt("no_push_detail", "boolean"),
            opt("no_push_end_hour", "int32"),
            opt("no_push_start_hour", "int32"),
            opt("no_sounds", "boolean"),
            opt("push_nick_name", "string"),
            opt("push_token", "string"),
            opt("silence_end_time", "int32"),
            opt("silence_start_time", "int32"),
            req("user_id", "int64"),
            opt("vibratory", "boolean"),
        ),
    ),
    op("POST/PUT", "/user/sounds", "users.set_no_sounds", query=(req("value", "boolean"),)),
    op(
        "POST/PUT",
        "/user/token/bind",
        "users.bind_push_token",
        body=body(
            req("device_sn", "int32"), req("device_token", "string"), req("notifier_name", "string")
        ),
    ),
    op(
        "POST/DELETE",
        "/user/token/unbind",
        "users.unbind_push_token",
        query=(req("deviceSn", "int32"),),
    ),
    op("POST/PUT", "/user/vibratory", "users.set_vibratory", query=(req("value", "boolean"),)),
)
