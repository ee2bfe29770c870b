"""aiohttp.web integration: a callback handler and one client per application.

```python
from aiohttp import web
from lanying_async import LanyingClient
from lanying_async.webhooks import MessageCallback
from lanying_async.webhooks.aiohttp import LANYING_CLIENT_KEY, callback_handler, client_context

app = web.Application()
app.cleanup_ctx.append(client_context(LanyingClient))  # one pool, closed on shutdown

async def on_message(message: MessageCallback) -> None:
    client = app[LANYING_CLIENT_KEY]
    ...

app.router.add_post("/lanying/callback", callback_handler(on_message, secrets="..."))
```

A bad `signature` header answers 401 and a bad body 400, without calling the
handler; an accepted callback answers 200 once the handler has returned (an
exception in it answers 500, so the sender sees the failure).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web

from lanying_async.client import LanyingClient

from .errors import WebhookError
from .models import MessageCallback, parse_callback
from .receiver import CallbackHandler, status_for
from .signature import SIGNATURE_HEADER, SecretsLike, WebhookSecrets

__all__ = ["LANYING_CLIENT_KEY", "callback_handler", "client_context", "read_callback"]

LANYING_CLIENT_KEY = web.AppKey("lanying_client", LanyingClient)
"""Where [`client_context()`][lanying_async.webhooks.aiohttp.client_context] keeps the application's
client."""


def _refusal(error: WebhookError) -> web.HTTPException:
    if status_for(error) == 401:
        return web.HTTPUnauthorized(text=str(error))
    return web.HTTPBadRequest(text=str(error))


async def read_callback(
    request: web.Request, secrets: SecretsLike | WebhookSecrets
) -> MessageCallback:
    """The verified message of a callback request, for handlers you write yourself.

    Raises `web.HTTPUnauthorized` (401) for a bad `signature` header, checked
    before the body is read, and `web.HTTPBadRequest` (400) for a bad body.
    The body is limited by the application's `client_max_size` (413 above it).
    """
    verified = WebhookSecrets(secrets)
    try:
        verified.check(request.headers.get(SIGNATURE_HEADER))
        return parse_callback(await request.read())
    except WebhookError as error:
        raise _refusal(error) from None


def callback_handler(
    handler: CallbackHandler, secrets: SecretsLike | WebhookSecrets
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """An aiohttp request handler that verifies callbacks and passes each to `handler`.

    Raises `ConfigurationError` at once when no usable secret is given.
    """
    verified = WebhookSecrets(secrets)

    async def handle_callback(request: web.Request) -> web.Response:
        message = await read_callback(request, verified)
        await handler(message)
        return web.Response()

    return handle_callback


def client_context(
    factory: Callable[[], LanyingClient],
    *,
    key: web.AppKey[LanyingClient] = LANYING_CLIENT_KEY,
) -> Callable[[web.Application], AsyncIterator[None]]:
    """A `cleanup_ctx` entry: one client per application, closed on shutdown.

    `factory` builds the client at startup (`LanyingClient` itself reads
    the `LANYING_*` environment variables); it is stored under `key` and
    every handler shares its connection pool through `request.app[key]`.
    """

    async def lanying_client_context(app: web.Application) -> AsyncIterator[None]:
        async with factory() as client:
            app[key] = client
            yield

    return lanying_client_context
