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

import bisect
import json
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import anyio
import msgspec
import pytest

from lanying_async import jobs
from lanying_async.jobs.model import JobState
from lanying_async.testing import Emulator
from tests.cli_runs import jsonl, until
from tests.job_workers import (
    lanying_jobs,
    pushed_users,
    store_of,
    submit,
    until_state,
    workers,
)
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


async def _push_job(
    emu: Emulator, redis: RedisServer, folder: Path, count: int, *options: str
) -> tuple[list[int], str]:
    """Users 1..``count`` and the push job to them ``lanying jobs submit`` stored."""
    users = list(range(1, count + 1))
    job_id = await submit(emu, redis.url, "push", _ids(folder, users), "--body", "hi", *options)
    return users, job_id


async def _until_full(emu: Emulator, path: str, count: int, in_flight: int) -> None:
    """Until ``count`` requests to ``path`` ran and ``in_flight`` are being answered: with
    more than all but one slot of every worker, each worker has a request waiting for its
    answer, so a worker killed now leaves a chunk that ran on the server, never recorded."""
    await until(
        lambda: (
            emu.state.executions[("POST", path)] >= count and emu.metrics.in_flight >= in_flight
        ),
        60,
    )


async def _register(emu: Emulator, count: int, prefix: str) -> list[int]:
    async with emu.client() as client:
        people = [(f"{prefix}_{i:05d}", "pw") for i in range(count)]
        report = await client.users.bulk_register(people)
    assert report.ok
    return sorted(report.results.values())


