"""Every job store keeps the same contract (``tests/job_store_contract.py``).

Each check runs on a fresh, empty store of each kind: the SQLite store in a
file of the test's own, the Redis store under a key prefix of the test's own
(its keys deleted afterwards).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from lanying_async.jobs.sqlite_store import SqliteJobStore
from lanying_async.jobs.store import JobStore
from tests.job_store_contract import CHECKS
from tests.redis_stores import fresh_redis_store


@pytest.fixture(params=["sqlite", "redis"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[JobStore]:
    if request.param == "redis":
        url: str = request.getfixturevalue("redis_url")
        async with fresh_redis_store(url) as redis_store:
            yield redis_store
        return
    sqlite_store = SqliteJobStore(tmp_path / "jobs.sqlite3")
    try:
        yield sqlite_store
    finally:
        await sqlite_store.aclose()


@pytest.mark.anyio
@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.__name__)
async def test_the_store_keeps_the_contract(
    store: JobStore, check: Callable[[JobStore], Awaitable[None]]
) -> None:
    await check(store)
