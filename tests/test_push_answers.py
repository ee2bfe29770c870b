"""Both forms of the push answer: the spec's task object and the guide's bare ``true``.

A real loopback server answers each request by what it carries, so the test
does not depend on the order concurrent chunks arrive in.
"""

from __future__ import annotations

import json

import pytest
from aiohttp import web

from lanying_async import Audience, BulkOptions, LanyingClient, PushMessage
from tests.rawserver import ScriptedServer

pytestmark = pytest.mark.anyio

MESSAGE = PushMessage(title="t", body="b")


def _answer(data: object) -> web.Response:
    return web.json_response({"code": 200, "data": data})


async def _by_first_id(request: web.Request) -> web.Response:
    """Odd first id: a task object (task id = 10 x the id); even: ``true``; 4: ``false``."""
    ids = (await request.json())["audience"]["user_id"]
    if ids[0] == 4:
        return _answer(False)
    return _answer({"task_id": ids[0] * 10} if ids[0] % 2 else True)


def _client(url: str) -> LanyingClient:
    return LanyingClient(api_endpoint=url, app_id="app", access_token="tok")


async def test_a_bulk_push_takes_both_answers_and_keeps_the_task_ids_that_came_back() -> None:
    async with ScriptedServer(_by_first_id) as server, _client(server.url) as client:
        report = await client.push.notify(
            Audience.user_ids([1, 2, 3, 5, 6, 7]), MESSAGE, options=BulkOptions(chunk_size=1)
        )
    assert sorted(report.succeeded) == [1, 2, 3, 5, 6, 7]
    assert not report.failed and not report.outcome_unknown
    assert sorted(report.values) == [10, 30, 50, 70]  # the `true` answers named no task


async def test_a_false_answer_fails_its_values_only() -> None:
    async with ScriptedServer(_by_first_id) as server, _client(server.url) as client:
        report = await client.push.notify(
            Audience.user_ids([4, 5, 8, 9]), MESSAGE, options=BulkOptions(chunk_size=2)
        )
        refused = await client.push.notify_once(Audience.user_ids([4]), MESSAGE)
        accepted = await client.push.notify_once(Audience.user_ids([8]), MESSAGE)
    assert report.succeeded == [8, 9] and set(report.failed) == {4, 5}
    assert report.failed[5].code is None and "false" in report.failed[5].reason
    assert report.values == []
    assert (refused.accepted, refused.task_id) == (False, None)
    assert (accepted.accepted, accepted.task_id) == (True, None)


async def test_pushing_to_all_with_a_true_answer() -> None:
    bodies: list[dict[str, object]] = []

    async def handler(request: web.Request) -> web.Response:
        bodies.append(await request.json())
        return web.Response(body=b'{"code": 200, "data": true}', content_type="application/json")

    async with ScriptedServer(handler) as server, _client(server.url) as client:
        report = await client.push.notify(Audience.all(), MESSAGE)
        task = await client.push.notify_once(Audience.all(), MESSAGE)
    assert report.succeeded == ["all"] and report.values == [] and report.ok
    assert task.accepted and task.task_id is None
    assert [body["audience"] for body in bodies] == ["all", "all"]
    assert json.dumps(bodies[0]["message"]) == '{"title": "t", "body": "b"}'
