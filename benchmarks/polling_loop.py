"""An event loop that never sleeps in the kernel, for servers on a core of their own.

On a virtual machine a core woken from idle takes a hypervisor round trip
(100 µs or more) before it runs, and ``epoll`` sleeps in whole milliseconds,
rounded up: a server that sleeps between requests would add the first to
every request it reads, and a held answer meant for 20 ms would leave 0.5 to
2 ms late. This loop polls instead, so requests are read as they arrive and
held answers leave on time. The CPU time spent polling with nothing to do is
counted apart, so the server can still report what its requests cost.
"""

from __future__ import annotations

import asyncio
import selectors
import time
from collections.abc import Coroutine
from typing import Any, TypeVar

__all__ = ["PollingSelector", "run"]

T = TypeVar("T")


class PollingSelector(selectors.DefaultSelector):
    """A selector that polls until something is ready or the timeout is up."""

    def __init__(self) -> None:
        super().__init__()
        self.polling_cpu = 0.0
        """CPU seconds spent polling (to subtract from the process's CPU time)."""
        self.woke_at = time.monotonic()
        """Loop time when the last poll found something ready: when those bytes came in."""

    def select(self, timeout: float | None = None) -> list[Any]:
        ready = super().select(0)
        if not ready and (timeout is None or timeout > 0):
            ready = self._poll(timeout)
        if ready:
            # Only a poll that found something moves the arrival moment: the
            # loop steps that follow (handlers starting) still read when the
            # bytes they serve came in.
            self.woke_at = time.monotonic()
        return ready

    def _poll(self, timeout: float | None) -> list[Any]:
        deadline = float("inf") if timeout is None else time.monotonic() + timeout
        started = time.thread_time()
        ready: list[Any] = []
        while not ready and time.monotonic() < deadline:
            ready = super().select(0)
        self.polling_cpu += time.thread_time() - started
        return ready


def run(main: Coroutine[Any, Any, T], selector: PollingSelector) -> T:
    """``asyncio.run(main)`` on a loop that uses ``selector``."""
    loop = asyncio.SelectorEventLoop(selector)
    try:
        asyncio.set_event_loop(loop)
        return loop.run_until_complete(main)
    finally:
        asyncio.set_event_loop(None)
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
