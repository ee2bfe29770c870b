"""Which core the client runs on and which one the servers get, and how servers keep time.

With two or more cores the client and the servers never compete for one, so a
server's work does not show up as client time. A server that has a core to
itself also keeps that core busy polling (``--spin``): on virtual machines
waking an idle core takes a hypervisor round trip of 100 µs or more, which
would otherwise be added to every request of every client. A server whose CPU
time is reported polls only in the last moments before each timer
(``--precise``, see :mod:`benchmarks.precise_loop`), so answers held for a
latency leave on time and the polling is not counted as work. With one core
everything shares it and nothing polls.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any

from benchmarks.precise_loop import PreciseSelector
from benchmarks.precise_loop import run as run_precisely

__all__ = [
    "CorePlan",
    "ServerClock",
    "add_core_arguments",
    "pin_current_process",
    "plan_cores",
]


@dataclass(frozen=True, slots=True)
class CorePlan:
    client: int | None
    """The core of the benchmark process (None: not pinned)."""
    server: int | None
    """The core of every server process (None: not pinned)."""

    @property
    def separate(self) -> bool:
        return self.client is not None and self.client != self.server

    def server_arguments(self, *, spin: bool = True) -> list[str]:
        """Command-line arguments that place a server process on its core.

        ``spin=False`` for servers whose CPU time is reported: they poll only
        just before timers, and leave that polling out of their CPU time.
        """
        if self.server is None:
            return []
        timing = ["--spin" if spin else "--precise"] if self.separate else []
        return ["--core", str(self.server), *timing]

    def describe(self) -> str:
        if self.client is None:
            return "not pinned (no CPU affinity on this platform)"
        if not self.separate:
            return f"client and servers share core {self.client} (one core available)"
        return (
            f"client on core {self.client}; servers on core {self.server}, polling instead of "
            "sleeping (bulk servers only just before each held answer is due)"
        )


def plan_cores() -> CorePlan:
    """The first allowed core for the client, the last for the servers."""
    if not hasattr(os, "sched_getaffinity"):
        return CorePlan(None, None)
    cores = sorted(os.sched_getaffinity(0))
    return CorePlan(cores[0], cores[-1])


def pin_current_process(core: int | None) -> None:
    """Keep this process (and threads it starts later) on ``core``."""
    if core is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {core})


def add_core_arguments(parser: argparse.ArgumentParser) -> None:
    """``--core N``, ``--spin`` and ``--precise``, as :meth:`CorePlan.server_arguments` passes."""
    parser.add_argument("--core", type=int, default=None, help="CPU core to pin this process to")
    polling = parser.add_mutually_exclusive_group()
    polling.add_argument(
        "--spin", action="store_true", help="poll instead of sleeping (only on a core of its own)"
    )
    polling.add_argument(
        "--precise",
        action="store_true",
        help="poll just before timers, not counted as CPU time (only on a core of its own)",
    )


class ServerClock:
    """How a server process waits (sleeping, polling, or polling just before timers)."""

    def __init__(self, *, spin: bool = False, precise: bool = False) -> None:
        self._spin = spin
        self._selector = PreciseSelector() if precise else None

    @classmethod
    def from_arguments(cls, args: argparse.Namespace) -> ServerClock:
        return cls(spin=args.spin, precise=args.precise)

    def run(self, main: Coroutine[Any, Any, None]) -> None:
        if self._selector is None:
            asyncio.run(main)
        else:
            run_precisely(main, self._selector)

    def cpu_seconds(self) -> float:
        """CPU time the process used on its work (polling before timers left out)."""
        polled = 0.0 if self._selector is None else self._selector.polling_cpu
        return time.process_time() - polled

    async def wait(self, event: asyncio.Event) -> None:
        """Wait for ``event``; a spinning server never lets its loop sleep meanwhile."""
        if not self._spin:
            await event.wait()
            return
        # Polling is the point: a loop that never blocks in the kernel is never woken late.
        while not event.is_set():  # noqa: ASYNC110
            await asyncio.sleep(0)
