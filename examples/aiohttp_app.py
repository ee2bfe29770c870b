"""aiohttp.web with lanying-async: one client per application, shared by every request.

The client (and its one connection pool) is built when the application starts
and closed when it stops, through ``cleanup_ctx``; handlers reach it as
``request.app[LANYING_CLIENT_KEY]``. Message callbacks arrive on
``POST /lanying/callback`` when a callback secret is configured.

Against the embedded emulator, or against your app when LANYING_API_ENDPOINT,
LANYING_APP_ID, LANYING_ACCESS_TOKEN (and LANYING_CALLBACK_SECRET) are set::

    python examples/aiohttp_app.py --port 8080
    curl -X POST localhost:8080/users -d '{"username": "alice", "password": "s3cret"}'
    curl -X POST localhost:8080/messages -d '{"to": [<user id>], "text": "hi"}'
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from typing import TypeVar

import msgspec
from aiohttp import web

from lanying_async import LanyingAPIError, LanyingClient, UserAlreadyExistsError, ValidationError
from lanying_async.testing import Emulator
from lanying_async.webhooks import DEFAULT_CALLBACK_PATH, MessageCallback, SecretsLike
from lanying_async.webhooks.aiohttp import LANYING_CLIENT_KEY, callback_handler, client_context

logger = logging.getLogger("aiohttp_app")

T = TypeVar("T")


class NewUser(msgspec.Struct):
    username: str
    password: str


class NewMessage(msgspec.Struct):
    to: list[int]
    text: str
    from_user_id: int | None = None


async def read_json(request: web.Request, model: type[T]) -> T:
    try:
        return msgspec.json.decode(await request.read(), type=model)
    except msgspec.DecodeError as exc:
        raise web.HTTPBadRequest(text=str(exc)) from None


@web.middleware
async def lanying_errors(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """The SDK's refusals as HTTP answers: 422 bad argument, 409 exists, 400 other codes."""
    try:
        return await handler(request)
    except ValidationError as exc:
        return web.json_response({"error": str(exc)}, status=422)
    except UserAlreadyExistsError as exc:
        return web.json_response({"error": exc.message, "code": exc.code}, status=409)
    except LanyingAPIError as exc:
        return web.json_response({"error": exc.message, "code": exc.code}, status=400)


async def register_user(request: web.Request) -> web.Response:
    body = await read_json(request, NewUser)
    client = request.app[LANYING_CLIENT_KEY]
    user = await client.users.register(username=body.username, password=body.password)
    return web.json_response({"user_id": user.user_id})


async def send_message(request: web.Request) -> web.Response:
    body = await read_json(request, NewMessage)
    client = request.app[LANYING_CLIENT_KEY]
    report = await client.messages.send(body.to, body.text, from_user_id=body.from_user_id)
    failed = {str(target): error.reason for target, error in report.failures()}
    sent = [str(target) for target in report.succeeded]
    # The server names a message id only for a send to one target.
    msg_ids = {str(target): msg_id for target, msg_id in report.results.items()}
    return web.json_response({"sent": sent, "msg_ids": msg_ids, "failed": failed})


async def log_callback(message: MessageCallback) -> None:
    logger.info("message %s from %s to %s", message.msg_id, message.sender_id, message.target_id)


def create_app(
    client_factory: Callable[[], LanyingClient] = LanyingClient,
    *,
    callback_secrets: SecretsLike | None = None,
) -> web.Application:
    """The application; ``client_factory`` builds its one client at startup."""
    app = web.Application(middlewares=[lanying_errors])
    app.cleanup_ctx.append(client_context(client_factory))
    app.router.add_post("/users", register_user)
    app.router.add_post("/messages", send_message)
    if callback_secrets is not None:
        app.router.add_post(DEFAULT_CALLBACK_PATH, callback_handler(log_callback, callback_secrets))
    return app


async def serve(app: web.Application, port: int) -> None:
    runner = web.AppRunner(app)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", port).start()
        logger.info("listening on http://127.0.0.1:%d", port)
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


async def main(port: int) -> None:
    if os.environ.get("LANYING_API_ENDPOINT"):
        secret = os.environ.get("LANYING_CALLBACK_SECRET")
        await serve(create_app(LanyingClient, callback_secrets=secret), port)
        return
    async with Emulator() as emulator:
        logger.info("no LANYING_API_ENDPOINT set: using the embedded emulator at %s", emulator.url)
        await serve(create_app(emulator.client), port)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="aiohttp.web app using lanying-async")
    parser.add_argument("--port", type=int, default=8080)
    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(parser.parse_args().port))
