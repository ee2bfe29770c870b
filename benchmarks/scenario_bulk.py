"""Bulk jobs on a server that holds each request: how close to the ideal time they come.

A job of R requests, C in flight, each held L seconds by the server, cannot
finish before R / C × L: that is the ideal, and a run's throughput is reported
as a percentage of it. The SDK's bulk methods run with their defaults; the
floor sends the same chunks with the same concurrency by hand (aiohttp and
msgspec), which shows how much of the gap belongs to the server and the
machine rather than to the SDK. Run on the cheap server (``--hold``), which
costs almost nothing per request, and on the emulator, which does the real work.
"""

from __future__ import annotations

import asyncio
import functools
import math
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass

import aiohttp
import msgspec
from yarl import URL

from benchmarks import canned
from benchmarks.profiles import Profile
from benchmarks.report import Section, Verdict, ratio, seconds, spread, usec
from benchmarks.server_process import ServerProcess
from benchmarks.timing import paired_ratio
from lanying_async import Audience, BulkLimits, LanyingClient, PushMessage
from lanying_async.models.base import Envelope
from lanying_async.models.groups import InviteRequest, MemberResult
from lanying_async.models.push import AudienceSelector, NotifyRequest, PushSetting, PushTask

__all__ = ["BulkTarget", "bulk_jobs"]

SDK = "lanying-async"
FLOOR = "floor: aiohttp + msgspec"
IDEAL_SHARE_TARGET = 0.90
DEFAULTS = BulkLimits()
MESSAGE = PushMessage(title="Hello", body="from the benchmark")


@dataclass(frozen=True, slots=True)
class BulkTarget:
    """A server for the bulk jobs: where it listens, the credentials, who exists there."""

    url: str
    app_id: str
    token: str
    owner_id: int
    first_user_id: int
    user_id_step: int

    @classmethod
    def cheap(cls, server: ServerProcess) -> BulkTarget:
        """The cheap server, which takes any credentials and any user ids."""
        return cls(
            url=server.url,
            app_id=canned.APP_ID,
            token=canned.TOKEN,
            owner_id=canned.OWNER_ID,
            first_user_id=canned.OWNER_ID + 144,
            user_id_step=144,
        )

    @classmethod
    def emulator(cls, server: ServerProcess) -> BulkTarget:
        """The seeded emulator, as ``benchmarks.emulator_server`` announced it."""
        info = server.info
        return cls(
            url=info["url"],
            app_id=info["app_id"],
            token=info["token"],
            owner_id=info["owner_id"],
            first_user_id=info["first_user_id"],
            user_id_step=info["user_id_step"],
        )

    def user_ids(self, count: int) -> list[int]:
        step = self.user_id_step
        return list(range(self.first_user_id, self.first_user_id + step * count, step))

    def client(self) -> LanyingClient:
        return LanyingClient(api_endpoint=self.url, app_id=self.app_id, access_token=self.token)

    def headers(self, *, as_owner: bool) -> dict[str, str]:
        headers = {
            "app_id": self.app_id,
            "access-token": self.token,
            "Content-Type": "application/json",
        }
        if as_owner:
            headers["user_id"] = str(self.owner_id)
        return headers


@dataclass(frozen=True, slots=True)
class BulkRun:
    wall: float
    client_cpu: float
    server_cpu: float
    requests: int
    connections: int


async def _new_group(target: BulkTarget) -> int:
    async with target.client() as client:
        group = await client.as_user(target.owner_id).groups.create("bulk")
    return group.group_id


# --- the SDK -------------------------------------------------------------------


async def sdk_invite(target: BulkTarget, ids: list[int], group_id: int) -> int:
    async with target.client() as client:
        report = await client.as_user(target.owner_id).groups.invite(group_id, ids)
    return report.succeeded_count


async def sdk_push(target: BulkTarget, ids: list[int]) -> int:
    async with target.client() as client:
        report = await client.push.notify(Audience.user_ids(ids), MESSAGE)
    return report.succeeded_count


# --- the floor: the same chunks by hand ------------------------------------------


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    return (ids[i : i + size] for i in range(0, len(ids), size))


async def _send_all(
    url: URL,
    headers: dict[str, str],
    chunks: Iterator[tuple[int, bytes]],
    succeeded_in: Callable[[bytes, int], int],
) -> int:
    """POST every (size, body) chunk, ``DEFAULTS.concurrency`` at a time; items succeeded."""
    succeeded = 0
    async with aiohttp.ClientSession() as session:

        async def worker() -> None:
            nonlocal succeeded
            for size, body in chunks:  # one shared iterator: each chunk goes to one worker
                async with session.post(url, data=body, headers=headers) as response:
                    succeeded += succeeded_in(await response.read(), size)

        await asyncio.gather(*(worker() for _ in range(DEFAULTS.concurrency)))
    return succeeded


