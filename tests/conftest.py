from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from lanying_async import LanyingClient
from lanying_async.testing import Emulator

pytest_plugins = ["lanying_async.pytest_plugin"]


@pytest.fixture
def anyio_backend() -> str:
    # aiohttp runs on asyncio only.
    return "asyncio"


@pytest.fixture
async def emu(lanying_emulator: Emulator) -> Emulator:
    return lanying_emulator


@pytest.fixture
async def client(lanying_client: LanyingClient) -> LanyingClient:
    return lanying_client


@pytest.fixture
async def fast_client(emu: Emulator) -> AsyncIterator[LanyingClient]:
    """A client whose retries wait almost nothing (for retry tests)."""
    from lanying_async import RetryConfig

    async with emu.client(retry=RetryConfig(base_delay=0.001, max_delay=0.005)) as c:
        yield c
