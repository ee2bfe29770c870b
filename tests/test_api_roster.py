"""Friends (roster): applications, friend lists, block lists, search and extensions."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from lanying_async import (
    AlreadyFriendsError,
    AuthMode,
    FriendApplicationDeclinedError,
    FriendApplicationNotFoundError,
    InvalidParameterError,
    LanyingClient,
    UserBlockedError,
    UserNotFoundError,
    ValidationError,
)
from lanying_async.emulator.state_roster import APPLICATION_TTL_MS
from lanying_async.models.roster import (
    RosterApplication,
    RosterApplicationInfo,
    RosterApplicationStatus,
    RosterApplyResult,
    RosterItem,
    RosterRelation,
)
from lanying_async.testing import Emulator

pytestmark = pytest.mark.anyio


async def _users(client: LanyingClient, *names: str) -> list[int]:
    return [(await client.users.register(username=n, password="pw")).user_id for n in names]


def _auth(emu: Emulator, user_id: int, mode: AuthMode, answer: str | None = None) -> None:
    settings = emu.app_state().users[user_id].settings
    settings.auth_mode = int(mode)
    if mode is AuthMode.QUESTION:
        settings.auth_question = "favourite colour?"
        settings.auth_answer = answer


def _friends_of(emu: Emulator, user_id: int) -> set[int]:
    return set(emu.app_state().rosters.get(user_id, {}))


# --- applying ----------------------------------------------------------------


async def test_apply_to_open_user_makes_friends_at_once(
    client: LanyingClient, emu: Emulator
) -> None:
    alice, bob = await _users(client, "alice", "bob")
    assert await client.as_user(alice).roster.apply(bob, reason="hi", alias="Bobby") is True
    [sent] = emu.requests_to("POST", "/roster/apply")
    assert sent.body == {"user_id": bob, "alias": "Bobby", "reason": "hi"}
    assert sent.headers["user_id"] == str(alice)
    assert _friends_of(emu, alice) == {bob} and _friends_of(emu, bob) == {alice}
    assert emu.app_state().rosters[alice][bob].alias == "Bobby"
    assert emu.app_state().rosters[bob][alice].alias == ""
    with pytest.raises(AlreadyFriendsError) as info:
        await client.as_user(bob).roster.apply(alice)
    assert info.value.code == 10005


async def test_apply_needing_confirmation_then_accept(client: LanyingClient, emu: Emulator) -> None:
    alice, bob = await _users(client, "alice", "bob")
    _auth(emu, bob, AuthMode.CONFIRM)
    now = emu.state.now_ms()
    assert await client.as_user(alice).roster.apply(bob, reason="let's talk", alias="B") is True
    assert _friends_of(emu, alice) == set()

    page = await client.as_user(bob).roster.applications()
    [entry] = page.items
    assert isinstance(entry, RosterApplicationInfo)
    assert (entry.user_id, entry.reason) == (alice, "let's talk")
    assert entry.status == RosterApplicationStatus.PENDING
    assert entry.expired_time >= now + APPLICATION_TTL_MS
    assert page.next_token is None and page.version is not None and page.version > 0
    assert emu.requests_to("GET", "/roster/apply/list")[0].query == {}

    assert await client.as_user(bob).roster.accept(alice) is True
    [accept] = emu.requests_to("PUT", "/roster/accept")
    assert accept.query == {"user_id": str(alice)}
    assert accept.headers["user_id"] == str(bob)
    assert _friends_of(emu, alice) == {bob} and _friends_of(emu, bob) == {alice}
    assert emu.app_state().rosters[alice][bob].alias == "B"

    [entry] = (await client.as_user(bob).roster.applications()).items
    assert entry.status == RosterApplicationStatus.ACCEPTED
    with pytest.raises(FriendApplicationNotFoundError) as info:
        await client.as_user(bob).roster.accept(alice)
    assert info.value.code == 10007


async def test_accept_errors(client: LanyingClient, emu: Emulator) -> None:
    alice, bob, carol = await _users(client, "alice", "bob", "carol")
    _auth(emu, bob, AuthMode.CONFIRM)
    as_bob = client.as_user(bob).roster
    with pytest.raises(FriendApplicationNotFoundError) as gone:
        await as_bob.accept(carol)
    assert gone.value.code == 10007
    with pytest.raises(UserNotFoundError) as unknown:
        await as_bob.accept(987654321)
    assert unknown.value.code == 10000

    await client.as_user(alice).roster.apply(bob)
    start = emu.state.now_ms()
    emu.state.clock = lambda: start + APPLICATION_TTL_MS + 1
    with pytest.raises(FriendApplicationNotFoundError) as expired:
        await as_bob.accept(alice)
    assert expired.value.code == 10007
    assert _friends_of(emu, bob) == set()

    with pytest.raises(InvalidParameterError) as no_user:
        await client.roster.accept(alice)  # the admin itself is no user
    assert no_user.value.code == 10002


async def test_decline(client: LanyingClient, emu: Emulator) -> None:
    alice, bob = await _users(client, "alice", "bob")
    _auth(emu, bob, AuthMode.CONFIRM)
    await client.as_user(alice).roster.apply(bob)
    assert await client.as_user(bob).roster.decline(alice, reason="no thanks") is True
    [sent] = emu.requests_to("PUT", "/roster/decline")
    assert sent.body == {"user_id": alice, "reason": "no thanks"}
    entry = emu.app_state().roster_ext.inboxes[bob].get(alice)
    assert entry is not None and entry.decline_reason == "no thanks"
    [info] = (await client.as_user(bob).roster.applications()).items
    assert info.status == RosterApplicationStatus.DECLINED
    assert _friends_of(emu, bob) == set()
    with pytest.raises(FriendApplicationNotFoundError) as again:
        await client.as_user(bob).roster.decline(alice)
    assert again.value.code == 10007
    with pytest.raises(UserNotFoundError):
        await client.as_user(bob).roster.decline(987654321)
    # the applicant may apply again after a decline
    await client.as_user(alice).roster.apply(bob, reason="please")
    [info] = (await client.as_user(bob).roster.applications()).items
    assert (info.status, info.reason) == (RosterApplicationStatus.PENDING, "please")


async def test_apply_with_question_and_refusals(client: LanyingClient, emu: Emulator) -> None:
    alice, bob, carol, dave = await _users(client, "alice", "bob", "carol", "dave")
    _auth(emu, bob, AuthMode.QUESTION, answer="blue")
    _auth(emu, carol, AuthMode.REJECT_ALL)
    as_alice = client.as_user(alice).roster

    with pytest.raises(FriendApplicationDeclinedError) as wrong:
        await as_alice.apply(bob, answer="red")
    assert wrong.value.code == 10012
    assert _friends_of(emu, alice) == set()
    assert await as_alice.apply(bob, answer="blue") is True
    assert emu.requests_to("POST", "/roster/apply")[-1].body == {
        "user_id": bob,
        "auth_answer": "blue",
    }
    assert _friends_of(emu, alice) == {bob}

    with pytest.raises(FriendApplicationDeclinedError) as refused:
        await as_alice.apply(carol)
    assert refused.value.code == 10012

    assert await client.as_user(dave).roster.block(alice) is True
    with pytest.raises(UserBlockedError) as blocked:
        await as_alice.apply(dave)
    assert blocked.value.code == 10006

    with pytest.raises(UserNotFoundError) as unknown:
        await as_alice.apply(987654321)
    assert unknown.value.code == 10000
    with pytest.raises(InvalidParameterError) as itself:
        await as_alice.apply(alice)
    assert itself.value.code == 10002
    assert _friends_of(emu, alice) == {bob}


async def test_apply_batch_reports_each_user(client: LanyingClient, emu: Emulator) -> None:
    alice, bob, carol, dave, erin = await _users(client, "alice", "bob", "carol", "dave", "erin")
    _auth(emu, carol, AuthMode.CONFIRM)
    _auth(emu, dave, AuthMode.REJECT_ALL)
    await client.as_user(alice).roster.add([erin])

    result = await client.as_user(alice).roster.apply_batch(
        [bob, RosterApplication(user_id=carol, reason="hello", alias="C"), dave, erin, 987654321]
    )
    assert isinstance(result, RosterApplyResult)
    assert result.success == [bob, carol]
    assert [(f.user_id, bool(f.reason)) for f in result.fails] == [
        (dave, True),
        (erin, True),
        (987654321, True),
    ]
    [sent] = emu.requests_to("POST", "/roster/apply/batch")
    assert sent.body == [
        {"user_id": bob},
        {"user_id": carol, "alias": "C", "reason": "hello"},
        {"user_id": dave},
        {"user_id": erin},
        {"user_id": 987654321},
    ]
    assert _friends_of(emu, alice) == {bob, erin}
    pending = emu.app_state().roster_ext.inboxes[carol].get(alice)
    assert pending is not None and (pending.reason, pending.alias) == ("hello", "C")

    with pytest.raises(InvalidParameterError):
        await client.roster.apply_batch([bob])


async def test_applications_page_with_a_cursor(client: LanyingClient, emu: Emulator) -> None:
    bob, *applicants = await _users(client, "bob", "a1", "a2", "a3", "a4", "a5")
    _auth(emu, bob, AuthMode.CONFIRM)
    for applicant in applicants:
        await client.as_user(applicant).roster.apply(bob, reason=f"from {applicant}")
    # a repeated application moves to the end
    await client.as_user(applicants[0]).roster.apply(bob, reason="again")

    paginator = client.as_user(bob).roster.applications(limit=2)
    first = await paginator
    assert [a.user_id for a in first.items] == applicants[1:3]
    assert first.next_token is not None
    every = [a async for a in paginator]
    assert [a.user_id for a in every] == [*applicants[1:], applicants[0]]
    assert every[-1].reason == "again"
    queries = [r.query for r in emu.requests_to("GET", "/roster/apply/list")]
    assert queries[0] == {"limit": "2"}
    assert queries[2] == {"limit": "2", "cursor": first.next_token}

    empty = await client.as_user(applicants[0]).roster.applications()
    assert list(empty.items) == [] and empty.next_token is None


# --- friends -----------------------------------------------------------------


async def test_friend_ids_pages_in_id_order(client: LanyingClient, emu: Emulator) -> None:
    owner, *others = await _users(client, "owner", "f1", "f2", "f3", "f4", "f5")
    as_owner = client.as_user(owner).roster
    await as_owner.add(reversed(others))

    paginator = as_owner.friend_ids(limit=2)
    first = await paginator
    assert list(first.items) == sorted(others)[:2]
    assert first.next_token == str(sorted(others)[1])
    version = first.version
    assert version is not None and version > 0
    assert [i async for i in paginator] == sorted(others)
    queries = [r.query for r in emu.requests_to("GET", "/roster/list")]
    assert queries[0] == {"limit": "2"}
    assert queries[2] == {"limit": "2", "cursor": str(sorted(others)[1])}

    assert await as_owner.remove(others[0]) is True
    again = await as_owner.friend_ids()
    assert list(again.items) == sorted(others[1:])
    assert again.version is not None and again.version > version
    assert emu.requests_to("GET", "/roster/list")[-1].query == {}


async def test_friends_returns_details_of_friends_only(
    client: LanyingClient, emu: Emulator
) -> None:
    alice, bob, carol = await _users(client, "alice", "bob", "carol")
    emu.app_state().accounts.profile(bob).nick_name = "Bob B."
    emu.app_state().accounts.profile(bob).public_info = "hello world"
    as_alice = client.as_user(alice).roster
    await as_alice.add([bob])
    await as_alice.set_ext(bob, alias="bestie", ext={"tag": "work"}, mute_notification=True)

    items = await as_alice.friends([bob, carol, bob])
    assert len(items) == 1
    item = items[0]
    assert isinstance(item, RosterItem)
    assert (item.user_id, item.username, item.nick_name) == (bob, "bob", "Bob B.")
    assert item.public_info == "hello world"
    assert item.relation == RosterRelation.FRIEND
    assert (item.alias, item.ext, item.mute_notification) == ("bestie", '{"tag":"work"}', True)
    assert item.auth_mode == AuthMode.ANYONE
    [sent] = emu.requests_to("POST", "/roster/list")
    assert sent.body == {"list": [bob, carol, bob]}
    assert sent.headers["user_id"] == str(alice)


async def test_set_ext_changes_only_given_fields(client: LanyingClient, emu: Emulator) -> None:
    alice, bob, carol = await _users(client, "alice", "bob", "carol")
    as_alice = client.as_user(alice).roster
    await as_alice.add([bob])
    assert await as_alice.set_ext(bob, ext="raw-ext") is True
    assert await as_alice.set_ext(bob, alias="B") is True
    bodies = [r.body for r in emu.requests_to("PUT", "/roster/ext")]
    assert bodies == [{"user_id": bob, "ext": "raw-ext"}, {"user_id": bob, "alias": "B"}]
    item = emu.app_state().rosters[alice][bob]
    assert (item.ext, item.alias, item.mute_notification) == ("raw-ext", "B", False)
    # the other side keeps its own settings
    assert emu.app_state().rosters[bob][alice].ext == ""

    with pytest.raises(InvalidParameterError) as stranger:
        await as_alice.set_ext(carol, alias="C")
    assert stranger.value.code == 10002
    with pytest.raises(UserNotFoundError) as unknown:
        await as_alice.set_ext(987654321, alias="X")
    assert unknown.value.code == 10000


async def test_remove_ends_friendship_on_both_sides(client: LanyingClient, emu: Emulator) -> None:
    alice, bob, carol = await _users(client, "alice", "bob", "carol")
    await client.as_user(alice).roster.add([bob])
    assert await client.as_user(bob).roster.remove(alice) is True
    [sent] = emu.requests_to("DELETE", "/roster/delete")
    assert sent.query == {"user_id": str(alice)} and sent.headers["user_id"] == str(bob)
    assert _friends_of(emu, alice) == set() and _friends_of(emu, bob) == set()
    found = await client.as_user(alice).roster.search_by_id(bob)
    assert found.relation == RosterRelation.REMOVED

    with pytest.raises(InvalidParameterError) as not_friend:
        await client.as_user(alice).roster.remove(carol)
    assert not_friend.value.code == 10002
    with pytest.raises(UserNotFoundError):
        await client.as_user(alice).roster.remove(987654321)


async def test_add_roster_marks_pending_applications_accepted(
    client: LanyingClient, emu: Emulator
) -> None:
    alice, bob = await _users(client, "alice", "bob")
    _auth(emu, bob, AuthMode.CONFIRM)
    await client.as_user(alice).roster.apply(bob)
    await client.as_user(bob).roster.add([alice])
    [entry] = (await client.as_user(bob).roster.applications()).items
    assert entry.status == RosterApplicationStatus.ACCEPTED
    assert [f.user_id for f in await client.as_user(alice).roster.list()] == [bob]


# --- block list --------------------------------------------------------------


async def test_block_unblock_and_may_message(client: LanyingClient, emu: Emulator) -> None:
    alice, bob, carol = await _users(client, "alice", "bob", "carol")
    as_alice = client.as_user(alice).roster
    await as_alice.add([bob])
    assert await client.roster.may_message(alice, bob) is True

    assert await as_alice.block(bob) is True
    assert await as_alice.block(carol) is True
    [first, _] = emu.requests_to("PUT", "/roster/block")
    assert first.query == {"user_id": str(bob)} and first.headers["user_id"] == str(alice)
    assert await as_alice.blocked() == [bob, carol]
    assert emu.requests_to("GET", "/roster/blocked_list")[0].headers["user_id"] == str(alice)
    assert _friends_of(emu, alice) == {bob}  # blocking keeps the friendship
    assert (await as_alice.search_by_id(bob)).relation == RosterRelation.BLOCKED

    # either direction of a block forbids messaging
    assert await client.roster.may_message(alice, bob) is False
    assert await client.as_user(bob).roster.may_message(bob, alice) is False
    assert emu.requests_to("GET", "/roster/may_message")[0].query == {
        "user_id": str(alice),
        "roster_id": str(bob),
    }

    assert await as_alice.unblock(bob) is True
    assert emu.requests_to("DELETE", "/roster/unblock")[0].query == {"user_id": str(bob)}
    assert await as_alice.blocked() == [carol]
    assert await client.roster.may_message(bob, alice) is True
    assert await as_alice.unblock(bob) is True  # absent: nothing to do
    assert emu.app_state().roster_ext.blocked[alice] == {carol: None}

    with pytest.raises(InvalidParameterError) as itself:
        await as_alice.block(alice)
    assert itself.value.code == 10002
    with pytest.raises(UserNotFoundError) as unknown:
        await as_alice.block(987654321)
    assert unknown.value.code == 10000
    with pytest.raises(UserNotFoundError):
        await client.roster.may_message(alice, 987654321)


# --- search ------------------------------------------------------------------


async def test_search_by_id_name_and_mobile(client: LanyingClient, emu: Emulator) -> None:
    alice, bob = await _users(client, "alice", "bob")
    profile = emu.app_state().accounts.profile(bob)
    profile.mobile = "13800138000"
    profile.avatar = "avatar-url"
    profile.description = "about bob"
    _auth(emu, bob, AuthMode.QUESTION, answer="blue")
    as_alice = client.as_user(alice).roster

    by_id = await as_alice.search_by_id(bob)
    assert (by_id.user_id, by_id.username, by_id.avatar) == (bob, "bob", "avatar-url")
    assert by_id.description == "about bob"
    assert by_id.auth_mode == AuthMode.QUESTION and by_id.auth_question == "favourite colour?"
    assert by_id.relation == RosterRelation.STRANGER and by_id.alias is None
    assert emu.requests_to("GET", "/roster/id")[0].query == {"user_id": str(bob)}

    by_name = await as_alice.search_by_name("bob")
    assert by_name == by_id
    assert emu.requests_to("GET", "/roster/name")[0].query == {"username": "bob"}

    by_mobile = await as_alice.search_by_mobile("13800138000")
    assert by_mobile == by_id
    assert emu.requests_to("GET", "/roster/mobile")[0].query == {"mobile": "13800138000"}
    # a changed number is found under its new value only
    profile.mobile = "+4915112345678"
    assert (await as_alice.search_by_mobile("+4915112345678")).user_id == bob
    with pytest.raises(UserNotFoundError) as gone:
        await as_alice.search_by_mobile("13800138000")
    assert gone.value.code == 10000

    with pytest.raises(UserNotFoundError):
        await as_alice.search_by_name("nobody")
    with pytest.raises(UserNotFoundError):
        await as_alice.search_by_id(987654321)


async def test_rules_the_spec_leaves_to_the_server_reach_it(
    client: LanyingClient, emu: Emulator
) -> None:
    """A number outside the (changing) mobile pattern and a user asked about
    itself are the server's to judge: the SDK sends them."""
    [alice] = await _users(client, "alice")
    with pytest.raises(InvalidParameterError):
        await client.as_user(alice).roster.search_by_mobile("12345")
    assert emu.requests_to("GET", "/roster/mobile")[0].query == {"mobile": "12345"}
    with pytest.raises(InvalidParameterError):
        await client.roster.may_message(alice, alice)
    assert emu.requests_to("GET", "/roster/may_message")[0].query == {
        "user_id": str(alice),
        "roster_id": str(alice),
    }


