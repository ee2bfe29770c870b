"""A worker process's main loop: taskiq's receiver over the broker, stopped cleanly.

[`run_worker`][lanying_async.jobs.distributed.worker.run_worker] starts the
broker as a worker (the chunk task's startup opens the store and the
client), runs taskiq's `Receiver` with `concurrency` chunks at a time, and
on `stop` reads no new task, ends the waits of tasks that wait (their
messages stay unacknowledged, for another worker), lets the chunks in
flight finish and record, then shuts the broker down (closing the client
and the store). A broker whose connection breaks is listened to again
after a pause.
"""

from __future__ import annotations

import asyncio
import logging

import anyio
from taskiq import AsyncBroker
from taskiq.receiver import Receiver

from lanying_async.jobs.distributed.tasks import worker_of

__all__ = ["run_worker"]

log = logging.getLogger("lanying_async.jobs.worker")

RELISTEN_PAUSE = 1.0
"""Seconds before listening again to a broker whose connection broke."""


async def run_worker(broker: AsyncBroker, stop: anyio.Event, *, concurrency: int) -> None:
    """Run chunk tasks from `broker` (with the chunk task attached) until `stop` is set.

    Args:
        broker: a broker given the chunk task by
            [`attach`][lanying_async.jobs.distributed.tasks.attach].
        stop: set it to stop: no new task is read, the chunks in flight finish.
        concurrency: chunks run at once.
    """
    broker.is_worker_process = True
    await broker.startup()
    try:
        worker = worker_of(broker)
        finish = asyncio.Event()

        async def stopper() -> None:
            await stop.wait()
            if worker is not None:
                worker.stop()
            finish.set()

        async with anyio.create_task_group() as group:
            group.start_soon(stopper)
            while not stop.is_set():
                receiver = Receiver(
                    broker,
                    max_async_tasks=concurrency,
                    max_prefetch=0,
                    run_startup=False,
                    wait_tasks_timeout=None,
                )
                try:
                    await receiver.listen(finish)
                except Exception as exc:  # the broker's connection: listen again
                    log.warning("listening to the broker failed: %s; again shortly", exc)
                    with anyio.move_on_after(RELISTEN_PAUSE):
                        await stop.wait()
            group.cancel_scope.cancel()
    finally:
        with anyio.CancelScope(shield=True):
            await broker.shutdown()
