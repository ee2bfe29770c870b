"""A connection the server closed never fails or duplicates a write."""

from __future__ import annotations

import anyio
import pytest

from lanying_async import PoolLimits
from lanying_async.testing import Emulator

pytestmark = pytest.mark.anyio


async def test_client_drops_idle_connections_before_the_server_does() -> None:
    async with Emulator(keepalive_timeout=5.0) as emu:
        limits = PoolLimits(keepalive_expiry=0.2)
        async with emu.client(limits=limits) as client:
            owner = await client.users.register(username="owner", password="pw")
            await anyio.sleep(0.5)  # idle past the client's expiry, within the server's
            group = await client.as_user(owner.user_id).groups.create(name="g")
        assert group.group_id in emu.app_state().groups
        assert emu.state.executions[("POST", "/group/create")] == 1
        assert emu.connections_opened == 2


async def test_a_connection_the_server_closed_is_not_reused_for_a_write() -> None:
    async with Emulator(keepalive_timeout=0.2) as emu, emu.client() as client:
        owner = await client.users.register(username="owner", password="pw")
        await anyio.sleep(0.6)  # the server closes the idle connection meanwhile
        assert emu.connections_active == 0
        group = await client.as_user(owner.user_id).groups.create(name="g")
        assert group.group_id in emu.app_state().groups
        assert emu.state.executions[("POST", "/group/create")] == 1
        assert emu.connections_opened == 2
