"""Bulk operations on the emulator: chunk bounds, accounting, failures, limits, cancelling."""

from __future__ import annotations

import asyncio
import gc
import warnings
from collections.abc import AsyncIterator, Callable

import anyio
import anyio.lowlevel
import pytest

from lanying_async import (
    Audience,
    BulkLimits,
    GroupType,
    LanyingClient,
    PoolLimits,
    ProfileUpdate,
    PushMessage,
    TargetType,
)
from lanying_async.bulk import BulkAbortedError, BulkJob, BulkOptions, InvalidItem
from lanying_async.services.groups import GroupsService
from lanying_async.testing import Emulator
from tests.pool import checked_out

pytestmark = pytest.mark.anyio

MESSAGE = PushMessage(title="t", body="b")


async def _register(client: LanyingClient, count: int, prefix: str = "u") -> list[int]:
    people = [(f"{prefix}{i:05d}", "pw") for i in range(count)]
    report = await client.users.bulk_register(people)
    assert report.ok, report
    return [report.results[name] for name, _ in people]


async def _room(client: LanyingClient, owner: int) -> int:
    room = await client.as_user(owner).groups.create(name="room", type=GroupType.CHATROOM)
    return room.group_id


async def test_invite_respects_chunk_bounds_and_accounts_for_everyone(
    client: LanyingClient, emu: Emulator
) -> None:
    ids = await _register(client, 1_050)
    owner = ids[0]
    gid = await _room(client, owner)
    members = ids[1:]
    emu.clear_requests()
    report = await client.as_user(owner).groups.invite(
        gid, [*members, members[0], members[1]], options=BulkOptions(chunk_size=200)
    )
    sent = emu.requests_to("POST", "/group/invite")
    assert [len(r.body["user_list"]) for r in sent] == [200] * 5 + [49]
    assert sorted(u for r in sent for u in r.body["user_list"]) == sorted(members)
    assert report.succeeded_count == len(members) and report.skipped == members[:2]
    assert report.total == len(members) + 2 and report.ok
    assert report.chunks == 6
    assert len(emu.app_state().groups[gid].members) == 1_050


async def test_per_item_failures_come_from_the_api(client: LanyingClient, emu: Emulator) -> None:
    ids = await _register(client, 30)
    owner = client.as_user(ids[0])
    gid = await _room(client, ids[0])
    assert (await owner.groups.invite(gid, ids[1:11])).ok
    unknown = [9_000_000_001, 9_000_000_002]
    report = await owner.groups.invite(
        gid, [*ids[5:30], *unknown], options=BulkOptions(chunk_size=7)
    )
    assert sorted(report.succeeded) == sorted(ids[11:30])
    assert sorted(report.failed) == sorted([*ids[5:11], *unknown])
    assert all("member" in report.failed[u].reason for u in ids[5:11])
    assert all("not found" in report.failed[u].reason for u in unknown)


async def test_a_failing_chunk_does_not_sink_the_others(
    client: LanyingClient, emu: Emulator
) -> None:
    ids = await _register(client, 101)
    owner = client.as_user(ids[0])
    gid = await _room(client, ids[0])
    emu.force_error("POST", "/group/invite", 20006, "repair mode", times=1)
    report = await owner.groups.invite(
        gid, ids[1:], options=BulkOptions(chunk_size=10, concurrency=1)
    )
    assert len(report.failed) == 10 and report.succeeded_count == 90
    assert {e.code for e in report.failed.values()} == {20006}
    assert report.failed[ids[1]].reason == "repair mode"


async def test_fail_fast_stops_the_job(client: LanyingClient, emu: Emulator) -> None:
    ids = await _register(client, 101)
    owner = client.as_user(ids[0])
    gid = await _room(client, ids[0])
    emu.force_error("POST", "/group/invite", 20006, times=1)
    with pytest.raises(BulkAbortedError) as info:
        await owner.groups.invite(
            gid, ids[1:], options=BulkOptions(chunk_size=10, concurrency=1, fail_fast=True)
        )
    report = info.value.report
    assert len(report.failed) == 10 and report.succeeded_count == 0
    assert len(emu.requests_to("POST", "/group/invite")) == 1
    assert report.not_started == ids[11:] and report.total == 100  # the rest was never sent


