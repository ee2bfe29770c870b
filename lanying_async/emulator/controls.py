"""Runtime knobs that tests turn: latency, recording and forced errors.

They also keep the moment the requests being served came in
(`Controls.came_in()`), from which the latency counts.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["Controls", "ForcedError"]


@dataclass(frozen=True, slots=True)
class ForcedError:
    """An answer to give instead of the real one."""

    code: int
    message: str | None = None
    status: int = 200
    """HTTP status of the answer (200 for business errors)."""
    execute: bool = False
    """Run the real handler first (its effects stay), then answer the error."""


@dataclass(slots=True)
class Controls:
    latency: float = 0.0
    """The least seconds a request takes, counted from `came_in()`."""
    record: bool = True
    """Whether requests are appended to the request log."""
    forced: dict[tuple[str, str], deque[ForcedError]] = field(default_factory=dict)
    arrival: Callable[[], float] | None = None
    """Loop time the bytes being read now reached the server, when the loop knows it.

    A loop that polls instead of sleeping sees requests the moment they arrive;
    with this set, their latency counts from then, so parsing a request is part
    of its latency as on a real server. Otherwise it counts from the loop step
    that starts serving it.
    """
    _step_started: float | None = field(default=None, repr=False)

    def came_in(self, loop: asyncio.AbstractEventLoop) -> float:
        """Loop time the request being served came in, for its latency.

        Requests that arrive together are served one after another on this one
        thread, where a real server answers them side by side. So every request
        whose handling starts in one step of the loop counts from the moment
        the first of them started: one request's work does not lengthen the
        others' time.
        """
        started = self._step_started
        if started is None:
            arrival = self.arrival
            started = self._step_started = loop.time() if arrival is None else arrival()
            loop.call_soon(self._next_step)  # runs once this loop step is over
        return started

    def _next_step(self) -> None:
        self._step_started = None

    def force(self, method: str, path: str, error: ForcedError, times: int) -> None:
        if times < 1:
            raise ValueError("times must be at least 1")
        queue = self.forced.setdefault((method.upper(), path), deque())
        queue.extend([error] * times)

    def take(self, method: str, path: str) -> ForcedError | None:
        """Consume the next forced error queued for that route, if any."""
        if not self.forced:
            return None
        key = (method, path)
        queue = self.forced.get(key)
        if not queue:
            return None
        error = queue.popleft()
        if not queue:
            del self.forced[key]
        return error
