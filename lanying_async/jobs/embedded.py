"""Running a whole job in this process: workers over the store's unfinished chunks.

[`run()`][lanying_async.jobs.embedded.run] is the embedded default, and what ``lanying jobs run``
does: no broker, just ``concurrency`` workers in this process taking the job's chunks that are
neither done nor held by a live lease, each through
[`run_chunk()`][lanying_async.jobs.runner.run_chunk]. A chunk released after a transient failure
goes back in line after a pause that doubles with each attempt (``backoff`` seconds first, at most
[`LONGEST_BACKOFF`][lanying_async.jobs.embedded.LONGEST_BACKOFF]), so a short outage does not use up
its attempts at once; a server that cannot be reached at all (no connection could be made, TLS
refused) stops the run as an error every chunk would meet does, without using up any more attempts.
Chunks another worker holds (or a process that died holds, until its lease lapses) are waited for.
It returns when the job is done or cancelled, or when ``stopping()`` turns true (then after the
chunks in flight: what is not done stays for a later run).

The same function resumes a job: run it again on the same store and job id.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import anyio

from lanying_async.bulk.errors import BulkAbortedError
from lanying_async.bulk.report import BulkReport
from lanying_async.bulk.stops import JobWideErrors
from lanying_async.errors import LanyingError, ValidationError
from lanying_async.jobs.model import JobState
from lanying_async.jobs.report import job_report
from lanying_async.jobs.runner import ChunkRun, ChunkStep, run_chunk

if TYPE_CHECKING:
    from lanying_async.client import LanyingClient
    from lanying_async.jobs.model import JobSpec
    from lanying_async.jobs.store import JobStore

__all__ = ["run"]

FINAL_STATES = (JobState.DONE, JobState.CANCELLED)
LONGEST_WAIT = 1.0
"""Seconds between two looks at chunks another worker holds."""
LONGEST_BACKOFF = 30.0
"""The longest pause before a chunk released after a transient failure runs again."""
_OUT_OF_REACH = JobWideErrors()


class _Workers:
    """The in-process workers of one [`run()`][lanying_async.jobs.embedded.run]."""

    def __init__(
        self,
        store: JobStore,
        client: LanyingClient,
        job_id: str,
        spec: JobSpec,
        on_chunk: Callable[[ChunkRun], object] | None,
        stopping: Callable[[], bool],
        clock: Callable[[], float],
        backoff: float,
    ) -> None:
        self.store = store
        self.client = client
        self.job_id = job_id
        self.spec = spec
        self.on_chunk = on_chunk
        self.stopping = stopping
        self.clock = clock
        self.backoff = backoff
        self.halted = False
        self.stopped_by: LanyingError | None = None

    @property
    def ending(self) -> bool:
        return self.halted or self.stopping()

    async def work(self, line: deque[int]) -> None:
        while line and not self.ending:
            index = line.popleft()
            done = await run_chunk(
                self.store, self.client, self.job_id, index, spec=self.spec, clock=self.clock
            )
            if self.on_chunk is not None:
                self.on_chunk(done)
            if done.step is ChunkStep.RELEASED and done.error is not None:
                if _OUT_OF_REACH(done.error):  # every chunk would fail so: keep their attempts
                    self.halted = True
                    self.stopped_by = done.error
                    return
                await anyio.sleep(min(LONGEST_BACKOFF, self.backoff * 2 ** (done.attempt - 1)))
                line.append(index)  # its attempts are counted: it cannot come back forever
            elif done.step is ChunkStep.STOPPED:
                self.halted = True
                self.stopped_by = done.error
            elif done.step is ChunkStep.CANCELLED:
                self.halted = True


def _never() -> bool:
    return False


async def run(
    store: JobStore,
    client: LanyingClient,
    job_id: str,
    *,
    concurrency: int | None = None,
    on_chunk: Callable[[ChunkRun], object] | None = None,
    stopping: Callable[[], bool] | None = None,
    clock: Callable[[], float] = time.time,
    backoff: float = 1.0,
) -> BulkReport[Any]:
    """Run (or resume) job ``job_id`` in this process; returns its report as the store has it.

    ``concurrency`` is the chunks in flight (default: the client's bulk
    concurrency, capped by its connection pool); ``on_chunk`` sees each
    [`ChunkRun`][lanying_async.jobs.runner.ChunkRun] as it ends; ``stopping`` is
    asked before each chunk (true: return once the chunks in flight end);
    ``backoff`` is the first pause before a chunk released after a transient
    failure runs again (it doubles with each attempt). Raises
    ``BulkAbortedError`` (``job_wide``, with the report) when a chunk met an
    error every chunk would meet (a wrong token, the group gone, the server
    out of reach): the job is left as it is, to resume once that is fixed.
    """
    if concurrency is not None and (
        isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1
    ):
        raise ValidationError("concurrency", "must be a positive int")
    config = client.config
    width = concurrency or min(config.bulk.concurrency, config.limits.effective_connections)
    spec = await store.spec(job_id)
    workers = _Workers(store, client, job_id, spec, on_chunk, stopping or _never, clock, backoff)
    while not workers.ending:
        if (await store.status(job_id)).state in FINAL_STATES:
            break
        line = deque(await store.unfinished(job_id, clock()))
        if not line:  # every chunk left is held by a live lease: wait for it to end or lapse
            await anyio.sleep(min(LONGEST_WAIT, spec.lease_seconds / 3))
            continue
        async with anyio.create_task_group() as group:
            for _ in range(min(width, len(line))):
                group.start_soon(workers.work, line)
    report = await job_report(store, job_id)
    error = workers.stopped_by
    if error is not None:
        message = f"stopped: every chunk would fail the same way: {error}"
        raise BulkAbortedError(report, message, job_wide=True) from error
    return report
