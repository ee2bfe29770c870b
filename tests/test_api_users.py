"""User accounts end to end: registration, profiles, passwords, devices, administration."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from lanying_async import (
    InvalidParameterError,
    LanyingClient,
    PermissionDeniedError,
    UserAlreadyExistsError,
    UserNotFoundError,
    UserSettings,
    ValidationError,
)
from lanying_async.emulator.state_accounts import Device
from lanying_async.models.users import (
    DeviceInfo,
    DevicePlatform,
    OnlineStatus,
    ProfileUpdate,
    RegisterResult,
    UserProfile,
    UserResult,
    UserStatus,
    UserSummary,
)
from lanying_async.testing import Emulator

pytestmark = pytest.mark.anyio


async def _user(client: LanyingClient, name: str, password: str = "pw") -> int:
    return (await client.users.register(username=name, password=password)).user_id


def _seed_devices(emu: Emulator, user_id: int, *devices: Device) -> None:
    emu.app_state().accounts.devices[user_id] = {d.device_sn: d for d in devices}


@pytest.fixture
async def token_client(emu: Emulator) -> AsyncIterator[tuple[int, LanyingClient]]:
    """A registered user and a client holding that user's own token (password "pw")."""
    async with emu.client() as admin:
        user_id = await _user(admin, "token_owner")
    token = emu.issue_user_token(user_id)
    async with LanyingClient(api_endpoint=emu.url, app_id=emu.app_id, access_token=token) as c:
        yield user_id, c


async def _raw(
    emu: Emulator,
    method: str,
    path: str,
    *,
    user_id: int | None = None,
    params: dict[str, str] | None = None,
    json: Any = None,
) -> dict[str, Any]:
    """One request sent without the SDK (to reach the emulator's own checks)."""
    async with (
        aiohttp.ClientSession() as session,
        session.request(
            method,
            emu.url + path,
            headers=emu.headers(user_id=user_id),
            params=params,
            json=json,
        ) as response,
    ):
        assert response.status == 200
        payload: dict[str, Any] = await response.json()
        return payload


# --- registration ---------------------------------------------------------------


async def test_register_batch_reports_each_user(client: LanyingClient, emu: Emulator) -> None:
    taken = await _user(client, "taken")
    results = await client.users.register_batch({"alice": "pa", "taken": "pt", "bob": "pb"})
    assert all(isinstance(r, RegisterResult) for r in results)
    assert [(r.username, r.success) for r in results] == [
        ("alice", True),
        ("taken", False),
        ("bob", True),
    ]
    assert results[1].reason == "user already exists" and results[1].user_id == 0
    app = emu.app_state()
    assert app.user_ids_by_name["alice"] == results[0].user_id
    assert app.user_ids_by_name["taken"] == taken
    assert app.users[results[2].user_id].password == "pb"
    [sent] = emu.requests_to("POST", "/user/register/batch")
    assert sent.body == {
        "list": [
            {"username": "alice", "password": "pa"},
            {"username": "taken", "password": "pt"},
            {"username": "bob", "password": "pb"},
        ]
    }


async def test_register_batch_server_checks_each_name(emu: Emulator) -> None:
    answer = await _raw(
        emu,
        "POST",
        "/user/register/batch",
        json={
            "list": [{"username": "maxim_x", "password": "p"}, {"username": "ok", "password": "p"}]
        },
    )
    assert answer["code"] == 200
    assert [r["success"] for r in answer["data"]] == [False, True]
    assert "maxim" in answer["data"][0]["reason"]
    assert (await _raw(emu, "POST", "/user/register/batch", json={"list": []}))["code"] == 10002


async def test_register_batch_validation_and_permission(
    client: LanyingClient, emu: Emulator, token_client: tuple[int, LanyingClient]
) -> None:
    with pytest.raises(ValidationError) as bad:
        await client.users.register_batch({"ok_name": "p", "12345": "p"})
    assert bad.value.field == "users['12345']"
    with pytest.raises(ValidationError) as empty:
        await client.users.register_batch({})
    assert empty.value.field == "users"
    with pytest.raises(ValidationError) as no_password:
        await client.users.register_batch({"fine": ""})
    assert no_password.value.field == "users['fine'].password"
    assert emu.requests_to("POST", "/user/register/batch") == []

    _, as_token = token_client
    with pytest.raises(PermissionDeniedError) as denied:
        await as_token.users.register_batch({"someone": "p"})
    assert denied.value.code == 10010
    assert "someone" not in emu.app_state().user_ids_by_name


