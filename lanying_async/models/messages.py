"""Message models."""

from __future__ import annotations

import msgspec

from lanying_async.models.base import Request, Response

__all__ = ["SendMessageRequest", "SendResult"]


class SendMessageRequest(Request):
    targets: list[int]
    type: int
    content: str
    content_type: int
    ext: str | None = None
    config: str | None = None
    attachment: str | None = None
    from_user_id: int | None = None
    online_only: bool | None = None
    related_mid: int | None = None
    transaction_id: int | None = None


class SendResult(Response):
    """What a send returned: the new message ids (when the server reports them)
    and the ``transaction_id`` the SDK used to make retries safe."""

    ok: bool = False
    msg_ids: list[int] = msgspec.field(default_factory=list)
    transaction_id: int | None = None
