"""Timing: calls per measurement, contenders alternated round by round, medians.

Every measurement records wall time and the client process's CPU time (all
its threads), each per call. Contenders are measured in turn, A B C A B C ...,
so slow drifts of the machine (another tenant, a warming cache) spread over
all of them instead of favouring whoever ran first or last, and ratios are
taken between measurements of the same round. A round may itself be cut into
blocks, A B C A B C ... again, so a burst of noise shorter than a round falls
on every contender of that round alike.
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

__all__ = [
    "Call",
    "Measurement",
    "Sample",
    "Series",
    "alternate",
    "measure_calls",
    "paired_ratio",
    "timed",
]

Call = Callable[[], Awaitable[object]]
Measurement = Callable[[], Awaitable["Sample"]]


@dataclass(frozen=True, slots=True)
class Sample:
    """One measurement, per call (or per run, with ``calls=1``)."""

    wall: float
    cpu: float


@dataclass(slots=True)
class Series:
    """A contender's samples across rounds."""

    samples: list[Sample] = field(default_factory=list)

    @property
    def wall(self) -> list[float]:
        return [s.wall for s in self.samples]

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def low(self) -> float:
        return min(self.wall)

    @property
    def high(self) -> float:
        return max(self.wall)

    @property
    def cpu_median(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    def ratio_to(self, reference: Series) -> float:
        """Median over rounds of this wall time / the reference's in the same round."""
        return paired_ratio(self.wall, reference.wall)

    def cpu_ratio_to(self, reference: Series) -> float:
        """Like :meth:`ratio_to`, for client CPU time."""
        return paired_ratio([s.cpu for s in self.samples], [s.cpu for s in reference.samples])


def paired_ratio(mine: Sequence[float], theirs: Sequence[float]) -> float:
    """Median over rounds of ``mine / theirs`` in the same round.

    Pairing by round cancels what the machine did to both (neighbours, caches).
    """
    return statistics.median(a / b for a, b in zip(mine, theirs, strict=True))


class timed:
    """``with timed(calls) as t: ...`` then ``t.sample``: wall and CPU per call."""

    def __init__(self, calls: int = 1) -> None:
        self._calls = calls
        self.sample = Sample(0.0, 0.0)

    def __enter__(self) -> timed:
        gc.collect()  # garbage left by the previous contender is not this one's cost
        self._wall = time.perf_counter()
        self._cpu = time.process_time()
        return self

    def __exit__(self, *exc_info: object) -> None:
        wall = time.perf_counter() - self._wall
        cpu = time.process_time() - self._cpu
        self.sample = Sample(wall / self._calls, cpu / self._calls)


async def measure_calls(call: Call, calls: int, concurrency: int = 1) -> Sample:
    """Run ``call`` ``calls`` times, ``concurrency`` at a time; time per call."""
    with timed(calls) as t:
        if concurrency == 1:
            for _ in range(calls):
                await call()
        else:
            remaining = calls

            async def worker() -> None:
                nonlocal remaining
                while remaining > 0:
                    remaining -= 1
                    await call()

            await asyncio.gather(*(worker() for _ in range(concurrency)))
    return t.sample


async def alternate(
    contenders: Sequence[tuple[str, Measurement]], rounds: int, blocks: int = 1
) -> dict[str, Series]:
    """Measure every contender once per round, in the same order each round.

    With ``blocks`` > 1 each measurement is a block of the round (give each
    contender ``1 / blocks`` of a round's calls): a round runs the contenders'
    blocks in turn, ``blocks`` times, and records their mean per call.
    """
    results = {name: Series() for name, _ in contenders}
    for _ in range(rounds):
        parts: dict[str, list[Sample]] = {name: [] for name, _ in contenders}
        for _ in range(blocks):
            for name, measure in contenders:
                parts[name].append(await measure())
        for name, samples in parts.items():
            results[name].samples.append(
                Sample(
                    statistics.fmean(s.wall for s in samples),
                    statistics.fmean(s.cpu for s in samples),
                )
            )
    return results
