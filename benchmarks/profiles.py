"""How much each run measures: ``full`` (the published figures), ``quick``, ``smoke``."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PROFILES", "Profile"]


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    rounds: int
    """Rounds of the single-call scenarios (each contender once per round)."""
    call_processes: int
    """Fresh processes the single-call rounds are shared out over."""
    sequential_calls: int
    concurrent_calls: int
    concurrency: int
    page_calls: int
    seconds_per_measurement: float
    """Slower clients make fewer calls per measurement, to about this long."""
    connection_calls: int
    uvloop_rounds: int
    bulk_rounds: int
    invite_ids: int
    push_ids: int
    lazy_ids: int
    latency: float
    """Seconds every request takes on the servers of the bulk scenarios."""
    round_trip_samples: int
    """Requests of each bulk job timed alone, one after another."""
    worker_ids: int = 100_000
    """Ids per worker process of the durable-job scenario (``workers``)."""
    worker_concurrency: int = 1
    """Chunks in flight per worker process in that scenario (``--concurrency``)."""


PROFILES = {
    "full": Profile(
        name="full",
        rounds=15,
        call_processes=5,
        sequential_calls=2000,
        concurrent_calls=2000,
        concurrency=64,
        page_calls=60,
        seconds_per_measurement=0.5,
        connection_calls=10_000,
        uvloop_rounds=5,
        bulk_rounds=7,
        invite_ids=100_000,
        push_ids=1_000_000,
        lazy_ids=10_000_000,
        latency=0.020,
        round_trip_samples=30,
    ),
    "quick": Profile(
        name="quick",
        worker_ids=100_000,
        rounds=5,
        call_processes=1,
        sequential_calls=300,
        concurrent_calls=1000,
        concurrency=64,
        page_calls=30,
        seconds_per_measurement=0.25,
        connection_calls=10_000,
        uvloop_rounds=3,
        bulk_rounds=1,
        invite_ids=100_000,
        push_ids=1_000_000,
        lazy_ids=1_000_000,
        latency=0.020,
        round_trip_samples=15,
    ),
    "smoke": Profile(
        name="smoke",
        worker_ids=10_000,
        rounds=1,
        call_processes=1,
        sequential_calls=20,
        concurrent_calls=128,
        concurrency=64,
        page_calls=5,
        seconds_per_measurement=0.05,
        connection_calls=256,
        uvloop_rounds=1,
        bulk_rounds=1,
        invite_ids=2_000,
        push_ids=10_000,
        lazy_ids=20_000,
        latency=0.002,
        round_trip_samples=5,
    ),
}
