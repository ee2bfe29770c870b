"""``lanying jobs worker`` processes, a Redis of the test's own and the emulator the test serves.

Each test starts a private ``redis-server`` (so killing it, or a worker's
leftover tasks, touch no other test), submits a job with ``lanying jobs
submit`` and runs worker processes against the emulator on the test's loop.
A worker's stderr goes to a file beside the test, read when it matters.
"""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import anyio

from lanying_async import jobs
from lanying_async.jobs.model import JobState, JobStatus
from lanying_async.testing import Emulator
from tests.cli_runs import INTERRUPTIBLE_CLI, cli_env, finish, start

__all__ = ["Workers", "pushed_users", "store_of", "submit", "until_state", "workers"]


async def submit(emu: Emulator, store: str, *argv: str) -> str:
    """``lanying jobs submit ARGV --store STORE``; returns the job id it printed."""
    env = cli_env(emu.url, emu.app_id, emu.admin_token)
    proc = await start("jobs", "submit", *argv, "--store", store, "--progress", "off", env=env)
    out, err = await finish(proc, 120)
    assert proc.returncode == 0, err
    job_id = out.strip()
    assert job_id and "\n" not in job_id, out  # the job id alone
    return job_id


async def lanying_jobs(emu: Emulator, *argv: str) -> tuple[int, str, str]:
    """``lanying jobs ARGV`` as a process: its exit status, stdout and stderr."""
    proc = await start("jobs", *argv, env=cli_env(emu.url, emu.app_id, emu.admin_token))
    out, err = await finish(proc, 60)
    assert proc.returncode is not None
    return proc.returncode, out, err


@asynccontextmanager
async def store_of(url: str) -> AsyncIterator[jobs.JobStore]:
    store = await jobs.open_store(url)
    try:
        yield store
    finally:
        await store.aclose()


async def until_state(url: str, job_id: str, *states: JobState, seconds: float = 60) -> JobStatus:
    """Poll the job's status (on the test's loop, which serves the emulator) until it is
    in one of ``states``."""
    async with store_of(url) as store:
        status = await store.status(job_id)
        with anyio.move_on_after(seconds):
            while status.state not in states:
                await anyio.sleep(0.05)
                status = await store.status(job_id)
        if status.state not in states:
            left = await store.unfinished(job_id, 1e12)
            raise AssertionError(f"after {seconds} s: {status}; chunks not done: {left[:20]}")
        return status


async def chunks_done(url: str, job_id: str) -> int:
    async with store_of(url) as store:
        return (await store.status(job_id)).chunks_done


@dataclass
class Workers:
    """``lanying jobs worker`` processes against one store, each with its stderr in a file."""

    emu: Emulator
    store: str
    folder: Path
    concurrency: int = 4
    idle_timeout: float = 3.0
    procs: list[asyncio.subprocess.Process | None] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)
    _files: list[IO[bytes]] = field(default_factory=list)

    async def start(self, count: int = 1) -> None:
        for _ in range(count):
            self.procs.append(None)
            self.logs.append(self.folder / f"worker-{len(self.logs)}.log")
            await self.restart(len(self.procs) - 1)

    async def restart(self, index: int) -> None:
        assert self.procs[index] is None or self.procs[index].returncode is not None  # type: ignore[union-attr]
        log = self.logs[index].open("ab")
        self._files.append(log)
        argv = [
            "jobs", "worker", "--store", self.store, "--concurrency", str(self.concurrency),
            "--idle-timeout", str(self.idle_timeout),
        ]  # fmt: skip
        env = cli_env(self.emu.url, self.emu.app_id, self.emu.admin_token)
        self.procs[index] = await asyncio.create_subprocess_exec(
            *INTERRUPTIBLE_CLI, *argv, stdin=asyncio.subprocess.DEVNULL,
            stdout=log, stderr=log, env=env,
        )  # fmt: skip

    async def kill(self, index: int) -> None:
        """SIGKILL: the worker dies with its chunks in flight, its tasks unacknowledged."""
        proc = self.procs[index]
        assert proc is not None and proc.returncode is None, self.log(index)
        proc.send_signal(signal.SIGKILL)
        await proc.wait()

    async def kill_all(self) -> None:
        for index, proc in enumerate(self.procs):
            if proc is not None and proc.returncode is None:
                await self.kill(index)

    async def terminate(self, index: int, seconds: float = 30) -> int:
        """SIGTERM, then wait for the worker to exit; returns its exit status."""
        proc = self.procs[index]
        assert proc is not None
        proc.send_signal(signal.SIGTERM)
        with anyio.fail_after(seconds):
            return await proc.wait()

    def log(self, index: int) -> str:
        return self.logs[index].read_text(encoding="utf-8", errors="replace")

    async def close(self) -> None:
        await self.kill_all()
        for file in self._files:
            file.close()


@asynccontextmanager
async def workers(
    emu: Emulator, store: str, folder: Path, count: int, **settings: Any
) -> AsyncIterator[Workers]:
    """``count`` workers started; every one of them is killed on the way out."""
    running = Workers(emu, store, folder, **settings)
    try:
        await running.start(count)
        yield running
    finally:
        await running.close()


def pushed_users(emu: Emulator) -> Counter[int]:
    """How many push tasks named each user."""
    tasks = emu.app_state().push_tasks.values()
    return Counter(uid for task in tasks for uid in task.request["audience"]["user_id"])