async def test_push_cuts_any_audience_at_500(client: LanyingClient, emu: Emulator) -> None:
    report = await client.push.notify(
        Audience.user_ids(list(range(1, 1_235))), MESSAGE, options=BulkOptions(chunk_size=5_000)
    )
    sent = emu.requests_to("POST", "/push/notify")
    assert sorted(len(r.body["audience"]["user_id"]) for r in sent) == [234, 500, 500]
    assert report.succeeded_count == 1_234 and len(report.values) == 3
    request_ids = {r.body["setting"]["request_id"] for r in sent}
    assert len(request_ids) == 3  # one per request, so retries of each are de-duplicated

    emu.clear_requests()
    tags = await client.push.notify(Audience.tags(f"tag{i}" for i in range(600)), MESSAGE)
    sizes = sorted(len(r.body["audience"]["tag"]) for r in emu.requests_to("POST", "/push/notify"))
    assert sizes == [100, 500] and tags.ok


async def test_lazy_input_is_not_materialised(client: LanyingClient) -> None:
    pulled = 0
    at_first_chunk: list[int] = []

    async def ids() -> AsyncIterator[int]:
        nonlocal pulled
        for i in range(1, 100_001):
            pulled += 1
            yield i

    def progress(outcome: object, report: object) -> None:
        if not at_first_chunk:
            at_first_chunk.append(pulled)

    options = BulkOptions(concurrency=4, keep_succeeded=False, dedupe=False, on_progress=progress)
    report = await client.push.notify(Audience.user_ids(ids()), MESSAGE, options=options)
    assert report.succeeded_count == 100_000 and report.requests == 200
    assert at_first_chunk[0] <= 500 * (4 + 2)  # the chunks in flight, not the input
    assert report.succeeded == []


async def test_concurrency_never_exceeds_the_limit(client: LanyingClient, emu: Emulator) -> None:
    emu.latency = 0.01
    emu.reset_metrics()
    await client.push.notify(
        Audience.user_ids(list(range(1, 5_001))),
        MESSAGE,
        options=BulkOptions(chunk_size=100, concurrency=4),
    )
    assert emu.peak_in_flight == 4


async def test_client_wide_cap_is_the_pool(emu: Emulator) -> None:
    emu.latency = 0.01
    limits = PoolLimits(max_connections=3, max_per_host=3)
    async with emu.client(limits=limits, bulk=BulkLimits(concurrency=8)) as client:
        emu.reset_metrics()
        options = BulkOptions(chunk_size=50)
        jobs = [
            client.push.notify(Audience.user_ids(list(range(1, 1_001))), MESSAGE, options=options),
            client.messages.send(list(range(1, 1_001)), "x", options=options),
        ]
        reports = await asyncio.gather(*jobs, return_exceptions=True)
    assert emu.peak_in_flight <= 3
    assert emu.connections_opened <= 3
    assert reports[0].ok  # type: ignore[union-attr]


async def test_cancelling_a_job_keeps_the_partial_report(
    client: LanyingClient, emu: Emulator
) -> None:
    emu.latency = 0.05
    tasks_before = asyncio.all_tasks()
    job = client.push.notify(
        Audience.user_ids(list(range(1, 10_001))),
        MESSAGE,
        options=BulkOptions(chunk_size=100, concurrency=4),
    )
    seen = 0
    with anyio.CancelScope() as scope:
        async with job.stream() as outcomes:
            async for _ in outcomes:
                seen += 1
                if seen == 3:
                    scope.cancel()
    report = job.report
    assert report.succeeded_count >= 300
    assert report.total <= 10_000
    assert report.succeeded_count + len(report.outcome_unknown) + len(report.not_started) == (
        report.total
    )
    assert 0 < len(report.outcome_unknown) <= 400
    assert checked_out(client) == 0
    leftover = [
        t
        for t in asyncio.all_tasks() - tasks_before
        if not t.get_coro().__qualname__.startswith("RequestHandler")  # the emulator's side
    ]
    assert leftover == []
    # the client is still usable
    assert (await client.push.notify(Audience.user_ids([1]), MESSAGE)).ok


