"""The event loop a ``lanying`` command runs on: uvloop when it is installed.

``pip install "lanying-async[uvloop]"`` makes every request of a batch command
cheaper on the client (see the README's Performance section). Set
``LANYING_EVENT_LOOP=asyncio`` to keep asyncio's own loop anyway, or ``uvloop``
to refuse to run without it.

SIGTERM cancels the command's coroutine and raises
`Terminated` (as SIGINT raises
``KeyboardInterrupt``), unless the command handles the signals itself.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import signal
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar, cast

from lanying_async.cli.errors import UsageError
from lanying_async.cli.signals import Terminated, on_loop

__all__ = ["ENV_VAR", "run"]

T = TypeVar("T")

ENV_VAR = "LANYING_EVENT_LOOP"
CHOICES = ("auto", "uvloop", "asyncio")

Runner = Callable[[Coroutine[Any, Any, Any]], Any]


def _uvloop_run() -> Runner | None:
    """``uvloop.run`` when uvloop is installed, else None."""
    try:
        uvloop = importlib.import_module("uvloop")
    except ImportError:
        return None
    return cast(Runner, uvloop.run)


def _runner() -> Runner:
    choice = os.environ.get(ENV_VAR, "auto").strip().lower() or "auto"
    if choice not in CHOICES:
        raise UsageError(f"{ENV_VAR} must be one of {', '.join(CHOICES)}")
    if choice == "asyncio":
        return asyncio.run
    uvloop_run = _uvloop_run()
    if uvloop_run is not None:
        return uvloop_run
    if choice == "uvloop":
        raise UsageError(
            f'{ENV_VAR}=uvloop, but uvloop is not installed: pip install "lanying-async[uvloop]"'
        )
    return asyncio.run


def run(main: Coroutine[Any, Any, T], *, handles_signals: bool = False) -> T:
    """``asyncio.run(main)`` on the chosen loop (the coroutine is closed if none can run).

    ``handles_signals``: ``main`` installs its own SIGINT and SIGTERM handlers.
    """
    try:
        runner = _runner()
    except UsageError:
        main.close()  # never awaited: close it rather than leave a warning behind
        raise
    return cast(T, runner(main if handles_signals else _ended_by_sigterm(main)))


async def _ended_by_sigterm(main: Coroutine[Any, Any, T]) -> T:
    # A handler on the loop: raising from a plain signal handler is lost under uvloop.
    task = asyncio.current_task()
    assert task is not None
    terminated: list[bool] = []

    def terminate() -> None:
        terminated.append(True)
        task.cancel()

    with on_loop({signal.SIGTERM: terminate}):
        try:
            return await main
        except asyncio.CancelledError:
            if terminated:
                raise Terminated from None
            raise
