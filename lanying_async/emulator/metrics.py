"""Counters about connections and concurrency seen by the emulator."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field

__all__ = ["SUCCEEDED_IN_PROCESS", "Metrics"]

SUCCEEDED_IN_PROCESS: Counter[tuple[str, str]] = Counter()
"""(method, path) -> successful answers, across every emulator in this process.
Test suites use it to prove every operation was exercised end to end."""


@dataclass(slots=True)
class Metrics:
    connections_opened: int = 0
    """Distinct TCP connections accepted."""
    requests_served: int = 0
    in_flight: int = 0
    peak_in_flight: int = 0
    """Highest number of requests handled at the same time."""
    succeeded: Counter[tuple[str, str]] = field(default_factory=Counter)
    idle: asyncio.Event | None = None
    """Set when the last request in flight ends (made on first wait)."""
    """(method, path) -> answers with code 200 produced by the real handler."""

    def success(self, method: str, path: str) -> None:
        key = (method, path)
        self.succeeded[key] += 1
        SUCCEEDED_IN_PROCESS[key] += 1

    def connection_opened(self) -> None:
        self.connections_opened += 1

    def enter(self) -> None:
        self.requests_served += 1
        self.in_flight += 1
        if self.in_flight > self.peak_in_flight:
            self.peak_in_flight = self.in_flight

    def leave(self) -> None:
        self.in_flight -= 1
        if self.in_flight == 0 and self.idle is not None:
            self.idle.set()

    async def wait_idle(self) -> None:
        """Return once no request is being handled."""
        while self.in_flight:
            if self.idle is None or self.idle.is_set():
                self.idle = asyncio.Event()
            await self.idle.wait()

    def reset(self) -> None:
        self.connections_opened = 0
        self.requests_served = 0
        self.peak_in_flight = self.in_flight
