"""Single calls on the cheap server: the SDK against the floor and the baselines.

- a small call (``groups.create``) one at a time, and 64 at a time;
- a 1,000-member page (``groups.members(gid, limit=1000)``, first page);
- TCP connections opened over 10,000 small calls, 64 at a time.
"""

from __future__ import annotations

import functools
import json
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from benchmarks import canned
from benchmarks.baselines import BASELINES, FloorClient, HttpxPydanticClient
from benchmarks.cheap_server import http_response
from benchmarks.contender import Contender, check_answers
from benchmarks.profiles import Profile
from benchmarks.report import Section, Verdict, ratio, spread, usec
from benchmarks.sdk_contender import SdkContender
from benchmarks.server_process import REPO_ROOT, ServerProcess
from benchmarks.timing import (
    Call,
    Measurement,
    Sample,
    Series,
    alternate,
    measure_calls,
    timed,
)
from lanying_async import PoolLimits

__all__ = [
    "connections_per_calls",
    "measure_single_calls",
    "single_calls",
]

CONTENDERS: tuple[type[Contender], ...] = (FloorClient, SdkContender, *BASELINES[1:])
# httpx is left out: 10,000 calls at 64 in flight would take it minutes.
CONNECTION_CONTENDERS = tuple(c for c in CONTENDERS if c is not HttpxPydanticClient)
WIRE_ONLY = "wire only: blocking socket"
SMALL_CALL_TARGET = 1.05
PAGE_TARGET = 1.10
WARM_UP_CALLS = 256
#: Each round runs every contender in this many interleaved blocks (see ``alternate``).
BLOCKS = 4


@asynccontextmanager
async def opened(url: str) -> AsyncIterator[list[Contender]]:
    contenders: list[Contender] = []
    try:
        for kind in CONTENDERS:
            contender = kind(url)
            await contender.open()
            contenders.append(contender)
        yield contenders
    finally:
        for contender in contenders:
            await contender.aclose()


def wire_round_trips(url: str, calls: int) -> Sample:
    """The create request's bytes over one blocking socket: what the loopback costs."""
    parts = urlsplit(url)
    body = b'{"name":"g001","description":"test-group"}'
    request = (
        b"POST /group/create HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (parts.netloc.encode(), len(body), body)
    )
    expected = len(http_response(canned.group_info_body()))
    assert parts.hostname is not None and parts.port is not None
    with socket.create_connection((parts.hostname, parts.port)) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with timed(calls) as t:
            for _ in range(calls):
                sock.sendall(request)
                received = 0
                while received < expected:
                    received += len(sock.recv(65536))
    return t.sample


