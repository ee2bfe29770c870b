"""The operation catalog: every API operation and the SDK method that performs it.

Facts only: the HTTP methods the API accepts on a path, the one the SDK sends
(where a path takes two verbs for the same operation, the SDK uses the one the
guide shows, else the non-POST verb for updates and deletes and POST for sends),
and the ``service.method`` a client exposes. The test suite checks this table
against the vendor's specification and proves every row runs against the
emulator.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CATALOG", "Operation", "by_sdk_method"]


@dataclass(frozen=True, slots=True)
class Operation:
    methods: tuple[str, ...]
    """Every HTTP method the API accepts for this operation."""
    path: str
    sdk: str
    """``service.method`` on a client, e.g. ``groups.invite``."""
    sends: str
    """The method the SDK sends."""


def _op(methods: str, path: str, sdk: str, sends: str | None = None) -> Operation:
    verbs = tuple(methods.split("/"))
    return Operation(verbs, path, sdk, sends or verbs[-1])


CATALOG: tuple[Operation, ...] = (
    # ai
    _op("POST/PUT", "/ai/message/send", "ai.send_message", "POST"),
    # files
    _op("GET", "/file/download/avatar", "files.download_avatar"),
    _op("GET", "/file/download/chat", "files.download_chat_file"),
    _op("GET", "/file/upload/avatar/group", "files.group_avatar_upload_url"),
    _op("GET", "/file/upload/avatar/user", "files.user_avatar_upload_url"),
    _op("GET", "/file/upload/chat", "files.chat_file_upload_url"),
    _op("GET", "/file/upload/forward", "files.forward_url"),
    # groups
    _op("POST", "/group/admin/add", "groups.add_admins"),
    _op("POST/DELETE", "/group/admin/remove", "groups.remove_admins"),
    _op("GET", "/group/admin_list", "groups.admins"),
    _op("GET", "/group/announcement", "groups.announcement"),
    _op("POST/DELETE", "/group/announcement/delete", "groups.delete_announcement"),
    _op("POST", "/group/announcement/edit", "groups.edit_announcement"),
    _op("GET", "/group/announcement/last", "groups.last_announcement"),
    _op("GET", "/group/announcement/list", "groups.announcements"),
    _op("POST", "/group/application_list", "groups.applications"),
    _op("POST", "/group/apply", "groups.apply"),
    _op("POST/PUT", "/group/apply/handle", "groups.handle_application"),
    _op("POST", "/group/ban", "groups.ban"),
    _op("GET", "/group/banned_list", "groups.banned"),
    _op("POST", "/group/block", "groups.block"),
    _op("GET", "/group/blocked_list", "groups.blocked"),
    _op("POST", "/group/create", "groups.create"),
    _op("POST/DELETE", "/group/destroy", "groups.destroy"),
    _op("POST/PUT", "/group/display_name", "groups.set_display_name"),
    _op("GET", "/group/file", "groups.file"),
    _op("POST/DELETE", "/group/file/delete", "groups.delete_files"),
    _op("GET", "/group/file/list", "groups.files"),
    _op("POST/PUT", "/group/file/update_name", "groups.rename_file"),
    _op("POST", "/group/file/upload", "groups.upload_file"),
    _op("GET", "/group/info", "groups.info"),
    _op("POST/PUT", "/group/info/avatar", "groups.set_avatar"),
    _op("POST", "/group/info/batch", "groups.info_batch"),
    _op("POST/PUT", "/group/info/description", "groups.set_description"),
    _op("POST/PUT", "/group/info/ext", "groups.set_ext"),
    _op("POST/PUT", "/group/info/name", "groups.set_name"),
    _op("GET", "/group/invitation_list", "groups.invitations"),
    _op("POST", "/group/invite", "groups.invite"),
    _op("POST/PUT", "/group/invite/handle", "groups.handle_invitation"),
    _op("POST/DELETE", "/group/kick", "groups.kick"),
    _op("POST/DELETE", "/group/leave", "groups.leave"),
    _op("GET", "/group/member_list", "groups.members"),
    _op("POST", "/group/members/display_name", "groups.member_display_names"),
    _op("POST/PUT", "/group/msg/mute_mode", "groups.set_mute_mode"),
    _op("POST/PUT", "/group/msg/push_mode", "groups.set_push_mode"),
    _op("GET", "/group/public_list", "groups.public_groups"),
    _op("POST", "/group/qrcode/invite", "groups.join_by_qrcode"),
    _op("GET", "/group/qrcode/sign", "groups.qrcode"),
    _op("GET", "/group/settings", "groups.settings"),
    _op(
        "POST/PUT",
        "/group/settings/allow_member_invitation",
        "groups.set_allow_member_invitation",
    ),
    _op("POST/PUT", "/group/settings/allow_member_modify", "groups.set_allow_member_modify"),
    _op("POST", "/group/settings/ban_all", "groups.ban_all"),
    _op("POST/PUT", "/group/settings/enable_read_ack", "groups.set_read_ack"),
    _op("POST/PUT", "/group/settings/hide_member_info", "groups.set_hide_member_info"),
    _op("POST/PUT", "/group/settings/history_visible", "groups.set_history_visible"),
    _op("POST/PUT", "/group/settings/require_admin_approval", "groups.set_apply_approval"),
    _op("POST", "/group/settings/unban_all", "groups.unban_all"),
    _op("POST/PUT", "/group/transfer", "groups.transfer"),
    _op("POST", "/group/unban", "groups.unban"),
    _op("POST/DELETE", "/group/unblock", "groups.unblock"),
    _op("GET", "/group/user_joined", "groups.joined"),
    # messages and conversations
    _op("GET", "/message/ack", "messages.ack"),
    _op("POST", "/message/broadcast", "messages.broadcast"),
    _op("GET", "/message/conversation", "messages.history"),
    _op("DELETE", "/message/conversation", "messages.delete_conversation"),
    _op("POST/PUT", "/message/notify", "messages.notify", "POST"),
    _op("POST/PUT", "/message/recall", "messages.recall"),
    _op("POST/PUT", "/message/send", "messages.send", "POST"),
    _op("GET", "/message/unread", "messages.unread"),
    _op("POST/PUT", "/user/conversation/pin", "messages.pin_conversation"),
    _op("GET", "/user/conversation/pin_list", "messages.pinned_conversations"),
    _op("POST/PUT", "/user/conversation/unpin", "messages.unpin_conversation"),
    # push
    _op("GET", "/push/certificate", "push.certificate"),
    _op("POST", "/push/notify", "push.notify"),
    _op("POST", "/push/task/detail", "push.task_details"),
    # roster (friends)
    _op("POST/PUT", "/roster/accept", "roster.accept"),
    _op("POST", "/roster/apply", "roster.apply"),
    _op("POST", "/roster/apply/batch", "roster.apply_batch"),
    _op("GET", "/roster/apply/list", "roster.applications"),
    _op("POST/PUT", "/roster/block", "roster.block"),
    _op("GET", "/roster/blocked_list", "roster.blocked"),
    _op("POST/PUT", "/roster/decline", "roster.decline"),
    _op("POST/DELETE", "/roster/delete", "roster.remove"),
    _op("POST/PUT", "/roster/ext", "roster.set_ext"),
    _op("GET", "/roster/id", "roster.search_by_id"),
    _op("GET", "/roster/list", "roster.friend_ids"),
    _op("POST", "/roster/list", "roster.friends"),
    _op("GET", "/roster/may_message", "roster.may_message"),
    _op("GET", "/roster/mobile", "roster.search_by_mobile"),
    _op("GET", "/roster/name", "roster.search_by_name"),
    _op("POST/DELETE", "/roster/unblock", "roster.unblock"),
    _op("POST", "/user/add_roster", "roster.add"),
    _op("GET", "/user/rosters", "roster.list"),
    # tokens
    _op("POST", "/token/id", "tokens.by_user_id"),
    _op("POST", "/token/login", "tokens.login"),
    _op("POST", "/token/user", "tokens.by_username"),
    # users: accounts
    _op("POST/PUT", "/user/avatar", "users.set_avatar"),
    _op("POST/PUT", "/user/avatar/batch", "users.set_avatars"),
    _op("POST", "/user/change_password", "users.change_password"),
    _op("POST", "/user/change_password_admin", "users.reset_password"),
    _op("POST/DELETE", "/user/delete", "users.delete"),
    _op("GET", "/user/device/list", "users.devices"),
    _op("POST/DELETE", "/user/device/remove", "users.remove_device"),
    _op("PUT", "/user/disable", "users.disable"),
    _op("PUT", "/user/enable", "users.enable"),
    _op("POST/PUT", "/user/kick", "users.kick_device"),
    _op("GET", "/user/list", "users.list"),
    _op("POST/PUT", "/user/mobile", "users.set_mobile"),
    _op("POST/PUT", "/user/nickname", "users.set_nickname"),
    _op("GET", "/user/online_status", "users.online_status"),
    _op("POST/PUT", "/user/private", "users.set_private_info"),
    _op("GET", "/user/profile", "users.profile"),
    _op("POST/PUT", "/user/profile", "users.update_profile"),
    _op("POST/PUT", "/user/profile/batch", "users.update_profiles"),
    _op("POST/PUT", "/user/public", "users.set_public_info"),
    _op("POST", "/user/register/batch", "users.register_batch"),
    _op("POST", "/user/register/push", "users.register_push_user"),
    _op("POST", "/user/register/v2", "users.register"),
    _op("POST/PUT", "/user/username", "users.set_username"),
    # users: settings and push preferences
    _op("POST/PUT", "/user/authmode", "users.set_auth_mode"),
    _op("POST/PUT", "/user/download", "users.set_auto_download"),
    _op("POST/PUT", "/user/push", "users.set_no_push"),
    _op("POST", "/user/push/alias", "users.set_push_alias"),
    _op("POST", "/user/push/badge", "users.set_push_badge"),
    _op("POST/PUT", "/user/push/detail", "users.set_no_push_detail"),
    _op("POST/PUT", "/user/push/limit", "users.set_push_quiet_hours"),
    _op("POST/PUT", "/user/push/nickname", "users.set_push_nickname"),
    _op("GET", "/user/push/tag", "users.push_tags"),
    _op("POST", "/user/push/tag", "users.add_push_tags"),
    _op("DELETE", "/user/push/tag", "users.remove_push_tags"),
    _op("DELETE", "/user/push/tag/all", "users.clear_push_tags"),
    _op("GET", "/user/settings", "users.settings"),
    _op("POST/PUT", "/user/settings", "users.update_settings"),
    _op("POST/PUT", "/user/sounds", "users.set_no_sounds"),
    _op("POST/PUT", "/user/token/bind", "users.bind_push_token"),
    _op("POST/DELETE", "/user/token/unbind", "users.unbind_push_token"),
    _op("POST/PUT", "/user/vibratory", "users.set_vibratory"),
)


def by_sdk_method() -> dict[str, Operation]:
    """The catalog keyed by ``service.method``."""
    return {op.sdk: op for op in CATALOG}
