"""Memory of a lazy push over millions of ids, measured in a process of its own.

``python -m benchmarks.lazy_push --url URL --ids N [--core C]`` pushes to ``N``
ids that an async generator yields one by one, with
``BulkOptions(keep_succeeded=False, dedupe=False)``, against the cheap server.
It compares the process's resident memory at its peak during the job with
the client's idle footprint (pool open, code warm) and prints the figures as
one JSON line. A process of its own, so nothing else's memory is counted.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import math
import os
import resource
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass

from benchmarks.pinning import pin_current_process
from benchmarks.profiles import Profile
from benchmarks.report import Section, Verdict, seconds
from benchmarks.sdk_contender import sdk_client
from benchmarks.server_process import REPO_ROOT
from lanying_async import Audience, BulkLimits, BulkOptions, PushMessage

__all__ = ["LazyPushMemory", "lazy_push_memory"]

MB = 1024 * 1024
GROWTH_TARGET = 50 * MB
SAMPLE_EVERY = 0.01
OPTIONS = BulkOptions(keep_succeeded=False, dedupe=False)
MESSAGE = PushMessage(title="Hello", body="to everyone, lazily")


@dataclass(frozen=True, slots=True)
class LazyPushMemory:
    ids: int
    requests: int
    seconds: float
    started_rss: int
    """After imports, before the client exists."""
    idle_rss: int
    """The client with its pool open and the push path warm."""
    peak_rss: int
    """The most resident memory seen while the job ran."""

    @property
    def growth(self) -> int:
        return self.peak_rss - self.idle_rss


def current_rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def high_water_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


async def user_ids(count: int) -> AsyncIterator[int]:
    for user_id in range(1, count + 1):
        yield user_id


async def _watch_peak(peak: list[int]) -> None:
    """Sample the resident memory until cancelled (the high-water mark may predate the job)."""
    while True:
        peak[0] = max(peak[0], current_rss())
        await asyncio.sleep(SAMPLE_EVERY)


async def measure(url: str, count: int) -> LazyPushMemory:
    started_rss = current_rss()
    async with sdk_client(url) as client:
        await client.push.notify(Audience.user_ids(user_ids(2000)), MESSAGE, options=OPTIONS)
        gc.collect()
        idle_rss = current_rss()
        high_water_before = high_water_rss()
        peak = [idle_rss]
        watcher = asyncio.create_task(_watch_peak(peak))
        began = time.perf_counter()
        report = await client.push.notify(
            Audience.user_ids(user_ids(count)), MESSAGE, options=OPTIONS
        )
        elapsed = time.perf_counter() - began
        watcher.cancel()
        high_water_after = high_water_rss()
    if high_water_after > high_water_before:  # the job set a new high-water mark
        peak[0] = max(peak[0], high_water_after)
    if report.succeeded_count != count or not report.ok:
        raise RuntimeError(f"lazy push reached {report.succeeded_count} of {count} ids")
    return LazyPushMemory(count, report.requests, elapsed, started_rss, idle_rss, peak[0])


def lazy_push_memory(url: str, profile: Profile, core: int | None) -> Section:
    """Run the measurement in a child process and describe it."""
    command = [sys.executable, "-m", "benchmarks.lazy_push", "--url", url]
    command += ["--ids", str(profile.lazy_ids)]
    if core is not None:
        command += ["--core", str(core)]
    finished = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    result = LazyPushMemory(**json.loads(finished.stdout.splitlines()[-1]))
    expected_requests = math.ceil(profile.lazy_ids / BulkLimits().push_chunk_size)
    if result.requests != expected_requests:
        raise RuntimeError(f"lazy push sent {result.requests} requests")

    section = Section(
        f"Lazy push to {profile.lazy_ids:,} ids: memory",
        "`push.notify(Audience.user_ids(async_generator), ..., options=BulkOptions("
        "keep_succeeded=False, dedupe=False))` against the cheap server, in a process of its "
        "own. Idle = the client with its pool open after a small push; peak = the most "
        "resident memory while the job ran (sampled every 10 ms, and the kernel's high-water "
        "mark).",
        ("ids", "requests", "time", "after imports", "idle client", "peak", "peak − idle"),
    )
    section.rows.append(
        (
            f"{result.ids:,}",
            f"{result.requests:,}",
            seconds(result.seconds),
            _mb(result.started_rss),
            _mb(result.idle_rss),
            _mb(result.peak_rss),
            _mb(result.growth),
        )
    )
    section.verdicts.append(
        Verdict(
            f"peak ≤ idle + 50 MB (it is idle + {result.growth / MB:.1f} MB)",
            result.growth <= GROWTH_TARGET,
        )
    )
    return section


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description="Memory of a lazy push (one JSON line out).")
    parser.add_argument("--url", required=True, help="the cheap server's URL")
    parser.add_argument("--ids", type=int, required=True, help="how many ids to push to")
    parser.add_argument("--core", type=int, default=None, help="CPU core to pin this process to")
    args = parser.parse_args()
    pin_current_process(args.core)
    result = asyncio.run(measure(args.url, args.ids))
    print(json.dumps(asdict(result)))


if __name__ == "__main__":
    main()