async def test_register_push_user_keeps_push_details(client: LanyingClient, emu: Emulator) -> None:
    settings = await client.users.register_push_user(
        "pusher", "secret", push_token="tok-1", device_guid="guid-1", alias="al"
    )
    assert isinstance(settings, UserSettings)
    assert settings.push_token == "tok-1"
    app = emu.app_state()
    user = app.users[settings.user_id]
    assert (user.username, user.password) == ("pusher", "secret")
    registration = app.accounts.push_registrations[settings.user_id]
    assert (registration.device_guid, registration.alias, registration.sign) == (
        "guid-1",
        "al",
        None,
    )
    [sent] = emu.requests_to("POST", "/user/register/push")
    assert sent.body == {
        "username": "pusher",
        "password": "secret",
        "alias": "al",
        "device_guid": "guid-1",
        "push_token": "tok-1",
    }

    with pytest.raises(UserAlreadyExistsError) as taken:
        await client.users.register_push_user("pusher", "other")
    assert taken.value.code == 10004
    with pytest.raises(ValidationError) as bad:
        await client.users.register_push_user("mta_user", "p")
    assert bad.value.field == "username"
    with pytest.raises(ValidationError) as empty_token:
        await client.users.register_push_user("fine", "p", push_token="")
    assert empty_token.value.field == "push_token"
    assert len(emu.requests_to("POST", "/user/register/push")) == 2


# --- profile -------------------------------------------------------------------------


async def test_profile_reflects_updates(client: LanyingClient, emu: Emulator) -> None:
    uid = await _user(client, "prof")
    me = client.as_user(uid).users
    fresh = await me.profile()
    assert isinstance(fresh, UserProfile)
    assert (fresh.user_id, fresh.username, fresh.nick_name) == (uid, "prof", None)
    [get] = emu.requests_to("GET", "/user/profile")
    assert get.headers["user_id"] == str(uid)

    ok = await me.update_profile(
        nick_name="Prof", description="about me", public_info={"city": "Paris"}
    )
    assert ok is True
    [sent] = emu.requests_to("PUT", "/user/profile")
    assert sent.body == {
        "nick_name": "Prof",
        "description": "about me",
        "public_info": '{"city":"Paris"}',
    }
    assert await me.update_profile(private_info="secret") is True
    profile = await me.profile()
    assert (profile.nick_name, profile.description) == ("Prof", "about me")
    assert (profile.public_info, profile.private_info) == ('{"city":"Paris"}', "secret")
    stored = emu.app_state().accounts.profiles[uid]
    assert stored.nick_name == "Prof" and stored.private_info == "secret"


async def test_profile_needs_a_user_view_and_a_field(client: LanyingClient, emu: Emulator) -> None:
    with pytest.raises(InvalidParameterError) as no_user:
        await client.users.profile()
    assert no_user.value.code == 10002
    with pytest.raises(InvalidParameterError):
        await client.users.update_profile(nick_name="x")
    uid = await _user(client, "lazy")
    emu.clear_requests()
    with pytest.raises(ValidationError) as nothing:
        await client.as_user(uid).users.update_profile()
    assert nothing.value.field == "profile"
    with pytest.raises(ValidationError) as empty:
        await client.as_user(uid).users.update_profile(nick_name="")
    assert empty.value.field == "nick_name"
    assert len(emu.requests) == 0


async def test_empty_profile_fields_are_kept_by_the_server(
    client: LanyingClient, emu: Emulator
) -> None:
    uid = await _user(client, "keeper")
    await client.as_user(uid).users.update_profile(nick_name="Keep", description="d")
    answer = await _raw(
        emu, "POST", "/user/profile", user_id=uid, json={"nick_name": "", "description": "d2"}
    )
    assert answer == {"code": 200, "message": None, "data": True}
    profile = emu.app_state().accounts.profiles[uid]
    assert (profile.nick_name, profile.description) == ("Keep", "d2")


