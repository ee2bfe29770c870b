"""Durable jobs run in this process: each operation's rule for a chunk sent again,
poison chunks, leases, stops, and the report built from the store.

A chunk is made to come back after a request of it ran: the emulator runs
the request and answers a gateway error (502) instead of the result, as a
proxy that lost the answer would. A write the server does not de-duplicate
then fails with ``may_have_run`` (the SDK does not repeat it), the chunk is
released and taken again by the next attempt.
"""

from __future__ import annotations

import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from aiohttp import web

from lanying_async import LanyingClient, RetryConfig
from lanying_async.bulk.errors import BulkAbortedError
from lanying_async.jobs import (
    ChunkStep,
    JobOptions,
    JobState,
    SqliteJobStore,
    cancel,
    report,
    resume,
    run,
    run_chunk,
    status,
    submit,
)
from lanying_async.testing import Emulator
from tests.cli_runs import register, room, until
from tests.rawserver import ScriptedServer

LOST_ANSWER = {"code": 20000, "status": 502, "execute": True}
"""The request runs; its answer is a gateway's 502."""


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteJobStore]:
    opened = SqliteJobStore(tmp_path / "jobs.sqlite3")
    try:
        yield opened
    finally:
        await opened.aclose()


@pytest.fixture
async def quick(emu: Emulator) -> AsyncIterator[LanyingClient]:
    """A client whose own retries wait almost nothing."""
    async with emu.client(retry=RetryConfig(base_delay=0.001, max_delay=0.005)) as client:
        yield client


def _members(emu: Emulator, group_id: int) -> set[int]:
    return {member.user_id for member in emu.app_state().groups[group_id].members}


@pytest.mark.anyio
async def test_an_invite_chunk_sent_again_counts_members_already_in_as_invited(
    emu: Emulator, quick: LanyingClient, store: SqliteJobStore
) -> None:
    owner, *guests = await register(quick, 7, "inv")
    group_id = await room(quick, owner)
    job = await submit(
        store, "invite", guests, {"group_id": group_id, "as_user": owner}, JobOptions(chunk_size=3)
    )
    emu.force_error("POST", "/group/invite", **LOST_ANSWER)
    steps: list[Any] = []

    done = await run(store, quick, job, concurrency=1, on_chunk=steps.append, backoff=0)

    assert [(s.index, s.step, s.attempt) for s in steps] == [
        (0, ChunkStep.RELEASED, 1),
        (1, ChunkStep.RECORDED, 1),
        (0, ChunkStep.RECORDED, 2),
    ]
    assert sorted(done.succeeded) == sorted(guests) and done.ok  # no "already a member"
    assert _members(emu, group_id) == {owner, *guests}
    invites = emu.requests_to("POST", "/group/invite")
    assert [r.body["user_list"] for r in invites] == [guests[:3], guests[3:], guests[:3]]


@pytest.mark.anyio
async def test_an_invite_sent_for_the_first_time_still_fails_members_already_in(
    quick: LanyingClient, store: SqliteJobStore
) -> None:
    owner, member, *guests = await register(quick, 4, "first")
    group_id = await room(quick, owner, [member])
    job = await submit(store, "invite", [member, *guests], {"group_id": group_id, "as_user": owner})

    done = await run(store, quick, job)

    assert list(done.failed) == [member]  # only a chunk sent again trusts membership
    assert sorted(done.succeeded) == sorted(guests)


@pytest.mark.anyio
async def test_a_kick_chunk_sent_again_counts_users_already_out_as_kicked(
    emu: Emulator, quick: LanyingClient, store: SqliteJobStore
) -> None:
    owner, *members = await register(quick, 5, "kick")
    group_id = await room(quick, owner, members)
    job = await submit(store, "kick", members, {"group_id": group_id, "as_user": owner})
    emu.force_error("DELETE", "/group/kick", **LOST_ANSWER)

    done = await run(store, quick, job, backoff=0)

    assert sorted(done.succeeded) == sorted(members) and done.ok
    assert _members(emu, group_id) == {owner}
    assert len(emu.requests_to("DELETE", "/group/kick")) == 2


