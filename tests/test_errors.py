"""Business codes become the right exception classes; the registry is open."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import aiohttp
import pytest

from lanying_async import (
    AlreadyGroupMemberError,
    AppNotFoundError,
    ErrorRegistry,
    GroupAdminRequiredError,
    GroupAPIError,
    GroupMemberRequiredError,
    GroupNotFoundError,
    GroupOwnerRequiredError,
    InvalidAccessTokenError,
    InvalidParameterError,
    LanyingAPIError,
    LanyingClient,
    LicenseAPIError,
    PushAPIError,
    PushTargetLimitError,
    UserAlreadyExistsError,
    UserAPIError,
    UserNotFoundError,
)
from lanying_async.errors import AppAPIError, default_registry
from lanying_async.testing import Emulator

pytestmark = pytest.mark.anyio

GUIDE = Path(__file__).resolve().parents[2] / "shared" / "lanying-api" / "server-api-guide.seed.md"


def _guide_codes() -> list[int]:
    """The codes of the guide's error table (falls back to the registry when absent)."""
    if GUIDE.exists():
        return [int(c) for c in re.findall(r"^\| (\d{5}) +\|", GUIDE.read_text(), re.M)]
    return sorted(default_registry.codes())


def test_every_documented_code_has_its_own_class() -> None:
    codes = _guide_codes()
    assert len(codes) >= 48
    classes = default_registry.codes()
    for code in codes:
        cls = classes[code]
        assert cls.default_code == code
        assert cls.__name__.endswith("Error")
    assert len({classes[c] for c in codes}) == len(codes)


@pytest.mark.parametrize(
    ("code", "base"),
    [
        (10000, UserAPIError),
        (10012, UserAPIError),
        (12005, PushAPIError),
        (20001, GroupAPIError),
        (20025, GroupAPIError),
        (30022, LicenseAPIError),
        (40000, AppAPIError),
    ],
)
def test_classes_sit_under_their_domain_base(code: int, base: type[LanyingAPIError]) -> None:
    cls = default_registry.lookup(code)
    assert issubclass(cls, base) and cls is not base
    assert issubclass(cls, LanyingAPIError)


def test_unknown_codes_fall_back_keeping_the_code() -> None:
    err = default_registry.build(10099, "new", "GET", "/x")
    assert type(err) is UserAPIError and err.code == 10099
    assert type(default_registry.build(12099, None)) is PushAPIError
    assert type(default_registry.build(29999, None)) is GroupAPIError
    odd = default_registry.build(77777, "odd", "POST", "/y")
    assert type(odd) is LanyingAPIError and odd.code == 77777
    assert "77777" in str(odd) and "POST /y" in str(odd)


def test_errors_pickle_with_their_fields() -> None:
    err = default_registry.build(20001, "gone", "GET", "/group/info")
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is GroupNotFoundError
    assert (copy.code, copy.message, copy.method, copy.path) == (
        20001,
        "gone",
        "GET",
        "/group/info",
    )


def test_registry_rejects_non_error_classes() -> None:
    with pytest.raises(TypeError):
        ErrorRegistry().register(1, ValueError)  # type: ignore[arg-type]


async def test_every_documented_code_raises_its_class_through_the_client(
    client: LanyingClient, emu: Emulator
) -> None:
    for code in _guide_codes():
        emu.force_error("POST", "/user/register/v2", code, f"boom {code}")
        with pytest.raises(LanyingAPIError) as info:
            await client.users.register(username="someone", password="pw")
        assert type(info.value) is default_registry.lookup(code)
        assert info.value.code == code
        assert info.value.message == f"boom {code}"
        assert (info.value.method, info.value.path) == ("POST", "/user/register/v2")


