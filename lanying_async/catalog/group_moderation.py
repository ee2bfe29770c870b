"""Catalog: group moderation (announcements, applications, invitations, bans,
block lists, shared files and invitation QR codes)."""

from __future__ import annotations

from lanying_async.catalog.groups import GROUP_IDS, GROUP_MEMBERS
from lanying_async.catalog.model import Operation, body, op, opt, req

APPROVAL = body(req("approval", "boolean"), req("group_id", "int64"), req("user_id", "int64"))

OPERATIONS: tuple[Operation, ...] = (
    op(
        "GET",
        "/group/announcement",
        "groups.announcement",
        query=(
            req("announcement_id", "int64"),
            req("group_id", "int64"),
        ),
    ),
    op(
        "POST/DELETE",
        "/group/announcement/delete",
        "groups.delete_announcement",
        query=(
            req("announcement_id", "int64"),
            req("group_id", "int64"),
        ),
    ),
    op(
        "POST",
        "/group/announcement/edit",
        "groups.edit_announcement",
        body=body(req("content", "string"), req("group_id", "int64"), req("title", "string")),
    ),
    op(
        "GET",
        "/group/announcement/last",
        "groups.last_announcement",
        query=(req("group_id", "int64"),),
    ),
    op(
        "GET", "/group/announcement/list", "groups.announcements", query=(req("group_id", "int64"),)
    ),
    op(
        "POST",
        "/group/application_list",
        "groups.applications",
        query=(
            opt("cursor", "string"),
            opt("limit", "int32"),
            opt("version", "int64"),
        ),
        body=GROUP_IDS,
    ),
    op(
        "POST",
        "/group/apply",
        "groups.apply",
        body=body(req("group_id", "int64"), opt("reason", "string")),
    ),
    op("POST/PUT", "/group/apply/handle", "groups.handle_application", body=APPROVAL),
    op(
        "POST",
        "/group/ban",
        "groups.ban",
        body=body(req("duration", "int64"), req("group_id", "int64"), req("user_list", "int64[]")),
    ),
    op(
        "GET",
        "/group/banned_list",
        "groups.banned",
        query=(
            opt("cursor", "string"),
            req("group_id", "int64"),
            opt("limit", "int32"),
            opt("version", "int64"),
        ),
    ),
    op("POST", "/group/block", "groups.block", body=GROUP_MEMBERS),
    op(
        "GET",
        "/group/blocked_list",
        "groups.blocked",
        query=(
            opt("cursor", "string"),
            req("group_id", "int64"),
            opt("limit", "int32"),
            opt("version", "int64"),
        ),
    ),
    op(
        "GET",
        "/group/file",
        "groups.file",
        query=(
            req("file_id", "int64"),
            req("group_id", "int64"),
        ),
    ),
    op(
        "POST/DELETE",
        "/group/file/delete",
        "groups.delete_files",
        body=body(req("file_list", "int64[]"), req("group_id", "int64")),
    ),
    op("GET", "/group/file/list", "groups.files", query=(req("group_id", "int64"),)),
    op(
        "POST/PUT",
        "/group/file/update_name",
        "groups.rename_file",
        body=body(req("file_id", "int64"), req("group_id", "int64"), req("name", "string")),
    ),
    op(
        "POST",
        "/group/file/upload",
        "groups.upload_file",
        body=body(
            req("group_id", "int64"),
            req("name", "string"),
            req("size", "int64"),
            opt("type", "string"),
            req("url", "string"),
        ),
    ),
    op(
        "GET",
        "/group/invitation_list",
        "groups.invitations",
        query=(
            opt("cursor", "string"),
            opt("limit", "int32"),
            opt("version", "int64"),
        ),
    ),
    op("POST/PUT", "/group/invite/handle", "groups.handle_invitation", body=APPROVAL),
    op(
        "POST", "/group/qrcode/invite", "groups.join_by_qrcode", body=body(req("qr_info", "string"))
    ),
    op("GET", "/group/qrcode/sign", "groups.qrcode", query=(req("group_id", "int64"),)),
    op(
        "POST",
        "/group/settings/ban_all",
        "groups.ban_all",
        body=body(req("duration", "int64"), req("group_id", "int64")),
    ),
    op(
        "POST", "/group/settings/unban_all", "groups.unban_all", body=body(req("group_id", "int64"))
    ),
    op("POST", "/group/unban", "groups.unban", body=GROUP_MEMBERS),
    op("POST/DELETE", "/group/unblock", "groups.unblock", body=GROUP_MEMBERS),
)
