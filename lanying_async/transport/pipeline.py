"""The request pipeline: build, send, retry, decode, raise — in one place.

The success path is kept minimal: pre-built headers and URL, one aiohttp
request on the pooled session, one msgspec decode straight into the typed
envelope. Everything only failures need (classifying the error, the backoff
schedule, Retry-After) runs only after a failure.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from contextvars import ContextVar
from typing import TypeVar, overload

import aiohttp
import anyio
import msgspec
from aiohttp import hdrs
from yarl import URL

from lanying_async.config import ClientConfig, RetryConfig
from lanying_async.errors import (
    ClientClosedError,
    ErrorRegistry,
    LanyingError,
    RateLimitedError,
    RequestPhase,
    ResponseTooLargeError,
    ValidationError,
)
from lanying_async.models.base import Envelope
from lanying_async.transport.endpoint import Endpoint
from lanying_async.transport.failures import (
    Route,
    connection_failure,
    deadline_passed,
    decode_error,
    decode_failure_reason,
    final,
    status_failure,
    timeout_failure,
)
from lanying_async.transport.pause import PauseGate
from lanying_async.transport.ratelimit import TokenBucket
from lanying_async.transport.retry import RetryBudget, RetryPolicy
from lanying_async.transport.scope import (
    MIN_ATTEMPT,
    Params,
    RawEndpoint,
    RawResponse,
    RequestScope,
    client_timeout,
)
from lanying_async.transport.session import SessionManager

__all__ = ["Params", "RawEndpoint", "RawResponse", "RequestScope", "Transport", "turn_pending"]

turn_pending: ContextVar[bool] = ContextVar("lanying_turn_pending", default=False)
"""True when the current task's call was cancelled while it waited for its turn
(the rate limit or a 429 pause) before any of its requests left the client.
The bulk engine clears it before each chunk and reads it when a chunk is
cancelled: such a chunk was never sent. Only waits set it, so a call that
never waits costs nothing."""

_CONTENT_ENCODING = hdrs.CONTENT_ENCODING  # a case-insensitive key, looked up without folding

logger = logging.getLogger("lanying_async")
_DEBUG = logging.DEBUG
# Attempt timing and client-wide pauses run on the monotonic clock (what asyncio's
# loop uses too), read without looking the running loop up on every call.
_monotonic = time.monotonic

E = TypeVar("E", bound=Envelope)  # type: ignore[type-arg]


class _BodyTooLarge(Exception):
    """Internal: the body passed the cap while reading."""


async def _read_capped(response: aiohttp.ClientResponse, length: int | None, limit: int) -> bytes:
    """Read a body declared too large (`length`) or of unknown unpacked size (None).

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


def _check_params(params: Params) -> None:
    """Refuse query values that cannot go out as they are, before sending.

    yarl drops lone surrogates from a query string without a word, which
    would send another value than the caller's.
    """
    for name, value in params.items():
        if type(value) is str and not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ValidationError(name, "contains a lone surrogate (not valid text)") from None