async def test_custom_registry_classes_are_raised(emu: Emulator) -> None:
    class QuotaError(LanyingAPIError):
        pass

    registry = default_registry.copy()
    registry.register(50001, QuotaError)
    emu.force_error("POST", "/user/register/v2", 50001, "quota")
    async with emu.client(error_registry=registry) as client:
        with pytest.raises(QuotaError) as info:
            await client.users.register(username="someone", password="pw")
    assert info.value.code == 50001
    assert 50001 not in default_registry.codes()


# --- codes the emulator produces by its own rules ---------------------------


async def test_duplicate_username(client: LanyingClient) -> None:
    await client.users.register(username="taken", password="pw")
    with pytest.raises(UserAlreadyExistsError):
        await client.users.register(username="taken", password="pw")


async def test_unknown_user_scope_and_unknown_friend(client: LanyingClient) -> None:
    with pytest.raises(UserNotFoundError):
        await client.as_user(123456789).roster.list()
    me = await client.users.register(username="me", password="pw")
    with pytest.raises(UserNotFoundError):
        await client.as_user(me.user_id).roster.add([987654321])


async def test_invalid_parameters_from_the_server(client: LanyingClient) -> None:
    # Creating a group needs a user to own it.
    with pytest.raises(InvalidParameterError):
        await client.groups.create(name="nobody owns me")


async def test_bad_token_and_unknown_app(emu: Emulator) -> None:
    async with LanyingClient(
        api_endpoint=emu.url, app_id=emu.app_id, access_token="not-the-token"
    ) as bad:
        with pytest.raises(InvalidAccessTokenError):
            await bad.roster.list()
    async with LanyingClient(
        api_endpoint=emu.url, app_id="no_such_app", access_token=emu.admin_token
    ) as other:
        with pytest.raises(AppNotFoundError):
            await other.roster.list()


async def test_missing_token_is_10003_on_the_wire(emu: Emulator) -> None:
    async with aiohttp.ClientSession() as raw:
        resp = await raw.get(f"{emu.url}/user/rosters", headers={"app_id": emu.app_id})
        body = await resp.json()
    assert body["code"] == 10003


async def test_group_permission_codes(client: LanyingClient) -> None:
    owner, member, outsider, newcomer = [
        (await client.users.register(username=n, password="pw")).user_id
        for n in ("owner", "member", "outsider", "newcomer")
    ]
    group = await client.as_user(owner).groups.create(name="g")
    await client.as_user(owner).groups.invite_once(group.group_id, [member])

    with pytest.raises(GroupNotFoundError):
        await client.as_user(owner).groups.destroy(55555)
    with pytest.raises(GroupMemberRequiredError):
        await client.as_user(outsider).groups.invite_once(group.group_id, [newcomer])
    with pytest.raises(GroupMemberRequiredError):
        await client.as_user(outsider).groups.members(group.group_id)
    with pytest.raises(GroupOwnerRequiredError):
        await client.as_user(member).groups.destroy(group.group_id)
    with pytest.raises(AlreadyGroupMemberError):
        await client.as_user(owner).groups.invite_once(group.group_id, [member])
    assert group.member_invite is True


async def test_member_invite_off_needs_an_admin(client: LanyingClient, emu: Emulator) -> None:
    owner, member, newcomer = [
        (await client.users.register(username=n, password="pw")).user_id
        for n in ("owner", "member", "newcomer")
    ]
    group = await client.as_user(owner).groups.create(name="g")
    await client.as_user(owner).groups.invite_once(group.group_id, [member])
    emu.app_state().groups[group.group_id].member_invite = False
    with pytest.raises(GroupAdminRequiredError):
        await client.as_user(member).groups.invite_once(group.group_id, [newcomer])


async def test_push_over_500_is_12005_on_the_wire(emu: Emulator) -> None:
    async with aiohttp.ClientSession() as raw:
        resp = await raw.post(
            f"{emu.url}/push/notify",
            json={"audience": {"user_id": list(range(1, 502))}, "message": {"body": "x"}},
            headers=emu.headers(),
        )
        body = await resp.json()
    assert body["code"] == 12005
    assert issubclass(default_registry.lookup(12005), PushTargetLimitError)
