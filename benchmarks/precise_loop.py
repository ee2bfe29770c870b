"""An event loop whose timers fire on time, for servers that hold their answers.

asyncio sleeps in ``epoll`` with millisecond granularity, rounded up, and a
virtual CPU woken from idle takes a while longer: a timer meant for 20 ms
fires 0.5 to 2 ms late, and a server holding every answer 20 ms would add that
to every request of every client. This loop sleeps in the kernel until
shortly before the next timer is due, then polls until it is. The CPU time
spent polling is counted apart, so the server can still report the CPU time
its requests cost. Only for a server that has a core of its own.
"""

from __future__ import annotations

import asyncio
import selectors
import time
from collections.abc import Coroutine
from typing import Any, TypeVar

__all__ = ["PreciseSelector", "run"]

T = TypeVar("T")

#: Sleep in the kernel until this long before a timer, then poll.
MARGIN = 0.002


class PreciseSelector(selectors.DefaultSelector):
    """A selector that polls through the last ``MARGIN`` seconds before a timeout."""

    def __init__(self) -> None:
        super().__init__()
        self.polling_cpu = 0.0
        """CPU seconds spent polling (to subtract from the process's CPU time)."""

    def select(self, timeout: float | None = None) -> list[Any]:
        if timeout is None or timeout <= 0:
            return super().select(timeout)
        deadline = time.monotonic() + timeout
        if timeout > MARGIN:
            ready = super().select(timeout - MARGIN)
            if ready:
                return ready
        started = time.thread_time()
        try:
            while True:
                ready = super().select(0)
                if ready or time.monotonic() >= deadline:
                    return ready
        finally:
            self.polling_cpu += time.thread_time() - started


def run(main: Coroutine[Any, Any, T], selector: PreciseSelector) -> T:
    """``asyncio.run(main)`` on a loop that uses ``selector``."""
    loop = asyncio.SelectorEventLoop(selector)
    try:
        asyncio.set_event_loop(loop)
        return loop.run_until_complete(main)
    finally:
        asyncio.set_event_loop(None)
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