class Transport:
    """Sends typed requests over the client's pooled session."""

    __slots__ = (
        "_base",
        "_budget",
        "_bulk_limiter",
        "_gate",
        "_gated",
        "_hooks",
        "_max_body",
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
        self._gate: PauseGate | None = None  # the pause after a 429, made on the first one
        self._gated = self._rate is not None  # must attempts wait their turn? (rate or 429)
        self._max_body = config.max_response_bytes
        self._hooks = config.hooks

    def business_error(self, endpoint: Route, code: int, message: str | None) -> LanyingError:
        """The exception this client raises for business `code` on `endpoint`."""
        return self._registry.build(code, message, endpoint.method, endpoint.path)

    def bulk_limiter(self) -> anyio.Semaphore:
        """The client-wide cap on bulk requests in flight: what the pool can carry.

        Created lazily, inside the running loop, on first use. A plain
        semaphore: a `CapacityLimiter` would also track which task holds each
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

        An [`Endpoint`][lanying_async.transport.endpoint.Endpoint] call returns its successful typed
        envelope. A [`RawEndpoint`][lanying_async.transport.scope.RawEndpoint] call (file downloads)
        returns status 200 and 3xx answers as they are: redirects are not followed, so a 3xx carries
        the `Location` to fetch. Every other answer raises, and retries follow the same rules for
        both. One deadline (`Timeouts.total`) covers every wait of the call: the rate limit, a 429
        pause, each attempt and each backoff sleep.
        """
        sessions = self.sessions
        session = sessions.session
        if session is None or sessions.loop is not asyncio.get_running_loop():
            session = sessions.get()  # creates the session, or raises why it cannot
        if params is not None:
            _check_params(params)
        url = self._urls.get(endpoint.path)
        if url is None:  # not ``or``: a yarl URL's truth test is a Python call
            url = self._url(endpoint.path)
        timeout = scope.first_timeout
        started = _monotonic()
        attempt = 0
        earlier = 0  # how far earlier attempts got: 0 unsent, 1 sent, 2 may have run
        hooks = self._hooks
        while True:
            attempt += 1
            status = 0
            admitted = False
            outcome: E | RawResponse | LanyingError
            if self._gated:
                admitted, timeout = await self._wait_turn(
                    endpoint, scope, attempt, started, earlier
                )
            if sessions.closed:
                if admitted:
                    self._leave_gate(None)
                raise final(_closed(), endpoint, earlier=earlier)
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
                    self._max_body, method=endpoint.method, path=endpoint.path, status=status
                )
            except aiohttp.ClientError as exc:
                outcome = connection_failure(endpoint, exc)
            except asyncio.TimeoutError as exc:  # this attempt's own timer
                outcome = timeout_failure(endpoint, attempt, exc)
            except BaseException:  # cancelled: an admitted request gives its place up
                if admitted:
                    self._leave_gate(None)
                raise
            else:
                if isinstance(endpoint, RawEndpoint):
                    outcome = self._raw(endpoint, status, response.headers, raw)
                else:
                    outcome = self._envelope(endpoint, status, response.headers, raw)
            if admitted or type(outcome) is RateLimitedError:
                self._leave_gate(outcome, scope.retry.config, admitted=admitted)
            if hooks is not None or logger.isEnabledFor(_DEBUG):
                self._observe(endpoint, attempt, status, outcome, _monotonic() - started)
            if not isinstance(outcome, LanyingError):
                budget = self._budget
                if budget.level < budget.capacity:
                    budget.deposit(1)
                return outcome
            # --- failure path ---------------------------------------------------
            if self.sessions.closed:  # closed while this attempt ran: say so, not why it broke
                outcome = _closed(sent=outcome.request_sent)
            timeout = await self._before_retry(
                endpoint, scope, outcome, attempt, _monotonic() - started, earlier
            )
            earlier = max(earlier, outcome._progress())

    def _envelope(
        self, endpoint: Endpoint[E], status: int, headers: Mapping[str, str], raw: bytes
    ) -> E | LanyingError:
        """A successful typed envelope, or the failure the answer amounts to."""
        if status != 200:
            return status_failure(endpoint, status, raw, headers)
        try:
            envelope = endpoint.decoder.decode(raw)
        except msgspec.MsgspecError:
            code, message, reason = decode_failure_reason(raw)
            if code is None:
                return decode_error(endpoint, reason, raw)
            return self.business_error(endpoint, code, message)
        if envelope.code == 200:
            return envelope
        if envelope.code == -1:  # our default: the JSON object carried no code at all
            return decode_error(endpoint, "response JSON has no 'code'", raw)
        return self.business_error(endpoint, envelope.code, envelope.message)

    def _raw(
        self, endpoint: RawEndpoint, status: int, headers: Mapping[str, str], raw: bytes
    ) -> RawResponse | LanyingError:
        if status == 200 or 300 <= status < 400:
            return RawResponse(status=status, headers=dict(headers), body=raw)
        return status_failure(endpoint, status, raw, headers)

    def _observe(
        self,
        endpoint: Route,
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

    # --- waiting: the rate limit and the 429 pause ------------------------------

    async def _wait_turn(
        self, endpoint: Route, scope: RequestScope, attempt: int, started: float, earlier: int
    ) -> tuple[bool, aiohttp.ClientTimeout]:
        """Wait out a 429 pause and the rate limit, within the call's deadline.

        Returns whether the pause gate admitted this attempt (it must then
        leave the gate) and the attempt's timeout, shortened by the wait.
        """
        total = scope.timeouts.total
        deadline = None if total is None else started + total
        gate = self._gate
        admitted = False
        if not earlier:
            turn_pending.set(True)  # stays set only if cancelled while waiting
        try:
            if gate is not None and gate.active:
                admitted = await gate.enter(deadline)
            if self._rate is not None:
                await self._rate.acquire(deadline)
        except TimeoutError:
            turn_pending.set(False)
            if admitted:
                self._leave_gate(None)
            why = "while the client waits for its rate limit or a 429 pause"
            raise final(
                deadline_passed(endpoint, attempt - 1, why), endpoint, earlier=earlier
            ) from None
        except BaseException:
            if admitted:
                self._leave_gate(None)
            raise
        if not earlier:
            turn_pending.set(False)
        if self._rate is None and (gate is None or not gate.active):
            self._gated = False
        if deadline is None:
            return admitted, scope.first_timeout
        remaining = deadline - _monotonic()
        if remaining < MIN_ATTEMPT:
            if admitted:
                self._leave_gate(None)
            why = "before the request could leave"
            raise final(deadline_passed(endpoint, attempt - 1, why), endpoint, earlier=earlier)
        return admitted, client_timeout(scope.timeouts, remaining)

    def _leave_gate(
        self,
        outcome: object,
        retry: RetryConfig | None = None,
        *,
        admitted: bool = True,
    ) -> None:
        """After an attempt: a 429 pauses the client; an admitted attempt leaves the gate.

        `outcome` None means the attempt did not go (cancelled, out of time).
        """
        gate = self._gate
        if isinstance(outcome, RateLimitedError):
            assert retry is not None
            hint = outcome.retry_after if outcome.retry_after is not None else retry.base_delay
            if gate is None:
                gate = self._gate = PauseGate(self.config.limits.effective_connections)
            gate.close(_monotonic() + min(hint, retry.max_retry_after))
            self._gated = True
        if admitted and gate is not None:
            answered = outcome is not None and not isinstance(outcome, RateLimitedError)
            gate.leave(widen=answered)

    async def _before_retry(
        self,
        endpoint: Route,
        scope: RequestScope,
        failure: LanyingError,
        attempt: int,
        elapsed: float,
        earlier: int,
    ) -> aiohttp.ClientTimeout:
        """Raise unless `failure` may be retried; else wait and return the next timeout."""
        policy = scope.retry
        cfg = policy.config
        decision = policy.decide(failure, endpoint.kind, attempt)
        if decision is None or not self._budget.withdraw(policy.cost(failure)):
            raise final(failure, endpoint, earlier=earlier)
        delay = policy.delay(attempt)
        if decision.server_delay is not None:
            delay = max(delay, min(decision.server_delay, cfg.max_retry_after))
        if elapsed + delay > cfg.max_elapsed:
            raise final(failure, endpoint, earlier=earlier)
        if self._hooks is not None:
            self._hooks.retry(endpoint.method, endpoint.path, attempt, delay, failure)
        total = scope.timeouts.total
        timeout = scope.first_timeout
        if total is not None:
            remaining = total - elapsed - delay
            if remaining < MIN_ATTEMPT:
                why = f"before attempt {attempt + 1}"
                timed_out = deadline_passed(endpoint, attempt, why, last_cause=failure)
                timed_out.__cause__ = failure
                raise final(timed_out, endpoint, earlier=max(earlier, failure._progress()))
            timeout = client_timeout(scope.timeouts, remaining)
        await anyio.sleep(delay)
        return timeout

    @staticmethod
    def _log(endpoint: Route, status: int, code: int | None, attempt: int, elapsed: float) -> None:
        logger.debug(
            "%s %s status=%s code=%s attempt=%d elapsed=%.1fms",
            endpoint.method,
            endpoint.path,
            status or "-",
            code if code is not None else "-",
            attempt,
            elapsed * 1000,
        )


def _closed(*, sent: bool = False) -> ClientClosedError:
    """The client was closed before (or while) this attempt ran."""
    error = ClientClosedError("this LanyingClient was closed while the call was running")
    if sent:
        error.phase = RequestPhase.SENT
    return error
