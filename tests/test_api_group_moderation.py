"""Group moderation end to end: announcements, applications, invitations, bans,
block lists, shared files and invitation QR codes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import aiohttp
import pytest

from lanying_async import (
    AlreadyGroupMemberError,
    AnnouncementNotFoundError,
    GroupAdminRequiredError,
    GroupApplicationExpiredError,
    GroupBlockedUserError,
    GroupFullError,
    GroupInvitationExpiredError,
    GroupMember,
    GroupMemberRequiredError,
    GroupNotFoundError,
    GroupQrCodeExpiredError,
    InvalidGroupQrCodeError,
    InvalidParameterError,
    KickLimitExceededError,
    LanyingClient,
    MemberResult,
    Paginator,
    SharedFileNotFoundError,
    SharedFilePermissionError,
)
from lanying_async.emulator.state import MemberRole
from lanying_async.emulator.state_group_moderation import Invitation, RequestStatus
from lanying_async.errors import ValidationError
from lanying_async.models.group_moderation import (
    GroupAnnouncement,
    GroupApplication,
    GroupBanAllResult,
    GroupBlockedUser,
    GroupFileResult,
    GroupInvitation,
    GroupQrCode,
    GroupRequestStatus,
    GroupSharedFile,
)
from lanying_async.testing import Emulator

pytestmark = pytest.mark.anyio

T0 = 1_700_000_000_000
MINUTE = 60_000
DAY = 86_400_000


class Clock:
    def __init__(self, now: int) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def clock(emu: Emulator) -> Clock:
    fixed = Clock(T0)
    emu.state.clock = fixed
    return fixed


async def _users(client: LanyingClient, *names: str) -> list[int]:
    return [(await client.users.register(username=n, password="pw")).user_id for n in names]


async def _group(client: LanyingClient, owner: int, *members: int) -> int:
    info = await client.as_user(owner).groups.create(name="team", members=members or None)
    return info.group_id


def _make_admin(emu: Emulator, group_id: int, user_id: int) -> None:
    member = emu.app_state().groups[group_id].members.get(user_id)
    assert member is not None
    member.role = MemberRole.ADMIN


def _member_ids(emu: Emulator, group_id: int) -> list[int]:
    return [m.user_id for m in emu.app_state().groups[group_id].members]


# --- announcements -----------------------------------------------------------


async def test_announcements_publish_read_list_and_delete(
    client: LanyingClient, emu: Emulator, clock: Clock
) -> None:
    owner, member = await _users(client, "owner", "member")
    gid = await _group(client, owner, member)
    as_owner, as_member = client.as_user(owner).groups, client.as_user(member).groups

    first = await as_owner.edit_announcement(gid, "Welcome", "Be nice")
    assert isinstance(first, GroupAnnouncement)
    assert (first.group_id, first.title, first.content, first.author) == (
        gid,
        "Welcome",
        "Be nice",
        owner,
    )
    assert first.id > 0 and first.created_at == T0
    [sent] = emu.requests_to("POST", "/group/announcement/edit")
    assert sent.body == {"group_id": gid, "title": "Welcome", "content": "Be nice"}
    assert sent.headers["user_id"] == str(owner)

    clock.now += 1000
    second = await client.as_group_admin(gid).groups.edit_announcement(gid, "Rules", "No spam")
    assert second.id != first.id and second.author == 0 and second.created_at == T0 + 1000
    assert list(emu.app_state().moderation.announcements[gid]) == [first.id, second.id]

    assert await as_member.announcement(gid, first.id) == first
    [get] = emu.requests_to("GET", "/group/announcement")
    assert get.query == {"group_id": str(gid), "announcement_id": str(first.id)}
    assert await as_member.last_announcement(gid) == second
    assert emu.requests_to("GET", "/group/announcement/last")[0].query == {"group_id": str(gid)}
    assert await as_member.announcements(gid) == [second, first]
    assert emu.requests_to("GET", "/group/announcement/list")[0].query == {"group_id": str(gid)}

    assert await as_owner.delete_announcement(gid, second.id) is True
    [delete] = emu.requests_to("DELETE", "/group/announcement/delete")
    assert delete.query == {"group_id": str(gid), "announcement_id": str(second.id)}
    assert delete.body is None
    assert list(emu.app_state().moderation.announcements[gid]) == [first.id]
    assert await as_member.last_announcement(gid) == first
    assert emu.state.executions[("DELETE", "/group/announcement/delete")] == 1


async def test_announcement_errors(client: LanyingClient, emu: Emulator) -> None:
    owner, member, outsider = await _users(client, "owner", "member", "outsider")
    gid = await _group(client, owner, member)
    as_owner, as_member = client.as_user(owner).groups, client.as_user(member).groups

    with pytest.raises(AnnouncementNotFoundError) as err:
        await as_member.last_announcement(gid)
    assert err.value.code == 20020
    assert await as_member.announcements(gid) == []
    with pytest.raises(GroupAdminRequiredError) as admin:
        await as_member.edit_announcement(gid, "t", "c")
    assert admin.value.code == 20012
    posted = await as_owner.edit_announcement(gid, "t", "c")
    with pytest.raises(GroupMemberRequiredError) as member_err:
        await client.as_user(outsider).groups.announcement(gid, posted.id)
    assert member_err.value.code == 20011
    with pytest.raises(GroupAdminRequiredError):
        await as_member.delete_announcement(gid, posted.id)
    with pytest.raises(AnnouncementNotFoundError):
        await as_member.announcement(gid, posted.id + 1000)
    with pytest.raises(AnnouncementNotFoundError):
        await as_owner.delete_announcement(gid, posted.id + 1000)
    with pytest.raises(GroupNotFoundError) as missing:
        await as_owner.announcements(gid + 1)
    assert missing.value.code == 20001
    assert list(emu.app_state().moderation.announcements[gid]) == [posted.id]


# --- applications ------------------------------------------------------------


async def test_apply_with_admin_approval_then_accept(
    client: LanyingClient, emu: Emulator, clock: Clock
) -> None:
    owner, applicant = await _users(client, "owner", "applicant")
    gid = await _group(client, owner)
    assert emu.app_state().groups[gid].apply_approval == 1

    result = await client.as_user(applicant).groups.apply(gid, "let me in")
    assert isinstance(result, MemberResult)
    assert (result.user_id, result.ok) == (applicant, True)
    [sent] = emu.requests_to("POST", "/group/apply")
    assert sent.body == {"group_id": gid, "reason": "let me in"}
    assert sent.headers["user_id"] == str(applicant)
    stored = emu.app_state().moderation.applications[(gid, applicant)]
    assert (stored.status, stored.expire_at) == (RequestStatus.PENDING, T0 + 7 * DAY)
    assert applicant not in _member_ids(emu, gid)

    page = await client.as_user(owner).groups.applications([gid])
    [application] = page.items
    assert isinstance(application, GroupApplication)
    assert (application.group_id, application.applicant_id, application.reason) == (
        gid,
        applicant,
        "let me in",
    )
    assert application.status == GroupRequestStatus.PENDING
    assert application.expired_time == T0 + 7 * DAY
    assert page.total == 1 and page.next_token is None
    [listed] = emu.requests_to("POST", "/group/application_list")
    assert listed.body == {"group_list": [gid]}
    assert listed.query == {"limit": "100"}

    handled = await client.as_user(owner).groups.handle_application(gid, applicant, approve=True)
    assert (handled.user_id, handled.ok) == (applicant, True)
    [handle] = emu.requests_to("PUT", "/group/apply/handle")
    assert handle.body == {"group_id": gid, "user_id": applicant, "approval": True}
    assert _member_ids(emu, gid) == [owner, applicant]
    assert stored.status is RequestStatus.ACCEPTED

    with pytest.raises(GroupApplicationExpiredError) as again:
        await client.as_user(owner).groups.handle_application(gid, applicant, approve=True)
    assert again.value.code == 20014
    with pytest.raises(AlreadyGroupMemberError) as member:
        await client.as_user(applicant).groups.apply(gid)
    assert member.value.code == 20017


async def test_application_decline_expiry_and_permissions(
    client: LanyingClient, emu: Emulator, clock: Clock
) -> None:
    owner, member, a, b = await _users(client, "owner", "member", "a", "b")
    gid = await _group(client, owner, member)
    await client.as_user(a).groups.apply(gid)
    await client.as_user(b).groups.apply(gid)

    with pytest.raises(GroupAdminRequiredError):
        await client.as_user(member).groups.handle_application(gid, a, approve=True)
    with pytest.raises(GroupAdminRequiredError):
        await client.as_user(member).groups.applications([gid])
    with pytest.raises(GroupMemberRequiredError):
        await client.as_user(b).groups.applications([gid])

    admin = client.as_group_admin(gid).groups
    declined = await admin.handle_application(gid, a, approve=False)
    assert declined.ok
    assert emu.app_state().moderation.applications[(gid, a)].status == RequestStatus.DECLINED
    assert a not in _member_ids(emu, gid)
    with pytest.raises(GroupApplicationExpiredError):
        await admin.handle_application(gid, a, approve=True)

    clock.now += 7 * DAY + 1
    with pytest.raises(GroupApplicationExpiredError):
        await admin.handle_application(gid, b, approve=True)
    with pytest.raises(GroupApplicationExpiredError):
        await admin.handle_application(gid, owner, approve=True)  # never applied
    assert b not in _member_ids(emu, gid)


async def test_apply_follows_the_group_setting(client: LanyingClient, emu: Emulator) -> None:
    owner, a, b = await _users(client, "owner", "a", "b")
    gid = await _group(client, owner)
    group = emu.app_state().groups[gid]

    group.apply_approval = 0
    joined = await client.as_user(a).groups.apply(gid)
    assert joined.ok and _member_ids(emu, gid) == [owner, a]
    assert (gid, a) not in emu.app_state().moderation.applications

    group.apply_approval = 2
    refused = await client.as_user(b).groups.apply(gid)
    assert refused.result == "fail" and refused.reason
    assert b not in _member_ids(emu, gid)
    assert emu.requests_to("POST", "/group/apply")[-1].body == {"group_id": gid}

    group.apply_approval = 0
    group.capacity = 2
    with pytest.raises(GroupFullError) as full:
        await client.as_user(b).groups.apply(gid)
    assert full.value.code == 20010

    emu.app_state().group_ext.kicks[(gid, b)] = emu.app_state().group_ext.kick_limit
    with pytest.raises(KickLimitExceededError) as kicked:
        await client.as_user(b).groups.apply(gid)
    assert kicked.value.code == 20016

    with pytest.raises(InvalidParameterError) as no_user:
        await client.groups.apply(gid)
    assert no_user.value.code == 10002
    with pytest.raises(GroupNotFoundError):
        await client.as_user(b).groups.apply(gid + 1)


async def test_applications_page_across_groups(client: LanyingClient, emu: Emulator) -> None:
    owner, *applicants = await _users(client, "owner", "u1", "u2", "u3", "u4", "u5")
    g1 = await _group(client, owner)
    g2 = await _group(client, owner)
    for uid in applicants[:3]:
        await client.as_user(uid).groups.apply(g1)
    for uid in applicants[3:]:
        await client.as_user(uid).groups.apply(g2)

    emu.clear_requests()
    pages = [p async for p in client.as_user(owner).groups.applications([g1, g2], limit=2).pages()]
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [(a.group_id, a.applicant_id) for p in pages for a in p.items] == [
        (g1, applicants[0]),
        (g1, applicants[1]),
        (g1, applicants[2]),
        (g2, applicants[3]),
        (g2, applicants[4]),
    ]
    assert {p.total for p in pages} == {5}
    sent = emu.requests_to("POST", "/group/application_list")
    assert [r.body for r in sent] == [{"group_list": [g1, g2]}] * 3
    assert "cursor" not in sent[0].query and sent[1].query["cursor"] != sent[2].query["cursor"]
    assert [r.query["limit"] for r in sent] == ["2", "2", "2"]

    everything = await client.groups.applications([g2]).collect()
    assert [a.applicant_id for a in everything] == applicants[3:]


# --- invitations -------------------------------------------------------------


def _invite(emu: Emulator, group_id: int, inviter: int, invitee: int, now: int) -> Invitation:
    invitation = Invitation(group_id, inviter, invitee, "join us", now, now + 7 * DAY)
    emu.app_state().moderation.invitations[(group_id, invitee)] = invitation
    return invitation


async def test_invitations_list_and_accept(
    client: LanyingClient, emu: Emulator, clock: Clock
) -> None:
    owner, invitee = await _users(client, "owner", "invitee")
    groups = [await _group(client, owner) for _ in range(3)]
    invitations = [_invite(emu, gid, owner, invitee, T0) for gid in groups]

    as_invitee = client.as_user(invitee).groups
    first = await as_invitee.invitations(limit=2)
    assert [i.group_id for i in first.items] == groups[:2]
    assert first.total == 3 and first.has_next
    item = first.items[0]
    assert isinstance(item, GroupInvitation)
    assert (item.inviter_id, item.invitee_id, item.reason) == (owner, invitee, "join us")
    assert item.status == GroupRequestStatus.PENDING and item.expired_time == T0 + 7 * DAY
    assert item.updated_at is not None
    assert datetime.fromisoformat(item.updated_at).timestamp() * 1000 == T0
    all_items = await as_invitee.invitations(limit=2).collect()
    assert [i.group_id for i in all_items] == groups
    sent = emu.requests_to("GET", "/group/invitation_list")
    assert sent[0].query == {"limit": "2"} and sent[0].headers["user_id"] == str(invitee)
    assert sent[-1].query["cursor"]

    clock.now += 5
    assert await as_invitee.handle_invitation(groups[0], owner, accept=True) is True
    [handle] = emu.requests_to("PUT", "/group/invite/handle")
    assert handle.body == {"group_id": groups[0], "user_id": owner, "approval": True}
    assert _member_ids(emu, groups[0]) == [owner, invitee]
    assert invitations[0].status == RequestStatus.ACCEPTED
    assert invitations[0].updated_at == T0 + 5

    assert await as_invitee.handle_invitation(groups[1], owner, accept=False) is True
    assert invitations[1].status == RequestStatus.DECLINED
    assert _member_ids(emu, groups[1]) == [owner]
    listed = await as_invitee.invitations().collect()
    assert [i.status for i in listed] == [1, 2, 0]


async def test_invitation_errors(client: LanyingClient, emu: Emulator, clock: Clock) -> None:
    owner, other, invitee = await _users(client, "owner", "other", "invitee")
    gid = await _group(client, owner, other)
    as_invitee = client.as_user(invitee).groups

    with pytest.raises(GroupInvitationExpiredError) as none:
        await as_invitee.handle_invitation(gid, owner, accept=True)
    assert none.value.code == 20015
    _invite(emu, gid, owner, invitee, T0)
    with pytest.raises(GroupInvitationExpiredError):
        await as_invitee.handle_invitation(gid, other, accept=True)  # not the inviter
    with pytest.raises(InvalidParameterError):
        await client.groups.handle_invitation(gid, owner, accept=True)
    with pytest.raises(InvalidParameterError):
        await client.groups.invitations()
    clock.now += 7 * DAY + 1
    with pytest.raises(GroupInvitationExpiredError):
        await as_invitee.handle_invitation(gid, owner, accept=True)
    assert invitee not in _member_ids(emu, gid)
    assert emu.state.executions[("PUT", "/group/invite/handle")] == 0


async def test_invitation_created_by_the_invite_route(client: LanyingClient, emu: Emulator) -> None:
    """An invitee who confirms invitations gets a pending invitation and accepts it."""
    owner, invitee = await _users(client, "owner", "invitee")
    gid = await _group(client, owner)
    assert await client.as_user(invitee).users.update_settings(group_confirm=True)
    await client.as_user(owner).groups.invite_once(gid, [invitee], reason="hello")
    assert invitee not in _member_ids(emu, gid)
    [invitation] = await client.as_user(invitee).groups.invitations().collect()
    assert (invitation.group_id, invitation.inviter_id) == (gid, owner)
    assert await client.as_user(invitee).groups.handle_invitation(gid, owner, accept=True)
    assert invitee in _member_ids(emu, gid)


# --- QR codes ----------------------------------------------------------------


async def test_qrcode_sign_and_join(client: LanyingClient, emu: Emulator, clock: Clock) -> None:
    owner, member, scanner, late = await _users(client, "owner", "member", "scanner", "late")
    gid = await _group(client, owner, member)

    code = await client.as_user(member).groups.qrcode(gid)
    assert isinstance(code, GroupQrCode)
    assert code.qr_info and code.create_at == T0 and code.expire_at == T0 + 7 * DAY
    assert emu.requests_to("GET", "/group/qrcode/sign")[0].query == {"group_id": str(gid)}
    grant = emu.app_state().moderation.qrcodes[code.qr_info]
    assert (grant.group_id, grant.inviter_id) == (gid, member)

    assert await client.as_user(scanner).groups.join_by_qrcode(code.qr_info) is True
    [sent] = emu.requests_to("POST", "/group/qrcode/invite")
    assert sent.body == {"qr_info": code.qr_info}
    assert sent.headers["user_id"] == str(scanner)
    assert _member_ids(emu, gid) == [owner, member, scanner]

    with pytest.raises(AlreadyGroupMemberError):
        await client.as_user(scanner).groups.join_by_qrcode(code.qr_info)
    with pytest.raises(InvalidGroupQrCodeError) as bad:
        await client.as_user(late).groups.join_by_qrcode(code.qr_info + "x")
    assert bad.value.code == 20024
    clock.now = code.expire_at + 1
    with pytest.raises(GroupQrCodeExpiredError) as expired:
        await client.as_user(late).groups.join_by_qrcode(code.qr_info)
    assert expired.value.code == 20025
    assert late not in _member_ids(emu, gid)


async def test_qrcode_permissions(client: LanyingClient, emu: Emulator) -> None:
    owner, member, outsider = await _users(client, "owner", "member", "outsider")
    gid = await _group(client, owner, member)
    with pytest.raises(GroupMemberRequiredError):
        await client.as_user(outsider).groups.qrcode(gid)
    emu.app_state().groups[gid].member_invite = False
    with pytest.raises(GroupAdminRequiredError):
        await client.as_user(member).groups.qrcode(gid)
    code = await client.groups.qrcode(gid)  # the app's admin token signs for the owner
    assert emu.app_state().moderation.qrcodes[code.qr_info].inviter_id == owner
    with pytest.raises(InvalidParameterError):
        await client.groups.join_by_qrcode(code.qr_info)


# --- bans --------------------------------------------------------------------


async def test_ban_banned_list_and_unban(
    client: LanyingClient, emu: Emulator, clock: Clock
) -> None:
    owner, a, b, c = await _users(client, "owner", "a", "b", "c")
    gid = await _group(client, owner, a, b)
    as_owner = client.as_user(owner).groups

    results = await as_owner.ban(gid, [a, b, c, owner], minutes=30)
    outcome = {r.user_id: (r.result, r.reason) for r in results}
    assert outcome[a] == ("success", None) and outcome[b] == ("success", None)
    assert outcome[c][0] == "fail" and "member" in (outcome[c][1] or "")
    assert outcome[owner][0] == "fail" and "owner" in (outcome[owner][1] or "")
    [sent] = emu.requests_to("POST", "/group/ban")
    assert sent.body == {"group_id": gid, "user_list": [a, b, c, owner], "duration": 30}
    expiry = T0 + 30 * MINUTE
    assert dict(emu.app_state().moderation.bans[gid]) == {a: expiry, b: expiry}
    members = {m.user_id: m for m in await as_owner.members(gid).collect()}
    assert members[a].expired_time == expiry and members[owner].expired_time is None

    banned = client.as_user(a).groups.banned(gid, limit=1)
    assert isinstance(banned, Paginator)
    first = await banned
    [entry] = first.items
    assert isinstance(entry, GroupMember)
    assert (entry.user_id, entry.expired_time) == (a, expiry) and entry.join_time > 0
    assert first.has_next and first.total == 2
    assert [m.user_id for m in await banned.collect()] == [a, b]
    listed = emu.requests_to("GET", "/group/banned_list")
    assert listed[0].query == {"group_id": str(gid), "limit": "1"}
    assert listed[-1].query["cursor"]

    unbanned = await as_owner.unban(gid, [a])
    assert [(r.user_id, r.ok) for r in unbanned] == [(a, True)]
    assert emu.requests_to("POST", "/group/unban")[0].body == {"group_id": gid, "user_list": [a]}
    assert [m.user_id for m in await as_owner.banned(gid).collect()] == [b]
    assert emu.app_state().groups[gid].members.get(a).expired_time is None  # type: ignore[union-attr]

    clock.now = expiry + 1
    assert (await as_owner.banned(gid)).items == []
    assert not emu.app_state().moderation.is_banned(gid, b, clock.now)


async def test_ban_permissions(client: LanyingClient, emu: Emulator) -> None:
    owner, admin, other_admin, member, outsider = await _users(
        client, "owner", "admin", "admin2", "member", "outsider"
    )
    gid = await _group(client, owner, admin, other_admin, member)
    _make_admin(emu, gid, admin)
    _make_admin(emu, gid, other_admin)

    results = await client.as_user(admin).groups.ban(gid, [member, other_admin], 5)
    assert [(r.user_id, r.ok) for r in results] == [(member, True), (other_admin, False)]
    by_owner = await client.as_user(owner).groups.ban(gid, [other_admin], 5)
    assert by_owner[0].ok
    with pytest.raises(GroupAdminRequiredError) as err:
        await client.as_user(member).groups.ban(gid, [admin], 5)
    assert err.value.code == 20012
    with pytest.raises(GroupMemberRequiredError):
        await client.as_user(outsider).groups.ban(gid, [member], 5)
    with pytest.raises(GroupMemberRequiredError):
        await client.as_user(outsider).groups.banned(gid)
    with pytest.raises(GroupAdminRequiredError):
        await client.as_user(member).groups.unban(gid, [member])
    with pytest.raises(GroupNotFoundError):
        await client.groups.ban(gid + 1, [member], 5)


async def test_ban_durations_the_spec_leaves_open_reach_the_server(
    client: LanyingClient, emu: Emulator
) -> None:
    """The spec gives ``duration`` as an int64 and nothing more: a zero or
    negative one is the server's to judge (the emulator refuses it)."""
    owner, a = await _users(client, "owner", "a")
    gid = await _group(client, owner, a)
    as_owner = client.as_user(owner).groups
    with pytest.raises(InvalidParameterError):
        await as_owner.ban(gid, [a], 0)
    assert emu.requests_to("POST", "/group/ban")[0].body["duration"] == 0
    with pytest.raises(InvalidParameterError):
        await as_owner.ban_all(gid, -5)
    assert emu.requests_to("POST", "/group/settings/ban_all")[0].body["duration"] == -5
    report = await as_owner.bulk_ban(gid, [a], 0)
    assert report.failed[a].code == 10002


