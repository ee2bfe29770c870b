"""Core group operations end to end: roles, membership, information and settings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from lanying_async import ApplyApproval, GroupStatus, GroupType, LanyingClient
from lanying_async.bulk import BulkOptions
from lanying_async.emulator.state_group_moderation import RequestStatus, SeqMap
from lanying_async.errors import (
    AlreadyGroupMemberError,
    GroupAdminRequiredError,
    GroupBlockedUserError,
    GroupFullError,
    GroupMemberRequiredError,
    GroupNotFoundError,
    GroupOwnerRequiredError,
    InvalidParameterError,
    KickLimitExceededError,
    OwnerCannotLeaveError,
    TransferTargetNotMemberError,
    UserNotFoundError,
    ValidationError,
)
from lanying_async.models.groups import (
    GroupBrief,
    GroupInfo,
    GroupMember,
    GroupMuteMode,
    GroupPushMode,
    MemberResult,
)
from lanying_async.testing import Emulator

pytestmark = pytest.mark.anyio

UNKNOWN_GROUP = 55555
UNKNOWN_USER = 66666


@dataclass
class World:
    """An owner, two members (``a``, ``b``), an outsider and their group."""

    owner: int
    a: int
    b: int
    outsider: int
    group_id: int


async def _users(client: LanyingClient, *names: str) -> list[int]:
    return [(await client.users.register(username=n, password="pw")).user_id for n in names]


async def _world(client: LanyingClient) -> World:
    owner, a, b, outsider = await _users(client, "owner", "ua", "ub", "outsider")
    group = await client.as_user(owner).groups.create(name="g", members=[a, b])
    return World(owner, a, b, outsider, group.group_id)


async def _raw(
    emu: Emulator,
    method: str,
    path: str,
    *,
    user_id: int | None = None,
    body: Any = None,
    params: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Send one request without the SDK and return the decoded envelope."""
    async with aiohttp.ClientSession() as session:
        async with session.request(
            method,
            f"{emu.url}{path}",
            json=body,
            params=params,
            headers=emu.headers(user_id=user_id),
        ) as response:
            assert response.status == 200
            envelope: dict[str, Any] = await response.json()
    return envelope


def _role(emu: Emulator, group_id: int, user_id: int) -> str | None:
    member = emu.app_state().groups[group_id].members.get(user_id)
    return None if member is None else member.role.value


# --- roles -----------------------------------------------------------------------------


async def test_add_admins_reports_per_user_and_sets_roles(
    client: LanyingClient, emu: Emulator
) -> None:
    w = await _world(client)
    owner = client.as_user(w.owner).groups
    results = await owner.add_admins(w.group_id, [w.a, w.owner, w.outsider])
    assert all(isinstance(r, MemberResult) for r in results)
    assert [(r.user_id, r.ok) for r in results] == [
        (w.a, True),
        (w.owner, False),
        (w.outsider, False),
    ]
    assert results[2].reason == "not a group member"
    [sent] = emu.requests_to("POST", "/group/admin/add")
    assert sent.body == {"group_id": w.group_id, "user_list": [w.a, w.owner, w.outsider]}
    assert sent.headers["user_id"] == str(w.owner)
    assert _role(emu, w.group_id, w.a) == "admin"

    again = await owner.add_admins(w.group_id, [w.a])
    assert again[0].result == "fail" and again[0].reason == "already an admin"

    admins = await client.as_user(w.b).groups.admins(w.group_id)
    assert [(m.user_id, type(m)) for m in admins] == [(w.a, GroupMember)]
    assert admins[0].join_time > 0
    assert emu.requests_to("GET", "/group/admin_list")[0].query == {"group_id": str(w.group_id)}


async def test_only_the_owner_manages_admins(client: LanyingClient) -> None:
    w = await _world(client)
    await client.as_user(w.owner).groups.add_admins(w.group_id, [w.a])
    with pytest.raises(GroupOwnerRequiredError) as admin_err:
        await client.as_user(w.a).groups.add_admins(w.group_id, [w.b])
    assert admin_err.value.code == 20013
    with pytest.raises(GroupOwnerRequiredError):
        await client.as_user(w.b).groups.remove_admins(w.group_id, [w.a])
    with pytest.raises(GroupMemberRequiredError) as outsider_err:
        await client.as_user(w.outsider).groups.add_admins(w.group_id, [w.b])
    assert outsider_err.value.code == 20011
    with pytest.raises(GroupNotFoundError) as missing:
        await client.as_user(w.owner).groups.add_admins(UNKNOWN_GROUP, [w.a])
    assert missing.value.code == 20001
    with pytest.raises(GroupMemberRequiredError):
        await client.as_user(w.outsider).groups.admins(w.group_id)
    with pytest.raises(GroupNotFoundError):
        await client.as_user(w.owner).groups.admins(UNKNOWN_GROUP)


