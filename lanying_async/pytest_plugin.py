"""pytest fixtures for code that uses lanying-async.

Enable with `pytest_plugins = ["lanying_async.pytest_plugin"]` in your
`conftest.py`. The fixtures are async and run under anyio's pytest plugin
(`@pytest.mark.anyio`, with the `asyncio` backend: aiohttp needs it).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from lanying_async.client import LanyingClient
from lanying_async.emulator import Emulator

__all__ = ["lanying_client", "lanying_emulator"]


@pytest.fixture
async def lanying_emulator() -> AsyncIterator[Emulator]:
    """A fresh emulator on a free loopback port, stopped after the test."""
    async with Emulator() as emulator:
        yield emulator


@pytest.fixture
async def lanying_client(lanying_emulator: Emulator) -> AsyncIterator[LanyingClient]:
    """An admin client connected to `lanying_emulator`, closed after the test."""
    async with lanying_emulator.client() as client:
        yield client
