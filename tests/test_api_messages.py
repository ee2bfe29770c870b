"""Messages and conversations end to end: unread, acks, history, recall, pins, notify, broadcast."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import msgspec
import pytest
from aiohttp import web

from lanying_async import (
    BulkOptions,
    ContentType,
    GroupMemberRequiredError,
    GroupNotFoundError,
    InvalidParameterError,
    LanyingClient,
    PermissionDeniedError,
    TargetType,
    UserNotFoundError,
    ValidationError,
)
from lanying_async.models.messages import (
    BroadcastResult,
    ContentTypeName,
    ConversationMessage,
    MessageStatus,
    UnreadConversation,
)
from lanying_async.pagination import Page
from lanying_async.testing import Emulator
from tests.rawserver import ScriptedServer

pytestmark = pytest.mark.anyio


async def _users(client: LanyingClient, *names: str) -> list[int]:
    return [(await client.users.register(username=n, password="pw")).user_id for n in names]


async def _dm(client: LanyingClient, sender: int, to: int, text: str, **kw: Any) -> int:
    result = await client.messages.send_once([to], text, from_user_id=sender, **kw)
    return result.msg_ids[0]


async def _group(client: LanyingClient, owner: int, *members: int) -> int:
    group = await client.as_user(owner).groups.create(name="chat")
    if members:
        await client.as_user(owner).groups.invite_once(group.group_id, members)
    return group.group_id


async def _unread(client: LanyingClient, user: int) -> dict[int, int]:
    return {c.uid: c.num for c in await client.as_user(user).messages.unread()}


# --- unread and read receipts -------------------------------------------------


async def test_unread_lists_recent_conversations_first(
    client: LanyingClient, emu: Emulator
) -> None:
    a, b, c = await _users(client, "ua", "ub", "uc")
    for text in ("one", "two", "three"):
        await _dm(client, b, a, text)
    await client.as_user(c).messages.send_once([a], "from c")
    gid = await _group(client, a, b)
    await _dm(client, b, gid, "to the group", target_type=TargetType.GROUP)

    convs = await client.as_user(a).messages.unread()
    assert all(isinstance(x, UnreadConversation) for x in convs)
    assert [(x.uid, x.num) for x in convs] == [(gid, 1), (c, 1), (b, 3)]
    assert convs[0].conversation_id.uid == gid
    [sent] = emu.requests_to("GET", "/message/unread")
    assert sent.headers["user_id"] == str(a)
    assert sent.query == {} and sent.body is None

    # the sender sees the same conversations without unread messages
    assert [(x.uid, x.num) for x in await client.as_user(b).messages.unread()] == [
        (gid, 0),
        (a, 0),
    ]


async def test_ack_lowers_the_unread_count(client: LanyingClient, emu: Emulator) -> None:
    a, b = await _users(client, "ua", "ub")
    ids = [await _dm(client, b, a, f"m{i}") for i in range(4)]
    as_a = client.as_user(a)

    assert await as_a.messages.ack(b, ids[1]) is True
    assert (await _unread(client, a))[b] == 2
    [sent] = emu.requests_to("GET", "/message/ack")
    assert sent.query == {"conversation_id": str(b), "msg_id": str(ids[1])}
    assert sent.headers["user_id"] == str(a)
    assert emu.app_state().messaging.read_marks[(a, b)] == ids[1]

    # an older receipt never moves the mark back
    assert await as_a.messages.ack(b, ids[0], device_sn=3) is True
    assert emu.requests_to("GET", "/message/ack")[1].query["device_sn"] == "3"
    assert (await _unread(client, a))[b] == 2

    assert await as_a.messages.ack(b, ids[3]) is True
    assert (await _unread(client, a))[b] == 0


async def test_ack_errors(client: LanyingClient) -> None:
    a, b, c = await _users(client, "ua", "ub", "uc")
    from_b = await _dm(client, b, a, "hi")
    from_c = await _dm(client, c, b, "other conversation")
    as_a = client.as_user(a)
    with pytest.raises(InvalidParameterError) as info:
        await as_a.messages.ack(b, 987654321)
    assert info.value.code == 10002
    with pytest.raises(InvalidParameterError):
        await as_a.messages.ack(b, from_c)
    with pytest.raises(InvalidParameterError):
        await as_a.messages.ack(c, from_b)
    with pytest.raises(InvalidParameterError):
        await client.messages.ack(b, from_b)


async def test_ack_sends_only_the_parameters_given() -> None:
    """The spec makes every ack parameter optional: none is invented or required."""
    queries: list[dict[str, str]] = []

    async def handler(request: web.Request) -> web.Response:
        queries.append(dict(request.query))
        return web.Response(body=b'{"code":200,"data":true}', content_type="application/json")

    async with (
        ScriptedServer(handler) as server,
        LanyingClient(api_endpoint=server.url, app_id="app", access_token="tok") as client,
    ):
        me = client.as_user(5).messages
        assert await me.ack() is True
        assert await me.ack(conversation_id=7) is True
        assert await me.ack(msg_id=9, device_sn=0) is True
        assert await me.ack(7, 9) is True
    assert queries == [
        {},
        {"conversation_id": "7"},
        {"msg_id": "9", "device_sn": "0"},
        {"conversation_id": "7", "msg_id": "9"},
    ]


# --- history ------------------------------------------------------------------


async def test_history_pages_backwards(client: LanyingClient, emu: Emulator) -> None:
    a, b = await _users(client, "ua", "ub")
    ids = [
        await _dm(client, a if i % 2 == 0 else b, b if i % 2 == 0 else a, f"m{i}", ext={"i": i})
        for i in range(5)
    ]
    await client.as_user(b).messages.ack(a, ids[2])
    as_a = client.as_user(a)

    first = await as_a.messages.history(b, limit=2)
    assert isinstance(first, Page)
    assert [m.msg_id for m in first.items] == [ids[4], ids[3]]
    assert first.has_next and first.next_token == ids[2]
    newest = first.items[0]
    assert isinstance(newest, ConversationMessage)
    assert (newest.sender_id, newest.to_xid.uid, newest.content) == (a, b, "m4")
    assert newest.ctype == ContentTypeName.TEXT
    assert msgspec.json.decode(newest.ext or "") == {"i": 4}
    assert newest.timestamp > 0
    [sent] = emu.requests_to("GET", "/message/conversation")
    assert sent.query == {"opposite_id": str(b), "msg_id_start": "0", "limit": "2"}
    assert sent.headers["user_id"] == str(a)

    emu.clear_requests()
    pages = [p async for p in as_a.messages.history(b, limit=2).pages()]
    assert [[m.msg_id for m in p.items] for p in pages] == [
        [ids[4], ids[3]],
        [ids[2], ids[1]],
        [ids[0]],
    ]
    assert pages[-1].next_token is None
    assert [r.query["msg_id_start"] for r in emu.requests_to("GET", "/message/conversation")] == [
        "0",
        str(ids[2]),
        str(ids[0]),
    ]

    # a sent 0, 2, 4: b read up to 2; b sent 1, 3: a has read none of them
    status = {m.msg_id: m.status async for m in as_a.messages.history(b)}
    assert status == {
        ids[0]: MessageStatus.READ,
        ids[1]: MessageStatus.UNREAD,
        ids[2]: MessageStatus.READ,
        ids[3]: MessageStatus.UNREAD,
        ids[4]: MessageStatus.DELIVERED,
    }
    b_view = {m.msg_id: m.status async for m in client.as_user(b).messages.history(a)}
    assert b_view[ids[2]] == "READ" and b_view[ids[4]] == "UNREAD"
    assert b_view[ids[3]] == "DELIVERED"

    start = await as_a.messages.history(b, start_msg_id=ids[2], limit=10)
    assert [m.msg_id for m in start.items] == [ids[2], ids[1], ids[0]]
    assert not start.has_next
    assert await as_a.messages.history(b).collect(limit=2) == list(first.items)


async def test_history_of_a_group_and_its_errors(client: LanyingClient) -> None:
    owner, member, outsider = await _users(client, "owner", "member", "outsider")
    gid = await _group(client, owner, member)
    await _dm(client, owner, gid, "welcome", target_type=TargetType.GROUP)
    await _dm(
        client,
        member,
        gid,
        "",
        target_type=TargetType.GROUP,
        content_type=ContentType.IMAGE,
        attachment={"url": "https://example.com/a.png"},
    )
    messages = await client.as_user(member).messages.history(gid).collect()
    assert [(m.sender_id, m.to_xid.uid, m.ctype) for m in messages] == [
        (member, gid, "IMAGE"),
        (owner, gid, "TEXT"),
    ]
    assert msgspec.json.decode(messages[0].attachment or "") == {"url": "https://example.com/a.png"}
    assert [m.status for m in messages] == ["DELIVERED", "UNREAD"]

    with pytest.raises(GroupMemberRequiredError) as member_info:
        await client.as_user(outsider).messages.history(gid)
    assert member_info.value.code == 20011
    with pytest.raises(UserNotFoundError) as unknown:
        await client.as_user(owner).messages.history(123456789)
    assert unknown.value.code == 10000
    with pytest.raises(InvalidParameterError):
        await client.messages.history(gid)

    assert await client.as_user(owner).groups.destroy(gid) is True
    with pytest.raises(GroupNotFoundError) as gone:
        await client.as_user(member).messages.history(gid)
    assert gone.value.code == 20001


# --- deleting conversations -----------------------------------------------------


async def test_delete_conversation_hides_it_until_a_new_message(
    client: LanyingClient, emu: Emulator
) -> None:
    a, b = await _users(client, "ua", "ub")
    await _dm(client, b, a, "old 1")
    await _dm(client, b, a, "old 2")
    as_a = client.as_user(a)

    assert await as_a.messages.delete_conversation(b) is True
    [sent] = emu.requests_to("DELETE", "/message/conversation")
    assert sent.query == {"conversation_id": str(b)} and sent.body is None
    assert sent.headers["user_id"] == str(a)
    assert b not in await _unread(client, a)
    assert b not in emu.app_state().messaging.conversations[a]
    empty = await as_a.messages.history(b)
    assert list(empty.items) == [] and not empty.has_next
    # the other side keeps its conversation and history
    assert a in await _unread(client, b)
    assert len(await client.as_user(b).messages.history(a).collect()) == 2

    fresh = await _dm(client, b, a, "new")
    assert (await _unread(client, a))[b] == 1
    assert [m.msg_id for m in (await as_a.messages.history(b)).items] == [fresh]

    with pytest.raises(UserNotFoundError):
        await as_a.messages.delete_conversation(123456789)
    with pytest.raises(InvalidParameterError):
        await client.messages.delete_conversation(b)


# --- recall ---------------------------------------------------------------------


async def test_sender_recalls_a_message(client: LanyingClient, emu: Emulator) -> None:
    a, b = await _users(client, "ua", "ub")
    first = await _dm(client, b, a, "oops")
    second = await _dm(client, b, a, "fine")
    as_b = client.as_user(b)

    assert await as_b.messages.recall(a, first) is True
    [sent] = emu.requests_to("PUT", "/message/recall")
    assert sent.body == {"conversation_id": a, "msg_id": first}
    assert sent.headers["user_id"] == str(b)
    assert emu.app_state().messaging.messages[first].recalled_by == b
    assert (await _unread(client, a))[b] == 1
    assert [m.msg_id for m in (await client.as_user(a).messages.history(b)).items] == [second]

    # recalling again changes nothing
    assert await as_b.messages.recall(a, first) is True
    assert emu.state.executions[("PUT", "/message/recall")] == 1

    with pytest.raises(PermissionDeniedError) as denied:
        await client.as_user(a).messages.recall(b, second)
    assert denied.value.code == 10010
    with pytest.raises(InvalidParameterError) as unknown:
        await as_b.messages.recall(a, 987654321)
    assert unknown.value.code == 10002
    with pytest.raises(InvalidParameterError):
        await as_b.messages.recall(123456789, second)

    # the app admin may recall anything
    assert await client.messages.recall(b, second) is True
    assert emu.app_state().messaging.messages[second].recalled_by == 0
    assert (await _unread(client, a))[b] == 0


async def test_group_admins_recall_members_messages(client: LanyingClient, emu: Emulator) -> None:
    owner, m1, m2 = await _users(client, "owner", "m1", "m2")
    gid = await _group(client, owner, m1, m2)
    first = await _dm(client, m1, gid, "spam", target_type=TargetType.GROUP)
    second = await _dm(client, m1, gid, "more spam", target_type=TargetType.GROUP)
    assert (await _unread(client, m2))[gid] == 2

    with pytest.raises(PermissionDeniedError):
        await client.as_user(m2).messages.recall(gid, first)
    assert await client.as_user(owner).messages.recall(gid, first) is True
    assert emu.app_state().messaging.messages[first].recalled_by == owner
    assert await client.as_group_admin(gid).messages.recall(gid, second) is True
    assert (await _unread(client, m2))[gid] == 0
    assert (await client.as_user(m2).messages.history(gid)).items == []


async def test_control_messages_sent_as_messages(client: LanyingClient) -> None:
    a, b = await _users(client, "ua", "ub")
    first = await _dm(client, b, a, "hello")
    second = await _dm(client, b, a, "wrold")
    third = await _dm(client, b, a, "bye")
    # a read receipt sent as a message
    await _dm(client, a, b, "", content_type=ContentType.READ_ACK, related_mid=first)
    assert (await _unread(client, a))[b] == 2
    # the sender fixes a typo, appends to it, then recalls the last one
    await _dm(client, b, a, "world", content_type=ContentType.REPLACE, related_mid=second)
    await _dm(client, b, a, "!", content_type=ContentType.APPEND, related_mid=second)
    await _dm(client, b, a, "", content_type=ContentType.RECALL, related_mid=third)
    # someone else's recall is ignored
    await _dm(client, a, b, "", content_type=ContentType.RECALL, related_mid=first)

    history = await client.as_user(a).messages.history(b).collect()
    assert [(m.msg_id, m.content) for m in history] == [(second, "world!"), (first, "hello")]
    assert (await _unread(client, a))[b] == 1


# --- notifications and broadcasts -------------------------------------------------


async def test_notify_records_a_system_notification(client: LanyingClient, emu: Emulator) -> None:
    a, b = await _users(client, "ua", "ub")
    result = await client.messages.notify([a, b], "maintenance tonight", ext={"level": 2})
    assert result.ok and result.msg_ids == []  # ids come back for one receiver only
    [sent] = emu.requests_to("POST", "/message/notify")
    assert sent.body["targets"] == [a, b]
    assert sent.body["type"] == 1 and sent.body["content_type"] == 0
    assert sent.body["content"] == "maintenance tonight"
    assert msgspec.json.decode(sent.body["ext"]) == {"level": 2}
    assert sent.body["transaction_id"] == result.transaction_id
    assert "from_user_id" not in sent.body
    notes = emu.app_state().messaging.notifications
    assert [(n.to_id, n.from_user_id) for n in notes] == [(a, None), (b, None)]
    assert notes[0].msg_id != notes[1].msg_id
    # a notification is not part of any conversation
    assert await _unread(client, a) == {}

    again = await client.messages.notify(
        [a, b], "maintenance", transaction_id=result.transaction_id
    )
    assert again.ok and again.msg_ids == []
    assert emu.state.executions[("POST", "/message/notify")] == 1

    alone = await client.messages.notify([a], "just you")
    assert alone.msg_ids == [notes[-1].msg_id] and notes[-1].to_id == a
    replayed = await client.messages.notify([a], "x", transaction_id=alone.transaction_id)
    assert replayed.msg_ids == alone.msg_ids
    assert emu.state.executions[("POST", "/message/notify")] == 2

    [owner] = await _users(client, "owner")
    gid = await _group(client, owner)
    to_group = await client.messages.notify([gid], "hi", target_type=TargetType.GROUP)
    assert to_group.ok and notes[-1].target_type == 2 and notes[-1].to_id == gid


async def test_message_ids_come_back_for_a_lone_receiver_only(
    client: LanyingClient, emu: Emulator
) -> None:
    """The spec: 当前只有消息接收者数量为1时才会返回消息ID (ids only for one receiver)."""
    a, b, c = await _users(client, "ua", "ub", "uc")
    async with aiohttp.ClientSession() as session:
        for targets, expected in (([a, b], None), ([a], 1)):
            body = {"targets": targets, "type": 1, "content": "x", "content_type": 0}
            async with session.post(
                emu.url + "/message/send", headers=emu.headers(), json=body
            ) as response:
                payload = await response.json()
            assert payload["data"] is True
            ids = payload.get("msg_ids")
            assert (ids if ids is None else len(ids)) == expected

    many = await client.messages.send_once([a, b], "hi")
    assert many.ok and many.msg_ids == []
    report = await client.messages.send([a, b, c], "hi")
    assert report.succeeded == [a, b, c] and report.results == {}
    per_target = await client.messages.send([a, b, c], "hi", options=BulkOptions(chunk_size=1))
    delivered = {m.to_id: m.msg_id for m in emu.app_state().messages[-3:]}
    assert per_target.results == delivered and set(delivered) == {a, b, c}


async def test_notify_errors(client: LanyingClient) -> None:
    [a] = await _users(client, "ua")
    with pytest.raises(UserNotFoundError):
        await client.messages.notify([a, 123456789], "x")
    with pytest.raises(GroupNotFoundError):
        await client.messages.notify([123456789], "x", target_type=TargetType.GROUP)
    with pytest.raises(PermissionDeniedError) as info:
        await client.as_user(a).messages.notify([a], "x")
    assert info.value.code == 10010


async def test_broadcast_reaches_every_user(client: LanyingClient, emu: Emulator) -> None:
    users = await _users(client, "ua", "ub", "uc")
    result = await client.messages.broadcast("hello everyone")
    assert isinstance(result, BroadcastResult)
    assert result.success is True and result.send_num == len(users)
    [sent] = emu.requests_to("POST", "/message/broadcast")
    assert sent.body == {"type": 1, "content_type": 0, "content": "hello everyone"}
    [record] = emu.app_state().messaging.broadcasts
    assert (record.content, record.send_num) == ("hello everyone", 3)

    await client.messages.broadcast("", content_type=ContentType.COMMAND, ext={"cmd": "sync"})
    body = emu.requests_to("POST", "/message/broadcast")[1].body
    assert body["content_type"] == 6 and msgspec.json.decode(body["ext"]) == {"cmd": "sync"}

    with pytest.raises(PermissionDeniedError):
        await client.as_user(users[0]).messages.broadcast("x")
    assert len(emu.app_state().messaging.broadcasts) == 2


# --- pins -----------------------------------------------------------------------


async def test_pin_and_unpin_conversations(client: LanyingClient, emu: Emulator) -> None:
    a, b = await _users(client, "ua", "ub")
    gid = await _group(client, a)
    as_a = client.as_user(a).messages

    assert await as_a.pinned_conversations() == []
    assert await as_a.pin_conversation(b) is True
    assert await as_a.pin_conversation(gid) is True
    assert await as_a.pin_conversation(b) is True
    assert await as_a.pinned_conversations() == [b, gid]
    sent = emu.requests_to("PUT", "/user/conversation/pin")[0]
    assert sent.body == {"conversation_id": b} and sent.headers["user_id"] == str(a)
    assert list(emu.app_state().messaging.pins[a]) == [b, gid]
    assert emu.requests_to("GET", "/user/conversation/pin_list")[0].headers["user_id"] == str(a)

    assert await as_a.unpin_conversation(b) is True
    assert emu.requests_to("PUT", "/user/conversation/unpin")[0].body == {"conversation_id": b}
    assert await as_a.pinned_conversations() == [gid]
    assert await as_a.unpin_conversation(b) is True
    assert await client.as_user(b).messages.pinned_conversations() == []


async def test_pin_errors(client: LanyingClient) -> None:
    a, b = await _users(client, "ua", "ub")
    gid = await _group(client, a)
    as_b = client.as_user(b).messages
    with pytest.raises(InvalidParameterError):
        await as_b.pin_conversation(b)
    with pytest.raises(UserNotFoundError):
        await as_b.pin_conversation(123456789)
    with pytest.raises(GroupMemberRequiredError):
        await as_b.pin_conversation(gid)
    with pytest.raises(InvalidParameterError):
        await client.messages.pinned_conversations()
    await client.as_user(a).groups.destroy(gid)
    with pytest.raises(GroupNotFoundError):
        await client.as_user(a).messages.pin_conversation(gid)


# --- both verbs and validation ------------------------------------------------------


async def test_paths_with_two_verbs_answer_both(client: LanyingClient, emu: Emulator) -> None:
    a, b = await _users(client, "ua", "ub")
    msg_id = await _dm(client, b, a, "x")
    calls: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
        ("POST", "/message/recall", {"user_id": b}, {"conversation_id": a, "msg_id": msg_id}),
        ("POST", "/user/conversation/pin", {"user_id": a}, {"conversation_id": b}),
        ("POST", "/user/conversation/unpin", {"user_id": a}, {"conversation_id": b}),
        (
            "PUT",
            "/message/notify",
            {},
            {"targets": [a], "type": 1, "content": "n", "content_type": 0},
        ),
        (
            "PUT",
            "/message/send",
            {},
            {"targets": [a], "type": 1, "content": "s", "content_type": 0},
        ),
    ]
    async with aiohttp.ClientSession() as session:
        for method, path, who, body in calls:
            async with session.request(
                method, emu.url + path, headers=emu.headers(**who), json=body
            ) as response:
                payload = await response.json()
            assert payload["code"] == 200, (method, path, payload)
    assert emu.app_state().messaging.messages[msg_id].recalled
    assert emu.app_state().messaging.notifications[-1].content == "n"


Call = Callable[[LanyingClient], Awaitable[object]]

CASES: list[tuple[str, Call, str]] = [
    ("ack conversation", lambda c: c.messages.ack(0, 1), "conversation_id"),
    ("ack msg", lambda c: c.messages.ack(1, -1), "msg_id"),
    ("ack msg alone", lambda c: c.messages.ack(msg_id="7"), "msg_id"),  # type: ignore[arg-type]
    ("ack conversation alone", lambda c: c.messages.ack(conversation_id=True), "conversation_id"),
    ("ack device", lambda c: c.messages.ack(1, 1, device_sn=-1), "device_sn"),
    ("ack device int32", lambda c: c.messages.ack(1, 1, device_sn=2**31), "device_sn"),
    ("history id", lambda c: c.messages.history(0), "conversation_id"),
    ("history limit", lambda c: c.messages.history(5, limit=0), "limit"),
    ("history bool limit", lambda c: c.messages.history(5, limit=True), "limit"),
    ("history start", lambda c: c.messages.history(5, start_msg_id=0), "start_msg_id"),
    ("delete str", lambda c: c.messages.delete_conversation("5"), "conversation_id"),  # type: ignore[arg-type]
    ("recall msg", lambda c: c.messages.recall(5, 0), "msg_id"),
    ("recall conversation", lambda c: c.messages.recall(-5, 1), "conversation_id"),
    ("notify targets", lambda c: c.messages.notify([], "x"), "targets"),
    ("notify type", lambda c: c.messages.notify([1], "x", content_type=8), "content_type"),  # type: ignore[arg-type]
    ("notify tid", lambda c: c.messages.notify([1], "x", transaction_id=0), "transaction_id"),
    ("notify content", lambda c: c.messages.notify([1], None), "content"),  # type: ignore[arg-type]
    ("notify online_only", lambda c: c.messages.notify([1], "x", online_only=1), "online_only"),  # type: ignore[arg-type]
    ("send online_only", lambda c: c.messages.send([1], "x", online_only="yes"), "online_only"),  # type: ignore[arg-type]
    (
        "send_once online_only",
        lambda c: c.messages.send_once([1], "x", online_only=0),  # type: ignore[arg-type]
        "online_only",
    ),
    (
        "broadcast forward",
        lambda c: c.messages.broadcast("x", content_type=ContentType.FORWARD),
        "content_type",
    ),
    ("broadcast content", lambda c: c.messages.broadcast(5), "content"),  # type: ignore[arg-type]
    ("broadcast ext", lambda c: c.messages.broadcast("x", ext=1), "ext"),  # type: ignore[arg-type]
    ("pin", lambda c: c.messages.pin_conversation(-1), "conversation_id"),
    ("unpin bool", lambda c: c.messages.unpin_conversation(True), "conversation_id"),
]


@pytest.mark.parametrize(("label", "call", "field"), CASES, ids=[c[0] for c in CASES])
async def test_rejected_before_sending(
    client: LanyingClient, emu: Emulator, label: str, call: Call, field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        await call(client)
    assert info.value.field == field
    assert len(emu.requests) == 0