async def test_remove_admins_sends_delete_with_body(client: LanyingClient, emu: Emulator) -> None:
    w = await _world(client)
    owner = client.as_user(w.owner).groups
    await owner.add_admins(w.group_id, [w.a])
    results = await owner.remove_admins(w.group_id, [w.a, w.b])
    assert [(r.user_id, r.ok, r.reason) for r in results] == [
        (w.a, True, None),
        (w.b, False, "not an admin"),
    ]
    [sent] = emu.requests_to("DELETE", "/group/admin/remove")
    assert sent.body == {"group_id": w.group_id, "user_list": [w.a, w.b]}
    assert _role(emu, w.group_id, w.a) == "member"
    assert await owner.admins(w.group_id) == []


async def test_transfer_hands_the_group_over(client: LanyingClient, emu: Emulator) -> None:
    w = await _world(client)
    result = await client.as_user(w.owner).groups.transfer(w.group_id, w.a)
    assert isinstance(result, MemberResult)
    assert (result.user_id, result.ok) == (w.a, True)
    [sent] = emu.requests_to("PUT", "/group/transfer")
    assert sent.body == {"group_id": w.group_id, "new_owner": w.a}
    group = emu.app_state().groups[w.group_id]
    assert group.owner_id == w.a
    assert (_role(emu, w.group_id, w.a), _role(emu, w.group_id, w.owner)) == ("owner", "member")
    assert (await client.as_user(w.b).groups.info(w.group_id)).owner_id == w.a

    # The previous owner is a plain member now and may leave; the new one may not.
    with pytest.raises(GroupOwnerRequiredError):
        await client.as_user(w.owner).groups.transfer(w.group_id, w.b)
    assert await client.as_user(w.owner).groups.leave(w.group_id) is True
    with pytest.raises(OwnerCannotLeaveError):
        await client.as_user(w.a).groups.leave(w.group_id)


async def test_transfer_errors(client: LanyingClient) -> None:
    w = await _world(client)
    owner = client.as_user(w.owner).groups
    with pytest.raises(TransferTargetNotMemberError) as not_member:
        await owner.transfer(w.group_id, w.outsider)
    assert not_member.value.code == 20005
    with pytest.raises(UserNotFoundError) as unknown:
        await owner.transfer(w.group_id, 987654321)
    assert unknown.value.code == 10000
    with pytest.raises(InvalidParameterError):
        await owner.transfer(w.group_id, w.owner)
    with pytest.raises(GroupOwnerRequiredError):
        await client.as_user(w.a).groups.transfer(w.group_id, w.b)
    with pytest.raises(GroupNotFoundError):
        await owner.transfer(UNKNOWN_GROUP, w.a)


# --- membership -------------------------------------------------------------------------


async def test_leave_and_joined(client: LanyingClient, emu: Emulator) -> None:
    w = await _world(client)
    other = await client.as_user(w.a).groups.create(name="second")
    assert await client.as_user(w.a).groups.joined() == [w.group_id, other.group_id]
    [sent] = emu.requests_to("GET", "/group/user_joined")
    assert sent.headers["user_id"] == str(w.a) and sent.query == {}

    version = emu.app_state().groups[w.group_id].members_version
    assert await client.as_user(w.a).groups.leave(w.group_id) is True
    [left] = emu.requests_to("DELETE", "/group/leave")
    assert left.query == {"group_id": str(w.group_id)}
    group = emu.app_state().groups[w.group_id]
    assert w.a not in group.members and group.members_version > version
    assert await client.as_user(w.a).groups.joined() == [other.group_id]

    await client.as_user(w.a).groups.destroy(other.group_id)
    assert await client.as_user(w.a).groups.joined() == []


async def test_leave_errors(client: LanyingClient) -> None:
    w = await _world(client)
    with pytest.raises(OwnerCannotLeaveError) as owner_err:
        await client.as_user(w.owner).groups.leave(w.group_id)
    assert owner_err.value.code == 20004
    with pytest.raises(GroupMemberRequiredError):
        await client.as_user(w.outsider).groups.leave(w.group_id)
    with pytest.raises(GroupNotFoundError):
        await client.as_user(w.a).groups.leave(UNKNOWN_GROUP)
    with pytest.raises(InvalidParameterError) as no_user:
        await client.groups.leave(w.group_id)
    assert no_user.value.code == 10002
    with pytest.raises(InvalidParameterError):
        await client.groups.joined()


