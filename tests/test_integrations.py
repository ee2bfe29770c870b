"""Web frameworks: callback adapters, one client per app, and the echo bot end to end.

The example applications are loaded from ``examples/`` and served for real on
loopback (FastAPI under uvicorn, aiohttp.web under its runner); requests go
through real sockets to the app and from the app to the emulator.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import socket
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import aiohttp
import msgspec
import pytest
import uvicorn
from aiohttp import web
from fastapi import FastAPI

from lanying_async import LanyingClient, PoolLimits
from lanying_async.emulator.callbacks import CallbackDispatcher, install_callbacks
from lanying_async.testing import Emulator
from lanying_async.webhooks import DEFAULT_CALLBACK_PATH, MessageCallback
from lanying_async.webhooks.aiohttp import callback_handler
from lanying_async.webhooks.fastapi import callback_router

pytestmark = pytest.mark.anyio

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SECRET = "integration-secret"
POOL = 4
CONCURRENT_REQUESTS = 40


def load_example(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        f"lanying_example_{name}", EXAMPLES / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # pydantic resolves the models' annotations through it
    spec.loader.exec_module(module)
    return module


fastapi_app = load_example("fastapi_app")
aiohttp_app = load_example("aiohttp_app")
echo_bot = load_example("echo_bot")


# --- serving on loopback ------------------------------------------------------------


class _Uvicorn(uvicorn.Server):
    """A uvicorn server that says when it is ready and leaves signal handlers alone."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = asyncio.Event()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.ready.set()


@asynccontextmanager
async def serving_asgi(app: FastAPI) -> AsyncIterator[str]:
    """Serve ``app`` with uvicorn (lifespan included) until the block ends; yields its URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, lifespan="on", http="h11", ws="none", log_config=None)
    server = _Uvicorn(config)
    serve = asyncio.create_task(server.serve(sockets=[sock]))
    ready = asyncio.create_task(server.ready.wait())
    await asyncio.wait({serve, ready}, return_when=asyncio.FIRST_COMPLETED)
    try:
        if serve.done():
            serve.result()  # startup failed: raise why
        yield f"http://127.0.0.1:{port}"
    finally:
        ready.cancel()
        server.should_exit = True
        await serve
        sock.close()


@asynccontextmanager
async def serving_aiohttp(app: web.Application) -> AsyncIterator[str]:
    async with echo_bot.serving(app) as url:
        yield url


@asynccontextmanager
async def emulator_with_callbacks() -> AsyncIterator[tuple[Emulator, CallbackDispatcher]]:
    emulator = Emulator()
    callbacks = install_callbacks(emulator.app)  # before it starts
    async with emulator:
        yield emulator, callbacks


class ClientFactory:
    """Builds the app's clients on the emulator and keeps them for inspection."""

    def __init__(self, emu: Emulator) -> None:
        self.emu = emu
        self.made: list[LanyingClient] = []

    def __call__(self) -> LanyingClient:
        client = self.emu.client(limits=PoolLimits(max_connections=POOL, max_per_host=POOL))
        self.made.append(client)
        return client


def _signed(body: bytes, signature: str | None = SECRET) -> dict[str, Any]:
    headers = {"content-type": "application/json"}
    if signature is not None:
        headers["signature"] = signature
    return {"data": body, "headers": headers}


CALLBACK = msgspec.json.encode(
    {
        "appId": "app1",
        "msgId": 11,
        "from": {"uid": 1},
        "to": {"uid": 2},
        "type": "CHAT",
        "ctype": "TEXT",
        "content": "hi",
    }
)


# --- the package works without FastAPI ----------------------------------------------


def test_webhooks_need_fastapi_only_for_the_fastapi_adapter() -> None:
    script = textwrap.dedent(
        """
        import sys
        sys.modules["fastapi"] = None  # as if FastAPI were not installed
        import lanying_async.webhooks as webhooks
        import lanying_async.webhooks.aiohttp
        assert webhooks.parse_callback(sys.argv[1].encode()).content == "hi"
        try:
            import lanying_async.webhooks.fastapi
        except ImportError as exc:
            print(exc)
        """
    )
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", script, CALLBACK.decode()],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "pip install 'lanying-async[fastapi]'" in done.stdout


