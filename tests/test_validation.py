"""Bad arguments raise ValidationError naming the field, before any request."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from lanying_async import (
    Audience,
    LanyingClient,
    PushMessage,
    PushSetting,
    ValidationError,
)
from lanying_async.testing import Emulator

pytestmark = pytest.mark.anyio

Call = Callable[[LanyingClient], Awaitable[object]]

#: A push setting whose request id is not a string.
NUMBERED = PushSetting(request_id=5)  # type: ignore[arg-type]

CASES: list[tuple[str, Call, str]] = [
    ("all digits", lambda c: c.users.register(username="12345", password="p"), "username"),
    ("maxim prefix", lambda c: c.users.register(username="maxim_x", password="p"), "username"),
    ("mta prefix", lambda c: c.users.register(username="MTA_x", password="p"), "username"),
    ("punctuation", lambda c: c.users.register(username="bad-name", password="p"), "username"),
    ("empty name", lambda c: c.users.register(username="", password="p"), "username"),
    ("empty password", lambda c: c.users.register(username="ok_name", password=""), "password"),
    ("empty roster", lambda c: c.as_user(1).roster.add([]), "user_ids"),
    ("zero id", lambda c: c.as_user(1).roster.add([3, 0]), "user_ids[1]"),
    ("bool id", lambda c: c.as_user(1).roster.add([True]), "user_ids[0]"),
    ("str id", lambda c: c.as_user(1).roster.add(["7"]), "user_ids[0]"),  # type: ignore[list-item]
    ("empty group name", lambda c: c.as_user(1).groups.create(name=""), "name"),
    ("negative group", lambda c: c.as_user(1).groups.invite(-4, [1]), "group_id"),
    ("empty invite", lambda c: c.as_user(1).groups.invite(5, []), "user_ids"),
    ("destroy str", lambda c: c.as_user(1).groups.destroy("5"), "group_id"),  # type: ignore[arg-type]
    ("no targets", lambda c: c.messages.send([], "x"), "targets"),
    ("bad target type", lambda c: c.messages.send([1], "x", target_type=3), "target_type"),  # type: ignore[arg-type]
    ("bad content type", lambda c: c.messages.send([1], "x", content_type=8), "content_type"),  # type: ignore[arg-type]
    ("bad ext", lambda c: c.messages.send([1], "x", ext=5), "ext"),  # type: ignore[arg-type]
    (
        "push over 500",
        lambda c: c.push.notify_once(Audience.user_ids(list(range(1, 502))), PushMessage(body="x")),
        "audience.user_id",
    ),
    (
        "empty alias list",
        lambda c: c.push.notify(Audience.aliases([]), PushMessage(body="x")),
        "audience.alias",
    ),
    ("not an audience", lambda c: c.push.notify("all", PushMessage()), "audience"),  # type: ignore[arg-type]
    (
        "setting not a PushSetting",
        lambda c: c.push.notify(Audience.all(), PushMessage(), setting={"request_id": "r"}),  # type: ignore[arg-type]
        "setting",
    ),
    (
        "setting of a single push",
        lambda c: c.push.notify_once(Audience.all(), PushMessage(), setting="r"),  # type: ignore[arg-type]
        "setting",
    ),
    (
        "request id of a single push",
        lambda c: c.push.notify_once(Audience.user_ids([1]), PushMessage(), setting=NUMBERED),
        "setting.request_id",
    ),
    (
        "request id of a bulk push",
        lambda c: c.push.notify(Audience.user_ids([1]), PushMessage(), setting=NUMBERED),
        "setting.request_id",
    ),
]


@pytest.mark.parametrize(("label", "call", "field"), CASES, ids=[c[0] for c in CASES])
async def test_rejected_before_sending(
    client: LanyingClient, emu: Emulator, label: str, call: Call, field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        await call(client)
    assert info.value.field == field
    assert str(info.value).startswith(field)
    assert len(emu.requests) == 0


def test_view_arguments_are_checked() -> None:
    client = LanyingClient(api_endpoint="https://x.io", app_id="a", access_token="t")
    with pytest.raises(ValidationError, match="user_id"):
        client.as_user(0)
    with pytest.raises(ValidationError, match="group_id"):
        client.as_group_admin(-1)
    with pytest.raises(ValidationError, match="limit"):
        client.groups.members(5, limit=0)
    with pytest.raises(ValidationError, match="limit"):
        client.groups.members(5, limit=1001)


async def test_exactly_500_push_targets_are_allowed(client: LanyingClient, emu: Emulator) -> None:
    task = await client.push.notify_once(
        Audience.user_ids(list(range(1, 501))), PushMessage(body="x")
    )
    assert task.task_id > 0
    assert len(emu.requests_to("POST", "/push/notify")[0].body["audience"]["user_id"]) == 500


async def test_chinese_usernames_follow_the_spec(client: LanyingClient) -> None:
    user = await client.users.register(username="张三", password="pw")
    assert user.user_id > 0
