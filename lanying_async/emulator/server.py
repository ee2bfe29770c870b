"""The [`Emulator`][lanying_async.emulator.server.Emulator]: a Lanying server API on a local port.

Usage:

```python
async with Emulator() as emu:
    ...  # talk to emu.url with headers app_id=emu.app_id,
         # access-token=emu.admin_token
```

The emulator binds `127.0.0.1` on a free port by default and serves the
routes of `routes` from an in-memory `ServerState`. Every
request is recorded (`emu.requests`); connections and concurrency are
counted; every request takes at least `emu.latency`; `emu.force_error` makes
the next requests to a route fail with a chosen code; `faults=FaultPlan(...)`
injects network and server faults (see [`faults`][lanying_async.emulator.faults]).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .auth import auth_middleware
from .callbacks import CALLBACKS_KEY, CallbackDispatcher, install_callbacks
from .controls import Controls, ForcedError
from .envelope import error_middleware
from .faults import FAULTS_KEY, FaultPlan
from .faults import install as install_faults
from .keys import CONTROLS_KEY, LOG_KEY, METRICS_KEY, STATE_KEY
from .metrics import Metrics
from .pipeline import pipeline_middleware
from .recorder import RecordedRequest, RequestLog
from .routes import setup_routes
from .state import AppState, ServerState

if TYPE_CHECKING:  # the emulator itself never needs the SDK
    from lanying_async.client import LanyingClient

__all__ = ["DEFAULT_APP_ID", "Emulator", "build_app", "serve_forever"]

DEFAULT_APP_ID = "lanying_emulator_app"
MAX_BODY_BYTES = 16 * 1024 * 1024
SHUTDOWN_TIMEOUT = 0.25
"""Seconds granted to requests still running when the emulator stops."""


def build_app(
    state: ServerState, log: RequestLog, metrics: Metrics, controls: Controls
) -> web.Application:
    """The aiohttp application serving `state`."""
    app = web.Application(
        middlewares=[pipeline_middleware, error_middleware, auth_middleware],
        client_max_size=MAX_BODY_BYTES,
    )
    app[STATE_KEY] = state
    app[LOG_KEY] = log
    app[METRICS_KEY] = metrics
    app[CONTROLS_KEY] = controls
    setup_routes(app)
    install_callbacks(app)
    return app


class Emulator:
    """A stateful in-memory Lanying server bound to a local TCP port."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        app_id: str = DEFAULT_APP_ID,
        admin_token: str | None = None,
        latency: float = 0.0,
        record_requests: bool = True,
        group_capacity: int = 2000,
        keepalive_timeout: float = 75.0,
        faults: FaultPlan | None = None,
    ) -> None:
        self.host = host
        self.keepalive_timeout = keepalive_timeout
        """Seconds an idle keep-alive connection stays open on the server side."""
        self._requested_port = port
        self._port: int | None = None
        self.state = ServerState(group_capacity=group_capacity)
        self.app_id = app_id
        self.admin_token = self.state.add_app(app_id, admin_token).admin_token
        self.requests = RequestLog()
        self.metrics = Metrics()
        self.controls = Controls(latency=latency, record=record_requests)
        self.app = build_app(self.state, self.requests, self.metrics, self.controls)
        if faults is not None:
            install_faults(self.app, faults)
        self._runner: web.AppRunner | None = None
        self._listener: asyncio.Server | None = None

    def __repr__(self) -> str:
        where = self.url if self._port is not None else "not started"
        return f"<Emulator {self.app_id} {where}>"

    # --- lifecycle ----------------------------------------------------------

    async def start(self) -> Emulator:
        if self._runner is not None:
            raise RuntimeError("emulator already started")
        runner = web.AppRunner(
            self.app,
            access_log=None,
            shutdown_timeout=SHUTDOWN_TIMEOUT,
            keepalive_timeout=self.keepalive_timeout,
        )
        await runner.setup()
        server = runner.server
        assert server is not None
        metrics = self.metrics

        def new_connection() -> asyncio.BaseProtocol:
            metrics.connection_opened()
            return server()

        try:
            listener = await asyncio.get_running_loop().create_server(
                new_connection, self.host, self._requested_port, backlog=1024
            )
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._listener = listener
        self._port = int(listener.sockets[0].getsockname()[1])
        return self

    async def stop(self) -> None:
        """Stop listening, close connections and release the port (idempotent)."""
        runner, listener = self._runner, self._listener
        self._runner = self._listener = None
        self._port = None
        if listener is not None:
            listener.close()
        if runner is not None:
            await runner.cleanup()
        if listener is not None:
            await listener.wait_closed()

    async def __aenter__(self) -> Emulator:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def started(self) -> bool:
        return self._runner is not None

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("emulator not started")
        return self._port

    @property
    def url(self) -> str:
        """Base URL, e.g. `http://127.0.0.1:54321` (no trailing slash)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    # --- apps and state -----------------------------------------------------

    def add_app(self, app_id: str, *, admin_token: str | None = None) -> str:
        """Create another, isolated app; returns its admin token."""
        return self.state.add_app(app_id, admin_token).admin_token

    def app_state(self, app_id: str | None = None) -> AppState:
        """State of `app_id` (default: the emulator's own app)."""
        return self.state.apps[app_id if app_id is not None else self.app_id]

    def issue_user_token(self, user_id: int, *, app_id: str | None = None) -> str:
        """An access token acting only as `user_id`."""
        app = self.app_state(app_id)
        if user_id not in app.users:
            raise KeyError(user_id)
        return app.issue_user_token(user_id)

    def headers(
        self,
        *,
        user_id: int | None = None,
        group_id: int | None = None,
        app_id: str | None = None,
    ) -> dict[str, str]:
        """Request headers authenticating with the admin token of `app_id`."""
        app = self.app_state(app_id)
        headers = {"app_id": app.app_id, "access-token": app.admin_token}
        if user_id is not None:
            headers["user_id"] = str(user_id)
        if group_id is not None:
            headers["group_id"] = str(group_id)
        return headers

    # --- message callbacks -------------------------------------------------

    @property
    def callbacks(self) -> CallbackDispatcher:
        """Message callbacks: `delivered`, `failed`, `failures`, `wait_idle()`."""
        return self.app[CALLBACKS_KEY]

    def enable_callbacks(self, url: str, secret: str, *, app_id: str | None = None) -> None:
        """POST each message delivered from now on to `url`, with a `signature` header.

        `app_id` limits it to one app (default: every app without its own
        URL). Await `emu.callbacks.wait_idle()` to wait for the deliveries.
        """
        self.callbacks.configure(url, secret, app_id=app_id)

    def disable_callbacks(self, *, app_id: str | None = None) -> None:
        self.callbacks.disable(app_id=app_id)

    def client(self, *, app_id: str | None = None, **options: Any) -> LanyingClient:
        """A [`LanyingClient`][lanying_async.client.LanyingClient] for this emulator (admin token).

        `options` go to the client constructor (timeouts, limits, retry, ...).
        Use it as `async with emu.client() as client:`.
        """
        from lanying_async.client import LanyingClient

        app = self.app_state(app_id)
        return LanyingClient(
            api_endpoint=self.url, app_id=app.app_id, access_token=app.admin_token, **options
        )

    # --- recording and metrics ---------------------------------------------

    def requests_to(self, method: str, path: str) -> list[RecordedRequest]:
        return self.requests.requests_to(method, path)

    def clear_requests(self) -> None:
        self.requests.clear()

    @property
    def record_requests(self) -> bool:
        return self.controls.record

    @record_requests.setter
    def record_requests(self, value: bool) -> None:
        self.controls.record = value

    @property
    def connections_opened(self) -> int:
        """Distinct TCP connections accepted so far."""
        return self.metrics.connections_opened

    @property
    def connections_active(self) -> int:
        """TCP connections currently open."""
        server = self._runner.server if self._runner is not None else None
        return 0 if server is None else len(server.connections)

    @property
    def in_flight(self) -> int:
        return self.metrics.in_flight

    async def wait_idle(self) -> None:
        """Wait until every request the emulator accepted has been handled.

        Handlers keep running after a client gives up (a timeout, a dropped
        connection); tests await this before checking what really ran.
        """
        await self.metrics.wait_idle()

    @property
    def peak_in_flight(self) -> int:
        """Highest number of requests handled concurrently so far."""
        return self.metrics.peak_in_flight

    @property
    def requests_served(self) -> int:
        return self.metrics.requests_served

    def reset_metrics(self) -> None:
        """Zero the connection, request and peak concurrency counters."""
        self.metrics.reset()

    # --- fault injection ----------------------------------------------------

    @property
    def latency(self) -> float:
        """The least time a request takes, in seconds: its answer leaves no sooner.

        The work itself counts toward it, as on a server with that latency, and
        requests that arrive together count from the same moment, as if served
        side by side. Requests a fault plan shapes wait it out before the fault
        starts.
        """
        return self.controls.latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("latency must not be negative")
        self.controls.latency = seconds

    def force_error(
        self,
        method: str,
        path: str,
        code: int,
        message: str | None = None,
        *,
        times: int = 1,
        status: int = 200,
        execute: bool = False,
    ) -> None:
        """Make the next `times` requests to `method path` answer `code`.

        `status` sets the HTTP status of those answers (e.g. 503).
        With `execute=True` the request is really handled first, so its
        effects happen, and only the answer is replaced.
        """
        self.controls.force(method, path, ForcedError(int(code), message, status, execute), times)

    @property
    def faults(self) -> FaultPlan | None:
        """The fault plan applied to every request (`Emulator(faults=...)`), if any."""
        return self.app.get(FAULTS_KEY)

    def clear_forced_errors(self) -> None:
        self.controls.forced.clear()


async def serve_forever(
    host: str = "127.0.0.1",
    port: int = 8080,
    *,
    app_id: str = DEFAULT_APP_ID,
    admin_token: str | None = None,
    on_ready: Callable[[Emulator], object] | None = None,
    faults: FaultPlan | None = None,
) -> None:
    """Run an emulator until cancelled; `on_ready` is called once it listens."""
    async with Emulator(
        host=host, port=port, app_id=app_id, admin_token=admin_token, faults=faults
    ) as emulator:
        if on_ready is not None:
            on_ready(emulator)
        await asyncio.Event().wait()
