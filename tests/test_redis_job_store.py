"""The Redis job store beyond the shared contract: real concurrency over two
connections, a Redis killed and restarted, and what its URL may reveal."""

from __future__ import annotations

import asyncio
import secrets
import socket
from pathlib import Path

import pytest
import redis.asyncio as aioredis

from lanying_async import LanyingClient, RetryConfig
from lanying_async.errors import ValidationError
from lanying_async.jobs import ChunkStep, JobOptions, open_store, report, run, submit
from lanying_async.jobs.model import ChunkRecord, JobSpec, JobState
from lanying_async.jobs.redis_store import JobStoreUnavailableError, RedisJobStore
from lanying_async.jobs.store import JobNotFoundError, JobStoreError
from lanying_async.testing import Emulator
from tests.cli_runs import register, room
from tests.redis_server import start_redis
from tests.redis_stores import fresh_redis_store

pytestmark = pytest.mark.anyio

SPEC = JobSpec(operation="push", arguments={"to": "user_id"}, chunk_size=500)
T0 = 1_700_000_000.123456


def _record(items: list[int], token: str) -> ChunkRecord:
    return ChunkRecord(items=items, succeeded=items, values=[token], requests=1)


async def test_two_connections_racing_for_a_chunk_one_wins(redis_url: str) -> None:
    chunks = [[i, i + 1000] for i in range(150)]
    async with fresh_redis_store(redis_url) as a:
        b = RedisJobStore.from_url(redis_url, key_prefix=a.key_prefix)
        try:
            job = await a.create_job(SPEC, chunks)
            stores = {"a": a, "b": b}

            async def race(index: int) -> None:
                # Ten takers on each connection at once: one lease.
                tokens = [f"{side}{k}-{index}" for side in stores for k in range(10)]
                leases = await asyncio.gather(
                    *(stores[t[0]].take_lease(job, index, t, 10, T0) for t in tokens)
                )
                holders = [lease.token for lease in leases if lease is not None]
                assert len(holders) == 1
                holder = holders[0]
                newcomer_side = "b" if holder[0] == "a" else "a"
                newcomer = f"{newcomer_side}-late-{index}"

                # The holder's lease lapsed: the holder records late while the other
                # connection takes the chunk and records it. One record counts.
                async def late_holder() -> bool:
                    record = _record(chunks[index], holder)
                    return await stores[holder[0]].finish_chunk(job, index, holder, record, T0 + 12)

                async def new_taker() -> bool:
                    store = stores[newcomer_side]
                    if await store.take_lease(job, index, newcomer, 10, T0 + 11) is None:
                        return False
                    record = _record(chunks[index], newcomer)
                    return await store.finish_chunk(job, index, newcomer, record, T0 + 12)

                results = await asyncio.gather(late_holder(), new_taker())
                assert sum(results) == 1
                winner = holder if results[0] else newcomer
                _, recorded = await anext_record(b, job, index)
                assert recorded is not None and recorded.values == [winner]

            await asyncio.gather(*(race(index) for index in range(len(chunks))))
            status = await b.status(job)
            assert status.state is JobState.DONE
            assert (status.succeeded, status.chunks_done, status.not_started) == (300, 150, 0)
            assert await a.unfinished(job, T0 + 100) == []
        finally:
            await b.aclose()


async def anext_record(
    store: RedisJobStore, job: str, index: int
) -> tuple[int, ChunkRecord | None]:
    async for seen, record in store.records(job):
        if seen == index:
            return seen, record
    raise AssertionError(f"no chunk {index}")


async def test_a_job_of_many_chunks_reads_back_in_order(redis_url: str) -> None:
    chunks = [list(range(i * 500, i * 500 + 500)) for i in range(600)]  # pages of 256
    async with fresh_redis_store(redis_url) as store:
        job = await store.create_job(SPEC, chunks)
        for index in (0, 299, 599):
            assert await store.take_lease(job, index, "t", 30, T0) is not None
            assert await store.finish_chunk(job, index, "t", _record(chunks[index], "t"), T0)
        seen = [(index, record) async for index, record in store.records(job)]
        assert [index for index, _ in seen] == list(range(600))
        assert {index for index, record in seen if record is not None} == {0, 299, 599}
        assert await store.chunk_items(job, 598) == chunks[598]
        status = await store.status(job)
        assert (status.total, status.succeeded, status.not_started) == (300_000, 1500, 298_500)
        assert len(await store.unfinished(job, T0)) == 597
        with pytest.raises(JobNotFoundError, match="no chunk 600"):
            await store.take_lease(job, 600, "t", 30, T0)
        with pytest.raises(JobNotFoundError):
            await store.chunk_items(job, 600)


