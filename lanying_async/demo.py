"""`lanying demo`: the guide's flow, then a realistic batch job, on an in-process emulator."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from lanying_async.bulk.report import BulkReport
from lanying_async.client import LanyingClient
from lanying_async.models.enums import GroupType
from lanying_async.models.push import Audience, PushMessage

__all__ = ["run_demo"]

Out = Callable[[str], None]


@dataclass
class _Phase:
    name: str
    items: int
    chunks: int
    requests: int
    connections: int
    seconds: float
    failed: int


async def run_demo(out: Out = print, *, users: int = 10_000) -> int:
    """Run the demo against a fresh emulator, printing what it did; returns 0 on success."""
    from lanying_async.testing import Emulator

    async with Emulator() as emu, emu.client() as client:
        out(f"emulator listening on {emu.url} (app {emu.app_id!r})")
        out("")
        out("== the server-API guide, step by step")
        await _guide_flow(client, out)
        out("")
        out(f"== a batch job: {users:,} users")
        phases, ok = await _batch_job(client, emu, users)
        out(
            f"{'phase':<24}{'items':>8}{'failed':>8}{'chunks':>8}{'requests':>10}"
            f"{'new conns':>11}{'time':>9}"
        )
        for p in phases:
            out(
                f"{p.name:<24}{p.items:>8,}{p.failed:>8}{p.chunks:>8,}{p.requests:>10,}"
                f"{p.connections:>11}{p.seconds * 1000:>7.0f}ms"
            )
        out(f"connections opened in all: {emu.connections_opened}")
    return 0 if ok else 1


async def _guide_flow(client: LanyingClient, out: Out) -> None:
    owner = await client.users.register(username="demo_owner", password="s3cret")
    friends = [
        await client.users.register(username=f"demo_friend_{i}", password="s3cret")
        for i in range(1, 4)
    ]
    friend_ids = [f.user_id for f in friends]
    out(f"registered 4 users: owner {owner.user_id}, friends {friend_ids}")

    as_owner = client.as_user(owner.user_id)
    await as_owner.roster.add(friend_ids)
    roster = await as_owner.roster.list()
    out(f"owner's friends: {', '.join(f'{r.name} ({r.user_id})' for r in roster)}")

    group = await as_owner.groups.create(name="g001", description="demo group")
    out(f"created group {group.group_id} {group.name!r} owned by {group.owner_id}")

    invited = await as_owner.groups.invite(group.group_id, friend_ids)
    out(f"invited {invited.total} users: {invited.succeeded_count} joined")

    pages = members = 0
    async for page in as_owner.groups.members(group.group_id, limit=2).pages():
        pages += 1
        members += len(page.items)
    out(f"listed {members} members over {pages} pages of 2")

    sent = await client.messages.send_once(friend_ids[:1], "hello from the demo")
    out(f"sent a text message, id {sent.msg_ids}")

    task = await client.push.notify_once(
        Audience.user_ids(friend_ids), PushMessage(title="Hello", body="from the demo")
    )
    out(f"pushed to {len(friend_ids)} users, task {task.task_id}")

    await as_owner.groups.destroy(group.group_id)
    out(f"destroyed group {group.group_id}")


async def _batch_job(client: LanyingClient, emu: Any, count: int) -> tuple[list[_Phase], bool]:
    phases: list[_Phase] = []

    async def phase(name: str, run: Callable[[], Awaitable[BulkReport[Any]]]) -> BulkReport[Any]:
        connections = emu.connections_opened
        requests = emu.requests_served
        started = time.perf_counter()
        report = await run()
        phases.append(
            _Phase(
                name,
                report.total,
                report.chunks,
                emu.requests_served - requests,
                emu.connections_opened - connections,
                time.perf_counter() - started,
                report.failed_count + len(report.outcome_unknown),
            )
        )
        return report

    people = [(f"batch_user_{i:06d}", f"pw-{i}") for i in range(count)]
    registered = await phase("register users", lambda: client.users.bulk_register(people))
    ids = [registered.results[name] for name, _ in people]

    owner = client.as_user(ids[0])
    room = await owner.groups.create(name="everyone", type=GroupType.CHATROOM)
    invited = await phase(
        "invite into one group", lambda: owner.groups.invite(room.group_id, ids[1:])
    )
    pushed = await phase(
        "push to all of them",
        lambda: client.push.notify(Audience.user_ids(ids), PushMessage(title="Hi", body="batch")),
    )
    messaged = await phase("message all of them", lambda: client.messages.send(ids, "welcome!"))
    ok = all(r.ok for r in (registered, invited, pushed, messaged))
    return phases, ok
