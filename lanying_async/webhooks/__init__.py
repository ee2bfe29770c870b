"""Message callbacks: verify, decode and answer what the service POSTs for each message.

The Lanying service can route every message of an app to a callback URL: a
JSON `POST` per message, with a `signature` header equal to the callback
secret configured in the console. This package checks that header in
constant time (several secrets at once while rotating) and decodes the body
into a typed [`MessageCallback`][lanying_async.webhooks.models.MessageCallback]

```python
from lanying_async.webhooks import verify_callback

message = verify_callback(raw_body, headers.get("signature"), secrets=["new", "old"])
print(message.sender_id, message.type, message.content)
```

Ready-made adapters answer 401 for a bad signature and 400 for a bad body:
[`lanying_async.webhooks.aiohttp`][lanying_async.webhooks.aiohttp] (aiohttp.web) and
[`lanying_async.webhooks.fastapi`][lanying_async.webhooks.fastapi] (needs the `fastapi` extra;
imported only when you import it).
"""

from __future__ import annotations

from .errors import WebhookError, WebhookPayloadError, WebhookSignatureError
from .models import CallbackPeer, ChatType, MessageCallback, parse_callback
from .receiver import (
    DEFAULT_CALLBACK_PATH,
    DEFAULT_MAX_BODY_BYTES,
    CallbackHandler,
    status_for,
    verify_callback,
)
from .signature import SIGNATURE_HEADER, SecretsLike, WebhookSecrets, verify_signature

__all__ = [
    "DEFAULT_CALLBACK_PATH",
    "DEFAULT_MAX_BODY_BYTES",
    "SIGNATURE_HEADER",
    "CallbackHandler",
    "CallbackPeer",
    "ChatType",
    "MessageCallback",
    "SecretsLike",
    "WebhookError",
    "WebhookPayloadError",
    "WebhookSecrets",
    "WebhookSignatureError",
    "parse_callback",
    "status_for",
    "verify_callback",
    "verify_signature",
]
