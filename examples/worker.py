"""An async worker (taskiq) sharing one LanyingClient per worker process.

The client is created when the worker starts and closed when it stops; every
task borrows it through taskiq's state, so all tasks of the process share one
connection pool. Swap ``InMemoryBroker`` for a real broker (taskiq-redis,
taskiq-aio-pika, ...) in production; run this file to see it work locally on
the embedded emulator::

    pip install taskiq
    python examples/worker.py
"""

from __future__ import annotations

import asyncio
import os
from typing import Annotated

from taskiq import InMemoryBroker, TaskiqDepends, TaskiqEvents, TaskiqState

from lanying_async import LanyingClient
from lanying_async.testing import Emulator

broker = InMemoryBroker()


def make_client() -> LanyingClient:
    """Credentials come from LANYING_* (set here by main() when using the emulator)."""
    return LanyingClient()


@broker.on_event(TaskiqEvents.WORKER_STARTUP, TaskiqEvents.CLIENT_STARTUP)
async def open_client(state: TaskiqState) -> None:
    if getattr(state, "lanying", None) is None:  # one client per process
        state.lanying = make_client()


@broker.on_event(TaskiqEvents.WORKER_SHUTDOWN, TaskiqEvents.CLIENT_SHUTDOWN)
async def close_client(state: TaskiqState) -> None:
    client = getattr(state, "lanying", None)
    if client is not None:
        state.lanying = None
        await client.aclose()


@broker.task
async def welcome(user_id: int, state: Annotated[TaskiqState, TaskiqDepends()]) -> list[int]:
    """Send a welcome message; returns the message ids."""
    client: LanyingClient = state.lanying
    report = await client.messages.send([user_id], "welcome aboard!")
    report.raise_for_failures()
    return list(report.results.values())


async def run_jobs(user_ids: list[int]) -> list[list[int]]:
    await broker.startup()
    try:
        tasks = [await welcome.kiq(uid) for uid in user_ids]
        results = [await task.wait_result(timeout=30) for task in tasks]
        return [r.return_value for r in results]
    finally:
        await broker.shutdown()


async def main() -> None:
    async with Emulator() as emu:
        os.environ.update(
            LANYING_API_ENDPOINT=emu.url,
            LANYING_APP_ID=emu.app_id,
            LANYING_ACCESS_TOKEN=emu.admin_token,
        )
        async with emu.client() as admin:
            report = await admin.users.bulk_register({f"worker_user_{i}": "pw" for i in range(20)})
            user_ids = list(report.results.values())
        results = await run_jobs(user_ids)
        print(f"{len(results)} welcome messages sent over {emu.connections_opened} connection(s)")


if __name__ == "__main__":
    asyncio.run(main())
