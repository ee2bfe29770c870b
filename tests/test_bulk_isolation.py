"""A chunk refused as a whole for one item is split until that item stands alone (emulator).

The emulator refuses a whole ``/message/send`` for one unknown target, as the
server does (the send's reply has no per-target part); its state says what was
delivered, and how often.
"""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest

from lanying_async import BulkOptions, GroupType, LanyingClient, RetryConfig, TargetType
from lanying_async.emulator.faults import CloseAfterHandling
from lanying_async.testing import Emulator, FaultPlan

pytestmark = pytest.mark.anyio

SEND = ("POST", "/message/send")
UNKNOWN = [9_000_000_000_000 + 97 * i for i in range(7)]


async def _register(client: LanyingClient, count: int) -> list[int]:
    people = [(f"iso{i:05d}", "pw") for i in range(count)]
    report = await client.users.bulk_register(people)
    assert report.ok, report
    return [report.results[name] for name, _ in people]


def _scatter(known: list[int], unknown: list[int], seed: int) -> list[int]:
    """``known`` with ``unknown`` put at random places (each in a chunk of its own here)."""
    mixed = list(known)
    rng = random.Random(seed)
    for value in unknown:
        mixed.insert(rng.randrange(len(mixed) + 1), value)
    return mixed


def _chunks_holding(targets: list[int], bad: list[int], size: int) -> Counter[int]:
    """Chunk index -> how many of ``bad`` it holds."""
    return Counter(targets.index(value) // size for value in bad)


async def test_unknown_targets_among_10_000_fail_alone(
    client: LanyingClient, emu: Emulator
) -> None:
    known = await _register(client, 10_000 - len(UNKNOWN))
    targets = _scatter(known, UNKNOWN, seed=3)
    size = 100
    emu.clear_requests()
    report = await client.messages.send(targets, "hello all", options=BulkOptions(chunk_size=size))

    assert sorted(report.failed) == sorted(UNKNOWN) and sorted(report.isolated) == sorted(UNKNOWN)
    for value in UNKNOWN:  # each fails with the refusal of a request that held only it
        assert report.failed[value].code == 10000 and str(value) in report.failed[value].reason
    assert report.succeeded_count == len(known) and report.stopped_by is None
    delivered = Counter(m.to_id for m in emu.app_state().messages if m.content == "hello all")
    assert delivered == Counter(known)  # every known user once, nobody twice

    chunks = math.ceil(len(targets) / size)
    depth = math.ceil(math.log2(size))
    assert report.isolation_requests <= len(UNKNOWN) * depth + chunks
    # The search's own bound: c refused items in a chunk cost at most c * (depth + 1) + 1.
    holding = _chunks_holding(targets, UNKNOWN, size)
    assert report.isolation_requests <= sum(c * (depth + 2) + 1 for c in holding.values())
    sent = emu.requests_to(*SEND)
    assert report.requests == len(sent) == chunks + report.isolation_requests
    assert len({r.body["transaction_id"] for r in sent}) == len(sent)  # each part its own id


async def test_two_unknown_targets_in_one_chunk_both_fail_alone(
    client: LanyingClient, emu: Emulator
) -> None:
    known = await _register(client, 62)
    bad = [UNKNOWN[0], UNKNOWN[1]]
    # one in each half of the chunk: both halves are refused before anything is answered
    targets = [*known[:10], bad[0], *known[10:40], bad[1], *known[40:]]
    report = await client.messages.send(targets, "pair", options=BulkOptions(chunk_size=64))
    assert sorted(report.failed) == sorted(bad) and sorted(report.isolated) == sorted(bad)
    assert report.succeeded_count == len(known)
    assert report.isolation_requests <= 2 * (6 + 2) + 1


async def test_invite_answers_unknown_users_per_member(
    client: LanyingClient, emu: Emulator
) -> None:
    known = await _register(client, 10_000 - len(UNKNOWN))
    owner, invitees = known[0], known[1:]
    room = await client.as_user(owner).groups.create(name="big", type=GroupType.CHATROOM)
    targets = _scatter(invitees, UNKNOWN, seed=4)
    emu.clear_requests()
    report = await client.as_user(owner).groups.invite(
        room.group_id, targets, options=BulkOptions(chunk_size=100)
    )
    # Several invitees are answered one by one: nothing is refused as a whole, nothing split.
    assert sorted(report.failed) == sorted(UNKNOWN)
    assert {e.reason for e in report.failed.values()} == {"user not found"}
    assert report.isolation_requests == 0 and report.isolated == []
    assert report.requests == len(emu.requests_to("POST", "/group/invite")) == 100
    assert len(emu.app_state().groups[room.group_id].members) == len(known)


@pytest.mark.parametrize(("targets", "chunks"), [(1_000, 10), (200, 2)])
async def test_an_unknown_sender_stops_the_search_quickly(
    client: LanyingClient, emu: Emulator, targets: int, chunks: int
) -> None:
    known = await _register(client, targets)
    emu.clear_requests()
    stranger = 8_000_000_000_000
    report = await client.messages.send(
        known, "from nobody", from_user_id=stranger, options=BulkOptions(chunk_size=100)
    )
    # Every part is refused alike: no answer ever shows the targets are the trouble.
    assert report.failed_count == targets and report.isolated == []
    assert {e.reason for e in report.failed.values()} == {f"user {stranger} not found"}
    # Each chunk sends its halves and one half's halves (4), from the job's budget of
    # 4 * ceil(log2(100)) = 28; blind bisection would have sent 198 per chunk.
    assert report.isolation_requests == min(4 * chunks, 4 * 7)
    assert report.requests == len(emu.requests_to(*SEND)) == chunks + report.isolation_requests
    assert not any(m.content == "from nobody" for m in emu.app_state().messages)


async def test_a_refusal_that_does_not_recur_blames_no_item(
    client: LanyingClient, emu: Emulator
) -> None:
    """An item left alone by elimination is sent alone before it is blamed."""
    users = await _register(client, 8)
    emu.force_error(*SEND, 10000, "not found, once", times=1)  # refuses the first chunk only
    report = await client.messages.send(users, "hi", options=BulkOptions(chunk_size=8))
    assert report.isolated == [] and report.failed == {}
    assert sorted(report.succeeded) == sorted(users)
    delivered = Counter(m.to_id for m in emu.app_state().messages if m.content == "hi")
    assert delivered == Counter(users)  # each once


async def test_isolate_false_fails_the_whole_chunk(client: LanyingClient, emu: Emulator) -> None:
    known = await _register(client, 299)
    targets = [*known[:150], UNKNOWN[0], *known[150:]]
    whole = await client.messages.send(
        targets, "old way", options=BulkOptions(chunk_size=100, isolate=False)
    )
    assert whole.failed_count == 100 and UNKNOWN[0] in whole.failed  # its chunk, all of it
    assert {e.code for e in whole.failed.values()} == {10000}
    assert whole.requests == 3 and whole.isolation_requests == 0 and whole.isolated == []
    isolated = await client.messages.send(targets, "new way", options=BulkOptions(chunk_size=100))
    assert list(isolated.failed) == [UNKNOWN[0]] and isolated.succeeded_count == 299


async def test_groups_as_targets_isolate_an_unknown_group(
    client: LanyingClient, emu: Emulator
) -> None:
    (owner,) = await _register(client, 1)
    groups = [(await client.as_user(owner).groups.create(name=f"g{i}")).group_id for i in range(12)]
    unknown_group = 77_777
    report = await client.messages.send(
        [*groups[:5], unknown_group, *groups[5:]],
        "to rooms",
        target_type=TargetType.GROUP,
        options=BulkOptions(chunk_size=13),
    )
    assert list(report.failed) == [unknown_group] and report.failed[unknown_group].code == 20001
    assert sorted(report.succeeded) == sorted(groups)


async def test_a_deduplicated_send_refused_after_a_lost_answer_is_still_split() -> None:
    # The first request's answer is lost after the server refused it; the retry, under the
    # same transaction_id, is refused too: the refusal may follow an attempt that ran, but
    # the server answers the repeat of a send that ran with its outcome, so nothing ran.
    plan = FaultPlan(seed=1)
    plan.add(CloseAfterHandling(), method="POST", path="/message/send", requests=[1])
    retry = RetryConfig(base_delay=0.001, max_delay=0.002)
    async with Emulator(faults=plan) as emu, emu.client(retry=retry) as client:
        known = await _register(client, 9)
        targets = [*known[:4], UNKNOWN[0], *known[4:]]
        report = await client.messages.send(targets, "once", options=BulkOptions(chunk_size=10))
        sent = emu.requests_to(*SEND)
        delivered = Counter(m.to_id for m in emu.app_state().messages if m.content == "once")
    assert sent[0].body["transaction_id"] == sent[1].body["transaction_id"]  # the retry
    assert list(report.failed) == [UNKNOWN[0]] and report.isolated == [UNKNOWN[0]]
    assert delivered == Counter(known)
    parts = {r.body["transaction_id"] for r in sent[2:]}
    assert len(parts) == len(sent) - 2 == report.isolation_requests  # each part its own id


async def _full_room_refusals(client: LanyingClient, emu: Emulator, size: int) -> dict[str, object]:
    """Invite, in chunks of ``size``, users refused for each per-member reason: their errors."""
    owner, member, blocked, kicked, late = await _register_fresh(client, 5, f"s{size}")
    groups = client.as_user(owner).groups
    gid = (await groups.create(name=f"full {size}")).group_id
    assert (await groups.invite(gid, [member, kicked])).ok
    assert (await groups.block(gid, [blocked]))[0].ok
    limit = emu.app_state().group_ext.kick_limit
    for round_ in range(limit):
        assert (await groups.kick(gid, [kicked]))[0].ok
        if round_ < limit - 1:
            assert (await groups.invite_once(gid, [kicked]))[0].ok
    group = emu.app_state().groups[gid]
    group.capacity = len(group.members)
    report = await groups.invite(
        gid, [member, blocked, kicked, late], options=BulkOptions(chunk_size=size)
    )
    assert report.failed_count == 4
    named = {"member": member, "blocked": blocked, "kicked": kicked, "late": late}
    return {why: report.failed[user] for why, user in named.items()}


async def _register_fresh(client: LanyingClient, count: int, prefix: str) -> list[int]:
    people = [(f"{prefix}_{i}", "pw") for i in range(count)]
    report = await client.users.bulk_register(people)
    return [report.results[name] for name, _ in people]


async def test_a_refused_invitee_reads_the_same_whatever_the_chunk_size(
    client: LanyingClient, emu: Emulator
) -> None:
    alone = await _full_room_refusals(client, emu, 1)  # each refusal is the call's code
    together = await _full_room_refusals(client, emu, 50)  # per-member replies
    assert alone == together
    assert {why: e.reason for why, e in alone.items()} == {  # type: ignore[attr-defined]
        "member": "user is already a group member",
        "blocked": "user is in the group block list",
        "kicked": "user was kicked too often and cannot rejoin",
        "late": "group member limit reached",
    }
