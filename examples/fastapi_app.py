"""FastAPI with lanying-async: one client per app, handed to routes as a dependency.

The client (and its one connection pool) is built in the app's lifespan and
closed on shutdown; routes declare ``client: Client`` to get it. Message
callbacks arrive on ``POST /lanying/callback`` when a callback secret is
configured, verified by a dependency before the route runs.

Needs ``pip install 'lanying-async[fastapi]' uvicorn``. Against the embedded
emulator, or against your app when LANYING_API_ENDPOINT, LANYING_APP_ID,
LANYING_ACCESS_TOKEN (and LANYING_CALLBACK_SECRET) are set::

    python examples/fastapi_app.py --port 8000
    curl -X POST localhost:8000/users -H 'content-type: application/json' \\
        -d '{"username": "alice", "password": "s3cret"}'
"""

# No ``from __future__ import annotations``: FastAPI reads the route annotations,
# including the ones built inside create_app.

import argparse
import asyncio
import logging
import os
from collections.abc import Callable
from typing import Annotated

import uvicorn
from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from lanying_async import LanyingAPIError, LanyingClient, UserAlreadyExistsError, ValidationError
from lanying_async.testing import Emulator
from lanying_async.webhooks import DEFAULT_CALLBACK_PATH, MessageCallback, SecretsLike
from lanying_async.webhooks.fastapi import lanying_client, lanying_lifespan, verified_callback

logger = logging.getLogger("fastapi_app")

Client = Annotated[LanyingClient, Depends(lanying_client)]


class NewUser(BaseModel):
    username: str
    password: str


class NewMessage(BaseModel):
    to: list[int]
    text: str
    from_user_id: int | None = None


async def register_user(body: NewUser, client: Client) -> dict[str, int]:
    user = await client.users.register(username=body.username, password=body.password)
    return {"user_id": user.user_id}


async def send_message(body: NewMessage, client: Client) -> dict[str, object]:
    report = await client.messages.send(body.to, body.text, from_user_id=body.from_user_id)
    failed = {str(target): error.reason for target, error in report.failures()}
    sent = [str(target) for target in report.succeeded]
    # The server names a message id only for a send to one target.
    msg_ids = {str(target): msg_id for target, msg_id in report.results.items()}
    return {"sent": sent, "msg_ids": msg_ids, "failed": failed}


async def sdk_refusal(request: Request, exc: Exception) -> JSONResponse:
    """The SDK's refusals as HTTP answers: 422 bad argument, 409 exists, 400 other codes."""
    if isinstance(exc, ValidationError):
        return JSONResponse({"error": str(exc)}, status_code=422)
    assert isinstance(exc, LanyingAPIError)
    status = 409 if isinstance(exc, UserAlreadyExistsError) else 400
    return JSONResponse({"error": exc.message, "code": exc.code}, status_code=status)


def create_app(
    client_factory: Callable[[], LanyingClient] = LanyingClient,
    *,
    callback_secrets: SecretsLike | None = None,
) -> FastAPI:
    """The app; ``client_factory`` builds its one client when the app starts."""
    app = FastAPI(lifespan=lanying_lifespan(client_factory))
    app.add_api_route("/users", register_user, methods=["POST"])
    app.add_api_route("/messages", send_message, methods=["POST"])
    app.add_exception_handler(ValidationError, sdk_refusal)
    app.add_exception_handler(LanyingAPIError, sdk_refusal)
    if callback_secrets is not None:
        Callback = Annotated[MessageCallback, Depends(verified_callback(callback_secrets))]

        async def receive_callback(message: Callback) -> Response:
            logger.info("message %s from %s: %s", message.msg_id, message.sender_id, message.type)
            return Response()

        app.add_api_route(DEFAULT_CALLBACK_PATH, receive_callback, methods=["POST"])
    return app


async def serve(app: FastAPI, port: int) -> None:
    await uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port)).serve()


async def main(port: int) -> None:
    if os.environ.get("LANYING_API_ENDPOINT"):
        secret = os.environ.get("LANYING_CALLBACK_SECRET")
        await serve(create_app(LanyingClient, callback_secrets=secret), port)
        return
    async with Emulator() as emulator:
        logger.info("no LANYING_API_ENDPOINT set: using the embedded emulator at %s", emulator.url)
        await serve(create_app(emulator.client), port)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="FastAPI app using lanying-async")
    parser.add_argument("--port", type=int, default=8000)
    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(parser.parse_args().port))