async def test_a_take_retried_by_the_same_token_keeps_its_lease(redis_url: str) -> None:
    async with fresh_redis_store(redis_url) as store:
        job = await store.create_job(SPEC, [[1], [2]])
        first = await store.take_lease(job, 0, "a", 30, T0)
        again = await store.take_lease(job, 0, "a", 30, T0)  # as if its answer was lost
        assert first is not None and again == first and again.attempt == 1
        assert await store.take_lease(job, 0, "b", 30, T0 + 1) is None
        later = await store.take_lease(job, 0, "a", 30, T0 + 5)  # the lease it holds, as it is
        assert later == first


async def test_the_job_survives_redis_killed_and_restarted(tmp_path: Path) -> None:
    server = start_redis(tmp_path / "redis", aof=True)
    try:
        async with fresh_redis_store(server.url) as store:
            job = await store.create_job(SPEC, [[1, 2], [3, 4], [5]])
            await store.take_lease(job, 0, "a", 60, T0)
            assert await store.mark_sent(job, 0, "a", T0 + 1) == T0 + 1
            await store.take_lease(job, 1, "b", 60, T0)
            assert await store.finish_chunk(job, 1, "b", _record([3, 4], "b"), T0 + 2)
            assert await store.rate_wait(job, 1.0, T0) == 0.0
            assert await store.rate_wait(job, 1.0, T0) == pytest.approx(1.0)
            before = (
                await store.status(job),
                [entry async for entry in store.records(job)],
                await store.unfinished(job, T0 + 3),
            )

            server.kill()  # no sleep: every write was on disk before it was answered
            server.start()  # the same port and directory: Redis replays its AOF

            after = (
                await store.status(job),
                [entry async for entry in store.records(job)],
                await store.unfinished(job, T0 + 3),
            )
            assert after == before
            assert before[2] == [2]
            assert await store.spec(job) == SPEC
            assert await store.take_lease(job, 0, "x", 60, T0 + 3) is None  # a's, still live
            assert await store.mark_sent(job, 0, "a", T0 + 4) == T0 + 1
            assert await store.rate_wait(job, 1.0, T0) == pytest.approx(2.0)
            assert await store.finish_chunk(job, 0, "a", _record([1, 2], "a"), T0 + 5)
            await store.take_lease(job, 2, "c", 60, T0 + 5)
            assert await store.finish_chunk(job, 2, "c", _record([5], "c"), T0 + 6)
            status = await store.status(job)
            assert (status.state, status.succeeded) == (JobState.DONE, 5)
    finally:
        server.stop()


async def test_the_password_stays_out_of_repr_and_errors(tmp_path: Path) -> None:
    server = start_redis(tmp_path / "redis")
    password = "s3cret-" + secrets.token_hex(8)
    try:
        admin = aioredis.Redis.from_url(server.url)
        await admin.config_set("requirepass", password)
        await admin.aclose()
        url = f"redis://:{password}@127.0.0.1:{server.port}/0"
        async with fresh_redis_store(url) as store:
            job = await store.create_job(SPEC, [[1]])
            assert (await store.status(job)).total == 1
            for shown in (repr(store), str(store)):
                assert password not in shown
                assert f"redis://:***@127.0.0.1:{server.port}/0" in shown

        wrong = RedisJobStore.from_url(
            f"redis://:not-{password}@127.0.0.1:{server.port}/0", retries=0
        )
        with pytest.raises(JobStoreUnavailableError) as caught:
            await wrong.status("0123456789abcdef")
        await wrong.aclose()
        assert password not in str(caught.value)
        assert f"redis://:***@127.0.0.1:{server.port}/0" in str(caught.value)

        for bad_url in (
            f"redis://:{password}@127.0.0.1:{server.port}/not-a-db",
            f"redis://:{password}@127.0.0.1:{server.port}/0?socket_timeout=soon",
        ):
            with pytest.raises(ValueError, match=r"redis://:\*\*\*@") as bad:
                RedisJobStore.from_url(bad_url)
            assert password not in str(bad.value)
        with pytest.raises(ValidationError) as not_redis:
            await open_store(f"redis+x://:{password}@host/0")
        assert password not in str(not_redis.value)
    finally:
        server.stop()


async def test_a_refused_connection_names_the_store_but_not_its_password() -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"redis://user:hunter2-pw@127.0.0.1:{port}/3"
    store = await open_store(url)
    assert isinstance(store, RedisJobStore)
    try:
        with pytest.raises(JobStoreUnavailableError) as caught:
            await store.take_lease("0123456789abcdef", 0, "t", 30, T0)
        message = str(caught.value)
        assert f"redis://user:***@127.0.0.1:{port}/3" in message
        assert "hunter2" not in message and "hunter2" not in repr(caught.value)
        assert caught.value.__cause__ is None and caught.value.__suppress_context__
    finally:
        await store.aclose()