async def test_ban_all_and_unban_all(client: LanyingClient, emu: Emulator, clock: Clock) -> None:
    owner, member = await _users(client, "owner", "member")
    gid = await _group(client, owner, member)
    group = emu.app_state().groups[gid]

    result = await client.as_user(owner).groups.ban_all(gid, 60)
    assert isinstance(result, GroupBanAllResult)
    assert result.ban_expire_time == (T0 + 60 * MINUTE) // 1000 == group.ban_expire_time
    assert emu.requests_to("POST", "/group/settings/ban_all")[0].body == {
        "group_id": gid,
        "duration": 60,
    }
    moderation = emu.app_state().moderation
    assert moderation.ban_all_until[gid] == T0 + 60 * MINUTE
    assert moderation.group_banned(gid, clock.now)

    with pytest.raises(GroupAdminRequiredError):
        await client.as_user(member).groups.unban_all(gid)
    assert await client.as_group_admin(gid).groups.unban_all(gid) is True
    assert emu.requests_to("POST", "/group/settings/unban_all")[0].body == {"group_id": gid}
    assert group.ban_expire_time == 0 and not moderation.group_banned(gid, clock.now)
    with pytest.raises(GroupAdminRequiredError):
        await client.as_user(member).groups.ban_all(gid, 1)


