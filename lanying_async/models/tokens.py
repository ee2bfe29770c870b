"""Models for user access tokens obtained with a user's password."""

from __future__ import annotations

from lanying_async.models.base import Record, Request

__all__ = [
    "LoginNameTokenRequest",
    "TokenInfo",
    "UserIdTokenRequest",
    "UsernameTokenRequest",
]


class UserIdTokenRequest(Request):
    """Body of `POST /token/id`."""

    user_id: int
    password: str
    device_guid: str | None = None
    """The device's id; when set, the answer carries the device's push token."""


class UsernameTokenRequest(Request):
    """Body of `POST /token/user`."""

    name: str
    password: str
    device_guid: str | None = None


class LoginNameTokenRequest(Request):
    """Body of `POST /token/login`; `login_name` is a username, mobile or email."""

    login_name: str
    password: str
    device_guid: str | None = None


class TokenInfo(Record):
    """A user's access token and what comes with it.

    `token` is the `access-token` to call the API as that user (it acts
    only as its own user). `expire` is when it stops working, as the server's
    timestamp (milliseconds since the epoch). `push_token` is set only when a
    `device_guid` was sent; `store_token` and `access_key_secret` give
    access to stored files; `encrypt_type` tells whether connections are
    encrypted (non-zero) with `public_key`.
    """

    token: str = ""
    user_id: int = 0
    expire: int = 0
    push_token: str | None = None
    store_token: str | None = None
    access_key_secret: str | None = None
    public_key: str | None = None
    encrypt_type: int = 0
