"""The connection pool: one aiohttp session per client, created inside the running loop.

The session is built lazily on first use, so a client can be constructed outside
any event loop (at import time, in a FastAPI module) and bound to the loop that
first uses it. Using it from another loop, or after close, fails fast with the
SDK's own errors instead of hanging or warning.
"""

from __future__ import annotations

import asyncio

import aiohttp

from lanying_async.config import ClientConfig
from lanying_async.errors import ClientClosedError, WrongEventLoopError

__all__ = ["SessionManager"]


class SessionManager:
    """Owns the client's one aiohttp session and the loop it belongs to.

    `session` and `loop` are plain attributes so the request pipeline can read them without a
    call: when `session` is set and `loop` is the running loop, the session is ready; otherwise
    [`get()`][lanying_async.transport.session.SessionManager.get] creates it or raises. Only this
    class writes them.
    """

    __slots__ = ("_closed", "_config", "loop", "session")

    def __init__(self, config: ClientConfig) -> None:
        self._config = config
        self.session: aiohttp.ClientSession | None = None
        """The live session, once created (None before first use and after close)."""
        self.loop: asyncio.AbstractEventLoop | None = None
        """The event loop the session belongs to."""
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def get(self) -> aiohttp.ClientSession:
        """The pooled session for the running loop, created on first use."""
        loop = asyncio.get_running_loop()
        session = self.session
        if session is not None and loop is self.loop:
            return session
        return self._create(loop)

    def _create(self, loop: asyncio.AbstractEventLoop) -> aiohttp.ClientSession:
        """The session for `loop`, made now; raises if closed or bound to another loop."""
        self.check_closed()
        if self.session is not None:
            raise WrongEventLoopError(
                "this LanyingClient's connection pool belongs to another event loop; "
                "create one client per event loop (and per thread)"
            )
        limits = self._config.limits
        connector = aiohttp.TCPConnector(
            # Every request goes to the one API host, so one limit covers both
            # caps (and aiohttp skips its per-host bookkeeping).
            limit=limits.effective_connections,
            limit_per_host=0,
            keepalive_timeout=limits.keepalive_expiry,
            ttl_dns_cache=300,
        )
        session = aiohttp.ClientSession(
            connector=connector,
            # Timeouts are applied per attempt by the pipeline.
            timeout=aiohttp.ClientTimeout(total=None),
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=True,
            trust_env=False,
        )
        # aiohttp re-sends a PUT, DELETE or GET once, silently, when a pooled
        # keep-alive connection dies after the request went out (RFC 9112 allows
        # it for "idempotent" methods). The API's PUT and DELETE writes are not
        # de-duplicated, so such a re-send could run one twice: every retry is
        # the pipeline's decision alone. The switch is private state of
        # aiohttp's ClientSession (``_retry_connection``, read at the start of
        # each request); tests/test_resend.py fails if the re-send comes back.
        session._retry_connection = False
        self.session, self.loop = session, loop
        return session

    def check_closed(self) -> None:
        if self._closed:
            raise ClientClosedError("this LanyingClient is closed; create a new one")

    def check_usable(self) -> None:
        """Raise if the client is closed or bound to another loop (no session needed)."""
        self.check_closed()
        if self.loop is not None and asyncio.get_running_loop() is not self.loop:
            raise WrongEventLoopError(
                "this LanyingClient's connection pool belongs to another event loop"
            )

    async def close(self) -> None:
        """Release every connection; safe to call more than once."""
        self._closed = True
        session, self.session = self.session, None
        if session is None or session.closed:
            return
        if asyncio.get_running_loop() is not self.loop:
            self.session = session
            raise WrongEventLoopError("close the LanyingClient from the event loop that used it")
        await session.close()