# --- block list --------------------------------------------------------------


async def test_block_list_and_unblock(client: LanyingClient, emu: Emulator, clock: Clock) -> None:
    owner, member, stranger, other = await _users(client, "owner", "member", "stranger", "other")
    gid = await _group(client, owner, member, other)
    as_owner = client.as_user(owner).groups
    version = emu.app_state().groups[gid].members_version

    results = await as_owner.block(gid, [member, stranger, owner])
    assert [(r.user_id, r.ok) for r in results] == [
        (member, True),
        (stranger, True),
        (owner, False),
    ]
    assert emu.requests_to("POST", "/group/block")[0].body == {
        "group_id": gid,
        "user_list": [member, stranger, owner],
    }
    assert _member_ids(emu, gid) == [owner, other]
    assert emu.app_state().groups[gid].members_version > version
    moderation = emu.app_state().moderation
    assert moderation.is_blocked(gid, member) and moderation.is_blocked(gid, stranger)

    page = await as_owner.blocked(gid, limit=1)
    [entry] = page.items
    assert isinstance(entry, GroupBlockedUser)
    assert (entry.group_id, entry.user_id) == (gid, member)
    assert entry.created_at is not None
    assert datetime.fromisoformat(entry.created_at).timestamp() * 1000 == T0
    assert page.has_next and page.total == 2
    assert [e.user_id for e in await as_owner.blocked(gid, limit=1).collect()] == [member, stranger]
    assert emu.requests_to("GET", "/group/blocked_list")[0].query == {
        "group_id": str(gid),
        "limit": "1",
    }

    with pytest.raises(GroupBlockedUserError) as blocked:
        await client.as_user(stranger).groups.apply(gid)
    assert blocked.value.code == 20018
    code = await as_owner.qrcode(gid)
    with pytest.raises(GroupBlockedUserError):
        await client.as_user(member).groups.join_by_qrcode(code.qr_info)

    unblocked = await as_owner.unblock(gid, [stranger])
    assert [(r.user_id, r.ok) for r in unblocked] == [(stranger, True)]
    [sent] = emu.requests_to("DELETE", "/group/unblock")
    assert sent.body == {"group_id": gid, "user_list": [stranger]}
    assert not moderation.is_blocked(gid, stranger) and moderation.is_blocked(gid, member)
    assert (await client.as_user(stranger).groups.apply(gid)).ok