# --- both verbs and validation -----------------------------------------------


async def test_emulator_serves_the_alternative_verbs(client: LanyingClient, emu: Emulator) -> None:
    alice, bob = await _users(client, "alice", "bob")
    _auth(emu, bob, AuthMode.CONFIRM)
    await client.as_user(alice).roster.apply(bob)
    headers = emu.headers(user_id=bob)
    async with aiohttp.ClientSession(emu.url) as http:

        async def call(method: str, path: str, **kwargs: Any) -> int:
            async with http.request(method, path, headers=headers, **kwargs) as response:
                payload = await response.json()
                assert payload["data"] is True, payload
                return int(payload["code"])

        assert await call("POST", "/roster/accept", params={"user_id": alice}) == 200
        assert await call("POST", "/roster/ext", json={"user_id": alice, "ext": "x"}) == 200
        assert await call("POST", "/roster/block", params={"user_id": alice}) == 200
        assert await call("POST", "/roster/unblock", params={"user_id": alice}) == 200
        assert await call("POST", "/roster/delete", params={"user_id": alice}) == 200
        await client.as_user(alice).roster.apply(bob)
        assert await call("POST", "/roster/decline", json={"user_id": alice}) == 200
    assert _friends_of(emu, bob) == set()
    assert emu.app_state().roster_ext.blocked[bob] == {}


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda r: r.apply(0), "user_id"),
        (lambda r: r.apply(True), "user_id"),
        (lambda r: r.apply(5, reason=3), "reason"),
        (lambda r: r.apply_batch([]), "applications"),
        (lambda r: r.apply_batch("12"), "applications"),
        (lambda r: r.apply_batch([5, -1]), "applications[1]"),
        (lambda r: r.apply_batch([RosterApplication(user_id=0)]), "applications[0].user_id"),
        (lambda r: r.accept(-3), "user_id"),
        (lambda r: r.decline("7"), "user_id"),
        (lambda r: r.remove(0), "user_id"),
        (lambda r: r.set_ext(5), "alias"),
        (lambda r: r.set_ext(5, mute_notification=1), "mute_notification"),
        (lambda r: r.set_ext(5, ext=[1]), "ext"),
        (lambda r: r.friends([]), "user_ids"),
        (lambda r: r.friends([1, 0]), "user_ids[1]"),
        (lambda r: r.block(None), "user_id"),
        (lambda r: r.unblock(0), "user_id"),
        (lambda r: r.may_message(0, 5), "user_id"),
        (lambda r: r.search_by_id(0), "user_id"),
        (lambda r: r.search_by_name(""), "username"),
        (lambda r: r.search_by_mobile(""), "mobile"),
        (lambda r: r.search_by_mobile(13800138000), "mobile"),
        (lambda r: r.search_by_name("bo\udc80b"), "username"),
    ],
)
async def test_validation_sends_nothing(
    client: LanyingClient, emu: Emulator, call: object, field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        await call(client.as_user(1).roster)  # type: ignore[operator]
    assert info.value.field == field
    assert len(emu.requests) == 0


@pytest.mark.parametrize("limit", [0, -1, True, "10"])
async def test_paginators_validate_limit(client: LanyingClient, limit: object) -> None:
    with pytest.raises(ValidationError) as apps:
        client.roster.applications(limit=limit)  # type: ignore[arg-type]
    assert apps.value.field == "limit"
    with pytest.raises(ValidationError) as ids:
        client.roster.friend_ids(limit=limit)  # type: ignore[arg-type]
    assert ids.value.field == "limit"


async def test_user_scoped_operations_need_a_user(client: LanyingClient) -> None:
    for call in (
        client.roster.apply(1),
        client.roster.blocked(),
        client.roster.search_by_name("bob"),
    ):
        with pytest.raises(InvalidParameterError) as info:
            await call
        assert info.value.code == 10002
    with pytest.raises(InvalidParameterError):
        await client.roster.friend_ids()
