"""Checking the `signature` header of a message callback.

The service sends, with every callback, a `signature` header holding the
callback secret configured for the app in the console, verbatim (it is a
shared secret, not a digest of the body). A receiver accepts a callback when
the header equals one of its secrets; several secrets are accepted at once so
that the secret can be rotated without refusing callbacks in between.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence

from lanying_async.config import Secret
from lanying_async.errors import ConfigurationError

from .errors import WebhookSignatureError

__all__ = ["SIGNATURE_HEADER", "SecretsLike", "WebhookSecrets", "verify_signature"]

SIGNATURE_HEADER = "signature"
"""Name of the header carrying the callback secret."""

SecretsLike = str | Secret | Sequence[str | Secret]
"""One secret, or several while rotating; plain strings or
[`Secret`][lanying_async.config.Secret]."""


def _as_bytes(value: str) -> bytes:
    # compare_digest refuses non-ASCII str; comparing UTF-8 bytes keeps any value comparable.
    return value.encode("utf-8", errors="surrogateescape")


class WebhookSecrets:
    """The secrets a receiver accepts, kept out of `repr`, `str` and logs.

    Built once by an adapter; raises `ConfigurationError` when no secret or
    an empty one is given, so a receiver never runs unprotected by accident.
    """

    __slots__ = ("_digests",)

    def __init__(self, secrets: SecretsLike | WebhookSecrets) -> None:
        if isinstance(secrets, WebhookSecrets):
            self._digests: tuple[bytes, ...] = secrets._digests
            return
        items = [secrets] if isinstance(secrets, str | Secret) else list(secrets)
        values = [item.reveal() if isinstance(item, Secret) else item for item in items]
        if not values:
            raise ConfigurationError("a webhook needs at least one callback secret")
        for value in values:
            if not isinstance(value, str) or not value:
                raise ConfigurationError("callback secrets must be non-empty strings")
        self._digests = tuple(_as_bytes(value) for value in values)

    def __repr__(self) -> str:
        return f"WebhookSecrets(<{len(self._digests)} hidden>)"

    __str__ = __repr__

    def __len__(self) -> int:
        return len(self._digests)

    def matches(self, header_value: str | bytes | None) -> bool:
        """Whether `header_value` equals one of the secrets (constant time per secret).

        Bytes are compared as they came off the wire; a string as its UTF-8
        bytes, which is what aiohttp decodes headers from.
        """
        if header_value is None:
            return False
        received = header_value if isinstance(header_value, bytes) else _as_bytes(header_value)
        # Compare against every secret, without stopping at the first match, so the
        # time taken says nothing about which secret matched.
        matched = False
        for secret in self._digests:
            matched |= hmac.compare_digest(received, secret)
        return matched

    def check(self, header_value: str | bytes | None) -> None:
        """Raise `WebhookSignatureError` unless `header_value` matches a secret."""
        if header_value is None:
            raise WebhookSignatureError(f"the {SIGNATURE_HEADER} header is missing")
        if not self.matches(header_value):
            raise WebhookSignatureError(f"the {SIGNATURE_HEADER} header matches no callback secret")


def verify_signature(header_value: str | bytes | None, secrets: SecretsLike) -> bool:
    """Whether the `signature` header value equals one of `secrets`.

    Comparisons take constant time (`hmac.compare_digest`). A missing header
    is never valid. Raises `ConfigurationError` when `secrets` is empty or
    holds an empty secret.
    """
    return WebhookSecrets(secrets).matches(header_value)
