"""Message callbacks: the emulator POSTs each delivered message to the app's callback URL.

Like the service, once a callback URL and secret are configured for an app,
every message the emulator delivers for that app is sent as one JSON
`POST` to the URL with a `signature` header holding the secret (the
message routes build the JSON; see `routes.messages.announce()`).

Deliveries run in background tasks so the sending request is answered at
once. Every task is tracked: `CallbackDispatcher.wait_idle()` waits for
all of them (and for the ones they cause, e.g. a bot replying inline), and
stopping the emulator drains them (bounded by `drain_timeout`, then
cancelled) before closing the dispatcher's own connection pool. A receiver
that fails (an error status, a refused connection, a timeout) is counted in
`failed` and noted in `failures`; it never affects the emulator.

A dispatcher lives on the aiohttp application under `CALLBACKS_KEY`;
`install_callbacks()` puts it there (before the application starts) and
ties it to the application's startup and cleanup.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import msgspec
from aiohttp import web

__all__ = [
    "CALLBACKS_KEY",
    "SIGNATURE_HEADER",
    "CallbackDispatcher",
    "CallbackFailure",
    "CallbackTarget",
    "install_callbacks",
]

SIGNATURE_HEADER = "signature"
MAX_FAILURES_KEPT = 100


@dataclass(frozen=True, slots=True)
class CallbackTarget:
    """Where an app's callbacks go, and the secret they carry (never in `repr`)."""

    url: str
    secret: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class CallbackFailure:
    """One delivery that failed: the message id and why."""

    msg_id: int | None
    reason: str


class CallbackDispatcher:
    """Sends message callbacks in tracked background tasks over one connection pool.

    `timeout` bounds each delivery (receiver's answer included), `drain_timeout`
    how long stopping waits for deliveries still running, `max_connections`
    the connections opened towards receivers.
    """

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        drain_timeout: float = 5.0,
        max_connections: int = 16,
    ) -> None:
        self.timeout = timeout
        self.drain_timeout = drain_timeout
        self.max_connections = max_connections
        self.delivered = 0
        """Callbacks the receiver answered with a 2xx status."""
        self.failed = 0
        """Callbacks that failed, timed out, were cancelled or came after stopping."""
        self.failures: deque[CallbackFailure] = deque(maxlen=MAX_FAILURES_KEPT)
        """The latest failures, oldest first."""
        self._targets: dict[str | None, CallbackTarget] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._session: aiohttp.ClientSession | None = None
        self._accepting = True

    def __repr__(self) -> str:
        urls = {app or "*": target.url for app, target in self._targets.items()}
        return f"<CallbackDispatcher {urls} delivered={self.delivered} failed={self.failed}>"

    # --- configuration ----------------------------------------------------------

    def configure(self, url: str, secret: str, *, app_id: str | None = None) -> None:
        """Send callbacks of `app_id` (None: of every app without its own) to `url`."""
        if not url.startswith(("http://", "https://")):
            raise ValueError("the callback url must be http:// or https://")
        if not secret:
            raise ValueError("the callback secret must not be empty")
        self._targets[app_id] = CallbackTarget(url, secret)

    def disable(self, *, app_id: str | None = None) -> None:
        """Stop sending the callbacks configured for `app_id` (None: the default)."""
        self._targets.pop(app_id, None)

    def target_for(self, app_id: str) -> CallbackTarget | None:
        return self._targets.get(app_id) or self._targets.get(None)

    # --- delivery -----------------------------------------------------------------

    @property
    def pending(self) -> int:
        """Deliveries still running."""
        return len(self._tasks)

    def dispatch(self, app_id: str, payloads: Sequence[Mapping[str, Any]]) -> int:
        """Start delivering `payloads` of `app_id`; returns how many were started.

        Does nothing without a target for the app. Must run inside the event loop.
        """
        target = self.target_for(app_id)
        if target is None or not payloads:
            return 0
        if not self._accepting:
            for payload in payloads:
                self._fail(payload, "the emulator is stopping")
            return 0
        session = self._pool()
        loop = asyncio.get_running_loop()
        for payload in payloads:
            task = loop.create_task(self._deliver(session, target, payload))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return len(payloads)

    async def wait_idle(self) -> None:
        """Wait until no delivery is running, including deliveries started meanwhile."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    def _pool(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self.max_connections),
                timeout=aiohttp.ClientTimeout(total=self.timeout),
                cookie_jar=aiohttp.DummyCookieJar(),
                trust_env=False,
            )
        return self._session

    async def _deliver(
        self, session: aiohttp.ClientSession, target: CallbackTarget, payload: Mapping[str, Any]
    ) -> None:
        headers = {SIGNATURE_HEADER: target.secret, "Content-Type": "application/json"}
        try:
            async with session.post(
                target.url, data=msgspec.json.encode(payload), headers=headers
            ) as response:
                await response.read()
                status = response.status
        except asyncio.CancelledError:
            self._fail(payload, "cancelled: the emulator stopped before the receiver answered")
            raise
        except asyncio.TimeoutError:
            self._fail(payload, f"no answer within {self.timeout} s")
            return
        except Exception as exc:  # the receiver's failures must never reach the emulator
            self._fail(payload, f"{type(exc).__name__}: {exc}")
            return
        if 200 <= status < 300:
            self.delivered += 1
        else:
            self._fail(payload, f"the receiver answered HTTP {status}")

    def _fail(self, payload: Mapping[str, Any], reason: str) -> None:
        self.failed += 1
        msg_id = payload.get("msgId")
        self.failures.append(CallbackFailure(msg_id if isinstance(msg_id, int) else None, reason))

    # --- lifecycle ------------------------------------------------------------------

    async def open(self) -> None:
        """Accept deliveries again (the emulator started)."""
        self._accepting = True

    async def aclose(self) -> None:
        """Refuse new deliveries, drain the running ones, close the connection pool."""
        self._accepting = False
        if self._tasks:
            _, late = await asyncio.wait(set(self._tasks), timeout=self.drain_timeout)
            for task in late:
                task.cancel()
            if late:
                await asyncio.wait(late)
        session, self._session = self._session, None
        if session is not None:
            await session.close()


CALLBACKS_KEY = web.AppKey("lanying_emulator_callbacks", CallbackDispatcher)


def install_callbacks(app: web.Application) -> CallbackDispatcher:
    """The dispatcher of `app`, installed on the first call (before `app` starts).

    Installing ties it to the application: it accepts deliveries from startup
    and is drained and closed on cleanup. Tune it through its attributes
    (`timeout`, `drain_timeout`, `max_connections`).
    """
    existing = app.get(CALLBACKS_KEY)
    if existing is not None:
        return existing
    dispatcher = CallbackDispatcher()
    app[CALLBACKS_KEY] = dispatcher

    async def on_startup(_: web.Application) -> None:
        await dispatcher.open()

    async def on_cleanup(_: web.Application) -> None:
        await dispatcher.aclose()

    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
    return dispatcher
