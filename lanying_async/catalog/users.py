"""Catalog: user accounts (registration, profile, administration, devices)."""

from __future__ import annotations

from lanying_async.catalog.model import ID_LIST, Field, Operation, body, op, opt, req

TEXT = Field("body", "string", required=True)
"""A body that is the text itself (the extension info)."""

OPERATIONS: tuple[Operation, ...] = (
    op("POST/PUT", "/user/avatar", "users.set_avatar", body=body(req("avatar", "string"))),
    op(
        "POST/PUT",
        "/user/avatar/batch",
        "users.set_avatars",
        body=body(opt("list", "object[]", req("avatar", "string"), req("user_id", "int64"))),
    ),
    op(
        "POST",
        "/user/change_password",
        "users.change_password",
        body=body(req("new_password", "string"), req("old_password", "string")),
    ),
    op(
        "POST",
        "/user/change_password_admin",
        "users.reset_password",
        body=body(req("password", "string")),
    ),
    op("POST/DELETE", "/user/delete", "users.delete", body=body(opt("password", "string"))),
    op("GET", "/user/device/list", "users.devices"),
    op(
        "POST/DELETE",
        "/user/device/remove",
        "users.remove_device",
        query=(req("device_sn", "int32"),),
    ),
    op("PUT", "/user/disable", "users.disable", body=ID_LIST),
    op("PUT", "/user/enable", "users.enable", body=ID_LIST),
    op("POST/PUT", "/user/kick", "users.kick_device", query=(opt("device_sn", "int32"),)),
    op(
        "GET",
        "/user/list",
        "users.list",
        query=(
            opt("page_num", "int32"),
            opt("page_size", "int32"),
        ),
    ),
    op("POST/PUT", "/user/mobile", "users.set_mobile", query=(req("mobile", "string"),)),
    op("POST/PUT", "/user/nickname", "users.set_nickname", query=(req("nick_name", "string"),)),
    op("GET", "/user/online_status", "users.online_status"),
    op("POST/PUT", "/user/private", "users.set_private_info", body=TEXT),
    op("GET", "/user/profile", "users.profile"),
    op(
        "POST/PUT",
        "/user/profile",
        "users.update_profile",
        body=body(
            opt("description", "string"),
            opt("nick_name", "string"),
            opt("private_info", "string"),
            opt("public_info", "string"),
        ),
    ),
    op(
        "POST/PUT",
        "/user/profile/batch",
        "users.update_profiles",
        body=body(
            opt(
                "list",
                "object[]",
                opt("description", "string"),
                opt("nick_name", "string"),
                opt("private_info", "string"),
                opt("public_info", "string"),
                opt("user_id", "int64"),
            )
        ),
    ),
    op("POST/PUT", "/user/public", "users.set_public_info", body=TEXT),
    op(
        "POST",
        "/user/register/batch",
        "users.register_batch",
        body=body(opt("list", "object[]", req("password", "string"), req("username", "string"))),
    ),
    op(
        "POST",
        "/user/register/push",
        "users.register_push_user",
        body=body(
            opt("alias", "string"),
            opt("device_guid", "string"),
            req("password", "string"),
            opt("push_token", "string"),
            opt("sign", "string"),
            req("username", "string"),
        ),
    ),
    op(
        "POST",
        "/user/register/v2",
        "users.register",
        body=body(req("password", "string"), req("username", "string")),
    ),
    op("POST/PUT", "/user/username", "users.set_username", query=(req("username", "string"),)),
)
