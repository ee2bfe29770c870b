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
    """The id of the user logging in."""
    password: str
    """The user's password."""
    device_guid: str | None = None
    """The device's id; when set, the answer carries the device's push token."""


class UsernameTokenRequest(Request):
    """Body of `POST /token/user`."""

    name: str
    """The username of the user logging in."""
    password: str
    """The user's password."""
    device_guid: str | None = None
    """The device's id; when given, the answer includes a push token."""


class LoginNameTokenRequest(Request):
    """Body of `POST /token/login`; `login_name` is a username, mobile or email."""

    login_name: str
    """The user's login name: a mobile number, an email address or a username."""
    password: str
    """The user's password."""
    device_guid: str | None = None
    """The device's id; when given, the answer includes a push token."""


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
    """The user's access token for API calls."""
    user_id: int = 0
    """The id of the user the token acts for."""
    expire: int = 0
    """When the token stops working, in milliseconds since the epoch."""
    push_token: str | None = None
    """The device's push token (only when a `device_guid` was sent)."""
    store_token: str | None = None
    """The token for accessing stored files."""
    access_key_secret: str | None = None
    """The key for accessing stored files."""
    public_key: str | None = None
    """The public key for encrypted connections."""
    encrypt_type: int = 0
    """Whether connections are encrypted (non-zero: yes)."""