async def test_send_to_many_groups(client: LanyingClient, emu: Emulator) -> None:
    ids = await _register(client, 3)
    groups = [await _room(client, ids[0]) for _ in range(5)]
    report = await client.messages.send(
        [*groups, 77_777],
        "hello rooms",
        target_type=TargetType.GROUP,
        options=BulkOptions(chunk_size=2),
    )
    # the unknown group's chunk (shared with groups[4]) is split: only the unknown one fails
    assert sorted(report.succeeded) == sorted(groups)
    assert list(report.failed) == [77_777] and report.isolated == [77_777]
    assert report.failed[77_777].code == 20001
    assert report.total == 6
    # groups[4] alone was answered; 77_777 is then sent alone, and refused, before it is blamed
    assert report.isolation_requests == 2 and report.requests == 5
    transaction_ids = {r.body["transaction_id"] for r in emu.requests_to("POST", "/message/send")}
    assert len(transaction_ids) == 5  # each part its own, as each chunk


async def test_member_bulk_forms(client: LanyingClient, emu: Emulator) -> None:
    ids = await _register(client, 40)
    owner = client.as_user(ids[0]).groups
    gid = await _room(client, ids[0])
    assert (await owner.invite(gid, ids[1:])).ok
    small = BulkOptions(chunk_size=7)

    admins = await owner.bulk_add_admins(gid, ids[1:6], options=small)
    assert sorted(admins.succeeded) == sorted(ids[1:6])
    assert (await owner.bulk_remove_admins(gid, ids[1:3], options=small)).ok
    assert {a.user_id for a in await owner.admins(gid)} == set(ids[3:6])

    banned = await owner.bulk_ban(gid, ids[10:25], 30, options=small)
    assert banned.succeeded_count == 15
    assert (await owner.bulk_unban(gid, ids[10:25], options=small)).ok

    kicked = await owner.bulk_kick(gid, [*ids[25:35], ids[0]], options=small)
    assert sorted(kicked.succeeded) == sorted(ids[25:35]) and ids[0] in kicked.failed
    blocked = await owner.bulk_block(gid, ids[35:40], options=small)
    assert blocked.ok
    assert (await owner.bulk_unblock(gid, ids[35:40], options=small)).ok
    assert (
        len(emu.requests_to("POST", "/group/kick")) + len(emu.requests_to("DELETE", "/group/kick"))
        == 2
    )

    info = await owner.bulk_info([gid, 123_456], options=BulkOptions(chunk_size=1))
    assert info.results[gid].group_id == gid and info.failed[123_456].code == 20001


async def test_user_bulk_forms(client: LanyingClient, emu: Emulator) -> None:
    await client.users.register(username="taken_name", password="pw")

    async def people() -> AsyncIterator[tuple[str, str]]:
        for i in range(250):
            yield (f"lazy_{i}", "pw")
        yield ("taken_name", "pw")
        yield ("maxim_bad", "pw")

    registered = await client.users.bulk_register(people())
    assert registered.succeeded_count == 250
    assert set(registered.failed) == {"taken_name", "maxim_bad"}
    assert registered.failed["maxim_bad"].code is None  # refused before sending
    batches = emu.requests_to("POST", "/user/register/batch")
    assert sorted(len(r.body["list"]) for r in batches) == [51, 100, 100]
    ids = [registered.results[f"lazy_{i}"] for i in range(250)]

    profiles = await client.users.bulk_update_profiles(
        [ProfileUpdate(user_id=uid, nick_name=f"n{uid}") for uid in ids[:120]]
    )
    assert profiles.succeeded_count == 120
    assert emu.app_state().accounts.profiles[ids[0]].nick_name == f"n{ids[0]}"

    avatars = await client.users.bulk_set_avatars({uid: f"https://a/{uid}.png" for uid in ids[:10]})
    assert avatars.ok and avatars.succeeded_count == 10

    online = await client.users.bulk_online_status(ids[:5])
    assert online.results == dict.fromkeys(ids[:5], False)

    deleted = await client.users.bulk_delete([*ids[:20], 9_999_999_999])
    assert deleted.succeeded_count == 20 and deleted.failed[9_999_999_999].code == 10000
    assert all(uid not in emu.app_state().users for uid in ids[:20])


