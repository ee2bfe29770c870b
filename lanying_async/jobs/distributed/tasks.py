"""The one task a broker carries: run chunk `index` of job `job_id`.

[`attach`][lanying_async.jobs.distributed.tasks.attach] puts it on any taskiq
`AsyncBroker`, with the worker-side state it needs: at worker startup (on
the worker's own event loop) the job store is opened and one
`LanyingClient` is made from the `LANYING_*` settings; at worker shutdown
both are closed. A task carries only `(job_id, chunk_index)`; the chunk's
items, the operation and its arguments are read from the store.

The task acknowledges its message itself (taskiq's manual acknowledgement),
and only once nothing is left for this delivery to do:

- the chunk's outcome is recorded (by this run, or already before it), or the
  job is cancelled or done: acknowledged;
- a transient failure released the chunk: after a pause that doubles with
  each attempt (1 s first, at most 30 s), a new task for the chunk is queued,
  then this one is acknowledged; a lost lease queues a new task at once;
- the chunk is leased by a live lease elsewhere (the same task delivered
  twice, or a worker that died holding it): the task waits, sending nothing,
  until the chunk is done (acknowledged) or the lease lapses (then it runs
  the chunk itself);
- an error every chunk would meet (a wrong token, the group gone): logged and
  acknowledged, the chunk left not done for `lanying jobs resume` once the
  cause is fixed;
- a job the store does not have: logged and acknowledged;
- an exception (the store out of reach), or the worker asked to stop while
  waiting: not acknowledged; the broker delivers the task again later.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any
from warnings import warn

import anyio
from taskiq import AsyncBroker, Context, TaskiqDepends, TaskiqEvents, TaskiqState
from taskiq.acks import AcknowledgeType

from lanying_async.jobs.api import open_store
from lanying_async.jobs.distributed.broker import no_reclaim_reason
from lanying_async.jobs.model import JobSpec, JobState
from lanying_async.jobs.runner import ChunkRun, ChunkStep, run_chunk
from lanying_async.jobs.store import JobNotFoundError

if TYPE_CHECKING:
    from taskiq import AsyncTaskiqDecoratedTask

    from lanying_async.client import LanyingClient
    from lanying_async.jobs.store import JobStore

__all__ = ["TASK_NAME", "ChunkWorker", "NoReclaimWarning", "attach", "chunk_task"]

log = logging.getLogger("lanying_async.jobs.worker")

TASK_NAME = "lanying_async.jobs.run_chunk"
"""The task's name on the broker."""
STATE_KEY = "lanying_chunk_worker"
"""Where the worker's [`ChunkWorker`][lanying_async.jobs.distributed.tasks.ChunkWorker]
lives on the broker's `TaskiqState`."""
LONGEST_BACKOFF = 30.0
"""The longest pause before a chunk released after a transient failure is queued again."""
LONGEST_POLL = 2.0
"""The longest pause between two looks at a chunk leased elsewhere."""
SPECS_KEPT = 1024
"""Job specs a worker keeps read (more, and it reads them again)."""
FINAL = (JobState.DONE, JobState.CANCELLED)


class NoReclaimWarning(RuntimeWarning):
    """The broker never delivers again a task whose worker died."""


@dataclass(frozen=True, slots=True)
class Handled:
    """What one delivery of a chunk task came to."""

    step: ChunkStep
    ack: bool
    """Acknowledge the message (False: leave it for the broker to deliver again)."""
    requeue: bool = False
    """Queue a new task for the chunk (before acknowledging this one)."""