# --- callback adapters --------------------------------------------------------------


@pytest.fixture
def received() -> list[MessageCallback]:
    return []


async def _post_callbacks(url: str, received: list[MessageCallback]) -> None:
    """The answers every adapter gives: 200 and the handler called, or a refusal."""
    async with aiohttp.ClientSession() as http:
        cases = [
            (_signed(CALLBACK), 200),
            (_signed(CALLBACK, signature="wrong"), 401),
            (_signed(CALLBACK, signature=None), 401),
            (_signed(b'{"appId": "app1"}'), 400),
            (_signed(b"not json"), 400),
            (_signed(b"x" * 2048), 413),
        ]
        for request, status in cases:
            async with http.post(url, **request) as response:
                assert response.status == status, await response.text()
                assert SECRET not in await response.text()
    assert [(m.msg_id, m.sender_id, m.content) for m in received] == [(11, 1, "hi")]


async def test_fastapi_router_answers_and_calls_the_handler(
    received: list[MessageCallback],
) -> None:
    async def handler(message: MessageCallback) -> None:
        received.append(message)

    app = FastAPI()
    app.include_router(callback_router(handler, [SECRET, "older"], max_body_bytes=1024))
    async with serving_asgi(app) as url:
        await _post_callbacks(url + DEFAULT_CALLBACK_PATH, received)


async def test_aiohttp_handler_answers_and_calls_the_handler(
    received: list[MessageCallback],
) -> None:
    async def handler(message: MessageCallback) -> None:
        received.append(message)

    app = web.Application(client_max_size=1024)
    app.router.add_post("/cb", callback_handler(handler, SECRET))
    async with serving_aiohttp(app) as url:
        await _post_callbacks(url + "/cb", received)


async def test_a_failing_handler_answers_500() -> None:
    async def handler(message: MessageCallback) -> None:
        raise RuntimeError("the application broke")

    app = web.Application()
    app.router.add_post("/cb", callback_handler(handler, SECRET))
    fastapi = FastAPI()
    fastapi.include_router(callback_router(handler, SECRET))
    async with serving_aiohttp(app) as aio_url, serving_asgi(fastapi) as asgi_url:
        async with aiohttp.ClientSession() as http:
            for url in (aio_url + "/cb", asgi_url + DEFAULT_CALLBACK_PATH):
                async with http.post(url, **_signed(CALLBACK)) as response:
                    assert response.status == 500


@pytest.mark.parametrize("adapter", ["fastapi", "aiohttp"])
async def test_a_secret_that_is_not_ascii_is_accepted_by_both_adapters(
    adapter: str, received: list[MessageCallback]
) -> None:
    secret = "密钥-clé-🔑"

    async def handler(message: MessageCallback) -> None:
        received.append(message)

    if adapter == "fastapi":
        fastapi = FastAPI()
        fastapi.include_router(callback_router(handler, secret))
        serving, url_path = serving_asgi(fastapi), DEFAULT_CALLBACK_PATH
    else:
        app = web.Application()
        app.router.add_post("/cb", callback_handler(handler, secret))
        serving, url_path = serving_aiohttp(app), "/cb"
    async with serving as url, aiohttp.ClientSession() as http:
        for signature, status in ((secret, 200), ("密钥-clé-🔒", 401), ("clé", 401)):
            async with http.post(url + url_path, **_signed(CALLBACK, signature)) as response:
                assert response.status == status, await response.text()
    assert [m.msg_id for m in received] == [11]


# --- one client per app, one pool for every request --------------------------------


Serving = Callable[[Any], contextlib.AbstractAsyncContextManager[str]]
APPS: list[tuple[str, Callable[..., Any], Serving]] = [
    ("fastapi", fastapi_app.create_app, serving_asgi),
    ("aiohttp", aiohttp_app.create_app, serving_aiohttp),
]


def _leftover_tasks(before: set[asyncio.Task[Any]]) -> Iterator[asyncio.Task[Any]]:
    return (task for task in asyncio.all_tasks() - before if not task.done())