async def test_kick_rules_and_results(client: LanyingClient, emu: Emulator) -> None:
    w = await _world(client)
    (c,) = await _users(client, "uc")
    owner = client.as_user(w.owner).groups
    await owner.invite_once(w.group_id, [c])
    await owner.add_admins(w.group_id, [w.a])

    # An admin kicks plain members but neither admins nor the owner.
    results = await client.as_user(w.a).groups.kick(w.group_id, [w.b, w.owner, w.outsider])
    assert [(r.user_id, r.ok) for r in results] == [
        (w.b, True),
        (w.owner, False),
        (w.outsider, False),
    ]
    assert results[1].reason == "the owner cannot be kicked"
    [sent] = emu.requests_to("DELETE", "/group/kick")
    assert sent.body == {"group_id": w.group_id, "user_list": [w.b, w.owner, w.outsider]}
    assert sent.headers["user_id"] == str(w.a)
    assert w.b not in emu.app_state().groups[w.group_id].members
    assert emu.app_state().group_ext.kicks[(w.group_id, w.b)] == 1

    await owner.add_admins(w.group_id, [c])
    [refused] = await client.as_user(w.a).groups.kick(w.group_id, [c])
    assert not refused.ok and refused.reason == "only the owner may kick an admin"
    [kicked] = await owner.kick(w.group_id, [c])
    assert kicked.ok and c not in emu.app_state().groups[w.group_id].members
    assert w.b not in [m.user_id async for m in owner.members(w.group_id)]


async def test_kick_permissions(client: LanyingClient) -> None:
    w = await _world(client)
    with pytest.raises(GroupAdminRequiredError) as member_err:
        await client.as_user(w.a).groups.kick(w.group_id, [w.b])
    assert member_err.value.code == 20012
    with pytest.raises(GroupMemberRequiredError):
        await client.as_user(w.outsider).groups.kick(w.group_id, [w.b])
    with pytest.raises(GroupNotFoundError):
        await client.as_user(w.owner).groups.kick(UNKNOWN_GROUP, [w.b])
    # The app admin token scoped to the group acts as one of its admins.
    [result] = await client.as_group_admin(w.group_id).groups.kick(w.group_id, [w.b])
    assert result.ok


async def test_kicked_too_often_cannot_come_back(client: LanyingClient, emu: Emulator) -> None:
    w = await _world(client)
    owner = client.as_user(w.owner).groups
    limit = emu.app_state().group_ext.kick_limit
    assert limit == 3
    for round_ in range(limit):
        assert (await owner.kick(w.group_id, [w.b]))[0].ok
        if round_ < limit - 1:
            assert (await owner.invite_once(w.group_id, [w.b]))[0].ok
    assert emu.app_state().group_ext.kicks[(w.group_id, w.b)] == limit
    with pytest.raises(KickLimitExceededError) as err:
        await owner.invite_once(w.group_id, [w.b])
    assert err.value.code == 20016
    results = await owner.invite_once(w.group_id, [w.b, w.outsider])
    assert [(r.user_id, r.ok, r.reason) for r in results] == [
        (w.b, False, "user was kicked too often and cannot rejoin"),
        (w.outsider, True, None),
    ]
    assert w.b not in emu.app_state().groups[w.group_id].members


async def test_invite_of_a_confirming_user_records_an_invitation(
    client: LanyingClient, emu: Emulator
) -> None:
    w = await _world(client)
    assert await client.as_user(w.outsider).users.update_settings(group_confirm=True)
    app = emu.app_state()
    [result] = await client.as_user(w.a).groups.invite_once(
        w.group_id, [w.outsider], reason="join us"
    )
    assert (result.user_id, result.ok) == (w.outsider, True)
    assert w.outsider not in app.groups[w.group_id].members
    invitation = app.moderation.invitations[(w.group_id, w.outsider)]
    assert (invitation.inviter_id, invitation.invitee_id) == (w.a, w.outsider)
    assert invitation.reason == "join us"
    assert invitation.status is RequestStatus.PENDING
    assert invitation.expire_at > invitation.created_at


async def test_checked_optional_arguments_still_reach_the_server(
    client: LanyingClient, emu: Emulator
) -> None:
    w = await _world(client)
    made = await client.as_user(w.owner).groups.create("docs", "", avatar="https://a/g.png")
    group = emu.app_state().groups[made.group_id]
    assert (group.description, group.avatar) == ("", "https://a/g.png")
    report = await client.as_user(w.owner).groups.invite(
        made.group_id, [w.a, w.b], reason="", options=BulkOptions(chunk_size=1)
    )
    assert sorted(report.succeeded) == sorted([w.a, w.b])
    assert [r.body["reason"] for r in emu.requests_to("POST", "/group/invite")] == ["", ""]


async def test_invite_refuses_blocked_users_and_full_groups(
    client: LanyingClient, emu: Emulator
) -> None:
    w = await _world(client)
    (c,) = await _users(client, "uc")
    app = emu.app_state()
    blocked: SeqMap[int, int] = SeqMap()
    blocked[w.outsider] = 0
    app.moderation.blocked[w.group_id] = blocked
    owner = client.as_user(w.owner).groups
    with pytest.raises(GroupBlockedUserError) as err:
        await owner.invite_once(w.group_id, [w.outsider])
    assert err.value.code == 20018
    results = await owner.invite_once(w.group_id, [w.outsider, c])
    assert [(r.user_id, r.ok, r.reason) for r in results] == [
        (w.outsider, False, "user is in the group block list"),
        (c, True, None),
    ]
    with pytest.raises(AlreadyGroupMemberError):
        await owner.invite_once(w.group_id, [c])

    app.groups[w.group_id].capacity = len(app.groups[w.group_id].members)
    (d,) = await _users(client, "ud")
    with pytest.raises(GroupFullError) as full:
        await owner.invite_once(w.group_id, [d])
    assert full.value.code == 20010


