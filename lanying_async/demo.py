"""``lanying demo``: the guide's whole flow against an in-process emulator."""

from __future__ import annotations

import time
from collections.abc import Callable

from lanying_async.models.push import Audience, PushMessage

__all__ = ["run_demo"]


async def run_demo(out: Callable[[str], None] = print) -> int:
    """Run the guide's flow on a fresh emulator, printing a short report; returns 0."""
    from lanying_async.testing import Emulator

    started = time.perf_counter()
    async with Emulator() as emu, emu.client() as client:
        out(f"emulator listening on {emu.url} (app {emu.app_id!r})")

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

        results = await as_owner.groups.invite(group.group_id, friend_ids)
        ok = sum(1 for r in results if r.ok)
        out(f"invited {len(results)} users: {ok} joined")

        pages = 0
        members = 0
        async for page in as_owner.groups.members(group.group_id, limit=2).pages():
            pages += 1
            members += len(page.items)
        out(f"listed {members} members over {pages} pages of 2")

        sent = await client.messages.send(friend_ids[:1], "hello from the demo")
        out(f"sent a text message, id {sent.msg_ids}")

        task = await client.push.notify(
            Audience.user_ids(friend_ids), PushMessage(title="Hello", body="from the demo")
        )
        out(f"pushed to {len(friend_ids)} users, task {task.task_id}")

        await as_owner.groups.destroy(group.group_id)
        out(f"destroyed group {group.group_id}")

        requests = len(emu.requests)
        connections = emu.connections_opened
    elapsed = time.perf_counter() - started
    out(f"done: {requests} requests over {connections} connection(s) in {elapsed * 1000:.0f} ms")
    return 0
