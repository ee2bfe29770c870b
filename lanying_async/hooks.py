"""Observation hooks: callbacks on every attempt, answer and retry of a call.

Pass `hooks=Hooks(on_request=..., on_response=..., on_retry=...)` to the
client. Callbacks are plain functions, called inline (keep them quick; hand
heavy work to a queue). Events carry the method, path, attempt number, HTTP
status, business code and elapsed time — never the access token or bodies.
A hook that raises is logged and ignored: observing must not break calls.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lanying_async.errors import LanyingError

__all__ = ["Hooks", "RequestEvent", "ResponseEvent", "RetryEvent"]

logger = logging.getLogger("lanying_async")


@dataclass(frozen=True, slots=True)
class RequestEvent:
    """An attempt is about to be sent."""

    method: str
    path: str
    attempt: int


@dataclass(frozen=True, slots=True)
class ResponseEvent:
    """An attempt ended: with an answer (`status`/`code`) or a failure (`error`)."""

    method: str
    path: str
    attempt: int
    status: int | None
    code: int | None
    elapsed: float
    """Seconds since the call began (all attempts so far)."""
    error: LanyingError | None = None


@dataclass(frozen=True, slots=True)
class RetryEvent:
    """A failed attempt will be retried after `delay` seconds."""

    method: str
    path: str
    attempt: int
    delay: float
    error: LanyingError


@dataclass(frozen=True, slots=True)
class Hooks:
    on_request: Callable[[RequestEvent], object] | None = None
    on_response: Callable[[ResponseEvent], object] | None = None
    on_retry: Callable[[RetryEvent], object] | None = None

    def request(self, method: str, path: str, attempt: int) -> None:
        if self.on_request is not None:
            _call(self.on_request, RequestEvent(method, path, attempt))

    def response(
        self,
        method: str,
        path: str,
        attempt: int,
        status: int | None,
        code: int | None,
        elapsed: float,
        error: LanyingError | None = None,
    ) -> None:
        if self.on_response is not None:
            _call(
                self.on_response,
                ResponseEvent(method, path, attempt, status, code, elapsed, error),
            )

    def retry(
        self, method: str, path: str, attempt: int, delay: float, error: LanyingError
    ) -> None:
        if self.on_retry is not None:
            _call(self.on_retry, RetryEvent(method, path, attempt, delay, error))


def _call(hook: Callable[[Any], object], event: object) -> None:
    try:
        hook(event)
    except Exception:  # a broken observer must not break the call it observes
        logger.exception("lanying_async hook %r failed", hook)