async def test_bulk_friend_applications(client: LanyingClient) -> None:
    ids = await _register(client, 12)
    report = await client.as_user(ids[0]).roster.bulk_apply(
        [*ids[1:11], ids[0], 9_999_999_999], options=BulkOptions(chunk_size=4)
    )
    assert sorted(report.succeeded) == sorted(ids[1:11])
    assert set(report.failed) == {ids[0], 9_999_999_999}


async def test_rate_limit_paces_the_whole_client(emu: Emulator) -> None:
    async with emu.client(rate_limit=100) as client:
        await client.push.notify(
            Audience.user_ids(list(range(1, 3_001))), MESSAGE, options=BulkOptions(chunk_size=100)
        )
    times = sorted(r.at for r in emu.requests_to("POST", "/push/notify"))
    assert len(times) == 30
    # a burst of 100 tokens covers all 30 here; pace a smaller bucket instead
    async with emu.client(rate_limit=20) as slow:
        emu.clear_requests()
        loop = asyncio.get_running_loop()
        started = loop.time()
        await slow.push.notify(
            Audience.user_ids(list(range(1, 1_501))), MESSAGE, options=BulkOptions(chunk_size=50)
        )
        spent = loop.time() - started
    assert len(emu.requests_to("POST", "/push/notify")) == 30
    # 20 may go at once (the burst); the other 10 wait their turn at 20 per second, so the
    # job cannot end sooner than half a second after it began, however fast the server is
    assert spent >= 10 / 20 * 0.95


async def _three_in_a_room(client: LanyingClient) -> tuple[list[int], GroupsService, int]:
    """Three new users, the first owning a new chatroom: (ids, the owner's groups, its id)."""
    ids = await _register(client, 3)
    return ids, client.as_user(ids[0]).groups, await _room(client, ids[0])


async def test_bad_items_of_lazy_input_are_each_counted_once(
    client: LanyingClient, emu: Emulator
) -> None:
    ids, owner, gid = await _three_in_a_room(client)
    report = await owner.invite(gid, iter([0, 0, ids[1], None, [1], {}]))
    assert report.succeeded == [ids[1]] and report.skipped == [0]
    assert report.failed.keys() == {0, None, InvalidItem(4, "[1]"), InvalidItem(5, "{}")}
    assert all("positive int id" in error.reason for error in report.failed.values())
    assert report.total == 6 and report.input_exhausted

    repeated = await owner.invite(gid, iter([0, 0, ids[2]]), options=BulkOptions(dedupe=False))
    assert list(repeated.failed) == [0] and repeated.failed_count == 2
    assert repeated.total == 3

    secret = "pw-not-for-reports"
    rows = iter([None, {"name": "x", "password": secret}, ["lister", secret], ("fine", "pw")])
    registered = await client.users.bulk_register(rows)  # type: ignore[arg-type]
    assert registered.succeeded == ["fine"]
    assert registered.failed.keys() == {
        InvalidItem(0, "<NoneType>"),
        InvalidItem(1, "<dict>"),
        "lister",
    }
    assert secret not in repr(registered.failed) and registered.total == 4