async def test_one_invite_applies_every_rule_per_user(client: LanyingClient, emu: Emulator) -> None:
    w = await _world(client)
    fresh = await _users(client, "n1", "n2", "blocked", "confirming", "late")
    n1, n2, blocked_user, confirming, late = fresh
    app = emu.app_state()
    blocked: SeqMap[int, int] = SeqMap()
    blocked[blocked_user] = 0
    app.moderation.blocked[w.group_id] = blocked
    assert await client.as_user(confirming).users.update_settings(group_confirm=True)
    group = app.groups[w.group_id]
    group.capacity = len(group.members) + 2  # room for two newcomers
    asked = [n1, w.a, UNKNOWN_USER, blocked_user, confirming, n1, n2, late]
    results = await client.as_user(w.owner).groups.invite_once(w.group_id, asked)
    assert [(r.user_id, r.ok, r.reason) for r in results] == [
        (n1, True, None),
        (w.a, False, "user is already a group member"),
        (UNKNOWN_USER, False, "user not found"),
        (blocked_user, False, "user is in the group block list"),
        (confirming, True, None),  # an invitation, not a membership
        (n1, False, "user is already a group member"),
        (n2, True, None),
        (late, False, "group member limit reached"),
    ]
    assert [m.user_id for m in group.members][-2:] == [n1, n2]
    assert (w.group_id, confirming) in app.moderation.invitations


async def test_a_mass_invite_adds_everyone_in_order(client: LanyingClient, emu: Emulator) -> None:
    w = await _world(client)
    newcomers = await _users(client, *(f"m{i}" for i in range(30)))
    results = await client.as_user(w.owner).groups.invite_once(w.group_id, newcomers)
    assert [(r.user_id, r.ok) for r in results] == [(u, True) for u in newcomers]
    page = await client.as_user(w.owner).groups.members(w.group_id, limit=10).collect()
    assert [m.user_id for m in page] == [w.owner, w.a, w.b, *newcomers]
    again = await client.as_user(w.owner).groups.invite_once(w.group_id, newcomers[:2])
    assert [r.reason for r in again] == ["user is already a group member"] * 2


async def test_a_mass_invite_of_known_users_still_asks_those_who_confirm(
    client: LanyingClient, emu: Emulator
) -> None:
    w = await _world(client)
    joins, confirms, changed_mind = await _users(client, "j", "c", "m")
    assert await client.as_user(confirms).users.update_settings(group_confirm=True)
    assert await client.as_user(changed_mind).users.update_settings(group_confirm=True)
    assert await client.as_user(changed_mind).users.update_settings(group_confirm=False)
    asked = [joins, confirms, changed_mind]
    results = await client.as_user(w.owner).groups.invite_once(w.group_id, asked)
    assert [(r.user_id, r.ok) for r in results] == [(u, True) for u in asked]
    app = emu.app_state()
    assert [m.user_id for m in app.groups[w.group_id].members][-2:] == [joins, changed_mind]
    assert (w.group_id, confirms) in app.moderation.invitations


async def test_display_names(client: LanyingClient, emu: Emulator) -> None:
    w = await _world(client)
    assert await client.as_user(w.a).groups.set_display_name(w.group_id, "Alice") is True
    [sent] = emu.requests_to("PUT", "/group/display_name")
    assert sent.body == {"group_id": w.group_id, "value": "Alice"}
    assert sent.headers["user_id"] == str(w.a)
    assert emu.app_state().groups[w.group_id].members.get(w.a).display_name == "Alice"  # type: ignore[union-attr]

    cards = await client.as_user(w.b).groups.member_display_names(
        w.group_id, [w.a, w.b, w.outsider]
    )
    assert [(m.user_id, m.display_name) for m in cards] == [(w.a, "Alice"), (w.b, None)]
    [asked] = emu.requests_to("POST", "/group/members/display_name")
    assert asked.body == {"group_id": w.group_id, "user_list": [w.a, w.b, w.outsider]}

    await client.as_user(w.a).groups.set_display_name(w.group_id, "")
    [card] = await client.as_user(w.a).groups.member_display_names(w.group_id, [w.a])
    assert card.display_name is None

    with pytest.raises(GroupMemberRequiredError):
        await client.as_user(w.outsider).groups.set_display_name(w.group_id, "x")
    with pytest.raises(GroupMemberRequiredError):
        await client.as_user(w.outsider).groups.member_display_names(w.group_id, [w.a])
    with pytest.raises(InvalidParameterError):
        await client.groups.set_display_name(w.group_id, "x")
    with pytest.raises(GroupNotFoundError):
        await client.as_user(w.a).groups.set_display_name(UNKNOWN_GROUP, "x")


