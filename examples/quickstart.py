"""The guide's flow with lanying-async.

Runs against your app when LANYING_API_ENDPOINT, LANYING_APP_ID and
LANYING_ACCESS_TOKEN are set, and against the embedded emulator otherwise::

    python examples/quickstart.py
"""

from __future__ import annotations

import asyncio
import os
import uuid

from lanying_async import Audience, LanyingClient, PushMessage
from lanying_async.testing import Emulator


async def flow(client: LanyingClient) -> None:
    suffix = uuid.uuid4().hex[:8]
    alice = await client.users.register(username=f"alice_{suffix}", password="s3cret")
    bob = await client.users.register(username=f"bob_{suffix}", password="s3cret")

    as_alice = client.as_user(alice.user_id)
    await as_alice.roster.add([bob.user_id])
    print("alice's friends:", [f.name for f in await as_alice.roster.list()])

    group = await as_alice.groups.create(name="g001", description="test-group")
    report = await as_alice.groups.invite(group.group_id, [bob.user_id])
    print("invited:", report.succeeded, "failed:", dict(report.failed))
    async for member in as_alice.groups.members(group.group_id, limit=50):
        print("member", member.user_id, "joined at", member.join_time)

    sent = await client.messages.send([bob.user_id], "hello")
    print("message ids:", sent.results)
    pushed = await client.push.notify(Audience.all(), PushMessage(title="Hi", body="there"))
    print("push task:", pushed.values)
    await as_alice.groups.destroy(group.group_id)


async def main() -> None:
    if os.environ.get("LANYING_API_ENDPOINT"):
        async with LanyingClient() as client:
            await flow(client)
        return
    async with Emulator() as emu, emu.client() as client:
        print("no LANYING_API_ENDPOINT set: using the embedded emulator at", emu.url)
        await flow(client)


if __name__ == "__main__":
    asyncio.run(main())