async def test_set_avatar_nickname_and_mobile(client: LanyingClient, emu: Emulator) -> None:
    uid = await _user(client, "pic")
    me = client.as_user(uid).users
    assert await me.set_avatar("https://cdn.example/a.png") is True
    assert await me.set_nickname("Picture") is True
    assert await me.set_mobile("13800000000") is True
    assert emu.requests_to("PUT", "/user/avatar")[0].body == {"avatar": "https://cdn.example/a.png"}
    assert emu.requests_to("PUT", "/user/nickname")[0].query == {"nick_name": "Picture"}
    assert emu.requests_to("PUT", "/user/mobile")[0].query == {"mobile": "13800000000"}
    profile = await me.profile()
    assert (profile.avatar, profile.nick_name, profile.mobile) == (
        "https://cdn.example/a.png",
        "Picture",
        "13800000000",
    )

    emu.clear_requests()
    for call, field in (
        (me.set_avatar(""), "avatar"),
        (me.set_nickname(""), "nickname"),
        (me.set_mobile(""), "mobile"),
    ):
        with pytest.raises(ValidationError) as bad:
            await call
        assert bad.value.field == field
    assert len(emu.requests) == 0
    with pytest.raises(InvalidParameterError):
        await client.users.set_nickname("nobody")


async def test_both_verbs_reach_the_same_handlers(client: LanyingClient, emu: Emulator) -> None:
    uid = await _user(client, "verbs")
    assert (await _raw(emu, "POST", "/user/avatar", user_id=uid, json={"avatar": "u"}))[
        "code"
    ] == 200
    assert (await _raw(emu, "POST", "/user/nickname", user_id=uid, params={"nick_name": "N"}))[
        "code"
    ] == 200
    assert (await _raw(emu, "POST", "/user/mobile", user_id=uid, params={"mobile": "1"}))[
        "code"
    ] == 200
    missing = await _raw(emu, "POST", "/user/mobile", user_id=uid)
    assert missing["code"] == 10002
    profile = emu.app_state().accounts.profiles[uid]
    assert (profile.avatar, profile.nick_name, profile.mobile) == ("u", "N", "1")


async def test_public_and_private_info_go_as_plain_text(
    client: LanyingClient, emu: Emulator
) -> None:
    uid = await _user(client, "info")
    me = client.as_user(uid).users
    assert await me.set_public_info("hello world") is True
    assert await me.set_private_info({"k": 1}) is True
    [public] = emu.requests_to("PUT", "/user/public")
    assert public.raw == b"hello world"
    [private] = emu.requests_to("PUT", "/user/private")
    assert private.raw == b'{"k":1}'
    profile = await me.profile()
    assert (profile.public_info, profile.private_info) == ("hello world", '{"k":1}')

    emu.clear_requests()
    with pytest.raises(ValidationError) as empty:
        await me.set_public_info("")
    assert empty.value.field == "info"
    assert len(emu.requests) == 0
    with pytest.raises(InvalidParameterError):
        await client.users.set_private_info("no user")


async def test_set_username_keeps_names_unique(client: LanyingClient, emu: Emulator) -> None:
    uid = await _user(client, "old_name")
    other = await _user(client, "other")
    me = client.as_user(uid).users
    assert await me.set_username("new_name") is True
    [sent] = emu.requests_to("PUT", "/user/username")
    assert sent.query == {"username": "new_name"}
    app = emu.app_state()
    assert app.users[uid].username == "new_name"
    assert app.user_ids_by_name["new_name"] == uid
    assert "old_name" not in app.user_ids_by_name
    assert (await me.profile()).username == "new_name"
    assert await me.set_username("new_name") is True  # unchanged is fine

    with pytest.raises(UserAlreadyExistsError) as taken:
        await me.set_username("other")
    assert taken.value.code == 10004
    assert app.user_ids_by_name["other"] == other
    # the spec gives this parameter no pattern: the server, not the SDK, refuses
    with pytest.raises(InvalidParameterError):
        await me.set_username("maxim_me")
    assert emu.requests_to("PUT", "/user/username")[-1].query == {"username": "maxim_me"}
    rule = await _raw(emu, "PUT", "/user/username", user_id=uid, params={"username": "123"})
    assert rule["code"] == 10002
    # the old name is free again
    assert (await client.users.register("old_name", "pw")).user_id != uid


# --- passwords and deletion -------------------------------------------------------------


async def test_change_password_checks_the_old_one(client: LanyingClient, emu: Emulator) -> None:
    uid = await _user(client, "pwd", "first")
    me = client.as_user(uid).users
    assert await me.change_password("first", "second") is True
    [sent] = emu.requests_to("POST", "/user/change_password")
    assert sent.body == {"old_password": "first", "new_password": "second"}
    assert emu.app_state().users[uid].password == "second"
    with pytest.raises(InvalidParameterError) as wrong:
        await me.change_password("first", "third")
    assert wrong.value.code == 10002
    assert emu.app_state().users[uid].password == "second"
    with pytest.raises(ValidationError) as empty:
        await me.change_password("second", "")
    assert empty.value.field == "new_password"


