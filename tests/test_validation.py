"""Bad arguments raise ValidationError naming the field, before any request."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lanying_async import (
    Audience,
    LanyingClient,
    PushMessage,
    PushSetting,
    ValidationError,
)
from lanying_async.models.users import ProfileUpdate
from lanying_async.testing import Emulator
from lanying_async.validation import check_username
from tests.vendor_docs import spec_json

pytestmark = pytest.mark.anyio

Call = Callable[[LanyingClient], Awaitable[object]]

#: A push setting whose request id is not a string.
NUMBERED = PushSetting(request_id=5)  # type: ignore[arg-type]

#: A lone surrogate, as bytes decoded with ``errors="surrogateescape"`` leave one.
LONE = "\udc80"

CASES: list[tuple[str, Call, str]] = [
    ("all digits", lambda c: c.users.register(username="12345", password="p"), "username"),
    ("maxim prefix", lambda c: c.users.register(username="maxim_x", password="p"), "username"),
    ("mta prefix", lambda c: c.users.register(username="mta_x", password="p"), "username"),
    ("punctuation", lambda c: c.users.register(username="bad-name", password="p"), "username"),
    ("empty name", lambda c: c.users.register(username="", password="p"), "username"),
    ("empty password", lambda c: c.users.register(username="ok_name", password=""), "password"),
    ("empty roster", lambda c: c.as_user(1).roster.add([]), "user_ids"),
    ("zero id", lambda c: c.as_user(1).roster.add([3, 0]), "user_ids[1]"),
    ("bool id", lambda c: c.as_user(1).roster.add([True]), "user_ids[0]"),
    ("str id", lambda c: c.as_user(1).roster.add(["7"]), "user_ids[0]"),  # type: ignore[list-item]
    ("id past int64", lambda c: c.as_user(1).roster.add([2**63]), "user_ids[0]"),
    ("one id past int64", lambda c: c.as_user(2**63).roster.list(), "user_id"),
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
    # text without a UTF-8 form: a body cannot encode it, a query string would drop it
    ("surrogate username", lambda c: c.users.register(f"ab{LONE}", "p"), "username"),
    ("surrogate password", lambda c: c.users.register("ab", f"p{LONE}"), "password"),
    ("surrogate query", lambda c: c.as_user(1).users.set_nickname(f"n{LONE}"), "nickname"),
    ("surrogate content", lambda c: c.messages.send([1], f"hi{LONE}"), "content"),
    ("surrogate ext text", lambda c: c.messages.send_once([1], "x", ext=LONE), "ext"),
    (
        "surrogate ext value",
        lambda c: c.messages.send([1], "x", ext={"k": [1, LONE]}),
        "ext['k'][1]",
    ),
    (
        "surrogate ext key",
        lambda c: c.messages.notify([1], "x", ext={LONE: 1}),
        "ext key '\\udc80'",
    ),
    (
        "surrogate push tag",
        lambda c: c.push.notify(Audience.tags(["a", f"b{LONE}"]), PushMessage(body="x")),
        "audience.tag[1]",
    ),
    (
        "surrogate push title",
        lambda c: c.push.notify_once(Audience.all(), PushMessage(title=f"t{LONE}")),
        "message['title']",
    ),
    (
        "surrogate batch name",
        lambda c: c.users.register_batch({"ok": "p", f"x{LONE}": "p"}),
        "users['x\\udc80']",
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


def test_a_refused_surrogate_is_located_without_echoing_the_text() -> None:
    client = LanyingClient(api_endpoint="https://x.io", app_id="a", access_token="t")
    with pytest.raises(ValidationError) as info:
        client.messages.send([1], f"secret{LONE}")
    assert "secret" not in str(info.value)
    assert "U+DC80 at index 6" in str(info.value)


async def test_lazy_bulk_items_with_a_surrogate_fail_alone(
    client: LanyingClient, emu: Emulator
) -> None:
    def people() -> Iterator[tuple[str, str]]:
        yield ("fine_name", "pw")
        yield (f"bad{LONE}", "pw")
        yield ("other_name", f"pw{LONE}")

    report = await client.users.bulk_register(people())
    assert report.succeeded == ["fine_name"]
    assert set(report.failed) == {f"bad{LONE}", "other_name"}
    assert all(error.code is None for error in report.failed.values())  # never sent
    [sent] = emu.requests_to("POST", "/user/register/batch")
    assert [entry["username"] for entry in sent.body["list"]] == ["fine_name"]

    tokens = await client.push.notify(
        Audience.push_tokens(iter(["t1", f"t{LONE}", "t3"])), PushMessage(body="x")
    )
    assert sorted(tokens.succeeded) == ["t1", "t3"] and list(tokens.failed) == [f"t{LONE}"]

    ok, bad = report.results["fine_name"], (await client.users.register("named", "pw")).user_id
    updates = [ProfileUpdate(user_id=ok, nick_name="n"), ProfileUpdate(user_id=bad, nick_name=LONE)]
    profiles = await client.users.bulk_update_profiles(iter(updates))
    assert profiles.succeeded == [ok] and list(profiles.failed) == [bad]
    assert profiles.failed[bad].code is None
    emu.clear_requests()
    with pytest.raises(ValidationError) as listed:  # a list is checked whole, up front
        await client.users.bulk_update_profiles(updates)
    assert listed.value.field == "updates[1].nick_name" and len(emu.requests) == 0


@pytest.mark.parametrize("name", ["Maxim_1", "MTA_x", "mAxim", "Mta"])
async def test_reserved_prefixes_are_lower_case_only(
    client: LanyingClient, emu: Emulator, name: str
) -> None:
    """The spec's pattern is ``^(?!mta|maxim)...``: case-sensitive, so these are valid."""
    user = await client.users.register(username=name, password="pw")
    assert emu.app_state().users[user.user_id].username == name


_USERNAME_ALPHABET = "abmxiMAXIta_TZ09张龥一\u4dff\u9fa6-. é١²" + LONE


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(_USERNAME_ALPHABET, max_size=8),
        st.builds(
            str.__add__,
            st.sampled_from(["maxim", "mta", "Maxim", "MTA", "maxi", "mt", "_maxim", "1mta"]),
            st.text(_USERNAME_ALPHABET, max_size=5),
        ),
    )
)
def test_username_check_agrees_with_the_spec_pattern(name: str) -> None:
    """Accepted exactly when the spec's registration pattern matches the whole name
    (Java's ``@Pattern`` matches the whole value)."""
    pattern = _spec_username_pattern()
    try:
        check_username(name)
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted == (pattern.fullmatch(name) is not None), name


def _spec_username_pattern() -> re.Pattern[str]:
    schema = spec_json()["definitions"]["UserRegisterRequest"]["properties"]["username"]
    return re.compile(schema["pattern"])