async def test_a_job_runs_to_the_end_on_the_redis_store(emu: Emulator, redis_url: str) -> None:
    async with emu.client(retry=RetryConfig(base_delay=0.001, max_delay=0.005)) as client:
        await _invite_on_redis(emu, client, redis_url)


async def _invite_on_redis(emu: Emulator, client: LanyingClient, redis_url: str) -> None:
    owner, *guests = await register(client, 7, "redis")
    group_id = await room(client, owner)
    async with fresh_redis_store(redis_url) as store:
        job = await submit(
            store,
            "invite",
            guests,
            {"group_id": group_id, "as_user": owner},
            JobOptions(chunk_size=3),
        )
        # The first invite runs but its answer is lost: the chunk is taken again.
        emu.force_error("POST", "/group/invite", code=20000, status=502, execute=True)
        steps: list[tuple[int, ChunkStep, int]] = []

        done = await run(
            store,
            client,
            job,
            concurrency=1,
            on_chunk=lambda s: steps.append((s.index, s.step, s.attempt)),
            backoff=0,
        )

        assert steps == [
            (0, ChunkStep.RELEASED, 1),
            (1, ChunkStep.RECORDED, 1),
            (0, ChunkStep.RECORDED, 2),
        ]
        assert sorted(done.succeeded) == sorted(guests) and done.ok
        members = {m.user_id for m in emu.app_state().groups[group_id].members}
        assert members == {owner, *guests}
        again = await report(store, job)
        assert sorted(again.succeeded) == sorted(guests)
        assert (await store.status(job)).state is JobState.DONE


async def test_a_step_redis_refuses_raises_a_store_error(redis_url: str) -> None:
    async with fresh_redis_store(redis_url) as store:
        other = aioredis.Redis.from_url(redis_url)
        try:  # a key of another kind where the job's hash would be
            await other.set(f"{store.key_prefix}:job:{{0123456789abcdef}}:meta", "x")
        finally:
            await other.aclose()
        with pytest.raises(JobStoreError, match="refused a step") as caught:
            await store.status("0123456789abcdef")
        assert not isinstance(caught.value, JobStoreUnavailableError)
        with pytest.raises(JobStoreError):
            await store.take_lease("0123456789abcdef", 0, "t", 30, T0)
    with pytest.raises(ValueError, match="braces"):
        RedisJobStore.from_url(redis_url, key_prefix="app{1}")


async def test_redis_killed_amid_writes_keeps_each_step_whole(tmp_path: Path) -> None:
    server = start_redis(tmp_path / "redis", aof=True)
    try:
        chunks = [[2 * i, 2 * i + 1] for i in range(3000)]
        async with fresh_redis_store(server.url) as setup:
            job = await setup.create_job(SPEC, chunks)
            prefix = setup.key_prefix
            # No retries: a call the kill interrupts fails instead of waiting for the restart.
            writer = RedisJobStore.from_url(server.url, key_prefix=prefix, retries=0)
            recorded: set[int] = set()

            async def write(lane: int) -> None:
                for index in range(lane, len(chunks), 8):
                    token = f"w{index}"
                    try:
                        if await writer.take_lease(job, index, token, 60, T0) is None:
                            continue
                        record = _record(chunks[index], token)
                        if await writer.finish_chunk(job, index, token, record, T0):
                            recorded.add(index)
                    except JobStoreUnavailableError:
                        return

            lanes = [asyncio.create_task(write(lane)) for lane in range(8)]
            deadline = asyncio.get_running_loop().time() + 30
            while len(recorded) < 300:  # kill mid-job, with writes in flight
                assert asyncio.get_running_loop().time() < deadline
                await asyncio.sleep(0.001)
            server.kill()
            await asyncio.gather(*lanes)
            await writer.aclose()
            assert len(recorded) < len(chunks)

            server.start()
            done = {i async for i, record in setup.records(job) if record is not None}
            assert recorded <= done  # every step answered was kept...
            assert len(done - recorded) <= 8  # ...and at most the ones in flight besides
            status = await setup.status(job)
            assert status.chunks_done == len(done)  # counts and records moved together
            assert (status.succeeded, status.not_started) == (2 * len(done), 6000 - 2 * len(done))
            leased = set(range(len(chunks))) - done - set(await setup.unfinished(job, T0))
            assert len(leased) <= 8  # leases taken but not recorded: the ones in flight
    finally:
        server.stop()
