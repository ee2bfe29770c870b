"""What every framework adapter does with a callback, independent of the framework."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from .errors import WebhookError, WebhookSignatureError
from .models import MessageCallback, parse_callback
from .signature import SecretsLike, WebhookSecrets

__all__ = [
    "DEFAULT_CALLBACK_PATH",
    "DEFAULT_MAX_BODY_BYTES",
    "CallbackHandler",
    "status_for",
    "verify_callback",
]

CallbackHandler = Callable[[MessageCallback], Awaitable[object]]
"""The application's coroutine function, called once per accepted callback."""

DEFAULT_CALLBACK_PATH = "/lanying/callback"
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
"""Bodies above this are refused unread: messages are far smaller."""


def verify_callback(
    raw: bytes, signature: str | None, secrets: SecretsLike | WebhookSecrets
) -> MessageCallback:
    """Check the `signature` header value, then decode `raw` into a message.

    The building block of the adapters, for any other framework: pass the raw
    body and the header value (None when absent). Raises
    `WebhookSignatureError` first (before looking at the body), then
    `WebhookPayloadError`.
    """
    WebhookSecrets(secrets).check(signature)
    return parse_callback(raw)


def status_for(error: WebhookError) -> int:
    """The HTTP status a receiver answers for `error`: 401 or 400."""
    return 401 if isinstance(error, WebhookSignatureError) else 400
