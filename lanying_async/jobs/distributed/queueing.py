"""Handing a job's chunks to workers: one task per chunk, and the same again on resume."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import anyio

from lanying_async.jobs.api import resume

if TYPE_CHECKING:
    from taskiq import AsyncTaskiqDecoratedTask

    from lanying_async.jobs.store import JobStore

__all__ = ["enqueue_chunks", "requeue_unfinished"]

KICKS_AT_ONCE = 16
"""Tasks being added to the broker at the same time."""


async def enqueue_chunks(
    task: AsyncTaskiqDecoratedTask[Any, Any], job_id: str, indices: Iterable[int]
) -> int:
    """Queue one task per chunk index; returns how many were queued.

    The broker must be started (`await broker.startup()`): for a Redis stream
    that also creates the workers' consumer group, so tasks queued before any
    worker ever ran are read.
    """
    pending = list(indices)
    limit = anyio.Semaphore(KICKS_AT_ONCE)

    async def kick(index: int) -> None:
        async with limit:
            await task.kiq(job_id, index)

    async with anyio.create_task_group() as group:
        for index in pending:
            group.start_soon(kick, index)
    return len(pending)


async def requeue_unfinished(
    task: AsyncTaskiqDecoratedTask[Any, Any], store: JobStore, job_id: str
) -> list[int]:
    """Queue again every chunk neither done nor held by a live lease; returns their indices.

    Covers chunks whose worker died, tasks the broker lost or trimmed, and
    chunks stopped on an error every chunk would meet. A chunk that also has
    a task still queued runs once all the same: the later delivery finds it
    done. Nothing for a job done or cancelled.
    """
    indices = await resume(store, job_id)
    await enqueue_chunks(task, job_id, indices)
    return indices
