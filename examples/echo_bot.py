"""An echo bot: answers every text message sent to its user with the same text.

The service calls the bot's URL back for each message of the app (a message
callback); the bot checks the ``signature`` header, and answers the messages
addressed to its own user through ``client.messages.send``, sent as that user.

End to end against the embedded emulator (a user writes to the bot, the
emulator calls the bot back, the bot replies, the reply lands in the chat)::

    python examples/echo_bot.py

Against a standalone emulator, which calls the bot back as the service would::

    lanying emulator --port 8080 --callback-url http://127.0.0.1:8081/lanying/callback \\
        --callback-secret s3cret
    # in another shell: the export lines the emulator printed, then a user for the bot
    printf 'username,password\\nmy_bot,bot-pw\\n' | lanying users import - -o bot.jsonl
    export LANYING_BOT_USER_ID=<its user_id> LANYING_CALLBACK_SECRET=s3cret
    python examples/echo_bot.py serve --port 8081

Against your app: set LANYING_API_ENDPOINT, LANYING_APP_ID, LANYING_ACCESS_TOKEN,
LANYING_BOT_USER_ID and LANYING_CALLBACK_SECRET, point the app's callback URL
in the console at ``http://<this host>:8080/lanying/callback`` and run::

    python examples/echo_bot.py serve --port 8080
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from aiohttp import web

from lanying_async import LanyingClient
from lanying_async.emulator.callbacks import install_callbacks
from lanying_async.testing import Emulator
from lanying_async.webhooks import DEFAULT_CALLBACK_PATH, ChatType, MessageCallback, SecretsLike
from lanying_async.webhooks.aiohttp import LANYING_CLIENT_KEY, callback_handler, client_context

logger = logging.getLogger("echo_bot")

ECHO_PREFIX = "echo: "


def should_answer(message: MessageCallback, bot_user_id: int) -> bool:
    """A text a user sent to the bot itself (never the bot's own replies)."""
    return (
        message.type is ChatType.CHAT
        and message.target_id == bot_user_id
        and message.sender_id not in (0, bot_user_id)
        and message.ctype == "TEXT"
    )


def create_bot_app(
    client_factory: Callable[[], LanyingClient], *, bot_user_id: int, secrets: SecretsLike
) -> web.Application:
    """The bot's aiohttp application: one client for its lifetime, one callback route."""
    app = web.Application()
    app.cleanup_ctx.append(client_context(client_factory))

    async def on_message(message: MessageCallback) -> None:
        if not should_answer(message, bot_user_id):
            return
        # Replying before answering the callback makes a failed reply show up
        # as a failed callback on the service's side.
        report = await app[LANYING_CLIENT_KEY].messages.send(
            [message.sender_id], ECHO_PREFIX + message.content, from_user_id=bot_user_id
        )
        report.raise_for_failures()

    app.router.add_post(DEFAULT_CALLBACK_PATH, callback_handler(on_message, secrets))
    return app


@asynccontextmanager
async def serving(
    app: web.Application, host: str = "127.0.0.1", port: int = 0
) -> AsyncIterator[str]:
    """Serve ``app`` until the block ends; yields its base URL."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound_host, bound_port = runner.addresses[0][:2]
        yield f"http://{bound_host}:{bound_port}"
    finally:
        await runner.cleanup()


async def run_on_emulator() -> list[str]:
    """The whole round trip on a local emulator; returns the chat as printed lines."""
    emulator = Emulator()
    callbacks = install_callbacks(emulator.app)  # before it starts
    async with emulator, emulator.client() as admin:
        bot = await admin.users.register(username="echo_bot", password=secrets.token_hex(8))
        alice = await admin.users.register(username="alice", password=secrets.token_hex(8))
        secret = secrets.token_urlsafe(16)
        app = create_bot_app(emulator.client, bot_user_id=bot.user_id, secrets=secret)
        async with serving(app) as url:
            callbacks.configure(url + DEFAULT_CALLBACK_PATH, secret)
            as_alice = admin.as_user(alice.user_id)
            for text in ("hello, bot", "are you there?"):
                await as_alice.messages.send_once([bot.user_id], text)
                await callbacks.wait_idle()  # the callback, the reply and its callback
        names = {alice.user_id: "alice", bot.user_id: "bot"}
        chat = [message async for message in as_alice.messages.history(bot.user_id)]
        return [f"{names[m.sender_id]}: {m.content}" for m in reversed(chat)]


async def serve_forever(port: int) -> None:
    """The bot on ``port`` for a real app, configured from the environment."""
    bot_user_id = int(os.environ["LANYING_BOT_USER_ID"])
    secret = os.environ["LANYING_CALLBACK_SECRET"]
    app = create_bot_app(LanyingClient, bot_user_id=bot_user_id, secrets=secret)
    async with serving(app, "0.0.0.0", port) as url:
        logger.info("echo bot listening on %s%s", url, DEFAULT_CALLBACK_PATH)
        await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command")
    serve = commands.add_parser("serve", help="run the bot for a real app")
    serve.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    if args.command == "serve":
        asyncio.run(serve_forever(args.port))
    else:
        for line in asyncio.run(run_on_emulator()):
            print(line)


if __name__ == "__main__":
    main()
