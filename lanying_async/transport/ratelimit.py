"""A client-wide request rate limit: a token bucket shared by every coroutine.

Reservation based: a caller takes a token (the balance may go negative) and
sleeps until its reservation matures, so callers are served in arrival order
without a lock (the bookkeeping never awaits). A caller that is cancelled
while it waits, or whose deadline would pass first, gives its token back, so
callers that gave up never delay the ones that come after them.
"""

from __future__ import annotations

import time

import anyio

from lanying_async.errors import ValidationError

__all__ = ["TokenBucket"]

_monotonic = time.monotonic


class TokenBucket:
    """At most `rate` requests per second on average, bursts up to `burst`."""

    __slots__ = ("_tokens", "_updated", "burst", "rate")

    def __init__(self, rate: float, burst: int | None = None) -> None:
        if not rate > 0:
            raise ValidationError("rate_limit", "must be a positive number of requests per second")
        self.rate = float(rate)
        self.burst = burst if burst is not None else max(1, int(rate))
        if self.burst < 1:
            raise ValidationError("rate_limit_burst", "must be at least 1")
        self._tokens = float(self.burst)
        self._updated: float | None = None

    def reserve(self, now: float) -> float:
        """Take one token; return how long to wait before using it."""
        if self._updated is None:
            self._updated = now
        self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
        self._updated = now
        self._tokens -= 1.0
        return 0.0 if self._tokens >= 0 else -self._tokens / self.rate

    def refund(self) -> None:
        """Give back a token reserved and not used."""
        self._tokens = min(float(self.burst), self._tokens + 1.0)

    async def acquire(self, deadline: float | None = None) -> None:
        """Wait for a token.

        Raises `TimeoutError` at once, keeping no token, when the wait
        would reach `deadline` (a monotonic time).
        """
        now = _monotonic()
        delay = self.reserve(now)
        if delay <= 0:
            return
        if deadline is not None and now + delay >= deadline:
            self.refund()
            raise TimeoutError("the deadline would pass while waiting for the rate limit")
        try:
            await anyio.sleep(delay)
        except BaseException:
            self.refund()
            raise