async def test_block_permissions(client: LanyingClient, emu: Emulator) -> None:
    owner, admin, other_admin, member = await _users(client, "owner", "admin", "admin2", "member")
    gid = await _group(client, owner, admin, other_admin, member)
    _make_admin(emu, gid, admin)
    _make_admin(emu, gid, other_admin)
    results = await client.as_user(admin).groups.block(gid, [other_admin, 99999])
    assert [r.ok for r in results] == [False, False]
    assert other_admin in _member_ids(emu, gid)
    with pytest.raises(GroupAdminRequiredError):
        await client.as_user(member).groups.blocked(gid)
    with pytest.raises(GroupAdminRequiredError):
        await client.as_user(member).groups.block(gid, [admin])
    with pytest.raises(GroupAdminRequiredError):
        await client.as_user(member).groups.unblock(gid, [admin])


# --- shared files ------------------------------------------------------------


async def test_shared_files(client: LanyingClient, emu: Emulator, clock: Clock) -> None:
    owner, uploader, other = await _users(client, "owner", "uploader", "other")
    gid = await _group(client, owner, uploader, other)
    as_uploader = client.as_user(uploader).groups

    shared = await as_uploader.upload_file(
        gid, "plan.pdf", "https://files.example/plan.pdf", 2048, type="application/pdf"
    )
    assert isinstance(shared, GroupSharedFile)
    assert (shared.group_id, shared.name, shared.size, shared.uploader, shared.type) == (
        gid,
        "plan.pdf",
        2048,
        uploader,
        "application/pdf",
    )
    assert shared.file_id > 0 and shared.created_at == shared.updated_at == T0
    assert emu.requests_to("POST", "/group/file/upload")[0].body == {
        "group_id": gid,
        "name": "plan.pdf",
        "url": "https://files.example/plan.pdf",
        "size": 2048,
        "type": "application/pdf",
    }
    second = await client.as_user(other).groups.upload_file(gid, "b.txt", "https://x/b", 1)

    fetched = await client.as_user(other).groups.file(gid, shared.file_id)
    assert fetched == shared and fetched.url == "https://files.example/plan.pdf"
    assert emu.requests_to("GET", "/group/file")[0].query == {
        "group_id": str(gid),
        "file_id": str(shared.file_id),
    }
    assert await as_uploader.files(gid) == [shared, second]
    assert emu.requests_to("GET", "/group/file/list")[0].query == {"group_id": str(gid)}

    clock.now += 10
    assert await as_uploader.rename_file(gid, shared.file_id, "plan-v2.pdf") is True
    assert emu.requests_to("PUT", "/group/file/update_name")[0].body == {
        "group_id": gid,
        "file_id": shared.file_id,
        "name": "plan-v2.pdf",
    }
    stored = emu.app_state().moderation.files[gid][shared.file_id]
    assert (stored.name, stored.updated_at) == ("plan-v2.pdf", T0 + 10)
    with pytest.raises(SharedFilePermissionError) as forbidden:
        await client.as_user(other).groups.rename_file(gid, shared.file_id, "mine")
    assert forbidden.value.code == 20023
    assert await client.as_user(owner).groups.rename_file(gid, shared.file_id, "final.pdf")

    results = await client.as_user(other).groups.delete_files(
        gid, [second.file_id, shared.file_id, 424242]
    )
    assert all(isinstance(r, GroupFileResult) for r in results)
    assert [(r.file_id, r.ok) for r in results] == [
        (second.file_id, True),
        (shared.file_id, False),
        (424242, False),
    ]
    [sent] = emu.requests_to("DELETE", "/group/file/delete")
    assert sent.body == {"group_id": gid, "file_list": [second.file_id, shared.file_id, 424242]}
    assert list(emu.app_state().moderation.files[gid]) == [shared.file_id]

    with pytest.raises(SharedFilePermissionError):
        await client.as_user(other).groups.delete_files(gid, [shared.file_id])
    [done] = await as_uploader.delete_files(gid, [shared.file_id])
    assert done.ok and await as_uploader.files(gid) == []


