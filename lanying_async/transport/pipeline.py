"""The request pipeline: build, send, retry, decode, raise — in one place.

The success path is kept minimal: pre-built headers and URL, one aiohttp
request on the pooled session, one msgspec decode straight into the typed
envelope. Everything only failures need (classifying the error, the backoff
schedule, Retry-After) runs only after a failure.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, TypeVar, overload

import aiohttp
import anyio
import msgspec
from aiohttp import hdrs
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from lanying_async.config import ClientConfig, Timeouts
from lanying_async.errors import (
    ErrorRegistry,
    HTTPStatusError,
    LanyingConnectionError,
    LanyingError,
    LanyingTimeoutError,
    LanyingTLSError,
    OutcomeUnknownError,
    RateLimitedError,
    ResponseDecodeError,
    ResponseTooLargeError,
    TransportError,
)
from lanying_async.models.base import Envelope
from lanying_async.transport.endpoint import Endpoint, OperationKind
from lanying_async.transport.ratelimit import TokenBucket
from lanying_async.transport.retry import RetryBudget, RetryPolicy, parse_retry_after
from lanying_async.transport.session import SessionManager

__all__ = ["RawEndpoint", "RawResponse", "RequestScope", "Transport"]

logger = logging.getLogger("lanying_async")
_DEBUG = logging.DEBUG
# Attempt timing and client-wide pauses run on the monotonic clock (what asyncio's
# loop uses too), read without looking the running loop up on every call.
_monotonic = time.monotonic

E = TypeVar("E", bound=Envelope)  # type: ignore[type-arg]

Params = Mapping[str, str | int]


class _Route(Protocol):
    @property
    def method(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def kind(self) -> OperationKind: ...


@dataclass(frozen=True, slots=True)
class RawEndpoint:
    """An operation answered with raw bytes rather than a JSON envelope."""

    method: str
    path: str
    kind: OperationKind = OperationKind.READ


@dataclass(frozen=True, slots=True)
class RawResponse:
    """Status, headers and body of a raw call (see :meth:`Transport.request`)."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def location(self) -> str | None:
        """Where a redirect points, if this is one."""
        return self.headers.get("Location")


class _BareEnvelope(msgspec.Struct):
    """Just enough of an envelope to read a business error whatever ``data`` holds."""

    code: int | None = None
    message: str | None = None


_bare_decoder = msgspec.json.Decoder(_BareEnvelope)

_CONTENT_ENCODING = hdrs.CONTENT_ENCODING  # a case-insensitive key, looked up without folding


def _client_timeout(timeouts: Timeouts, remaining: float | None) -> aiohttp.ClientTimeout:
    """One attempt's limits: connect within ``connect``, the whole answer within ``read``.

    The read limit rides on the attempt's overall timer (one timer per request)
    rather than aiohttp's ``sock_read``, which re-arms a timer on every chunk
    received; the attempt never outlives the call's remaining deadline.
    """
    attempt = timeouts.read
    if remaining is not None:
        attempt = remaining if attempt is None else min(attempt, remaining)
    return aiohttp.ClientTimeout(total=attempt, sock_connect=timeouts.connect)


