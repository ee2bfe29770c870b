"""Catalog: friends (roster). ``/user/add_roster`` and ``/user/rosters`` are
known from the vendor's guide alone, which marks all three of their headers required."""

from __future__ import annotations

from lanying_async.catalog.model import ID_LIST, Operation, array_body, body, op, opt, req

GUIDE_HEADERS = (
    req("app_id", "string"),
    req("access-token", "string"),
    req("user_id", "int64"),
)

OPERATIONS: tuple[Operation, ...] = (
    op("POST/PUT", "/roster/accept", "roster.accept", query=(req("user_id", "int64"),)),
    op(
        "POST",
        "/roster/apply",
        "roster.apply",
        body=body(
            opt("alias", "string"),
            opt("auth_answer", "string"),
            opt("reason", "string"),
            req("user_id", "int64"),
        ),
    ),
    op(
        "POST",
        "/roster/apply/batch",
        "roster.apply_batch",
        body=array_body(opt("alias", "string"), opt("reason", "string"), req("user_id", "int64")),
    ),
    op(
        "GET",
        "/roster/apply/list",
        "roster.applications",
        query=(
            opt("cursor", "string"),
            opt("limit", "int32"),
        ),
    ),
    op("POST/PUT", "/roster/block", "roster.block", query=(req("user_id", "int64"),)),
    op("GET", "/roster/blocked_list", "roster.blocked"),
    op(
        "POST/PUT",
        "/roster/decline",
        "roster.decline",
        body=body(opt("reason", "string"), req("user_id", "int64")),
    ),
    op("POST/DELETE", "/roster/delete", "roster.remove", query=(req("user_id", "int64"),)),
    op(
        "POST/PUT",
        "/roster/ext",
        "roster.set_ext",
        body=body(
            opt("alias", "string"),
            opt("ext", "string"),
            opt("mute_notification", "boolean"),
            req("user_id", "int64"),
        ),
    ),
    op("GET", "/roster/id", "roster.search_by_id", query=(req("user_id", "int64"),)),
    op(
        "GET",
        "/roster/list",
        "roster.friend_ids",
        query=(
            opt("cursor", "string"),
            opt("limit", "int32"),
        ),
    ),
    op("POST", "/roster/list", "roster.friends", body=ID_LIST),
    op(
        "GET",
        "/roster/may_message",
        "roster.may_message",
        query=(
            req("roster_id", "int64"),
            req("user_id", "int64"),
        ),
    ),
    op("GET", "/roster/mobile", "roster.search_by_mobile", query=(req("mobile", "string"),)),
    op("GET", "/roster/name", "roster.search_by_name", query=(req("username", "string"),)),
    op("POST/DELETE", "/roster/unblock", "roster.unblock", query=(req("user_id", "int64"),)),
    op(
        "POST",
        "/user/add_roster",
        "roster.add",
        body=body(req("list", "int64[]")),
        headers=GUIDE_HEADERS,
    ),
    op("GET", "/user/rosters", "roster.list", headers=GUIDE_HEADERS),
)
