"""Catalog: files (upload URLs for avatars and chat files, downloads, forwards)."""

from __future__ import annotations

from lanying_async.catalog.model import Operation, op, opt, req

OPERATIONS: tuple[Operation, ...] = (
    op(
        "GET",
        "/file/download/avatar",
        "files.download_avatar",
        query=(
            opt("h", "number"),
            opt("image_type", "int32"),
            req("object_name", "string"),
            opt("sdk_sign", "string"),
            opt("store_token", "string"),
            opt("thumbnail_strategy", "int32"),
            opt("w", "number"),
        ),
    ),
    op(
        "GET",
        "/file/download/chat",
        "files.download_chat_file",
        query=(
            req("file_sign", "string"),
            opt("format", "string"),
            opt("h", "number"),
            opt("image_type", "int32"),
            opt("sdk_sign", "string"),
            opt("source", "string"),
            opt("store_token", "string"),
            opt("thumbnail_strategy", "int32"),
            opt("w", "number"),
        ),
    ),
    op(
        "GET",
        "/file/upload/avatar/group",
        "files.group_avatar_upload_url",
        query=(req("group_id", "int64"),),
    ),
    op("GET", "/file/upload/avatar/user", "files.user_avatar_upload_url"),
    op(
        "GET",
        "/file/upload/chat",
        "files.chat_file_upload_url",
        query=(
            req("file_type", "int32"),
            req("to_id", "int64"),
            opt("to_type", "int32"),
        ),
    ),
    op(
        "GET",
        "/file/upload/forward",
        "files.forward_url",
        query=(
            req("file_sign", "string"),
            req("to_id", "int64"),
            opt("to_type", "int32"),
        ),
    ),
)