async def test_mute_and_push_modes_are_per_member(client: LanyingClient, emu: Emulator) -> None:
    w = await _world(client)
    a = client.as_user(w.a).groups
    assert await a.set_mute_mode(w.group_id, GroupMuteMode.NO_NOTIFICATIONS) is True
    assert await a.set_push_mode(w.group_id, GroupPushMode.MENTIONS_ONLY) is True
    assert emu.requests_to("PUT", "/group/msg/mute_mode")[0].body == {
        "group_id": w.group_id,
        "msg_mute_mode": 1,
    }
    assert emu.requests_to("PUT", "/group/msg/push_mode")[0].body == {
        "group_id": w.group_id,
        "msg_push_mode": 4,
    }
    mine = await a.settings(w.group_id)
    assert (mine.msg_mute_mode, mine.msg_push_mode) == (1, 4)
    assert mine.msg_push_mode == GroupPushMode.MENTIONS_ONLY
    theirs = await client.as_user(w.b).groups.info(w.group_id)
    assert (theirs.msg_mute_mode, theirs.msg_push_mode) == (0, 0)
    [brief] = await a.info_batch([w.group_id])
    assert (brief.msg_mute_mode, brief.msg_push_mode) == (1, 4)

    # Settings belong to the membership: leaving and re-joining starts afresh.
    await a.leave(w.group_id)
    await client.as_user(w.owner).groups.invite_once(w.group_id, [w.a])
    again = await a.settings(w.group_id)
    assert (again.msg_mute_mode, again.msg_push_mode) == (0, 0)

    with pytest.raises(GroupMemberRequiredError):
        await client.as_user(w.outsider).groups.set_mute_mode(w.group_id, GroupMuteMode.NONE)
    with pytest.raises(InvalidParameterError):
        await client.groups.set_push_mode(w.group_id, GroupPushMode.ALL)
    with pytest.raises(GroupNotFoundError):
        await a.set_push_mode(UNKNOWN_GROUP, GroupPushMode.ALL)


async def test_unknown_modes_on_the_wire(client: LanyingClient, emu: Emulator) -> None:
    w = await _world(client)
    push = await _raw(
        emu,
        "PUT",
        "/group/msg/push_mode",
        user_id=w.a,
        body={"group_id": w.group_id, "msg_push_mode": 9},
    )
    assert push["code"] == 20003
    mute = await _raw(
        emu,
        "PUT",
        "/group/msg/mute_mode",
        user_id=w.a,
        body={"group_id": w.group_id, "msg_mute_mode": 3},
    )
    assert mute["code"] == 10002


# --- information -------------------------------------------------------------------------


async def test_info_and_settings(client: LanyingClient, emu: Emulator) -> None:
    w = await _world(client)
    info = await client.as_user(w.outsider).groups.info(w.group_id)
    assert isinstance(info, GroupInfo)
    assert (info.group_id, info.name, info.owner_id, info.count) == (w.group_id, "g", w.owner, 3)
    assert emu.requests_to("GET", "/group/info")[0].query == {"group_id": str(w.group_id)}

    settings = await client.as_user(w.a).groups.settings(w.group_id)
    assert settings.member_invite is True
    assert settings.apply_approval == ApplyApproval.ADMIN_APPROVAL
    assert emu.requests_to("GET", "/group/settings")[0].query == {"group_id": str(w.group_id)}
    assert (await client.groups.settings(w.group_id)).group_id == w.group_id

    with pytest.raises(GroupMemberRequiredError):
        await client.as_user(w.outsider).groups.settings(w.group_id)
    with pytest.raises(GroupNotFoundError):
        await client.groups.info(UNKNOWN_GROUP)
    await client.as_user(w.owner).groups.destroy(w.group_id)
    with pytest.raises(GroupNotFoundError):
        await client.groups.info(w.group_id)


async def test_info_batch(client: LanyingClient, emu: Emulator) -> None:
    w = await _world(client)
    room = await client.as_user(w.a).groups.create(name="room", type=GroupType.CHATROOM)
    gone = await client.as_user(w.a).groups.create(name="gone")
    await client.as_user(w.a).groups.destroy(gone.group_id)
    ids = [w.group_id, room.group_id, UNKNOWN_GROUP, gone.group_id]
    briefs = await client.groups.info_batch(ids)
    assert all(isinstance(b, GroupBrief) for b in briefs)
    assert [(b.group_id, b.name, b.owner, b.type, b.count, b.status) for b in briefs] == [
        (w.group_id, "g", w.owner, 0, 3, GroupStatus.NORMAL),
        (room.group_id, "room", w.a, 2, 1, GroupStatus.NORMAL),
        (gone.group_id, "gone", w.a, 0, 1, GroupStatus.DESTROYED),
    ]
    assert briefs[0].capacity == 2000 and briefs[0].apply_approval == 1
    assert emu.requests_to("POST", "/group/info/batch")[0].body == {"group_list": ids}


