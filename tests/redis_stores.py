"""Fresh, empty Redis job stores for the tests: each under a key prefix of its own."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator

import redis.asyncio as aioredis

from lanying_async.jobs.redis_store import RedisJobStore

__all__ = ["fresh_redis_store"]


@contextlib.asynccontextmanager
async def fresh_redis_store(url: str, *, prefix: str = "") -> AsyncIterator[RedisJobStore]:
    """A store at ``url`` whose keys no other test sees; they are deleted afterwards."""
    prefix = prefix or f"lanying-test-{uuid.uuid4().hex}"
    store = RedisJobStore.from_url(url, key_prefix=prefix)
    try:
        yield store
    finally:
        await store.aclose()
        cleaner = aioredis.Redis.from_url(url)
        try:
            keys = [key async for key in cleaner.scan_iter(match=f"{prefix}:*", count=1000)]
            if keys:
                await cleaner.delete(*keys)
        finally:
            await cleaner.aclose()
