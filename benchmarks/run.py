"""Run the benchmarks and write ``benchmarks/results.md``.

::

    python -m benchmarks.run                  # the full run (about 5 minutes on 2 cores)
    python -m benchmarks.run --profile quick  # fewer rounds and smaller jobs
    python -m benchmarks.run --only calls bulk
    python -m benchmarks.run --strict         # exit status 1 if a target is missed

Needs ``requests``, ``httpx`` and ``pydantic`` for the baselines, and measures
uvloop too when it is installed (``nox -s bench`` installs them all). Progress
goes to stderr; the results page is printed and written to ``--output``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.lazy_push import lazy_push_memory
from benchmarks.machine import StealMeter, describe_machine
from benchmarks.pinning import CorePlan, pin_current_process, plan_cores
from benchmarks.profiles import PROFILES, Profile
from benchmarks.report import Section, render
from benchmarks.scenario_bulk import BulkTarget, bulk_jobs
from benchmarks.scenario_calls import connections_per_calls, single_calls
from benchmarks.scenario_uvloop import loop_comparison, uvloop_factory
from benchmarks.server_process import ServerProcess

__all__ = ["main", "run"]

SCENARIOS = ("calls", "connections", "uvloop", "lazy", "bulk", "workers")
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results.md"


class Progress:
    """One line on stderr per scenario, with the time since the start."""

    def __init__(self) -> None:
        self._started = time.perf_counter()

    def __call__(self, message: str) -> None:
        elapsed = time.perf_counter() - self._started
        print(f"[{elapsed:6.1f} s] {message}", file=sys.stderr, flush=True)


def run(
    profile: Profile,
    plan: CorePlan,
    only: set[str],
    say: Callable[[str], None],
    output: Path = DEFAULT_OUTPUT,
) -> list[Section]:
    sections: list[Section] = []
    with ServerProcess("benchmarks.cheap_server", *plan.server_arguments()) as cheap:
        if "calls" in only:
            say("single calls: small call, 64 at a time, 1,000-member page")
            sections += single_calls(cheap.url, profile)
        if "connections" in only:
            say(f"connections per {profile.connection_calls:,} calls")
            sections.append(asyncio.run(connections_per_calls(cheap.url, cheap, profile)))
        if "uvloop" in only:
            factory = uvloop_factory()
            if factory is None:
                say("uvloop is not installed: not measured")
            else:
                say("asyncio against uvloop")
                sections.append(loop_comparison(cheap.url, profile, factory))
        if "lazy" in only:
            say(f"lazy push to {profile.lazy_ids:,} ids (memory)")
            sections.append(lazy_push_memory(cheap.url, profile, plan.client))
    if "bulk" in only:
        placed = plan.server_arguments()
        latency = str(profile.latency)
        say(f"bulk jobs on the cheap server holding each request {profile.latency * 1000:.0f} ms")
        with ServerProcess("benchmarks.cheap_server", "--hold", latency, *placed) as held:
            target = BulkTarget.cheap(held)
            sections.append(asyncio.run(bulk_jobs(held, target, profile, "the cheap server")))
        say(f"bulk jobs on the emulator at {profile.latency * 1000:.0f} ms")
        seeded = ["--users", str(profile.invite_ids), "--latency", latency]
        with ServerProcess("benchmarks.emulator_server", *seeded, *placed) as emulator:
            target = BulkTarget.emulator(emulator)
            sections.append(asyncio.run(bulk_jobs(emulator, target, profile, "the emulator")))
    if "workers" in only:
        sections += _workers(profile, output, say)
    return sections


def _workers(profile: Profile, output: Path, say: Callable[[str], None]) -> list[Section]:
    """The durable-job scenario, when its extra (taskiq) and a redis-server are there."""
    import shutil

    try:
        from benchmarks.scenario_workers import worker_scaling
    except ImportError as exc:
        say(f"durable jobs over workers: not measured ({exc}; pip install -e '.[jobs]')")
        return []
    if shutil.which("redis-server") is None:
        say("durable jobs over workers: not measured (no redis-server on PATH)")
        return []
    # Not pinned, not polling: the worker processes need every core there is.
    milliseconds = f"{profile.latency * 1000:.0f} ms"
    say(f"durable push jobs over 1, 2 and 4 worker processes at {milliseconds}")
    latency = str(profile.latency)
    with ServerProcess("benchmarks.emulator_server", "--users", "1", "--latency", latency) as emu:
        return [
            worker_scaling(
                emu, profile.worker_ids, profile.worker_concurrency, profile.latency, output
            )
        ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="lanying-async benchmarks")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="full")
    parser.add_argument("--only", nargs="+", choices=SCENARIOS, default=list(SCENARIOS))
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a target is missed"
    )
    args = parser.parse_args(argv)

    profile = PROFILES[args.profile]
    plan = plan_cores()
    pin_current_process(plan.client)
    say = Progress()
    say(f"profile {profile.name}; {plan.describe()}")
    started = time.perf_counter()
    steal = StealMeter()
    sections = run(profile, plan, set(args.only), say, args.output)
    machine = describe_machine(plan.describe())
    machine += [
        ("profile", profile.name),
        ("run time", f"{time.perf_counter() - started:.0f} s"),
        ("CPU time taken by the hypervisor during the run", steal.describe()),
    ]
    page = render("lanying-async benchmarks", machine, sections)
    print(page)
    args.output.write_text(page, encoding="utf-8")
    say(f"written to {args.output}")
    missed = [f"{s.title}: {v.target}" for s in sections for v in s.verdicts if not v.met]
    for line in missed:
        say(f"target missed: {line}")
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