async def test_reset_password_needs_the_admin_token(
    client: LanyingClient, emu: Emulator, token_client: tuple[int, LanyingClient]
) -> None:
    uid = await _user(client, "forgetful", "lost")
    assert await client.as_user(uid).users.reset_password("fresh") is True
    [sent] = emu.requests_to("POST", "/user/change_password_admin")
    assert sent.body == {"password": "fresh"}
    assert sent.headers["user_id"] == str(uid)
    assert emu.app_state().users[uid].password == "fresh"

    with pytest.raises(InvalidParameterError):
        await client.users.reset_password("x")
    owner, as_token = token_client
    with pytest.raises(PermissionDeniedError) as denied:
        await as_token.users.reset_password("mine")
    assert denied.value.code == 10010
    assert emu.app_state().users[owner].password == "pw"


async def test_delete_makes_the_user_disappear(client: LanyingClient, emu: Emulator) -> None:
    uid = await _user(client, "doomed")
    friend = await _user(client, "friend")
    await client.as_user(uid).roster.add([friend])
    await client.as_user(uid).users.set_nickname("Doomed")
    _seed_devices(emu, uid, Device(1, online=True))
    emu.app_state().accounts.disabled.add(uid)

    assert await client.as_user(uid).users.delete() is True
    [sent] = emu.requests_to("DELETE", "/user/delete")
    assert sent.body == {} and sent.headers["user_id"] == str(uid)
    app = emu.app_state()
    assert uid not in app.users and "doomed" not in app.user_ids_by_name
    assert uid not in app.accounts.profiles and uid not in app.accounts.devices
    assert uid not in app.accounts.disabled
    assert uid not in app.rosters.get(friend, {})
    with pytest.raises(UserNotFoundError) as gone:
        await client.as_user(uid).users.profile()
    assert gone.value.code == 10000
    with pytest.raises(UserNotFoundError):
        await client.as_user(uid).users.delete()
    assert (await client.users.register("doomed", "pw")).user_id != uid


async def test_delete_with_own_token_needs_the_password(
    emu: Emulator, token_client: tuple[int, LanyingClient]
) -> None:
    uid, as_token = token_client
    with pytest.raises(InvalidParameterError) as missing:
        await as_token.users.delete()
    assert missing.value.code == 10002
    with pytest.raises(InvalidParameterError):
        await as_token.users.delete(password="wrong")
    assert uid in emu.app_state().users
    assert await as_token.users.delete(password="pw") is True
    assert emu.requests_to("DELETE", "/user/delete")[-1].body == {"password": "pw"}
    assert uid not in emu.app_state().users


# --- devices and presence ---------------------------------------------------------------


async def test_devices_are_listed_kicked_and_removed(client: LanyingClient, emu: Emulator) -> None:
    uid = await _user(client, "mobile_user")
    _seed_devices(
        emu,
        uid,
        Device(1, platform=1, online=True, user_agent="iPhone"),
        Device(2, platform=6, online=True),
        Device(3, platform=2, online=False),
    )
    me = client.as_user(uid).users
    found = await me.devices()
    assert all(isinstance(d, DeviceInfo) for d in found)
    assert [(d.device_sn, d.platform, d.user_id) for d in found] == [
        (1, DevicePlatform.IOS, uid),
        (2, DevicePlatform.WEB, uid),
        (3, DevicePlatform.ANDROID, uid),
    ]
    assert found[0].user_agent == "iPhone" and found[1].user_agent is None
    status = await me.online_status()
    assert isinstance(status, OnlineStatus) and status.online is True

    devices = emu.app_state().accounts.devices[uid]
    assert await me.kick_device(1) is True
    assert emu.requests_to("PUT", "/user/kick")[0].query == {"device_sn": "1"}
    assert (devices[1].online, devices[2].online) == (False, True)
    assert (await me.online_status()).online is True
    assert await me.kick_device() is True
    assert emu.requests_to("PUT", "/user/kick")[1].query == {}
    assert not any(d.online for d in devices.values())
    assert (await me.online_status()).online is False

    assert await me.remove_device(2) is True
    assert emu.requests_to("DELETE", "/user/device/remove")[0].query == {"device_sn": "2"}
    assert sorted(devices) == [1, 3]
    assert [d.device_sn for d in await me.devices()] == [1, 3]

    with pytest.raises(InvalidParameterError) as unknown:
        await me.remove_device(2)
    assert unknown.value.code == 10002
    with pytest.raises(InvalidParameterError):
        await me.kick_device(99)
    emu.clear_requests()
    for bad in (-1, 2**31, True):
        with pytest.raises(ValidationError) as invalid:
            await me.kick_device(bad)
        assert invalid.value.field == "device_sn"
    assert len(emu.requests) == 0


