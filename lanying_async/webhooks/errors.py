"""Why a message callback was refused: a bad signature or a bad body."""

from __future__ import annotations

from lanying_async.errors import LanyingError

__all__ = ["WebhookError", "WebhookPayloadError", "WebhookSignatureError"]


class WebhookError(LanyingError):
    """A message callback could not be accepted."""


class WebhookSignatureError(WebhookError):
    """The `signature` header is missing or matches none of the configured secrets.

    The message never names the secrets nor echoes the header received.
    """


class WebhookPayloadError(WebhookError, ValueError):
    """The callback body is not a JSON message of the expected shape.

    `reason` says what was wrong (e.g. a missing field and its path).
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"invalid message callback: {reason}")