_invite_answer = msgspec.json.Decoder(Envelope[list[MemberResult]])
_push_answer = msgspec.json.Decoder(Envelope[PushTask])
_encode = msgspec.json.Encoder().encode


def _invited(raw: bytes, size: int) -> int:
    return sum(result.result == "success" for result in _invite_answer.decode(raw).data or [])


def _pushed(raw: bytes, size: int) -> int:
    return size if _push_answer.decode(raw).data is not None else 0


def _invite_chunks(ids: list[int], group_id: int) -> Iterator[tuple[int, bytes]]:
    return (
        (len(chunk), _encode(InviteRequest(group_id=group_id, user_list=chunk)))
        for chunk in _chunks(ids, DEFAULTS.chunk_size)
    )


def _push_chunks(ids: list[int]) -> Iterator[tuple[int, bytes]]:
    return (
        (
            len(chunk),
            _encode(
                NotifyRequest(
                    audience=AudienceSelector(user_id=chunk),
                    message=MESSAGE,
                    setting=PushSetting(request_id=f"bench-{uuid.uuid4().hex}"),
                )
            ),
        )
        for chunk in _chunks(ids, DEFAULTS.push_chunk_size)
    )


async def floor_invite(target: BulkTarget, ids: list[int], group_id: int) -> int:
    url = URL(target.url + "/group/invite")
    return await _send_all(
        url, target.headers(as_owner=True), _invite_chunks(ids, group_id), _invited
    )


async def floor_push(target: BulkTarget, ids: list[int]) -> int:
    url = URL(target.url + "/push/notify")
    return await _send_all(url, target.headers(as_owner=False), _push_chunks(ids), _pushed)


# --- one request at a time: what the machine allows ------------------------------


async def _one_at_a_time(
    url: URL,
    headers: dict[str, str],
    chunks: Iterator[tuple[int, bytes]],
    succeeded_in: Callable[[bytes, int], int],
    samples: int,
) -> float:
    """Median seconds of one floor request sent alone, each waiting for the one before.

    The first request opens the connection and is not counted. With every
    request held the same time, no job of these requests can have a wave shorter
    than this: it is what the client, the server and the machine cost per round
    trip with nothing else going on.
    """
    times = []
    async with aiohttp.ClientSession() as session:
        for (size, body), _ in zip(chunks, range(samples + 1), strict=False):
            started = time.perf_counter()
            async with session.post(url, data=body, headers=headers) as response:
                if succeeded_in(await response.read(), size) != size:
                    raise RuntimeError("a lone request of the job did not succeed")
            times.append(time.perf_counter() - started)
    return statistics.median(times[1:])


async def invite_round_trip(target: BulkTarget, ids: list[int], samples: int) -> float:
    """A lone invite's round trip: chunks of ``ids`` into a group of their own."""
    group_id = await _new_group(target)
    url = URL(target.url + "/group/invite")
    chunks = _invite_chunks(ids, group_id)
    return await _one_at_a_time(url, target.headers(as_owner=True), chunks, _invited, samples)


async def push_round_trip(target: BulkTarget, ids: list[int], samples: int) -> float:
    """A lone push's round trip (a 500-id chunk each time)."""
    url = URL(target.url + "/push/notify")
    chunks = _push_chunks(ids)
    return await _one_at_a_time(url, target.headers(as_owner=False), chunks, _pushed, samples)


# --- measuring -----------------------------------------------------------------


async def _measure(
    server: ServerProcess, run: Callable[[], Awaitable[int]], expected: int
) -> BulkRun:
    server.reset_connections()
    server_cpu = server.cpu_seconds()
    wall, cpu = time.perf_counter(), time.process_time()
    succeeded = await run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if succeeded != expected:
        raise RuntimeError(f"bulk job succeeded for {succeeded} of {expected} items")
    requests = int(server.command("requests"))
    return BulkRun(
        wall, cpu, server.cpu_seconds() - server_cpu, requests, server.connections_accepted()
    )


async def _invite_rounds(
    server: ServerProcess, target: BulkTarget, profile: Profile
) -> dict[str, list[BulkRun]]:
    ids = target.user_ids(profile.invite_ids)
    jobs = {SDK: sdk_invite, FLOOR: floor_invite}
    runs: dict[str, list[BulkRun]] = {name: [] for name in jobs}
    for _ in range(profile.bulk_rounds):
        for name, job in jobs.items():
            group_id = await _new_group(target)
            run = functools.partial(job, target, ids, group_id)
            runs[name].append(await _measure(server, run, len(ids)))
    return runs


