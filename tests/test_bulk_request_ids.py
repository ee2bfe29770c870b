"""Bulk pushes and message sends with the ids of their requests made by the caller.

``push.notify(request_ids=...)`` and ``messages.send(transaction_ids=...)``
ask the caller for each request's id, with the items it carries: a chunk,
or a part of a chunk being split. The transport's retries reuse the id.
"""

from __future__ import annotations

import pytest

from lanying_async import Audience, LanyingClient, PushMessage
from lanying_async.bulk import BulkOptions
from lanying_async.testing import Emulator
from tests.cli_runs import register


@pytest.mark.anyio
async def test_each_push_request_carries_the_id_the_caller_made_retries_included(
    emu: Emulator, fast_client: LanyingClient
) -> None:
    asked: list[list[int | str]] = []

    def request_id(values: list[int | str]) -> str:
        asked.append(values)
        return f"mine-{values[0]}-{len(values)}"

    emu.force_error("POST", "/push/notify", 20000, status=503)  # retried by the transport
    report = await fast_client.push.notify(
        Audience.user_ids(list(range(1, 8))),
        PushMessage(title="t"),
        options=BulkOptions(chunk_size=3, concurrency=1),
        request_ids=request_id,
    )

    assert report.ok and asked == [[1, 2, 3], [4, 5, 6], [7]]
    sent = [r.body["setting"]["request_id"] for r in emu.requests_to("POST", "/push/notify")]
    assert sent == ["mine-1-3", "mine-1-3", "mine-4-3", "mine-7-1"]
    assert sorted(t.request_id or "" for t in emu.app_state().push_tasks.values()) == [
        "mine-1-3",
        "mine-4-3",
        "mine-7-1",
    ]


@pytest.mark.anyio
async def test_a_push_to_everyone_carries_the_callers_id(
    emu: Emulator, client: LanyingClient
) -> None:
    report = await client.push.notify(
        Audience.all(), PushMessage(title="t"), request_ids=lambda values: f"all-{values}"
    )
    assert report.ok
    assert emu.requests_to("POST", "/push/notify")[0].body["setting"] == {
        "request_id": "all-['all']"
    }


@pytest.mark.anyio
async def test_an_empty_id_fails_its_chunk_before_it_is_sent(
    emu: Emulator, client: LanyingClient
) -> None:
    report = await client.push.notify(
        Audience.user_ids([1, 2]), PushMessage(title="t"), request_ids=lambda values: ""
    )
    assert report.failed[1].reason == "ValidationError: request_ids: must return a non-empty string"
    assert emu.requests_to("POST", "/push/notify") == []


@pytest.mark.anyio
async def test_each_part_of_a_split_message_chunk_asks_for_its_own_transaction_id(
    emu: Emulator, client: LanyingClient
) -> None:
    users = await register(client, 3, "reader")
    unknown = 9_000_000_000_001
    targets = [users[0], unknown, users[1], users[2]]
    asked: list[list[int]] = []

    def transaction_id(chunk: list[int]) -> int:
        asked.append(chunk)
        return 1000 + len(asked)

    report = await client.messages.send(
        targets, "hello", options=BulkOptions(chunk_size=4), transaction_ids=transaction_id
    )

    assert list(report.failed) == [unknown] and sorted(report.succeeded) == sorted(users)
    assert asked[0] == targets and len(asked) > 1  # the chunk, then its parts
    sent = emu.requests_to("POST", "/message/send")
    assert [r.body["transaction_id"] for r in sent] == [1000 + n for n in range(1, len(asked) + 1)]
    assert [r.body["targets"] for r in sent] == asked
