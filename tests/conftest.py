from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from lanying_async import LanyingClient
from lanying_async.testing import Emulator

pytest_plugins = ["lanying_async.pytest_plugin", "tests.redis_server"]

# The bulk property tests check reports in a helper module: explain its failed asserts too.
pytest.register_assert_rewrite("tests.bulk_runs")


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


COVERAGE_TEST = "test_every_operation_succeeded_against_the_emulator"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the catalog coverage check last, and only when the whole suite runs.

    It proves every API operation was exercised end to end by the other tests,
    which only holds when all of them ran; on a partial run it is deselected.
    """
    coverage = [item for item in items if item.name == COVERAGE_TEST]
    if not coverage:
        return
    here = Path(__file__).parent
    all_files = {p.resolve() for p in here.glob("test_*.py")}
    collected = {Path(str(item.fspath)).resolve() for item in items}
    partial = (
        bool(config.option.keyword)
        or bool(config.option.markexpr)
        or not all_files <= collected
        or len({item.nodeid for item in items}) < len(items)
    )
    for item in coverage:
        items.remove(item)
    if partial:
        config.hook.pytest_deselected(items=coverage)
    else:
        items.extend(coverage)
