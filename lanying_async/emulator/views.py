"""JSON views of state objects, shaped like the spec's response models."""

from __future__ import annotations

from typing import Any

from .state import Group, GroupMember, User

__all__ = ["group_view", "member_view", "user_settings_view"]


def user_settings_view(user: User) -> dict[str, Any]:
    """Spec model `UserSettings`; unset optional fields are omitted."""
    s = user.settings
    view: dict[str, Any] = {
        "user_id": user.user_id,
        "auto_download": s.auto_download,
        "group_confirm": s.group_confirm,
        "no_sounds": s.no_sounds,
        "no_push": s.no_push,
        "vibratory": s.vibratory,
        "no_push_detail": s.no_push_detail,
        "auth_mode": s.auth_mode,
        "no_push_start_hour": s.no_push_start_hour,
        "no_push_end_hour": s.no_push_end_hour,
    }
    optional = {
        "auth_question": s.auth_question,
        "auth_answer": s.auth_answer,
        "push_nick_name": s.push_nick_name,
        "push_token": s.push_token,
        "silence_start_time": s.silence_start_time,
        "silence_end_time": s.silence_end_time,
    }
    view.update((k, v) for k, v in optional.items() if v is not None)
    return view


def group_view(group: Group) -> dict[str, Any]:
    """Spec model `GroupInfoAndSettingsDto`."""
    return {
        "group_id": group.group_id,
        "name": group.name,
        "description": group.description,
        "avatar": group.avatar,
        "type": group.type,
        "owner_id": group.owner_id,
        "created_at": group.created_at,
        "updated_at": group.updated_at,
        "status": group.status,
        "member_invite": group.member_invite,
        "apply_approval": group.apply_approval,
        "read_ack": group.read_ack,
        "history_visible": group.history_visible,
        "member_modify": group.member_modify,
        "hide_member_info": group.hide_member_info,
        "capacity": group.capacity,
        "count": len(group.members),
        "ext": group.ext,
        "ban_expire_time": group.ban_expire_time,
        "msg_push_mode": group.msg_push_mode,
        "msg_mute_mode": group.msg_mute_mode,
    }


def member_view(member: GroupMember) -> dict[str, Any]:
    """Spec model of a group member; unset optional fields are omitted."""
    view: dict[str, Any] = {"user_id": member.user_id, "join_time": member.join_time}
    if member.display_name is not None:
        view["display_name"] = member.display_name
    if member.expired_time is not None:
        view["expired_time"] = member.expired_time
    return view
