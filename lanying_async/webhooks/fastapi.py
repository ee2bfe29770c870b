"""FastAPI integration: a verified-callback dependency, a router, one client per app.

Needs FastAPI (`pip install 'lanying-async[fastapi]'`); the rest of
[`lanying_async.webhooks`][lanying_async.webhooks] works without it.

```python
from typing import Annotated
from fastapi import Depends, FastAPI
from lanying_async import LanyingClient
from lanying_async.webhooks import MessageCallback
from lanying_async.webhooks.fastapi import lanying_client, lanying_lifespan, verified_callback

app = FastAPI(lifespan=lanying_lifespan(LanyingClient))  # one pool, closed on shutdown
Client = Annotated[LanyingClient, Depends(lanying_client)]
Callback = Annotated[MessageCallback, Depends(verified_callback(secrets="..."))]

@app.post("/lanying/callback")
async def on_message(message: Callback, client: Client) -> None: ...
```

or, for a handler that needs only the message,
`app.include_router(callback_router(on_message, secrets="..."))`.

A bad `signature` header answers 401 (before the body is read), a bad or
oversized body 400 or 413, without running the route.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

try:
    from fastapi import APIRouter, HTTPException, Request, Response
except ImportError as exc:  # pragma: no cover - exercised in a subprocess without FastAPI
    raise ImportError(
        "lanying_async.webhooks.fastapi needs FastAPI: pip install 'lanying-async[fastapi]'"
    ) from exc

from lanying_async.client import LanyingClient

from .errors import WebhookError
from .models import MessageCallback, parse_callback
from .receiver import (
    DEFAULT_CALLBACK_PATH,
    DEFAULT_MAX_BODY_BYTES,
    CallbackHandler,
    status_for,
)
from .signature import SIGNATURE_HEADER, SecretsLike, WebhookSecrets

__all__ = [
    "CLIENT_STATE_KEY",
    "callback_router",
    "lanying_client",
    "lanying_lifespan",
    "verified_callback",
]

CLIENT_STATE_KEY = "lanying_client"
"""Name of the lifespan state entry holding the application's client."""


async def _read_limited(request: Request, limit: int) -> bytes:
    """The body, refused with 413 as soon as it grows past `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"callback body larger than {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPException(413, f"callback body larger than {limit} bytes")
    return bytes(body)


def _signature(request: Request) -> bytes | None:
    """The `signature` header's bytes as sent.

    Starlette decodes header values as latin-1; encoding back gives the exact
    bytes, so a secret that is not ASCII (sent as UTF-8) still compares equal.
    """
    value = request.headers.get(SIGNATURE_HEADER)
    return None if value is None else value.encode("latin-1")


def verified_callback(
    secrets: SecretsLike | WebhookSecrets, *, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
) -> Callable[[Request], Awaitable[MessageCallback]]:
    """A dependency giving the route the verified
    [`MessageCallback`][lanying_async.webhooks.models.MessageCallback].

    Use it as `Annotated[MessageCallback, Depends(verified_callback(secrets))]`.
    Raises `ConfigurationError` at once when no usable secret is given.
    """
    verified = WebhookSecrets(secrets)

    async def lanying_callback(request: Request) -> MessageCallback:
        try:
            verified.check(_signature(request))
            return parse_callback(await _read_limited(request, max_body_bytes))
        except WebhookError as error:
            raise HTTPException(status_for(error), str(error)) from None

    return lanying_callback


def callback_router(
    handler: CallbackHandler,
    secrets: SecretsLike | WebhookSecrets,
    *,
    path: str = DEFAULT_CALLBACK_PATH,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> APIRouter:
    """A router with one `POST path` route passing each verified message to `handler`.

    The route answers 200 with an empty body once `handler` has returned.
    """
    dependency = verified_callback(secrets, max_body_bytes=max_body_bytes)
    router = APIRouter()

    async def receive_callback(request: Request) -> Response:
        await handler(await dependency(request))
        return Response(status_code=200)

    router.add_api_route(path, receive_callback, methods=["POST"], include_in_schema=False)
    return router


def lanying_lifespan(
    factory: Callable[[], LanyingClient],
) -> Callable[[Any], AbstractAsyncContextManager[dict[str, Any]]]:
    """A FastAPI `lifespan`: one client per app, built at startup, closed on shutdown.

    `factory` builds the client (`LanyingClient` itself reads the `LANYING_*` environment
    variables). Routes get it through the
    [`lanying_client()`][lanying_async.webhooks.fastapi.lanying_client] dependency and share its
    connection pool.
    """

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[dict[str, Any]]:
        async with factory() as client:
            yield {CLIENT_STATE_KEY: client}

    return lifespan


def lanying_client(request: Request) -> LanyingClient:
    """Dependency: the client of the app's
    [`lanying_lifespan()`][lanying_async.webhooks.fastapi.lanying_lifespan]."""
    client = getattr(request.state, CLIENT_STATE_KEY, None)
    if not isinstance(client, LanyingClient):
        raise RuntimeError("no LanyingClient in the app state: use lanying_lifespan")
    return client
