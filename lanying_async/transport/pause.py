"""The client-wide pause after an HTTP 429, and the slow start that ends it.

A 429 closes the gate until its `Retry-After` has passed, for every
coroutine of the client, not just the call that was told. Requests then go
back out in slow start rather than all at once: one request first, and each
answer that is not another 429 lets the window of requests in flight grow by
one (so it doubles every round trip), until it is as large as the connection
pool and the gate opens. Another 429 meanwhile closes it again and starts
over. Waiters are served in arrival order; one that is cancelled or runs out
of time gives its place to the next.
"""

from __future__ import annotations

import time
from collections import deque

import anyio

__all__ = ["PauseGate"]

_monotonic = time.monotonic


class PauseGate:
    """Admits requests after a 429: pause, then slow start. Built lazily on the first 429."""

    __slots__ = ("_queue", "active", "in_flight", "open_at", "until", "window")

    def __init__(self, open_at: int) -> None:
        self.open_at = max(1, open_at)
        self.active = False
        self.until = 0.0
        self.window = 1
        self.in_flight = 0
        self._queue: deque[anyio.Event] = deque()

    def close(self, until: float) -> None:
        """A 429 arrived: pause until `until` (at least), then start slow again."""
        self.active = True
        self.until = max(self.until, until)
        self.window = 1
        # Whoever waits in line goes back to waiting out the pause, then queues anew.
        while self._queue:
            self.in_flight += 1
            self._queue.popleft().set()

    async def enter(self, deadline: float | None) -> bool:
        """Wait for this request's turn; True when it was admitted and must
        [`leave()`][lanying_async.transport.pause.PauseGate.leave].

        Raises `TimeoutError` without waiting when `deadline` (a
        monotonic time) would pass first.
        """
        while self.active:
            now = _monotonic()
            if self.until > now:
                _check_deadline(self.until, deadline)
                await anyio.sleep(self.until - now)
                continue
            if self.in_flight < self.window and not self._queue:
                self.in_flight += 1
                return True
            if await self._queued(deadline) and _monotonic() >= self.until:
                return True
            # Paused again while queued: give the place back and wait the pause out.
            self.leave(widen=False)
        return False

    async def _queued(self, deadline: float | None) -> bool:
        """Wait in line until admitted (True), or until the gate opened for all (False)."""
        event = anyio.Event()
        self._queue.append(event)
        try:
            if deadline is None:
                await event.wait()
            else:
                with anyio.move_on_after(max(0.0, deadline - _monotonic())):
                    await event.wait()
                if not event.is_set():
                    raise TimeoutError("deadline passed while waiting to resume after a 429")
        except BaseException:
            if event.is_set():
                self.leave(widen=False)  # admitted, but not going: pass the place on
            else:
                self._queue.remove(event)
            raise
        return True

    def leave(self, *, widen: bool) -> None:
        """An admitted request ended; `widen` when it was answered and not by a 429."""
        self.in_flight -= 1
        if widen and self.window < self.open_at:
            self.window += 1
            if self.window >= self.open_at and _monotonic() >= self.until:
                self.active = False
        self._admit()

    def _admit(self) -> None:
        queue = self._queue
        if not self.active:  # open again: everyone waiting goes
            while queue:
                self.in_flight += 1
                queue.popleft().set()
            return
        while queue and self.in_flight < self.window and _monotonic() >= self.until:
            self.in_flight += 1
            queue.popleft().set()


def _check_deadline(at: float, deadline: float | None) -> None:
    if deadline is not None and at >= deadline:
        raise TimeoutError("the deadline would pass while the client is paused by a 429")
