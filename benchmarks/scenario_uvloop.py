"""The small call under asyncio's own event loop and under uvloop.

Each measurement gets a fresh loop (and a fresh client in it), loops
alternating within every round, for the SDK and the floor alike.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from benchmarks.baselines import FloorClient
from benchmarks.contender import Contender
from benchmarks.profiles import Profile
from benchmarks.report import Section, ratio, usec
from benchmarks.sdk_contender import SdkContender
from benchmarks.timing import Sample, Series, measure_calls

__all__ = ["loop_comparison", "uvloop_factory"]

T = TypeVar("T")
LoopFactory = Callable[[], asyncio.AbstractEventLoop]
WARM_UP_CALLS = 200


def uvloop_factory() -> LoopFactory | None:
    """uvloop's loop constructor, if uvloop is installed."""
    try:
        uvloop = importlib.import_module("uvloop")
    except ImportError:
        return None
    factory: LoopFactory = uvloop.new_event_loop
    return factory


def run_in_new_loop(factory: LoopFactory, coroutine: Coroutine[Any, Any, T]) -> T:
    loop = factory()
    try:
        return loop.run_until_complete(coroutine)
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


async def _measure(url: str, kind: type[Contender], calls: int, concurrency: int) -> Sample:
    contender = kind(url)
    await contender.open()
    try:
        await measure_calls(contender.create_group, WARM_UP_CALLS, min(concurrency, 16))
        return await measure_calls(contender.create_group, calls, concurrency)
    finally:
        await contender.aclose()


def loop_comparison(url: str, profile: Profile, uvloop: LoopFactory) -> Section:
    loops: dict[str, LoopFactory] = {"asyncio": asyncio.new_event_loop, "uvloop": uvloop}
    modes = {
        "one at a time": (profile.sequential_calls, 1),
        f"{profile.concurrency} at a time": (profile.concurrent_calls, profile.concurrency),
    }
    kinds: tuple[type[Contender], ...] = (SdkContender, FloorClient)
    results = {(k, m, lp): Series() for k in kinds for m in modes for lp in loops}
    # The SDK and the floor run back to back under each loop, so the SDK's ratio to
    # the floor pairs measurements seconds apart, not a whole round apart.
    for _ in range(profile.uvloop_rounds):
        for mode, (calls, concurrency) in modes.items():
            for loop_name, factory in loops.items():
                for kind in kinds:
                    sample = run_in_new_loop(factory, _measure(url, kind, calls, concurrency))
                    results[kind, mode, loop_name].samples.append(sample)

    section = Section(
        "uvloop",
        f"`groups.create(...)` under each event loop, a fresh loop and client per measurement, "
        f"the SDK and the floor back to back under each loop, loops alternated, "
        f"{profile.uvloop_rounds} rounds.",
        ("client", "calls", "asyncio", "uvloop", "uvloop ÷ asyncio", "× floor, uvloop"),
    )
    for kind in kinds:
        for mode in modes:
            on_asyncio = results[kind, mode, "asyncio"]
            on_uvloop = results[kind, mode, "uvloop"]
            floor_on_uvloop = results[FloorClient, mode, "uvloop"]
            name = f"**{kind.name}**" if kind is SdkContender else kind.name
            section.rows.append(
                (
                    name,
                    mode,
                    usec(on_asyncio.median),
                    usec(on_uvloop.median),
                    ratio(on_uvloop.ratio_to(on_asyncio)),
                    ratio(on_uvloop.ratio_to(floor_on_uvloop)),
                )
            )
    return section
