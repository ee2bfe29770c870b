"""taskiq-redis's `RedisStreamBroker`, reclaiming tasks even when no new task comes.

In taskiq-redis 1.2.4 the broker's `listen` looks for tasks to reclaim
(`XAUTOCLAIM`: unacknowledged for longer than `idle_timeout`) only right after
a read that returned new tasks. Once the stream is drained, the tasks of a
worker that died wait for the next task anyone queues, which may be never:
the last chunks of a job would stay undone. This broker reads the same way
and looks for tasks to reclaim after every read, new tasks or not, at most
once per `RECLAIM_EVERY` seconds.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator
from typing import Any

from redis.asyncio import Redis
from taskiq import AckableMessage
from taskiq_redis import RedisStreamBroker

__all__ = ["RECLAIM_EVERY", "ReclaimingStreamBroker"]

RECLAIM_EVERY = 1.0
"""Seconds between two looks for tasks to reclaim by one worker."""


class ReclaimingStreamBroker(RedisStreamBroker):
    """A `RedisStreamBroker` whose workers reclaim dead workers' tasks on an idle stream too."""

    async def listen(self) -> AsyncGenerator[AckableMessage, None]:
        """New tasks first; every `RECLAIM_EVERY` seconds, tasks left unacknowledged too long."""
        async with Redis(connection_pool=self.connection_pool) as redis:
            looked = 0.0
            while True:
                fetched: Any = await redis.xreadgroup(
                    self.consumer_group_name,
                    self.consumer_name,
                    {self.queue_name: ">"},
                    block=self.block,
                    noack=False,
                    count=self.count,
                )
                for stream, entries in fetched or ():
                    for entry_id, fields in entries:
                        yield self._message(stream, entry_id, fields)
                if time.monotonic() - looked < RECLAIM_EVERY:
                    continue
                looked = time.monotonic()
                for entry_id, fields in await self._reclaim(redis):
                    yield self._message(self.queue_name, entry_id, fields)

    def _message(self, stream: Any, entry_id: Any, fields: Any) -> AckableMessage:
        return AckableMessage(
            data=fields[b"data"], ack=self._ack_generator(id=entry_id, queue_name=stream)
        )

    async def _reclaim(self, redis: Redis) -> list[tuple[Any, Any]]:
        # As taskiq-redis does it (>= 1.2.3: the lock and the claim in one transaction, so
        # two workers never claim one task at once), with a lock that lapses (issue 131).
        pipe = redis.pipeline()
        lock = pipe.lock(
            f"autoclaim:{self.consumer_group_name}:{self.queue_name}",
            timeout=self.unacknowledged_lock_timeout,
        )
        await lock.acquire()
        await pipe.xautoclaim(
            name=self.queue_name,
            groupname=self.consumer_group_name,
            consumername=self.consumer_name,
            min_idle_time=self.idle_timeout,
            count=self.unacknowledged_batch_size,
        )
        await lock.release()
        results = await pipe.execute()
        claimed = results[1][1]
        # An entry trimmed from the stream (maxlen) comes back without its fields.
        return [(entry_id, fields) for entry_id, fields in claimed if fields]
