"""Durable bulk jobs: a job's chunks, leased by workers, recorded in a store.

A job outlives the process that submitted it: its chunk plan is fixed once
and written to a store, workers take chunks by lease and record each chunk's
outcome once, and a chunk whose worker died is taken again with the same
request ids, so the server drops what already ran (each operation's rule for
a chunk sent again: [`lanying_async.jobs.operations`][lanying_async.jobs.operations]):

```python
from lanying_async import jobs

store = await jobs.open_store("sqlite:///lanying-jobs.sqlite3")
job_id = await jobs.submit(store, "invite", user_ids, {"group_id": 42, "as_user": 7})
report = await jobs.run(store, client, job_id, concurrency=8)  # a BulkReport
await store.aclose()
```

Run it again after a crash (same store, same job id) to finish it.

Submitting and controlling ([`api`][lanying_async.jobs.api]):

- [`submit()`][lanying_async.jobs.api.submit] ``(store, operation, items, arguments=None,
  options=None) -> job_id``: plan and store a job. ``operation`` is one of
  [`OPERATIONS`][lanying_async.jobs.model.OPERATIONS]; ``items`` any iterable or async iterable;
  ``options`` a [`JobOptions`][lanying_async.jobs.plan.JobOptions] (chunk size, attempts, lease,
  message de-duplication window, shared rate limit). Arguments by operation: ``push``: ``to``
  (``user_id``, ``alias``, ``tag``, ``push_token``, or ``all`` with no items), ``message`` (a
  ``PushMessage``), ``setting`` (a ``PushSetting``, no ``request_id``); ``send``: ``content``,
  ``target_type``, ``content_type``, ``ext``, ``config``, ``attachment``, ``from_user_id``,
  ``online_only``; ``invite``: ``group_id``, ``as_user`` or ``as_group_admin=True``, ``reason``;
  ``kick``: ``group_id``, ``as_user`` or ``as_group_admin=True``; ``register`` (items: ``(username,
  password)`` or ``(username, password, profile)``, or a ``{username: password}`` mapping):
  ``lookup_as``, the user who looks usernames up when a chunk is sent again.
- [`run()`][lanying_async.jobs.embedded.run] ``(store, client, job_id, *, concurrency, on_chunk,
  stopping) -> BulkReport``: run or resume a job in this process
  ([`embedded`][lanying_async.jobs.embedded]).
- [`status()`][lanying_async.jobs.api.status] ``-> JobStatus``,
  [`report()`][lanying_async.jobs.api.report] ``-> BulkReport``,
  [`cancel()`][lanying_async.jobs.api.cancel] ``-> JobStatus``,
  [`resume()`][lanying_async.jobs.api.resume] ``-> list[int]`` (the chunks to hand to workers
  again).
- [`open_store()`][lanying_async.jobs.api.open_store] ``(url)``: ``sqlite:///PATH``
  ([`SqliteJobStore`][lanying_async.jobs.sqlite_store.SqliteJobStore]) or ``redis://...``;
  [`DEFAULT_STORE_URL`][lanying_async.jobs.api.DEFAULT_STORE_URL] is ``lanying jobs run``'s.

For workers and brokers ([`runner`][lanying_async.jobs.runner]):

- [`run_chunk()`][lanying_async.jobs.runner.run_chunk] ``(store, client, job_id, index) ->
  ChunkRun``: lease, send and record one chunk; [`ChunkStep`][lanying_async.jobs.runner.ChunkStep]
  says what came of it.
- [`plan_job()`][lanying_async.jobs.plan.plan_job] /
  [`plan_job_async()`][lanying_async.jobs.plan.plan_job_async] ``-> JobPlan``: a job's spec and
  chunks, not stored ([`plan`][lanying_async.jobs.plan]).

Worker processes on a Redis store, the chunks handed out by taskiq (the
`jobs` extra): [`distributed`][lanying_async.jobs.distributed] (`lanying jobs worker`,
`submit`, `resume`).

The data ([`model`][lanying_async.jobs.model]): [`JobSpec`][lanying_async.jobs.model.JobSpec],
[`JobState`][lanying_async.jobs.model.JobState], [`JobStatus`][lanying_async.jobs.model.JobStatus],
[`Lease`][lanying_async.jobs.model.Lease], [`ChunkRecord`][lanying_async.jobs.model.ChunkRecord],
[`FailedItem`][lanying_async.jobs.model.FailedItem]; the store's contract:
[`JobStore`][lanying_async.jobs.store.JobStore],
[`JobNotFoundError`][lanying_async.jobs.store.JobNotFoundError], and what a store's server
failing raises: [`JobStoreError`][lanying_async.jobs.store.JobStoreError],
[`JobStoreUnavailableError`][lanying_async.jobs.store.JobStoreUnavailableError].
"""

from lanying_async.jobs.api import (
    DEFAULT_STORE_URL,
    cancel,
    open_store,
    report,
    resume,
    status,
    submit,
)
from lanying_async.jobs.embedded import run
from lanying_async.jobs.model import (
    OPERATIONS,
    ChunkRecord,
    FailedItem,
    JobSpec,
    JobState,
    JobStatus,
    Lease,
)
from lanying_async.jobs.plan import JobOptions, JobPlan, plan_job, plan_job_async
from lanying_async.jobs.runner import ChunkRun, ChunkStep, run_chunk
from lanying_async.jobs.sqlite_store import SqliteJobStore
from lanying_async.jobs.store import (
    JobNotFoundError,
    JobStore,
    JobStoreError,
    JobStoreUnavailableError,
)

__all__ = [
    "DEFAULT_STORE_URL",
    "OPERATIONS",
    "ChunkRecord",
    "ChunkRun",
    "ChunkStep",
    "FailedItem",
    "JobNotFoundError",
    "JobOptions",
    "JobPlan",
    "JobSpec",
    "JobState",
    "JobStatus",
    "JobStore",
    "JobStoreError",
    "JobStoreUnavailableError",
    "Lease",
    "SqliteJobStore",
    "cancel",
    "open_store",
    "plan_job",
    "plan_job_async",
    "report",
    "resume",
    "run",
    "run_chunk",
    "status",
    "submit",
]
