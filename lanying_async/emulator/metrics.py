"""Counters about connections and concurrency seen by the emulator."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Metrics"]


@dataclass(slots=True)
class Metrics:
    connections_opened: int = 0
    """Distinct TCP connections accepted."""
    requests_served: int = 0
    in_flight: int = 0
    peak_in_flight: int = 0
    """Highest number of requests handled at the same time."""

    def connection_opened(self) -> None:
        self.connections_opened += 1

    def enter(self) -> None:
        self.requests_served += 1
        self.in_flight += 1
        if self.in_flight > self.peak_in_flight:
            self.peak_in_flight = self.in_flight

    def leave(self) -> None:
        self.in_flight -= 1

    def reset(self) -> None:
        self.connections_opened = 0
        self.requests_served = 0
        self.peak_in_flight = self.in_flight
