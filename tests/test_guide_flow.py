"""Every operation of the server-API guide, end to end over loopback."""

from __future__ import annotations

import msgspec
import pytest

from lanying_async import (
    Audience,
    ContentType,
    GroupInfo,
    LanyingClient,
    PushMessage,
    PushMessageType,
    PushSetting,
    TargetType,
    UserSettings,
)
from lanying_async.testing import Emulator

pytestmark = pytest.mark.anyio


async def _users(client: LanyingClient, *names: str) -> list[int]:
    return [(await client.users.register(username=n, password="pw")).user_id for n in names]


async def test_register_decodes_settings_and_sends_guide_body(
    client: LanyingClient, emu: Emulator
) -> None:
    user = await client.users.register(username="test_user", password="asd")
    assert isinstance(user, UserSettings)
    assert user.user_id in emu.app_state().users
    assert user.auto_download is False and user.auth_mode == 0
    [sent] = emu.requests_to("POST", "/user/register/v2")
    assert sent.body == {"username": "test_user", "password": "asd"}
    assert sent.headers["app_id"] == emu.app_id
    assert sent.headers["content-type"] == "application/json"


async def test_roster_add_and_list_act_as_the_user(client: LanyingClient, emu: Emulator) -> None:
    owner, a, b = await _users(client, "owner", "friend_a", "friend_b")
    as_owner = client.as_user(owner)
    assert await as_owner.roster.add([a, b]) is True
    friends = await as_owner.roster.list()
    assert {(f.user_id, f.name) for f in friends} == {(a, "friend_a"), (b, "friend_b")}
    [add] = emu.requests_to("POST", "/user/add_roster")
    assert add.body == {"list": [a, b]}
    assert add.headers["user_id"] == str(owner)
    assert emu.requests_to("GET", "/user/rosters")[0].headers["user_id"] == str(owner)
    # the friendship is mutual on the server
    assert [f.user_id for f in await client.as_user(a).roster.list()] == [owner]


async def test_group_lifecycle(client: LanyingClient, emu: Emulator) -> None:
    owner, a, b = await _users(client, "owner", "ua", "ub")
    as_owner = client.as_user(owner)
    group = await as_owner.groups.create(name="g001", description="test-group")
    assert isinstance(group, GroupInfo)
    assert (group.name, group.description, group.owner_id) == ("g001", "test-group", owner)
    assert group.created_at > 0
    assert emu.requests_to("POST", "/group/create")[0].body == {
        "name": "g001",
        "description": "test-group",
    }

    report = await as_owner.groups.invite(group.group_id, [a, b])
    assert report.succeeded == [a, b] and report.ok and report.requests == 1
    assert emu.requests_to("POST", "/group/invite")[0].body == {
        "group_id": group.group_id,
        "user_list": [a, b],
    }

    members = [m.user_id async for m in as_owner.groups.members(group.group_id)]
    assert members == [owner, a, b]

    assert await as_owner.groups.destroy(group.group_id) is True
    [destroy] = emu.requests_to("DELETE", "/group/destroy")
    assert destroy.query == {"group_id": str(group.group_id)}
    assert destroy.body is None
    assert emu.app_state().active_group(group.group_id) is None


async def test_invite_reports_each_user(client: LanyingClient) -> None:
    owner, a = await _users(client, "owner", "ua")
    as_owner = client.as_user(owner)
    group = await as_owner.groups.create(name="g")
    results = await as_owner.groups.invite_once(group.group_id, [a, owner, 987654321])
    outcome = {r.user_id: (r.result, r.reason) for r in results}
    assert outcome[a] == ("success", None)
    assert outcome[owner][0] == "fail" and "member" in (outcome[owner][1] or "")
    assert outcome[987654321][0] == "fail"

    [b] = await _users(client, "ub")
    report = await as_owner.groups.invite(group.group_id, [b, a, 987654321, b])
    assert report.succeeded == [b]
    assert set(report.failed) == {a, 987654321} and report.skipped == [b]
    assert "member" in report.failed[a].reason


async def test_members_follow_the_cursor_page_by_page(client: LanyingClient, emu: Emulator) -> None:
    ids = await _users(client, *(f"member_{i}" for i in range(7)))
    owner = client.as_user(ids[0])
    group = await owner.groups.create(name="paged")
    assert (await owner.groups.invite(group.group_id, ids[1:])).ok

    first = await owner.groups.members(group.group_id, limit=3)
    assert [m.user_id for m in first.items] == ids[:3]
    assert first.total == 7 and first.has_next and isinstance(first.version, int)

    emu.clear_requests()
    pages = [p async for p in owner.groups.members(group.group_id, limit=3).pages()]
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [m.user_id for p in pages for m in p.items] == ids
    sent = emu.requests_to("GET", "/group/member_list")
    assert "cursor" not in sent[0].query
    assert [r.query["limit"] for r in sent] == ["3", "3", "3"]
    assert sent[1].query["cursor"] and sent[2].query["cursor"] != sent[1].query["cursor"]
    assert pages[-1].next_token is None

    assert (
        await owner.groups.members(group.group_id, limit=2).collect(limit=3)
        == [m for p in pages for m in p.items][:3]
    )