async def _push_rounds(
    server: ServerProcess, target: BulkTarget, profile: Profile
) -> dict[str, list[BulkRun]]:
    ids = target.user_ids(profile.push_ids)
    jobs = {SDK: sdk_push, FLOOR: floor_push}
    runs: dict[str, list[BulkRun]] = {name: [] for name in jobs}
    for _ in range(profile.bulk_rounds):
        for name, job in jobs.items():
            runs[name].append(await _measure(server, functools.partial(job, target, ids), len(ids)))
    return runs


async def bulk_jobs(
    server: ServerProcess, target: BulkTarget, profile: Profile, server_name: str
) -> Section:
    """Both jobs on one server, SDK and floor alternated; one section."""
    latency_ms = profile.latency * 1000
    section = Section(
        f"Bulk jobs on {server_name}, {latency_ms:.0f} ms per request",
        f"Every request is held {latency_ms:.0f} ms by {server_name} (its own process). "
        f"Default bulk settings: {DEFAULTS.concurrency} requests in flight, invites in chunks "
        f"of {DEFAULTS.chunk_size}, pushes in chunks of {DEFAULTS.push_chunk_size}; "
        f"{profile.bulk_rounds} rounds, SDK and floor alternated. Ideal = requests ÷ "
        "concurrency × latency. *Server allows*: the share of the ideal rate the server's "
        "own CPU time per request leaves possible on its one core. *Alone*: the median time "
        "one of the job's requests takes when sent by itself, each after the one before "
        f"({profile.round_trip_samples} of them, the floor's code, same server, measured "
        "before the rounds). *Alone allows*: the share of the ideal left possible when each "
        "of the job's ⌈requests ÷ concurrency⌉ waves takes that long, the most any client "
        "could reach on this machine.",
        (
            "job",
            "client",
            "time, median",
            "min–max (s)",
            "× floor",
            "ideal",
            "% of ideal",
            "client CPU per request",
            "server CPU per request",
            "server allows",
            "alone",
            "alone allows",
            "connections",
        ),
    )
    invite_ids = target.user_ids(profile.invite_ids)
    push_ids = target.user_ids(profile.push_ids)
    samples = profile.round_trip_samples
    jobs = [
        (
            f"invite {profile.invite_ids:,} ids",
            math.ceil(profile.invite_ids / DEFAULTS.chunk_size),
            await invite_round_trip(target, invite_ids, samples),
            await _invite_rounds(server, target, profile),
        ),
        (
            f"push to {profile.push_ids:,} ids",
            math.ceil(profile.push_ids / DEFAULTS.push_chunk_size),
            await push_round_trip(target, push_ids, samples),
            await _push_rounds(server, target, profile),
        ),
    ]
    for job, requests, alone, runs in jobs:
        ideal = requests / DEFAULTS.concurrency * profile.latency
        alone_allows = min(1.0, ideal / (math.ceil(requests / DEFAULTS.concurrency) * alone))
        floor = runs[FLOOR]
        floor_share = _ideal_share(ideal, floor)
        for name, measured in runs.items():
            share = _ideal_share(ideal, measured)
            versus_floor = paired_ratio([r.wall for r in measured], [r.wall for r in floor])
            row = _row(job, name, ideal, share, versus_floor, measured)
            row[-1:-1] = [f"{alone * 1000:.2f} ms", f"{alone_allows:.0%}"]
            section.rows.append(row)
            if name == SDK:
                section.verdicts.append(
                    Verdict(
                        f"{job} on {server_name}: SDK ≥ {IDEAL_SHARE_TARGET:.0%} of ideal "
                        f"(it is {share:.1%}; the floor {floor_share:.1%}; one request alone "
                        f"allows {alone_allows:.1%})",
                        share >= IDEAL_SHARE_TARGET,
                    )
                )
    return section


def _ideal_share(ideal: float, runs: Sequence[BulkRun]) -> float:
    return ideal / statistics.median(r.wall for r in runs)


def _row(
    job: str, name: str, ideal: float, share: float, versus_floor: float, runs: Sequence[BulkRun]
) -> list[str]:
    walls = [r.wall for r in runs]
    requests = statistics.median(r.requests for r in runs)
    server_cpu = statistics.median(r.server_cpu for r in runs) / requests
    server_allows = min(1.0, ideal / (requests * server_cpu)) if server_cpu > 0 else 1.0
    return [
        job,
        f"**{name}**" if name == SDK else name,
        seconds(statistics.median(walls)),
        spread(min(walls), max(walls), unit="s"),
        ratio(versus_floor),
        seconds(ideal),
        f"{share:.0%}",
        usec(statistics.median(r.client_cpu for r in runs) / requests),
        usec(server_cpu),
        f"{server_allows:.0%}",
        f"{max(r.connections for r in runs)}",
    ]