async def test_public_groups(client: LanyingClient, emu: Emulator) -> None:
    w = await _world(client)
    room = await client.as_user(w.a).groups.create(name="room", type=GroupType.CHATROOM)
    closed = await client.as_user(w.a).groups.create(name="closed room", type=GroupType.CHATROOM)
    await client.as_user(w.a).groups.destroy(closed.group_id)
    emu.app_state().group_ext.public[w.group_id] = None
    assert await client.as_user(w.outsider).groups.public_groups() == [
        room.group_id,
        w.group_id,
    ]
    [sent] = emu.requests_to("GET", "/group/public_list")
    assert sent.query == {} and sent.headers["user_id"] == str(w.outsider)


async def test_info_edits(client: LanyingClient, emu: Emulator) -> None:
    w = await _world(client)
    owner = client.as_user(w.owner).groups
    before = emu.app_state().groups[w.group_id].updated_at
    assert await owner.set_name(w.group_id, "renamed") is True
    assert await owner.set_avatar(w.group_id, "https://cdn.example/a.png") is True
    assert await owner.set_description(w.group_id, "about us") is True
    assert await owner.set_ext(w.group_id, {"topic": "cats", "level": 2}) is True
    for path, value in [
        ("/group/info/name", "renamed"),
        ("/group/info/avatar", "https://cdn.example/a.png"),
        ("/group/info/description", "about us"),
        ("/group/info/ext", '{"topic":"cats","level":2}'),
    ]:
        [sent] = emu.requests_to("PUT", path)
        assert sent.body == {"group_id": w.group_id, "value": value}
    group = emu.app_state().groups[w.group_id]
    assert (group.name, group.avatar, group.description, group.ext) == (
        "renamed",
        "https://cdn.example/a.png",
        "about us",
        '{"topic":"cats","level":2}',
    )
    assert group.updated_at >= before
    info = await owner.info(w.group_id)
    assert (info.name, info.ext) == ("renamed", '{"topic":"cats","level":2}')
    assert await owner.set_ext(w.group_id, "plain") is True
    assert group.ext == "plain"


async def test_member_modify_gates_info_edits(client: LanyingClient, emu: Emulator) -> None:
    w = await _world(client)
    member = client.as_user(w.a).groups
    with pytest.raises(GroupAdminRequiredError) as err:
        await member.set_name(w.group_id, "mine")
    assert err.value.code == 20012
    with pytest.raises(GroupAdminRequiredError):
        await member.set_description(w.group_id, "mine")
    with pytest.raises(GroupMemberRequiredError):
        await client.as_user(w.outsider).groups.set_avatar(w.group_id, "x")
    with pytest.raises(GroupNotFoundError):
        await member.set_ext(UNKNOWN_GROUP, "x")
    with pytest.raises(GroupAdminRequiredError):
        await member.set_allow_member_modify(w.group_id, True)

    assert await client.as_user(w.owner).groups.set_allow_member_modify(w.group_id, True) is True
    assert emu.requests_to("PUT", "/group/settings/allow_member_modify")[0].body == {
        "group_id": w.group_id,
        "value": True,
    }
    assert await member.set_name(w.group_id, "mine") is True
    assert emu.app_state().groups[w.group_id].name == "mine"
    blank = await _raw(
        emu, "PUT", "/group/info/name", user_id=w.a, body={"group_id": w.group_id, "value": " "}
    )
    assert blank["code"] == 10002


SETTINGS: list[tuple[str, str, str]] = [
    ("set_allow_member_invitation", "/group/settings/allow_member_invitation", "member_invite"),
    ("set_allow_member_modify", "/group/settings/allow_member_modify", "member_modify"),
    ("set_read_ack", "/group/settings/enable_read_ack", "read_ack"),
    ("set_hide_member_info", "/group/settings/hide_member_info", "hide_member_info"),
    ("set_history_visible", "/group/settings/history_visible", "history_visible"),
]


@pytest.mark.parametrize(("method", "path", "attribute"), SETTINGS, ids=[s[0] for s in SETTINGS])
async def test_boolean_settings(
    client: LanyingClient, emu: Emulator, method: str, path: str, attribute: str
) -> None:
    w = await _world(client)
    await client.as_user(w.owner).groups.add_admins(w.group_id, [w.a])
    group = emu.app_state().groups[w.group_id]
    start = getattr(group, attribute)
    admin = client.as_user(w.a).groups
    assert await getattr(admin, method)(w.group_id, not start) is True
    [sent] = emu.requests_to("PUT", path)
    assert sent.body == {"group_id": w.group_id, "value": not start}
    assert getattr(group, attribute) is (not start)
    settings = await admin.settings(w.group_id)
    assert getattr(settings, attribute) is (not start)

    # The app admin token, alone or scoped to the group, may change settings too.
    assert await getattr(client.groups, method)(w.group_id, start) is True
    assert await getattr(client.as_group_admin(w.group_id).groups, method)(w.group_id, start)
    assert getattr(group, attribute) is start

    with pytest.raises(GroupAdminRequiredError):
        await getattr(client.as_user(w.b).groups, method)(w.group_id, True)
    with pytest.raises(GroupMemberRequiredError):
        await getattr(client.as_user(w.outsider).groups, method)(w.group_id, True)
    with pytest.raises(GroupNotFoundError):
        await getattr(admin, method)(UNKNOWN_GROUP, True)


