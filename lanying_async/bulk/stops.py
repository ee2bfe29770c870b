"""Which failures stop a whole bulk job: errors no other chunk of it could escape.

A chunk refused because the access token is wrong, the app unknown, its
license gone, the server unreachable or the job's group gone would be
refused the same way for every chunk after it. Sending them all only turns
one mistake into thousands of failures: the job stops instead, after the
chunks already in flight, and the rest of its items are `not_started`.
"""

from __future__ import annotations

from collections.abc import Iterable

from lanying_async.errors import (
    HTTPStatusError,
    LanyingAPIError,
    LanyingConnectionError,
    LanyingError,
    LanyingTLSError,
)

__all__ = ["APP_WIDE_CODES", "GROUP_JOB_CODES", "JobWideErrors"]

APP_WIDE_CODES = frozenset({10003, 10008, 10010, 30021, 30022, 30023, 40000})
"""Business codes about the caller or the app, whatever the items: a missing
(10003) or invalid (10008) access token, a token without the permission
(10010), the license (30021-30023) and an unknown app (40000)."""

GROUP_JOB_CODES = frozenset({20001, 20011, 20012, 20013})
"""For a job on one group (invite, kick, ban...): the group is unknown or
destroyed (20001), or the acting user is not a member, an admin or the owner
as the operation needs (20011-20013). A group in repair mode (20006) may
come out of it, so that one fails only its chunk."""


class JobWideErrors:
    """Tells whether a chunk's error would meet every other chunk of the job too."""

    __slots__ = ("codes",)

    def __init__(self, extra_codes: Iterable[int] = ()) -> None:
        self.codes = APP_WIDE_CODES | frozenset(extra_codes)

    def __call__(self, error: LanyingError) -> bool:
        if isinstance(error, LanyingAPIError):
            return error.code in self.codes
        if isinstance(error, HTTPStatusError):
            return error.status in (401, 403)  # refused whoever asks for what
        if isinstance(error, LanyingTLSError):
            return True
        # The connection could not be made on any attempt (refused, no such host):
        # the retries already ran, so the next chunk would fail the same way.
        return isinstance(error, LanyingConnectionError) and not error.request_sent
