"""A client-wide request rate limit: a token bucket shared by every coroutine.

Reservation based: a caller takes a token (the balance may go negative) and
sleeps until its reservation matures, so callers are served in arrival order
without a lock (the bookkeeping never awaits). Built lazily on first use.
"""

from __future__ import annotations

import asyncio

import anyio

from lanying_async.errors import ValidationError

__all__ = ["TokenBucket"]


class TokenBucket:
    """At most ``rate`` requests per second on average, bursts up to ``burst``."""

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

    async def acquire(self) -> None:
        delay = self.reserve(asyncio.get_running_loop().time())
        if delay > 0:
            await anyio.sleep(delay)