async def test_shared_file_errors(client: LanyingClient, emu: Emulator) -> None:
    owner, outsider = await _users(client, "owner", "outsider")
    gid = await _group(client, owner)
    as_owner = client.as_user(owner).groups
    with pytest.raises(SharedFileNotFoundError) as missing:
        await as_owner.file(gid, 12345)
    assert missing.value.code == 20022
    with pytest.raises(SharedFileNotFoundError):
        await as_owner.rename_file(gid, 12345, "x")
    with pytest.raises(SharedFileNotFoundError):
        await as_owner.delete_files(gid, [12345])
    with pytest.raises(GroupMemberRequiredError):
        await client.as_user(outsider).groups.upload_file(gid, "a", "https://x/a", 1)
    with pytest.raises(GroupMemberRequiredError):
        await client.as_user(outsider).groups.files(gid)
    assert await as_owner.files(gid) == []
    admin_upload = await client.groups.upload_file(gid, "a", "https://x/a", 0)
    assert admin_upload.uploader == 0 and admin_upload.type == ""


# --- both verbs of two-verb paths ---------------------------------------------


async def test_two_verb_paths_also_answer_post(client: LanyingClient, emu: Emulator) -> None:
    owner, applicant, invitee = await _users(client, "owner", "applicant", "invitee")
    gid = await _group(client, owner)
    as_owner = client.as_user(owner).groups
    announcement = await as_owner.edit_announcement(gid, "t", "c")
    shared = await as_owner.upload_file(gid, "f", "https://x/f", 1)
    await client.as_user(applicant).groups.apply(gid)
    _invite(emu, gid, owner, invitee, emu.state.now_ms())
    await as_owner.block(gid, [applicant])

    async def post(path: str, user: int, *, body: Any = None, params: Any = None) -> Any:
        async with aiohttp.ClientSession() as session:
            async with session.post(
                emu.url + path, json=body, params=params, headers=emu.headers(user_id=user)
            ) as response:
                return await response.json()

    calls: list[tuple[str, int, dict[str, Any] | None, dict[str, str] | None]] = [
        (
            "/group/announcement/delete",
            owner,
            None,
            {"group_id": str(gid), "announcement_id": str(announcement.id)},
        ),
        (
            "/group/file/update_name",
            owner,
            {"group_id": gid, "file_id": shared.file_id, "name": "g"},
            None,
        ),
        (
            "/group/invite/handle",
            invitee,
            {"group_id": gid, "user_id": owner, "approval": False},
            None,
        ),
        ("/group/unblock", owner, {"group_id": gid, "user_list": [applicant]}, None),
        ("/group/file/delete", owner, {"group_id": gid, "file_list": [shared.file_id]}, None),
    ]
    for path, user, body, params in calls:
        answer = await post(path, user, body=body, params=params)
        assert answer["code"] == 200, (path, answer)
    await client.as_user(applicant).groups.apply(gid)
    answer = await post(
        "/group/apply/handle", owner, body={"group_id": gid, "user_id": applicant, "approval": True}
    )
    assert answer["code"] == 200 and applicant in _member_ids(emu, gid)
    assert emu.app_state().moderation.announcements[gid].last() is None
    assert not emu.app_state().moderation.files[gid]