@pytest.mark.anyio
async def test_a_register_chunk_sent_again_looks_names_up_and_registers_none_twice(
    emu: Emulator, quick: LanyingClient, store: SqliteJobStore
) -> None:
    rows = [(f"newbie_{i:02d}", f"S3cret-{i:02d}", {"nick_name": f"N{i}"}) for i in range(12)]
    job = await submit(store, "register", rows, options=JobOptions(chunk_size=4))
    first = await run_chunk(store, quick, job, 0)  # a user to look names up as
    assert first.step is ChunkStep.RECORDED
    emu.force_error("POST", "/user/register/batch", **LOST_ANSWER)

    done = await run(store, quick, job, concurrency=1, backoff=0)

    names = [name for name, _, _ in rows]
    assert sorted(done.outcome_unknown) == names[4:8]  # found: they may predate the job
    assert sorted(done.succeeded) == names[:4] + names[8:] and not done.failed
    registered = [r.body["list"] for r in emu.requests_to("POST", "/user/register/batch")]
    assert [[user["username"] for user in batch] for batch in registered] == [
        names[:4],
        names[4:8],
        names[8:],
    ]
    looked_up = [r.query["username"] for r in emu.requests_to("GET", "/roster/name")]
    assert looked_up == names[4:8]
    accounts = emu.app_state()
    assert all(accounts.user_ids_by_name[name] in accounts.users for name in names)
    profiles = accounts.accounts.profiles
    assert profiles[done.results["newbie_09"]].nick_name == "N9"


@pytest.mark.anyio
async def test_passwords_leave_the_store_once_their_chunk_is_recorded(
    quick: LanyingClient, tmp_path: Path
) -> None:
    path = tmp_path / "jobs.sqlite3"
    store = SqliteJobStore(path)
    rows = [(f"private_{i}", f"Pw-never-kept-{i}") for i in range(6)]
    job = await submit(store, "register", rows, options=JobOptions(chunk_size=4))
    await run_chunk(store, quick, job, 0)
    assert await store.chunk_items(job, 0) == [name for name, _ in rows[:4]]
    assert [name for name, _ in await store.chunk_items(job, 1)] == ["private_4", "private_5"]
    await run_chunk(store, quick, job, 1)
    await store.aclose()

    files = [p for p in tmp_path.iterdir() if p.name.startswith("jobs")]  # noqa: ASYNC240
    kept = b"".join(p.read_bytes() for p in files)
    assert b"private_0" in kept and b"Pw-never-kept" not in kept


@pytest.mark.anyio
async def test_a_chunk_failing_every_time_is_given_up_after_max_attempts(
    emu: Emulator, store: SqliteJobStore
) -> None:
    job = await submit(
        store, "push", [1, 2, 3], {"message": {"title": "t"}}, JobOptions(max_attempts=3)
    )
    emu.force_error("POST", "/push/notify", 20000, status=500, times=1000)
    retry = RetryConfig(max_attempts=1)  # one request per attempt at the chunk
    steps: list[Any] = []
    async with emu.client(retry=retry) as client:
        done = await run(store, client, job, on_chunk=steps.append, backoff=0)

    assert [s.step for s in steps] == [ChunkStep.RELEASED] * 2 + [ChunkStep.RECORDED]
    assert len(emu.requests_to("POST", "/push/notify")) == 3  # three attempts, no more
    assert sorted(done.outcome_unknown) == [1, 2, 3]  # requests left: they may have run
    assert (await status(store, job)).state is JobState.DONE


@pytest.mark.anyio
async def test_a_chunk_taken_too_often_without_a_send_fails_without_a_request(
    emu: Emulator, quick: LanyingClient, store: SqliteJobStore
) -> None:
    job = await submit(
        store, "push", [1, 2], {"message": {"title": "t"}}, JobOptions(max_attempts=2)
    )
    for attempt in range(2):  # workers that died before sending anything
        assert await store.take_lease(job, 0, f"dead{attempt}", 1, 1000.0 + 10 * attempt)

    done = await run_chunk(store, quick, job, 0)

    assert (done.step, done.attempt) == (ChunkStep.RECORDED, 3)
    assert done.record is not None
    assert [(f.item, f.reason) for f in done.record.failed] == [
        (1, "gave up after 2 attempts"),
        (2, "gave up after 2 attempts"),
    ]
    assert emu.requests_to("POST", "/push/notify") == []


