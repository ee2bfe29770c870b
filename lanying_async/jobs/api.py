"""Submitting, watching and controlling durable jobs, over any store.

See [`lanying_async.jobs`][lanying_async.jobs] for the whole picture. Every function takes the store
the job lives in; the store's URL opens it ([`open_store()`][lanying_async.jobs.api.open_store]).
"""

from __future__ import annotations

import importlib
import inspect
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import anyio.to_thread

from lanying_async.bulk.report import BulkReport
from lanying_async.errors import ConfigurationError, ValidationError
from lanying_async.jobs.model import JobState, JobStatus
from lanying_async.jobs.plan import JobInput, JobOptions, plan_job_async
from lanying_async.jobs.report import job_report
from lanying_async.jobs.sqlite_store import SqliteJobStore
from lanying_async.jobs.store import JobStore
from lanying_async.jobs.urls import redact_url

__all__ = [
    "DEFAULT_STORE_URL",
    "STORE_SCHEMES",
    "cancel",
    "open_store",
    "report",
    "resume",
    "status",
    "submit",
]

DEFAULT_STORE_URL = "sqlite:///lanying-jobs.sqlite3"
"""Where ``lanying jobs run`` keeps its jobs unless told otherwise (the current directory)."""


async def _open_sqlite(url: str) -> JobStore:
    # Opening may wait for another process's lock on the file: off the event loop.
    return await anyio.to_thread.run_sync(SqliteJobStore.from_url, url)


def _open_redis(url: str) -> JobStore | Awaitable[JobStore]:
    try:
        module = importlib.import_module("lanying_async.jobs.redis_store")
    except ImportError as exc:
        raise ConfigurationError(
            f"a redis:// store needs the jobs extra: pip install 'lanying-async[jobs]' ({exc})"
        ) from None
    opened: JobStore = module.RedisJobStore.from_url(url)
    return opened


STORE_SCHEMES: dict[str, Callable[[str], JobStore | Awaitable[JobStore]]] = {
    "sqlite": _open_sqlite,
    "redis": _open_redis,
    "rediss": _open_redis,
}
"""URL scheme -> what opens a store of that kind from its URL."""


async def open_store(url: str) -> JobStore:
    """The job store at ``url``: ``sqlite:///PATH`` (see
    [`SqliteJobStore`][lanying_async.jobs.sqlite_store.SqliteJobStore]) or ``redis://HOST:PORT/DB``
    (with the ``jobs`` extra). Close it with ``await store.aclose()``."""
    scheme = url.partition("://")[0] if isinstance(url, str) else ""
    opener = STORE_SCHEMES.get(scheme)
    if opener is None:
        shown = redact_url(url) if isinstance(url, str) else url
        raise ValidationError("store", f"must be a {' or '.join(STORE_SCHEMES)} URL, got {shown!r}")
    try:
        opened = opener(url)
        return await opened if inspect.isawaitable(opened) else opened
    except ValueError as exc:
        raise ValidationError("store", str(exc)) from None


async def submit(
    store: JobStore,
    operation: str,
    items: JobInput,
    arguments: Mapping[str, Any] | None = None,
    options: JobOptions | None = None,
) -> str:
    """Plan ``operation`` over ``items`` and write the job to ``store``; returns its id.

    Nothing is sent: run it with [`run()`][lanying_async.jobs.embedded.run]
    (in this process) or hand its chunks to workers. Raises
    ``ValidationError`` for a bad argument or item, before anything is stored.
    """
    plan = await plan_job_async(operation, items, arguments, options)
    return await store.create_job(plan.spec, plan.chunks)


async def status(store: JobStore, job_id: str) -> JobStatus:
    """The job's state and counts (raises ``JobNotFoundError``)."""
    return await store.status(job_id)


async def report(store: JobStore, job_id: str) -> BulkReport[Any]:
    """The job's report in the bulk engine's buckets (see
    [`lanying_async.jobs.report`][lanying_async.jobs.report])."""
    return await job_report(store, job_id)


async def cancel(store: JobStore, job_id: str) -> JobStatus:
    """Cancel the job: no chunk starts a request any more; returns its status.

    Chunks in flight finish and are recorded; the others' items end
    ``not_started``. A job already done stays done.
    """
    await store.cancel(job_id)
    return await store.status(job_id)


async def resume(
    store: JobStore, job_id: str, *, clock: Callable[[], float] = time.time
) -> list[int]:
    """The chunks to hand to workers again: not done and held by no live lease.

    This covers chunks whose worker died and tasks a broker lost. Empty for a
    job done or cancelled. (In this process, [`run()`][lanying_async.jobs.embedded.run]
    resumes a job by itself.)
    """
    if (await store.status(job_id)).state in (JobState.DONE, JobState.CANCELLED):
        return []
    return await store.unfinished(job_id, clock())
