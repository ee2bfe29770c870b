"""Errors no other chunk could escape stop a bulk job after the chunks in flight."""

from __future__ import annotations

import socket

import pytest

from lanying_async import BulkAbortedError, BulkOptions, LanyingClient, RetryConfig
from lanying_async.testing import Emulator
from tests.pool import checked_out

pytestmark = pytest.mark.anyio

IDS = list(range(10_001, 15_001))  # 5,000 ids: 50 chunks of 100
OPTIONS = BulkOptions(chunk_size=100, concurrency=4)


def _assert_stopped(error: BulkAbortedError, sent: int, code: int | None) -> None:
    report = error.report
    assert error.job_wide
    assert report.stopped_by is error.__cause__
    assert code is None or getattr(report.stopped_by, "code", None) == code
    assert sent <= OPTIONS.concurrency  # the chunks already in flight, no more
    assert report.failed_count == 100 * sent and report.succeeded_count == 0
    assert len(report.not_started) == len(IDS) - 100 * sent
    assert report.total == len(IDS)


async def test_a_wrong_token_stops_the_job_after_the_chunks_in_flight() -> None:
    async with Emulator() as emu:
        async with LanyingClient(emu.url, emu.app_id, "not-the-token") as client:
            with pytest.raises(BulkAbortedError) as info:
                await client.messages.send(IDS, "hello", options=OPTIONS)
            assert checked_out(client) == 0
        sent = len(emu.requests_to("POST", "/message/send"))
    _assert_stopped(info.value, sent, 10008)
    assert "every chunk would fail the same way" in str(info.value)


async def test_a_group_that_is_gone_stops_an_invite_job(emu: Emulator) -> None:
    async with emu.client() as client:
        owner = (await client.users.register(username="owner", password="pw")).user_id
        group = await client.as_user(owner).groups.create(name="g")
        await client.as_user(owner).groups.destroy(group.group_id)
        emu.clear_requests()
        with pytest.raises(BulkAbortedError) as info:
            await client.as_user(owner).groups.invite(group.group_id, IDS, options=OPTIONS)
    _assert_stopped(info.value, len(emu.requests_to("POST", "/group/invite")), 20001)


async def test_a_server_out_of_reach_stops_the_job() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    retry = RetryConfig(max_attempts=2, base_delay=0.001, max_delay=0.002)
    async with LanyingClient(f"http://127.0.0.1:{port}", "app", "tok", retry=retry) as client:
        with pytest.raises(BulkAbortedError) as info:
            await _push(client)
    report = info.value.report
    assert info.value.job_wide and not report.stopped_by.request_sent  # type: ignore[union-attr]
    assert report.failed_count <= 500 * OPTIONS.concurrency  # only the chunks in flight
    assert report.total == len(IDS)


async def _push(client: LanyingClient) -> object:
    from lanying_async import Audience, PushMessage

    return await client.push.notify(Audience.user_ids(IDS), PushMessage(body="x"), options=OPTIONS)


async def test_a_chunk_error_others_may_escape_does_not_stop_the_job(emu: Emulator) -> None:
    async with emu.client() as client:
        users = [
            (await client.users.register(username=f"u{i}", password="pw")).user_id for i in range(6)
        ]
        emu.force_error("POST", "/message/send", 20006, "repair mode", times=1)
        report = await client.messages.send(
            users, "hi", options=BulkOptions(chunk_size=2, concurrency=1)
        )
    assert report.stopped_by is None
    assert report.failed_count == 2 and report.succeeded_count == 4