async def test_device_routes_need_a_user(client: LanyingClient, emu: Emulator) -> None:
    uid = await _user(client, "lonely")
    assert await client.as_user(uid).users.devices() == []
    assert (await client.as_user(uid).users.online_status()).online is False
    for call in (client.users.devices(), client.users.online_status(), client.users.kick_device()):
        with pytest.raises(InvalidParameterError):
            await call
    answer = await _raw(emu, "POST", "/user/device/remove", user_id=uid, params={"device_sn": "1"})
    assert answer["code"] == 10002
    _seed_devices(emu, uid, Device(5))
    answer = await _raw(emu, "POST", "/user/device/remove", user_id=uid, params={"device_sn": "5"})
    assert answer["code"] == 200 and emu.app_state().accounts.devices[uid] == {}
    _seed_devices(emu, uid, Device(6, online=True))
    answer = await _raw(emu, "POST", "/user/kick", user_id=uid)
    assert answer["code"] == 200 and not emu.app_state().accounts.devices[uid][6].online


# --- administration ---------------------------------------------------------------------


async def test_disable_and_enable(client: LanyingClient, emu: Emulator) -> None:
    a = await _user(client, "dis_a")
    b = await _user(client, "dis_b")
    _seed_devices(emu, a, Device(1, online=True))
    accounts = emu.app_state().accounts

    assert await client.users.disable([a, b]) is True
    [sent] = emu.requests_to("PUT", "/user/disable")
    assert sent.body == {"list": [a, b]}
    assert accounts.disabled == {a, b}
    assert accounts.devices[a][1].online is False
    statuses = {u.user_id: u.status for u in await client.users.list().collect()}
    assert statuses == {a: UserStatus.DISABLED, b: UserStatus.DISABLED}

    assert await client.users.enable([b]) is True
    assert emu.requests_to("PUT", "/user/enable")[0].body == {"list": [b]}
    assert accounts.disabled == {a}
    users = {u.user_id: u for u in await client.users.list().collect()}
    assert users[a].disabled and not users[b].disabled

    with pytest.raises(UserNotFoundError) as unknown:
        await client.users.disable([b, 12345])
    assert unknown.value.code == 10000
    assert accounts.disabled == {a}
    with pytest.raises(UserNotFoundError):
        await client.users.enable([a, 12345])
    assert accounts.disabled == {a}

    emu.clear_requests()
    with pytest.raises(ValidationError) as empty:
        await client.users.disable([])
    assert empty.value.field == "user_ids"
    with pytest.raises(ValidationError) as bad:
        await client.users.enable([a, 0])
    assert bad.value.field == "user_ids[1]"
    assert len(emu.requests) == 0


async def test_admin_operations_refuse_user_tokens(
    emu: Emulator, token_client: tuple[int, LanyingClient]
) -> None:
    uid, as_token = token_client
    for call in (
        as_token.users.disable([uid]),
        as_token.users.enable([uid]),
        as_token.users.set_avatars({uid: "u"}),
        as_token.users.update_profiles([ProfileUpdate(user_id=uid, nick_name="n")]),
        as_token.users.list(),
    ):
        with pytest.raises(PermissionDeniedError) as denied:
            await call
        assert denied.value.code == 10010
    assert emu.app_state().accounts.disabled == set()
    assert uid not in emu.app_state().accounts.profiles


