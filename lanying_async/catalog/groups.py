"""Catalog: groups (creation, membership, roles, information and settings)."""

from __future__ import annotations

from lanying_async.catalog.model import Operation, body, op, opt, req

GROUP_MEMBERS = body(req("group_id", "int64"), req("user_list", "int64[]"))
GROUP_INFO_VALUE = body(req("group_id", "int64"), req("value", "string"))
GROUP_IDS = body(req("group_list", "int64[]"))
GROUP_SETTING = body(req("group_id", "int64"), req("value", "boolean"))

OPERATIONS: tuple[Operation, ...] = (
    op("POST", "/group/admin/add", "groups.add_admins", body=GROUP_MEMBERS),
    op("POST/DELETE", "/group/admin/remove", "groups.remove_admins", body=GROUP_MEMBERS),
    op("GET", "/group/admin_list", "groups.admins", query=(req("group_id", "int64"),)),
    op(
        "POST",
        "/group/create",
        "groups.create",
        body=body(
            opt("avatar", "string"),
            opt("description", "string"),
            opt("name", "string"),
            opt("type", "int32"),
            opt("user_list", "int64[]"),
            required=False,
        ),
    ),
    op("POST/DELETE", "/group/destroy", "groups.destroy", query=(req("group_id", "int64"),)),
    op("POST/PUT", "/group/display_name", "groups.set_display_name", body=GROUP_INFO_VALUE),
    op("GET", "/group/info", "groups.info", query=(req("group_id", "int64"),)),
    op("POST/PUT", "/group/info/avatar", "groups.set_avatar", body=GROUP_INFO_VALUE),
    op("POST", "/group/info/batch", "groups.info_batch", body=GROUP_IDS),
    op("POST/PUT", "/group/info/description", "groups.set_description", body=GROUP_INFO_VALUE),
    op("POST/PUT", "/group/info/ext", "groups.set_ext", body=GROUP_INFO_VALUE),
    op("POST/PUT", "/group/info/name", "groups.set_name", body=GROUP_INFO_VALUE),
    op(
        "POST",
        "/group/invite",
        "groups.invite",
        body=body(req("group_id", "int64"), opt("reason", "string"), req("user_list", "int64[]")),
    ),
    op("POST/DELETE", "/group/kick", "groups.kick", body=GROUP_MEMBERS),
    op("POST/DELETE", "/group/leave", "groups.leave", query=(req("group_id", "int64"),)),
    op(
        "GET",
        "/group/member_list",
        "groups.members",
        query=(
            opt("cursor", "string"),
            req("group_id", "int64"),
            opt("limit", "int32"),
            opt("version", "int64"),
        ),
    ),
    op("POST", "/group/members/display_name", "groups.member_display_names", body=GROUP_MEMBERS),
    op(
        "POST/PUT",
        "/group/msg/mute_mode",
        "groups.set_mute_mode",
        body=body(req("group_id", "int64"), req("msg_mute_mode", "int32")),
    ),
    op(
        "POST/PUT",
        "/group/msg/push_mode",
        "groups.set_push_mode",
        body=body(req("group_id", "int64"), req("msg_push_mode", "int32")),
    ),
    op("GET", "/group/public_list", "groups.public_groups"),
    op("GET", "/group/settings", "groups.settings", query=(req("group_id", "int64"),)),
    op(
        "POST/PUT",
        "/group/settings/allow_member_invitation",
        "groups.set_allow_member_invitation",
        body=GROUP_SETTING,
    ),
    op(
        "POST/PUT",
        "/group/settings/allow_member_modify",
        "groups.set_allow_member_modify",
        body=GROUP_SETTING,
    ),
    op("POST/PUT", "/group/settings/enable_read_ack", "groups.set_read_ack", body=GROUP_SETTING),
    op(
        "POST/PUT",
        "/group/settings/hide_member_info",
        "groups.set_hide_member_info",
        body=GROUP_SETTING,
    ),
    op(
        "POST/PUT",
        "/group/settings/history_visible",
        "groups.set_history_visible",
        body=GROUP_SETTING,
    ),
    op(
        "POST/PUT",
        "/group/settings/require_admin_approval",
        "groups.set_apply_approval",
        body=body(req("apply_approval", "int32"), req("group_id", "int64")),
    ),
    op(
        "POST/PUT",
        "/group/transfer",
        "groups.transfer",
        body=body(req("group_id", "int64"), req("new_owner", "int64")),
    ),
    op("GET", "/group/user_joined", "groups.joined"),
)
