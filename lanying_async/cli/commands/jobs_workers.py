"""``lanying jobs worker|submit|resume``: durable jobs run by worker processes.

``submit`` writes a job to the store and queues one task per chunk on the
broker (a Redis stream, in the store's Redis unless ``--broker`` names
another); ``worker`` processes, anywhere, run those tasks; ``resume``
queues again every chunk neither done nor held by a live lease. ``status``,
``report`` and ``cancel`` (`jobs_control`) watch and stop the job.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial
from typing import TYPE_CHECKING, Any

import anyio

from lanying_async import jobs
from lanying_async.cli import event_loop
from lanying_async.cli.command import Command
from lanying_async.cli.commands.jobs_args import (
    JOB_COMMANDS,
    add_job_operations,
    job_arguments,
    job_options,
    read_job_input,
)
from lanying_async.cli.connect import settings_from
from lanying_async.cli.errors import EXIT_OK, UsageError
from lanying_async.cli.jobs import BatchRun, run_batch
from lanying_async.cli.options import add_connection_options, positive_float, positive_int
from lanying_async.cli.output import say
from lanying_async.cli.signals import STOP_SIGNALS, Terminated, on_loop
from lanying_async.client import LanyingClient

if TYPE_CHECKING:
    from taskiq import AsyncBroker, AsyncTaskiqDecoratedTask

__all__ = ["JOBS_RESUME", "JOBS_SUBMIT", "JOBS_WORKER"]

_STORE_HELP = (
    "the job store the workers share: redis://HOST:PORT/DB (or sqlite:///PATH, for workers "
    "on this machine only, with --broker)"
)
_BROKER_HELP = "the Redis the tasks go through: redis://HOST:PORT/DB (default: the --store one)"


def _add_store_and_broker(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    parser.add_argument("--store", required=True, metavar="URL", help=_STORE_HELP)
    parser.add_argument("--broker", metavar="URL", help=_BROKER_HELP)


def _broker_url(args: argparse.Namespace) -> str:
    url: str = args.broker or args.store
    if url.partition("://")[0] not in ("redis", "rediss", "unix"):
        raise UsageError(
            "the tasks go through Redis: give a redis:// --store, or --broker redis://..."
        )
    return url


def _broker(
    args: argparse.Namespace,
    *,
    concurrency: int = 8,
    client_factory: Callable[[], LanyingClient] | None = None,
) -> tuple[AsyncBroker, AsyncTaskiqDecoratedTask[Any, Any]]:
    from lanying_async.jobs.distributed import DEFAULT_IDLE_TIMEOUT, attach, stream_broker

    idle = getattr(args, "idle_timeout", None) or DEFAULT_IDLE_TIMEOUT
    broker = stream_broker(_broker_url(args), concurrency=concurrency, idle_timeout=idle)
    task = attach(broker, args.store, client_factory=client_factory)
    return broker, task


@asynccontextmanager
async def _started(
    args: argparse.Namespace,
) -> AsyncIterator[tuple[jobs.JobStore, AsyncTaskiqDecoratedTask[Any, Any]]]:
    """The store and the chunk task on a started broker (as a client: nothing runs here)."""
    broker, task = _broker(args)
    store = await jobs.open_store(args.store)
    try:
        await broker.startup()  # also creates the workers' consumer group
        try:
            yield store, task
        finally:
            await broker.shutdown()
    finally:
        await store.aclose()


# --- lanying jobs submit ---------------------------------------------------


def _submit_extra(group: argparse.ArgumentParser) -> None:
    _add_store_and_broker(group)


async def _submit_job(args: argparse.Namespace, items: list[Any], arguments: Any) -> str:
    from lanying_async.jobs.distributed import enqueue_chunks

    job = JOB_COMMANDS[args.operation]
    async with _started(args) as (store, task):
        job_id = await jobs.submit(store, job.operation, items, arguments, job_options(args))
        try:
            chunks = (await jobs.status(store, job_id)).chunks_total
            await enqueue_chunks(task, job_id, range(chunks))
        except BaseException:
            sys.stderr.write(
                f"job {job_id} is stored but not all its chunks were queued: "
                f"lanying jobs resume {job_id} --store ... queues them\n"
            )
            raise
    return job_id


def _submit(args: argparse.Namespace) -> int:
    if args.concurrency is not None:
        raise UsageError("--concurrency is each worker's: lanying jobs worker --concurrency N")
    arguments = job_arguments(args)
    job_options(args)
    _broker_url(args)
    run = BatchRun.prepare(args)
    with run.until_sending():
        items = read_job_input(args, run, arguments)

    async def work() -> None:
        job_id = await _submit_job(args, items, arguments)
        sys.stdout.write(f"{job_id}\n")
        sys.stdout.flush()

    return run_batch(run, work)


JOBS_SUBMIT = Command(
    "submit",
    "submit a batch command as a durable job for worker processes",
    lambda parser: add_job_operations(parser, _submit_extra),
    _submit,
    description="Write push, send, invite, kick or register as a durable job to the store "
    "and queue one task per chunk for 'lanying jobs worker' processes; prints the job's id "
    "alone on stdout. Takes the arguments of the matching batch command. Lines of the input "
    "that cannot be items go to --report (exit status 1).",
    epilog="""examples:
  JOB=$(lanying jobs submit push vip_ids.txt --title "Sale" --body "Noon" --store redis://r:6379/0)
  lanying jobs status "$JOB" --store redis://r:6379/0
""",
)


# --- lanying jobs resume ---------------------------------------------------


def _configure_resume(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("job_id", metavar="JOB_ID", help="the job's id (printed by submit)")
    _add_store_and_broker(parser)


def _resume(args: argparse.Namespace) -> int:
    from lanying_async.jobs.distributed import requeue_unfinished

    async def main() -> list[int]:
        async with _started(args) as (store, task):
            try:
                return await requeue_unfinished(task, store, args.job_id)
            except jobs.JobNotFoundError:
                raise UsageError(f"no job {args.job_id} in {args.store}") from None

    _broker_url(args)
    queued = event_loop.run(main())
    say(f"job {args.job_id}: {len(queued):,} chunks queued again")
    return EXIT_OK


JOBS_RESUME = Command(
    "resume",
    "queue again every chunk of a job that is not done and not running",
    _configure_resume,
    _resume,
    description="Queue a task again for every chunk of the job that is neither done nor "
    "held by a live lease: chunks whose worker died, tasks the broker lost, chunks stopped "
    "on an error every chunk would meet. Chunks done are never sent again.",
)


# --- lanying jobs worker ---------------------------------------------------


def _configure_worker(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("worker")
    _add_store_and_broker(group)
    group.add_argument(
        "--concurrency",
        type=positive_int,
        default=8,
        metavar="N",
        help="chunks this worker runs at once (default: 8)",
    )
    group.add_argument(
        "--idle-timeout",
        type=positive_float,
        metavar="S",
        help="seconds a task may stay unacknowledged before another worker takes it over "
        "(default: 90; keep it above the jobs' --lease-seconds)",
    )
    add_connection_options(parser)
    for action in parser._actions:  # taken for the batch commands' sake, refused here
        if action.dest == "emulator":
            action.help = argparse.SUPPRESS


def _client_factory(args: argparse.Namespace) -> Callable[[], LanyingClient]:
    settings = settings_from(args)  # refused now, before the worker starts

    def make() -> LanyingClient:
        return LanyingClient(
            api_endpoint=settings.api_endpoint,
            app_id=settings.app_id,
            access_token=settings.access_token,
            allow_insecure_http=settings.allow_insecure_http,
            rate_limit=args.rate_limit,
        )

    return make


async def _work(args: argparse.Namespace, make_client: Callable[[], LanyingClient]) -> None:
    from lanying_async.jobs.distributed import run_worker

    broker, _ = _broker(args, concurrency=args.concurrency, client_factory=make_client)
    stop = anyio.Event()
    main = asyncio.current_task()
    assert main is not None
    signals: list[int] = []

    def stopping(signum: int) -> None:
        signals.append(signum)
        if len(signals) > 1:  # stop now: the chunks in flight are delivered again later
            main.cancel()
            return
        stop.set()  # first: saying so below may fail (stderr closed)
        name = signal.Signals(signum).name
        _say(f"lanying: {name}: finishing the chunks in flight (again: stop now)")

    with on_loop({sig: partial(stopping, int(sig)) for sig in STOP_SIGNALS}):
        try:
            await run_worker(broker, stop, concurrency=args.concurrency)
        except asyncio.CancelledError:
            if len(signals) > 1:
                raise Terminated from None
            raise
    _say("lanying: worker stopped")


def _say(line: str) -> None:
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except OSError:  # nobody reads stderr any more: carry on
        pass


def _worker(args: argparse.Namespace) -> int:
    if args.emulator:
        raise UsageError("--emulator is for batch commands: a worker needs a server")
    _broker_url(args)
    make_client = _client_factory(args)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s")
    event_loop.run(_work(args, make_client), handles_signals=True)
    return EXIT_OK


JOBS_WORKER = Command(
    "worker",
    "run the chunks of durable jobs submitted with 'lanying jobs submit'",
    _configure_worker,
    _worker,
    description="A worker process: runs chunk tasks from the broker, any job's, N at a "
    "time, recording each chunk's outcome in the store before it acknowledges the task. "
    "Start as many as you like, on any machine that reaches the store and the API. SIGTERM "
    "or SIGINT: no new chunk starts, the chunks in flight finish, exit status 0.",
    epilog="""examples:
  LANYING_API_ENDPOINT=... LANYING_APP_ID=... LANYING_ACCESS_TOKEN=... \\
      lanying jobs worker --store redis://r:6379/0 --concurrency 16
""",
)
