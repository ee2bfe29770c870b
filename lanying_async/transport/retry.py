"""Retry decisions as small, pluggable rule objects.

Each [`RetryRule`][lanying_async.transport.retry.RetryRule] looks at one failed attempt and says
whether it may be retried and, optionally, how long the server asked us to wait. The
[`RetryPolicy`][lanying_async.transport.retry.RetryPolicy] combines the rules with the attempt and
time bounds and computes exponential backoff with full jitter through `backoff`. None of this runs
on the success path.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

import backoff

from lanying_async.config import RetryConfig
from lanying_async.errors import (
    HTTPStatusError,
    LanyingAPIError,
    LanyingConnectionError,
    LanyingError,
    LanyingTimeoutError,
    LanyingTLSError,
    RateLimitedError,
)
from lanying_async.transport.endpoint import OperationKind

__all__ = [
    "ConnectFailureRule",
    "ConnectionDropRule",
    "RateLimitRule",
    "RetryBudget",
    "RetryDecision",
    "RetryPolicy",
    "RetryRule",
    "ServerUnavailableRule",
    "TimeoutRule",
    "TransientCodeRule",
    "default_rules",
    "parse_retry_after",
]


@dataclass(frozen=True, slots=True)
class RetryDecision:
    """A rule's verdict: retry, optionally after at least `server_delay` seconds."""

    server_delay: float | None = None


class RetryRule(Protocol):
    """Returns a decision when it allows a retry of `failure` for `kind`, else None."""

    def check(self, failure: LanyingError, kind: OperationKind) -> RetryDecision | None: ...


_RETRY = RetryDecision()


class ConnectFailureRule:
    """The request never left the client (connect refused/failed): always safe to retry."""

    def check(self, failure: LanyingError, kind: OperationKind) -> RetryDecision | None:
        if isinstance(failure, LanyingTLSError):
            return None
        if isinstance(failure, LanyingConnectionError | LanyingTimeoutError):
            return None if failure.request_sent else _RETRY
        return None


class ConnectionDropRule:
    """The connection broke after sending: only operations safe to repeat retry."""

    def check(self, failure: LanyingError, kind: OperationKind) -> RetryDecision | None:
        if (
            isinstance(failure, LanyingConnectionError)
            and not isinstance(failure, LanyingTLSError)
            and kind.retries_after_send
        ):
            return _RETRY
        return None


class TimeoutRule:
    """A per-attempt read timeout: only operations safe to repeat retry."""

    def check(self, failure: LanyingError, kind: OperationKind) -> RetryDecision | None:
        if isinstance(failure, LanyingTimeoutError) and kind.retries_after_send:
            return _RETRY
        return None


class ServerUnavailableRule:
    """HTTP 502/503/504 from a gateway: only operations safe to repeat retry.

    A 503's `Retry-After` is honoured.
    """

    def __init__(self, statuses: Iterable[int] = (502, 503, 504)) -> None:
        self.statuses = frozenset(statuses)

    def check(self, failure: LanyingError, kind: OperationKind) -> RetryDecision | None:
        if (
            isinstance(failure, HTTPStatusError)
            and failure.status in self.statuses
            and kind.retries_after_send
        ):
            return _RETRY if failure.retry_after is None else RetryDecision(failure.retry_after)
        return None


class TransientCodeRule:
    """Business codes that mean "try again" (default 20000), for operations safe to repeat."""

    def __init__(self, codes: Iterable[int]) -> None:
        self.codes = frozenset(codes)

    def check(self, failure: LanyingError, kind: OperationKind) -> RetryDecision | None:
        if (
            isinstance(failure, LanyingAPIError)
            and failure.code in self.codes
            and kind.retries_after_send
        ):
            return _RETRY
        return None


class RateLimitRule:
    """HTTP 429: the request was refused, not executed, so any operation may retry.

    Honour `Retry-After` when the server sent one.
    """

    def check(self, failure: LanyingError, kind: OperationKind) -> RetryDecision | None:
        if isinstance(failure, RateLimitedError):
            return RetryDecision(server_delay=failure.retry_after)
        return None


def default_rules(config: RetryConfig) -> tuple[RetryRule, ...]:
    """The standard rules, in the order they are asked."""
    return (
        ConnectFailureRule(),
        RateLimitRule(),
        ServerUnavailableRule(),
        ConnectionDropRule(),
        TimeoutRule(),
        TransientCodeRule(config.transient_codes),
    )


class RetryBudget:
    """A client-wide token bucket that retries draw from and successes refill.

    During an outage every call fails and retries stop once the bucket is dry,
    so the client fails fast instead of multiplying load on a struggling
    server; as calls succeed again the budget refills.
    """

    __slots__ = ("capacity", "level")

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.level = capacity

    def withdraw(self, cost: int) -> bool:
        if cost > self.level:
            return False
        self.level -= cost
        return True

    def deposit(self, amount: int) -> None:
        self.level = min(self.capacity, self.level + amount)


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta-seconds or HTTP-date).

    Garbage, negative values and absent headers give None.
    """
    value = headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds:  # NaN
        return None
    return max(seconds, 0.0)


class RetryPolicy:
    """Combines the rules with `RetryConfig` bounds; one backoff schedule per call."""

    __slots__ = ("config", "rules")

    def __init__(self, config: RetryConfig, rules: Iterable[RetryRule] | None = None) -> None:
        self.config = config
        self.rules = tuple(rules) if rules is not None else default_rules(config)

    def cost(self, failure: LanyingError) -> int:
        """Budget tokens a retry of `failure` costs (timeouts cost more)."""
        if isinstance(failure, LanyingTimeoutError):
            return self.config.timeout_cost
        return self.config.retry_cost

    def delay(self, attempt: int) -> float:
        """Backoff before retry number `attempt` (1-based): exponential, full jitter."""
        cfg = self.config
        gen = backoff.expo(base=2, factor=cfg.base_delay, max_value=cfg.max_delay)
        gen.send(None)  # prime: backoff's generators start with a bare yield
        value = 0.0
        for _ in range(attempt):
            value = next(gen)
        return float(backoff.full_jitter(value))

    def decide(
        self, failure: LanyingError, kind: OperationKind, attempt: int
    ) -> RetryDecision | None:
        """The first rule's decision, if attempts remain; None means raise now."""
        if attempt >= self.config.max_attempts:
            return None
        for rule in self.rules:
            decision = rule.check(failure, kind)
            if decision is not None:
                return decision
        return None
