"""Checking a durable job's operation arguments and input rows before anything is stored.

Arguments are kept in the store as JSON values, so each check returns the
JSON form (enums as their numbers or names, texts as texts). Every check
raises ``ValidationError`` naming the argument, before the job is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from lanying_async.errors import ValidationError
from lanying_async.models.enums import ContentType, TargetType
from lanying_async.models.push import PushMessage, PushSetting
from lanying_async.models.users import ProfileUpdate
from lanying_async.services.messages import message_request
from lanying_async.services.push import check_push_message, check_push_setting
from lanying_async.services.users_bulk import check_profile_update
from lanying_async.validation import check_id, check_text, check_username, optional_text

__all__ = [
    "AUDIENCE_KINDS",
    "PROFILE_FIELDS",
    "check_group_arguments",
    "check_lookup_arguments",
    "check_push_arguments",
    "check_register_row",
    "check_send_arguments",
    "no_arguments",
]

AUDIENCE_KINDS = ("user_id", "alias", "tag", "push_token", "all")
"""What a push job's input lists (``to``), or ``all`` for every device and no input."""
PROFILE_FIELDS = ("nick_name", "description", "public_info", "private_info")
"""The profile fields a register row may set once its user is registered."""


def _only(arguments: Mapping[str, Any], allowed: Sequence[str]) -> None:
    if not isinstance(arguments, Mapping):
        raise ValidationError("arguments", "must be a mapping of argument names to values")
    unknown = sorted(set(arguments) - set(allowed))
    if unknown:
        raise ValidationError(f"arguments.{unknown[0]}", "is not an argument of this operation")


def no_arguments(arguments: Mapping[str, Any]) -> dict[str, Any]:
    _only(arguments, ())
    return {}


def _struct(value: Any, kind: type[msgspec.Struct], field: str) -> msgspec.Struct:
    if isinstance(value, kind):
        return value
    try:
        return msgspec.convert(value, kind)
    except msgspec.ValidationError as exc:
        raise ValidationError(field, str(exc)) from None


def check_push_arguments(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """``to`` (what the input lists, default ``user_id``), ``message``, optional ``setting``.

    ``message`` is a [`PushMessage`][lanying_async.models.push.PushMessage] or its JSON object;
    ``setting`` a [`PushSetting`][lanying_async.models.push.PushSetting] without ``request_id`` (the
    job makes each chunk's).
    """
    _only(arguments, ("to", "message", "setting"))
    kind = arguments.get("to", "user_id")
    if kind not in AUDIENCE_KINDS:
        raise ValidationError("arguments.to", f"must be one of {', '.join(AUDIENCE_KINDS)}")
    if "message" not in arguments:
        raise ValidationError("arguments.message", "is required")
    message = _struct(arguments["message"], PushMessage, "arguments.message")
    check_push_message(message)
    checked: dict[str, Any] = {"to": kind, "message": msgspec.to_builtins(message)}
    setting = arguments.get("setting")
    if setting is not None:
        setting = _struct(setting, PushSetting, "arguments.setting")
        check_push_setting(setting)
        assert isinstance(setting, PushSetting)
        if setting.request_id is not None:
            raise ValidationError(
                "arguments.setting.request_id", "is made by the job for each chunk: leave it out"
            )
        checked["setting"] = msgspec.to_builtins(setting)
    return checked


_SEND_ARGUMENTS = (
    "content",
    "target_type",
    "content_type",
    "ext",
    "config",
    "attachment",
    "from_user_id",
    "online_only",
)


def check_send_arguments(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments of ``messages.send`` but the targets (the input) and ``options``.

    ``content`` is required; ``target_type`` (``TargetType``, users by
    default) and ``content_type`` (``ContentType``, text by default) are kept
    as their numbers; ``ext``, ``config`` and ``attachment`` as JSON text.
    """
    _only(arguments, _SEND_ARGUMENTS)
    if "content" not in arguments:
        raise ValidationError("arguments.content", "is required")
    body = message_request(
        [1],
        arguments["content"],
        target_type=arguments.get("target_type", TargetType.USER),
        content_type=arguments.get("content_type", ContentType.TEXT),
        ext=arguments.get("ext"),
        config=arguments.get("config"),
        attachment=arguments.get("attachment"),
        from_user_id=arguments.get("from_user_id"),
        online_only=arguments.get("online_only"),
        transaction_id=1,  # each chunk gets its own
    )
    checked: dict[str, Any] = {
        "content": body.content,
        "target_type": body.type,
        "content_type": body.content_type,
    }
    for name, value in (
        ("ext", body.ext),
        ("config", body.config),
        ("attachment", body.attachment),
        ("from_user_id", body.from_user_id),
        ("online_only", body.online_only),
    ):
        if value is not None:
            checked[name] = value
    return checked


def check_group_arguments(arguments: Mapping[str, Any], *, invite: bool) -> dict[str, Any]:
    """``group_id``; who acts: ``as_user`` (a user id) or ``as_group_admin`` (True);
    for an invitation, an optional ``reason``."""
    _only(arguments, ("group_id", "as_user", "as_group_admin", *(("reason",) if invite else ())))
    checked: dict[str, Any] = {
        "group_id": check_id(arguments.get("group_id"), "arguments.group_id")
    }
    as_user = arguments.get("as_user")
    as_admin = arguments.get("as_group_admin", False)
    if not isinstance(as_admin, bool):
        raise ValidationError("arguments.as_group_admin", "must be a bool")
    if (as_user is None) == (not as_admin):
        raise ValidationError("arguments.as_user", "give as_user or as_group_admin=True (one)")
    if as_user is not None:
        checked["as_user"] = check_id(as_user, "arguments.as_user")
    else:
        checked["as_group_admin"] = True
    reason = optional_text(arguments.get("reason"), "arguments.reason", allow_empty=True)
    if reason is not None:
        checked["reason"] = reason
    return checked


def check_lookup_arguments(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """``register``: optional ``lookup_as``, the user who looks usernames up when a chunk is
    sent again (by default a user the job registered)."""
    _only(arguments, ("lookup_as",))
    lookup_as = arguments.get("lookup_as")
    return {} if lookup_as is None else {"lookup_as": check_id(lookup_as, "arguments.lookup_as")}


def check_register_row(item: Any, field: str) -> list[Any]:
    """``(username, password)`` or ``(username, password, profile)``, as stored.

    ``profile`` maps some of [`PROFILE_FIELDS`][lanying_async.jobs.operations_args.PROFILE_FIELDS]
    to texts, set once the user is registered. Only the field name is given in errors: a row holds a
    password.
    """
    if not isinstance(item, tuple | list) or len(item) not in (2, 3):
        raise ValidationError(
            field, "must be (username, password) or (username, password, profile)"
        )
    username = check_username(item[0], f"{field}.username")
    password = check_text(item[1], f"{field}.password")
    if len(item) == 2 or not item[2]:
        return [username, password]
    profile = item[2]
    if not isinstance(profile, Mapping):
        raise ValidationError(f"{field}.profile", "must be a mapping of profile fields")
    unknown = sorted(set(profile) - set(PROFILE_FIELDS))
    if unknown:
        raise ValidationError(f"{field}.profile.{unknown[0]}", "is not a profile field")
    # ProfileUpdate's own check: every value a sendable text.
    check_profile_update(ProfileUpdate(user_id=1, **profile), f"{field}.profile")
    return [username, password, dict(profile)]