@pytest.mark.anyio
async def test_a_worker_that_lost_its_lease_cannot_record_and_the_new_holder_does(
    store: SqliteJobStore,
) -> None:
    release = anyio.Event()
    answers = 0

    async def handler(request: web.Request) -> web.StreamResponse:
        nonlocal answers
        answers += 1
        task_id = answers
        if task_id == 1:  # the first worker's request waits
            await release.wait()
        return web.json_response({"code": 200, "message": "ok", "data": {"task_id": task_id}})

    job = await submit(
        store, "push", [1, 2], {"message": {"title": "t"}}, JobOptions(lease_seconds=0.3)
    )
    results: dict[str, Any] = {}
    async with (
        ScriptedServer(handler) as server,
        LanyingClient(api_endpoint=server.url, app_id="app", access_token="tok") as client,
    ):

        async def first_worker() -> None:
            results["first"] = await run_chunk(store, client, job, 0)

        async with anyio.create_task_group() as group:
            group.start_soon(first_worker)
            await until(lambda: server.attempts == 1)
            # Seen from a clock past the first worker's lease, the lease has lapsed.
            results["second"] = await run_chunk(
                store, client, job, 0, clock=lambda: time.time() + 100
            )
            await until(lambda: "first" in results)
            release.set()

    first, second = results["first"], results["second"]
    assert (first.step, first.attempt) == (ChunkStep.LOST, 1)
    assert (second.step, second.attempt) == (ChunkStep.RECORDED, 2)
    recorded = [record async for _, record in store.records(job)]
    assert recorded == [second.record] and second.record.values == [2]


@pytest.mark.anyio
async def test_an_error_every_chunk_would_meet_stops_the_run_and_leaves_the_job_resumable(
    emu: Emulator, quick: LanyingClient, store: SqliteJobStore
) -> None:
    owner, *guests = await register(quick, 5, "gone")
    job = await submit(
        store,
        "invite",
        guests,
        {"group_id": 999999, "as_user": owner},
        JobOptions(chunk_size=1),
    )

    with pytest.raises(BulkAbortedError) as stopped:
        await run(store, quick, job, concurrency=1)

    assert stopped.value.job_wide
    assert sorted(stopped.value.report.not_started) == sorted(guests)
    assert len(emu.requests_to("POST", "/group/invite")) == 1
    assert (await status(store, job)).state is JobState.QUEUED
    assert await resume(store, job) == [0, 1, 2, 3]


@pytest.mark.anyio
async def test_a_cancelled_job_grants_no_chunk_and_reports_the_rest_not_started(
    emu: Emulator, quick: LanyingClient, store: SqliteJobStore
) -> None:
    job = await submit(
        store, "push", list(range(1, 11)), {"message": {"title": "t"}}, JobOptions(chunk_size=4)
    )
    assert (await run_chunk(store, quick, job, 0)).step is ChunkStep.RECORDED

    cancelled = await cancel(store, job)

    assert cancelled.state is JobState.CANCELLED and cancelled.not_started == 6
    assert (await run_chunk(store, quick, job, 1)).step is ChunkStep.SKIPPED
    assert await resume(store, job) == []
    done = await run(store, quick, job)
    assert sorted(done.succeeded) == [1, 2, 3, 4] and sorted(done.not_started) == list(range(5, 11))
    assert len(emu.requests_to("POST", "/push/notify")) == 1
    assert (await report(store, job)).not_started == done.not_started


@pytest.mark.anyio
async def test_each_request_takes_a_turn_of_the_jobs_shared_rate_limit(
    quick: LanyingClient, store: SqliteJobStore
) -> None:
    job = await submit(
        store, "push", [1, 2], {"message": {"title": "t"}}, JobOptions(rate_limit=1.0)
    )
    now = 5_000_000.0

    done = await run_chunk(store, quick, job, 0, clock=lambda: now)

    assert done.step is ChunkStep.RECORDED
    # The bucket (one turn a second) is empty: the chunk's request took its only turn.
    assert await store.rate_wait(job, 1.0, now) == pytest.approx(1.0)


@pytest.mark.anyio
async def test_a_server_out_of_reach_stops_the_run_without_using_up_attempts(
    store: SqliteJobStore,
) -> None:
    job = await submit(
        store, "push", [1, 2, 3], {"message": {"title": "t"}}, JobOptions(chunk_size=1)
    )
    retry = RetryConfig(max_attempts=2, base_delay=0.001, max_delay=0.005)
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        nowhere = f"http://127.0.0.1:{sock.getsockname()[1]}"
    async with LanyingClient(api_endpoint=nowhere, app_id="a", access_token="t", retry=retry) as c:
        with pytest.raises(BulkAbortedError) as stopped:
            await run(store, c, job, concurrency=1)

    assert stopped.value.job_wide and sorted(stopped.value.report.not_started) == [1, 2, 3]
    assert await resume(store, job) == [0, 1, 2]
    lease = await store.take_lease(job, 0, "next", 30, time.time())
    assert lease is not None and lease.attempt == 2  # one attempt used, four left