# --- validation --------------------------------------------------------------

Call = Callable[[LanyingClient], Awaitable[Any]]


async def _first_page(paginator: Paginator[Any]) -> Any:
    return await paginator


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.groups.announcement(0, 1), "group_id"),
        (lambda c: c.groups.announcement(1, -2), "announcement_id"),
        (lambda c: c.groups.delete_announcement(1, True), "announcement_id"),
        (lambda c: c.groups.edit_announcement(1, "", "c"), "title"),
        (lambda c: c.groups.edit_announcement(1, "t", ""), "content"),
        (lambda c: c.groups.last_announcement("1"), "group_id"),
        (lambda c: c.groups.announcements(-1), "group_id"),
        (lambda c: _first_page(c.groups.applications([])), "group_ids"),
        (lambda c: _first_page(c.groups.applications([1], limit=0)), "limit"),
        (lambda c: c.groups.apply(0), "group_id"),
        (lambda c: c.groups.handle_application(1, 2, approve=1), "approve"),
        (lambda c: c.groups.handle_application(1, 0, approve=True), "user_id"),
        (lambda c: c.groups.ban(1, [2], "5"), "minutes"),
        (lambda c: c.groups.ban(1, [2], 2**63), "minutes"),
        (lambda c: c.groups.ban(1, [], 5), "user_ids"),
        (lambda c: c.groups.ban(1, [2, -3], 5), "user_ids[1]"),
        (lambda c: _first_page(c.groups.banned(1, limit=1001)), "limit"),
        (lambda c: c.groups.block(1, "12"), "user_ids"),
        (lambda c: _first_page(c.groups.blocked(0)), "group_id"),
        (lambda c: c.groups.delete_files(1, []), "file_ids"),
        (lambda c: c.groups.file(1, 0), "file_id"),
        (lambda c: c.groups.files(0), "group_id"),
        (lambda c: c.groups.rename_file(1, 2, ""), "name"),
        (lambda c: c.groups.upload_file(1, "n", "u", -1), "size"),
        (lambda c: c.groups.upload_file(1, "n", "", 1), "url"),
        (lambda c: c.groups.upload_file(1, "", "u", 1), "name"),
        (lambda c: _first_page(c.groups.invitations(limit=True)), "limit"),
        (lambda c: c.groups.handle_invitation(1, 2, accept="yes"), "accept"),
        (lambda c: c.groups.handle_invitation(1, 0, accept=True), "inviter_id"),
        (lambda c: c.groups.join_by_qrcode(""), "qr_info"),
        (lambda c: c.groups.qrcode(0), "group_id"),
        (lambda c: c.groups.ban_all(1, True), "minutes"),
        (lambda c: c.groups.ban_all(1, -(2**63) - 1), "minutes"),
        (lambda c: c.groups.unban_all(0), "group_id"),
        (lambda c: c.groups.unban(1, []), "user_ids"),
        (lambda c: c.groups.unblock(0, [1]), "group_id"),
    ],
)
async def test_invalid_arguments_send_nothing(
    client: LanyingClient, emu: Emulator, call: Call, field: str
) -> None:
    emu.clear_requests()
    with pytest.raises(ValidationError) as err:
        await call(client)
    assert err.value.field == field
    assert len(emu.requests) == 0