async def test_member_invitation_setting_gates_invites(client: LanyingClient) -> None:
    w = await _world(client)
    await client.as_user(w.owner).groups.set_allow_member_invitation(w.group_id, False)
    with pytest.raises(GroupAdminRequiredError):
        await client.as_user(w.a).groups.invite_once(w.group_id, [w.outsider])
    await client.as_user(w.owner).groups.set_allow_member_invitation(w.group_id, True)
    [result] = await client.as_user(w.a).groups.invite_once(w.group_id, [w.outsider])
    assert result.ok


async def test_apply_approval(client: LanyingClient, emu: Emulator) -> None:
    w = await _world(client)
    owner = client.as_user(w.owner).groups
    assert await owner.set_apply_approval(w.group_id, ApplyApproval.REJECT_ALL) is True
    [sent] = emu.requests_to("PUT", "/group/settings/require_admin_approval")
    assert sent.body == {"group_id": w.group_id, "apply_approval": 2}
    assert emu.app_state().groups[w.group_id].apply_approval == 2
    assert (await owner.settings(w.group_id)).apply_approval == ApplyApproval.REJECT_ALL
    assert await owner.set_apply_approval(w.group_id, 0) is True  # type: ignore[arg-type]
    assert emu.app_state().groups[w.group_id].apply_approval == ApplyApproval.ACCEPT_ALL

    with pytest.raises(GroupAdminRequiredError):
        await client.as_user(w.a).groups.set_apply_approval(w.group_id, ApplyApproval.ACCEPT_ALL)
    bad = await _raw(
        emu,
        "PUT",
        "/group/settings/require_admin_approval",
        user_id=w.owner,
        body={"group_id": w.group_id, "apply_approval": 7},
    )
    assert bad["code"] == 10002


# --- the API's second verbs ---------------------------------------------------------------


async def test_second_verbs_are_served_alike(client: LanyingClient, emu: Emulator) -> None:
    w = await _world(client)
    gid = w.group_id
    owner = w.owner
    steps: list[tuple[str, int, dict[str, Any] | None, dict[str, str] | None]] = [
        ("/group/admin/add", owner, {"group_id": gid, "user_list": [w.a]}, None),
        ("/group/admin/remove", owner, {"group_id": gid, "user_list": [w.a]}, None),
        ("/group/display_name", w.a, {"group_id": gid, "value": "card"}, None),
        ("/group/info/avatar", owner, {"group_id": gid, "value": "u"}, None),
        ("/group/info/description", owner, {"group_id": gid, "value": "d"}, None),
        ("/group/info/ext", owner, {"group_id": gid, "value": "e"}, None),
        ("/group/info/name", owner, {"group_id": gid, "value": "n"}, None),
        ("/group/msg/mute_mode", w.a, {"group_id": gid, "msg_mute_mode": 2}, None),
        ("/group/msg/push_mode", w.a, {"group_id": gid, "msg_push_mode": 3}, None),
        ("/group/settings/allow_member_invitation", owner, {"group_id": gid, "value": False}, None),
        ("/group/settings/allow_member_modify", owner, {"group_id": gid, "value": True}, None),
        ("/group/settings/enable_read_ack", owner, {"group_id": gid, "value": True}, None),
        ("/group/settings/hide_member_info", owner, {"group_id": gid, "value": True}, None),
        ("/group/settings/history_visible", owner, {"group_id": gid, "value": True}, None),
        (
            "/group/settings/require_admin_approval",
            owner,
            {"group_id": gid, "apply_approval": 0},
            None,
        ),
        ("/group/kick", owner, {"group_id": gid, "user_list": [w.b]}, None),
        ("/group/transfer", owner, {"group_id": gid, "new_owner": w.a}, None),
        ("/group/leave", owner, None, {"group_id": str(gid)}),
    ]
    for path, user_id, body, params in steps:
        envelope = await _raw(emu, "POST", path, user_id=user_id, body=body, params=params)
        assert envelope["code"] == 200, (path, envelope)
    group = emu.app_state().groups[gid]
    assert (group.name, group.avatar, group.description, group.ext) == ("n", "u", "d", "e")
    assert (group.member_invite, group.member_modify, group.read_ack) == (False, True, True)
    assert (group.hide_member_info, group.history_visible, group.apply_approval) == (True, True, 0)
    assert group.owner_id == w.a and owner not in group.members and w.b not in group.members
    assert group.members.get(w.a).display_name == "card"  # type: ignore[union-attr]
    prefs = emu.app_state().group_ext.prefs[(gid, w.a)]
    assert (prefs.msg_mute_mode, prefs.msg_push_mode) == (2, 3)
    destroyed = await _raw(
        emu, "POST", "/group/destroy", user_id=w.a, params={"group_id": str(gid)}
    )
    assert destroyed["code"] == 200 and not group.active