async def sized_measurement(
    call: Call, budget: float, most: int, least: int, concurrency: int = 1
) -> Measurement:
    """A measurement of ``call`` sized to last about ``budget`` seconds.

    A short trial sets the size: slow clients make fewer calls (at least
    ``least``), fast ones at most ``most``.
    """
    trial = await measure_calls(call, max(least // 4, 5), concurrency)
    calls = max(least, min(most, int(budget / trial.wall)))
    return functools.partial(measure_calls, call, calls, concurrency)


async def measure_single_calls(
    url: str, profile: Profile, rounds: int
) -> dict[str, dict[str, Series]]:
    """``rounds`` rounds of the three single-call scenarios, every contender alternated."""
    budget, concurrency = profile.seconds_per_measurement / BLOCKS, profile.concurrency
    sequential: list[tuple[str, Measurement]] = []
    concurrent: list[tuple[str, Measurement]] = []
    pages: list[tuple[str, Measurement]] = []
    async with opened(url) as contenders:
        for c in contenders:
            await check_answers(c)
            await measure_calls(c.create_group, WARM_UP_CALLS, concurrency)  # fills the pool
            create, page = c.create_group, c.first_member_page
            most_alone = profile.sequential_calls // BLOCKS
            most_together = profile.concurrent_calls // BLOCKS
            most_pages = profile.page_calls // BLOCKS
            sequential.append((c.name, await sized_measurement(create, budget, most_alone, 12)))
            concurrent.append(
                (
                    c.name,
                    await sized_measurement(
                        create, budget, most_together, concurrency, concurrency
                    ),
                )
            )
            pages.append((c.name, await sized_measurement(page, budget, most_pages, 3)))

        async def wire() -> Sample:
            return wire_round_trips(url, profile.sequential_calls // BLOCKS)

        return {
            "sequential": await alternate([*sequential, (WIRE_ONLY, wire)], rounds, BLOCKS),
            "concurrent": await alternate(concurrent, rounds, BLOCKS),
            "pages": await alternate(pages, rounds, BLOCKS),
        }


def _rounds_per_process(profile: Profile) -> list[int]:
    """``profile.rounds`` shared out over ``profile.call_processes`` processes."""
    processes = max(1, min(profile.call_processes, profile.rounds))
    share, extra = divmod(profile.rounds, processes)
    return [share + (1 if i < extra else 0) for i in range(processes)]


def single_calls(url: str, profile: Profile) -> list[Section]:
    """The small-call and member-page sections, measured in fresh processes.

    Where a process's objects and code happen to land in memory shifts its
    timings for its whole life (on the published machine the SDK's ratio to
    the floor at 64 in flight ranged from 0.99 to 1.13 between processes
    running the same code), so the rounds are shared out over several fresh
    processes, run one after another on the client's core, and pooled: no
    single process decides a ratio.
    """
    pooled: dict[str, dict[str, Series]] = {}
    per_process: dict[str, list[float]] = {}
    shares = _rounds_per_process(profile)
    for share in shares:
        measured = run_single_call_process(url, profile, share)
        for scenario, results in measured.items():
            merged = pooled.setdefault(scenario, {})
            for name, series in results.items():
                merged.setdefault(name, Series()).samples.extend(series.samples)
            sdk = results[SdkContender.name].ratio_to(results[FloorClient.name])
            per_process.setdefault(scenario, []).append(sdk)
    rounds = (
        f"{profile.rounds} rounds over {len(shares)} fresh "
        f"process{'es' if len(shares) > 1 else ''}; a round runs each client in {BLOCKS} "
        "blocks interleaved with the others'"
    )

    def spread_note(scenario: str) -> list[str]:
        ratios = per_process[scenario]
        if len(ratios) < 2:
            return []
        return [
            "SDK ÷ floor in each process on its own: "
            + ", ".join(f"{r:.3f}" for r in ratios)
            + ". The ratio in the table is the median over every round of every process."
        ]

    return [
        _section(
            "Small call, one at a time",
            f"`groups.create(...)` against the cheap server, up to {profile.sequential_calls:,} "
            f"calls per round, {rounds}.",
            pooled["sequential"],
            SMALL_CALL_TARGET,
            notes=[
                f"*{WIRE_ONLY}*: the same request and answer over a plain socket with no HTTP "
                "client at all; what any client pays for the loopback round trip on this machine.",
                *spread_note("sequential"),
            ],
        ),
        _section(
            f"Small call, {profile.concurrency} at a time",
            f"`groups.create(...)`, up to {profile.concurrent_calls:,} calls per round "
            f"with {profile.concurrency} in flight, {rounds}. The requests baseline has "
            "8 threads, so at most 8 in flight.",
            pooled["concurrent"],
            SMALL_CALL_TARGET,
            notes=spread_note("concurrent"),
        ),
        _section(
            "1,000-member page",
            f"`await groups.members(gid, limit=1000)` (the first page, about 80 KB of JSON), "
            f"up to {profile.page_calls:,} calls per round, {rounds}.",
            pooled["pages"],
            PAGE_TARGET,
            notes=spread_note("pages"),
        ),
    ]


def run_single_call_process(
    url: str, profile: Profile, rounds: int
) -> dict[str, dict[str, Series]]:
    """Run ``benchmarks.calls_process`` once (it inherits this process's core) and read it."""
    command = [sys.executable, "-m", "benchmarks.calls_process", url, profile.name, str(rounds)]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the single-call process failed:\n{done.stderr}")
    raw: dict[str, dict[str, list[list[float]]]] = json.loads(done.stdout)
    return {
        scenario: {
            name: Series([Sample(wall, cpu) for wall, cpu in samples])
            for name, samples in results.items()
        }
        for scenario, results in raw.items()
    }


def _section(
    title: str,
    intro: str,
    results: dict[str, Series],
    target: float,
    notes: Sequence[str] = (),
) -> Section:
    floor = results[FloorClient.name]
    section = Section(
        title,
        intro,
        (
            "client",
            "per call, median",
            "min–max (µs)",
            "× floor",
            "client CPU per call",
            "CPU × floor",
        ),
        notes=list(notes),
    )
    for name, series in results.items():
        section.rows.append(
            (
                f"**{name}**" if name == SdkContender.name else name,
                usec(series.median),
                spread(series.low, series.high),
                ratio(series.ratio_to(floor)),
                usec(series.cpu_median),
                ratio(series.cpu_ratio_to(floor)),
            )
        )
    sdk = results[SdkContender.name].ratio_to(floor)
    # Three decimals: a ratio just past the target must not read as equal to it.
    section.verdicts.append(Verdict(f"SDK ≤ {target:.2f}× floor (it is {sdk:.3f}×)", sdk <= target))
    return section


async def connections_per_calls(url: str, server: ServerProcess, profile: Profile) -> Section:
    """TCP connections the cheap server accepted while each client made the same calls."""
    section = Section(
        f"Connections per {profile.connection_calls:,} calls",
        f"`groups.create(...)` {profile.connection_calls:,} times, {profile.concurrency} in "
        "flight, from a fresh client; connections counted by the server as it accepts them. "
        "httpx is left out: at 64 in flight it makes only a few hundred calls a second here.",
        ("client", "connections opened"),
    )
    pool = PoolLimits().max_connections
    for kind in CONNECTION_CONTENDERS:
        contender = kind(url)
        await contender.open()
        try:
            server.reset_connections()
            await measure_calls(
                contender.create_group, profile.connection_calls, profile.concurrency
            )
            opened_count = server.connections_accepted()
        finally:
            await contender.aclose()
        name = f"**{contender.name}**" if kind is SdkContender else contender.name
        section.rows.append((name, f"{opened_count:,}"))
        if kind is SdkContender:
            section.verdicts.append(
                Verdict(
                    f"SDK ≤ pool size ({pool}) (it opened {opened_count})", opened_count <= pool
                )
            )
    return section
