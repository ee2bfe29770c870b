"""The broker that hands a job's chunks to workers: taskiq-redis's `RedisStreamBroker`.

[`stream_broker`][lanying_async.jobs.distributed.broker.stream_broker] builds
it from a `redis://` URL with a setting for each known pitfall of the engine,
each named where it is set. The broker only distributes `(job_id, chunk_index)`
tasks; whether a chunk ran is the job store's business, so every setting here
errs toward delivering a task again (a chunk delivered twice is harmless: the
second delivery finds it done, or waits for the lease of the first).

Redis Cluster and Sentinel brokers of taskiq-redis never reclaim a task whose
worker died (their `listen` reads new entries only): they are refused here,
and [`attach`][lanying_async.jobs.distributed.tasks.attach] warns when given
one. With them, only `lanying jobs resume` brings such chunks back.
"""

from __future__ import annotations

import importlib.metadata
import os
import socket
import uuid
from typing import TYPE_CHECKING

from lanying_async.errors import ConfigurationError

if TYPE_CHECKING:
    from taskiq import AsyncBroker
    from taskiq_redis import RedisStreamBroker

__all__ = [
    "DEFAULT_IDLE_TIMEOUT",
    "DEFAULT_MAXLEN",
    "MINIMUM_TASKIQ_REDIS",
    "QUEUE_NAME",
    "no_reclaim_reason",
    "require_taskiq_redis",
    "stream_broker",
]

QUEUE_NAME = "lanying:jobs:tasks"
"""The Redis stream the chunk tasks go through (in the store's database)."""
CONSUMER_GROUP = "lanying-jobs"
"""The consumer group every worker reads the stream as."""
MINIMUM_TASKIQ_REDIS = (1, 2, 3)
"""Before 1.2.3 two workers reclaiming at once could both run a task (taskiq-redis issue 123)."""
DEFAULT_IDLE_TIMEOUT = 90.0
"""Seconds a task may stay unacknowledged before another worker takes it over.

Longer than a chunk's default lease (60 s), so a task taken over from a dead
worker usually finds that worker's lease lapsed and runs at once. A chunk
that runs longer than this (a slow server, a low rate limit) is delivered a
second time while it runs (taskiq-redis issue 101): the second delivery
finds the chunk leased and waits until it is done, sending nothing.
"""
DEFAULT_MAXLEN = 1_000_000
"""Entries the stream keeps (trimmed approximately on each add).

Acknowledged entries stay in a Redis stream until trimmed, so without a
bound the stream only grows. Trimming drops the oldest entries whether or
not a worker ran them, so the bound is far above any backlog of chunks (a
10-million-device push is 20,000 chunks); a task trimmed before it ran is
brought back by `lanying jobs resume`.
"""
RECLAIM_LOCK_SECONDS = 10.0
"""The longest a reclaim lock outlives the worker holding it (taskiq-redis issue 131)."""
READ_BLOCK_MS = 1000
"""How long one read waits for a new task; an idle worker looks for tasks to reclaim this often."""


def _version(text: str) -> tuple[int, ...]:
    parts: list[int] = []
    for part in text.split(".")[:3]:
        digits = "".join(ch for ch in part if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def require_taskiq_redis() -> None:
    """Raise `ConfigurationError` unless taskiq-redis (>= 1.2.3) is installed."""
    try:
        installed = importlib.metadata.version("taskiq-redis")
    except importlib.metadata.PackageNotFoundError:
        installed = None
    if installed is None or _version(installed) < MINIMUM_TASKIQ_REDIS:
        found = f"found {installed}" if installed else "not installed"
        raise ConfigurationError(
            "workers need taskiq-redis >= 1.2.3 (earlier ones may run a reclaimed task "
            f"twice at once), {found}: pip install 'lanying-async[jobs]'"
        )


def consumer_name() -> str:
    """This worker's name in the consumer group: host, process and a random part."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def stream_broker(
    url: str,
    *,
    concurrency: int = 8,
    idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
    maxlen: int | None = DEFAULT_MAXLEN,
    queue_name: str = QUEUE_NAME,
) -> RedisStreamBroker:
    """A `RedisStreamBroker` on the Redis at `url`, set up for chunk tasks.

    It is a `ReclaimingStreamBroker` (`lanying_async.jobs.distributed.stream`):
    it reclaims a dead worker's tasks on a stream with no new tasks too.

    Args:
        url: `redis://HOST:PORT/DB` (or `rediss://`, `unix://`), usually the store's.
        concurrency: chunks a worker runs at once; it reads and reclaims no more
            tasks than that at a time.
        idle_timeout: seconds before an unacknowledged task is taken over by
            another worker (see `DEFAULT_IDLE_TIMEOUT`).
        maxlen: entries the stream keeps (None: no trimming).
        queue_name: the stream's key.

    Raises:
        ConfigurationError: taskiq-redis missing or older than 1.2.3.
    """
    require_taskiq_redis()
    from lanying_async.jobs.distributed.stream import ReclaimingStreamBroker

    if not 0 < idle_timeout < 10**7:
        raise ConfigurationError(f"idle_timeout must be positive seconds, got {idle_timeout}")
    # Reclaims on an idle stream too (taskiq-redis 1.2.4 waits for a new task first).
    return ReclaimingStreamBroker(
        url,
        queue_name=queue_name,
        consumer_group_name=CONSUMER_GROUP,
        consumer_name=consumer_name(),
        # The default "$" makes a new group start after the stream's last entry, so the
        # tasks of a job submitted before any worker ever ran would never be read. "0": a
        # group created late reads the stream from its start (chunks done are skipped).
        consumer_id="0",
        mkstream=True,
        xread_block=READ_BLOCK_MS,
        # One entry per read: an entry read is this worker's until acknowledged, so
        # entries read ahead would wait, unstarted, for idle_timeout after a SIGTERM.
        xread_count=1,
        # After a crash, reclaim up to one worker's worth of tasks at a time.
        unacknowledged_batch_size=concurrency,
        idle_timeout=int(idle_timeout * 1000),
        # A worker killed while it held the reclaim lock stopped every worker from
        # reclaiming, for good (taskiq-redis issue 131): the lock lapses instead.
        unacknowledged_lock_timeout=RECLAIM_LOCK_SECONDS,
        # Acknowledged entries stay in a stream until trimmed.
        maxlen=maxlen,
        approximate=True,
        # The reader, the reclaimer, the acks and the kicks of `concurrency` chunks.
        max_connection_pool_size=concurrency + 4,
    )


def no_reclaim_reason(broker: AsyncBroker) -> str | None:
    """Why a task of `broker` whose worker died would never run again (None: it would)."""
    try:
        from taskiq_redis import RedisStreamClusterBroker, RedisStreamSentinelBroker
    except ImportError:
        return None
    if isinstance(broker, (RedisStreamClusterBroker, RedisStreamSentinelBroker)):
        return (
            f"{type(broker).__name__} never reclaims a task whose worker died: a chunk "
            "it was running waits for 'lanying jobs resume'"
        )
    return None
