"""AI assistant messages end to end against the emulator's canned assistant."""

from __future__ import annotations

import aiohttp
import pytest

from lanying_async import (
    GroupMemberRequiredError,
    GroupNotFoundError,
    InvalidParameterError,
    LanyingClient,
    TargetType,
    UserNotFoundError,
    ValidationError,
)
from lanying_async.models.ai import AiReplies, ChatType
from lanying_async.models.messages import ContentTypeName
from lanying_async.testing import Emulator

pytestmark = pytest.mark.anyio


async def _users(client: LanyingClient, *names: str) -> list[int]:
    return [(await client.users.register(username=n, password="pw")).user_id for n in names]


async def test_send_message_returns_the_assistant_reply(
    client: LanyingClient, emu: Emulator
) -> None:
    user, bot = await _users(client, "asker", "assistant")
    replies = await client.as_user(user).ai.send_message([bot], "what time is it?")
    assert isinstance(replies, AiReplies)
    assert replies.message_quota_usage == 1.0
    [reply] = replies.messages
    assert (reply.from_xid.uid, reply.to_xid.uid) == (bot, user)
    assert reply.type == ChatType.CHAT and reply.ctype == ContentTypeName.TEXT
    assert reply.content == "AI reply: what time is it?"
    assert reply.msg_id > 0 and reply.timestamp > 0

    [sent] = emu.requests_to("POST", "/ai/message/send")
    assert sent.headers["user_id"] == str(user)
    assert sent.body["targets"] == [bot]
    assert sent.body["type"] == 1 and sent.body["content_type"] == 0
    assert sent.body["content"] == "what time is it?"
    assert isinstance(sent.body["transaction_id"], int) and sent.body["transaction_id"] > 0
    assert "from_user_id" not in sent.body

    # the question and the answer are delivered like other messages
    history = await client.as_user(user).messages.history(bot).collect()
    assert [(m.sender_id, m.content) for m in history] == [
        (bot, "AI reply: what time is it?"),
        (user, "what time is it?"),
    ]
    unread = {c.uid: c.num for c in await client.as_user(user).messages.unread()}
    assert unread == {bot: 1}


async def test_transaction_id_replays_the_first_answer(
    client: LanyingClient, emu: Emulator
) -> None:
    user, bot = await _users(client, "asker", "assistant")
    first = await client.ai.send_message([bot], "hi", from_user_id=user, transaction_id=77)
    again = await client.ai.send_message([bot], "hi", from_user_id=user, transaction_id=77)
    assert again == first
    assert emu.state.executions[("POST", "/ai/message/send")] == 1
    assert emu.requests_to("POST", "/ai/message/send")[0].body["from_user_id"] == user
    other = await client.ai.send_message([bot], "hi", from_user_id=user)
    assert other.messages[0].msg_id != first.messages[0].msg_id


async def test_group_assistant_replies_in_the_group(client: LanyingClient, emu: Emulator) -> None:
    owner, member = await _users(client, "owner", "member")
    group = await client.as_user(owner).groups.create(name="g", members=[member])
    replies = await client.as_user(member).ai.send_message(
        [group.group_id], "summarise", target_type=TargetType.GROUP
    )
    [reply] = replies.messages
    assert reply.type == ChatType.GROUPCHAT
    assert (reply.from_xid.uid, reply.to_xid.uid) == (0, group.group_id)
    assert emu.requests_to("POST", "/ai/message/send")[0].body["type"] == 2
    unread = {c.uid: c.num for c in await client.as_user(owner).messages.unread()}
    assert unread == {group.group_id: 2}


async def test_send_message_errors(client: LanyingClient) -> None:
    user, bot, outsider = await _users(client, "asker", "assistant", "outsider")
    with pytest.raises(InvalidParameterError) as no_sender:
        await client.ai.send_message([bot], "hi")
    assert no_sender.value.code == 10002
    with pytest.raises(UserNotFoundError):
        await client.as_user(user).ai.send_message([123456789], "hi")
    with pytest.raises(GroupNotFoundError):
        await client.as_user(user).ai.send_message([123456789], "hi", target_type=TargetType.GROUP)
    group = await client.as_user(user).groups.create(name="g")
    with pytest.raises(GroupMemberRequiredError) as info:
        await client.as_user(outsider).ai.send_message(
            [group.group_id], "hi", target_type=TargetType.GROUP
        )
    assert info.value.code == 20011


async def test_put_is_served_too(client: LanyingClient, emu: Emulator) -> None:
    user, bot = await _users(client, "asker", "assistant")
    body = {"targets": [bot], "type": 1, "content": "ping", "content_type": 0}
    async with (
        aiohttp.ClientSession() as session,
        session.put(
            emu.url + "/ai/message/send", headers=emu.headers(user_id=user), json=body
        ) as response,
    ):
        payload = await response.json()
    assert payload["code"] == 200
    assert payload["data"]["messages"][0]["content"] == "AI reply: ping"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"targets": []}, "targets"),
        ({"target_type": 3}, "target_type"),
        ({"content_type": 8}, "content_type"),
        ({"from_user_id": 0}, "from_user_id"),
        ({"transaction_id": -1}, "transaction_id"),
        ({"ext": 4}, "ext"),
        ({"online_only": 1}, "online_only"),
    ],
)
async def test_rejected_before_sending(
    client: LanyingClient, emu: Emulator, kwargs: dict[str, object], field: str
) -> None:
    args: dict[str, object] = {"targets": [1], "content": "x", **kwargs}
    with pytest.raises(ValidationError) as info:
        await client.ai.send_message(**args)  # type: ignore[arg-type]
    assert info.value.field == field
    assert len(emu.requests) == 0