async def test_repeats_without_dedupe_are_sent_and_counted_each_time(
    client: LanyingClient, emu: Emulator
) -> None:
    ids, owner, gid = await _three_in_a_room(client)
    report = await owner.invite(
        gid, [ids[1], ids[1], ids[2], ids[1]], options=BulkOptions(chunk_size=1, dedupe=False)
    )
    assert len(emu.requests_to("POST", "/group/invite")) == 4  # each occurrence sent
    assert sorted(report.succeeded) == sorted(ids[1:3])
    assert list(report.failed) == [ids[1]] and report.failed_count == 2  # already a member
    assert report.total == 4

    together = await owner.invite(
        await _room(client, ids[0]), [ids[1], ids[1]], options=BulkOptions(dedupe=False)
    )
    # one request carries both: the first joins, the second is refused
    assert together.succeeded == [ids[1]] and together.failed_count == 1


async def test_leaving_the_stream_early_stops_cleanly_every_time(
    client: LanyingClient, emu: Emulator
) -> None:
    tasks_before = asyncio.all_tasks()
    for _ in range(30):
        job = client.push.notify(
            Audience.user_ids(list(range(1, 2_001))),
            MESSAGE,
            options=BulkOptions(chunk_size=10, concurrency=4),
        )
        async with job.stream() as outcomes:
            async for _ in outcomes:
                with anyio.fail_after(5):  # until a worker waits to hand over an outcome
                    while outcomes.statistics().tasks_waiting_send == 0:
                        await anyio.lowlevel.checkpoint()
                break
        report = job.report
        assert report.total == 2_000 and report.input_exhausted
        assert report.succeeded_count + len(report.outcome_unknown) + len(report.not_started) == (
            2_000
        )
        assert checked_out(client) == 0
    await emu.wait_idle()
    leftover = [
        t
        for t in asyncio.all_tasks() - tasks_before
        if not t.get_coro().__qualname__.startswith("RequestHandler")  # the emulator's side
    ]
    assert leftover == []


JOBS: dict[str, Callable[[LanyingClient], object]] = {
    "POST /message/send": lambda client: client.messages.send([1, 2], "forgotten"),
    "POST /group/invite": lambda client: client.as_user(1).groups.invite(5, [1, 2]),
    "POST /push/notify": lambda client: client.push.notify(Audience.user_ids([1]), MESSAGE),
    "DELETE /group/kick": lambda client: client.as_user(1).groups.bulk_kick(5, [2]),
    "POST /user/register/batch": lambda client: client.users.bulk_register({"a": "pw"}),
    "POST /roster/apply/batch": lambda client: client.as_user(1).roster.bulk_apply([2]),
}


def _start_and_drop(make: Callable[[LanyingClient], object], client: LanyingClient) -> None:
    make(client)  # no await: the job is dropped at once
    gc.collect()


@pytest.mark.parametrize("name", JOBS)
async def test_a_bulk_job_never_run_warns_once(
    client: LanyingClient, emu: Emulator, name: str
) -> None:
    emu.clear_requests()
    with pytest.warns(RuntimeWarning) as caught:
        _start_and_drop(JOBS[name], client)
    assert [str(w.message) for w in caught] == [f"BulkJob for {name} was never awaited"]
    assert isinstance(caught[0].source, BulkJob)
    assert emu.requests_to(*name.split(" ")) == []  # and it sent nothing


async def test_an_awaited_or_streamed_job_never_warns(client: LanyingClient) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert (await client.push.notify(Audience.user_ids([1, 2]), MESSAGE)).ok
        job = client.push.notify(Audience.user_ids([3]), MESSAGE)
        async with job.stream() as outcomes:
            async for _ in outcomes:
                pass
        left = client.push.notify(Audience.user_ids([4]), MESSAGE)
        async with left.stream():
            pass  # left at once: run, though it sent nothing
        del job, left
        gc.collect()
    assert [w for w in caught if w.category is RuntimeWarning] == []