async def _kill_one_mid_job(
    emu: Emulator, redis: RedisServer, folder: Path, argv: list[str], path: str, chunks: int
) -> jobs.JobStatus:
    """Three workers on the job ``argv`` submits; one is killed a third of the way in and
    started again. Returns the job's final status."""
    job_id = await submit(emu, redis.url, *argv, "--lease-seconds", "2")
    emu.latency = 0.05
    async with workers(emu, redis.url, folder, 3, concurrency=4, idle_timeout=3) as crew:
        await _until_full(emu, path, chunks // 3, in_flight=9)
        await crew.kill(0)
        assert emu.state.executions[("POST", path)] < chunks
        await crew.restart(0)
        status = await until_state(redis.url, job_id, DONE, seconds=120)
    async with store_of(redis.url) as store:
        report = await jobs.report(store, job_id)
    assert status.chunks_done == status.chunks_total == chunks
    assert status.succeeded == status.total == len(report.succeeded)  # each item once, succeeded
    assert not (report.failed or report.outcome_unknown or report.not_started)
    return status


@pytest.mark.anyio
async def test_a_200k_push_over_three_workers_survives_one_killed_and_pushes_each_user_once(
    emu: Emulator, redis: RedisServer, tmp_path: Path
) -> None:
    users = list(range(1, 200_001))
    argv = ["push", _ids(tmp_path, users), "--body", "hi"]

    status = await _kill_one_mid_job(emu, redis, tmp_path, argv, "/push/notify", 400)

    assert status.total == 200_000
    tasks = list(emu.app_state().push_tasks.values())
    assert emu.state.executions[("POST", "/push/notify")] == len(tasks) == 400
    assert len({task.request_id for task in tasks}) == 400  # every request id ran once
    sent = Counter(r.body["setting"]["request_id"] for r in emu.requests_to("POST", "/push/notify"))
    assert len(sent) == 400 and max(sent.values()) >= 2  # chunks of the killed worker, again
    assert pushed_users(emu) == Counter(users)  # every user pushed exactly once


@pytest.mark.anyio
async def test_a_30k_message_send_over_three_workers_survives_one_killed_and_sends_each_once(
    emu: Emulator, redis: RedisServer, tmp_path: Path
) -> None:
    readers = await _register(emu, 30_000, "reader")
    argv = ["send", _ids(tmp_path, readers), "--text", "hello"]

    status = await _kill_one_mid_job(emu, redis, tmp_path, argv, "/message/send", 150)

    assert status.total == 30_000
    code, out, _ = await lanying_jobs(emu, "status", status.job_id, "--store", redis.url, "--json")
    assert code == 0 and json.loads(out) == msgspec.to_builtins(status) | {"state": "done"}
    received = Counter(message.to_id for message in emu.app_state().messages)
    assert received == Counter(readers)  # each target one message
    sends = emu.requests_to("POST", "/message/send")
    assert emu.state.executions[("POST", "/message/send")] == 150  # a repeat is not executed
    assert len({r.body["transaction_id"] for r in sends}) == 150 < len(sends)


@pytest.mark.anyio
async def test_a_50k_invite_over_three_workers_survives_one_killed_and_fails_nobody(
    redis: RedisServer, tmp_path: Path
) -> None:
    async with Emulator(group_capacity=60_000) as emu:
        owner, *guests = await _register(emu, 50_001, "guest")
        async with emu.client() as client:
            group = await client.as_user(owner).groups.create(name="all")
        argv = ["invite", str(group.group_id), _ids(tmp_path, guests), "--as-user", str(owner)]

        status = await _kill_one_mid_job(emu, redis, tmp_path, argv, "/group/invite", 250)

        assert status.total == 50_000  # none failed "already a member" on a chunk sent again
        members = emu.app_state().groups[group.group_id].members
        assert sorted(member.user_id for member in members) == sorted([owner, *guests])
        invites = emu.requests_to("POST", "/group/invite")
        assert len(invites) > 250  # the killed worker's chunks, sent again


@pytest.mark.anyio
async def test_every_worker_and_redis_killed_mid_job_then_resume_finishes_with_no_repeat(
    emu: Emulator, redis: RedisServer, tmp_path: Path
) -> None:
    users, job_id = await _push_job(emu, redis, tmp_path, 50_000, "--lease-seconds", "2")
    emu.latency = 0.05
    async with workers(emu, redis.url, tmp_path, 2, concurrency=4, idle_timeout=30) as crew:
        await _until_full(emu, "/push/notify", 30, in_flight=5)
        redis.kill()  # with AOF fsynced on every write: what it answered, it keeps
        await crew.kill_all()
        ran = emu.state.executions[("POST", "/push/notify")]
        redis.start()
        async with store_of(redis.url) as store:
            before = await store.status(job_id)
            assert before.chunks_done < ran < 100  # requests ran that the store never heard of
            left = 100 - before.chunks_done
            with anyio.fail_after(30):  # the dead workers' leases lapse (2 s)
                while len(await store.unfinished(job_id, time.time())) < left:  # noqa: ASYNC110  (a store has no event to wait on)
                    await anyio.sleep(0.1)
        code, out, err = await lanying_jobs(emu, "resume", job_id, "--store", redis.url)
        assert code == 0, err
        assert out == f"job {job_id}: {left} chunks queued again\n"
        for index in range(2):
            await crew.restart(index)
        # Long before the broker would hand the dead workers' tasks over (30 s idle).
        status = await until_state(redis.url, job_id, DONE, seconds=25)

    assert (status.succeeded, status.chunks_done) == (50_000, 100)
    tasks = list(emu.app_state().push_tasks.values())
    assert emu.state.executions[("POST", "/push/notify")] == len(tasks) == 100
    assert len({task.request_id for task in tasks}) == 100
    assert pushed_users(emu) == Counter(users)  # everyone once


@pytest.mark.anyio
async def test_a_chunk_running_longer_than_the_idle_timeout_is_delivered_again_harmlessly(
    emu: Emulator, redis: RedisServer, tmp_path: Path
) -> None:
    job_id = await submit(emu, redis.url, "push", _ids(tmp_path, [1, 2, 3]), "--body", "hi")
    emu.latency = 4.0  # the one request takes four times the idle timeout
    async with workers(emu, redis.url, tmp_path, 2, concurrency=2, idle_timeout=1) as crew:
        await until(lambda: "delivered again while leased" in crew.log(0) + crew.log(1), 30)
        status = await until_state(redis.url, job_id, DONE, seconds=30)

    assert (status.succeeded, status.chunks_done) == (3, 1)
    assert len(emu.requests_to("POST", "/push/notify")) == 1  # the second delivery sent nothing


@pytest.mark.anyio
async def test_a_task_queued_before_any_worker_ever_started_is_run(
    emu: Emulator, redis: RedisServer, tmp_path: Path
) -> None:
    from lanying_async.jobs.distributed import attach, stream_broker

    async with store_of(redis.url) as store:
        job_id = await jobs.submit(store, "push", [1, 2, 3], {"message": {"body": "hi"}})
    broker = stream_broker(redis.url)
    task = attach(broker, redis.url)
    await task.kiq("no-such-job", 0)  # onto a fresh stream, with no consumer group yet
    await task.kiq(job_id, 0)
    await broker.shutdown()

    async with workers(emu, redis.url, tmp_path, 1) as crew:
        status = await until_state(redis.url, job_id, DONE, seconds=30)
        await _drained(redis.url)  # the task of a job the store lacks is dropped, not kept
    assert status.succeeded == 3
    assert "job no-such-job is not in the store" in crew.log(0)


@pytest.mark.anyio
async def test_sigterm_lets_the_chunks_in_flight_finish_and_exits_cleanly(
    emu: Emulator, redis: RedisServer, tmp_path: Path
) -> None:
    _, job_id = await _push_job(emu, redis, tmp_path, 2000, "--chunk-size", "10")
    emu.latency = 0.5
    async with workers(emu, redis.url, tmp_path, 1, concurrency=4) as crew:
        await until(lambda: emu.metrics.in_flight == 4)
        code = await crew.terminate(0)
        log = crew.log(0)

    assert code == 0, log
    assert "Traceback" not in log and "Unclosed" not in log and "Exception ignored" not in log
    async with store_of(redis.url) as store:
        status = await store.status(job_id)
        left = await store.unfinished(job_id, time.time())
    ran = emu.state.executions[("POST", "/push/notify")]
    assert status.chunks_done == ran >= 4  # every chunk that ran was recorded
    assert len(left) == 200 - ran  # and the others hold no lease: any worker takes them


async def _drained(url: str) -> None:
    """Until every task on the stream was delivered and acknowledged."""
    import redis.asyncio as aioredis

    from lanying_async.jobs.distributed import QUEUE_NAME

    client = aioredis.Redis.from_url(url)
    try:
        with anyio.fail_after(30):
            while True:
                (group,) = await client.xinfo_groups(QUEUE_NAME)
                if group["pending"] == 0 and group["lag"] == 0:
                    return
                await anyio.sleep(0.05)
    finally:
        await client.aclose()


@pytest.mark.anyio
async def test_a_cancelled_job_sends_nothing_after_the_cancel_beyond_the_chunks_in_flight(
    emu: Emulator, redis: RedisServer, tmp_path: Path
) -> None:
    users, job_id = await _push_job(emu, redis, tmp_path, 3000, "--chunk-size", "10")
    emu.latency = 0.05
    async with workers(emu, redis.url, tmp_path, 3, concurrency=2):
        await until(lambda: len(emu.requests_to("POST", "/push/notify")) >= 20)
        code, out, _ = await lanying_jobs(emu, "cancel", job_id, "--store", redis.url)
        at_cancel = len(emu.requests_to("POST", "/push/notify"))
        await _drained(redis.url)  # every task left was taken and dropped
        after = len(emu.requests_to("POST", "/push/notify")) - at_cancel

    assert code == 0 and f"job {job_id}: cancelled" in out
    assert after <= 3 * 2  # at most the chunks in flight when the cancel was seen
    async with store_of(redis.url) as store:
        status = await store.status(job_id)
        report = await jobs.report(store, job_id)
    assert status.state is JobState.CANCELLED and at_cancel < 300
    assert sorted(report.succeeded) == sorted(pushed_users(emu))
    assert sorted(report.not_started) == sorted(set(users) - set(pushed_users(emu)))
    assert status.chunks_done == emu.state.executions[("POST", "/push/notify")]
    code, _, _ = await lanying_jobs(
        emu, "report", job_id, "--store", redis.url, "-o", str(tmp_path / "left.jsonl")
    )
    assert code == 1  # some items did not succeed: the ones never started
    rows = jsonl(tmp_path / "left.jsonl")
    assert sorted(row["item"] for row in rows) == sorted(report.not_started)
    assert {row["status"] for row in rows} == {"not_started"}


@pytest.mark.anyio
async def test_a_rate_limit_of_50_per_second_holds_over_three_workers(
    emu: Emulator, redis: RedisServer, tmp_path: Path
) -> None:
    # 610 requests, paced 50 a second: 12.2 s.
    _, job_id = await _push_job(
        emu, redis, tmp_path, 6100, "--chunk-size", "10", "--rate-limit", "50"
    )
    async with workers(emu, redis.url, tmp_path, 3, concurrency=4):
        await until_state(redis.url, job_id, DONE, seconds=60)

    times = sorted(r.at for r in emu.requests_to("POST", "/push/notify"))
    assert len(times) == 610
    # Every 10 s window, the first request's included: the busiest one starts at a request.
    assert times[0] + 10.0 <= times[-1]
    busiest = max(bisect.bisect_left(times, start + 10.0) - i for i, start in enumerate(times))
    assert 450 <= busiest <= 55 * 10  # at most 55 a second, and the limit was the bound
