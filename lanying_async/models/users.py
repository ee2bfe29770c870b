"""User models."""

from __future__ import annotations

from lanying_async.models.base import Request, Response

__all__ = ["RegisterUserRequest", "UserSettings"]


class RegisterUserRequest(Request):
    username: str
    password: str


class UserSettings(Response):
    """A user's id and settings, as returned by registration and ``GET /user/settings``.

    ``auth_mode`` compares equal to :class:`~lanying_async.AuthMode` members.
    """

    user_id: int = 0
    auto_download: bool = False
    group_confirm: bool = False
    no_sounds: bool = False
    no_push: bool = False
    vibratory: bool = False
    no_push_detail: bool = False
    auth_mode: int = 0
    auth_question: str | None = None
    auth_answer: str | None = None
    no_push_start_hour: int = 0
    no_push_end_hour: int = 0
    silence_start_time: int | None = None
    silence_end_time: int | None = None
    push_nick_name: str | None = None
    push_token: str | None = None
