"""Durable push jobs over ``lanying jobs worker`` processes: scaling and per-chunk overhead.

Against the emulator in its own process, every request held 20 ms, with a
``redis-server`` of the benchmark's own (the store and the broker):

- **Throughput with 1, 2 and 4 workers** (each ``--concurrency`` of the
  profile's ``worker_concurrency``, 1 by default): a push job of
  ``worker_ids`` ids per worker (chunks of 500) submitted while the workers
  wait, timed from the first task queued to the job ``done``. Efficiency is
  the throughput against linear scaling of the one-worker figure; the ideal
  of one worker is ``concurrency`` chunks per 20 ms. One chunk in flight per
  worker keeps four workers, Redis and the emulator within two cores (a
  worker spends about 4 ms of CPU on a chunk), so the figure measures the
  workers and not a machine out of cores.
- **Per-chunk overhead**, one chunk at a time (so every cost adds up in the
  wall time): the same chunks sent by ``client.push.notify`` (the floor),
  through ``run_chunk`` with the SQLite store and with the Redis store (in
  this process), and through one worker process fed by the broker. The
  overhead is each path's time per chunk less the floor's, and its share of
  the chunk's time.

The machine's cores are shared by the workers, Redis and the emulator: with
fewer cores than processes, the efficiency figure measures the machine.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.curves import draw_worker_scaling
from benchmarks.report import Section, Verdict, seconds, usec
from benchmarks.server_process import REPO_ROOT, ServerProcess
from lanying_async import Audience, LanyingClient, PushMessage, jobs
from lanying_async.jobs.distributed import attach, enqueue_chunks, stream_broker

__all__ = ["worker_scaling"]

WORKER_COUNTS = (1, 2, 4)
OVERHEAD_CHUNKS = 100
CURVE = "workers.png"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _redis(folder: Path) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("the workers benchmark needs redis-server on PATH")
    port = _free_port()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly"]
    args += ["no", "--dir", str(folder)]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.02)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait()


def _env(emulator: ServerProcess) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANYING_")}
    env["LANYING_API_ENDPOINT"] = emulator.url
    env["LANYING_APP_ID"] = str(emulator.info["app_id"])
    env["LANYING_ACCESS_TOKEN"] = str(emulator.info["token"])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


@asynccontextmanager
async def _workers(
    emulator: ServerProcess, store: str, count: int, concurrency: int
) -> AsyncIterator[list[subprocess.Popen[bytes]]]:
    argv = [sys.executable, "-m", "lanying_async.cli", "jobs", "worker", "--store", store]
    argv += ["--concurrency", str(concurrency)]
    every_core = range(os.cpu_count() or 1)  # not the benchmark's own pinning
    procs = [
        subprocess.Popen(  # noqa: ASYNC220  (started before the timed part)
            argv,
            env=_env(emulator),
            stderr=subprocess.DEVNULL,
            preexec_fn=lambda: os.sched_setaffinity(0, every_core),
        )
        for _ in range(count)
    ]
    try:
        await _until_consumers(store, count)
        yield procs
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=30)


async def _until_consumers(store: str, count: int) -> None:
    """Until ``count`` workers wait for tasks (each blocks in ``XREADGROUP`` on the stream).

    Redis 7.0 adds a consumer to the group only once it reads an entry, so the
    readers are counted among the server's clients instead.
    """
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(store)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            readers = [c for c in await client.client_list() if c.get("cmd") == "xreadgroup"]
            if len(readers) >= count:
                return
            await asyncio.sleep(0.05)
        raise RuntimeError(f"{count} workers did not start")
    finally:
        await client.aclose()


async def _push_job(store_url: str, ids: list[int]) -> tuple[str, int]:
    store = await jobs.open_store(store_url)
    try:
        job_id = await jobs.submit(store, "push", ids, {"message": PushMessage(body="hi")})
        return job_id, (await store.status(job_id)).chunks_total
    finally:
        await store.aclose()


async def _run_job_on_workers(store_url: str, ids: list[int]) -> float:
    """Submit, queue and wait for a push job; seconds from the first task queued to done."""
    job_id, chunks = await _push_job(store_url, ids)
    broker = stream_broker(store_url)
    task = attach(broker, store_url)
    store = await jobs.open_store(store_url)
    try:
        await broker.startup()
        started = time.perf_counter()
        await enqueue_chunks(task, job_id, range(chunks))
        # The store has no event to wait on: look again every 5 ms.
        while (await store.status(job_id)).state is not jobs.JobState.DONE:  # noqa: ASYNC110
            await asyncio.sleep(0.005)
        return time.perf_counter() - started
    finally:
        await broker.shutdown()
        await store.aclose()


@dataclass(frozen=True, slots=True)
class _Scaling:
    workers: int
    elapsed: float
    items: int

    @property
    def throughput(self) -> float:
        return self.items / self.elapsed


async def _scaling(
    emulator: ServerProcess, store: str, ids: int, concurrency: int
) -> list[_Scaling]:
    found = []
    for count in WORKER_COUNTS:
        async with _workers(emulator, store, count, concurrency):
            elapsed = await _run_job_on_workers(store, list(range(1, ids * count + 1)))
        found.append(_Scaling(count, elapsed, ids * count))
    return found


def _client(emulator: ServerProcess) -> LanyingClient:
    return LanyingClient(
        api_endpoint=emulator.url,
        app_id=str(emulator.info["app_id"]),
        access_token=str(emulator.info["token"]),
    )


@dataclass(frozen=True, slots=True)
class _PerChunk:
    wall: float
    cpu: float
    """CPU seconds of the process that ran the chunks (the benchmark's, or the worker's)."""


def _cpu_of(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _floor(emulator: ServerProcess, chunks: list[list[int]]) -> _PerChunk:
    async with _client(emulator) as client:
        cpu, started = time.process_time(), time.perf_counter()
        for chunk in chunks:
            await client.push.notify(Audience.user_ids(chunk), PushMessage(body="hi"))
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        return _PerChunk(wall / len(chunks), cpu / len(chunks))


async def _embedded(emulator: ServerProcess, store_url: str, ids: list[int]) -> _PerChunk:
    job_id, chunks = await _push_job(store_url, ids)
    store = await jobs.open_store(store_url)
    try:
        async with _client(emulator) as client:
            cpu, started = time.process_time(), time.perf_counter()
            await jobs.run(store, client, job_id, concurrency=1)
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            return _PerChunk(wall / chunks, cpu / chunks)
    finally:
        await store.aclose()


async def _overheads(emulator: ServerProcess, redis_url: str, folder: Path) -> dict[str, _PerChunk]:
    ids = list(range(1, OVERHEAD_CHUNKS * 500 + 1))
    chunks = [ids[i : i + 500] for i in range(0, len(ids), 500)]
    found = {"floor": await _floor(emulator, chunks)}
    found["sqlite"] = await _embedded(emulator, f"sqlite:///{folder / 'jobs.sqlite3'}", ids)
    found["redis"] = await _embedded(emulator, redis_url, ids)
    async with _workers(emulator, redis_url, 1, 1) as (worker,):
        cpu = _cpu_of(worker.pid)
        wall = await _run_job_on_workers(redis_url, ids)
        cpu = _cpu_of(worker.pid) - cpu
        found["worker"] = _PerChunk(wall / OVERHEAD_CHUNKS, cpu / OVERHEAD_CHUNKS)
    return found


async def _measure(
    emulator: ServerProcess, ids: int, concurrency: int
) -> tuple[list[_Scaling], dict[str, _PerChunk]]:
    with tempfile.TemporaryDirectory() as folder, _redis(Path(folder)) as redis_url:
        scaling = await _scaling(emulator, redis_url, ids, concurrency)
        return scaling, await _overheads(emulator, redis_url, Path(folder))


def _chunks(count: int) -> str:
    return f"{count} chunk" if count == 1 else f"{count} chunks"


def worker_scaling(
    emulator: ServerProcess, ids: int, concurrency: int, latency: float, output: Path
) -> Section:
    """Run both measurements; draws the throughput curve beside ``output``."""
    scaling, overhead = asyncio.run(_measure(emulator, ids, concurrency))
    one = scaling[0].throughput
    ideal_one = concurrency * 500 / latency
    section = Section(
        "Durable jobs: worker processes",
        f"A push job over `lanying jobs worker` processes (`--concurrency {concurrency}`), a "
        f"Redis store and broker, the emulator holding each request {latency * 1000:.0f} ms; "
        f"{ids:,} ids per worker, chunks of 500. One worker's ideal is "
        f"{ideal_one:,.0f} ids/s ({_chunks(concurrency)} per {latency * 1000:.0f} ms). "
        f"The ideal is that times the workers; efficiency: throughput against linear "
        f"scaling of one worker's measured figure. "
        f"\n\n![Throughput against worker processes, measured and linear]({CURVE})",
        ("workers", "ids", "time", "ids/s", "of the ideal", "efficiency vs linear"),
    )
    for row in scaling:
        section.rows.append(
            (
                row.workers,
                f"{row.items:,}",
                seconds(row.elapsed),
                f"{row.throughput:,.0f}",
                f"{row.throughput / (row.workers * ideal_one):.0%}",
                f"{row.throughput / (row.workers * one):.0%}",
            )
        )
    cores = os.cpu_count() or 1
    two = next(row for row in scaling if row.workers == 2)
    four = next(row for row in scaling if row.workers == 4)
    section.verdicts.append(Verdict("2 workers ≥ 90% of linear", two.throughput / (2 * one) >= 0.9))
    section.verdicts.append(
        Verdict("4 workers ≥ 90% of linear", four.throughput / (4 * one) >= 0.9)
    )
    floor = overhead["floor"]
    held = f"{latency * 1000:.0f} ms"
    lines = [
        "",
        f"Per chunk, one at a time ({OVERHEAD_CHUNKS} chunks of 500 ids, {held} held). Wall "
        "time is what a chunk takes; CPU time is the process that runs it (the worker's own, "
        "for the worker), so the overhead in CPU does not depend on what else the machine runs:",
        "",
        "| path | wall per chunk | overhead | share of the chunk's time "
        "| CPU per chunk | CPU overhead |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    names = {
        "floor": "`client.push.notify`, no store (the floor)",
        "sqlite": "`run_chunk`, SQLite store",
        "redis": "`run_chunk`, Redis store",
        "worker": "a worker process: Redis store + stream broker",
    }
    for key, name in names.items():
        run = overhead[key]
        if key == "floor":
            lines.append(f"| {name} | {usec(run.wall)} | — | — | {usec(run.cpu)} | — |")
            continue
        extra = run.wall - floor.wall
        lines.append(
            f"| {name} | {usec(run.wall)} | {usec(extra)} | {extra / run.wall:.1%} "
            f"| {usec(run.cpu)} | {usec(run.cpu - floor.cpu)} |"
        )
    lines.append("")
    lines.append(f"Machine: {cores} cores for the workers, Redis and the emulator together.")
    section.notes.extend(lines)
    draw_worker_scaling(
        output.parent / CURVE,
        [(row.workers, row.throughput) for row in scaling],
        [(row.workers, row.workers * one) for row in scaling],
        f"Durable push jobs, {_chunks(concurrency)} in flight per worker, "
        f"{latency * 1000:.0f} ms per request",
    )
    return section