@dataclass
class ChunkWorker:
    """One worker process's state: its store, its client and whether it is stopping."""

    store: JobStore
    client: LanyingClient
    backoff: float = 1.0
    """The first pause before a released chunk is queued again (it doubles per attempt)."""
    clock: Callable[[], float] = time.time
    stopping: anyio.Event = field(default_factory=anyio.Event)
    """Set by [`stop`][lanying_async.jobs.distributed.tasks.ChunkWorker.stop]: waits end."""
    _specs: dict[str, JobSpec] = field(default_factory=dict)

    def stop(self) -> None:
        """End every wait (backoffs, chunks leased elsewhere); chunks running go on."""
        self.stopping.set()

    async def spec(self, job_id: str) -> JobSpec:
        spec = self._specs.get(job_id)
        if spec is None:
            if len(self._specs) >= SPECS_KEPT:  # a worker that lives through many jobs
                self._specs.clear()
            spec = self._specs[job_id] = await self.store.spec(job_id)
        return spec

    async def _pause(self, seconds: float) -> bool:
        """Sleep `seconds`; False when the worker was asked to stop meanwhile."""
        with anyio.move_on_after(seconds):
            await self.stopping.wait()
        return not self.stopping.is_set()

    async def handle(self, job_id: str, index: int) -> Handled:
        """Run the chunk once and say what to do with its message."""
        try:
            spec = await self.spec(job_id)
        except JobNotFoundError:  # deleted from the store, or a store other than the sender's
            log.error("job %s is not in the store: its task for chunk %d is dropped", job_id, index)
            return Handled(ChunkStep.SKIPPED, ack=True)
        run = await run_chunk(self.store, self.client, job_id, index, spec=spec, clock=self.clock)
        if run.step is ChunkStep.SKIPPED:
            return await self._leased_elsewhere(job_id, index, spec)
        return await self._after(job_id, run)

    async def _after(self, job_id: str, run: ChunkRun) -> Handled:
        step = run.step
        if step is ChunkStep.RELEASED:
            pause = min(LONGEST_BACKOFF, self.backoff * 2 ** max(0, run.attempt - 1))
            log.info("job %s chunk %d: %s; again in %.0f s", job_id, run.index, run.error, pause)
            await self._pause(pause)  # stopping: queue it again now
            return Handled(step, ack=True, requeue=True)
        if step is ChunkStep.LOST:
            return Handled(step, ack=True, requeue=True)
        if step is ChunkStep.STOPPED:
            log.error(
                "job %s chunk %d stopped: every chunk would fail the same way: %s "
                "(fix it, then: lanying jobs resume %s)",
                job_id,
                run.index,
                run.error,
                job_id,
            )
        return Handled(step, ack=True)

    async def _leased_elsewhere(self, job_id: str, index: int, spec: JobSpec) -> Handled:
        """Nothing was taken: done, cancelled, or leased. Wait out a lease; never send twice."""
        poll = min(LONGEST_POLL, max(0.05, spec.lease_seconds / 6))
        said = False
        while True:
            if (await self.store.status(job_id)).state in FINAL:
                return Handled(ChunkStep.SKIPPED, ack=True)
            if await self.store.chunk_done(job_id, index):
                return Handled(ChunkStep.SKIPPED, ack=True)
            if not said:
                said = True
                log.warning(
                    "job %s chunk %d delivered again while leased (it ran longer than the "
                    "idle timeout, or its worker died): waiting for it, sending nothing",
                    job_id,
                    index,
                )
            if not await self._pause(poll):
                return Handled(ChunkStep.SKIPPED, ack=False)
            run = await run_chunk(
                self.store, self.client, job_id, index, spec=spec, clock=self.clock
            )
            if run.step is not ChunkStep.SKIPPED:
                return await self._after(job_id, run)


async def chunk_task(job_id: str, index: int, context: Annotated[Context, TaskiqDepends()]) -> str:
    """Run chunk `index` of job `job_id` on this worker (the broker's task)."""
    worker: ChunkWorker = getattr(context.state, STATE_KEY)
    # In a task of its own: anyio (4.16) names the current task in every cancel scope it
    # cancels, and the repr of taskiq's task for a message holds the set of every task
    # running (its done callback), each with the same set: milliseconds per chunk.
    handled = await asyncio.create_task(worker.handle(job_id, index))
    if handled.requeue:
        await context.broker.find_task(TASK_NAME).kiq(job_id, index)  # type: ignore[union-attr]
    if handled.ack and context.is_ackable:
        await context.ack()
    return handled.step.value


ClientFactory = Callable[[], "LanyingClient"]


def _default_client() -> LanyingClient:
    from lanying_async.client import LanyingClient

    return LanyingClient()  # the LANYING_* settings


def attach(
    broker: AsyncBroker,
    store_url: str,
    *,
    client_factory: ClientFactory | None = None,
    backoff: float = 1.0,
) -> AsyncTaskiqDecoratedTask[Any, Any]:
    """Put the chunk task on `broker`; returns the task (`await task.kiq(job_id, index)`).

    At worker startup the store at `store_url` is opened and a client made by
    `client_factory` (default: `LanyingClient()`, from the `LANYING_*`
    environment); at worker shutdown both are closed. Any taskiq broker
    works; one whose messages cannot be acknowledged loses the tasks a dying
    worker held (`lanying jobs resume` queues them again), and a Redis Cluster
    or Sentinel stream broker never reclaims them: a `NoReclaimWarning` says so.

    Args:
        broker: the taskiq broker, with a worker per process.
        store_url: the job store (`redis://...`, or `sqlite:///PATH` on one machine).
        client_factory: makes the worker's client, on the worker's event loop.
        backoff: the first pause before a chunk released after a transient failure
            is queued again.
    """
    reason = no_reclaim_reason(broker)
    if reason is not None:
        warn(reason, NoReclaimWarning, stacklevel=2)
    make_client = client_factory or _default_client

    async def startup(state: TaskiqState) -> None:
        store = await open_store(store_url)
        try:
            client = make_client()
        except BaseException:
            await store.aclose()
            raise
        setattr(state, STATE_KEY, ChunkWorker(store, client, backoff=backoff))

    async def shutdown(state: TaskiqState) -> None:
        worker: ChunkWorker | None = getattr(state, STATE_KEY, None)
        if worker is None:
            return
        delattr(state, STATE_KEY)
        try:
            await worker.client.aclose()
        finally:
            await worker.store.aclose()

    broker.add_event_handler(TaskiqEvents.WORKER_STARTUP, startup)
    broker.add_event_handler(TaskiqEvents.WORKER_SHUTDOWN, shutdown)
    # Manual acknowledgement: taskiq would otherwise acknowledge after any return or error.
    return broker.register_task(chunk_task, TASK_NAME, ack_type=AcknowledgeType.MANUAL.value)


def worker_of(broker: AsyncBroker) -> ChunkWorker | None:
    """The running worker's state on `broker` (None before startup, after shutdown)."""
    found: ChunkWorker | None = getattr(broker.state, STATE_KEY, None)
    return found
