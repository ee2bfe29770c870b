"""Catalog: user access tokens obtained with a password."""

from __future__ import annotations

from lanying_async.catalog.model import Operation, body, op, opt, req

OPERATIONS: tuple[Operation, ...] = (
    op(
        "POST",
        "/token/id",
        "tokens.by_user_id",
        body=body(opt("device_guid", "string"), req("password", "string"), req("user_id", "int64")),
    ),
    op(
        "POST",
        "/token/login",
        "tokens.login",
        body=body(
            opt("device_guid", "string"), req("login_name", "string"), req("password", "string")
        ),
    ),
    op(
        "POST",
        "/token/user",
        "tokens.by_username",
        body=body(opt("device_guid", "string"), req("name", "string"), req("password", "string")),
    ),
)