@pytest.mark.parametrize(("name", "create_app", "serving"), APPS, ids=[a[0] for a in APPS])
async def test_concurrent_requests_share_one_pool_and_shutdown_closes_it(
    name: str, create_app: Callable[..., Any], serving: Serving
) -> None:
    tasks_before = asyncio.all_tasks()
    async with Emulator() as emu:
        factory = ClientFactory(emu)
        async with serving(create_app(factory)) as url, aiohttp.ClientSession() as http:
            assert len(factory.made) == 1  # built at startup, before any request

            async def register(i: int) -> int:
                body = {"username": f"{name}_user_{i}", "password": "pw"}
                async with http.post(url + "/users", json=body) as response:
                    assert response.status == 200, await response.text()
                    return int((await response.json())["user_id"])

            user_ids = await asyncio.gather(*(register(i) for i in range(CONCURRENT_REQUESTS)))
            async with http.post(url + "/users", json={"username": "1", "password": "x"}) as r:
                assert r.status == 422  # the SDK's validation error, mapped by the app
            body = {"to": user_ids[:3], "text": "hello", "from_user_id": user_ids[3]}
            async with http.post(url + "/messages", json=body) as response:
                sent = await response.json()
            assert sorted(sent["sent"]) == sorted(str(u) for u in user_ids[:3])
            assert sent["msg_ids"] == {} and sent["failed"] == {}  # ids: one-target sends only

            assert len(factory.made) == 1
            assert len(set(user_ids)) == CONCURRENT_REQUESTS
            assert emu.requests_served == CONCURRENT_REQUESTS + 1
            assert 1 <= emu.connections_opened <= POOL
            (client,) = factory.made
            session = client._transport.sessions.session
            assert session is not None and not client.closed

        # the app stopped: its client and every pooled connection are closed
        assert client.closed and session.closed
        assert session.connector is None or session.connector.closed
    assert list(_leftover_tasks(tasks_before)) == []


async def test_fastapi_example_receives_the_emulator_callbacks() -> None:
    async with emulator_with_callbacks() as (emu, callbacks):
        app = fastapi_app.create_app(ClientFactory(emu), callback_secrets=SECRET)
        async with serving_asgi(app) as url, emu.client() as client:
            callbacks.configure(url + DEFAULT_CALLBACK_PATH, SECRET)
            alice, bob = [
                (await client.users.register(username=n, password="pw")).user_id
                for n in ("alice", "bob")
            ]
            await client.messages.send_once([bob, alice], "hello", from_user_id=alice)
            await callbacks.wait_idle()
            assert (callbacks.delivered, callbacks.failed) == (2, 0)
            callbacks.configure(url + DEFAULT_CALLBACK_PATH, "not-the-secret")
            await client.messages.send_once([bob], "forged", from_user_id=alice)
            await callbacks.wait_idle()
    assert callbacks.failed == 1 and "HTTP 401" in callbacks.failures[0].reason


# --- the echo bot ---------------------------------------------------------------------


async def test_echo_bot_replies_to_each_message_sent_to_it() -> None:
    async with emulator_with_callbacks() as (emu, callbacks), emu.client() as admin:
        bot, alice, bob = [
            (await admin.users.register(username=n, password="pw")).user_id
            for n in ("bot", "alice", "bob")
        ]
        app = echo_bot.create_bot_app(emu.client, bot_user_id=bot, secrets=SECRET)
        async with serving_aiohttp(app) as url:
            callbacks.configure(url + DEFAULT_CALLBACK_PATH, SECRET)
            await admin.as_user(alice).messages.send_once([bot], "ping")
            await admin.as_user(bob).messages.send_once([alice], "not for the bot")
            await callbacks.wait_idle()  # the callbacks, the reply and its own callback

        sent = [(m.from_user_id, m.to_id, m.content) for m in emu.app_state().messages]
        assert sent == [
            (alice, bot, "ping"),
            (bob, alice, "not for the bot"),
            (bot, alice, "echo: ping"),
        ]
        assert (callbacks.delivered, callbacks.failed) == (3, 0)
        history = await admin.as_user(alice).messages.history(bot)
        assert [m.content for m in history.items] == ["echo: ping", "ping"]


async def test_echo_bot_example_runs_end_to_end() -> None:
    assert await echo_bot.run_on_emulator() == [
        "alice: hello, bot",
        "bot: echo: hello, bot",
        "alice: are you there?",
        "bot: echo: are you there?",
    ]