@dataclass(frozen=True, slots=True)
class RequestScope:
    """What a client view sends with every request: headers, timeouts, retry policy.

    Built once per view (``as_user``, ``with_options``), never per call.
    """

    headers: Mapping[str, str]
    timeouts: Timeouts
    retry: RetryPolicy
    first_timeout: aiohttp.ClientTimeout = field(init=False)

    def __post_init__(self) -> None:
        # Frozen once into the case-insensitive multidict aiohttp works with: given
        # a plain dict, aiohttp would rebuild one from it on every request.
        object.__setattr__(self, "headers", CIMultiDictProxy(CIMultiDict(self.headers)))
        object.__setattr__(
            self, "first_timeout", _client_timeout(self.timeouts, self.timeouts.total)
        )

    def with_headers(
        self, headers: Mapping[str, str], *, dropping: Iterable[str] = ()
    ) -> RequestScope:
        """This scope with ``headers`` set and the ``dropping`` names removed.

        Names match case-insensitively, as HTTP's do: a header replaces one of
        the same name whatever its case instead of going out beside it.
        """
        merged = CIMultiDict(self.headers)
        for name in dropping:
            merged.popall(name, None)
        for name, value in headers.items():
            merged[name] = value
        return dataclasses.replace(self, headers=merged)

    def acting_as(self, *, user_id: int | None = None, group_id: int | None = None) -> RequestScope:
        """This scope acting as a user or as a group's admin (an admin token may)."""
        acting = {}
        if user_id is not None:
            acting["user_id"] = str(user_id)
        if group_id is not None:
            acting["group_id"] = str(group_id)
        return self.with_headers(acting, dropping=("user_id", "group_id"))

    def __repr__(self) -> str:
        shown = {k: v for k, v in self.headers.items() if k.lower() != "access-token"}
        return f"RequestScope(headers={shown}, timeouts={self.timeouts})"


class _BodyTooLarge(Exception):
    """Internal: the body passed the cap while reading."""


async def _read_capped(response: aiohttp.ClientResponse, length: int | None, limit: int) -> bytes:
    """Read a body declared too large (``length``) or of unknown unpacked size (None).

    The limit counts the body as unpacked: aiohttp decompresses as it reads.
    """
    if length is not None:  # declared too large: drop the connection rather than drain it
        response.close()
        raise _BodyTooLarge
    buffer = bytearray()
    async for chunk in response.content.iter_any():
        buffer += chunk
        if len(buffer) > limit:
            response.close()
            raise _BodyTooLarge
    return bytes(buffer)


def _final(failure: LanyingError, endpoint: _Route, attempt: int) -> LanyingError:
    """The error to raise when no retry follows.

    A write that is not de-duplicated and may have reached the server becomes
    :class:`OutcomeUnknownError`: the caller must not believe it failed.
    """
    if (
        endpoint.kind is OperationKind.WRITE
        and failure.may_have_run
        and isinstance(failure, TransportError)
        and not isinstance(failure, OutcomeUnknownError)
    ):
        unknown = OutcomeUnknownError(failure)
        unknown.__cause__ = failure
        return unknown
    return failure