# --- client-side validation -----------------------------------------------------------------

Call = Callable[[LanyingClient], Awaitable[object]]

INVALID: list[tuple[str, Call, str]] = [
    ("add_admins empty", lambda c: c.as_user(1).groups.add_admins(5, []), "user_ids"),
    ("add_admins bad id", lambda c: c.as_user(1).groups.add_admins(5, [0]), "user_ids[0]"),
    ("remove_admins group", lambda c: c.as_user(1).groups.remove_admins(0, [2]), "group_id"),
    ("admins group", lambda c: c.as_user(1).groups.admins(-1), "group_id"),
    ("display_name type", lambda c: c.as_user(1).groups.set_display_name(5, 3), "display_name"),  # type: ignore[arg-type]
    ("info group", lambda c: c.groups.info(True), "group_id"),
    ("avatar type", lambda c: c.as_user(1).groups.set_avatar(5, None), "avatar"),  # type: ignore[arg-type]
    ("batch empty", lambda c: c.groups.info_batch([]), "group_ids"),
    ("batch bad", lambda c: c.groups.info_batch([5, "6"]), "group_ids[1]"),  # type: ignore[list-item]
    ("description type", lambda c: c.as_user(1).groups.set_description(5, 1), "description"),  # type: ignore[arg-type]
    ("ext type", lambda c: c.as_user(1).groups.set_ext(5, 7), "ext"),  # type: ignore[arg-type]
    ("ext not json", lambda c: c.as_user(1).groups.set_ext(5, {"k": object()}), "ext"),
    ("name empty", lambda c: c.as_user(1).groups.set_name(5, ""), "name"),
    ("kick empty", lambda c: c.as_user(1).groups.kick(5, []), "user_ids"),
    ("kick str", lambda c: c.as_user(1).groups.kick(5, "12"), "user_ids"),  # type: ignore[arg-type]
    ("leave group", lambda c: c.as_user(1).groups.leave(0), "group_id"),
    ("cards empty", lambda c: c.as_user(1).groups.member_display_names(5, []), "user_ids"),
    ("mute range", lambda c: c.as_user(1).groups.set_mute_mode(5, 3), "mode"),  # type: ignore[arg-type]
    ("mute bool", lambda c: c.as_user(1).groups.set_mute_mode(5, True), "mode"),  # type: ignore[arg-type]
    ("push range", lambda c: c.as_user(1).groups.set_push_mode(5, 5), "mode"),  # type: ignore[arg-type]
    ("push str", lambda c: c.as_user(1).groups.set_push_mode(5, "0"), "mode"),  # type: ignore[arg-type]
    ("settings group", lambda c: c.as_user(1).groups.settings(0), "group_id"),
    ("invitation flag", lambda c: c.groups.set_allow_member_invitation(5, 1), "allow"),  # type: ignore[arg-type]
    ("modify flag", lambda c: c.groups.set_allow_member_modify(5, "yes"), "allow"),  # type: ignore[arg-type]
    ("read ack flag", lambda c: c.groups.set_read_ack(5, None), "enabled"),  # type: ignore[arg-type]
    ("hide flag", lambda c: c.groups.set_hide_member_info(5, 0), "hide"),  # type: ignore[arg-type]
    ("history group", lambda c: c.groups.set_history_visible(0, True), "group_id"),
    ("history flag", lambda c: c.groups.set_history_visible(5, "no"), "visible"),  # type: ignore[arg-type]
    ("approval range", lambda c: c.groups.set_apply_approval(5, 3), "approval"),  # type: ignore[arg-type]
    ("transfer owner", lambda c: c.as_user(1).groups.transfer(5, 0), "new_owner"),
    ("transfer group", lambda c: c.as_user(1).groups.transfer("5", 2), "group_id"),  # type: ignore[arg-type]
    ("create description", lambda c: c.as_user(1).groups.create("n", 123), "description"),  # type: ignore[arg-type]
    ("create avatar", lambda c: c.as_user(1).groups.create("n", avatar=b"u"), "avatar"),  # type: ignore[arg-type]
    # a bulk invite checks its reason as it is called, not in each chunk
    ("invite reason", lambda c: c.as_user(1).groups.invite(5, [2], reason=7), "reason"),  # type: ignore[arg-type]
    ("invite_once reason", lambda c: c.as_user(1).groups.invite_once(5, [2], reason=[]), "reason"),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(("label", "call", "field"), INVALID, ids=[i[0] for i in INVALID])
async def test_validation_sends_nothing(
    client: LanyingClient, emu: Emulator, label: str, call: Call, field: str
) -> None:
    with pytest.raises(ValidationError) as err:
        await call(client)
    assert err.value.field == field, label
    assert len(emu.requests) == 0
