"""Durable jobs over ``lanying jobs worker`` processes: crashes, cancel, rate limit, SIGTERM.

Real processes throughout: a ``redis-server`` of the test's own (the store
and the broker), worker processes, and the emulator served by the test.
A worker is killed with SIGKILL while its chunks are in flight: the server
ran their requests, the store never heard back. The tasks it held are
delivered again to the other workers (after ``--idle-timeout``, once the
chunk's lease has lapsed) and sent again with the same request ids, which the
server drops: each item has one effect.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from lanying_async import jobs
from lanying_async.jobs.model import JobState
from lanying_async.testing import Emulator
from tests.job_workers import pushed_users, store_of, submit, until_state, workers
from tests.redis_server import RedisServer, start_redis

DONE = JobState.DONE


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A Redis of this test's own, with AOF (so it can be killed and restarted)."""
    server = start_redis(tmp_path / "redis", aof=True)
    try:
        yield server
    finally:
        server.stop()


def _ids(folder: Path, values: list[int], name: str = "ids.txt") -> str:
    path = folder / name
    path.write_text("\n".join(map(str, values)) + "\n")
    return str(path)


async def _until_executed(emu: Emulator, path: str, count: int, seconds: float = 60) -> None:
    from tests.cli_runs import until

    await until(lambda: emu.state.executions[("POST", path)] >= count, seconds)


@pytest.mark.anyio
async def test_a_200k_push_over_three_workers_survives_one_killed_and_pushes_each_user_once(
    emu: Emulator, redis: RedisServer, tmp_path: Path
) -> None:
    users = list(range(1, 200_001))
    argv = ["push", _ids(tmp_path, users), "--body", "hi", "--lease-seconds", "2"]
    job_id = await submit(emu, redis.url, *argv)
    emu.latency = 0.03
    async with workers(emu, redis.url, tmp_path, 3, concurrency=4, idle_timeout=3) as crew:
        await _until_executed(emu, "/push/notify", 100)
        await crew.kill(0)  # four chunks of it in flight: run on the server, never recorded
        killed_at = emu.state.executions[("POST", "/push/notify")]
        await crew.restart(0)
        status = await until_state(redis.url, job_id, DONE, seconds=120)

    assert killed_at < 400
    assert (status.total, status.succeeded, status.chunks_done) == (200_000, 200_000, 400)
    async with store_of(redis.url) as store:
        report = await jobs.report(store, job_id)
    assert sorted(report.succeeded) == users
    assert not (report.failed or report.outcome_unknown or report.not_started or report.skipped)
    tasks = list(emu.app_state().push_tasks.values())
    assert emu.state.executions[("POST", "/push/notify")] == len(tasks) == 400
    assert len({task.request_id for task in tasks}) == 400  # every request id ran once
    sent = Counter(r.body["setting"]["request_id"] for r in emu.requests_to("POST", "/push/notify"))
    assert len(sent) == 400 and max(sent.values()) >= 2  # chunks of the killed worker, again
    assert set(pushed_users(emu).values()) == {1} and len(pushed_users(emu)) == 200_000
