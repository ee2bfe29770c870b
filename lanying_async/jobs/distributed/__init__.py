"""Durable jobs over many worker processes: taskiq distributes the chunks, the store decides.

A job submitted to a store (`redis://...`) is handed to workers as one taskiq
task per chunk, each carrying only `(job_id, chunk_index)`; any worker runs
it through [`run_chunk`][lanying_async.jobs.runner.run_chunk] (lease, send,
record once) and acknowledges it only afterwards. The broker may deliver a
task twice or lose one; the store's leases and records make a second
delivery harmless, and `lanying jobs resume`
([`requeue_unfinished`][lanying_async.jobs.distributed.queueing.requeue_unfinished])
brings back what was lost.

- [`stream_broker`][lanying_async.jobs.distributed.broker.stream_broker]: taskiq-redis's
  `RedisStreamBroker`, set up against the engine's known pitfalls.
- [`attach`][lanying_async.jobs.distributed.tasks.attach]: the chunk task on any
  taskiq broker (yours included), with the worker's store and client.
- [`enqueue_chunks`][lanying_async.jobs.distributed.queueing.enqueue_chunks],
  [`requeue_unfinished`][lanying_async.jobs.distributed.queueing.requeue_unfinished]:
  queue a job's chunks, or the ones not done.
- [`run_worker`][lanying_async.jobs.distributed.worker.run_worker]: a worker's loop
  (what `lanying jobs worker` runs).

Needs the `jobs` extra (`pip install 'lanying-async[jobs]'`: taskiq, taskiq-redis).
"""

from lanying_async.jobs.distributed.broker import (
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_MAXLEN,
    QUEUE_NAME,
    stream_broker,
)
from lanying_async.jobs.distributed.queueing import enqueue_chunks, requeue_unfinished
from lanying_async.jobs.distributed.tasks import (
    TASK_NAME,
    ChunkWorker,
    NoReclaimWarning,
    attach,
    chunk_task,
)
from lanying_async.jobs.distributed.worker import run_worker

__all__ = [
    "DEFAULT_IDLE_TIMEOUT",
    "DEFAULT_MAXLEN",
    "QUEUE_NAME",
    "TASK_NAME",
    "ChunkWorker",
    "NoReclaimWarning",
    "attach",
    "chunk_task",
    "enqueue_chunks",
    "requeue_unfinished",
    "run_worker",
    "stream_broker",
]