# --- emulator containers -----------------------------------------------------


def test_seq_map_cursors_survive_changes() -> None:
    from lanying_async.emulator.state_group_moderation import PairIndex, SeqMap

    entries: SeqMap[int, str] = SeqMap()
    for key in (10, 20, 30, 40):
        entries[key] = str(key)
    cursor = entries.seq_of(20)
    del entries[20]
    entries[10] = "ten"  # replacing keeps the place
    entries[50] = "50"
    assert [k for _, k, _ in entries.after(cursor)] == [30, 40, 50]
    assert list(entries.items()) == [(10, "ten"), (30, "30"), (40, "40"), (50, "50")]
    assert entries.last() == "50" and list(entries.newest_first()) == ["50", "40", "30", "ten"]

    by_user: PairIndex[str] = PairIndex(by=1)
    by_user[(1, 7)] = "a"
    by_user[(2, 7)] = "b"
    by_user[(1, 8)] = "c"
    assert len(by_user) == 3 and (2, 7) in by_user and (7, 2) not in by_user
    bucket = by_user.bucket(7)
    assert bucket is not None and list(bucket.values()) == ["a", "b"]
    del by_user[(1, 7)]
    assert by_user.get((1, 7)) is None and len(by_user) == 2
    assert sorted(by_user) == [(1, 8), (2, 7)]
    by_user.pop((1, 8))
    assert by_user.bucket(8) is None