async def test_list_walks_page_numbers(client: LanyingClient, emu: Emulator) -> None:
    ids = [await _user(client, f"member_{i}") for i in range(5)]
    first = await client.users.list(page_size=2)
    assert [u.user_id for u in first.items] == ids[:2] and first.next_token == 2
    assert all(isinstance(u, UserSummary) for u in first.items)
    assert first.items[0].username == "member_0" and first.items[0].status == UserStatus.NORMAL

    emu.clear_requests()
    everyone = await client.users.list(page_size=2).collect()
    assert [u.user_id for u in everyone] == ids
    assert [r.query for r in emu.requests_to("GET", "/user/list")] == [
        {"page_num": "1", "page_size": "2"},
        {"page_num": "2", "page_size": "2"},
        {"page_num": "3", "page_size": "2"},
    ]
    later = await client.users.list(page_num=2, page_size=3)
    assert [u.user_id for u in later.items] == ids[3:] and later.next_token is None
    assert [u.user_id for u in await client.users.list().collect()] == ids

    emu.clear_requests()
    for kwargs, field in (
        ({"page_size": 0}, "page_size"),
        ({"page_size": 201}, "page_size"),
        ({"page_num": 0}, "page_num"),
    ):
        with pytest.raises(ValidationError) as bad:
            client.users.list(**kwargs)
        assert bad.value.field == field
    assert len(emu.requests) == 0
    too_big = await _raw(emu, "GET", "/user/list", params={"page_size": "500"})
    assert too_big["code"] == 10002
    default = await _raw(emu, "GET", "/user/list")
    assert default["code"] == 200 and len(default["data"]) == 5


async def test_set_avatars_reports_each_user(client: LanyingClient, emu: Emulator) -> None:
    a = await _user(client, "ava")
    b = await _user(client, "avb")
    results = await client.users.set_avatars({a: "https://x/a.png", 424242: "u", b: "https://x/b"})
    assert all(isinstance(r, UserResult) for r in results)
    assert [(r.user_id, r.success, r.reason) for r in results] == [
        (a, True, None),
        (424242, False, "user not found"),
        (b, True, None),
    ]
    [sent] = emu.requests_to("PUT", "/user/avatar/batch")
    assert sent.body == {
        "list": [
            {"user_id": a, "avatar": "https://x/a.png"},
            {"user_id": 424242, "avatar": "u"},
            {"user_id": b, "avatar": "https://x/b"},
        ]
    }
    profiles = emu.app_state().accounts.profiles
    assert (profiles[a].avatar, profiles[b].avatar) == ("https://x/a.png", "https://x/b")

    emu.clear_requests()
    with pytest.raises(ValidationError) as empty_url:
        await client.users.set_avatars({a: ""})
    assert empty_url.value.field == f"avatars[{a}]"
    with pytest.raises(ValidationError) as bad_id:
        await client.users.set_avatars({-3: "u"})
    assert bad_id.value.field == "avatars key"
    with pytest.raises(ValidationError):
        await client.users.set_avatars({})
    assert len(emu.requests) == 0


async def test_update_profiles_reports_each_user(client: LanyingClient, emu: Emulator) -> None:
    a = await _user(client, "pa")
    b = await _user(client, "pb")
    await client.as_user(b).users.update_profile(description="kept")
    results = await client.users.update_profiles(
        [
            ProfileUpdate(user_id=a, nick_name="A", public_info="pub"),
            ProfileUpdate(user_id=999, nick_name="ghost"),
            ProfileUpdate(user_id=b, private_info="priv"),
        ]
    )
    assert [(r.user_id, r.success) for r in results] == [(a, True), (999, False), (b, True)]
    assert results[1].reason == "user not found"
    [sent] = emu.requests_to("PUT", "/user/profile/batch")
    assert sent.body == {
        "list": [
            {"user_id": a, "nick_name": "A", "public_info": "pub"},
            {"user_id": 999, "nick_name": "ghost"},
            {"user_id": b, "private_info": "priv"},
        ]
    }
    pb = await client.as_user(b).users.profile()
    assert (pb.description, pb.private_info) == ("kept", "priv")
    assert (await client.as_user(a).users.profile()).nick_name == "A"

    emu.clear_requests()
    with pytest.raises(ValidationError) as nothing:
        await client.users.update_profiles([ProfileUpdate(user_id=a)])
    assert nothing.value.field == "updates[0]"
    with pytest.raises(ValidationError) as bad_id:
        await client.users.update_profiles([ProfileUpdate(user_id=0, nick_name="x")])
    assert bad_id.value.field == "updates[0].user_id"
    with pytest.raises(ValidationError) as empty:
        await client.users.update_profiles([])
    assert empty.value.field == "updates"
    assert len(emu.requests) == 0