async def test_send_text_to_users_by_default(client: LanyingClient, emu: Emulator) -> None:
    [uid] = await _users(client, "receiver")
    report = await client.messages.send([uid], "hello")
    assert report.succeeded == [uid] and report.ok
    result = await client.messages.send_once([uid], "hello")
    assert result.ok and len(result.msg_ids) == 1
    assert report.results[uid] != result.msg_ids[0]
    sent = emu.requests_to("POST", "/message/send")[1]
    assert sent.body["targets"] == [uid]
    assert sent.body["type"] == TargetType.USER == 1
    assert sent.body["content_type"] == ContentType.TEXT == 0
    assert sent.body["content"] == "hello"
    assert sent.body["transaction_id"] == result.transaction_id
    assert set(sent.body) == {"targets", "type", "content", "content_type", "transaction_id"}
    record = emu.app_state().messages[-1]
    assert (
        emu.requests_to("POST", "/message/send")[0].body["transaction_id"]
        != sent.body["transaction_id"]
    )
    assert (record.to_id, record.content, record.msg_id) == (uid, "hello", result.msg_ids[0])


async def test_send_to_group_with_ext_mapping(client: LanyingClient, emu: Emulator) -> None:
    [owner] = await _users(client, "owner")
    group = await client.as_user(owner).groups.create(name="g")
    await client.messages.send_once(
        [group.group_id],
        "hi all",
        target_type=TargetType.GROUP,
        content_type=ContentType.TEXT,
        ext={"k": 1},
        from_user_id=owner,
    )
    body = emu.requests_to("POST", "/message/send")[0].body
    assert body["type"] == 2 and body["from_user_id"] == owner
    assert msgspec.json.decode(body["ext"]) == {"k": 1}


async def test_send_transaction_id_deduplicates_on_the_server(
    client: LanyingClient, emu: Emulator
) -> None:
    [uid] = await _users(client, "receiver")
    first = await client.messages.send_once([uid], "once", transaction_id=4242)
    again = await client.messages.send_once([uid], "once", transaction_id=4242)
    assert first.msg_ids == again.msg_ids
    assert emu.state.executions[("POST", "/message/send")] == 1
    other = await client.messages.send_once([uid], "twice")
    assert other.transaction_id not in (None, 4242)
    assert emu.state.executions[("POST", "/message/send")] == 2


async def test_push_notify_all_and_targeted(client: LanyingClient, emu: Emulator) -> None:
    report = await client.push.notify(Audience.all(), PushMessage(title="t", body="b"))
    assert report.succeeded == ["all"] and len(report.values) == 1 and report.values[0] > 0
    body = emu.requests_to("POST", "/push/notify")[0].body
    assert body["audience"] == "all"
    assert body["message"] == {"title": "t", "body": "b"}
    request_id = body["setting"]["request_id"]
    assert isinstance(request_id, str) and len(request_id) >= 16

    emu.clear_requests()
    await client.push.notify_once(
        Audience.push_tokens(["token1", "token2"]),
        PushMessage(
            type=PushMessageType.IMAGE,
            title="t",
            attachment_url="https://example.com/1.jpg",
            ext={"key1": 12345, "key2": "xxx"},
        ),
        setting=PushSetting(request_id="mine"),
    )
    body = emu.requests_to("POST", "/push/notify")[0].body
    assert body["audience"] == {"push_token": ["token1", "token2"]}
    assert body["message"]["type"] == "image"
    assert body["message"]["ext"] == {"key1": 12345, "key2": "xxx"}
    assert body["setting"] == {"request_id": "mine"}


@pytest.mark.parametrize(
    ("audience", "wire"),
    [
        (Audience.user_ids([111, 222]), {"user_id": [111, 222]}),
        (Audience.aliases(["a1", "a2"]), {"alias": ["a1", "a2"]}),
        (Audience.tags(["beijing", "shanghai"]), {"tag": ["beijing", "shanghai"]}),
    ],
)
async def test_push_audience_shapes(
    client: LanyingClient, emu: Emulator, audience: Audience, wire: object
) -> None:
    report = await client.push.notify(audience, PushMessage(type=PushMessageType.CMD, body="x"))
    assert report.succeeded == list(audience.values)
    assert emu.requests_to("POST", "/push/notify")[0].body["audience"] == wire


def test_an_audience_reads_a_list_in_place() -> None:
    ids = [3, 1, 2]
    audience = Audience.user_ids(ids)
    assert audience.values is ids  # not copied: a million ids would cost a pass over them
    same = Audience.user_ids((3, 1, 2))
    assert audience == same and hash(audience) == hash(same)
    assert audience != Audience.user_ids([1, 2, 3])
    assert Audience.user_ids({7}).values == (7,)  # a set is copied once, fixing its order


async def test_push_request_id_deduplicates(client: LanyingClient, emu: Emulator) -> None:
    setting = PushSetting(request_id="job-1")
    a = await client.push.notify_once(Audience.all(), PushMessage(body="x"), setting=setting)
    b = await client.push.notify_once(Audience.all(), PushMessage(body="x"), setting=setting)
    assert a.task_id == b.task_id
    assert emu.state.executions[("POST", "/push/notify")] == 1


async def test_group_admin_view_sends_group_id_header(client: LanyingClient, emu: Emulator) -> None:
    owner, a = await _users(client, "owner", "ua")
    group = await client.as_user(owner).groups.create(name="g")
    admin = client.as_group_admin(group.group_id)
    report = await admin.groups.invite(group.group_id, [a])
    assert report.succeeded == [a]
    sent = emu.requests_to("POST", "/group/invite")[0]
    assert sent.headers["group_id"] == str(group.group_id)
    assert "user_id" not in sent.headers