class Transport:
    """Sends typed requests over the client's pooled session."""

    __slots__ = (
        "_base",
        "_budget",
        "_bulk_limiter",
        "_gated",
        "_hooks",
        "_max_body",
        "_paused_until",
        "_rate",
        "_registry",
        "_urls",
        "config",
        "sessions",
    )

    def __init__(self, config: ClientConfig, registry: ErrorRegistry) -> None:
        self.config = config
        self.sessions = SessionManager(config)
        self._registry = registry
        self._base = config.api_endpoint
        self._urls: dict[str, URL] = {}
        self._rate = None if config.rate_limit is None else TokenBucket(config.rate_limit)
        self._bulk_limiter: anyio.Semaphore | None = None
        self._budget = RetryBudget(config.retry.budget)
        self._paused_until = 0.0  # monotonic time until which a 429 paused the client
        self._gated = self._rate is not None  # must attempts wait their turn? (rate or 429)
        self._max_body = config.max_response_bytes
        self._hooks = config.hooks

    def business_error(self, endpoint: _Route, code: int, message: str | None) -> LanyingError:
        """The exception this client raises for business ``code`` on ``endpoint``."""
        return self._registry.build(code, message, endpoint.method, endpoint.path)

    def bulk_limiter(self) -> anyio.Semaphore:
        """The client-wide cap on bulk requests in flight: what the pool can carry.

        Created lazily, inside the running loop, on first use. A plain
        semaphore: a ``CapacityLimiter`` would also track which task holds each
        token, a set update and a task lookup on every request for nothing the
        bulk engine uses.
        """
        limiter = self._bulk_limiter
        if limiter is None:
            size = self.config.limits.effective_connections
            limiter = self._bulk_limiter = anyio.Semaphore(size, max_value=size, fast_acquire=True)
        return limiter

    def base_scope(self) -> RequestScope:
        cfg = self.config
        headers = {
            "app_id": cfg.app_id,
            "access-token": cfg.access_token.reveal(),
            "Content-Type": "application/json",
            "User-Agent": cfg.user_agent,
        }
        return RequestScope(headers=headers, timeouts=cfg.timeouts, retry=RetryPolicy(cfg.retry))

    def _url(self, path: str) -> URL:
        url = self._urls.get(path)
        if url is None:
            url = self._urls[path] = URL(self._base + path)
        return url

    @overload
    async def request(
        self,
        endpoint: Endpoint[E],
        scope: RequestScope,
        params: Params | None = None,
        body: bytes | None = None,
    ) -> E: ...

    @overload
    async def request(
        self,
        endpoint: RawEndpoint,
        scope: RequestScope,
        params: Params | None = None,
        body: bytes | None = None,
    ) -> RawResponse: ...

    async def request(
        self,
        endpoint: Endpoint[E] | RawEndpoint,
        scope: RequestScope,
        params: Params | None = None,
        body: bytes | None = None,
    ) -> E | RawResponse:
        """Send one logical call, retrying as the scope's policy allows.

        An :class:`Endpoint` call returns its successful typed envelope. A
        :class:`RawEndpoint` call (file downloads) returns status 200 and 3xx
        answers as they are: redirects are not followed, so a 3xx carries the
        ``Location`` to fetch. Every other answer raises, and retries follow
        the same rules for both.
        """
        sessions = self.sessions
        session = sessions.session
        if session is None or sessions.loop is not asyncio.get_running_loop():
            session = sessions.get()  # creates the session, or raises why it cannot
        url = self._urls.get(endpoint.path)
        if url is None:  # not ``or``: a yarl URL's truth test is a Python call
            url = self._url(endpoint.path)
        timeout = scope.first_timeout
        started = _monotonic()
        attempt = 0
        hooks = self._hooks
        while True:
            attempt += 1
            status = 0
            outcome: E | RawResponse | LanyingError
            if self._gated:
                await self._wait_turn(endpoint, scope, attempt, started)
            if hooks is not None:
                hooks.request(endpoint.method, endpoint.path, attempt)
            try:
                # Awaited rather than entered with ``async with``, and the body read
                # from ``content``: the context manager and ``response.read()`` would
                # add seven coroutines a call, and ``release()`` below does what
                # their exits do.
                response = await session.request(
                    endpoint.method,
                    url,
                    params=params,
                    data=body,
                    headers=scope.headers,
                    timeout=timeout,
                    allow_redirects=False,
                )
                try:
                    status = response.status
                    length = response.content_length
                    if length is not None and _CONTENT_ENCODING in response.headers:
                        length = None  # a compressed length says nothing of the body unpacked
                    if length is not None and length <= self._max_body:
                        raw = await response.content.read()
                    else:
                        raw = await _read_capped(response, length, self._max_body)
                finally:
                    # Back to the pool once read; an unfinished body closes the connection.
                    response.release()
            except _BodyTooLarge:
                outcome = ResponseTooLargeError(
                    self._max_body, method=endpoint.method, path=endpoint.path
                )
            except aiohttp.ClientError as exc:
                outcome = self._connection_failure(endpoint, exc)
            except asyncio.TimeoutError as exc:  # total or socket timeout of this attempt
                outcome = self._timeout_failure(endpoint, attempt, exc)
            else:
                if isinstance(endpoint, RawEndpoint):
                    outcome = self._raw(endpoint, status, response.headers, raw)
                else:
                    outcome = self._envelope(endpoint, status, response.headers, raw)
            if hooks is not None or logger.isEnabledFor(_DEBUG):
                self._observe(endpoint, attempt, status, outcome, _monotonic() - started)
            if not isinstance(outcome, LanyingError):
                budget = self._budget
                if budget.level < budget.capacity:
                    budget.deposit(1)
                return outcome
            # --- failure path ---------------------------------------------------
            timeout = await self._before_retry(
                endpoint, scope, outcome, attempt, _monotonic() - started
            )

    def _envelope(
        self, endpoint: Endpoint[E], status: int, headers: Mapping[str, str], raw: bytes
    ) -> E | LanyingError:
        """A successful typed envelope, or the failure the answer amounts to."""
        if status != 200:
            return self._status_failure(endpoint, status, raw, headers)
        try:
            envelope = endpoint.decoder.decode(raw)
        except msgspec.MsgspecError:
            return self._decode_failure(endpoint, raw)
        if envelope.code == 200:
            return envelope
        return self._business_failure(endpoint, envelope.code, envelope.message, raw)

    def _raw(
        self, endpoint: RawEndpoint, status: int, headers: Mapping[str, str], raw: bytes
    ) -> RawResponse | LanyingError:
        if status == 200 or 300 <= status < 400:
            return RawResponse(status=status, headers=dict(headers), body=raw)
        return self._status_failure(endpoint, status, raw, headers)

    def _observe(
        self,
        endpoint: _Route,
        attempt: int,
        status: int,
        outcome: object,
        elapsed: float,
    ) -> None:
        """The debug line and the response hook of one attempt (only when wanted)."""
        error = outcome if isinstance(outcome, LanyingError) else None
        code = getattr(outcome, "code", None)
        if logger.isEnabledFor(_DEBUG):
            self._log(endpoint, status, code, attempt, elapsed)
        if self._hooks is not None:
            self._hooks.response(
                endpoint.method, endpoint.path, attempt, status or None, code, elapsed, error
            )

    async def _wait_turn(
        self, endpoint: _Route, scope: RequestScope, attempt: int, started: float
    ) -> None:
        """Honour a client-wide 429 pause and the rate limit before an attempt."""
        now = _monotonic()
        pause = self._paused_until - now
        if pause > 0:
            total = scope.timeouts.total
            if total is not None and now - started + pause >= total:
                raise LanyingTimeoutError(
                    f"deadline of {total:g}s would pass while the client is paused "
                    f"by the server's Retry-After",
                    method=endpoint.method,
                    path=endpoint.path,
                    attempts=attempt - 1,
                )
            await anyio.sleep(pause)
        if self._rate is not None:
            await self._rate.acquire()

    async def _before_retry(
        self,
        endpoint: _Route,
        scope: RequestScope,
        failure: LanyingError,
        attempt: int,
        elapsed: float,
    ) -> aiohttp.ClientTimeout:
        """Raise unless ``failure`` may be retried; else wait and return the next timeout."""
        policy = scope.retry
        cfg = policy.config
        if isinstance(failure, RateLimitedError):
            # A 429 pauses every coroutine of the client, not just this call.
            hint = failure.retry_after if failure.retry_after is not None else cfg.base_delay
            until = _monotonic() + min(hint, cfg.max_retry_after)
            self._paused_until = max(self._paused_until, until)
            self._gated = True
        decision = policy.decide(failure, endpoint.kind, attempt)
        if decision is None or not self._budget.withdraw(policy.cost(failure)):
            raise _final(failure, endpoint, attempt)
        delay = policy.delay(attempt)
        if decision.server_delay is not None:
            delay = max(delay, min(decision.server_delay, cfg.max_retry_after))
        if elapsed + delay > cfg.max_elapsed:
            raise _final(failure, endpoint, attempt)
        if self._hooks is not None:
            self._hooks.retry(endpoint.method, endpoint.path, attempt, delay, failure)
        total = scope.timeouts.total
        timeout = scope.first_timeout
        if total is not None:
            remaining = total - elapsed - delay
            if remaining <= 0:
                raise LanyingTimeoutError(
                    f"deadline of {total:g}s would pass before attempt {attempt + 1}",
                    method=endpoint.method,
                    path=endpoint.path,
                    attempts=attempt,
                    last_cause=failure,
                ) from failure
            timeout = _client_timeout(scope.timeouts, remaining)
        await anyio.sleep(delay)
        return timeout

    # --- failure classification (never on the success path) ------------------

    @staticmethod
    def _timeout_failure(endpoint: _Route, attempt: int, exc: BaseException) -> LanyingTimeoutError:
        return LanyingTimeoutError(
            "request timed out",
            method=endpoint.method,
            path=endpoint.path,
            attempts=attempt,
            last_cause=exc,
        )

    def _status_failure(
        self, endpoint: _Route, status: int, raw: bytes, headers: Mapping[str, str]
    ) -> HTTPStatusError:
        if status == 429:
            return RateLimitedError(
                status,
                raw,
                method=endpoint.method,
                path=endpoint.path,
                retry_after=parse_retry_after(headers),
            )
        retry_after = parse_retry_after(headers) if status == 503 else None
        return HTTPStatusError(
            status, raw, method=endpoint.method, path=endpoint.path, retry_after=retry_after
        )

    def _connection_failure(self, endpoint: _Route, exc: aiohttp.ClientError) -> LanyingError:
        # A failed connect (or connect timeout) means no byte of the request was sent.
        if isinstance(exc, aiohttp.ConnectionTimeoutError):
            return LanyingTimeoutError(
                f"connect timed out: {exc}",
                method=endpoint.method,
                path=endpoint.path,
                last_cause=exc,
                request_sent=False,
            )
        if isinstance(exc, aiohttp.ServerTimeoutError):
            return LanyingTimeoutError(
                f"read timed out: {exc}",
                method=endpoint.method,
                path=endpoint.path,
                last_cause=exc,
            )
        if isinstance(exc, aiohttp.ClientSSLError):
            error: LanyingConnectionError = LanyingTLSError(
                f"TLS failure: {exc}", method=endpoint.method, path=endpoint.path
            )
            error.__cause__ = exc
            return error
        sent = not isinstance(exc, aiohttp.ClientConnectorError)
        error = LanyingConnectionError(
            f"{type(exc).__name__}: {exc}",
            method=endpoint.method,
            path=endpoint.path,
            request_sent=sent,
        )
        error.__cause__ = exc
        return error

    def _decode_failure(self, endpoint: Endpoint[E], raw: bytes) -> LanyingError:
        try:
            bare = _bare_decoder.decode(raw)
        except msgspec.MsgspecError:
            return ResponseDecodeError(
                "response is not a JSON envelope", raw, method=endpoint.method, path=endpoint.path
            )
        if bare.code is not None and bare.code != 200:
            return self._business_failure(endpoint, bare.code, bare.message, raw)
        return ResponseDecodeError(
            "response data does not have the expected shape",
            raw,
            method=endpoint.method,
            path=endpoint.path,
        )

    def _business_failure(
        self, endpoint: Endpoint[E], code: int, message: str | None, raw: bytes
    ) -> LanyingError:
        if code == -1:  # our default: the JSON object carried no code at all
            return ResponseDecodeError(
                "response JSON has no 'code'", raw, method=endpoint.method, path=endpoint.path
            )
        return self.business_error(endpoint, code, message)

    @staticmethod
    def _log(endpoint: _Route, status: int, code: int | None, attempt: int, elapsed: float) -> None:
        logger.debug(
            "%s %s status=%s code=%s attempt=%d elapsed=%.1fms",
            endpoint.method,
            endpoint.path,
            status or "-",
            code if code is not None else "-",
            attempt,
            elapsed * 1000,
        )
