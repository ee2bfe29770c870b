"""A user's settings and push preferences, end to end against the emulator."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from lanying_async import (
    AuthMode,
    InvalidParameterError,
    LanyingClient,
    PermissionDeniedError,
    UserNotFoundError,
    UserSettings,
    ValidationError,
)
from lanying_async.catalog import CATALOG
from lanying_async.services.users import UsersService
from lanying_async.testing import Emulator

pytestmark = pytest.mark.anyio

PREFS_METHODS = {
    "users.set_auth_mode",
    "users.set_auto_download",
    "users.set_no_push",
    "users.set_push_alias",
    "users.set_push_badge",
    "users.set_no_push_detail",
    "users.set_push_quiet_hours",
    "users.set_push_nickname",
    "users.push_tags",
    "users.add_push_tags",
    "users.remove_push_tags",
    "users.clear_push_tags",
    "users.settings",
    "users.update_settings",
    "users.set_no_sounds",
    "users.set_vibratory",
    "users.bind_push_token",
    "users.unbind_push_token",
}


async def _register(client: LanyingClient, *names: str) -> list[int]:
    return [(await client.users.register(username=n, password="pw")).user_id for n in names]


async def _user(client: LanyingClient, name: str = "alice") -> tuple[int, UsersService]:
    [uid] = await _register(client, name)
    return uid, client.as_user(uid).users


async def _raw(
    emu: Emulator,
    method: str,
    path: str,
    *,
    user_id: int | None,
    params: dict[str, str] | None = None,
    json: Any = None,
) -> dict[str, Any]:
    """Send one request by hand (for verbs and values the SDK never sends)."""
    async with (
        aiohttp.ClientSession() as raw,
        raw.request(
            method,
            f"{emu.url}{path}",
            params=params,
            json=json,
            headers=emu.headers(user_id=user_id),
        ) as resp,
    ):
        assert resp.status == 200
        body: dict[str, Any] = await resp.json()
        return body


# --- settings ----------------------------------------------------------------------


async def test_settings_reads_the_current_users_settings(
    client: LanyingClient, emu: Emulator
) -> None:
    uid, me = await _user(client)
    emu.app_state().users[uid].settings.push_nick_name = "Ally"
    settings = await me.settings()
    assert isinstance(settings, UserSettings)
    assert settings.user_id == uid
    assert settings.push_nick_name == "Ally"
    assert settings.auth_mode == AuthMode.ANYONE and settings.no_push is False
    [sent] = emu.requests_to("GET", "/user/settings")
    assert sent.headers["user_id"] == str(uid)
    assert sent.query == {} and sent.body is None


async def test_update_settings_changes_only_the_given_fields(
    client: LanyingClient, emu: Emulator
) -> None:
    uid, me = await _user(client)
    state = emu.app_state().users[uid].settings
    state.vibratory = True
    ok = await me.update_settings(
        no_sounds=True,
        group_confirm=True,
        auth_mode=AuthMode.CONFIRM,
        no_push_start_hour=22,
        no_push_end_hour=7,
        silence_start_time=0,
        silence_end_time=23,
        push_nick_name="Al",
    )
    assert ok is True
    [sent] = emu.requests_to("PUT", "/user/settings")
    assert sent.body == {
        "user_id": uid,
        "group_confirm": True,
        "no_sounds": True,
        "auth_mode": 1,
        "no_push_start_hour": 22,
        "no_push_end_hour": 7,
        "silence_start_time": 0,
        "silence_end_time": 23,
        "push_nick_name": "Al",
    }
    assert (state.no_sounds, state.group_confirm, state.auth_mode) == (True, True, 1)
    assert (state.no_push_start_hour, state.no_push_end_hour) == (22, 7)
    assert (state.silence_start_time, state.silence_end_time) == (0, 23)
    assert state.push_nick_name == "Al"
    assert state.vibratory is True  # not sent, kept
    read = await me.settings()
    assert (read.no_sounds, read.auth_mode, read.silence_end_time) == (True, AuthMode.CONFIRM, 23)
    assert emu.state.executions[("PUT", "/user/settings")] == 1


async def test_update_settings_question_mode_needs_question_and_answer(
    client: LanyingClient, emu: Emulator
) -> None:
    uid, me = await _user(client)
    state = emu.app_state().users[uid].settings
    with pytest.raises(InvalidParameterError) as err:
        await me.update_settings(auth_mode=AuthMode.QUESTION, no_sounds=True)
    assert err.value.code == 10002
    assert (state.auth_mode, state.no_sounds) == (0, False)  # nothing applied

    assert await me.update_settings(
        auth_mode=AuthMode.QUESTION, auth_question="2+2?", auth_answer="4"
    )
    assert (state.auth_mode, state.auth_question, state.auth_answer) == (2, "2+2?", "4")
    # clearing the answer while the mode needs it is refused
    with pytest.raises(InvalidParameterError):
        await me.update_settings(auth_answer="")
    assert state.auth_answer == "4"


async def test_update_settings_emulator_rules(client: LanyingClient, emu: Emulator) -> None:
    uid, other = await _register(client, "alice", "bob")
    reply = await _raw(emu, "PUT", "/user/settings", user_id=uid, json={"user_id": other})
    assert reply["code"] == 10010
    for bad in ({"no_push_start_hour": 24}, {"silence_end_time": -1}, {"auth_mode": 4}):
        reply = await _raw(emu, "PUT", "/user/settings", user_id=uid, json=bad)
        assert reply["code"] == 10002, bad
    reply = await _raw(emu, "PUT", "/user/settings", user_id=uid, json={"no_push": "yes"})
    assert reply["code"] == 10002
    reply = await _raw(emu, "PUT", "/user/settings", user_id=uid, json={"push_token": "pt"})
    assert reply["code"] == 200
    assert emu.app_state().users[uid].settings.push_token == "pt"
    sent_before = len(emu.requests_to("PUT", "/user/settings"))
    async with LanyingClient(
        api_endpoint=emu.url, app_id=emu.app_id, access_token=emu.issue_user_token(uid)
    ) as as_alice:
        # the API requires the user in the body: a user token's client names it
        with pytest.raises(ValidationError) as unnamed:
            await as_alice.users.update_settings(no_push=True)
        assert unnamed.value.field == "user_id"
        with pytest.raises(ValidationError) as unnamed:
            await as_alice.users.set_auth_mode(AuthMode.QUESTION, question="q", answer="a")
        assert unnamed.value.field == "user_id"
        assert len(emu.requests_to("PUT", "/user/settings")) == sent_before
        assert await as_alice.users.update_settings(no_push=True, user_id=uid)
        sent = emu.requests_to("PUT", "/user/settings")[-1].body
        assert sent == {"user_id": uid, "no_push": True}
        # and it cannot act as anybody else
        with pytest.raises(PermissionDeniedError) as err:
            await as_alice.as_user(other).users.settings()
    assert err.value.code == 10010
    assert emu.app_state().users[uid].settings.no_push is True


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "settings"),
        ({"no_push_start_hour": 24}, "no_push_start_hour"),
        ({"no_push_end_hour": -1}, "no_push_end_hour"),
        ({"silence_start_time": True}, "silence_start_time"),
        ({"auth_mode": 4}, "auth_mode"),
        ({"auth_mode": True}, "auth_mode"),
        ({"vibratory": 1}, "vibratory"),
        ({"push_nick_name": 5}, "push_nick_name"),
    ],
)
async def test_update_settings_validation(
    client: LanyingClient, emu: Emulator, kwargs: dict[str, Any], field: str
) -> None:
    _, me = await _user(client)
    with pytest.raises(ValidationError) as err:
        await me.update_settings(**kwargs)
    assert err.value.field == field
    assert emu.requests_to("PUT", "/user/settings") == []


# --- friend-request mode -----------------------------------------------------------


async def test_set_auth_mode_sends_the_value(client: LanyingClient, emu: Emulator) -> None:
    uid, me = await _user(client)
    assert await me.set_auth_mode(AuthMode.REJECT_ALL) is True
    assert await me.set_auth_mode(1) is True
    sent = emu.requests_to("PUT", "/user/authmode")
    assert [r.query for r in sent] == [{"value": "3"}, {"value": "1"}]
    assert sent[0].headers["user_id"] == str(uid)
    assert emu.app_state().users[uid].settings.auth_mode == AuthMode.CONFIRM
    assert emu.state.executions[("PUT", "/user/authmode")] == 2


async def test_set_auth_mode_question_with_and_without_a_stored_question(
    client: LanyingClient, emu: Emulator
) -> None:
    uid, me = await _user(client)
    state = emu.app_state().users[uid].settings
    with pytest.raises(InvalidParameterError) as err:
        await me.set_auth_mode(AuthMode.QUESTION)
    assert err.value.code == 10002
    assert state.auth_mode == 0

    assert await me.set_auth_mode(AuthMode.QUESTION, question="Pet?", answer="cat") is True
    [sent] = emu.requests_to("PUT", "/user/settings")
    assert sent.body == {
        "user_id": uid,
        "auth_mode": 2,
        "auth_question": "Pet?",
        "auth_answer": "cat",
    }
    assert (state.auth_mode, state.auth_question, state.auth_answer) == (2, "Pet?", "cat")

    await me.set_auth_mode(AuthMode.ANYONE)
    assert await me.set_auth_mode(AuthMode.QUESTION) is True  # the stored question is reused
    assert state.auth_mode == 2


@pytest.mark.parametrize(
    ("args", "kwargs", "field"),
    [
        ((4,), {}, "mode"),
        ((-1,), {}, "mode"),
        (("2",), {}, "mode"),
        ((True,), {}, "mode"),
        ((AuthMode.CONFIRM,), {"question": "q", "answer": "a"}, "question"),
        ((AuthMode.ANYONE,), {"answer": "a"}, "answer"),
        ((AuthMode.QUESTION,), {"question": "q"}, "answer"),
        ((AuthMode.QUESTION,), {"answer": "a"}, "question"),
        ((AuthMode.QUESTION,), {"question": "", "answer": "a"}, "question"),
    ],
)
async def test_set_auth_mode_validation(
    client: LanyingClient,
    emu: Emulator,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    field: str,
) -> None:
    _, me = await _user(client)
    with pytest.raises(ValidationError) as err:
        await me.set_auth_mode(*args, **kwargs)
    assert err.value.field == field
    assert emu.requests_to("PUT", "/user/authmode") == []
    assert emu.requests_to("PUT", "/user/settings") == []


async def test_authmode_out_of_range_is_refused_by_the_emulator(
    client: LanyingClient, emu: Emulator
) -> None:
    uid, _ = await _user(client)
    for value in ("4", "-1", "x"):
        reply = await _raw(emu, "PUT", "/user/authmode", user_id=uid, params={"value": value})
        assert reply["code"] == 10002
    reply = await _raw(emu, "PUT", "/user/authmode", user_id=uid)
    assert reply["code"] == 10002


# --- switches ------------------------------------------------------------------------

Switch = Callable[[UsersService, bool], Awaitable[bool]]

SWITCHES: list[tuple[str, str, Switch]] = [
    ("/user/download", "auto_download", lambda u, v: u.set_auto_download(v)),
    ("/user/push", "no_push", lambda u, v: u.set_no_push(v)),
    ("/user/push/detail", "no_push_detail", lambda u, v: u.set_no_push_detail(v)),
    ("/user/sounds", "no_sounds", lambda u, v: u.set_no_sounds(v)),
    ("/user/vibratory", "vibratory", lambda u, v: u.set_vibratory(v)),
]


@pytest.mark.parametrize(("path", "attr", "call"), SWITCHES, ids=[s[1] for s in SWITCHES])
async def test_switch_sets_and_clears_the_setting(
    client: LanyingClient, emu: Emulator, path: str, attr: str, call: Switch
) -> None:
    uid, me = await _user(client)
    settings = emu.app_state().users[uid].settings
    assert await call(me, True) is True
    assert getattr(settings, attr) is True
    assert getattr(await me.settings(), attr) is True
    assert await call(me, False) is True
    assert getattr(settings, attr) is False
    sent = emu.requests_to("PUT", path)
    assert [r.query for r in sent] == [{"value": "true"}, {"value": "false"}]
    assert all(r.body is None and r.headers["user_id"] == str(uid) for r in sent)
    assert emu.state.executions[("PUT", path)] == 2

    with pytest.raises(ValidationError) as err:
        await call(me, "yes")  # type: ignore[arg-type]
    assert err.value.field in ("enabled", "disabled", "hidden", "muted")
    with pytest.raises(ValidationError):
        await call(me, 1)  # type: ignore[arg-type]
    assert len(emu.requests_to("PUT", path)) == 2

    for value in ("maybe", ""):
        reply = await _raw(emu, "PUT", path, user_id=uid, params={"value": value})
        assert reply["code"] == 10002
    assert getattr(settings, attr) is False


# --- quiet hours and nickname ------------------------------------------------------


async def test_set_push_quiet_hours(client: LanyingClient, emu: Emulator) -> None:
    uid, me = await _user(client)
    assert await me.set_push_quiet_hours(22, 7) is True
    [sent] = emu.requests_to("PUT", "/user/push/limit")
    assert sent.query == {"no_push_start_hour": "22", "no_push_end_hour": "7"}
    settings = emu.app_state().users[uid].settings
    assert (settings.no_push_start_hour, settings.no_push_end_hour) == (22, 7)
    read = await me.settings()
    assert (read.no_push_start_hour, read.no_push_end_hour) == (22, 7)
    assert await me.set_push_quiet_hours(0, 23) is True
    assert (settings.no_push_start_hour, settings.no_push_end_hour) == (0, 23)


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [(24, 1, "start_hour"), (-1, 1, "start_hour"), (1, 24, "end_hour"), (1, True, "end_hour")],
)
async def test_set_push_quiet_hours_validation(
    client: LanyingClient, emu: Emulator, start: int, end: int, field: str
) -> None:
    _, me = await _user(client)
    with pytest.raises(ValidationError) as err:
        await me.set_push_quiet_hours(start, end)
    assert err.value.field == field
    assert emu.requests_to("PUT", "/user/push/limit") == []


async def test_quiet_hours_out_of_range_is_refused_by_the_emulator(
    client: LanyingClient, emu: Emulator
) -> None:
    uid, _ = await _user(client)
    for params in (
        {"no_push_start_hour": "24", "no_push_end_hour": "1"},
        {"no_push_start_hour": "1", "no_push_end_hour": "-1"},
        {"no_push_start_hour": "1"},
    ):
        reply = await _raw(emu, "PUT", "/user/push/limit", user_id=uid, params=params)
        assert reply["code"] == 10002, params
    assert emu.app_state().users[uid].settings.no_push_start_hour == 0


async def test_set_push_nickname(client: LanyingClient, emu: Emulator) -> None:
    uid, me = await _user(client)
    assert await me.set_push_nickname("Alice W.") is True
    [sent] = emu.requests_to("PUT", "/user/push/nickname")
    assert sent.query == {"value": "Alice W."}
    assert emu.app_state().users[uid].settings.push_nick_name == "Alice W."
    assert (await me.settings()).push_nick_name == "Alice W."

    with pytest.raises(ValidationError) as err:
        await me.set_push_nickname("")
    assert err.value.field == "nickname"
    assert len(emu.requests_to("PUT", "/user/push/nickname")) == 1
    reply = await _raw(emu, "PUT", "/user/push/nickname", user_id=uid, params={"value": ""})
    assert reply["code"] == 10002


# --- alias and badge ---------------------------------------------------------------


async def test_set_push_alias_binds_one_alias_per_user_and_user_per_alias(
    client: LanyingClient, emu: Emulator
) -> None:
    alice, bob = await _register(client, "alice", "bob")
    prefs = emu.app_state().prefs
    assert await client.as_user(alice).users.set_push_alias("ally", push_token="pt-1") is True
    [sent] = emu.requests_to("POST", "/user/push/alias")
    assert sent.body == {"alias": "ally", "push_token": "pt-1"}
    assert sent.headers["user_id"] == str(alice)
    assert prefs.aliases == {alice: "ally"}
    assert prefs.users_with_aliases(["ally", "nobody"]) == [alice]
    assert prefs.users_with_push_tokens(["pt-1"]) == [alice]

    # a new alias replaces the old one
    assert await client.as_user(alice).users.set_push_alias("al")
    assert emu.requests_to("POST", "/user/push/alias")[-1].body == {"alias": "al"}
    assert prefs.alias_users == {"al": alice}
    assert prefs.users_with_push_tokens(["pt-1"]) == []

    # an alias held by another user moves
    assert await client.as_user(bob).users.set_push_alias("al")
    assert prefs.aliases == {bob: "al"}
    assert prefs.users_with_aliases(["al"]) == [bob]
    assert emu.state.executions[("POST", "/user/push/alias")] == 3


async def test_set_push_alias_errors(client: LanyingClient, emu: Emulator) -> None:
    uid, me = await _user(client)
    with pytest.raises(ValidationError) as err:
        await me.set_push_alias("")
    assert err.value.field == "alias"
    with pytest.raises(ValidationError) as err:
        await me.set_push_alias("a", push_token="")
    assert err.value.field == "push_token"
    assert emu.requests_to("POST", "/user/push/alias") == []
    for body in ({"alias": ""}, {"push_token": "x"}, {"alias": 5}):
        reply = await _raw(emu, "POST", "/user/push/alias", user_id=uid, json=body)
        assert reply["code"] == 10002, body
    assert emu.app_state().prefs.aliases == {}


async def test_set_push_badge(client: LanyingClient, emu: Emulator) -> None:
    uid, me = await _user(client)
    assert await me.set_push_badge(5) is True
    assert await me.set_push_badge(0) is True
    sent = emu.requests_to("POST", "/user/push/badge")
    assert [r.body for r in sent] == [{"badge": 5}, {"badge": 0}]
    assert emu.app_state().prefs.badges == {uid: 0}

    for bad in (-1, 2**31, True, "3"):
        with pytest.raises(ValidationError) as err:
            await me.set_push_badge(bad)  # type: ignore[arg-type]
        assert err.value.field == "badge"
    assert len(emu.requests_to("POST", "/user/push/badge")) == 2
    for body in ({"badge": -1}, {"badge": "1"}, {}):
        reply = await _raw(emu, "POST", "/user/push/badge", user_id=uid, json=body)
        assert reply["code"] == 10002, body
    assert emu.app_state().prefs.badges == {uid: 0}


# --- tags ------------------------------------------------------------------------------


async def test_push_tags_add_list_remove_clear(client: LanyingClient, emu: Emulator) -> None:
    alice, bob = await _register(client, "alice", "bob")
    me = client.as_user(alice).users
    prefs = emu.app_state().prefs
    assert await me.push_tags() == []

    assert await me.add_push_tags(["beijing", "vip"]) is True
    assert await me.add_push_tags(("vip", "shanghai")) is True
    assert await client.as_user(bob).users.add_push_tags(["vip"])
    assert await me.push_tags() == ["beijing", "vip", "shanghai"]
    added = emu.requests_to("POST", "/user/push/tag")
    assert [r.body for r in added[:2]] == [
        {"tags": ["beijing", "vip"]},
        {"tags": ["vip", "shanghai"]},
    ]
    [listed, *_] = emu.requests_to("GET", "/user/push/tag")
    assert listed.headers["user_id"] == str(alice) and listed.body is None
    assert prefs.users_with_tags(["vip"]) == [alice, bob]
    assert prefs.users_with_tags(["beijing", "shanghai"]) == [alice]

    assert await me.remove_push_tags(["vip", "unknown"]) is True
    [removed] = emu.requests_to("DELETE", "/user/push/tag")
    assert removed.body == {"tags": ["vip", "unknown"]}
    assert await me.push_tags() == ["beijing", "shanghai"]
    assert prefs.users_with_tags(["vip"]) == [bob]

    assert await me.clear_push_tags() is True
    [cleared] = emu.requests_to("DELETE", "/user/push/tag/all")
    assert cleared.body is None and cleared.headers["user_id"] == str(alice)
    assert await me.push_tags() == []
    assert prefs.users_with_tags(["beijing", "shanghai", "vip"]) == [bob]
    assert "beijing" not in prefs.tag_users
    assert await me.clear_push_tags() is True  # nothing left: still fine
    assert emu.state.executions[("DELETE", "/user/push/tag/all")] == 2


@pytest.mark.parametrize(
    ("tags", "field"),
    [([], "tags"), (["ok", ""], "tags[1]"), ("vip", "tags"), ([3], "tags[0]")],
)
async def test_push_tag_validation(
    client: LanyingClient, emu: Emulator, tags: Any, field: str
) -> None:
    _, me = await _user(client)
    for call in (me.add_push_tags, me.remove_push_tags):
        with pytest.raises(ValidationError) as err:
            await call(tags)
        assert err.value.field == field
    assert emu.requests_to("POST", "/user/push/tag") == []
    assert emu.requests_to("DELETE", "/user/push/tag") == []


async def test_push_tags_refused_by_the_emulator(client: LanyingClient, emu: Emulator) -> None:
    uid, _ = await _user(client)
    bodies: list[Any] = [{"tags": []}, {"tags": [""]}, {"tags": "vip"}, None]
    for method in ("POST", "DELETE"):
        for body in bodies:
            reply = await _raw(emu, method, "/user/push/tag", user_id=uid, json=body)
            assert reply["code"] == 10002, (method, body)
    assert emu.app_state().prefs.tags == {}


# --- device push tokens ------------------------------------------------------------


async def test_bind_and_unbind_push_token(client: LanyingClient, emu: Emulator) -> None:
    alice, bob = await _register(client, "alice", "bob")
    me = client.as_user(alice).users
    prefs = emu.app_state().prefs
    assert await me.bind_push_token(1, "apns-aaa", "ios_prod") is True
    [sent] = emu.requests_to("PUT", "/user/token/bind")
    assert sent.body == {"device_sn": 1, "device_token": "apns-aaa", "notifier_name": "ios_prod"}
    assert sent.headers["user_id"] == str(alice)
    device = prefs.devices[alice][1]
    assert (device.device_token, device.notifier_name) == ("apns-aaa", "ios_prod")
    assert prefs.users_with_push_tokens(["apns-aaa"]) == [alice]

    # a new token for the same device replaces the old one
    assert await me.bind_push_token(1, "apns-bbb", "ios_prod")
    assert prefs.users_with_push_tokens(["apns-aaa"]) == []
    # the same token bound by another user moves to that user's device
    assert await client.as_user(bob).users.bind_push_token(3, "apns-bbb", "ios_prod")
    assert alice not in prefs.devices
    assert prefs.users_with_push_tokens(["apns-bbb"]) == [bob]

    assert await me.bind_push_token(2, "fcm-ccc", "fcm") is True
    await me.unbind_push_token(2)  # returns nothing; failures raise
    [unbound] = emu.requests_to("DELETE", "/user/token/unbind")
    assert unbound.query == {"deviceSn": "2"} and unbound.body is None
    assert alice not in prefs.devices and "fcm-ccc" not in prefs.token_devices
    await me.unbind_push_token(9)  # nothing bound there: still fine
    assert prefs.devices[bob][3].device_token == "apns-bbb"
    assert emu.state.executions[("DELETE", "/user/token/unbind")] == 2


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((-1, "t", "n"), "device_sn"),
        ((2**31, "t", "n"), "device_sn"),
        (("1", "t", "n"), "device_sn"),
        ((1, "", "n"), "device_token"),
        ((1, "t", ""), "notifier_name"),
    ],
)
async def test_bind_push_token_validation(
    client: LanyingClient, emu: Emulator, args: tuple[Any, ...], field: str
) -> None:
    _, me = await _user(client)
    with pytest.raises(ValidationError) as err:
        await me.bind_push_token(*args)
    assert err.value.field == field
    assert emu.requests_to("PUT", "/user/token/bind") == []


async def test_push_token_errors_from_the_emulator(client: LanyingClient, emu: Emulator) -> None:
    uid, me = await _user(client)
    with pytest.raises(ValidationError) as err:
        await me.unbind_push_token(-1)
    assert err.value.field == "device_sn"
    assert emu.requests_to("DELETE", "/user/token/unbind") == []
    for body in (
        {"device_sn": 1, "device_token": "", "notifier_name": "n"},
        {"device_sn": -1, "device_token": "t", "notifier_name": "n"},
        {"device_token": "t", "notifier_name": "n"},
    ):
        reply = await _raw(emu, "PUT", "/user/token/bind", user_id=uid, json=body)
        assert reply["code"] == 10002, body
    for params in ({}, {"deviceSn": "x"}, {"deviceSn": "-2"}):
        reply = await _raw(emu, "DELETE", "/user/token/unbind", user_id=uid, params=params)
        assert reply["code"] == 10002, params
    assert emu.app_state().prefs.devices == {}


# --- who may call ---------------------------------------------------------------------

CALLS: list[tuple[str, Callable[[UsersService], Awaitable[object]]]] = [
    ("settings", lambda u: u.settings()),
    ("update_settings", lambda u: u.update_settings(no_push=True)),
    ("set_auth_mode", lambda u: u.set_auth_mode(AuthMode.CONFIRM)),
    ("set_auto_download", lambda u: u.set_auto_download(True)),
    ("set_no_push", lambda u: u.set_no_push(True)),
    ("set_no_push_detail", lambda u: u.set_no_push_detail(True)),
    ("set_no_sounds", lambda u: u.set_no_sounds(True)),
    ("set_vibratory", lambda u: u.set_vibratory(True)),
    ("set_push_quiet_hours", lambda u: u.set_push_quiet_hours(1, 2)),
    ("set_push_nickname", lambda u: u.set_push_nickname("n")),
    ("set_push_alias", lambda u: u.set_push_alias("a")),
    ("set_push_badge", lambda u: u.set_push_badge(1)),
    ("push_tags", lambda u: u.push_tags()),
    ("add_push_tags", lambda u: u.add_push_tags(["t"])),
    ("remove_push_tags", lambda u: u.remove_push_tags(["t"])),
    ("clear_push_tags", lambda u: u.clear_push_tags()),
    ("bind_push_token", lambda u: u.bind_push_token(1, "t", "n")),
    ("unbind_push_token", lambda u: u.unbind_push_token(1)),
]


def test_calls_cover_every_operation_of_the_domain() -> None:
    assert {f"users.{name}" for name, _ in CALLS} == PREFS_METHODS
    assert PREFS_METHODS.issubset(op.sdk for op in CATALOG)


@pytest.mark.parametrize(("name", "call"), CALLS, ids=[c[0] for c in CALLS])
async def test_every_operation_needs_a_user(
    client: LanyingClient,
    emu: Emulator,
    name: str,
    call: Callable[[UsersService], Awaitable[object]],
) -> None:
    [uid] = await _register(client, "alice")
    for view in (client, client.as_group_admin(12345)):
        if name == "update_settings":  # its body must name a user: refused before sending
            with pytest.raises(ValidationError):
                await call(view.users)
            continue
        with pytest.raises(InvalidParameterError) as err:
            await call(view.users)
        assert err.value.code == 10002
    with pytest.raises(UserNotFoundError) as missing:
        await call(client.as_user(uid + 1).users)
    assert missing.value.code == 10000
    await call(client.as_user(uid).users)  # the same call as a user succeeds


async def test_a_user_token_acts_on_its_own_user(client: LanyingClient, emu: Emulator) -> None:
    uid, _ = await _user(client)
    async with LanyingClient(
        api_endpoint=emu.url, app_id=emu.app_id, access_token=emu.issue_user_token(uid)
    ) as own:
        assert await own.users.add_push_tags(["mine"])
        assert await own.users.set_vibratory(True)
        settings = await own.users.settings()
    assert settings.user_id == uid and settings.vibratory is True
    assert emu.app_state().prefs.tags_of(uid) == ["mine"]
    assert "user_id" not in emu.requests_to("POST", "/user/push/tag")[0].headers


# --- both verbs ------------------------------------------------------------------------

OTHER_VERB: dict[str, tuple[dict[str, str] | None, Any]] = {
    "/user/authmode": ({"value": "1"}, None),
    "/user/download": ({"value": "true"}, None),
    "/user/push": ({"value": "true"}, None),
    "/user/push/detail": ({"value": "true"}, None),
    "/user/push/limit": ({"no_push_start_hour": "1", "no_push_end_hour": "2"}, None),
    "/user/push/nickname": ({"value": "nick"}, None),
    "/user/settings": (None, {"no_sounds": True}),
    "/user/sounds": ({"value": "true"}, None),
    "/user/token/bind": (None, {"device_sn": 4, "device_token": "t", "notifier_name": "n"}),
    "/user/token/unbind": ({"deviceSn": "4"}, None),
    "/user/vibratory": ({"value": "true"}, None),
}
TWO_VERB_ROWS = [
    (verb, op.path)
    for op in CATALOG
    if op.sdk in PREFS_METHODS
    for verb in op.methods
    if verb != op.sends
]


def test_every_two_verb_row_is_listed() -> None:
    assert {path for _, path in TWO_VERB_ROWS} == set(OTHER_VERB)


@pytest.mark.parametrize(("verb", "path"), TWO_VERB_ROWS)
async def test_the_other_verb_is_served_too(
    client: LanyingClient, emu: Emulator, verb: str, path: str
) -> None:
    uid, _ = await _user(client)
    params, body = OTHER_VERB[path]
    reply = await _raw(emu, verb, path, user_id=uid, params=params, json=body)
    assert reply["code"] == 200
    assert emu.state.executions[(verb, path)] == 1
    reply = await _raw(emu, verb, path, user_id=None, params=params, json=body)
    assert reply["code"] == 10002
